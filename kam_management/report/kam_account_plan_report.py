from odoo import api, models
from odoo.exceptions import AccessError


class KamAccountPlanReport(models.AbstractModel):
    """The printed account plan: an internal document of the programme (its
    strategy, SWOT and budget), for the KAM users who may read the plan."""

    _name = "report.kam_management.kam_account_plan_report_document"
    _description = "Printed Account Plan"

    @api.model
    def _get_report_values(self, docids, data=None):
        # Refused before the template reads a field: an AccessError raised while
        # rendering reaches the server's log as a traceback, not as a refusal.
        if not self.env.user.has_group("kam_management.group_kam_user"):
            raise AccessError(
                self.env._("Only Key Account Management users print account plans.")
            )
        plans = self.env["kam.account.plan"].browse(docids)
        plans.check_access("read")
        return {"doc_ids": docids, "doc_model": plans._name, "docs": plans}
