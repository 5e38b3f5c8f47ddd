from odoo import api, fields, models

ACTION_STATES = [
    ("todo", "To Do"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class KamAccountPlanAction(models.Model):
    _name = "kam.account.plan.action"
    _description = "Key Account Plan Action"
    _inherit = ["kam.account.mixin"]
    _kam_account_field = "plan_id"
    _kam_account_path = "plan_id.partner_id"
    _order = "deadline, id"

    plan_id = fields.Many2one(
        "kam.account.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        related="plan_id.partner_id", store=True, index=True, string="Key Account"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    name = fields.Char(string="Action", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        domain="[('share', '=', False)]",
    )
    deadline = fields.Date()
    state = fields.Selection(ACTION_STATES, default="todo", required=True)
    resource = fields.Char(
        string="Resources", help="People, budget or means the action needs."
    )

    @api.constrains("user_id", "company_id")
    def _check_user_id(self):
        self._kam_check_internal_users(["user_id"])
