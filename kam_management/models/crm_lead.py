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

    # ------------------------------------------------------------
    # Escalations
    # ------------------------------------------------------------
    def action_kam_escalate(self):
        """A new manual escalation of the key account, linked to this opportunity."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        company = self.company_id or self.env.company
        big = (
            self.type == "opportunity"
            and self.expected_revenue >= company.kam_escalation_big_deal
        )
        if big:
            # at most one open big opportunity escalation per account: open it
            existing = self.env["kam.escalation"].search(
                [
                    ("partner_id", "=", partner.id),
                    ("reason", "=", "big_opportunity"),
                    ("state", "in", ["new", "in_progress"]),
                ],
                limit=1,
            )
            if existing:
                return {
                    "type": "ir.actions.act_window",
                    "res_model": "kam.escalation",
                    "res_id": existing.id,
                    "view_mode": "form",
                    "target": "current",
                }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Escalate"),
            "res_model": "kam.escalation",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_partner_id": partner.id,
                "default_lead_id": self.id,
                "default_reason": "big_opportunity" if big else "other",
                "default_source": "manual",
            },
        }
