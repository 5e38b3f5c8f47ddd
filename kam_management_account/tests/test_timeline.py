from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.kam_management.tests.test_timeline import KamTimelineCommon

from .common import new_invoice_user


@tagged("post_install", "-at_install")
class TestTimelineAccount(KamTimelineCommon):
    """Posted customer invoices and credit notes in the timeline of their
    account, to the users who may read them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_invoice = new_invoice_user(cls.env)
        cls.invoice, cls.credit_note, cls.draft = cls.env["account.move"].create(
            [
                {
                    "move_type": move_type,
                    "partner_id": cls.account_contact.id,
                    "invoice_date": (cls.now - timedelta(days=days)).date(),
                    "invoice_line_ids": [
                        (0, 0, {"name": "Service", "quantity": 1, "price_unit": 100})
                    ],
                }
                for move_type, days in (
                    ("out_invoice", 3),
                    ("out_refund", 2),
                    ("out_invoice", 1),
                )
            ]
        )
        (cls.invoice | cls.credit_note).action_post()

    def test_posted_invoices_and_credit_notes(self):
        timeline = self._timeline(self.user_invoice)
        self.assertEqual(
            timeline, [("credit_note", self.credit_note), ("invoice", self.invoice)]
        )
        row = self.env["kam.timeline"].search(
            [("kind", "=", "invoice"), ("res_id", "=", self.invoice.id)]
        )
        self.assertEqual(
            (row.date.date(), row.name, row.partner_id),
            (self.invoice.invoice_date, self.invoice.name, self.account),
        )
        action = row.action_kam_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", self.invoice.id)
        )

    def test_on_its_day_west_of_utc(self):
        """An invoice, dated, shows on its day to a user west of UTC."""
        self.user_invoice.tz = "America/Chicago"
        row = (
            self.env["kam.timeline"]
            .with_user(self.user_invoice)
            .search([("kind", "=", "invoice"), ("res_id", "=", self.invoice.id)])
        )
        # the day the web client shows
        self.assertEqual(
            fields.Datetime.context_timestamp(row, row.date).date(),
            self.invoice.invoice_date,
        )

    def test_not_of_another_company(self):
        """An accountant of company B reads none of company A's invoices."""
        user = new_test_user(
            self.env,
            login="kam_invoice_b",
            groups="account.group_account_invoice",
            company_id=self.company_b.id,
            company_ids=[(6, 0, self.company_b.ids)],
        )
        self.assertFalse(self._timeline(user))
