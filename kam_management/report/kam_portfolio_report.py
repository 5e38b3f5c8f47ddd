from odoo import fields, models
from odoo.tools import SQL

from ..models.kam_health_snapshot import HEALTH_BANDS
from ..models.res_partner import KAM_RELATIONSHIP_STAGES, KAM_STRATEGIES


class KamPortfolioReport(models.Model):
    """One row per active key account with its health, attractiveness and money.

    The money comes from CRM only (the addon depends on ``crm``): won opportunities
    (``expected_revenue`` by ``date_closed``) of the account and of its contacts.
    "Last 12 months" is [today - 12 months, now], "previous 12 months" the year
    before. Expansion revenue is the won revenue of the last 12 months from growth
    opportunities (a growth type or an account plan). Amounts are those of the
    opportunities, in the currency of their company; ``currency_id`` is the
    currency of the account's company (of the first company for shared accounts).
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
        return SQL(
            """
WITH won AS (
    SELECT lp.commercial_partner_id AS partner_id,
           SUM(l.expected_revenue) FILTER (
               WHERE l.date_closed >= CURRENT_DATE - INTERVAL '12 months'
           ) AS revenue_12m,
           SUM(l.expected_revenue) FILTER (
               WHERE l.date_closed >= CURRENT_DATE - INTERVAL '24 months'
                 AND l.date_closed < CURRENT_DATE - INTERVAL '12 months'
           ) AS revenue_prev_12m,
           SUM(l.expected_revenue) FILTER (
               WHERE l.date_closed >= CURRENT_DATE - INTERVAL '12 months'
                 AND (l.kam_growth_type IS NOT NULL OR l.kam_plan_id IS NOT NULL)
           ) AS expansion_revenue
      FROM crm_lead l
      JOIN res_partner lp ON lp.id = l.partner_id
      JOIN crm_stage s ON s.id = l.stage_id
     WHERE l.active AND s.is_won AND l.type = 'opportunity'
       AND l.date_closed >= CURRENT_DATE - INTERVAL '24 months'
  GROUP BY lp.commercial_partner_id
), pipeline AS (
    SELECT lp.commercial_partner_id AS partner_id,
           SUM(l.expected_revenue) AS open_pipeline
      FROM crm_lead l
      JOIN res_partner lp ON lp.id = l.partner_id
      LEFT JOIN crm_stage s ON s.id = l.stage_id
     WHERE l.active AND l.type = 'opportunity' AND NOT COALESCE(s.is_won, FALSE)
  GROUP BY lp.commercial_partner_id
), escalation AS (
    SELECT partner_id, COUNT(*) AS open_escalation_count
      FROM kam_escalation
     WHERE state IN ('new', 'in_progress')
  GROUP BY partner_id
), plan AS (
    SELECT DISTINCT ON (partner_id) partner_id, progress
      FROM kam_account_plan
     WHERE state = 'active'
  ORDER BY partner_id,
           (CURRENT_DATE BETWEEN date_start AND date_end) DESC,
           date_start DESC, id DESC
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
       COALESCE(won.revenue_12m, 0) AS revenue_12m,
       COALESCE(won.revenue_prev_12m, 0) AS revenue_prev_12m,
       CASE WHEN COALESCE(won.revenue_prev_12m, 0) = 0 THEN NULL
            ELSE (COALESCE(won.revenue_12m, 0) - won.revenue_prev_12m)
                 / won.revenue_prev_12m * 100
       END AS growth,
       COALESCE(won.expansion_revenue, 0) AS expansion_revenue,
       COALESCE(pipeline.open_pipeline, 0) AS open_pipeline,
       COALESCE(escalation.open_escalation_count, 0) AS open_escalation_count,
       COALESCE(plan.progress, 0) AS plan_progress,
       1 AS account_count
  FROM res_partner p
  LEFT JOIN res_company c ON c.id = p.company_id
  LEFT JOIN won ON won.partner_id = p.id
  LEFT JOIN pipeline ON pipeline.partner_id = p.id
  LEFT JOIN escalation ON escalation.partner_id = p.id
  LEFT JOIN plan ON plan.partner_id = p.id
 WHERE p.is_key_account AND p.active
"""
        )
