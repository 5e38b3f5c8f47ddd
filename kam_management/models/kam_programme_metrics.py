from datetime import date, timedelta

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from ..tools.values import KAM_DATE_MAX, KAM_DATE_MIN

# The figures of _kam_account_metrics, in the order of its query's columns.
ACCOUNT_METRICS = (
    "accounts_start",
    "accounts_end",
    "accounts_retained",
    "revenue",
    "revenue_previous",
    "expansion_revenue",
    "time_to_value",
)
# Figures of the breakdowns per KAM and strategy, summed over the accounts: all
# but the time to value.
BREAKDOWN_SUMS = ACCOUNT_METRICS[:-1]


class KamProgrammeMetrics(models.AbstractModel):
    """Metrics of the key account programme over a period.

    Key accounts at a moment: the designation history (tracking of "Key Account")
    gives the state before the first change after that moment; without a later
    change the account counts when it is a key account today and was designated
    (``kam_since``) before that moment. Revenue and expansion revenue are those of
    ``kam.account.revenue`` for the accounts that are key accounts at the end of
    the period; growth compares the period with the period of the same length
    just before it. The programme cost is the budget of the plans of the period;
    the return on investment (ROI, in percent) is the revenue growth less that
    cost, over that cost. Only the accounts, plans and escalations the user may
    read count; amounts are those of ``kam.account.revenue`` (the currency of the
    user's current company).
    """

    _name = "kam.programme.metrics"
    _description = "Key Account Programme Metrics Engine"

    @api.model
    def _kam_programme_metrics(self, date_from, date_to, partner_ids=None):
        """The metrics of the period [date_from, date_to] in two queries, over the
        accounts the user may read (among ``partner_ids`` when given)."""
        self._kam_check_period(date_from, date_to)
        self.env.flush_all()  # the figures are read with SQL
        accounts = self._kam_account_metrics(date_from, date_to, partner_ids)
        escalations = self._kam_escalation_metrics(date_from, date_to, partner_ids)
        cost = self._kam_programme_cost(date_from, date_to, partner_ids)
        start, retained = accounts["accounts_start"], accounts["accounts_retained"]
        revenue, previous = accounts["revenue"], accounts["revenue_previous"]
        return {
            **accounts,
            **escalations,
            "retention_rate": retained / start * 100 if start else 0.0,
            "revenue_growth": (revenue - previous) / previous * 100
            if previous
            else 0.0,
            "programme_cost": cost,
            "roi": (revenue - previous - cost) / cost * 100 if cost else None,
        }

    @api.model
    def _kam_programme_cost(self, date_from, date_to, partner_ids):
        """The budgets of the active and closed plans whose period overlaps
        [date_from, date_to], among the plans the user may read, converted like
        revenue at the start of each plan."""
        domain = [
            ("state", "in", ["active", "closed"]),
            ("date_start", "<=", date_to),
            ("date_end", ">=", date_from),
        ]
        if partner_ids is not None:
            domain.append(("partner_id", "in", partner_ids))
        plans = self.env["kam.account.plan"]._search(domain)
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(SUM(%(budget)s), 0)
                  FROM kam_account_plan pl
                  JOIN res_company pc ON pc.id = pl.company_id
                 WHERE pl.id IN %(plans)s
                """,
                budget=self.env["kam.account.revenue"]._kam_converted(
                    SQL("pl.budget"), SQL("pc.currency_id"), SQL("pl.date_start")
                ),
                plans=plans.subselect(),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _kam_key_account_states(self, start, end, partners):
        """CTEs ``changes`` and ``states`` (``id``, ``key_start``, ``key_end``,
        ``kam_since``): whether each account was a key account at the start of
        the day ``start`` and at the start of the day ``end`` (in the
        programme's time zone), among the partner ids of the subquery
        ``partners``."""
        company = self.env.company
        field = self.env["ir.model.fields"]._get("res.partner", "is_key_account")
        return SQL(
            """
changes AS (
    SELECT m.res_id AS partner_id, m.date, v.old_value_integer AS old_value
      FROM mail_tracking_value v
      JOIN mail_message m ON m.id = v.mail_message_id
     WHERE m.model = 'res.partner' AND v.field_id = %(field)s
), candidates AS (
    SELECT p.id, p.is_key_account, p.kam_since
      FROM res_partner p
     WHERE p.id IN %(partners)s
       AND (p.is_key_account OR p.id IN (SELECT partner_id FROM changes))
), states AS (
    SELECT c.id,
           COALESCE(
               (SELECT ch.old_value = 1 FROM changes ch
                 WHERE ch.partner_id = c.id AND ch.date >= %(start)s
              ORDER BY ch.date, ch.partner_id LIMIT 1),
               c.is_key_account AND c.kam_since < %(start_date)s
           ) AS key_start,
           COALESCE(
               (SELECT ch.old_value = 1 FROM changes ch
                 WHERE ch.partner_id = c.id AND ch.date >= %(end)s
              ORDER BY ch.date, ch.partner_id LIMIT 1),
               c.is_key_account AND c.kam_since < %(end_date)s
           ) AS key_end,
           c.kam_since
      FROM candidates c
)
""",
            field=field.id,
            partners=partners,
            start=company._kam_day_start(start),
            end=company._kam_day_start(end),
            start_date=start,
            end_date=end,
        )

    @api.model
    def _kam_account_metrics(self, date_from, date_to, partner_ids):
        """Key accounts at start and end, retained, revenue of the period and of
        the period before, expansion revenue and time to value, in one query."""
        domain = [] if partner_ids is None else [("id", "in", partner_ids)]
        partners = (
            self.env["res.partner"].with_context(active_test=False)._search(domain)
        )
        self.env.cr.execute(
            self._kam_account_metrics_query(date_from, date_to, partners.subselect())
        )
        metrics = dict(zip(ACCOUNT_METRICS, self.env.cr.fetchone(), strict=True))
        metrics["time_to_value"] = float(metrics["time_to_value"] or 0.0)
        return metrics

    @api.model
    def _kam_account_metrics_query(self, date_from, date_to, partners):
        """The SQL of ``_kam_account_metrics``, the columns of ACCOUNT_METRICS;
        ``partners`` is an SQL subquery of partner ids."""
        Revenue = self.env["kam.account.revenue"]
        previous_from = date_from - timedelta(days=(date_to - date_from).days + 1)
        key_end = SQL("SELECT id FROM states WHERE key_end")
        return SQL(
            """
WITH %(states)s, revenue AS (
    %(revenue)s
), first_growth AS (
    SELECT st.id, MIN(g.date) AS date, st.kam_since
      FROM states st
      JOIN (%(growth)s) g ON g.partner_id = st.id AND g.date >= st.kam_since
  GROUP BY st.id, st.kam_since
)
SELECT
    (SELECT COUNT(*) FROM states WHERE key_start),
    (SELECT COUNT(*) FROM states WHERE key_end),
    (SELECT COUNT(*) FROM states WHERE key_start AND key_end),
    (SELECT COALESCE(SUM(amount), 0) FROM revenue
      WHERE date >= %(date_from)s),
    (SELECT COALESCE(SUM(amount), 0) FROM revenue
      WHERE date < %(date_from)s),
    (SELECT COALESCE(SUM(amount), 0) FROM (%(expansion)s) lines),
    (SELECT AVG(fg.date - fg.kam_since) FROM first_growth fg
      WHERE fg.date BETWEEN %(date_from)s AND %(date_to)s)
""",
            states=self._kam_key_account_states(
                date_from, date_to + timedelta(days=1), partners
            ),
            growth=Revenue._kam_expansion_lines(SQL("SELECT id FROM states")),
            revenue=Revenue._kam_revenue_lines(key_end, previous_from, date_to),
            expansion=Revenue._kam_expansion_lines(key_end, date_from, date_to),
            date_from=date_from,
            date_to=date_to,
        )

    @api.model
    def _kam_escalation_metrics(self, date_from, date_to, partner_ids):
        """Escalations opened and resolved in the period, median days to resolve."""
        escalations = self.env["kam.escalation"]._search(
            [] if partner_ids is None else [("partner_id", "in", partner_ids)]
        )
        self.env.cr.execute(
            SQL(
                """
SELECT COUNT(*) FILTER (WHERE create_date >= %(start)s AND create_date < %(end)s),
       COUNT(*) FILTER (WHERE state = 'resolved' AND date_resolved >= %(start)s
                          AND date_resolved < %(end)s),
       PERCENTILE_CONT(0.5) WITHIN GROUP (
           ORDER BY EXTRACT(EPOCH FROM date_resolved - create_date) / 86400.0
       ) FILTER (WHERE state = 'resolved' AND date_resolved >= %(start)s
                   AND date_resolved < %(end)s)
  FROM kam_escalation
 WHERE id IN %(escalations)s
""",
                start=self.env.company._kam_day_start(date_from),
                end=self.env.company._kam_day_start(date_to + timedelta(days=1)),
                escalations=escalations.subselect(),
            )
        )
        opened, resolved, median = self.env.cr.fetchone()
        return {
            "escalations_opened": opened,
            "escalations_resolved": resolved,
            "resolution_median_days": float(median or 0.0),
        }

    @api.model
    def _kam_period_error(self, date_from, date_to):
        """Why [date_from, date_to] has no metrics, in the user's language, or
        None: both dates, in order, and the period before it of the same
        length (the comparison) within the dates the programme computes on
        (a period from year 1 would overflow)."""
        if not (isinstance(date_from, date) and isinstance(date_to, date)):
            return self.env._("The period of the metrics needs a start and an end.")
        if date_to < date_from:
            return self.env._(
                "The period ends on %(end)s, before it starts on %(start)s.",
                start=format_date(self.env, date_from),
                end=format_date(self.env, date_to),
            )
        previous_from = 2 * date_from.toordinal() - date_to.toordinal() - 1
        if previous_from < KAM_DATE_MIN.toordinal() or date_to > KAM_DATE_MAX:
            return self.env._(
                "The period from %(start)s to %(end)s is out of range: the metrics "
                "compare it with the period of the same length before it, and both "
                "must lie between %(min)s and %(max)s.",
                start=format_date(self.env, date_from),
                end=format_date(self.env, date_to),
                min=format_date(self.env, KAM_DATE_MIN),
                max=format_date(self.env, KAM_DATE_MAX),
            )
        return None

    @api.model
    def _kam_check_period(self, date_from, date_to):
        error = self._kam_period_error(date_from, date_to)
        if error:
            raise UserError(error)

    @api.model
    def _kam_previous_period(self, date_from, date_to):
        """(from, to) of the period of the same length just before
        [date_from, date_to]."""
        previous_to = date_from - timedelta(days=1)
        return previous_to - (date_to - date_from), previous_to

    @api.model
    def _kam_programme_metrics_comparison(self, date_from, date_to, partner_ids=None):
        """``(current, previous)``: the metrics of [date_from, date_to] and of
        the period of the same length just before it (among ``partner_ids``
        when given)."""
        self._kam_check_period(date_from, date_to)
        previous_from, previous_to = self._kam_previous_period(date_from, date_to)
        return (
            self._kam_programme_metrics(date_from, date_to, partner_ids),
            self._kam_programme_metrics(previous_from, previous_to, partner_ids),
        )

    @api.model
    def _kam_programme_metrics_breakdown(
        self, date_from, date_to, groupby, partner_ids=None
    ):
        """``[(group value, metrics)]`` of the period per value of the field
        ``groupby`` of the key accounts (``kam_user_id`` or ``kam_strategy``),
        today's key accounts the user may read (among ``partner_ids`` when
        given), in the order of the groups (the strategies in their own order).
        The metrics are those of the accounts (``accounts_start``,
        ``accounts_end``, ``accounts_retained``, ``retention_rate``,
        ``revenue``, ``revenue_previous``, ``revenue_growth``,
        ``expansion_revenue``), in two queries whatever the number of groups."""
        self._kam_check_period(date_from, date_to)
        domain = [("is_key_account", "=", True)]
        if partner_ids is not None:
            domain.append(("id", "in", partner_ids))
        groups = self.env["res.partner"]._read_group(
            domain, [groupby], ["id:array_agg"]
        )
        all_ids = [pid for __, ids in groups for pid in ids]
        per_account = self._kam_account_figures(date_from, date_to, all_ids)
        result = []
        for value, ids in groups:
            figures = [per_account[pid] for pid in ids if pid in per_account]
            metrics = {
                name: sum(row[name] for row in figures) for name in BREAKDOWN_SUMS
            }
            start, previous = metrics["accounts_start"], metrics["revenue_previous"]
            # no base, no rate: None (n/a) rather than a misleading 0
            metrics["retention_rate"] = (
                metrics["accounts_retained"] / start * 100 if start else None
            )
            metrics["revenue_growth"] = (
                (metrics["revenue"] - previous) / previous * 100 if previous else 0.0
            )
            result.append((value, metrics))
        return result

    @api.model
    def _kam_account_figures(self, date_from, date_to, partner_ids):
        """{partner id: figures} of each account of ``partner_ids`` the user may
        read: the BREAKDOWN_SUMS of ``_kam_account_metrics`` for that account
        alone, in one query."""
        self.env.flush_all()  # the figures are read with SQL
        Revenue = self.env["kam.account.revenue"]
        previous_from = date_from - timedelta(days=(date_to - date_from).days + 1)
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            ._search([("id", "in", partner_ids)])
        )
        key_end = SQL("SELECT id FROM states WHERE key_end")
        self.env.cr.execute(
            SQL(
                """
WITH %(states)s, revenue AS (
    SELECT partner_id,
           SUM(amount) FILTER (WHERE date >= %(date_from)s) AS current,
           SUM(amount) FILTER (WHERE date < %(date_from)s) AS previous
      FROM (%(revenue)s) lines
  GROUP BY partner_id
), expansion AS (
    SELECT partner_id, SUM(amount) AS amount
      FROM (%(expansion)s) lines
  GROUP BY partner_id
)
SELECT st.id, st.key_start::int, st.key_end::int,
       (st.key_start AND st.key_end)::int,
       COALESCE(revenue.current, 0), COALESCE(revenue.previous, 0),
       COALESCE(expansion.amount, 0)
  FROM states st
  LEFT JOIN revenue ON revenue.partner_id = st.id
  LEFT JOIN expansion ON expansion.partner_id = st.id
""",
                states=self._kam_key_account_states(
                    date_from, date_to + timedelta(days=1), partners.subselect()
                ),
                revenue=Revenue._kam_revenue_lines(key_end, previous_from, date_to),
                expansion=Revenue._kam_expansion_lines(key_end, date_from, date_to),
                date_from=date_from,
            )
        )
        return {
            row[0]: dict(zip(BREAKDOWN_SUMS, row[1:], strict=True))
            for row in self.env.cr.fetchall()
        }
