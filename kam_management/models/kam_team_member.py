from odoo import api, fields, models

TEAM_ROLES = [
    ("key_account_manager", "Key Account Manager"),
    ("director", "Director"),
    ("executive", "Executive"),
    ("sales", "Sales"),
    ("support", "Support"),
    ("logistics", "Logistics"),
    ("marketing", "Marketing"),
    ("technical", "Technical"),
    ("executive_sponsor", "Executive Sponsor"),
]


class KamTeamMember(models.Model):
    _name = "kam.team.member"
    _description = "Key Account Team Member"
    _inherit = ["kam.account.mixin"]
    _order = "partner_id, role, id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        ondelete="cascade",
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Member",
        required=True,
        ondelete="cascade",
        index=True,
        domain="[('share', '=', False)]",
    )
    role = fields.Selection(TEAM_ROLES, required=True, default="sales")
    company_id = fields.Many2one(
        related="partner_id.company_id", store=True, index=True
    )

    _sql_constraints = [
        (
            "partner_user_uniq",
            "unique(partner_id, user_id)",
            "A user can be on the team of an account only once.",
        ),
    ]

    @api.constrains("user_id", "partner_id")
    def _check_user_id(self):
        for member in self:
            member.partner_id._kam_check_staff(member.user_id)
