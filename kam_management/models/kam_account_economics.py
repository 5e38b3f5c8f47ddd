from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

# Keys of an economics summary read from SQL, in the order of its columns.
ECONOMICS_KEYS = (
    "revenue",
    "costed_revenue",
    "cost",
    "costed_revenue_previous",
    "cost_previous",
    "discount",
    "programme_cost",
    "service_cost",
)
# Plans whose budget is spent: the programme cost (DESIGN §8).
SPENDING_PLAN_STATES = ("active", "closed")


class KamAccountEconomics(models.AbstractModel):
    """What an account is worth (DESIGN §14): margin, discounts, cost to serve,
    contribution and payback, over 12 months, in the currency of the reader's
    company like every figure of ``kam.account.revenue``, whose revenue lines
    they read (a deal counted once, the units of a group counted for it).

    - Gross margin: the revenue of the lines whose cost a bridge knows, less
      that cost (``kam.revenue.line.cost``: the sale line's cost with Sales
      Margin, else the product's cost on invoice and order lines). Lines
      without a cost (won opportunities) are left out of the margin, and of the
      revenue it is a percentage of: no margin without a cost.
    - Discount: what the lines gave away against the list price
      (``kam.revenue.line.discount``).
    - Cost to serve: the programme cost of the account's plans spread over
      their days (the budget of an active or closed plan, a share per day of
      its period), plus what a bridge adds (``_kam_service_cost_lines``: the
      timesheet cost with Timesheets).
    - Contribution: margin less cost to serve.
    - Payback (``_kam_payback``): months from designation until what the
      account brought since then, above what it brought before, covers the
      budgets of its plans.
    """

    _name = "kam.account.economics"
    _description = "Key Account Economics"

    # ------------------------------------------------------------
    # SQL building blocks
    # ------------------------------------------------------------
    @api.model
    def _kam_service_cost_lines(self, accounts, date_from, date_to):
        """The SQL of what serving the accounts cost, beside the programme cost:
        ``partner_id`` (the account), ``date``, ``amount`` (converted, positive
        for a cost); None when no bridge knows such a cost (the timesheet
        bridge adds its timesheets)."""
        return None

    @api.model
    def _kam_plan_budgets(self, accounts):
        """The SQL of the budgets of the spending plans of the accounts:
        ``partner_id``, ``date_start``, ``date_end``, ``budget`` (converted at
        the plan's start, as the programme metrics do), of the selected
        companies."""
        Revenue = self.env["kam.account.revenue"]
        return SQL(
            """
            SELECT pl.partner_id, pl.date_start, pl.date_end, %(budget)s AS budget
              FROM kam_account_plan pl
              JOIN res_company pc ON pc.id = pl.company_id
             WHERE pl.state = ANY(%(states)s) AND pl.budget > 0
               AND %(accounts)s AND %(companies)s
            """,
            budget=Revenue._kam_converted(
                SQL("pl.budget"), SQL("pc.currency_id"), SQL("pl.date_start")
            ),
            states=list(SPENDING_PLAN_STATES),
            accounts=Revenue._kam_accounts_condition(SQL("pl.partner_id"), accounts),
            companies=Revenue._kam_companies_condition(SQL("pl.company_id")),
        )

    @api.model
    def _kam_economics_figures(self, accounts, today):
        """The SQL of the economics per account over [today - 12 months, today]
        (and the 12 months before for the margin), one row per account with
        revenue, a spending plan or a service cost: ``partner_id`` and the
        ``ECONOMICS_KEYS`` columns (``costed_revenue``: the revenue of the lines
        with a cost; the programme cost is the share of each plan's budget of
        its days in the period)."""
        Revenue = self.env["kam.account.revenue"]
        year_ago = today - relativedelta(years=1)
        two_years_ago = today - relativedelta(years=2)
        current = SQL("date >= %s", year_ago)
        service = self._kam_service_cost_lines(accounts, year_ago, today)
        return SQL(
            """
            WITH margin AS (
                SELECT partner_id,
                       SUM(amount) FILTER (WHERE %(current)s) AS revenue,
                       SUM(amount) FILTER (WHERE cost IS NOT NULL AND %(current)s)
                           AS costed_revenue,
                       SUM(cost) FILTER (WHERE %(current)s) AS cost,
                       SUM(amount) FILTER (WHERE cost IS NOT NULL AND NOT %(current)s)
                           AS costed_revenue_previous,
                       SUM(cost) FILTER (WHERE NOT %(current)s) AS cost_previous,
                       SUM(discount) FILTER (WHERE %(current)s) AS discount
                  FROM (%(lines)s) lines
              GROUP BY partner_id
            ), programme AS (
                SELECT partner_id,
                       SUM(budget
                           * (LEAST(date_end, %(today)s::date)
                              - GREATEST(date_start, %(year_ago)s::date) + 1)
                           / (date_end - date_start + 1)) AS amount
                  FROM (%(plans)s) plans
                 WHERE date_start <= %(today)s AND date_end >= %(year_ago)s
              GROUP BY partner_id
            ), service AS (
                SELECT partner_id, SUM(amount) AS amount
                  FROM (%(service)s) service
              GROUP BY partner_id
            )
            SELECT COALESCE(margin.partner_id, programme.partner_id,
                            service.partner_id),
                   margin.revenue, margin.costed_revenue, margin.cost,
                   margin.costed_revenue_previous, margin.cost_previous,
                   margin.discount, programme.amount, service.amount
              FROM margin
              FULL JOIN programme ON programme.partner_id = margin.partner_id
              FULL JOIN service
                ON service.partner_id = COALESCE(margin.partner_id,
                                                 programme.partner_id)
            """,
            current=current,
            lines=Revenue._kam_revenue_lines(accounts, two_years_ago, today),
            plans=self._kam_plan_budgets(accounts),
            service=service
            if service is not None
            else SQL(
                "SELECT NULL::int AS partner_id, NULL::numeric AS amount WHERE FALSE"
            ),
            today=today,
            year_ago=year_ago,
        )

    # ------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------
    @api.model
    def _kam_economics(self, partner_ids, today):
        """``{partner_id: figures}`` of the accounts with any: the
        ``ECONOMICS_KEYS`` (0.0 for none) and ``has_margin`` (revenue of lines
        with a cost in the 12 months), ``margin``, ``margin_percent`` (None without
        ``has_margin``), ``margin_percent_previous`` (None without costed
        revenue the 12 months before), ``cost_to_serve`` and ``contribution``.
        One query."""
        self.env.flush_all()  # the figures are read with SQL
        self.env.cr.execute(self._kam_economics_figures(list(partner_ids), today))
        return {
            row[0]: self._kam_economics_derived(
                dict(
                    zip(
                        ECONOMICS_KEYS,
                        (float(value or 0.0) for value in row[1:]),
                        strict=True,
                    ),
                    has_margin=bool(row[2]),
                    has_margin_previous=bool(row[4]),
                )
            )
            for row in self.env.cr.fetchall()
        }

    @api.model
    def _kam_economics_derived(self, figures):
        margin = figures["costed_revenue"] - figures["cost"]
        previous = figures["costed_revenue_previous"] - figures["cost_previous"]
        cost_to_serve = figures["programme_cost"] + figures["service_cost"]
        figures.update(
            margin=margin,
            margin_percent=self._kam_percent(margin, figures["costed_revenue"])
            if figures["has_margin"]
            else None,
            margin_percent_previous=self._kam_percent(
                previous, figures["costed_revenue_previous"]
            )
            if figures["has_margin_previous"]
            else None,
            cost_to_serve=cost_to_serve,
            contribution=margin - cost_to_serve,
        )
        return figures

    @staticmethod
    def _kam_percent(part, whole):
        return part / whole * 100 if whole else None

    # ------------------------------------------------------------
    # Payback
    # ------------------------------------------------------------
    @api.model
    def _kam_payback(self, partners, today):
        """``{partner_id: (months or None, reason code, values)}`` of the key
        accounts among ``partners`` (``res.partner`` records, designated).

        The programme is an investment: the budgets of the account's active and
        closed plans started by ``today``. What pays it back is the gain since
        designation: each month's margin less its service cost (timesheets),
        above the account's monthly average of the 12 months before its
        designation (what it brought without the programme). The payback is
        the number of months, the month of designation the first, until the
        gain covers the investment; none without a budget (``no_investment``),
        without margin data (``no_margin``) or while the gain falls short
        (``not_yet``, with what is recovered)."""
        accounts = partners.filtered(lambda p: p.is_key_account and p.kam_since)
        if not accounts:
            return {}
        self.env.flush_all()  # the figures are read with SQL
        since = {account.id: account.kam_since.replace(day=1) for account in accounts}
        monthly, has_margin = self._kam_monthly_gain(accounts.ids, since, today)
        investment = self._kam_investment(accounts.ids, today)
        result = {}
        for account_id, start in since.items():
            invested = investment.get(account_id, 0.0)
            if not invested:
                result[account_id] = (None, "no_investment", {})
                continue
            if account_id not in has_margin:
                result[account_id] = (None, "no_margin", {})
                continue
            result[account_id] = self._kam_payback_months(
                monthly.get(account_id, {}), start, today, invested
            )
        return result

    @api.model
    def _kam_payback_months(self, monthly, start, today, invested):
        """The payback of one account from its ``monthly`` gain (``{first day
        of a month: amount}``, from 12 months before ``start``, the month of
        designation)."""
        baseline = (
            sum(
                monthly.get(start - relativedelta(months=back), 0.0)
                for back in range(1, 13)
            )
            / 12
        )
        gained, month, count = 0.0, start, 0
        while month <= today:
            count += 1
            gained += monthly.get(month, 0.0) - baseline
            if gained >= invested:
                return count, "payback", {"months": count, "invested": invested}
            month += relativedelta(months=1)
        return (
            None,
            "not_yet",
            {"recovered": gained, "invested": invested, "months": count},
        )

    @api.model
    def _kam_monthly_gain(self, partner_ids, since, today):
        """``({partner_id: {month: margin less service cost}}, partners with
        margin data)`` from 12 months before each account's designation month
        (``since``) to ``today``: one query."""
        Revenue = self.env["kam.account.revenue"]
        date_from = min(since.values()) - relativedelta(months=12)
        service = self._kam_service_cost_lines(partner_ids, date_from, today)
        self.env.cr.execute(
            SQL(
                """
                SELECT gain.partner_id, date_trunc('month', gain.date)::date,
                       SUM(gain.amount), BOOL_OR(gain.costed)
                  FROM (
                      SELECT partner_id, date, amount - cost AS amount,
                             TRUE AS costed
                        FROM (%(lines)s) lines
                       WHERE cost IS NOT NULL
                   UNION ALL
                      SELECT partner_id, date, -amount, FALSE
                        FROM (%(service)s) service
                  ) gain
                  JOIN unnest(%(ids)s::int[], %(since)s::date[]) AS a(id, since)
                    ON a.id = gain.partner_id
                 WHERE gain.date >= a.since - INTERVAL '12 months'
              GROUP BY 1, 2
                """,
                lines=Revenue._kam_revenue_lines(partner_ids, date_from, today),
                service=service
                if service is not None
                else SQL(
                    "SELECT NULL::int AS partner_id, NULL::date AS date,"
                    " NULL::numeric AS amount WHERE FALSE"
                ),
                ids=list(since),
                since=[str(day) for day in since.values()],
            )
        )
        monthly, has_margin = defaultdict(dict), set()
        for partner_id, month, amount, costed in self.env.cr.fetchall():
            monthly[partner_id][month] = float(amount or 0.0)
            if costed:
                has_margin.add(partner_id)
        return monthly, has_margin

    @api.model
    def _kam_investment(self, partner_ids, today):
        """``{partner_id: budgets of its spending plans started by today}``."""
        self.env.cr.execute(
            SQL(
                "SELECT partner_id, SUM(budget) FROM (%s) plans"
                " WHERE date_start <= %s GROUP BY partner_id",
                self._kam_plan_budgets(partner_ids),
                today,
            )
        )
        return {row[0]: float(row[1] or 0.0) for row in self.env.cr.fetchall()}
