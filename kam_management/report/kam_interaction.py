from odoo import api, fields, models, tools
from odoo.tools import SQL

# The columns of the view, in the order of every part of its UNION.
INTERACTION_COLUMNS = (
    "id",
    "account_id",
    "partner_id",
    "date",
    "kind",
    "document",
    "message_id",
)
# The message types of an interaction (with the trace of a done activity):
# never a notification, a tracking message or a mass mailing (email_outgoing).
INTERACTION_MESSAGE_TYPES = ("comment", "email")
# The person a message on a document is an interaction with, besides its author
# and recipients: the field of the document that holds the person (a message on
# a contact's own record is an interaction with the contact).
INTERACTION_DOCUMENT_PEOPLE = {
    "crm.lead": "partner_id",
    "kam.stakeholder": "contact_id",
}


class KamInteraction(models.Model):
    """Interactions with people: the one definition of an interaction, read by
    the health's engagement (with the account) and by the last interaction of
    stakeholders (with the person). An interaction is a message or a done
    activity (``_where_message``) written by the person, sent to them, or
    posted on their record, their opportunity or their stakeholder record; or a
    meeting they attend. One line per message and person, per meeting and
    attendee: a reader that counts interactions counts distinct messages.

    Each kind of record is a part of the view built from overridable pieces
    (``_select_*``, ``_from_*``, ``_where_*``); a bridge addon appends its own
    part to ``_kam_interaction_parts``. ``partner_id`` is the person (or the
    company) the interaction is with, ``account_id`` the account they count
    for (``res.partner.kam_account_id``: their commercial entity or its group):
    readers filter on ``partner_id``, through the index of each document on
    its partner. The messages just created are read the same way in Python
    (``_kam_message_people``), for the live stakeholders.
    """

    _name = "kam.interaction"
    _description = "Key Account Interaction"
    _auto = False
    _rec_name = "document"
    _order = "date desc, id desc"
    # what the view reads: flushed before the ORM reads the view
    _depends = {
        "mail.message": [
            "date",
            "mail_activity_type_id",
            "message_type",
            "model",
            "res_id",
            "author_id",
            "partner_ids",
        ],
        "crm.lead": ["partner_id"],
        "kam.stakeholder": ["contact_id"],
        "calendar.event": ["active", "partner_ids", "start"],
        "res.partner": ["kam_account_id"],
    }

    account_id = fields.Many2one("res.partner", string="Key Account", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    date = fields.Datetime(readonly=True)
    kind = fields.Selection(
        [("message", "Message"), ("activity", "Activity"), ("meeting", "Meeting")],
        readonly=True,
    )
    document = fields.Reference(selection="_selection_document", readonly=True)
    message_id = fields.Many2one("mail.message", readonly=True)

    @api.model
    def _selection_document(self):
        # a message written by or sent to a person may be on any document
        return [
            (model.model, model.name)
            for model in self.env["ir.model"].sudo().search([])
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._kam_query(),
            )
        )

    @api.model
    def _kam_query(self, contacts=None):
        """The query of the view; with ``contacts`` (SQL of an array of partner
        ids), only the interactions with them, each part filtered through the
        index of its documents (a batch reads this instead of the view: on
        the view, PostgreSQL may scan every message of opportunities)."""
        return SQL(" UNION ALL ").join(self._kam_interaction_parts(contacts))

    @api.model
    def _kam_interaction_parts(self, contacts=None):
        """The SELECT of each kind of record; a bridge addon appends its own."""
        return [
            SQL("SELECT %s FROM %s WHERE %s", select, from_, where)
            for select, from_, where in (
                (
                    self._select_partner_message(),
                    self._from_partner_message(),
                    self._where_partner_message(contacts),
                ),
                (
                    self._select_lead_message(),
                    self._from_lead_message(),
                    self._where_lead_message(contacts),
                ),
                (
                    self._select_stakeholder_message(),
                    self._from_stakeholder_message(),
                    self._where_stakeholder_message(contacts),
                ),
                (
                    self._select_author_message(),
                    self._from_author_message(),
                    self._where_author_message(contacts),
                ),
                (
                    self._select_recipient_message(),
                    self._from_recipient_message(),
                    self._where_recipient_message(contacts),
                ),
                (
                    self._select_meeting(),
                    self._from_meeting(),
                    self._where_meeting(contacts),
                ),
            )
        ]

    @api.model
    def _kam_select(self, **columns):
        """The SELECT list of a part: ``columns`` (SQL by column name) in the
        order of the view."""
        return SQL(", ").join(
            SQL("%s AS %s", columns[name], SQL.identifier(name))
            for name in INTERACTION_COLUMNS
        )

    @api.model
    def _kam_message_kind(self):
        return SQL(
            "(CASE WHEN m.mail_activity_type_id IS NOT NULL "
            "THEN 'activity' ELSE 'message' END)::varchar"
        )

    @api.model
    def _kam_message_document(self):
        """The document a message ``m`` is posted on (none without one)."""
        return SQL(
            "(CASE WHEN m.model IS NOT NULL AND m.res_id > 0 "
            "THEN CONCAT(m.model, ',', m.res_id) END)::varchar"
        )

    @api.model
    def _where_message(self, res_ids=None):
        """Interaction messages ``m`` (on the documents ``res_ids``, an SQL
        array): a comment or an e-mail, or the trace of a done activity
        (posted with its type); never a notification, a tracking message or a
        mass mailing. The SQL form of ``_kam_is_interaction``."""
        condition = SQL(
            "(m.message_type IN %s OR m.mail_activity_type_id IS NOT NULL)",
            INTERACTION_MESSAGE_TYPES,
        )
        if res_ids is None:
            return condition
        return SQL("%s AND m.res_id = ANY(%s)", condition, res_ids)

    @api.model
    def _where_partner_message(self, contacts=None):
        return self._where_message(contacts)

    @api.model
    def _where_lead_message(self, contacts=None):
        if contacts is None:
            return self._where_message()
        return self._where_message(
            SQL("ARRAY(SELECT id FROM crm_lead WHERE partner_id = ANY(%s))", contacts)
        )

    @api.model
    def _select_partner_message(self):
        """Messages on the account or one of its contacts."""
        return self._kam_select(
            id=SQL("m.id::bigint * 4"),
            account_id=SQL("c.kam_account_id"),
            partner_id=SQL("c.id"),
            date=SQL("m.date"),
            kind=self._kam_message_kind(),
            document=SQL("CONCAT('res.partner,', c.id)::varchar"),
            message_id=SQL("m.id"),
        )

    @api.model
    def _from_partner_message(self):
        return SQL(
            "mail_message m JOIN res_partner c "
            "ON m.model = 'res.partner' AND c.id = m.res_id"
        )

    @api.model
    def _select_lead_message(self):
        """Messages on an opportunity (or lead) of the account or its contacts."""
        return self._kam_select(
            id=SQL("m.id::bigint * 4"),
            account_id=SQL("c.kam_account_id"),
            partner_id=SQL("l.partner_id"),
            date=SQL("m.date"),
            kind=self._kam_message_kind(),
            document=SQL("CONCAT('crm.lead,', l.id)::varchar"),
            message_id=SQL("m.id"),
        )

    @api.model
    def _from_lead_message(self):
        return SQL(
            """
            mail_message m
            JOIN crm_lead l ON m.model = 'crm.lead' AND l.id = m.res_id
            JOIN res_partner c ON c.id = l.partner_id
            """
        )

    @api.model
    def _select_stakeholder_message(self):
        """Messages on a stakeholder record: with the stakeholder's contact."""
        return self._kam_select(
            id=SQL("m.id::bigint * 4"),
            account_id=SQL("c.kam_account_id"),
            partner_id=SQL("s.contact_id"),
            date=SQL("m.date"),
            kind=self._kam_message_kind(),
            document=SQL("CONCAT('kam.stakeholder,', s.id)::varchar"),
            message_id=SQL("m.id"),
        )

    @api.model
    def _from_stakeholder_message(self):
        return SQL(
            """
            mail_message m
            JOIN kam_stakeholder s ON m.model = 'kam.stakeholder' AND s.id = m.res_id
            JOIN res_partner c ON c.id = s.contact_id
            """
        )

    @api.model
    def _where_stakeholder_message(self, contacts=None):
        if contacts is None:
            return self._where_message()
        return self._where_message(
            SQL(
                "ARRAY(SELECT id FROM kam_stakeholder WHERE contact_id = ANY(%s))",
                contacts,
            )
        )

    @api.model
    def _select_author_message(self):
        """Messages written by a person, on any document."""
        return self._kam_select(
            id=SQL("m.id::bigint * 4 + 2"),
            account_id=SQL("c.kam_account_id"),
            partner_id=SQL("m.author_id"),
            date=SQL("m.date"),
            kind=self._kam_message_kind(),
            document=self._kam_message_document(),
            message_id=SQL("m.id"),
        )

    @api.model
    def _from_author_message(self):
        return SQL("mail_message m JOIN res_partner c ON c.id = m.author_id")

    @api.model
    def _where_author_message(self, contacts=None):
        if contacts is None:
            return self._where_message()
        return SQL("%s AND m.author_id = ANY(%s)", self._where_message(), contacts)

    @api.model
    def _select_recipient_message(self):
        """Messages sent to a person, from any document, once per recipient."""
        return self._kam_select(
            id=SQL("(m.id::bigint * 2147483648 + r.res_partner_id) * 4 + 3"),
            account_id=SQL("c.kam_account_id"),
            partner_id=SQL("r.res_partner_id"),
            date=SQL("m.date"),
            kind=self._kam_message_kind(),
            document=self._kam_message_document(),
            message_id=SQL("m.id"),
        )

    @api.model
    def _from_recipient_message(self):
        return SQL(
            """
            mail_message_res_partner_rel r
            JOIN mail_message m ON m.id = r.mail_message_id
            JOIN res_partner c ON c.id = r.res_partner_id
            """
        )

    @api.model
    def _where_recipient_message(self, contacts=None):
        if contacts is None:
            return self._where_message()
        return SQL("%s AND r.res_partner_id = ANY(%s)", self._where_message(), contacts)

    @api.model
    def _select_meeting(self):
        """Active meetings, once per attendee, from their start."""
        return self._kam_select(
            id=SQL("(e.id::bigint * 2147483648 + r.res_partner_id) * 4 + 1"),
            account_id=SQL("c.kam_account_id"),
            partner_id=SQL("r.res_partner_id"),
            date=SQL("e.start"),
            kind=SQL("'meeting'::varchar"),
            document=SQL("CONCAT('calendar.event,', e.id)::varchar"),
            message_id=SQL("NULL::integer"),
        )

    @api.model
    def _from_meeting(self):
        return SQL(
            """
            calendar_event_res_partner_rel r
            JOIN calendar_event e ON e.id = r.calendar_event_id
            JOIN res_partner c ON c.id = r.res_partner_id
            """
        )

    @api.model
    def _where_meeting(self, contacts=None):
        if contacts is None:
            return SQL("e.active")
        return SQL("e.active AND r.res_partner_id = ANY(%s)", contacts)

    # ------------------------------------------------------------
    # The same rule on the records just created (live stakeholders)
    # ------------------------------------------------------------
    @api.model
    def _kam_is_interaction(self, message):
        """Whether ``message`` is an interaction: the Python form of
        ``_where_message``."""
        return bool(
            message.message_type in INTERACTION_MESSAGE_TYPES
            or message.mail_activity_type_id
        )

    @api.model
    def _kam_message_people(self, messages, with_recipients=None):
        """``{partner_id: latest date}``: the people the just created
        ``messages`` are interactions with, as the message parts of the view
        have them (their author, their recipients, the person of their
        document). Only the messages of ``with_recipients`` (default: all) are
        read for recipients, so that a message created without any costs no
        query."""
        interactions = messages.filtered(self._kam_is_interaction)
        people = self._kam_document_people(interactions)
        no_one = self.env["res.partner"]
        dates = {}
        for message in interactions:
            read = with_recipients is None or message in with_recipients
            recipients = message.partner_ids if read else no_one
            document = people.get(message.id, [])
            for partner_id in message.author_id.ids + recipients.ids + document:
                dates[partner_id] = max(
                    message.date, dates.get(partner_id, message.date)
                )
        return dates

    @api.model
    def _kam_document_people(self, messages):
        """``{message_id: [partner_id]}``: the person the document of each of
        ``messages`` is about (a contact's own record, or the field of
        ``INTERACTION_DOCUMENT_PEOPLE``), read as superuser; nothing for a
        document gone. Only the messages on those models are read further."""
        people = {
            message.id: [message.res_id]
            for message in messages
            if message.model == "res.partner" and message.res_id
        }
        for model, fname in INTERACTION_DOCUMENT_PEOPLE.items():
            on_model = messages.filtered(lambda m, model=model: m.model == model)
            if not on_model:
                continue
            # read() leaves out the records that no longer exist
            records = self.env[model].sudo().browse(set(on_model.mapped("res_id")))
            person = {
                values["id"]: values[fname]
                for values in records.read([fname], load=None)
            }
            for message in on_model:
                if person.get(message.res_id):
                    people[message.id] = [person[message.res_id]]
        return people

    @api.model
    def _kam_meeting_people(self, events):
        """``{partner_id: latest start}``: the people the meetings ``events`` are
        interactions with, as the meeting part of the view has them (each
        attendee of an active meeting, from its start)."""
        dates = {}
        for event in events.filtered(lambda e: e.active and e.start):
            for partner_id in event.partner_ids.ids:
                dates[partner_id] = max(event.start, dates.get(partner_id, event.start))
        return dates
