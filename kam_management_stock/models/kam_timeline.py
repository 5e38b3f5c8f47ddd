from odoo import api, fields, models
from odoo.tools import SQL


class KamTimeline(models.Model):
    """Deliveries done in the timeline of their account."""

    _inherit = "kam.timeline"
    _depends = {
        "stock.picking": [
            "company_id",
            "date_done",
            "name",
            "partner_id",
            "picking_type_id",
            "state",
            "user_id",
        ],
        "stock.picking.type": ["code"],
    }

    kind = fields.Selection(
        selection_add=[("delivery", "Delivery")], ondelete={"delivery": "cascade"}
    )

    @api.model
    def _kam_timeline_parts(self):
        return [
            *super()._kam_timeline_parts(),
            ("stock.picking", self._kam_delivery_part()),
        ]

    @api.model
    def _kam_delivery_part(self):
        """Outgoing transfers done, when they were done."""
        return self._kam_part(
            SQL("stock_picking pk JOIN res_partner c ON c.id = pk.partner_id"),
            # the types as an array: joined, the few outgoing types would lead
            # the database to read every delivery before their partner
            SQL(
                """pk.state = 'done' AND pk.picking_type_id = ANY(ARRAY(
                       SELECT id FROM stock_picking_type WHERE code = 'outgoing'))"""
            ),
            key=SQL("pk.id"),
            partner_id=SQL("c.kam_account_id"),
            date=SQL("pk.date_done"),
            kind=SQL("'delivery'::varchar"),
            res_model=SQL("'stock.picking'::varchar"),
            res_id=SQL("pk.id"),
            message_id=SQL("NULL::integer"),
            name=SQL("pk.name"),
            user_id=SQL("pk.user_id"),
            company_id=SQL("pk.company_id"),
        )
