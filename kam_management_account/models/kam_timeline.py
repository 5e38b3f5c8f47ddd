from odoo import api, fields, models
from odoo.tools import SQL


class KamTimeline(models.Model):
    """Posted customer invoices and credit notes in the timeline of their
    account."""

    _inherit = "kam.timeline"
    _depends = {
        "account.move": [
            "company_id",
            "invoice_date",
            "invoice_user_id",
            "move_type",
            "name",
            "partner_id",
            "state",
        ],
    }

    kind = fields.Selection(
        selection_add=[("invoice", "Invoice"), ("credit_note", "Credit Note")],
        ondelete={"invoice": "cascade", "credit_note": "cascade"},
    )

    @api.model
    def _kam_timeline_parts(self):
        return [
            *super()._kam_timeline_parts(),
            ("account.move", self._kam_invoice_part()),
        ]

    @api.model
    def _kam_invoice_part(self):
        """Posted customer invoices and credit notes, at the start of their
        invoice date (``_kam_day_start``)."""
        return self._kam_part(
            SQL("account_move mv JOIN res_partner c ON c.id = mv.partner_id"),
            SQL(
                "mv.move_type IN ('out_invoice', 'out_refund') AND mv.state = 'posted'"
            ),
            key=SQL("mv.id"),
            partner_id=SQL("c.kam_account_id"),
            date=self._kam_day_start(SQL("mv.invoice_date")),
            kind=SQL(
                "(CASE WHEN mv.move_type = 'out_refund' "
                "THEN 'credit_note' ELSE 'invoice' END)::varchar"
            ),
            res_model=SQL("'account.move'::varchar"),
            res_id=SQL("mv.id"),
            message_id=SQL("NULL::integer"),
            name=SQL("mv.name"),
            user_id=SQL("mv.invoice_user_id"),
            company_id=SQL("mv.company_id"),
        )
