from odoo import models


# a file of its own (the timeline), as the partner extension is large already
class ResPartner(models.Model):
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    def action_kam_view_timeline(self):
        """The timeline of this account (``kam.timeline``): what the user may
        read of it, newest first."""
        return self._kam_open_account_records("kam_management.kam_timeline_action")
