from odoo import api, fields, models
from odoo.exceptions import ValidationError

SURVEY_RANGES = {"nps": (0, 10), "csat": (1, 5)}


class KamSatisfactionSurvey(models.Model):
    _name = "kam.satisfaction.survey"
    _description = "Key Account Satisfaction Survey"
    _inherit = ["mail.thread", "kam.account.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
        tracking=True,
    )
    contact_id = fields.Many2one(
        "res.partner",
        domain="[('kam_account_id', '=', partner_id)]",
        ondelete="set null",
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today, index=True, tracking=True
    )
    kind = fields.Selection(
        [("nps", "NPS (0-10)"), ("csat", "CSAT (1-5)")],
        required=True,
        default="nps",
        tracking=True,
    )
    score = fields.Integer(required=True, tracking=True, aggregator="avg")
    comment = fields.Text()
    company_id = fields.Many2one(
        related="partner_id.company_id", store=True, index=True
    )

    @api.depends("partner_id", "kind", "score", "date")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for survey in self:
            survey.display_name = self.env._(
                "%(account)s: %(kind)s %(score)s",
                account=survey.partner_id.display_name or "",
                kind=kinds.get(survey.kind, ""),
                score=survey.score,
            )

    @api.constrains("kind", "score")
    def _check_score(self):
        for survey in self:
            low, high = SURVEY_RANGES[survey.kind]
            if not low <= survey.score <= high:
                raise ValidationError(
                    self.env._(
                        "A %(kind)s score must be between %(low)s and %(high)s "
                        "(got %(score)s).",
                        kind=survey.kind.upper(),
                        low=low,
                        high=high,
                        score=survey.score,
                    )
                )

    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        if self.contact_id and not self.partner_id:
            self.partner_id = self.contact_id.kam_account_id
