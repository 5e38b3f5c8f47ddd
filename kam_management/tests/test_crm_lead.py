from odoo.exceptions import ValidationError
from odoo.tests import users

from .common import KamCommon


class TestCrmLead(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Lead = cls.env["crm.lead"]
        cls.lead_contact = Lead.create(
            {
                "name": "Through a contact",
                "type": "opportunity",
                "partner_id": cls.account_contact.id,
                "user_id": cls.user_sales.id,
            }
        )
        cls.lead_candidate = Lead.create(
            {
                "name": "Candidate deal",
                "type": "opportunity",
                "partner_id": cls.candidate.id,
                "user_id": cls.user_sales.id,
            }
        )

    @users("kam_sales")
    def test_flag_follows_commercial_entity(self):
        self.assertTrue(self.lead_contact.with_env(self.env).is_key_account)
        self.assertFalse(self.lead_candidate.with_env(self.env).is_key_account)

    @users("kam_sales")
    def test_key_accounts_filter(self):
        leads = self.env["crm.lead"].search([("is_key_account", "=", True)])
        self.assertIn(self.lead_contact, leads)
        self.assertNotIn(self.lead_candidate, leads)

    def test_flag_follows_promotion_and_demotion(self):
        self.candidate.write({"is_key_account": True})
        self.account.write({"is_key_account": False})
        self.assertTrue(self.lead_candidate.is_key_account)
        self.assertFalse(self.lead_contact.is_key_account)

    @users("kam_user", "kam_manager")
    def test_values_of_the_wrong_type(self):
        """A message, not a traceback, for the addon's fields given values of
        the wrong type (over JSON-RPC)."""
        lead = self.lead_contact.with_env(self.env)
        for vals in (
            {"kam_growth_type": "zzz"},
            {"kam_growth_type": [1]},
            {"kam_growth_type": 10**12},
            {"kam_plan_id": "abc"},
            {"kam_plan_id": 3.5},
            {"kam_plan_id": {"id": 1}},
        ):
            with self.subTest(vals=vals):
                with self.assertRefused(ValidationError, "is not a valid value of"):
                    lead.write(vals)
        with self.assertRefused(ValidationError, "is not a valid value of"):
            lead.create({"name": "Typo", "kam_growth_type": "zzz"})
        self.assertFalse(lead.kam_growth_type or lead.kam_plan_id)
