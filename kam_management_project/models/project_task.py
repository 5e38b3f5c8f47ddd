from odoo import fields, models
from odoo.tools import SQL


class ProjectTask(models.Model):
    _name = "project.task"
    _inherit = ["project.task", "kam.partner.document.mixin"]
    # the task's own customer, else the customer of its project
    _kam_partner_paths = ("partner_id", "project_id.partner_id")

    # the timeline of an account reads its tasks through their customer
    partner_id = fields.Many2one(index="btree_not_null")

    def _kam_partner_sql(self):
        return SQL(
            """COALESCE(document.partner_id, (SELECT project.partner_id
                                                FROM project_project AS project
                                               WHERE project.id = document.project_id))"""
        )
