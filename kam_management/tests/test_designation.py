from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import users

from .common import KamCommon


class TestDesignation(KamCommon):
    def _wizard(self, partner, mode, **values):
        return (
            self.env["kam.designation.wizard"]
            .with_context(default_partner_id=partner.id, default_mode=mode)
            .create(values)
        )

    def _set_cap(self, cap):
        current = self.env["res.partner"]._kam_count_key_accounts(self.company)
        self.company.kam_max_key_accounts = current + cap
        return current + cap

    @users("kam_user")
    def test_promote_through_wizard(self):
        candidate = self.candidate.with_env(self.env)
        wizard = self._wizard(
            candidate,
            "promote",
            kam_strategy="maintain",
            kam_relationship_stage="partner",
        )
        wizard.action_confirm()
        self.assertTrue(candidate.is_key_account)
        self.assertEqual(candidate.kam_user_id, self.user_kam)
        self.assertEqual(candidate.kam_strategy, "maintain")
        self.assertEqual(candidate.kam_relationship_stage, "partner")
        self.assertEqual(candidate.kam_since, fields.Date.context_today(candidate))

    def test_promotion_is_tracked_in_chatter(self):
        # records created in this transaction are not tracked: start afresh
        self.env.cr.precommit.clear()
        self._wizard(self.candidate, "promote", kam_strategy="harvest").action_confirm()
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written before commit
        self.candidate.invalidate_recordset(["message_ids"])
        tracked = self.candidate.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "is_key_account"
        )
        self.assertTrue(tracked)
        self.assertTrue(tracked[0].new_value_integer)

    def test_wizard_requires_strategy(self):
        wizard = self._wizard(self.candidate, "promote", kam_strategy=False)
        with self.assertRefused(UserError, "strategy"):
            wizard.action_confirm()
        self.assertFalse(self.candidate.is_key_account)

    def test_cap_refuses_create(self):
        self._set_cap(0)
        with self.assertRefused(ValidationError, "limited to"):
            self.env["res.partner"].create(
                {"name": "One Too Many", "is_company": True, "is_key_account": True}
            )
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "One Too Many")])
        )

    def test_cap_refuses_write(self):
        self._set_cap(0)
        with self.assertRefused(ValidationError, "limited to"):
            self.candidate.write({"is_key_account": True})
        self.assertFalse(self.candidate.is_key_account)
        self.assertFalse(self.candidate.kam_since)

    def test_cap_refuses_wizard(self):
        self._set_cap(0)
        wizard = self._wizard(self.candidate, "promote", kam_strategy="maintain")
        self.assertEqual(wizard.key_account_count, wizard.max_key_accounts)
        with self.assertRefused(ValidationError, "limited to"):
            wizard.action_confirm()
        self.assertFalse(self.candidate.is_key_account)

    def test_cap_allows_up_to_the_limit(self):
        self._set_cap(1)
        self.candidate.write({"is_key_account": True})
        self.assertTrue(self.candidate.is_key_account)
        other = self.env["res.partner"].create({"name": "Next Ltd", "is_company": True})
        with self.assertRefused(ValidationError):
            other.write({"is_key_account": True})

    def test_unarchiving_past_the_cap_refused(self):
        self.account.action_archive()
        self._set_cap(0)
        with self.assertRefused(ValidationError):
            self.account.action_unarchive()

    def test_no_cap_when_zero(self):
        self.company.kam_max_key_accounts = 0
        partners = self.env["res.partner"].create(
            [
                {"name": f"KA {i}", "is_company": True, "is_key_account": True}
                for i in range(5)
            ]
        )
        self.assertTrue(all(partners.mapped("is_key_account")))

    def test_negative_cap_refused(self):
        with self.assertRefused(ValidationError):
            self.company.kam_max_key_accounts = -1

    @users("kam_user")
    def test_kam_user_cannot_demote(self):
        account = self.account.with_env(self.env)
        wizard = self._wizard(account, "demote", reason="Not strategic anymore")
        with self.assertRefused(AccessError):
            wizard.action_confirm()
        with self.assertRefused(AccessError):
            account.write({"is_key_account": False})
        self.assertTrue(account.is_key_account)

    @users("kam_manager")
    def test_manager_demotes_with_reason_logged(self):
        account = self.account.with_env(self.env)
        self._wizard(
            account, "demote", reason="Moved to a distributor"
        ).action_confirm()
        self.assertFalse(account.is_key_account)
        self.assertFalse(account.kam_since)
        self.assertIn("Moved to a distributor", account.message_ids[0].body)

    @users("kam_manager")
    def test_demotion_requires_reason(self):
        account = self.account.with_env(self.env)
        with self.assertRefused(UserError, "reason"):
            self._wizard(account, "demote", reason="  ").action_confirm()
        self.assertTrue(account.is_key_account)

    @users("kam_sales")
    def test_sales_user_cannot_promote(self):
        candidate = self.candidate.with_env(self.env)
        with self.assertRefused(AccessError):
            candidate.write({"is_key_account": True})
        self.assertFalse(candidate.is_key_account)

    def test_contact_person_cannot_be_key_account(self):
        with self.assertRefused(ValidationError, "only the company"):
            self.account_contact.write({"is_key_account": True})
        self.assertFalse(self.account_contact.is_key_account)

    @users("kam_user", "kam_manager")
    def test_wizard_values_of_the_wrong_type(self):
        """A message, not a traceback, for values of the wrong type (over
        JSON-RPC); a confirmation of no wizard does nothing."""
        Wizard = self.env["kam.designation.wizard"]
        for vals in (
            {"partner_id": [self.candidate.id]},
            {"partner_id": "abc"},
            {"partner_id": 10**12},
            {"kam_user_id": {"id": 1}},
            {"kam_strategy": "zzz"},
            {"kam_relationship_stage": [1]},
            {"mode": 10**12},
        ):
            with self.subTest(vals=vals):
                with self.assertRefused(ValidationError, "is not a valid value of"):
                    Wizard.create({"partner_id": self.candidate.id, **vals})
        wizard = self._wizard(self.candidate, "promote", kam_strategy="maintain")
        with self.assertRefused(ValidationError, "is not a valid value of"):
            wizard.write({"kam_user_id": "abc"})
        self.assertEqual(
            Wizard.browse().action_confirm(), {"type": "ir.actions.act_window_close"}
        )
        self.assertFalse(self.candidate.with_env(self.env).is_key_account)

    @users("kam_manager")
    def test_reassign_wizard_values_of_the_wrong_type(self):
        Wizard = self.env["kam.reassign.wizard"]
        with self.assertRefused(ValidationError, "is not a valid value of"):
            Wizard.create({"partner_ids": self.account.ids, "user_id": [5]})
        with self.assertRefused(ValidationError, "is not a valid value of"):
            Wizard.create({"partner_ids": "abc", "user_id": self.user_kam_other.id})
        Wizard.browse().action_confirm()
        self.assertEqual(self.account.with_env(self.env).kam_user_id, self.user_kam)
