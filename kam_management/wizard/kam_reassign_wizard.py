from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

KAM_MANAGER_GROUP = "kam_management.group_kam_manager"


class KamReassignWizard(models.TransientModel):
    _name = "kam.reassign.wizard"
    _inherit = ["kam.checked.values.mixin"]
    _description = "Reassign Key Account Manager"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Key Accounts",
        required=True,
        domain=[("is_key_account", "=", True)],
        default=lambda self: self._default_partner_ids(),
    )
    allowed_user_ids = fields.Many2many(
        "res.users",
        compute="_compute_allowed_user_ids",
        help="The internal users who work in the companies of all the accounts.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="New Key Account Manager",
        required=True,
        domain="[('id', 'in', allowed_user_ids)]",
    )
    note = fields.Text(
        help="Why the accounts change hands, added to the note in their chatter."
    )

    @api.model
    def _default_partner_ids(self):
        context = self.env.context
        if context.get("active_model") != "res.partner":
            return False
        partners = self.env["res.partner"].browse(context.get("active_ids") or [])
        return partners.filtered("is_key_account")

    @api.constrains("partner_ids")
    def _check_partner_access(self):
        # no wizard on accounts the user may not read (their names come back)
        if not self.env.su:
            self.partner_ids.check_access("read")

    @api.depends("partner_ids")
    def _compute_allowed_user_ids(self):
        for wizard in self:
            domain = [("share", "=", False)] + [
                ("company_ids", "in", company.id)
                for company in wizard.partner_ids.company_id
            ]
            wizard.allowed_user_ids = self.env["res.users"].search(domain)

    def action_confirm(self):
        """Give the accounts of each wizard to its new KAM (none: nothing to
        do); the handover follows (res_partner_handover.py). KAM administrators
        only."""
        if not self.env.user.has_group(KAM_MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only Key Account Management administrators can reassign key "
                    "accounts."
                )
            )
        for wizard in self:
            wizard._reassign()
        return {"type": "ir.actions.act_window_close"}

    def _reassign(self):
        accounts = self.partner_ids
        others = accounts.filtered(lambda p: not p.is_key_account)
        if others:
            raise UserError(
                self.env._(
                    "%(partners)s is not a key account: only key accounts have a "
                    "Key Account Manager to reassign.",
                    partners=", ".join(others.mapped("display_name")),
                )
            )
        # a clear message for a user who may not take an account, before any
        # account changes hands
        for account in accounts:
            account._kam_check_staff(self.user_id)
        accounts.filtered(lambda p: p.kam_user_id != self.user_id).with_context(
            kam_handover_note=self.note
        ).write({"kam_user_id": self.user_id.id})
