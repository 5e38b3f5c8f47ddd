from odoo import api, fields, models, tools
from odoo.osv import expression
from odoo.tools import SQL

# The columns every part of the view selects, in this order, after its ``key``
# (the row's id within the part: its document, message or meeting)
TIMELINE_COLUMNS = (
    "partner_id",
    "date",
    "kind",
    "res_model",
    "res_id",
    "message_id",
    "name",
    "user_id",
    "company_id",
)
# A row's id is its part's key times ID_PARTS plus the part's position in the
# view: unique over the parts, whatever parts the installed bridges add. Every
# key is an int4 (a document, a message, an attendee), so that the ids stay
# below 2**53, which the web client reads exactly (JSON numbers are floats).
ID_PARTS = 32


class KamTimeline(models.Model):
    """The timeline of an account (DESIGN §15): one stream, newest first, of
    everything the company did with it. ``partner_id`` is the key account the
    document counts for (``res.partner.kam_account_id`` of its partner: a
    unit's documents are its group's), ``res_model`` and ``res_id`` the
    document a row opens.

    Each kind of document is a part of the view (``_kam_timeline_parts``),
    filtered by its partner through the index of the documents on their
    partner; a bridge addon appends the parts of its app. The messages are
    interactions (``kam.interaction``'s definition and joins) posted on the
    records of the account: its companies and people, their opportunities and
    stakeholder records.

    Rights: a user reads the rows of the documents he may read, and only them
    (``_table_query``): the parts of the models he has no access to are left
    out, the others restricted by the model's own search (record rules,
    companies), in the one query of the search. The superuser reads all the
    rows, on the days of his time zone (the view: of the company's).
    """

    _name = "kam.timeline"
    _description = "Key Account Timeline"
    # grouped by kind in the order of the kinds
    _inherit = ["kam.selection.order.mixin"]
    _kam_ordered_selections = ("kind",)
    _auto = False
    _rec_name = "name"
    _order = "date desc, id desc"
    # what the view reads: flushed before the ORM reads the view
    _depends = {
        "res.partner": ["kam_account_id", "name", "company_id"],
        "res.users": ["partner_id", "share"],
        "kam.escalation": ["partner_id", "name", "user_id", "company_id"],
        "kam.account.review": ["partner_id", "plan_id", "date", "state", "company_id"],
        "kam.account.plan": ["name", "user_id"],
        "mail.message": [
            "date",
            "subject",
            "message_type",
            "mail_activity_type_id",
            "model",
            "res_id",
            "author_id",
        ],
        "crm.lead": ["partner_id", "name", "company_id"],
        "kam.stakeholder": ["contact_id", "company_id"],
        "calendar.event": ["active", "partner_ids", "start", "name", "user_id"],
    }

    partner_id = fields.Many2one("res.partner", string="Key Account", readonly=True)
    date = fields.Datetime(readonly=True)
    kind = fields.Selection(
        [
            ("escalation", "Escalation"),
            ("review", "Review"),
            ("message", "Message"),
            ("meeting", "Meeting"),
        ],
        readonly=True,
    )
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", readonly=True
    )
    message_id = fields.Many2one("mail.message", readonly=True)
    name = fields.Char(string="Description", readonly=True)
    user_id = fields.Many2one("res.users", string="By", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._kam_query(),
            )
        )

    # ------------------------------------------------------------
    # The view: one part per kind of document
    # ------------------------------------------------------------
    @property
    def _table_query(self):
        """What the ORM reads: the parts of the view, on the days of the
        reader's time zone (``_kam_day_start``); as a user, each restricted to
        the documents he may read."""
        return self._kam_query(readable=not self.env.su)

    @api.model
    def _kam_query(self, readable=False):
        """The parts of the view, one after the other; with ``readable``, the
        rows of each restricted to the documents the user may read
        (``_kam_where_readable``)."""
        columns = SQL(", ").join(
            SQL.identifier("part", name) for name in TIMELINE_COLUMNS
        )
        conditions = {}
        queries = []
        for position, (model, query) in enumerate(self._kam_timeline_parts()):
            if readable and model not in conditions:
                conditions[model] = self._kam_where_readable(model)
            queries.append(
                SQL(
                    "SELECT part.key * %s + %s AS id, %s FROM (%s) AS part%s",
                    ID_PARTS,
                    position,
                    columns,
                    query,
                    SQL(" WHERE %s", conditions[model]) if readable else SQL(),
                )
            )
        return SQL(" UNION ALL ").join(queries)

    @api.model
    def _kam_timeline_parts(self):
        """``[(res_model, query)]``: the query of each kind of document, which
        selects ``key`` and ``TIMELINE_COLUMNS`` (``_kam_part``); a bridge
        addon appends its own. The rows of a part open documents of
        ``res_model`` and are read by the users who may read them."""
        Interaction = self.env["kam.interaction"]
        messages = [
            # (document model, kam.interaction's join, document, its name, company)
            (
                "res.partner",
                Interaction._from_partner_message(),
                SQL("c.id"),
                SQL("c.name"),
                SQL("c.company_id"),
            ),
            (
                "crm.lead",
                Interaction._from_lead_message(),
                SQL("l.id"),
                SQL("l.name"),
                SQL("l.company_id"),
            ),
            (
                "kam.stakeholder",
                Interaction._from_stakeholder_message(),
                SQL("s.id"),
                SQL("c.name"),
                SQL("s.company_id"),
            ),
        ]
        return [
            ("kam.escalation", self._kam_escalation_part()),
            ("kam.account.review", self._kam_review_part()),
            *((message[0], self._kam_message_part(*message)) for message in messages),
            ("calendar.event", self._kam_meeting_part()),
        ]

    @api.model
    def _kam_part(self, from_, where=None, group_by=None, **columns):
        """The query of a part: ``columns`` (SQL by name: ``key`` and those of
        ``TIMELINE_COLUMNS``) from ``from_``. ``partner_id`` must be the
        ``kam_account_id`` of a partner joined to the documents through their
        index, so that reading an account's timeline reads its documents
        only."""
        return SQL(
            "SELECT %s FROM %s%s%s",
            SQL(", ").join(
                SQL("%s AS %s", columns[name], SQL.identifier(name))
                for name in ("key", *TIMELINE_COLUMNS)
            ),
            from_,
            SQL(" WHERE %s", where) if where else SQL(),
            SQL(" GROUP BY %s", group_by) if group_by else SQL(),
        )

    @api.model
    def _kam_escalation_part(self):
        """Escalations, from their opening."""
        return self._kam_part(
            SQL("kam_escalation e JOIN res_partner c ON c.id = e.partner_id"),
            key=SQL("e.id"),
            partner_id=SQL("c.kam_account_id"),
            date=SQL("e.create_date"),
            kind=SQL("'escalation'::varchar"),
            res_model=SQL("'kam.escalation'::varchar"),
            res_id=SQL("e.id"),
            message_id=SQL("NULL::integer"),
            name=SQL("e.name"),
            user_id=SQL("e.user_id"),
            company_id=SQL("e.company_id"),
        )

    @api.model
    def _kam_review_part(self):
        """Reviews held, on their day; the drafts are the reviews to come that
        the plans schedule by themselves."""
        return self._kam_part(
            SQL(
                """
                kam_account_review r
                JOIN kam_account_plan p ON p.id = r.plan_id
                JOIN res_partner c ON c.id = r.partner_id
                """
            ),
            SQL("r.state = 'done'"),
            key=SQL("r.id"),
            partner_id=SQL("c.kam_account_id"),
            date=self._kam_day_start(SQL("r.date")),
            kind=SQL("'review'::varchar"),
            res_model=SQL("'kam.account.review'::varchar"),
            res_id=SQL("r.id"),
            message_id=SQL("NULL::integer"),
            name=SQL("p.name"),
            user_id=SQL("p.user_id"),
            company_id=SQL("r.company_id"),
        )

    @api.model
    def _kam_message_part(self, model, from_, document, document_name, company):
        """Interactions (messages ``m``) posted on documents of ``model``
        (``document`` their id in ``from_``, one of ``kam.interaction``'s joins,
        whose partner ``c`` is the person of the document), named by their
        subject, else by their document; by the internal user who wrote
        them."""
        return self._kam_part(
            from_,
            self.env["kam.interaction"]._where_message(),
            key=SQL("m.id"),
            partner_id=SQL("c.kam_account_id"),
            date=SQL("m.date"),
            kind=SQL("'message'::varchar"),
            res_model=SQL("%s::varchar", model),
            res_id=document,
            message_id=SQL("m.id"),
            name=SQL("COALESCE(NULLIF(m.subject, ''), %s)", document_name),
            user_id=SQL(
                """(SELECT MIN(u.id) FROM res_users u
                     WHERE u.partner_id = m.author_id AND NOT u.share)"""
            ),
            company_id=company,
        )

    @api.model
    def _kam_day_start(self, day):
        """The UTC datetime (SQL) at which the date ``day`` (SQL) starts in the
        programme's time zone (``res.company._kam_tz``: the reader's). A date
        has no time: at the start of its day, it shows on that day in the
        reader's calendar, below what was done during the day; cast as is, it
        would be midnight UTC, the eve for the users west of UTC. Noon UTC
        would not do either: it is the next day east of UTC+12."""
        return SQL(
            "(%s::timestamp AT TIME ZONE %s) AT TIME ZONE 'UTC'",
            day,
            self.env.company._kam_tz().zone,
        )

    @api.model
    def _kam_meeting_part(self):
        """Active meetings that have started, from their start, once per account
        among their attendees (a meeting to come is not something done with the
        account yet: it would sit above everything done). The key of a meeting
        and an account is the first of the meeting's attendees of the account
        (``calendar.attendee``, one per partner of the meeting): an int4, where
        the meeting and the account together are not (``ID_PARTS``)."""
        Interaction = self.env["kam.interaction"]
        return self._kam_part(
            SQL(
                """%s JOIN calendar_attendee a
                   ON a.event_id = e.id AND a.partner_id = c.id""",
                Interaction._from_meeting(),
            ),
            SQL(
                "%s AND e.start <= (now() AT TIME ZONE 'UTC')",
                Interaction._where_meeting(),
            ),
            group_by=SQL("e.id, c.kam_account_id"),
            key=SQL("MIN(a.id)"),
            partner_id=SQL("c.kam_account_id"),
            date=SQL("e.start"),
            kind=SQL("'meeting'::varchar"),
            res_model=SQL("'calendar.event'::varchar"),
            res_id=SQL("e.id"),
            message_id=SQL("NULL::integer"),
            name=SQL("e.name"),
            user_id=SQL("e.user_id"),
            company_id=SQL("NULL::integer"),
        )

    # ------------------------------------------------------------
    # Rights: the documents the user may read
    # ------------------------------------------------------------
    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # the rows read by their ids (the list's button) found through the
        # documents' indexes
        query = super()._search(domain, offset=offset, limit=limit, order=order)
        ids = self._kam_domain_ids(domain)
        if ids and not query.is_empty():
            query.add_where(self._kam_where_keys(query.table, ids))
        return query

    @api.model
    def _kam_where_readable(self, model):
        """The rows of a part (``part``) whose document of ``model`` the user may
        read: none without the access right to read the model, else those found
        by the model's search (its record rules and the user's companies), as
        a subquery. Inside each part, the database joins it to the account's
        documents only."""
        # archived documents stay in the timeline (a lost opportunity)
        Model = self.env[model].with_context(active_test=False)
        if not Model.has_access("read"):
            return SQL("FALSE")
        readable = Model._search(self._kam_readable_domain(model))
        return SQL("part.res_id IN %s", readable.subselect())

    @api.model
    def _kam_readable_domain(self, model):
        """The documents of ``model`` the timeline shows the user among those
        he may read: all but the private meetings he neither organises nor
        attends (whose title Odoo hides as "Busy")."""
        if model != "calendar.event":
            return []
        uid = self.env.uid
        # whose meetings are private by default: a user's settings are his own
        private_owners = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            ._search(
                [("res_users_settings_ids.calendar_default_privacy", "=", "private")]
            )
        )
        return expression.OR(
            [
                [("privacy", "in", ["public", "confidential"])],
                [("privacy", "=", False), ("user_id", "not in", private_owners)],
                [("user_id", "=", uid)],
                # the user's partner through the domain: no query before the search's
                [("partner_ids.user_ids", "in", [uid])],
            ]
        )

    @api.model
    def _kam_domain_ids(self, domain):
        """The ids of ``domain`` when it is a list of ids only, as the ORM
        searches the records it reads."""
        match domain:
            case [("id", "in", list() | tuple() as ids)]:
                return ids
        return None

    @api.model
    def _kam_where_keys(self, alias, ids):
        """A condition the rows of ``ids`` meet, on columns each part reads
        through an index: the ids are computed, the view cannot find a row by
        its id without reading every part of every account. A row's key is
        its document (``res_id``), its message, or an attendee of its meeting
        (the meeting read first: a subquery would not reach into the parts)."""
        keys = {row_id // ID_PARTS for row_id in ids}
        keys |= self._kam_meetings_of_ids(ids)
        return SQL(
            "(%s = ANY(%s) OR %s = ANY(%s))",
            SQL.identifier(alias, "res_id"),
            sorted(keys),
            SQL.identifier(alias, "message_id"),
            sorted(keys),
        )

    @api.model
    def _kam_meetings_of_ids(self, ids):
        """The meetings of the meeting rows among ``ids``: those of their keys,
        attendees (``_kam_meeting_part``), in one query if any."""
        positions = {
            position
            for position, (model, _query) in enumerate(self._kam_timeline_parts())
            if model == "calendar.event"
        }
        attendees = [
            row_id // ID_PARTS for row_id in ids if row_id % ID_PARTS in positions
        ]
        if not attendees:
            return set()
        Attendee = self.env["calendar.attendee"].sudo()
        return set(
            Attendee.search_fetch([("id", "in", attendees)], ["event_id"]).event_id.ids
        )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def action_kam_open_document(self):
        """The form of the document of the row (of a message: the document it
        is posted on)."""
        self.ensure_one()
        document = self.env[self.res_model].browse(self.res_id)
        return {**document.get_formview_action(), "context": {}}
