from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.values import kam_check_values
from .kam_escalation import ESCALATION_OPEN_STATES
from .res_partner import KAM_USER_GROUP

GROWTH_TYPES = [
    ("upsell", "Upsell"),
    ("cross_sell", "Cross-sell"),
    ("expansion", "Expansion"),
    ("renewal", "Renewal"),
    ("new_project", "New Project"),
]


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Follows the account the customer counts for (res.partner's kam_account_id:
    # its commercial entity or its group), so that an opportunity with a contact person of a
    # key account is a key account opportunity too. Related fields are searchable.
    is_key_account = fields.Boolean(
        string="Key Account",
        related="partner_id.kam_account_id.is_key_account",
    )
    # The sales team sees the health colour of the key accounts in the pipeline, not
    # the rest of the key account data (restricted to KAM users on the partner).
    kam_health_band = fields.Selection(
        string="Account Health",
        related="partner_id.kam_account_id.kam_health_band",
        groups="base.group_user",
    )

    # ------------------------------------------------------------
    # Account plans
    # ------------------------------------------------------------
    kam_account_id = fields.Many2one(
        "res.partner",
        string="Account",
        related="partner_id.kam_account_id",
    )
    kam_plan_id = fields.Many2one(
        "kam.account.plan",
        string="Account Plan",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        copy=False,
        domain="[('partner_id', '=', kam_account_id)]",
        help="The account plan this opportunity is a growth initiative of.",
        # plan data: neither the plan's name nor the link for the salesmen
        # outside the programme, even on their own opportunities
        groups=KAM_USER_GROUP,
    )
    kam_growth_type = fields.Selection(
        GROWTH_TYPES,
        string="Growth Type",
        tracking=True,
        help="Kind of growth this opportunity brings to the key account.",
        # a salesman outside the programme duplicates opportunities too: a copy
        # reads every copied field, and this one is not theirs to read
        copy=False,
        groups=KAM_USER_GROUP,
    )

    @api.constrains("kam_plan_id", "partner_id")
    def _check_kam_plan_account(self):
        # sudo: the salesman who changes the customer may not read plans
        for lead in self.sudo().filtered("kam_plan_id"):
            plan = lead.kam_plan_id
            if lead.kam_account_id != plan.partner_id:
                raise ValidationError(
                    self.env._(
                        "The opportunity %(lead)s can only be a growth initiative of "
                        "an account plan of its customer: %(plan)s is a plan of "
                        "%(account)s.",
                        lead=lead.name,
                        plan=plan.name,
                        account=plan.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._kam_check_values(vals_list)
        leads = super().create(vals_list)
        # after the creation: a default (from the context) may set the plan too
        leads._kam_check_plan_rights(leads.kam_plan_id)
        return leads

    def write(self, vals):
        self._kam_check_values([vals])
        if "kam_plan_id" in vals:
            # the plan left and the plan joined both change their revenue
            plans = self.kam_plan_id | self.env["kam.account.plan"].browse(
                vals["kam_plan_id"]
            )
            self._kam_check_plan_rights(plans)
        return super().write(vals)

    @api.model
    def _kam_check_values(self, vals_list):
        """Refuse with a message the values of the wrong type or out of range of
        the fields the addon adds (not crm's own), before the ORM stops on them
        with a traceback. No query."""
        kam_check_values(
            self,
            vals_list,
            {
                fname
                for vals in vals_list
                for fname in vals
                if fname.startswith("kam_") or fname == "is_key_account"
            },
        )

    def _kam_check_plan_rights(self, plans):
        """Only the users who may change ``plans`` link opportunities to them or
        unlink them: an opportunity counts in its plan's revenue."""
        if plans and not self.env.su:
            plans.check_access("write")

    def action_kam_link_plan(self):
        """Links each opportunity to the active plan of its account (the one whose
        period includes today when there are several)."""
        accounts = self.kam_account_id
        plans = self.env["kam.account.plan"].search(
            [("state", "=", "active"), ("partner_id", "in", accounts.ids)],
            order="date_start desc",
        )
        today = fields.Date.context_today(self)
        for lead in self:
            account = lead.kam_account_id
            if not account:
                raise UserError(
                    self.env._(
                        "Set the customer of the opportunity %(lead)s before linking "
                        "it to an account plan.",
                        lead=lead.name,
                    )
                )
            candidates = plans.filtered(lambda p, a=account: p.partner_id == a)
            current = candidates.filtered(lambda p: p.date_start <= today <= p.date_end)
            plan = (current or candidates)[:1]
            if not plan:
                raise UserError(
                    self.env._(
                        "%(account)s has no active account plan to link the "
                        "opportunity %(lead)s to. Activate a plan for the account "
                        "first.",
                        account=account.display_name,
                        lead=lead.name,
                    )
                )
            lead.kam_plan_id = plan
        return True

    # ------------------------------------------------------------
    # Escalations
    # ------------------------------------------------------------
    def action_kam_escalate(self):
        """A new manual escalation of the key account, linked to this opportunity
        (for KAM users: the escalation's own rules decide on its creation)."""
        self.ensure_one()
        if not self.env.user.has_group("kam_management.group_kam_user"):
            raise AccessError(
                self.env._("Only Key Account Management users can escalate.")
            )
        partner = self.kam_account_id
        big = bool(self._kam_filter_big_opportunities())
        if big:
            # at most one open big opportunity escalation per account: open it
            existing = self.env["kam.escalation"].search(
                [
                    ("partner_id", "=", partner.id),
                    ("reason", "=", "big_opportunity"),
                    ("state", "in", ESCALATION_OPEN_STATES),
                ],
                limit=1,
            )
            if existing:
                return {
                    "type": "ir.actions.act_window",
                    "res_model": "kam.escalation",
                    "res_id": existing.id,
                    "view_mode": "form",
                    "target": "current",
                }
        return self.env["kam.escalation"]._kam_action_escalate(
            {
                "partner_id": partner.id,
                "lead_id": self.id,
                "reason": "big_opportunity" if big else "other",
            }
        )

    def _kam_filter_big_opportunities(self):
        """The big opportunities among these leads: open opportunities (neither won
        nor lost) worth at least the Big Opportunity Amount of their company. The
        one definition, for the escalation rule and the Escalate button."""
        return self.filtered(
            lambda lead: lead.type == "opportunity"
            and lead.active
            and lead.probability < 100
            and not lead.stage_id.is_won
            and lead.expected_revenue
            >= (lead.company_id or self.env.company).kam_escalation_big_deal
        )
