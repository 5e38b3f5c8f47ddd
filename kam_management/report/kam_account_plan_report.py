import functools
import subprocess

from odoo import api, models
from odoo.exceptions import AccessError

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin


@functools.cache
def wkhtmltopdf_prints_headers():
    """Whether wkhtmltopdf is the build with its patched Qt, the one that prints
    the header and the footer of Odoo's layouts (the company, the page numbers):
    the build of Debian and other distributions ignores them. Asked once."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return b"with patched qt" in version.lower()


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
        return {
            "doc_ids": docids,
            "doc_model": plans._name,
            "docs": plans,
            # without the layout's header, the page body shows the company
            "kam_layout_printed": wkhtmltopdf_prints_headers(),
        }
