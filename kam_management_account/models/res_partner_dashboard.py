from odoo import api, models

# Recommendations listed on the landing page.
LANDING_RECOMMENDATIONS = 5


class ResPartner(models.Model):
    """The new recommendations on the landing page of the Key Accounts app."""

    # the landing page's part of res.partner, kept apart from res_partner.py
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def kam_dashboard_data(self):
        """kam_management's figures, with ``recommendations_new`` (the number of
        new recommendations of the accounts the page opens on, in the current
        company) and ``recommendations`` (the best of them: ``{"id", "account",
        "category", "score"}``)."""
        data = super().kam_dashboard_data()
        domain = self._kam_new_recommendations_domain()
        Recommendation = self.env["kam.recommendation"]
        data["recommendations_new"] = Recommendation.search_count(domain)
        data["recommendations"] = [
            {
                "id": rec.id,
                "account": rec.partner_id.name,
                "category": rec.categ_id.name,
                "score": rec.score,
            }
            for rec in Recommendation.search(domain, limit=LANDING_RECOMMENDATIONS)
        ]
        return data

    @api.model
    def _kam_new_recommendations_domain(self):
        return [
            ("state", "=", "new"),
            ("company_id", "=", self.env.company.id),
            ("partner_id", "any", self._kam_dashboard_domain()),
        ]

    @api.model
    def action_kam_new_recommendations(self):
        """The new recommendations the landing page counts."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management_account.kam_recommendation_action"
        )
        action["domain"] = self._kam_new_recommendations_domain()
        action["context"] = {}
        return action
