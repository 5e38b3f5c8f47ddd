from odoo import fields, models

KAM_USER_GROUP = "kam_management.group_kam_user"
# Odoo's "Overdue" filter of the customer invoices
OVERDUE_PAYMENT_STATES = ("not_paid", "partial", "in_payment")
CUSTOMER_MOVE_TYPES = ("out_invoice", "out_refund")


class ResPartner(models.Model):
    _inherit = "res.partner"

    kam_overdue_amount = fields.Monetary(
        string="Overdue Amount",
        compute="_compute_kam_overdue",
        currency_field="currency_id",
        compute_sudo=True,
        groups=KAM_USER_GROUP,
        help="What the key account (and its contacts) owes on customer invoices "
        "past their due date, less the credit notes, in the company's currency.",
    )
    kam_overdue_invoice_count = fields.Integer(
        string="Overdue Invoices",
        compute="_compute_kam_overdue",
        compute_sudo=True,
        groups=KAM_USER_GROUP,
    )

    def _kam_overdue_domain(self):
        return [
            ("commercial_partner_id", "in", self.ids),
            ("company_id", "in", self.env.companies.ids),
            ("move_type", "in", CUSTOMER_MOVE_TYPES),
            ("state", "=", "posted"),
            ("payment_state", "in", OVERDUE_PAYMENT_STATES),
            ("invoice_date_due", "<", fields.Date.context_today(self)),
        ]

    def _compute_kam_overdue(self):
        accounts = self._origin.filtered("is_key_account")
        overdue = {}
        if accounts:
            groups = self.env["account.move"]._read_group(
                accounts._kam_overdue_domain(),
                ["commercial_partner_id"],
                ["amount_residual_signed:sum", "__count"],
            )
            overdue = {partner.id: (amount, count) for partner, amount, count in groups}
        for partner in self:
            amount, count = overdue.get(partner._origin.id, (0.0, 0))
            partner.kam_overdue_amount = amount
            partner.kam_overdue_invoice_count = count

    def action_kam_view_overdue_invoices(self):
        """The overdue customer invoices of the key account, in Invoicing."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = self._kam_overdue_domain()
        action["context"] = {"default_move_type": "out_invoice", "create": False}
        return action
