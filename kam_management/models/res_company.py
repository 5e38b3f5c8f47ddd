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

    kam_health_red_below = fields.Float(
        string="Health Red Below",
        default=40,
        help="Key accounts scoring below this are in the red band.",
    )
    kam_health_green_from = fields.Float(
        string="Health Green From",
        default=70,
        help="Key accounts scoring this or more are in the green band.",
    )

    @api.constrains("kam_health_red_below", "kam_health_green_from")
    def _check_kam_health_thresholds(self):
        for company in self:
            red, green = company.kam_health_red_below, company.kam_health_green_from
            if not 0 <= red < green <= 100:
                raise ValidationError(
                    self.env._(
                        "The health thresholds of %(company)s must satisfy "
                        "0 <= red below (%(red)s) < green from (%(green)s) <= 100.",
                        company=company.name,
                        red=red,
                        green=green,
                    )
                )
