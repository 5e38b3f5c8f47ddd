from datetime import date

from odoo import Command
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
        self.assertEqual(self.plan.objective_ids[0].name, "Edited 3")
        self.assertEqual(self.review.checklist_ids[0].note, "Edited 1")

    def test_inline_list_then_another_tab_in_spanish(self):
        """The same gestures, with the tabs in Spanish."""
        self._kam_load_spanish()
        self.user_kam.lang = "es_ES"
        self.start_tour(
            self._plan_url(), "kam_inline_list_tour_es", login=self.user_kam.login
        )
        self.assertEqual(self.plan.objective_ids[0].name, "Edited 3")
