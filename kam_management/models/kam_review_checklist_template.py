from odoo import api, fields, models

from ..tools.values import kam_check_name_length


class KamReviewChecklistTemplate(models.Model):
    _name = "kam.review.checklist.template"
    _inherit = ["kam.checked.values.mixin"]
    _description = "Account Review Checklist Template"
    _order = "sequence, id"

    name = fields.Char(string="Checklist Item", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)

    @api.constrains("name")
    def _check_name_length(self):
        kam_check_name_length(self)
