from datetime import date

from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestProgrammeSegments(KamCommon):
    """Issue 26: the key accounts against the other customers over 2010, with
    2009 before it (won opportunities, the revenue of a database with CRM
    only). ``account`` (key account since 2005) won 1,000 in 2009 and 1,500
    in 2010; ``steady`` 1,000 then 500; ``gone`` 1,000 in 2009 only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.sudo().kam_since = date(2005, 1, 1)
        Partner = cls.env["res.partner"]
        steady = Partner.create({"name": "Steady Ltd", "is_company": True})
        gone = Partner.create({"name": "Gone Ltd", "is_company": True})
        for partner, revenue, closed in [
            (cls.account, 1000, date(2009, 6, 1)),
            (cls.account_contact, 1500, date(2010, 6, 1)),
            (steady, 1000, date(2009, 6, 1)),
            (steady, 500, date(2010, 6, 1)),
            (gone, 1000, date(2009, 6, 1)),
        ]:
            lead = cls.env["crm.lead"].create(
                {
                    "name": "Deal",
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "expected_revenue": revenue,
                }
            )
            lead.action_set_won()
            lead.date_closed = closed
        Survey = cls.env["kam.satisfaction.survey"]
        for score in (10, 6, 9):
            Survey.create(
                {
                    "partner_id": cls.account.id,
                    "date": date(2010, 3, 1),
                    "kind": "nps",
                    "score": score,
                }
            )

    def test_key_accounts_against_the_others(self):
        Metrics = self.env["kam.programme.metrics"].with_user(self.user_kam_manager)
        segments = Metrics._kam_segment_comparison(date(2010, 1, 1), date(2010, 12, 31))
        key, other = segments["key"], segments["other"]
        self.assertEqual(key["customers"], 1)
        self.assertAlmostEqual(key["revenue"], 1500)
        self.assertAlmostEqual(key["revenue_growth"], 50.0)
        self.assertAlmostEqual(key["retention_rate"], 100.0)
        # 2 promoters, 1 detractor of 3 answers
        self.assertAlmostEqual(key["nps"], 100 / 3)
        self.assertEqual(other["customers"], 1)
        self.assertAlmostEqual(other["revenue"], 500)
        self.assertAlmostEqual(other["revenue_growth"], -75.0)
        self.assertAlmostEqual(other["retention_rate"], 50.0)
        self.assertIsNone(other["nps"])
        # won opportunities have no cost: no margin
        self.assertIsNone(key["margin_percent"])

    def test_wizard_shows_the_comparison(self):
        wizard = (
            self.env["kam.programme.metrics.wizard"]
            .with_user(self.user_kam_manager)
            .create({"date_from": date(2010, 1, 1), "date_to": date(2010, 12, 31)})
        )
        self.assertIn("Other Customers", wizard.segments_html)
        self.assertIn("-75.0", wizard.segments_html)
