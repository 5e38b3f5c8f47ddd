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

    # ------------------------------------------------------------
    # Escalations
    # ------------------------------------------------------------
    kam_escalation_drop_points = fields.Integer(
        string="Churn Risk Drop (points)",
        default=15,
        help="A key account whose health score dropped by at least this many points "
        "compared with about 30 days earlier gets a churn risk escalation.",
    )
    kam_escalation_big_deal = fields.Monetary(
        string="Big Opportunity Amount",
        currency_field="currency_id",
        default=100000,
        help="An open opportunity on a key account with at least this expected "
        "revenue gets a big opportunity escalation.",
    )
    kam_escalation_sla_low = fields.Integer(string="SLA Low (hours)", default=120)
    kam_escalation_sla_medium = fields.Integer(string="SLA Medium (hours)", default=72)
    kam_escalation_sla_high = fields.Integer(string="SLA High (hours)", default=24)
    kam_escalation_sla_critical = fields.Integer(
        string="SLA Critical (hours)", default=4
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

    @api.constrains(
        "kam_escalation_drop_points",
        "kam_escalation_big_deal",
        "kam_escalation_sla_low",
        "kam_escalation_sla_medium",
        "kam_escalation_sla_high",
        "kam_escalation_sla_critical",
    )
    def _check_kam_escalation_settings(self):
        for company in self:
            values = [
                company.kam_escalation_drop_points,
                company.kam_escalation_big_deal,
                company.kam_escalation_sla_low,
                company.kam_escalation_sla_medium,
                company.kam_escalation_sla_high,
                company.kam_escalation_sla_critical,
            ]
            if any(value <= 0 for value in values):
                raise ValidationError(
                    self.env._(
                        "The escalation settings of %(company)s (drop points, big "
                        "opportunity amount and SLA hours) must be greater than zero.",
                        company=company.name,
                    )
                )

    def _kam_escalation_sla_hours(self, severity):
        """SLA of an escalation of ``severity`` in hours, from the company settings."""
        self.ensure_one()
        return self[f"kam_escalation_sla_{severity}"]
