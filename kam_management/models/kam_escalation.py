import logging
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount, is_html_empty

from ..tools import run_in_batches

_logger = logging.getLogger(__name__)

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
# One level up when an escalation is overdue; critical stays critical.
SEVERITY_UP = {
    "low": "medium",
    "medium": "high",
    "high": "critical",
    "critical": "critical",
}
# Severity of the escalations opened by the scheduled action, by reason.
RULE_SEVERITY = {
    "low_health": "high",
    "churn_risk": "high",
    "big_opportunity": "medium",
}
# The partial unique index that keeps one open escalation per account and reason.
OPEN_UNIQUE_INDEX = "kam_escalation_open_partner_reason_uniq"
ACTIVITY_TYPE_XMLID = "kam_management.mail_activity_type_kam_escalation"
# Churn risk compares today's health with the latest snapshot dated between 60 and 30
# days ago ("about 30 days earlier"), read by the health trend of the account itself
# (kam.health.snapshot._kam_health_fetch_previous_scores); an older snapshot says
# nothing about the trend.
# Cool-down of the rules: the scheduled action does not open a low health or churn
# risk escalation for an account whose escalation for that reason was resolved or
# cancelled less than this many days ago (the account is often still red while the
# action plan takes effect; reopening every hour would undo the user's decision).
# A big opportunity is never escalated again for an opportunity whose escalation
# was closed; another opportunity that qualifies opens a new one at once.
# Module constant for now; a company setting would be the natural next step.
RULE_COOLDOWN_DAYS = 14
BATCH_SIZE = 200


class KamEscalation(models.Model):
    _name = "kam.escalation"
    _description = "Key Account Escalation"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.account.mixin"]
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
        required=True,
        copy=False,
        tracking=True,
        default=lambda self: self._kam_sla_deadline(
            self.env.context.get("default_severity") or "medium"
        ),
        help="Service level: now plus the hours of the severity in Settings. An open "
        "escalation past its deadline climbs to the account's director.",
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
    date_resolved = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    date_closed = fields.Datetime(
        string="Closed On",
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
        for escalation in self:
            if not escalation.user_id:
                escalation.user_id = escalation.partner_id.kam_user_id or self.env.user

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
        if operator not in ("=", "!="):
            return NotImplemented
        now = fields.Datetime.now()
        if (operator == "=") == bool(value):
            return [("state", "in", ESCALATION_OPEN_STATES), ("deadline", "<", now)]
        return [
            "|",
            ("state", "not in", ESCALATION_OPEN_STATES),
            ("deadline", ">=", now),
        ]

    @api.onchange("severity")
    def _onchange_severity(self):
        """A new escalation's deadline follows its severity until it is saved."""
        if not self._origin and self.severity:
            self.deadline = self._kam_sla_deadline(
                self.severity, self.company_id or None
            )

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
        for escalation in existing:
            if (escalation.partner_id.id, escalation.reason) in seen:
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
        now = fields.Datetime.now()
        Partner = self.env["res.partner"]
        pairs = []
        for vals in vals_list:
            partner = Partner.browse(vals.get("partner_id"))
            if vals.get("deadline"):
                if fields.Datetime.to_datetime(vals["deadline"]) < now - timedelta(
                    minutes=1
                ):
                    raise ValidationError(
                        self.env._(
                            "The deadline of an escalation cannot be in the past."
                        )
                    )
            else:
                company = (
                    self.env["res.company"].browse(vals.get("company_id"))
                    or partner.company_id
                    or self.env.company
                )
                severity = (
                    vals.get("severity")
                    or self.env.context.get("default_severity")
                    or "medium"
                )
                vals["deadline"] = self._kam_sla_deadline(severity, company)
            if "health_score" not in vals and partner:
                vals["health_score"] = partner.kam_health_score
            if not vals.get("name") or vals["name"] == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code(
                    "kam.escalation"
                ) or self.env._("New")
            state = vals.get("state") or self.env.context.get("default_state") or "new"
            if state in CLOSED_STATES and not vals.get("date_closed"):
                vals["date_closed"] = now
            if state in ESCALATION_OPEN_STATES:
                reason = (
                    vals.get("reason")
                    or self.env.context.get("default_reason")
                    or "other"
                )
                pairs.append((vals.get("partner_id"), reason))
        if not self.env.context.get("kam_escalation_skip_duplicate_check"):
            self._kam_check_open_duplicates(pairs)
        escalations = super().create(vals_list)
        escalations._kam_on_open()
        return escalations

    def write(self, vals):
        if {"partner_id", "reason", "state"} & set(vals):
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
        if "state" in vals and "date_resolved" not in vals:
            vals = dict(
                vals,
                date_resolved=fields.Datetime.now()
                if vals["state"] == "resolved"
                else False,
            )
        if "state" in vals and "date_closed" not in vals:
            vals = dict(
                vals,
                date_closed=fields.Datetime.now()
                if vals["state"] in CLOSED_STATES
                else False,
            )
        res = super().write(vals)
        # closed from anywhere (buttons, kanban drag and drop): the pending
        # escalation activities are done (resolved) or dropped (cancelled)
        if vals.get("state") == "resolved":
            self.activity_feedback([ACTIVITY_TYPE_XMLID])
        elif vals.get("state") == "cancelled":
            self.activity_unlink([ACTIVITY_TYPE_XMLID])
        if vals.get("user_id") or vals.get("resource_user_ids"):
            for escalation in self:
                escalation.message_subscribe(
                    partner_ids=(
                        escalation.user_id | escalation.resource_user_ids
                    ).partner_id.ids
                )
        return res

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

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------
    @api.model
    def _kam_sla_deadline(self, severity, company=None):
        company = company or self.env.company
        hours = company.sudo()._kam_escalation_sla_hours(severity)
        return fields.Datetime.now() + timedelta(hours=hours)

    def _kam_on_open(self):
        """Mobilise the account team: followers, the owner's first activity and
        the evidence in the chatter."""
        for escalation in self:
            partner = escalation.partner_id
            users = (
                partner.kam_user_id
                | partner.kam_team_member_ids.user_id
                | escalation.user_id
                | escalation.resource_user_ids
            )
            escalation.message_subscribe(partner_ids=users.partner_id.ids)
            if escalation.user_id and escalation.state in ESCALATION_OPEN_STATES:
                escalation.activity_schedule(
                    ACTIVITY_TYPE_XMLID,
                    date_deadline=fields.Date.context_today(
                        escalation, escalation.deadline
                    ),
                    summary=self.env._(
                        "Act on escalation %(name)s", name=escalation.name
                    ),
                    user_id=escalation.user_id.id,
                )
            if escalation.evidence:
                escalation.message_post(
                    body=self.env._(
                        "Evidence: %(evidence)s", evidence=escalation.evidence
                    ),
                    subtype_xmlid="mail.mt_note",
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
                body=self.env._("New evidence: %(evidence)s", evidence=evidence),
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _kam_open_escalation(self, vals):
        """Open an escalation from a rule, or update the open one.

        The caller looked for an open escalation first; a concurrent run may have
        opened one since. The partial unique index then refuses the insert: the
        savepoint undoes it and the open escalation gets the evidence instead.
        """
        try:
            with self.env.cr.savepoint():
                # the owner is told once, by the activity; the cron's own user
                # does not follow what it opens
                return self.with_context(
                    kam_escalation_skip_duplicate_check=True,
                    mail_auto_subscribe_no_notify=True,
                    mail_create_nosubscribe=True,
                ).create(vals)
        except pg_errors.UniqueViolation as error:
            if error.diag.constraint_name != OPEN_UNIQUE_INDEX:
                raise
        existing = self.search(
            [
                ("partner_id", "=", vals["partner_id"]),
                ("reason", "=", vals["reason"]),
                ("state", "in", ESCALATION_OPEN_STATES),
            ],
            limit=1,
        )
        if existing:
            existing._kam_add_evidence(
                vals.get("evidence"), self.env["crm.lead"].browse(vals.get("lead_id"))
            )
        else:
            _logger.info(
                "Escalation %s of account %s opened meanwhile by another run.",
                vals["reason"],
                vals["partner_id"],
            )
        return existing

    def _kam_fallback_users(self, companies):
        """KAM administrators by company: the director of last resort and the owner
        of an account without a Key Account Manager (lowest id first)."""
        managers = (
            self.env.ref("kam_management.group_kam_manager")
            .sudo()
            .users.filtered(lambda user: user.active and not user.share)
            .sorted("id")
        )
        return {
            company: managers.filtered(
                lambda user, company=company: company in user.company_ids
            )[:1]
            for company in companies
        }

    def _kam_directors(self):
        """The user each escalation climbs to: the account's director (team member
        with the role ``director``), else the first KAM administrator of the
        company. Two queries whatever the number of escalations."""
        members = (
            self.env["kam.team.member"]
            .sudo()
            .search(
                [("partner_id", "in", self.partner_id.ids), ("role", "=", "director")],
                order="id",
            )
        )
        director_by_partner = {}
        for member in members:
            director_by_partner.setdefault(member.partner_id, member.user_id)
        fallback = self._kam_fallback_users(self.company_id)
        return {
            escalation: director_by_partner.get(escalation.partner_id)
            or fallback[escalation.company_id]
            for escalation in self
        }

    def _kam_raise(self):
        """Raise overdue escalations: severity up one level (critical stays), the
        director follows and gets an activity and a message, and the deadline moves
        by the new severity's SLA so that the escalation climbs once per deadline."""
        directors = self._kam_directors()
        severity_labels = dict(
            self._fields["severity"]._description_selection(self.env)
        )
        for escalation in self:
            old_severity = escalation.severity
            severity = SEVERITY_UP[old_severity]
            escalation.write(
                {
                    "severity": severity,
                    "deadline": self._kam_sla_deadline(severity, escalation.company_id),
                    "raise_count": escalation.raise_count + 1,
                }
            )
            director = directors[escalation]
            if not director:
                escalation.message_post(
                    body=self.env._(
                        "Overdue: severity raised from %(old)s to %(new)s. No director "
                        "or KAM administrator to bring in.",
                        old=severity_labels[old_severity],
                        new=severity_labels[severity],
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            escalation.message_subscribe(partner_ids=director.partner_id.ids)
            escalation.activity_schedule(
                ACTIVITY_TYPE_XMLID,
                date_deadline=fields.Date.context_today(
                    escalation, escalation.deadline
                ),
                summary=self.env._("Overdue escalation %(name)s", name=escalation.name),
                user_id=director.id,
            )
            escalation.message_post(
                body=self.env._(
                    "%(name)s is past its deadline: severity raised from %(old)s to "
                    "%(new)s and escalated to %(director)s.",
                    name=escalation.name,
                    old=severity_labels[old_severity],
                    new=severity_labels[severity],
                    director=director.name,
                ),
                partner_ids=director.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    # ------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------
    @api.model
    def _kam_health_before(self, partners):
        """{partner id: score} of the latest snapshot between 60 and 30 days ago,
        for all ``partners`` in one query: the health trend's own comparison."""
        return self.env["kam.health.snapshot"]._kam_health_fetch_previous_scores(
            partners.ids, fields.Date.context_today(self)
        )

    @api.model
    def _kam_big_opportunities(self, partners):
        """{partner: opportunities} of the open opportunities of ``partners`` (by
        commercial entity) worth at least the company's big deal, biggest first."""
        companies = partners.company_id | self.env.company
        threshold = min(companies.mapped("kam_escalation_big_deal"))
        leads = self.env["crm.lead"].search(
            [
                ("type", "=", "opportunity"),
                ("probability", "<", 100),
                ("partner_id.commercial_partner_id", "in", partners.ids),
                ("expected_revenue", ">=", threshold),
            ],
            order="expected_revenue desc, id",
        )
        result = {}
        for lead in leads:
            company = lead.company_id or self.env.company
            if (
                lead.stage_id.is_won
                or lead.expected_revenue < company.kam_escalation_big_deal
            ):
                continue
            partner = lead.partner_id.commercial_partner_id
            result[partner] = result.get(partner, self.env["crm.lead"]) | lead
        return result

    @api.model
    def _kam_rule_candidates(self, partners):
        """What the rules find on ``partners``: a list of dicts (partner, reason,
        evidence, lead), in a constant number of queries."""
        candidates = []
        before = self._kam_health_before(partners)
        big_deals = self._kam_big_opportunities(partners)
        for partner in partners:
            company = partner.company_id or self.env.company
            if partner.kam_health_band == "red":
                candidates.append(
                    {
                        "partner": partner,
                        "reason": "low_health",
                        "evidence": self.env._(
                            "Health score %(score)s is in the red band.",
                            score=round(partner.kam_health_score, 1),
                        ),
                    }
                )
            previous = before.get(partner.id)
            if previous is not None and partner.kam_health_band:
                drop = previous - partner.kam_health_score
                if drop >= company.kam_escalation_drop_points:
                    candidates.append(
                        {
                            "partner": partner,
                            "reason": "churn_risk",
                            "evidence": self.env._(
                                "Health score fell by %(drop)s points in about 30 "
                                "days, from %(before)s to %(now)s.",
                                drop=round(drop, 1),
                                before=round(previous, 1),
                                now=round(partner.kam_health_score, 1),
                            ),
                        }
                    )
            leads = big_deals.get(partner)
            if leads:
                candidates.append(
                    {
                        "partner": partner,
                        "reason": "big_opportunity",
                        "lead": leads[0],
                        "leads": leads,
                        "evidence": self._kam_big_opportunity_evidence(leads),
                    }
                )
        return candidates

    @api.model
    def _kam_big_opportunity_evidence(self, leads):
        return "\n".join(
            self.env._(
                "Open opportunity %(lead)s: expected revenue %(amount)s, "
                "probability %(probability)s%%.",
                lead=lead.name,
                amount=format_amount(
                    self.env, lead.expected_revenue, lead.company_currency
                ),
                probability=round(lead.probability),
            )
            for lead in leads
        )

    @api.model
    def _kam_recently_closed(self, partners):
        """What the rules must not reopen on ``partners``, in one query: the set of
        ``(partner id, reason)`` closed less than RULE_COOLDOWN_DAYS ago, and the
        set of ``(partner id, lead id)`` of the closed big opportunity escalations.
        Escalations closed before ``date_closed`` existed count from their last
        change."""
        cutoff = fields.Datetime.now() - timedelta(days=RULE_COOLDOWN_DAYS)
        groups = self._read_group(
            [
                ("partner_id", "in", partners.ids),
                ("reason", "in", list(RULE_SEVERITY)),
                ("state", "in", CLOSED_STATES),
                "|",
                "|",
                ("reason", "=", "big_opportunity"),
                ("date_closed", ">=", cutoff),
                "&",
                ("date_closed", "=", False),
                ("write_date", ">=", cutoff),
            ],
            ["partner_id", "reason", "lead_id"],
            ["__count"],
        )
        cooling, closed_leads = set(), set()
        for partner, reason, lead, _count in groups:
            if reason != "big_opportunity":
                cooling.add((partner.id, reason))
            elif lead:
                closed_leads.add((partner.id, lead.id))
        return cooling, closed_leads

    @api.model
    def _kam_run_rules(self, partners):
        """Open (or update) the escalations the rules find on ``partners``."""
        candidates = self._kam_rule_candidates(partners)
        if not candidates:
            return
        existing = self.search(
            [
                ("partner_id", "in", partners.ids),
                ("reason", "in", list(RULE_SEVERITY)),
                ("state", "in", ESCALATION_OPEN_STATES),
            ]
        )
        open_by_key = {(e.partner_id, e.reason): e for e in existing}
        cooling, closed_leads = self._kam_recently_closed(partners)
        owners = None
        for candidate in candidates:
            partner, reason = candidate["partner"], candidate["reason"]
            lead = candidate.get("lead") or self.env["crm.lead"]
            evidence = candidate["evidence"]
            escalation = open_by_key.get((partner, reason))
            if escalation:
                escalation._kam_add_evidence(evidence, lead)
                continue
            # the user closed it: do not reopen it at the next run
            if (partner.id, reason) in cooling:
                continue
            if reason == "big_opportunity":
                leads = candidate["leads"].filtered(
                    lambda lead, partner=partner: (
                        (partner.id, lead.id) not in closed_leads
                    )
                )
                if not leads:
                    continue
                if leads != candidate["leads"]:
                    lead = leads[0]
                    evidence = self._kam_big_opportunity_evidence(leads)
            company = partner.company_id or self.env.company
            owner = partner.kam_user_id
            if not owner:
                if owners is None:
                    owners = self._kam_fallback_users(
                        partners.company_id | self.env.company
                    )
                owner = owners[company]
            self._kam_open_escalation(
                {
                    "partner_id": partner.id,
                    "reason": reason,
                    "severity": RULE_SEVERITY[reason],
                    "source": "rule",
                    "user_id": owner.id,
                    "company_id": company.id,
                    "lead_id": lead.id,
                    "evidence": evidence,
                }
            )

    # ------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------
    @api.model
    def _cron_kam_escalations(self, batch_size=BATCH_SIZE):
        """Evaluate the rules on every key account, then raise the overdue
        escalations; by batches, committed one by one. Safe to re-run."""
        partner_ids = (
            self.env["res.partner"]
            .search([("is_key_account", "=", True)], order="id")
            .ids
        )
        run_in_batches(
            self.env,
            partner_ids,
            lambda ids: self._kam_run_rules(self.env["res.partner"].browse(ids)),
            batch_size,
            "Escalation rules",
        )
        # still open and overdue when their batch comes (a user may have acted);
        # an account that is no longer a key account has nobody to climb to
        run_in_batches(
            self.env,
            self.search(
                [("is_overdue", "=", True), ("partner_id.is_key_account", "=", True)],
                order="deadline, id",
            ).ids,
            lambda ids: self.browse(ids).filtered("is_overdue")._kam_raise(),
            batch_size,
            "Overdue escalations",
        )
