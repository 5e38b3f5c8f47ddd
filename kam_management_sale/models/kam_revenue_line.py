from odoo import api, fields, models
from odoo.tools import SQL


class KamRevenueLine(models.Model):
    """Confirmed sales orders as revenue lines, one per order line, with its
    product, category and quantity. An order made from a won opportunity is the
    same deal: the opportunity no longer counts. An order with a posted invoice
    is counted by its invoices (``kam_management_account``, a dependency)."""

    _inherit = "kam.revenue.line"
    _depends = {
        "sale.order": [
            "company_id",
            "currency_rate",
            "date_order",
            "opportunity_id",
            "partner_id",
            "state",
        ],
        "sale.order.line": [
            "display_type",
            "invoice_lines",
            "order_id",
            "price_subtotal",
            "product_id",
            "product_uom_qty",
        ],
        "account.move": ["move_type", "state"],
        "account.move.line": ["move_id"],
    }

    source = fields.Selection(
        selection_add=[("sales", "Sales Orders")], ondelete={"sales": "cascade"}
    )

    @api.model
    def _selection_document(self):
        return [*super()._selection_document(), ("sale.order", self.env._("Order"))]

    @api.model
    def _kam_line_parts(self):
        return [
            *super()._kam_line_parts(),
            self._kam_part(self._select_sale(), self._from_sale(), self._where_sale()),
        ]

    @api.model
    def _select_sale(self):
        """By order date, untaxed, in the currency of the order's company (the
        order's rate, as Sales reports do); the plan of the order's
        opportunity."""
        return self._kam_select(
            ("sale.order", SQL("o.id")),
            SQL("sol.id"),
            1,
            account_id=SQL("op.kam_account_id"),
            unit_id=SQL("op.commercial_partner_id"),
            partner_id=SQL("o.partner_id"),
            date=SQL("o.date_order::date"),
            amount=SQL("sol.price_subtotal / COALESCE(NULLIF(o.currency_rate, 0), 1)"),
            currency_id=SQL("oc.currency_id"),
            company_id=SQL("o.company_id"),
            source=SQL("'sales'::varchar"),
            plan_id=SQL("ol.kam_plan_id"),
            quantity=SQL("sol.product_uom_qty"),
            product_id=SQL("sol.product_id"),
            categ_id=SQL("pt.categ_id"),
            cost=self._kam_sale_cost(),
            discount=self._kam_sale_discount(),
        )

    @api.model
    def _from_sale(self):
        return SQL(
            """
            sale_order_line sol
            JOIN sale_order o ON o.id = sol.order_id
            JOIN res_partner op ON op.id = o.partner_id
            JOIN res_company oc ON oc.id = o.company_id
            LEFT JOIN crm_lead ol ON ol.id = o.opportunity_id
            LEFT JOIN product_product pp ON pp.id = sol.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            LEFT JOIN uom_uom lu ON lu.id = sol.product_uom
            LEFT JOIN uom_uom pu ON pu.id = pt.uom_id
            """
        )

    @api.model
    def _where_sale(self):
        """The lines of confirmed orders without a posted customer invoice or
        credit note (sections and notes aside)."""
        return SQL(
            """
            o.state = 'sale' AND sol.display_type IS NULL
            AND NOT EXISTS (
                SELECT 1
                  FROM sale_order_line isol
                  JOIN sale_order_line_invoice_rel rel
                    ON rel.order_line_id = isol.id
                  JOIN account_move_line ml ON ml.id = rel.invoice_line_id
                  JOIN account_move m ON m.id = ml.move_id
                 WHERE isol.order_id = o.id AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund'))
            """
        )

    @api.model
    def _where_opportunity_counted(self):
        """Not the won opportunities a confirmed order came from."""
        return SQL(
            """
            %s AND NOT EXISTS (
                SELECT 1 FROM sale_order so
                 WHERE so.opportunity_id = l.id AND so.state = 'sale')
            """,
            super()._where_opportunity_counted(),
        )
