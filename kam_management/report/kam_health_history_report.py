from odoo import fields, models
from odoo.tools import SQL

from ..models.kam_health_snapshot import HEALTH_BANDS


class KamHealthHistoryReport(models.Model):
    """The health history: one row per account and month, the last snapshot of
    the month (not an average of its days). A month without snapshot has no row:
    graphs and pivots leave it out instead of drawing a 0. The graph draws a
    line per account (an average of accounts' scores is nobody's health), over
    the months an account has a row (static/src/views/
    kam_health_history_graph.js). The query is the model's ``_table_query``,
    over the snapshots the reader may read."""

    _name = "kam.health.history.report"
    _description = "Key Account Health History"
    _inherit = ["kam.selection.order.mixin"]
    _auto = False
    _order = "month desc, partner_id"
    _rec_name = "partner_id"
    _kam_ordered_selections = ("band",)

    partner_id = fields.Many2one("res.partner", string="Account", readonly=True)
    kam_user_id = fields.Many2one("res.users", string="KAM", readonly=True)
    snapshot_id = fields.Many2one("kam.health.snapshot", readonly=True)
    month = fields.Date(readonly=True, help="The first day of the month.")
    date = fields.Date(string="Snapshot Date", readonly=True)
    score = fields.Float(
        string="Health Score", digits=(16, 1), readonly=True, aggregator="avg"
    )
    band = fields.Selection(
        HEALTH_BANDS, string="Health", readonly=True, group_expand=True
    )

    @property
    def _table_query(self):
        snapshots = self.env["kam.health.snapshot"]._search([])
        return SQL(
            """
SELECT DISTINCT ON (s.partner_id, date_trunc('month', s.date))
       s.id AS id,
       s.id AS snapshot_id,
       s.partner_id AS partner_id,
       p.kam_user_id AS kam_user_id,
       date_trunc('month', s.date)::date AS month,
       s.date AS date,
       s.score AS score,
       s.band AS band
  FROM kam_health_snapshot s
  JOIN res_partner p ON p.id = s.partner_id
 WHERE s.id IN %(snapshots)s AND s.score IS NOT NULL
ORDER BY s.partner_id, date_trunc('month', s.date), s.date DESC, s.id DESC
""",
            snapshots=snapshots.subselect(),
        )

    def action_open_snapshot(self):
        """The snapshot of the row, with its factors."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.health.snapshot",
            "res_id": self.snapshot_id.id,
            "views": [(False, "form")],
            "target": "current",
        }
