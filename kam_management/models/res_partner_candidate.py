# pylint: disable=consider-merging-classes-inherited
# (a file of its own: candidates judged by their data, DESIGN §14)
import bisect
import math

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools import run_in_batches
from .kam_selection_score import SCORE_MAX, SCORE_MIN
from .res_partner import KAM_USER_GROUP

# The candidates: companies that are not key accounts, not one of our companies
# and no unit of a key account's group (the Candidates action's domain).
CANDIDATE_DOMAIN = [
    ("is_key_account", "=", False),
    ("is_company", "=", True),
    ("kam_own_company", "=", False),
    ("kam_group_id", "=", False),
]
# Growth (%) that moves the revenue potential one point up or down.
GROWTH_STEP_PERCENT = 20.0


class ResPartner(models.Model):
    """Candidates judged by their data: what a customer bought and how it is
    growing, its margin (``res_partner_economics``), its payment behaviour
    (Invoicing bridge) and its interactions, computed when read, a page of
    the list in one query per figure; and the scores the data suggests for
    the criteria of the selection matrix that have a data source
    (``kam.selection.criterion.data_source``), which a KAM user accepts or
    overrides: a suggestion is never the score by itself."""

    _inherit = "res.partner"

    kam_candidate_revenue_12m = fields.Monetary(
        string="Revenue 12M",
        currency_field="kam_company_currency_id",
        compute="_compute_kam_candidate_figures",
        groups=KAM_USER_GROUP,
        help="What the customer bought in the last 12 months (posted invoices, "
        "else confirmed sales, else won opportunities), in your company.",
    )
    kam_candidate_revenue_growth = fields.Float(
        string="Growth (%)",
        digits=(16, 1),
        compute="_compute_kam_candidate_figures",
        groups=KAM_USER_GROUP,
        help="Revenue of the last 12 months against the 12 months before.",
    )
    kam_interaction_count_90d = fields.Integer(
        string="Interactions 90 Days",
        compute="_compute_kam_candidate_figures",
        groups=KAM_USER_GROUP,
        help="Messages, done activities and meetings with the customer and its "
        "contacts in the last 90 days.",
    )

    @api.depends_context("company", "allowed_company_ids")
    def _compute_kam_candidate_figures(self):
        partners = self.filtered("id")
        data = (
            self._kam_candidate_data(partners.ids, self.env.company._kam_today())
            if partners
            else {}
        )
        for partner in self:
            figures = data.get(partner.id) or {}
            partner.kam_candidate_revenue_12m = figures.get("revenue", 0.0)
            partner.kam_candidate_revenue_growth = figures.get("growth") or 0.0
            partner.kam_interaction_count_90d = figures.get("interactions", 0)

    @api.model
    def _kam_candidate_data(self, partner_ids, today):
        """``{partner_id: {"revenue", "previous", "growth", "interactions"}}``
        of the partners with any, in two queries; the bridges add theirs."""
        self.env.flush_all()  # read with SQL
        data = {}
        Revenue = self.env["kam.account.revenue"]
        self.env.cr.execute(Revenue._kam_revenue_figures(partner_ids, today))
        for (
            partner_id,
            _sources,
            current,
            previous,
            _lifetime,
        ) in self.env.cr.fetchall():
            current, previous = float(current or 0.0), float(previous or 0.0)
            data[partner_id] = {
                "revenue": current,
                "previous": previous,
                "growth": (current - previous) / previous * 100 if previous else None,
            }
        engagement = self.env["kam.health.engine"]._kam_health_fetch_engagement(
            partner_ids, today
        )
        for partner_id, counts in engagement.items():
            data.setdefault(partner_id, {})["interactions"] = (
                counts["messages"] + counts["activities"] + counts["meetings"]
            )
        return data

    # ------------------------------------------------------------
    # Suggested scores
    # ------------------------------------------------------------
    def action_kam_suggest_scores(self):
        """Suggest a score on each active criterion with a data source, from the
        partners' data, with its reason: stored beside the score of the line
        (created, not scored, where missing), which stays as it is until a user
        accepts the suggestion. With the user's rights on the scores."""
        if not self.env.user.has_group(KAM_USER_GROUP):
            raise AccessError(
                self.env._("Only Key Account Management users can suggest scores.")
            )
        self._kam_suggest_scores(self.env.company._kam_today())
        return True

    def _kam_suggest_scores(self, today, reference=None):
        criteria = self._kam_selection_criteria()
        sourced = {
            partner: criteria[partner].filtered("data_source") for partner in self
        }
        if not any(sourced.values()):
            return
        data = self._kam_candidate_data(self.ids, today)
        if reference is None:
            reference = self._kam_suggestion_reference(today)
        Score = self.env["kam.selection.score"]
        all_sourced = self.env["kam.selection.criterion"].union(*sourced.values())
        lines = {
            (line.partner_id, line.criterion_id): line
            for line in Score.search(
                [
                    ("partner_id", "in", self.ids),
                    ("criterion_id", "in", all_sourced.ids),
                ]
            )
        }
        rules = self._kam_suggestion_rules()
        to_create = []
        for partner in self:
            figures = data.get(partner.id) or {}
            for criterion in sourced[partner]:
                rule = rules.get(criterion.data_source)
                suggestion = rule and rule(partner, figures, reference)
                line = lines.get((partner, criterion))
                if not suggestion:
                    # the data no longer judges: an older suggestion goes
                    if line and line.suggested_score:
                        line._kam_write_suggestion(
                            {
                                "suggested_score": 0,
                                "suggested_evidence": False,
                                "suggested_date": today,
                            }
                        )
                    continue
                score, code, values = suggestion
                vals = {
                    "suggested_score": max(SCORE_MIN, min(SCORE_MAX, round(score))),
                    "suggested_evidence": {"code": code, "values": values},
                    "suggested_date": today,
                }
                if line:
                    line._kam_write_suggestion(vals)
                else:
                    to_create.append(
                        dict(vals, partner_id=partner.id, criterion_id=criterion.id)
                    )
        # as superuser, the user's rights on the new lines checked after
        Score.sudo().create(to_create).with_env(Score.env).check_access("create")

    @api.model
    def _kam_suggestion_rules(self):
        """``{data source: rule(partner, figures, reference)}``, a rule returning
        ``(score 1-10, reason code, values)`` or None when the data cannot
        judge; the Invoicing bridge adds ``creditworthiness``."""
        return {
            "revenue_potential": self._kam_suggest_revenue_potential,
            "relationships": self._kam_suggest_relationships,
        }

    @api.model
    def _kam_suggestion_reference(self, today):
        """What the suggestions compare a partner with: the sorted revenues of
        the last 12 months of every customer with revenue (one query)."""
        Revenue = self.env["kam.account.revenue"]
        self.env.cr.execute(
            SQL(
                "SELECT SUM(amount) FROM (%s) lines GROUP BY partner_id"
                " HAVING SUM(amount) > 0",
                Revenue._kam_revenue_lines(None, today - relativedelta(years=1), today),
            )
        )
        return {"revenues": sorted(float(row[0]) for row in self.env.cr.fetchall())}

    def _kam_revenue_potential_amount(self, figures):
        """The amount the revenue potential is judged on: the revenue of the
        last 12 months, or the revenue predicted for the next 12 months where
        the buying model (DESIGN §12) gives a larger one."""
        amount = figures.get("revenue", 0.0)
        if "kam_predicted_revenue_12m" in self._fields:
            amount = max(amount, self.kam_predicted_revenue_12m or 0.0)
        return amount

    def _kam_suggest_revenue_potential(self, partner, figures, reference):
        """The rank of the customer among the customers with revenue (top 10 %:
        10), a point more or less for a growth of 20 % up or down."""
        revenues = reference["revenues"]
        amount = partner._kam_revenue_potential_amount(figures)
        if not revenues or amount <= 0:
            return None
        rank = bisect.bisect_right(revenues, amount) / len(revenues)
        score = max(SCORE_MIN, math.ceil(rank * 10))
        growth = figures.get("growth")
        if growth is not None and abs(growth) >= GROWTH_STEP_PERCENT:
            score += 1 if growth > 0 else -1
        return (
            score,
            "revenue_potential",
            {
                "amount": amount,
                "top": max(1, round((1 - rank) * 100)),
                "growth": None if growth is None else round(growth),
                "currency_id": self.env.company.currency_id.id,
            },
        )

    def _kam_suggest_relationships(self, partner, figures, reference):
        """A point per 2 interactions in 90 days (up to 6) and per person known
        at the customer (up to 3), from 1."""
        interactions = figures.get("interactions", 0)
        contacts = len(partner.child_ids.filtered(lambda c: not c.is_company))
        if not interactions and not contacts:
            return None
        score = 1 + min(6, interactions // 2) + min(3, contacts)
        return (
            score,
            "relationships",
            {
                "interactions": interactions,
                "contacts": contacts,
            },
        )

    @api.model
    def _cron_kam_suggest_scores(self):
        """Suggest the scores of every candidate, by batches, each in its own
        company (its documents, its currency, its buying figures), as a user of
        that company clicking Suggest Scores would; the shared candidates in
        the scheduled action's company. The reference of the revenue potential
        is read once per company."""
        for company in self.env["res.company"].search([]):
            in_company = self.with_company(company).with_context(
                allowed_company_ids=company.ids
            )
            companies = [company.id]
            if company == self.env.company:
                companies.append(False)
            candidates = in_company.search(
                [*CANDIDATE_DOMAIN, ("company_id", "in", companies)], order="id"
            )
            if not candidates:
                continue
            today = company._kam_today()
            reference = in_company._kam_suggestion_reference(today)
            run_in_batches(
                in_company.env,
                candidates.ids,
                lambda ids, p=in_company, t=today, r=reference: p.browse(
                    ids
                )._kam_suggest_scores(t, r),
                1000,
                "Suggested scores",
            )
