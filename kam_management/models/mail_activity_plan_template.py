from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools.values import kam_check_values
from .kam_team_member import TEAM_ROLES

# the values checked before the ORM: the fields the addon adds or extends
KAM_CHECKED_FNAMES = {"responsible_type", "kam_team_role"}


class MailActivityPlanTemplate(models.Model):
    _inherit = "mail.activity.plan.template"

    # the steps of the shipped playbooks land in the language of their responsible
    summary = fields.Char(translate=True)
    responsible_type = fields.Selection(
        selection_add=[("kam_team", "Account Team Role")],
        ondelete={"kam_team": "set default"},
    )
    kam_team_role = fields.Selection(
        TEAM_ROLES,
        string="Team Role",
        help="The member of the account team with this role does the step; the "
        "Key Account Manager of the account when nobody on the team has it.",
    )

    @api.constrains("responsible_type", "kam_team_role", "plan_id")
    def _check_kam_team_role(self):
        for template in self.filtered(lambda t: t.responsible_type == "kam_team"):
            if not template.kam_team_role:
                raise ValidationError(
                    self.env._(
                        "Choose the team role of the step %(step)s.",
                        step=template.summary or template.activity_type_id.name,
                    )
                )
            if not self._kam_is_account_model(template.plan_id.res_model):
                raise ValidationError(
                    self.env._(
                        "The step %(step)s is given to a role of the account team: "
                        "its plan must apply to key accounts, their escalations or "
                        "their reviews.",
                        step=template.summary or template.activity_type_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        kam_check_values(self, vals_list, KAM_CHECKED_FNAMES)
        return super().create(vals_list)

    def write(self, vals):
        kam_check_values(self, [vals], KAM_CHECKED_FNAMES)
        res = super().write(vals)
        # the write rules are checked before the write only: a step of a plan the
        # user may write (a sales manager's plans of leads) must not move to a
        # plan out of their reach (a playbook, launched by itself)
        if "plan_id" in vals and not self.has_access("write"):
            raise AccessError(
                self.env._(
                    "You cannot move these steps to a plan you are not allowed "
                    "to manage."
                )
            )
        return res

    @api.model
    def _kam_is_account_model(self, model):
        """Whether the records of ``model`` have a key account, whose team a
        step can be given to."""
        return model in self.env and hasattr(self.env[model], "_kam_playbook_account")

    def _determine_responsible(self, on_demand_responsible, applied_on_record):
        """A role of the account team: the team member with that role (the
        first of them), else the account's Key Account Manager, else the
        responsible asked at launch."""
        if self.responsible_type != "kam_team":
            return super()._determine_responsible(
                on_demand_responsible, applied_on_record
            )
        account = applied_on_record._kam_playbook_account()
        members = account.kam_team_member_ids.filtered(
            lambda m: m.role == self.kam_team_role and m.user_id.active
        )
        responsible = (
            members[:1].user_id or account.kam_user_id or on_demand_responsible
        )
        error = False
        if not responsible:
            error = self.env._(
                "Nobody has the role %(role)s on the team of %(account)s, and the "
                "account has no Key Account Manager.",
                role=dict(
                    self._fields["kam_team_role"]._description_selection(self.env)
                )[self.kam_team_role],
                account=account.display_name,
            )
        return {"responsible": responsible, "error": error}

    def _kam_step_values(self, responsible):
        """The values of the activity of this step launched by a playbook, its
        summary in the language of its ``responsible``."""
        self.ensure_one()
        lang = responsible.lang or self.env.lang
        return {
            "activity_type_id": self.activity_type_id.id,
            "summary": self.with_context(lang=lang).summary,
            "note": self.note,
            "automated": True,
            "kam_playbook_id": self.plan_id.id,
        }
