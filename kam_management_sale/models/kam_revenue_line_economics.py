# pylint: disable=consider-merging-classes-inherited
# (a file of its own: the cost and discount of the revenue lines, DESIGN §14)
from odoo import api, models
from odoo.tools import SQL


class KamRevenueLine(models.Model):
    """The cost and the discount of an order line not invoiced yet (aliases of
    ``_from_sale``: ``sol`` the line, ``o`` the order, ``pp``/``pt`` the product,
    ``lu``/``pu`` the units of the line and of the product), in the currency of
    the order's company, like its amount.

    The cost is the product's cost today, as on invoice lines
    (``kam_management_account``); the Sales Margin bridge replaces it by the
    cost of the sale line."""

    _inherit = "kam.revenue.line"
    _depends = {
        "sale.order.line": ["discount", "product_uom"],
        "product.product": ["standard_price"],
        "product.template": ["list_price", "uom_id"],
    }

    @api.model
    def _kam_sale_product_quantity(self):
        """The quantity of the line in the unit of its product."""
        return SQL("sol.product_uom_qty / COALESCE(lu.factor, pu.factor) * pu.factor")

    @api.model
    def _kam_sale_net(self):
        """The untaxed amount of the line in the currency of the company."""
        return SQL("(sol.price_subtotal / COALESCE(NULLIF(o.currency_rate, 0), 1))")

    @api.model
    def _kam_sale_cost(self):
        return SQL(
            """CASE WHEN sol.product_id IS NOT NULL THEN %(quantity)s
                * COALESCE((pp.standard_price ->> o.company_id::text)::numeric, 0)
               END""",
            quantity=self._kam_sale_product_quantity(),
        )

    @api.model
    def _kam_sale_discount(self):
        """As on invoice lines: the list price times the quantity less the price
        sold, or the line's own discount where larger, never below 0."""
        return SQL(
            """GREATEST(
                   pt.list_price * %(quantity)s - %(net)s,
                   CASE WHEN sol.discount < 100
                        THEN %(net)s * sol.discount / (100 - sol.discount) END,
                   0)""",
            quantity=self._kam_sale_product_quantity(),
            net=self._kam_sale_net(),
        )
