from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    # the timeline of an account reads the tasks of its projects through their
    # customer
    partner_id = fields.Many2one(index="btree_not_null")
