from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.values import kam_check_name_length


class KamSelectionCriterion(models.Model):
    _name = "kam.selection.criterion"
    _inherit = ["kam.checked.values.mixin"]
    _description = "Key Account Selection Criterion"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    weight = fields.Float(
        default=1.0,
        required=True,
        help="Relative weight of the criterion in the selection score.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to use the criterion in every company.",
    )
    data_source = fields.Selection(
        [
            ("revenue_potential", "Revenue Potential"),
            ("creditworthiness", "Creditworthiness"),
            ("relationships", "Relationships"),
        ],
        help="What the data can judge of the criterion: a score is suggested "
        "from it, with its reason, for a user to accept or override. Revenue "
        "potential: the customer's revenue ranked among all customers; "
        "creditworthiness: its payment behaviour (with Invoicing); "
        "relationships: its interactions in 90 days and the people known there.",
    )

    @api.constrains("name")
    def _check_name_length(self):
        kam_check_name_length(self)

    @api.constrains("weight")
    def _check_weight(self):
        for criterion in self:
            if criterion.weight <= 0:
                raise ValidationError(
                    self.env._(
                        "The weight of the criterion %(criterion)s must be greater "
                        "than zero.",
                        criterion=criterion.name,
                    )
                )
