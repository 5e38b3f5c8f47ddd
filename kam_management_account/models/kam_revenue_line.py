from odoo import api, fields, models
from odoo.tools import SQL


class KamRevenueLine(models.Model):
    """Posted customer invoices less credit notes as revenue lines: an invoice
    always counts."""

    _inherit = "kam.revenue.line"
    _depends = {
        "account.move": [
            "amount_untaxed_signed",
            "commercial_partner_id",
            "company_id",
            "invoice_date",
            "move_type",
            "partner_id",
            "state",
        ],
    }

    source = fields.Selection(
        selection_add=[("invoices", "Invoices")], ondelete={"invoices": "cascade"}
    )

    @api.model
    def _selection_document(self):
        return [
            *super()._selection_document(),
            ("account.move", self.env._("Invoice")),
        ]

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
        """By invoice date, untaxed, credit notes negative, in the currency of
        the invoice's company."""
        return self._kam_select(
            ("account.move", SQL("m.id")),
            2,
            account_id=SQL("m.commercial_partner_id"),
            unit_id=SQL("m.commercial_partner_id"),
            partner_id=SQL("m.partner_id"),
            date=SQL("m.invoice_date"),
            amount=SQL("m.amount_untaxed_signed"),
            currency_id=SQL("mc.currency_id"),
            company_id=SQL("m.company_id"),
            source=SQL("'invoices'::varchar"),
        )

    @api.model
    def _from_invoice(self):
        return SQL("account_move m JOIN res_company mc ON mc.id = m.company_id")

    @api.model
    def _where_invoice(self):
        return SQL(
            "m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')"
        )
