from odoo import api, fields, models
from odoo.tools import SQL


class KamTimeline(models.Model):
    """Confirmed sale orders in the timeline of their account."""

    _inherit = "kam.timeline"
    _depends = {
        "sale.order": [
            "company_id",
            "date_order",
            "name",
            "partner_id",
            "state",
            "user_id",
        ],
    }

    kind = fields.Selection(
        selection_add=[("order", "Order")], ondelete={"order": "cascade"}
    )

    @api.model
    def _kam_timeline_parts(self):
        return [*super()._kam_timeline_parts(), ("sale.order", self._kam_order_part())]

    @api.model
    def _kam_order_part(self):
        """Confirmed orders, on their order date."""
        return self._kam_part(
            SQL("sale_order o JOIN res_partner c ON c.id = o.partner_id"),
            SQL("o.state = 'sale'"),
            key=SQL("o.id"),
            partner_id=SQL("c.kam_account_id"),
            date=SQL("o.date_order"),
            kind=SQL("'order'::varchar"),
            res_model=SQL("'sale.order'::varchar"),
            res_id=SQL("o.id"),
            message_id=SQL("NULL::integer"),
            name=SQL("o.name"),
            user_id=SQL("o.user_id"),
            company_id=SQL("o.company_id"),
        )
