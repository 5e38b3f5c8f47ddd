from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    kam_max_key_accounts = fields.Integer(
        related="company_id.kam_max_key_accounts", readonly=False
    )
