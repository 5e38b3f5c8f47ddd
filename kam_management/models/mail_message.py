from odoo import api, models


class MailMessage(models.Model):
    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        # read before the create: the recipients of a message created without
        # any are not in the cache, and would cost a query to read
        recipients = [bool(vals.get("partner_ids")) for vals in vals_list]
        messages = super().create(vals_list)
        # live stakeholders: the interactions count in this transaction, not at
        # the next daily run (no query unless a stakeholder is involved)
        Stakeholder = self.env["kam.stakeholder"]
        contact_dates, stakeholder_dates = Stakeholder._kam_message_interactions(
            messages,
            with_recipients=messages.browse(
                [m.id for m, has in zip(messages, recipients, strict=True) if has]
            ),
        )
        if contact_dates or stakeholder_dates:
            Stakeholder._kam_record_interactions(contact_dates, stakeholder_dates)
        return messages
