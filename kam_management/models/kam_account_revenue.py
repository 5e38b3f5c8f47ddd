from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

# Columns of every source of revenue lines, in this order.
REVENUE_LINE_COLUMNS = SQL("partner_id, date, amount, plan_id, growth")
# Keys of a revenue summary read from SQL, in the order of its columns.
SUMMARY_KEYS = (
    "source",
    "current",
    "previous",
    "open_count",
    "open_amount",
    "open_weighted",
)


class KamAccountRevenue(models.AbstractModel):
    """Revenue and pipeline of key accounts: the one definition every figure of
    the addon uses (health factors, plans, portfolio, programme metrics).

    Revenue is a set of "revenue lines" (account, date, amount, source, plan of
    the deal, growth deal or not) taken, per account, from the best source that
    has lines for it in the period: posted invoices less credit notes where
    Invoicing is installed, else confirmed sales orders where Sales is, else won
    opportunities; one deal is thus never counted twice. Amounts are in the
    company currency of each document.

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
    def _kam_dates_condition(self, column, date_from, date_to):
        conditions = [SQL("TRUE")]
        if date_from is not None:
            conditions.append(SQL("%s >= %s::date", column, date_from))
        if date_to is not None:
            conditions.append(SQL("%s <= %s::date", column, date_to))
        return SQL(" AND ").join(conditions)

    # ------------------------------------------------------------
    # Revenue lines
    # ------------------------------------------------------------
    @api.model
    def _kam_revenue_sources(self):
        """``[(source, method)]``, worst source first. A method takes
        ``(accounts, date_from, date_to)`` and returns the SQL of its lines with
        the columns ``REVENUE_LINE_COLUMNS``. An addon that brings a better
        source appends it here."""
        sources = [("opportunities", self._kam_opportunity_lines)]
        if "sale.order" in self.env:
            sources.append(("sales", self._kam_sale_order_lines))
        if "account.move" in self.env:
            sources.append(("invoices", self._kam_invoice_lines))
        return sources

    @api.model
    def _kam_opportunity_lines(self, accounts, date_from=None, date_to=None):
        """Won opportunities (on the account or its contacts) by closing day. A
        growth deal has a growth type or belongs to an account plan."""
        return SQL(
            """
            SELECT lp.commercial_partner_id AS partner_id,
                   l.date_closed::date AS date,
                   l.expected_revenue AS amount,
                   l.kam_plan_id AS plan_id,
                   (l.kam_growth_type IS NOT NULL OR l.kam_plan_id IS NOT NULL)
                       AS growth
              FROM crm_lead l
              JOIN res_partner lp ON lp.id = l.partner_id
              JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.active AND s.is_won AND l.type = 'opportunity'
               AND %(accounts)s AND %(dates)s
            """,
            accounts=self._kam_accounts_condition(
                SQL("lp.commercial_partner_id"), accounts
            ),
            dates=self._kam_dates_condition(
                SQL("l.date_closed::date"), date_from, date_to
            ),
        )

    @api.model
    def _kam_sale_order_lines(self, accounts, date_from=None, date_to=None):
        """Confirmed sales orders, untaxed, in the company currency; the plan of
        the order's opportunity where Sales and CRM are linked."""
        from_opportunity = "opportunity_id" in self.env["sale.order"]._fields
        return SQL(
            """
            SELECT op.commercial_partner_id AS partner_id,
                   o.date_order::date AS date,
                   o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1)
                       AS amount,
                   %(plan)s AS plan_id,
                   FALSE AS growth
              FROM sale_order o
              JOIN res_partner op ON op.id = o.partner_id
                   %(join)s
             WHERE o.state = 'sale' AND %(accounts)s AND %(dates)s
            """,
            plan=SQL("ol.kam_plan_id") if from_opportunity else SQL("NULL::int"),
            join=SQL("LEFT JOIN crm_lead ol ON ol.id = o.opportunity_id")
            if from_opportunity
            else SQL(),
            accounts=self._kam_accounts_condition(
                SQL("op.commercial_partner_id"), accounts
            ),
            dates=self._kam_dates_condition(
                SQL("o.date_order::date"), date_from, date_to
            ),
        )

    @api.model
    def _kam_invoice_lines(self, accounts, date_from=None, date_to=None):
        """Posted customer invoices less credit notes, untaxed, in the company
        currency."""
        return SQL(
            """
            SELECT commercial_partner_id AS partner_id,
                   invoice_date AS date,
                   amount_untaxed_signed AS amount,
                   NULL::int AS plan_id,
                   FALSE AS growth
              FROM account_move
             WHERE state = 'posted' AND move_type IN ('out_invoice', 'out_refund')
               AND %(accounts)s AND %(dates)s
            """,
            accounts=self._kam_accounts_condition(
                SQL("commercial_partner_id"), accounts
            ),
            dates=self._kam_dates_condition(SQL("invoice_date"), date_from, date_to),
        )

    @api.model
    def _kam_revenue_lines(self, accounts, date_from=None, date_to=None):
        """The SQL of the revenue lines of the accounts in the period, with the
        columns ``REVENUE_LINE_COLUMNS`` and ``source``: per account, only the
        lines of the best source that has lines in the period."""
        parts = [
            SQL(
                "SELECT %s, %s::text AS source, %s AS priority FROM (%s) src",
                REVENUE_LINE_COLUMNS,
                source,
                priority,
                method(accounts, date_from, date_to),
            )
            for priority, (source, method) in enumerate(self._kam_revenue_sources())
        ]
        if len(parts) == 1:
            return parts[0]
        return SQL(
            """
            SELECT %(columns)s, source
              FROM (SELECT *, MAX(priority) OVER (PARTITION BY partner_id) AS best
                      FROM (%(parts)s) lines) ranked
             WHERE priority = best
            """,
            columns=REVENUE_LINE_COLUMNS,
            parts=SQL(" UNION ALL ").join(parts),
        )

    @api.model
    def _kam_expansion_lines(self, accounts, date_from=None, date_to=None):
        """Expansion revenue: the won growth opportunities (with a growth type or
        in an account plan), whatever the revenue source of the account."""
        return SQL(
            "SELECT * FROM (%s) opportunities WHERE growth",
            self._kam_opportunity_lines(accounts, date_from, date_to),
        )

    @api.model
    def _kam_pipeline(self, accounts):
        """The SQL of the open pipeline per account: open opportunities (not won,
        not lost) of the account and its contacts, with ``open_count``,
        ``open_amount`` and ``open_weighted`` (prorated)."""
        return SQL(
            """
            SELECT lp.commercial_partner_id AS partner_id,
                   COUNT(*) AS open_count,
                   SUM(l.expected_revenue) AS open_amount,
                   SUM(l.prorated_revenue) AS open_weighted
              FROM crm_lead l
              JOIN res_partner lp ON lp.id = l.partner_id
         LEFT JOIN crm_stage s ON s.id = l.stage_id
             WHERE l.active AND l.type = 'opportunity'
               AND NOT COALESCE(s.is_won, FALSE) AND %(accounts)s
          GROUP BY lp.commercial_partner_id
            """,
            accounts=self._kam_accounts_condition(
                SQL("lp.commercial_partner_id"), accounts
            ),
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
    def _kam_revenue_summary(self, partner_ids, today):
        """Revenue of the last 12 months and the 12 before, and open pipeline, per
        account: ``{partner_id: {"source", "current", "previous", "open_count",
        "open_amount", "open_weighted", "overdue"}}``, for the accounts with
        revenue in 24 months or an open opportunity."""
        year_ago = today - relativedelta(years=1)
        self.env.cr.execute(
            SQL(
                """
                WITH revenue AS (
                    SELECT partner_id, MIN(source) AS source,
                           SUM(amount) FILTER (WHERE date >= %(year_ago)s) AS current,
                           SUM(amount) FILTER (WHERE date < %(year_ago)s) AS previous
                      FROM (%(lines)s) lines
                  GROUP BY partner_id
                )
                SELECT COALESCE(r.partner_id, p.partner_id), r.source,
                       r.current, r.previous,
                       p.open_count, p.open_amount, p.open_weighted
                  FROM revenue r
             FULL JOIN (%(pipeline)s) p ON p.partner_id = r.partner_id
                """,
                year_ago=year_ago,
                lines=self._kam_revenue_lines(
                    partner_ids, today - relativedelta(years=2), today
                ),
                pipeline=self._kam_pipeline(partner_ids),
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
            "overdue": 0.0,
        }

    @api.model
    def _kam_overdue_by_account(self, partner_ids, today):
        """``[(partner_id, amount)]`` of the customer invoices past due and not
        paid, where Invoicing is installed."""
        if "account.move" not in self.env:
            return []
        self.env.cr.execute(
            SQL(
                """
                SELECT commercial_partner_id, SUM(amount_residual_signed)
                  FROM account_move
                 WHERE state = 'posted' AND move_type = 'out_invoice'
                   AND invoice_date_due < %(today)s
                   AND payment_state IN ('not_paid', 'partial')
                   AND commercial_partner_id = ANY(%(ids)s)
              GROUP BY commercial_partner_id
                """,
                today=today,
                ids=list(partner_ids),
            )
        )
        return self.env.cr.fetchall()
