from odoo import api, models
from odoo.tools import SQL


class KamAccountRevenue(models.AbstractModel):
    """The overdue receivables of the health score (invoices as revenue lines:
    ``kam.revenue.line``)."""

    _inherit = "kam.account.revenue"

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
                    SELECT mp.kam_account_id AS partner_id,
                           SUM(%(residual)s) AS amount
                      FROM account_move m
                      JOIN res_partner mp ON mp.id = m.partner_id
                      JOIN res_company mc ON mc.id = m.company_id
                     WHERE m.state = 'posted'
                       AND m.payment_state IN ('not_paid', 'partial')
                       AND (m.move_type = 'out_refund'
                            OR (m.move_type = 'out_invoice'
                                AND m.invoice_date_due < %(today)s))
                       AND %(accounts)s
                       AND %(companies)s
                  GROUP BY mp.kam_account_id
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
