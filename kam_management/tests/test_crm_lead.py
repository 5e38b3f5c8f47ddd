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
