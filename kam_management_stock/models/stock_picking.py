from odoo import api, models

# Odoo's "starred" priority: reserved first and listed first (stock.picking._order)
KAM_DELIVERY_PRIORITY = "1"


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "kam.partner.document.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        pickings = super().create(vals_list)
        pickings._kam_star_key_account_deliveries()
        return pickings

    def _kam_star_key_account_deliveries(self):
        """Star the deliveries to key accounts, in one write: they are reserved and
        listed first. Called when the deliveries are created only, so that a
        promotion or a demotion leaves the existing deliveries as they are, and a
        delivery done or cancelled is never changed."""
        deliveries = self.filtered(
            lambda picking: picking.is_key_account
            and picking.picking_type_code == "outgoing"
            and picking.priority != KAM_DELIVERY_PRIORITY
            and picking.state not in ("done", "cancel")
        )
        if deliveries:
            deliveries.write({"priority": KAM_DELIVERY_PRIORITY})
