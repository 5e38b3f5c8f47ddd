from odoo import fields, models

from .kam_stakeholder import ENGAGEMENT_STEP_ACTIVITY


class MailActivity(models.Model):
    _inherit = "mail.activity"

    kam_playbook_id = fields.Many2one(
        "mail.activity.plan",
        string="Playbook",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The playbook that created this step: the steps still open on an "
        "escalation are closed with it.",
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        # The trace of a done activity is an interaction (posted through
        # mail.message, see kam.interaction._kam_message_people), which
        # closes the open "contact due" reminders of the stakeholder: the
        # activities being done here are left out, so that marking a reminder
        # done does not close it a second time.
        done_ids = [*self.env.context.get("kam_done_activity_ids", []), *self.ids]
        # read before: the activities done are deleted
        steps_done = self._kam_engagement_step_stakeholders()
        result = super(
            MailActivity, self.with_context(kam_done_activity_ids=done_ids)
        )._action_done(feedback=feedback, attachment_ids=attachment_ids)
        steps_done._kam_engagement_step_done()
        return result

    def _kam_engagement_step_stakeholders(self):
        """The stakeholders whose "engagement step" reminder is in ``self``."""
        step_type = self.env.ref(ENGAGEMENT_STEP_ACTIVITY, raise_if_not_found=False)
        reminders = self.filtered(
            lambda a: a.res_model == "kam.stakeholder"
            and a.activity_type_id == step_type
        )
        return self.env["kam.stakeholder"].browse(reminders.mapped("res_id"))
