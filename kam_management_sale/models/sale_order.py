from odoo import api, models


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "kam.partner.document.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._kam_subscribe_account_managers()
        return orders

    def _kam_subscribe_account_managers(self):
        """The KAM follows the new orders of their key accounts: one subscription
        per KAM for all their orders of the batch (internal, active users only)."""
        by_manager = {}
        for order in self.filtered("is_key_account"):
            manager = order.kam_user_id
            if manager.active and not manager.share:
                by_manager.setdefault(manager, self.browse())
                by_manager[manager] |= order
        for manager, orders in by_manager.items():
            orders.message_subscribe(partner_ids=manager.partner_id.ids)
