from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        result = super()._mark_done()
        self._kam_record_satisfaction()
        return result

    def _kam_record_satisfaction(self):
        """Record the completed answers of the key-account surveys as
        satisfaction scores of the respondents' accounts: one row per
        invitation, the latest answer (an answer recorded already, or a new
        attempt of the same invitation, updates its row)."""
        answers = self.filtered(
            lambda a: a.survey_id.kam_kind
            and not a.test_entry
            and a.partner_id.sudo().kam_account_id.is_key_account
        )
        if not answers:
            return
        # sudo: the respondent (a portal or public user) records the score the
        # KAM reads; the values come from the answer itself
        Satisfaction = self.env["kam.satisfaction.survey"].sudo()
        existing = Satisfaction.search(
            [("survey_user_input_id.survey_id", "in", answers.survey_id.ids)]
        )
        by_invitation = {
            row.survey_user_input_id._kam_invitation(): row for row in existing
        }
        to_create = []
        for answer in answers:
            vals = answer._kam_satisfaction_vals()
            if not vals:
                continue
            row = by_invitation.get(answer._kam_invitation())
            if row:
                row.write(vals)
            else:
                to_create.append(vals)
        Satisfaction.create(to_create)

    def _kam_invitation(self):
        """What identifies an invitation: its token (kept by the new attempts
        of the same invitation), else the answer itself."""
        self.ensure_one()
        return (self.survey_id.id, self.invite_token or self.id)

    def _kam_satisfaction_vals(self):
        self.ensure_one()
        score_line = self.survey_id._kam_score_line(self)
        if not score_line or score_line.skipped:
            return {}
        comment_line = self.user_input_line_ids.filtered(
            lambda line: line.answer_type == "text_box" and line.value_text_box
        )[:1]
        contact = self.partner_id
        account = contact.sudo().kam_account_id
        return {
            "partner_id": account.id,
            "contact_id": contact.id if contact != account else False,
            "kind": self.survey_id.kam_kind,
            "score": score_line.value_scale,
            "comment": comment_line.value_text_box or False,
            "date": (self.end_datetime or self.create_date).date(),
            "survey_user_input_id": self.id,
        }
