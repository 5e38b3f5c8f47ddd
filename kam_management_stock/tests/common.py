from odoo.tests import new_test_user

from odoo.addons.kam_management.tests.common import KamCommon


def new_stock_user(env):
    """Walt Warehouse, an Inventory user with no sales or KAM rights."""
    return new_test_user(
        env, login="kam_stock", name="Walt Warehouse", groups="stock.group_stock_user"
    )


class KamStockCommon(KamCommon):
    """A warehouse user, deliveries and receipts of key accounts and others."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.type_out = cls.env.ref("stock.picking_type_out")
        cls.type_in = cls.env.ref("stock.picking_type_in")
        cls.product = cls.env["product.product"].create(
            {"name": "KAM Widget", "type": "consu"}
        )
        cls.user_stock = new_stock_user(cls.env)
        cls.env["kam.team.member"].create(
            {
                "partner_id": cls.account.id,
                "user_id": cls.user_sales.id,
                "role": "logistics",
            }
        )

    def _pickings(self, partners, picking_type=None, **vals):
        picking_type = picking_type or self.type_out
        # partners: a recordset or a list (the same partner more than once)
        return self.env["stock.picking"].create(
            [
                {
                    "partner_id": partner.id,
                    "picking_type_id": picking_type.id,
                    "location_id": picking_type.default_location_src_id.id,
                    "location_dest_id": picking_type.default_location_dest_id.id,
                    "move_ids": [
                        (
                            0,
                            0,
                            {
                                "name": self.product.name,
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "location_id": picking_type.default_location_src_id.id,
                                "location_dest_id": picking_type.default_location_dest_id.id,
                            },
                        )
                    ],
                    **vals,
                }
                for partner in partners
            ]
        )
