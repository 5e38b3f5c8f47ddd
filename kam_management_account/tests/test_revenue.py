from dateutil.relativedelta import relativedelta

from odoo.tests import tagged

from .common import KamInvoiceCommon


@tagged("post_install", "-at_install")
class TestInvoiceRevenue(KamInvoiceCommon):
    """Issue 13: one revenue on every screen, from invoices less credit notes,
    untaxed, in the reader's company currency, from the reader's companies."""

    def _figures(self, env):
        """The revenue of the account on every screen, as the user of ``env``
        reads it: ``{screen: (last 12 months, 12 months before)}``."""
        # A request reads with one user and one set of companies; these tests
        # read the same records with several in one transaction.
        env.invalidate_all()
        account = self.account.with_env(env)
        Revenue = env["kam.account.revenue"]
        summary = Revenue._kam_revenue_summary(account.ids, self.today)[account.id]
        year_ago = self.today - relativedelta(years=1)
        [portfolio] = env["kam.portfolio.report"].search_read(
            [("partner_id", "=", account.id)],
            ["revenue_12m", "revenue_prev_12m"],
        )
        metrics = env["kam.programme.metrics"]._kam_programme_metrics(
            year_ago + relativedelta(days=1), self.today, partner_ids=account.ids
        )
        return {
            "health": (summary["current"], summary["previous"]),
            "portfolio": (portfolio["revenue_12m"], portfolio["revenue_prev_12m"]),
            "programme metrics": (metrics["revenue"], metrics["revenue_previous"]),
        }

    def assertFigures(self, env, current, previous):
        for screen, (screen_current, screen_previous) in self._figures(env).items():
            with self.subTest(screen=screen, user=env.user.login):
                self.assertAlmostEqual(screen_current, current, places=2)
                if screen_previous is not None:
                    self.assertAlmostEqual(screen_previous, previous, places=2)

    def test_user_of_one_company(self):
        # 15,000 + 5,000 - 2,000 credit note; 10,000 the year before; no euro
        self.assertFigures(self._env(self.user_us, self.company), 18000, 10000)
        self.assertFigures(self._env(self.user_eu, self.company_eu), 7000, 0)

    def test_user_of_two_companies_converts_at_the_document_date(self):
        # the euro invoice at the rate of its day (2 dollars), not today's (4)
        both = self.company | self.company_eu
        self.assertFigures(self._env(self.user_both, both), 18000 + 14000, 10000)
        # from the euro company: 1 euro = 1.25 dollars
        self.assertFigures(
            self._env(self.user_both, self.company_eu | self.company),
            18000 / 1.25 + 7000,
            10000 / 1.25,
        )

    def test_health_evidence_and_stored_figures(self):
        env = self._env(self.user_us, self.company)
        env(su=True)["kam.health.engine"]._kam_health_compute_batch(
            self.account.ids, self.today
        )
        account = self.account.with_env(env)
        financial = account.kam_health_line_ids.filtered(
            lambda line: line.factor_id.code == "financial"
        )
        self.assertIn("posted invoices", financial.evidence)
        self.assertIn("18,000", financial.evidence)
        self.assertIn("10,000", financial.evidence)
        self.assertEqual(account.kam_company_currency_id, self.usd)
        self.assertEqual(account.kam_revenue_date, self.today)
        self.assertAlmostEqual(account.kam_revenue_12m, 18000)
        self.assertAlmostEqual(account.kam_revenue_prev_12m, 10000)
        self.assertAlmostEqual(account.kam_revenue_growth, 80.0)
        self.assertAlmostEqual(account.kam_lifetime_revenue, 28000)
        [portfolio] = env["kam.portfolio.report"].search_read(
            [("partner_id", "=", account.id)],
            ["revenue_12m", "revenue_prev_12m", "growth", "lifetime_revenue"],
        )
        self.assertEqual(
            [
                portfolio[name]
                for name in ("revenue_12m", "revenue_prev_12m", "growth")
                + ("lifetime_revenue",)
            ],
            [
                account.kam_revenue_12m,
                account.kam_revenue_prev_12m,
                account.kam_revenue_growth,
                account.kam_lifetime_revenue,
            ],
        )

    def test_plan_revenue_in_its_period_and_currency(self):
        Plan = self.env["kam.account.plan"]
        year = Plan.create(
            {
                "name": "Last 12 months",
                "partner_id": self.account.id,
                "company_id": self.company.id,
                "date_start": self.today - relativedelta(years=1),
                "date_end": self.today,
                "budget": 4000,
            }
        )
        # a period that cuts a month in two: the last 25 days
        days = Plan.create(
            {
                "name": "Last 25 days",
                "partner_id": self.account.id,
                "company_id": self.company.id,
                "date_start": self.today - relativedelta(days=25),
                "date_end": self.today,
            }
        )
        europe = Plan.create(
            {
                "name": "Europe",
                "partner_id": self.account.id,
                "company_id": self.company_eu.id,
                "date_start": self.today - relativedelta(years=1),
                "date_end": self.today,
            }
        )
        env = self._env(self.user_both, self.company | self.company_eu)
        self.assertAlmostEqual(year.with_env(env).revenue_actual, 18000 + 14000)
        self.assertAlmostEqual(days.with_env(env).revenue_actual, 15000 - 2000)
        # in the plan's currency (euros), from the euro company's rates
        self.assertAlmostEqual(europe.with_env(env).revenue_actual, 18000 / 1.25 + 7000)
        env = self._env(self.user_us, self.company)
        self.assertAlmostEqual(year.with_env(env).revenue_actual, 18000)
        year.action_activate()
        metrics = env["kam.programme.metrics"]._kam_programme_metrics(
            self.today - relativedelta(years=1, days=-1),
            self.today,
            partner_ids=self.account.ids,
        )
        self.assertEqual(metrics["programme_cost"], 4000)
        # (18,000 - 10,000 - 4,000) / 4,000
        self.assertAlmostEqual(metrics["roi"], 100.0)

    def test_overdue_receivables(self):
        # every invoice is due on its date: all are late, less the credit note
        overdue = sum(
            self.env["account.move"]
            .search(
                [
                    ("partner_id", "child_of", self.account.id),
                    ("company_id", "=", self.company.id),
                    ("move_type", "in", ["out_invoice", "out_refund"]),
                    ("state", "=", "posted"),
                ]
            )
            .mapped("amount_residual_signed")
        )
        self.assertTrue(overdue)
        account = self.account.with_env(self._env(self.user_us, self.company))
        self.assertAlmostEqual(account.kam_overdue_amount, overdue)
        summary = account.env["kam.account.revenue"]._kam_revenue_summary(
            account.ids, self.today
        )
        self.assertAlmostEqual(summary[account.id]["overdue"], overdue)


@tagged("post_install", "-at_install")
class TestStoredFiguresPerCompany(KamInvoiceCommon):
    """Issue 21: the stored figures are stored per company, each company's
    documents in its currency, so that a reader sees the figure the live reports
    of their company show, with the day it was computed."""

    def test_each_company_reads_its_own_figures(self):
        both = self.company | self.company_eu
        # the scheduled action works in every company of its user
        self._env(self.user_both, both)(su=True)[
            "kam.health.engine"
        ]._kam_health_compute_batch(self.account.ids, self.today)
        for user, company, current, previous in (
            (self.user_us, self.company, 18000, 10000),
            (self.user_eu, self.company_eu, 7000, 0),
        ):
            with self.subTest(company=company.name):
                env = self._env(user, company)
                env.invalidate_all()
                account = self.account.with_env(env)
                [portfolio] = env["kam.portfolio.report"].search_read(
                    [("partner_id", "=", account.id)],
                    ["revenue_12m", "revenue_prev_12m"],
                )
                self.assertAlmostEqual(account.kam_revenue_12m, current)
                self.assertAlmostEqual(portfolio["revenue_12m"], current)
                self.assertAlmostEqual(account.kam_revenue_prev_12m, previous)
                self.assertAlmostEqual(portfolio["revenue_prev_12m"], previous)
                self.assertEqual(account.kam_company_currency_id, company.currency_id)
                self.assertEqual(account.kam_revenue_date, self.today)

    def test_search_on_the_reader_company_figure(self):
        self._env(self.user_both, self.company | self.company_eu)(su=True)[
            "kam.health.engine"
        ]._kam_health_compute_batch(self.account.ids, self.today)
        Partner = self._env(self.user_eu, self.company_eu)["res.partner"]
        self.assertIn(self.account, Partner.search([("kam_revenue_12m", "=", 7000)]))
        self.assertNotIn(self.account, Partner.search([("kam_revenue_12m", ">", 7000)]))
