from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import format_datetime

from .common import KamRightsCommon


@tagged("post_install", "-at_install")
class TestRightsEscalation(KamRightsCommon):
    """Escalations attacked as each kind of user: opening, moving, the buttons,
    the context keys and the fields of the engine."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Escalation = cls.env["kam.escalation"]
        cls.other_account = cls.env["res.partner"].create(
            {
                "name": "Other Key Corp",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": cls.user_kam_other.id,
            }
        )
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

    def _sla(self, severity, company=None):
        hours = (company or self.env.company)._kam_escalation_sla_hours(severity)
        return fields.Datetime.now() + timedelta(hours=hours)

    def _escalate_form(self, user, account=None):
        """The form the account's "Escalate" button opens, as ``user``."""
        account = (account or self.account).with_user(user)
        action = account.action_kam_escalate()
        return Form(
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
        )

    def test_deadline_set_at_creation_by_a_kam_administrator_only(self):
        """Issue 20: the deadline of a new escalation is the service level of
        its severity; a deadline that differs from it is refused to the team
        (a critical escalation due in 2999 never climbs), a KAM administrator
        sets one, never in the past."""
        opened = self.Escalation.search([])
        for user in (self.user_kam, self.user_team):
            for value in (
                fields.Datetime.to_datetime("2999-12-31 00:00:00"),
                fields.Datetime.now() - timedelta(days=2),
                self._sla("critical") + timedelta(hours=1),
            ):
                with self.subTest(user=user.login, value=value):
                    with self.assertRefused(AccessError, "KAM administrator"):
                        self._open(user, severity="critical", deadline=value)
        self.assertEqual(self.Escalation.search([]), opened)
        # the service level itself, given by code, is the deadline
        escalation = self._open(
            self.user_kam, severity="critical", deadline=self._sla("critical")
        )
        self.assertAlmostEqual(
            escalation.deadline, self._sla("critical"), delta=timedelta(minutes=1)
        )
        escalation.sudo().unlink()
        far = fields.Datetime.to_datetime("2999-12-31 00:00:00")
        with self.assertRefused(ValidationError, "past"):
            self._open(
                self.user_kam_manager, deadline=fields.Datetime.now() - timedelta(1)
            )
        escalation = self._open(
            self.user_kam_manager, severity="critical", deadline=far
        )
        self.assertEqual(escalation.deadline, far)

    def test_deadline_locked_in_the_form_but_for_administrators(self):
        """The form of a new escalation (the account's "Escalate" button) locks
        the deadline for KAM users, follows the severity, and saves; a KAM
        administrator types one in."""
        for user in (self.user_kam, self.user_team):
            with self.subTest(user=user.login):
                form = self._escalate_form(user)
                self.assertEqual(form.partner_id, self.account)
                self.assertFalse(form.kam_can_move_deadline)
                with self.assertRaises(AssertionError):
                    form.deadline = fields.Datetime.now() + timedelta(days=900)
                form.reason = "churn_risk"
                form.severity = "critical"
                escalation = form.save()
                self.assertEqual(escalation.source, "manual")
                self.assertAlmostEqual(
                    escalation.deadline,
                    self._sla("critical"),
                    delta=timedelta(minutes=1),
                )
                escalation.sudo().unlink()
        form = self._escalate_form(self.user_kam_manager)
        self.assertTrue(form.kam_can_move_deadline)
        form.reason = "churn_risk"
        far = fields.Datetime.now().replace(microsecond=0) + timedelta(days=900)
        form.deadline = far
        self.assertEqual(form.save().deadline, far)

    def test_deadline_messages(self):
        """The opening date in the user's time zone and language; a cleared
        deadline is asked for, not said to be before the opening."""
        self.user_kam_manager.tz = "America/New_York"
        manager = self.escalation.with_user(self.user_kam_manager)
        opened = format_datetime(manager.env, self.escalation.create_date)
        self.assertNotEqual(
            opened, fields.Datetime.to_string(self.escalation.create_date)
        )
        deadline = self.escalation.deadline
        with self.assertRaises(ValidationError) as error, self.env.cr.savepoint():
            manager.write({"deadline": self.escalation.create_date - timedelta(1)})
        self.assertIn(f"({opened})", str(error.exception))
        with self.assertRefused(ValidationError, "needs a deadline"):
            manager.write({"deadline": False})
        self.assertEqual(self.escalation.deadline, deadline)

    def test_owner_of_a_shared_account_run_elsewhere(self):
        """Issue 20: on a shared account (no company) whose KAM works in company
        A, the owner a user of company B gets by default is that user, not the
        other company's KAM (read empty for them); the account's own company
        still gets its KAM."""
        shared = self.env["res.partner"].create(
            {
                "name": "Shared Key Group",
                "is_company": True,
                "company_id": False,
                "is_key_account": True,
                "kam_user_id": self.user_kam.id,
            }
        )
        manager_b = new_test_user(
            self.env,
            login="kam_manager_b",
            name="Max Europe",
            groups="sales_team.group_sale_manager,kam_management.group_kam_manager",
            company_id=self.company_b.id,
            company_ids=[(6, 0, self.company_b.ids)],
        )
        self.env["kam.team.member"].create(
            {"partner_id": shared.id, "user_id": self.user_company_b.id}
        )
        for user in self.user_company_b | manager_b:
            with self.subTest(user=user.login):
                form = self._escalate_form(user, shared)
                self.assertEqual(form.user_id, user)
                escalation = form.save()
                self.assertRecordValues(
                    escalation, [{"user_id": user.id, "company_id": self.company_b.id}]
                )
                escalation.sudo().unlink()
                escalation = self.Escalation.with_user(user).create(
                    {"partner_id": shared.id, "reason": "other"}
                )
                self.assertEqual(escalation.user_id, user)
                escalation.sudo().unlink()
        form = self._escalate_form(self.user_team, shared)
        self.assertEqual(form.user_id, self.user_kam)

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
