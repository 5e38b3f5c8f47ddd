from odoo import api, fields, models


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
    # The evidence is stored as data (DESIGN section 6) and rendered when read, in
    # the reader's language: a code of kam.health.engine's evidence renderers and
    # its values (numbers, ISO dates, codes of labels).
    evidence_code = fields.Char(readonly=True)
    evidence_values = fields.Json(readonly=True)
    evidence_text = fields.Char(
        readonly=True,
        help="Evidence written as text: lines computed before the evidence was "
        "stored as data, or written by hand or imported.",
    )
    evidence = fields.Char(
        compute="_compute_evidence",
        inverse="_inverse_evidence",
        help="The facts behind the factor's score.",
    )

    @api.depends("evidence_code", "evidence_values", "evidence_text")
    @api.depends_context("lang")
    def _compute_evidence(self):
        render = self.env["kam.health.engine"]._kam_health_evidence_renderer()
        for line in self:
            text = None
            if line.evidence_code:
                text = render(line.evidence_code, line.evidence_values)
            line.evidence = text or line.evidence_text

    def _inverse_evidence(self):
        # a text written by hand or imported replaces the data
        for line in self:
            line.evidence_text = line.evidence
            line.evidence_code = False
            line.evidence_values = False
