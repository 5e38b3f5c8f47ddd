from odoo import models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_kam_send_nps_survey(self):
        return self._kam_send_survey("nps")

    def action_kam_send_csat_survey(self):
        return self._kam_send_survey("csat")

    def _kam_send_survey(self, kind):
        """Open Odoo's survey invitation on the programme's NPS or CSAT survey,
        addressed to the account's current stakeholders (active, not departed,
        with an e-mail)."""
        self.ensure_one()
        survey = self.env["survey.survey"].search(
            [("kam_kind", "=", kind), ("active", "=", True)], order="id", limit=1
        )
        if not survey:
            kinds = dict(survey._fields["kam_kind"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "There is no %(kind)s survey: mark a survey as the key accounts' "
                    "%(kind)s survey (Surveys, Key Account Survey) first.",
                    kind=kinds[kind],
                )
            )
        contacts = self.kam_stakeholder_ids.filtered(
            lambda s: not s.departed and s.contact_id.email
        ).contact_id
        action = survey.action_send_survey()
        action["context"] = dict(action["context"], default_partner_ids=contacts.ids)
        return action
