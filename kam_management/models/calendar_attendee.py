from odoo import models
from odoo.tools import create_index


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def init(self):
        # the timeline finds the attendees of a meeting (its row's key,
        # kam.timeline._kam_meeting_part): Odoo has no index on them. An index of
        # our own, not the field redefined (its attributes stay calendar's)
        result = super().init()
        create_index(
            self.env.cr,
            "kam_calendar_attendee_event_id_index",
            self._table,
            ["event_id"],
        )
        return result
