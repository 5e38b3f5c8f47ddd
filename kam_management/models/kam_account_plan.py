from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_date

from ..tools import run_in_batches
from ..tools.values import (
    KAM_DATE_MAX,
    KAM_DATE_MIN,
    kam_check_computed_vals,
    kam_check_name_length,
    kam_is_id,
)
from .res_partner import KAM_STRATEGIES, KAM_USER_GROUP

PLAN_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
REVIEW_CADENCES = [
    ("quarterly", "Quarterly"),
    ("semiannual", "Semiannual"),
]
REVIEW_CADENCE_MONTHS = {"quarterly": 3, "semiannual": 6}
REVIEW_ACTIVITY_XMLID = "kam_management.mail_activity_type_kam_review_due"


class KamAccountPlan(models.Model):
    _name = "kam.account.plan"
    _description = "Key Account Plan"
    _inherit = [
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "kam.account.mixin",
    ]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    # figures computed from other records: nobody types them in
    _kam_computed_fnames = ("progress", "last_review_date", "next_review_date")

    @property
    def _mail_post_access(self):
        """The access to the plan needed to post on its chatter (mail's one
        hook, read by its routes and by the access rules of messages): the
        customer's contacts comment on a shared plan they may only read (the
        portal record rule: the plans shared with their company), staff post on
        the plans they may change (the account's team, the owner, managers).
        Other KAM users read the plan and its chatter, they do not post."""
        return "write" if self.env.user._is_internal() else "read"

    # ------------------------------------------------------------
    # Fields
    # ------------------------------------------------------------
    name = fields.Char(string="Plan", required=True, tracking=True)
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
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(
        string="Start Date",
        required=True,
        tracking=True,
        default=lambda self: fields.Date.context_today(self),
    )
    date_end = fields.Date(
        string="End Date",
        required=True,
        tracking=True,
        default=lambda self: (
            fields.Date.context_today(self) + relativedelta(years=1, days=-1)
        ),
    )
    state = fields.Selection(
        PLAN_STATES,
        default="draft",
        required=True,
        copy=False,
        index=True,
        tracking=True,
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
    strategy = fields.Selection(
        KAM_STRATEGIES,
        compute="_compute_strategy",
        store=True,
        readonly=False,
        precompute=True,
        groups=KAM_USER_GROUP,
        tracking=True,
        help="Defaults to the strategy of the account.",
    )
    # Situation and SWOT
    situation = fields.Html(string="Current Situation", groups=KAM_USER_GROUP)
    strengths = fields.Html(groups=KAM_USER_GROUP)
    weaknesses = fields.Html(groups=KAM_USER_GROUP)
    opportunities = fields.Html(groups=KAM_USER_GROUP)
    threats = fields.Html(groups=KAM_USER_GROUP)
    # Money and means
    revenue_target = fields.Monetary(tracking=True, groups=KAM_USER_GROUP)
    revenue_actual = fields.Monetary(
        string="Revenue Achieved",
        compute="_compute_revenue_actual",
        groups=KAM_USER_GROUP,
        help="Revenue of the account in the plan's period: posted invoices less "
        "credit notes, else confirmed sales orders, else won opportunities, of "
        "the companies you work in.",
    )
    expansion_revenue = fields.Monetary(
        compute="_compute_revenue_actual",
        groups=KAM_USER_GROUP,
        help="Won growth opportunities linked to the plan and closed in its period.",
    )
    revenue_achievement = fields.Float(
        string="Revenue Achievement (%)",
        compute="_compute_revenue_actual",
        groups=KAM_USER_GROUP,
        digits=(16, 1),
    )
    budget = fields.Monetary(groups=KAM_USER_GROUP)
    resources = fields.Text(
        help="People, time and means committed to the plan.", groups=KAM_USER_GROUP
    )
    # Reviews
    review_cadence = fields.Selection(
        REVIEW_CADENCES, default="quarterly", required=True, tracking=True
    )
    last_review_date = fields.Date(
        compute="_compute_review_dates", store=True, string="Last Review"
    )
    next_review_date = fields.Date(
        compute="_compute_review_dates",
        store=True,
        string="Next Review",
        help="Follows the review cadence from the last review held, or from the "
        "start of the plan.",
    )
    review_due = fields.Boolean(
        compute="_compute_review_due",
        search="_search_review_due",
        help="Active plan whose next review falls within the reminder window of "
        "its company (Settings), or is past.",
    )
    # Content
    objective_ids = fields.One2many(
        "kam.account.plan.objective", "plan_id", string="Objectives", copy=True
    )
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        digits=(16, 1),
        aggregator="avg",
        # it counts the objectives the customer does not see
        groups=KAM_USER_GROUP,
        help="Mean progress of the objectives (0-100).",
    )
    portal_progress = fields.Float(
        string="Shared Progress",
        compute="_compute_portal_progress",
        digits=(16, 1),
        help="Mean progress of the objectives shared with the customer (0-100): "
        "the progress the customer portal shows.",
    )
    opportunity_ids = fields.One2many(
        "crm.lead", "kam_plan_id", string="Growth Opportunities", groups=KAM_USER_GROUP
    )
    opportunity_count = fields.Integer(compute="_compute_counts")
    action_ids = fields.One2many(
        "kam.account.plan.action", "plan_id", string="Actions", copy=True
    )
    action_count = fields.Integer(compute="_compute_counts")
    review_ids = fields.One2many(
        "kam.account.review", "plan_id", string="Reviews", groups=KAM_USER_GROUP
    )
    review_count = fields.Integer(compute="_compute_counts")
    # Customer portal
    # The link's secret: whoever holds it comments as the customer (mail's
    # portal routes), so no user reads it, the code that builds links does.
    access_token = fields.Char(groups="base.group_system")
    portal_shared = fields.Boolean(
        string="Shared with the Customer",
        copy=False,
        tracking=True,
        help="The account's contacts who are portal users see the plan on the "
        "customer portal: its period, the objectives shared with them, the "
        "actions and the next review, and they comment on it. Health, strategy, "
        "SWOT, budget and internal notes are never shown to them.",
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------
    @api.depends("partner_id")
    def _compute_user_id(self):
        for plan in self:
            if plan.partner_id.kam_user_id:
                plan.user_id = plan.partner_id.kam_user_id
            elif not plan.user_id:
                plan.user_id = self.env.user

    @api.depends("partner_id")
    def _compute_strategy(self):
        for plan in self:
            if plan.partner_id.kam_strategy:
                plan.strategy = plan.partner_id.kam_strategy

    @api.depends("objective_ids.progress")
    def _compute_progress(self):
        for plan in self:
            progresses = plan.objective_ids.mapped("progress")
            plan.progress = sum(progresses) / len(progresses) if progresses else 0.0

    @api.depends("objective_ids.progress", "objective_ids.portal_shared")
    def _compute_portal_progress(self):
        for plan in self:
            progresses = plan.objective_ids.filtered("portal_shared").mapped("progress")
            plan.portal_progress = (
                sum(progresses) / len(progresses) if progresses else 0.0
            )

    @api.depends("date_start", "review_cadence", "review_ids.date", "review_ids.state")
    def _compute_review_dates(self):
        for plan in self:
            done = plan.review_ids.filtered(lambda r: r.state == "done" and r.date)
            plan.last_review_date = max(done.mapped("date")) if done else False
            start = plan.last_review_date or plan.date_start
            months = REVIEW_CADENCE_MONTHS.get(plan.review_cadence, 3)
            # a date out of range (typed in a form, refused at the save by
            # kam_check_values) has no next review rather than an overflow
            plan.next_review_date = (
                start + relativedelta(months=months)
                if start and KAM_DATE_MIN <= start <= KAM_DATE_MAX
                else False
            )

    @api.depends("state", "next_review_date", "company_id.kam_review_reminder_days")
    @api.depends_context("tz")
    def _compute_review_due(self):
        today = fields.Date.context_today(self)
        for plan in self:
            plan.review_due = bool(
                plan.state == "active"
                and plan.next_review_date
                and plan.next_review_date
                <= today + timedelta(days=plan.company_id.kam_review_reminder_days)
            )

    def _search_review_due(self, operator, value):
        """Every operator the web client sends on a boolean: ``=`` and ``!=``
        with a boolean (``False`` for "is not set"), ``in`` and ``not in`` with
        a list of booleans; anything else is refused with a clear message."""
        values = value if operator in ("in", "not in") else [value]
        if operator not in ("=", "!=", "in", "not in") or not isinstance(
            values, list | tuple | set
        ):
            values = None
        elif any(v not in (True, False, None) for v in values):
            values = None
        if values is None:
            raise UserError(
                self.env._(
                    "Review Due can only be searched as set or not set, not with "
                    "%(operator)s %(value)s.",
                    operator=operator,
                    value=repr(value),
                )
            )
        wanted = {bool(v) for v in values}
        if operator in ("!=", "not in"):
            wanted = {True, False} - wanted
        if len(wanted) != 1:
            return expression.TRUE_DOMAIN if wanted else expression.FALSE_DOMAIN
        domain = self._kam_review_due_domain()
        if wanted == {False}:
            return ["!", *expression.normalize_domain(domain)]
        return domain

    @api.model
    def _kam_review_due_domain(self):
        """Active plans whose next review falls within the reminder window of
        their company: one condition per company, as its window may differ."""
        today = self.env.company._kam_today()
        company_domains = [
            [
                ("company_id", "=", company.id),
                (
                    "next_review_date",
                    "<=",
                    today + timedelta(days=company.kam_review_reminder_days),
                ),
            ]
            for company in self.env["res.company"].sudo().search([])
        ]
        return expression.AND(
            [[("state", "=", "active")], expression.OR(company_domains)]
        )

    def _compute_access_url(self):
        for plan in self:
            plan.access_url = f"/my/account-plans/{plan.id}"

    def _compute_counts(self):
        counts = {}
        for model, field in (
            ("crm.lead", "opportunity_count"),
            ("kam.account.plan.action", "action_count"),
            ("kam.account.review", "review_count"),
        ):
            plan_field = "kam_plan_id" if model == "crm.lead" else "plan_id"
            counts[field] = dict(
                self.env[model]._read_group(
                    [(plan_field, "in", self.ids)], [plan_field], ["__count"]
                )
            )
        for plan in self:
            for field, by_plan in counts.items():
                plan[field] = by_plan.get(plan, 0)

    @api.depends(
        "date_start",
        "date_end",
        "partner_id",
        "revenue_target",
        "opportunity_ids.expected_revenue",
        "opportunity_ids.date_closed",
        "opportunity_ids.stage_id",
    )
    @api.depends_context("allowed_company_ids")
    def _compute_revenue_actual(self):
        # _origin: in a form being edited the records are new ones on top of the
        # stored plans, whose opportunities and sales are in the database.
        plans = self.filtered(
            lambda p: p._origin.id and p.date_start and p.date_end
        )._origin
        revenue = plans._kam_revenue_actual()
        for plan in self:
            plan.revenue_actual, plan.expansion_revenue = revenue.get(
                plan._origin.id, (0.0, 0.0)
            )
            plan.revenue_achievement = (
                plan.revenue_actual / plan.revenue_target * 100
                if plan.revenue_target
                else 0.0
            )

    def _kam_revenue_actual(self):
        """Revenue and expansion revenue of each plan in its period:
        ``{plan_id: (revenue, expansion)}``, one query per company of the plans.
        Revenue is the account's revenue in the period (``kam.account.revenue``,
        the best source of the account in that period); expansion the won growth
        opportunities linked to the plan. Amounts are in the plan's currency (of
        its company, the currency of its target), from the documents of the
        companies the user works in."""
        self.env.flush_all()  # revenue lines are read with SQL
        revenue = {}
        for company, plans in self.grouped("company_id").items():
            Revenue = self.env["kam.account.revenue"].with_context(
                kam_currency_company_id=(company or self.env.company).id
            )
            self.env.cr.execute(plans._kam_revenue_actual_query(Revenue))
            revenue.update(
                (plan_id, (amount, expansion))
                for plan_id, amount, expansion in self.env.cr.fetchall()
            )
        return revenue

    def _kam_revenue_actual_query(self, Revenue):
        # LATERAL: the lines of each plan's own account and period.
        period = (SQL("p.date_start"), SQL("p.date_end"))
        return SQL(
            """
            SELECT p.id,
                   (SELECT COALESCE(SUM(r.amount), 0) FROM (%(revenue)s) r),
                   (SELECT COALESCE(SUM(e.amount), 0) FROM (%(expansion)s) e
                     WHERE e.plan_id = p.id)
              FROM kam_account_plan p
             WHERE p.id = ANY(%(ids)s)
            """,
            ids=self.ids,
            revenue=Revenue._kam_revenue_lines(SQL("SELECT p.partner_id"), *period),
            expansion=Revenue._kam_expansion_lines(None, *period),
        )

    @api.model
    def _kam_current_plan_sql(self, today, plans=None):
        """The SQL of the current plan of each account (``partner_id``,
        ``plan_id``, ``progress``): its active plan, the one running on ``today``
        when there are several, the latest started first. ``plans`` (an SQL
        subquery of plan ids) restricts the candidates."""
        return SQL(
            """
            SELECT DISTINCT ON (partner_id)
                   partner_id, id AS plan_id, progress
              FROM kam_account_plan
             WHERE state = 'active' AND %(plans)s
          ORDER BY partner_id,
                   (%(today)s::date BETWEEN date_start AND date_end) DESC,
                   date_start DESC, id DESC
            """,
            today=today,
            plans=SQL("id IN (%s)", plans) if plans is not None else SQL("TRUE"),
        )

    @api.model
    def _kam_current_plans(self, partner_ids):
        """The current plan of each account, among the plans the user may read:
        ``{partner_id: plan}``."""
        self.flush_model(["partner_id", "state", "date_start", "date_end"])
        candidates = self._search(
            [("partner_id", "in", partner_ids), ("state", "=", "active")]
        )
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, plan_id FROM (%s) current_plan",
                self._kam_current_plan_sql(
                    self.env.company._kam_today(), candidates.subselect()
                ),
            )
        )
        rows = self.env.cr.fetchall()
        plans = self.browse([plan_id for _partner_id, plan_id in rows])
        return {
            partner_id: plan
            for (partner_id, _plan_id), plan in zip(rows, plans, strict=True)
        }

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------
    @api.constrains("name")
    def _check_name_length(self):
        kam_check_name_length(self)

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for plan in self:
            if plan.date_start and plan.date_end and plan.date_end < plan.date_start:
                raise ValidationError(
                    self.env._(
                        "The plan %(plan)s ends on %(end)s, before it starts on "
                        "%(start)s: the end date must come after the start date.",
                        plan=plan.name,
                        start=format_date(self.env, plan.date_start),
                        end=format_date(self.env, plan.date_end),
                    )
                )

    @api.constrains("user_id", "company_id")
    def _check_user_id(self):
        self._kam_check_internal_users(["user_id"])

    @api.constrains("revenue_target", "budget")
    def _check_amounts(self):
        for plan in self:
            if plan.revenue_target < 0 or plan.budget < 0:
                raise ValidationError(
                    self.env._(
                        "The revenue target and the budget of %(plan)s cannot be "
                        "negative.",
                        plan=plan.name,
                    )
                )

    @api.constrains("state", "partner_id")
    def _check_active_plan_key_account(self):
        """A plan is active on a key account only, whatever the path (the button,
        a create or a write over RPC)."""
        not_key = self.filtered(
            lambda p: p.state == "active" and not p.partner_id.is_key_account
        )
        if not_key:
            raise ValidationError(
                self.env._(
                    "%(account)s is not a key account: promote it before activating "
                    "its plan.",
                    account=not_key[0].partner_id.display_name,
                )
            )

    @api.constrains("state", "partner_id", "date_start", "date_end")
    def _check_single_active_plan(self):
        active = self.filtered(lambda p: p.state == "active")
        if not active:
            return
        others = (
            self.sudo().search(
                [
                    ("state", "=", "active"),
                    ("partner_id", "in", active.partner_id.ids),
                    ("id", "not in", active.ids),
                ]
            )
            | active.sudo()
        )
        readable = others.with_env(self.env)._filtered_access("read")
        for plan in active:
            for other in others:
                if (
                    other.id != plan.id
                    and other.partner_id == plan.partner_id
                    and other.date_start <= plan.date_end
                    and other.date_end >= plan.date_start
                ):
                    if other not in readable:
                        raise ValidationError(
                            self.env._(
                                "%(account)s already has an active plan that "
                                "overlaps %(plan)s: an account has one active plan "
                                "at a time.",
                                account=plan.partner_id.display_name,
                                plan=plan.name,
                            )
                        )
                    raise ValidationError(
                        self.env._(
                            "%(account)s already has an active plan, %(other)s "
                            "(%(other_start)s to %(other_end)s), that overlaps "
                            "%(plan)s. Close that plan or change the dates: an "
                            "account has one active plan at a time.",
                            account=plan.partner_id.display_name,
                            other=other.name,
                            other_start=format_date(self.env, other.date_start),
                            other_end=format_date(self.env, other.date_end),
                            plan=plan.name,
                        )
                    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            kam_check_computed_vals(self, vals)
        plans = super().create(vals_list)
        plans.filtered("portal_shared")._kam_subscribe_managers()
        return plans

    def write(self, vals):
        kam_check_computed_vals(self, vals)
        # A link (access token) opens the plan it was sent for, shared with the
        # account it was sent to: it stops opening the plan when the plan moves
        # to another account or when its sharing changes (a link minted while
        # the plan was not shared never opens it).
        relinked = self._kam_plans_to_relink(vals)
        result = super().write(vals)
        if relinked:
            # sudo: the token is read by no user, the change was allowed above
            relinked.sudo().write({"access_token": False})
        if vals.get("portal_shared"):
            self._kam_subscribe_managers()
        return result

    def _kam_plans_to_relink(self, vals):
        """The plans of ``self`` whose account or sharing ``vals`` change."""
        changes = {
            fname: vals[fname]
            for fname in ("partner_id", "portal_shared")
            if fname in vals
        }
        if not changes:
            return self.browse()
        return self.sudo().filtered(
            lambda plan: plan.access_token
            and (
                (
                    "partner_id" in changes
                    and plan.partner_id.id != changes["partner_id"]
                )
                or (
                    "portal_shared" in changes
                    and plan.portal_shared != bool(changes["portal_shared"])
                )
            )
        )

    def _kam_computed_origin(self, fname):
        """What the computed figure ``fname`` comes from, for the message that
        refuses to write it."""
        if fname == "progress":
            return self.env._("the progress of its objectives")
        if fname == "last_review_date":
            return self.env._("the reviews held")
        return self.env._("the reviews held and the review cadence")

    def _kam_subscribe_managers(self):
        """The owner and the Key Account Manager follow a shared plan: the
        customer's comments notify them."""
        for plan in self:
            users = plan.user_id | plan.partner_id.sudo().kam_user_id
            plan.message_subscribe(partner_ids=users.partner_id.ids)

    # ------------------------------------------------------------
    # Chatter and portal access
    # ------------------------------------------------------------
    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        # Followers receive every comment of the plan: only those who manage
        # it choose them, themselves included (mail lets any reader follow).
        self._kam_check_subscribe_ids(partner_ids, subtype_ids)
        if partner_ids and not self.env.su:
            self.check_access("write")
        return super().message_subscribe(
            partner_ids=partner_ids, subtype_ids=subtype_ids
        )

    @api.model
    def _kam_check_subscribe_ids(self, partner_ids, subtype_ids):
        """Refuse with a message the partners or subtypes of message_subscribe
        that are not lists of ids (mail would build a domain of them)."""
        for value, label in (
            (partner_ids, self.env._("followers")),
            (subtype_ids, self.env._("subtypes")),
        ):
            if not value:
                continue
            if not (
                isinstance(value, list | tuple | set)
                and all(kam_is_id(item) for item in value)
            ):
                raise ValidationError(
                    self.env._(
                        "%(value)s is not a valid list of %(what)s: a list of "
                        "record ids.",
                        value=repr(value)[:64],
                        what=label,
                    )
                )

    def message_post(self, **kwargs):
        if not self.env.su:
            # a comment seen by the customer is signed by its real author (the
            # routes that post for someone else run with sudo)
            author_id = kwargs.get("author_id")
            if author_id and author_id != self.env.user.partner_id.id:
                raise AccessError(
                    self.env._(
                        "You can only comment on %(plan)s in your own name.",
                        plan=self.display_name,
                    )
                )
            # mail makes the author a follower: not a customer nor anyone who
            # may not manage the plan
            if not self.has_access("write"):
                self = self.with_context(mail_create_nosubscribe=True)  # noqa: PLW0642
        return super().message_post(**kwargs)

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        # A link (access token, signed partner id) opens a shared plan only:
        # on the others the user's own rights answer. A plan without a token
        # has no link (and mail would compare a token with False).
        if not isinstance(thread_id, int):
            return self.browse()
        plan_sudo = self.sudo().browse(thread_id).exists()
        if not (plan_sudo.portal_shared and plan_sudo.access_token):
            kwargs = {
                key: value
                for key, value in kwargs.items()
                if key not in ("token", "hash", "pid")
            }
        return super()._get_thread_with_access(thread_id, mode, **kwargs)

    def _portal_ensure_token(self):
        # The link lets its holder comment as the customer: it is given to
        # those who may post on the plan (get_portal_url is public), and read
        # with sudo, as no user reads the token (see access_token).
        if not self.env.su:
            self.check_access(self._mail_post_access)
        return super(KamAccountPlan, self.sudo())._portal_ensure_token()

    def _get_share_url(
        self, redirect=False, signup_partner=False, pid=None, share_token=True
    ):
        # the link of a share carries the token: same rule as the token's
        if share_token and not self.env.su:
            self.check_access(self._mail_post_access)
        return super(KamAccountPlan, self.sudo())._get_share_url(
            redirect=redirect,
            signup_partner=signup_partner,
            pid=pid,
            share_token=share_token,
        )

    def _sign_token(self, pid):
        # sudo: the signature is made from the token, which no user reads
        return super(KamAccountPlan, self.sudo())._sign_token(pid)

    def _kam_may_open_on_portal(self, user):
        """Whether ``user`` may open the plan's portal page, with a link or
        without: a shared plan, else one the user reads with their rights."""
        self.ensure_one()
        return self.sudo().portal_shared or self.with_user(user).has_access("read")

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def _kam_check_state(self, allowed, target):
        """Refuse to move a plan to ``target`` unless its state is in ``allowed``."""
        wrong = self.filtered(lambda p: p.state not in allowed)
        if wrong:
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "The plan %(plan)s cannot go from %(from_state)s to %(to_state)s.",
                    plan=wrong[0].name,
                    from_state=states[wrong[0].state],
                    to_state=states[target],
                )
            )

    def action_kam_export_xlsx(self):
        """Download the account plan workbook (plan, objectives, opportunities,
        actions, reviews) of what the user may read."""
        return self.env["kam.xlsx.export"]._kam_export_plan(self)

    def action_activate(self):
        self._kam_check_state(["draft"], "active")
        self.write({"state": "active"})
        return True

    def action_close(self):
        self._kam_check_state(["active"], "closed")
        self.write({"state": "closed"})
        self.activity_unlink([REVIEW_ACTIVITY_XMLID])
        return True

    def action_cancel(self):
        self._kam_check_state(["draft", "active"], "cancelled")
        self.write({"state": "cancelled"})
        self.activity_unlink([REVIEW_ACTIVITY_XMLID])
        return True

    def action_draft(self):
        self._kam_check_state(["closed", "cancelled"], "draft")
        self.write({"state": "draft"})
        return True

    def _kam_action_view(
        self, model, name, plan_field="plan_id", view_mode="list,form"
    ):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": view_mode,
            "domain": [(plan_field, "=", self.id)],
            "context": {f"default_{plan_field}": self.id},
        }

    def action_kam_portal_preview(self):
        """The plan as the customer sees it on the portal, opened with the
        user's own rights (no link is minted for it)."""
        self.ensure_one()
        self.check_access("read")
        return {"type": "ir.actions.act_url", "target": "self", "url": self.access_url}

    def action_view_opportunities(self):
        action = self._kam_action_view(
            "crm.lead",
            self.env._("Growth Opportunities"),
            plan_field="kam_plan_id",
            view_mode="list,kanban,form",
        )
        action["context"].update(
            default_partner_id=self.partner_id.id, default_type="opportunity"
        )
        return action

    def action_view_actions(self):
        return self._kam_action_view("kam.account.plan.action", self.env._("Actions"))

    def action_view_reviews(self):
        return self._kam_action_view("kam.account.review", self.env._("Reviews"))

    def action_new_review(self):
        """A new review of the plan, in a dialog: created by its own button only
        (not when the user closes the dialog or the browser tab)."""
        self.ensure_one()
        review_type = self.review_cadence
        view = self.env.ref("kam_management.kam_account_review_view_form_new")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Account Review"),
            "res_model": "kam.account.review",
            "view_mode": "form",
            "views": [(view.id, "form")],
            "target": "new",
            "context": {
                "default_plan_id": self.id,
                "default_review_type": review_type,
            },
        }

    # ------------------------------------------------------------
    # Scheduled actions
    # ------------------------------------------------------------
    @api.model
    def _cron_remind_reviews(self, batch_size=200):
        """Reminds the owner of every active plan whose review is due within the
        company's reminder window with one "Account review due" activity. A plan
        that already has an open reminder is skipped, so re-runs never add a
        second one. The reviews to hold in that window get their brief
        emailed, once."""
        domain = expression.AND(
            [[("user_id", "!=", False)], self._kam_review_due_domain()]
        )
        run_in_batches(
            self.env,
            self.sudo().search(domain).ids,
            lambda ids: self.sudo().browse(ids)._kam_remind_reviews(),
            batch_size,
            "Account review reminders",
        )
        # the brief of a coming review goes out in the same window
        self.env["kam.account.review"]._kam_send_due_briefs()

    def _kam_remind_reviews(self):
        """Schedule the review reminder of the plans that have none open yet, in
        the language of the owner it is assigned to (one environment a language)."""
        by_lang = {}
        for plan in self._kam_without_open_activity(REVIEW_ACTIVITY_XMLID):
            by_lang.setdefault(plan.user_id.lang or self.env.lang, []).append(plan.id)
        for lang, plan_ids in by_lang.items():
            for plan in self.with_context(lang=lang).browse(plan_ids):
                plan._kam_schedule_review_reminder()

    def _kam_schedule_review_reminder(self):
        self.ensure_one()
        self.activity_schedule(
            REVIEW_ACTIVITY_XMLID,
            date_deadline=self.next_review_date,
            summary=self.env._("Account review due: %(plan)s", plan=self.name),
            user_id=self.user_id.id,
        )
