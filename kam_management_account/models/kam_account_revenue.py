from odoo import api, models
from odoo.tools import SQL


class KamAccountRevenue(models.AbstractModel):
    """Invoicing as the best source of revenue: posted customer invoices less
    credit notes, untaxed; and the overdue receivables of the health score."""

    _inherit = "kam.account.revenue"

    @api.model
    def _kam_revenue_sources(self):
        return [
            *super()._kam_revenue_sources(),
            (20, "invoices", self._kam_invoice_lines),
        ]

    @api.model
    def _kam_invoice_lines(self, accounts, date_from=None, date_to=None):
        """Posted customer invoices and credit notes (negative) by invoice date,
        untaxed, in the currency of the invoice's company."""
        return SQL(
            """
            SELECT m.commercial_partner_id AS partner_id,
                   m.invoice_date AS date,
                   m.amount_untaxed_signed AS amount,
                   NULL::int AS plan_id,
                   FALSE AS growth,
                   m.company_id,
                   mc.currency_id
              FROM account_move m
              JOIN res_company mc ON mc.id = m.company_id
             WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
               AND %(accounts)s AND %(dates)s
            """,
            accounts=self._kam_partners_condition(SQL("m.partner_id"), accounts),
            dates=self._kam_dates_condition(SQL("m.invoice_date"), date_from, date_to),
        )

    @api.model
    def _kam_overdue_by_account(self, partner_ids, today):
        """What the account owes and is late paying: the residual of its
        customer invoices past due on ``today``, less its open credit notes
        (credit it may use), when positive; converted at ``today`` (the amount
        owed now)."""
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, amount FROM (
                    SELECT m.commercial_partner_id AS partner_id,
                           SUM(%(residual)s) AS amount
                      FROM account_move m
                      JOIN res_company mc ON mc.id = m.company_id
                     WHERE m.state = 'posted'
                       AND m.payment_state IN ('not_paid', 'partial')
                       AND (m.move_type = 'out_refund'
                            OR (m.move_type = 'out_invoice'
                                AND m.invoice_date_due < %(today)s))
                       AND %(accounts)s
                       AND %(companies)s
                  GROUP BY m.commercial_partner_id
                ) overdue
                 WHERE amount > 0
                """,
                residual=self._kam_converted(
                    SQL("m.amount_residual_signed"),
                    SQL("mc.currency_id"),
                    SQL("%s::date", today),
                ),
                today=today,
                accounts=self._kam_partners_condition(SQL("m.partner_id"), partner_ids),
                companies=self._kam_companies_condition(SQL("m.company_id")),
            )
        )
        return self.env.cr.fetchall()
