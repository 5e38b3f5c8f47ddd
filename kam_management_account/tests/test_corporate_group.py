from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from odoo.addons.kam_management.tests.common import KamCommon

from .common import new_invoice_user


@tagged("post_install", "-at_install")
class TestAccountCorporateGroup(KamCommon):
    """The invoices of a key account's units (DESIGN §11): ``account`` is the
    group, ``plant`` a unit under it, ``workshop`` a unit of the plant (two
    levels), ``buyer`` a person of the workshop. Their invoices carry the
    group's badge and KAM, and count once in its revenue and its overdue
    receivables."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_setup_group()
        cls.user_invoice = new_invoice_user(cls.env)
        cls.today = cls.env.company._kam_today()

    def _invoice(self, partner, amount, due_days=-10, move_type="out_invoice"):
        """A posted invoice of 40 days ago, due ``due_days`` from today."""
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": partner.id,
                "invoice_date": self.today - timedelta(days=40),
                "invoice_date_due": self.today + timedelta(days=due_days),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Service",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _summary(self, account=None):
        self.env.flush_all()
        account = account or self.account
        return (
            self.env["kam.account.revenue"]
            ._kam_revenue_summary(account.ids, self.today)
            .get(account.id, {})
        )

    def _overdue(self, account=None):
        self.env.flush_all()
        return dict(
            self.env["kam.account.revenue"]._kam_overdue_by_account(
                (account or self.account).ids, self.today
            )
        )

    def test_the_accountant_sees_the_group_on_the_units_invoices(self):
        """A billing user without KAM rights sees the badge and the group's KAM
        on the invoices of a unit and of a unit's person."""
        self.assertFalse(self.user_invoice.has_group("kam_management.group_kam_user"))
        invoices = self._invoice(self.plant, 100) | self._invoice(self.buyer, 100)
        for invoice in invoices.with_user(self.user_invoice):
            with self.subTest(customer=invoice.partner_id.name):
                self.assertTrue(invoice.is_key_account)
                self.assertEqual(invoice.kam_user_id, self.user_kam)
        found = (
            self.env["account.move"]
            .with_user(self.user_invoice)
            .search([("is_key_account", "=", True), ("id", "in", invoices.ids)])
        )
        self.assertEqual(found, invoices)

    def test_a_unit_s_invoice_counts_once_for_the_group(self):
        self._invoice(self.plant, 1000)
        self._invoice(self.buyer, 300)
        self._invoice(self.workshop, 100, move_type="out_refund")
        self.env.flush_all()
        lines = self.env["kam.revenue.line"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(
            sorted((line.unit_id.name, line.amount) for line in lines),
            [
                ("Acme Plant", 1000.0),
                ("Acme Workshop", -100.0),
                ("Acme Workshop", 300.0),
            ],
        )
        self.assertFalse(
            self.env["kam.revenue.line"].search(
                [("account_id", "in", (self.plant | self.workshop).ids)]
            ),
            "a unit is no account of its own",
        )
        summary = self._summary()
        self.assertAlmostEqual(summary["current"], 1200)
        self.assertEqual(summary["sources"], ["invoices"])
        [row] = (
            self.env["kam.portfolio.report"]
            .with_user(self.user_kam)
            .search_read([("partner_id", "=", self.account.id)], ["revenue_12m"])
        )
        self.assertAlmostEqual(row["revenue_12m"], 1200)

    def test_a_unit_s_overdue_invoice_counts_for_the_group(self):
        self._invoice(self.plant, 400)
        self._invoice(self.buyer, 250)
        self._invoice(self.workshop, 1000, due_days=10)  # not due yet
        self.assertEqual(self._overdue(), {self.account.id: 650.0})
        self.assertFalse(self._overdue(self.plant), "counted for the group only")
        self.assertAlmostEqual(self._summary()["overdue"], 650)
        account = self.account.with_user(self.user_kam)
        self.assertAlmostEqual(account.kam_overdue_amount, 650)

    def test_moving_a_unit_out_of_the_group(self):
        """The plant leaves the group with its workshop: their invoices lose the
        badge, their revenue and what they owe leave the group's figures."""
        of_plant = self._invoice(self.plant, 400)
        of_buyer = self._invoice(self.buyer, 250)
        of_account = self._invoice(self.account, 50)
        self.plant.parent_id = False
        self.assertFalse(of_plant.is_key_account)
        self.assertFalse(of_buyer.is_key_account)
        self.assertFalse(of_buyer.with_user(self.user_invoice).kam_user_id)
        self.assertTrue(of_account.is_key_account)
        self.assertAlmostEqual(self._summary()["current"], 50)
        self.assertEqual(self._overdue(), {self.account.id: 50.0})
        self.assertEqual(
            self._overdue(self.plant | self.workshop),
            {self.plant.id: 400.0, self.workshop.id: 250.0},
        )
