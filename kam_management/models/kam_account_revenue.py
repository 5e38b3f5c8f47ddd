from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

from .kam_health_engine import _pg_array

# Columns of the revenue lines the figures read, in this order.
REVENUE_LINE_COLUMNS = SQL("partner_id, date, amount, plan_id, growth")
# Keys of a revenue summary read from SQL, in the order of its columns.
SUMMARY_KEYS = (
    "source",
    "current",
    "previous",
    "open_count",
    "open_amount",
    "open_weighted",
    "lifetime",
)
# Stored revenue figures of an account (``res.partner``).
STORED_FIGURES = (
    "kam_revenue_12m",
    "kam_revenue_prev_12m",
    "kam_revenue_growth",
    "kam_lifetime_revenue",
    "kam_revenue_currency_id",
)


class KamAccountRevenue(models.AbstractModel):
    """Revenue and pipeline of key accounts: the one definition every figure of
    the addon uses (health factors, plans, portfolio, programme metrics,
    workbooks, the stored figures of the account).

    Revenue is a set of revenue lines (``kam.revenue.line``: account, date,
    amount, source, plan of the deal, growth deal or not) taken, per account,
    from the best source that has lines for it in the period; one deal is thus
    never counted twice. The bridge addons add their sources to
    ``kam.revenue.line``.

    Amounts are untaxed, in the currency of the "currency company": the
    reader's current company (``env.company``), or the company given as
    ``kam_currency_company_id`` in the context (a plan's figures are in the
    plan's currency). Documents of another currency are converted at the
    document date with the rates of that company, as ``res.currency._convert``
    does. Documents of companies not in ``env.companies`` are left out.

    The methods take the accounts as a list of commercial partner ids, as an
    ``SQL`` subquery returning ids, or ``None`` for every partner; dates are
    ``date`` values or ``SQL`` expressions (the portfolio view uses
    ``CURRENT_DATE``), both bounds included, ``None`` for no bound.
    """

    _name = "kam.account.revenue"
    _description = "Key Account Revenue"

    # ------------------------------------------------------------
    # SQL building blocks
    # ------------------------------------------------------------
    @api.model
    def _kam_accounts_condition(self, column, accounts):
        if accounts is None:
            return SQL("TRUE")
        if isinstance(accounts, SQL):
            return SQL("%s IN (%s)", column, accounts)
        return SQL("%s = ANY(%s)", column, list(accounts))

    @api.model
    def _kam_partners_condition(self, column, accounts):
        """``column``, the partner of a document, is one of the accounts or of
        their contacts: through the index on the document's partner (documents
        seldom have one on their commercial partner)."""
        if accounts is None:
            return SQL("TRUE")
        return SQL(
            "%s = ANY(ARRAY(SELECT id FROM res_partner WHERE %s))",
            column,
            self._kam_accounts_condition(SQL("commercial_partner_id"), accounts),
        )

    @api.model
    def _kam_dates_condition(self, column, date_from, date_to):
        conditions = [SQL("TRUE")]
        if date_from is not None:
            conditions.append(SQL("%s >= %s::date", column, date_from))
        if date_to is not None:
            conditions.append(SQL("%s <= %s::date", column, date_to))
        return SQL(" AND ").join(conditions)

    @api.model
    def _kam_currency_company(self):
        """The company whose currency the figures are in."""
        company_id = self.env.context.get("kam_currency_company_id")
        return (
            self.env["res.company"].browse(company_id)
            if company_id
            else (self.env.company)
        )

    @api.model
    def _kam_converted(self, amount, currency, date):
        """SQL of ``amount`` in ``currency`` converted into the currency of the
        currency company at ``date``: ``_get_conversion_rate`` in SQL, the rate
        of a currency being its latest rate on or before the date, of the root
        company or of no company, 1 without rate. An amount without currency is
        taken as already converted."""
        company = self._kam_currency_company()

        def rate(currency_id):
            return SQL(
                """COALESCE((SELECT r.rate FROM res_currency_rate r
                    WHERE r.currency_id = %(currency)s AND r.name <= %(date)s
                      AND (r.company_id IS NULL OR r.company_id = %(company)s)
                 ORDER BY r.company_id, r.name DESC LIMIT 1), 1.0)""",
                currency=currency_id,
                date=date,
                company=company.root_id.id,
            )

        target = company.currency_id.id
        # The rates are read in the branch only: most documents need none.
        return SQL(
            "CASE WHEN COALESCE(%(currency)s, %(target)s) = %(target)s "
            "THEN %(amount)s ELSE %(amount)s * %(to_rate)s / %(from_rate)s END",
            currency=currency,
            target=target,
            amount=amount,
            to_rate=rate(target),
            from_rate=rate(currency),
        )

    @api.model
    def _kam_companies_condition(self, column):
        """Documents of the selected companies (or of no company)."""
        return SQL(
            "(%s IS NULL OR %s = ANY(%s))", column, column, self.env.companies.ids
        )

    # ------------------------------------------------------------
    # Revenue lines
    # ------------------------------------------------------------
    @api.model
    def _kam_line_conditions(self, accounts, date_from, date_to):
        """The lines of ``kam.revenue.line`` (alias ``src``) of the accounts in
        the period, of the selected companies."""
        return SQL(
            "%s AND %s AND %s",
            self._kam_partners_condition(SQL("src.partner_id"), accounts),
            self._kam_dates_condition(SQL("src.date"), date_from, date_to),
            self._kam_companies_condition(SQL("src.company_id")),
        )

    @api.model
    def _kam_converted_lines(self, accounts, date_from=None, date_to=None):
        """The lines of ``kam.revenue.line`` of the accounts in the period, of
        the selected companies, converted: ``REVENUE_LINE_COLUMNS``, ``source``
        and ``rank`` (the rank of the source: the higher, the better)."""
        return SQL(
            """
            SELECT src.account_id AS partner_id, src.date, %(amount)s AS amount,
                   src.plan_id, src.growth, src.source, src.source_rank AS rank
              FROM kam_revenue_line src
             WHERE %(conditions)s
            """,
            amount=self._kam_converted(
                SQL("src.amount"), SQL("src.currency_id"), SQL("src.date")
            ),
            conditions=self._kam_line_conditions(accounts, date_from, date_to),
        )

    @api.model
    def _kam_revenue_lines(self, accounts, date_from=None, date_to=None):
        """The SQL of the revenue lines of the accounts in the period, with the
        columns ``REVENUE_LINE_COLUMNS`` and ``source``: per account, only the
        lines of the best source that has lines in the period, so that one deal
        is never counted twice."""
        lines = self._kam_converted_lines(accounts, date_from, date_to)
        if len(self.env["kam.revenue.line"]._kam_line_parts()) == 1:
            return SQL("SELECT %s, source FROM (%s) lines", REVENUE_LINE_COLUMNS, lines)
        return SQL(
            """
            SELECT %(columns)s, source
              FROM (SELECT *, MAX(rank) OVER (PARTITION BY partner_id) AS best
                      FROM (%(lines)s) lines) ranked
             WHERE rank = best
            """,
            columns=REVENUE_LINE_COLUMNS,
            lines=lines,
        )

    @api.model
    def _kam_expansion_lines(self, accounts, date_from=None, date_to=None):
        """Expansion revenue: the won growth opportunities (with a growth type or
        in an account plan), whatever the revenue source of the account."""
        return SQL(
            "SELECT %s FROM (%s) lines WHERE growth AND source = 'opportunities'",
            REVENUE_LINE_COLUMNS,
            self._kam_converted_lines(accounts, date_from, date_to),
        )

    @api.model
    def _kam_pipeline(self, accounts, today=None):
        """The SQL of the open pipeline per account: open opportunities (not won,
        not lost) of the account and its contacts, with ``open_count``,
        ``open_amount`` and ``open_weighted`` (prorated), converted at ``today``
        (``CURRENT_DATE`` by default)."""
        today = SQL("CURRENT_DATE") if today is None else SQL("%s::date", today)
        return SQL(
            """
            SELECT lp.commercial_partner_id AS partner_id,
                   COUNT(*) AS open_count,
                   SUM(%(amount)s) AS open_amount,
                   SUM(%(weighted)s) AS open_weighted
              FROM crm_lead l
              JOIN res_partner lp ON lp.id = l.partner_id
         LEFT JOIN crm_stage s ON s.id = l.stage_id
         LEFT JOIN res_company lc ON lc.id = l.company_id
             WHERE l.active AND l.type = 'opportunity'
               AND NOT COALESCE(s.is_won, FALSE) AND %(accounts)s
               AND %(companies)s
          GROUP BY lp.commercial_partner_id
            """,
            amount=self._kam_converted(
                SQL("l.expected_revenue"), SQL("lc.currency_id"), today
            ),
            weighted=self._kam_converted(
                SQL("l.prorated_revenue"), SQL("lc.currency_id"), today
            ),
            accounts=self._kam_accounts_condition(
                SQL("lp.commercial_partner_id"), accounts
            ),
            companies=self._kam_companies_condition(SQL("l.company_id")),
        )

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------
    @api.model
    def _kam_revenue_by_account(self, partner_ids, date_from, date_to):
        """Revenue of each account in [date_from, date_to]: ``{partner_id: amount}``."""
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, SUM(amount) FROM (%s) lines GROUP BY partner_id",
                self._kam_revenue_lines(partner_ids, date_from, date_to),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _kam_revenue_figures(self, accounts, today):
        """The SQL of the revenue figures per account, from one read of its lines
        up to ``today`` (a date or an SQL expression): ``current`` (from
        ``today`` - 12 months) and ``previous`` (the 12 months before), of the
        best source in these 24 months, whose ``source`` it gives; ``lifetime``,
        since the first document, of the best source ever. The portfolio, the
        health and the stored figures read these figures."""
        if isinstance(today, SQL):
            year_ago = SQL("(%s - INTERVAL '12 months')::date", today)
            two_years_ago = SQL("(%s - INTERVAL '24 months')::date", today)
        else:
            year_ago = today - relativedelta(years=1)
            two_years_ago = today - relativedelta(years=2)
        recent = SQL("rank = best_24 AND date >= %s", two_years_ago)
        return SQL(
            """
            SELECT partner_id, MIN(source) FILTER (WHERE %(recent)s) AS source,
                   SUM(amount) FILTER (WHERE %(recent)s AND date >= %(year_ago)s)
                       AS current,
                   SUM(amount) FILTER (WHERE %(recent)s AND date < %(year_ago)s)
                       AS previous,
                   SUM(amount) FILTER (WHERE rank = best) AS lifetime
              FROM (SELECT *, MAX(rank) OVER w AS best,
                           MAX(rank) FILTER (WHERE date >= %(two_years_ago)s)
                               OVER w AS best_24
                      FROM (%(lines)s) lines
                    WINDOW w AS (PARTITION BY partner_id)) ranked
          GROUP BY partner_id
            """,
            recent=recent,
            year_ago=year_ago,
            two_years_ago=two_years_ago,
            lines=self._kam_converted_lines(accounts, None, today),
        )

    @api.model
    def _kam_growth_percent(self, current, previous):
        """SQL of the growth in percent of ``current`` over ``previous``, NULL
        without previous revenue."""
        return SQL(
            "CASE WHEN COALESCE(%(previous)s, 0) = 0 THEN NULL "
            "ELSE (COALESCE(%(current)s, 0) - %(previous)s) / %(previous)s * 100 END",
            current=current,
            previous=previous,
        )

    @api.model
    def _kam_revenue_summary(self, partner_ids, today):
        """Revenue of the last 12 months and the 12 before, lifetime revenue and
        open pipeline, per account: ``{partner_id: {"source", "current",
        "previous", "open_count", "open_amount", "open_weighted", "lifetime",
        "overdue"}}``, for the accounts with revenue, an open opportunity or an
        overdue amount. ``source`` is that of the last 24 months, None without
        revenue in them."""
        self.env.cr.execute(
            SQL(
                """
                SELECT COALESCE(r.partner_id, p.partner_id), r.source,
                       r.current, r.previous,
                       p.open_count, p.open_amount, p.open_weighted, r.lifetime
                  FROM (%(revenue)s) r
             FULL JOIN (%(pipeline)s) p ON p.partner_id = r.partner_id
                """,
                revenue=self._kam_revenue_figures(partner_ids, today),
                pipeline=self._kam_pipeline(partner_ids, today),
            )
        )
        revenue = {}
        for partner_id, *values in self.env.cr.fetchall():
            summary = revenue[partner_id] = self._kam_empty_summary()
            summary.update(
                (key, value)
                for key, value in zip(SUMMARY_KEYS, values, strict=True)
                if value
            )
        for partner_id, overdue in self._kam_overdue_by_account(partner_ids, today):
            revenue.setdefault(partner_id, self._kam_empty_summary())["overdue"] = (
                overdue or 0.0
            )
        return revenue

    @api.model
    def _kam_empty_summary(self):
        return {
            "source": None,
            "current": 0.0,
            "previous": 0.0,
            "open_count": 0,
            "open_amount": 0.0,
            "open_weighted": 0.0,
            "lifetime": 0.0,
            "overdue": 0.0,
        }

    @api.model
    def _kam_overdue_by_account(self, partner_ids, today):
        """``[(partner_id, amount)]``: the receivables past due on ``today`` and
        not paid, converted like revenue. None without Invoicing:
        ``kam_management_account`` overrides this."""
        return []

    @api.model
    def _kam_store_revenue_figures(self, partner_ids, summary):
        """Store the revenue figures of the accounts on ``res.partner`` in one
        statement, from their ``summary`` (``_kam_revenue_summary``): revenue of
        the last 12 months, of the 12 before, growth in percent and lifetime
        revenue, in the currency of the currency company."""
        ids = list(partner_ids)
        rows = [summary.get(partner_id) or {} for partner_id in ids]

        def column(key):
            return _pg_array(float(row.get(key) or 0.0) for row in rows)

        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET kam_revenue_12m = a.current,
                       kam_revenue_prev_12m = a.previous,
                       kam_revenue_growth = %(growth)s,
                       kam_lifetime_revenue = a.lifetime,
                       kam_revenue_currency_id = %(currency)s
                  FROM unnest(%(ids)s::int[], %(current)s::numeric[],
                              %(previous)s::numeric[], %(lifetime)s::numeric[])
                       AS a(id, current, previous, lifetime)
                 WHERE p.id = a.id
                """,
                growth=self._kam_growth_percent(SQL("a.current"), SQL("a.previous")),
                currency=self._kam_currency_company().currency_id.id,
                ids=_pg_array(ids),
                current=column("current"),
                previous=column("previous"),
                lifetime=column("lifetime"),
            )
        )
        partners = self.env["res.partner"].browse(ids)
        partners.invalidate_recordset(list(STORED_FIGURES))
        partners.modified(list(STORED_FIGURES))
