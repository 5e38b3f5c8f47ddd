from odoo import fields, models


class KamProgrammeSettings(models.TransientModel):
    """The programme settings of the current company, for KAM administrators who
    are not Odoo administrators: saved through the company, which lets them write
    its kam_* fields only (res.company.write)."""

    _name = "kam.programme.settings"
    _inherit = ["kam.programme.settings.mixin"]
    _description = "Key Account Programme Settings"

    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda s: s.env.company
    )

    def action_save(self):
        # the values went to the company when the form saved the record
        return {"type": "ir.actions.client", "tag": "reload"}
