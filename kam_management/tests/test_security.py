from odoo.exceptions import AccessError
from odoo.tests import users

from .common import KamCommon


class TestKeyAccountSecurity(KamCommon):
    """Who reads and changes the key account data beyond the access rights: the
    field groups of the partner, the partner's own checks, and the record rules
    checked again when a record moves to another account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_account = cls._kam_other_account(kam_strategy="harvest")
        cls.other_contact = cls.env["res.partner"].create(
            {"name": "Oscar Other", "parent_id": cls.other_account.id}
        )

    @users("kam_sales")
    def test_sales_user_cannot_read_key_account_data(self):
        account = self.account.with_env(self.env)
        self.assertTrue(account.read(["is_key_account"])[0]["is_key_account"])
        for field in ("kam_strategy", "kam_health_score", "kam_pulse_comment"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                account.read([field])

    @users("kam_user")
    def test_kam_changes_own_account_but_not_others(self):
        self.account.with_env(self.env).kam_strategy = "maintain"
        self.assertEqual(self.account.kam_strategy, "maintain")
        with self.assertRefused(AccessError, "Only the Key Account Manager"):
            self.other_account.with_env(self.env).kam_strategy = "maintain"
        self.assertEqual(self.other_account.kam_strategy, "harvest")

    @users("kam_user")
    def test_kam_user_cannot_take_over_an_account(self):
        with self.assertRefused(AccessError, "administrators"):
            self.other_account.with_env(self.env).kam_user_id = self.user_kam
        self.assertEqual(self.other_account.kam_user_id, self.user_kam_other)

    @users("kam_user")
    def test_health_cannot_be_set_by_hand(self):
        with self.assertRefused(AccessError, "computed"):
            self.account.with_env(self.env).kam_health_score = 99

    @users("kam_manager")
    def test_manager_reassigns_an_account(self):
        self.other_account.with_env(self.env).kam_user_id = self.user_kam
        self.assertEqual(self.other_account.kam_user_id, self.user_kam)

    def test_designation_date_kept_on_mixed_write(self):
        self.account.kam_since = "2020-01-01"
        (self.account | self.candidate).write({"is_key_account": True})
        self.assertEqual(str(self.account.kam_since), "2020-01-01")
        self.assertTrue(self.candidate.kam_since)

    @users("kam_user")
    def test_record_cannot_move_to_an_account_of_someone_else(self):
        stakeholder = self.env["kam.stakeholder"].create(
            {"partner_id": self.account.id, "contact_id": self.account_contact.id}
        )
        with self.assertRefused(AccessError):
            stakeholder.write(
                {
                    "partner_id": self.other_account.id,
                    "contact_id": self.other_contact.id,
                }
            )
        self.assertEqual(stakeholder.partner_id, self.account)

    @users("kam_user")
    def test_escalation_opened_only_on_own_accounts(self):
        self.env["kam.escalation"].create(
            {"partner_id": self.account.id, "reason": "critical_issue"}
        )
        with self.assertRefused(AccessError):
            self.env["kam.escalation"].create(
                {
                    "partner_id": self.other_account.id,
                    "reason": "critical_issue",
                    "user_id": self.user_kam.id,
                }
            )

    @users("kam_user")
    def test_selection_scores_of_someone_elses_key_account(self):
        Score = self.env["kam.selection.score"]
        Score.create(
            {
                "partner_id": self.candidate.id,
                "criterion_id": self.criterion_fit.id,
                "score": 7,
            }
        )
        with self.assertRefused(AccessError):
            Score.create(
                {
                    "partner_id": self.other_account.id,
                    "criterion_id": self.criterion_fit.id,
                    "score": 7,
                }
            )
