from odoo.tests import HttpCase, tagged

from odoo.addons.kam_management.tests.common import KamCommon

from .common import new_stock_user


@tagged("post_install", "-at_install", "kam_http", "kam_ui")
class TestDeliveriesUi(HttpCase, KamCommon):
    """The deliveries list and form of a warehouse user in a real browser (the JS
    tour in static/tests/tours/). scripts/test.sh runs this class with odoo-bin
    --test-tags=kam_http/kam_management_stock (pytest-odoo skips HttpCase)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_stock = new_stock_user(cls.env)
        cls.user_stock.tour_enabled = False
        cls.account.name = "Tour Key Corp"
        walk_in = cls.env["res.partner"].create(
            {"name": "Tour Walk-in Ltd", "is_company": True}
        )
        picking_type = cls.env.ref("stock.picking_type_out")
        cls.deliveries = cls.env["stock.picking"].create(
            [
                {
                    "partner_id": partner.id,
                    "picking_type_id": picking_type.id,
                    "location_id": picking_type.default_location_src_id.id,
                    "location_dest_id": picking_type.default_location_dest_id.id,
                }
                for partner in (cls.account_contact, walk_in)
            ]
        )

    def test_kam_delivery_tour(self):
        """A warehouse user filters the deliveries on key accounts and opens one."""
        self.assertFalse(self.user_stock.has_group("kam_management.group_kam_user"))
        self.assertEqual(self.deliveries.mapped("priority"), ["1", "0"])
        self.start_tour("/odoo", "kam_delivery_tour", login=self.user_stock.login)
