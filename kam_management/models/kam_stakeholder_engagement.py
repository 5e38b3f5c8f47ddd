from odoo import api, fields, models
from odoo.tools import groupby

from .kam_stakeholder import ENGAGEMENT_STEP_ACTIVITY, STAKEHOLDER_ATTITUDES

# What the open "engagement step" reminder of a stakeholder follows.
ENGAGEMENT_STEP_FIELDS = {"next_step", "next_step_date", "active", "departed"}


# a file of its own (the engagement plan, DESIGN section 15), as the
# stakeholder's is large already
class KamStakeholder(models.Model):  # pylint: disable=consider-merging-classes-inherited
    _inherit = "kam.stakeholder"  # pylint: disable=consider-merging-classes-inherited

    target_attitude = fields.Selection(
        STAKEHOLDER_ATTITUDES,
        tracking=True,
        help="The attitude towards us the engagement plan aims at.",
    )
    next_step = fields.Char(
        tracking=True,
        help="The next thing to do to bring the person to the target attitude.",
    )
    next_step_date = fields.Date(
        index="btree_not_null",
        tracking=True,
        help="On this date the relationship owner is reminded of the next step "
        "(an activity, marked done once the step is done).",
    )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        stakeholders = super().create(vals_list)
        stakeholders.filtered("next_step_date")._kam_schedule_engagement_steps()
        return stakeholders

    def write(self, vals):
        result = super().write(vals)
        if ENGAGEMENT_STEP_FIELDS & vals.keys():
            self._kam_follow_engagement_step()
        return result

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------
    def _kam_engagement_step_due(self, today):
        """The stakeholders of ``self`` whose next step's date is reached."""
        return self.filtered(
            lambda s: s.active
            and not s.departed
            and s.next_step_date
            and s.next_step_date <= today
        )

    def _kam_follow_engagement_step(self):
        """The open "engagement step" reminders of ``self`` follow their step:
        moved to the new step while its date is reached, removed when it is
        not any more (postponed, cleared, departed); a step due and not
        reminded yet is reminded now. A few queries for all of ``self``."""
        today = self.env.company._kam_today()
        due = self._kam_engagement_step_due(today)
        activity_type = self.env.ref(ENGAGEMENT_STEP_ACTIVITY)
        # sudo: the caller changed the stakeholders (write checked it); the
        # reminders are their owners'
        reminders = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        by_id = {stakeholder.id: stakeholder for stakeholder in due}
        moved = reminders.filtered(lambda a: a.res_id in by_id)
        (reminders - moved).unlink()
        for (summary, deadline), group in groupby(
            moved,
            key=lambda a: (
                by_id[a.res_id]._kam_engagement_summary(activity_type),
                by_id[a.res_id].next_step_date,
            ),
        ):
            moved.browse([a.id for a in group]).write(
                {"summary": summary, "date_deadline": deadline}
            )
        due._kam_schedule_engagement_steps()

    def _kam_engagement_summary(self, activity_type):
        """The summary of the reminder of the next step: the step itself, else
        the default summary of ``activity_type``."""
        return self.next_step or activity_type.summary

    def _kam_schedule_engagement_steps(self):
        """Remind the owner of each stakeholder of ``self`` whose next step's
        date is reached, once: one "engagement step" activity, due on the
        step's date, unless one is open already. One creation for all."""
        today = self.env.company._kam_today()
        todo = self._kam_engagement_step_due(today)._kam_without_open_activity(
            ENGAGEMENT_STEP_ACTIVITY
        )
        activity_type = self.env.ref(ENGAGEMENT_STEP_ACTIVITY)
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for owner, stakeholders in groupby(
            todo, key=lambda s: s.owner_id or s.partner_id.kam_user_id
        ):
            # the default summary and note in the owner's language
            local_type = activity_type.with_context(lang=owner.lang or self.env.lang)
            vals_list += [
                {
                    "activity_type_id": activity_type.id,
                    "res_model_id": model_id,
                    "res_id": stakeholder.id,
                    "summary": stakeholder._kam_engagement_summary(local_type),
                    "note": local_type.default_note,
                    "date_deadline": stakeholder.next_step_date,
                    "user_id": owner.id or self.env.user.id,
                    "automated": True,
                }
                for stakeholder in stakeholders
            ]
        # sudo: scheduled for the owners, by whoever set the step or the cron
        return self.env["mail.activity"].sudo().create(vals_list)

    def _kam_engagement_step_done(self):
        """The reminder of the next step of ``self`` was marked done: the step
        is done, the engagement plan waits for the next one."""
        # sudo: a fact recorded whoever did the step (its owner may not be
        # one of the account's team, who change the stakeholders)
        self.sudo().write({"next_step": False, "next_step_date": False})

    def _kam_process_contact_due(self):
        reminded = super()._kam_process_contact_due()
        self.filtered(lambda s: not s.departed)._kam_schedule_engagement_steps()
        return reminded
