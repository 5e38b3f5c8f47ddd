from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_datetime, is_html_empty

from ..tools.values import kam_bool_search, kam_check_values

ESCALATION_REASONS = [
    ("low_health", "Low Health"),
    ("churn_risk", "Churn Risk"),
    ("big_opportunity", "Big Opportunity"),
    ("critical_issue", "Critical Issue"),
    ("other", "Other"),
]
ESCALATION_SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
ESCALATION_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("cancelled", "Cancelled"),
]
# The states of an open escalation: the one definition, used by the dashboard and
# the programme metrics too.
ESCALATION_OPEN_STATES = ("new", "in_progress")
CLOSED_STATES = ("resolved", "cancelled")
# The partial unique index that keeps one open escalation per account and reason.
OPEN_UNIQUE_INDEX = "kam_escalation_open_partner_reason_uniq"
ACTIVITY_TYPE_XMLID = "kam_management.mail_activity_type_kam_escalation"
# Fields written by the escalation engine only, never by a user's create.
ENGINE_FIELDS = ("health_score", "raise_count", "date_resolved", "date_closed")
KAM_MANAGER_GROUP = "kam_management.group_kam_manager"
# How far a deadline given at creation may be from the service level computed
# at the save and still be the service level (the time of the request).
SLA_TOLERANCE = timedelta(minutes=1)


class KamEscalation(models.Model):
    _name = "kam.escalation"
    _description = "Key Account Escalation"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "kam.account.mixin",
        "kam.playbook.mixin",
    ]
    _order = "deadline, id"
    _check_company_auto = True

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------
    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        index="trigram",
        default=lambda self: self.env._("New"),
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Key Account",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        domain="[('is_key_account', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    reason = fields.Selection(
        ESCALATION_REASONS, required=True, default="other", tracking=True
    )
    severity = fields.Selection(
        ESCALATION_SEVERITIES, required=True, default="medium", tracking=True
    )
    state = fields.Selection(
        ESCALATION_STATES,
        string="Status",
        required=True,
        default="new",
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    source = fields.Selection(
        [("rule", "Rule"), ("manual", "Manual")],
        required=True,
        default="manual",
        readonly=True,
        help="Rule: opened by the scheduled action. Manual: opened by a user.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Defaults to the Key Account Manager of the account.",
    )
    kam_user_id = fields.Many2one(
        related="partner_id.kam_user_id", string="Key Account Manager"
    )
    resource_user_ids = fields.Many2many(
        "res.users",
        "kam_escalation_resource_user_rel",
        "escalation_id",
        "user_id",
        string="Assigned Resources",
        domain="[('share', '=', False)]",
    )
    deadline = fields.Datetime(
        compute="_compute_deadline",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        copy=False,
        tracking=True,
        help="Service level: now plus the hours of the severity in Settings. An open "
        "escalation past its deadline climbs to the account's director.",
    )
    kam_can_move_deadline = fields.Boolean(
        string="Can Move the Deadline",
        compute="_compute_kam_can_move_deadline",
        # a new record's form takes the defaults, not the compute
        default=lambda self: self._kam_may_move_deadline(),
        help="Whether the current user may set or move the deadline (KAM "
        "administrators): for the others it follows the service level of the "
        "severity, and the form locks it.",
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    health_score = fields.Float(
        string="Health at Opening", readonly=True, digits=(16, 1), aggregator="avg"
    )
    evidence = fields.Text(
        help="The facts behind the escalation. The scheduled action keeps it up to "
        "date and posts every new evidence in the chatter."
    )
    action_plan = fields.Html()
    resolution = fields.Html(copy=False)
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    date_resolved = fields.Datetime(
        string="Resolved On",
        compute="_compute_state_dates",
        store=True,
        precompute=True,
        readonly=True,
        copy=False,
    )
    date_closed = fields.Datetime(
        string="Closed On",
        compute="_compute_state_dates",
        store=True,
        precompute=True,
        readonly=True,
        copy=False,
        help="When the escalation was resolved or cancelled; the rules of the "
        "scheduled action do not reopen it for a while after that.",
    )
    raise_count = fields.Integer(
        string="Times Raised",
        readonly=True,
        copy=False,
        help="How many times the escalation went past its deadline and climbed.",
    )

    # ------------------------------------------------------------
    # SQL: never two open escalations for the same account and reason
    # ------------------------------------------------------------
    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (partner_id, reason) "
                "WHERE state IN %s",
                SQL.identifier(OPEN_UNIQUE_INDEX),
                SQL.identifier(self._table),
                ESCALATION_OPEN_STATES,
            )
        )
        return res

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------
    @api.depends("partner_id")
    def _compute_company_id(self):
        for escalation in self:
            escalation.company_id = (
                escalation.partner_id.company_id
                or escalation.company_id
                or self.env.company
            )

    @api.depends("partner_id")
    def _compute_user_id(self):
        # the KAM of a shared account run from companies the user does not work
        # in reads empty for the user (res.partner's _kam_foreign_shared_ids):
        # the user owns what they open on it, not that company's KAM (env.user
        # even in the sudo of the compute; none for the superuser; the engine
        # gives its owner)
        foreign = self.partner_id._kam_foreign_shared_ids()
        for escalation in self:
            if escalation.user_id:
                continue
            partner = escalation.partner_id
            kam = partner.kam_user_id if partner.id not in foreign else None
            escalation.user_id = kam or self.env.user

    @api.depends("severity", "company_id")
    def _compute_deadline(self):
        """The service level of a new escalation's severity (until it is saved:
        a saved deadline is moved by the engine or a KAM administrator only)."""
        for escalation in self:
            if escalation._origin.id and escalation.deadline:
                continue
            escalation.deadline = self._kam_sla_deadline(
                escalation.severity or "medium", escalation.company_id or None
            )

    @api.depends("state")
    def _compute_state_dates(self):
        """When it was resolved and when closed (resolved or cancelled), kept
        while it stays so, cleared when it reopens."""
        now = fields.Datetime.now()
        for escalation in self:
            state = escalation.state
            escalation.date_resolved = state == "resolved" and (
                escalation.date_resolved or now
            )
            escalation.date_closed = state in CLOSED_STATES and (
                escalation.date_closed or now
            )

    @api.depends_context("uid")
    def _compute_kam_can_move_deadline(self):
        can_move = self._kam_may_move_deadline()
        for escalation in self:
            escalation.kam_can_move_deadline = can_move

    @api.depends("state", "deadline")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for escalation in self:
            escalation.is_overdue = (
                escalation.state in ESCALATION_OPEN_STATES
                and bool(escalation.deadline)
                and escalation.deadline < now
            )

    def _search_is_overdue(self, operator, value):
        now = fields.Datetime.now()
        return kam_bool_search(
            self.env,
            operator,
            value,
            self._fields["is_overdue"]._description_string(self.env),
            [("state", "in", ESCALATION_OPEN_STATES), ("deadline", "<", now)],
            [
                "|",
                ("state", "not in", ESCALATION_OPEN_STATES),
                ("deadline", ">=", now),
            ],
        )

    def _kam_may_move_deadline(self):
        """Whether the user may set or move a deadline by hand."""
        return self.env.su or self.env.user.has_group(KAM_MANAGER_GROUP)

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------
    @api.constrains("partner_id")
    def _check_partner_key_account(self):
        for escalation in self:
            if not escalation.partner_id.is_key_account:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not a key account: escalations are for key "
                        "accounts only.",
                        partner=escalation.partner_id.display_name,
                    )
                )

    @api.constrains("user_id", "resource_user_ids", "company_id")
    def _check_users(self):
        self._kam_check_internal_users(["user_id", "resource_user_ids"])

    @api.constrains("state", "resolution")
    def _check_resolution(self):
        for escalation in self:
            if escalation.state == "resolved" and is_html_empty(escalation.resolution):
                raise ValidationError(
                    self.env._(
                        "Describe the resolution of %(name)s before resolving it.",
                        name=escalation.name,
                    )
                )

    def _kam_check_open_duplicates(self, pairs, exclude_ids=()):
        """Refuse a second open escalation for the same account and reason.

        ``pairs`` are the ``(partner_id, reason)`` of the escalations about to be
        open. The partial unique index guarantees it in the database; this check
        gives users a clear message first.
        """
        seen = set()
        for pair in pairs:
            if pair in seen:
                raise ValidationError(
                    self.env._(
                        "An account can have only one open escalation per reason."
                    )
                )
            seen.add(pair)
        if not seen:
            return
        existing = self.sudo().search(
            [
                ("partner_id", "in", [partner_id for partner_id, _reason in seen]),
                ("reason", "in", [reason for _partner_id, reason in seen]),
                ("state", "in", ESCALATION_OPEN_STATES),
                ("id", "not in", list(exclude_ids)),
            ]
        )
        readable = existing.with_env(self.env)._filtered_access("read")
        for escalation in existing:
            if (escalation.partner_id.id, escalation.reason) not in seen:
                continue
            if escalation not in readable:
                raise ValidationError(
                    self.env._(
                        "The account already has an open escalation for this " "reason."
                    )
                )
            raise ValidationError(
                self.env._(
                    "%(account)s already has an open escalation for this reason "
                    "(%(name)s). Add your evidence there, or resolve or cancel it "
                    "first.",
                    account=escalation.partner_id.display_name,
                    name=escalation.name,
                )
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        # the permission first (the access rights and the accounts the user works
        # on): the duplicate check below must not answer to anyone else
        self.check_access("create")
        kam_check_values(self, vals_list)
        self._kam_check_accounts_worked(self._kam_accounts_of_vals(vals_list))
        if not self.env.su:
            vals_list = [self._kam_user_create_vals(vals) for vals in vals_list]
        vals_list, given, context = self._kam_split_given_deadlines(vals_list)
        self._kam_opening_health(vals_list)
        self._kam_name_from_sequence(vals_list)
        # the rules looked for open escalations themselves (honoured under sudo
        # only: a user's context never skips the check)
        if not (
            self.env.su and self.env.context.get("kam_escalation_skip_duplicate_check")
        ):
            self._kam_check_open_duplicates(self._kam_open_pairs(vals_list))
        # the whole context: a key (default_deadline) is dropped, not overridden
        create = super(KamEscalation, self.with_context(context)).create  # pylint: disable=context-overridden
        escalations = create(vals_list)
        escalations._kam_check_created_deadlines(given)
        escalations._kam_on_open()
        return escalations

    @api.model
    def _kam_split_given_deadlines(self, vals_list):
        """The deadlines given to the escalations of ``vals_list``: a user who
        may not move one gets the service level the compute gives (the deadline
        given is checked against it by ``_kam_check_created_deadlines``; a
        default of the context is ignored, as the form does not send it).

        :return: (vals_list, [deadline given or None], context of the create)
        """
        context = dict(self.env.context)
        given = [vals.get("deadline") for vals in vals_list]
        if self._kam_may_move_deadline():
            return vals_list, given, context
        context.pop("default_deadline", None)
        vals_list = [
            {key: value for key, value in vals.items() if key != "deadline"}
            for vals in vals_list
        ]
        return vals_list, given, context

    @api.model
    def _kam_opening_health(self, vals_list):
        """The account's health score at the opening (empty, not 0.0, for an
        account without score: no band), unless the engine gives it."""
        for vals in vals_list:
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            if "health_score" not in vals and partner:
                score = partner.kam_health_score
                vals["health_score"] = partner.kam_health_band and score

    @api.model
    def _kam_open_pairs(self, vals_list):
        """``[(partner_id, reason)]`` of the open escalations of ``vals_list``."""
        context = self.env.context
        return [
            (
                vals.get("partner_id"),
                vals.get("reason") or context.get("default_reason") or "other",
            )
            for vals in vals_list
            if (vals.get("state") or context.get("default_state") or "new")
            in ESCALATION_OPEN_STATES
        ]

    def _kam_check_created_deadlines(self, given):
        """The deadlines ``given`` at the creation of ``self`` (one per record,
        None where none): another user's is refused unless it is the service
        level of the severity (the form does not send it to them); a KAM
        administrator's (or the engine's) is never in the past."""
        may_move = self._kam_may_move_deadline()
        now = fields.Datetime.now()
        for escalation, deadline in zip(self, given, strict=True):
            if not deadline:
                continue
            deadline = fields.Datetime.to_datetime(deadline)
            if not may_move and abs(deadline - escalation.deadline) > SLA_TOLERANCE:
                raise AccessError(self._kam_deadline_move_message())
            if may_move and deadline < now - SLA_TOLERANCE:
                raise ValidationError(
                    self.env._("The deadline of an escalation cannot be in the past.")
                )

    @api.model
    def _kam_deadline_move_message(self):
        return self.env._(
            "Only a KAM administrator can move the deadline of an "
            "escalation: it follows the service level of its severity."
        )

    @api.model
    def _kam_user_create_vals(self, vals):
        """The values of an escalation a user opens: open (new or in progress),
        manual, with the figures the engine writes left to it, whatever the
        values or the context's defaults say."""
        state = vals.get("state") or self.env.context.get("default_state") or "new"
        if state not in ESCALATION_OPEN_STATES:
            raise UserError(
                self.env._(
                    "An escalation opens as New or In Progress: resolve or cancel "
                    "it afterwards with its buttons."
                )
            )
        vals = {
            key: value
            for key, value in vals.items()
            if key not in ENGINE_FIELDS and key != "name"
        }
        # open: never resolved nor closed (set, so that no context default
        # of the computed dates applies)
        vals.update(
            state=state,
            source="manual",
            raise_count=0,
            date_resolved=False,
            date_closed=False,
        )
        return vals

    @api.model
    def _kam_name_from_sequence(self, vals_list):
        """Give the escalations of ``vals_list`` without a reference the next
        one of the escalation sequence (``next_by_code``: the sequence of the
        current company, else the shared one)."""
        Sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = Sequence.next_by_code("kam.escalation") or self.env._(
                    "New"
                )

    def write(self, vals):
        # before the checks below, which read the values
        kam_check_values(self, [vals])
        engine = (set(ENGINE_FIELDS) | {"source"}) & set(vals)
        if engine and not self.env.su:
            raise AccessError(
                self.env._(
                    "%(field)s is written by the escalation engine only.",
                    field=self._fields[min(engine)]._description_string(self.env),
                )
            )
        if "deadline" in vals and not self.env.su:
            self._kam_check_deadline_change(vals["deadline"])
        if {"partner_id", "reason", "state"} & set(vals):
            # the rights first: the duplicate check names another escalation
            self.check_access("write")
            pairs = []
            for escalation in self:
                state = vals.get("state", escalation.state)
                if state in ESCALATION_OPEN_STATES:
                    pairs.append(
                        (
                            vals.get("partner_id", escalation.partner_id.id),
                            vals.get("reason", escalation.reason),
                        )
                    )
            self._kam_check_open_duplicates(pairs, exclude_ids=self.ids)
        reopened = self.browse()
        if vals.get("state") in ESCALATION_OPEN_STATES:
            reopened = self.filtered(lambda e: e.state not in ESCALATION_OPEN_STATES)
        res = super().write(vals)
        # closed from anywhere (buttons, kanban drag and drop): the pending
        # escalation activities and playbook steps are done (resolved) or
        # dropped (cancelled)
        if vals.get("state") == "resolved":
            self.activity_feedback([ACTIVITY_TYPE_XMLID])
            self._kam_playbook_activities().action_feedback()
        elif vals.get("state") == "cancelled":
            self.activity_unlink([ACTIVITY_TYPE_XMLID])
            self._kam_playbook_activities().unlink()
        # open again (reset, kanban): mobilised again, as at the opening, the
        # activities and steps of its closing being done or dropped
        reopened._kam_mobilise()
        if vals.get("user_id") or vals.get("resource_user_ids"):
            for escalation in self:
                escalation.message_subscribe(
                    partner_ids=(
                        escalation.user_id | escalation.resource_user_ids
                    ).partner_id.ids
                )
        return res

    def _kam_check_deadline_change(self, deadline):
        """The deadline of an open escalation is its service level: the engine
        sets it (severity, climbs); only a KAM administrator moves it by hand,
        and never before the escalation was opened (which would make it climb
        to the director at once)."""
        kam_check_values(self, [{"deadline": deadline}])
        if not self._kam_may_move_deadline():
            raise AccessError(self._kam_deadline_move_message())
        deadline = fields.Datetime.to_datetime(deadline)
        for escalation in self:
            if not deadline:
                raise ValidationError(
                    self.env._(
                        "%(name)s needs a deadline: set the date by which it must "
                        "be resolved.",
                        name=escalation.name,
                    )
                )
            if deadline < escalation.create_date:
                raise ValidationError(
                    self.env._(
                        "The deadline of %(name)s cannot be before it was opened "
                        "(%(opened)s).",
                        name=escalation.name,
                        # in the user's time zone and language, as the form
                        opened=format_datetime(self.env, escalation.create_date),
                    )
                )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def action_start(self):
        self.filtered(lambda e: e.state == "new").write({"state": "in_progress"})

    def action_resolve(self):
        for escalation in self:
            if is_html_empty(escalation.resolution):
                raise UserError(
                    self.env._(
                        "Describe the resolution of %(name)s before resolving it.",
                        name=escalation.name,
                    )
                )
        self.write({"state": "resolved"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reset_to_new(self):
        self.write({"state": "new"})

    def action_view_lead(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": self.lead_id.id,
            "view_mode": "form",
        }

    def action_view_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }

    @api.model
    def _kam_action_escalate(self, defaults):
        """The "Escalate" buttons' dialog: a new manual escalation with the
        ``defaults`` ``{field: value}``, created by its own button only (not
        when the user closes the dialog or the browser tab)."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Escalate"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [
                (self.env.ref("kam_management.kam_escalation_view_form_new").id, "form")
            ],
            "target": "new",
            "context": {
                **{f"default_{name}": value for name, value in defaults.items()},
                "default_source": "manual",
            },
        }

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------
    @api.model
    def _kam_sla_deadline(self, severity, company=None):
        company = company or self.env.company
        hours = company.sudo()._kam_escalation_sla_hours(severity)
        return fields.Datetime.now() + timedelta(hours=hours)

    def _kam_on_open(self):
        """Mobilise the account team of new escalations, all of them at once:
        followers, the owner's first activity, the playbook of the reason and
        the evidence in the chatter."""
        if self.env.su and self.env.context.get("kam_escalation_bulk_open"):
            # opened by the rules with tracking_disable (no follower and tracking
            # work per record in mail.thread): the creation message mail.thread
            # would have logged, before the evidence as usual
            self._message_log_batch(
                bodies={
                    escalation.id: escalation._kam_in_lang_of(
                        escalation.user_id
                    )._creation_message()
                    for escalation in self
                }
            )
        self._kam_subscribe_team()
        self._kam_mobilise()
        with_evidence = self.filtered("evidence")
        if with_evidence:
            # a note of the current user on each, like message_post but in one
            # insert, in the language of the owner who acts on it
            with_evidence._message_log_batch(
                bodies={
                    escalation.id: escalation._kam_in_lang_of(escalation.user_id).env._(
                        "Evidence: %(evidence)s", evidence=escalation.evidence
                    )
                    for escalation in with_evidence
                },
                message_type="comment",
            )

    def _kam_mobilise(self):
        """The owner's first activity and the playbook of the reason of each open
        escalation (opened, or open again after it was closed)."""
        self._kam_schedule_first_activity()
        self._kam_launch_playbooks(lambda e: f"escalation_{e.reason}")

    def _kam_in_lang_of(self, user):
        """``self`` in the language of ``user``, the reader of a text written by a
        scheduled action or by another user (the current language without user)."""
        lang = user.lang or self.env.lang
        return self if lang == self.env.lang else self.with_context(lang=lang)

    def _kam_subscribe_team(self):
        """The account team (KAM, team members), the owner and the resources follow
        each escalation: message_subscribe's checks, then mail's own
        ``_insert_followers`` (default subtypes, existing followers kept) once
        per follower for all the escalations they follow, not once per
        escalation."""
        self.check_access("write")
        by_follower = defaultdict(list)
        for escalation in self:
            partner = escalation.partner_id
            users = (
                partner.kam_user_id
                | partner.kam_team_member_ids.user_id
                | escalation.user_id
                | escalation.resource_user_ids
            )
            # internal records: never a portal user among the followers
            internal = users.sudo().filtered(lambda user: not user.share)
            for follower in internal.partner_id.filtered("active"):
                by_follower[follower].append(escalation.id)
        Followers = self.env["mail.followers"]
        for follower, res_ids in by_follower.items():
            Followers._insert_followers(
                self._name,
                res_ids,
                follower.ids,
                customer_ids=follower.ids if follower.partner_share else [],
            )

    def _kam_schedule_first_activity(self):
        """The owner's activity on each open escalation, due on its deadline,
        in the owner's language (the summary and note of the activity type,
        read by activity_schedule in the context's language). One call per
        owner and day, for all their escalations due that day: the activity
        shows the name of its escalation beside the summary."""
        by_owner_day = defaultdict(lambda: self.browse())
        for escalation in self.filtered(
            lambda e: e.user_id and e.state in ESCALATION_OPEN_STATES
        ):
            day = fields.Date.context_today(escalation, escalation.deadline)
            by_owner_day[escalation.user_id, day] |= escalation
        for (owner, day), escalations in by_owner_day.items():
            escalations._kam_in_lang_of(owner).activity_schedule(
                ACTIVITY_TYPE_XMLID, date_deadline=day, user_id=owner.id
            )

    def _kam_add_evidence(self, evidence, lead=None):
        """Update an open escalation with new evidence (posted once in the chatter)."""
        self.ensure_one()
        vals = {}
        if evidence and evidence != self.evidence:
            vals["evidence"] = evidence
        if lead and lead != self.lead_id:
            vals["lead_id"] = lead.id
        if not vals:
            return
        self.write(vals)
        if "evidence" in vals:
            self.message_post(
                body=self._kam_in_lang_of(self.user_id).env._(
                    "New evidence: %(evidence)s", evidence=evidence
                ),
                subtype_xmlid="mail.mt_note",
            )
