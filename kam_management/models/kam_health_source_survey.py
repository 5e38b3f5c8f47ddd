# pylint: disable=consider-merging-classes-inherited
# (one class per data source of the health engine, on purpose)
from dateutil.relativedelta import relativedelta

from odoo import api, models

from .kam_health_engine import HealthFactorDefinition


class KamHealthEngine(models.AbstractModel):
    """Satisfaction factor: the NPS and CSAT answers (kam.satisfaction.survey)."""

    _inherit = "kam.health.engine"

    @api.model
    def _kam_health_factor_registry(self):
        registry = super()._kam_health_factor_registry()
        registry["satisfaction"] = HealthFactorDefinition(
            self.env._("Satisfaction"),
            self._kam_health_fetch_satisfaction,
            self._kam_health_score_satisfaction,
        )
        return registry

    @api.model
    def _kam_health_fetch_satisfaction(self, partner_ids, today):
        """Latest NPS and latest CSAT answer of the last 12 months:
        ``{partner_id: {kind: (score, date)}}``."""
        # sudo: the health is computed from every answer, whoever runs it; the
        # latest first, so the first of each account and kind is kept
        answers = (
            self.env["kam.satisfaction.survey"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", partner_ids),
                    ("date", ">", today - relativedelta(years=1)),
                    ("date", "<=", today),
                ],
                ["partner_id", "kind", "score", "date"],
                order="date desc, id desc",
            )
        )
        surveys = {}
        for answer in answers:
            kinds = surveys.setdefault(answer.partner_id.id, {})
            kinds.setdefault(answer.kind, (answer.score, answer.date))
        return surveys

    @api.model
    def _kam_health_evidence_renderers(self):
        renderers = super()._kam_health_evidence_renderers()
        renderers["satisfaction"] = self._kam_health_render_satisfaction
        renderers["no_survey"] = lambda values, fmt: self.env._(
            "no NPS or CSAT answer in 12 months"
        )
        return renderers

    def _kam_health_score_satisfaction(self, account, data, batch):
        """Mean of the latest NPS (0-10, times 10) and CSAT (1-5, 0 to 100)."""
        if not data:
            return self._kam_health_no_data("no_survey")
        scores = []
        if "nps" in data:
            scores.append(data["nps"][0] * 10)
        if "csat" in data:
            scores.append((data["csat"][0] - 1) * 25)
        # values: {kind: [score, date]} of the latest answers
        return sum(scores) / len(scores), ("satisfaction", data)

    def _kam_health_render_satisfaction(self, values, fmt):
        facts = []
        if "nps" in values:
            score, date = values["nps"]
            facts.append(
                self.env._(
                    "latest NPS %(score)s on %(date)s", score=score, date=fmt.date(date)
                )
            )
        if "csat" in values:
            score, date = values["csat"]
            facts.append(
                self.env._(
                    "latest CSAT %(score)s/5 on %(date)s",
                    score=score,
                    date=fmt.date(date),
                )
            )
        return "; ".join(facts)
