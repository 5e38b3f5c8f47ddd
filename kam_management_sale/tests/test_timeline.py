from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.kam_management.tests.test_timeline import KamTimelineCommon

from .common import KamSaleRightsCommon


@tagged("post_install", "-at_install")
class TestTimelineSale(KamTimelineCommon, KamSaleRightsCommon):
    """Confirmed orders in the timeline of their account, to the users who may
    read them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        product = cls.env["product.product"].create({"name": "Widget"})
        cls.order_sales, cls.order_kam, cls.quotation = cls.env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "order_line": [(0, 0, {"product_id": product.id})],
                }
                for partner, user in (
                    (cls.account_contact, cls.user_sales),
                    (cls.account, cls.user_kam),
                    (cls.account, cls.user_sales),
                )
            ]
        )
        (cls.order_sales | cls.order_kam).action_confirm()
        cls.order_sales.date_order = cls.now - timedelta(days=2)
        cls.order_kam.date_order = cls.now - timedelta(days=1)

    def test_confirmed_orders(self):
        self.assertEqual(
            self._timeline(self.user_kam_manager),
            [("order", self.order_kam), ("order", self.order_sales)],
            "newest first, no quotation",
        )
        row = self.env["kam.timeline"].search(
            [("partner_id", "=", self.account.id), ("kind", "=", "order")], limit=1
        )
        self.assertEqual(
            (row.date, row.name, row.user_id, row.company_id),
            (
                self.order_kam.date_order,
                self.order_kam.name,
                self.user_kam,
                self.company,
            ),
        )
        action = row.action_kam_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("sale.order", row.res_id)
        )

    def test_what_each_salesman_reads(self):
        """A salesman of his own orders reads his, the account's KAM (a salesman
        too) his own, a salesman of company B none."""
        self.assertEqual(self._timeline(self.user_sales), [("order", self.order_sales)])
        self.assertEqual(self._timeline(self.user_kam), [("order", self.order_kam)])
        self.assertFalse(self._timeline(self.user_sales_b))
