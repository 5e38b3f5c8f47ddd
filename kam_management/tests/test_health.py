from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged, users
from odoo.tools import format_date, mute_logger

from odoo.addons.kam_management.models.kam_health_engine import KamHealthEngine

from .common import KamCommon

# savepoint, lock, jit, factors, accounts, company settings, engagement, surveys,
# opportunities, usage, stakeholder coverage (2), buying rhythm, previous scores,
# snapshot upsert, line delete, line insert, partner update, release (19), plus
# the records the cache invalidation of the test makes reload (the company
# currency); the stored revenue figures of the accounts (1) and, where Invoicing
# is installed, the overdue receivables (1); the run's advisory lock (1: two runs
# at once take turns)
QUERIES_PER_BATCH = 24


@tagged("post_install", "-at_install")
class TestHealthCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.Snapshot = cls.env["kam.health.snapshot"]
        cls.Engine = cls.env["kam.health.engine"]
        cls.factors = {
            f.code: f
            for f in cls.env["kam.health.factor"]
            .with_context(active_test=False)
            .search([])
        }
        # Known, simple weights for the arithmetic below
        for code, weight in {
            "engagement": 25,
            "satisfaction": 20,
            "financial": 20,
            "growth": 10,
            "relationship": 10,
            "usage": 10,
            "pulse": 5,
        }.items():
            cls.factors[code].write({"weight": weight, "active": True})
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)

    def _run(self, partners=None):
        partners = partners or self.account
        failed = self.Engine._kam_health_run(partners.ids)
        return failed

    def _line(self, code, partner=None):
        snapshot = self.Snapshot.search(
            [
                ("partner_id", "=", (partner or self.account).id),
                ("date", "=", self.today),
            ]
        )
        self.assertEqual(len(snapshot), 1)
        return snapshot.line_ids.filtered(lambda line: line.factor_id.code == code)

    def _only(self, *codes):
        for code, factor in self.factors.items():
            factor.active = code in codes


class TestHealthFactors(TestHealthCommon):
    def test_no_data_no_score(self):
        self._run()
        self.assertFalse(self.account.kam_health_band)
        self.assertEqual(self.account.kam_health_date, self.today)
        lines = self.Snapshot.search([("partner_id", "=", self.account.id)]).line_ids
        # one line per factor with a weight (bridges may add factors)
        self.assertEqual(len(lines), len(self.factors))
        self.assertFalse(any(lines.mapped("has_data")))
        self.assertTrue(
            all(e.startswith("no data: ") for e in lines.mapped("evidence"))
        )
        self.assertIn("no data: no usage readings in 90 days", lines.mapped("evidence"))
        self.env.cr.execute(
            "SELECT kam_health_score FROM res_partner WHERE id = %s", [self.account.id]
        )
        self.assertIsNone(self.env.cr.fetchone()[0], "no fake score")

    def test_satisfaction(self):
        Survey = self.env["kam.satisfaction.survey"]
        Survey.create(
            {
                "partner_id": self.account.id,
                "kind": "nps",
                "score": 3,
                "date": self.today - timedelta(days=40),
            }
        )
        Survey.create(
            {
                "partner_id": self.account.id,
                "kind": "nps",
                "score": 9,
                "contact_id": self.account_contact.id,
                "date": self.today - timedelta(days=2),
            }
        )
        Survey.create(
            {
                "partner_id": self.account.id,
                "kind": "csat",
                "score": 4,
                "date": self.today - timedelta(days=5),
            }
        )
        # Older than 12 months: ignored
        Survey.create(
            {
                "partner_id": self.account.id,
                "kind": "csat",
                "score": 1,
                "date": self.today - timedelta(days=400),
            }
        )
        self._run()
        line = self._line("satisfaction")
        # NPS 9 -> 90, CSAT 4 -> 75, mean 82.5
        self.assertAlmostEqual(line.score, 82.5)
        date = self.today - timedelta(days=2)
        self.assertIn(f"latest NPS 9 on {format_date(self.env, date)}", line.evidence)
        self.assertEqual(
            line.weight, 100.0, "only factor with data takes all the weight"
        )
        self.assertAlmostEqual(self.account.kam_health_score, 82.5)
        self.assertEqual(self.account.kam_health_band, "green")

    def test_usage_and_pulse_renormalised(self):
        Reading = self.env["kam.usage.reading"]
        for days, value in ((5, 60), (20, 80), (120, 0)):
            Reading.create(
                {
                    "partner_id": self.account.id,
                    "value": value,
                    "date": self.today - timedelta(days=days),
                }
            )
        self.account.kam_pulse = 2  # -> 25
        self.assertEqual(self.account.kam_pulse_date, self.today)
        self._run()
        usage = self._line("usage")
        self.assertAlmostEqual(usage.score, 70.0)  # 120-day-old reading ignored
        self.assertIn("2 readings", usage.evidence)
        pulse = self._line("pulse")
        self.assertAlmostEqual(pulse.score, 25.0)
        # usage 10, pulse 5: shares 66.7 % / 33.3 %
        self.assertAlmostEqual(usage.weight, 66.7)
        self.assertAlmostEqual(pulse.weight, 33.3)
        self.assertAlmostEqual(
            self.account.kam_health_score, (70 * 10 + 25 * 5) / 15, 1
        )
        self.assertEqual(self.account.kam_health_band, "yellow")

    def test_stale_pulse_ignored(self):
        self.account.kam_pulse = 5
        self.account.kam_pulse_date = self.today - timedelta(days=91)
        self._run()
        pulse = self._line("pulse")
        self.assertFalse(pulse.has_data)
        self.assertIn("older than 90 days", pulse.evidence)
        self.assertFalse(self.account.kam_health_band, "a stale pulse never scores")

    def test_engagement(self):
        self._only("engagement")
        self.account.kam_strategy = "maintain"  # cadence 8 in 90 days
        now = fields.Datetime.now()
        for partner, days in (
            (self.account, 3),
            (self.account_contact, 10),
            (self.account_contact, 100),
        ):
            message = partner.message_post(body="Call notes", message_type="comment")
            message.date = now - timedelta(days=days)
        # automatic notifications do not count
        self.account.message_post(body="Auto", message_type="notification")
        # a done activity on the contact
        activity = self.account_contact.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.user_kam.id
        )
        activity.action_feedback(feedback="Done")
        # a past meeting with the contact, a future one does not count
        Event = self.env["calendar.event"]
        Event.create(
            {
                "name": "QBR",
                "partner_ids": [(6, 0, self.account_contact.ids)],
                "start": now - timedelta(days=20),
                "stop": now - timedelta(days=20, hours=-1),
            }
        )
        Event.create(
            {
                "name": "Next",
                "partner_ids": [(6, 0, self.account_contact.ids)],
                "start": now + timedelta(days=5),
                "stop": now + timedelta(days=5, hours=1),
            }
        )
        # a message on an opportunity of the account
        lead = self.env["crm.lead"].create(
            {
                "name": "Deal",
                "partner_id": self.account_contact.id,
                "type": "opportunity",
            }
        )
        lead.message_post(body="Email from Alice", message_type="email")
        self._run()
        line = self._line("engagement")
        # 2 messages + 1 on the lead, 1 activity, 1 meeting = 5 of 8, last today
        self.assertIn("5 interactions in 90 days", line.evidence)
        self.assertIn("3 messages, 1 activity, 1 meeting", line.evidence)
        self.assertIn("last today", line.evidence)
        self.assertAlmostEqual(line.score, round(70 * 5 / 8 + 30, 1))

    def test_engagement_old_interaction_scores_low(self):
        self._only("engagement")
        message = self.account.message_post(body="Long ago", message_type="comment")
        message.date = fields.Datetime.now() - timedelta(days=200)
        self._run()
        line = self._line("engagement")
        self.assertTrue(line.has_data)
        self.assertEqual(line.score, 0.0)
        self.assertEqual(self.account.kam_health_band, "red")

    def test_financial_and_growth_from_opportunities(self):
        self._only("financial", "growth")
        Lead = self.env["crm.lead"]
        now = fields.Datetime.now()
        for days, amount in ((30, 60000), (200, 52000), (500, 100000)):
            lead = Lead.create(
                {
                    "name": "Won",
                    "partner_id": self.account.id,
                    "type": "opportunity",
                    "expected_revenue": amount,
                }
            )
            lead.action_set_won()
            lead.date_closed = now - timedelta(days=days)
        Lead.create(
            {
                "name": "Open",
                "partner_id": self.account_contact.id,
                "type": "opportunity",
                "expected_revenue": 40000,
                "probability": 50,
            }
        )
        self.assertFalse(self._run())
        financial = self._line("financial")
        # 112,000 against 100,000: +12 % -> 50 + 12 = 62
        self.assertAlmostEqual(financial.score, 62.0)
        self.assertIn("revenue +12% over the previous 12 months", financial.evidence)
        growth = self._line("growth")
        # weighted pipeline 20,000 against 30 % of 112,000
        self.assertAlmostEqual(growth.score, round(100 * 20000 / (0.3 * 112000), 1))
        self.assertIn("1 open opportunity worth", growth.evidence)

    def test_engagement_cadence_and_growth_target_from_company(self):
        self._only("engagement", "growth")
        self.account.kam_strategy = "maintain"
        self.account.message_post(body="Call notes", message_type="comment")
        # a mass mailing is no interaction
        self.account.message_post(body="Newsletter", message_type="email_outgoing")
        lead = self.env["crm.lead"].create(
            {
                "name": "Won",
                "partner_id": self.account.id,
                "type": "opportunity",
                "expected_revenue": 100000,
            }
        )
        lead.action_set_won()
        self.env["crm.lead"].create(
            {
                "name": "Open",
                "partner_id": self.account.id,
                "type": "opportunity",
                "expected_revenue": 20000,
                "probability": 50,
            }
        )
        self._run()
        # 1 of 8 interactions, today; 10,000 weighted against 30 % of 100,000
        self.assertAlmostEqual(self._line("engagement").score, round(70 / 8 + 30, 1))
        self.assertAlmostEqual(self._line("growth").score, round(1e6 / 30000, 1))
        self.company.write(
            {"kam_engagement_cadence_maintain": 2, "kam_growth_target_percent": 20}
        )
        self._run()
        self.assertAlmostEqual(self._line("engagement").score, 65.0)
        self.assertIn("2 expected", self._line("engagement").evidence)
        self.assertAlmostEqual(self._line("growth").score, 50.0)

    def test_settings_of_the_account_company(self):
        self._only("engagement")
        self.account.kam_strategy = "harvest"
        self.account.message_post(body="Call notes", message_type="comment")
        other = self.env["res.company"].create(
            {"name": "Other Co", "kam_engagement_cadence_harvest": 1}
        )
        self._run()
        self.assertAlmostEqual(self._line("engagement").score, round(70 / 4 + 30, 1))
        self.user_kam.company_ids |= other  # a KAM works in the account's company
        self.account.company_id = other
        self._run()
        self.assertAlmostEqual(self._line("engagement").score, 100.0)

    def _relationship(self):
        score, (code, values) = self.Engine._kam_health_score_relationship(
            {"id": self.account.id},
            self.Engine._kam_health_fetch_relationship(
                self.account.ids, self.today
            ).get(self.account.id),
            {"today": self.today, "cache": {}},
        )
        return score, self.Engine._kam_health_evidence_renderer()(code, values)

    def test_relationship_without_stakeholders(self):
        score, evidence = self._relationship()
        self.assertIsNone(score)
        self.assertIn("no data", evidence)

    def test_relationship_from_stakeholder_coverage(self):
        second = self.env["res.partner"].create(
            {"name": "Bob Champion", "parent_id": self.account.id}
        )
        self.env["kam.stakeholder"].create(
            [
                {
                    "partner_id": self.account.id,
                    "contact_id": self.account_contact.id,
                    "role": "decision_maker",
                    "relationship_strength": 4,
                },
                {
                    "partner_id": self.account.id,
                    "contact_id": second.id,
                    "role": "champion",
                    "relationship_strength": 3,
                },
            ]
        )
        score, evidence = self._relationship()
        # decision maker 30 + champion 25 + two strong relationships 25, no sponsor
        self.assertEqual(score, 80)
        self.assertIn("2 stakeholders, missing: executive sponsor", evidence)


class TestHealthScore(TestHealthCommon):
    def _set_usage(self, value, partner=None):
        self.env["kam.usage.reading"].create(
            {
                "partner_id": (partner or self.account).id,
                "value": value,
                "date": self.today,
            }
        )

    def test_bands_and_thresholds(self):
        self._only("usage")
        self._set_usage(39.9)
        self._run()
        self.assertEqual(self.account.kam_health_band, "red")
        self.company.write({"kam_health_red_below": 30, "kam_health_green_from": 39})
        self._run()
        self.assertEqual(self.account.kam_health_band, "green")
        self.company.kam_health_green_from = 40
        self._run()
        self.assertEqual(self.account.kam_health_band, "yellow")

    def test_zero_weight_and_archived_factor_ignored(self):
        self._only("usage", "pulse")
        self._set_usage(80)
        self.account.kam_pulse = 1
        self.factors["pulse"].weight = 0
        self._run()
        self.assertAlmostEqual(self.account.kam_health_score, 80.0)
        self.factors["pulse"].write({"weight": 5, "active": False})
        self._run()
        self.assertAlmostEqual(self.account.kam_health_score, 80.0)
        self.assertFalse(self._line("pulse"))

    def test_one_snapshot_per_day_and_trend(self):
        self._only("usage")
        old = self.Snapshot.create(
            {
                "partner_id": self.account.id,
                "score": 50,
                "band": "yellow",
                "date": self.today - timedelta(days=31),
            }
        )
        self.Snapshot.create(
            {
                "partner_id": self.account.id,
                "score": 10,
                "band": "red",
                "date": self.today - timedelta(days=90),
            }
        )
        self._set_usage(65)
        self._run()
        self.assertAlmostEqual(self.account.kam_health_trend, 15.0)
        self._set_usage(95)  # average of 65 and 95 = 80
        self._run()
        snapshots = self.Snapshot.search([("partner_id", "=", self.account.id)])
        self.assertEqual(len(snapshots), 3, "a re-run updates today's snapshot")
        today = snapshots.filtered(lambda s: s.date == self.today)
        self.assertAlmostEqual(today.score, 80.0)
        self.assertEqual(len(today.line_ids), 1, "lines are replaced, not added")
        self.assertAlmostEqual(self.account.kam_health_trend, 30.0)
        self.assertEqual(self.account.kam_health_snapshot_count, 3)
        self.assertEqual(self.account.kam_health_line_ids, today.line_ids)
        self.assertTrue(old.exists())

    def test_breakdown_is_the_latest_snapshot_by_date(self):
        self._set_usage(70)
        self._run()
        latest = self.Snapshot.search([("partner_id", "=", self.account.id)])
        # an older snapshot imported afterwards (a higher id) is history, not news
        backfilled = self.Snapshot.create(
            {
                "partner_id": self.account.id,
                "score": 20,
                "band": "red",
                "date": self.today - timedelta(days=200),
                "line_ids": [
                    Command.create(
                        {
                            "factor_id": latest.line_ids[0].factor_id.id,
                            "score": 20,
                            "weight": 100,
                            "evidence": "backfilled",
                        }
                    )
                ],
            }
        )
        self.account.invalidate_recordset(["kam_health_line_ids"])
        self.assertGreater(backfilled.id, latest.id)
        self.assertEqual(self.account.kam_health_line_ids, latest.line_ids)

    def test_previous_score_is_one_source_for_trend_and_churn_rule(self):
        snapshot = self.Snapshot.create(
            {
                "partner_id": self.account.id,
                "score": 50,
                "band": "yellow",
                "date": self.today - timedelta(days=31),
            }
        )
        # a change not yet written to the database is seen (the method flushes)
        snapshot.score = 80
        previous = self.Snapshot._kam_health_fetch_previous_scores(
            self.account.ids, self.today
        )
        self.assertEqual(previous, {self.account.id: 80})
        # the churn risk rule of escalations compares with the same score
        self.assertEqual(
            self.env["kam.escalation"]._kam_health_before(self.account), previous
        )
        with self.assertQueryCount(0):
            self.assertEqual(
                self.Snapshot._kam_health_fetch_previous_scores([], self.today), {}
            )

    def test_fields_depending_on_health_follow_the_run(self):
        """The run writes the partners in SQL and tells the ORM: what depends on
        the health (here computed and related fields read before the run) shows
        the new values in the same transaction."""
        self._only("usage")
        lead = self.env["crm.lead"].create(
            {"name": "Deal", "partner_id": self.account_contact.id}
        )
        self.assertFalse(self.account.kam_recommended_strategy)
        self.assertFalse(lead.kam_health_band)
        self.assertEqual(self.account.kam_health_color, 0)
        self._set_usage(90)
        self._run()
        self.assertEqual(self.account.kam_recommended_strategy, "maintain")
        self.assertEqual(lead.kam_health_band, "green")
        self.assertNotEqual(self.account.kam_health_color, 0)
        self.assertEqual(
            self.env["res.partner"].search(
                [("kam_health_band", "=", "green"), ("id", "=", self.account.id)]
            ),
            self.account,
        )

    def test_failing_account_isolated(self):
        other = self.env["res.partner"].create(
            {"name": "Other Key", "is_company": True, "is_key_account": True}
        )
        self._only("usage")
        self._set_usage(90)
        self._set_usage(20, other)
        original = KamHealthEngine._kam_health_gather

        def gather(model, partner_ids, today):
            if self.account.id in partner_ids:
                raise ValueError("corrupt account")
            return original(model, partner_ids, today)

        with (
            patch.object(KamHealthEngine, "_kam_health_gather", gather),
            mute_logger("odoo.addons.kam_management.tools.batch"),
        ):
            failed = self._run(self.account | other)
        self.assertEqual(failed, self.account.ids)
        self.assertEqual(other.kam_health_band, "red")
        self.assertFalse(self.account.kam_health_band)

    def test_cron_all_key_accounts(self):
        self._only("usage")
        self._set_usage(90)
        self._set_usage(90, self.candidate)
        self.env.ref(
            "kam_management.ir_cron_kam_compute_health"
        ).method_direct_trigger()
        self.assertEqual(self.account.kam_health_band, "green")
        self.assertFalse(self.candidate.kam_health_date, "not a key account")

    def test_button_and_rights(self):
        self._only("usage")
        self._set_usage(50)
        action = self.account.with_user(self.user_kam).action_kam_compute_health()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(self.account.kam_health_band, "yellow")
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_sales).action_kam_compute_health()


class TestHealthRegistry(TestHealthCommon):
    def test_factor_codes_are_the_registry(self):
        registry = self.Engine._kam_health_factor_registry()
        selection = self.env["kam.health.factor"]._fields["code"]
        # the built-in factors first, in their order, then those of the bridges
        self.assertEqual(
            selection.get_values(self.env)[:9],
            [
                "engagement",
                "satisfaction",
                "financial",
                "growth",
                "economics",
                "relationship",
                "usage",
                "pulse",
                "rhythm",
            ],
        )
        self.assertEqual(selection.get_values(self.env), list(registry))
        self.assertEqual(set(registry), set(self.factors))

    def test_factor_of_an_uninstalled_module_skipped(self):
        """A factor whose code no installed module defines (a bridge addon that
        was uninstalled) is left out of the score."""
        self._only("pulse")
        self.env.cr.execute(
            "INSERT INTO kam_health_factor (code, name, weight, sequence, active) "
            "VALUES ('uninstalled', '{\"en_US\": \"Gone\"}', 50, 5, TRUE)"
        )
        self.account.kam_pulse = 5
        self.assertFalse(self._run())
        self.assertAlmostEqual(self.account.kam_health_score, 100.0)
        self.assertEqual(self._line("pulse").weight, 100.0)


class TestHealthQueries(TestHealthCommon):
    def _make_accounts(self, count):
        Partner = self.env["res.partner"]
        accounts = Partner.create(
            [
                {
                    "name": f"Key {i}",
                    "is_company": True,
                    "is_key_account": True,
                    "kam_user_id": self.user_kam.id,
                    "kam_pulse": 3,
                }
                for i in range(count)
            ]
        )
        contacts = Partner.create(
            [
                {"name": f"Contact {i}", "parent_id": account.id}
                for i, account in enumerate(accounts)
            ]
        )
        self.env["kam.satisfaction.survey"].create(
            [
                {"partner_id": account.id, "kind": "nps", "score": 8}
                for account in accounts
            ]
        )
        self.env["kam.usage.reading"].create(
            [{"partner_id": account.id, "value": 70} for account in accounts]
        )
        self.env["crm.lead"].create(
            [
                {
                    "name": "Deal",
                    "partner_id": contact.id,
                    "type": "opportunity",
                    "expected_revenue": 1000,
                }
                for contact in contacts
            ]
        )
        for contact in contacts[:10]:
            contact.message_post(body="Hello", message_type="comment")
        self.env.flush_all()
        return accounts

    def _queries_per_batch(self):
        # a factor a bridge addon adds fetches its data with one query more
        built_in = {
            "engagement",
            "satisfaction",
            "financial",
            "growth",
            "relationship",
            "usage",
            "pulse",
            "rhythm",
        }
        registry = self.Engine._kam_health_factor_registry()
        return QUERIES_PER_BATCH + len(registry.keys() - built_in)

    def test_query_count_independent_of_accounts(self):
        small = self._make_accounts(5)
        large = self._make_accounts(50)
        self.Engine._kam_health_run(small.ids)  # warm the caches
        counts = []
        for accounts in (small, large):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            with self.assertQueryCount(__system__=self._queries_per_batch()):
                self.Engine._kam_health_run(accounts.ids)
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(counts[0], counts[1], "same queries for 5 and 50 accounts")
        # 25 before the economics factor, which reads its figures in one query,
        # and the run's lock
        self.assertLessEqual(counts[0], 27)
        self.assertEqual(
            set(large.mapped("kam_health_band")) - {"green", "yellow"}, set()
        )


class TestHealthRightsAndInput(TestHealthCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["kam.health.snapshot"].create(
            {"partner_id": cls.account.id, "score": 60, "band": "yellow"}
        )
        cls.env["kam.satisfaction.survey"].create(
            {"partner_id": cls.account.id, "kind": "csat", "score": 3}
        )

    @users("kam_user", "kam_other")
    def test_kam_users_read_history_and_surveys(self):
        snapshots = self.env["kam.health.snapshot"].search(
            [("partner_id", "=", self.account.id)]
        )
        self.assertEqual(snapshots.score, 60)
        surveys = self.env["kam.satisfaction.survey"].search(
            [("partner_id", "=", self.account.id)]
        )
        self.assertEqual(surveys.score, 3)
        with self.assertRaises(AccessError):
            self.env["kam.health.factor"].search([], limit=1).weight = 50
        with self.assertRaises(AccessError):
            snapshots.score = 99

    def test_account_team_records_surveys(self):
        survey = (
            self.env["kam.satisfaction.survey"]
            .with_user(self.user_kam)
            .create({"partner_id": self.account.id, "kind": "nps", "score": 7})
        )
        self.assertEqual(survey.score, 7)
        with self.assertRaises(AccessError):
            self.env["kam.usage.reading"].with_user(self.user_kam_other).create(
                {"partner_id": self.account.id, "value": 10}
            )

    @users("kam_manager")
    def test_manager_changes_weights(self):
        factor = self.env["kam.health.factor"].search([("code", "=", "usage")])
        factor.weight = 30
        self.assertEqual(factor.weight, 30)

    @users("kam_sales")
    def test_sales_cannot_read_snapshots(self):
        with self.assertRaises(AccessError):
            self.env["kam.health.snapshot"].search([])
        with self.assertRaises(AccessError):
            self.env["kam.satisfaction.survey"].search([])

    def test_bad_input(self):
        Survey = self.env["kam.satisfaction.survey"]
        with self.assertRaises(ValidationError):
            Survey.create({"partner_id": self.account.id, "kind": "nps", "score": 11})
        with self.assertRaises(ValidationError):
            Survey.create({"partner_id": self.account.id, "kind": "nps", "score": -1})
        with self.assertRaises(ValidationError):
            Survey.create({"partner_id": self.account.id, "kind": "csat", "score": 0})
        with self.assertRaises(ValidationError):
            Survey.create({"partner_id": self.account.id, "kind": "csat", "score": 6})
        Survey.create({"partner_id": self.account.id, "kind": "nps", "score": 0})
        Reading = self.env["kam.usage.reading"]
        with self.assertRaises(ValidationError):
            Reading.create({"partner_id": self.account.id, "value": 100.5})
        with self.assertRaises(ValidationError):
            Reading.create({"partner_id": self.account.id, "value": -1})
        with self.assertRaises(ValidationError):
            self.factors["usage"].weight = -1
        with self.assertRaises(ValidationError):
            self.company.write(
                {"kam_health_red_below": 70, "kam_health_green_from": 70}
            )
        with self.assertRaises(ValidationError):
            self.company.write({"kam_health_red_below": 80})
        with self.assertRaises(ValidationError):
            self.account.kam_pulse = 6
        self.assertEqual(self.company.kam_health_red_below, 40)


class TestComputeHealthMenu(KamCommon):
    """ "Compute health" is offered where there are key accounts (their list and
    form), not in the action menu of every contact."""

    def test_not_bound_to_every_contact(self):
        bindings = self.env["ir.actions.actions"].get_bindings("res.partner")
        actions = self.env["ir.actions.server"].browse(
            action["id"] for action in bindings.get("action", ())
        )
        self.assertFalse(
            actions.exists().filtered(lambda a: "compute_health" in (a.code or ""))
        )

    def test_offered_on_key_accounts(self):
        arch = self.env.ref("kam_management.res_partner_view_list_kam").arch
        self.assertIn('name="action_kam_compute_health"', arch)
        form = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]
        self.assertIn('name="action_kam_compute_health"', form["arch"])
