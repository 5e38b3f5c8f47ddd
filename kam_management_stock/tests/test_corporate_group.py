from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import KamStockCommon


@tagged("post_install", "-at_install")
class TestStockCorporateGroup(KamStockCommon):
    """The deliveries to a key account's units (DESIGN §11): ``account`` is the
    group, ``plant`` a unit under it, ``workshop`` a unit of the plant (two
    levels), ``buyer`` a person of the workshop. Their deliveries are starred,
    carry the group's badge and KAM, and count in its delivery service."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_setup_group()
        cls.today = cls.env.company._kam_today()

    def _deliveries_count(self, accounts):
        self.env.flush_all()
        return self.env["kam.health.engine"]._kam_health_fetch_delivery(
            accounts.ids, self.today
        )

    def test_deliveries_to_units_starred_with_the_kam(self):
        """The warehouse user (no KAM rights) sees the deliveries to a unit and
        to a unit's person starred, with the badge and the group's KAM."""
        to_plant, to_buyer = self._pickings(self.plant | self.buyer).with_user(
            self.user_stock
        )
        for delivery in (to_plant, to_buyer):
            with self.subTest(customer=delivery.partner_id.name):
                self.assertEqual(delivery.priority, "1")
                self.assertTrue(delivery.is_key_account)
                self.assertEqual(delivery.kam_user_id, self.user_kam)
                self.assertEqual(delivery.kam_team_user_ids, self.user_sales)
        receipt = self._pickings(self.plant, picking_type=self.type_in)
        self.assertEqual(receipt.priority, "0", "only deliveries are starred")

    def test_the_units_deliveries_count_in_the_group_s_service(self):
        now = fields.Datetime.now()
        on_time, late, to_account = self._pickings(
            [self.plant, self.buyer, self.account]
        )
        (on_time | late | to_account).scheduled_date = now - timedelta(days=5)
        on_time.write({"state": "done", "date_done": now - timedelta(days=5)})
        self.assertEqual(
            self._deliveries_count(self.account),
            {self.account.id: {"count": 3, "late": 2}},
        )
        self.assertFalse(
            self._deliveries_count(self.plant | self.workshop),
            "a unit is no account of its own",
        )

    def test_moving_a_unit_out_of_the_group(self):
        """The plant leaves the group with its workshop: their deliveries lose
        the badge (a starred one keeps its star, as on a demotion) and count
        for themselves; the new ones are not starred."""
        to_plant, to_buyer = self._pickings(self.plant | self.buyer)
        self.plant.parent_id = False
        self.assertFalse(to_plant.is_key_account)
        self.assertFalse(to_buyer.is_key_account)
        self.assertFalse(to_buyer.with_user(self.user_stock).kam_user_id)
        self.assertEqual(to_plant.priority, "1")
        self.assertEqual(self._pickings(self.buyer).priority, "0")
        self.assertFalse(self._deliveries_count(self.account))
        self.assertEqual(
            self._deliveries_count(self.plant | self.workshop),
            {
                self.plant.id: {"count": 1, "late": 0},
                self.workshop.id: {"count": 2, "late": 0},
            },
        )
