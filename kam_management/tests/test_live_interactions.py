from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import KamCommon

CONTACT_DUE = "kam_management.mail_activity_type_kam_contact_due"


@tagged("post_install", "-at_install")
class TestLiveInteractions(KamCommon):
    """An interaction counts for the stakeholder in the transaction that records
    it, and closes the stakeholder's "contact due" reminder (DESIGN section 3)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Stakeholder = cls.env["kam.stakeholder"]
        cls.today = fields.Date.context_today(cls.Stakeholder)
        cls.stakeholder = cls.Stakeholder.create(
            {
                "partner_id": cls.account.id,
                "contact_id": cls.account_contact.id,
                "owner_id": cls.user_kam.id,
            }
        )
        cls.plain_partner = cls.env["res.partner"].create({"name": "Plain Ltd"})
        cls.lead = cls.env["crm.lead"].create(
            {
                "name": "Pumps for Plain",
                "partner_id": cls.plain_partner.id,
                "user_id": cls.user_kam.id,
            }
        )

    def setUp(self):
        super().setUp()
        # an old interaction and an open reminder, as the daily run leaves them
        self.stakeholder.last_interaction_date = self.today - timedelta(days=60)
        self.reminder = self.stakeholder.activity_schedule(
            CONTACT_DUE, user_id=self.user_kam.id
        )

    def _reminders(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "kam.stakeholder"),
                ("res_id", "=", self.stakeholder.id),
                ("activity_type_id", "=", self.env.ref(CONTACT_DUE).id),
            ]
        )

    def assertContactMade(self):
        """Up to date without any refresh, the reminder marked done."""
        self.assertEqual(self.stakeholder.last_interaction_date, self.today)
        self.assertEqual(
            self.stakeholder.next_contact_date, self.today + timedelta(days=30)
        )
        self.assertFalse(self.stakeholder.is_overdue)
        self.assertFalse(self._reminders())
        done = self.stakeholder.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.env.ref(CONTACT_DUE)
        )
        self.assertEqual(len(done), 1, "the reminder is marked done once")
        self.assertIn("Contact made on", str(done.body))

    def assertNoContact(self):
        self.assertEqual(
            self.stakeholder.last_interaction_date, self.today - timedelta(days=60)
        )
        self.assertEqual(self._reminders(), self.reminder)

    # ------------------------------------------------------------
    # Each source
    # ------------------------------------------------------------
    def test_message_sent_to_contact(self):
        self.lead.with_user(self.user_kam).message_post(
            body="Your offer is attached",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.account_contact.ids,
        )
        self.assertContactMade()

    def test_note_on_contact(self):
        self.account_contact.with_user(self.user_kam).message_post(
            body="Called Alice about the renewal",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertContactMade()

    def test_note_on_stakeholder(self):
        # as the chatter posts it
        self.stakeholder.with_user(self.user_kam).message_post(
            body="Lunch with Alice",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertContactMade()

    def test_email_from_contact(self):
        self.lead.message_post(
            body="Thanks for the offer",
            message_type="email",
            author_id=self.account_contact.id,
        )
        self.assertContactMade()

    def test_note_on_contact_opportunity(self):
        """A note on an opportunity of the contact is an interaction with the
        contact, as for the engagement of the account."""
        lead = self.env["crm.lead"].create(
            {"name": "Renewal", "partner_id": self.account_contact.id}
        )
        lead.with_user(self.user_kam).message_post(
            body="Called Alice about the renewal",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.assertContactMade()
        self.stakeholder._kam_refresh_last_interaction()
        self.assertEqual(self.stakeholder.last_interaction_date, self.today)

    def test_meeting(self):
        now = fields.Datetime.now()
        self.env["calendar.event"].with_user(self.user_kam).create(
            {
                "name": "Renewal talk",
                "start": now - timedelta(hours=1),
                "stop": now,
                "partner_ids": [Command.set(self.account_contact.ids)],
            }
        )
        self.assertContactMade()

    def test_meeting_attendee_added(self):
        now = fields.Datetime.now()
        event = self.env["calendar.event"].create(
            {"name": "Renewal talk", "start": now - timedelta(hours=1), "stop": now}
        )
        self.assertNoContact()
        event.partner_ids = [Command.link(self.account_contact.id)]
        self.assertContactMade()

    def test_meeting_to_come(self):
        """A meeting to come is no interaction yet (the daily run takes it once
        past), as in kam.interaction's view."""
        start = fields.Datetime.now() + timedelta(days=2)
        self.env["calendar.event"].create(
            {
                "name": "Renewal talk",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [Command.set(self.account_contact.ids)],
            }
        )
        self.assertNoContact()

    def test_done_activity(self):
        call = self.stakeholder.activity_schedule(
            "mail.mail_activity_data_call", user_id=self.user_kam.id
        )
        call.with_user(self.user_kam).action_feedback(feedback="Spoke with Alice")
        self.assertContactMade()

    def test_meeting_scheduled_and_done(self):
        """The chatter's "Schedule & Mark as Done" of a meeting (issue 22): the
        contact is made, and the open view is read again for it."""
        wizard = (
            self.env["mail.activity.schedule"]
            .with_user(self.user_kam)
            .with_context(
                active_model="kam.stakeholder", active_ids=self.stakeholder.ids
            )
            .create(
                {"activity_type_id": self.env.ref("mail.mail_activity_data_meeting").id}
            )
        )
        action = wizard.action_schedule_activities_done()
        self.assertEqual(action, {"type": "ir.actions.client", "tag": "soft_reload"})
        self.assertContactMade()

    def test_contact_suggested_as_recipient(self):
        """ "Send message" on a stakeholder (issue 22): the person is the
        recipient suggested, not someone to find in Contacts."""
        suggested = self.stakeholder.with_user(
            self.user_kam
        )._message_get_suggested_recipients()
        self.assertIn(self.account_contact.id, [r.get("partner_id") for r in suggested])

    def test_reminder_marked_done(self):
        """Marking the reminder itself done is the contact: it is done once."""
        self.reminder.with_user(self.user_kam).action_feedback(feedback="Called")
        self.assertEqual(self.stakeholder.last_interaction_date, self.today)
        self.assertFalse(self._reminders())
        done = self.stakeholder.message_ids.filtered("mail_activity_type_id")
        self.assertEqual(len(done), 1)

    def test_older_interaction_keeps_the_date(self):
        """A message dated before the last interaction does not move it back."""
        self.stakeholder.last_interaction_date = self.today
        self.env["mail.message"].create(
            {
                "model": "res.partner",
                "res_id": self.account_contact.id,
                "message_type": "comment",
                "body": "Old exchange, imported",
                "date": fields.Datetime.now() - timedelta(days=5),
            }
        )
        self.assertEqual(self.stakeholder.last_interaction_date, self.today)
        self.assertFalse(self._reminders(), "a contact made all the same")

    def test_live_agrees_with_refresh(self):
        """The daily refresh finds what the live path wrote."""
        self.account_contact.message_post(body="Hello", message_type="comment")
        self.assertContactMade()
        self.stakeholder._kam_refresh_last_interaction()
        self.assertEqual(self.stakeholder.last_interaction_date, self.today)

    # ------------------------------------------------------------
    # What is no interaction
    # ------------------------------------------------------------
    def test_not_an_interaction(self):
        """Notifications, tracking and mass mailings do not count."""
        self.account_contact.message_post(
            body="Address changed", message_type="notification"
        )
        self.account_contact.message_post(
            body="Newsletter",
            message_type="email_outgoing",
            partner_ids=self.account_contact.ids,
        )
        self.account_contact.message_notify(
            body="Your quotation is ready", partner_ids=self.account_contact.ids
        )
        # a log on the stakeholder, as tracking posts it
        self.stakeholder._message_log(body="Role: Influencer → Champion")
        self.assertNoContact()

    def test_new_stakeholder_contact_is_live(self):
        """A contact mapped now is a stakeholder's for the next message."""
        person = self.env["res.partner"].create(
            {"name": "Nina New", "parent_id": self.account.id}
        )
        stakeholder = self.Stakeholder.create(
            {"partner_id": self.account.id, "contact_id": person.id}
        )
        self.assertFalse(stakeholder.last_interaction_date)
        person.message_post(body="Welcome call", message_type="comment")
        self.assertEqual(stakeholder.last_interaction_date, self.today)

    # ------------------------------------------------------------
    # Cost on the records that are not stakeholders'
    # ------------------------------------------------------------
    def test_no_query_off_stakeholders(self):
        """A message on a plain partner or on a lead without stakeholders costs
        no query to the live path (its cost on top of mail's own)."""
        Stakeholder = self.Stakeholder
        Interaction = self.env["kam.interaction"]
        for record in (self.plain_partner, self.lead):
            message = record.message_post(
                body="Hello",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.plain_partner.ids,
            )
            with self.assertQueryCount(0):
                contact_dates = Interaction._kam_message_people(message)
                Stakeholder._kam_record_interactions(contact_dates)
            self.assertTrue(contact_dates, "an interaction, with no stakeholder")
        now = fields.Datetime.now()
        event = self.env["calendar.event"].create(
            {
                "name": "Plain meeting",
                "start": now - timedelta(hours=1),
                "stop": now,
                "partner_ids": [Command.set(self.plain_partner.ids)],
            }
        )
        with self.assertQueryCount(0):
            event._kam_record_meetings()
        self.assertNoContact()
