from odoo import api, fields, models

from odoo.addons.kam_management.models.res_partner import KAM_USER_GROUP


class ResPartner(models.Model):
    _inherit = "res.partner"

    kam_overdue_amount = fields.Monetary(
        string="Overdue Receivables",
        currency_field="kam_company_currency_id",
        compute="_compute_kam_overdue_amount",
        help="What the account owes past the due date: its customer invoices past "
        "due and not fully paid, less its open credit notes, in the companies you "
        "work in.",
        groups=KAM_USER_GROUP,
    )
    kam_recommendation_ids = fields.One2many(
        "kam.recommendation",
        "partner_id",
        string="Recommendations",
        domain=[("state", "=", "new")],
        readonly=True,
        groups=KAM_USER_GROUP,
        help="The categories the account does not buy that its peers buy with "
        "what it buys.",
    )

    @api.depends_context("company", "allowed_company_ids")
    def _compute_kam_overdue_amount(self):
        accounts = self.filtered("id")
        self.env["account.move"].flush_model()  # read with SQL
        overdue = dict(
            self.env["kam.account.revenue"]._kam_overdue_by_account(
                accounts.ids, fields.Date.context_today(self)
            )
        )
        for partner in self:
            partner.kam_overdue_amount = overdue.get(partner.id, 0.0)
