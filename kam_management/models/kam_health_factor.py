from odoo import api, fields, models
from odoo.exceptions import ValidationError

# Codes the health engine knows how to compute (see kam.health.snapshot).
HEALTH_FACTOR_CODES = (
    "engagement",
    "satisfaction",
    "financial",
    "growth",
    "relationship",
    "usage",
    "pulse",
)


class KamHealthFactor(models.Model):
    _name = "kam.health.factor"
    _description = "Key Account Health Factor"
    _order = "sequence, id"

    code = fields.Char(
        required=True,
        readonly=True,
        help="Technical code of the factor; the health engine computes the built-in "
        "codes only.",
    )
    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    weight = fields.Float(
        default=10.0,
        required=True,
        help="Relative weight of the factor in the health score. Weights are "
        "renormalised over the factors that have data for an account; 0 disables "
        "the factor.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a health factor must be unique."),
    ]

    @api.constrains("weight")
    def _check_weight(self):
        for factor in self:
            if factor.weight < 0:
                raise ValidationError(
                    self.env._(
                        "The weight of the health factor %(factor)s cannot be "
                        "negative (use 0 to ignore it).",
                        factor=factor.name,
                    )
                )

    @api.constrains("code")
    def _check_code(self):
        for factor in self:
            if factor.code not in HEALTH_FACTOR_CODES:
                raise ValidationError(
                    self.env._(
                        "%(code)s is not a health factor the engine can compute "
                        "(known codes: %(codes)s).",
                        code=factor.code,
                        codes=", ".join(HEALTH_FACTOR_CODES),
                    )
                )
