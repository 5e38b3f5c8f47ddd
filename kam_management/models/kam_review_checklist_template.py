from odoo import api, fields, models

from ..tools.values import kam_check_name_length, kam_check_values


class KamReviewChecklistTemplate(models.Model):
    _name = "kam.review.checklist.template"
    _description = "Account Review Checklist Template"
    _order = "sequence, id"

    name = fields.Char(string="Checklist Item", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    @api.constrains("name")
    def _check_name_length(self):
        kam_check_name_length(self)

    # a clear refusal of a value of the wrong type, before the ORM's
    @api.model_create_multi
    def create(self, vals_list):
        kam_check_values(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        kam_check_values(self, [vals])
        return super().write(vals)
