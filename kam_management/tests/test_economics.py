from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KamCommon


@tagged("post_install", "-at_install")
class TestEconomicsCore(KamCommon):
    """Issue 26 with the revenue of won opportunities only (no cost known):
    the account P&L has the programme cost of the plans and no margin, the
    economics factor has no data; the candidates are judged on their revenue
    and interactions. ``candidate`` won 5,000 30 days ago and has one person
    known there."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        cls.env["kam.account.plan"].create(
            {
                "name": "Plan",
                "partner_id": cls.account.id,
                "date_start": cls.today - timedelta(days=99),
                "date_end": cls.today + timedelta(days=100),
                "budget": 2000.0,
                "state": "active",
            }
        )
        cls.env["res.partner"].create(
            {"name": "Carl Candidate", "parent_id": cls.candidate.id}
        )
        lead = cls.env["crm.lead"].create(
            {
                "name": "Deal",
                "type": "opportunity",
                "partner_id": cls.candidate.id,
                "expected_revenue": 5000,
            }
        )
        lead.action_set_won()
        lead.date_closed = cls.today - timedelta(days=30)
        Criterion = cls.env["kam.selection.criterion"]
        cls.potential = Criterion.create(
            {"name": "Potential", "data_source": "revenue_potential"}
        )
        cls.relations = Criterion.create(
            {"name": "Relations", "data_source": "relationships"}
        )

    def test_account_pl_without_cost(self):
        account = self.account.with_user(self.user_kam)
        # 100 of the plan's 200 days in the last 12 months
        self.assertAlmostEqual(account.kam_programme_cost_12m, 1000.0)
        self.assertAlmostEqual(account.kam_cost_to_serve_12m, 1000.0)
        self.assertAlmostEqual(account.kam_contribution_12m, -1000.0)
        self.assertFalse(account.kam_has_margin)
        self.assertEqual(
            account.kam_payback_reason,
            "no margin data: no cost known for what it bought",
        )

    def test_economics_factor_without_cost(self):
        engine = self.env["kam.health.engine"]
        engine._kam_health_run(self.account.ids)
        self.env.invalidate_all()
        line = self.account.kam_health_line_ids.filtered(
            lambda line: line.factor_id.code == "economics"
        )
        self.assertFalse(line.has_data)
        self.assertEqual(
            line.evidence,
            "no data: no cost known for what the account bought in 12 months",
        )

    def test_candidate_suggestions(self):
        candidate = self.candidate.with_user(self.user_kam)
        self.assertAlmostEqual(candidate.kam_candidate_revenue_12m, 5000)
        candidate.action_kam_suggest_scores()
        lines = candidate.kam_selection_score_ids
        potential = lines.filtered(lambda line: line.criterion_id == self.potential)
        self.assertTrue(1 <= potential.suggested_score <= 10)
        self.assertIn("5,000.00 in 12 months: top", potential.suggested_reason)
        relations = lines.filtered(lambda line: line.criterion_id == self.relations)
        # 1 + no interaction + 1 person known
        self.assertEqual(relations.suggested_score, 2)
        self.assertEqual(relations.score, 0, "nothing is scored unseen")
        relations.action_accept_suggestion()
        self.assertEqual(relations.score, 2)
        # the criteria without a data source get no line
        self.assertFalse(lines.filtered(lambda line: not line.criterion_id.data_source))

    def test_salesman_refused(self):
        with self.assertRaises(AccessError):
            self.candidate.with_user(self.user_sales).action_kam_suggest_scores()
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_sales).read(["kam_contribution_12m"])

    def test_scheduled_suggestions_per_company(self):
        """The weekly run judges a candidate of another company on that
        company's documents: the candidate's deal in company A is not its
        revenue there, so it gets no revenue-potential suggestion."""
        company_b = self.env["res.company"].create({"name": "KAM Elsewhere"})
        self.candidate.company_id = company_b
        self.env["res.partner"]._cron_kam_suggest_scores()
        lines = self.candidate.kam_selection_score_ids
        potential = lines.filtered(lambda line: line.criterion_id == self.potential)
        self.assertFalse(potential.suggested_score, "no revenue in company B")
        relations = lines.filtered(lambda line: line.criterion_id == self.relations)
        self.assertEqual(relations.suggested_score, 2, "its people are known there")

    def test_suggestions_are_not_typed_in(self):
        """A suggestion comes from the data: a KAM user may accept it or type a
        score, not write a suggestion of his own (nor a reason that would break
        the pages that show it)."""
        candidate = self.candidate.with_user(self.user_kam)
        candidate.action_kam_suggest_scores()
        line = candidate.kam_selection_score_ids.filtered(
            lambda line: line.criterion_id == self.relations
        )
        with self.assertRefused(AccessError, "come from the data"):
            line.write({"suggested_evidence": {"code": "relationships", "values": {}}})
        with self.assertRefused(AccessError, "come from the data"):
            line.create(
                {
                    "partner_id": self.candidate.id,
                    "criterion_id": self.criterion_fit.id,
                    "suggested_score": 10,
                }
            )
        line.score = 7
        self.assertEqual((line.score, line.suggested_score), (7, 2))
