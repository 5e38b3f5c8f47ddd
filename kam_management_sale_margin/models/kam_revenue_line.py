from odoo import api, models
from odoo.tools import SQL


class KamRevenueLine(models.Model):
    """The cost of a revenue line is the cost of the sale line (``purchase_price``
    of Sales Margin, in the order's currency, per unit of the line), fixed when
    it was sold, instead of the product's cost today: on the order lines not
    invoiced yet, and on the invoice lines of a sale line. An invoice line
    without a sale line keeps the product's cost."""

    _inherit = "kam.revenue.line"
    _depends = {"sale.order.line": ["purchase_price"]}

    @api.model
    def _kam_sale_cost(self):
        return SQL(
            """CASE WHEN sol.product_id IS NOT NULL
                    THEN sol.purchase_price * sol.product_uom_qty
                         / COALESCE(NULLIF(o.currency_rate, 0), 1)
               END"""
        )

    @api.model
    def _kam_invoice_cost(self):
        """The cost of the sale line invoiced (the first one, should a line
        invoice several) times the quantity invoiced, in the company's currency
        at the order's rate; else the product's cost."""
        return SQL(
            """COALESCE(
                   (SELECT %(sign)s * isol.purchase_price * ml.quantity
                           / COALESCE(NULLIF(io.currency_rate, 0), 1)
                      FROM sale_order_line_invoice_rel rel
                      JOIN sale_order_line isol ON isol.id = rel.order_line_id
                      JOIN sale_order io ON io.id = isol.order_id
                     WHERE rel.invoice_line_id = ml.id
                  ORDER BY isol.id LIMIT 1),
                   %(product_cost)s)""",
            sign=self._kam_invoice_sign(),
            product_cost=super()._kam_invoice_cost(),
        )
