from odoo import models


class ProjectTask(models.Model):
    # The task's customer, which Odoo takes from the project (or the parent task)
    _name = "project.task"
    _inherit = ["project.task", "kam.partner.document.mixin"]
