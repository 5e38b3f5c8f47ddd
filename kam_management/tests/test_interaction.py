from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestInteraction(KamCommon):
    """``kam.interaction``: the one definition of an interaction with an
    account, read with the ORM."""

    def test_interactions_of_an_account(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Deal",
                "type": "opportunity",
                "partner_id": self.account_contact.id,
            }
        )
        lead.message_post(body="Email from Alice", message_type="email")
        self.account_contact.message_post(body="Call notes", message_type="comment")
        # no interaction: a mass mailing, a note of the system
        self.account.message_post(body="Newsletter", message_type="email_outgoing")
        self.account.message_post(body="Tracking", message_type="notification")
        start = fields.Datetime.now() - timedelta(days=3)
        meeting = self.env["calendar.event"].create(
            {
                "name": "Review",
                "start": start,
                "stop": start + timedelta(hours=1),
                "partner_ids": [(6, 0, (self.account | self.account_contact).ids)],
            }
        )
        self.env.flush_all()
        Interaction = self.env["kam.interaction"].with_user(self.user_kam)
        interactions = Interaction.search([("account_id", "=", self.account.id)])
        self.assertEqual(
            {(i.kind, i.document, i.partner_id) for i in interactions},
            {
                ("message", lead, self.account_contact),
                ("message", self.account_contact, self.account_contact),
                ("meeting", meeting, self.account),
                ("meeting", meeting, self.account_contact),
            },
            "no newsletter, no notification",
        )
        groups = Interaction._read_group(
            [("account_id", "=", self.account.id)], ["kind"], ["__count"]
        )
        self.assertEqual(dict(groups), {"message": 2, "meeting": 2})

    def test_interactions_with_a_person(self):
        """A message is an interaction with its author, its recipients and the
        person of its document (their record, opportunity or stakeholder
        record): one line each, the engagement counts the message once."""
        plain = self.env["res.partner"].create({"name": "Plain Ltd"})
        stakeholder = self.env["kam.stakeholder"].create(
            {"partner_id": self.account.id, "contact_id": self.account_contact.id}
        )
        written = plain.message_post(
            body="Alice's answer",
            message_type="email",
            author_id=self.account_contact.id,
        )
        sent = plain.message_post(
            body="Our offer",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=(self.account | self.account_contact).ids,
        )
        note = stakeholder.message_post(body="Lunch with Alice", message_type="comment")
        self.env.flush_all()
        Interaction = self.env["kam.interaction"].with_user(self.user_kam)
        interactions = Interaction.search([("account_id", "=", self.account.id)])
        self.assertEqual(
            {(i.message_id, i.partner_id, i.document) for i in interactions},
            {
                (written, self.account_contact, plain),
                (sent, self.account, plain),
                (sent, self.account_contact, plain),
                (note, self.account_contact, stakeholder),
            },
        )
        engagement = self.env["kam.health.engine"]._kam_health_fetch_engagement(
            self.account.ids, fields.Date.context_today(Interaction)
        )
        self.assertEqual(engagement[self.account.id]["messages"], 3)
