import unittest
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from unittest.mock import patch

import numpy as np

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.kam_buying_model import KamBuyingModel
from .common import KamCommon
from .test_buying_model_maths import (
    CDNOW_END,
    PUBLISHED_BGNBD,
    PUBLISHED_BGNBD_LOG_LIKELIHOOD,
    PUBLISHED_GAMMA_GAMMA,
    cdnow_sample_path,
)

# A fit with its backtest, on fewer than 10,000 customers
QUERIES_PER_FIT = 8


class BuyingModelCase(KamCommon):
    """Customers buying through won opportunities, created with the ORM as a
    salesman's deals arrive: the fit reads them through the revenue lines.
    ``buyers``, a company of its own (the demo data's deals are not its
    customers), where the users of ``KamCommon`` work too; ``end``: today."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyers = cls.env["res.company"].create({"name": "KAM Buyers"})
        for user in (cls.user_kam, cls.user_kam_manager, cls.user_sales):
            user.company_ids |= cls.buyers
        cls.end = cls.buyers._kam_today()

    @classmethod
    def _kam_purchases(cls, company, purchases):
        """Won opportunities of ``company``, one per ``(partner, day, amount)``.
        Created without their stage, then won together, closed day by day:
        crm's won handling updates its lead scoring statistics lead by lead
        when an opportunity is created won (10 of the 14 s of 1,500 leads)."""
        leads = (
            cls.env["crm.lead"]
            .with_context(tracking_disable=True)
            .create(
                [
                    {
                        "name": f"Order of {partner.name}",
                        "type": "opportunity",
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "team_id": False,
                        "user_id": False,
                        "expected_revenue": amount,
                    }
                    for partner, _day, amount in purchases
                ]
            )
        )
        won = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        leads.write({"stage_id": won.id})
        by_day = defaultdict(list)
        for lead, (_partner, day, _amount) in zip(leads.ids, purchases, strict=True):
            by_day[day].append(lead)
        for day, lead_ids in by_day.items():
            leads.browse(lead_ids).write(
                {"date_closed": datetime.combine(day, time(12))}
            )
        return leads

    @classmethod
    def _kam_population(cls, company, count, seed, scale=1.0):
        """``count`` customers of ``company`` buying as the BG/NBD and
        Gamma-Gamma models say (each at its own rate, until it drops out after
        some purchase; values around its own mean), first purchases over the
        year before ``end``: the customers' partners."""
        rng = np.random.default_rng(seed)
        partners = cls.env["res.partner"].create(
            [
                {"name": f"{company.name} customer {number}", "is_company": True}
                for number in range(count)
            ]
        )
        purchases = []
        for partner in partners:
            rate = rng.gamma(1.0, 1 / 20)  # purchases per day
            dropout = rng.beta(1.0, 3.0)
            spend = rng.gamma(4.0, 1 / 15)
            day = cls.end - timedelta(days=int(rng.integers(30, 365)))
            while day <= cls.end:
                amount = round(float(rng.gamma(6.0, 1 / spend)) * scale, 2)
                purchases.append((partner, day, amount))
                if rng.uniform() < dropout:
                    break
                day += timedelta(days=max(1, round(rng.exponential(1 / rate))))
        cls._kam_purchases(company, purchases)
        return partners

    @classmethod
    def _kam_every(cls, partner, days, first, last, amount=200.0):
        """Purchases of ``partner`` every ``days`` days from ``first`` to
        ``last`` (days before ``end``)."""
        return [
            (partner, cls.end - timedelta(days=before), amount)
            for before in range(first, last - 1, -days)
        ]

    def _kam_fit(self, company=None, **kwargs):
        company = company or self.buyers
        return self.env["kam.buying.model"].with_company(company)._kam_fit(**kwargs)

    def _kam_figures(self, partner, company=None, user=None):
        partner = partner.with_company(company or self.buyers)
        if user:
            partner = partner.with_user(user)
        return partner.read(
            [
                "kam_p_active",
                "kam_expected_purchases_90d",
                "kam_predicted_revenue_12m",
                "kam_clv",
                "kam_purchase_interval_days",
                "kam_buying_date",
            ]
        )[0]


@tagged("post_install", "-at_install")
class TestBuyingModel(BuyingModelCase):
    """The buying model of a company: 60 customers buying at their own pace,
    a steady one (every 14 days for a year), a lapsed one (every 14 days, the
    last one 26 weeks ago), one who bought once, and a unit of the key account
    ``account``'s group buying every 10 days."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.population = cls._kam_population(cls.buyers, 60, seed=7)
        cls.steady = Partner.create({"name": "Steady Ltd", "is_company": True})
        cls.lapsed = Partner.create({"name": "Lapsed Ltd", "is_company": True})
        cls.once = Partner.create({"name": "Once Ltd", "is_company": True})
        cls.plant = Partner.create(
            {"name": "Acme Plant", "is_company": True, "parent_id": cls.account.id}
        )
        cls._kam_purchases(
            cls.buyers,
            cls._kam_every(cls.steady, 14, 364, 7)
            + cls._kam_every(cls.lapsed, 14, 364, 182)
            + [(cls.once, cls.end - timedelta(days=100), 500.0)]
            + cls._kam_every(cls.plant, 10, 200, 0, amount=1000.0),
        )

    def test_steady_and_lapsed(self):
        model = self._kam_fit(date=self.end)
        self.assertEqual(model.state, "fitted", model.message)
        self.assertEqual(model.date, self.end)
        self.assertEqual(model.customer_count, 60 + 4)
        self.assertFalse(model.message)
        steady = self._kam_figures(self.steady, user=self.user_kam)
        lapsed = self._kam_figures(self.lapsed, user=self.user_kam)
        self.assertGreater(steady["kam_p_active"], 0.8)
        self.assertLess(lapsed["kam_p_active"], 0.2)
        self.assertGreater(
            steady["kam_expected_purchases_90d"],
            5 * lapsed["kam_expected_purchases_90d"],
        )
        self.assertGreater(steady["kam_predicted_revenue_12m"], 1000)
        self.assertGreater(
            steady["kam_clv"],
            steady["kam_predicted_revenue_12m"],
            "36 months bring more than 12",
        )
        self.assertAlmostEqual(steady["kam_purchase_interval_days"], 14, places=1)
        self.assertEqual(steady["kam_buying_date"], self.end)
        # the BG/NBD never takes a customer who bought once for gone
        once = self._kam_figures(self.once)
        self.assertEqual(once["kam_p_active"], 1)
        self.assertEqual(once["kam_purchase_interval_days"], 0)
        self.assertGreater(once["kam_predicted_revenue_12m"], 0)

    def test_a_unit_buys_for_its_group(self):
        """The unit's purchases are those of the key account of its group."""
        self._kam_fit(date=self.end)
        group = self._kam_figures(self.account)
        self.assertAlmostEqual(group["kam_purchase_interval_days"], 10, places=1)
        self.assertGreater(group["kam_p_active"], 0.9)
        self.assertFalse(self._kam_figures(self.plant)["kam_buying_date"])

    def test_figures_of_a_gone_customer_are_taken_off(self):
        """A customer the new fit does not see (its deals lost since) keeps no
        figures of the earlier fit; the others get the new ones."""
        self._kam_fit(date=self.end - timedelta(days=7))
        self.assertTrue(self._kam_figures(self.lapsed)["kam_p_active"])
        self.env["crm.lead"].search([("partner_id", "=", self.lapsed.id)]).write(
            {"active": False}
        )
        self._kam_fit(date=self.end)
        lapsed = self._kam_figures(self.lapsed)
        self.assertFalse(lapsed["kam_buying_date"])
        self.assertEqual(lapsed["kam_p_active"], 0)
        self.assertEqual(self._kam_figures(self.steady)["kam_buying_date"], self.end)

    def test_failed_fit_changes_no_figures(self):
        """A fit without enough customers (as of a day before most of them
        bought) is stored as failed, says why in the reader's language, and
        leaves every customer's figures as they were."""
        self._kam_fit(date=self.end)
        before = self._kam_figures(self.steady)
        model = self._kam_fit(date=self.end - timedelta(days=340))
        self.assertEqual(model.state, "failed")
        self.assertEqual(model.failure_reason, "too_few_customers")
        self.assertIn("fewer than 20 customers", model.message)
        self.assertEqual(self._kam_figures(self.steady), before)
        self._kam_load_spanish()
        self.assertIn("menos de 20 clientes", model.with_context(lang="es_ES").message)

    def test_backtest_adds_up(self):
        """The customers known when the holdout starts, in lines by their
        repeat purchases before it (0 to 7 or more), add up to the backtest's
        totals; the customers' figures come from the fit on all the data."""
        model = self._kam_fit(date=self.end, holdout_weeks=13)
        self.assertEqual(model.state, "fitted", model.message)
        self.assertEqual(model.holdout_weeks, 13)
        self.assertEqual(model.line_ids.mapped("purchases"), list(range(8)))
        start = self.end - timedelta(weeks=13)
        self.env.cr.execute(
            """
            SELECT COUNT(DISTINCT account_id),
                   COUNT(DISTINCT (account_id, date)) FILTER (WHERE date > %s)
              FROM kam_revenue_line
             WHERE company_id = %s AND date <= %s AND account_id IN (
                   SELECT account_id FROM kam_revenue_line
                    WHERE date <= %s AND company_id = %s)
            """,
            [start, self.buyers.id, self.end, start, self.buyers.id],
        )
        known, holdout_purchases = self.env.cr.fetchone()
        self.assertEqual(sum(model.line_ids.mapped("customers")), known)
        self.assertEqual(model.holdout_purchases_actual, holdout_purchases)
        self.assertEqual(
            sum(model.line_ids.mapped("actual")), model.holdout_purchases_actual
        )
        self.assertAlmostEqual(
            sum(model.line_ids.mapped("predicted")),
            model.holdout_purchases_predicted,
        )
        self.assertTrue(0.5 < model.holdout_purchases_predicted / holdout_purchases < 2)
        self.assertEqual(self._kam_figures(self.steady)["kam_buying_date"], self.end)

    def test_query_count(self):
        """A fit is a constant number of queries, whatever the number of
        customers: one read of the revenue lines, the model and its backtest
        lines, one update of the customers' figures per 10,000 customers and one
        for the customers of an earlier fit it did not see."""
        self._kam_fit(date=self.end - timedelta(days=1))  # warm the caches
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=QUERIES_PER_FIT):
            self._kam_fit(date=self.end, holdout_weeks=13)

    def test_rights(self):
        """A salesman without KAM rights reads no figure and cannot fit; a KAM
        user reads the models but cannot fit either; a KAM administrator fits
        the current company with its holdout and opens the new model."""
        self._kam_fit(date=self.end)
        with self.assertRaises(AccessError):
            self._kam_figures(self.steady, user=self.user_sales)
        Model = self.env["kam.buying.model"]
        for user in (self.user_sales, self.user_kam):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Model.with_user(user)._kam_fit()
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Model.with_user(user).action_kam_fit()
        with self.assertRaises(AccessError):
            Model.with_user(self.user_sales).search([])
        self.assertTrue(Model.with_user(self.user_kam).search([]))
        with self.assertRaises(AccessError):
            Model.with_user(self.user_kam_manager).search([]).write({"r": 1})
        self.buyers.kam_buying_holdout_weeks = 10
        manager = Model.with_user(self.user_kam_manager).with_company(self.buyers)
        action = manager.action_kam_fit()
        model = Model.browse(action["res_id"])
        self.assertEqual(action["res_model"], "kam.buying.model")
        self.assertEqual(model.company_id, self.buyers)
        self.assertEqual(model.date, manager.env.company._kam_today())
        self.assertEqual(model.holdout_weeks, 10)
        model.with_user(self.user_kam_manager).unlink()
        self.assertFalse(model.exists())


@tagged("post_install", "-at_install")
class TestBuyingModelCompanies(BuyingModelCase):
    """Two companies of different currencies, each with its own customers
    (the second one's amounts a thousand times larger), and a customer of
    both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.ref("base.EUR").active = True
        cls.company_b = cls.env["res.company"].create(
            {"name": "KAM Europe", "currency_id": cls.env.ref("base.EUR").id}
        )
        cls.population_a = cls._kam_population(cls.buyers, 50, seed=4)
        cls.population_b = cls._kam_population(cls.company_b, 70, seed=1, scale=1000.0)
        cls.both = cls.env["res.partner"].create(
            {"name": "Both Worlds SA", "is_company": True}
        )
        cls._kam_purchases(cls.buyers, cls._kam_every(cls.both, 30, 300, 0, 100.0))
        cls._kam_purchases(
            cls.company_b, cls._kam_every(cls.both, 7, 100, 0, 100_000.0)
        )

    def test_each_company_fits_its_own_documents(self):
        model_a = self._kam_fit(date=self.end)
        model_b = self._kam_fit(self.company_b, date=self.end)
        self.assertEqual((model_a.state, model_b.state), ("fitted", "fitted"))
        self.assertEqual(model_a.customer_count, 50 + 1)
        self.assertEqual(model_b.customer_count, 70 + 1)
        self.assertEqual(model_b.company_id, self.company_b)
        # values in each company's currency: the mean value of a purchase,
        # gamma p / (q - 1), about 1,000 times larger in the second one (its
        # customers are other draws)
        mean_a, mean_b = (
            model.gamma * model.p / (model.q - 1) for model in (model_a, model_b)
        )
        self.assertTrue(100 < mean_b / mean_a < 10_000, (mean_a, mean_b))
        in_a = self._kam_figures(self.both)
        in_b = self._kam_figures(self.both, self.company_b)
        self.assertAlmostEqual(in_a["kam_purchase_interval_days"], 30, places=1)
        self.assertAlmostEqual(in_b["kam_purchase_interval_days"], 7, places=1)
        self.assertGreater(
            in_b["kam_predicted_revenue_12m"], 100 * in_a["kam_predicted_revenue_12m"]
        )
        # a customer of one company has no figures in the other
        self.assertFalse(
            self._kam_figures(self.population_a[0], self.company_b)["kam_buying_date"]
        )
        # refitting one company leaves the other's figures as they were
        refit = self._kam_fit(date=self.end - timedelta(days=1))
        self.assertEqual(self._kam_figures(self.both, self.company_b), in_b)
        # each company's users see its models only
        self.assertEqual(
            self.env["kam.buying.model"].with_user(self.user_kam).search([]),
            refit | model_a,
        )

    def test_company_without_data(self):
        """A company without documents gets a failed model that says why, and
        nobody's figures change."""
        self._kam_fit(date=self.end)
        before = self._kam_figures(self.both)
        company_c = self.env["res.company"].create({"name": "KAM Empty"})
        model = self._kam_fit(company_c, date=self.end, holdout_weeks=26)
        self.assertEqual(model.state, "failed")
        self.assertEqual(model.customer_count, 0)
        self.assertEqual(model.failure_reason, "too_few_customers")
        self.assertIn("fewer than 20 customers bought up to", model.message)
        self.assertFalse(model.line_ids)
        self.assertEqual(self._kam_figures(self.both), before)
        self.assertFalse(self._kam_figures(self.both, company_c)["kam_buying_date"])

    def test_cron_fits_every_company(self):
        """The weekly scheduled action fits each company in its own context
        with its own holdout; a company whose fit breaks is left out, and the
        others are fitted all the same."""
        self.company_b.kam_buying_holdout_weeks = 4
        broken = self.env["res.company"].create({"name": "KAM Broken"})
        read_purchases = KamBuyingModel._kam_read_purchases

        def read_or_break(model, company, *args):
            if company == broken:
                raise ValueError("the revenue lines of KAM Broken cannot be read")
            return read_purchases(model, company, *args)

        Model = self.env["kam.buying.model"]
        with (
            patch.object(KamBuyingModel, "_kam_read_purchases", read_or_break),
            mute_logger("odoo.addons.kam_management.tools.batch"),
        ):
            Model._cron_kam_fit_buying_models()
        models = Model.search([])
        self.assertEqual(
            set(models.mapped("company_id")),
            set(self.env["res.company"].search([]) - broken),
        )
        model_b = models.filtered(lambda model: model.company_id == self.company_b)
        self.assertEqual(model_b.holdout_weeks, 4)
        self.assertEqual(model_b.date, self.company_b._kam_today())
        self.assertEqual(model_b.state, "fitted", model_b.message)
        self.assertTrue(self._kam_figures(self.both, self.company_b)["kam_p_active"])

    def test_cron_fits_once_a_day(self):
        """A second run on the same day (after a run killed half-way, or two
        runs at once) does not fit a company fitted today again."""
        Model = self.env["kam.buying.model"]
        Model._cron_kam_fit_buying_models()
        fitted = Model.search([])
        self.assertTrue(fitted)
        Model._cron_kam_fit_buying_models()
        self.assertEqual(Model.search([]), fitted)


@tagged("post_install", "-at_install")
class TestBuyingModelCdnow(BuyingModelCase):
    """The papers' estimates on the CDNOW sample, reproduced through Odoo's
    documents: each customer a company, each purchase a won opportunity (its
    2,357 customers and 6,919 purchases of 1997-98, created with the ORM)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        path = cdnow_sample_path()
        if path is None:
            raise unittest.SkipTest(
                "The CDNOW sample is not installed: "
                "pip install --no-deps lifetimes==0.11.3 (scripts/test.sh does)."
            )
        rows = [line.split() for line in path.read_text().splitlines()]
        cls.cdnow = cls.env["res.company"].create(
            {"name": "CDNOW", "currency_id": cls.env.ref("base.USD").id}
        )
        ids = sorted({row[1] for row in rows})
        partners = dict(
            zip(
                ids,
                cls.env["res.partner"].create(
                    [{"name": f"CDNOW {id_}", "is_company": True} for id_ in ids]
                ),
                strict=True,
            )
        )
        cls.purchases = [
            (
                partners[customer],
                date(int(day[:4]), int(day[4:6]), int(day[6:])),
                float(amount),
            )
            for _master, customer, day, _cds, amount in rows
        ]
        cls._kam_purchases(cls.cdnow, cls.purchases)

    def assertPublished(self, value, published, name):
        expected, decimals = published
        self.assertEqual(
            round(value, decimals), expected, f"{name} = {value}, published {expected}"
        )

    def test_published_estimates(self):
        model = self._kam_fit(self.cdnow, date=CDNOW_END)
        self.assertEqual(model.state, "fitted", model.message)
        self.assertEqual(model.customer_count, 2357)
        for name, published in {**PUBLISHED_BGNBD, **PUBLISHED_GAMMA_GAMMA}.items():
            self.assertPublished(model[name], published, name)
        self.assertPublished(
            model.log_likelihood, PUBLISHED_BGNBD_LOG_LIKELIHOOD, "log-likelihood"
        )

    def test_backtest_of_the_papers(self):
        """As of the end of the data (1998-06-30) with a holdout of 39 weeks,
        the backtest is the papers' own: calibration up to 1997-09-30, every
        customer known then, the purchase days of weeks 40 to 78 against those
        predicted."""
        end = date(1998, 6, 30)
        model = self._kam_fit(self.cdnow, date=end, holdout_weeks=39)
        self.assertEqual(model.state, "fitted", model.message)
        self.assertEqual(sum(model.line_ids.mapped("customers")), 2357)
        holdout_days = {
            (partner, day)
            for partner, day, _amount in self.purchases
            if day > CDNOW_END
        }
        self.assertEqual(model.holdout_purchases_actual, len(holdout_days))
        self.assertEqual(
            sum(model.line_ids.mapped("actual")), model.holdout_purchases_actual
        )
        self.assertTrue(
            0.8 < model.holdout_purchases_predicted / len(holdout_days) < 1.2,
            model.holdout_purchases_predicted,
        )


@tagged("post_install", "-at_install", "kam_http", "kam_ui")
class TestBuyingModelUi(HttpCase, BuyingModelCase):
    """In a real browser (run by odoo-bin: HttpCase), a KAM manager working in
    ``buyers`` fits its model from the empty list and opens the backtest chart
    (static/tests/tours/kam_buying_model_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_kam_manager.company_id = cls.buyers
        cls.user_kam_manager.tour_enabled = False
        cls._kam_population(cls.buyers, 60, seed=8)

    def test_fit_now_and_backtest_chart(self):
        self.start_tour(
            "/odoo/key-accounts",
            "kam_buying_model_tour",
            login=self.user_kam_manager.login,
        )
        model = self.env["kam.buying.model"].search([])
        self.assertEqual(model.company_id, self.buyers)
        self.assertEqual(model.holdout_weeks, 26)
        self.assertEqual(len(model.line_ids), 8)
