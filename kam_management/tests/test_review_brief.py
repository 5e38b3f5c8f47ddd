import base64
import shutil
import unittest
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import KamCommon

REPORT = "kam_management.action_report_review_brief"


@tagged("post_install", "-at_install")
class TestReviewBrief(KamCommon):
    """The brief of a review (DESIGN §15): what changed on the account since its
    previous review, built as a dict, printed, and emailed once to the review's
    participants, each in their language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_load_spanish()
        cls.today = cls.company._kam_today()
        cls.user_member = new_test_user(
            cls.env,
            login="kam_member_es",
            name="Marta Miembro",
            groups="sales_team.group_sale_salesman,kam_management.group_kam_user",
            lang="es_ES",
        )
        cls.env["kam.team.member"].create(
            {
                "partner_id": cls.account.id,
                "user_id": cls.user_member.id,
                "role": "support",
            }
        )
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "name": "Acme Growth",
                "partner_id": cls.account.id,
                "date_start": cls.today - timedelta(days=200),
                "date_end": cls.today + timedelta(days=165),
                "objective_ids": [
                    Command.create(
                        {"name": "Second plant", "target_value": 10, "current_value": 2}
                    )
                ],
            }
        )
        cls.plan.action_activate()
        cls.since = cls.today - timedelta(days=60)
        cls.previous = cls._review(cls.plan, cls.since)
        cls.previous.checklist_ids[:1].done = True
        cls.previous.action_done()
        cls.review = cls._review(cls.plan, cls.today + timedelta(days=5))

    @classmethod
    def _review(cls, plan, day):
        return cls.env["kam.account.review"].create({"plan_id": plan.id, "date": day})

    def _company_b(self):
        """Company B and ``user_b``, a KAM user who works in it only: the shared
        ``account`` (no company) is a key account of both companies."""
        company_b = self.env["res.company"].create({"name": "KAM Europe"})
        user_b = new_test_user(
            self.env,
            login="kam_brief_b",
            name="Bea Europe",
            groups="sales_team.group_sale_salesman,kam_management.group_kam_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        return company_b, user_b

    def _backdate(self, records, column, day):
        """Set ``column`` of ``records`` to ``day`` (noon), as if they were made
        then: the history of the account."""
        records.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET %s = %s WHERE id = ANY(%s)",
                SQL.identifier(records._table),
                SQL.identifier(column),
                fields.Datetime.to_datetime(day) + timedelta(hours=12),
                records.ids,
            )
        )
        records.invalidate_recordset([column])

    def _snapshot(self, day, score, engagement):
        factors = {
            "engagement": engagement,
            "satisfaction": 60.0,
        }
        return self.env["kam.health.snapshot"].create(
            {
                "partner_id": self.account.id,
                "date": day,
                "score": score,
                "band": "yellow",
                "line_ids": [
                    Command.create(
                        {
                            "factor_id": self.env.ref(
                                f"kam_management.kam_health_factor_{code}"
                            ).id,
                            "score": value,
                            "weight": 50.0,
                            "has_data": True,
                        }
                    )
                    for code, value in factors.items()
                ],
            }
        )

    def _stakeholder(self, name, **values):
        contact = self.env["res.partner"].create(
            {"name": name, "parent_id": self.account.id}
        )
        return self.env["kam.stakeholder"].create(
            {"partner_id": self.account.id, "contact_id": contact.id, **values}
        )

    def _opportunity(self, name, amount):
        return self.env["crm.lead"].create(
            {
                "name": name,
                "type": "opportunity",
                "partner_id": self.account.id,
                "expected_revenue": amount,
            }
        )

    def _history(self):
        """What happened on the account since the previous review."""
        self._snapshot(self.since, 50.0, 40.0)
        self._snapshot(self.today - timedelta(days=1), 70.0, 80.0)
        Escalation = self.env["kam.escalation"]
        Escalation.create({"partner_id": self.account.id, "reason": "critical_issue"})
        closed = Escalation.create(
            {"partner_id": self.account.id, "reason": "churn_risk"}
        )
        self._backdate(closed, "create_date", self.today - timedelta(days=100))
        closed.resolution = "<p>Called the buyer</p>"
        closed.action_resolve()
        old = self._stakeholder("Olivia Old", attitude="neutral")
        leaving = self._stakeholder("Leo Leaving", role="decision_maker")
        self._backdate(old | leaving, "create_date", self.today - timedelta(days=100))
        self._stakeholder("Nina New", role="champion", attitude="supporter")
        # mail tracks the records created in an earlier transaction only
        self.env.cr.precommit.run()
        # changed by a Spanish user: tracked with the Spanish label
        old.with_context(lang="es_ES").attitude = "skeptic"
        old.with_context(lang="es_ES").attitude = "supporter"
        leaving.departed = True
        self.plan.objective_ids.current_value = 6
        won, lost, earlier = (
            self._opportunity("Big order", 5000.0),
            self._opportunity("Lost deal", 3000.0),
            self._opportunity("Old win", 1000.0),
        )
        (won | earlier).action_set_won()
        lost.action_set_lost()
        self._backdate(earlier, "date_closed", self.today - timedelta(days=100))
        self.env.cr.precommit.run()  # tracking values are written before commit

    # ------------------------------------------------------------
    # Content
    # ------------------------------------------------------------
    def test_brief_of_a_constructed_history(self):
        self._history()
        brief = self.review.with_user(self.user_kam)._kam_review_brief()
        self.assertEqual(brief["previous_review_id"], self.previous.id)
        self.assertEqual(brief["date_from"], self.since)
        self.assertEqual(brief["date_to"], self.today)

        health = brief["health"]
        self.assertEqual(health["before"]["score"], 50.0)
        self.assertEqual(health["after"]["score"], 70.0)
        self.assertEqual(health["delta"], 20.0)
        # engagement moved 40 points of its score, half of the weight: 20 points;
        # satisfaction did not move
        self.assertEqual(
            [(f["code"], f["points"]) for f in health["factors"]],
            [("engagement", 20.0)],
        )

        economics = brief["economics"]
        self.assertEqual(economics["before"]["revenue"], 1000.0)
        self.assertEqual(economics["after"]["revenue"], 6000.0)
        self.assertEqual(economics["revenue_delta"], 5000.0)
        # won opportunities have no cost
        self.assertIsNone(economics["after"]["margin"])

        escalations = brief["escalations"]
        self.assertEqual(
            [e["reason"] for e in escalations["opened"]], ["Critical Issue"]
        )
        self.assertEqual(
            [(e["reason"], e["state"]) for e in escalations["closed"]],
            [("Churn Risk", "Resolved")],
        )

        stakeholders = brief["stakeholders"]
        self.assertEqual([s["name"] for s in stakeholders["joined"]], ["Nina New"])
        self.assertEqual([s["name"] for s in stakeholders["left"]], ["Leo Leaving"])
        # from the first value of the period to the last, read in English
        self.assertEqual(
            [(s["name"], s["before"], s["after"]) for s in stakeholders["attitude"]],
            [("Olivia Old", "Neutral", "Supporter")],
        )

        [objective] = brief["objectives"]
        self.assertEqual(
            (objective["before"], objective["progress"], objective["delta"]),
            (20.0, 60.0, 40.0),
        )
        opportunities = brief["opportunities"]
        self.assertEqual([o["name"] for o in opportunities["won"]], ["Big order"])
        self.assertEqual([o["name"] for o in opportunities["lost"]], ["Lost deal"])

    def test_margin_where_a_cost_is_known(self):
        """The margin is the economics' (a bridge knows the cost of the lines)."""
        Economics = self.registry["kam.account.economics"]
        figures = {
            "revenue": 1000.0,
            "has_margin": True,
            "margin": 250.0,
            "margin_percent": 25.0,
        }
        with patch.object(
            Economics,
            "_kam_economics",
            lambda self, partner_ids, today: {partner_ids[0]: figures},
        ):
            brief = self.review.with_user(self.user_kam)._kam_review_brief()
            html = self._html(self.user_kam)
        self.assertEqual(
            brief["economics"]["after"],
            {"revenue": 1000.0, "margin": 250.0, "margin_percent": 25.0},
        )
        self.assertIn("25.0 %", html)
        self.assertNotIn("no cost known", html)

    def test_brief_reads_few_queries(self):
        self._history()
        self.env.invalidate_all()
        review = self.review.with_user(self.user_kam)
        before = self.env.cr.sql_log_count
        review._kam_review_brief()
        # measured: 43 from a cold cache, the access checks of the user included,
        # whatever the number of events (none is read per record)
        self.assertLessEqual(self.env.cr.sql_log_count - before, 45)

    def test_first_review_looks_back_90_days(self):
        plan = self.env["kam.account.plan"].create(
            {"name": "Other plan", "partner_id": self._kam_other_account().id}
        )
        review = self._review(plan, self.today)
        brief = review.with_user(self.user_kam)._kam_review_brief()
        self.assertFalse(brief["previous_review_id"])
        self.assertEqual(brief["date_from"], self.today - timedelta(days=90))
        self.assertEqual(brief["objectives"], [])

    def test_previous_review_of_the_company_only(self):
        """On a shared account, the brief of company B's plan starts at B's
        last review, not at company A's later one, and takes its objectives'
        baseline from B's."""
        self.assertFalse(self.account.company_id, "a shared account")
        company_b, user_b = self._company_b()
        plan_b = self.env["kam.account.plan"].create(
            {
                "name": "Acme Europe",
                "partner_id": self.account.id,
                "company_id": company_b.id,
                "user_id": user_b.id,
                "objective_ids": [
                    Command.create(
                        {"name": "EU plant", "target_value": 10, "current_value": 1}
                    )
                ],
            }
        )
        # B's review held before A's (at self.since)
        previous_b = self._review(plan_b, self.since - timedelta(days=10))
        previous_b.checklist_ids[:1].done = True
        previous_b.action_done()
        plan_b.objective_ids.current_value = 5
        review_b = self._review(plan_b, self.today)
        brief = review_b.with_user(user_b)._kam_review_brief()
        self.assertEqual(brief["previous_review_id"], previous_b.id)
        self.assertEqual(brief["date_from"], previous_b.date)
        [objective] = brief["objectives"]
        self.assertEqual((objective["before"], objective["delta"]), (10.0, 40.0))
        # and company A's brief keeps A's own previous review
        brief = self.review.with_user(self.user_kam)._kam_review_brief()
        self.assertEqual(brief["previous_review_id"], self.previous.id)

    def test_empty_period(self):
        brief = self.review.with_user(self.user_kam)._kam_review_brief()
        self.assertEqual(
            brief["health"],
            {"before": None, "after": None, "delta": None, "factors": []},
        )
        self.assertEqual(brief["economics"]["after"]["revenue"], 0.0)
        self.assertIsNone(brief["economics"]["after"]["margin"])
        for section in ("stakeholders", "escalations", "opportunities"):
            self.assertFalse(any(brief[section].values()), section)
        html = self._html(self.user_kam)
        self.assertIn("No escalation opened or closed in the period.", html)
        self.assertIn("no cost known", html)

    # ------------------------------------------------------------
    # Printing and language
    # ------------------------------------------------------------
    def _html(self, user, lang="en_US"):
        html, __ = (
            self.env["ir.actions.report"]
            .with_user(user)
            .with_context(lang=lang)
            ._render_qweb_html(REPORT, self.review.ids)
        )
        return html.decode()

    def test_brief_in_the_readers_language(self):
        self._history()
        english, spanish = (
            self._html(self.user_kam),
            self._html(self.user_member, "es_ES"),
        )
        self.assertIn("What moved the score", english)
        self.assertIn("Neutral → Supporter", english)
        self.assertNotIn("What moved the score", spanish)
        self.assertIn("Objetivos", spanish)
        self.assertIn(self.today.strftime("%d/%m/%Y"), spanish)

    @unittest.skipUnless(shutil.which("wkhtmltopdf"), "wkhtmltopdf is not installed")
    def test_brief_prints_as_pdf(self):
        self._history()
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_kam)
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, self.review.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"))

    def test_salesman_cannot_print_the_brief(self):
        with self.assertRaises(AccessError):
            self._html(self.user_sales)
        with self.assertRaises(AccessError):
            self.review.with_user(self.user_sales)._kam_review_brief()

    # ------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------
    def _brief_mails(self, review=None):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "kam.account.review"),
                ("res_id", "=", (review or self.review).id),
            ]
        )

    def test_participants_default_to_owner_and_team(self):
        self.assertEqual(
            self.review.participant_ids,
            self.user_kam.partner_id | self.user_member.partner_id,
        )

    def test_sent_only_to_those_who_may_read_it(self):
        """The team's plain employee (no KAM group: the printed brief refuses
        him) and, on the shared account, a KAM user of company B only are
        neither invited by default to company A's review nor emailed its brief
        when invited by hand: they stay invited, unbriefed."""
        __, user_b = self._company_b()
        self.env["kam.team.member"].create(
            [
                {
                    "partner_id": self.account.id,
                    "user_id": self.user_sales.id,
                    "role": "support",
                },
                {"partner_id": self.account.id, "user_id": user_b.id, "role": "sales"},
            ]
        )
        briefed = self.user_kam.partner_id | self.user_member.partner_id
        review = (
            self.env["kam.account.review"]
            .with_user(self.user_kam)
            .create({"plan_id": self.plan.id, "date": self.today + timedelta(days=3)})
        )
        self.assertEqual(review.participant_ids, briefed)
        unbriefed = self.user_sales.partner_id | user_b.partner_id
        review.participant_ids = [Command.link(p.id) for p in unbriefed]
        self.env["kam.account.plan"]._cron_remind_reviews()
        mails = self._brief_mails(review)
        self.assertEqual(mails.recipient_ids, briefed)
        self.assertEqual(review.participant_ids, briefed | unbriefed)
        self.assertTrue(review.brief_sent_date)

    def test_sent_once_to_each_participant_in_their_language(self):
        # the customer's buyer is invited, the internal brief is not for her
        self.review.with_user(self.user_kam).participant_ids = [
            Command.link(self.account_contact.id)
        ]
        self.assertFalse(self.previous.brief_sent_date, "a review held gets none")
        Plan = self.env["kam.account.plan"]
        Plan._cron_remind_reviews()
        mails = self._brief_mails()
        self.assertEqual(len(mails), 2)
        self.assertTrue(self.review.brief_sent_date)
        by_recipient = {mail.recipient_ids: mail for mail in mails}
        english = by_recipient[self.user_kam.partner_id]
        spanish = by_recipient[self.user_member.partner_id]
        self.assertIn("Review brief", english.subject)
        self.assertIn("Attached is its brief", english.body_html)
        self.assertNotIn("Attached is its brief", spanish.body_html)
        # the brief attached, printed in the recipient's language (HTML in tests)
        english_brief = base64.b64decode(english.attachment_ids.datas).decode()
        spanish_brief = base64.b64decode(spanish.attachment_ids.datas).decode()
        self.assertIn("Revenue and Margin", english_brief)
        self.assertNotIn("Revenue and Margin", spanish_brief)
        self.assertIn("Objetivos", spanish_brief)
        # re-running sends nothing more; a review already sent is skipped even
        # when given again (another run sent it)
        Plan._cron_remind_reviews()
        self.review.sudo()._kam_send_briefs()
        self.assertEqual(self._brief_mails(), mails)

    def test_not_sent_outside_the_reminder_window(self):
        self.company.kam_review_reminder_days = 4
        self.env["kam.account.plan"]._cron_remind_reviews()
        self.assertFalse(self._brief_mails())
        self.assertFalse(self.review.brief_sent_date)
        self.company.kam_review_reminder_days = 5
        self.env["kam.account.plan"]._cron_remind_reviews()
        self.assertTrue(self._brief_mails())

    def test_sent_date_not_written_by_hand(self):
        with self.assertRaises(AccessError):
            self.review.with_user(self.user_kam).brief_sent_date = fields.Datetime.now()
