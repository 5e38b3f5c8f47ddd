from odoo import fields, models


class KamSatisfactionSurvey(models.Model):
    _inherit = "kam.satisfaction.survey"

    survey_user_input_id = fields.Many2one(
        "survey.user_input",
        string="Survey Answer",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
        help="The answer to the NPS or CSAT survey this score comes from.",
    )
    survey_id = fields.Many2one(related="survey_user_input_id.survey_id")

    _sql_constraints = [
        (
            "survey_user_input_uniq",
            "UNIQUE(survey_user_input_id)",
            "A survey answer gives one satisfaction score.",
        ),
    ]
