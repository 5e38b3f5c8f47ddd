from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.kam_management.tests.common import KamCommon


@tagged("post_install", "-at_install")
class TestKamSurveyAnswer(KamCommon):
    """The answers to the programme's NPS and CSAT surveys become satisfaction
    scores of the key accounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nps = cls.env.ref("kam_management_survey.survey_survey_kam_nps")
        cls.csat = cls.env.ref("kam_management_survey.survey_survey_kam_csat")
        cls.env["kam.stakeholder"].create(
            {
                "partner_id": cls.account.id,
                "contact_id": cls.account_contact.id,
                "role": "decision_maker",
            }
        )

    def _answer(self, survey, score, comment=None, partner=None, **vals):
        answer = survey._create_answer(
            partner=partner or self.account_contact, check_attempts=False, **vals
        )
        questions = survey.question_ids
        answer._save_lines(
            questions.filtered(lambda q: q.question_type == "scale"), score
        )
        if comment:
            answer._save_lines(
                questions.filtered(lambda q: q.question_type == "text_box"), comment
            )
        answer._mark_done()
        return answer

    def _rows(self):
        return self.env["kam.satisfaction.survey"].search(
            [("partner_id", "=", self.account.id)]
        )

    def test_templates(self):
        self.assertEqual(self.nps.kam_kind, "nps")
        self.assertEqual(self.csat.kam_kind, "csat")
        scale = self.nps.question_ids.filtered(lambda q: q.question_type == "scale")
        self.assertEqual((scale.scale_min, scale.scale_max), (0, 10))
        scale = self.csat.question_ids.filtered(lambda q: q.question_type == "scale")
        self.assertEqual((scale.scale_min, scale.scale_max), (1, 5))

    def test_answer_creates_the_satisfaction_row(self):
        answer = self._answer(self.nps, 9, "Great support")
        row = self._rows()
        self.assertEqual(len(row), 1)
        self.assertRecordValues(
            row,
            [
                {
                    "kind": "nps",
                    "score": 9,
                    "comment": "Great support",
                    "contact_id": self.account_contact.id,
                    "survey_user_input_id": answer.id,
                    "date": answer.end_datetime.date(),
                }
            ],
        )
        # the health follows: the survey factor reads the new score
        self.account.action_kam_compute_health()
        self.assertTrue(self.account.kam_health_date)
        csat = self._answer(self.csat, 4)
        self.assertEqual(self._rows().filtered(lambda r: r.kind == "csat").score, 4)
        self.assertEqual(
            self._rows().filtered(lambda r: r.kind == "csat").survey_user_input_id, csat
        )

    def test_second_answer_to_the_same_invitation(self):
        first = self._answer(self.nps, 3, "Slow deliveries")
        # done again (a re-submission), then a new attempt with the same invitation
        first._mark_done()
        self.assertEqual(len(self._rows()), 1)
        second = self._answer(self.nps, 8, invite_token=first.invite_token)
        row = self._rows()
        self.assertEqual(len(row), 1)
        self.assertEqual((row.score, row.survey_user_input_id), (8, second))

    def test_answers_not_recorded(self):
        # a survey that is not the programme's, a test entry, a non key account
        plain = self.nps.copy({"title": "Other survey"})
        self.assertFalse(plain.kam_kind)
        self._answer(plain, 5)
        self._answer(self.nps, 5, test_entry=True)
        outsider = self.env["res.partner"].create({"name": "Not Key"})
        self._answer(self.nps, 5, partner=outsider)
        self.assertFalse(self._rows())
        self.assertFalse(
            self.env["kam.satisfaction.survey"].search(
                [("partner_id", "=", outsider.id)]
            )
        )

    def test_send_survey_to_stakeholders(self):
        self.user_kam.groups_id += self.env.ref("survey.group_survey_user")
        action = self.account.with_user(self.user_kam).action_kam_send_nps_survey()
        self.assertEqual(action["res_model"], "survey.invite")
        self.assertEqual(action["context"]["default_survey_id"], self.nps.id)
        self.assertEqual(
            action["context"]["default_partner_ids"], self.account_contact.ids
        )
        invite = self.env["survey.invite"].with_context(**action["context"]).create({})
        invite.action_invite()
        answer = self.nps.user_input_ids.filtered(
            lambda a: a.partner_id == self.account_contact
        )
        self.assertEqual(len(answer), 1)
        self.csat.kam_kind = False
        with self.assertRaises(UserError):
            self.account.action_kam_send_csat_survey()
