from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import KamRightsCommon


@tagged("post_install", "-at_install")
class TestCorporateGroup(KamRightsCommon):
    """A key account and the companies below it (DESIGN §11): ``account`` (Acme
    Key Corp) is the group; ``plant`` a unit under it, ``workshop`` a unit of
    the plant (two levels), ``buyer`` a person of the workshop; ``outsider`` a
    company of no group."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_setup_group()
        Partner = cls.env["res.partner"]
        cls.outsider = Partner.create({"name": "Outside Ltd", "is_company": True})
        cls.today = fields.Date.context_today(Partner)
        cls.now = fields.Datetime.now()

    def _won(self, partner, amount, months_ago=1, company=None):
        lead = self.env["crm.lead"].create(
            {
                "name": f"Deal {amount}",
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": amount,
                "company_id": (company or self.company).id,
            }
        )
        lead.action_set_won()
        lead.date_closed = self.now - relativedelta(months=months_ago)
        return lead

    def _portfolio(self, user, partner=None):
        self.env.flush_all()
        return (
            self.env["kam.portfolio.report"]
            .with_user(user)
            .search([("partner_id", "in", (partner or self.account).ids)])
        )

    # ------------------------------------------------------------
    # Where a partner counts
    # ------------------------------------------------------------
    def test_units_at_any_depth_count_for_the_group(self):
        self.assertEqual(self.account.kam_unit_ids, self.plant | self.workshop)
        for partner in (self.plant, self.workshop, self.buyer):
            self.assertEqual(partner.kam_group_id, self.account)
            self.assertEqual(partner.kam_account_id, self.account)
        self.assertFalse(self.account.kam_group_id, "the group is no unit")
        self.assertFalse(self.account_contact.kam_group_id, "a contact of the group")
        self.assertEqual(self.account_contact.kam_account_id, self.account)
        self.assertEqual(self.outsider.kam_account_id, self.outsider)

    def test_moving_a_unit_out_and_demoting_the_group(self):
        lead = self.env["crm.lead"].create(
            {"name": "Workshop deal", "partner_id": self.buyer.id}
        )
        self.assertTrue(lead.is_key_account, "a unit's opportunity is the group's")
        self.plant.parent_id = self.outsider
        self.assertFalse(self.workshop.kam_group_id)
        self.assertEqual(self.buyer.kam_account_id, self.workshop)
        self.assertFalse(lead.is_key_account)
        self.assertEqual(self.account.kam_unit_ids, self.env["res.partner"])
        self.plant.parent_id = self.account
        self.assertTrue(lead.is_key_account, "back in the group")
        self.account.with_user(self.user_kam_manager).sudo().is_key_account = False
        self.assertFalse(self.buyer.kam_group_id, "a company of no key account")
        self.assertEqual(self.buyer.kam_account_id, self.workshop)
        self.assertFalse(lead.is_key_account)

    def test_a_unit_keeps_its_own_address(self):
        """A subsidiary placed under its group keeps its city and country, also
        when the group moves; the group's people still follow its address."""
        lyon = self.env["res.partner"].create(
            {
                "name": "Acme Lyon",
                "is_company": True,
                "city": "Lyon",
                "country_id": self.env.ref("base.fr").id,
            }
        )
        lyon.parent_id = self.account
        self.assertEqual(lyon.kam_group_id, self.account)
        self.account.write({"city": "Boston", "country_id": self.env.ref("base.us").id})
        self.assertEqual((lyon.city, lyon.country_id.code), ("Lyon", "FR"))
        self.assertEqual(self.account_contact.city, "Boston", "Odoo's sync for people")

    # ------------------------------------------------------------
    # Promotion rules
    # ------------------------------------------------------------
    def test_a_unit_cannot_be_promoted_while_its_group_is_one(self):
        with self.assertRefused(
            ValidationError, "Acme Workshop is a unit of the group of the key account"
        ):
            self.workshop.is_key_account = True
        self.assertFalse(self.workshop.is_key_account)

    def test_a_group_cannot_be_promoted_over_a_unit_that_is_one(self):
        self.plant.parent_id = self.outsider
        self.workshop.is_key_account = True
        with self.assertRefused(
            ValidationError, "Acme Workshop, below Outside Ltd in its group"
        ):
            self.outsider.is_key_account = True
        with self.assertRefused(ValidationError, "Acme Workshop, below Acme Key Corp"):
            self.plant.parent_id = self.account
        self.assertEqual(self.plant.parent_id, self.outsider)

    def test_the_wizard_refuses_a_unit_with_the_reason(self):
        wizard = (
            self.env["kam.designation.wizard"]
            .with_user(self.user_kam)
            .create(
                {
                    "partner_id": self.plant.id,
                    "mode": "promote",
                    "kam_user_id": self.user_kam.id,
                    "kam_strategy": "maintain",
                }
            )
        )
        with self.assertRefused(ValidationError, "Demote Acme Key Corp first"):
            wizard.action_confirm()

    # ------------------------------------------------------------
    # Everything that counts
    # ------------------------------------------------------------
    def test_revenue_counts_the_units_once(self):
        self._won(self.account, 1000)
        self._won(self.buyer, 300)
        self._won(self.workshop, 200, months_ago=13)
        self._won(self.outsider, 5000)
        row = self._portfolio(self.user_kam)
        self.assertEqual(len(row), 1, "one row per key account")
        self.assertEqual(row.revenue_12m, 1300.0)
        self.assertEqual(row.revenue_prev_12m, 200.0)
        self.assertEqual(row.lifetime_revenue, 1500.0)
        self.assertFalse(self._portfolio(self.user_kam, self.plant), "no unit row")
        units = self.account.with_user(self.user_kam).kam_unit_ids
        self.assertEqual(
            {unit: unit.kam_unit_revenue_12m for unit in units},
            {self.plant: 0.0, self.workshop: 300.0},
        )
        # the workshop bought 300 of the group's 1,300
        self.assertEqual(
            units.filtered(lambda u: u == self.workshop).kam_unit_revenue_share, 23.1
        )
        metrics = self.env["kam.programme.metrics"]._kam_programme_metrics(
            self.today - relativedelta(years=1), self.today
        )
        lines = self.env["kam.revenue.line"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(sorted(lines.mapped("amount")), [200.0, 300.0, 1000.0])
        self.assertEqual(lines.unit_id, self.account | self.workshop)
        self.assertGreaterEqual(metrics["revenue"], 1300.0)

    def test_portfolio_by_country_of_the_group(self):
        """Grouped by the countries of the group, a key account is in the group
        of each country where it or one of its units is."""
        self.account.country_id = self.env.ref("base.us")
        self.workshop.country_id = self.env.ref("base.fr")
        self._won(self.buyer, 300)
        self.env.flush_all()
        groups = (
            self.env["kam.portfolio.report"]
            .with_user(self.user_kam)
            ._read_group(
                [("partner_id", "=", self.account.id)],
                ["unit_country_ids"],
                ["__count", "revenue_12m:sum"],
            )
        )
        self.assertEqual(
            {country.code: (count, revenue) for country, count, revenue in groups},
            {"US": (1, 300.0), "FR": (1, 300.0)},
        )

    def test_revenue_of_a_unit_in_another_company(self):
        """A unit's documents in company B count for the group in company B's
        figures, in its currency; company A's readers do not see them."""
        self._won(self.plant, 400, company=self.company_b)
        self._won(self.plant, 100)
        row = self._portfolio(self.user_kam)
        self.assertEqual(row.revenue_12m, 100.0, "company A's documents only")
        both = (self.company | self.company_b).ids
        self.env.flush_all()
        lines = self.env["kam.revenue.line"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(lines.company_id, self.company | self.company_b)
        self.env.invalidate_all()  # the figures read in company A only
        row_both = (
            self.env["kam.portfolio.report"]
            .with_context(allowed_company_ids=both)
            .search([("partner_id", "=", self.account.id)])
        )
        self.assertGreater(row_both.revenue_12m, 100.0, "both companies, converted")

    def test_a_unit_of_the_other_company(self):
        """A unit that belongs to company B: its users see that their customer
        counts for a key account, and the badge on its opportunities; they read
        none of the group's KAM data."""
        unit_b = self.env["res.partner"].create(
            {
                "name": "Acme Iberia",
                "is_company": True,
                "parent_id": self.account.id,
                "company_id": self.company_b.id,
            }
        )
        lead = self._won(unit_b, 700, company=self.company_b)
        self.env.flush_all()
        as_b = self.env["crm.lead"].with_user(self.user_company_b).browse(lead.id)
        self.assertTrue(as_b.is_key_account)
        unit_seen = unit_b.with_user(self.user_company_b)
        self.assertEqual(unit_seen.kam_group_id, self.account)
        self.assertFalse(
            self._portfolio(self.user_company_b),
            "the group is run from company A, by its KAM",
        )
        self.assertFalse(
            self.env["kam.revenue.line"]
            .with_user(self.user_kam)
            .search([("account_id", "=", self.account.id)]),
            "company A's readers: no line of company B",
        )

    def test_a_unit_s_contact_is_a_stakeholder_of_the_group(self):
        Stakeholder = self.env["kam.stakeholder"].with_user(self.user_kam)
        stakeholder = Stakeholder.create(
            {"partner_id": self.account.id, "contact_id": self.buyer.id}
        )
        self.assertEqual(stakeholder.contact_id, self.buyer)
        stranger = self.env["res.partner"].create(
            {"name": "Stan Stranger", "parent_id": self.outsider.id}
        )
        with self.assertRefused(ValidationError, "of the units of its group"):
            Stakeholder.create(
                {"partner_id": self.account.id, "contact_id": stranger.id}
            )
        # the unit leaves the group: its person leaves the map at the next run
        self.plant.parent_id = self.outsider
        stakeholder._kam_process_contact_due()
        self.assertTrue(stakeholder.departed)

    def test_interactions_with_a_unit_count_for_the_group(self):
        self.buyer.message_post(body="Call notes", message_type="comment")
        self.env.flush_all()
        interactions = self.env["kam.interaction"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertIn(self.buyer, interactions.partner_id)
        counts = self.env["kam.health.engine"]._kam_health_fetch_engagement(
            self.account.ids, self.today
        )
        self.assertEqual(counts[self.account.id]["messages"], 1)

    # ------------------------------------------------------------
    # Rights
    # ------------------------------------------------------------
    def test_the_kam_works_the_units_opportunities(self):
        lead = self.env["crm.lead"].create(
            {
                "name": "Workshop deal",
                "partner_id": self.buyer.id,
                "user_id": self.user_sales.id,
            }
        )
        self.env.flush_all()
        Lead = self.env["crm.lead"].with_user(self.user_kam)
        self.assertEqual(Lead.search([("id", "=", lead.id)]), lead)
        lead.with_user(self.user_kam).kam_growth_type = "cross_sell"
        seen = self.env["crm.lead"].with_user(self.user_sales).browse(lead.id)
        self.assertTrue(seen.is_key_account, "the salesman sees the badge")
        self.assertEqual(
            self.env["crm.lead"]
            .with_user(self.user_kam_other)
            .search([("id", "=", lead.id)]),
            self.env["crm.lead"],
            "not the outsider's",
        )

    def test_the_units_list_is_for_kam_users(self):
        fields_read = self.env["res.partner"].with_user(self.user_sales).fields_get()
        self.assertNotIn("kam_unit_ids", fields_read)
        self.assertIn("kam_group_id", fields_read, "staff see where a unit counts")
        portal_fields = self.env["res.partner"].with_user(self.user_portal).fields_get()
        self.assertNotIn("kam_group_id", portal_fields)
        self.assertNotIn("kam_account_id", portal_fields)
