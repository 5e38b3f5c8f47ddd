from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, HttpCase, tagged, users

from .common import KamCommon

ENGAGEMENT_STEP = "kam_management.mail_activity_type_kam_engagement_step"


@tagged("post_install", "-at_install")
class TestOrgChart(KamCommon):
    """The org chart of an account's stakeholders, their engagement plans and
    the buying committees of the opportunities (DESIGN section 15)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.contact_ceo = Partner.create(
            {"name": "Cleo Chief", "parent_id": cls.account.id}
        )
        cls.contact_cfo = Partner.create(
            {"name": "Fred Money", "parent_id": cls.account.id}
        )
        cls.Stakeholder = cls.env["kam.stakeholder"]
        cls.ceo = cls._stakeholder(cls.contact_ceo, role="decision_maker")
        cls.cfo = cls._stakeholder(
            cls.contact_cfo, role="economic_buyer", reports_to_id=cls.ceo.id
        )
        cls.buyer = cls._stakeholder(
            cls.account_contact, role="influencer", reports_to_id=cls.cfo.id
        )
        cls.other_account = cls._kam_other_account()
        cls.other = cls.Stakeholder.create(
            {
                "partner_id": cls.other_account.id,
                "contact_id": Partner.create(
                    {"name": "Olga Other", "parent_id": cls.other_account.id}
                ).id,
            }
        )
        # an opportunity of the account, owned by a salesman outside the programme
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Acme renewal",
                "type": "opportunity",
                "partner_id": cls.account_contact.id,
                "user_id": cls.user_sales.id,
            }
        )

    @classmethod
    def _stakeholder(cls, contact, **vals):
        return cls.env["kam.stakeholder"].create(
            {"partner_id": cls.account.id, "contact_id": contact.id, **vals}
        )

    def _as(self, user, records):
        return records.with_user(user)

    # ------------------------------------------------------------
    # Who reports to whom
    # ------------------------------------------------------------
    @users("kam_user")
    def test_reports_to_another_account_refused(self):
        buyer = self.buyer.with_env(self.env)
        with self.assertRefused(ValidationError, "one account only"):
            buyer.reports_to_id = self.other
        with self.assertRefused(ValidationError, "one account only"):
            self.Stakeholder.with_env(self.env).create(
                {
                    "partner_id": self.account.id,
                    "contact_id": self.env["res.partner"]
                    .create({"name": "New Hire", "parent_id": self.account.id})
                    .id,
                    "reports_to_id": self.other.id,
                }
            )
        self.assertEqual(self.buyer.reports_to_id, self.cfo)

    def test_manager_moved_to_another_account_refused(self):
        # the CFO joined the other account, the KAM moves the stakeholder: the
        # buyer would report to a stakeholder of another account
        self.contact_cfo.parent_id = self.other_account
        with self.assertRefused(ValidationError, "one account only"):
            self.cfo.with_user(self.user_kam_manager).write(
                {"partner_id": self.other_account.id, "reports_to_id": False}
            )
        self.assertEqual(self.cfo.partner_id, self.account)

    @users("kam_user")
    def test_loops_refused(self):
        ceo, cfo, buyer = (self.ceo | self.cfo | self.buyer).with_env(self.env)
        with self.assertRefused(ValidationError, "loop"):
            ceo.reports_to_id = ceo
        # a loop of two: the CEO under the CFO who reports to her
        with self.assertRefused(ValidationError, "loop"):
            ceo.reports_to_id = cfo
        # a loop of three: the CEO under the buyer, under the CFO, under her
        with self.assertRefused(ValidationError, "loop"):
            ceo.reports_to_id = buyer
        self.assertFalse(self.ceo.reports_to_id)
        # the same people in a line, the other way round: no loop
        (ceo | cfo | buyer).reports_to_id = False
        cfo.reports_to_id = buyer
        ceo.reports_to_id = cfo
        self.assertEqual(self.ceo.reports_to_id.reports_to_id, self.buyer)

    def test_loop_message_in_the_users_language(self):
        self._kam_load_spanish()
        self.user_kam.lang = "es_ES"
        ceo = self.ceo.with_user(self.user_kam).with_context(lang="es_ES")
        with self.assertRefused(ValidationError, "bucle"):
            ceo.reports_to_id = self.buyer

    @users("kam_user")
    def test_hierarchy_view_loads(self):
        Stakeholder = self.Stakeholder.with_env(self.env)
        views = Stakeholder.get_views([(False, "hierarchy"), (False, "search")])
        arch = views["views"]["hierarchy"]["arch"]
        self.assertIn('parent_field="reports_to_id"', arch)
        for fname in ("role", "attitude", "influence"):
            self.assertIn(f'name="{fname}"', arch)
        # what the view reads first: the roots of the account, with their
        # direct reports
        roots = Stakeholder.hierarchy_read(
            [("partner_id", "=", self.account.id), ("reports_to_id", "=", False)],
            ["contact_id", "role", "attitude", "influence"],
            "reports_to_id",
        )
        self.assertEqual([r["id"] for r in roots], (self.ceo | self.cfo).ids)
        self.assertEqual(roots[0]["role"], "decision_maker")
        self.assertEqual(roots[1]["__child_ids__"], self.buyer.ids)
        # opened on the buyer: the buyer, her manager and his own reports
        focus = Stakeholder.hierarchy_read(
            [("id", "=", self.buyer.id)], ["contact_id"], "reports_to_id"
        )
        self.assertEqual({r["id"] for r in focus}, set((self.buyer | self.cfo).ids))

    @users("kam_user")
    def test_org_chart_opened_from_the_account(self):
        action = self.account.with_env(self.env).action_kam_view_org_chart()
        self.assertEqual(action["views"][0][1], "hierarchy")
        self.assertEqual(action["domain"], [("partner_id", "=", self.account.id)])
        action = self.buyer.with_env(self.env).action_kam_view_org_chart()
        self.assertEqual(action["context"]["hierarchy_res_id"], self.buyer.id)

    def test_reports_of_a_departed_manager_move_up(self):
        self.contact_cfo.action_archive()
        self.Stakeholder._cron_kam_contact_due()
        self.assertTrue(self.cfo.departed)
        # the buyer is not lost under the departed CFO: she reports to the CEO
        self.assertEqual(self.buyer.reports_to_id, self.ceo)
        self.assertEqual(self.cfo.reports_to_id, self.ceo)

    def _chart_from_the_roots(self, stakeholders):
        """The stakeholders of the account the org chart reaches from its roots
        (those who report to nobody), as the hierarchy view loads them."""
        reached = stakeholders.search(
            [("partner_id", "=", self.account.id), ("reports_to_id", "=", False)]
        )
        while True:
            more = reached | reached.search([("reports_to_id", "in", reached.ids)])
            if more == reached:
                return reached
            reached = more

    @users("kam_user")
    def test_reports_of_an_archived_manager_move_up(self):
        ceo, cfo, buyer = (self.ceo | self.cfo | self.buyer).with_env(self.env)
        cfo.action_archive()
        # the buyer reports to the CEO, on the chart under her
        self.assertEqual(buyer.reports_to_id, ceo)
        self.assertEqual(self._chart_from_the_roots(ceo), ceo | buyer)
        # the CFO keeps his manager: restored, he is back where he was
        self.assertEqual(cfo.reports_to_id, ceo)

    @users("kam_user")
    def test_reports_of_a_manager_ticked_departed_move_up(self):
        ceo, cfo, buyer = (self.ceo | self.cfo | self.buyer).with_env(self.env)
        cfo.departed = True
        self.assertEqual(buyer.reports_to_id, ceo)
        self.assertEqual(self._chart_from_the_roots(ceo), ceo | cfo | buyer)
        # a report who left too stays under his manager: nobody above moved
        buyer.departed = True
        self.assertEqual(buyer.reports_to_id, ceo)

    @users("kam_user")
    def test_reports_of_a_whole_line_archived_become_roots(self):
        ceo, cfo, buyer = (self.ceo | self.cfo | self.buyer).with_env(self.env)
        # the CEO and the CFO archived at once: nobody left above the buyer
        (ceo | cfo).action_archive()
        self.assertFalse(buyer.reports_to_id)
        self.assertEqual(self._chart_from_the_roots(buyer), buyer)
        # archiving a stakeholder without reports moves nobody
        buyer.reports_to_id = False
        buyer.action_archive()
        self.assertEqual(cfo.reports_to_id, ceo)

    def _queries_to_archive_a_manager(self, count):
        """Queries to archive a manager with ``count`` direct reports, moved
        up to the manager's own manager."""
        contacts = self.env["res.partner"].create(
            [
                {"name": f"Report {count}-{i}", "parent_id": self.account.id}
                for i in range(count)
            ]
        )
        manager = self._stakeholder(
            self.env["res.partner"].create(
                {"name": f"Manager {count}", "parent_id": self.account.id}
            ),
            reports_to_id=self.ceo.id,
        )
        reports = self.Stakeholder.create(
            [
                {
                    "partner_id": self.account.id,
                    "contact_id": contact.id,
                    "reports_to_id": manager.id,
                }
                for contact in contacts
            ]
        )
        # the tracking of the moved reports is mail's, a message per record
        manager = manager.with_user(self.user_kam).with_context(tracking_disable=True)
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        manager.action_archive()
        queries = self.env.cr.sql_log_count - before
        self.assertEqual(reports.reports_to_id, self.ceo)
        return queries

    def test_reports_moved_up_in_batch(self):
        """Moving up the reports of an archived manager costs as many queries
        for many of them as for a few."""
        self._queries_to_archive_a_manager(1)  # the caches warm
        self.assertEqual(
            self._queries_to_archive_a_manager(20),
            self._queries_to_archive_a_manager(5),
        )

    # ------------------------------------------------------------
    # Engagement plan
    # ------------------------------------------------------------
    def _steps(self, stakeholders):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "kam.stakeholder"),
                ("res_id", "in", stakeholders.ids),
                ("activity_type_id", "=", self.env.ref(ENGAGEMENT_STEP).id),
            ]
        )

    def test_engagement_step_reminded_on_its_date(self):
        day = date(2030, 3, 14)
        self.cfo.owner_id = self.user_kam_other
        with freeze_time("2030-03-13 12:00:00"):
            self._as(self.user_kam, self.cfo).write(
                {
                    "target_attitude": "supporter",
                    "next_step": "Lunch with the CFO",
                    "next_step_date": day,
                }
            )
            self.Stakeholder._cron_kam_contact_due()
            self.assertFalse(self._steps(self.cfo), "not the day before")
        with freeze_time("2030-03-14 12:00:00"):
            self.Stakeholder._cron_kam_contact_due()
            self.Stakeholder._cron_kam_contact_due()
            step = self._steps(self.cfo)
            self.assertEqual(len(step), 1, "one reminder, never two")
            self.assertRecordValues(
                step,
                [
                    {
                        "summary": "Lunch with the CFO",
                        "date_deadline": day,
                        "user_id": self.user_kam_other.id,
                    }
                ],
            )

    def test_engagement_step_follows_the_step(self):
        today = date(2030, 3, 14)
        cfo = self._as(self.user_kam, self.cfo)
        with freeze_time("2030-03-14 12:00:00"):
            # a step due today is reminded at once
            cfo.write({"next_step": "Call", "next_step_date": today})
            self.assertEqual(self._steps(self.cfo).summary, "Call")
            # another step, still due: the reminder moves with it
            cfo.write({"next_step": "Visit", "next_step_date": today - timedelta(1)})
            step = self._steps(self.cfo)
            self.assertEqual(len(step), 1)
            self.assertEqual(step.summary, "Visit")
            self.assertEqual(step.date_deadline, today - timedelta(1))
            # postponed: no reminder until its new date
            cfo.next_step_date = today + timedelta(1)
            self.assertFalse(self._steps(self.cfo))
            cfo.next_step_date = today
            # done: the plan waits for the next step, no new reminder
            self._steps(self.cfo).with_user(self.user_kam).action_feedback("Done")
            self.assertFalse(self.cfo.next_step_date)
            self.assertFalse(self.cfo.next_step)
            self.Stakeholder._cron_kam_contact_due()
            self.assertFalse(self._steps(self.cfo))

    def _queries_to_remind(self, count):
        """Queries of the daily run's reminders of ``count`` stakeholders whose
        step is due (their owner runs it: no notification to send)."""
        contacts = self.env["res.partner"].create(
            [
                {"name": f"Person {count}-{i}", "parent_id": self.account.id}
                for i in range(count)
            ]
        )
        with freeze_time("2030-03-13 12:00:00"):
            stakeholders = self.Stakeholder.create(
                [
                    {
                        "partner_id": self.account.id,
                        "contact_id": contact.id,
                        "next_step": f"Meet {contact.name}",
                        "next_step_date": date(2030, 3, 14),
                    }
                    for contact in contacts
                ]
            )
        # the tracking of the changed steps is mail's, a message per record
        stakeholders = stakeholders.with_user(self.user_kam).with_context(
            tracking_disable=True
        )
        self.env.invalidate_all()
        with freeze_time("2030-03-14 12:00:00"):
            before = self.env.cr.sql_log_count
            stakeholders._kam_schedule_engagement_steps()
            queries = self.env.cr.sql_log_count - before
            self.assertEqual(len(self._steps(stakeholders)), count)
            # the reminders follow a new step
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            stakeholders.write({"next_step": "Call back"})
            moved = self.env.cr.sql_log_count - before
        self.assertEqual(
            set(self._steps(stakeholders).mapped("summary")), {"Call back"}
        )
        return queries, moved

    def test_engagement_steps_in_batch(self):
        """The reminders of many stakeholders cost as many queries as those of
        a few."""
        self._queries_to_remind(1)  # the caches warm
        self.assertEqual(self._queries_to_remind(20), self._queries_to_remind(5))

    # ------------------------------------------------------------
    # Buying committee
    # ------------------------------------------------------------
    @users("kam_user")
    def test_committee_warnings(self):
        lead = self.lead.with_env(self.env)
        self.assertFalse(lead.kam_committee_no_decision_maker, "nothing mapped yet")
        self.assertFalse(lead.kam_committee_has_blocker)
        lead.kam_stakeholder_ids = self.buyer
        self.assertTrue(lead.kam_committee_no_decision_maker)
        self.assertFalse(lead.kam_committee_has_blocker)
        # the economic buyer can say yes too
        lead.kam_stakeholder_ids = self.buyer | self.cfo
        self.assertFalse(lead.kam_committee_no_decision_maker)
        self.assertFalse(lead.kam_committee_has_blocker)
        # an opponent blocks, whatever the role
        self.buyer.with_env(self.env).attitude = "opponent"
        self.assertTrue(lead.kam_committee_has_blocker)
        self.buyer.with_env(self.env).write({"attitude": "neutral", "role": "blocker"})
        self.assertTrue(lead.kam_committee_has_blocker)
        # a decision maker who left decides nothing
        lead.kam_stakeholder_ids = self.ceo
        self.assertFalse(lead.kam_committee_no_decision_maker)
        self.ceo.with_env(self.env).departed = True
        self.assertTrue(lead.kam_committee_no_decision_maker)

    @users("kam_user")
    def test_committee_of_another_account_refused(self):
        lead = self.lead.with_env(self.env)
        with self.assertRefused(ValidationError, "buying committee"):
            lead.kam_stakeholder_ids = self.other
        lead.kam_stakeholder_ids = self.cfo
        # the customer moved and a stakeholder of the old account added at once
        with self.assertRefused(ValidationError, "buying committee"):
            lead.write(
                {
                    "partner_id": self.other_account.id,
                    "kam_stakeholder_ids": [Command.link(self.ceo.id)],
                }
            )
        self.assertEqual(self.lead.kam_stakeholder_ids, self.cfo)
        # the customer moved and the committee of the new account mapped at once
        lead.write(
            {
                "partner_id": self.other_account.id,
                "kam_stakeholder_ids": [Command.link(self.other.id)],
            }
        )
        self.assertEqual(self.lead.kam_stakeholder_ids, self.other)

    def _committee_notes(self):
        return self.lead.message_ids.filtered(lambda m: "buying committee" in m.body)

    def test_salesman_changes_the_customer_of_a_committee(self):
        self._as(self.user_kam, self.lead).kam_stakeholder_ids = self.ceo | self.cfo
        lead = self._as(self.user_sales, self.lead)
        # another contact of the same account: the committee stays
        colleague = self.env["res.partner"].create(
            {"name": "Carl Colleague", "parent_id": self.account.id}
        )
        lead.partner_id = colleague
        self.assertEqual(self.lead.kam_stakeholder_ids, self.ceo | self.cfo)
        self.assertFalse(self._committee_notes())
        # a contact of another key account: the committee of Acme goes
        lead.partner_id = self.other_account
        self.assertFalse(self.lead.kam_stakeholder_ids)
        note = self._committee_notes()
        self.assertEqual(len(note), 1)
        self.assertIn("Acme Key Corp", note.body)
        self.assertEqual(note.author_id, self.user_sales.partner_id)
        # he reads the note, not the committee
        self.assertIn("Acme Key Corp", lead.message_ids[:1].body)
        with self.assertRaises(AccessError):
            lead.read(["kam_stakeholder_ids"])

    def test_salesman_moves_a_committee_out_of_the_programme(self):
        self.lead.kam_stakeholder_ids = self.buyer
        lead = self._as(self.user_sales, self.lead)
        # a customer outside the programme, then none
        lead.partner_id = self.candidate
        self.assertFalse(self.lead.kam_stakeholder_ids)
        self.lead.partner_id = self.account_contact
        self.lead.kam_stakeholder_ids = self.buyer
        lead.partner_id = False
        self.assertFalse(self.lead.kam_stakeholder_ids)
        self.assertEqual(len(self._committee_notes()), 2)

    def test_salesman_cannot_read_the_committee(self):
        self.lead.kam_stakeholder_ids = self.ceo | self.cfo
        lead = self._as(self.user_sales, self.lead)
        with self.assertRaises(AccessError):
            lead.read(["kam_stakeholder_ids"])
        with self.assertRaises(AccessError):
            lead.read(["kam_committee_has_blocker"])
        arch = lead.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("kam_stakeholder_ids", arch)
        self.assertNotIn("kam_committee", arch)
        # his own opportunity stays his: read, changed, duplicated
        self.assertEqual(lead.read(["name"])[0]["name"], "Acme renewal")
        lead.name = "Acme renewal 2025"
        self.assertFalse(lead.copy().sudo().kam_stakeholder_ids)
        # a KAM user reads it in the form
        arch = self._as(self.user_kam, self.lead).get_views([(False, "form")])
        self.assertIn("kam_stakeholder_ids", arch["views"]["form"]["arch"])

    def test_committee_in_the_form(self):
        with Form(self._as(self.user_kam, self.lead)) as form:
            form.kam_stakeholder_ids.add(self.buyer)
            self.assertTrue(form.kam_committee_no_decision_maker)
            form.kam_stakeholder_ids.add(self.ceo)
            self.assertFalse(form.kam_committee_no_decision_maker)
        self.assertEqual(self.lead.kam_stakeholder_ids, self.buyer | self.ceo)


@tagged("post_install", "-at_install", "kam_http")
class TestOrgChartUi(HttpCase, KamCommon):
    """The org chart and the buying committee in a real browser
    (static/tests/tours/kam_org_chart_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_kam.tour_enabled = False
        Partner = cls.env["res.partner"]
        ceo = cls.env["kam.stakeholder"].create(
            {
                "partner_id": cls.account.id,
                "contact_id": Partner.create(
                    {"name": "Cleo Chief", "parent_id": cls.account.id}
                ).id,
                "role": "decision_maker",
                "attitude": "supporter",
                "influence": 5,
            }
        )
        cls.cfo = cls.env["kam.stakeholder"].create(
            {
                "partner_id": cls.account.id,
                "contact_id": Partner.create(
                    {"name": "Fred Money", "parent_id": cls.account.id}
                ).id,
                "role": "economic_buyer",
                "reports_to_id": ceo.id,
            }
        )
        cls.buyer = cls.env["kam.stakeholder"].create(
            {
                "partner_id": cls.account.id,
                "contact_id": cls.account_contact.id,
                "role": "influencer",
            }
        )

    def test_org_chart_from_the_account(self):
        self.start_tour(
            f"/odoo/res.partner/{self.account.id}",
            "kam_org_chart_tour",
            login=self.user_kam.login,
        )

    def test_buying_committee_of_an_opportunity(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Acme renewal",
                "type": "opportunity",
                "partner_id": self.account_contact.id,
                "user_id": self.user_kam.id,
                "kam_stakeholder_ids": [Command.set(self.buyer.ids)],
            }
        )
        self.start_tour(
            f"/odoo/action-crm.crm_lead_action_pipeline/{lead.id}",
            "kam_buying_committee_tour",
            login=self.user_kam.login,
        )
