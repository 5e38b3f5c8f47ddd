from odoo import fields, models, tools
from odoo.tools import SQL


class KamRecommendationHitRate(models.Model):
    """The hit rates of the recommendation runs, one row per run and method, so
    that a graph draws the recommendations and the baseline side by side over
    time. A run with no account to score (none bought a new category since the
    cut-off) has no hit rate and is left out."""

    _name = "kam.recommendation.hit.rate"
    _description = "Key Account Recommendation Hit Rate"
    _auto = False
    _order = "date, method"

    run_id = fields.Many2one("kam.recommendation.run", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True)
    method = fields.Selection(
        [("recommendations", "Recommendations"), ("baseline", "Most Bought")],
        readonly=True,
    )
    hit_rate = fields.Float(digits=(16, 3), readonly=True, aggregator="avg")
    accounts = fields.Integer(string="Accounts Scored", readonly=True, aggregator="max")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT id * 2 AS id, id AS run_id, company_id, date,
                           'recommendations' AS method, hit_rate, accounts
                      FROM kam_recommendation_run
                     WHERE accounts > 0
                     UNION ALL
                    SELECT id * 2 + 1, id, company_id, date, 'baseline',
                           baseline_hit_rate, accounts
                      FROM kam_recommendation_run
                     WHERE accounts > 0
                )
                """,
                SQL.identifier(self._table),
            )
        )
