from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import KamRightsCommon


@tagged("post_install", "-at_install")
class TestRightsScores(KamRightsCommon):
    """Selection scores, satisfaction surveys, usage readings and health
    snapshots attacked as each kind of user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.writers = cls.user_kam | cls.user_team | cls.user_kam_manager
        cls.creates = {
            "kam.selection.score": {
                "partner_id": cls.account.id,
                "criterion_id": cls.criterion_fit.id,
                "score": 7,
            },
            "kam.satisfaction.survey": {
                "partner_id": cls.account.id,
                "kind": "nps",
                "score": 8,
            },
            "kam.usage.reading": {"partner_id": cls.account.id, "value": 40},
        }

    def test_who_records_scores(self):
        for user in self.writers | self.attackers:
            for model, vals in self.creates.items():
                with self.subTest(user=user.login, model=model):
                    Model = self.env[model].with_user(user)
                    if user in self.writers:
                        Model.create(vals).sudo().unlink()
                    else:
                        with self.assertRefused(AccessError):
                            Model.create(vals)
                    self.assertFalse(
                        self.env[model].search([("partner_id", "=", self.account.id)])
                    )

    def test_scores_outside_their_range(self):
        for model, fname, value in (
            ("kam.selection.score", "score", 11),
            ("kam.satisfaction.survey", "score", 11),
            ("kam.usage.reading", "value", -1),
            ("kam.satisfaction.survey", "kind", "ces"),
        ):
            with self.subTest(model=model, fname=fname):
                with self.assertRefused(ValidationError):
                    self.env[model].with_user(self.user_kam).create(
                        dict(self.creates[model], **{fname: value})
                    )
                self.assertFalse(
                    self.env[model].search([("partner_id", "=", self.account.id)])
                )

    def test_health_snapshots_are_the_engines_and_of_the_company(self):
        Snapshot = self.env["kam.health.snapshot"]
        today = fields.Date.today()
        Snapshot.create(
            [
                {"partner_id": self.account.id, "date": today, "score": 40},
                {"partner_id": self.account_b.id, "date": today, "score": 80},
            ]
        )
        for user in self.writers | self.attackers:
            with self.subTest(user=user.login), self.assertRefused(AccessError):
                Snapshot.with_user(user).create(
                    {"partner_id": self.account.id, "score": 99}
                )
        for user, account in (
            (self.user_kam, self.account),
            (self.user_company_b, self.account_b),
        ):
            with self.subTest(user=user.login):
                seen = (
                    Snapshot.with_user(user)
                    .search([("partner_id", "in", (self.account | self.account_b).ids)])
                    .partner_id
                )
                self.assertEqual(seen, account)
