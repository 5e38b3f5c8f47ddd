from odoo import fields, models
from odoo.tools import SQL

from ..models.kam_escalation import ESCALATION_OPEN_STATES
from ..models.kam_health_snapshot import HEALTH_BANDS
from ..models.res_partner import KAM_RELATIONSHIP_STAGES, KAM_STRATEGIES


class KamPortfolioReport(models.Model):
    """One row per active key account with its health, attractiveness and money.

    Revenue, expansion revenue and open pipeline are those of
    ``kam.account.revenue``; the plan is the account's current plan
    (``kam.account.plan._kam_current_plan_sql``). "Last 12 months" is
    [today - 12 months, today], "previous 12 months" the year before. Expansion
    revenue is that of the last 12 months. Amounts are in the currency of the
    company of each document; ``currency_id`` is the currency of the account's
    company (of the first company for shared accounts).
    """

    _name = "kam.portfolio.report"
    _description = "Key Account Portfolio Analysis"
    _auto = False
    _rec_name = "partner_id"
    _order = "health_score, partner_id"

    partner_id = fields.Many2one("res.partner", string="Key Account", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    kam_user_id = fields.Many2one(
        "res.users", string="Key Account Manager", readonly=True
    )
    kam_strategy = fields.Selection(KAM_STRATEGIES, string="Strategy", readonly=True)
    kam_relationship_stage = fields.Selection(
        KAM_RELATIONSHIP_STAGES, string="Relationship Stage", readonly=True
    )
    kam_since = fields.Date(string="Key Account Since", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    health_score = fields.Float(digits=(16, 1), readonly=True, aggregator="avg")
    health_band = fields.Selection(HEALTH_BANDS, string="Health", readonly=True)
    health_trend = fields.Float(digits=(16, 1), readonly=True, aggregator="avg")
    selection_score = fields.Float(digits=(16, 1), readonly=True, aggregator="avg")
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
    expansion_revenue = fields.Monetary(readonly=True)
    open_pipeline = fields.Monetary(readonly=True)
    open_escalation_count = fields.Integer(string="Open Escalations", readonly=True)
    plan_progress = fields.Float(
        string="Plan Progress (%)", digits=(16, 1), readonly=True, aggregator="avg"
    )
    account_count = fields.Integer(string="Accounts", readonly=True)

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    def _query(self):
        Revenue = self.env["kam.account.revenue"]
        key_accounts = SQL("SELECT id FROM res_partner WHERE is_key_account AND active")
        year_ago = SQL("(CURRENT_DATE - INTERVAL '12 months')::date")
        return SQL(
            """
WITH revenue AS (
    SELECT partner_id,
           SUM(amount) FILTER (WHERE date >= %(year_ago)s) AS revenue_12m,
           SUM(amount) FILTER (WHERE date < %(year_ago)s) AS revenue_prev_12m
      FROM (%(revenue_lines)s) lines
  GROUP BY partner_id
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
)
SELECT p.id AS id,
       p.id AS partner_id,
       p.company_id AS company_id,
       COALESCE(c.currency_id,
                (SELECT currency_id FROM res_company ORDER BY id LIMIT 1)
       ) AS currency_id,
       p.kam_user_id AS kam_user_id,
       p.kam_strategy AS kam_strategy,
       p.kam_relationship_stage AS kam_relationship_stage,
       p.kam_since AS kam_since,
       p.country_id AS country_id,
       p.kam_health_score AS health_score,
       p.kam_health_band AS health_band,
       p.kam_health_trend AS health_trend,
       p.kam_selection_score AS selection_score,
       COALESCE(revenue.revenue_12m, 0) AS revenue_12m,
       COALESCE(revenue.revenue_prev_12m, 0) AS revenue_prev_12m,
       CASE WHEN COALESCE(revenue.revenue_prev_12m, 0) = 0 THEN NULL
            ELSE (COALESCE(revenue.revenue_12m, 0) - revenue.revenue_prev_12m)
                 / revenue.revenue_prev_12m * 100
       END AS growth,
       COALESCE(expansion.expansion_revenue, 0) AS expansion_revenue,
       COALESCE(pipeline.open_amount, 0) AS open_pipeline,
       COALESCE(escalation.open_escalation_count, 0) AS open_escalation_count,
       COALESCE(plan.progress, 0) AS plan_progress,
       1 AS account_count
  FROM res_partner p
  LEFT JOIN res_company c ON c.id = p.company_id
  LEFT JOIN revenue ON revenue.partner_id = p.id
  LEFT JOIN expansion ON expansion.partner_id = p.id
  LEFT JOIN pipeline ON pipeline.partner_id = p.id
  LEFT JOIN escalation ON escalation.partner_id = p.id
  LEFT JOIN plan ON plan.partner_id = p.id
 WHERE p.is_key_account AND p.active
""",
            year_ago=year_ago,
            revenue_lines=Revenue._kam_revenue_lines(
                key_accounts,
                SQL("(CURRENT_DATE - INTERVAL '24 months')::date"),
                SQL("CURRENT_DATE"),
            ),
            expansion_lines=Revenue._kam_expansion_lines(
                key_accounts, year_ago, SQL("CURRENT_DATE")
            ),
            pipeline=Revenue._kam_pipeline(key_accounts),
            open_states=list(ESCALATION_OPEN_STATES),
            current_plan=self.env["kam.account.plan"]._kam_current_plan_sql(
                SQL("CURRENT_DATE")
            ),
        )
