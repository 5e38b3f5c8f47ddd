from unittest.mock import patch

from odoo.tests import HttpCase, tagged

from odoo.addons.web.tests.test_js import unit_test_error_checker

from .common import KamCommon

# The landing page: the path of kam_dashboard_action_server (the menus' action)
DASHBOARD_URL = "/odoo/key-accounts"
# The addon's Hoot unit tests (static/tests/*.test.js), in the unit test runner
HOOT_URL = (
    "/web/tests?headless&loglevel=2&preset=desktop&timeout=15000&filter=kam_management"
)


@tagged("post_install", "-at_install", "kam_http", "kam_ui")
class TestMainScreensUi(HttpCase, KamCommon):
    """The main screens in a real browser (JS tours in static/tests/tours/): a tour
    fails on any JavaScript error, a missing element or an error dialog.

    HttpCase needs Odoo's HTTP server, which pytest-odoo does not start (it skips
    HttpCase tests without --odoo-http): scripts/test.sh runs it with odoo-bin,
    as every class tagged kam_http (--test-tags=kam_http/kam_management)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.user_kam | cls.user_kam_manager).tour_enabled = False
        # The account of the tours (user_kam is its KAM): a health score from the
        # manager's pulse, and a mapped champion
        cls.account.name = "Tour Key Corp"
        cls.account.kam_pulse = 3
        cls.account.action_kam_compute_health()
        contact = cls.env["res.partner"].create(
            {"name": "Tina Champion", "parent_id": cls.account.id}
        )
        cls.env["kam.stakeholder"].create(
            {
                "partner_id": cls.account.id,
                "contact_id": contact.id,
                "role": "decision_maker",
                "attitude": "champion",
                "relationship_strength": 4,
            }
        )

    def test_kam_account_tour_in_spanish(self):
        """The landing page and the account form of a Spanish KAM user: labels,
        tiles and the health evidence in Spanish."""
        self._kam_load_spanish()
        self.user_kam.lang = "es_ES"
        self.start_tour(DASHBOARD_URL, "kam_account_tour_es", login=self.user_kam.login)

    def test_kam_account_tour(self):
        """A KAM lands on their accounts, filters them with a tile, opens their key
        account with its health breakdown and stakeholders, and writes an account
        plan with an objective."""
        self.assertEqual(self.account.kam_health_band, "yellow")
        self.start_tour(DASHBOARD_URL, "kam_account_tour", login=self.user_kam.login)
        self.env.invalidate_all()
        plan = self.env["kam.account.plan"].search(
            [("partner_id", "=", self.account.id), ("name", "=", "Tour Growth Plan")]
        )
        self.assertEqual(len(plan), 1)
        self.assertEqual(plan.create_uid, self.user_kam)
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.objective_ids.mapped("name"), ["Double the order volume"])
        self.assertEqual(plan.objective_ids.kpi, "Orders per quarter")

    def test_hoot_unit_tests(self):
        """The Hoot tests of the landing page's header (static/tests/
        kam_dashboard.test.js) pass in the unit test runner."""
        self.browser_js(
            HOOT_URL,
            "",
            "",
            login="admin",
            timeout=600,
            success_signal="[HOOT] test suite succeeded",
            error_checker=unit_test_error_checker,
        )

    def test_kam_reporting_tour(self):
        """A KAM manager goes through the Reporting menus and exports the portfolio
        workbook; the link of the export serves the workbook."""
        Export = self.env.registry["kam.xlsx.export"]
        export_portfolio = Export._kam_export_portfolio
        urls = []

        def record_url(model, *args, **kwargs):
            action = export_portfolio(model, *args, **kwargs)
            urls.append(action["url"])
            return action

        with patch.object(Export, "_kam_export_portfolio", record_url):
            self.start_tour(
                DASHBOARD_URL, "kam_reporting_tour", login=self.user_kam_manager.login
            )
        self.assertEqual(len(urls), 1, "the export menu made one link")
        self.authenticate(self.user_kam_manager.login, self.user_kam_manager.login)
        response = self.url_open(urls[0])
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        self.assertIn(".xlsx", response.headers["Content-Disposition"])
        self.assertTrue(response.content.startswith(b"PK"), "not an XLSX (zip) file")
