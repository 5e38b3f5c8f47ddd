from datetime import date, timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import KamCommon


@tagged("post_install", "-at_install", "kam_http", "kam_ui_forms")
class TestFormsUi(HttpCase, KamCommon):
    """What a new user stumbled on in the forms (issue 22), in a real browser:
    the tours in static/tests/tours/ fail on a JavaScript error or an error
    dialog."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_load_spanish()
        cls.user_kam.tour_enabled = False
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "name": "Tour Plan",
                "partner_id": cls.account.id,
                "user_id": cls.user_kam.id,
                "date_start": date(2025, 1, 1),
                "date_end": date(2025, 12, 31),
                "objective_ids": [
                    Command.create({"name": "Grow", "target_value": 10}),
                    Command.create({"name": "Retain", "target_value": 4}),
                ],
            }
        )
        cls.plan.action_activate()
        cls.review = cls.env["kam.account.review"].create({"plan_id": cls.plan.id})

    def _overdue_stakeholder(self, name):
        """A stakeholder of the account last met 60 days ago, to be met every 30
        days: overdue."""
        contact = self.env["res.partner"].create(
            {"name": name, "parent_id": self.account.id, "email": "tina@acme.test"}
        )
        stakeholder = self.env["kam.stakeholder"].create(
            {
                "partner_id": self.account.id,
                "contact_id": contact.id,
                "contact_frequency_days": 30,
            }
        )
        today = fields.Date.context_today(stakeholder)
        # the figure the daily run writes (superuser)
        stakeholder.last_interaction_date = today - timedelta(days=60)
        self.assertTrue(stakeholder.is_overdue)
        return stakeholder, today

    def _plan_url(self):
        return f"/odoo/action-kam_management.kam_account_plan_action/{self.plan.id}"

    def test_inline_list_then_another_tab(self):
        """Issue 22: editing a line of an objective or of a review's checklist,
        then clicking another tab before the browser paints, crashed the form
        (Odoo's list focused a cell of the list the page change had just
        removed; static/src/views/list_renderer_patch.js)."""
        self.start_tour(
            self._plan_url(), "kam_inline_list_tour", login=self.user_kam.login
        )
        self.assertEqual(self.plan.objective_ids[0].name, "Edited 2")
        self.assertEqual(self.review.checklist_ids[0].note, "Edited 1")

    def test_inline_list_then_another_tab_in_spanish(self):
        """The same gestures, with the tabs in Spanish."""
        self.user_kam.lang = "es_ES"
        self.start_tour(
            self._plan_url(), "kam_inline_list_tour_es", login=self.user_kam.login
        )
        self.assertEqual(self.plan.objective_ids[0].name, "Edited 2")

    def test_escalate_and_survey_in_dialogs(self):
        """Issue 22: "Escalar", then leaving or closing the browser tab, created
        an escalation (every required field has a default), with its activity
        and followers; "Record NPS/CSAT" likewise an answer scored 0. The
        dialog's button creates them, nothing else does."""
        self.user_kam.lang = "es_ES"
        self.start_tour(
            f"/odoo/res.partner/{self.account.id}",
            "kam_account_dialogs_tour_es",
            login=self.user_kam.login,
        )
        self.assertFalse(
            self.env["kam.satisfaction.survey"].search(
                [("partner_id", "=", self.account.id)]
            )
        )
        escalation = self.env["kam.escalation"].search(
            [("partner_id", "=", self.account.id)]
        )
        self.assertRecordValues(
            escalation,
            [
                {
                    "reason": "churn_risk",
                    "evidence": "Three orders cancelled",
                    "source": "manual",
                    "user_id": self.user_kam.id,
                }
            ],
        )
        self.assertEqual(escalation.activity_ids.user_id, self.user_kam)

    def test_new_review_in_a_dialog(self):
        """Issue 22: "Nueva revisión" left an empty draft review, printed in the
        plan's PDF and workbook. The dialog's button creates it, nothing else
        does."""
        self.user_kam.lang = "es_ES"
        self.start_tour(
            self._plan_url(), "kam_review_dialog_tour_es", login=self.user_kam.login
        )
        new = self.plan.review_ids - self.review
        self.assertRecordValues(new, [{"review_type": "ad_hoc", "state": "draft"}])
        self.assertTrue(new.checklist_ids, "the checklist of the template")

    def _stakeholder_url(self, stakeholder):
        return f"/odoo/action-kam_management.kam_stakeholder_action/{stakeholder.id}"

    def test_meeting_done_refreshes_the_stakeholder(self):
        """Issue 22: after "Programar y marcar como hecho" of a meeting, the open
        form kept the old last interaction and "Contacto vencido" until
        reloaded."""
        self.user_kam.lang = "es_ES"
        stakeholder, today = self._overdue_stakeholder("Mario Meeting")
        self.start_tour(
            self._stakeholder_url(stakeholder),
            "kam_stakeholder_meeting_tour_es",
            login=self.user_kam.login,
        )
        self.assertEqual(stakeholder.last_interaction_date, today)
        self.assertFalse(stakeholder.is_overdue)

    def test_message_to_the_stakeholder(self):
        """Issue 22: "Enviar mensaje" on a stakeholder had no recipient (the KAM
        had to go through Contacts): the person is suggested and ticked, the
        message reaches them and the open form shows the interaction."""
        self.user_kam.lang = "es_ES"
        stakeholder, today = self._overdue_stakeholder("Tina Champion")
        self.start_tour(
            self._stakeholder_url(stakeholder),
            "kam_stakeholder_message_tour_es",
            login=self.user_kam.login,
        )
        message = stakeholder.message_ids.filtered(lambda m: "martes" in (m.body or ""))
        self.assertEqual(message.partner_ids, stakeholder.contact_id)
        self.assertEqual(stakeholder.last_interaction_date, today)
