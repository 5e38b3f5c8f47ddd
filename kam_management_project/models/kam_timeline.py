from odoo import api, fields, models
from odoo.tools import SQL


class KamTimeline(models.Model):
    """The tasks of an account in its timeline: the task's customer, else its
    project's."""

    _inherit = "kam.timeline"
    _depends = {
        "project.task": [
            "active",
            "company_id",
            "create_date",
            "name",
            "partner_id",
            "project_id",
            "user_ids",
        ],
        "project.project": ["partner_id"],
    }

    kind = fields.Selection(
        selection_add=[("task", "Task")], ondelete={"task": "cascade"}
    )

    @api.model
    def _kam_timeline_parts(self):
        # the task's own customer, else its project's (kam.partner.document.mixin):
        # a part each, so that each finds the tasks through an index
        return [
            *super()._kam_timeline_parts(),
            (
                "project.task",
                self._kam_task_part(
                    SQL("project_task t JOIN res_partner c ON c.id = t.partner_id")
                ),
            ),
            (
                "project.task",
                self._kam_task_part(
                    SQL(
                        """
                        project_project p
                        JOIN res_partner c ON c.id = p.partner_id
                        JOIN project_task t
                          ON t.project_id = p.id AND t.partner_id IS NULL
                        """
                    )
                ),
            ),
        ]

    @api.model
    def _kam_task_part(self, from_):
        """Active tasks (``t`` of ``from_``, of the customer ``c``), from their
        creation, by their first assignee."""
        return self._kam_part(
            from_,
            SQL("t.active"),
            key=SQL("t.id"),
            partner_id=SQL("c.kam_account_id"),
            date=SQL("t.create_date"),
            kind=SQL("'task'::varchar"),
            res_model=SQL("'project.task'::varchar"),
            res_id=SQL("t.id"),
            message_id=SQL("NULL::integer"),
            name=SQL("t.name"),
            user_id=SQL(
                "(SELECT MIN(a.user_id) FROM project_task_user_rel a "
                "WHERE a.task_id = t.id)"
            ),
            company_id=SQL("t.company_id"),
        )
