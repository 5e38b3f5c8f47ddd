from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.kam_management.tests.common import KamCommon


@tagged("post_install", "-at_install")
class TestSaleMargin(KamCommon):
    """Issue 26: a sale at a discount with a known cost. ``account`` orders 5
    ``desk`` (list price 100) at 100 less 10 %: 450 sold, 50 given away; the
    sale line's cost is 60 a desk (300): a margin of 150."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.desk = cls.env["product.product"].create(
            {
                "name": "Desk",
                "list_price": 100.0,
                "standard_price": 60.0,
                "invoice_policy": "order",
            }
        )
        cls.order = cls.env["sale.order"].create(
            {
                "partner_id": cls.account_contact.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.desk.id,
                            "product_uom_qty": 5,
                            "price_unit": 100.0,
                            "discount": 10.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        cls.order.action_confirm()

    def _economics(self):
        self.env.invalidate_all()
        return self.account.with_user(self.user_kam)

    def test_order_not_invoiced(self):
        self.assertEqual(self.order.order_line.purchase_price, 60.0)
        account = self._economics()
        self.assertAlmostEqual(account.kam_gross_margin_12m, 150.0)
        self.assertAlmostEqual(account.kam_margin_percent, 150 / 450 * 100, places=1)
        self.assertAlmostEqual(account.kam_discount_12m, 50.0)

    def test_invoiced_keeps_the_cost_of_the_sale(self):
        invoice = self.order._create_invoices()
        invoice.action_post()
        # the product costs more today: the margin is the one of the sale
        self.desk.standard_price = 90.0
        account = self._economics()
        self.assertAlmostEqual(account.kam_gross_margin_12m, 150.0)
        self.assertAlmostEqual(account.kam_discount_12m, 50.0)
        line = self.env["kam.revenue.line"].search(
            [("account_id", "=", self.account.id), ("source", "=", "invoices")]
        )
        self.assertAlmostEqual(line.cost, 300.0)

    def test_salesman_refused(self):
        account = self.account.with_user(self.user_sales)
        with self.assertRaises(AccessError):
            account.read(["kam_gross_margin_12m"])
