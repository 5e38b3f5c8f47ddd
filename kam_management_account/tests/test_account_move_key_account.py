from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.kam_management.tests.common import KamCommon, KamRightsCommon

from .common import new_invoice_user


@tagged("post_install", "-at_install")
class TestAccountMoveKeyAccount(KamCommon):
    """Customer invoices of key accounts: recognised through the commercial entity,
    showing the KAM to the accountant, and the overdue amount on the account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_invoice = new_invoice_user(cls.env)
        cls.today = fields.Date.context_today(cls.env.user)

    def _invoices(self, partners, move_type="out_invoice", due_days=-10, amount=100):
        return self.env["account.move"].create(
            [
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": self.today - timedelta(days=40),
                    "invoice_date_due": self.today + timedelta(days=due_days),
                    "invoice_line_ids": [
                        (0, 0, {"name": "Service", "quantity": 1, "price_unit": amount})
                    ],
                }
                for partner in partners
            ]
        )

    def test_key_account_follows_commercial_entity(self):
        to_account, to_contact, to_other = self._invoices(
            self.account | self.account_contact | self.candidate
        )
        self.assertTrue(to_account.is_key_account)
        self.assertTrue(to_contact.is_key_account)
        self.assertFalse(to_other.is_key_account)
        moves = to_account | to_contact | to_other
        found = self.env["account.move"].search(
            [("is_key_account", "=", True), ("id", "in", moves.ids)]
        )
        self.assertEqual(found, to_account | to_contact)

    def test_accountant_sees_the_kam(self):
        invoice = self._invoices(self.account_contact).with_user(self.user_invoice)
        self.assertFalse(self.user_invoice.has_group("kam_management.group_kam_user"))
        self.assertEqual(invoice.kam_user_id, self.user_kam)
        self.assertEqual(invoice.kam_user_id.display_name, "Kim Account")

    def test_overdue_amount_on_the_account(self):
        """Posted customer invoices past their due date, less the overdue credit
        notes (kam_management_account's one definition, also the health score's);
        drafts, paid and not yet due invoices do not count."""
        overdue = self._invoices(self.account | self.account_contact, amount=300)
        not_due = self._invoices(self.account, due_days=10, amount=1000)
        refund = self._invoices(self.account, move_type="out_refund", amount=50)
        self._invoices(self.account, amount=5000)  # a draft
        paid = self._invoices(self.account, amount=700)
        (overdue | not_due | refund | paid).action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid.ids
        ).create({})._create_payments()
        self.assertIn(paid.payment_state, ("paid", "in_payment"))
        account = self.account.with_user(self.user_kam)
        self.assertEqual(
            account.kam_overdue_amount,
            sum(overdue.mapped("amount_residual_signed"))
            + refund.amount_residual_signed,
        )
        self.assertFalse(self.candidate.with_user(self.user_kam).kam_overdue_amount)


@tagged("post_install", "-at_install")
class TestAccountMoveKeyAccountRights(KamRightsCommon):
    """The key account on invoices (issue 20): not for the customer's portal
    contacts, never typed in."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_invoice = new_invoice_user(cls.env)

    def test_portal_contact_reads_no_key_account(self):
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.portal_contact.id,
                "invoice_line_ids": [
                    Command.create({"name": "Service", "quantity": 1, "price_unit": 5})
                ],
            }
        )
        invoice.action_post()
        invoice.message_subscribe(partner_ids=self.portal_contact.ids)
        self.assertTrue(invoice.is_key_account)
        as_portal = invoice.with_user(self.user_portal)
        as_portal.check_access("read")  # the portal's own invoice
        for fname in ("is_key_account", "kam_user_id", "kam_team_user_ids"):
            with self.assertRaises(AccessError):
                as_portal.read([fname])
        with self.assertRaises(AccessError):
            as_portal.search([("is_key_account", "=", True)])
        with self.assertRefused(UserError, "follow the customer's key account"):
            invoice.with_user(self.user_invoice).write({"kam_user_id": [5]})
        self.assertEqual(invoice.kam_user_id, self.user_kam)
