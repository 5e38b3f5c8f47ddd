from odoo import api, models
from odoo.tools import SQL


class KamAccountRevenue(models.AbstractModel):
    """The order backlog of the accounts (their sales orders as revenue lines:
    ``kam.revenue.line``)."""

    _inherit = "kam.account.revenue"

    @api.model
    def _kam_order_backlog(self, partner_ids, today):
        """``{partner_id: amount}``: sold, not yet invoiced. The untaxed amount of
        the confirmed order lines not invoiced yet (ordered less invoiced,
        whatever is delivered), converted at ``today``."""
        self.env.cr.execute(
            SQL(
                """
                SELECT op.kam_account_id,
                       SUM(%(amount)s)
                  FROM sale_order_line l
                  JOIN sale_order o ON o.id = l.order_id
                  JOIN res_partner op ON op.id = o.partner_id
                  JOIN res_company oc ON oc.id = o.company_id
                 WHERE o.state = 'sale' AND l.display_type IS NULL
                   AND %(accounts)s
                   AND %(companies)s
              GROUP BY op.kam_account_id
                """,
                amount=self._kam_converted(
                    SQL(
                        "GREATEST(l.price_subtotal - l.untaxed_amount_invoiced, 0)"
                        " / COALESCE(NULLIF(o.currency_rate, 0), 1)"
                    ),
                    SQL("oc.currency_id"),
                    SQL("%s::date", today),
                ),
                accounts=self._kam_partners_condition(SQL("o.partner_id"), partner_ids),
                companies=self._kam_companies_condition(SQL("o.company_id")),
            )
        )
        return dict(self.env.cr.fetchall())
