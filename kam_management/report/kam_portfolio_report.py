from dateutil.relativedelta import relativedelta

from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.kam_account_economics import ECONOMICS_KEYS
from ..models.kam_escalation import ESCALATION_OPEN_STATES
from ..models.kam_health_snapshot import HEALTH_BANDS
from ..models.res_partner import KAM_RELATIONSHIP_STAGES, KAM_STRATEGIES

# Strategies that contradict the health of the account (the rule is the report's
# SQL, _kam_mismatch_sql).
STRATEGY_MISMATCHES = [
    ("red_investment", "Heavy investment in a red account"),
    ("healthy_harvest", "Harvesting an attractive, healthy account"),
]


class KamPortfolioReport(models.Model):
    """One row per active key account with its health, attractiveness and money.

    Revenue, expansion revenue and open pipeline are those of
    ``kam.account.revenue``; the plan is the account's current plan
    (``kam.account.plan._kam_current_plan_sql``). "Last 12 months" is
    [today - 12 months, today], "previous 12 months" the year before. Expansion
    revenue is that of the last 12 months. Amounts are in the currency of the
    reader's current company, from the documents of the companies the reader
    works in: the query is the model's ``_table_query``, run with the reader's
    environment. The buying figures (probability still buying, predicted
    revenue, lifetime value) are those the last fit of the buying model of that
    company stored on the account.
    """

    _name = "kam.portfolio.report"
    _description = "Key Account Portfolio Analysis"
    _inherit = ["kam.selection.order.mixin"]
    _auto = False
    _kam_ordered_selections = ("kam_strategy", "kam_relationship_stage", "health_band")
    _rec_name = "partner_id"
    _order = "health_score, partner_id"

    partner_id = fields.Many2one("res.partner", string="Key Account", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    kam_user_id = fields.Many2one(
        "res.users", string="Key Account Manager", readonly=True
    )
    kam_strategy = fields.Selection(
        KAM_STRATEGIES, string="Strategy", readonly=True, group_expand=True
    )
    kam_relationship_stage = fields.Selection(
        KAM_RELATIONSHIP_STAGES,
        string="Relationship Stage",
        readonly=True,
        group_expand=True,
    )
    kam_since = fields.Date(string="Key Account Since", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    # a view (init): the countries of each group, to group the portfolio by
    unit_country_ids = fields.Many2many(
        "res.country",
        relation="kam_portfolio_unit_country",
        column1="partner_id",
        column2="country_id",
        string="Countries of the Group",
        readonly=True,
        help="The countries of the key account and of the units of its group.",
    )
    health_score = fields.Float(digits=(16, 1), readonly=True, aggregator="avg")
    health_band = fields.Selection(
        HEALTH_BANDS, string="Health", readonly=True, group_expand=True
    )
    health_trend = fields.Float(digits=(16, 1), readonly=True, aggregator="avg")
    # empty (NULL) for an account not scored: the averages leave it out
    selection_score = fields.Float(digits=(16, 1), readonly=True, aggregator="avg")
    selection_scored = fields.Boolean(readonly=True)
    strategy_mismatch = fields.Selection(
        STRATEGY_MISMATCHES,
        string="Mismatch",
        readonly=True,
        help="A strategy that contradicts the account's health: heavy investment "
        "(expansive investment) in a red account, or a harvest of a green account "
        "whose attractiveness reaches the company's threshold.",
    )
    is_mismatch = fields.Boolean(string="Strategy Mismatch", readonly=True)
    mismatch_count = fields.Integer(string="Mismatches", readonly=True)
    revenue_12m = fields.Monetary(string="Revenue 12 Months", readonly=True)
    revenue_prev_12m = fields.Monetary(
        string="Revenue Previous 12 Months", readonly=True
    )
    growth = fields.Float(
        string="Growth (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Revenue of the last 12 months against the 12 months before, in "
        "percent; empty without revenue in the 12 months before.",
    )
    lifetime_revenue = fields.Monetary(
        readonly=True, help="Revenue since the first document of the account."
    )
    expansion_revenue = fields.Monetary(readonly=True)
    open_pipeline = fields.Monetary(readonly=True)
    open_escalation_count = fields.Integer(string="Open Escalations", readonly=True)
    gross_margin_12m = fields.Monetary(
        string="Gross Margin 12 Months",
        readonly=True,
        help="Revenue of the last 12 months less the cost of what was sold, over "
        "the lines whose cost is known.",
    )
    margin_percent = fields.Float(
        string="Margin (%)",
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="Gross margin over the revenue of the lines whose cost is known; "
        "empty without such a line.",
    )
    has_margin = fields.Boolean(string="Margin Known", readonly=True)
    discount_12m = fields.Monetary(
        string="Discounts 12 Months",
        readonly=True,
        help="What the lines sold gave away against the list price.",
    )
    cost_to_serve_12m = fields.Monetary(
        string="Cost to Serve 12 Months",
        readonly=True,
        help="The budgets of the plans spread over their days, plus the timesheet "
        "cost on the account's projects and tasks.",
    )
    contribution_12m = fields.Monetary(
        string="Contribution 12 Months",
        readonly=True,
        help="Gross margin less cost to serve.",
    )
    payback_months = fields.Integer(
        string="Payback (months)",
        compute="_compute_payback",
        help="Months from the designation until what the account brought since "
        "then, above what it brought before, covers the budgets of its plans.",
    )
    payback = fields.Char(compute="_compute_payback")
    plan_progress = fields.Float(
        string="Plan Progress (%)", digits=(16, 1), readonly=True, aggregator="avg"
    )
    account_count = fields.Integer(string="Accounts", readonly=True)
    # the buying figures of the company the amounts are in (DESIGN §12); empty
    # for an account without figures there
    p_active = fields.Float(
        string="Probability Still Buying",
        readonly=True,
        aggregator="avg",
        help="Probability, from 0 to 1, that the account still buys, judged from "
        "the rhythm of its past purchases.",
    )
    predicted_revenue_12m = fields.Monetary(
        string="Predicted Revenue 12 Months", readonly=True
    )
    clv = fields.Monetary(
        string="Customer Lifetime Value",
        readonly=True,
        help="Revenue expected from the account in the next 36 months, discounted.",
    )
    buying_date = fields.Date(string="Buying Figures as of", readonly=True)

    def init(self):
        # The portfolio was a view created here before its query depended on
        # the reader.
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE OR REPLACE VIEW kam_portfolio_unit_country AS (
                SELECT DISTINCT kam_account_id AS partner_id, country_id
                  FROM res_partner
                 WHERE active AND country_id IS NOT NULL
                   AND (is_company OR id = kam_account_id)
            )
            """
        )

    @property
    def _table_query(self):
        # Evaluated for each read, like sale.report: the amounts are in the
        # currency of the reader's company, from the companies the reader works
        # in, which a view created once cannot know.
        return self._query()

    def _compute_payback(self):
        partners = self.partner_id
        payback = self.env["kam.account.economics"]._kam_payback(
            partners, self.env.company._kam_today()
        )
        for row in self:
            months, code, values = payback.get(row.partner_id.id, (None, None, {}))
            row.payback_months = months or 0
            row.payback = row.partner_id._kam_payback_text(code, values)

    def action_open_account(self):
        """The form of the key account of the row."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "views": [(False, "form")],
            "target": "current",
        }

    @staticmethod
    def _kam_mismatch_sql():
        """SQL on the row ``p`` of res_partner joined to its company ``c``: the
        code of its strategy mismatch (STRATEGY_MISMATCHES) or NULL."""
        return SQL(
            """CASE
           WHEN p.kam_strategy = 'expansive_investment'
                AND p.kam_health_band = 'red' THEN 'red_investment'
           WHEN p.kam_strategy = 'harvest' AND p.kam_health_band = 'green'
                AND p.kam_selection_score >= c.kam_attractiveness_threshold
                THEN 'healthy_harvest'
       END"""
        )

    def _query(self):
        return SQL(
            """
WITH %(figures)s
SELECT %(columns)s
  FROM res_partner p
  LEFT JOIN res_company c ON c.id = COALESCE(p.company_id, %(company)s)
  LEFT JOIN revenue ON revenue.partner_id = p.id
  LEFT JOIN expansion ON expansion.partner_id = p.id
  LEFT JOIN pipeline ON pipeline.partner_id = p.id
  LEFT JOIN escalation ON escalation.partner_id = p.id
  LEFT JOIN plan ON plan.partner_id = p.id
  LEFT JOIN economics ON economics.partner_id = p.id
 WHERE p.is_key_account AND p.active
""",
            figures=self._kam_figures_ctes(),
            columns=self._kam_columns(),
            company=self.env.company.id,
        )

    def _kam_figures_ctes(self):
        """The figures of the key accounts, one WITH query each: revenue,
        expansion, pipeline, open escalations, current plan."""
        Revenue = self.env["kam.account.revenue"]
        key_accounts = SQL("SELECT id FROM res_partner WHERE is_key_account AND active")
        today = self.env.company._kam_today()
        return SQL(
            """
revenue AS (
    %(revenue)s
), expansion AS (
    SELECT partner_id, SUM(amount) AS expansion_revenue
      FROM (%(expansion_lines)s) lines
  GROUP BY partner_id
), pipeline AS (
    %(pipeline)s
), escalation AS (
    SELECT partner_id, COUNT(*) AS open_escalation_count
      FROM kam_escalation
     WHERE state = ANY(%(open_states)s)
  GROUP BY partner_id
), plan AS (
    %(current_plan)s
), economics AS (
    SELECT e.partner_id,
           COALESCE(e.costed_revenue, 0) - COALESCE(e.cost, 0) AS margin,
           e.costed_revenue, e.discount,
           COALESCE(e.programme_cost, 0) + COALESCE(e.service_cost, 0) AS cost_to_serve
      FROM (%(economics)s) AS e(partner_id, %(economics_keys)s)
)
""",
            revenue=Revenue._kam_revenue_figures(key_accounts, today),
            expansion_lines=Revenue._kam_expansion_lines(
                key_accounts, today - relativedelta(months=12), today
            ),
            pipeline=Revenue._kam_pipeline(key_accounts, today),
            open_states=list(ESCALATION_OPEN_STATES),
            current_plan=self.env["kam.account.plan"]._kam_current_plan_sql(today),
            economics=self.env["kam.account.economics"]._kam_economics_figures(
                key_accounts, today
            ),
            economics_keys=SQL(", ").join(map(SQL.identifier, ECONOMICS_KEYS)),
        )

    def _kam_columns(self):
        """The columns of a row, from the key account ``p``, its company ``c``
        and the figures."""
        Revenue = self.env["kam.account.revenue"]
        currency_company = Revenue._kam_currency_company()
        return SQL(
            """
       p.id AS id,
       p.id AS partner_id,
       p.company_id AS company_id,
       %(currency)s AS currency_id,
       p.kam_user_id AS kam_user_id,
       p.kam_strategy AS kam_strategy,
       p.kam_relationship_stage AS kam_relationship_stage,
       p.kam_since AS kam_since,
       p.country_id AS country_id,
       p.kam_health_score AS health_score,
       p.kam_health_band AS health_band,
       p.kam_health_trend AS health_trend,
       CASE WHEN p.kam_selection_scored THEN p.kam_selection_score END
           AS selection_score,
       COALESCE(p.kam_selection_scored, FALSE) AS selection_scored,
       %(mismatch)s AS strategy_mismatch,
       %(mismatch)s IS NOT NULL AS is_mismatch,
       (%(mismatch)s IS NOT NULL)::int AS mismatch_count,
       COALESCE(revenue.current, 0) AS revenue_12m,
       COALESCE(revenue.previous, 0) AS revenue_prev_12m,
       %(growth)s AS growth,
       COALESCE(revenue.lifetime, 0) AS lifetime_revenue,
       COALESCE(expansion.expansion_revenue, 0) AS expansion_revenue,
       COALESCE(pipeline.open_amount, 0) AS open_pipeline,
       COALESCE(escalation.open_escalation_count, 0) AS open_escalation_count,
       COALESCE(plan.progress, 0) AS plan_progress,
       COALESCE(economics.margin, 0) AS gross_margin_12m,
       economics.margin / NULLIF(economics.costed_revenue, 0) * 100
           AS margin_percent,
       economics.costed_revenue IS NOT NULL AS has_margin,
       COALESCE(economics.discount, 0) AS discount_12m,
       COALESCE(economics.cost_to_serve, 0) AS cost_to_serve_12m,
       COALESCE(economics.margin, 0) - COALESCE(economics.cost_to_serve, 0)
           AS contribution_12m,
       1 AS account_count,
       (p.kam_p_active->>%(key)s)::float8 AS p_active,
       (p.kam_predicted_revenue_12m->>%(key)s)::numeric AS predicted_revenue_12m,
       (p.kam_clv->>%(key)s)::numeric AS clv,
       (p.kam_buying_date->>%(key)s)::date AS buying_date
""",
            currency=currency_company.currency_id.id,
            key=str(currency_company.id),
            mismatch=self._kam_mismatch_sql(),
            growth=Revenue._kam_growth_percent(
                SQL("revenue.current"), SQL("revenue.previous")
            ),
        )
