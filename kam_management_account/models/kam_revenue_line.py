from odoo import api, fields, models
from odoo.tools import SQL


class KamRevenueLine(models.Model):
    """Posted customer invoices less credit notes as revenue lines, one per
    invoice line, with its product, category and quantity: an invoice always
    counts. The product columns are declared here, where the product model is
    known: the Sales bridge, which depends on this one, fills them too."""

    _inherit = "kam.revenue.line"
    _depends = {
        "account.move": [
            "commercial_partner_id",
            "company_id",
            "invoice_date",
            "move_type",
            "partner_id",
            "state",
        ],
        "account.move.line": [
            "balance",
            "display_type",
            "move_id",
            "product_id",
            "quantity",
            "tax_repartition_line_id",
        ],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
    }

    source = fields.Selection(
        selection_add=[("invoices", "Invoices")], ondelete={"invoices": "cascade"}
    )
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )

    @api.model
    def _selection_document(self):
        return [
            *super()._selection_document(),
            ("account.move", self.env._("Invoice")),
        ]

    @api.model
    def _kam_line_columns(self):
        return {
            **super()._kam_line_columns(),
            "product_id": SQL("NULL::int"),
            "categ_id": SQL("NULL::int"),
        }

    @api.model
    def _kam_line_parts(self):
        return [
            *super()._kam_line_parts(),
            self._kam_part(
                self._select_invoice(), self._from_invoice(), self._where_invoice()
            ),
        ]

    @api.model
    def _select_invoice(self):
        """By invoice date, untaxed (the line's balance, in the currency of the
        invoice's company), credit notes negative."""
        return self._kam_select(
            ("account.move", SQL("m.id")),
            SQL("ml.id"),
            2,
            account_id=SQL("mp.kam_account_id"),
            unit_id=SQL("m.commercial_partner_id"),
            partner_id=SQL("m.partner_id"),
            date=SQL("m.invoice_date"),
            amount=SQL("-ml.balance"),
            currency_id=SQL("mc.currency_id"),
            company_id=SQL("m.company_id"),
            source=SQL("'invoices'::varchar"),
            quantity=SQL(
                "CASE WHEN m.move_type = 'out_refund' THEN -ml.quantity"
                " ELSE ml.quantity END"
            ),
            product_id=SQL("ml.product_id"),
            categ_id=SQL("pt.categ_id"),
            cost=self._kam_invoice_cost(),
            discount=self._kam_invoice_discount(),
        )

    @api.model
    def _from_invoice(self):
        return SQL(
            """
            account_move_line ml
            JOIN account_move m ON m.id = ml.move_id
            JOIN res_partner mp ON mp.id = m.commercial_partner_id
            JOIN res_company mc ON mc.id = m.company_id
            LEFT JOIN product_product pp ON pp.id = ml.product_id
            LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
            LEFT JOIN uom_uom lu ON lu.id = ml.product_uom_id
            LEFT JOIN uom_uom pu ON pu.id = pt.uom_id
            """
        )

    @api.model
    def _where_invoice(self):
        """The lines of the untaxed amount: products, and cash rounding that is
        not a tax (as ``account.move`` computes it)."""
        return SQL(
            """
            m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
            AND ml.display_type IN ('product', 'rounding')
            AND ml.tax_repartition_line_id IS NULL
            """
        )

    def action_kam_open_document(self):
        """The invoice, order or opportunity of the line, in its form."""
        self.ensure_one()
        document = self.document
        return {
            "type": "ir.actions.act_window",
            "res_model": document._name,
            "res_id": document.id,
            "views": [(False, "form")],
        }
