import json
import logging
from collections import namedtuple
from contextlib import contextmanager

import numpy as np
from dateutil.relativedelta import relativedelta
from scipy import sparse

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, LazyTranslate, formatLang

from odoo.addons.kam_management.models.res_partner import KAM_USER_GROUP
from odoo.addons.kam_management.tools import (
    in_scheduled_action,
    new_transaction,
    run_in_batches,
)
from odoo.addons.kam_management.tools.formats import kam_plural

from ..tools import recommendation as maths

_lt = LazyTranslate(__name__)

_logger = logging.getLogger(__name__)
# First key of the advisory lock of a company's refresh (the second: its id).
RUN_LOCK_NAMESPACE = 731_141

# A dismissed recommendation is not proposed again for this many months.
DISMISS_MONTHS = 12
# The backtest recommends from the data up to this many months ago.
BACKTEST_MONTHS = 6
# Key accounts stored per batch (committed one by one in the scheduled action).
BATCH_SIZE = 100
RECOMMENDATION_STATES = [
    ("new", "New"),
    ("accepted", "Accepted"),
    ("dismissed", "Dismissed"),
]
SCOPES = [
    (maths.SCOPE_PEERS, "Same Industry and Size"),
    (maths.SCOPE_ALL, "All Customers"),
]
# What a KAM user writes by hand; the rest is the engine's (and the actions').
USER_FIELDS = {"dismiss_reason"}

# The purchases of a company's customers read by ``_kam_read_baskets``: the
# account ids (rows), the category ids (columns), the industry of each account,
# the key accounts' rows, and three customers × categories matrices of revenue:
# the last 12 months, the 12 months before the backtest's cut-off, and since it.
Baskets = namedtuple(
    "Baskets", "account_ids categ_ids industries key_rows current train recent"
)


class KamRecommendation(models.Model):
    """A product category to sell to a key account (DESIGN §13): one it does not
    buy that its peers buy together with what it buys. Computed by the
    scheduled action for each company from the purchases of all its customers
    (``tools/recommendation.py``); the KAM accepts it (a cross-sell
    opportunity) or dismisses it (not proposed again for 12 months)."""

    _name = "kam.recommendation"
    _inherit = ["kam.selection.order.mixin"]
    _description = "Key Account Recommendation"
    _kam_ordered_selections = ("state",)
    _order = "score desc, lift desc, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Key Account",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True, ondelete="cascade"
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    # the category's own name, for the narrow list on the account's form (the
    # full path "All / Saleable / ..." is cut there)
    categ_name = fields.Char(related="categ_id.name", string="Category")
    antecedent_categ_id = fields.Many2one(
        "product.category",
        string="Bought With",
        readonly=True,
        ondelete="set null",
        help="The category the account buys that its peers buy together with "
        "this one.",
    )
    scope = fields.Selection(
        SCOPES,
        string="Peer Group",
        readonly=True,
        help="Whose purchases the recommendation comes from: the customers of "
        "the account's industry and size band, or all customers.",
    )
    score = fields.Float(
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="The share of the peers buying what the account buys that buy this "
        "category too (the confidence of the rule, 0 to 1).",
    )
    lift = fields.Float(
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="How many times more often the peers buying what the account buys "
        "buy this category than all customers.",
    )
    support = fields.Float(
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="The share of all the peers that buy both categories.",
    )
    peer_count = fields.Integer(
        string="Peers Buying Both",
        readonly=True,
        aggregator="sum",
        help="The peers that buy this category and the one it is bought with.",
    )
    peer_total = fields.Integer(
        string="Peers Buying the Other",
        readonly=True,
        aggregator="sum",
        help="The peers that buy the category it is bought with.",
    )
    expected_revenue = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
        help="The median revenue of the peers that buy the category, over 12 "
        "months.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    # The reason is stored as data (a code and its values) and rendered when
    # read, in the reader's language, as the health evidence is.
    reason_code = fields.Char(readonly=True)
    reason_values = fields.Json(readonly=True)
    reason = fields.Char(compute="_compute_reason")
    state = fields.Selection(
        RECOMMENDATION_STATES, required=True, default="new", readonly=True, index=True
    )
    date = fields.Date(
        readonly=True, help="The last day the scheduled action proposed it."
    )
    dismiss_reason = fields.Text(
        help="Why the account will not buy it: it is not proposed again for 12 "
        "months."
    )
    dismiss_date = fields.Date(readonly=True)
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", readonly=True, ondelete="set null"
    )
    kam_user_id = fields.Many2one(
        related="partner_id.kam_user_id", string="Key Account Manager"
    )

    _sql_constraints = [
        (
            "account_categ_company_unique",
            "UNIQUE (partner_id, categ_id, company_id)",
            "A category is recommended once to an account in a company.",
        ),
    ]

    # ------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------
    @api.depends("partner_id", "categ_id")
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = self.env._(
                "%(category)s for %(account)s",
                category=rec.categ_id.name,
                account=rec.partner_id.name,
            )

    @api.depends("reason_code", "reason_values")
    @api.depends_context("lang")
    def _compute_reason(self):
        values = [rec.reason_values or {} for rec in self]
        names = {}
        # the names the reasons quote, one query per model (a category or an
        # industry deleted since is shown as "?")
        for kind, model, key in (
            ("categ", "product.category", "categ_id"),
            ("industry", "res.partner.industry", "industry_id"),
        ):
            ids = {value[key] for value in values if value.get(key)}
            if ids:
                records = (
                    self.env[model]
                    .with_context(active_test=False)
                    .search_fetch([("id", "in", list(ids))], ["name"])
                )
                names.update(((kind, record.id), record.name) for record in records)
        for rec, value in zip(self, values, strict=True):
            rec.reason = rec._kam_render_reason(rec.reason_code, value, names)

    def _kam_render_reason(self, code, values, names):
        """The sentence of a reason in the language of the environment."""
        if not code:
            return False
        count = values.get("count", 0)
        words = {
            "total": values.get("total", 0),
            "category": names.get(("categ", values.get("categ_id")), "?"),
            "lift": formatLang(self.env, values.get("lift", 0.0), digits=1),
        }
        if code == "bought_by_peers":
            return kam_plural(
                self.env,
                count,
                _lt(
                    "%(count)s of the %(total)s customers in %(industry)s of its "
                    "size that buy %(category)s buys it too: %(lift)s times the "
                    "rate of all customers."
                ),
                _lt(
                    "%(count)s of the %(total)s customers in %(industry)s of its "
                    "size that buy %(category)s buy it too: %(lift)s times the "
                    "rate of all customers."
                ),
                industry=names.get(("industry", values.get("industry_id")), "?"),
                **words,
            )
        return kam_plural(
            self.env,
            count,
            _lt(
                "%(count)s of the %(total)s customers that buy %(category)s buys "
                "it too: %(lift)s times the rate of all customers."
            ),
            _lt(
                "%(count)s of the %(total)s customers that buy %(category)s buy it "
                "too: %(lift)s times the rate of all customers."
            ),
            **words,
        )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    def write(self, vals):
        if not self.env.su and set(vals) - USER_FIELDS:
            raise AccessError(
                self.env._(
                    "Recommendations are computed: accept or dismiss them, with "
                    "the buttons."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def _kam_check_new(self):
        """The KAM, the team (the record rules) and the administrators act on
        the new recommendations only."""
        self.check_access("write")
        done = self.filtered(lambda rec: rec.state != "new")
        if done:
            raise UserError(
                self.env._(
                    "%(recommendation)s is already %(state)s.",
                    recommendation=done[0].display_name,
                    state=dict(self._fields["state"]._description_selection(self.env))[
                        done[0].state
                    ],
                )
            )

    def action_accept(self):
        """A cross-sell opportunity for each recommendation, tagged with its
        category, on the account's current plan, worth the expected revenue;
        opened."""
        self._kam_check_new()
        leads = self.env["crm.lead"]
        for rec in self:
            lead = self.env["crm.lead"]._kam_create_cross_sell(
                rec.partner_id, rec.categ_id, rec.company_id, rec.expected_revenue
            )
            rec.sudo().write({"state": "accepted", "lead_id": lead.id})
            leads |= lead
        if len(leads) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "crm.lead",
                "res_id": leads.id,
                "views": [(False, "form")],
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cross-sell Opportunities"),
            "res_model": "crm.lead",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", leads.ids)],
        }

    def action_dismiss(self):
        """Dismiss the recommendations, which need a reason: asked for in a
        dialog when one has none. Not proposed again for 12 months."""
        self._kam_check_new()
        if not all(self.mapped("dismiss_reason")):
            return {
                "type": "ir.actions.act_window",
                "name": self.env._("Dismiss Recommendations"),
                "res_model": "kam.recommendation.dismiss",
                "views": [(False, "form")],
                "target": "new",
                "context": {"default_recommendation_ids": self.ids},
            }
        self.sudo().write(
            {"state": "dismissed", "dismiss_date": self.env.company._kam_today()}
        )
        return True

    # ------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------
    @api.model
    def _cron_kam_refresh_recommendations(self):
        """Refresh the recommendations of every company; a company that fails
        is logged and costs the others nothing. A company refreshed today, or
        being refreshed by another run (two cron workers, a manual run), is
        left alone: one run per company and day."""
        for company in self.env["res.company"].sudo().search([]):
            with self._kam_company_turn(company) as ours:
                if not ours:
                    continue
                try:
                    self.sudo().with_company(company)._kam_refresh()
                except Exception:
                    _logger.exception("Recommendations failed for %s", company.name)
                    self.env.cr.rollback()

    @contextmanager
    def _kam_company_turn(self, company):
        """Whether this run refreshes ``company``: not while another run holds
        it, nor when it was refreshed today. In a scheduled action the lock is
        the session's (the refresh commits batch by batch, which would release a
        transaction's), checked on a fresh snapshot once held, released after
        the refresh is committed; in a request (Run Manually) the transaction's,
        released with its commit."""
        cr = self.env.cr
        in_cron = in_scheduled_action(self.env)
        lock = "pg_try_advisory_lock" if in_cron else "pg_try_advisory_xact_lock"
        cr.execute(SQL("SELECT %s(%s, %s)", SQL(lock), RUN_LOCK_NAMESPACE, company.id))
        if not cr.fetchone()[0]:
            yield False
            return
        try:
            if in_cron:
                new_transaction(self.env)  # sees what the other runs committed
            refreshed = (
                self.env["kam.recommendation.run"]
                .sudo()
                .search_count(
                    [
                        ("company_id", "=", company.id),
                        ("date", "=", company._kam_today()),
                    ],
                    limit=1,
                )
            )
            yield not refreshed
            if in_cron:
                cr.commit()  # pylint: disable=invalid-commit
        finally:
            if in_cron:
                cr.execute(
                    SQL(
                        "SELECT pg_advisory_unlock(%s, %s)",
                        RUN_LOCK_NAMESPACE,
                        company.id,
                    )
                )

    @api.model
    def _kam_refresh(self, today=None, k=maths.TOP_K):
        """Recommend up to ``k`` categories to each key account of the current
        company from the purchases of its customers up to ``today``, store them
        by batches (an upsert: a re-run updates the new ones, keeps the accepted
        ones and those dismissed less than 12 months ago, and drops the new
        ones that no longer hold) and backtest the method. Returns the
        ``kam.recommendation.run``."""
        company = self.env.company
        today = today or company._kam_today()
        baskets = self._kam_read_baskets(company, today)
        rules = maths.recommend(
            baskets.current, baskets.industries, baskets.key_rows, k
        )
        by_account = {
            int(baskets.account_ids[row]): [
                self._kam_rule_values(rule, baskets, row) for rule in found
            ]
            for row, found in rules.items()
        }
        accounts = self.env["res.partner"].search(
            [
                ("is_key_account", "=", True),
                ("company_id", "in", [company.id, False]),
            ],
            order="id",
        )
        self._kam_drop_former_accounts(company)
        failed = run_in_batches(
            self.env,
            accounts.ids,
            lambda ids: self._kam_store(company, today, ids, by_account),
            BATCH_SIZE,
            "Recommendations",
        )
        hit_rate, baseline, evaluated = self._kam_backtest(baskets, k)
        return (
            self.env["kam.recommendation.run"]
            .sudo()
            .create(
                {
                    "company_id": company.id,
                    "date": today,
                    "k": k,
                    "accounts": evaluated,
                    "hit_rate": hit_rate,
                    "baseline_hit_rate": baseline,
                    "customer_count": len(baskets.account_ids),
                    "category_count": len(baskets.categ_ids),
                    "recommendation_count": sum(map(len, by_account.values())),
                    "failed_count": len(failed),
                }
            )
        )

    @api.model
    def _kam_read_baskets(self, company, today):
        """What every customer of ``company`` bought, per category (at the
        level the company sells at), in one aggregate query over its revenue
        lines (its own documents only: never another company's), over the 12
        months before ``today`` and the 12 months before the backtest's
        cut-off."""
        cutoff = today - relativedelta(months=BACKTEST_MONTHS)
        train_from = cutoff - relativedelta(years=1)
        year_ago = today - relativedelta(years=1)
        level = self.env["product.category"]._kam_level_sql(
            "c", company._kam_whitespace_depth()
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT src.account_id, %(level)s AS categ_id,
                       COALESCE(a.industry_id, 0),
                       COALESCE(a.is_key_account, FALSE)
                           AND (a.company_id IS NULL OR a.company_id = %(company)s),
                       COALESCE(SUM(src.amount) FILTER (
                           WHERE src.date > %(year_ago)s), 0),
                       COALESCE(SUM(src.amount) FILTER (
                           WHERE src.date <= %(cutoff)s), 0),
                       COALESCE(SUM(src.amount) FILTER (
                           WHERE src.date > %(cutoff)s), 0)
                  FROM kam_revenue_line src
                  JOIN product_category c ON c.id = src.categ_id
                  JOIN res_partner a ON a.id = src.account_id
                 WHERE src.company_id = %(company)s
                   AND src.date > %(train_from)s AND src.date <= %(today)s
              GROUP BY 1, 2, 3, 4
                """,
                level=level,
                company=company.id,
                year_ago=year_ago,
                cutoff=cutoff,
                train_from=train_from,
                today=today,
            )
        )
        rows = self.env.cr.fetchall()
        if not rows:
            empty = sparse.csr_matrix((0, 0))
            return Baskets(np.array([], int), np.array([], int), [], [], *[empty] * 3)
        columns = list(zip(*rows, strict=True))
        account_ids, account_rows = np.unique(columns[0], return_inverse=True)
        categ_ids, categ_cols = np.unique(columns[1], return_inverse=True)
        shape = (len(account_ids), len(categ_ids))
        industries = np.zeros(shape[0], dtype=int)
        industries[account_rows] = columns[2]
        key = np.zeros(shape[0], dtype=bool)
        key[account_rows] = columns[3]

        def matrix(values):
            return sparse.csr_matrix(
                (np.asarray(values, dtype=float), (account_rows, categ_cols)), shape
            )

        return Baskets(
            account_ids,
            categ_ids,
            industries,
            np.flatnonzero(key),
            *(matrix(columns[i]) for i in (4, 5, 6)),
        )

    @api.model
    def _kam_rule_values(self, rule, baskets, row):
        """The columns of a recommendation from a rule of ``maths.recommend``."""
        peers = rule.scope == maths.SCOPE_PEERS
        antecedent = int(baskets.categ_ids[rule.antecedent])
        values = {
            "count": rule.peer_count,
            "total": rule.peer_total,
            "categ_id": antecedent,
            "lift": round(rule.lift, 1),
        }
        if peers:
            values["industry_id"] = int(baskets.industries[row])
        return {
            "categ_id": int(baskets.categ_ids[rule.categ]),
            "antecedent_categ_id": antecedent,
            "scope": rule.scope,
            "score": rule.score,
            "lift": rule.lift,
            "support": rule.support,
            "peer_count": rule.peer_count,
            "peer_total": rule.peer_total,
            "expected_revenue": rule.expected,
            "reason_code": "bought_by_peers" if peers else "bought_by_customers",
            "reason_values": json.dumps(values),
        }

    @api.model
    def _kam_drop_former_accounts(self, company):
        """The new recommendations of partners that are no key accounts any
        more go."""
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM kam_recommendation r USING res_partner p
                 WHERE p.id = r.partner_id AND r.company_id = %s AND r.state = 'new'
                   AND NOT COALESCE(p.is_key_account, FALSE)
                """,
                company.id,
            )
        )

    @api.model
    def _kam_store(self, company, today, account_ids, by_account):
        """Upsert the recommendations of the accounts ``account_ids`` (two
        statements): the new ones are updated, or proposed again when dismissed
        more than 12 months ago; the accepted ones and those dismissed since
        stay as they are; the new ones no longer found go."""
        rows = [
            (account_id, values)
            for account_id in account_ids
            for values in by_account.get(account_id, ())
        ]

        def column(name, cast):
            return SQL("%s::%s", [values[name] for _id, values in rows], SQL(cast))

        uid = self.env.uid
        if rows:
            self.env.cr.execute(
                SQL(
                    """
                    INSERT INTO kam_recommendation AS r (
                        partner_id, company_id, categ_id, antecedent_categ_id,
                        scope, score, lift, support, peer_count, peer_total,
                        expected_revenue, reason_code, reason_values, state, date,
                        create_uid, write_uid, create_date, write_date)
                    SELECT p.partner_id, %(company)s, p.categ_id,
                           p.antecedent_categ_id, p.scope, p.score, p.lift,
                           p.support, p.peer_count, p.peer_total,
                           p.expected_revenue, p.reason_code, p.reason_values, 'new',
                           %(today)s, %(uid)s, %(uid)s,
                           now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                      FROM unnest(%(partner)s::int[], %(categ)s, %(antecedent)s,
                                  %(scope)s, %(score)s, %(lift)s, %(support)s,
                                  %(peer_count)s, %(peer_total)s, %(expected)s,
                                  %(code)s, %(values)s)
                           AS p(partner_id, categ_id, antecedent_categ_id, scope,
                                score, lift, support, peer_count, peer_total,
                                expected_revenue, reason_code, reason_values)
                    ON CONFLICT (partner_id, categ_id, company_id) DO UPDATE SET
                        antecedent_categ_id = EXCLUDED.antecedent_categ_id,
                        scope = EXCLUDED.scope, score = EXCLUDED.score,
                        lift = EXCLUDED.lift, support = EXCLUDED.support,
                        peer_count = EXCLUDED.peer_count,
                        peer_total = EXCLUDED.peer_total,
                        expected_revenue = EXCLUDED.expected_revenue,
                        reason_code = EXCLUDED.reason_code,
                        reason_values = EXCLUDED.reason_values,
                        state = 'new', dismiss_reason = NULL, dismiss_date = NULL,
                        date = EXCLUDED.date, write_uid = EXCLUDED.write_uid,
                        write_date = EXCLUDED.write_date
                     WHERE r.state = 'new'
                        OR (r.state = 'dismissed' AND r.dismiss_date <= %(expired)s)
                    """,
                    company=company.id,
                    today=today,
                    uid=uid,
                    partner=[account_id for account_id, _values in rows],
                    categ=column("categ_id", "int[]"),
                    antecedent=column("antecedent_categ_id", "int[]"),
                    scope=column("scope", "varchar[]"),
                    score=column("score", "float8[]"),
                    lift=column("lift", "float8[]"),
                    support=column("support", "float8[]"),
                    peer_count=column("peer_count", "int[]"),
                    peer_total=column("peer_total", "int[]"),
                    expected=column("expected_revenue", "numeric[]"),
                    code=column("reason_code", "varchar[]"),
                    values=column("reason_values", "jsonb[]"),
                    expired=today - relativedelta(months=DISMISS_MONTHS),
                )
            )
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM kam_recommendation r
                 WHERE r.company_id = %(company)s AND r.state = 'new'
                   AND r.partner_id = ANY(%(accounts)s)
                   AND NOT EXISTS (
                       SELECT 1
                         FROM unnest(%(partner)s::int[], %(categ)s::int[])
                              AS p(partner_id, categ_id)
                        WHERE p.partner_id = r.partner_id
                          AND p.categ_id = r.categ_id)
                """,
                company=company.id,
                accounts=list(account_ids),
                partner=[account_id for account_id, _values in rows],
                categ=[values["categ_id"] for _id, values in rows],
            )
        )
        self.invalidate_model()

    @api.model
    def _kam_backtest(self, baskets, k):
        """The hit rates at ``k`` of the method and of the baseline (the most
        bought categories) for the key accounts, recommending from the 12
        months up to the cut-off and scoring against the categories they bought
        since for the first time: ``(hit rate, baseline hit rate, accounts
        scored)``."""
        train = baskets.train
        before = maths.bought_matrix(train)
        since = maths.bought_matrix(baskets.recent)
        # the key accounts that bought before the cut-off
        targets = [
            row
            for row in baskets.key_rows
            if before.indptr[row + 1] > before.indptr[row]
        ]
        if not targets:
            return 0.0, 0.0, 0
        truth = {
            row: set(since[row].indices.tolist()) - set(before[row].indices.tolist())
            for row in targets
        }
        proposed = {
            row: [rule.categ for rule in rules]
            for row, rules in maths.recommend(
                train, baskets.industries, targets, k
            ).items()
        }
        hit_rate = maths.hit_rate(proposed, truth)
        if hit_rate is None:
            return 0.0, 0.0, 0
        baseline = maths.hit_rate(maths.popular(train, targets, k), truth)
        return hit_rate, baseline, sum(1 for categs in truth.values() if categs)

    # ------------------------------------------------------------
    # Landing page
    # ------------------------------------------------------------
    @api.model
    def _kam_check_user(self):
        if not self.env.user.has_group(KAM_USER_GROUP):
            raise AccessError(
                self.env._("Only Key Account Management users see recommendations.")
            )
