from odoo import api, fields, models
from odoo.tools import SQL


class KamRevenueLine(models.Model):
    """Confirmed sales orders as revenue lines: better than won opportunities
    (an order made from a won opportunity is the same deal), below invoices
    where Invoicing is installed."""

    _inherit = "kam.revenue.line"
    _depends = {
        "sale.order": [
            "amount_untaxed",
            "company_id",
            "currency_rate",
            "date_order",
            "opportunity_id",
            "partner_id",
            "state",
        ],
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
            1,
            account_id=SQL("op.commercial_partner_id"),
            unit_id=SQL("op.commercial_partner_id"),
            partner_id=SQL("o.partner_id"),
            date=SQL("o.date_order::date"),
            amount=SQL("o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1)"),
            currency_id=SQL("oc.currency_id"),
            company_id=SQL("o.company_id"),
            source=SQL("'sales'::varchar"),
            source_rank=SQL("10"),
            plan_id=SQL("ol.kam_plan_id"),
        )

    @api.model
    def _from_sale(self):
        return SQL(
            """
            sale_order o
            JOIN res_partner op ON op.id = o.partner_id
            JOIN res_company oc ON oc.id = o.company_id
            LEFT JOIN crm_lead ol ON ol.id = o.opportunity_id
            """
        )

    @api.model
    def _where_sale(self):
        return SQL("o.state = 'sale'")
