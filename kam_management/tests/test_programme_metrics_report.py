from datetime import date, datetime, timedelta

from freezegun import freeze_time
from lxml import etree, html

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .test_reports import KamReportCommon


@tagged("post_install", "-at_install")
class TestProgrammeMetricsReport(KamReportCommon):
    def test_previous_period_has_the_same_length(self):
        Metrics = self.env["kam.programme.metrics"]
        self.assertEqual(
            Metrics._kam_previous_period(date(2024, 3, 1), date(2024, 3, 31)),
            (date(2024, 1, 30), date(2024, 2, 29)),
        )

    def test_comparison_and_breakdown_against_hand_computed_values(self):
        # Won on the account (selective investment, KAM Kim): 1000 three months
        # ago and 500 five months ago in the last 6 months; nothing the 6 before.
        Metrics = self.env["kam.programme.metrics"].with_user(self.user_kam_manager)
        date_from = self.today - timedelta(days=182)
        accounts = self.account.ids
        current, previous = Metrics._kam_programme_metrics_comparison(
            date_from, self.today, accounts
        )
        self.assertEqual(current["revenue"], 1500.0)
        self.assertEqual(previous["revenue"], 0.0)
        self.assertEqual(current["expansion_revenue"], 1000.0)
        self.assertEqual(current["escalations_opened"], 3)
        self.assertEqual(previous["escalations_opened"], 0)
        per_kam = dict(
            Metrics._kam_programme_metrics_breakdown(
                date_from, self.today, "kam_user_id", accounts
            )
        )
        self.assertEqual(per_kam[self.user_kam]["revenue"], 1500.0)
        per_strategy = Metrics._kam_programme_metrics_breakdown(
            date_from, self.today, "kam_strategy", accounts
        )
        self.assertEqual(len(per_strategy), 1)
        self.assertEqual(dict(per_strategy)["selective_investment"]["revenue"], 1500.0)
        every = Metrics._kam_programme_metrics_breakdown(
            date_from, self.today, "kam_strategy"
        )
        strategies = [value for value, __ in every]
        ladder = [
            "harvest",
            "maintain",
            "selective_investment",
            "expansive_investment",
            False,
        ]
        self.assertEqual(strategies, sorted(strategies, key=ladder.index))

    def test_wizard_shows_the_comparison_and_the_breakdown(self):
        wizard = (
            self.env["kam.programme.metrics.wizard"]
            .with_user(self.user_kam_manager)
            .create({"date_from": self.today - timedelta(days=182)})
        )
        self.assertIn("Escalations Opened in the Period", wizard.comparison_html)
        self.assertIn(self.user_kam.name, wizard.breakdown_html)
        self.assertEqual(wizard.previous_date_to, wizard.date_from - timedelta(days=1))

    def test_today_in_the_company_time_zone(self):
        """23:30 UTC on the 31st in a UTC+2 company is already the 1st, for a
        scheduled action (OdooBot) and for a user without time zone."""
        self.company.partner_id.tz = "Etc/GMT-2"  # UTC+2
        self.user_kam.tz = False
        with freeze_time("2024-03-31 23:30:00"):
            self.assertEqual(self.company._kam_today(), date(2024, 4, 1))
            self.assertEqual(
                self.company.with_user(self.user_kam)._kam_today(), date(2024, 4, 1)
            )
            self.user_kam.tz = "UTC"
            self.assertEqual(
                self.company.with_user(self.user_kam)._kam_today(), date(2024, 3, 31)
            )
        # the 1st of April starts at 22:00 UTC on the 31st of March
        self.assertEqual(
            self.company._kam_day_start(date(2024, 4, 1)), datetime(2024, 3, 31, 22)
        )

    def test_metrics_boundaries_in_the_company_time_zone(self):
        """An escalation opened at 23:30 UTC on the 31st belongs to the 1st in a
        UTC+2 company."""
        self.company.partner_id.tz = "Etc/GMT-2"
        escalation = self.escalations[0]
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE kam_escalation SET create_date = %s WHERE id = %s",
            (datetime(2024, 3, 31, 23, 30), escalation.id),
        )
        Metrics = self.env["kam.programme.metrics"]
        april = Metrics._kam_programme_metrics(
            date(2024, 4, 1), date(2024, 4, 30), self.account.ids
        )
        march = Metrics._kam_programme_metrics(
            date(2024, 3, 1), date(2024, 3, 31), self.account.ids
        )
        self.assertEqual(april["escalations_opened"], 1)
        self.assertEqual(march["escalations_opened"], 0)

    def test_health_history_last_snapshot_and_no_zero(self):
        """The history takes the last snapshot of each month (not the average)
        and leaves a month without snapshot out (not 0)."""
        Snapshot = self.env["kam.health.snapshot"]
        other = self.env["res.partner"].create(
            {"name": "History Co", "is_company": True, "is_key_account": True}
        )
        Snapshot.create(
            [
                {"partner_id": self.account.id, "date": "2024-01-05", "score": 20},
                {"partner_id": self.account.id, "date": "2024-01-25", "score": 60},
                # February: no snapshot
                {"partner_id": self.account.id, "date": "2024-03-10", "score": 40},
                {"partner_id": other.id, "date": "2024-01-31", "score": 80},
            ]
        )
        self.env.flush_all()
        History = self.env["kam.health.history.report"].with_user(self.user_kam_manager)
        domain = [("partner_id", "in", [self.account.id, other.id])]
        groups = History._read_group(domain, ["month:month"], ["score:avg"])
        self.assertEqual(
            [(month, score) for month, score in groups],
            [(date(2024, 1, 1), 70.0), (date(2024, 3, 1), 40.0)],
        )
        per_account = History._read_group(
            [("partner_id", "=", self.account.id)], ["month:month"], ["score:avg"]
        )
        self.assertEqual([score for __, score in per_account], [60.0, 40.0])

    def test_health_history_graph_draws_a_line_per_account(self):
        """Issue 22: filtered to two accounts, the health history drew one
        averaged line. Its graph groups by month, then by account: a line per
        account, not stacked (static/tests/kam_health_history.test.js draws
        it)."""
        History = self.env["kam.health.history.report"].with_user(self.user_kam)
        view = self.env.ref("kam_management.kam_health_history_report_view_graph")
        arch = etree.fromstring(History.get_view(view.id, "graph")["arch"])
        self.assertEqual(arch.get("js_class"), "kam_health_history_graph")
        self.assertEqual(arch.get("stacked"), "0")
        groupbys = [
            field.get("name")
            for field in arch.iter("field")
            if field.get("type") != "measure"
        ]
        self.assertEqual(groupbys, ["month", "partner_id"])
        action = self.account.with_user(self.user_kam).action_kam_view_health_history()
        self.assertIs(action["context"]["fill_temporal"], False)

    def test_strategy_mismatches(self):
        Report = self.env["kam.portfolio.report"]
        self.company.kam_attractiveness_threshold = 50
        self.account.kam_strategy = "expansive_investment"  # red: mismatch
        harvest = self.env["res.partner"].create(
            {
                "name": "Harvested Co",
                "is_company": True,
                "is_key_account": True,
                "kam_strategy": "harvest",
                "kam_health_band": "green",
                "kam_health_score": 80,
                "kam_selection_score": 70,
            }
        )
        fine = harvest.copy({"name": "Fine Co", "is_key_account": True})
        fine.write(
            {
                "kam_strategy": "harvest",
                "kam_health_band": "green",
                "kam_selection_score": 30,
            }
        )
        self.env.flush_all()
        # the selection score as the scoring matrix would have computed it
        self.env.cr.execute(
            "UPDATE res_partner SET kam_selection_score = %s WHERE id = %s",
            (70, harvest.id),
        )
        rows = Report.search(
            [("partner_id", "in", [self.account.id, harvest.id, fine.id])]
        )
        mismatches = {row.partner_id: row.strategy_mismatch for row in rows}
        self.assertEqual(mismatches[self.account], "red_investment")
        self.assertEqual(mismatches[harvest], "healthy_harvest")
        self.assertFalse(mismatches[fine])
        flagged = Report.search([("is_mismatch", "=", True)])
        self.assertIn(harvest, flagged.partner_id)
        self.assertNotIn(fine, flagged.partner_id)

    def test_period_out_of_range_refused(self):
        """Issue 20: a period from year 1 overflowed the dates of the period
        before it; the wizard refuses it with a message and shows no figures
        while it is being typed in."""
        Wizard = self.env["kam.programme.metrics.wizard"].with_user(
            self.user_kam_manager
        )
        for vals in (
            {"date_from": date(1, 1, 1)},
            {"date_from": "0001-01-01"},
            {"date_to": "9999-12-31"},
            {"date_from": date(1950, 1, 1), "date_to": date(2020, 1, 1)},
            {"date_from": 10**12},
            {"date_to": "abc"},
        ):
            with self.subTest(vals=vals), self.assertRaises(ValidationError):
                Wizard.create(vals)
        draft = Wizard.new({"date_from": date(1, 1, 1)})
        self.assertFalse(draft.comparison_html)
        self.assertFalse(draft.previous_date_from)
        Metrics = self.env["kam.programme.metrics"]
        with self.assertRaisesRegex(UserError, "out of range"):
            Metrics._kam_programme_metrics_comparison(date(1, 1, 2), self.today)

    def _comparison_rows(self, wizard):
        """``{metric label: (this period, previous period, change)}`` as the
        comparison tab shows them."""
        table = html.fragment_fromstring(wizard.comparison_html, create_parent="div")
        return {
            cells[0]: tuple(cells[1:])
            for row in table.iter("tr")
            if (cells := [td.text_content().strip() for td in row.iter("td")])
        }

    def test_period_in_the_wrong_order_refused_in_the_form(self):
        """Issue 22: a period ending before it started showed blank figures
        without a word. The form refuses it as it is typed in, with the reason
        in the user's language; start == end (a period of one day) has its
        figures."""
        self._kam_load_spanish()
        Wizard = (
            self.env["kam.programme.metrics.wizard"]
            .with_user(self.user_kam_manager)
            .with_context(lang="es_ES")
        )
        day = date(2025, 6, 1)
        form = Form(Wizard)
        form.date_from = day
        form.date_to = day  # one day: start == end
        self.assertEqual(form.previous_date_from, day - timedelta(days=1))
        self.assertEqual(form.previous_date_to, day - timedelta(days=1))
        self.assertIn("Escalados abiertos en el periodo", form.comparison_html)
        message = "El periodo termina el 31/05/2025, antes de empezar el 01/06/2025."
        with self.assertRaisesRegex(ValidationError, f"^{message}$"):
            form.date_to = day - timedelta(days=1)
        with self.assertRaisesRegex(ValidationError, f"^{message}$"):
            Wizard.create({"date_from": day, "date_to": day - timedelta(days=1)})
        wizard = Wizard.create({"date_from": day, "date_to": day})
        self.assertTrue(wizard.comparison_html)

    def test_comparison_shows_one_previous_revenue(self):
        """Issue 22: the comparison showed the revenue of the previous period's
        key accounts and, beside it, that of this period's: the previous period
        has one revenue, the base of the growth."""
        date_from = self.today - timedelta(days=364)
        wizard = (
            self.env["kam.programme.metrics.wizard"]
            .with_user(self.user_kam_manager)
            .create({"date_from": date_from, "date_to": self.today})
        )
        # the account became a key account today: its 600 of the previous
        # period are in the base of the growth, not in the previous period's
        # own revenue (of the accounts that were key accounts then)
        current, previous = (
            self.env["kam.programme.metrics"]
            .with_user(self.user_kam_manager)
            ._kam_programme_metrics_comparison(date_from, self.today)
        )
        self.assertNotEqual(current["revenue_previous"], previous["revenue"])
        rows = self._comparison_rows(wizard)
        self.assertNotIn("Revenue of the Previous Period", rows)
        revenue, revenue_before, change = rows["Revenue"]
        self.assertEqual(revenue, wizard._kam_format("revenue", wizard.revenue))
        self.assertEqual(
            revenue_before, wizard._kam_format("revenue", wizard.revenue_previous)
        )
        growth = wizard.revenue - wizard.revenue_previous
        self.assertEqual(change.lstrip("+"), wizard._kam_format("revenue", growth))
