from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from ..models.kam_account_revenue import KamAccountRevenue
from .common import KamCommon


@tagged("post_install", "-at_install")
class TestRevenueLine(KamCommon):
    """``kam.revenue.line``: the one definition of revenue lines, read with the
    ORM; the health run reads the revenue of a batch once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        cls.recent = cls._won(cls.account_contact, 1000, months=2, growth=True)
        cls.older = cls._won(cls.account, 400, months=15)
        cls.oldest = cls._won(cls.account, 250, months=40)
        cls.env["crm.lead"].create(
            {
                "name": "Open deal",
                "type": "opportunity",
                "partner_id": cls.account.id,
                "expected_revenue": 9999,
            }
        )

    @classmethod
    def _won(cls, partner, revenue, months, growth=False):
        lead = cls.env["crm.lead"].create(
            {
                "name": f"Deal {revenue}",
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": revenue,
                "kam_growth_type": "upsell" if growth else False,
            }
        )
        lead.action_set_won()
        lead.date_closed = cls.env.cr.now() - relativedelta(months=months)
        return lead

    def test_lines_of_won_opportunities(self):
        self.env.flush_all()
        Line = self.env["kam.revenue.line"].with_user(self.user_kam)
        lines = Line.search([("account_id", "=", self.account.id)])
        self.assertEqual(
            {line.document for line in lines},
            {self.recent, self.older, self.oldest},
            "won opportunities only, on the account and its contacts",
        )
        recent = lines.filtered(lambda line: line.document == self.recent)
        self.assertEqual(recent.partner_id, self.account_contact)
        self.assertEqual(recent.unit_id, self.account)
        self.assertEqual(recent.source, "opportunities")
        self.assertEqual(recent.currency_id, self.env.company.currency_id)
        self.assertTrue(recent.growth)
        self.assertFalse(
            lines.filtered(lambda line: line.document == self.older).growth
        )
        groups = Line._read_group(
            [("account_id", "=", self.account.id)], ["source"], ["amount:sum"]
        )
        self.assertEqual(groups, [("opportunities", 1650.0)])

    def test_health_run_reads_revenue_once(self):
        calls = []
        original = KamAccountRevenue._kam_revenue_lines

        def lines(model, accounts, *period):
            calls.append(list(accounts))
            return original(model, accounts, *period)

        # the revenue factors and the stored figures read the same lines; the
        # economics factor reads them once more, for their cost (24 months)
        with patch.object(KamAccountRevenue, "_kam_revenue_lines", lines):
            self.env["kam.health.engine"]._kam_health_run(self.account.ids)
        self.assertEqual(
            calls, [self.account.ids] * 2, "one read of the lines for each figure"
        )
        self.assertAlmostEqual(self.account.kam_revenue_12m, 1000)
        self.assertAlmostEqual(self.account.kam_revenue_prev_12m, 400)
        self.assertAlmostEqual(self.account.kam_revenue_growth, 150)
        self.assertAlmostEqual(self.account.kam_lifetime_revenue, 1650)
        self.assertEqual(self.account.kam_revenue_date, self.today)
