from odoo import fields, models


class KamProgrammeSettingsMixin(models.AbstractModel):
    _inherit = "kam.programme.settings.mixin"

    kam_whitespace_categ_depth = fields.Integer(
        related="company_id.kam_whitespace_categ_depth", readonly=False
    )
