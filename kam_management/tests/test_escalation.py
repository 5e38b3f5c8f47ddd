from datetime import timedelta

from lxml import etree
from psycopg2 import errors as pg_errors

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from ..models import res_partner_dashboard
from ..models.kam_escalation import ESCALATION_OPEN_STATES
from .common import KamCommon

OPEN_INDEX = "kam_escalation_open_partner_reason_uniq"


@tagged("post_install", "-at_install")
class TestEscalation(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Escalation = cls.env["kam.escalation"]
        cls.company.write(
            {
                "kam_escalation_drop_points": 15,
                "kam_escalation_big_deal": 100000,
                "kam_escalation_sla_low": 120,
                "kam_escalation_sla_medium": 72,
                "kam_escalation_sla_high": 24,
                "kam_escalation_sla_critical": 4,
            }
        )
        kam_groups = "sales_team.group_sale_salesman,kam_management.group_kam_user"
        cls.user_member = new_test_user(
            cls.env, login="kam_member", name="Tea Member", groups=kam_groups
        )
        cls.user_director = new_test_user(
            cls.env, login="kam_director", name="Dora Director", groups=kam_groups
        )
        cls.user_resource = new_test_user(
            cls.env, login="kam_resource", name="Rex Resource", groups=kam_groups
        )
        cls.env["kam.team.member"].create(
            [
                {
                    "partner_id": cls.account.id,
                    "user_id": cls.user_member.id,
                    "role": "support",
                },
                {
                    "partner_id": cls.account.id,
                    "user_id": cls.user_director.id,
                    "role": "director",
                },
            ]
        )
        cls.today = fields.Date.context_today(cls.env["kam.escalation"])
        cls.activity_type = cls.env.ref(
            "kam_management.mail_activity_type_kam_escalation"
        )
        # the rule cool-down of the company (Settings, 14 days by default)
        cls.cooldown = cls.company.kam_escalation_cooldown_days

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------
    def _set_health(self, partner, score, band):
        partner.write(
            {
                "kam_health_score": score,
                "kam_health_band": band,
                "kam_health_date": self.today,
            }
        )

    def _snapshot(self, partner, days_ago, score):
        return self.env["kam.health.snapshot"].create(
            {
                "partner_id": partner.id,
                "date": self.today - timedelta(days=days_ago),
                "score": score,
                "band": "green" if score >= 70 else "yellow" if score >= 40 else "red",
            }
        )

    def _big_lead(self, partner, revenue=150000, **vals):
        return self.env["crm.lead"].create(
            {
                "name": f"Deal {partner.name} {revenue}",
                "user_id": False,
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": revenue,
                "probability": 40,
                **vals,
            }
        )

    def _open(self, partner=None, reason=None):
        domain = [
            ("partner_id", "=", (partner or self.account).id),
            ("state", "in", ("new", "in_progress")),
        ]
        if reason:
            domain.append(("reason", "=", reason))
        return self.Escalation.search(domain)

    def _age_closed(self, escalation, days=None):
        """Pretend ``escalation`` was closed ``days`` ago (by default one day more
        than the cool-down)."""
        if days is None:
            days = self.cooldown + 1
        escalation.date_closed = fields.Datetime.now() - timedelta(days=days)

    def _manual(self, **vals):
        return self.Escalation.create(
            {"partner_id": self.account.id, "reason": "critical_issue", **vals}
        )

    # ------------------------------------------------------------
    # Database guarantee
    # ------------------------------------------------------------
    def test_unique_index_exists(self):
        self.env.cr.execute(
            SQL(
                "SELECT indexdef FROM pg_indexes "
                "WHERE tablename = %s AND indexname = %s",
                "kam_escalation",
                OPEN_INDEX,
            )
        )
        rows = self.env.cr.fetchall()
        self.assertEqual(len(rows), 1, "the partial unique index must exist")
        indexdef = rows[0][0]
        self.assertIn("UNIQUE", indexdef)
        self.assertIn("(partner_id, reason)", indexdef)
        self.assertIn("in_progress", indexdef)

    def test_open_states_defined_once(self):
        states = {state for state, _label in self.Escalation._fields["state"].selection}
        self.assertEqual(
            set(ESCALATION_OPEN_STATES), states - {"resolved", "cancelled"}
        )
        # the dashboard counts open escalations with the same definition
        self.assertIs(
            res_partner_dashboard.ESCALATION_OPEN_STATES, ESCALATION_OPEN_STATES
        )

    def test_database_refuses_raw_duplicate(self):
        escalation = self._manual()
        with self.assertRaises(pg_errors.UniqueViolation), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    SQL(
                        "INSERT INTO kam_escalation (name, partner_id, company_id, "
                        "reason, severity, state, source, deadline) "
                        "VALUES ('RAW', %s, %s, %s, 'low', 'in_progress', 'manual', "
                        "now() + interval '1 day')",
                        escalation.partner_id.id,
                        escalation.company_id.id,
                        escalation.reason,
                    )
                )

    # ------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------
    def test_rule_low_health(self):
        self._set_health(self.account, 30, "red")
        self._set_health(self.candidate, 10, "red")  # not a key account
        self.Escalation._cron_kam_escalations()
        escalation = self._open(reason="low_health")
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.source, "rule")
        self.assertEqual(escalation.severity, "high")
        self.assertEqual(escalation.user_id, self.user_kam)
        self.assertEqual(escalation.health_score, 30)
        self.assertIn("30", escalation.evidence)
        self.assertRegex(escalation.name, r"^ESC/\d{4}/\d{4}$")
        self.assertFalse(
            self.Escalation.search([("partner_id", "=", self.candidate.id)])
        )

    def test_rule_low_health_not_for_yellow(self):
        self._set_health(self.account, 55, "yellow")
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._open(reason="low_health"))

    def test_rule_churn_risk(self):
        self._set_health(self.account, 60, "yellow")
        self._snapshot(self.account, 31, 80)
        self._snapshot(self.account, 10, 62)  # recent ones are not the comparison
        self.Escalation._cron_kam_escalations()
        escalation = self._open(reason="churn_risk")
        self.assertEqual(len(escalation), 1)
        self.assertIn("20", escalation.evidence)
        self.assertFalse(self._open(reason="low_health"), "yellow is not red")

    def test_rule_churn_risk_thresholds(self):
        second = self.env["res.partner"].create(
            {
                "name": "Old Snapshot Inc",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": self.user_kam.id,
            }
        )
        # a drop of 10 is below the 15 points of the settings
        self._set_health(self.account, 70, "green")
        self._snapshot(self.account, 30, 80)
        # a drop of 40, but against a snapshot 75 days old: not "about 30 days"
        self._set_health(second, 40, "yellow")
        self._snapshot(second, 75, 80)
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._open(reason="churn_risk"))
        self.assertFalse(self._open(second, reason="churn_risk"))
        # the threshold comes from the company settings
        self.company.kam_escalation_drop_points = 10
        self.Escalation._cron_kam_escalations()
        self.assertEqual(len(self._open(reason="churn_risk")), 1)

    def test_rule_big_opportunity(self):
        # on a contact of the key account: the commercial entity counts
        lead = self._big_lead(self.account_contact, 250000)
        smaller = self._big_lead(self.account, 120000)
        self._big_lead(self.account, 90000)  # below the threshold
        self._big_lead(self.candidate, 500000)  # not a key account
        won = self._big_lead(self.account, 900000)
        won.action_set_won()
        self.Escalation._cron_kam_escalations()
        escalation = self._open(reason="big_opportunity")
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.lead_id, lead, "the biggest open opportunity")
        self.assertEqual(escalation.severity, "medium")
        self.assertIn(lead.name, escalation.evidence)
        self.assertIn(smaller.name, escalation.evidence)
        self.assertNotIn(won.name, escalation.evidence)
        self.assertFalse(
            self.Escalation.search([("partner_id", "=", self.candidate.id)])
        )

    def test_rule_dedup_on_reruns(self):
        self._set_health(self.account, 30, "red")
        self._big_lead(self.account)
        self.Escalation._cron_kam_escalations()
        escalations = self._open()
        self.assertEqual(len(escalations), 2)
        low = escalations.filtered(lambda e: e.reason == "low_health")
        messages = len(low.message_ids)
        self.Escalation._cron_kam_escalations()
        self.Escalation._cron_kam_escalations()
        self.assertEqual(self._open(), escalations, "re-runs open nothing new")
        self.assertEqual(len(low.message_ids), messages, "same evidence, no new post")
        # new evidence updates the open escalation and is posted once
        self._set_health(self.account, 22, "red")
        self.Escalation._cron_kam_escalations()
        self.Escalation._cron_kam_escalations()
        self.assertEqual(self._open(), escalations)
        self.assertIn("22", low.evidence)
        self.assertEqual(len(low.message_ids), messages + 1)
        self.assertIn("22", low.message_ids[0].body)

    def test_rule_dedup_under_concurrent_insert(self):
        """Another run opened the escalation between our lookup and our insert: the
        unique index refuses the insert and the open escalation gets the evidence."""
        concurrent = self.Escalation.create(
            {
                "partner_id": self.account.id,
                "reason": "low_health",
                "source": "rule",
                "evidence": "From the other run.",
            }
        )
        with mute_logger("odoo.sql_db"):
            result = self.Escalation._kam_open_escalation(
                {
                    "partner_id": self.account.id,
                    "reason": "low_health",
                    "severity": "high",
                    "source": "rule",
                    "user_id": self.user_kam.id,
                    "company_id": self.company.id,
                    "evidence": "Health score 12 is in the red band.",
                }
            )
        self.assertEqual(result, concurrent)
        self.assertEqual(self._open(reason="low_health"), concurrent)
        self.assertEqual(concurrent.evidence, "Health score 12 is in the red band.")
        self.assertIn("Health score 12", concurrent.message_ids[0].body)
        # the transaction is still usable and the rule still finds the open one
        self._set_health(self.account, 12, "red")
        self.Escalation._cron_kam_escalations()
        self.assertEqual(self._open(reason="low_health"), concurrent)

    def test_resolved_frees_the_slot(self):
        self._set_health(self.account, 30, "red")
        self.Escalation._cron_kam_escalations()
        first = self._open(reason="low_health")
        with self.assertRaises(UserError):
            first.action_resolve()
        self.assertEqual(first.state, "new")
        first.resolution = "<p>Executive meeting held, plan agreed.</p>"
        first.action_resolve()
        self.assertEqual(first.state, "resolved")
        self.assertTrue(first.date_resolved)
        self.assertFalse(first.activity_ids, "the owner's activity is done")
        self.assertTrue(first.date_closed)
        # still red, but the user closed it: the next runs do not reopen it
        self.Escalation._cron_kam_escalations()
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._open(reason="low_health"))
        # after the cool-down the rule opens a new one
        self._age_closed(first)
        self.Escalation._cron_kam_escalations()
        second = self._open(reason="low_health")
        self.assertEqual(len(second), 1)
        self.assertNotEqual(second, first)
        # cancelled cools down too
        second.action_cancel()
        self.assertTrue(second.date_closed)
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._open(reason="low_health"))
        self._age_closed(second)
        self.Escalation._cron_kam_escalations()
        self.assertEqual(len(self._open(reason="low_health")), 1)
        # a closed escalation cannot be reopened while another one is open
        with self.assertRaises(ValidationError):
            first.action_reset_to_new()

    def test_closed_cool_down_per_account_and_reason(self):
        second = self.env["res.partner"].create(
            {
                "name": "Second Red Inc",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": self.user_kam.id,
            }
        )
        self._set_health(self.account, 60, "yellow")
        self._snapshot(self.account, 31, 80)
        self._set_health(second, 30, "red")
        self.Escalation._cron_kam_escalations()
        churn = self._open(reason="churn_risk")
        churn.action_cancel()
        self._open(second, reason="low_health").action_cancel()
        # the account falls into the red: low health is another reason, it opens
        self._set_health(self.account, 30, "red")
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._open(reason="churn_risk"), "churn risk cools down")
        self.assertFalse(self._open(second, reason="low_health"))
        self.assertEqual(len(self._open(reason="low_health")), 1)
        # a manual escalation may still be opened during the cool-down
        manual = self._manual(reason="churn_risk")
        self.assertEqual(manual.state, "new")
        # just before the end of the cool-down it still holds
        self._age_closed(churn, days=self.cooldown - 1)
        manual.action_cancel()
        self._age_closed(manual, days=self.cooldown - 1)
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._open(reason="churn_risk"))

    def test_cool_down_ends_after_the_company_setting(self):
        """Closed exactly the cool-down ago: the rule opens again; a day less: not."""
        self._set_health(self.account, 30, "red")
        self.Escalation._cron_kam_escalations()
        first = self._open(reason="low_health")
        first.action_cancel()
        self._age_closed(first, days=self.cooldown - 1)
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._open(reason="low_health"))
        self._age_closed(first, days=self.cooldown)
        self.Escalation._cron_kam_escalations()
        self.assertEqual(len(self._open(reason="low_health")), 1)

    def test_cool_down_setting_per_company(self):
        other_company = self.env["res.company"].create({"name": "No Cool-down Co"})
        other_company.kam_escalation_cooldown_days = 0
        foreign = self.env["res.partner"].create(
            {
                "name": "Foreign Red Inc",
                "is_company": True,
                "is_key_account": True,
                "company_id": other_company.id,
            }
        )
        self._set_health(self.account, 30, "red")
        self._set_health(foreign, 30, "red")
        self.Escalation._cron_kam_escalations()
        self._open(reason="low_health").action_cancel()
        self._open(foreign, reason="low_health").action_cancel()
        # 0 days: no cool-down, the rule opens again at once
        self.Escalation._cron_kam_escalations()
        self.assertEqual(len(self._open(foreign, reason="low_health")), 1)
        self.assertFalse(self._open(reason="low_health"), "14 days here")
        # a shorter cool-down in the settings
        self.company.kam_escalation_cooldown_days = 3
        self._age_closed(
            self.Escalation.search([("partner_id", "=", self.account.id)]), days=3
        )
        self.Escalation._cron_kam_escalations()
        self.assertEqual(len(self._open(reason="low_health")), 1)

    def test_closed_big_opportunity_not_reopened_for_the_same_lead(self):
        lead = self._big_lead(self.account, 250000)
        self.Escalation._cron_kam_escalations()
        first = self._open(reason="big_opportunity")
        self.assertEqual(first.lead_id, lead)
        first.action_cancel()
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._open(reason="big_opportunity"))
        # not even after the cool-down of the other rules
        self._age_closed(first, days=self.cooldown * 3)
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._open(reason="big_opportunity"))
        # another opportunity qualifies: a new escalation, about that one only
        other = self._big_lead(self.account, 120000)
        self.Escalation._cron_kam_escalations()
        second = self._open(reason="big_opportunity")
        self.assertEqual(len(second), 1)
        self.assertEqual(second.lead_id, other)
        self.assertIn(other.name, second.evidence)
        self.assertNotIn(lead.name, second.evidence)

    def test_state_written_directly(self):
        """Kanban drag and drop writes the state: the same rules apply."""
        escalation = self._manual()
        self.assertEqual(len(escalation.activity_ids), 1)
        escalation.write({"state": "in_progress"})
        escalation.write({"state": "resolved", "resolution": "<p>Fixed.</p>"})
        self.assertTrue(escalation.date_resolved)
        self.assertFalse(escalation.activity_ids)
        other = self._manual()
        other.write({"state": "cancelled"})
        self.assertFalse(other.activity_ids)
        self.assertFalse(other.date_resolved)
        escalation.write({"state": "new"})
        self.assertFalse(escalation.date_resolved)
        with self.assertRaises(ValidationError):
            other.write({"state": "new"})

    # ------------------------------------------------------------
    # Opening
    # ------------------------------------------------------------
    def test_opening_followers_activity_evidence(self):
        escalation = self.Escalation.with_user(self.user_kam).create(
            {
                "partner_id": self.account.id,
                "reason": "critical_issue",
                "severity": "critical",
                "resource_user_ids": [(4, self.user_resource.id)],
                "evidence": "Production line stopped at the customer.",
            }
        )
        self.assertEqual(escalation.user_id, self.user_kam, "owner defaults to the KAM")
        self.assertEqual(escalation.source, "manual")
        followers = escalation.message_partner_ids
        for user in (
            self.user_kam,
            self.user_member,
            self.user_director,
            self.user_resource,
        ):
            self.assertIn(user.partner_id, followers)
        self.assertNotIn(self.user_kam_other.partner_id, followers)
        activity = escalation.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.activity_type_id, self.activity_type)
        self.assertEqual(activity.user_id, self.user_kam)
        self.assertEqual(
            activity.date_deadline,
            fields.Date.context_today(escalation, escalation.deadline),
        )
        bodies = escalation.message_ids.mapped("body")
        self.assertTrue(any("Production line stopped" in body for body in bodies))

    def test_deadline_follows_sla_settings(self):
        self.company.kam_escalation_sla_critical = 2
        before = fields.Datetime.now()
        escalation = self._manual(severity="critical")
        self.assertAlmostEqual(
            escalation.deadline, before + timedelta(hours=2), delta=timedelta(minutes=1)
        )
        low = self.Escalation.create(
            {"partner_id": self.account.id, "reason": "other", "severity": "low"}
        )
        self.assertAlmostEqual(
            low.deadline, before + timedelta(hours=120), delta=timedelta(minutes=1)
        )
        self.assertFalse(low.is_overdue)

    # ------------------------------------------------------------
    # Overdue
    # ------------------------------------------------------------
    def test_overdue_climbs_to_the_director(self):
        escalation = self._manual(severity="medium")
        escalation.deadline = fields.Datetime.now() - timedelta(hours=1)
        self.assertTrue(escalation.is_overdue)
        self.assertIn(escalation, self.Escalation.search([("is_overdue", "=", True)]))
        self.Escalation._cron_kam_escalations()
        self.assertEqual(escalation.severity, "high")
        self.assertEqual(escalation.raise_count, 1)
        self.assertFalse(escalation.is_overdue)
        self.assertAlmostEqual(
            escalation.deadline,
            fields.Datetime.now() + timedelta(hours=24),
            delta=timedelta(minutes=1),
        )
        director_activity = escalation.activity_ids.filtered(
            lambda a: a.user_id == self.user_director
        )
        self.assertEqual(len(director_activity), 1)
        message = escalation.message_ids.filtered(
            lambda m: self.user_director.partner_id in m.partner_ids
        )
        self.assertEqual(len(message), 1, "the director is notified once")
        self.assertIn("Dora Director", message.body)
        self.assertIn("past its deadline", message.body)
        self.assertIn(self.user_director.partner_id, escalation.message_partner_ids)
        # raised once per deadline: the next runs leave it alone
        self.Escalation._cron_kam_escalations()
        self.assertEqual(escalation.severity, "high")
        self.assertEqual(escalation.raise_count, 1)
        # past the new deadline it climbs again, and critical stays critical
        escalation.deadline = fields.Datetime.now() - timedelta(minutes=5)
        self.Escalation._cron_kam_escalations()
        self.assertEqual(escalation.severity, "critical")
        escalation.deadline = fields.Datetime.now() - timedelta(minutes=5)
        self.Escalation._cron_kam_escalations()
        self.assertEqual(escalation.severity, "critical")
        self.assertEqual(escalation.raise_count, 3)

    def test_overdue_of_a_demoted_account_does_not_climb(self):
        escalation = self._manual(severity="medium")
        escalation.deadline = fields.Datetime.now() - timedelta(hours=1)
        still_key = self.env["res.partner"].create(
            {"name": "Still Key Inc", "is_company": True, "is_key_account": True}
        )
        kept = self._manual(partner_id=still_key.id, severity="medium")
        kept.deadline = fields.Datetime.now() - timedelta(hours=1)
        self.account.write({"is_key_account": False})
        self.Escalation._cron_kam_escalations()
        self.assertEqual(escalation.severity, "medium")
        self.assertEqual(escalation.raise_count, 0)
        self.assertFalse(
            escalation.activity_ids.filtered(lambda a: a.user_id == self.user_director),
            "the director of a former key account is not brought in",
        )
        self.assertEqual(kept.severity, "high", "key accounts still climb")

    def test_overdue_without_director_goes_to_kam_administrator(self):
        self.account.kam_team_member_ids.filtered(
            lambda m: m.role == "director"
        ).unlink()
        escalation = self._manual(severity="low")
        escalation.deadline = fields.Datetime.now() - timedelta(hours=1)
        resolved = self._manual(reason="other", severity="low")
        resolved.write({"resolution": "<p>Done.</p>", "state": "resolved"})
        resolved.deadline = fields.Datetime.now() - timedelta(hours=1)
        self.Escalation._cron_kam_escalations()
        self.assertEqual(escalation.severity, "medium")
        self.assertEqual(resolved.severity, "low", "closed escalations do not climb")
        fallback = self.Escalation._kam_fallback_users(self.company)[self.company]
        self.assertTrue(fallback.has_group("kam_management.group_kam_manager"))
        self.assertIn(fallback, escalation.activity_ids.user_id)

    # ------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------
    def test_bad_input(self):
        with self.assertRaises(ValidationError):
            self._manual(deadline=fields.Datetime.now() - timedelta(hours=2))
        # an unknown selection value is a clear ValidationError (was a bare ValueError)
        with self.assertRaises(ValidationError):
            self._manual(reason="bad_mood")
        with self.assertRaises(ValidationError):
            self.Escalation.create({"partner_id": self.candidate.id, "reason": "other"})
        escalation = self._manual()
        with self.assertRaises(ValidationError):
            self._manual()
        with self.assertRaises(ValidationError):
            escalation.write({"state": "resolved"})
        with self.assertRaises(ValidationError):
            self.company.kam_escalation_sla_high = 0
        self.assertEqual(len(self._open()), 1)

    # ------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------
    def _escalation_and_its_editors(self):
        """A manual escalation with its own owner and a resource, and every user
        who may change it: owner, resource, team member, KAM and manager."""
        user_owner = new_test_user(
            self.env,
            login="kam_owner",
            name="Owen Owner",
            groups="sales_team.group_sale_salesman,kam_management.group_kam_user",
        )
        escalation = self._manual(
            user_id=user_owner.id, resource_user_ids=[(4, self.user_resource.id)]
        )
        editors = (
            user_owner
            | self.user_resource
            | self.user_member
            | self.user_kam
            | self.user_kam_manager
        )
        return escalation, editors

    def test_rights(self):
        escalation, editors = self._escalation_and_its_editors()
        for user in editors:
            escalation.with_user(user).write({"action_plan": f"<p>{user.name}</p>"})
            self.assertIn(user.name, escalation.action_plan)
        # every KAM user reads, outsiders do not change
        outsider = escalation.with_user(self.user_kam_other)
        self.assertEqual(outsider.name, escalation.name)
        with self.assertRaises(AccessError):
            outsider.write({"action_plan": "<p>Not mine</p>"})
        with self.assertRaises(AccessError):
            outsider.action_start()
        with self.assertRaises(AccessError):
            self.Escalation.with_user(self.user_kam_other).create(
                {
                    "partner_id": self.account.id,
                    "reason": "other",
                    "user_id": self.user_kam.id,
                }
            )
        # sales users without the KAM group see nothing
        with self.assertRaises(AccessError):
            escalation.with_user(self.user_sales).read(["name"])
        # only managers delete
        with self.assertRaises(AccessError):
            escalation.with_user(self.user_kam).unlink()
        escalation.with_user(self.user_kam_manager).unlink()
        self.assertFalse(escalation.exists())

    def test_can_edit_follows_the_write_rule(self):
        escalation, editors = self._escalation_and_its_editors()
        for user in editors:
            self.assertTrue(escalation.with_user(user).kam_can_edit, user.name)
        outsider = escalation.with_user(self.user_kam_other)
        self.assertFalse(outsider.kam_can_edit)
        new_form = self.Escalation.with_user(self.user_kam).onchange(
            {}, [], {"kam_can_edit": {}}
        )
        self.assertIs(new_form["value"]["kam_can_edit"], True)
        with self.assertRaises(AccessError):
            outsider.action_start()
        # the form renders for the outsider, without the buttons it would fail on
        views = self.Escalation.with_user(self.user_kam_other).get_views(
            [(False, "form")]
        )
        arch = etree.fromstring(views["views"]["form"]["arch"])
        buttons = arch.xpath("//header/button")
        self.assertEqual(len(buttons), 5)
        for button in buttons:
            self.assertIn(
                "not kam_can_edit", button.get("invisible"), button.get("name")
            )
        for name in ("severity", "user_id", "action_plan", "resolution"):
            (field,) = arch.xpath(f"//sheet//field[@name='{name}']")
            self.assertIn("not kam_can_edit", field.get("readonly"), name)

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Other KAM Co"})
        foreign = self.env["res.partner"].create(
            {
                "name": "Foreign Key Account",
                "is_company": True,
                "is_key_account": True,
                "company_id": other_company.id,
            }
        )
        escalation = self.Escalation.with_company(other_company).create(
            {"partner_id": foreign.id, "reason": "other"}
        )
        self.assertEqual(escalation.company_id, other_company)
        self.assertFalse(
            self.Escalation.with_user(self.user_kam).search(
                [("id", "=", escalation.id)]
            )
        )
        self.assertTrue(
            self.Escalation.with_user(self.user_kam).search(
                [("id", "=", self._manual().id)]
            )
        )

    # ------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------
    def test_escalate_buttons(self):
        lead = self._big_lead(self.account_contact, 200000)
        action = lead.with_user(self.user_kam).action_kam_escalate()
        self.assertEqual(action["res_model"], "kam.escalation")
        # in a dialog that creates it on its button only (test_ui_forms.py)
        self.assertEqual(action["target"], "new")
        context = action["context"]
        self.assertEqual(context["default_partner_id"], self.account.id)
        self.assertEqual(context["default_lead_id"], lead.id)
        self.assertEqual(context["default_reason"], "big_opportunity")
        escalation = (
            self.Escalation.with_user(self.user_kam).with_context(**context).create({})
        )
        self.assertEqual(escalation.lead_id, lead)
        self.assertEqual(escalation.reason, "big_opportunity")
        self.assertEqual(escalation.source, "manual")
        # a second press on a big opportunity opens the open escalation
        action = lead.with_user(self.user_kam).action_kam_escalate()
        self.assertEqual(action["res_id"], escalation.id)
        partner = self.account.with_user(self.user_kam)
        self.assertEqual(partner.kam_escalation_open_count, 1)
        action = partner.action_kam_escalate()
        self.assertEqual(action["context"]["default_partner_id"], self.account.id)
        action = partner.action_kam_view_escalations()
        self.assertEqual(self.Escalation.search(action["domain"]), escalation)
        # the button on the opportunity is for KAM users only
        for user, visible in ((self.user_kam, True), (self.user_sales, False)):
            arch = (
                self.env["crm.lead"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            self.assertEqual('name="action_kam_escalate"' in arch, visible)

    # ------------------------------------------------------------
    # Performance
    # ------------------------------------------------------------
    def _accounts(self, count, start=0):
        partners = self.env["res.partner"].create(
            [
                {
                    "name": f"Perf Account {start + index}",
                    "is_company": True,
                    "is_key_account": True,
                    "kam_user_id": self.user_kam.id,
                }
                for index in range(count)
            ]
        )
        for partner in partners:
            self._set_health(partner, 30, "red")
            self._snapshot(partner, 31, 80)
            self._big_lead(partner)
        return partners

    def _cron_queries(self):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        self.Escalation._cron_kam_escalations()
        self.env.flush_all()
        return self.env.cr.sql_log_count - start

    def test_cron_constant_queries(self):
        accounts = self._accounts(5)
        self.Escalation._cron_kam_escalations()
        self.assertEqual(
            self.Escalation.search_count([("partner_id", "in", accounts.ids)]), 15
        )
        queries_5 = self._cron_queries()
        accounts |= self._accounts(15, start=5)
        self.Escalation._cron_kam_escalations()
        self.assertEqual(
            self.Escalation.search_count([("partner_id", "in", accounts.ids)]), 60
        )
        queries_20 = self._cron_queries()
        self.assertEqual(queries_5, queries_20)
        self.assertLess(queries_20, 40)

    def test_cron_opening_query_count(self):
        """Opening escalations costs the batch's constant part (with the
        buying rhythm of the accounts, one query) plus about 16 queries each
        (measured: 718 for 45 more), nearly all of them mail's own:
        the owner's activity notification and its email (sent at once in tests);
        activity_schedule once per owner and day (the activity type's summary,
        in the owner's language). Messages and the escalations themselves are
        inserted together, the followers once per follower; the reference is the
        sequence's next_by_code (a lookup and a number each); the playbooks of
        the reasons are looked for once (none active here); the batch takes
        the run's advisory lock (one query: two runs at once take turns)."""
        accounts = self._accounts(5)
        self.env.invalidate_all()
        with self.assertQueryCount(400):
            self.Escalation._cron_kam_escalations()
        self.assertEqual(
            self.Escalation.search_count([("partner_id", "in", accounts.ids)]), 15
        )
        accounts |= self._accounts(15, start=5)
        self.env.invalidate_all()
        with self.assertQueryCount(720):
            self.Escalation._cron_kam_escalations()
        self.assertEqual(
            self.Escalation.search_count([("partner_id", "in", accounts.ids)]), 60
        )
