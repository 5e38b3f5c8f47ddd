from odoo import fields, models


class KamReviewChecklistTemplate(models.Model):
    _name = "kam.review.checklist.template"
    _inherit = ["kam.checked.values.mixin"]
    _description = "Account Review Checklist Template"
    _order = "sequence, id"

    name = fields.Char(string="Checklist Item", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
