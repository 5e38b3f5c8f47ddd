from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import groupby

from ..tools import run_in_batches
from ..tools.values import kam_bool_search, kam_check_computed_vals

STAKEHOLDER_ROLES = [
    ("decision_maker", "Decision Maker"),
    ("economic_buyer", "Economic Buyer"),
    ("technical_buyer", "Technical Buyer"),
    ("user", "User"),
    ("champion", "Champion"),
    ("influencer", "Influencer"),
    ("gatekeeper", "Gatekeeper"),
    ("executive_sponsor", "Executive Sponsor"),
    ("blocker", "Blocker"),
]
STAKEHOLDER_ATTITUDES = [
    ("champion", "Champion"),
    ("supporter", "Supporter"),
    ("neutral", "Neutral"),
    ("skeptic", "Skeptic"),
    ("opponent", "Opponent"),
]
CONTACT_CHANNELS = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("meeting", "In-person Meeting"),
    ("video", "Video Call"),
    ("messaging", "Messaging"),
    ("social", "Social Network"),
]
# Roles whose departure is a leading churn signal.
CRITICAL_ROLES = ("executive_sponsor", "decision_maker")
# Relationship strength (1-5) from which a stakeholder "carries" the relationship:
# an account with fewer than two such stakeholders is single-threaded.
KAM_STRONG_RELATIONSHIP = 3
# The longest contact cadence (ten years): the next contact date stays a date.
KAM_MAX_CONTACT_FREQUENCY = 3650
# Figures computed from the interactions: written by the code that records them
# (as superuser), never typed in.
KAM_INTERACTION_FIELDS = ("last_interaction_date", "next_contact_date", "is_overdue")
CONTACT_DUE_ACTIVITY = "kam_management.mail_activity_type_kam_contact_due"
ENGAGEMENT_STEP_ACTIVITY = "kam_management.mail_activity_type_kam_engagement_step"


class KamStakeholder(models.Model):
    _name = "kam.stakeholder"
    _description = "Key Account Stakeholder"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "kam.account.mixin",
        "kam.selection.order.mixin",
    ]
    _kam_ordered_selections = ("attitude",)
    _kam_descending_scales = ("influence", "interest")
    _order = "partner_id, influence desc, interest desc, id"
    _rec_names_search = ["contact_id.name", "partner_id.name"]
    # figures computed from the interactions: nobody types them in
    _kam_computed_fnames = KAM_INTERACTION_FIELDS

    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
        domain="[('is_key_account', '=', True)]",
    )
    contact_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="cascade",
        index=True,
        tracking=True,
        domain="[('kam_account_id', '=', partner_id), ('is_company', '=', False)]",
        help="A person of the account or of one of the units of its group.",
    )
    contact_function = fields.Char(related="contact_id.function", string="Job Position")
    contact_email = fields.Char(related="contact_id.email", string="Email")
    contact_phone = fields.Char(related="contact_id.phone", string="Phone")
    role = fields.Selection(
        STAKEHOLDER_ROLES,
        required=True,
        default="influencer",
        tracking=True,
        help="The part the person plays in the buying decision.",
    )
    influence = fields.Integer(
        string="Influence (5 = decides)",
        default=3,
        aggregator="avg",
        tracking=True,
        help="Power over the buying decision, from 1 (none) to 5 (decisive).",
    )
    interest = fields.Integer(
        default=3,
        aggregator="avg",
        tracking=True,
        help="Interest in what we bring, from 1 (none) to 5 (very high).",
    )
    attitude = fields.Selection(
        STAKEHOLDER_ATTITUDES,
        required=True,
        group_expand=True,
        default="neutral",
        tracking=True,
        help="Attitude towards us, from champion to opponent.",
    )
    relationship_strength = fields.Integer(
        default=2,
        aggregator="avg",
        tracking=True,
        help="Strength of our relationship with the person, from 1 (we barely "
        "know them) to 5 (they take our calls any time).",
    )
    owner_id = fields.Many2one(
        "res.users",
        string="Relationship Owner",
        compute="_compute_owner_id",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who owns the relationship on our side; defaults to the Key Account "
        "Manager of the account.",
    )
    preferred_channel = fields.Selection(CONTACT_CHANNELS, default="email")
    contact_frequency_days = fields.Integer(
        string="Contact Every (days)",
        default=30,
        help="How often the person must be contacted. 0 means no regular contact.",
    )
    last_interaction_date = fields.Date(
        string="Last Interaction",
        compute="_compute_last_interaction_date",
        store=True,
        help="Latest email or message exchanged with the person, meeting they "
        "attended or activity done with them, updated as soon as it is recorded.",
    )
    next_contact_date = fields.Date(
        string="Next Contact",
        compute="_compute_next_contact_date",
        store=True,
        index=True,
        help="Last interaction plus the contact frequency (the cadence starts "
        "when the stakeholder is mapped if there was no interaction yet).",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
        help="The next contact date is past.",
    )
    notes = fields.Html()
    company_id = fields.Many2one(
        related="partner_id.company_id", store=True, index=True
    )
    # tracked: the review brief tells who left the account
    active = fields.Boolean(default=True, tracking=True)
    departed = fields.Boolean(
        default=False,
        copy=False,
        tracking=True,
        help="The person left the account (contact archived or now working for "
        "another company). Departed stakeholders do not count in the coverage.",
    )

    _sql_constraints = [
        (
            "partner_contact_uniq",
            "unique(partner_id, contact_id)",
            "A contact can be mapped only once per account (look in the archived "
            "stakeholders too).",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------
    @api.depends("contact_id.name", "partner_id.name")
    def _compute_display_name(self):
        for stakeholder in self:
            stakeholder.display_name = self.env._(
                "%(contact)s (%(account)s)",
                contact=stakeholder.contact_id.name or "",
                account=stakeholder.partner_id.name or "",
            )

    @api.depends("partner_id")
    def _compute_owner_id(self):
        for stakeholder in self:
            if not stakeholder.owner_id:
                stakeholder.owner_id = (
                    stakeholder.partner_id.kam_user_id or self.env.user
                )

    @api.depends("contact_id")
    def _compute_last_interaction_date(self):
        """Computed at creation and when the contact changes; refreshed in batch
        by ``_kam_refresh_last_interaction`` (daily cron, refresh button)."""
        last = self._kam_get_last_interactions()
        for stakeholder in self:
            stakeholder.last_interaction_date = last.get(stakeholder, False)

    @api.depends("last_interaction_date", "contact_frequency_days")
    def _compute_next_contact_date(self):
        today = fields.Date.context_today(self)
        for stakeholder in self:
            # out of range (typed in a form, before the save refuses it): no
            # date rather than an overflow in the onchange
            days = stakeholder.contact_frequency_days
            if not 0 < days <= KAM_MAX_CONTACT_FREQUENCY:
                stakeholder.next_contact_date = False
                continue
            start = stakeholder.last_interaction_date or (
                fields.Date.context_today(self, stakeholder.create_date)
                if stakeholder.create_date
                else today
            )
            stakeholder.next_contact_date = fields.Date.add(start, days=days)

    @api.depends("next_contact_date", "departed")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for stakeholder in self:
            stakeholder.is_overdue = bool(
                not stakeholder.departed
                and stakeholder.next_contact_date
                and stakeholder.next_contact_date < today
            )

    def _search_is_overdue(self, operator, value):
        today = fields.Date.context_today(self)
        return kam_bool_search(
            self.env,
            operator,
            value,
            self._fields["is_overdue"]._description_string(self.env),
            [
                ("departed", "=", False),
                ("next_contact_date", "!=", False),
                ("next_contact_date", "<", today),
            ],
            [
                "|",
                "|",
                ("departed", "=", True),
                ("next_contact_date", "=", False),
                ("next_contact_date", ">=", today),
            ],
        )

    def _kam_get_last_interactions(self):
        """Latest interaction date of each stakeholder in ``self``: the latest
        interaction with its contact (``kam.interaction``) up to now, in one
        query whatever the size of ``self``.

        :return: dict {stakeholder: date}
        """
        contact_ids = self.contact_id.ids
        if not contact_ids:
            return {}
        domain = [
            ("partner_id", "in", contact_ids),
            ("date", "<=", fields.Datetime.now()),
        ]
        groups = (
            self.env["kam.interaction"]
            .sudo()
            ._read_group(domain, ["partner_id"], ["date:max"])
        )
        last = {contact.id: date for contact, date in groups}
        return {
            stakeholder: fields.Date.context_today(
                self, last[stakeholder.contact_id.id]
            )
            for stakeholder in self
            if stakeholder.contact_id.id in last
        }

    @api.model
    def _kam_stakeholder_contact_ids(self, contact_ids):
        """The contacts among ``contact_ids`` mapped as a stakeholder (archived
        ones included): a flag stored on the partner, read with the partner
        (prefetched with its other fields: a message or a meeting that involves
        no stakeholder costs no query of its own)."""
        contacts = self.env["res.partner"].sudo().browse(contact_ids)
        return set(contacts.filtered("kam_is_stakeholder_contact").ids)

    @api.model
    def _kam_record_interactions(self, contact_dates):
        """Record interactions as soon as they are made, in the transaction that
        makes them: the stakeholders of the contacts of ``contact_dates``
        ``{contact_id: datetime}`` (``kam.interaction``'s ``_kam_message_people``
        and ``_kam_meeting_people``) get the date as last interaction when it is
        later, and their open "contact due" reminder is marked done. Dates to
        come are no interaction yet (the daily run takes them when they are
        past). No query when none of the contacts is a stakeholder's; a few
        queries for all the stakeholders otherwise.

        :return: the stakeholders that had an interaction
        """
        known = self._kam_stakeholder_contact_ids(list(contact_dates))
        now = fields.Datetime.now()
        contact_dates = {
            contact_id: date
            for contact_id, date in contact_dates.items()
            if contact_id in known and date <= now
        }
        if not contact_dates:
            return self.browse()
        # sudo: the dates are facts, written whoever made the interaction
        stakeholders = (
            self.sudo()
            .with_context(active_test=False)
            .search([("contact_id", "in", list(contact_dates))])
        )
        latest = {
            stakeholder: fields.Date.context_today(
                self, contact_dates[stakeholder.contact_id.id]
            )
            for stakeholder in stakeholders
        }
        stakeholders.filtered(
            lambda s: not s.last_interaction_date or latest[s] > s.last_interaction_date
        )._kam_write_last_interactions(latest)
        stakeholders._kam_close_contact_due(latest)
        return stakeholders

    def _kam_write_last_interactions(self, dates):
        """Write ``dates[stakeholder]`` (False: none) as the last interaction of
        the stakeholders of ``self``: one write per distinct date, the next
        contact dates follow."""
        for date, records in groupby(self, key=lambda s: dates.get(s, False)):
            self.browse([r.id for r in records]).write({"last_interaction_date": date})

    def _kam_close_contact_due(self, dates):
        """Mark done the open "contact due" reminders of ``self``, the contact
        made on ``dates[stakeholder]``. The activities being marked done (in
        the context, by mail.activity._action_done) are left to that."""
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", self.env.ref(CONTACT_DUE_ACTIVITY).id),
                ("id", "not in", self.env.context.get("kam_done_activity_ids", [])),
            ]
        )
        by_id = {stakeholder.id: dates[stakeholder] for stakeholder in self}
        for date, group in groupby(activities, key=lambda a: by_id[a.res_id]):
            self.env["mail.activity"].union(*group).action_feedback(
                feedback=self.env._(
                    "Contact made on %(date)s",
                    date=tools.format_date(self.env, date),
                )
            )

    # ------------------------------------------------------------
    # Coverage of the accounts (DESIGN section 3)
    # ------------------------------------------------------------
    # Read with sudo: the coverage feeds the health score, whoever triggers it.
    @api.model
    def _kam_coverage(self, partner_ids=None):
        """Coverage of the accounts ``partner_ids`` (default: every account with a
        stakeholder) by their active stakeholders, in two queries at most:
        ``{partner_id: {'count', 'decision_maker', 'champion',
        'executive_sponsor', 'single_threaded', 'overdue'}}``. ``count`` includes
        the departed stakeholders, the flags and ``overdue`` do not; an account
        with fewer than two strong relationships is single-threaded."""
        domain = []
        if partner_ids is not None:
            domain = [("partner_id", "in", list(partner_ids))]
        stats = self._kam_coverage_stats(domain, partner_ids)
        overdue = {}
        # only current stakeholders are overdue: without any, spare the query
        if any(data["roles"] for data in stats.values()):
            overdue = self._kam_overdue_counts(domain)
        return {
            partner_id: {
                "count": data["count"],
                "decision_maker": "decision_maker" in data["roles"],
                "champion": "champion" in data["roles"] | data["attitudes"],
                "executive_sponsor": "executive_sponsor" in data["roles"],
                "single_threaded": data["strong"] < 2,
                "overdue": overdue.get(partner_id, 0),
            }
            for partner_id, data in stats.items()
        }

    @api.model
    def _kam_coverage_stats(self, domain, partner_ids=None):
        """``{partner_id: {'count', 'roles', 'attitudes', 'strong'}}`` of the
        active stakeholders of ``domain``, in one query: all of them counted,
        the roles, attitudes and strong relationships of the current ones only
        (not departed); every account of ``partner_ids`` listed, with or
        without stakeholders."""

        def empty():
            return {"count": 0, "roles": set(), "attitudes": set(), "strong": 0}

        stats = defaultdict(empty)
        stats.update((partner_id, empty()) for partner_id in partner_ids or ())
        groups = self.sudo()._read_group(
            domain,
            ["partner_id", "departed", "role", "attitude", "relationship_strength"],
            ["__count"],
        )
        for partner, departed, role, attitude, strength, count in groups:
            data = stats[partner.id]
            data["count"] += count
            if not departed:
                data["roles"].add(role)
                data["attitudes"].add(attitude)
                data["strong"] += count if strength >= KAM_STRONG_RELATIONSHIP else 0
        return stats

    @api.model
    def _kam_overdue_counts(self, domain):
        """``{partner_id: number of overdue stakeholders}`` of ``domain``."""
        return {
            partner.id: count
            for partner, count in self.sudo()._read_group(
                [*domain, ("is_overdue", "=", True)], ["partner_id"], ["__count"]
            )
        }

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------
    @api.constrains("partner_id", "contact_id")
    def _check_contact_belongs_to_account(self):
        for stakeholder in self:
            account = stakeholder.partner_id
            contact = stakeholder.contact_id
            if account.commercial_partner_id != account:
                raise ValidationError(
                    self.env._(
                        "%(account)s is a contact of %(company)s: map stakeholders "
                        "on the company itself.",
                        account=account.display_name,
                        company=account.commercial_partner_id.display_name,
                    )
                )
            if contact.is_company:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is a company: a stakeholder is a person.",
                        contact=contact.display_name,
                    )
                )
            if contact.sudo().kam_account_id != account:
                raise ValidationError(
                    self.env._(
                        "%(contact)s does not belong to %(account)s: only the "
                        "contacts of the account and of the units of its group "
                        "can be its stakeholders.",
                        contact=contact.display_name,
                        account=account.display_name,
                    )
                )

    @api.constrains("owner_id", "partner_id")
    def _check_owner_id(self):
        self._kam_check_internal_users(["owner_id"])

    @api.constrains("influence", "interest", "relationship_strength")
    def _check_ranges(self):
        labels = {
            "influence": self.env._("Influence"),
            "interest": self.env._("Interest"),
            "relationship_strength": self.env._("Relationship strength"),
        }
        for stakeholder in self:
            for fname, label in labels.items():
                if not 1 <= stakeholder[fname] <= 5:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(stakeholder)s must be between 1 and 5 "
                            "(got %(value)s).",
                            field=label,
                            stakeholder=stakeholder.display_name,
                            value=stakeholder[fname],
                        )
                    )

    @api.constrains("contact_frequency_days")
    def _check_contact_frequency_days(self):
        for stakeholder in self:
            self._kam_check_contact_frequency(
                stakeholder.contact_frequency_days, stakeholder.display_name
            )

    @api.model
    def _kam_check_contact_frequency(self, days, name=""):
        """Refuse a contact frequency out of 0 .. ten years (the next contact
        date would not be a date): before the write, and as a constraint."""
        if not 0 <= days <= KAM_MAX_CONTACT_FREQUENCY:
            raise ValidationError(
                self.env._(
                    "The contact frequency of %(stakeholder)s must be between 0 "
                    "(no regular contact) and %(max)s days.",
                    stakeholder=name or self.env._("a stakeholder"),
                    max=KAM_MAX_CONTACT_FREQUENCY,
                )
            )

    def _kam_computed_origin(self, fname):
        """What the computed figure ``fname`` comes from, for the message that
        refuses to write it."""
        return self.env._("the interactions with the person")

    def _kam_check_user_vals(self, vals_list):
        """What users may not write: the figures computed from the interactions
        (the code that records them writes as superuser), a contact frequency
        out of range (checked before the next contact date is computed)."""
        for vals in vals_list:
            kam_check_computed_vals(self, vals)
            days = vals.get("contact_frequency_days")
            if isinstance(days, int):
                self._kam_check_contact_frequency(
                    days, self.display_name if len(self) == 1 else ""
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._kam_check_user_vals(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._kam_check_user_vals([vals])
        return super().write(vals)

    # ------------------------------------------------------------
    # Mail
    # ------------------------------------------------------------
    def _message_get_suggested_recipients(self):
        """The person is who a message sent from the stakeholder is for (as
        crm's customer): suggested, and ticked, in the chatter's composer."""
        recipients = super()._message_get_suggested_recipients()
        if self.contact_id:
            self._message_add_suggested_recipient(
                recipients,
                partner=self.contact_id,
                reason=self._fields["contact_id"]._description_string(self.env),
            )
        return recipients

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def action_refresh_last_interaction(self):
        # the button acts with sudo: only on stakeholders the caller may change
        self.check_access("write")
        self._kam_refresh_last_interaction()
        return True

    def action_kam_grant_portal_access(self):
        """Open Odoo's portal access wizard on the stakeholders' contacts, to
        let them see the plans shared with their account."""
        return (
            self.env["portal.wizard"]
            .with_context(active_ids=self.contact_id.ids)
            .action_open_wizard()
        )

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------
    def _kam_refresh_last_interaction(self):
        """Recompute the last interaction (and so the next contact) of the
        stakeholders in ``self``, in batch."""
        # sudo: the dates are facts read from the history, written whoever
        # triggered the refresh (a message on the contact, the daily run).
        stakeholders = self.sudo()
        last = stakeholders._kam_get_last_interactions()
        stakeholders.filtered(
            lambda s: s.last_interaction_date != last.get(s, False)
        )._kam_write_last_interactions(last)

    def _kam_has_left(self):
        """The stakeholders of ``self`` whose contact left the account: archived,
        or no longer counted for it (moved to another company, or their unit
        out of the group)."""
        return self.filtered(
            lambda s: (
                not s.contact_id.active or s.contact_id.kam_account_id != s.partner_id
            )
        )

    def _kam_mark_departed(self):
        """Flag ``self`` as departed, close their pending reminders and warn each
        account in its chatter (a departed sponsor or decision maker is a churn
        signal)."""
        if not self:
            return
        self.write({"departed": True})
        self.activity_unlink([CONTACT_DUE_ACTIVITY])
        roles = dict(self._fields["role"]._description_selection(self.env))
        for account, stakeholders in groupby(self, key=lambda s: s.partner_id):
            lines = Markup()
            critical = False
            for stakeholder in stakeholders:
                contact = stakeholder.contact_id
                if not contact.active:
                    reason = self.env._("contact archived")
                else:
                    reason = self.env._(
                        "now with %(company)s",
                        company=contact.commercial_partner_id.display_name,
                    )
                lines += Markup("<li>%s</li>") % self.env._(
                    "%(contact)s, %(role)s (%(reason)s)",
                    contact=contact.name,
                    role=roles.get(stakeholder.role, stakeholder.role),
                    reason=reason,
                )
                critical = critical or stakeholder.role in CRITICAL_ROLES
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Stakeholders who left the account:"),
                lines,
            )
            if critical:
                body += Markup("<p><strong>%s</strong></p>") % self.env._(
                    "Churn signal: the account lost its executive sponsor or a "
                    "decision maker. Find and win their successor now."
                )
            account.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _kam_schedule_contact_due(self):
        """Schedule one "Contact due" activity for the owner of each overdue
        stakeholder of ``self`` that has none open yet."""
        today = self.env.company._kam_today()
        overdue = self.filtered(lambda s: s.active and s.is_overdue)
        if not overdue:
            return self.browse()
        todo = overdue._kam_without_open_activity(CONTACT_DUE_ACTIVITY)
        for owner, stakeholders in groupby(
            todo, key=lambda s: s.owner_id or s.partner_id.kam_user_id
        ):
            # the summary and note of the activity type in the owner's language
            lang = owner.lang or self.env.lang
            self.with_context(lang=lang).browse(
                [s.id for s in stakeholders]
            ).activity_schedule(
                CONTACT_DUE_ACTIVITY,
                date_deadline=today,
                user_id=owner.id or self.env.user.id,
            )
        return todo

    def _kam_process_contact_due(self):
        """One batch of the daily run: departures, interactions, reminders."""
        departed = self._kam_has_left()
        departed._kam_mark_departed()
        staying = self - departed
        staying._kam_refresh_last_interaction()
        return staying._kam_schedule_contact_due()

    # ------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------
    @api.model
    def _cron_kam_contact_due(self, batch_size=200):
        """Daily: flag the stakeholders who left, refresh the last interactions
        and remind the owners of the overdue ones and of the engagement steps
        due (kam_stakeholder_engagement.py). Safe to re-run."""
        stakeholders = self.search(
            [("departed", "=", False), ("partner_id.is_key_account", "=", True)],
            order="id",
        )
        run_in_batches(
            self.env,
            stakeholders.ids,
            lambda ids: self.browse(ids)._kam_process_contact_due(),
            batch_size,
            "Stakeholder contact reminders",
        )
