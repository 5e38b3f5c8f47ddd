from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KamRightsCommon


@tagged("post_install", "-at_install")
class TestRightsPlan(KamRightsCommon):
    """Plans, objectives, actions, reviews and checklists attacked as each kind of
    user: who creates, changes, moves and pushes the buttons, and what is left
    after a refusal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_account = cls._kam_other_account()
        cls.plan = cls.env["kam.account.plan"].create(
            {"name": "Acme plan", "partner_id": cls.account.id}
        )
        cls.review = cls.env["kam.account.review"].create({"plan_id": cls.plan.id})
        cls.plan_b = (
            cls.env["kam.account.plan"]
            .with_company(cls.company_b)
            .create({"name": "Euro plan", "partner_id": cls.account_b.id})
        )
        cls.writers = cls.user_kam | cls.user_team | cls.user_kam_manager

    def test_create_plan_and_its_records(self):
        for user in self.writers | self.attackers:
            allowed = user in self.writers
            creates = {
                "kam.account.plan": {"name": "P", "partner_id": self.account.id},
                "kam.account.plan.objective": {"plan_id": self.plan.id, "name": "O"},
                "kam.account.plan.action": {"plan_id": self.plan.id, "name": "A"},
                "kam.account.review": {"plan_id": self.plan.id},
                "kam.account.review.checklist": {
                    "review_id": self.review.id,
                    "name": "C",
                },
            }
            for model, vals in creates.items():
                with self.subTest(user=user.login, model=model):
                    Model = self.env[model].with_user(user)
                    count = self.env[model].search_count([])
                    if allowed:
                        Model.create(vals)
                        self.assertEqual(self.env[model].search_count([]), count + 1)
                    else:
                        with self.assertRefused(AccessError):
                            Model.create(vals)
                        self.assertEqual(self.env[model].search_count([]), count)

    def test_company_b_plan_only_for_company_b(self):
        for user, allowed in ((self.user_company_b, True), (self.user_kam, False)):
            with self.subTest(user=user.login):
                plan = self.plan_b.with_user(user)
                if allowed:
                    plan.revenue_target = 10
                    self.assertEqual(self.plan_b.revenue_target, 10)
                else:
                    with self.assertRefused(AccessError):
                        plan.revenue_target = 20
                    self.assertEqual(self.plan_b.revenue_target, 10)

    def test_records_cannot_move_to_another_kams_account(self):
        plan = self.plan.with_user(self.user_kam)
        with self.assertRefused(AccessError, "Only the Key Account Manager"):
            plan.write({"partner_id": self.other_account.id, "user_id": self.user_kam})
        self.assertEqual(self.plan.partner_id, self.account)
        other_plan = self.env["kam.account.plan"].create(
            {"name": "Other plan", "partner_id": self.other_account.id}
        )
        objective = self.env["kam.account.plan.objective"].create(
            {"plan_id": self.plan.id, "name": "Grow"}
        )
        for model, record in (
            ("kam.account.plan.objective", objective),
            ("kam.account.review", self.review),
        ):
            with self.subTest(model=model):
                with self.assertRefused(AccessError):
                    record.with_user(self.user_team).plan_id = other_plan
                self.assertEqual(record.plan_id, self.plan)

    def test_no_blocking_active_plan_on_another_account(self):
        Plan = self.env["kam.account.plan"].with_user(self.user_kam)
        with self.assertRefused(AccessError):
            Plan.create(
                {
                    "name": "Blocker",
                    "partner_id": self.other_account.id,
                    "user_id": self.user_kam.id,
                    "state": "active",
                }
            )
        mine = self.env["kam.account.plan"].create(
            {"name": "Real plan", "partner_id": self.other_account.id}
        )
        mine.with_user(self.user_kam_other).action_activate()
        self.assertEqual(mine.state, "active")

    def test_buttons_check_the_caller(self):
        buttons = [
            (self.plan, "action_activate", "state"),
            (self.plan, "action_cancel", "state"),
            (self.review, "action_done", "state"),
        ]
        for user in self.attackers:
            for record, method, fname in buttons:
                with self.subTest(user=user.login, method=method):
                    before = record[fname]
                    with self.assertRefused(AccessError):
                        getattr(record.with_user(user), method)()
                    self.assertEqual(record[fname], before)
        self.review.checklist_ids[0].done = True
        self.review.with_user(self.user_team).action_done()
        self.assertEqual(self.review.state, "done")

    def test_export_is_the_readers(self):
        """The readers of a plan export it; a portal contact of a shared plan
        reads it on the portal and still gets no back-office workbook."""
        self.plan.portal_shared = True
        self.assertTrue(self.plan.with_user(self.user_portal).has_access("read"))
        Export = self.env["kam.xlsx.export"]
        for user in (self.user_sales, self.user_portal, self.user_company_b):
            plan = self.plan.with_user(user)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                plan.action_kam_export_xlsx()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Export.with_user(user)._kam_plan_workbook(plan)
        plan = self.plan.with_user(self.user_kam_other)
        action = plan.action_kam_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], f"/kam_management/workbook/plan/{plan.id}")
        content = Export.with_user(self.user_kam_other)._kam_plan_workbook(plan)
        self.assertTrue(content.startswith(b"PK"), "an XLSX (zip) file")

    def test_owners_are_internal_users_of_the_company(self):
        action = self.env["kam.account.plan.action"].create(
            {"plan_id": self.plan.id, "name": "Call"}
        )
        for record, fname in ((self.plan, "user_id"), (action, "user_id")):
            for user in (self.user_portal, self.user_company_b):
                with self.subTest(model=record._name, user=user.login):
                    with self.assertRefused(ValidationError, "internal users"):
                        record.with_user(self.user_kam_manager)[fname] = user
                    self.assertNotEqual(record[fname], user)

    def test_bad_input_refused(self):
        plan = self.plan.with_user(self.user_kam)
        cases = [
            ({"date_end": "2000-01-01"}, ValidationError),
            ({"revenue_target": -5}, ValidationError),
            ({"budget": -1}, ValidationError),
            ({"review_cadence": "weekly"}, ValidationError),
        ]
        for vals, exception in cases:
            with self.subTest(vals=vals):
                with self.assertRefused(exception):
                    plan.write(vals)
                self.assertEqual(self.plan.review_cadence, "quarterly")
                self.assertFalse(self.plan.revenue_target)
        with self.assertRefused(UserError):
            plan.action_close()

    def test_review_health_is_the_engines(self):
        review = self.review.with_user(self.user_kam)
        with self.assertRefused(AccessError, "Health Score is computed"):
            review.health_score = 99
        created = (
            self.env["kam.account.review"]
            .with_user(self.user_kam)
            .create({"plan_id": self.plan.id, "health_score": 99})
        )
        self.assertNotEqual(created.health_score, 99)
