from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

# The metrics in percent (of the accounts at the start, of the revenue of the
# previous period, of the programme cost)
PERCENT_METRICS = ("retention_rate", "revenue_growth", "roi")


class KamProgrammeMetricsWizard(models.TransientModel):
    """The screen of the programme metrics over a period; the figures are
    computed by ``kam.programme.metrics``."""

    _name = "kam.programme.metrics.wizard"
    _inherit = ["kam.checked.values.mixin"]
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
        string="Revenue of the Previous Period",
        compute="_compute_metrics",
        help="Revenue in the period of the same length just before this one, of "
        "the accounts that are key accounts at the end of this period: the base "
        "of the revenue growth.",
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
    escalations_opened = fields.Integer(
        string="Escalations Opened in the Period", compute="_compute_metrics"
    )
    escalations_resolved = fields.Integer(
        string="Escalations Resolved in the Period", compute="_compute_metrics"
    )
    resolution_median_days = fields.Float(
        string="Median Resolution (days)", digits=(16, 1), compute="_compute_metrics"
    )

    previous_date_from = fields.Date(
        string="Previous Period From", compute="_compute_metrics"
    )
    previous_date_to = fields.Date(
        string="Previous Period To", compute="_compute_metrics"
    )
    comparison_html = fields.Html(
        string="Comparison", compute="_compute_metrics", sanitize=False
    )
    breakdown_html = fields.Html(
        string="Breakdown", compute="_compute_metrics", sanitize=False
    )
    segments_html = fields.Html(
        string="Key Accounts against Other Customers",
        compute="_compute_metrics",
        sanitize=False,
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        Metrics = self.env["kam.programme.metrics"]
        for wizard in self:
            error = Metrics._kam_period_error(wizard.date_from, wizard.date_to)
            if error:
                raise ValidationError(error)

    @api.onchange("date_from", "date_to")
    def _onchange_period(self):
        # A period in the wrong order or out of range is refused as it is
        # typed in, with the reason: the date goes back to its last valid value
        # and the figures stay those of a valid period. A date being cleared
        # to be typed again waits for the save (the fields are required).
        if self.date_from and self.date_to:
            self._check_dates()

    @api.depends("date_from", "date_to")
    def _compute_metrics(self):
        Metrics = self.env["kam.programme.metrics"]
        for wizard in self:
            metrics, previous = {}, {}
            # no figures without a valid period: a date being typed in (the
            # form refuses a wrong period with its reason, _onchange_period)
            valid = not Metrics._kam_period_error(wizard.date_from, wizard.date_to)
            if valid:
                metrics, previous = Metrics._kam_programme_metrics_comparison(
                    wizard.date_from, wizard.date_to
                )
            for name in self._kam_metric_fields():
                wizard[name] = metrics.get(name) or 0
            wizard.roi_available = metrics.get("roi") is not None
            wizard.previous_date_from, wizard.previous_date_to = (
                Metrics._kam_previous_period(wizard.date_from, wizard.date_to)
                if valid
                else (False, False)
            )
            wizard.comparison_html = valid and wizard._kam_render_comparison(
                metrics, previous
            )
            wizard.breakdown_html = valid and wizard._kam_render_breakdown()
            wizard.segments_html = valid and wizard._kam_render_segments()

    def _kam_render_comparison(self, metrics, previous):
        """The table of the metrics of the period beside the previous period's."""
        rows = [
            {
                "label": self._fields[name]._description_string(self.env),
                "current": self._kam_format(name, current),
                "previous": self._kam_format(name, before),
                "change": self._kam_format_change(name, current, before),
            }
            for name, current, before in self._kam_comparison(metrics, previous)
        ]
        return self.env["ir.qweb"]._render(
            "kam_management.kam_programme_metrics_comparison", {"rows": rows}
        )

    @api.model
    def _kam_comparison(self, metrics, previous):
        """``[(metric, this period, previous period)]`` of the comparison (the
        screen and the workbook), in the screen's order, from the metrics of
        both periods.

        The previous period has one revenue, the one the growth compares with:
        that of the key accounts at the end of this period (``revenue_previous``),
        in the previous period's column of the revenue. The previous period's
        own revenue (of its key accounts) and a row of ``revenue_previous``
        (whose previous column would be the period before) would show two
        others beside it."""
        return [
            (
                name,
                metrics[name],
                metrics["revenue_previous"] if name == "revenue" else previous[name],
            )
            for name in self._kam_metric_fields()
            if name != "revenue_previous"
        ]

    def _kam_render_breakdown(self):
        """The tables per KAM and per strategy, a bar of revenue on each row."""
        tables = [
            (title, self._kam_breakdown_rows(groupby))
            for title, groupby in self._kam_breakdown_groupbys()
        ]
        return self.env["ir.qweb"]._render(
            "kam_management.kam_programme_metrics_breakdown", {"tables": tables}
        )

    def _kam_render_segments(self):
        """The table of the key accounts beside the other customers."""
        segments = self.env["kam.programme.metrics"]._kam_segment_comparison(
            self.date_from, self.date_to
        )
        rows = [
            {
                "label": label,
                "key": self._kam_format_segment(kind, segments["key"][name]),
                "other": self._kam_format_segment(kind, segments["other"][name]),
            }
            for name, label, kind in self._kam_segment_rows()
        ]
        return self.env["ir.qweb"]._render(
            "kam_management.kam_programme_metrics_segments", {"rows": rows}
        )

    @api.model
    def _kam_segment_rows(self):
        """``[(figure, label, kind)]`` of the segment table."""
        return [
            ("customers", self.env._("Customers Buying in the Period"), "count"),
            ("revenue", self.env._("Revenue"), "money"),
            ("revenue_growth", self.env._("Revenue Growth (%)"), "percent"),
            ("retention_rate", self.env._("Customers Retained (%)"), "percent"),
            ("margin_percent", self.env._("Margin (%)"), "percent"),
            ("nps", self.env._("NPS"), "percent"),
            ("csat", self.env._("CSAT (1-5)"), "percent"),
        ]

    def _kam_format_segment(self, kind, value):
        if value is None:
            return self.env._("n/a")
        if kind == "money":
            return formatLang(self.env, value, currency_obj=self.currency_id)
        return formatLang(self.env, value, digits=0 if kind == "count" else 1)

    @api.model
    def _kam_breakdown_groupbys(self):
        return [
            (self.env._("Per Key Account Manager"), "kam_user_id"),
            (self.env._("Per Strategy"), "kam_strategy"),
        ]

    def _kam_breakdown_rows(self, groupby):
        """Rows of a breakdown table, with the bar width (percent of the largest
        revenue)."""
        groups = self.env["kam.programme.metrics"]._kam_programme_metrics_breakdown(
            self.date_from, self.date_to, groupby
        )
        top = max((metrics["revenue"] for __, metrics in groups), default=0) or 1
        return [
            {
                "label": self._kam_group_label(groupby, value),
                "accounts": metrics["accounts_end"],
                "retention": self._kam_format("retention_rate", metrics),
                "revenue": self._kam_format("revenue", metrics["revenue"]),
                "growth": self._kam_format("revenue_growth", metrics),
                "expansion": self._kam_format(
                    "expansion_revenue", metrics["expansion_revenue"]
                ),
                "bar": round(max(metrics["revenue"], 0) / top * 100),
            }
            for value, metrics in groups
        ]

    @api.model
    def _kam_group_label(self, groupby, value):
        """The label of a group of the breakdown (a KAM or a strategy)."""
        field = self.env["res.partner"]._fields[groupby]
        if field.type == "many2one":
            return value.display_name or self.env._("No KAM")
        labels = dict(field._description_selection(self.env))
        return labels.get(value) or self.env._("No Strategy")

    def _kam_format(self, name, value):
        """A metric as text: amounts in the currency, other figures with their
        digits; ``value`` a number or a metrics dict."""
        if isinstance(value, dict):
            value = value[name]
        if value is None:  # a ratio without base (ROI without cost)
            return self.env._("n/a")
        field = self._fields[name]
        if field.type == "monetary":
            return formatLang(self.env, value, currency_obj=self.currency_id)
        if field.type == "integer":
            return formatLang(self.env, value, digits=0)
        return formatLang(self.env, value, digits=1)

    def _kam_format_change(self, name, current, before):
        if current is None or before is None:
            return ""
        change = current - before
        text = self._kam_format(name, change)
        return f"+{text}" if change > 0 else text

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
