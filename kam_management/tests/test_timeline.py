from datetime import timedelta

from odoo import fields
from odoo.exceptions import MissingError
from odoo.tests import tagged

from .common import KamRightsCommon


class KamTimelineCommon(KamRightsCommon):
    """Documents of ``account`` on known days, for the timeline's tests (the
    bridges' too): a meeting ``DAYS`` ago at most, the newest first being the
    escalation opened now."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = fields.Datetime.now()
        Lead = cls.env["crm.lead"]
        # an opportunity of the salesman, one of the KAM
        cls.lead_sales = Lead.create(
            {
                "name": "Sales deal",
                "type": "opportunity",
                "partner_id": cls.account_contact.id,
                "user_id": cls.user_sales.id,
            }
        )
        cls.lead_kam = Lead.create(
            {
                "name": "KAM deal",
                "type": "opportunity",
                "partner_id": cls.account.id,
                "user_id": cls.user_kam.id,
            }
        )
        cls.stakeholder = cls.env["kam.stakeholder"].create(
            {"partner_id": cls.account.id, "contact_id": cls.account_contact.id}
        )

    @classmethod
    def _kam_message(cls, record, days, **values):
        """A comment on ``record`` written ``days`` ago by the KAM."""
        return cls.env["mail.message"].create(
            {
                "model": record._name,
                "res_id": record.id,
                "body": "Notes",
                "message_type": "comment",
                "author_id": cls.user_kam.partner_id.id,
                "date": cls.now - timedelta(days=days),
                **values,
            }
        )

    @classmethod
    def _kam_meeting(cls, days, partners, **values):
        start = cls.now - timedelta(days=days)
        return cls.env["calendar.event"].create(
            {
                "name": "Meeting",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [(6, 0, partners.ids)],
                "user_id": cls.user_kam.id,
                **values,
            }
        )

    def _timeline(self, user, account=None, **kwargs):
        """The rows of ``account``'s timeline ``user`` reads, newest first:
        ``[(kind, document)]``."""
        self.env.invalidate_all()
        rows = (
            self.env["kam.timeline"]
            .with_user(user)
            .search([("partner_id", "=", (account or self.account).id)], **kwargs)
        )
        return [(row.kind, self.env[row.res_model].browse(row.res_id)) for row in rows]


@tagged("post_install", "-at_install")
class TestTimeline(KamTimelineCommon):
    """``kam.timeline``: one stream per account, newest first, of what the
    company did with it, each row opening its document; a user reads the rows of
    the documents he may read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.meeting = cls._kam_meeting(
            9, cls.account_contact | cls.user_kam.partner_id, name="Kick-off"
        )
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "name": "Acme plan",
                "partner_id": cls.account.id,
                "date_start": fields.Date.today() - timedelta(days=100),
                "date_end": fields.Date.today() + timedelta(days=265),
            }
        )
        cls.review = cls.env["kam.account.review"].create(
            {"plan_id": cls.plan.id, "date": fields.Date.today() - timedelta(days=8)}
        )
        cls.review.checklist_ids[0].done = True
        cls.review.action_done()
        # a review to come is not in the timeline
        cls.env["kam.account.review"].create(
            {"plan_id": cls.plan.id, "date": fields.Date.today() + timedelta(days=20)}
        )
        cls.on_account = cls._kam_message(cls.account, 7, subject="Call")
        cls.on_contact = cls._kam_message(cls.account_contact, 6)
        cls.on_lead_sales = cls._kam_message(cls.lead_sales, 5)
        cls.on_lead_kam = cls._kam_message(cls.lead_kam, 4)
        cls.on_stakeholder = cls._kam_message(cls.stakeholder, 3)
        # no interaction: a notification, a mass mailing
        cls._kam_message(cls.account, 2, message_type="notification")
        cls._kam_message(cls.account, 2, message_type="email_outgoing")
        cls.escalation = cls.env["kam.escalation"].create(
            {"partner_id": cls.account.id, "reason": "critical_issue"}
        )

    def test_newest_first_each_kind(self):
        self.assertEqual(
            self._timeline(self.user_kam),
            [
                ("escalation", self.escalation),
                ("message", self.stakeholder),
                ("message", self.lead_kam),
                ("message", self.lead_sales),
                ("message", self.account_contact),
                ("message", self.account),
                ("review", self.review),
                ("meeting", self.meeting),
            ],
        )
        rows = self.env["kam.timeline"].search([("partner_id", "=", self.account.id)])
        self.assertEqual(rows.mapped("date"), sorted(rows.mapped("date"), reverse=True))
        message = rows.filtered(lambda row: row.message_id == self.on_account)
        self.assertEqual(
            (message.name, message.user_id, message.date),
            ("Call", self.user_kam, self.on_account.date),
            "named by its subject, by its author",
        )
        self.assertEqual(
            rows.filtered(lambda row: row.message_id == self.on_contact).name,
            "Alice Buyer",
            "without a subject, named by its document",
        )
        review = rows.filtered(lambda row: row.kind == "review")
        self.assertEqual(review.name, "Acme plan")
        self.assertEqual(review.date.date(), self.review.date)

    def test_a_review_on_its_day_west_of_utc(self):
        """A review, held on a date, shows on that day to a user west of UTC
        (from the start of the day in his time zone), above the messages of
        the day before."""
        self.user_kam.tz = "America/Chicago"
        # 1:00 UTC: the evening before in Chicago
        eve = self._kam_message(
            self.account,
            0,
            date=fields.Datetime.to_datetime(self.review.date) + timedelta(hours=1),
        )
        rows = (
            self.env["kam.timeline"]
            .with_user(self.user_kam)
            .search(
                [
                    ("partner_id", "=", self.account.id),
                    ("kind", "in", ["review", "message"]),
                ]
            )
        )
        self.assertEqual(
            [(row.kind, row.message_id) for row in rows[-2:]],
            [("review", self.env["mail.message"]), ("message", eve)],
        )
        review = rows[-2]
        # the day the web client shows
        self.assertEqual(
            fields.Datetime.context_timestamp(review, review.date).date(),
            self.review.date,
        )

    def test_grouped_by_kind(self):
        groups = (
            self.env["kam.timeline"]
            .with_user(self.user_kam)
            ._read_group([("partner_id", "=", self.account.id)], ["kind"], ["__count"])
        )
        self.assertEqual(
            groups,
            [("escalation", 1), ("review", 1), ("message", 5), ("meeting", 1)],
            "in the order of the kinds",
        )

    def test_a_meeting_once_per_account(self):
        other = self._kam_other_account()
        meeting = self._kam_meeting(
            1, self.account | self.account_contact | other, name="Joint"
        )
        rows = self.env["kam.timeline"].search([("res_id", "=", meeting.id)])
        rows = rows.filtered(lambda row: row.kind == "meeting")
        self.assertEqual(rows.partner_id, self.account | other)
        self.assertEqual(len(rows), 2)

    def test_a_meeting_to_come_is_not_on_it_yet(self):
        coming = self._kam_meeting(-2, self.account_contact, name="Next week")
        self.env.flush_all()
        rows = self.env["kam.timeline"].search(
            [("res_model", "=", "calendar.event"), ("res_id", "=", coming.id)]
        )
        self.assertFalse(rows)

    def test_open_the_document(self):
        Timeline = self.env["kam.timeline"].with_user(self.user_kam)
        documents = [document for _kind, document in self._timeline(self.user_kam)]
        rows = Timeline.search([("partner_id", "=", self.account.id)])
        self.env.invalidate_all()
        # a row read by its id, as the list's button calls it
        for row, document in zip(Timeline.browse(rows.ids), documents, strict=True):
            action = row.action_kam_open_document()
            self.assertEqual(
                (action["type"], action["res_model"], action["res_id"]),
                ("ir.actions.act_window", document._name, document.id),
            )
            self.assertEqual(action["views"][0][1], "form")

    def test_open_a_meeting_of_a_high_id(self):
        """The web client reads the ids as floats (JSON numbers): a row's id
        stays below 2**53 with meetings past 2**17 (an id per meeting and
        account), and opens its meeting as the web client sends it back."""
        # never backwards: the meetings of the class are above on a second run
        self.env.cr.execute(
            """SELECT setval('calendar_event_id_seq',
                             GREATEST(200000, nextval('calendar_event_id_seq')))"""
        )
        meeting = self._kam_meeting(1, self.account_contact, name="Late")
        self.assertGreater(meeting.id, 2**17)
        Timeline = self.env["kam.timeline"].with_user(self.user_kam)
        row = Timeline.search(
            [("res_model", "=", "calendar.event"), ("res_id", "=", meeting.id)]
        )
        self.assertLess(row.id, 2**53)
        self.env.invalidate_all()
        action = Timeline.browse(int(float(row.id))).action_kam_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("calendar.event", meeting.id)
        )

    def test_a_row_read_by_id_only_if_its_document_is(self):
        """Read by its id (the list's button), a row of a document the user may
        not read does not exist for him."""
        row = self.env["kam.timeline"].search(
            [("res_model", "=", "kam.escalation"), ("res_id", "=", self.escalation.id)]
        )
        self.env.invalidate_all()
        with self.assertRaises(MissingError):
            row.with_user(self.user_sales).action_kam_open_document()
        self.assertEqual(row.with_user(self.user_kam).res_id, self.escalation.id)

    def test_units_count_for_their_group(self):
        self._kam_setup_group()
        on_buyer = self._kam_message(self.buyer, 1)
        meeting = self._kam_meeting(1, self.plant)
        rows = self.env["kam.timeline"].search(
            [
                "|",
                ("message_id", "=", on_buyer.id),
                "&",
                ("kind", "=", "meeting"),
                ("res_id", "=", meeting.id),
            ]
        )
        self.assertEqual(len(rows), 2)
        self.assertEqual(rows.partner_id, self.account)

    # ------------------------------------------------------------
    # Rights: only what the user may read
    # ------------------------------------------------------------
    def test_salesman(self):
        """No escalation, review or stakeholder (KAM models), no opportunity of
        another salesman."""
        self.assertEqual(
            self._timeline(self.user_sales),
            [
                ("message", self.lead_sales),
                ("message", self.account_contact),
                ("message", self.account),
                ("meeting", self.meeting),
            ],
        )

    def test_kam_user_off_the_account(self):
        """Every KAM user reads the escalations, reviews and stakeholders; the
        opportunities only of the accounts he works on, or his own."""
        kinds = self._timeline(self.user_kam_other)
        self.assertNotIn(("message", self.lead_kam), kinds)
        self.assertNotIn(("message", self.lead_sales), kinds)
        self.assertEqual(len(kinds), 6)
        self.assertIn(("escalation", self.escalation), kinds)
        self.assertIn(("message", self.stakeholder), kinds)
        # the KAM of the account and its team read the salesman's opportunity
        self.assertIn(("message", self.lead_sales), self._timeline(self.user_team))

    def test_other_company(self):
        """A user of company B reads nothing of company A's documents (the
        account, shared by both, aside); company A's users nothing of B's."""
        account_b_contact = self.env["res.partner"].create(
            {
                "name": "Bernd Buyer",
                "parent_id": self.account_b.id,
                "company_id": self.company_b.id,
            }
        )
        escalation_b = self.env["kam.escalation"].create(
            {"partner_id": self.account_b.id, "reason": "critical_issue"}
        )
        self._kam_message(account_b_contact, 1)
        self.assertEqual(
            self._timeline(self.user_company_b),
            [
                ("message", self.account_contact),
                ("message", self.account),
                ("meeting", self.meeting),
            ],
        )
        self.assertEqual(
            self._timeline(self.user_company_b, self.account_b),
            [("escalation", escalation_b), ("message", account_b_contact)],
        )
        self.assertFalse(self._timeline(self.user_kam_manager, self.account_b))

    def test_private_meeting(self):
        """A private meeting shows only to its organiser and its attendees (Odoo
        shows it as "Busy" to the others)."""
        private = self._kam_meeting(
            1,
            self.account_contact | self.user_team.partner_id,
            privacy="private",
            user_id=self.user_kam_manager.id,
        )
        for user, shown in (
            (self.user_kam_manager, True),
            (self.user_team, True),
            (self.user_kam, False),
            (self.user_sales, False),
        ):
            with self.subTest(user=user.name):
                self.assertEqual(("meeting", private) in self._timeline(user), shown)

    def test_first_page_in_one_query(self):
        """The first page is one query, whatever the user's rights."""
        for user in (self.user_sales, self.user_kam, self.user_kam_manager):
            Timeline = self.env["kam.timeline"].with_user(user)
            domain = [("partner_id", "=", self.account.id)]
            fnames = ["date", "kind", "name", "res_model", "res_id", "user_id"]
            Timeline.search_fetch(domain, fnames, limit=80)  # caches warm
            with self.subTest(user=user.name), self.assertQueryCount(1):
                Timeline.search_fetch(domain, fnames, limit=80)
