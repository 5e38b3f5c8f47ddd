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

    # ------------------------------------------------------------
    # Account plans
    # ------------------------------------------------------------
    kam_review_reminder_days = fields.Integer(
        string="Review Reminder (days)",
        default=14,
        help="The owner of an active account plan gets an activity this many days "
        "before its next review is due.",
    )

    @api.constrains("kam_review_reminder_days")
    def _check_kam_review_reminder_days(self):
        for company in self:
            if company.kam_review_reminder_days < 0:
                raise ValidationError(
                    self.env._(
                        "The review reminder of %(company)s cannot be a negative "
                        "number of days.",
                        company=company.name,
                    )
                )
