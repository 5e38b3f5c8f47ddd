from datetime import timedelta

from odoo.tests import new_test_user, tagged

from odoo.addons.kam_management.tests.test_timeline import KamTimelineCommon

from .common import KamStockCommon


@tagged("post_install", "-at_install")
class TestTimelineStock(KamTimelineCommon, KamStockCommon):
    """Deliveries done in the timeline of their account, to the users who may
    read them."""

    def test_deliveries_done(self):
        delivery, _open = self._pickings(self.account_contact | self.account)
        receipt = self._pickings(self.account, self.type_in)
        (delivery | receipt).write(
            {"state": "done", "date_done": self.now - timedelta(days=1)}
        )
        self.assertEqual(
            self._timeline(self.user_stock), [("delivery", delivery)], "done, outgoing"
        )
        row = self.env["kam.timeline"].search(
            [("kind", "=", "delivery"), ("res_id", "=", delivery.id)]
        )
        self.assertEqual((row.date, row.name), (delivery.date_done, delivery.name))
        action = row.action_kam_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("stock.picking", delivery.id)
        )
        # a warehouse user of company B only
        user = new_test_user(
            self.env,
            login="kam_stock_b",
            groups="stock.group_stock_user",
            company_id=self.company_b.id,
            company_ids=[(6, 0, self.company_b.ids)],
        )
        self.assertFalse(self._timeline(user))
