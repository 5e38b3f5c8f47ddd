from ast import literal_eval

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import KamRightsCommon


@tagged("post_install", "-at_install")
class TestRightsReports(KamRightsCommon):
    """Dashboard, portfolio analysis, programme metrics and exports as each kind
    of user: what they open, and the figures of their companies only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["kam.escalation"].create(
            {"partner_id": cls.account.id, "reason": "critical_issue"}
        )
        cls.readers = (
            cls.user_kam
            | cls.user_team
            | cls.user_kam_other
            | cls.user_kam_manager
            | cls.user_company_b
        )

    def test_dashboard_shows_the_companies_of_the_user(self):
        for user, shown, hidden, escalations in (
            (self.user_kam, self.account, self.account_b, 1),
            (self.user_company_b, self.account_b, self.account, 0),
        ):
            with self.subTest(user=user.login):
                Partner = self.env["res.partner"].with_user(user)
                action = Partner.action_kam_dashboard()
                accounts = Partner.search(literal_eval(action["domain"]))
                self.assertIn(shown, accounts)
                self.assertNotIn(hidden, accounts)
                # the escalation of account counts for its company only
                data = Partner.kam_dashboard_data()
                self.assertEqual(data["escalation_open"], escalations)
                portfolio = self.env["kam.portfolio.report"].with_user(user)
                partners = portfolio.search([]).partner_id
                self.assertIn(shown, partners)
                self.assertNotIn(hidden, partners)

    def test_who_opens_reports_and_exports(self):
        entry_points = {
            "dashboard": lambda env: env["res.partner"].kam_dashboard_data(),
            "dashboard export": lambda env: env[
                "kam.xlsx.export"
            ]._kam_export_portfolio(),
            "portfolio": lambda env: env["kam.portfolio.report"].search([]),
            "metrics export": lambda env: env["kam.programme.metrics.wizard"]
            .create({})
            .action_export_xlsx(),
        }
        for user in self.readers | self.user_sales | self.user_portal:
            for name, call in entry_points.items():
                with self.subTest(user=user.login, entry=name):
                    env = self.env(user=user)
                    if user in self.readers:
                        call(env)
                    else:
                        with self.assertRefused(AccessError):
                            call(env)

    def test_metrics_period_in_order(self):
        with self.assertRefused(ValidationError, "before it starts"):
            self.env["kam.programme.metrics.wizard"].with_user(self.user_kam).create(
                {"date_from": "2025-06-01", "date_to": "2025-01-01"}
            )
