from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_max_key_accounts = fields.Integer(
        related="company_id.kam_max_key_accounts", readonly=False
    )
    kam_review_reminder_days = fields.Integer(
        related="company_id.kam_review_reminder_days", readonly=False
    )
    kam_health_red_below = fields.Float(
        related="company_id.kam_health_red_below", readonly=False
    )
    kam_health_green_from = fields.Float(
        related="company_id.kam_health_green_from", readonly=False
    )
