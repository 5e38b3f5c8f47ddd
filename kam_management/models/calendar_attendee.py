from odoo import fields, models


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    # the timeline finds the attendees of a meeting (its row's key,
    # kam.timeline._kam_meeting_part): Odoo has no index on them
    event_id = fields.Many2one(index=True)
