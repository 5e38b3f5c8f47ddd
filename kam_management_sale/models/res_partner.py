from odoo import api, fields, models

from odoo.addons.kam_management.models.res_partner import KAM_USER_GROUP


class ResPartner(models.Model):
    _inherit = "res.partner"

    kam_order_backlog = fields.Monetary(
        string="Sold, Not Yet Invoiced",
        currency_field="kam_company_currency_id",
        compute="_compute_kam_order_backlog",
        help="Untaxed amount of the confirmed sales orders of the account not "
        "invoiced yet, in the companies you work in.",
        groups=KAM_USER_GROUP,
    )

    @api.depends_context("company", "allowed_company_ids")
    def _compute_kam_order_backlog(self):
        self.env["sale.order.line"].flush_model()  # read with SQL
        backlog = self.env["kam.account.revenue"]._kam_order_backlog(
            self.filtered("id").ids, fields.Date.context_today(self)
        )
        for partner in self:
            partner.kam_order_backlog = backlog.get(partner.id, 0.0)
