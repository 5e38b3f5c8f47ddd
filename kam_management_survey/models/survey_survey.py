from odoo import fields, models

from odoo.addons.kam_management.models.kam_satisfaction_survey import SURVEY_RANGES


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    kam_kind = fields.Selection(
        [("nps", "NPS (0-10)"), ("csat", "CSAT (1-5)")],
        string="Key Account Survey",
        index="btree_not_null",
        copy=False,
        help="The survey measures the NPS or the CSAT of the key accounts: each "
        "completed answer of a key account's contact is recorded as a "
        "satisfaction score of the account (its first scale question gives the "
        "score, its first text question the comment), which feeds the health.",
    )

    def _kam_score_line(self, user_input):
        """The answer line giving the score: of the first scale question whose
        range is the kind's (0-10 for NPS, 1-5 for CSAT)."""
        low, high = SURVEY_RANGES[self.kam_kind]
        return user_input.user_input_line_ids.filtered(
            lambda line: line.answer_type == "scale"
            and line.question_id.scale_min == low
            and line.question_id.scale_max == high
        )[:1]
