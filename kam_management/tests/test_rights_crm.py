from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged, users

from .common import KamRightsCommon


@tagged("post_install", "-at_install")
class TestRightsCrm(KamRightsCommon):
    """Opportunities of key accounts attacked as each kind of user: who sees and
    changes them, and who links them to an account plan (and its revenue)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.company_id = cls.company
        Plan = cls.env["kam.account.plan"]
        cls.plan = Plan.create(
            {
                "name": "Acme plan",
                "partner_id": cls.account.id,
                "date_start": date(2025, 1, 1),
                "date_end": date(2025, 12, 31),
            }
        )
        cls.plan.action_activate()
        cls.other_account = cls._kam_other_account()
        cls.other_plan = Plan.create(
            {
                "name": "Other plan",
                "partner_id": cls.other_account.id,
                "date_start": date(2025, 1, 1),
                "date_end": date(2025, 12, 31),
            }
        )
        Lead = cls.env["crm.lead"]
        # an opportunity of the account owned by a salesman, not by its KAM
        cls.lead = Lead.create(
            {
                "name": "Acme renewal",
                "type": "opportunity",
                "partner_id": cls.account_contact.id,
                "user_id": cls.user_sales.id,
                "company_id": cls.company.id,
            }
        )
        cls.other_lead = Lead.create(
            {
                "name": "Other upsell",
                "type": "opportunity",
                "partner_id": cls.other_account.id,
                "user_id": cls.user_kam_other.id,
            }
        )

    def _as(self, user, record):
        return self.env[record._name].with_user(user).browse(record.ids)

    def _kam_leads(self, user):
        return (
            self.env["crm.lead"].with_user(user).search([("is_key_account", "=", True)])
        )

    # ------------------------------------------------------------
    # Seeing and changing the opportunities of one's accounts
    # ------------------------------------------------------------
    def test_kam_and_team_see_their_accounts_opportunities(self):
        for user in self.user_kam | self.user_team:
            with self.subTest(user=user.login):
                self.assertFalse(
                    user.has_group("sales_team.group_sale_salesman_all_leads")
                )
                self.assertIn(self.lead, self._kam_leads(user))
                self.assertNotIn(self.other_lead, self._kam_leads(user))
                self._as(user, self.lead).kam_growth_type = "renewal"
        self.assertEqual(self.lead.kam_growth_type, "renewal")

    def test_others_do_not_see_the_accounts_opportunities(self):
        self.assertNotIn(self.lead, self._kam_leads(self.user_kam_other))
        self.assertIn(self.other_lead, self._kam_leads(self.user_kam_other))
        self.assertNotIn(self.lead, self._kam_leads(self.user_company_b))
        for user in self.user_kam_other | self.user_company_b | self.user_portal:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    self._as(user, self.lead).write({"kam_growth_type": "upsell"})
        self.assertFalse(self.lead.kam_growth_type)

    def test_the_salesman_keeps_his_own_opportunity(self):
        self.assertIn(self.lead, self._kam_leads(self.user_sales))

    # ------------------------------------------------------------
    # Linking opportunities to plans
    # ------------------------------------------------------------
    def test_kam_and_team_link_to_the_accounts_plan(self):
        for user in self.user_kam | self.user_team | self.user_kam_manager:
            with self.subTest(user=user.login):
                self._as(user, self.lead).kam_plan_id = self.plan
                self.assertEqual(self.lead.kam_plan_id, self.plan)
                self._as(user, self.lead).kam_plan_id = False
                self.assertFalse(self.lead.kam_plan_id)

    @users("kam_user")
    def test_link_to_the_plan_of_another_account_refused(self):
        lead = self.env["crm.lead"].create(
            {"name": "Mine", "type": "opportunity", "partner_id": self.candidate.id}
        )
        with self.assertRefused(ValidationError, "growth initiative"):
            lead.kam_plan_id = self.plan
        with self.assertRefused(ValidationError, "growth initiative"):
            self.env["crm.lead"].create(
                {
                    "name": "Inflated",
                    "partner_id": self.candidate.id,
                    "kam_plan_id": self.plan.id,
                }
            )
        self.assertFalse(lead.kam_plan_id)
        self.assertFalse(self.plan.opportunity_ids)

    def test_link_to_a_plan_one_may_not_change_refused(self):
        # the outsider owns an opportunity of the account: still not its plan
        lead = self.lead.copy({"user_id": self.user_kam_other.id})
        for user in self.user_kam_other | self.user_sales:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    self._as(user, lead).kam_plan_id = self.plan
                with self.assertRefused(AccessError):
                    self._as(user, lead).action_kam_link_plan()
                with self.assertRefused(AccessError):
                    self.env["crm.lead"].with_user(user).create(
                        {
                            "name": "Inflated",
                            "partner_id": self.account.id,
                            "kam_plan_id": self.plan.id,
                        }
                    )
        self.assertFalse(self.plan.opportunity_ids)

    def test_context_default_plan_is_checked(self):
        Lead = (
            self.env["crm.lead"]
            .with_user(self.user_kam_other)
            .with_context(default_kam_plan_id=self.plan.id)
        )
        with self.assertRefused(AccessError):
            Lead.create({"name": "Inflated", "partner_id": self.account.id})
        self.assertFalse(self.plan.opportunity_ids)

    def test_unlink_from_a_plan_one_may_not_change_refused(self):
        lead = self.lead.copy({"user_id": self.user_kam_other.id})
        lead.kam_plan_id = self.plan
        with self.assertRefused(AccessError):
            self._as(self.user_kam_other, lead).kam_plan_id = False
        with self.assertRefused(AccessError):
            self._as(self.user_kam_other, lead).kam_plan_id = self.other_plan
        self.assertEqual(lead.kam_plan_id, self.plan)

    @users("kam_user")
    def test_customer_change_keeps_the_plan_consistent(self):
        lead = self.lead.with_env(self.env)
        lead.kam_plan_id = self.plan
        with self.assertRefused(ValidationError, "growth initiative"):
            lead.partner_id = self.candidate
        self.assertEqual(lead.partner_id, self.account_contact)
        # another contact of the same company is the same customer
        lead.partner_id = self.account
        self.assertEqual(lead.kam_plan_id, self.plan)

    def test_company_b_cannot_reach_company_a_plans(self):
        lead_b = self.env["crm.lead"].create(
            {
                "name": "Euro deal",
                "type": "opportunity",
                "partner_id": self.account_b.id,
                "user_id": self.user_company_b.id,
                "company_id": self.company_b.id,
            }
        )
        with self.assertRefused(AccessError):
            self._as(self.user_company_b, lead_b).kam_plan_id = self.plan
        self.assertFalse(lead_b.kam_plan_id)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def test_escalate_from_an_opportunity(self):
        action = self._as(self.user_kam, self.lead).action_kam_escalate()
        self.assertEqual(action["context"]["default_partner_id"], self.account.id)
        with self.assertRefused(AccessError, "escalate"):
            self._as(self.user_sales, self.lead).action_kam_escalate()
        for user in self.user_portal | self.user_company_b:
            with self.subTest(user=user.login), self.assertRefused(AccessError):
                self._as(user, self.lead).action_kam_escalate()
