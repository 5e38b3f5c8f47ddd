import operator as py_operator

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, LazyTranslate

from ..tools.formats import kam_plural
from ..tools.values import kam_check_name_length, kam_check_values
from .kam_escalation import ESCALATION_OPEN_STATES
from .kam_stakeholder import KAM_STRONG_RELATIONSHIP

_lt = LazyTranslate(__name__)

# Key account data is internal to the programme: not for portal users nor for the
# employees outside it (the CRM badge reads is_key_account, which stays public).
KAM_USER_GROUP = "kam_management.group_kam_user"
# written by the health engine only
KAM_HEALTH_FIELDS = {
    "kam_health_score",
    "kam_health_band",
    "kam_health_trend",
    "kam_health_date",
}
# Who may write each key-account field, on create and write (an allow-list: a
# ``kam_*`` field missing here is refused to every user, the superuser aside):
# - ``engine``: nobody but the code that computes it (``env.su``: the health
#   engine, the designation, the superuser);
# - ``designation``: any KAM user on a partner that is not a key account (a
#   candidate, or at its promotion); on a key account, the KAM administrators;
# - ``team``: the KAM and the team of a key account, any KAM user on a partner
#   that is not one; the KAM administrators everywhere;
# - ``records``: any KAM user, the field holding records whose own access rights
#   and record rules decide (team lines, scores, stakeholders, plans...).
# ``is_key_account`` is the designation itself: promoted by KAM users, demoted by
# the KAM administrators (_kam_check_designation_rights).
KAM_FIELD_RIGHTS = {
    **dict.fromkeys(KAM_HEALTH_FIELDS, "engine"),
    "kam_since": "engine",
    "kam_pulse_date": "engine",
    "kam_selection_score": "engine",
    "kam_health_snapshot_ids": "engine",
    "kam_user_id": "designation",
    "kam_strategy": "team",
    "kam_relationship_stage": "team",
    "kam_pulse": "team",
    "kam_pulse_comment": "team",
    "kam_team_member_ids": "records",
    "kam_selection_score_ids": "records",
    "kam_stakeholder_ids": "records",
    "kam_plan_ids": "records",
    "kam_escalation_ids": "records",
    "kam_satisfaction_survey_ids": "records",
    "kam_usage_reading_ids": "records",
}


# What makes a partner the key account it is: its company (whose users see its
# KAM data), being a company, its parent (a contact is no key account). Changed
# on a key account by its Key Account Manager and the KAM administrators only
# (_kam_check_identity_rights).
KAM_IDENTITY_FIELDS = ("company_id", "is_company", "parent_id")


def _is_kam_field(fname):
    """Whether ``fname`` is key account data, under KAM_FIELD_RIGHTS."""
    return fname.startswith("kam_") or fname == "is_key_account"


KAM_STRATEGIES = [
    ("harvest", "Harvest"),
    ("maintain", "Maintain"),
    ("selective_investment", "Selective Investment"),
    ("expansive_investment", "Expansive Investment"),
]
KAM_RELATIONSHIP_STAGES = [
    ("supplier", "Supplier"),
    ("preferred_supplier", "Preferred Supplier"),
    ("partner", "Partner"),
    ("trusted_partner", "Trusted Partner"),
]


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "kam.selection.order.mixin"]
    _kam_ordered_selections = (
        "kam_strategy",
        "kam_relationship_stage",
        "kam_health_band",
    )

    # ------------------------------------------------------------
    # Designation
    # ------------------------------------------------------------
    is_key_account = fields.Boolean(
        string="Key Account",
        copy=False,
        index=True,
        tracking=True,
        help="Key accounts get a Key Account Manager, an account team, a strategy and "
        "a plan. Promote and demote them with the designation wizard.",
    )
    kam_since = fields.Date(
        string="Key Account Since",
        copy=False,
        tracking=True,
        readonly=True,
        groups=KAM_USER_GROUP,
    )
    kam_user_id = fields.Many2one(
        "res.users",
        string="Key Account Manager",
        copy=False,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        groups=KAM_USER_GROUP,
    )
    kam_team_member_ids = fields.One2many(
        "kam.team.member",
        "partner_id",
        string="Account Team",
        copy=False,
        groups=KAM_USER_GROUP,
    )
    kam_team_member_count = fields.Integer(
        string="Team Members",
        compute="_compute_kam_team_member_count",
        groups=KAM_USER_GROUP,
    )
    kam_strategy = fields.Selection(
        KAM_STRATEGIES,
        string="Strategy",
        group_expand=True,
        copy=False,
        tracking=True,
        help="Harvest: protect margin with little investment. Maintain: keep the "
        "position. Selective investment: invest where the account will grow. "
        "Expansive investment: invest to grow the account strongly.",
        groups=KAM_USER_GROUP,
    )
    kam_relationship_stage = fields.Selection(
        KAM_RELATIONSHIP_STAGES,
        string="Relationship Stage",
        group_expand=True,
        copy=False,
        tracking=True,
        help="How the account sees us, from a vendor to a fellow traveller.",
        groups=KAM_USER_GROUP,
    )
    # ------------------------------------------------------------
    # Selection scoring matrix
    # ------------------------------------------------------------
    kam_selection_score_ids = fields.One2many(
        "kam.selection.score",
        "partner_id",
        string="Selection Scores",
        copy=False,
        groups=KAM_USER_GROUP,
    )
    kam_selection_score = fields.Float(
        string="Selection Score",
        compute="_compute_kam_selection_score",
        store=True,
        digits=(16, 1),
        aggregator="avg",
        help="Weighted mean of the scores on the active criteria, times 10 (0-100). "
        "Only the criteria the account is scored on count.",
        groups=KAM_USER_GROUP,
    )
    kam_selection_scored = fields.Boolean(
        string="Scored",
        compute="_compute_kam_selection_score",
        store=True,
        help="Scored on at least one active criterion: without a score, the "
        "selection score reads Not scored rather than 0.",
        groups=KAM_USER_GROUP,
    )

    # ------------------------------------------------------------
    # Stakeholders (DESIGN §3)
    # ------------------------------------------------------------
    # Coverage counts the active stakeholders who have not departed. The flags
    # are for key accounts only (False elsewhere), computed in batch and
    # searchable; not stored because "overdue" moves with the calendar.
    kam_stakeholder_ids = fields.One2many(
        "kam.stakeholder",
        "partner_id",
        string="Stakeholders",
        copy=False,
        groups=KAM_USER_GROUP,
    )
    # the contact side: whether a message or a meeting with this person can be a
    # stakeholder's interaction (read on every message posted, so stored on the
    # partner, prefetched with it: no query, and no cache to clear)
    kam_contact_stakeholder_ids = fields.One2many(
        "kam.stakeholder",
        "contact_id",
        string="Stakeholder Roles",
        context={"active_test": False},
        copy=False,
        groups=KAM_USER_GROUP,
    )
    kam_is_stakeholder_contact = fields.Boolean(
        string="Stakeholder Contact",
        compute="_compute_kam_is_stakeholder_contact",
        store=True,
        groups="base.group_user",
        help="The person is mapped as a stakeholder of an account (archived "
        "stakeholders included).",
    )
    kam_stakeholder_count = fields.Integer(
        string="Stakeholder Count",
        compute="_compute_kam_stakeholder_coverage",
        groups=KAM_USER_GROUP,
    )
    kam_has_decision_maker = fields.Boolean(
        string="Has Decision Maker",
        compute="_compute_kam_stakeholder_coverage",
        search="_search_kam_has_decision_maker",
        groups=KAM_USER_GROUP,
    )
    kam_has_champion = fields.Boolean(
        string="Has Champion",
        compute="_compute_kam_stakeholder_coverage",
        search="_search_kam_has_champion",
        groups=KAM_USER_GROUP,
        help="A stakeholder with the champion role or a champion attitude.",
    )
    kam_has_executive_sponsor = fields.Boolean(
        string="Has Executive Sponsor",
        compute="_compute_kam_stakeholder_coverage",
        search="_search_kam_has_executive_sponsor",
        groups=KAM_USER_GROUP,
    )
    kam_single_threaded = fields.Boolean(
        string="Single-threaded",
        compute="_compute_kam_stakeholder_coverage",
        search="_search_kam_single_threaded",
        groups=KAM_USER_GROUP,
        help="A key account with fewer than two stakeholders (active, not "
        "departed) whose relationship strength is 3 or more: one person, or "
        "nobody, carries the relationship.",
    )
    kam_overdue_stakeholder_count = fields.Integer(
        string="Overdue Stakeholders",
        compute="_compute_kam_stakeholder_coverage",
        search="_search_kam_overdue_stakeholder_count",
        groups=KAM_USER_GROUP,
        help="Stakeholders whose next contact date is past.",
    )

    # ------------------------------------------------------------
    # Account plans
    # ------------------------------------------------------------
    kam_plan_ids = fields.One2many(
        "kam.account.plan",
        "partner_id",
        string="Account Plans",
        copy=False,
        groups=KAM_USER_GROUP,
    )
    kam_plan_count = fields.Integer(
        string="Account Plan Count",
        compute="_compute_kam_plan_count",
        groups=KAM_USER_GROUP,
    )

    # ------------------------------------------------------------
    # Health score (DESIGN section 2), written by kam.health.engine
    # ------------------------------------------------------------
    kam_health_score = fields.Float(
        string="Health Score",
        digits=(16, 1),
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Weighted score 0-100 of the health factors that have data. Empty when "
        "no factor has data.",
        groups=KAM_USER_GROUP,
    )
    kam_health_band = fields.Selection(
        [("red", "Red"), ("yellow", "Yellow"), ("green", "Green")],
        string="Health",
        group_expand=True,
        readonly=True,
        copy=False,
        groups=KAM_USER_GROUP,
    )
    kam_health_trend = fields.Float(
        string="Health Trend",
        digits=(16, 1),
        readonly=True,
        copy=False,
        help="Points gained or lost against the snapshot of about 30 days ago.",
        groups=KAM_USER_GROUP,
    )
    kam_health_date = fields.Date(
        string="Health Computed On",
        readonly=True,
        copy=False,
        groups=KAM_USER_GROUP,
    )
    kam_health_color = fields.Integer(
        compute="_compute_kam_health_color", groups=KAM_USER_GROUP
    )
    # ------------------------------------------------------------
    # Revenue figures (DESIGN section 8), written by kam.account.revenue in the
    # health run
    # ------------------------------------------------------------
    kam_company_currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_kam_company_currency_id",
        help="Currency of the user's current company, of the revenue figures "
        "(stored per company, or computed for the reader: order backlog, "
        "overdue receivables).",
        groups=KAM_USER_GROUP,
    )
    # Stored per company (company_dependent): each company's documents in its
    # currency, so that the figure a reader sees is the one the live reports of
    # their company show; the currency is the reader's company's.
    kam_revenue_12m = fields.Float(
        string="Revenue 12 Months",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Revenue of the last 12 months in the current company, at the last "
        "health computation (see 'Revenue as of').",
        groups=KAM_USER_GROUP,
    )
    kam_revenue_prev_12m = fields.Float(
        string="Revenue Previous 12 Months",
        company_dependent=True,
        readonly=True,
        copy=False,
        groups=KAM_USER_GROUP,
    )
    kam_revenue_growth = fields.Float(
        string="Revenue Growth (%)",
        company_dependent=True,
        digits=(16, 1),
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Revenue of the last 12 months against the 12 months before; empty "
        "without revenue in the 12 months before.",
        groups=KAM_USER_GROUP,
    )
    kam_lifetime_revenue = fields.Float(
        string="Lifetime Revenue",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Revenue since the first document of the account, in the current "
        "company.",
        groups=KAM_USER_GROUP,
    )
    kam_revenue_date = fields.Date(
        string="Revenue as of",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Day of the last health computation, which stored the revenue "
        "figures of the current company.",
        groups=KAM_USER_GROUP,
    )
    kam_pulse = fields.Integer(
        string="KAM Pulse",
        copy=False,
        tracking=True,
        help="The Key Account Manager's own judgement of the account, from 1 (very "
        "bad) to 5 (very good); 0 when not given. Ignored by the health score once "
        "older than 90 days.",
        groups=KAM_USER_GROUP,
    )
    kam_pulse_comment = fields.Text(
        string="Pulse Comment", copy=False, groups=KAM_USER_GROUP
    )
    kam_pulse_date = fields.Date(
        string="Pulse Date",
        compute="_compute_kam_pulse_date",
        store=True,
        copy=False,
        help="When the pulse was given: set when the pulse or its comment changes, "
        "never by hand (a stale pulse must not look fresh).",
        groups=KAM_USER_GROUP,
    )
    kam_health_snapshot_ids = fields.One2many(
        "kam.health.snapshot",
        "partner_id",
        string="Health History",
        copy=False,
        groups=KAM_USER_GROUP,
    )
    kam_satisfaction_survey_ids = fields.One2many(
        "kam.satisfaction.survey",
        "partner_id",
        string="Satisfaction Surveys",
        copy=False,
        groups=KAM_USER_GROUP,
    )
    kam_usage_reading_ids = fields.One2many(
        "kam.usage.reading",
        "partner_id",
        string="Usage Readings",
        copy=False,
        groups=KAM_USER_GROUP,
    )
    kam_health_snapshot_count = fields.Integer(
        string="Health Snapshots",
        compute="_compute_kam_health_latest",
        groups=KAM_USER_GROUP,
    )
    kam_health_line_ids = fields.Many2many(
        "kam.health.snapshot.line",
        string="Health Breakdown",
        compute="_compute_kam_health_latest",
        groups=KAM_USER_GROUP,
    )

    # ------------------------------------------------------------
    # Escalations
    # ------------------------------------------------------------
    kam_escalation_ids = fields.One2many(
        "kam.escalation",
        "partner_id",
        string="Escalations",
        groups=KAM_USER_GROUP,
    )
    kam_escalation_open_count = fields.Integer(
        string="Open Escalations",
        compute="_compute_kam_escalation_open_count",
        groups=KAM_USER_GROUP,
    )

    # ------------------------------------------------------------
    # Reports: plan progress and recommended strategy (DESIGN section 6)
    # ------------------------------------------------------------
    # Recommended strategy, from attractiveness (selection score) and health:
    #   attractive (score >= the company's attractiveness threshold, 50 by
    #   default) and healthy (health >= green threshold)
    #       -> expansive investment
    #   attractive and not healthy -> selective investment (fix, then grow)
    #   not attractive and healthy -> maintain
    #   not attractive and not healthy -> harvest
    # "Healthy" uses the green threshold of the account's company (of the current
    # company for shared accounts); no recommendation without a health score.
    kam_recommended_strategy = fields.Selection(
        KAM_STRATEGIES,
        string="Recommended Strategy",
        compute="_compute_kam_recommended_strategy",
        help="From attractiveness and health: a selection score at or above the "
        "attractiveness threshold (Settings) with a green health gives Expansive "
        "Investment, with a lower health Selective Investment; a lower selection "
        "score with a green health gives Maintain, with a lower health Harvest.",
        groups=KAM_USER_GROUP,
    )
    kam_current_plan_id = fields.Many2one(
        "kam.account.plan",
        string="Current Plan",
        compute="_compute_kam_current_plan",
        groups=KAM_USER_GROUP,
        help="The active account plan running today (the latest started when "
        "there are several).",
    )
    kam_plan_progress = fields.Float(
        string="Plan Progress",
        digits=(16, 1),
        compute="_compute_kam_current_plan",
        groups=KAM_USER_GROUP,
        help="Progress of the active account plan (the one running today when "
        "there are several).",
    )

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------
    @api.depends(
        "kam_selection_score_ids.score",
        "kam_selection_score_ids.criterion_id.weight",
        "kam_selection_score_ids.criterion_id.active",
    )
    def _compute_kam_selection_score(self):
        for partner in self:
            # a line scored 0 is a criterion still to score: it does not count
            lines = partner.kam_selection_score_ids.filtered(
                lambda line: line.score and line.criterion_id.active
            )
            total_weight = sum(line.criterion_id.weight for line in lines)
            weighted = sum(line.score * line.criterion_id.weight for line in lines)
            partner.kam_selection_score = (
                weighted / total_weight * 10 if total_weight else 0.0
            )
            partner.kam_selection_scored = bool(lines)

    def _compute_kam_team_member_count(self):
        counts = dict(
            self.env["kam.team.member"]._read_group(
                [("partner_id", "in", self._origin.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.kam_team_member_count = counts.get(partner._origin, 0)

    # ------------------------------------------------------------
    # Stakeholder coverage (computes and searches)
    # ------------------------------------------------------------
    # kam.stakeholder computes the coverage (with sudo: it feeds the health
    # score, whoever triggers it); the fields are restricted to KAM users.

    @api.depends(
        "is_key_account",
        "kam_stakeholder_ids.active",
        "kam_stakeholder_ids.departed",
        "kam_stakeholder_ids.role",
        "kam_stakeholder_ids.attitude",
        "kam_stakeholder_ids.relationship_strength",
        "kam_stakeholder_ids.next_contact_date",
    )
    def _compute_kam_stakeholder_coverage(self):
        coverage = self.env["kam.stakeholder"]._kam_coverage(self._origin.ids)
        for partner in self:
            data = coverage[partner._origin.id] if partner._origin.id else {}
            key = bool(data and partner.is_key_account)
            partner.kam_stakeholder_count = data.get("count", 0)
            partner.kam_has_decision_maker = key and data["decision_maker"]
            partner.kam_has_champion = key and data["champion"]
            partner.kam_has_executive_sponsor = key and data["executive_sponsor"]
            partner.kam_single_threaded = key and data["single_threaded"]
            partner.kam_overdue_stakeholder_count = data["overdue"] if key else 0

    @api.depends("kam_contact_stakeholder_ids")
    def _compute_kam_is_stakeholder_contact(self):
        for partner in self:
            partner.kam_is_stakeholder_contact = bool(
                partner.sudo().kam_contact_stakeholder_ids
            )

    @api.model
    def _kam_check_search_access(self, fname):
        """Refuse a domain on the restricted field ``fname`` to the users outside
        its groups. Odoo checks the groups of the stored fields a domain names
        (``_field_to_sql``), not those of a computed field searched by a method:
        expression.py asks the method for a domain on other fields, which would
        answer a salesman or a portal user. Every search method of a field with
        ``groups`` calls this first."""
        self.check_field_access_rights("read", [fname])

    @api.model
    def _kam_current_stakeholders(self, domain=()):
        """The query of the current stakeholders (active, not departed) that
        match ``domain``, for a condition on ``kam_stakeholder_ids`` evaluated in
        SQL. Built with sudo, as ``_kam_coverage`` reads the coverage: an
        account's coverage is the same whoever searches it."""
        return (
            self.env["kam.stakeholder"]
            .sudo()
            ._search([("departed", "=", False), *domain])
        )

    @api.model
    def _kam_coverage_domain(self, query, matching):
        """The key accounts with (``matching``) or without a stakeholder among
        those of ``query``."""
        return [
            ("kam_stakeholder_ids", "in" if matching else "not in", query),
            ("is_key_account", "=", True),
        ]

    @api.model
    def _kam_search_coverage(self, operator, value, flag):
        """Domain on the key accounts whose coverage ``flag`` is ``value``: a
        current stakeholder with the role (or the attitude, for a champion)."""
        self._kam_check_search_access(f"kam_has_{flag}")
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on a coverage field."))
        domain = [("role", "=", flag)]
        if flag == "champion":
            domain = ["|", *domain, ("attitude", "=", "champion")]
        query = self._kam_current_stakeholders(domain)
        return self._kam_coverage_domain(query, (operator == "=") == value)

    def _search_kam_has_decision_maker(self, operator, value):
        return self._kam_search_coverage(operator, value, "decision_maker")

    def _search_kam_has_champion(self, operator, value):
        return self._kam_search_coverage(operator, value, "champion")

    def _search_kam_has_executive_sponsor(self, operator, value):
        return self._kam_search_coverage(operator, value, "executive_sponsor")

    def _search_kam_single_threaded(self, operator, value):
        # accounts without stakeholders have no coverage and are single-threaded:
        # search the multi-threaded ones (two strong relationships or more, one
        # query that returns those accounts only), the others are the complement
        self._kam_check_search_access("kam_single_threaded")
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on a coverage field."))
        multi = [
            partner.id
            for [partner] in self.env["kam.stakeholder"]
            .sudo()
            ._read_group(
                [
                    ("departed", "=", False),
                    ("relationship_strength", ">=", KAM_STRONG_RELATIONSHIP),
                ],
                ["partner_id"],
                having=[("__count", ">=", 2)],
            )
        ]
        operator = "not in" if (operator == "=") == value else "in"
        return [("id", operator, multi), ("is_key_account", "=", True)]

    def _search_kam_overdue_stakeholder_count(self, operator, value):
        self._kam_check_search_access("kam_overdue_stakeholder_count")
        if (
            operator not in ("=", "!=", ">", ">=", "<", "<=")
            or isinstance(value, bool)
            or not isinstance(value, int | float | None)
        ):
            raise UserError(self.env._("Unsupported search on overdue stakeholders."))
        value = value or 0
        # accounts without overdue stakeholders count 0: when 0 matches, exclude
        # the accounts whose count does not match, else take those whose count does
        compare = {
            "=": py_operator.eq,
            "!=": py_operator.ne,
            ">": py_operator.gt,
            ">=": py_operator.ge,
            "<": py_operator.lt,
            "<=": py_operator.le,
        }[operator]
        zero_matches = compare(0, value)
        if not zero_matches and operator in (">", ">=", "!=") and compare(1, value):
            # the accounts with an overdue stakeholder (the landing page's tile
            # and filter): a subquery, no count
            query = self._kam_current_stakeholders([("is_overdue", "=", True)])
            return self._kam_coverage_domain(query, True)
        having_operator = (
            expression.TERM_OPERATORS_NEGATION[operator] if zero_matches else operator
        )
        accounts = [
            partner.id
            for [partner] in self.env["kam.stakeholder"]
            .sudo()
            ._read_group(
                [("is_overdue", "=", True)],
                ["partner_id"],
                having=[("__count", having_operator, value)],
            )
        ]
        operator = "not in" if zero_matches else "in"
        return [("id", operator, accounts), ("is_key_account", "=", True)]

    def _compute_kam_plan_count(self):
        counts = dict(
            self.env["kam.account.plan"]._read_group(
                [("partner_id", "in", self._origin.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.kam_plan_count = counts.get(partner._origin, 0)

    @api.depends_context("company")
    def _compute_kam_company_currency_id(self):
        self.kam_company_currency_id = self.env.company.currency_id

    @api.depends("kam_health_band")
    def _compute_kam_health_color(self):
        colors = {"red": 1, "yellow": 3, "green": 10}
        for partner in self:
            partner.kam_health_color = colors.get(partner.kam_health_band, 0)

    @api.depends("kam_pulse", "kam_pulse_comment")
    def _compute_kam_pulse_date(self):
        today = fields.Date.context_today(self)
        for partner in self:
            partner.kam_pulse_date = today if partner.kam_pulse else False

    def _compute_kam_health_latest(self):
        """Snapshot count and the breakdown of the latest snapshot by date (one per
        account and day), whatever order the snapshots were created in."""
        stats = {
            partner.id: (count, latest)
            for partner, count, latest in self.env["kam.health.snapshot"]._read_group(
                [("partner_id", "in", self._origin.ids)],
                ["partner_id"],
                ["__count", "date:max"],
            )
        }
        lines = self.env["kam.health.snapshot.line"].search(
            [
                ("snapshot_id.partner_id", "in", list(stats)),
                (
                    "snapshot_id.date",
                    "in",
                    [latest for _count, latest in stats.values()],
                ),
            ]
        )
        for partner in self:
            count, latest = stats.get(partner._origin.id, (0, False))
            partner.kam_health_snapshot_count = count
            partner.kam_health_line_ids = lines.filtered(
                lambda line, partner=partner._origin, latest=latest: (
                    line.snapshot_id.partner_id == partner
                    and line.snapshot_id.date == latest
                )
            )

    def _compute_kam_escalation_open_count(self):
        counts = dict(
            self.env["kam.escalation"]._read_group(
                [
                    ("partner_id", "in", self._origin.ids),
                    ("state", "in", ESCALATION_OPEN_STATES),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.kam_escalation_open_count = counts.get(partner._origin, 0)

    @api.depends(
        "is_key_account",
        "kam_selection_score",
        "kam_health_score",
        "kam_health_date",
        "company_id.kam_health_green_from",
    )
    def _compute_kam_recommended_strategy(self):
        for partner in self:
            partner.kam_recommended_strategy = partner._kam_recommend_strategy()

    def _kam_recommend_strategy(self):
        self.ensure_one()
        if not self.is_key_account or not self.kam_health_date:
            return False
        company = self.company_id or self.env.company
        attractive = self.kam_selection_score >= company.kam_attractiveness_threshold
        healthy = self.kam_health_score >= company.kam_health_green_from
        if attractive:
            return "expansive_investment" if healthy else "selective_investment"
        return "maintain" if healthy else "harvest"

    def _compute_kam_current_plan(self):
        # one lookup of the current plans for both fields (the dashboard's cards
        # read both)
        plans = self.env["kam.account.plan"]._kam_current_plans(self._origin.ids)
        for partner in self:
            plan = plans.get(partner._origin.id, self.env["kam.account.plan"])
            partner.kam_current_plan_id = plan
            partner.kam_plan_progress = plan.progress

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------
    @api.constrains("is_key_account", "parent_id", "is_company")
    def _check_kam_commercial_entity(self):
        for partner in self:
            if partner.is_key_account and partner.commercial_partner_id != partner:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is a contact of %(company)s: only the company "
                        "itself can be a key account.",
                        contact=partner.display_name,
                        company=partner.commercial_partner_id.display_name,
                    )
                )

    # The cap of a company limits the key accounts its programme runs. A shared
    # account (no company) is run from the companies of its Key Account Manager:
    # its records, its place in the portfolios and its reports are theirs (the
    # record rules on shared accounts, _kam_portfolio_domain), so it counts
    # against the cap of each of them; without a KAM, against every company,
    # where any may take it. A promotion, a move to no company or a new KAM
    # is refused when it takes any of those companies past its cap, whichever
    # company the user works in.
    @api.constrains("is_key_account", "company_id", "active", "kam_user_id")
    def _check_kam_max_key_accounts(self):
        companies = self.filtered("is_key_account")._kam_cap_companies()
        capped = companies.filtered("kam_max_key_accounts")
        if capped:
            # A no-op update of the company rows: two concurrent promotions then
            # conflict (one is retried by Odoo and counts again) instead of both
            # passing the cap, each blind to the other.
            self.env.cr.execute(
                SQL(
                    "UPDATE res_company SET kam_max_key_accounts = kam_max_key_accounts"
                    " WHERE id IN %s",
                    tuple(capped.ids),
                )
            )
        for company in capped:
            count = self._kam_count_key_accounts(company)
            if count <= company.kam_max_key_accounts:
                continue
            if company not in self.env.user.company_ids:
                # a company the user does not work in: neither its name nor its
                # figures
                raise ValidationError(
                    self.env._(
                        "This change would take another company past its limit of "
                        "key accounts: %(accounts)s is shared with it. Ask a Key "
                        "Account Management administrator.",
                        accounts=", ".join(self.mapped("display_name")),
                    )
                )
            raise ValidationError(
                kam_plural(
                    self.env,
                    company.kam_max_key_accounts,
                    _lt(
                        "%(company)s is limited to %(count)s key account and this "
                        "change would make %(total)s. Demote an account first, or "
                        "raise the cap in Settings."
                    ),
                    _lt(
                        "%(company)s is limited to %(count)s key accounts and this "
                        "change would make %(total)s. Demote an account first, or "
                        "raise the cap in Settings."
                    ),
                    company=company.name,
                    total=count,
                )
            )

    def _kam_cap_companies(self):
        """The companies whose cap the key accounts of ``self`` count against:
        the company of each; for a shared one, the companies its Key Account
        Manager works in, or every company when it has none."""
        companies = self.company_id.sudo()
        shared = self.filtered(lambda p: not p.company_id)
        companies |= shared.kam_user_id.sudo().company_ids
        if shared.filtered(lambda p: not p.kam_user_id):
            companies |= self.env["res.company"].sudo().search([])
        return companies

    @api.model
    def _kam_count_key_accounts(self, company):
        """Key accounts counted against the cap of ``company`` (active ones):
        its own, and the shared ones (without a company) whose Key Account
        Manager works in it or that have none (see _check_kam_max_key_accounts)."""
        # archived KAMs too: their accounts still count (the subquery is not
        # flushed with the count: flush it here)
        self.env["res.users"].flush_model(["company_ids"])
        staff = (
            self.env["res.users"]
            .sudo()
            .with_context(active_test=False)
            ._search([("company_ids", "in", company.id)])
        )
        return (
            self.sudo()
            .with_context(active_test=True)
            .search_count(
                [
                    ("is_key_account", "=", True),
                    "|",
                    ("company_id", "=", company.id),
                    "&",
                    ("company_id", "=", False),
                    "|",
                    ("kam_user_id", "=", False),
                    ("kam_user_id", "in", staff),
                ]
            )
        )

    @api.constrains("name", "is_key_account")
    def _check_kam_name_length(self):
        # a key account's name heads its plans, cards and printed documents
        kam_check_name_length(self.filtered("is_key_account"))

    @api.constrains("kam_pulse")
    def _check_kam_pulse(self):
        for partner in self:
            if not 0 <= partner.kam_pulse <= 5:
                raise ValidationError(
                    self.env._(
                        "The KAM pulse of %(account)s must be between 1 and 5 "
                        "(0 when not given).",
                        account=partner.display_name,
                    )
                )

    @api.constrains("kam_user_id", "company_id")
    def _check_kam_user(self):
        for partner in self:
            partner._kam_check_staff(
                partner.kam_user_id | partner.sudo().kam_team_member_ids.user_id
            )

    def _kam_check_staff(self, users):
        """Refuse ``users`` as Key Account Manager or team of this account unless
        they are internal users who work in its company (when it has one)."""
        self.ensure_one()
        company = self.company_id
        for user in users.sudo():
            if user.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is not an internal user: only employees can be the "
                        "Key Account Manager or on the team of %(account)s.",
                        user=user.name,
                        account=self.display_name,
                    )
                )
            if company and company not in user.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(user)s does not work in %(company)s, the company of "
                        "%(account)s: they cannot be its Key Account Manager or on "
                        "its team.",
                        user=user.name,
                        company=company.name,
                        account=self.display_name,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._kam_check_values(vals_list)
        for vals in vals_list:
            if not self.env.su:
                # the defaults (context, user defaults) are checked too: a context
                # key must not set what the caller may not
                missing = [
                    f for f in self._fields if _is_kam_field(f) and f not in vals
                ]
                values = {**self.default_get(missing), **vals}
                self.browse()._kam_check_write_rights(
                    # an empty value is no data: nothing is set
                    {f: v for f, v in values.items() if _is_kam_field(f) and v},
                    operation="create",
                )
            if vals.get("is_key_account") and not vals.get("kam_since"):
                vals["kam_since"] = fields.Date.context_today(self)
        return super().create(vals_list)

    def write(self, vals):
        self._kam_check_values([vals])
        self._kam_check_write_rights(vals)
        if "is_key_account" in vals and "kam_since" not in vals:
            promote = bool(vals["is_key_account"])
            changed = self.filtered(lambda p: p.is_key_account != promote)
            # only the accounts that change get a new designation date
            super(ResPartner, changed).write(
                {"kam_since": promote and fields.Date.context_today(self)}
            )
        return super().write(vals)

    @api.model
    def _kam_check_values(self, vals_list):
        """Refuse with a message the key account values of the wrong type or out
        of range, before the ORM stops on them with a traceback (Odoo's own
        partner fields are Odoo's business). No query."""
        kam_check_values(
            self,
            vals_list,
            {fname for vals in vals_list for fname in vals if _is_kam_field(fname)},
        )

    def _read_format(self, fnames, load="_classic_read"):
        """The KAM data of a shared account (no company) run from other
        companies read empty (the funnel of read, search_read and web_read)."""
        result = super()._read_format(fnames, load=load)
        foreign = self._kam_foreign_shared(fnames)
        if foreign:
            empty = {
                fname: self._kam_empty_read_value(self._fields[fname])
                for fname in fnames
                if _is_kam_field(fname) and self._fields[fname].groups
            }
            for vals in result:
                if vals["id"] in foreign:
                    vals.update(empty)
        return result

    @api.model
    def _kam_empty_read_value(self, field):
        if field.type in ("one2many", "many2many"):
            return []
        if field.type in ("integer", "float", "monetary"):
            return 0
        return False

    def _kam_foreign_shared(self, fnames):
        """The ids of the partners of ``self`` whose KAM data (of ``fnames``) the
        user may not read: shared accounts (no company) whose Key Account Manager
        works in none of the user's companies. They are run from the companies
        of their KAM, as the record rules of their stakeholders, scores and
        snapshots say; a company of the group sees the partner, not the other
        company's programme. Empty values rather than a refusal: the partner's
        form, with its KAM page, still opens for that company's users."""
        if self.env.su or not any(
            _is_kam_field(f) and f in self._fields and self._fields[f].groups
            for f in fnames
        ):
            return set()
        return self._kam_foreign_shared_ids()

    def _kam_foreign_shared_ids(self):
        """The ids of the shared accounts of ``self`` whose Key Account Manager
        works in none of the companies of the user (``env.user``, even in sudo:
        the documents of the bridges compute their KAM as superuser); none for
        the superuser himself (scheduled actions, installation)."""
        if self.env.user._is_superuser():
            return set()
        # the user's own accounts are run from his companies: no query for them
        # (the landing page's cards)
        user = self.env.user
        shared = self.sudo().filtered(
            lambda p: not p.company_id and p.kam_user_id and p.kam_user_id != user
        )
        if not shared:
            return set()
        companies = self.env.companies
        return {
            partner.id
            for partner in shared
            if not partner.kam_user_id.company_ids & companies
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_key_account(self):
        key_accounts = self.filtered("is_key_account")
        if key_accounts and not self.env.su:
            raise UserError(
                self.env._(
                    "%(accounts)s is a key account: demote it before deleting it.",
                    accounts=", ".join(key_accounts.mapped("display_name")),
                )
            )

    def _kam_check_write_rights(self, vals, operation="write"):
        """Refuse the changes of ``vals`` to the key account data that the user may
        not make on these partners (none for a ``create`` operation): the
        designation, the fields of KAM_FIELD_RIGHTS, archiving a key account. The
        right to ``operation`` comes first, so that no message names what the
        user may not see."""
        if self.env.su:
            return
        fnames = {fname for fname in vals if _is_kam_field(fname)}
        archive = "active" in vals and not vals["active"]
        identity = operation == "write" and any(f in vals for f in KAM_IDENTITY_FIELDS)
        if not fnames and not archive and not identity:
            return
        self.check_access(operation)
        if identity:
            self._kam_check_identity_rights(vals)
        if "is_key_account" in vals:
            promote = bool(vals["is_key_account"])
            if operation == "create" or self.filtered(
                lambda p: p.is_key_account != promote
            ):
                self._kam_check_designation_rights(promote=promote)
        self._kam_check_field_rights(fnames - {"is_key_account"})
        if "kam_user_id" in vals and operation == "write":
            self._kam_check_manager_change(vals)
        if archive and vals.get("is_key_account", True):
            key_accounts = self.filtered(lambda p: p.is_key_account and p.active)
            if key_accounts:
                raise UserError(
                    self.env._(
                        "%(accounts)s is a key account: archiving it is a demotion. "
                        "Archive it from its form to demote it with a reason, or "
                        "demote it first.",
                        accounts=", ".join(key_accounts.mapped("display_name")),
                    )
                )

    @api.model
    def _kam_field_rights(self):
        """The allow-list ``{field: level}`` of KAM_FIELD_RIGHTS; modules that add
        key account fields extend it."""
        return KAM_FIELD_RIGHTS

    def _kam_check_field_rights(self, fnames):
        """Refuse the key account fields ``fnames`` (``is_key_account`` aside) that
        the user may not write on these partners, by the levels of
        ``_kam_field_rights``."""
        if not fnames:
            return
        user = self.env.user
        if not user.has_group(KAM_USER_GROUP):
            raise AccessError(
                self.env._(
                    "Only Key Account Management users can change the key account "
                    "data."
                )
            )
        rights = self._kam_field_rights()
        computed = {f for f in fnames if rights.get(f, "engine") == "engine"}
        if computed:
            raise AccessError(
                self.env._(
                    "These key account figures are computed and cannot be set: "
                    "%(fields)s.",
                    fields=self._kam_field_labels(computed),
                )
            )
        accounts = self.filtered("is_key_account")
        if not accounts or user.has_group("kam_management.group_kam_manager"):
            return
        if any(rights[f] == "designation" for f in fnames):
            raise AccessError(
                self.env._(
                    "Only Key Account Management administrators can give a key "
                    "account to another Key Account Manager."
                )
            )
        team = {f for f in fnames if rights[f] == "team"}
        outside = accounts - accounts._kam_worked_by(user)
        if team and outside:
            raise AccessError(
                self.env._(
                    "Only the Key Account Manager and the team of %(account)s can "
                    "change %(fields)s.",
                    account=outside[0].display_name,
                    fields=self._kam_field_labels(team),
                )
            )

    def _kam_check_manager_change(self, vals):
        """Refuse a new Key Account Manager on a partner that is not a key
        account, unless the write promotes it and it never had one: the KAM of
        a former key account is a handover of its plans, escalations and
        stakeholders (res_partner_handover.py), the administrators' decision
        (they give key accounts to a KAM, see _kam_check_field_rights).
        Re-promoting a former key account with its own KAM stays open to KAM
        users."""
        if self.env.user.has_group("kam_management.group_kam_manager"):
            return
        new_kam = vals["kam_user_id"] or False
        promote = bool(vals.get("is_key_account"))
        refused = self.filtered(
            lambda p: not p.is_key_account
            and p.kam_user_id.id != new_kam
            and (p.kam_user_id or not promote)
        )
        if refused:
            raise AccessError(
                self.env._(
                    "Only Key Account Management administrators can change the Key "
                    "Account Manager of %(account)s: a partner gets one when it is "
                    "promoted, and a former key account keeps its own until an "
                    "administrator hands it over.",
                    account=refused[0].display_name,
                )
            )

    def _kam_check_identity_rights(self, vals):
        """Refuse to change what makes a key account the account it is (its
        company, being a company, its parent: KAM_IDENTITY_FIELDS) to the users
        other than its Key Account Manager and the KAM administrators (not its
        team: the account's place in the programme is the KAM's to answer for):
        with no company, its KAM data would show in every company."""
        changed = self.filtered(
            lambda p: p.is_key_account
            and any(
                p.is_company != bool(vals[f])
                if f == "is_company"
                else p[f].id != (vals[f] or False)
                for f in KAM_IDENTITY_FIELDS
                if f in vals
            )
        )
        user = self.env.user
        if not changed or user.has_group("kam_management.group_kam_manager"):
            return
        # sudo: the KAM is KAM data, a salesman may not read it
        outside = changed.sudo().filtered(lambda p: p.kam_user_id != user)
        if outside:
            raise AccessError(
                self.env._(
                    "%(account)s is a key account: only its Key Account Manager "
                    "and the Key Account Management administrators can change its "
                    "company, its parent or whether it is a company.",
                    account=outside[0].display_name,
                )
            )

    def _kam_field_labels(self, fnames):
        return ", ".join(
            sorted(
                self._fields[f]._description_string(self.env)
                if f in self._fields
                else f
                for f in fnames
            )
        )

    def _kam_worked_by(self, user):
        """The accounts of ``self`` where ``user`` is the Key Account Manager or a
        member of the account team."""
        return self.filtered(
            lambda p: user == p.kam_user_id or user in p.kam_team_member_ids.user_id
        )

    def _kam_check_designation_rights(self, promote):
        """Designation is for KAM users, demotion for KAM managers only."""
        if self.env.su:
            return
        group = KAM_USER_GROUP if promote else "kam_management.group_kam_manager"
        if not self.env.user.has_group(group):
            if promote:
                message = self.env._(
                    "Only Key Account Management users can designate key accounts."
                )
            else:
                message = self.env._(
                    "Only Key Account Management administrators can demote a key "
                    "account."
                )
            raise AccessError(message)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def action_archive(self):
        """Archiving a key account is a demotion: for a user, it opens the
        demotion wizard with "archive too" (the web client runs the action that
        action_archive returns, as for hr.employee's departure wizard)."""
        key_accounts = self.filtered(lambda p: p.is_key_account and p.active)
        if not key_accounts or self.env.su:
            return super().action_archive()
        if len(self) > 1:
            raise UserError(
                self.env._(
                    "Archiving a key account is a demotion, with its reason: archive "
                    "%(accounts)s one at a time.",
                    accounts=", ".join(key_accounts.mapped("display_name")),
                )
            )
        return self._kam_open_designation_wizard("demote", archive=True)

    def _kam_open_designation_wizard(self, mode, archive=False):
        """The designation wizard on this partner, for the users who may change
        its designation (checked again when the wizard is confirmed)."""
        self.ensure_one()
        self.check_access("write")
        self._kam_check_designation_rights(promote=mode == "promote")
        if mode == "promote":
            name = self.env._("Promote to Key Account")
        elif archive:
            name = self.env._("Archive Key Account")
        else:
            name = self.env._("Demote Key Account")
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": "kam.designation.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.id,
                "default_mode": mode,
                "default_archive": archive,
            },
        }

    def _kam_open_account_records(self, xmlid, **context):
        """The action ``xmlid`` on the records of this account, creating new ones
        for it."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.id, **context}
        return action

    def action_kam_promote(self):
        return self._kam_open_designation_wizard("promote")

    def action_kam_demote(self):
        return self._kam_open_designation_wizard("demote")

    def action_kam_view_team(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Account Team"),
            "res_model": "kam.team.member",
            "view_mode": "list",
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        }

    def action_kam_view_stakeholders(self):
        return self._kam_open_account_records(
            "kam_management.kam_stakeholder_action", search_default_current=1
        )

    def action_kam_view_org_chart(self):
        """The stakeholders of the account as its org chart (hierarchy view)."""
        action = self.action_kam_view_stakeholders()
        action["name"] = self.env._("Org Chart")
        action["views"] = sorted(
            action["views"], key=lambda view: view[1] != "hierarchy"
        )
        return action

    def action_kam_view_plans(self):
        return self._kam_open_account_records("kam_management.kam_account_plan_action")

    def action_kam_compute_health(self):
        """Recompute the health of these key accounts now (partners that are not
        key accounts are skipped): the KAM administrators on every account they
        may read, KAM users on the accounts they work on."""
        user = self.env.user
        if not user.has_group(KAM_USER_GROUP):
            raise AccessError(
                self.env._("Only Key Account Management users can compute health.")
            )
        self.check_access("read")
        accounts = self.filtered("is_key_account")
        outside = accounts - accounts._kam_worked_by(user)
        if outside and not user.has_group("kam_management.group_kam_manager"):
            raise AccessError(
                self.env._(
                    "Only the Key Account Manager and the team of %(account)s can "
                    "compute its health now.",
                    account=outside[0].display_name,
                )
            )
        # the engine writes the figures no user may write
        failed = self.env["kam.health.engine"].sudo()._kam_health_run(accounts.ids)
        message = kam_plural(
            self.env,
            len(accounts) - len(failed),
            _lt("Health computed for %(count)s key account."),
            _lt("Health computed for %(count)s key accounts."),
        )
        if failed:
            failures = kam_plural(
                self.env,
                len(failed),
                _lt("%(count)s key account failed: see the server log."),
                _lt("%(count)s key accounts failed: see the server log."),
            )
            message = f"{message} {failures}"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "warning" if failed else "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_kam_view_health_history(self):
        return self._kam_open_account_records(
            "kam_management.kam_health_snapshot_action", fill_temporal=False
        )

    def action_kam_view_escalations(self):
        return self._kam_open_account_records(
            "kam_management.kam_escalation_action", search_default_filter_open=1
        )

    def action_kam_escalate(self):
        """A new manual escalation of this key account, in a dialog."""
        self.ensure_one()
        return self.env["kam.escalation"]._kam_action_escalate(
            {"partner_id": self.commercial_partner_id.id}
        )
