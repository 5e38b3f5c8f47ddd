from dateutil.relativedelta import relativedelta

from odoo import sql_db
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.sql import table_exists

from ..models.kam_recommendation import RUN_LOCK_NAMESPACE
from ..tools import recommendation as maths
from .common import KamWhitespaceCommon


@tagged("post_install", "-at_install")
class TestRecommendation(KamWhitespaceCommon):
    """Recommendations from a planted structure (DESIGN §13): the customers of
    ``process`` (an industry) buy A and B with C, those of ``retail`` buy D to H.

    - ``account`` (process, the KAM's key account) bought A and B: it gets C;
    - ``learners`` (process, key accounts too) bought A and B 9 months ago and
      C 2 months ago: the backtest's hits;
    - the documents of the database before the test are left out (cancelled),
      so that the figures are those of the planted customers only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._cancel_existing_documents()
        Industry = cls.env["res.partner.industry"]
        cls.process = Industry.create({"name": "Process"})
        cls.retail = Industry.create({"name": "Retail"})
        cls.account.industry_id = cls.process
        Partner = cls.env["res.partner"]

        def customers(name, count, industry, **values):
            return Partner.create(
                [
                    {
                        "name": f"{name} {n}",
                        "is_company": True,
                        "industry_id": industry.id,
                        **values,
                    }
                    for n in range(count)
                ]
            )

        cls.peers = customers("Process", 6, cls.process)
        cls.shops = customers("Shop", 8, cls.retail)
        cls.learners = customers(
            "Learner",
            3,
            cls.process,
            is_key_account=True,
            kam_user_id=cls.user_kam.id,
        )
        for peer in cls.peers:
            cls._invoice(peer, [("a", 100), ("b", 100), ("c", 100)], 270)
        for shop in cls.shops:
            cls._invoice(shop, [(x, 100) for x in "defgh"], 270)
        for learner in cls.learners:
            cls._invoice(learner, [("a", 150), ("b", 150)], 270)
            cls._invoice(learner, [("c", 100)], 60)
        # the same total as its peers: the same size band
        cls._invoice(cls.account, [("a", 150), ("b", 150)], 90)

    @classmethod
    def _cancel_existing_documents(cls):
        cr = cls.env.cr
        cls.env.flush_all()
        cr.execute("UPDATE account_move SET state = 'cancel' WHERE state = 'posted'")
        if table_exists(cr, "sale_order"):
            cr.execute("UPDATE sale_order SET state = 'cancel' WHERE state = 'sale'")
        cls.env.invalidate_all()

    def _refresh(self, today=None):
        return self.env["kam.recommendation"]._kam_refresh(today)

    def _recommended(self, account=None):
        return self.env["kam.recommendation"].search(
            [("partner_id", "=", (account or self.account).id)]
        )

    def test_peers_buy_it_with_what_the_account_buys(self):
        self._refresh()
        recommendation = self._recommended()
        self.assertEqual(recommendation.categ_id, self.categs["c"], "C, never D")
        self.assertEqual(recommendation.scope, "peers")
        self.assertEqual(recommendation.antecedent_categ_id, self.categs["a"])
        # of the 6 peers and 3 learners buying A, 9 buy C
        self.assertEqual((recommendation.peer_count, recommendation.peer_total), (9, 9))
        self.assertAlmostEqual(recommendation.score, 1.0)
        self.assertAlmostEqual(recommendation.expected_revenue, 100)
        self.assertEqual(recommendation.state, "new")
        self.assertEqual(
            recommendation.with_user(self.user_kam).reason,
            "9 of the 9 customers in Process of its size that buy Categ A buy it "
            "too: 1.9 times the rate of all customers.",
        )
        grid = (
            self.env["kam.whitespace"]
            .with_user(self.user_kam)
            .kam_grid(self.account.id)
        )
        self.assertEqual(
            grid["recommended"], {self.categs["c"].id: recommendation.reason}
        )
        self.assertEqual(
            [categ["id"] for categ in grid["categories"][:3]],
            [self.categs["a"].id, self.categs["b"].id, self.categs["c"].id],
            "bought, then recommended",
        )

    def test_accept_opens_a_cross_sell_opportunity(self):
        plan = self._active_plan(self.account)
        self._refresh()
        recommendation = self._recommended().with_user(self.user_kam)
        action = recommendation.action_accept()
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(recommendation.state, "accepted")
        self.assertEqual(recommendation.lead_id, lead)
        self.assertEqual(lead.partner_id, self.account)
        self.assertEqual(lead.kam_growth_type, "cross_sell")
        self.assertEqual(lead.kam_categ_ids, self.categs["c"])
        self.assertEqual(lead.kam_plan_id, plan)
        self.assertAlmostEqual(lead.expected_revenue, 100)
        with self.assertRaises(UserError):
            recommendation.action_accept()
        # a re-run keeps it accepted
        self._refresh()
        self.assertEqual(self._recommended().state, "accepted")

    def test_dismiss_and_re_run(self):
        """A dismissed recommendation is kept and not proposed again for 12
        months; then it comes back."""
        self._refresh()
        recommendation = self._recommended().with_user(self.user_kam)
        action = recommendation.action_dismiss()
        self.assertEqual(action["res_model"], "kam.recommendation.dismiss")
        wizard = (
            self.env["kam.recommendation.dismiss"]
            .with_user(self.user_kam)
            .with_context(**action["context"])
            .create({"reason": "They make it themselves"})
        )
        wizard.action_confirm()
        self.assertEqual(recommendation.state, "dismissed")
        self.assertEqual(recommendation.dismiss_date, self.today)
        self._refresh()
        self.assertEqual(self._recommended(), recommendation, "no second one")
        self.assertEqual(recommendation.state, "dismissed")
        self.assertEqual(recommendation.dismiss_reason, "They make it themselves")
        recommendation.sudo().dismiss_date = self.today - relativedelta(months=13)
        self._refresh()
        self.assertEqual(self._recommended().state, "new")
        self.assertFalse(recommendation.dismiss_reason)

    def test_a_recommendation_that_no_longer_holds_goes(self):
        self._refresh()
        self.assertTrue(self._recommended())
        self._invoice(self.account, [("c", 100)])
        self._refresh()
        self.assertFalse(self._recommended(), "it buys C now")

    def test_another_company_s_orders_are_never_used(self):
        """Company B's customers buy A with E: neither this company's run nor
        the account's recommendations here know of it, and B's run reads B's
        invoices only."""
        company_b = self.env["res.company"].create({"name": "KAM Elsewhere"})
        self.env.user.company_ids |= company_b
        self.env["account.chart.template"].try_loading(
            "generic_coa", company=company_b, install_demo=False
        )
        for peer in self.peers[:4]:
            self._invoice(peer, [("a", 100), ("e", 5000)], 30, company=company_b)
        self._invoice(self.account, [("a", 100)], 30, company=company_b)
        self._refresh()
        self.assertEqual(self._recommended().categ_id, self.categs["c"])
        run_b = self.env["kam.recommendation"].with_company(company_b)._kam_refresh()
        self.assertEqual(run_b.customer_count, 5)
        self.assertEqual(
            self.env["kam.recommendation"]
            .with_company(company_b)
            .search([("company_id", "=", company_b.id)])
            .mapped(lambda r: (r.partner_id, r.categ_id)),
            [(self.account, self.categs["e"])],
        )
        self.assertEqual(
            self._recommended()
            .filtered(lambda r: r.company_id == self.company)
            .categ_id,
            self.categs["c"],
        )

    def test_rights(self):
        """A salesman reads none; another KAM user reads them but neither
        accepts nor dismisses them; the KAM does not change the figures."""
        self._refresh()
        recommendation = self._recommended()
        with self.assertRaises(AccessError):
            recommendation.with_user(self.user_sales).read(["reason"])
        other = recommendation.with_user(self.user_kam_other)
        self.assertTrue(other.reason)
        with self.assertRaises(AccessError):
            other.action_accept()
        with self.assertRaises(AccessError):
            other.action_dismiss()
        with self.assertRaises(AccessError):
            recommendation.with_user(self.user_kam).write({"score": 0.99})
        with self.assertRaises(AccessError):
            self.env["kam.recommendation.run"].with_user(self.user_kam).search([])

    def test_spanish_reasons(self):
        self._kam_load_spanish()
        self.env["ir.module.module"].search(
            [("name", "=", "kam_management_account")]
        )._update_translations(["es_ES"])
        self._refresh()
        recommendation = self._recommended().with_context(lang="es_ES")
        self.assertEqual(
            recommendation.reason,
            "9 de los 9 clientes de Process de su tamaño que compran Categ A "
            "también la compran: 1,9 veces la tasa de todos los clientes.",
        )

    def test_the_backtest_beats_the_baseline(self):
        """6 months ago the learners bought A and B: the method recommended C,
        which they bought since; the baseline the categories most customers
        buy (D to H, the 8 shops')."""
        run = self._refresh()
        self.assertEqual(run.accounts, 3)
        self.assertAlmostEqual(run.hit_rate, 1.0)
        self.assertAlmostEqual(run.baseline_hit_rate, 0.0)
        self.assertEqual(run.k, maths.TOP_K)
        rates = (
            self.env["kam.recommendation.hit.rate"]
            .with_user(self.user_kam_manager)
            .search_read([("run_id", "=", run.id)], ["method", "hit_rate"])
        )
        self.assertEqual(
            {rate["method"]: rate["hit_rate"] for rate in rates},
            {"recommendations": 1.0, "baseline": 0.0},
        )

    def test_the_landing_page_counts_the_new_ones(self):
        self._refresh()
        data = self.env["res.partner"].with_user(self.user_kam).kam_dashboard_data()
        self.assertEqual(data["recommendations_new"], 1)
        self.assertEqual(data["recommendations"][0]["category"], "Categ C")
        self.assertEqual(data["recommendations"][0]["account"], self.account.name)
        self._recommended().with_user(self.user_kam).action_accept()
        data = self.env["res.partner"].with_user(self.user_kam).kam_dashboard_data()
        self.assertEqual(data["recommendations_new"], 0)

    def test_the_maths_of_a_planted_basket(self):
        """The pure functions: the rule, its figures and the baseline."""
        rows = [[100, 100, 100, 0]] * 6 + [[0, 0, 0, 100]] * 6 + [[150, 150, 0, 0]]
        industries = [1] * 6 + [2] * 6 + [1]
        [rule] = maths.recommend(rows, industries, [12])[12]
        self.assertEqual((rule.categ, rule.antecedent, rule.scope), (2, 0, "peers"))
        self.assertEqual((rule.peer_count, rule.peer_total), (6, 6))
        # 6 of the 12 other customers buy C
        self.assertAlmostEqual(rule.lift, 1.0 / (6 / 12))
        self.assertEqual(maths.popular(rows, [12], k=1), {12: [2]})
        self.assertEqual(maths.hit_rate({0: [1]}, {0: {1}, 1: {2}, 2: set()}), 0.5)
        self.assertIsNone(maths.hit_rate({}, {0: set()}))

    def test_a_company_being_refreshed_is_left_to_its_run(self):
        """Another run (a second cron worker, another server) holding the
        company's refresh: this one leaves it alone."""
        # a connection of its own (the registry's cursor is the test's in tests)
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other_run:
            other_run.execute(
                SQL(
                    "SELECT pg_advisory_lock(%s, %s)",
                    RUN_LOCK_NAMESPACE,
                    self.company.id,
                )
            )
            self.env.ref(
                "kam_management_account.ir_cron_kam_refresh_recommendations"
            ).method_direct_trigger()
            # the connection goes back to the pool, not closed: unlock
            other_run.execute(
                SQL(
                    "SELECT pg_advisory_unlock(%s, %s)",
                    RUN_LOCK_NAMESPACE,
                    self.company.id,
                )
            )
        self.assertFalse(self._recommended())
        self.assertFalse(
            self.env["kam.recommendation.run"].search(
                [("company_id", "=", self.company.id)]
            )
        )

    def test_the_scheduled_action(self):
        self.env.ref(
            "kam_management_account.ir_cron_kam_refresh_recommendations"
        ).method_direct_trigger()
        self.assertEqual(self._recommended().categ_id, self.categs["c"])
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM kam_recommendation_run WHERE company_id = %s",
                self.company.id,
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], 1)
        # run again the same day (a second cron worker, a manual run): nothing
        # more
        self.env.ref(
            "kam_management_account.ir_cron_kam_refresh_recommendations"
        ).method_direct_trigger()
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM kam_recommendation_run WHERE company_id = %s",
                self.company.id,
            )
        )
        self.assertEqual(self.env.cr.fetchone()[0], 1)
