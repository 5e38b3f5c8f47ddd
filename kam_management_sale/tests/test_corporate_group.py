from odoo import Command
from odoo.tests import tagged

from .common import KamSaleRightsCommon


@tagged("post_install", "-at_install")
class TestSaleCorporateGroup(KamSaleRightsCommon):
    """The orders of a key account's units (DESIGN §11): ``account`` is the
    group, ``plant`` a unit under it, ``workshop`` a unit of the plant (two
    levels), ``buyer`` a person of the workshop; ``outsider`` a company of no
    group. Their orders carry the group's badge and KAM, and count once in its
    revenue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_setup_group()
        Partner = cls.env["res.partner"]
        cls.outsider = Partner.create({"name": "Outside Ltd", "is_company": True})
        cls.product = cls.env["product.product"].create(
            {"name": "Pumps", "type": "service", "invoice_policy": "order"}
        )
        cls.today = cls.env.company._kam_today()

    def _order(self, partner, amount=100, user=None, company=None, confirm=True):
        Order = self.env["sale.order"]
        if user:
            Order = Order.with_user(user)
        order = Order.create(
            {
                "partner_id": partner.id,
                "company_id": (company or self.company).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _summary(self, account=None):
        self.env.flush_all()
        account = account or self.account
        return (
            self.env["kam.account.revenue"]
            ._kam_revenue_summary(account.ids, self.today)
            .get(account.id, {})
        )

    def _lines(self, account=None):
        self.env.flush_all()
        return self.env["kam.revenue.line"].search(
            [("account_id", "=", (account or self.account).id)]
        )

    def test_the_salesman_sees_the_group_on_the_units_orders(self):
        """A salesman without KAM rights takes the orders of a unit's buyer and
        of the unit: they carry the badge and the group's KAM, who follows them."""
        self.assertFalse(self.user_sales.has_group("kam_management.group_kam_user"))
        of_buyer = self._order(self.buyer, user=self.user_sales, confirm=False)
        of_plant = self._order(self.plant, user=self.user_sales, confirm=False)
        of_outsider = self._order(self.outsider, user=self.user_sales, confirm=False)
        for order in (of_buyer, of_plant):
            with self.subTest(customer=order.partner_id.name):
                self.assertTrue(order.is_key_account)
                self.assertEqual(order.kam_user_id, self.user_kam)
                self.assertEqual(order.kam_team_user_ids, self.user_team)
                self.assertIn(
                    self.user_kam.partner_id, order.sudo().message_partner_ids
                )
        self.assertFalse(of_outsider.is_key_account)
        self.assertFalse(of_outsider.kam_user_id)
        found = (
            self.env["sale.order"]
            .with_user(self.user_sales)
            .search(
                [
                    ("is_key_account", "=", True),
                    ("id", "in", (of_buyer | of_plant | of_outsider).ids),
                ]
            )
        )
        self.assertEqual(found, of_buyer | of_plant)

    def test_a_salesman_of_another_company(self):
        """A unit's order in company B: the badge, not the KAM, who works in
        company A only (as on the group's own orders)."""
        order = self._order(
            self.plant, user=self.user_sales_b, company=self.company_b, confirm=False
        )
        self.assertTrue(order.is_key_account)
        self.assertFalse(order.kam_user_id)
        self.assertFalse(order.kam_team_user_ids)

    def test_an_invoiced_order_of_a_unit_counts_once(self):
        invoiced = self._order(self.plant, 1000)
        self._order(self.buyer, 300)
        self._order(self.outsider, 5000)
        self._order(self.workshop, 700, confirm=False)  # a quotation
        invoice = invoiced._create_invoices()
        invoice.action_post()
        lines = self._lines()
        self.assertEqual(
            sorted((line.source, line.unit_id.name, line.amount) for line in lines),
            [("invoices", "Acme Plant", 1000.0), ("sales", "Acme Workshop", 300.0)],
            "the plant's order counted by its invoice only",
        )
        summary = self._summary()
        self.assertAlmostEqual(summary["current"], 1300)
        self.assertEqual(summary["sources"], ["invoices", "sales"])
        self.assertFalse(self._summary(self.plant), "a unit has no figures")
        env = self.env(user=self.user_kam)
        [row] = env["kam.portfolio.report"].search_read(
            [("partner_id", "in", (self.account | self.plant).ids)],
            ["partner_id", "revenue_12m"],
        )
        self.assertEqual(row["partner_id"][0], self.account.id)
        self.assertAlmostEqual(row["revenue_12m"], 1300)
        account = self.account.with_env(env)
        self.assertAlmostEqual(account.kam_order_backlog, 300, msg="sold, not invoiced")
        self.assertEqual(
            {unit.name: unit.kam_unit_revenue_12m for unit in account.kam_unit_ids},
            {"Acme Plant": 1000.0, "Acme Workshop": 300.0},
        )

    def test_moving_a_unit_out_of_the_group(self):
        """The plant leaves the group with its workshop: their orders lose the
        badge and count for themselves, no longer for the group."""
        of_plant = self._order(self.plant, 1000)
        of_buyer = self._order(self.buyer, 300)
        of_account = self._order(self.account, 50)
        self.assertAlmostEqual(self._summary()["current"], 1350)
        self.plant.parent_id = False
        self.assertFalse(of_plant.is_key_account)
        self.assertFalse(of_buyer.is_key_account)
        self.assertFalse(of_plant.with_user(self.user_sales).kam_user_id)
        self.assertTrue(of_account.is_key_account)
        orders = of_plant | of_buyer | of_account
        self.assertEqual(
            orders.search([("is_key_account", "=", True), ("id", "in", orders.ids)]),
            of_account,
            "stored as recomputed",
        )
        self.assertAlmostEqual(self._summary()["current"], 50)
        self.assertEqual(self._lines().mapped("amount"), [50.0])
        self.assertEqual(self._lines(self.plant).mapped("amount"), [1000.0])
        self.assertEqual(self._lines(self.workshop).mapped("amount"), [300.0])
        account = self.account.with_user(self.user_kam)
        self.assertAlmostEqual(account.kam_order_backlog, 50)
        # back in the group
        self.plant.parent_id = self.account
        self.assertTrue(of_buyer.is_key_account)
        self.assertAlmostEqual(self._summary()["current"], 1350)

    def test_promoting_and_demoting_the_group(self):
        """Promoting a company gives the orders of the units below it the badge
        and its KAM; demoting it takes them off."""
        unit = self.env["res.partner"].create(
            {"name": "Outside Depot", "is_company": True, "parent_id": self.outsider.id}
        )
        person = self.env["res.partner"].create(
            {"name": "Dora Depot", "parent_id": unit.id}
        )
        orders = self._order(unit, confirm=False) | self._order(person, confirm=False)
        self.assertFalse(any(orders.mapped("is_key_account")))
        self.outsider.write(
            {"is_key_account": True, "kam_user_id": self.user_kam_other.id}
        )
        for order in orders.with_user(self.user_sales):
            self.assertTrue(order.is_key_account)
            self.assertEqual(order.kam_user_id, self.user_kam_other)
        self.outsider.is_key_account = False
        self.assertFalse(any(orders.mapped("is_key_account")))
