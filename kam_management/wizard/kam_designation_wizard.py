from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..models.res_partner import KAM_RELATIONSHIP_STAGES, KAM_STRATEGIES
from ..tools.formats import kam_number


class KamDesignationWizard(models.TransientModel):
    _name = "kam.designation.wizard"
    _inherit = ["kam.checked.values.mixin"]
    _description = "Promote or Demote a Key Account"

    partner_id = fields.Many2one("res.partner", string="Account", required=True)
    mode = fields.Selection(
        [("promote", "Promote"), ("demote", "Demote")], required=True, default="promote"
    )
    # read with the user's rights: the wizard never shows what the partner hides
    selection_score = fields.Float(
        related="partner_id.kam_selection_score", digits=(16, 1), compute_sudo=False
    )
    selection_scored = fields.Boolean(
        related="partner_id.kam_selection_scored", compute_sudo=False
    )
    attractiveness_warning = fields.Char(
        compute="_compute_attractiveness_warning",
        help="Shown when the candidate scores below the attractiveness threshold "
        "of its company, or is not scored: a warning, the promotion stays open.",
    )
    selection_score_ids = fields.One2many(
        related="partner_id.kam_selection_score_ids",
        string="Scores",
        compute_sudo=False,
    )
    key_account_count = fields.Integer(compute="_compute_cap_usage")
    max_key_accounts = fields.Integer(compute="_compute_cap_usage")
    kam_user_id = fields.Many2one(
        "res.users",
        string="Key Account Manager",
        default=lambda self: self._default_kam_user_id(),
        domain="[('share', '=', False)]",
    )
    kam_strategy = fields.Selection(KAM_STRATEGIES, string="Strategy")
    kam_relationship_stage = fields.Selection(
        KAM_RELATIONSHIP_STAGES, string="Relationship Stage", default="supplier"
    )
    reason = fields.Text(help="Why the account leaves the key account programme.")
    archive = fields.Boolean(
        string="Archive the account too",
        help="Once demoted, archive the account: it leaves the contacts, the "
        "pipeline's customer lists and the reports.",
    )

    @api.model
    def _default_kam_user_id(self):
        """The user, or the Key Account Manager a former key account kept: only
        an administrator gives it to another one (res.partner's
        _kam_check_manager_change)."""
        partner_id = self.env.context.get("default_partner_id")
        partner = self.env["res.partner"]
        if isinstance(partner_id, int) and self.env.user.has_group(
            "kam_management.group_kam_user"
        ):
            partner = partner.browse(partner_id).exists()
        if partner.has_access("read") and not partner.is_key_account:
            return partner.kam_user_id or self.env.user
        return self.env.user

    @api.constrains("partner_id")
    def _check_partner_access(self):
        # a many2one's name is read as superuser: a wizard opened on a partner
        # the user may not read would give its name away
        if not self.env.su:
            self.partner_id.check_access("read")

    @api.depends("partner_id")
    def _compute_cap_usage(self):
        for wizard in self:
            company = wizard.partner_id.company_id or self.env.company
            wizard.max_key_accounts = company.kam_max_key_accounts
            wizard.key_account_count = self.env["res.partner"]._kam_count_key_accounts(
                company
            )

    @api.depends("mode", "partner_id", "selection_score", "selection_scored")
    def _compute_attractiveness_warning(self):
        for wizard in self:
            wizard.attractiveness_warning = (
                wizard._attractiveness_warning() if wizard.mode == "promote" else False
            )

    def _attractiveness_warning(self):
        """The warning of a candidate not scored, or scored below the
        attractiveness threshold of its company (of the current company for a
        shared one); False from the threshold up."""
        self.ensure_one()
        company = self.partner_id.company_id or self.env.company
        threshold = company.kam_attractiveness_threshold
        if not self.selection_scored:
            return self.env._(
                "%(account)s is not scored on the selection criteria, against the "
                "attractiveness threshold of %(threshold)s: key account programmes "
                "work best with few, attractive accounts.",
                account=self.partner_id.display_name,
                threshold=kam_number(self.env, threshold),
            )
        if float_compare(self.selection_score, threshold, precision_digits=1) >= 0:
            return False
        return self.env._(
            "%(account)s scores %(score)s against the attractiveness threshold of "
            "%(threshold)s: key account programmes work best with few, attractive "
            "accounts.",
            account=self.partner_id.display_name,
            score=kam_number(self.env, self.selection_score),
            threshold=kam_number(self.env, threshold),
        )

    def action_confirm(self):
        """Promote or demote the account of each wizard (of none: nothing to
        do, no traceback for an RPC call on a wizard gone)."""
        for wizard in self:
            wizard._confirm()
        return {"type": "ir.actions.act_window_close"}

    def _confirm(self):
        """The rights come first (whatever the defaults the wizard was opened
        with), then the state of the account."""
        partner = self.partner_id
        partner.check_access("write")
        partner._kam_check_designation_rights(promote=self.mode == "promote")
        if self.mode == "promote":
            self._promote()
        else:
            self._demote()

    def _promote(self):
        partner = self.partner_id
        if partner.is_key_account:
            raise UserError(
                self.env._(
                    "%(account)s is already a key account.",
                    account=partner.display_name,
                )
            )
        if not self.kam_user_id or not self.kam_strategy:
            raise UserError(
                self.env._(
                    "Choose the Key Account Manager and the strategy of the account."
                )
            )
        partner.write(
            {
                "is_key_account": True,
                "kam_user_id": self.kam_user_id.id,
                "kam_strategy": self.kam_strategy,
                "kam_relationship_stage": self.kam_relationship_stage,
            }
        )

    def _demote(self):
        partner = self.partner_id
        if not partner.is_key_account:
            raise UserError(
                self.env._(
                    "%(account)s is not a key account.", account=partner.display_name
                )
            )
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason for the demotion."))
        partner.write({"is_key_account": False})
        if self.archive:
            summary = self.env._("Demoted from key account and archived.")
        else:
            summary = self.env._("Demoted from key account.")
        partner.message_post(
            body=Markup("<p>%s</p><p>%s</p>") % (summary, self.reason),
            subtype_xmlid="mail.mt_note",
        )
        if self.archive:
            # no longer a key account: archived as any partner
            partner.action_archive()
