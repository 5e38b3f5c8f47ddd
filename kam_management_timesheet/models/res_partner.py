from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.kam_management.models.res_partner import KAM_USER_GROUP


class ResPartner(models.Model):
    _inherit = "res.partner"

    kam_timesheet_cost_12m = fields.Monetary(
        string="Timesheet Cost 12 Months",
        currency_field="kam_company_currency_id",
        compute="_compute_kam_timesheet_cost",
        groups=KAM_USER_GROUP,
        help="The cost of the hours recorded on the account's projects and tasks "
        "in the last 12 months (part of the cost to serve).",
    )

    @api.depends_context("company", "allowed_company_ids")
    def _compute_kam_timesheet_cost(self):
        accounts = self.filtered("id")
        cost = {}
        if accounts:
            today = self.env.company._kam_today()
            self.env.flush_all()  # read with SQL
            self.env.cr.execute(
                SQL(
                    "SELECT partner_id, SUM(amount) FROM (%s) timesheets"
                    " GROUP BY partner_id",
                    self.env["kam.account.economics"]._kam_timesheet_cost_lines(
                        accounts.ids, today - relativedelta(years=1), today
                    ),
                )
            )
            cost = dict(self.env.cr.fetchall())
        for partner in self:
            partner.kam_timesheet_cost_12m = cost.get(partner.id, 0.0)
