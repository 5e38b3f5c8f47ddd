from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

from .kam_health_engine import _pg_array

# Columns of the revenue lines the figures read, in this order.
REVENUE_LINE_COLUMNS = SQL("partner_id, date, amount, plan_id, growth")
# Keys of a revenue summary read from SQL, in the order of their columns.
SUMMARY_KEYS = ("sources", "current", "previous", "lifetime")
PIPELINE_KEYS = ("open_count", "open_amount", "open_weighted")
# Stored revenue figures of an account (``res.partner``).
STORED_FIGURES = (
    "kam_revenue_12m",
    "kam_revenue_prev_12m",
    "kam_revenue_growth",
    "kam_lifetime_revenue",
    "kam_revenue_date",
)


class KamAccountRevenue(models.AbstractModel):
    """Revenue and pipeline of key accounts: the one definition every figure of
    the addon uses (health factors, plans, portfolio, programme metrics,
    workbooks, the stored figures of the account).

    Revenue is the set of revenue lines (``kam.revenue.line``: account, date,
    amount, source, plan of the deal, growth deal or not), whose source is
    chosen per deal, so that one deal is never counted twice. The bridge addons
    add their sources to ``kam.revenue.line``.

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
            self._kam_accounts_condition(SQL("kam_account_id"), accounts),
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
        """The lines (alias ``src``) of the accounts in the period, of the
        selected companies."""
        return SQL(
            "%s AND %s AND %s",
            self._kam_partners_condition(SQL("src.partner_id"), accounts),
            self._kam_dates_condition(SQL("src.date"), date_from, date_to),
            self._kam_companies_condition(SQL("src.company_id")),
        )

    @api.model
    def _kam_revenue_lines(self, accounts, date_from=None, date_to=None, lines=None):
        """The SQL of the revenue lines of the accounts in the period, of the
        selected companies, converted, with the columns ``REVENUE_LINE_COLUMNS``,
        ``unit_id``, ``source``, ``company_id``, ``company_amount`` (in the
        currency of the line's company), ``cost`` and ``discount`` (converted,
        NULL where no bridge knows them): the lines of ``kam.revenue.line`` (a deal counted once),
        or the ``lines`` given (an SQL query with the columns of that view)."""
        return SQL(
            """
            SELECT src.account_id AS partner_id, src.date, %(amount)s AS amount,
                   src.plan_id, src.growth, src.unit_id, src.source, src.company_id,
                   src.amount AS company_amount, %(cost)s AS cost,
                   %(discount)s AS discount
              FROM %(lines)s src
             WHERE %(conditions)s
            """,
            amount=self._kam_converted(
                SQL("src.amount"), SQL("src.currency_id"), SQL("src.date")
            ),
            cost=self._kam_converted(
                SQL("src.cost"), SQL("src.currency_id"), SQL("src.date")
            ),
            discount=self._kam_converted(
                SQL("src.discount"), SQL("src.currency_id"), SQL("src.date")
            ),
            lines=SQL("kam_revenue_line") if lines is None else SQL("(%s)", lines),
            conditions=self._kam_line_conditions(accounts, date_from, date_to),
        )

    @api.model
    def _kam_revenue_by_unit(self, accounts, today):
        """``{(account id, unit id): amount}``: the revenue of the last 12 months
        up to ``today`` of each company that counts for the accounts (their
        units, and the accounts themselves), converted."""
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, unit_id, SUM(amount) FROM (%s) lines"
                " GROUP BY partner_id, unit_id",
                self._kam_revenue_lines(
                    accounts, today - relativedelta(years=1), today
                ),
            )
        )
        return {
            (account, unit): amount for account, unit, amount in self.env.cr.fetchall()
        }

    @api.model
    def _kam_expansion_lines(self, accounts, date_from=None, date_to=None):
        """Expansion revenue: the won growth opportunities (with a growth type or
        in an account plan), whether or not an order or an invoice became the
        revenue of their deal."""
        won = self._kam_revenue_lines(
            accounts,
            date_from,
            date_to,
            lines=self.env["kam.revenue.line"]._kam_won_opportunities(),
        )
        return SQL("SELECT %s FROM (%s) lines WHERE growth", REVENUE_LINE_COLUMNS, won)

    @api.model
    def _kam_pipeline(self, accounts, today=None):
        """The SQL of the open pipeline per account: open opportunities (not won,
        not lost) of the account and its contacts, with ``open_count``,
        ``open_amount`` and ``open_weighted`` (prorated), converted at ``today``
        (``CURRENT_DATE`` by default)."""
        today = SQL("CURRENT_DATE") if today is None else SQL("%s::date", today)
        return SQL(
            """
            SELECT lp.kam_account_id AS partner_id,
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
          GROUP BY lp.kam_account_id
            """,
            amount=self._kam_converted(
                SQL("l.expected_revenue"), SQL("lc.currency_id"), today
            ),
            weighted=self._kam_converted(
                SQL("l.prorated_revenue"), SQL("lc.currency_id"), today
            ),
            accounts=self._kam_accounts_condition(SQL("lp.kam_account_id"), accounts),
            companies=self._kam_companies_condition(SQL("l.company_id")),
        )

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------
    @api.model
    def _kam_revenue_figures(self, accounts, today, by_company=False):
        """The SQL of the revenue figures per account, from one read of its lines
        up to ``today`` (a date or an SQL expression): ``sources`` (the sources
        of the last 24 months, an array), ``current`` (from ``today`` - 12
        months), ``previous`` (the 12 months before) and ``lifetime`` (since the
        first document). The portfolio, the health and the stored figures read
        these figures. ``by_company`` adds a row per account and company
        (``of_company``), in that company's currency: the stored figures."""
        if isinstance(today, SQL):
            year_ago = SQL("(%s - INTERVAL '12 months')::date", today)
            two_years_ago = SQL("(%s - INTERVAL '24 months')::date", today)
        else:
            year_ago = today - relativedelta(years=1)
            two_years_ago = today - relativedelta(years=2)

        return SQL(
            """
            SELECT partner_id, %(company)s
                   ARRAY_AGG(DISTINCT source)
                       FILTER (WHERE date >= %(two_years_ago)s) AS sources,
                   %(current)s AS current, %(previous)s AS previous,
                   %(lifetime)s AS lifetime
              FROM (%(lines)s) lines
          GROUP BY %(groups)s
            """,
            company=SQL(
                "company_id, GROUPING(company_id) = 0 AS of_company,"
                if by_company
                else ""
            ),
            two_years_ago=two_years_ago,
            current=self._kam_period_total(SQL("date >= %s", year_ago), by_company),
            previous=self._kam_period_total(
                SQL("date >= %s AND date < %s", two_years_ago, year_ago), by_company
            ),
            lifetime=self._kam_period_total(SQL("TRUE"), by_company),
            lines=self._kam_revenue_lines(accounts, None, today),
            groups=SQL(
                "GROUPING SETS ((partner_id), (partner_id, company_id))"
                if by_company
                else "partner_id"
            ),
        )

    @api.model
    def _kam_period_total(self, condition, by_company):
        """SQL of the revenue of the lines that meet ``condition``: converted, or
        in the currency of their company on a row of one company (grouped by
        company: ``_kam_revenue_figures``)."""
        converted = SQL("SUM(amount) FILTER (WHERE %s)", condition)
        if not by_company:
            return converted
        return SQL(
            "CASE WHEN GROUPING(company_id) = 1 THEN %s"
            " ELSE SUM(company_amount) FILTER (WHERE %s) END",
            converted,
            condition,
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
        open pipeline, per account: ``{partner_id: {"sources", "current",
        "previous", "open_count", "open_amount", "open_weighted", "lifetime",
        "overdue", "companies"}}``, for the accounts with revenue, an open
        opportunity or an overdue amount. ``sources`` are those of the last 24
        months, empty without revenue in them; ``companies`` has the revenue
        figures of each company in its currency, ``None`` for the documents of
        no company: ``{company_id: {"current", "previous", "lifetime"}}``."""
        self.env.cr.execute(self._kam_revenue_figures(partner_ids, today, True))
        revenue = {}
        for partner_id, company_id, of_company, *figures in self.env.cr.fetchall():
            summary = revenue.setdefault(partner_id, self._kam_empty_summary())
            if of_company:
                summary["companies"][company_id] = dict(
                    zip(("current", "previous", "lifetime"), figures[1:], strict=True)
                )
            else:
                summary.update(
                    (key, value)
                    for key, value in zip(SUMMARY_KEYS, figures, strict=True)
                    if value
                )
        self.env.cr.execute(self._kam_pipeline(partner_ids, today))
        for partner_id, *pipeline in self.env.cr.fetchall():
            revenue.setdefault(partner_id, self._kam_empty_summary()).update(
                zip(PIPELINE_KEYS, pipeline, strict=True)
            )
        for partner_id, overdue in self._kam_overdue_by_account(partner_ids, today):
            revenue.setdefault(partner_id, self._kam_empty_summary())["overdue"] = (
                overdue or 0.0
            )
        return revenue

    @api.model
    def _kam_empty_summary(self):
        return {
            "sources": [],
            "current": 0.0,
            "previous": 0.0,
            "open_count": 0,
            "open_amount": 0.0,
            "open_weighted": 0.0,
            "lifetime": 0.0,
            "overdue": 0.0,
            "companies": {},
        }

    @api.model
    def _kam_overdue_by_account(self, partner_ids, today):
        """``[(partner_id, amount)]``: the receivables past due on ``today`` and
        not paid, converted like revenue. None without Invoicing:
        ``kam_management_account`` overrides this."""
        return []

    @api.model
    def _kam_store_revenue_figures(self, partner_ids, today, summary):
        """Store the revenue figures of the accounts on ``res.partner``, per
        company (``company_dependent`` fields), as of ``today``: for each company
        read (``env.companies``: every company for the scheduled action), the
        revenue of its documents in its currency, so that a reader sees the
        figures the live reports of the company they work in show. An account
        of a company has figures in it only; a shared one in each company.
        ``summary`` is ``_kam_revenue_summary``'s."""
        partners = self.env["res.partner"].browse(partner_ids)
        owned = partners.sudo().grouped("company_id")
        shared = owned.pop(self.env["res.company"].sudo(), partners.sudo().browse())
        for company in self.env.companies:
            accounts = shared | owned.get(company, shared.browse())
            figures = {
                account.id: self._kam_company_figures(summary.get(account.id), company)
                for account in accounts
            }
            self._kam_write_company_figures(company, accounts.ids, today, figures)
        partners.invalidate_recordset(list(STORED_FIGURES))
        partners.modified(list(STORED_FIGURES))

    @api.model
    def _kam_company_figures(self, summary, company):
        """The figures of ``company`` in an account's ``summary``: its documents
        and those of no company."""
        companies = summary["companies"] if summary else {}
        parts = [companies.get(company.id) or {}, companies.get(None) or {}]
        return {
            key: sum(float(part.get(key) or 0.0) for part in parts)
            for key in ("current", "previous", "lifetime")
        }

    @api.model
    def _kam_write_company_figures(self, company, partner_ids, today, figures):
        """One statement: the figures of ``company`` in the jsonb columns of the
        company-dependent fields, the figures of the other companies kept."""
        rows = [figures.get(partner_id) or {} for partner_id in partner_ids]

        def column(key):
            return _pg_array(float(row.get(key) or 0.0) for row in rows)

        def set_value(name, value):
            return SQL(
                "%(column)s = COALESCE(p.%(column)s, '{}'::jsonb)"
                " || jsonb_build_object(%(company)s, %(value)s)",
                column=SQL.identifier(name),
                company=str(company.id),
                value=value,
            )

        assignments = [
            set_value("kam_revenue_12m", SQL("a.current")),
            set_value("kam_revenue_prev_12m", SQL("a.previous")),
            set_value(
                "kam_revenue_growth",
                self._kam_growth_percent(SQL("a.current"), SQL("a.previous")),
            ),
            set_value("kam_lifetime_revenue", SQL("a.lifetime")),
            set_value("kam_revenue_date", SQL("%s::date", today)),
        ]
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p SET %(assignments)s
                  FROM unnest(%(ids)s::int[], %(current)s::numeric[],
                              %(previous)s::numeric[], %(lifetime)s::numeric[])
                       AS a(id, current, previous, lifetime)
                 WHERE p.id = a.id
                """,
                assignments=SQL(", ").join(assignments),
                ids=_pg_array(partner_ids),
                current=column("current"),
                previous=column("previous"),
                lifetime=column("lifetime"),
            )
        )
