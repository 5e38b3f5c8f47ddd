from odoo import fields, models


class KamHealthSnapshotLine(models.Model):
    _name = "kam.health.snapshot.line"
    _description = "Key Account Health Snapshot Line"
    _order = "snapshot_id, sequence, id"

    snapshot_id = fields.Many2one(
        "kam.health.snapshot", required=True, ondelete="cascade", index=True
    )
    partner_id = fields.Many2one(related="snapshot_id.partner_id")
    date = fields.Date(related="snapshot_id.date")
    factor_id = fields.Many2one(
        "kam.health.factor",
        required=True,
        ondelete="cascade",
        context={"active_test": False},
    )
    sequence = fields.Integer(default=10)
    score = fields.Float(digits=(16, 1), aggregator="avg")
    weight = fields.Float(
        string="Weight (%)",
        digits=(16, 1),
        help="Share of the factor in the score once the weights are renormalised "
        "over the factors with data (0 when the factor has no data).",
    )
    has_data = fields.Boolean()
    evidence = fields.Char(help="The facts behind the factor's score.")
