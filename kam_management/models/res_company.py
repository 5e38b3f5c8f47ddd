from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    kam_max_key_accounts = fields.Integer(
        string="Maximum Key Accounts",
        default=0,
        help="Cap on the number of key accounts of the company (0 means no cap). "
        "Key account programmes work best when they stay small.",
    )

    @api.constrains("kam_max_key_accounts")
    def _check_kam_max_key_accounts(self):
        for company in self:
            if company.kam_max_key_accounts < 0:
                raise ValidationError(
                    self.env._(
                        "The maximum number of key accounts of %(company)s cannot be "
                        "negative (use 0 for no cap).",
                        company=company.name,
                    )
                )
