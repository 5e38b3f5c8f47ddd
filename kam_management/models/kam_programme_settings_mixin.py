from odoo import api, fields, models

from ..tools.values import kam_check_values


class KamProgrammeSettingsMixin(models.AbstractModel):
    """The settings of the key account programme of ``company_id`` (fields of the
    company), as the screens that change them show them: Odoo's Settings for
    administrators, the programme settings for KAM administrators."""

    _name = "kam.programme.settings.mixin"
    _description = "Key Account Programme Settings (fields)"

    # as res.config.settings defines it
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

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
    # Escalations
    kam_escalation_drop_points = fields.Integer(
        related="company_id.kam_escalation_drop_points", readonly=False
    )
    kam_escalation_p_active_below = fields.Float(
        related="company_id.kam_escalation_p_active_below", readonly=False
    )
    kam_escalation_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Escalation Currency"
    )
    kam_escalation_big_deal = fields.Monetary(
        related="company_id.kam_escalation_big_deal",
        currency_field="kam_escalation_currency_id",
        readonly=False,
    )
    kam_escalation_sla_low = fields.Integer(
        related="company_id.kam_escalation_sla_low", readonly=False
    )
    kam_escalation_sla_medium = fields.Integer(
        related="company_id.kam_escalation_sla_medium", readonly=False
    )
    kam_escalation_sla_high = fields.Integer(
        related="company_id.kam_escalation_sla_high", readonly=False
    )
    kam_escalation_sla_critical = fields.Integer(
        related="company_id.kam_escalation_sla_critical", readonly=False
    )
    kam_escalation_cooldown_days = fields.Integer(
        related="company_id.kam_escalation_cooldown_days", readonly=False
    )
    # Scoring
    kam_attractiveness_threshold = fields.Float(
        related="company_id.kam_attractiveness_threshold", readonly=False
    )
    kam_engagement_cadence_harvest = fields.Integer(
        related="company_id.kam_engagement_cadence_harvest", readonly=False
    )
    kam_engagement_cadence_maintain = fields.Integer(
        related="company_id.kam_engagement_cadence_maintain", readonly=False
    )
    kam_engagement_cadence_selective_investment = fields.Integer(
        related="company_id.kam_engagement_cadence_selective_investment",
        readonly=False,
    )
    kam_engagement_cadence_expansive_investment = fields.Integer(
        related="company_id.kam_engagement_cadence_expansive_investment",
        readonly=False,
    )
    kam_growth_target_percent = fields.Float(
        related="company_id.kam_growth_target_percent", readonly=False
    )
    # Buying model
    kam_clv_discount_rate = fields.Float(
        related="company_id.kam_clv_discount_rate", readonly=False
    )
    kam_buying_holdout_weeks = fields.Integer(
        related="company_id.kam_buying_holdout_weeks", readonly=False
    )

    # a clear refusal of a setting that is not a number, before the ORM puts it
    # in its cache (the company's constraints check the ranges)
    @api.model_create_multi
    def create(self, vals_list):
        self._kam_check_setting_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._kam_check_setting_values([vals])
        return super().write(vals)

    @api.model
    def _kam_check_setting_values(self, vals_list):
        kam_check_values(
            self,
            vals_list,
            {
                fname
                for vals in vals_list
                for fname in vals
                if fname.startswith("kam_") or fname == "company_id"
            },
        )
