from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoStory(TransactionCase):
    """The demo data tells a story (issue 8); skipped without demo data."""

    def setUp(self):
        super().setUp()
        if not self.env.ref(
            "kam_management.kam_demo_partner_bluebird", raise_if_not_found=False
        ):
            self.skipTest("demo data not loaded")

    def test_story(self):
        ref = self.env.ref
        accounts = self.env["res.partner"].search([("is_key_account", "=", True)])
        demo = accounts.filtered(lambda p: p.get_external_id()[p.id])
        self.assertEqual(len(demo), 10)
        self.assertEqual(
            set(demo.mapped("kam_strategy")),
            {"harvest", "maintain", "selective_investment", "expansive_investment"},
        )
        self.assertEqual(
            set(demo.mapped("kam_health_band")), {"red", "yellow", "green"}
        )
        # sliding into red, with an open escalation and a falling history
        gemini = ref("base.res_partner_3")
        self.assertEqual(gemini.kam_health_band, "red")
        self.assertLess(gemini.kam_health_trend, 0)
        self.assertTrue(
            self.env["kam.escalation"].search_count(
                [
                    ("partner_id", "=", gemini.id),
                    ("reason", "in", ["low_health", "churn_risk"]),
                    ("state", "in", ["new", "in_progress"]),
                ]
            )
        )
        history = gemini.kam_health_snapshot_ids.sorted("date")
        self.assertGreater(len(history), 5)
        self.assertGreater(history[0].score, history[-1].score)
        # growing, with a won expansion linked to its plan
        deco = ref("base.res_partner_2")
        self.assertEqual(deco.kam_health_band, "green")
        self.assertGreater(deco.kam_health_trend, 0)
        won = ref("kam_management.kam_demo_lead_deco_store_won")
        self.assertTrue(won.stage_id.is_won)
        self.assertEqual(won.kam_growth_type, "expansion")
        self.assertEqual(won.kam_plan_id, ref("kam_management.kam_demo_plan_deco"))
        # single-threaded: one stakeholder only
        jackson = ref("base.res_partner_10")
        self.assertEqual(len(jackson.kam_stakeholder_ids), 1)
        self.assertTrue(jackson.kam_single_threaded)
        # the partner's health is its latest snapshot
        for account in demo:
            latest = account.kam_health_snapshot_ids.sorted("date")[-1]
            self.assertEqual(account.kam_health_date, latest.date)
            self.assertEqual(account.kam_health_band, latest.band)

    def test_group(self):
        """Deco Addict is a group: its French subsidiary and the Antwerp store
        under it count for it, their won deal in its revenue."""
        deco = self.env.ref("base.res_partner_2")
        france = self.env.ref("kam_management.kam_demo_unit_deco_france")
        antwerp = self.env.ref("kam_management.kam_demo_unit_deco_antwerp")
        self.assertEqual(deco.kam_unit_ids, france | antwerp)
        self.assertEqual(antwerp.kam_group_id, deco)
        self.assertEqual(france.kam_unit_revenue_12m, 18000.0)
        lighting = self.env.ref("kam_management.kam_demo_lead_deco_france_lighting")
        self.assertTrue(lighting.is_key_account)
        self.assertEqual(lighting.kam_plan_id.partner_id, deco)
