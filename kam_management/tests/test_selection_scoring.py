import io

import openpyxl

from odoo.tests import Form, tagged, users
from odoo.tools.safe_eval import safe_eval

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestSelectionScoring(KamCommon):
    """The selection matrix filled in a list, and "not scored" read as such."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Criterion = cls.env["kam.selection.criterion"]
        # only the criteria of the fixtures count here
        Criterion.search(
            [("id", "not in", (cls.criterion_revenue | cls.criterion_fit).ids)]
        ).active = False
        cls.criterion_archived = Criterion.create({"name": "Old", "active": False})
        cls.company_b = cls.env["res.company"].create({"name": "Other Company"})
        cls.criterion_other_company = Criterion.create(
            {"name": "Elsewhere", "company_id": cls.company_b.id}
        )
        cls.candidate.company_id = cls.company
        cls.criteria = cls.criterion_revenue | cls.criterion_fit

    def _wizard(self, partner):
        return (
            self.env["kam.designation.wizard"]
            .with_context(default_partner_id=partner.id, default_mode="promote")
            .create({})
        )

    @users("kam_user")
    def test_one_line_per_active_criterion(self):
        candidate = self.candidate.with_env(self.env)
        self.assertTrue(candidate.kam_selection_missing)
        candidate.action_kam_score_criteria()
        lines = candidate.kam_selection_score_ids
        self.assertEqual(lines.criterion_id, self.criteria, "active, of the company")
        self.assertEqual(lines.mapped("score"), [0, 0], "empty: not scored")
        self.assertFalse(candidate.kam_selection_missing)
        self.assertFalse(candidate.kam_selection_scored)
        # again: nothing listed twice
        candidate.action_kam_score_criteria()
        self.assertEqual(candidate.kam_selection_score_ids, lines)
        # a criterion added later is listed on the next click
        new = self.env["kam.selection.criterion"].sudo().create({"name": "Culture"})
        candidate.invalidate_recordset()
        self.assertTrue(candidate.kam_selection_missing)
        candidate.action_kam_score_criteria()
        self.assertEqual(
            candidate.kam_selection_score_ids.criterion_id, self.criteria | new
        )

    @users("kam_user")
    def test_shared_partner_gets_the_shared_criteria(self):
        self.criterion_fit.sudo().company_id = self.company
        shared = self.env["res.partner"].create({"name": "Shared", "is_company": True})
        shared.action_kam_score_criteria()
        self.assertEqual(
            shared.kam_selection_score_ids.criterion_id, self.criterion_revenue
        )

    @users("kam_user")
    def test_scored_criteria_not_offered_again(self):
        candidate = self.candidate.with_env(self.env)
        with Form(candidate) as partner_form:
            with partner_form.kam_selection_score_ids.new() as line:
                line.criterion_id = self.criterion_revenue
                line.score = 8
            self.assertEqual(
                partner_form.kam_selection_criterion_ids[:], self.criterion_revenue
            )
            self.assertTrue(partner_form.kam_selection_missing)
        # the domain of a line's criterion leaves out the criteria listed
        arch = self.env["res.partner"].get_views([(False, "form")])["views"]["form"]
        self.assertIn("parent.kam_selection_criterion_ids", arch["arch"])
        offered = self.env["kam.selection.criterion"].search(
            [
                ("id", "not in", candidate.kam_selection_criterion_ids.ids),
                ("company_id", "in", [candidate.company_id.id, False]),
            ]
        )
        self.assertEqual(offered, self.criterion_fit)
        self.assertAlmostEqual(candidate.kam_selection_score, 80.0)
        self.assertTrue(candidate.kam_selection_scored)

    @users("kam_user")
    def test_unscored_lines_do_not_count(self):
        candidate = self.candidate.with_env(self.env)
        candidate.action_kam_score_criteria()
        revenue, fit = candidate.kam_selection_score_ids
        fit.score = 6
        self.assertAlmostEqual(candidate.kam_selection_score, 60.0, "revenue: 0")
        revenue.score = 8
        self.assertAlmostEqual(candidate.kam_selection_score, 75.0)  # (24 + 6) / 4
        revenue.score = fit.score = 0
        self.assertFalse(candidate.kam_selection_scored)
        self.assertEqual(candidate.kam_selection_score, 0.0)

    @users("kam_user")
    def test_unscored_reads_not_scored(self):
        candidate = self.candidate.with_env(self.env)
        self.assertFalse(candidate.kam_selection_scored)
        warning = self._wizard(candidate).attractiveness_warning
        self.assertIn("Candidate Ltd is not scored", warning)
        self.assertIn("threshold of 50", warning)

    def test_portfolio_and_workbook_leave_unscored_empty(self):
        scored = self.env["res.partner"].create(
            {"name": "Scored Key", "is_company": True, "is_key_account": True}
        )
        self.env["kam.selection.score"].create(
            {"partner_id": scored.id, "criterion_id": self.criterion_fit.id, "score": 7}
        )
        self.env.flush_all()
        Report = self.env["kam.portfolio.report"].with_user(self.user_kam)
        rows = {
            row["partner_id"][0]: row
            for row in Report.search_read(
                [("partner_id", "in", (self.account | scored).ids)],
                ["partner_id", "selection_score", "selection_scored"],
            )
        }
        self.assertFalse(rows[self.account.id]["selection_scored"])
        self.assertTrue(rows[scored.id]["selection_scored"])
        self.assertAlmostEqual(rows[scored.id]["selection_score"], 70.0)
        # empty in the database: the averages count the scored accounts only
        [(average,)] = Report._read_group(
            [("partner_id", "=", self.account.id)], aggregates=["selection_score:avg"]
        )
        self.assertIs(average, False, "no average of accounts not scored")
        [(average,)] = Report._read_group(
            [("partner_id", "in", (self.account | scored).ids)],
            aggregates=["selection_score:avg"],
        )
        self.assertAlmostEqual(average, 70.0)
        content = (
            self.env["kam.xlsx.export"]
            .with_user(self.user_kam)
            ._kam_portfolio_workbook(partner_ids=(self.account | scored).ids)
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content))["Portfolio"]
        header, *lines = sheet.iter_rows(values_only=True)
        by_name = {line[0]: dict(zip(header, line, strict=True)) for line in lines}
        # one type per column: a number, or an empty cell when not scored
        self.assertIsNone(by_name["Acme Key Corp"]["Selection Score"])
        # so are a health score without health and a growth without revenue
        # the year before (not 0)
        self.assertIsNone(by_name["Acme Key Corp"]["Health Score"])
        self.assertIsNone(by_name["Acme Key Corp"]["Growth (%)"])
        self.assertEqual(by_name["Scored Key"]["Selection Score"], 70)

    @users("kam_user")
    def test_wizard_warns_below_the_threshold(self):
        candidate = self.candidate.with_env(self.env)
        self.env["kam.selection.score"].create(
            {
                "partner_id": candidate.id,
                "criterion_id": self.criterion_revenue.id,
                "score": 7,
            }
        )
        self.assertAlmostEqual(candidate.kam_selection_score, 70.0)
        company = self.company.sudo()
        company.kam_attractiveness_threshold = 70.0
        self.assertFalse(self._wizard(candidate).attractiveness_warning, "at 70")
        company.kam_attractiveness_threshold = 70.1
        self.assertEqual(
            self._wizard(candidate).attractiveness_warning,
            "Candidate Ltd scores 70 against the attractiveness threshold of 70.1: "
            "key account programmes work best with few, attractive accounts.",
        )
        company.kam_attractiveness_threshold = 50
        self.assertFalse(self._wizard(candidate).attractiveness_warning)

    @users("kam_user")
    def test_promotion_allowed_despite_the_warning(self):
        candidate = self.candidate.with_env(self.env)
        wizard = self._wizard(candidate)
        wizard.kam_strategy = "maintain"
        self.assertTrue(wizard.attractiveness_warning)
        wizard.action_confirm()
        self.assertTrue(candidate.is_key_account)
        self.assertFalse(candidate.kam_selection_scored)

    @users("kam_user")
    def test_candidates_leave_the_own_companies_out(self):
        """Issue 22: the Candidates list showed the company's own companies,
        also those the user does not work in, beside the customers to win."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.res_partner_action_candidates"
        )
        Partner = self.env["res.partner"]
        own = (self.env.company | self.company_b).partner_id.with_env(self.env)
        # a company the user does not work in, readable like any company
        self.assertEqual(Partner.search([("id", "in", own.ids)]), own)
        candidates = Partner.search(safe_eval(action["domain"]))
        self.assertIn(self.candidate, candidates)
        self.assertFalse(candidates & own)
        self.assertEqual(own.mapped("kam_own_company"), [True, True])
        self.assertFalse(self.candidate.kam_own_company)
