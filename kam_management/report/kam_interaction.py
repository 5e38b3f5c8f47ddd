from odoo import api, fields, models, tools
from odoo.tools import SQL

# The columns of the view, in the order of every part of its UNION.
INTERACTION_COLUMNS = ("id", "account_id", "partner_id", "date", "kind", "document")


class KamInteraction(models.Model):
    """Interactions with key accounts: the messages and done activities (by the
    rule of ``kam.stakeholder._kam_interaction_sql``) on the account, its
    contacts and their opportunities, and the meetings they attend; one line
    per message, per meeting and attendee. The health's engagement reads them.

    Each kind of record is a part of the view built from overridable pieces
    (``_select_*``, ``_from_*``, ``_where_*``); a bridge addon appends its own
    part to ``_kam_interaction_parts``. ``partner_id`` is the contact (or the
    account) the interaction is with: readers filter on it, through the index
    of each document on its partner.
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
        ],
        "crm.lead": ["partner_id"],
        "calendar.event": ["active", "partner_ids", "start"],
        "res.partner": ["commercial_partner_id"],
    }

    account_id = fields.Many2one("res.partner", string="Key Account", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Contact", readonly=True)
    date = fields.Datetime(readonly=True)
    kind = fields.Selection(
        [("message", "Message"), ("activity", "Activity"), ("meeting", "Meeting")],
        readonly=True,
    )
    document = fields.Reference(selection="_selection_document", readonly=True)

    @api.model
    def _selection_document(self):
        return [
            ("res.partner", self.env._("Contact")),
            ("crm.lead", self.env._("Opportunity")),
            ("calendar.event", self.env._("Meeting")),
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
    def _where_message(self, res_ids=None):
        """Interaction messages (on the documents ``res_ids``, an SQL array)."""
        condition = self.env["kam.stakeholder"]._kam_interaction_sql("m")
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
            account_id=SQL("c.commercial_partner_id"),
            partner_id=SQL("c.id"),
            date=SQL("m.date"),
            kind=self._kam_message_kind(),
            document=SQL("CONCAT('res.partner,', c.id)::varchar"),
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
            account_id=SQL("c.commercial_partner_id"),
            partner_id=SQL("l.partner_id"),
            date=SQL("m.date"),
            kind=self._kam_message_kind(),
            document=SQL("CONCAT('crm.lead,', l.id)::varchar"),
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
    def _select_meeting(self):
        """Active meetings, once per attendee, from their start."""
        return self._kam_select(
            id=SQL("(e.id::bigint * 2147483648 + r.res_partner_id) * 4 + 1"),
            account_id=SQL("c.commercial_partner_id"),
            partner_id=SQL("r.res_partner_id"),
            date=SQL("e.start"),
            kind=SQL("'meeting'::varchar"),
            document=SQL("CONCAT('calendar.event,', e.id)::varchar"),
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
