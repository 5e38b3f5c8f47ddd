from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged, users

from .test_account_plan import KamPlanCommon


@tagged("post_install", "-at_install")
class TestReviewChecklist(KamPlanCommon):
    """Every review starts with the checklist template, whatever the way it is
    created, and is not closed before an item is ticked."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template_names = (
            cls.env["kam.review.checklist.template"].search([]).mapped("name")
        )

    def _assert_template_checklist(self, review):
        self.assertEqual(len(review.checklist_ids), 6)
        self.assertEqual(review.checklist_ids.mapped("name"), self.template_names)
        self.assertFalse(any(review.checklist_ids.mapped("done")))

    @users("kam_user")
    def test_checklist_from_the_new_review_button(self):
        plan = self.plan.with_env(self.env)
        action = plan.action_new_review()
        # in a dialog that creates it on its button only (test_ui_forms.py)
        self.assertEqual(action["target"], "new")
        Review = self.env[action["res_model"]].with_context(**action["context"])
        with Form(Review) as review_form:
            review_form.notes = "<p>Quarter went well</p>"
        review = review_form.record
        self.assertEqual(review.plan_id, plan)
        self._assert_template_checklist(review)

    @users("kam_user")
    def test_checklist_from_the_reviews_menu(self):
        with Form(self.env["kam.account.review"]) as review_form:
            review_form.plan_id = self.plan
        self._assert_template_checklist(review_form.record)

    @users("kam_user")
    def test_checklist_from_a_line_of_the_plan(self):
        # what a plan form sends for a review added in its tab: the web client
        # gives an empty checklist with a new record
        plan = self.plan.with_env(self.env)
        plan.write(
            {
                "review_ids": [
                    Command.create({"review_type": "ad_hoc", "checklist_ids": []}),
                    Command.create({"review_type": "annual"}),
                ]
            }
        )
        self.assertEqual(len(plan.review_ids), 2)
        for review in plan.review_ids:
            with self.subTest(review=review.review_type):
                self._assert_template_checklist(review)

    @users("kam_user")
    def test_checklist_by_rpc_create(self):
        reviews = self.env["kam.account.review"].create(
            [{"plan_id": self.plan.id} for _i in range(3)]
        )
        for review in reviews:
            self._assert_template_checklist(review)

    @users("kam_user")
    def test_explicit_checklist_is_kept(self):
        review = self.env["kam.account.review"].create(
            {
                "plan_id": self.plan.id,
                "checklist_ids": [Command.create({"name": "Only this"})],
            }
        )
        self.assertEqual(review.checklist_ids.mapped("name"), ["Only this"])

    @users("kam_user")
    def test_done_at_zero_percent_refused(self):
        review = self.env["kam.account.review"].create({"plan_id": self.plan.id})
        self.assertEqual(review.checklist_progress, 0)
        with self.assertRefused(UserError, "Tick at least one item"):
            review.action_done()
        self.assertEqual(review.state, "draft")
        review.checklist_ids[0].done = True
        self.assertGreater(review.checklist_progress, 0)
        review.action_done()
        self.assertEqual(review.state, "done")

    @users("kam_user")
    def test_review_without_checklist_may_close(self):
        self.env["kam.review.checklist.template"].sudo().search([]).active = False
        review = self.env["kam.account.review"].create({"plan_id": self.plan.id})
        self.assertFalse(review.checklist_ids)
        review.action_done()
        self.assertEqual(review.state, "done")
