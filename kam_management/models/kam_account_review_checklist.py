from odoo import api, fields, models

from ..tools.values import kam_check_name_length


class KamAccountReviewChecklist(models.Model):
    _name = "kam.account.review.checklist"
    _description = "Account Review Checklist Item"
    _inherit = ["kam.account.mixin"]
    _kam_account_field = "review_id"
    _kam_account_path = "review_id.plan_id.partner_id"
    _order = "review_id, sequence, id"

    review_id = fields.Many2one(
        "kam.account.review",
        required=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Item", required=True)
    done = fields.Boolean()
    note = fields.Char()

    @api.constrains("name")
    def _check_name_length(self):
        kam_check_name_length(self)
