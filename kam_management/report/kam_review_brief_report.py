from odoo import api, models
from odoo.exceptions import AccessError

from .kam_account_plan_report import wkhtmltopdf_prints_headers


class KamReviewBriefReport(models.AbstractModel):
    """The printed review brief: what changed on the account since its
    previous review, for the KAM users who may read the review."""

    _name = "report.kam_management.kam_review_brief_report_document"
    _description = "Printed Review Brief"

    @api.model
    def _get_report_values(self, docids, data=None):
        # Refused before the template reads a field (see the account plan's)
        if not self.env.user.has_group("kam_management.group_kam_user"):
            raise AccessError(
                self.env._("Only Key Account Management users print review briefs.")
            )
        reviews = self.env["kam.account.review"].browse(docids)
        reviews.check_access("read")
        return {
            "doc_ids": docids,
            "doc_model": reviews._name,
            "docs": reviews,
            # the brief of each review, in the language of the rendering
            "briefs": {review.id: review._kam_review_brief() for review in reviews},
            "kam_layout_printed": wkhtmltopdf_prints_headers(),
        }
