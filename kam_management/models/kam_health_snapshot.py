from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

HEALTH_BANDS = [("red", "Red"), ("yellow", "Yellow"), ("green", "Green")]


class KamHealthSnapshot(models.Model):
    """The health of an account on a day, written by kam.health.engine."""

    _name = "kam.health.snapshot"
    _description = "Key Account Health Snapshot"
    _inherit = ["kam.selection.order.mixin"]
    _kam_ordered_selections = ("band",)
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        ondelete="cascade",
        index=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    score = fields.Float(digits=(16, 1), aggregator="avg")
    band = fields.Selection(HEALTH_BANDS, group_expand=True)
    line_ids = fields.One2many(
        "kam.health.snapshot.line", "snapshot_id", string="Factors"
    )
    kam_user_id = fields.Many2one(related="partner_id.kam_user_id", string="KAM")

    _sql_constraints = [
        (
            "partner_date_uniq",
            "unique(partner_id, date)",
            "There is one health snapshot per account and day.",
        ),
    ]

    @api.model
    def _kam_health_fetch_previous_scores(self, partner_ids, today):
        """{partner id: score} of the latest snapshot between 30 and 60 days ago,
        in one query (also the comparison of the churn risk rule of escalations)."""
        if not partner_ids:
            return {}
        self.flush_model(["partner_id", "date", "score"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id) partner_id, score
                  FROM kam_health_snapshot
                 WHERE partner_id = ANY(%s) AND score IS NOT NULL
                   AND date <= %s AND date >= %s
              ORDER BY partner_id, date DESC
                """,
                list(partner_ids),
                today - timedelta(days=30),
                today - timedelta(days=60),
            )
        )
        return dict(self.env.cr.fetchall())
