from odoo.tests import tagged

from odoo.addons.kam_management.tests.common import KamCommon


@tagged("post_install", "-at_install")
class TestSurveyCorporateGroup(KamCommon):
    """The survey answers of a key account's units (DESIGN §11): ``account`` is
    the group, ``plant`` a unit under it, ``workshop`` a unit of the plant (two
    levels), ``buyer`` a person of the workshop and a stakeholder of the
    group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_setup_group()
        cls.nps = cls.env.ref("kam_management_survey.survey_survey_kam_nps")
        cls.env["kam.stakeholder"].create(
            {
                "partner_id": cls.account.id,
                "contact_id": cls.buyer.id,
                "role": "user",
            }
        )

    def _answer(self, score):
        answer = self.nps._create_answer(partner=self.buyer, check_attempts=False)
        answer._save_lines(
            self.nps.question_ids.filtered(lambda q: q.question_type == "scale"),
            score,
        )
        answer._mark_done()
        return answer

    def _rows(self, user=None):
        Satisfaction = self.env["kam.satisfaction.survey"]
        if user:
            Satisfaction = Satisfaction.with_user(user)
        return Satisfaction.search([("contact_id", "=", self.buyer.id)])

    def test_a_unit_s_person_answers_for_the_group(self):
        self.user_kam.groups_id += self.env.ref("survey.group_survey_user")
        action = self.account.with_user(self.user_kam).action_kam_send_nps_survey()
        self.assertEqual(action["context"]["default_partner_ids"], self.buyer.ids)
        answer = self._answer(9)
        row = self._rows(self.user_kam)
        self.assertRecordValues(
            row,
            [
                {
                    "partner_id": self.account.id,
                    "contact_id": self.buyer.id,
                    "kind": "nps",
                    "score": 9,
                    "survey_user_input_id": answer.id,
                }
            ],
        )
        # the group's KAM works the score of the unit's person
        row.with_user(self.user_kam).comment = "Called back"
        self.assertEqual(row.comment, "Called back")

    def test_moving_a_unit_out_of_the_group(self):
        self.plant.parent_id = False
        self._answer(3)
        self.assertFalse(self._rows(), "the workshop is no key account")
