from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.values import kam_check_name_length
from .res_partner import KAM_USER_GROUP

ACTION_SIDES = [
    ("company", "Our Company"),
    ("customer", "Customer"),
]
ACTION_STATES = [
    ("todo", "To Do"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class KamAccountPlanAction(models.Model):
    _name = "kam.account.plan.action"
    _description = "Key Account Plan Action"
    _inherit = ["kam.account.mixin"]
    _kam_account_field = "plan_id"
    _kam_account_path = "plan_id.partner_id"
    _order = "deadline, id"

    plan_id = fields.Many2one(
        "kam.account.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        related="plan_id.partner_id", store=True, index=True, string="Key Account"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    name = fields.Char(string="Action", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        domain="[('share', '=', False)]",
    )
    side = fields.Selection(
        ACTION_SIDES,
        default="company",
        required=True,
        help="Who carries the action out: the customer marks their actions done "
        "on the customer portal.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Customer Contact",
        index="btree_not_null",
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The person of the account who owns the action.",
    )
    deadline = fields.Date()
    state = fields.Selection(ACTION_STATES, default="todo", required=True)
    resource = fields.Char(
        string="Resources",
        help="People, budget or means the action needs.",
        groups=KAM_USER_GROUP,
    )

    @api.constrains("name")
    def _check_name_length(self):
        kam_check_name_length(self)

    @api.constrains("user_id", "company_id")
    def _check_user_id(self):
        self._kam_check_internal_users(["user_id"])

    @api.constrains("contact_id", "plan_id")
    def _check_contact_id(self):
        for action in self:
            contact = action.contact_id
            if contact and contact.commercial_partner_id != action.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s is not a contact of %(account)s: the customer "
                        "owner of an action works for the account of the plan.",
                        contact=contact.display_name,
                        account=action.partner_id.display_name,
                    )
                )

    def _kam_portal_may_mark_done(self, user):
        """The open customer actions of ``self`` that ``user`` may mark done on
        the customer portal (``self`` may be read as superuser, as the portal
        reads its documents):

        - an internal user: those of the plans they may change (the account's
          team, the plan owner, KAM managers), shared or not;
        - a portal user: on a plan shared with their company, the actions they
          own (``contact_id``) and those owned by no one in particular, which
          are the customer's as a whole (any of its contacts completes them).
        """
        actions = self.filtered(
            lambda a: a.side == "customer" and a.state not in ("done", "cancelled")
        )
        if not actions or user._is_public():
            return self.browse()
        if user._is_internal():
            return actions & actions.with_user(user)._filtered_access("write")
        partner = user.partner_id
        return actions.filtered(
            lambda a: a.plan_id.portal_shared
            and a.plan_id.partner_id == partner.commercial_partner_id
            and (not a.contact_id or a.contact_id == partner)
        )
