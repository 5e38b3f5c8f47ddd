from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.values import kam_check_name_length


class KamHealthFactor(models.Model):
    _name = "kam.health.factor"
    _inherit = ["kam.checked.values.mixin"]
    _description = "Key Account Health Factor"
    _order = "sequence, id"

    # A varchar column: the codes are those of the engine's factor registry,
    # which a bridge addon extends.
    code = fields.Selection(
        selection="_selection_code",
        required=True,
        readonly=True,
        help="What the health engine computes for this factor.",
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

    @api.model
    def _selection_code(self):
        registry = self.env["kam.health.engine"]._kam_health_factor_registry()
        return [(code, definition.label) for code, definition in registry.items()]

    @api.constrains("name")
    def _check_name_length(self):
        kam_check_name_length(self)

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
