from psycopg2 import IntegrityError

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import KamCommon


class TestSelectionScore(KamCommon):
    def _score(self, partner, criterion, score):
        return self.env["kam.selection.score"].create(
            {"partner_id": partner.id, "criterion_id": criterion.id, "score": score}
        )

    def test_weighted_mean_times_ten(self):
        self._score(self.candidate, self.criterion_revenue, 8)  # weight 3
        self._score(self.candidate, self.criterion_fit, 4)  # weight 1
        # (8 * 3 + 4 * 1) / 4 = 7
        self.assertAlmostEqual(self.candidate.kam_selection_score, 70.0)

    def test_only_scored_criteria_count(self):
        self._score(self.candidate, self.criterion_fit, 6)
        self.assertAlmostEqual(self.candidate.kam_selection_score, 60.0)

    def test_unscored_account_has_zero(self):
        self.assertEqual(self.candidate.kam_selection_score, 0.0)

    def test_archived_criterion_no_longer_counts(self):
        self._score(self.candidate, self.criterion_revenue, 8)
        self._score(self.candidate, self.criterion_fit, 4)
        self.criterion_fit.action_archive()
        self.assertAlmostEqual(self.candidate.kam_selection_score, 80.0)

    def test_weight_change_recomputes(self):
        self._score(self.candidate, self.criterion_revenue, 8)
        self._score(self.candidate, self.criterion_fit, 4)
        self.criterion_fit.weight = 3
        # (8 * 3 + 4 * 3) / 6 = 6
        self.assertAlmostEqual(self.candidate.kam_selection_score, 60.0)

    def test_score_out_of_range_refused(self):
        line = self._score(self.candidate, self.criterion_revenue, 5)
        # 0 is "not scored" (tests/test_selection_scoring.py)
        for bad in (-1, 11):
            with (
                self.subTest(score=bad),
                self.assertRefused(ValidationError, "between 1 and 10"),
            ):
                line.score = bad
        self.assertEqual(line.score, 5)
        with self.assertRefused(ValidationError):
            self._score(self.candidate, self.criterion_fit, 11)
        self.assertAlmostEqual(self.candidate.kam_selection_score, 50.0)

    def test_weight_must_be_positive(self):
        for bad in (0, -2):
            with (
                self.subTest(weight=bad),
                self.assertRefused(ValidationError, "greater than zero"),
            ):
                self.criterion_fit.weight = bad
        self.assertEqual(self.criterion_fit.weight, 1)

    def test_second_score_on_same_criterion_refused(self):
        self._score(self.candidate, self.criterion_revenue, 5)
        with mute_logger("odoo.sql_db"), self.assertRefused(IntegrityError):
            self._score(self.candidate, self.criterion_revenue, 9)
        self.assertEqual(len(self.candidate.kam_selection_score_ids), 1)
        self.assertAlmostEqual(self.candidate.kam_selection_score, 50.0)

    def test_shipped_criteria(self):
        codes = (
            "revenue_potential",
            "product_fit",
            "creditworthiness",
            "existing_relationships",
            "channel_partner_potential",
            "cultural_fit",
            "geographic_alignment",
            "buying_process",
        )
        criteria = self.env["kam.selection.criterion"].browse(
            self.env.ref(f"kam_management.kam_criterion_{code}").id for code in codes
        )
        self.assertTrue(all(criterion.weight > 0 for criterion in criteria))
        self.assertTrue(3 <= len(criteria.filtered("active")) <= 5)
