from odoo import fields, models


class KamRecommendationDismiss(models.TransientModel):
    """The reason a KAM gives for dismissing recommendations."""

    _name = "kam.recommendation.dismiss"
    _description = "Dismiss Recommendations"

    recommendation_ids = fields.Many2many("kam.recommendation", required=True)
    reason = fields.Text(
        required=True,
        help="Why the account will not buy these categories: they are not "
        "proposed again for 12 months.",
    )

    def action_confirm(self):
        recommendations = self.recommendation_ids
        recommendations._kam_check_new()
        recommendations.write({"dismiss_reason": self.reason})
        return recommendations.action_dismiss()
