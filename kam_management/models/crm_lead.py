from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # Follows the commercial entity, so that an opportunity with a contact person of a
    # key account is a key account opportunity too. Related fields are searchable.
    is_key_account = fields.Boolean(
        string="Key Account",
        related="partner_id.commercial_partner_id.is_key_account",
    )
    kam_health_band = fields.Selection(
        string="Account Health",
        related="partner_id.commercial_partner_id.kam_health_band",
    )
