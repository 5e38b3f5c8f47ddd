from datetime import datetime, time

import pytz

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError

from ..tools.formats import kam_number
from ..tools.values import kam_check_values

# Every setting of the programme is a field of the company named kam_*.
KAM_SETTING_PREFIX = "kam_"
# Upper bounds of the settings: beyond them a date computed from a setting
# (deadline, cool-down, reminder) overflows, and no programme needs more.
KAM_MAX_SLA_HOURS = 24 * 365
KAM_MAX_SETTING_DAYS = 3650
KAM_MAX_CADENCE = 1000
KAM_MAX_GROWTH_PERCENT = 10000
# A yearly discount rate beyond 100 % values nothing past the first months, and
# a holdout beyond ten years leaves no data to fit.
KAM_MAX_DISCOUNT_PERCENT = 100
KAM_MAX_HOLDOUT_WEEKS = 520


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
    kam_escalation_p_active_below = fields.Float(
        string="Churn Risk Probability Still Buying Below",
        default=0.5,
        help="A key account whose probability of still buying (from the rhythm of "
        "its purchases) is below this share gets a churn risk escalation (0: "
        "never).",
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
    kam_escalation_cooldown_days = fields.Integer(
        string="Rule Cool-down (days)",
        default=14,
        help="After a user resolves or cancels an escalation opened by a rule, the "
        "rule does not open another one for the same account and reason during "
        "this many days.",
    )

    kam_attractiveness_threshold = fields.Float(
        string="Attractiveness Threshold",
        default=50,
        help="Selection score (0-100) from which a key account counts as attractive "
        "when the recommended strategy is worked out.",
    )

    # ------------------------------------------------------------
    # Buying model (DESIGN §12)
    # ------------------------------------------------------------
    kam_clv_discount_rate = fields.Float(
        string="CLV Discount Rate (%)",
        default=10,
        help="Yearly rate at which the customer lifetime value discounts the "
        "revenue expected in the coming 36 months.",
    )
    kam_buying_holdout_weeks = fields.Integer(
        string="Backtest Holdout (weeks)",
        default=26,
        help="Each fit of the buying model also fits on the data up to this many "
        "weeks ago and compares the purchases it predicts for those weeks with "
        "those made (0: no backtest).",
    )

    # ------------------------------------------------------------
    # The programme's calendar
    # ------------------------------------------------------------
    def _kam_tz(self):
        """The time zone of the programme's days: the user's when a person runs
        the code, else (scheduled actions run as OdooBot, whose time zone says
        nothing of the company) that of the company's partner, else UTC."""
        user = self.env.user
        tz = None
        if user.id != SUPERUSER_ID and not user.share:
            tz = self.env.context.get("tz") or user.tz
        company = self[:1] or self.env.company
        return pytz.timezone(tz or company.partner_id.tz or "UTC")

    def _kam_today(self):
        """Today's date in the programme's time zone (``_kam_tz``): the one
        "today" of the plan periods, metrics, reports and scheduled actions."""
        now = pytz.utc.localize(fields.Datetime.now())
        return now.astimezone(self._kam_tz()).date()

    def _kam_day_start(self, day):
        """The naive UTC datetime at which ``day`` starts in the programme's
        time zone: the bound of a period of dates on datetime columns."""
        start = self._kam_tz().localize(datetime.combine(day, time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

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
            if not 0 <= company.kam_review_reminder_days <= KAM_MAX_SETTING_DAYS:
                raise ValidationError(
                    self.env._(
                        "The review reminder of %(company)s must be between 0 and "
                        "%(max)s days.",
                        company=company.name,
                        max=KAM_MAX_SETTING_DAYS,
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

    # Interactions a key account needs in 90 days, by strategy (engagement factor).
    kam_engagement_cadence_harvest = fields.Integer(
        string="Engagement Cadence: Harvest", default=4
    )
    kam_engagement_cadence_maintain = fields.Integer(
        string="Engagement Cadence: Maintain", default=8
    )
    kam_engagement_cadence_selective_investment = fields.Integer(
        string="Engagement Cadence: Selective Investment", default=12
    )
    kam_engagement_cadence_expansive_investment = fields.Integer(
        string="Engagement Cadence: Expansive Investment", default=18
    )
    kam_growth_target_percent = fields.Float(
        string="Growth Target (%)",
        default=30,
        help="Weighted open pipeline worth this share of the yearly revenue scores "
        "100 in the growth factor.",
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
                        red=kam_number(self.env, red),
                        green=kam_number(self.env, green),
                    )
                )

    @api.constrains(
        "kam_attractiveness_threshold",
        "kam_engagement_cadence_harvest",
        "kam_engagement_cadence_maintain",
        "kam_engagement_cadence_selective_investment",
        "kam_engagement_cadence_expansive_investment",
        "kam_growth_target_percent",
    )
    def _check_kam_scoring_settings(self):
        for company in self:
            cadences = [
                company.kam_engagement_cadence_harvest,
                company.kam_engagement_cadence_maintain,
                company.kam_engagement_cadence_selective_investment,
                company.kam_engagement_cadence_expansive_investment,
            ]
            if (
                not 0 <= company.kam_attractiveness_threshold <= 100
                or any(not 0 < cadence <= KAM_MAX_CADENCE for cadence in cadences)
                or not 0 < company.kam_growth_target_percent <= KAM_MAX_GROWTH_PERCENT
            ):
                raise ValidationError(
                    self.env._(
                        "The scoring settings of %(company)s are out of range: the "
                        "attractiveness threshold goes from 0 to 100, the engagement "
                        "cadences from 1 to %(cadence)s interactions, the growth "
                        "target from more than 0 to %(growth)s%%.",
                        company=company.name,
                        cadence=KAM_MAX_CADENCE,
                        growth=KAM_MAX_GROWTH_PERCENT,
                    )
                )

    @api.constrains("kam_clv_discount_rate", "kam_buying_holdout_weeks")
    def _check_kam_buying_settings(self):
        for company in self:
            if (
                not 0 <= company.kam_clv_discount_rate <= KAM_MAX_DISCOUNT_PERCENT
                or not 0 <= company.kam_buying_holdout_weeks <= KAM_MAX_HOLDOUT_WEEKS
            ):
                raise ValidationError(
                    self.env._(
                        "The buying model settings of %(company)s are out of range: "
                        "the discount rate goes from 0 to %(rate)s%%, the backtest "
                        "holdout from 0 to %(weeks)s weeks.",
                        company=company.name,
                        rate=KAM_MAX_DISCOUNT_PERCENT,
                        weeks=KAM_MAX_HOLDOUT_WEEKS,
                    )
                )

    def _kam_engagement_cadence(self, strategy):
        """Interactions in 90 days that an account of ``strategy`` needs."""
        self.ensure_one()
        return self[f"kam_engagement_cadence_{strategy or 'maintain'}"]

    @api.constrains(
        "kam_escalation_drop_points",
        "kam_escalation_big_deal",
        "kam_escalation_sla_low",
        "kam_escalation_sla_medium",
        "kam_escalation_sla_high",
        "kam_escalation_sla_critical",
        "kam_escalation_cooldown_days",
    )
    def _check_kam_escalation_settings(self):
        for company in self:
            hours = [
                company.kam_escalation_sla_low,
                company.kam_escalation_sla_medium,
                company.kam_escalation_sla_high,
                company.kam_escalation_sla_critical,
            ]
            if (
                not 0 < company.kam_escalation_drop_points <= 100
                or company.kam_escalation_big_deal <= 0
                or any(not 0 < value <= KAM_MAX_SLA_HOURS for value in hours)
                or not 0 <= company.kam_escalation_cooldown_days <= KAM_MAX_SETTING_DAYS
            ):
                raise ValidationError(
                    self.env._(
                        "The escalation settings of %(company)s are out of range: "
                        "the drop goes from 1 to 100 points, the big opportunity "
                        "amount must be greater than zero, the SLA from 1 to "
                        "%(hours)s hours, the cool-down from 0 to %(days)s days.",
                        company=company.name,
                        hours=KAM_MAX_SLA_HOURS,
                        days=KAM_MAX_SETTING_DAYS,
                    )
                )

    @api.constrains("kam_escalation_p_active_below")
    def _check_kam_escalation_p_active_below(self):
        for company in self:
            if not 0 <= company.kam_escalation_p_active_below <= 1:
                raise ValidationError(
                    self.env._(
                        "The churn risk probability of %(company)s is out of range: "
                        "it goes from 0 to 100%%.",
                        company=company.name,
                    )
                )

    def _kam_escalation_sla_hours(self, severity):
        """SLA of an escalation of ``severity`` in hours, from the company settings."""
        self.ensure_one()
        return self[f"kam_escalation_sla_{severity}"]

    # ------------------------------------------------------------
    # Programme settings, changed by KAM administrators
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._kam_check_setting_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._kam_check_setting_values([vals])
        if self._kam_is_programme_setting_write(vals):
            # KAM administrators configure the programme without the right to
            # change the rest of the company
            return super(ResCompany, self.sudo()).write(vals)
        return super().write(vals)

    @api.model
    def _kam_check_setting_values(self, vals_list):
        """A clear refusal of a programme setting that is not a number (the
        constraints above check the ranges)."""
        kam_check_values(
            self,
            vals_list,
            {fname for vals in vals_list for fname in vals if fname.startswith("kam_")},
        )

    def _kam_is_programme_setting_write(self, vals):
        """Whether ``vals`` changes only programme settings of companies the KAM
        administrator works in."""
        return (
            vals
            and not self.env.su
            and all(name.startswith(KAM_SETTING_PREFIX) for name in vals)
            and self.env.user.has_group("kam_management.group_kam_manager")
            and not self - self.env.user.company_ids
        )
