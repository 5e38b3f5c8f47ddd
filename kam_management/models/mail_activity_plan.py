from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools.values import kam_check_values
from .kam_escalation import ESCALATION_REASONS
from .res_partner import KAM_STRATEGIES

# The events of the programme that launch a playbook (DESIGN §15), one definition
# built from the strategies and the escalation reasons, each with the model of the
# record it is launched on.
KAM_TRIGGERS = [
    ("designation", "Designation of a key account"),
    *((f"strategy_{value}", f"Strategy: {label}") for value, label in KAM_STRATEGIES),
    *(
        (f"escalation_{value}", f"Escalation: {label}")
        for value, label in ESCALATION_REASONS
    ),
    ("review", "Upcoming account review"),
]
KAM_TRIGGER_MODELS = {
    "designation": "res.partner",
    **{f"strategy_{value}": "res.partner" for value, _label in KAM_STRATEGIES},
    **{f"escalation_{value}": "kam.escalation" for value, _label in ESCALATION_REASONS},
    "review": "kam.account.review",
}


class MailActivityPlan(models.Model):
    _inherit = "mail.activity.plan"

    # the shipped playbooks are read in the language of the people they land on
    name = fields.Char(translate=True)
    kam_trigger = fields.Selection(
        KAM_TRIGGERS,
        string="Playbook Trigger",
        index="btree_not_null",
        help="Launch the plan by itself on the record concerned when this happens: "
        "a company designated as key account or given a strategy (on the account), "
        "an escalation opened for the reason (on the escalation), an account review "
        "created (on the review, its steps dated from the review's date).",
    )

    @api.constrains("kam_trigger", "res_model")
    def _check_kam_trigger_model(self):
        # a step given to a team role needs records with a key account
        self.template_ids._check_kam_team_role()
        for plan in self.filtered("kam_trigger"):
            model = KAM_TRIGGER_MODELS[plan.kam_trigger]
            if plan.res_model != model:
                raise ValidationError(
                    self.env._(
                        "The playbook %(plan)s is launched on %(model)s: choose "
                        "it as its model.",
                        plan=plan.name,
                        model=self.env["ir.model"]._get(model).name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        kam_check_values(self, vals_list, {"kam_trigger"})
        if any(vals.get("kam_trigger") for vals in vals_list):
            self._kam_check_playbook_manager()
        return super().create(vals_list)

    def write(self, vals):
        kam_check_values(self, [vals], {"kam_trigger"})
        if self._kam_changed_by(vals, ["kam_trigger"]):
            self._kam_check_playbook_manager()
        moved = self._kam_changed_by(vals, ["kam_trigger", "res_model"])
        res = super().write(vals)
        # the write rules are checked before the write only: a plan a user may
        # write (a sales manager's plans of leads, a KAM administrator's
        # playbooks) must not become one out of their reach (a playbook, a plan
        # of another model)
        if moved:
            moved._kam_check_still_writable()
        return res

    def _kam_changed_by(self, vals, fnames):
        """The plans of ``self`` whose fields ``fnames`` ``vals`` changes."""
        return self.filtered(
            lambda plan: any(
                fname in vals and plan[fname] != (vals[fname] or False)
                for fname in fnames
            )
        )

    @api.model
    def _kam_check_playbook_manager(self):
        """A playbook launches its steps by itself on the accounts: only a KAM
        administrator makes a plan one, changes its trigger or removes it."""
        if not (
            self.env.su or self.env.user.has_group("kam_management.group_kam_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only a KAM administrator can set, change or remove the "
                    "trigger of a playbook."
                )
            )

    def _kam_check_still_writable(self):
        """Refuse, with a clear message, a trigger or a model written on plans the
        user could no longer write."""
        if not self.has_access("write"):
            raise AccessError(
                self.env._(
                    "You cannot give these activity plans this trigger or this "
                    "model: you would no longer be allowed to manage them."
                )
            )

    @api.onchange("kam_trigger")
    def _onchange_kam_trigger(self):
        if self.kam_trigger:
            self.res_model = KAM_TRIGGER_MODELS[self.kam_trigger]
