from odoo import api, fields, models
from odoo.tools import SQL


class KamRevenueLine(models.Model):
    """Posted customer invoices less credit notes as revenue lines: the best
    source."""

    _inherit = "kam.revenue.line"

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
        return SQL(
            """
            m.id * 4 + 2 AS id,
            m.commercial_partner_id AS account_id,
            m.commercial_partner_id AS unit_id,
            m.partner_id AS partner_id,
            m.invoice_date AS date,
            m.amount_untaxed_signed AS amount,
            mc.currency_id AS currency_id,
            m.company_id AS company_id,
            'invoices'::varchar AS source,
            20 AS source_rank,
            CONCAT('account.move,', m.id)::varchar AS document,
            NULL::int AS plan_id,
            FALSE AS growth,
            NULL::numeric AS quantity
            """
        )

    @api.model
    def _from_invoice(self):
        return SQL("account_move m JOIN res_company mc ON mc.id = m.company_id")

    @api.model
    def _where_invoice(self):
        return SQL(
            "m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')"
        )
