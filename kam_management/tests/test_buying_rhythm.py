import io
import re
from datetime import timedelta

import openpyxl
from lxml import etree

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged, users

from .common import KamCommon
from .test_buying_model import BuyingModelCase

RHYTHM = re.compile(
    r"buys about every (\d+) days; last purchase (\d+) days ago; "
    r"(\d+)% likely still buying"
)
RITMO = re.compile(
    r"compra aproximadamente cada (\d+) días; última compra hace (\d+) días; "
    r"(\d+)% de probabilidad de que siga comprando"
)


@tagged("post_install", "-at_install")
class TestRhythmFactor(BuyingModelCase):
    """The rhythm factor of two key accounts of the company ``buyers``, fitted
    among 60 customers: ``steady`` buys every 14 days until two weeks ago,
    ``lapsed`` bought every 14 days until 26 weeks ago. ``steady`` belongs to
    the company, ``lapsed`` to none (shared): the figures of the run's
    company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls._kam_population(cls.buyers, 60, seed=7)
        account = {"is_company": True, "is_key_account": True}
        cls.steady = Partner.create(
            dict(account, name="Steady Key", company_id=cls.buyers.id)
        )
        cls.lapsed = Partner.create(dict(account, name="Lapsed Key"))
        cls._kam_purchases(
            cls.buyers,
            cls._kam_every(cls.steady, 14, 364, 7)
            + cls._kam_every(cls.lapsed, 14, 364, 182),
        )
        cls.env["kam.buying.model"].with_company(cls.buyers)._kam_fit(date=cls.end)
        cls.Engine = cls.env["kam.health.engine"]

    def _rhythm_line(self, partner):
        snapshot = self.env["kam.health.snapshot"].search(
            [("partner_id", "=", partner.id), ("date", "=", self.end)]
        )
        return snapshot.line_ids.filtered(lambda line: line.factor_id.code == "rhythm")

    def test_steady_and_lapsed(self):
        self.Engine.with_company(self.buyers)._kam_health_run(
            (self.steady | self.lapsed).ids
        )
        steady, lapsed = self._rhythm_line(self.steady), self._rhythm_line(self.lapsed)
        p_steady = self.steady.with_company(self.buyers).kam_p_active
        p_lapsed = self.lapsed.with_company(self.buyers).kam_p_active
        # the score is the probability still buying, in points
        self.assertAlmostEqual(steady.score, 100 * p_steady, 1)
        self.assertAlmostEqual(lapsed.score, 100 * p_lapsed, 1)
        self.assertGreater(steady.score, 80)
        self.assertLess(lapsed.score, 20)
        self.assertEqual(
            RHYTHM.fullmatch(steady.evidence).groups(),
            ("14", "14", str(round(100 * p_steady))),
            steady.evidence,
        )
        self.assertEqual(
            RHYTHM.fullmatch(lapsed.evidence).groups(),
            ("14", "182", str(round(100 * p_lapsed))),
            lapsed.evidence,
        )
        self.assertEqual(
            self.steady.with_company(self.buyers).kam_last_purchase_date,
            self.end - timedelta(days=14),
        )
        self._kam_load_spanish()
        self.assertEqual(
            RITMO.fullmatch(steady.with_context(lang="es_ES").evidence).groups(),
            ("14", "14", str(round(100 * p_steady))),
        )
        self.assertEqual(
            RITMO.fullmatch(lapsed.with_context(lang="es_ES").evidence).groups()[1],
            "182",
        )

    def test_figures_of_the_account_company(self):
        """Run from another company: the account of ``buyers`` is judged on the
        figures of its company, the shared one on those of the run's company
        (none)."""
        self.Engine._kam_health_run((self.steady | self.lapsed).ids)
        self.assertTrue(self._rhythm_line(self.steady).has_data)
        lapsed = self._rhythm_line(self.lapsed)
        self.assertFalse(lapsed.has_data)
        self.assertEqual(
            lapsed.evidence,
            "no data: no buying figures (no purchase, or the buying model not "
            "fitted yet)",
        )


@tagged("post_install", "-at_install")
class TestRhythmWithoutFit(KamCommon):
    """The rhythm factor, the churn risk rule and the screens on figures
    written as the fit writes them (``_kam_set_figures``), for the boundaries
    no fit reaches exactly."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.company._kam_today()
        cls.Engine = cls.env["kam.health.engine"]
        cls.Escalation = cls.env["kam.escalation"]

    def _kam_set_figures(self, partner, company=None, age=0, **figures):
        values = {
            "kam_p_active": 0.9,
            "kam_expected_purchases_90d": 2.5,
            "kam_predicted_revenue_12m": 12000.0,
            "kam_clv": 30000.0,
            "kam_purchase_interval_days": 21.0,
            "kam_last_purchase_date": self.today - timedelta(days=age + 10),
            "kam_buying_date": self.today - timedelta(days=age),
            **figures,
        }
        partner.with_company(company or self.company).write(values)

    def _rhythm_line(self, partner=None):
        snapshot = self.env["kam.health.snapshot"].search(
            [
                ("partner_id", "=", (partner or self.account).id),
                ("date", "=", self.today),
            ]
        )
        return snapshot.line_ids.filtered(lambda line: line.factor_id.code == "rhythm")

    # ------------------------------------------------------------
    # Health factor
    # ------------------------------------------------------------
    def test_no_figures_no_data(self):
        self.Engine._kam_health_run(self.account.ids)
        line = self._rhythm_line()
        self.assertFalse(line.has_data)
        self.assertEqual(line.weight, 0)
        self.assertTrue(line.evidence.startswith("no data: no buying figures"))

    def test_single_day_of_purchases_no_data(self):
        """The BG/NBD never takes a customer who bought once for gone (1.0):
        no score from it."""
        self._kam_set_figures(
            self.account, kam_p_active=1.0, kam_purchase_interval_days=False
        )
        self.Engine._kam_health_run(self.account.ids)
        line = self._rhythm_line()
        self.assertFalse(line.has_data)
        self.assertEqual(
            line.evidence, "no data: bought on a single day so far, no rhythm yet"
        )

    def test_outdated_figures_no_data(self):
        self._kam_set_figures(self.account, age=30, kam_p_active=0.2)
        self.Engine._kam_health_run(self.account.ids)
        self.assertTrue(self._rhythm_line().has_data, "30 days old: still read")
        self._kam_set_figures(self.account, age=31, kam_p_active=0.2)
        self.Engine._kam_health_run(self.account.ids)
        line = self._rhythm_line()
        self.assertFalse(line.has_data)
        self.assertIn("are older than 30 days", line.evidence)

    def test_plurals_and_today(self):
        self._kam_set_figures(
            self.account,
            kam_p_active=0.384,
            kam_purchase_interval_days=1.2,
            kam_last_purchase_date=self.today,
        )
        self.Engine._kam_health_run(self.account.ids)
        line = self._rhythm_line()
        self.assertAlmostEqual(line.score, 38.4)
        self.assertEqual(
            line.evidence,
            "buys about every 1 day; last purchase today; 38% likely still buying",
        )
        self._kam_set_figures(
            self.account,
            kam_purchase_interval_days=21.4,
            kam_last_purchase_date=self.today - timedelta(days=1),
        )
        self.Engine._kam_health_run(self.account.ids)
        self.assertEqual(
            self._rhythm_line().evidence,
            "buys about every 21 days; last purchase 1 day ago; 90% likely still "
            "buying",
        )
        self._kam_load_spanish()
        self.assertEqual(
            self._rhythm_line().with_context(lang="es_ES").evidence,
            "compra aproximadamente cada 21 días; última compra hace 1 día; 90% de "
            "probabilidad de que siga comprando",
        )

    # ------------------------------------------------------------
    # Churn risk escalation
    # ------------------------------------------------------------
    def _churn_risks(self, partner=None):
        return self.Escalation.search(
            [
                ("partner_id", "=", (partner or self.account).id),
                ("reason", "=", "churn_risk"),
            ]
        )

    def test_churn_risk_below_the_threshold(self):
        self.assertEqual(self.company.kam_escalation_p_active_below, 0.5)
        self._kam_set_figures(self.account, kam_p_active=0.5)
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._churn_risks(), "exactly 0.5 is not below 0.5")
        self._kam_set_figures(self.account, kam_p_active=0.499)
        self.Escalation._cron_kam_escalations()
        escalation = self._churn_risks()
        self.assertEqual(len(escalation), 1)
        self.assertEqual(escalation.source, "rule")
        self.assertEqual(escalation.user_id, self.user_kam)
        last = self.today - timedelta(days=10)
        self.assertEqual(
            escalation.evidence,
            "Buying rhythm: buys about every 21 days, last purchase on "
            f"{last.strftime('%m/%d/%Y')}; 49.9% likely still buying, below 50%.",
        )
        # one escalation per account and reason, run after run
        self._kam_set_figures(self.account, kam_p_active=0.3)
        self.Escalation._cron_kam_escalations()
        self.assertEqual(self._churn_risks(), escalation)
        self.assertIn("30% likely still buying", escalation.evidence)

    def test_churn_risk_with_a_falling_health(self):
        """A falling health and a lapsing rhythm are one churn risk, with both
        pieces of evidence."""
        self.account.write(
            {
                "kam_health_score": 50,
                "kam_health_band": "yellow",
                "kam_health_date": self.today,
            }
        )
        self.env["kam.health.snapshot"].create(
            {
                "partner_id": self.account.id,
                "date": self.today - timedelta(days=31),
                "score": 80,
                "band": "green",
            }
        )
        self._kam_set_figures(self.account, kam_p_active=0.2)
        self.Escalation._cron_kam_escalations()
        escalation = self._churn_risks()
        self.assertEqual(len(escalation), 1)
        self.assertIn("Health score fell by 30 points", escalation.evidence)
        self.assertIn("20% likely still buying, below 50%", escalation.evidence)

    def test_churn_risk_settings(self):
        """The threshold of the account's company, 0 for never; the reasons of
        stale figures or none open nothing; a threshold out of 0-100 % is
        refused."""
        self.company.kam_escalation_p_active_below = 0
        self._kam_set_figures(self.account, kam_p_active=0.01)
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._churn_risks())
        self.company.kam_escalation_p_active_below = 0.8
        self._kam_set_figures(self.account, age=31, kam_p_active=0.01)
        self.Escalation._cron_kam_escalations()
        self.assertFalse(self._churn_risks(), "figures older than 30 days")
        self._kam_set_figures(self.account, kam_p_active=0.79)
        self.Escalation._cron_kam_escalations()
        self.assertIn("below 80%", self._churn_risks().evidence)
        for value in (-0.1, 1.01):
            with self.assertRefused(ValidationError, "from 0 to 100%"):
                self.company.kam_escalation_p_active_below = value

    def test_threshold_in_the_programme_settings(self):
        Settings = self.env["kam.programme.settings"].with_user(self.user_kam_manager)
        with Form(Settings) as form:
            form.kam_escalation_p_active_below = 0.35
        form.record.action_save()
        self.assertEqual(self.company.kam_escalation_p_active_below, 0.35)

    # ------------------------------------------------------------
    # Screens
    # ------------------------------------------------------------
    def test_portfolio_columns(self):
        """The report reads the figures of the reader's current company: none
        in another one."""
        self._kam_set_figures(self.account, kam_p_active=0.42)
        self.env.flush_all()
        Report = self.env["kam.portfolio.report"].with_user(self.user_kam)
        row = Report.search([("partner_id", "=", self.account.id)])
        self.assertAlmostEqual(row.p_active, 0.42)
        self.assertEqual(row.predicted_revenue_12m, 12000)
        self.assertEqual(row.clv, 30000)
        self.assertEqual(row.buying_date, self.today)
        other = self.env["res.company"].create({"name": "KAM Other"})
        self.user_kam.company_ids |= other
        row = Report.with_company(other).search([("partner_id", "=", self.account.id)])
        self.assertFalse(row.buying_date)
        self.assertEqual(row.predicted_revenue_12m, 0)
        [(average,)] = Report._read_group(
            [("partner_id", "=", self.account.id)], aggregates=["p_active:avg"]
        )
        self.assertAlmostEqual(average, 0.42)

    def test_workbook_columns(self):
        self._kam_set_figures(self.account, kam_p_active=0.42)
        other = self._kam_other_account()
        self.env.flush_all()
        content = (
            self.env["kam.xlsx.export"]
            .with_user(self.user_kam)
            ._kam_portfolio_workbook(partner_ids=(self.account | other).ids)
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Portfolio"]
        header, *lines = sheet.iter_rows(values_only=True)
        by_name = {line[0]: dict(zip(header, line, strict=True)) for line in lines}
        acme = by_name["Acme Key Corp"]
        self.assertAlmostEqual(acme["Probability Still Buying"], 0.42)
        self.assertEqual(acme["Predicted Revenue 12 Months"], 12000)
        self.assertEqual(acme["Customer Lifetime Value"], 30000)
        column = header.index("Probability Still Buying") + 1
        self.assertEqual(sheet.cell(2, column).number_format, "0.0%")
        # an account without figures has empty cells, not 0
        self.assertIsNone(by_name["Other Key Corp"]["Probability Still Buying"])
        self.assertIsNone(by_name["Other Key Corp"]["Customer Lifetime Value"])

    @users("kam_user")
    def test_candidates_sorted_by_predicted_revenue(self):
        """The candidates list ranks by the revenue expected from them, the
        customers without figures last in either order; its columns are
        sortable."""
        Partner = self.env["res.partner"]
        small, big, none = Partner.sudo().create(
            [{"name": name, "is_company": True} for name in ("Small", "Big", "None")]
        )
        self._kam_set_figures(small.sudo(), kam_predicted_revenue_12m=100.0)
        self._kam_set_figures(big.sudo(), kam_predicted_revenue_12m=5000.0)
        ids = (small | big | none).ids
        view = Partner.get_view(
            self.env.ref("kam_management.res_partner_view_list_kam_candidates").id,
            "list",
        )
        order = etree.fromstring(view["arch"]).get("default_order")
        self.assertTrue(order.startswith("kam_predicted_revenue_12m desc"))
        found = Partner.search([("id", "in", ids)], order=order)
        self.assertEqual(found.mapped("name"), ["Big", "Small", "None"])
        found = Partner.search(
            [("id", "in", ids)], order="kam_predicted_revenue_12m asc"
        )
        self.assertEqual(found.mapped("name"), ["Small", "Big", "None"])
        for fname in ("kam_predicted_revenue_12m", "kam_clv", "kam_p_active"):
            self.assertIn(fname, view["models"]["res.partner"])
            self.assertTrue(Partner.fields_get([fname])[fname]["sortable"])

    def test_salesman_reads_no_figure(self):
        self._kam_set_figures(self.candidate)
        candidate = self.candidate.with_user(self.user_sales)
        for fname in ("kam_p_active", "kam_predicted_revenue_12m", "kam_clv"):
            with self.subTest(fname=fname), self.assertRaises(AccessError):
                candidate.read([fname])
        self.assertEqual(
            self.candidate.with_user(self.user_kam).kam_predicted_revenue_12m, 12000
        )
