from odoo import api, fields, models
from odoo.exceptions import ValidationError

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
        return super().create(vals_list)

    def write(self, vals):
        kam_check_values(self, [vals], {"kam_trigger"})
        return super().write(vals)

    @api.onchange("kam_trigger")
    def _onchange_kam_trigger(self):
        if self.kam_trigger:
            self.res_model = KAM_TRIGGER_MODELS[self.kam_trigger]
