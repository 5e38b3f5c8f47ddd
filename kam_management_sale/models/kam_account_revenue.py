from odoo import api, models
from odoo.tools import SQL


class KamAccountRevenue(models.AbstractModel):
    """Sales as a source of revenue, better than won opportunities (an order
    made from a won opportunity is the same deal) and below invoices where
    Invoicing is installed; and the order backlog of the accounts."""

    _inherit = "kam.account.revenue"

    @api.model
    def _kam_revenue_sources(self):
        return [
            *super()._kam_revenue_sources(),
            (10, "sales", self._kam_sale_order_lines),
        ]

    @api.model
    def _kam_sale_order_lines(self, accounts, date_from=None, date_to=None):
        """Confirmed sales orders by order date, untaxed, in the currency of the
        order's company (the order's rate, as Sales reports do); the plan of the
        order's opportunity."""
        return SQL(
            """
            SELECT op.commercial_partner_id AS partner_id,
                   o.date_order::date AS date,
                   o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1)
                       AS amount,
                   ol.kam_plan_id AS plan_id,
                   FALSE AS growth,
                   o.company_id,
                   oc.currency_id
              FROM sale_order o
              JOIN res_partner op ON op.id = o.partner_id
              JOIN res_company oc ON oc.id = o.company_id
         LEFT JOIN crm_lead ol ON ol.id = o.opportunity_id
             WHERE o.state = 'sale' AND %(accounts)s AND %(dates)s
            """,
            accounts=self._kam_partners_condition(SQL("o.partner_id"), accounts),
            dates=self._kam_dates_condition(
                SQL("o.date_order::date"), date_from, date_to
            ),
        )

    @api.model
    def _kam_order_backlog(self, partner_ids, today):
        """``{partner_id: amount}``: sold, not yet invoiced. The untaxed amount of
        the confirmed order lines not invoiced yet (ordered less invoiced,
        whatever is delivered), converted at ``today``."""
        self.env.cr.execute(
            SQL(
                """
                SELECT op.commercial_partner_id,
                       SUM(%(amount)s)
                  FROM sale_order_line l
                  JOIN sale_order o ON o.id = l.order_id
                  JOIN res_partner op ON op.id = o.partner_id
                  JOIN res_company oc ON oc.id = o.company_id
                 WHERE o.state = 'sale' AND l.display_type IS NULL
                   AND %(accounts)s
                   AND %(companies)s
              GROUP BY op.commercial_partner_id
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
