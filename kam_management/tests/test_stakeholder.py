from datetime import datetime, time, timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged, users
from odoo.tools import mute_logger

from .common import KamCommon

CONTACT_DUE = "kam_management.mail_activity_type_kam_contact_due"


@tagged("post_install", "-at_install")
class TestStakeholder(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_kam_member = new_test_user(
            cls.env,
            login="kam_member",
            name="Tea Member",
            groups="sales_team.group_sale_salesman,kam_management.group_kam_user",
        )
        cls.env["kam.team.member"].create(
            {"partner_id": cls.account.id, "user_id": cls.user_kam_member.id}
        )
        Partner = cls.env["res.partner"]
        cls.contact_bob = Partner.create(
            {"name": "Bob Boss", "parent_id": cls.account.id, "function": "CEO"}
        )
        cls.contact_carol = Partner.create(
            {"name": "Carol Tech", "parent_id": cls.account.id}
        )
        cls.foreign_contact = Partner.create(
            {"name": "Frank Foreign", "parent_id": cls.candidate.id}
        )
        cls.Stakeholder = cls.env["kam.stakeholder"]
        cls.stakeholder_alice = cls.Stakeholder.create(
            {
                "partner_id": cls.account.id,
                "contact_id": cls.account_contact.id,
                "role": "economic_buyer",
                "relationship_strength": 4,
            }
        )
        cls.today = fields.Date.context_today(cls.Stakeholder)

    def _days_ago(self, days):
        return datetime.combine(self.today - timedelta(days=days), time(12, 0))

    def _meeting(self, contact, days_ago):
        return self.env["calendar.event"].create(
            {
                "name": "Quarterly review",
                "start": self._days_ago(days_ago),
                "stop": self._days_ago(days_ago) + timedelta(hours=1),
                "partner_ids": [Command.set(contact.ids)],
            }
        )

    def _stakeholder(self, contact, **vals):
        return self.Stakeholder.create(
            {"partner_id": self.account.id, "contact_id": contact.id, **vals}
        )

    # ------------------------------------------------------------
    # Coverage
    # ------------------------------------------------------------
    def test_coverage_flags(self):
        account = self.account
        self.assertEqual(self.stakeholder_alice.owner_id, self.user_kam)
        self.assertFalse(account.kam_has_decision_maker)
        self.assertFalse(account.kam_has_champion)
        self.assertFalse(account.kam_has_executive_sponsor)
        self.assertTrue(account.kam_single_threaded, "only Alice carries it")
        Partner = self.env["res.partner"]
        self.assertIn(account, Partner.search([("kam_single_threaded", "=", True)]))
        self.assertIn(account, Partner.search([("kam_has_champion", "=", False)]))

        sponsor = self._stakeholder(
            self.contact_bob, role="executive_sponsor", relationship_strength=3
        )
        self._stakeholder(
            self.contact_carol,
            role="decision_maker",
            attitude="champion",
            relationship_strength=1,
        )
        self.assertTrue(account.kam_has_decision_maker)
        self.assertTrue(account.kam_has_champion, "a champion attitude counts")
        self.assertTrue(account.kam_has_executive_sponsor)
        self.assertFalse(account.kam_single_threaded, "Alice and Bob are strong")
        self.assertEqual(account.kam_stakeholder_count, 3)
        for fname in (
            "kam_has_decision_maker",
            "kam_has_champion",
            "kam_has_executive_sponsor",
        ):
            self.assertIn(account, Partner.search([(fname, "=", True)]), fname)
            self.assertNotIn(account, Partner.search([(fname, "=", False)]), fname)
        self.assertNotIn(account, Partner.search([("kam_single_threaded", "=", True)]))

        # a departed sponsor no longer covers the account
        sponsor.departed = True
        self.assertFalse(account.kam_has_executive_sponsor)
        self.assertTrue(account.kam_single_threaded)
        # non key accounts never raise coverage gaps
        self.assertFalse(self.candidate.kam_single_threaded)
        self.assertNotIn(
            self.candidate, Partner.search([("kam_single_threaded", "=", True)])
        )

    def test_overdue_count(self):
        self._meeting(self.contact_bob, 40)
        self._meeting(self.contact_carol, 5)
        self._stakeholder(self.contact_bob, contact_frequency_days=30)
        self._stakeholder(self.contact_carol, contact_frequency_days=30)
        self.assertEqual(self.account.kam_overdue_stakeholder_count, 1)
        Partner = self.env["res.partner"]
        self.assertIn(
            self.account, Partner.search([("kam_overdue_stakeholder_count", ">", 0)])
        )
        self.assertNotIn(
            self.account, Partner.search([("kam_overdue_stakeholder_count", "=", 0)])
        )
        self.assertIn(
            self.account, Partner.search([("kam_overdue_stakeholder_count", "<", 2)])
        )
        overdue = self.Stakeholder.search(
            [("is_overdue", "=", True), ("partner_id", "=", self.account.id)]
        )
        self.assertEqual(overdue.contact_id, self.contact_bob)
        on_time = self.Stakeholder.search(
            [("is_overdue", "=", False), ("partner_id", "=", self.account.id)]
        )
        self.assertEqual(on_time.contact_id, self.account_contact | self.contact_carol)

    # ------------------------------------------------------------
    # Last interaction
    # ------------------------------------------------------------
    def test_last_interaction_from_meeting(self):
        self._meeting(self.contact_bob, 10)
        self._meeting(self.contact_bob, -3)  # a future meeting is no interaction yet
        stakeholder = self._stakeholder(self.contact_bob, contact_frequency_days=30)
        self.assertEqual(
            stakeholder.last_interaction_date, self.today - timedelta(days=10)
        )
        self.assertEqual(stakeholder.next_contact_date, self.today + timedelta(days=20))
        # a later meeting moves it on the next refresh
        self._meeting(self.contact_bob, 2)
        stakeholder._kam_refresh_last_interaction()
        self.assertEqual(
            stakeholder.last_interaction_date, self.today - timedelta(days=2)
        )
        self.assertEqual(stakeholder.next_contact_date, self.today + timedelta(days=28))

    def test_last_interaction_from_message(self):
        stakeholder = self._stakeholder(self.contact_bob)
        self.assertFalse(stakeholder.last_interaction_date)
        # the cadence starts when the stakeholder is mapped
        self.assertEqual(stakeholder.next_contact_date, self.today + timedelta(days=30))

        message = self.contact_bob.message_post(
            body="Called Bob about the renewal", message_type="comment"
        )
        message.sudo().date = self._days_ago(7)
        # system notifications are no interaction
        notification = self.contact_bob.message_post(
            body="Address changed", message_type="notification"
        )
        notification.sudo().date = self._days_ago(1)
        # an email Bob writes on any document is one
        self.stakeholder_alice.message_post(
            body="Thanks for the offer",
            message_type="email",
            author_id=self.contact_bob.id,
        ).sudo().date = self._days_ago(4)
        stakeholder._kam_refresh_last_interaction()
        self.assertEqual(
            stakeholder.last_interaction_date, self.today - timedelta(days=4)
        )
        self.assertEqual(stakeholder.next_contact_date, self.today + timedelta(days=26))

    def test_last_interaction_not_a_mass_mailing(self):
        """A mass mailing (email_outgoing) is no interaction, as for the
        engagement of the account (kam.interaction)."""
        stakeholder = self._stakeholder(self.contact_bob)
        self.contact_bob.message_post(
            body="Newsletter", message_type="email_outgoing"
        ).sudo().date = self._days_ago(1)
        stakeholder._kam_refresh_last_interaction()
        self.assertFalse(stakeholder.last_interaction_date)

    def test_last_interaction_from_done_activity(self):
        stakeholder = self._stakeholder(self.contact_bob)
        activity = stakeholder.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.user_kam.id
        )
        activity.with_user(self.user_kam).action_feedback(feedback="Spoke with Bob")
        stakeholder._kam_refresh_last_interaction()
        self.assertEqual(stakeholder.last_interaction_date, self.today)

    def test_last_interaction_in_batch(self):
        """The query count does not grow with the number of stakeholders."""
        contacts = self.env["res.partner"].create(
            [{"name": f"Person {i}", "parent_id": self.account.id} for i in range(10)]
        )
        for contact in contacts:
            self._meeting(contact, 3)
        stakeholders = self.Stakeholder.create(
            [{"partner_id": self.account.id, "contact_id": c.id} for c in contacts]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        cr = self.env.cr
        count = cr.sql_log_count
        stakeholders[:1]._kam_refresh_last_interaction()
        self.env.flush_all()
        one = cr.sql_log_count - count
        self.env.invalidate_all()
        count = cr.sql_log_count
        stakeholders._kam_refresh_last_interaction()
        self.env.flush_all()
        many = cr.sql_log_count - count
        self.assertEqual(many, one)
        self.assertEqual(
            set(stakeholders.mapped("last_interaction_date")),
            {self.today - timedelta(days=3)},
        )

    # ------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------
    def _contact_due_activities(self, stakeholders):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "kam.stakeholder"),
                ("res_id", "in", stakeholders.ids),
                ("activity_type_id", "=", self.env.ref(CONTACT_DUE).id),
            ]
        )

    def test_cron_one_reminder_per_overdue_stakeholder(self):
        self._meeting(self.contact_bob, 20)
        self._meeting(self.contact_carol, 20)
        overdue = self._stakeholder(
            self.contact_bob,
            contact_frequency_days=10,
            owner_id=self.user_kam_member.id,
        )
        on_time = self._stakeholder(self.contact_carol, contact_frequency_days=30)
        Stakeholder = self.Stakeholder
        Stakeholder._cron_kam_contact_due()
        Stakeholder._cron_kam_contact_due()
        activities = self._contact_due_activities(overdue | on_time)
        self.assertEqual(len(activities), 1, "one reminder, never two")
        self.assertEqual(activities.res_id, overdue.id)
        self.assertEqual(activities.user_id, self.user_kam_member)

        # once done, the contact counts as an interaction: no new reminder
        activities.with_user(self.user_kam_member).action_feedback(feedback="Called")
        Stakeholder._cron_kam_contact_due()
        self.assertFalse(self._contact_due_activities(overdue))
        self.assertEqual(overdue.last_interaction_date, self.today)
        self.assertFalse(overdue.is_overdue)

    def test_cron_departed_sponsor(self):
        sponsor = self._stakeholder(self.contact_bob, role="executive_sponsor")
        mover = self._stakeholder(self.contact_carol, role="user")
        self.contact_bob.action_archive()
        self.contact_carol.parent_id = self.candidate
        self.Stakeholder._cron_kam_contact_due()
        self.assertTrue(sponsor.departed)
        self.assertTrue(mover.departed)
        self.assertFalse(self.stakeholder_alice.departed)
        self.assertFalse(self.account.kam_has_executive_sponsor)
        message = self.account.message_ids[0]
        self.assertIn("Bob Boss", message.body)
        self.assertIn("Carol Tech", message.body)
        self.assertIn("Churn signal", message.body)
        # a re-run posts nothing more
        count = len(self.account.message_ids)
        self.Stakeholder._cron_kam_contact_due()
        self.assertEqual(len(self.account.message_ids), count)

    # ------------------------------------------------------------
    # Bad input
    # ------------------------------------------------------------
    @mute_logger("odoo.sql_db")
    def test_duplicate_refused(self):
        with self.assertRaises(IntegrityError), self.cr.savepoint():
            self._stakeholder(self.account_contact)

    def test_foreign_contact_refused(self):
        with self.assertRaises(ValidationError):
            self._stakeholder(self.foreign_contact)
        with self.assertRaises(ValidationError):
            self._stakeholder(self.account)  # the company itself is no person
        with self.assertRaises(ValidationError):
            self.stakeholder_alice.contact_id = self.foreign_contact

    def test_ranges_refused(self):
        for fname, value in [
            ("influence", 0),
            ("influence", 6),
            ("interest", 0),
            ("interest", 6),
            ("relationship_strength", 0),
            ("relationship_strength", 6),
            ("contact_frequency_days", -1),
        ]:
            with self.subTest(field=fname, value=value):
                with self.assertRaises(ValidationError):
                    self.stakeholder_alice.write({fname: value})
        self.assertEqual(self.stakeholder_alice.relationship_strength, 4)

    def test_frequency_out_of_range_in_the_form(self):
        """Issue 20: a huge contact frequency typed in the form gives no next
        contact date in the onchange (no OverflowError), and the save refuses
        it with a message."""
        form = Form(self.Stakeholder.with_user(self.user_kam))
        form.partner_id = self.account
        form.contact_id = self.contact_bob
        for days in (10000000, -5, 3651):
            with self.subTest(days=days):
                form.contact_frequency_days = days
                self.assertFalse(form.next_contact_date)
        with self.assertRefused(ValidationError, "contact frequency"):
            form.save()
        self.assertFalse(
            self.Stakeholder.search([("contact_id", "=", self.contact_bob.id)])
        )
        form.contact_frequency_days = 3650
        today = fields.Date.context_today(self.Stakeholder.with_user(self.user_kam))
        self.assertEqual(form.next_contact_date, today + timedelta(days=3650))
        stakeholder = form.save()
        # an existing stakeholder, edited in its form
        with Form(stakeholder.with_user(self.user_kam)) as edit:
            edit.contact_frequency_days = 10000000
            self.assertFalse(edit.next_contact_date)
            edit.contact_frequency_days = 10
        self.assertEqual(stakeholder.next_contact_date, today + timedelta(days=10))
        with self.assertRefused(ValidationError, "contact frequency"):
            stakeholder.with_user(self.user_kam).contact_frequency_days = 10000000
        self.assertEqual(stakeholder.contact_frequency_days, 10)

    # ------------------------------------------------------------
    # Access rights
    # ------------------------------------------------------------
    def _create_as(self, user, contact):
        return self.Stakeholder.with_user(user).create(
            {"partner_id": self.account.id, "contact_id": contact.id}
        )

    @users("kam_user", "kam_member", "kam_manager")
    def test_rights_account_team_changes(self):
        stakeholder = self._create_as(self.env.user, self.contact_bob)
        stakeholder.write({"attitude": "supporter", "influence": 5})
        self.stakeholder_alice.with_user(self.env.user).role = "champion"
        self.assertTrue(self.account.with_user(self.env.user).kam_has_champion)
        stakeholder.unlink()

    @users("kam_other")
    def test_rights_outsider_reads_only(self):
        alice = self.stakeholder_alice.with_user(self.env.user)
        self.assertEqual(alice.contact_id, self.account_contact)
        self.assertIn(alice, self.Stakeholder.with_user(self.env.user).search([]))
        with self.assertRaises(AccessError):
            alice.write({"attitude": "opponent"})
        with self.assertRaises(AccessError):
            self._create_as(self.env.user, self.contact_bob)
        with self.assertRaises(AccessError):
            alice.unlink()

    @users("kam_sales")
    def test_rights_sales_user_no_access(self):
        with self.assertRaises(AccessError):
            self.Stakeholder.with_user(self.env.user).search([])
        with self.assertRaises(AccessError):
            self.stakeholder_alice.with_user(self.env.user).read(["role"])
        with self.assertRaises(AccessError):
            self._create_as(self.env.user, self.contact_bob)

    def test_rights_manager_other_account(self):
        other = self.env["res.partner"].create(
            {"name": "Other Key", "is_company": True, "is_key_account": True}
        )
        person = self.env["res.partner"].create({"name": "Olga", "parent_id": other.id})
        Stakeholder = self.Stakeholder.with_user(self.user_kam_manager)
        stakeholder = Stakeholder.create(
            {"partner_id": other.id, "contact_id": person.id}
        )
        stakeholder.role = "decision_maker"
        self.assertEqual(stakeholder.owner_id, self.user_kam_manager)
        with self.assertRaises(AccessError):
            stakeholder.with_user(self.user_kam).write({"role": "blocker"})

    def test_rights_multi_company(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        account_b = self.env["res.partner"].create(
            {
                "name": "B Key",
                "is_company": True,
                "is_key_account": True,
                "company_id": company_b.id,
            }
        )
        person = self.env["res.partner"].create(
            {"name": "Bea", "parent_id": account_b.id}
        )
        stakeholder_b = self.Stakeholder.create(
            {"partner_id": account_b.id, "contact_id": person.id}
        )
        self.assertEqual(stakeholder_b.company_id, company_b)
        visible = self.Stakeholder.with_user(self.user_kam_other).search([])
        self.assertIn(self.stakeholder_alice, visible)
        self.assertNotIn(stakeholder_b, visible)

    def test_coverage_in_batch(self):
        """The coverage of many accounts costs the same queries as one."""
        Partner = self.env["res.partner"]
        accounts = Partner.create(
            [
                {"name": f"Key {i}", "is_company": True, "is_key_account": True}
                for i in range(5)
            ]
        )
        for account in accounts:
            person = Partner.create({"name": "Person", "parent_id": account.id})
            self.Stakeholder.create(
                {
                    "partner_id": account.id,
                    "contact_id": person.id,
                    "role": "decision_maker",
                }
            )
        accounts |= self.account
        counts = []
        for partners in (accounts[:1], accounts):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            partners.mapped("kam_single_threaded")
            partners.mapped("kam_overdue_stakeholder_count")
            counts.append(self.env.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])
        self.assertTrue(all(accounts[:5].mapped("kam_has_decision_maker")))
        self.assertFalse(self.account.kam_has_decision_maker)
