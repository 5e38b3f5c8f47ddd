from odoo import models


class MailActivitySchedule(models.TransientModel):
    _inherit = "mail.activity.schedule"

    def action_schedule_activities_done(self):
        result = super().action_schedule_activities_done()
        # A done activity is an interaction with a stakeholder (its trace is
        # posted on the record): the web client only reloads the chatter, so
        # the open view is read again for its new last interaction and its
        # "contact overdue" alert.
        if not result and self.res_model == "kam.stakeholder":
            return {"type": "ir.actions.client", "tag": "soft_reload"}
        return result
