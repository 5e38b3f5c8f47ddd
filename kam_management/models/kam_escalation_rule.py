import logging
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.tools import LazyTranslate, format_amount, format_date

from ..tools import run_in_batches
from ..tools.formats import kam_number, kam_plural
from .kam_escalation import (
    ACTIVITY_TYPE_XMLID,
    CLOSED_STATES,
    ESCALATION_OPEN_STATES,
    OPEN_UNIQUE_INDEX,
)
from .kam_health_source_rhythm import RHYTHM_MAX_AGE_DAYS

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

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
# Accounts per batch of the scheduled action (one transaction each): the rules cost
# a constant number of queries per batch, the escalations opened a few each.
BATCH_SIZE = 1000


class KamEscalation(models.Model):
    """The rules of the scheduled action: open escalations on what the health and
    the pipeline of the key accounts show, and raise the overdue ones.

    Churn risk compares today's health with the latest snapshot dated between 60 and
    30 days ago ("about 30 days earlier"), read by the health trend of the account
    itself (kam.health.snapshot._kam_health_fetch_previous_scores); an older
    snapshot says nothing about the trend. Churn risk is also found when the
    probability that the account still buys (the buying model's figures, DESIGN
    §12) is below the company's ``kam_escalation_p_active_below``.

    Cool-down: the rules do not open a low health or churn risk escalation for an
    account whose escalation for that reason was resolved or cancelled less than
    the company's Rule Cool-down (days) ago (the account is often still red while
    the action plan takes effect; reopening every hour would undo the user's
    decision); 0 is no cool-down. A big opportunity is never escalated again for an
    opportunity whose escalation was closed; another opportunity that qualifies
    opens a new one at once.
    """

    _inherit = "kam.escalation"

    # ------------------------------------------------------------
    # Rules: what they find
    # ------------------------------------------------------------
    @api.model
    def _kam_health_before(self, partners):
        """{partner id: score} of the latest snapshot between 60 and 30 days ago,
        for all ``partners`` in one query: the health trend's own comparison."""
        return self.env["kam.health.snapshot"]._kam_health_fetch_previous_scores(
            partners.ids, self.env.company._kam_today()
        )

    @api.model
    def _kam_big_opportunities(self, partners):
        """{partner: opportunities} of the big opportunities of ``partners`` (by
        the account they count for), biggest first, in one query."""
        companies = partners.company_id | self.env.company
        # narrows the search to the candidates; crm.lead decides what is big
        leads = self.env["crm.lead"].search(
            [
                ("type", "=", "opportunity"),
                ("probability", "<", 100),
                ("partner_id.kam_account_id", "in", partners.ids),
                (
                    "expected_revenue",
                    ">=",
                    min(companies.mapped("kam_escalation_big_deal")),
                ),
            ],
            order="expected_revenue desc, id",
        )
        result = {}
        for lead in leads._kam_filter_big_opportunities():
            partner = lead.kam_account_id
            result[partner] = result.get(partner, self.env["crm.lead"]) | lead
        return result

    @api.model
    def _kam_health_candidates(self, partners):
        """Low health and churn risk found on ``partners``: a list of dicts
        (partner, reason, evidence), the evidence in the language of the account's
        Key Account Manager (the owner of the escalation)."""
        candidates = []
        before = self._kam_health_before(partners)
        for partner in partners:
            score = partner.kam_health_score
            env = self._kam_in_lang_of(partner.kam_user_id).env
            if partner.kam_health_band == "red":
                evidence = env._(
                    "Health score %(score)s is in the red band.",
                    score=kam_number(env, score),
                )
                candidates.append(
                    {"partner": partner, "reason": "low_health", "evidence": evidence}
                )
            previous = before.get(partner.id)
            if previous is None or not partner.kam_health_band:
                continue
            drop = previous - score
            company = partner.company_id or self.env.company
            if drop >= company.kam_escalation_drop_points:
                evidence = kam_plural(
                    env,
                    drop,
                    _lt(
                        "Health score fell by %(count)s point in about 30 days, "
                        "from %(before)s to %(now)s."
                    ),
                    _lt(
                        "Health score fell by %(count)s points in about 30 days, "
                        "from %(before)s to %(now)s."
                    ),
                    before=kam_number(env, previous),
                    now=kam_number(env, score),
                )
                candidates.append(
                    {"partner": partner, "reason": "churn_risk", "evidence": evidence}
                )
        return candidates

    @api.model
    def _kam_rhythm_candidates(self, partners):
        """Churn risk found in the buying rhythm of ``partners``: the probability
        that the account still buys below the threshold of its company (the
        figures the health's rhythm factor reads, not older than it reads
        them), the evidence in the language of the account's Key Account
        Manager."""
        rhythms = self.env["res.partner"]._kam_buying_rhythm(partners.ids)
        today = self.env.company._kam_today()
        candidates = []
        for partner in partners:
            rhythm = rhythms.get(partner.id)
            company = partner.company_id or self.env.company
            if (
                not rhythm
                or rhythm.p_active is None
                or (today - rhythm.date).days > RHYTHM_MAX_AGE_DAYS
                or rhythm.p_active >= company.kam_escalation_p_active_below
            ):
                continue
            env = self._kam_in_lang_of(partner.kam_user_id).env
            candidates.append(
                {
                    "partner": partner,
                    "reason": "churn_risk",
                    "evidence": self.with_env(env)._kam_rhythm_evidence(
                        rhythm, company.kam_escalation_p_active_below
                    ),
                }
            )
        return candidates

    @api.model
    def _kam_rhythm_evidence(self, rhythm, threshold):
        """The evidence of a churn risk in the buying rhythm ``rhythm``, with
        the day of the last purchase rather than the days since (the evidence
        is posted again whenever it changes)."""
        env = self.env
        detail = kam_plural(
            env,
            max(1, round(rhythm.interval_days or 0)),
            _lt("buys about every %(count)s day"),
            _lt("buys about every %(count)s days"),
        )
        if rhythm.last_purchase:
            detail = env._(
                "%(every)s, last purchase on %(date)s",
                every=detail,
                date=format_date(env, rhythm.last_purchase),
            )
        return env._(
            "Buying rhythm: %(detail)s; %(percent)s%% likely still buying, below "
            "%(threshold)s%%.",
            detail=detail,
            percent=kam_number(env, round(rhythm.p_active * 100, 1)),
            threshold=kam_number(env, round(threshold * 100, 1)),
        )

    @api.model
    def _kam_rule_candidates(self, partners):
        """What the rules find on ``partners``: a list of dicts (partner, reason,
        evidence, lead), in a constant number of queries. A falling health and
        a lapsing rhythm are one churn risk: one candidate with both pieces of
        evidence."""
        found = self._kam_health_candidates(partners)
        found += self._kam_rhythm_candidates(partners)
        candidates = {}
        for candidate in found:
            key = (candidate["partner"], candidate["reason"])
            if key in candidates:
                candidates[key]["evidence"] += "\n" + candidate["evidence"]
            else:
                candidates[key] = candidate
        candidates = list(candidates.values())
        for partner, leads in self._kam_big_opportunities(partners).items():
            candidates.append(
                {
                    "partner": partner,
                    "reason": "big_opportunity",
                    "lead": leads[0],
                    "leads": leads,
                    "evidence": self._kam_in_lang_of(
                        partner.kam_user_id
                    )._kam_big_opportunity_evidence(leads),
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

    # ------------------------------------------------------------
    # Rules: what they already opened or must not reopen
    # ------------------------------------------------------------
    @api.model
    def _kam_rule_escalations(self, partners):
        """The escalations of the rules' reasons on ``partners`` that matter to
        the rules, in one query: the open ones, the closed big opportunities and
        the other closed ones of the longest cool-down of their companies."""
        companies = partners.company_id | self.env.company
        longest = max(companies.mapped("kam_escalation_cooldown_days"))
        closed = [("reason", "=", "big_opportunity")]
        if longest > 0:
            cutoff = fields.Datetime.now() - timedelta(days=longest)
            closed = [
                "|",
                "|",
                *closed,
                ("date_closed", ">", cutoff),
                "&",
                ("date_closed", "=", False),
                ("write_date", ">", cutoff),
            ]
        return self.search_fetch(
            [
                ("partner_id", "in", partners.ids),
                ("reason", "in", list(RULE_SEVERITY)),
                "|",
                ("state", "in", ESCALATION_OPEN_STATES),
                "&",
                ("state", "in", CLOSED_STATES),
                *closed,
            ],
            [
                "partner_id",
                "reason",
                "state",
                "lead_id",
                "evidence",
                "date_closed",
                "write_date",
            ],
        )

    @api.model
    def _kam_recently_closed(self, partners, escalations=None):
        """What the rules must not reopen on ``partners``: the set of ``(partner
        id, reason)`` closed less than the cool-down of the account's company ago,
        and the set of ``(partner id, lead id)`` of the closed big opportunity
        escalations. Escalations closed before ``date_closed`` existed count from
        their last change. ``escalations``: _kam_rule_escalations(partners)."""
        if escalations is None:
            escalations = self._kam_rule_escalations(partners)
        now = fields.Datetime.now()
        cooling, closed_leads = set(), set()
        for escalation in escalations:
            if escalation.state not in CLOSED_STATES:
                continue
            partner = escalation.partner_id
            if escalation.reason == "big_opportunity":
                if escalation.lead_id:
                    closed_leads.add((partner.id, escalation.lead_id.id))
                continue
            company = partner.company_id or self.env.company
            days = company.kam_escalation_cooldown_days
            closed_on = escalation.date_closed or escalation.write_date
            if closed_on > now - timedelta(days=days):
                cooling.add((partner.id, escalation.reason))
        return cooling, closed_leads

    # ------------------------------------------------------------
    # Rules: opening
    # ------------------------------------------------------------
    @api.model
    def _kam_run_rules(self, partners):
        """Open (or update) the escalations the rules find on ``partners``."""
        candidates = self._kam_rule_candidates(partners)
        if not candidates:
            return
        escalations = self._kam_rule_escalations(partners)
        open_by_key = {
            (e.partner_id, e.reason): e
            for e in escalations
            if e.state in ESCALATION_OPEN_STATES
        }
        cooling, closed_leads = self._kam_recently_closed(partners, escalations)
        to_open = []
        for candidate in candidates:
            partner, reason = candidate["partner"], candidate["reason"]
            escalation = open_by_key.get((partner, reason))
            if escalation:
                escalation._kam_add_evidence(
                    candidate["evidence"], candidate.get("lead")
                )
            # the user closed it: do not reopen it at the next run
            elif (partner.id, reason) not in cooling:
                if reason == "big_opportunity":
                    candidate = self._kam_without_closed_leads(candidate, closed_leads)
                if candidate:
                    to_open.append(candidate)
        self._kam_open_escalations(self._kam_rule_vals_list(to_open))

    @api.model
    def _kam_without_closed_leads(self, candidate, closed_leads):
        """The big opportunity ``candidate`` without the opportunities whose
        escalation was closed (None when none is left)."""
        partner = candidate["partner"]
        leads = candidate["leads"].filtered(
            lambda lead: (partner.id, lead.id) not in closed_leads
        )
        if not leads:
            return None
        if leads == candidate["leads"]:
            return candidate
        return dict(
            candidate,
            lead=leads[0],
            leads=leads,
            evidence=self._kam_in_lang_of(
                partner.kam_user_id
            )._kam_big_opportunity_evidence(leads),
        )

    @api.model
    def _kam_rule_vals_list(self, candidates):
        """The values of the escalations to open for ``candidates``: owned by the
        Key Account Manager, else by the company's first KAM administrator."""
        owners = None
        vals_list = []
        for candidate in candidates:
            partner, reason = candidate["partner"], candidate["reason"]
            company = partner.company_id or self.env.company
            owner = partner.kam_user_id
            if not owner:
                if owners is None:
                    partners = self.env["res.partner"].union(
                        *(c["partner"] for c in candidates)
                    )
                    owners = self._kam_fallback_users(
                        partners.company_id | self.env.company
                    )
                owner = owners[company]
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "reason": reason,
                    "severity": RULE_SEVERITY[reason],
                    "source": "rule",
                    "user_id": owner.id,
                    "company_id": company.id,
                    "lead_id": candidate.get("lead", self.env["crm.lead"]).id,
                    "evidence": candidate["evidence"],
                }
            )
        return vals_list

    @api.model
    def _kam_create_from_rules(self, vals_list):
        """Create the escalations of the rules together: one insert, without
        mail.thread's follower and tracking work per record (_kam_on_open does
        the followers, the activity and the messages for all of them at once)."""
        return (
            self.sudo()
            .with_context(
                kam_escalation_skip_duplicate_check=True,
                kam_escalation_bulk_open=True,
                tracking_disable=True,
            )
            .create(vals_list)
        )

    @api.model
    def _kam_open_escalations(self, vals_list):
        """Open the escalations of ``vals_list`` (the rules looked for open ones
        first) together; when a concurrent run opened one of them meanwhile, the
        unique index refuses the insert and they are opened one by one."""
        if not vals_list:
            return self.browse()
        try:
            with self.env.cr.savepoint():
                return self._kam_create_from_rules(vals_list).with_env(self.env)
        except pg_errors.UniqueViolation as error:
            if error.diag.constraint_name != OPEN_UNIQUE_INDEX:
                raise
        escalations = self.browse()
        for vals in vals_list:
            escalations |= self._kam_open_escalation(vals)
        return escalations

    @api.model
    def _kam_open_escalation(self, vals):
        """Open an escalation from a rule, or update the open one.

        The caller looked for an open escalation first; a concurrent run may have
        opened one since. The partial unique index then refuses the insert: the
        savepoint undoes it and the open escalation gets the evidence instead.
        """
        try:
            with self.env.cr.savepoint():
                return self._kam_create_from_rules([vals]).with_env(self.env)
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

    # ------------------------------------------------------------
    # Overdue: the climb to the director
    # ------------------------------------------------------------
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
        labels = {}  # the severity labels of each language
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
            # the texts are for the director, in their language
            director = directors[escalation]
            escalation = escalation._kam_in_lang_of(director)
            lang = escalation.env.lang
            if lang not in labels:
                labels[lang] = dict(
                    self._fields["severity"]._description_selection(escalation.env)
                )
            escalation._kam_bring_in_director(
                director, labels[lang][old_severity], labels[lang][severity]
            )

    def _kam_bring_in_director(self, director, old, new):
        """Tell the chatter the escalation climbed from severity ``old`` to ``new``
        (labels); the ``director`` follows, is notified and gets an activity."""
        self.ensure_one()
        if not director:
            self.message_post(
                body=self.env._(
                    "Overdue: severity raised from %(old)s to %(new)s. No director "
                    "or KAM administrator to bring in.",
                    old=old,
                    new=new,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return
        self.message_subscribe(partner_ids=director.partner_id.ids)
        self.activity_schedule(
            ACTIVITY_TYPE_XMLID,
            date_deadline=fields.Date.context_today(self, self.deadline),
            summary=self.env._("Overdue escalation %(name)s", name=self.name),
            user_id=director.id,
        )
        self.message_post(
            body=self.env._(
                "%(name)s is past its deadline: severity raised from %(old)s to "
                "%(new)s and escalated to %(director)s.",
                name=self.name,
                old=old,
                new=new,
                director=director.name,
            ),
            partner_ids=director.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
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
