from odoo import models
from odoo.tools import SQL


class ProjectTask(models.Model):
    _name = "project.task"
    _inherit = ["project.task", "kam.partner.document.mixin"]
    # the task's own customer, else the customer of its project
    _kam_partner_paths = ("partner_id", "project_id.partner_id")

    def _kam_partner_sql(self):
        return SQL(
            """COALESCE(document.partner_id, (SELECT project.partner_id
                                                FROM project_project AS project
                                               WHERE project.id = document.project_id))"""
        )
