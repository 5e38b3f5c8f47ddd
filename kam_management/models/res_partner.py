from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

KAM_STRATEGIES = [
    ("harvest", "Harvest"),
    ("maintain", "Maintain"),
    ("selective_investment", "Selective Investment"),
    ("expansive_investment", "Expansive Investment"),
]
KAM_RELATIONSHIP_STAGES = [
    ("supplier", "Supplier"),
    ("preferred_supplier", "Preferred Supplier"),
    ("partner", "Partner"),
    ("trusted_partner", "Trusted Partner"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # ------------------------------------------------------------
    # Designation
    # ------------------------------------------------------------
    is_key_account = fields.Boolean(
        string="Key Account",
        copy=False,
        index=True,
        tracking=True,
        help="Key accounts get a Key Account Manager, an account team, a strategy and "
        "a plan. Promote and demote them with the designation wizard.",
    )
    kam_since = fields.Date(
        string="Key Account Since", copy=False, tracking=True, readonly=True
    )
    kam_user_id = fields.Many2one(
        "res.users",
        string="Key Account Manager",
        copy=False,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    kam_team_member_ids = fields.One2many(
        "kam.team.member", "partner_id", string="Account Team", copy=False
    )
    kam_team_member_count = fields.Integer(
        string="Team Members", compute="_compute_kam_team_member_count"
    )
    kam_strategy = fields.Selection(
        KAM_STRATEGIES,
        string="Strategy",
        copy=False,
        tracking=True,
        help="Harvest: protect margin with little investment. Maintain: keep the "
        "position. Selective investment: invest where the account will grow. "
        "Expansive investment: invest to grow the account strongly.",
    )
    kam_relationship_stage = fields.Selection(
        KAM_RELATIONSHIP_STAGES,
        string="Relationship Stage",
        copy=False,
        tracking=True,
        help="How the account sees us, from a vendor to a fellow traveller.",
    )
    # ------------------------------------------------------------
    # Selection scoring matrix
    # ------------------------------------------------------------
    kam_selection_score_ids = fields.One2many(
        "kam.selection.score", "partner_id", string="Selection Scores", copy=False
    )
    kam_selection_score = fields.Float(
        string="Selection Score",
        compute="_compute_kam_selection_score",
        store=True,
        digits=(16, 1),
        aggregator="avg",
        help="Weighted mean of the scores on the active criteria, times 10 (0-100). "
        "Only the criteria the account is scored on count.",
    )

    @api.depends(
        "kam_selection_score_ids.score",
        "kam_selection_score_ids.criterion_id.weight",
        "kam_selection_score_ids.criterion_id.active",
    )
    def _compute_kam_selection_score(self):
        for partner in self:
            lines = partner.kam_selection_score_ids.filtered("criterion_id.active")
            total_weight = sum(lines.criterion_id.mapped("weight"))
            weighted = sum(line.score * line.criterion_id.weight for line in lines)
            partner.kam_selection_score = (
                weighted / total_weight * 10 if total_weight else 0.0
            )

    def _compute_kam_team_member_count(self):
        counts = dict(
            self.env["kam.team.member"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.kam_team_member_count = counts.get(partner, 0)

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------
    @api.constrains("is_key_account", "parent_id", "is_company")
    def _check_kam_commercial_entity(self):
        for partner in self:
            if partner.is_key_account and partner.commercial_partner_id != partner:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is a contact of %(company)s: only the company "
                        "itself can be a key account.",
                        contact=partner.display_name,
                        company=partner.commercial_partner_id.display_name,
                    )
                )

    @api.constrains("is_key_account", "company_id", "active")
    def _check_kam_max_key_accounts(self):
        key_accounts = self.filtered("is_key_account")
        companies = key_accounts.company_id
        if key_accounts.filtered(lambda p: not p.company_id):
            companies |= self.env.company
        for company in companies.filtered("kam_max_key_accounts"):
            count = self._kam_count_key_accounts(company)
            if count > company.kam_max_key_accounts:
                raise ValidationError(
                    self.env._(
                        "%(company)s is limited to %(max)s key accounts and this "
                        "change would make %(count)s. Demote an account first, or "
                        "raise the cap in Settings.",
                        company=company.name,
                        max=company.kam_max_key_accounts,
                        count=count,
                    )
                )

    @api.model
    def _kam_count_key_accounts(self, company):
        """Key accounts counted against the cap of ``company``: its own and the
        shared ones (partners without a company are visible in every company)."""
        return (
            self.sudo()
            .with_context(active_test=True)
            .search_count(
                [
                    ("is_key_account", "=", True),
                    ("company_id", "in", [company.id, False]),
                ]
            )
        )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("is_key_account"):
                self._kam_check_designation_rights(promote=True)
                vals.setdefault("kam_since", fields.Date.context_today(self))
        return super().create(vals_list)

    def write(self, vals):
        if "is_key_account" in vals:
            promote = bool(vals["is_key_account"])
            changed = self.filtered(lambda p: p.is_key_account != promote)
            if changed:
                self._kam_check_designation_rights(promote=promote)
                if promote:
                    vals = dict(vals, kam_since=vals.get("kam_since") or
                                fields.Date.context_today(self))
                else:
                    vals = dict(vals, kam_since=False)
        return super().write(vals)

    def _kam_check_designation_rights(self, promote):
        """Designation is for KAM users, demotion for KAM managers only."""
        if self.env.su:
            return
        group = "kam_management.group_kam_user" if promote else (
            "kam_management.group_kam_manager"
        )
        if not self.env.user.has_group(group):
            if promote:
                message = self.env._(
                    "Only Key Account Management users can designate key accounts."
                )
            else:
                message = self.env._(
                    "Only Key Account Management administrators can demote a key "
                    "account."
                )
            raise AccessError(message)

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def _kam_open_designation_wizard(self, mode):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promote to Key Account")
            if mode == "promote"
            else self.env._("Demote Key Account"),
            "res_model": "kam.designation.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.id, "default_mode": mode},
        }

    def action_kam_promote(self):
        return self._kam_open_designation_wizard("promote")

    def action_kam_demote(self):
        return self._kam_open_designation_wizard("demote")

    def action_kam_view_team(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Account Team"),
            "res_model": "kam.team.member",
            "view_mode": "list",
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id},
        }

    # ------------------------------------------------------------
    # Escalations
    # ------------------------------------------------------------
    kam_escalation_ids = fields.One2many(
        "kam.escalation",
        "partner_id",
        string="Escalations",
        groups="kam_management.group_kam_user",
    )
    kam_escalation_open_count = fields.Integer(
        string="Open Escalations",
        compute="_compute_kam_escalation_open_count",
        groups="kam_management.group_kam_user",
    )

    def _compute_kam_escalation_open_count(self):
        counts = dict(
            self.env["kam.escalation"]._read_group(
                [("partner_id", "in", self.ids), ("state", "in", ["new", "in_progress"])],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.kam_escalation_open_count = counts.get(partner, 0)

    def action_kam_view_escalations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_escalation_action"
        )
        action["domain"] = [("partner_id", "=", self.id)]
        action["context"] = {
            "default_partner_id": self.id,
            "search_default_filter_open": 1,
        }
        return action

    def action_kam_escalate(self):
        """A new manual escalation of this key account, in a form."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Escalate"),
            "res_model": "kam.escalation",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": self.commercial_partner_id.id,
                "default_source": "manual",
            },
        }
