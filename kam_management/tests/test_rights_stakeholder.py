from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import KamRightsCommon


@tagged("post_install", "-at_install")
class TestRightsStakeholder(KamRightsCommon):
    """Stakeholder maps attacked as each kind of user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Stakeholder = cls.env["kam.stakeholder"]
        cls.other_account = cls._kam_other_account()
        cls.stakeholder = cls.Stakeholder.create(
            {"partner_id": cls.account.id, "contact_id": cls.account_contact.id}
        )
        cls.bob = cls.env["res.partner"].create(
            {"name": "Bob Builder", "parent_id": cls.account.id}
        )
        cls.writers = cls.user_kam | cls.user_team | cls.user_kam_manager

    def test_who_maps_stakeholders(self):
        for user in self.writers | self.attackers:
            with self.subTest(user=user.login):
                Stakeholder = self.Stakeholder.with_user(user)
                vals = {"partner_id": self.account.id, "contact_id": self.bob.id}
                if user in self.writers:
                    Stakeholder.create(vals).sudo().unlink()
                else:
                    with self.assertRefused(AccessError):
                        Stakeholder.create(vals)
                    # a duplicate answers with the rights, not the constraint
                    with self.assertRefused(AccessError):
                        Stakeholder.create(
                            dict(vals, contact_id=self.account_contact.id)
                        )
                self.assertFalse(
                    self.Stakeholder.search([("contact_id", "=", self.bob.id)])
                )

    def test_refresh_and_move_check_the_caller(self):
        for user in self.attackers:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    self.stakeholder.with_user(user).action_refresh_last_interaction()
        self.assertTrue(
            self.stakeholder.with_user(self.user_team).action_refresh_last_interaction()
        )
        with self.assertRefused(AccessError, "Only the Key Account Manager"):
            self.stakeholder.with_user(self.user_kam).partner_id = self.other_account
        self.assertEqual(self.stakeholder.partner_id, self.account)

    def test_owner_is_an_internal_user_of_the_company(self):
        with self.assertRefused(ValidationError, "internal users"):
            self.stakeholder.with_user(self.user_kam).owner_id = self.user_portal
        contact_b = self.env["res.partner"].create(
            {"name": "Bea Buyer", "parent_id": self.account_b.id}
        )
        stakeholder_b = self.Stakeholder.create(
            {"partner_id": self.account_b.id, "contact_id": contact_b.id}
        )
        with self.assertRefused(ValidationError, "internal users"):
            stakeholder_b.with_user(self.user_company_b).owner_id = self.user_kam
        self.assertEqual(self.stakeholder.owner_id, self.user_kam)
        self.assertEqual(stakeholder_b.owner_id, self.user_company_b)

    def test_bad_input_refused(self):
        stakeholder = self.stakeholder.with_user(self.user_kam)
        for vals in (
            {"influence": 6},
            {"relationship_strength": 0},
            {"contact_frequency_days": -1},
            {"attitude": "furious"},
        ):
            with self.subTest(vals=vals), self.assertRefused(ValidationError):
                stakeholder.write(vals)
        self.assertRecordValues(
            self.stakeholder, [{"influence": 3, "attitude": "neutral"}]
        )

    def test_bad_types_refused_with_a_message(self):
        """Issue 20: a many2one given as a list, a cadence of ten million days
        (a date overflow) and strings for numbers end in a clear refusal."""
        stakeholder = self.stakeholder.with_user(self.user_kam)
        for vals in (
            {"partner_id": [self.account.id]},
            {"contact_id": "abc"},
            {"contact_frequency_days": 10_000_000},
            {"contact_frequency_days": 10**12},
            {"influence": "abc"},
            {"role": ["champion"]},
        ):
            with self.subTest(vals=vals), self.assertRefused(ValidationError):
                stakeholder.write(vals)
        with self.assertRefused(ValidationError):
            self.Stakeholder.with_user(self.user_kam).create(
                {"partner_id": [self.account.id], "contact_id": self.bob.id}
            )
        self.assertRecordValues(
            self.stakeholder,
            [{"partner_id": self.account.id, "contact_frequency_days": 30}],
        )

    def test_interaction_dates_not_typed_in(self):
        """The last interaction and the next contact are computed from the
        interactions: no user types them in, not even a manager."""
        before = self.stakeholder.read(["last_interaction_date", "next_contact_date"])
        for user in self.writers:
            for fname in ("last_interaction_date", "next_contact_date"):
                with self.subTest(user=user.login, fname=fname):
                    with self.assertRefused(AccessError, "cannot be written by hand"):
                        self.stakeholder.with_user(user).write({fname: "2000-01-01"})
        with self.assertRefused(AccessError, "cannot be written by hand"):
            self.Stakeholder.with_user(self.user_kam).create(
                {
                    "partner_id": self.account.id,
                    "contact_id": self.bob.id,
                    "last_interaction_date": "2000-01-01",
                }
            )
        self.assertEqual(
            self.stakeholder.read(["last_interaction_date", "next_contact_date"]),
            before,
        )
        # the interactions still set them (as superuser, whoever made them)
        self.account_contact.with_user(self.user_kam).message_post(
            body="Called", message_type="comment"
        )
        self.assertEqual(
            self.stakeholder.last_interaction_date,
            fields.Date.context_today(self.stakeholder),
        )

    def test_overdue_search_operators(self):
        """Every operator the web client sends; others refused clearly."""
        Stakeholder = self.Stakeholder.with_user(self.user_kam)
        overdue = Stakeholder.search([("is_overdue", "=", True)])
        current = Stakeholder.search([("is_overdue", "=", False)])
        everyone = Stakeholder.search([])
        for domain, expected in (
            ([("is_overdue", "!=", False)], overdue),
            ([("is_overdue", "!=", True)], current),
            ([("is_overdue", "in", [True])], overdue),
            ([("is_overdue", "in", [False])], current),
            ([("is_overdue", "not in", [True])], current),
            ([("is_overdue", "in", [True, False])], everyone),
            ([("is_overdue", "not in", [True, False])], Stakeholder),
            ([("is_overdue", "in", [])], Stakeholder),
        ):
            with self.subTest(domain=domain):
                self.assertEqual(Stakeholder.search(domain), expected)
        for domain in (
            [("is_overdue", "in", "abc")],
            [("is_overdue", "=", "abc")],
            [("is_overdue", "like", True)],
            [("is_overdue", ">", 1)],
        ):
            with self.subTest(domain=domain):
                with self.assertRaisesRegex(UserError, "Unsupported search"):
                    Stakeholder.search(domain)
