from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class KamProgrammeMetricsWizard(models.TransientModel):
    """The screen of the programme metrics over a period; the figures are
    computed by ``kam.programme.metrics``."""

    _name = "kam.programme.metrics.wizard"
    _description = "Key Account Programme Metrics"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: self.env.company._kam_today() - relativedelta(years=1),
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: self.env.company._kam_today(),
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    accounts_start = fields.Integer(
        string="Key Accounts at Start", compute="_compute_metrics"
    )
    accounts_end = fields.Integer(
        string="Key Accounts at End", compute="_compute_metrics"
    )
    accounts_retained = fields.Integer(
        string="Key Accounts Retained",
        compute="_compute_metrics",
        help="Key accounts at the start that still are at the end.",
    )
    retention_rate = fields.Float(
        string="Retention Rate (%)", digits=(16, 1), compute="_compute_metrics"
    )
    revenue = fields.Monetary(
        compute="_compute_metrics",
        help="Revenue of the accounts that are key accounts at the end of the "
        "period: posted invoices less credit notes, else confirmed sales orders, "
        "else won opportunities.",
    )
    revenue_previous = fields.Monetary(
        string="Revenue of the Previous Period", compute="_compute_metrics"
    )
    revenue_growth = fields.Float(
        string="Revenue Growth (%)", digits=(16, 1), compute="_compute_metrics"
    )
    expansion_revenue = fields.Monetary(
        compute="_compute_metrics",
        help="Won growth opportunities (with a growth type or an account plan) "
        "closed in the period.",
    )
    programme_cost = fields.Monetary(
        compute="_compute_metrics",
        help="Budgets of the active and closed account plans whose period overlaps "
        "this one.",
    )
    roi = fields.Float(
        string="Return on Investment (%)",
        digits=(16, 1),
        compute="_compute_metrics",
        help="Revenue growth over the previous period less the programme cost, "
        "over the programme cost.",
    )
    roi_available = fields.Boolean(
        compute="_compute_metrics", help="False without programme cost."
    )
    time_to_value = fields.Float(
        string="Days to First Growth Win",
        digits=(16, 1),
        compute="_compute_metrics",
        help="Average days from the designation to the first won growth "
        "opportunity, for the accounts whose first growth win is in the period.",
    )
    escalations_opened = fields.Integer(compute="_compute_metrics")
    escalations_resolved = fields.Integer(compute="_compute_metrics")
    resolution_median_days = fields.Float(
        string="Median Resolution (days)", digits=(16, 1), compute="_compute_metrics"
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_to < wizard.date_from
            ):
                raise ValidationError(
                    self.env._(
                        "The period ends on %(end)s, before it starts on %(start)s.",
                        start=wizard.date_from,
                        end=wizard.date_to,
                    )
                )

    @api.depends("date_from", "date_to")
    def _compute_metrics(self):
        for wizard in self:
            metrics = {}
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_from <= wizard.date_to
            ):
                metrics = self.env["kam.programme.metrics"]._kam_programme_metrics(
                    wizard.date_from, wizard.date_to
                )
            for name in self._kam_metric_fields():
                wizard[name] = metrics.get(name) or 0
            wizard.roi_available = metrics.get("roi") is not None

    @api.model
    def _kam_metric_fields(self):
        return [
            "accounts_start",
            "accounts_end",
            "accounts_retained",
            "retention_rate",
            "revenue",
            "revenue_previous",
            "revenue_growth",
            "expansion_revenue",
            "programme_cost",
            "roi",
            "time_to_value",
            "escalations_opened",
            "escalations_resolved",
            "resolution_median_days",
        ]

    def action_export_xlsx(self):
        self.ensure_one()
        return self.env["kam.xlsx.export"]._kam_export_portfolio(
            date_from=self.date_from, date_to=self.date_to
        )
