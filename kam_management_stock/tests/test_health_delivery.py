from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import KamStockCommon


@tagged("post_install", "-at_install")
class TestHealthDelivery(KamStockCommon):
    """Late deliveries count against the account's service in its health: the
    delivery factor, with its evidence read in the reader's language."""

    def _delivery_line(self):
        self.env["kam.health.engine"]._kam_health_run(self.account.ids)
        snapshot = self.env["kam.health.snapshot"].search(
            [("partner_id", "=", self.account.id)], limit=1
        )
        return snapshot.line_ids.filtered(
            lambda line: line.factor_id.code == "delivery"
        )

    def test_late_deliveries_lower_the_score(self):
        now = fields.Datetime.now()
        on_time, late_done, late_open, future = self._pickings(
            [self.account_contact, self.account, self.account, self.account]
        )
        (on_time | late_done | late_open).scheduled_date = now - timedelta(days=5)
        future.scheduled_date = now + timedelta(days=5)
        # done on the scheduled day, and three days after it
        for picking, done in ((on_time, now - timedelta(days=5)), (late_done, now)):
            picking.write({"state": "done", "date_done": done})
        line = self._delivery_line()
        self.assertEqual(line.score, round(100 * (1 - 2 / 3), 1))
        self.assertEqual(line.evidence, "3 deliveries due in 90 days, 2 late")

    def test_no_delivery_due_is_no_data(self):
        line = self._delivery_line()
        self.assertFalse(line.has_data)
        self.assertIn("no delivery due in 90 days", line.evidence)
