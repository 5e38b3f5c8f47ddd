from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KamRightsCommon


@tagged("post_install", "-at_install")
class TestRightsEscalation(KamRightsCommon):
    """Escalations attacked as each kind of user: opening, moving, the buttons,
    the context keys and the fields of the engine."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Escalation = cls.env["kam.escalation"]
        cls.other_account = cls._kam_other_account()
        cls.escalation = cls.Escalation.create(
            {"partner_id": cls.account.id, "reason": "critical_issue"}
        )
        cls.writers = cls.user_kam | cls.user_team | cls.user_kam_manager

    def _open(self, user, **vals):
        return self.Escalation.with_user(user).create(
            {"partner_id": self.account.id, "reason": "churn_risk", **vals}
        )

    def test_who_opens(self):
        for user in self.writers | self.attackers:
            with self.subTest(user=user.login):
                if user in self.writers:
                    escalation = self._open(user)
                    self.assertEqual(escalation.source, "manual")
                    escalation.sudo().unlink()
                else:
                    with self.assertRefused(AccessError):
                        self._open(user)
                    self.assertFalse(
                        self.Escalation.search(
                            [
                                ("partner_id", "=", self.account.id),
                                ("reason", "=", "churn_risk"),
                            ]
                        )
                    )

    def test_duplicate_check_answers_only_to_those_allowed(self):
        # outsiders get the refusal of their rights, not the name of the open one
        for user in self.attackers:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    self._open(user, reason="critical_issue")
        with self.assertRefused(ValidationError, self.escalation.name):
            self.Escalation.with_user(self.user_kam).with_context(
                kam_escalation_skip_duplicate_check=True
            ).create({"partner_id": self.account.id, "reason": "critical_issue"})
        with self.assertRefused(AccessError):
            self.escalation.with_user(self.user_kam_other).reason = "other"

    def test_user_opens_open_and_manual(self):
        for vals, context in (
            ({"state": "resolved", "resolution": "<p>Done</p>"}, {}),
            ({"resolution": "<p>Done</p>"}, {"default_state": "cancelled"}),
        ):
            with self.subTest(vals=vals, context=context):
                with self.assertRefused(UserError, "opens as New"):
                    self.Escalation.with_user(self.user_kam).with_context(
                        **context
                    ).create({"partner_id": self.account.id, "reason": "other", **vals})
        escalation = (
            self.Escalation.with_user(self.user_kam)
            .with_context(default_source="rule", default_raise_count=4)
            .create(
                {
                    "partner_id": self.account.id,
                    "reason": "other",
                    "source": "rule",
                    "health_score": 99,
                    "state": "in_progress",
                }
            )
        )
        self.assertRecordValues(
            escalation,
            [{"source": "manual", "raise_count": 0, "state": "in_progress"}],
        )
        self.assertNotEqual(escalation.health_score, 99)
        for fname, value in (("raise_count", 3), ("source", "rule")):
            with self.subTest(fname=fname):
                with self.assertRefused(AccessError, "engine"):
                    escalation.write({fname: value})
        self.assertEqual(escalation.raise_count, 0)

    def test_owner_or_resource_cannot_move_it(self):
        self.escalation.resource_user_ids = self.user_kam_manager
        for user in (self.user_kam, self.user_team):
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError, "Only the Key Account Manager"):
                    self.escalation.with_user(user).write(
                        {"partner_id": self.other_account.id, "user_id": user.id}
                    )
                self.assertEqual(self.escalation.partner_id, self.account)

    def test_buttons_check_the_caller(self):
        self.escalation.resolution = "<p>Fixed</p>"
        for user in self.attackers:
            for method in ("action_start", "action_resolve", "action_cancel"):
                with self.subTest(user=user.login, method=method):
                    with self.assertRefused(AccessError):
                        getattr(self.escalation.with_user(user), method)()
                    self.assertEqual(self.escalation.state, "new")
        self.escalation.with_user(self.user_team).action_resolve()
        self.assertEqual(self.escalation.state, "resolved")

    def test_owner_and_resources_internal_of_the_company(self):
        for fname, user in (
            ("user_id", self.user_portal),
            ("user_id", self.user_company_b),
            ("resource_user_ids", self.user_portal),
        ):
            with self.subTest(fname=fname, user=user.login):
                with self.assertRefused(ValidationError, "internal users"):
                    self.escalation.with_user(self.user_kam)[fname] = user
        self.assertEqual(self.escalation.user_id, self.user_kam)
        self.assertFalse(self.escalation.resource_user_ids)
        self.assertFalse(
            self.escalation.message_partner_ids.filtered("partner_share"),
            "no portal user follows an internal escalation",
        )

    def test_deadline_moved_by_a_kam_administrator_only(self):
        """Issue 20: the team cannot type the deadline into the past (the
        escalation would climb to the director at once) nor postpone it; a KAM
        administrator can, never before the escalation was opened."""
        deadline = self.escalation.deadline
        past = fields.Datetime.now() - timedelta(days=2)
        for user in (self.user_kam, self.user_team):
            for value in (past, deadline + timedelta(days=30)):
                with self.subTest(user=user.login, value=value):
                    with self.assertRefused(AccessError, "KAM administrator"):
                        self.escalation.with_user(user).write({"deadline": value})
        manager = self.escalation.with_user(self.user_kam_manager)
        for value in (past, "0001-01-01", "abc", 10**12, [1], False):
            with self.subTest(value=value):
                with self.assertRefused(ValidationError):
                    manager.write({"deadline": value})
        self.assertEqual(self.escalation.deadline, deadline)
        manager.write({"deadline": deadline + timedelta(days=1)})
        self.assertEqual(self.escalation.deadline, deadline + timedelta(days=1))

    def test_bad_types_refused_with_a_message(self):
        """A many2one given as a list, a selection given a list, a date that is
        not one: a clear refusal, nothing changed."""
        escalation = self.escalation.with_user(self.user_kam)
        for vals in (
            {"partner_id": [self.account.id]},
            {"lead_id": "abc"},
            {"reason": ["other"]},
            {"severity": 10**12},
            {"resource_user_ids": "abc"},
        ):
            with self.subTest(vals=vals), self.assertRefused(ValidationError):
                escalation.write(vals)
        with self.assertRefused(ValidationError):
            self._open(self.user_kam, partner_id=[self.account.id])
        with self.assertRefused(ValidationError):
            self._open(self.user_kam, deadline="9999-12-31")
        self.assertRecordValues(
            self.escalation,
            [{"partner_id": self.account.id, "reason": "critical_issue"}],
        )

    def test_overdue_search_operators(self):
        Escalation = self.Escalation.with_user(self.user_kam)
        overdue = Escalation.search([("is_overdue", "=", True)])
        current = Escalation.search([("is_overdue", "=", False)])
        for domain, expected in (
            ([("is_overdue", "in", [True])], overdue),
            ([("is_overdue", "not in", [True])], current),
            ([("is_overdue", "!=", True)], current),
            ([("is_overdue", "in", [True, False])], Escalation.search([])),
        ):
            with self.subTest(domain=domain):
                self.assertEqual(Escalation.search(domain), expected)
        with self.assertRaisesRegex(UserError, "Unsupported search"):
            Escalation.search([("is_overdue", "in", "x")])
