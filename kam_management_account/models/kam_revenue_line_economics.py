# pylint: disable=consider-merging-classes-inherited
# (a file of its own: the cost and discount of the revenue lines, DESIGN §14)
from odoo import api, models
from odoo.tools import SQL


class KamRevenueLine(models.Model):
    """The cost and the discount of an invoice line (aliases of
    ``_from_invoice``: ``ml`` the line, ``m`` the invoice, ``pp``/``pt`` the
    product, ``lu``/``pu`` the units of the line and of the product), in the
    currency of the invoice's company, negative on a credit note.

    The cost is the product's cost (``standard_price`` of the invoice's
    company) today, not at the date of the invoice: Odoo keeps no history of
    the cost outside stock valuation. The Sales Margin bridge replaces it by the
    cost of the sale line invoiced, fixed when it was sold."""

    _inherit = "kam.revenue.line"
    _depends = {
        "account.move.line": ["discount", "product_uom_id"],
        "product.product": ["standard_price"],
        "product.template": ["list_price", "uom_id"],
    }

    @api.model
    def _kam_invoice_sign(self):
        return SQL("CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END")

    @api.model
    def _kam_invoice_product_quantity(self):
        """The quantity of the line in the unit of its product."""
        return SQL("ml.quantity / COALESCE(lu.factor, pu.factor) * pu.factor")

    @api.model
    def _kam_invoice_cost(self):
        """The product's cost of the invoice's company times the quantity; no
        cost (NULL) for a line without product."""
        return SQL(
            """CASE WHEN ml.product_id IS NOT NULL THEN %(sign)s * %(quantity)s
                * COALESCE((pp.standard_price ->> m.company_id::text)::numeric, 0)
               END""",
            sign=self._kam_invoice_sign(),
            quantity=self._kam_invoice_product_quantity(),
        )

    @api.model
    def _kam_invoice_discount(self):
        """What the line gave away: the product's list price times the quantity
        less the price sold, or the line's own discount where it is larger
        (a price list in another currency), never below 0. The list price is
        taken in the currency of the invoice's company."""
        net = SQL("(%s * -ml.balance)", self._kam_invoice_sign())
        return SQL(
            """%(sign)s * GREATEST(
                   pt.list_price * %(quantity)s - %(net)s,
                   CASE WHEN ml.discount < 100
                        THEN %(net)s * ml.discount / (100 - ml.discount) END,
                   0)""",
            sign=self._kam_invoice_sign(),
            quantity=self._kam_invoice_product_quantity(),
            net=net,
        )
