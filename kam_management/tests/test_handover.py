from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KamRightsCommon

CONTACT_DUE = "kam_management.mail_activity_type_kam_contact_due"
TODO = "mail.mail_activity_data_todo"


@tagged("post_install", "-at_install")
class TestHandover(KamRightsCommon):
    """When an account changes Key Account Manager, the KAM's work moves with it
    (DESIGN section 3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_new = new_test_user(
            cls.env,
            login="kam_new",
            name="Nora New",
            groups="sales_team.group_sale_salesman,kam_management.group_kam_user",
        )
        cls.kam_line = cls.env["kam.team.member"].create(
            {
                "partner_id": cls.account.id,
                "user_id": cls.user_kam.id,
                "role": "key_account_manager",
            }
        )
        Stakeholder = cls.env["kam.stakeholder"]
        cls.stakeholder_kam = Stakeholder.create(
            {"partner_id": cls.account.id, "contact_id": cls.account_contact.id}
        )
        cls.stakeholder_team = Stakeholder.create(
            {
                "partner_id": cls.account.id,
                "contact_id": cls.portal_contact.id,
                "owner_id": cls.user_team.id,
            }
        )
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "name": "Acme 2025",
                "partner_id": cls.account.id,
                "date_start": date(2025, 1, 1),
                "date_end": date(2025, 12, 31),
            }
        )
        cls.activity_plan = cls.plan.activity_schedule(TODO, user_id=cls.user_kam.id)
        cls.activity_reminder = cls.stakeholder_kam.activity_schedule(
            CONTACT_DUE, user_id=cls.user_kam.id
        )
        cls.activity_team = cls.plan.activity_schedule(
            TODO, user_id=cls.user_team.id, summary="Team's own"
        )
        cls.escalation = cls.env["kam.escalation"].create(
            {"partner_id": cls.account.id, "reason": "critical_issue"}
        )
        # an activity of the former KAM elsewhere stays theirs
        cls.activity_elsewhere = cls.candidate.activity_schedule(
            TODO, user_id=cls.user_kam.id
        )

    def _followers(self, record):
        return record.message_partner_ids

    def assertHandedOver(self, account, former, new):
        team = account.kam_team_member_ids
        kam_lines = team.filtered(lambda m: m.role == "key_account_manager")
        self.assertEqual(kam_lines.user_id, new)
        self.assertNotIn(former, team.user_id)

    # ------------------------------------------------------------
    # As a KAM administrator
    # ------------------------------------------------------------
    def test_handover_by_manager(self):
        self.account.with_user(self.user_kam_manager).kam_user_id = self.user_new
        self.assertHandedOver(self.account, self.user_kam, self.user_new)
        self.assertEqual(self.kam_line.user_id, self.user_new, "the line moved")
        self.assertIn(self.user_team, self.account.kam_team_member_ids.user_id)
        # stakeholders, plans, escalations the former KAM owned
        self.assertEqual(self.stakeholder_kam.owner_id, self.user_new)
        self.assertEqual(self.stakeholder_team.owner_id, self.user_team)
        self.assertEqual(self.plan.user_id, self.user_new)
        self.assertEqual(self.escalation.user_id, self.user_new)
        # activities
        self.assertEqual(self.activity_plan.user_id, self.user_new)
        self.assertEqual(self.activity_reminder.user_id, self.user_new)
        self.assertEqual(self.activity_team.user_id, self.user_team)
        self.assertEqual(self.activity_elsewhere.user_id, self.user_kam)
        escalation_activities = self.escalation.activity_ids
        self.assertTrue(escalation_activities)
        self.assertEqual(escalation_activities.user_id, self.user_new)
        # followers
        for record in (self.plan, self.stakeholder_kam, self.escalation):
            followers = self._followers(record)
            self.assertIn(self.user_new.partner_id, followers, record._name)
            self.assertNotIn(self.user_kam.partner_id, followers, record._name)
        self.assertIn(self.user_team.partner_id, self._followers(self.escalation))
        # one note
        notes = self.account.message_ids.filtered(
            lambda m: "Key Account Manager changed" in str(m.body)
        )
        self.assertEqual(len(notes), 1)
        self.assertIn("from Kim Account to Nora New", str(notes.body))
        self.assertIn("Handed over: 1 stakeholder and 3 activities.", str(notes.body))

    def test_new_kam_already_on_team(self):
        """The new KAM keeps their own line, now as KAM; the former KAM's line
        goes (the team has one line per user)."""
        self.account.with_user(self.user_kam_manager).kam_user_id = self.user_team
        self.assertHandedOver(self.account, self.user_kam, self.user_team)
        self.assertFalse(self.kam_line.exists())
        self.assertEqual(len(self.account.kam_team_member_ids), 1)
        # the former KAM's activities go, the team's stay
        self.assertEqual(self.activity_plan.user_id, self.user_team)

    def test_former_kam_stays_on_team(self):
        """A former KAM who is on the team in another role stays there, and
        keeps following the account's records."""
        self.kam_line.unlink()
        self.env["kam.team.member"].create(
            {"partner_id": self.account.id, "user_id": self.user_kam.id}
        )
        self.plan.message_subscribe(partner_ids=self.user_kam.partner_id.ids)
        self.account.with_user(self.user_kam_manager).kam_user_id = self.user_new
        team = self.account.kam_team_member_ids
        self.assertEqual(
            team.filtered(lambda m: m.role == "key_account_manager").user_id,
            self.user_new,
        )
        self.assertIn(self.user_kam, team.user_id)
        self.assertIn(self.user_kam.partner_id, self._followers(self.plan))
        self.assertIn(self.user_new.partner_id, self._followers(self.plan))

    def test_first_kam_is_no_handover(self):
        """Giving a KAM to an account without one hands nothing over."""
        self.candidate.kam_user_id = self.user_new
        self.assertFalse(self.candidate.kam_team_member_ids)
        self.assertFalse(
            self.candidate.message_ids.filtered(
                lambda m: "Key Account Manager changed" in str(m.body)
            )
        )

    # ------------------------------------------------------------
    # The wizard
    # ------------------------------------------------------------
    def _accounts(self, count):
        return self.env["res.partner"].create(
            [
                {
                    "name": f"Key {i}",
                    "is_company": True,
                    "is_key_account": True,
                    "kam_user_id": self.user_kam.id,
                }
                for i in range(count)
            ]
        )

    def test_wizard_three_accounts(self):
        accounts = self.account | self._accounts(2)
        accounts.company_id = self.company
        Wizard = self.env["kam.reassign.wizard"].with_user(self.user_kam_manager)
        wizard = Wizard.with_context(
            active_model="res.partner", active_ids=(accounts | self.candidate).ids
        ).create({"user_id": self.user_new.id, "note": "Territory change"})
        self.assertEqual(wizard.partner_ids, accounts, "key accounts only")
        self.assertIn(self.user_new, wizard.allowed_user_ids)
        self.assertNotIn(self.user_portal, wizard.allowed_user_ids)
        self.assertNotIn(self.user_company_b, wizard.allowed_user_ids)
        wizard.action_confirm()
        self.assertEqual(accounts.kam_user_id, self.user_new)
        for account in accounts:
            self.assertHandedOver(account, self.user_kam, self.user_new)
            note = account.message_ids.filtered(
                lambda m: "Key Account Manager changed" in str(m.body)
            )
            self.assertEqual(len(note), 1, account.name)
            self.assertIn("Territory change", str(note.body))
        self.assertEqual(self.stakeholder_kam.owner_id, self.user_new)

    def test_wizard_batched(self):
        """The handover of many accounts costs the queries of a few."""
        counts = []
        # the first run warms the caches up
        for accounts in (self._accounts(1), self._accounts(2), self._accounts(8)):
            self.env.flush_all()
            self.env.invalidate_all()
            count = self.env.cr.sql_log_count
            accounts.with_user(self.user_kam_manager).write(
                {"kam_user_id": self.user_new.id}
            )
            self.env.flush_all()
            counts.append(self.env.cr.sql_log_count - count)
        self.assertEqual(counts[1], counts[2], "no query per account")

    def test_wizard_refused_to_kam_user(self):
        for user in (self.user_kam, self.user_sales):
            with self.assertRaises(AccessError):
                self.env["kam.reassign.wizard"].with_user(user).create(
                    {"partner_ids": self.account.ids, "user_id": self.user_new.id}
                )
        with self.assertRefused(AccessError):
            self.account.with_user(self.user_kam).kam_user_id = self.user_new
        self.assertEqual(self.account.kam_user_id, self.user_kam)

    def test_wizard_bad_new_kam(self):
        """A portal user or a user of another company is refused with a clear
        message, and nothing changes."""
        Wizard = self.env["kam.reassign.wizard"].with_user(self.user_kam_manager)
        accounts = self.account | self._accounts(1)
        accounts.company_id = self.company
        for user, message in (
            (self.user_portal, "is not an internal user"),
            (self.user_company_b, "does not work in"),
        ):
            wizard = Wizard.create({"partner_ids": accounts.ids, "user_id": user.id})
            with self.assertRefused(ValidationError, message):
                wizard.action_confirm()
            with self.assertRefused(ValidationError, message):
                accounts.with_user(self.user_kam_manager).kam_user_id = user
        self.assertEqual(accounts.kam_user_id, self.user_kam)
        self.assertEqual(self.kam_line.user_id, self.user_kam)
        self.assertEqual(self.stakeholder_kam.owner_id, self.user_kam)
        self.assertEqual(self.activity_plan.user_id, self.user_kam)
