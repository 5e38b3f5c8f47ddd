from odoo import api, models

# the fields that make a meeting an interaction with its attendees
KAM_MEETING_FIELDS = {"partner_ids", "start", "active"}


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        events._kam_record_meetings()
        return events

    def write(self, vals):
        result = super().write(vals)
        if KAM_MEETING_FIELDS & vals.keys():
            self._kam_record_meetings()
        return result

    def _kam_record_meetings(self):
        """Live stakeholders: the stakeholders of the attendees are up to date
        as soon as a meeting is logged (no query unless one is involved)."""
        contact_dates = self.env["kam.interaction"]._kam_meeting_people(self)
        if contact_dates:
            self.env["kam.stakeholder"]._kam_record_interactions(contact_dates)
