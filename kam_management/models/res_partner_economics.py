# pylint: disable=consider-merging-classes-inherited
# (a file of its own: what an account is worth, DESIGN §14)
from odoo import api, fields, models
from odoo.tools import LazyTranslate
from odoo.tools.misc import formatLang

from ..tools.formats import kam_plural
from .res_partner import KAM_USER_GROUP

_lt = LazyTranslate(__name__)


def _money(string, help_text):
    return fields.Monetary(
        string=string,
        currency_field="kam_company_currency_id",
        compute="_compute_kam_economics",
        groups=KAM_USER_GROUP,
        help=help_text,
    )


class ResPartner(models.Model):
    """The account P&L over 12 months (``kam.account.economics``), computed when
    read for the reader's company and currency, a page of partners in one
    query: the key account form and the candidates list show it."""

    _inherit = "res.partner"

    kam_has_margin = fields.Boolean(
        string="Margin Known",
        compute="_compute_kam_economics",
        groups=KAM_USER_GROUP,
        help="Whether a line sold in the last 12 months has a known cost.",
    )
    kam_gross_margin_12m = _money(
        "Gross Margin 12 Months",
        "Revenue of the last 12 months less the cost of what was sold (the sale "
        "lines' cost with Sales Margin, else the products' cost), over the lines "
        "whose cost is known.",
    )
    kam_margin_percent = fields.Float(
        string="Margin (%)",
        digits=(16, 1),
        compute="_compute_kam_economics",
        groups=KAM_USER_GROUP,
        help="Gross margin over the revenue of the lines whose cost is known.",
    )
    kam_margin_change = fields.Float(
        string="Margin Change (points)",
        digits=(16, 1),
        compute="_compute_kam_economics",
        groups=KAM_USER_GROUP,
        help="Margin percent of the last 12 months less that of the 12 before.",
    )
    kam_discount_12m = _money(
        "Discounts 12 Months",
        "What the lines sold in the last 12 months gave away against the "
        "products' list price.",
    )
    kam_programme_cost_12m = _money(
        "Programme Cost 12 Months",
        "The budgets of the account's active and closed plans, the share of "
        "their days that falls in the last 12 months.",
    )
    kam_cost_to_serve_12m = _money(
        "Cost to Serve 12 Months",
        "Programme cost, plus the timesheet cost on the account's projects and "
        "tasks where Timesheets is installed.",
    )
    kam_contribution_12m = _money(
        "Contribution 12 Months", "Gross margin less cost to serve."
    )
    kam_payback_months = fields.Integer(
        string="Payback (months)",
        compute="_compute_kam_payback",
        groups=KAM_USER_GROUP,
        help="Months from the designation until what the account brought since "
        "then, above what it brought in the 12 months before, covers the "
        "budgets of its plans.",
    )
    kam_payback_reason = fields.Char(
        string="Payback",
        compute="_compute_kam_payback",
        groups=KAM_USER_GROUP,
    )

    @api.depends_context("company", "allowed_company_ids")
    def _compute_kam_economics(self):
        partners = self.filtered("id")
        economics = (
            self.env["kam.account.economics"]._kam_economics(
                partners.ids, self.env.company._kam_today()
            )
            if partners
            else {}
        )
        for partner in self:
            figures = economics.get(partner.id)
            partner.kam_has_margin = bool(figures and figures["has_margin"])
            if not figures:
                partner.update(dict.fromkeys(self._kam_economics_fields(), 0.0))
                continue
            current = figures["margin_percent"]
            previous = figures["margin_percent_previous"]
            partner.kam_gross_margin_12m = figures["margin"]
            partner.kam_margin_percent = current or 0.0
            partner.kam_margin_change = (
                current - previous if None not in (current, previous) else 0.0
            )
            partner.kam_discount_12m = figures["discount"]
            partner.kam_programme_cost_12m = figures["programme_cost"]
            partner.kam_cost_to_serve_12m = figures["cost_to_serve"]
            partner.kam_contribution_12m = figures["contribution"]

    @api.model
    def _kam_economics_fields(self):
        return [
            "kam_gross_margin_12m",
            "kam_margin_percent",
            "kam_margin_change",
            "kam_discount_12m",
            "kam_programme_cost_12m",
            "kam_cost_to_serve_12m",
            "kam_contribution_12m",
        ]

    @api.depends_context("company", "allowed_company_ids")
    def _compute_kam_payback(self):
        payback = self.env["kam.account.economics"]._kam_payback(
            self.filtered("id"), self.env.company._kam_today()
        )
        for partner in self:
            months, code, values = payback.get(partner.id, (None, None, {}))
            partner.kam_payback_months = months or 0
            partner.kam_payback_reason = partner._kam_payback_text(code, values)

    def _kam_payback_text(self, code, values):
        """The payback in the reader's language, from its code and values."""
        if code is None:
            return self.env._("not a key account")
        currency = self.env.company.currency_id

        def amount(value):
            return formatLang(self.env, value, currency_obj=currency, digits=0)

        if code == "payback":
            return kam_plural(
                self.env,
                values["months"],
                _lt("paid back in %(count)s month: %(invested)s of plan budgets"),
                _lt("paid back in %(count)s months: %(invested)s of plan budgets"),
                invested=amount(values["invested"]),
            )
        if code == "no_investment":
            return self.env._("no plan budget to pay back")
        if code == "no_margin":
            return self.env._("no margin data: no cost known for what it bought")
        return kam_plural(
            self.env,
            values["months"],
            _lt("not yet: %(recovered)s of %(invested)s recovered in %(count)s month"),
            _lt("not yet: %(recovered)s of %(invested)s recovered in %(count)s months"),
            recovered=amount(max(values["recovered"], 0.0)),
            invested=amount(values["invested"]),
        )
