import io
from datetime import date, datetime, timedelta

import openpyxl
from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import KamCommon

# The fields the landing page's kanban reads (views/kam_dashboard_views.xml)
KANBAN_SPEC = {
    "name": {},
    "kam_health_color": {},
    "kam_health_band": {},
    "kam_health_score": {},
    "kam_health_trend": {},
    "kam_strategy": {},
    "kam_current_plan_id": {"fields": {"display_name": {}}},
    "kam_plan_progress": {},
    "kam_escalation_open_count": {},
    "kam_user_id": {"fields": {"display_name": {}}},
}


class KamReportCommon(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = fields.Datetime.now()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.open_stage = cls.env["crm.stage"].search([("is_won", "=", False)], limit=1)
        cls.account.write(
            {
                "kam_health_score": 35.0,
                "kam_health_band": "red",
                "kam_health_trend": -4.0,
                "kam_health_date": cls.today,
            }
        )
        # Won: 1000 (growth, 3 months ago) + 500 (a contact, 5 months ago) in the
        # last 12 months; 600 in the 12 before; 9999 too old; lost and open aside.
        cls._won(cls.account, 1000, cls.now - relativedelta(months=3), "upsell")
        cls._won(cls.account_contact, 500, cls.now - relativedelta(months=5))
        cls._won(cls.account, 600, cls.now - relativedelta(months=15))
        cls._won(cls.account, 9999, cls.now - relativedelta(months=30))
        cls._opportunity(cls.account, 2000)
        lost = cls._opportunity(cls.account, 7777)
        lost.action_set_lost()
        Escalation = cls.env["kam.escalation"]
        cls.escalations = Escalation.create(
            [
                {"partner_id": cls.account.id, "reason": "low_health"},
                {"partner_id": cls.account.id, "reason": "critical_issue"},
                {"partner_id": cls.account.id, "reason": "other"},
            ]
        )
        cls.escalations[2].write({"state": "cancelled"})
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "name": "Acme growth plan",
                "partner_id": cls.account.id,
                "date_start": cls.today - timedelta(days=30),
                "date_end": cls.today + timedelta(days=300),
                "objective_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Win the EMEA rollout",
                            "target_value": 100,
                            "current_value": 50,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Sign the service contract",
                            "target_value": 10,
                            "current_value": 10,
                        },
                    ),
                ],
                "action_ids": [(0, 0, {"name": "Meet the CFO"})],
            }
        )
        cls.plan.action_activate()
        # Another company's key account, invisible to the users of this company
        cls.other_company = cls.env["res.company"].create({"name": "Other Key Co"})
        cls.foreign_account = cls.env["res.partner"].create(
            {
                "name": "Foreign Key Account",
                "is_company": True,
                "is_key_account": True,
                "company_id": cls.other_company.id,
            }
        )

    @classmethod
    def _opportunity(cls, partner, revenue, **vals):
        return cls.env["crm.lead"].create(
            {
                "name": f"Deal {revenue}",
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": revenue,
                "stage_id": cls.open_stage.id,
                **vals,
            }
        )

    @classmethod
    def _won(cls, partner, revenue, closed, growth_type=False):
        lead = cls._opportunity(partner, revenue, kam_growth_type=growth_type)
        lead.action_set_won()
        lead.date_closed = closed
        return lead

    def _report_row(self, user=None, partner=None):
        self.env.flush_all()
        Report = self.env["kam.portfolio.report"]
        if user:
            Report = Report.with_user(user)
        return Report.search([("partner_id", "=", (partner or self.account).id)])


@tagged("post_install", "-at_install")
class TestPortfolioReport(KamReportCommon):
    def test_figures_against_hand_computed_values(self):
        row = self._report_row(self.user_kam)
        self.assertEqual(len(row), 1)
        self.assertEqual(row.revenue_12m, 1500.0)
        self.assertEqual(row.revenue_prev_12m, 600.0)
        self.assertAlmostEqual(row.growth, 150.0)
        self.assertEqual(row.expansion_revenue, 1000.0)
        self.assertEqual(
            row.open_pipeline, 2000.0, "Lost and won deals are not pipeline"
        )
        self.assertEqual(row.open_escalation_count, 2)
        self.assertAlmostEqual(row.plan_progress, 75.0)
        self.assertEqual(row.health_band, "red")
        self.assertEqual(row.kam_user_id, self.user_kam)
        self.assertEqual(row.kam_strategy, "selective_investment")
        self.assertEqual(row.currency_id, self.company.currency_id)

    def test_no_growth_without_previous_revenue(self):
        account = self.env["res.partner"].create(
            {"name": "Fresh Key", "is_company": True, "is_key_account": True}
        )
        self._won(account, 300, self.now - relativedelta(months=1))
        row = self._report_row(partner=account)
        self.assertEqual(row.revenue_12m, 300.0)
        self.assertFalse(row.growth)
        self.assertFalse(self._report_row(partner=self.candidate), "Not a key account")

    def test_matrix_groups_strategy_by_band(self):
        self.env.flush_all()
        groups = self.env["kam.portfolio.report"]._read_group(
            [("partner_id", "=", self.account.id)],
            ["kam_strategy", "health_band"],
            ["account_count:sum"],
        )
        self.assertEqual(groups, [("selective_investment", "red", 1)])

    def test_other_company_and_sales_users_do_not_see_the_account(self):
        self.assertTrue(self._report_row(partner=self.foreign_account))
        self.assertFalse(self._report_row(self.user_kam_manager, self.foreign_account))
        with self.assertRaises(AccessError):
            self._report_row(self.user_sales)


@tagged("post_install", "-at_install")
class TestOneRevenue(KamReportCommon):
    def test_every_figure_uses_the_same_revenue(self):
        """Health, plan, portfolio and programme metrics read one definition of
        revenue: crm only, the won opportunities of the account."""
        account = self.env["res.partner"].create(
            {"name": "Same Figures", "is_company": True, "is_key_account": True}
        )
        contact = self.env["res.partner"].create(
            {"name": "Sam Buyer", "parent_id": account.id}
        )
        year_ago = self.today - relativedelta(years=1)
        plan = self.env["kam.account.plan"].create(
            {
                "name": "Same figures plan",
                "partner_id": account.id,
                "date_start": year_ago,
                "date_end": self.today,
            }
        )
        for partner, amount, months in ((account, 1200, 2), (contact, 300, 7)):
            lead = self._won(partner, amount, self.now - relativedelta(months=months))
            lead.kam_plan_id = plan
        self._won(account, 800, self.now - relativedelta(months=14))
        self.env.flush_all()
        health = self.env["kam.account.revenue"]._kam_revenue_summary(
            account.ids, self.today
        )[account.id]
        metrics = self.env["kam.programme.metrics"]._kam_programme_metrics(
            year_ago, self.today, partner_ids=account.ids
        )
        row = self._report_row(partner=account)
        self.assertEqual(health["sources"], ["opportunities"])
        self.assertEqual(health["current"], 1500.0)
        self.assertEqual(plan.revenue_actual, 1500.0)
        self.assertEqual(row.revenue_12m, 1500.0)
        self.assertEqual(metrics["revenue"], 1500.0)
        lines = self.env["kam.revenue.line"]._read_group(
            [("account_id", "=", account.id), ("date", ">=", year_ago)],
            aggregates=["amount:sum"],
        )
        self.assertEqual(lines, [(1500.0,)], "the revenue lines report")
        self.assertEqual(health["previous"], 800.0)
        self.assertEqual(row.revenue_prev_12m, 800.0)
        self.assertEqual(row.expansion_revenue, 1500.0, "won in the plan")
        self.assertEqual(metrics["expansion_revenue"], 1500.0)


@tagged("post_install", "-at_install")
class TestRecommendedStrategy(KamReportCommon):
    def _score(self, value):
        self.account.kam_selection_score_ids = [
            (0, 0, {"criterion_id": criterion.id, "score": value})
            for criterion in (self.criterion_revenue, self.criterion_fit)
        ]
        self.assertEqual(self.account.kam_selection_score, value * 10)

    def test_attractive_accounts(self):
        self._score(8)
        self.assertEqual(self.account.kam_recommended_strategy, "selective_investment")
        self.account.kam_health_score = 70  # the green threshold
        self.assertEqual(self.account.kam_recommended_strategy, "expansive_investment")

    def test_unattractive_accounts(self):
        self._score(4)
        self.assertEqual(self.account.kam_recommended_strategy, "harvest")
        self.company.write({"kam_health_red_below": 20, "kam_health_green_from": 30})
        # a shared account follows the current company, which no field depends on
        self.account.invalidate_recordset(["kam_recommended_strategy"])
        self.assertEqual(self.account.kam_recommended_strategy, "maintain")

    def test_no_recommendation_without_health(self):
        self._score(8)
        self.account.kam_health_date = False
        self.assertFalse(self.account.kam_recommended_strategy)
        self.assertFalse(self.candidate.kam_recommended_strategy)


@tagged("post_install", "-at_install")
class TestProgrammeMetrics(KamReportCommon):
    def test_metrics_on_controlled_data(self):
        Partner = self.env["res.partner"]
        start = self.today - timedelta(days=60)
        self.account.kam_since = self.today - timedelta(days=365)
        old = Partner.create(
            {
                "name": "Old Key",
                "is_company": True,
                "is_key_account": True,
                "kam_since": self.today - timedelta(days=200),
            }
        )
        new = Partner.create(
            {
                "name": "New Key",
                "is_company": True,
                "is_key_account": True,
                "kam_since": self.today - timedelta(days=30),
            }
        )
        lost = Partner.create(
            {
                "name": "Lost Key",
                "is_company": True,
                "is_key_account": True,
                "kam_since": self.today - timedelta(days=300),
            }
        )
        # records created in a transaction are tracked from its end on
        self.env.flush_all()
        self.env.cr.precommit.run()
        lost.is_key_account = False  # demoted today, tracked
        self.env.flush_all()
        self.env.cr.precommit.run()
        # new: first growth win 10 days after its designation
        self._won(
            new,
            400,
            datetime.combine(new.kam_since + timedelta(days=10), datetime.min.time()),
            "cross_sell",
        )
        # escalations of the period: one open, two resolved after 1 and 3 days
        Escalation = self.env["kam.escalation"]
        resolved = Escalation.create(
            [
                {"partner_id": old.id, "reason": "other"},
                {"partner_id": new.id, "reason": "other"},
            ]
        )
        self.env.flush_all()
        for escalation, days in zip(resolved, (1, 3), strict=True):
            opened = self.now - timedelta(days=10)
            self.env.cr.execute(
                "UPDATE kam_escalation SET create_date = %s WHERE id = %s",
                (opened, escalation.id),
            )
            escalation.write(
                {
                    "state": "resolved",
                    "resolution": "<p>Fixed</p>",
                    "date_resolved": opened + timedelta(days=days),
                }
            )
        accounts = [self.account.id, old.id, new.id, lost.id]
        metrics = (
            self.env["kam.programme.metrics"]
            .with_user(self.user_kam_manager)
            ._kam_programme_metrics(start, self.today, partner_ids=accounts)
        )
        self.assertEqual(metrics["accounts_start"], 3, "account, old, lost")
        self.assertEqual(metrics["accounts_end"], 3, "account, old, new")
        self.assertEqual(metrics["accounts_retained"], 2)
        self.assertAlmostEqual(metrics["retention_rate"], 200 / 3)
        # won: 400 in the period (new); 1000 (3 months ago) in the 60 days before
        self.assertEqual(metrics["revenue"], 400.0)
        self.assertEqual(metrics["revenue_previous"], 1000.0)
        self.assertAlmostEqual(metrics["revenue_growth"], -60.0)
        self.assertEqual(metrics["expansion_revenue"], 400.0)
        self.assertAlmostEqual(metrics["time_to_value"], 10.0)
        self.assertEqual(
            metrics["escalations_opened"], 2 + 3, "2 here + 3 of the account"
        )
        self.assertEqual(metrics["escalations_resolved"], 2)
        self.assertAlmostEqual(metrics["resolution_median_days"], 2.0)

    def test_wizard_shows_the_metrics(self):
        wizard = (
            self.env["kam.programme.metrics.wizard"]
            .with_user(self.user_kam_manager)
            .create(
                {"date_from": self.today - timedelta(days=30), "date_to": self.today}
            )
        )
        self.assertGreaterEqual(wizard.accounts_end, 1)
        self.assertGreaterEqual(wizard.escalations_opened, 3)


@tagged("post_install", "-at_install")
class TestExports(KamReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["kam.health.snapshot"].create(
            [
                {
                    "partner_id": cls.account.id,
                    "date": cls.today - relativedelta(months=2),
                    "score": 60,
                    "band": "yellow",
                },
                {
                    "partner_id": cls.account.id,
                    "date": cls.today,
                    "score": 35,
                    "band": "red",
                },
            ]
        )

    def _workbook(self, content):
        return openpyxl.load_workbook(io.BytesIO(content))

    def _rows(self, sheet):
        rows = list(sheet.iter_rows(values_only=True))
        return rows[0], rows[1:]

    def test_portfolio_workbook(self):
        self.env.flush_all()
        Export = self.env["kam.xlsx.export"].with_user(self.user_kam)
        action = Export._kam_export_portfolio()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertTrue(action["url"].startswith("/kam_management/workbook/portfolio"))
        self.assertNotIn("partner_ids", action["url"], "the whole portfolio")
        self.assertTrue(Export._kam_portfolio_filename().endswith(".xlsx"))
        book = self._workbook(Export._kam_portfolio_workbook())
        self.assertEqual(book.sheetnames, ["Portfolio", "Charts", "Programme Metrics"])
        sheet = book["Portfolio"]
        header, rows = self._rows(sheet)
        self.assertEqual(header[0], "Key Account")
        self.assertIn("Revenue 12 Months", header)
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet.tables, "a table, with its filters")
        by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
        self.assertNotIn("Foreign Key Account", by_name, "another company")
        report = self.env["kam.portfolio.report"].with_user(self.user_kam).search([])
        self.assertEqual(len(rows), len(report), "one row per readable key account")
        line = by_name["Acme Key Corp"]
        self.assertEqual(line["Revenue 12 Months"], 1500)
        self.assertEqual(line["Revenue Previous 12 Months"], 600)
        self.assertEqual(line["Open Pipeline"], 2000)
        self.assertEqual(line["Open Escalations"], 2)
        self.assertEqual(line["Health"], "Red")
        self.assertEqual(line["Key Account Manager"], "Kim Account")
        self.assertTrue(sheet.conditional_formatting, "bands are coloured")
        self.assertEqual(len(book["Charts"]._charts), 2, "by band and over time")
        # the months of the health trend are dates, not ISO text (issue 22)
        months = [
            cell for cell in book["Charts"]["A"] if cell.number_format == "mmm yyyy"
        ]
        days = [cell.value.date() for cell in months]
        self.assertEqual(days, sorted(days))
        self.assertIn(self.today.replace(day=1) - relativedelta(months=2), days)
        self.assertIn(self.today.replace(day=1), days)
        metrics = dict(
            row[:2] for row in book["Programme Metrics"].iter_rows(values_only=True)
        )
        self.assertIn("Retention Rate (%)", metrics)

    def test_selected_accounts_only(self):
        other = self.env["res.partner"].create(
            {"name": "Other Key", "is_company": True, "is_key_account": True}
        )
        self.env.flush_all()
        content = (
            self.env["kam.xlsx.export"]
            .with_user(self.user_kam)
            ._kam_portfolio_workbook(partner_ids=[other.id])
        )
        _header, rows = self._rows(self._workbook(content)["Portfolio"])
        self.assertEqual([row[0] for row in rows], ["Other Key"])

    def test_workbook_bad_input_refused(self):
        Export = self.env["kam.xlsx.export"].with_user(self.user_kam)
        for date_from, date_to, message in (
            ("2025-13-01", None, "not made of valid dates"),
            (42, None, "not made of valid dates"),
            ("2025-06-01", "2025-01-01", "before it starts"),
            ("0001-01-01", "0001-06-01", "must lie between"),
            ("2025-01-01", "9999-12-31", "must lie between"),
        ):
            for call in (
                Export._kam_export_portfolio,
                Export._kam_portfolio_workbook,
            ):
                with (
                    self.subTest(call=call.__name__, date_from=date_from),
                    self.assertRaisesRegex(UserError, message),
                ):
                    call(date_from=date_from, date_to=date_to)

    def test_sales_user_cannot_export(self):
        with self.assertRaises(AccessError):
            self.env["kam.xlsx.export"].with_user(
                self.user_sales
            )._kam_portfolio_workbook()

    def test_queries_do_not_grow_with_the_accounts(self):
        Export = self.env["kam.xlsx.export"].with_user(self.user_kam_manager)
        self.env.flush_all()
        before = self.env.cr.sql_log_count
        Export._kam_portfolio_workbook()
        few = self.env.cr.sql_log_count - before
        self.env["res.partner"].create(
            [
                {
                    "name": f"Bulk {i}",
                    "is_company": True,
                    "is_key_account": True,
                    "kam_user_id": self.user_kam_other.id,
                    "kam_strategy": "maintain",
                }
                for i in range(30)
            ]
        )
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        Export._kam_portfolio_workbook()
        many = self.env.cr.sql_log_count - before
        self.assertLessEqual(many, few + 2)

    def test_account_plan_workbook(self):
        lead = self._opportunity(
            self.account, 3000, kam_plan_id=self.plan.id, user_id=self.user_kam.id
        )
        content = (
            self.env["kam.xlsx.export"]
            .with_user(self.user_kam)
            ._kam_plan_workbook(self.plan)
        )
        book = self._workbook(content)
        self.assertEqual(
            book.sheetnames,
            ["Plan", "Objectives", "Opportunities", "Actions", "Reviews"],
        )
        plan_values = {
            row[0]: row[1] for row in book["Plan"].iter_rows(values_only=True)
        }
        self.assertEqual(plan_values["Plan"], "Acme growth plan")
        self.assertEqual(plan_values["Key Account"], "Acme Key Corp")
        _header, objectives = self._rows(book["Objectives"])
        self.assertEqual(
            [row[0] for row in objectives],
            ["Win the EMEA rollout", "Sign the service contract"],
        )
        _header, opportunities = self._rows(book["Opportunities"])
        self.assertEqual([row[0] for row in opportunities], [lead.name])
        _header, actions = self._rows(book["Actions"])
        self.assertEqual([row[0] for row in actions], ["Meet the CFO"])
        with self.assertRaises(AccessError):
            self.env["kam.xlsx.export"].with_user(self.user_sales)._kam_plan_workbook(
                self.plan.with_user(self.user_sales)
            )

    def test_account_plan_export_for_every_reader(self):
        """Exporting only reads: a KAM user outside the account exports the plan
        they can read from the plan form's button."""
        plan = self.plan.with_user(self.user_kam_other)
        action = plan.action_kam_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(action["url"], f"/kam_management/workbook/plan/{self.plan.id}")
        Export = self.env["kam.xlsx.export"].with_user(self.user_kam_other)
        self.assertEqual(
            self._workbook(Export._kam_plan_workbook(plan)).sheetnames[0], "Plan"
        )
        self.assertEqual(
            Export._kam_plan_filename(plan), "account_plan_Acme growth plan.xlsx"
        )
        self.plan.name = 'Acme: 2027/28 "growth"?'
        self.assertEqual(
            Export._kam_plan_filename(plan),
            "account_plan_Acme_ 2027_28 _growth__.xlsx",
        )

    def _metric_rows(self, sheet, env):
        """``{metric: (this period, previous period, change)}`` of the cells of
        the comparison of the metrics sheet (below its header, row 4), the
        metrics by their labels in the language of ``env``."""
        fields = env["kam.programme.metrics.wizard"]._fields
        names = {field._description_string(env): name for name, field in fields.items()}
        rows = {}
        for row in sheet.iter_rows(min_row=5):
            if not row[0].value:
                return rows
            rows[names[row[0].value]] = row[1:4]
        return rows

    def test_metrics_sheet_in_the_readers_formats(self):
        """Issue 22: the metrics sheet had raw floats (131.4735294117647,
        3.27e-05 days), ISO dates and "n/a" among the numbers. Dates are dates
        shown as in the reader's language, each metric a number in its format
        (percentages with %), an empty cell where there is none (no ROI without
        a programme cost, on a day without plans)."""
        self._kam_load_spanish()
        Export = (
            self.env["kam.xlsx.export"]
            .with_user(self.user_kam_manager)
            .with_context(lang="es_ES")
        )
        day = date(2001, 3, 10)
        content = Export._kam_portfolio_workbook(date_from=day, date_to=day)
        sheet = self._workbook(content)["Métricas del programa"]
        for cell, value in (("B2", day), ("B3", day), ("C2", day - timedelta(1))):
            self.assertEqual(sheet[cell].value.date(), value)
            self.assertEqual(sheet[cell].number_format, 'dd"/"mm"/"yyyy')
        rows = self._metric_rows(sheet, Export.env)
        self.assertNotIn("revenue_previous", rows, "one previous revenue")
        formats = {
            "accounts_start": "#,##0",
            "retention_rate": "0.0%",
            "revenue": "#,##0.00",
            "resolution_median_days": "#,##0.0",
        }
        for name, number_format in formats.items():
            for cell in rows[name]:
                self.assertEqual(cell.number_format, number_format, name)
        self.assertEqual([cell.value for cell in rows["roi"]], [None] * 3)
        for name, cells in rows.items():
            for cell in cells:
                self.assertIsInstance(cell.value, (int, float, type(None)), name)
        # a year: the retention rate as a fraction that the sheet shows with %
        year = (self.today - timedelta(days=364), self.today)
        content = Export._kam_portfolio_workbook(None, *year)
        sheet = self._workbook(content)["Métricas del programa"]
        retention = self._metric_rows(sheet, Export.env)["retention_rate"][0]
        metrics = Export.env["kam.programme.metrics"]._kam_programme_metrics(*year)
        self.assertAlmostEqual(retention.value, metrics["retention_rate"] / 100)

    def test_account_plan_pdf_lists_the_objectives(self):
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.user_kam)
            ._render_qweb_html("kam_management.kam_account_plan_report", self.plan.ids)
        )
        html = html.decode()
        self.assertIn("Acme growth plan", html)
        self.assertIn("Win the EMEA rollout", html)
        self.assertIn("Sign the service contract", html)
        self.assertIn("Meet the CFO", html)


@tagged("post_install", "-at_install")
class TestDashboard(KamReportCommon):
    """The landing page: the figures of ``kam_dashboard_data()`` against counts made
    by hand, the tiles' filters of the search view, the action for a KAM user and a
    manager, and the queries of everything the page calls."""

    # The tiles of static/src/views/kam_dashboard.js: figure -> search view filter
    TILE_FILTERS = {
        "red": "health_red",
        "yellow": "health_yellow",
        "green": "health_green",
        "not_scored": "health_none",
        "falling": "health_falling",
        "review_overdue": "review_overdue",
        "escalation_open": "escalation_open",
        "stakeholder_due": "stakeholder_due",
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the plan started four months ago: its quarterly review is past
        cls.plan.date_start = cls.today - relativedelta(months=4)
        contact = cls.env["res.partner"].create(
            {"name": "Stan Stakeholder", "parent_id": cls.account.id}
        )
        stakeholder = cls.env["kam.stakeholder"].create(
            {"partner_id": cls.account.id, "contact_id": contact.id, "role": "user"}
        )
        stakeholder.next_contact_date = cls.today - timedelta(days=3)
        # a key account of the KAM user without score nor plan
        cls.unscored = cls.env["res.partner"].create(
            {
                "name": "Unscored Key Co",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": cls.user_kam.id,
            }
        )

    def _hand_counts(self, user, mine_only):
        accounts = (
            self.env["res.partner"]
            .with_user(user)
            .search([("is_key_account", "=", True)])
        )
        if mine_only:
            accounts = accounts._kam_worked_by(user)

        def count(predicate):
            return len(accounts.filtered(predicate))

        return {
            "mine_only": mine_only,
            "total": len(accounts),
            "red": count(lambda a: a.kam_health_band == "red"),
            "yellow": count(lambda a: a.kam_health_band == "yellow"),
            "green": count(lambda a: a.kam_health_band == "green"),
            "not_scored": count(lambda a: not a.kam_health_band),
            "falling": count(lambda a: a.kam_health_trend < 0),
            "review_overdue": count(
                lambda a: any(
                    plan.state == "active"
                    and plan.next_review_date
                    and plan.next_review_date < self.today
                    for plan in a.kam_plan_ids
                )
            ),
            "escalation_open": count(lambda a: a.kam_escalation_open_count),
            "open_escalations": sum(accounts.mapped("kam_escalation_open_count")),
            "stakeholder_due": count(
                lambda a: any(a.kam_stakeholder_ids.mapped("is_overdue"))
            ),
        }

    def _assertFigures(self, data, expected):
        """The page's figures are those counted by hand (a bridge adds its own
        figures beside them)."""
        self.assertEqual({key: data.get(key) for key in expected}, expected)

    def _filter_domains(self, user):
        """The domains of the dashboard's search view filters for ``user``, by
        name."""
        view = self.env.ref("kam_management.res_partner_view_search_kam_dashboard")
        arch = etree.fromstring(self.env["res.partner"].get_view(view.id)["arch"])
        return {
            node.get("name"): safe_eval(node.get("domain"), {"uid": user.id})
            for node in arch.iter("filter")
            if node.get("domain")
        }

    def test_figures_of_a_kam_user(self):
        self.env.flush_all()
        data = self.env["res.partner"].with_user(self.user_kam).kam_dashboard_data()
        self._assertFigures(data, self._hand_counts(self.user_kam, mine_only=True))
        # the fixture's own accounts: Acme (red, falling, overdue review, two open
        # escalations, a stakeholder due) and the unscored one
        self.assertEqual(data["total"], 2)
        self.assertEqual(
            (data["red"], data["not_scored"], data["review_overdue"]), (1, 1, 1)
        )
        self.assertEqual((data["escalation_open"], data["stakeholder_due"]), (1, 1))
        # issue 22: the tile counted one account, its card two escalations; the
        # tile now gives both, the escalations as the cards count them
        self.assertEqual(data["open_escalations"], 2)
        self.assertEqual(self.account.kam_escalation_open_count, 2)

    def test_figures_of_a_manager(self):
        self.env.flush_all()
        Partner = self.env["res.partner"].with_user(self.user_kam_manager)
        data = Partner.kam_dashboard_data()
        self._assertFigures(data, self._hand_counts(self.user_kam_manager, False))
        self.assertNotIn(self.foreign_account, Partner.search([]), "other company")

    def test_tiles_filter_the_kanban_on_their_figure(self):
        """A tile's figure is the number of accounts its filter shows (with "My
        Accounts" for a KAM user)."""
        self.env.flush_all()
        action = self.env.ref("kam_management.kam_dashboard_action")
        for user, mine_only in ((self.user_kam, True), (self.user_kam_manager, False)):
            Partner = self.env["res.partner"].with_user(user)
            data = Partner.kam_dashboard_data()
            domains = self._filter_domains(user)
            base = safe_eval(action.domain)
            if mine_only:
                base += domains["my_accounts"]
            for figure, filter_name in self.TILE_FILTERS.items():
                with self.subTest(user=user.login, tile=figure):
                    count = Partner.search_count(base + domains[filter_name])
                    self.assertEqual(count, data[figure])

    def test_action_my_accounts_for_a_kam_user(self):
        Partner = self.env["res.partner"]
        action = Partner.with_user(self.user_kam).action_kam_dashboard()
        self.assertEqual(action["res_model"], "res.partner")
        self.assertEqual(action["context"].get("search_default_my_accounts"), 1)
        action = Partner.with_user(self.user_kam_manager).action_kam_dashboard()
        self.assertNotIn("search_default_my_accounts", action["context"])
        root = self.env.ref("kam_management.kam_menu_root")
        self.assertEqual(
            root.action, self.env.ref("kam_management.kam_dashboard_action_server")
        )

    def test_sales_user_has_no_dashboard(self):
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_sales).kam_dashboard_data()

    def test_cards_current_plan_and_flags(self):
        accounts = (self.account | self.unscored).with_user(self.user_kam)
        self.assertEqual(accounts[0].kam_current_plan_id, self.plan)
        self.assertFalse(accounts[1].kam_current_plan_id, "no plan: no bar")
        self.assertEqual(accounts[0].kam_plan_progress, 75.0)
        self.assertEqual(
            accounts.mapped("kam_review_overdue"), [True, False], "overdue review"
        )
        self.assertEqual(accounts.mapped("kam_escalation_open"), [True, False])
        self.assertEqual(accounts.mapped("kam_overdue_stakeholder_count"), [1, 0])
        not_open = accounts.search(
            [("id", "in", accounts.ids), ("kam_escalation_open", "=", False)]
        )
        self.assertEqual(not_open, accounts[1])

    def test_queries_of_the_page(self):
        """The header's call and the kanban's first page, together, in a fixed
        number of queries (benchmarks/landing_page.py measures 2,000 accounts)."""
        Partner = self.env["res.partner"].with_user(self.user_kam)
        action = Partner.action_kam_dashboard()
        domain = safe_eval(action["domain"])
        domain += self._filter_domains(self.user_kam)["my_accounts"]
        self.env.flush_all()
        Partner.kam_dashboard_data()  # warm the caches (groups, rules)
        Partner.web_search_read(domain, KANBAN_SPEC, limit=40)
        self.env.invalidate_all()
        # the Invoicing bridge adds the new recommendations to the page (one query)
        with self.assertQueryCount(15 + ("kam.recommendation" in self.env)):
            Partner.kam_dashboard_data()
            Partner.web_search_read(
                domain, KANBAN_SPEC, limit=40, order="kam_health_score, name"
            )

    def test_scores_read_out_of_100(self):
        """Issue 22: health read "25 %" on the account (the progress bar's
        percentage); the health and selection scores are scores out of 100,
        shown by the score bar ("25.0 / 100", static/tests/
        kam_health_history.test.js), in every view of the accounts."""
        scores = {"kam_health_score", "kam_selection_score"}
        views = self.env["ir.ui.view"].search(
            [("model", "=", "res.partner"), ("arch_db", "ilike", "score")]
        )
        shown = 0
        for view in views:
            arch = etree.fromstring(view.arch)
            for node in arch.iter("field"):
                if node.get("name") in scores and node.get("widget"):
                    with self.subTest(view=view.xml_id, field=node.get("name")):
                        self.assertEqual(node.get("widget"), "kam_score_bar")
                    shown += 1
        self.assertEqual(shown, 4, "the account form (2) and the lists (2)")

    def test_record_survey_from_the_account(self):
        action = self.account.with_user(self.user_kam).action_kam_record_survey()
        self.assertEqual(action["res_model"], "kam.satisfaction.survey")
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["context"], {"default_partner_id": self.account.id})
        survey = (
            self.env["kam.satisfaction.survey"]
            .with_user(self.user_kam)
            .with_context(**action["context"])
            .create({"kind": "nps", "score": 9})
        )
        self.assertEqual(survey.partner_id, self.account)
        self.account.with_user(self.user_kam_manager).action_kam_record_survey()
        with self.assertRaises(UserError):
            self.account.with_user(self.user_kam_other).action_kam_record_survey()
