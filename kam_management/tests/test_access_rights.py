from odoo.exceptions import AccessError
from odoo.tests import users

from .common import KamCommon


class TestAccessRights(KamCommon):
    @users("kam_user")
    def test_kam_user_reads_key_accounts_and_criteria(self):
        accounts = self.env["res.partner"].search([("is_key_account", "=", True)])
        self.assertIn(self.account, accounts)
        criterion = self.criterion_revenue.with_env(self.env)
        self.assertEqual(criterion.name, "Revenue")
        with self.assertRaises(AccessError):
            criterion.weight = 5
        with self.assertRaises(AccessError):
            self.env["kam.selection.criterion"].create({"name": "Mine"})

    @users("kam_manager")
    def test_manager_changes_criteria(self):
        criterion = self.criterion_revenue.with_env(self.env)
        criterion.weight = 5
        self.assertEqual(criterion.weight, 5)
        new = self.env["kam.selection.criterion"].create({"name": "Innovation"})
        self.assertTrue(new.active)

    @users("kam_user")
    def test_kam_user_scores_a_candidate(self):
        self.env["kam.selection.score"].create(
            {
                "partner_id": self.candidate.id,
                "criterion_id": self.criterion_revenue.id,
                "score": 9,
            }
        )
        self.assertAlmostEqual(
            self.candidate.with_env(self.env).kam_selection_score, 90
        )

    @users("kam_sales")
    def test_sales_user_has_no_kam_data(self):
        with self.assertRaises(AccessError):
            self.env["kam.selection.criterion"].search([])
        with self.assertRaises(AccessError):
            self.env["kam.team.member"].search([])

    @users("kam_user")
    def test_kam_changes_own_account_team(self):
        member = self.env["kam.team.member"].create(
            {
                "partner_id": self.account.id,
                "user_id": self.user_kam_other.id,
                "role": "support",
            }
        )
        member.role = "technical"
        self.assertEqual(self.account.with_env(self.env).kam_team_member_count, 1)

    @users("kam_other")
    def test_outsider_reads_but_cannot_change_team(self):
        member = (
            self.env["kam.team.member"]
            .sudo()
            .create(
                {
                    "partner_id": self.account.id,
                    "user_id": self.user_kam.id,
                    "role": "sales",
                }
            )
            .with_env(self.env)
        )
        self.assertEqual(member.role, "sales")
        with self.assertRaises(AccessError):
            member.role = "director"
        with self.assertRaises(AccessError):
            self.env["kam.team.member"].create(
                {
                    "partner_id": self.account.id,
                    "user_id": self.user_kam_other.id,
                    "role": "sales",
                }
            )

    @users("kam_manager")
    def test_manager_changes_any_team(self):
        member = self.env["kam.team.member"].create(
            {
                "partner_id": self.account.id,
                "user_id": self.user_kam_other.id,
                "role": "director",
            }
        )
        member.unlink()
        self.assertFalse(self.account.with_env(self.env).kam_team_member_ids)

    def test_criteria_are_company_specific(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["kam.selection.criterion"].create(
            {"name": "Foreign criterion", "company_id": other_company.id}
        )
        visible = (
            self.env["kam.selection.criterion"].with_user(self.user_kam).search([])
        )
        self.assertNotIn(foreign, visible)
        self.assertIn(self.criterion_revenue, visible)
