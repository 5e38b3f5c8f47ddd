import logging
import math
from collections import namedtuple
from datetime import timedelta

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Command
from odoo.tools import SQL, format_date

from ..tools import buying_model, run_in_batches
from ..tools.buying_model import MIN_CUSTOMERS
from .kam_health_engine import _pg_array
from .res_partner_buying import KAM_BUYING_FIELDS

_logger = logging.getLogger(__name__)

KAM_MANAGER_GROUP = "kam_management.group_kam_manager"
# The last line of the backtest counts the customers with this many repeat
# purchases or more.
BACKTEST_MAX_PURCHASES = 7
# Horizons of the customers' figures, in weeks (the models' unit), and months
# of the lifetime value.
WEEKS_90_DAYS = 90 / 7
WEEKS_12_MONTHS = 52
CLV_MONTHS = 36
# Customers whose figures one UPDATE writes.
WRITE_BATCH = 10_000
# Advisory lock (two-key form, with the company's id) serialising the fits of
# one company: the cron and the button.
FIT_LOCK_KEY = 7_311_424

FAILURE_REASONS = [
    ("too_few_customers", "Too few customers"),
    ("too_few_repeat_customers", "Too few repeat customers"),
    ("no_repeat", "No repeat purchases"),
    ("no_convergence", "No convergence"),
    ("infinite_mean", "Purchase values too dispersed"),
    ("invalid_data", "Invalid data"),
]

# The purchases of the customers of a company, one value per customer (numpy
# arrays, times in weeks): as of the fit's date (x, t_x, T, m) and as of the
# start of the holdout (``*_cal``; T_cal < 0 for a customer unknown then), with
# the purchases made in the holdout.
Purchases = namedtuple("Purchases", "ids x t_x T m x_cal t_x_cal T_cal holdout")


class KamBuyingModel(models.Model):
    """The buying model of a company as of a day (DESIGN §12): BG/NBD for the
    number of purchases, Gamma-Gamma for their value, fitted on all the
    customers of the company, with a backtest on a holdout. Created by
    ``_kam_fit`` only (the weekly scheduled action, the managers' button): the
    figures are never typed in."""

    _name = "kam.buying.model"
    _description = "Buying Model"
    _order = "date desc, id desc"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    date = fields.Date(
        string="As of",
        required=True,
        readonly=True,
        help="The fit reads the documents up to this day.",
    )
    customer_count = fields.Integer(
        string="Customers",
        readonly=True,
        help="Customers with a purchase up to the date: every customer of the "
        "company, the units of a corporate group counted as their key account.",
    )
    state = fields.Selection(
        [("fitted", "Fitted"), ("failed", "Failed")],
        required=True,
        readonly=True,
        default="fitted",
    )
    failure_reason = fields.Selection(
        FAILURE_REASONS,
        readonly=True,
        help="Why the fit failed: it changed no customer's figures.",
    )
    backtest_failure_reason = fields.Selection(
        FAILURE_REASONS,
        readonly=True,
        help="Why the backtest could not be fitted on the data before the holdout.",
    )
    message = fields.Text(
        compute="_compute_message",
        help="Why the fit or its backtest failed, in the reader's language.",
    )
    # BG/NBD, Fader, Hardie & Lee (2005), times in weeks
    r = fields.Float(readonly=True, help="BG/NBD: shape of the purchase rates.")
    alpha = fields.Float(
        readonly=True, help="BG/NBD: scale of the purchase rates, in weeks."
    )
    a = fields.Float(readonly=True, help="BG/NBD: dropout probability, first shape.")
    b = fields.Float(readonly=True, help="BG/NBD: dropout probability, second shape.")
    log_likelihood = fields.Float(
        readonly=True, help="BG/NBD log-likelihood of the purchases."
    )
    # Gamma-Gamma, Fader, Hardie & Lee (2005), in the company's currency
    p = fields.Float(readonly=True, help="Gamma-Gamma: shape of a purchase's value.")
    q = fields.Float(
        readonly=True, help="Gamma-Gamma: shape of the customers' spending rates."
    )
    gamma = fields.Float(
        readonly=True,
        help="Gamma-Gamma: scale of the customers' spending rates, in the "
        "company's currency.",
    )
    # Backtest
    holdout_weeks = fields.Integer(
        string="Holdout (weeks)",
        readonly=True,
        help="The backtest fits on the data up to this many weeks before the date "
        "and predicts the purchases of those weeks (0: no backtest).",
    )
    holdout_purchases_actual = fields.Integer(
        string="Actual Purchases in the Holdout",
        readonly=True,
        help="Purchases made in the holdout by the customers known before it.",
    )
    holdout_purchases_predicted = fields.Float(
        string="Predicted Purchases in the Holdout",
        readonly=True,
        help="Purchases the backtest's model expected from those customers in the "
        "holdout.",
    )
    line_ids = fields.One2many(
        "kam.buying.model.line",
        "model_id",
        string="Backtest",
        readonly=True,
    )

    @api.depends("company_id", "date")
    def _compute_display_name(self):
        for model in self:
            model.display_name = self.env._(
                "Buying model of %(date)s",
                date=format_date(self.env, model.date) if model.date else "",
            )

    @api.depends("failure_reason", "backtest_failure_reason", "date", "holdout_weeks")
    @api.depends_context("lang")
    def _compute_message(self):
        for model in self:
            if model.failure_reason:
                model.message = self.env._(
                    "The fit failed: %(reason)s The customers' figures were kept "
                    "as they were.",
                    reason=model._kam_failure_sentence(
                        model.failure_reason, model.date
                    ),
                )
            elif model.backtest_failure_reason:
                model.message = self.env._(
                    "No backtest: %(reason)s",
                    reason=model._kam_failure_sentence(
                        model.backtest_failure_reason,
                        model.date - timedelta(weeks=model.holdout_weeks),
                    ),
                )
            else:
                model.message = False

    def _kam_failure_sentence(self, reason, day):
        """Why a fit on the documents up to ``day`` failed, in the reader's
        language."""
        day = format_date(self.env, day)
        if reason == "too_few_customers":
            return self.env._(
                "fewer than %(min)s customers bought up to %(date)s, too few to "
                "learn the rhythm of their purchases.",
                min=MIN_CUSTOMERS,
                date=day,
            )
        if reason == "too_few_repeat_customers":
            return self.env._(
                "fewer than %(min)s customers bought on more than one day up to "
                "%(date)s, too few to learn the value of a purchase.",
                min=MIN_CUSTOMERS,
                date=day,
            )
        if reason == "no_repeat":
            return self.env._(
                "no customer bought on more than one day up to %(date)s: there is "
                "no rhythm of purchases to learn.",
                date=day,
            )
        if reason == "no_convergence":
            return self.env._(
                "the purchases up to %(date)s give no stable model (too few "
                "customers, or customers too much alike, to tell them apart).",
                date=day,
            )
        if reason == "infinite_mean":
            return self.env._(
                "the value of a purchase varies so much from one customer to "
                "another up to %(date)s that it has no average.",
                date=day,
            )
        return self.env._(
            "the purchases up to %(date)s cannot be summed up (a date or an "
            "amount is not valid).",
            date=day,
        )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def action_kam_fit(self):
        """Fit the current company's model now, with the company's holdout, and
        open it."""
        model = self._kam_fit(holdout_weeks=self.env.company.kam_buying_holdout_weeks)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": model.id,
            "views": [(False, "form")],
            "target": "current",
        }

    # ------------------------------------------------------------
    # Fit
    # ------------------------------------------------------------
    @api.model
    def _kam_fit(self, date=None, holdout_weeks=0):
        """Fit the buying model of the current company (``env.company``) on its
        documents up to ``date`` (default: the company's today), store the
        customers' figures as of that date and return the new model; with
        ``holdout_weeks``, backtest a fit on the documents up to ``date`` −
        ``holdout_weeks`` against the purchases made after it.

        A failed fit is stored with its reason and changes no customer's
        figures. KAM administrators (and the scheduled action) only."""
        if not self.env.su and not self.env.user.has_group(KAM_MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only Key Account Management administrators can fit the buying "
                    "model."
                )
            )
        company = self.env.company
        date = date or company._kam_today()
        holdout_weeks = max(int(holdout_weeks or 0), 0)
        self.env.flush_all()  # the revenue lines are read in SQL
        self.env.cr.execute(
            SQL("SELECT pg_advisory_xact_lock(%s, %s)", FIT_LOCK_KEY, company.id)
        )
        purchases = self._kam_read_purchases(
            company, date, date - timedelta(weeks=holdout_weeks)
        )
        vals = {
            "company_id": company.id,
            "date": date,
            "customer_count": len(purchases.ids),
            "holdout_weeks": holdout_weeks,
        }
        fits = self._kam_fit_models(purchases, vals)
        if fits and holdout_weeks:
            vals.update(self._kam_backtest(purchases, holdout_weeks))
        model = self.sudo().create(vals)
        if fits:
            self._kam_store_figures(company, date, purchases, *fits)
        return self.browse(model.id)

    @api.model
    def _kam_read_purchases(self, company, date, calibration_end):
        """The customers' purchases in ``company`` up to ``date``, in one query
        over the revenue lines (``kam.revenue.line``: its documents and those
        of no company, in its currency; the customer is the account a document
        counts for). A purchase is a day whose documents add up to more than
        0, or whose documents all have no amount (a free order, a deal won
        without its amount: the customer bought, the papers count such
        purchases too); its value is the day's total. A day of credit notes, or
        of a sale cancelled the same day, is none."""
        self.env.cr.execute(
            SQL(
                """
                WITH days AS (
                    SELECT src.account_id, src.date, SUM(src.amount) AS amount,
                           MIN(src.date) OVER (PARTITION BY src.account_id) AS first
                      FROM kam_revenue_line src
                     WHERE src.account_id IS NOT NULL AND src.date <= %(date)s
                       AND (src.company_id = %(company)s OR src.company_id IS NULL)
                  GROUP BY src.account_id, src.date
                    HAVING SUM(src.amount) > 0
                        OR BOOL_AND(COALESCE(src.amount, 0) = 0)
                )
                SELECT account_id,
                       COUNT(*) - 1,
                       MAX(date) - MIN(date),
                       %(date)s::date - MIN(date),
                       COALESCE(SUM(amount) FILTER (WHERE date > first), 0)::float8,
                       COUNT(*) FILTER (WHERE date <= %(calibration_end)s) - 1,
                       COALESCE(MAX(date) FILTER (WHERE date <= %(calibration_end)s)
                                - MIN(date), 0),
                       %(calibration_end)s::date - MIN(date),
                       COUNT(*) FILTER (WHERE date > %(calibration_end)s)
                  FROM days
              GROUP BY account_id
              ORDER BY account_id
                """,
                date=date,
                company=company.id,
                calibration_end=calibration_end,
            )
        )
        rows = self.env.cr.fetchall()
        columns = np.array(rows, dtype=float).reshape(len(rows), 9).T
        ids, x, recency, age, repeat_amount, x_cal, recency_cal, age_cal, holdout = (
            columns
        )
        # times in weeks; the value of a purchase is the mean of the repeat ones
        m = np.divide(repeat_amount, x, out=np.zeros_like(x), where=x > 0)
        return Purchases(
            ids.astype(int).tolist(),
            x,
            recency / 7,
            age / 7,
            m,
            x_cal,
            recency_cal / 7,
            age_cal / 7,
            holdout,
        )

    @api.model
    def _kam_fit_models(self, purchases, vals):
        """Fit BG/NBD on every customer and Gamma-Gamma on those with repeat
        purchases; put their parameters, or the reason of a failure, in
        ``vals``. Returns the two fits, or None after a failure."""
        try:
            bgnbd = buying_model.fit_bgnbd(purchases.x, purchases.t_x, purchases.T)
        except buying_model.BuyingModelError as error:
            return self._kam_failed(vals, "failure_reason", error)
        vals.update(bgnbd.params._asdict(), log_likelihood=bgnbd.log_likelihood)
        # the value model learns from the customers whose repeat purchases have
        # a value
        valued = purchases.m > 0
        try:
            gamma_gamma = buying_model.fit_gamma_gamma(
                purchases.x[valued], purchases.m[valued]
            )
        except buying_model.BuyingModelError as error:
            return self._kam_failed(vals, "failure_reason", error, repeat=True)
        vals.update(gamma_gamma.params._asdict())
        return bgnbd.params, gamma_gamma.params

    @api.model
    def _kam_failed(self, vals, field, error, repeat=False):
        """Put the reason of ``error`` in ``vals[field]`` (the whole fit's
        failure also sets the state); ``repeat`` for the Gamma-Gamma fit, on the
        customers with repeat purchases."""
        _logger.info("Buying model fit failed: %s", error)
        reason = error.code
        if repeat and reason == "too_few_customers":
            reason = "too_few_repeat_customers"
        if reason not in dict(FAILURE_REASONS):
            reason = "invalid_data"
        vals[field] = reason
        if field == "failure_reason":
            vals["state"] = "failed"
        return None

    @api.model
    def _kam_backtest(self, purchases, holdout_weeks):
        """The backtest's values: BG/NBD fitted on the customers known at the
        start of the holdout, with their purchases before it; the purchases it
        predicts for them in the holdout against those they made, in total and
        per number of repeat purchases before the holdout (0 to 7 or more)."""
        vals = {}
        known = purchases.T_cal >= 0
        x, t_x, T = (
            purchases.x_cal[known],
            purchases.t_x_cal[known],
            purchases.T_cal[known],
        )
        actual = purchases.holdout[known]
        try:
            fit = buying_model.fit_bgnbd(x, t_x, T)
        except buying_model.BuyingModelError as error:
            self._kam_failed(vals, "backtest_failure_reason", error)
            return vals
        predicted = buying_model.expected_purchases(
            fit.params, holdout_weeks, x, t_x, T
        )
        buckets = np.minimum(x, BACKTEST_MAX_PURCHASES).astype(int)
        size = BACKTEST_MAX_PURCHASES + 1
        customers = np.bincount(buckets, minlength=size)
        actual_sums = np.bincount(buckets, weights=actual, minlength=size)
        predicted_sums = np.bincount(buckets, weights=predicted, minlength=size)
        vals.update(
            holdout_purchases_actual=int(actual.sum()),
            holdout_purchases_predicted=float(predicted.sum()),
            line_ids=[
                Command.create(
                    {
                        "purchases": purchases_before,
                        "customers": int(customers[purchases_before]),
                        "actual": int(actual_sums[purchases_before]),
                        "predicted": float(predicted_sums[purchases_before]),
                    }
                )
                for purchases_before in range(size)
            ],
        )
        return vals

    # ------------------------------------------------------------
    # Customers' figures
    # ------------------------------------------------------------
    @api.model
    def _kam_customer_figures(self, company, purchases, bgnbd, gamma_gamma):
        """``{field: array}``: each customer's figures in ``KAM_BUYING_FIELDS``
        (the date aside), NaN for no figure."""
        x, t_x, T, m = purchases.x, purchases.t_x, purchases.T, purchases.m
        value = buying_model.expected_mean_value(gamma_gamma, x, m)
        return {
            "kam_p_active": buying_model.probability_alive(bgnbd, x, t_x, T),
            "kam_expected_purchases_90d": buying_model.expected_purchases(
                bgnbd, WEEKS_90_DAYS, x, t_x, T
            ),
            "kam_predicted_revenue_12m": buying_model.expected_purchases(
                bgnbd, WEEKS_12_MONTHS, x, t_x, T
            )
            * value,
            "kam_clv": buying_model.discounted_clv(
                bgnbd,
                gamma_gamma,
                x,
                t_x,
                T,
                m,
                months=CLV_MONTHS,
                yearly_rate=company.kam_clv_discount_rate / 100,
            ),
            "kam_purchase_interval_days": np.divide(
                t_x * 7, x, out=np.full_like(x, np.nan), where=x > 0
            ),
        }

    @api.model
    def _kam_store_figures(self, company, date, purchases, bgnbd, gamma_gamma):
        """Write the customers' figures of ``company`` in the jsonb columns of
        the company-dependent fields, one statement per batch of customers, the
        other companies' values kept; then take this company's figures off the
        customers of an earlier fit that this one did not see (no purchase
        left in the company, or now counted for their group): they have none,
        rather than stale ones."""
        figures = self._kam_customer_figures(company, purchases, bgnbd, gamma_gamma)
        # the columns of a batch: the figures, and the days from the last
        # purchase to the date, which give the day of the last purchase
        columns = dict(figures, idle_days=np.rint((purchases.T - purchases.t_x) * 7))
        names = list(columns)
        key = str(company.id)

        def set_value(name, value):
            # the company's key replaced, or taken off for no figure (NULL)
            return SQL(
                "%(column)s = (COALESCE(p.%(column)s, '{}'::jsonb) - %(key)s)"
                " || jsonb_strip_nulls(jsonb_build_object(%(key)s, %(value)s))",
                column=SQL.identifier(name),
                key=key,
                value=value,
            )

        assignments = SQL(", ").join(
            [set_value(name, SQL.identifier("f", name)) for name in figures]
            + [
                set_value(
                    "kam_last_purchase_date",
                    SQL("%s::date - f.idle_days::int", date),
                ),
                set_value("kam_buying_date", SQL("%s::date", date)),
            ]
        )
        for start in range(0, len(purchases.ids), WRITE_BATCH):
            batch = slice(start, start + WRITE_BATCH)
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE res_partner p SET %(assignments)s
                      FROM unnest(%(ids)s::int[], %(columns)s) AS f(id, %(names)s)
                     WHERE p.id = f.id
                    """,
                    assignments=assignments,
                    ids=_pg_array(purchases.ids[batch]),
                    columns=SQL(", ").join(
                        SQL("%s::float8[]", _pg_float_array(columns[name][batch]))
                        for name in names
                    ),
                    names=SQL(", ").join(SQL.identifier(name) for name in names),
                )
            )
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p SET %(assignments)s
                 WHERE p.kam_buying_date ? %(key)s
                   AND p.id NOT IN (SELECT unnest(%(ids)s::int[]))
             RETURNING p.id
                """,
                assignments=SQL(", ").join(
                    SQL(
                        "%(column)s = p.%(column)s - %(key)s",
                        column=SQL.identifier(name),
                        key=key,
                    )
                    for name in KAM_BUYING_FIELDS
                ),
                key=key,
                ids=_pg_array(purchases.ids),
            )
        )
        stale = [row[0] for row in self.env.cr.fetchall()]
        partners = self.env["res.partner"].browse(purchases.ids + stale)
        partners.invalidate_recordset(list(KAM_BUYING_FIELDS))
        partners.modified(list(KAM_BUYING_FIELDS))

    # ------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------
    @api.model
    def _cron_kam_fit_buying_models(self):
        """Fit the model of every company, each in its own company context
        with its own holdout, committed company by company: a company whose
        fit fails does not stop the others. A company already fitted today
        (by a run killed after it, or by another run at the same time) is not
        fitted again."""
        companies = self.env["res.company"].search([], order="id")
        run_in_batches(
            self.env, companies.ids, self._kam_fit_companies, 1, "Buying model fit"
        )

    @api.model
    def _kam_fit_companies(self, company_ids):
        for company in self.env["res.company"].browse(company_ids):
            today = [
                ("company_id", "=", company.id),
                ("date", "=", company._kam_today()),
            ]
            if self.sudo().search_count(today, limit=1):
                continue
            self.with_company(company)._kam_fit(
                holdout_weeks=company.kam_buying_holdout_weeks
            )


def _pg_float_array(values):
    """PostgreSQL array literal of the floats ``values``, NULL for a value that
    is not finite (no figure)."""
    return _pg_array(
        value if math.isfinite(value) else None for value in np.asarray(values).tolist()
    )
