from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_max_key_accounts = fields.Integer(
        related="company_id.kam_max_key_accounts", readonly=False
    )
    kam_review_reminder_days = fields.Integer(
        related="company_id.kam_review_reminder_days", readonly=False
    )
