# pylint: disable=consider-merging-classes-inherited
# (one class per data source of the health engine, on purpose)
from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL

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
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id, kind) partner_id, kind, score, date
                  FROM kam_satisfaction_survey
                 WHERE partner_id = ANY(%s) AND date > %s AND date <= %s
              ORDER BY partner_id, kind, date DESC, id DESC
                """,
                partner_ids,
                today - relativedelta(years=1),
                today,
            )
        )
        surveys = {}
        for partner_id, kind, score, date in self.env.cr.fetchall():
            surveys.setdefault(partner_id, {})[kind] = (score, date)
        return surveys

    def _kam_health_score_satisfaction(self, account, data, batch):
        """Mean of the latest NPS (0-10, times 10) and CSAT (1-5, 0 to 100)."""
        if not data:
            return self._kam_health_no_data(
                self.env._("no NPS or CSAT answer in 12 months")
            )
        scores, facts = [], []
        if "nps" in data:
            value, date = data["nps"]
            scores.append(value * 10)
            facts.append(
                self.env._("latest NPS %(score)s on %(date)s", score=value, date=date)
            )
        if "csat" in data:
            value, date = data["csat"]
            scores.append((value - 1) * 25)
            facts.append(
                self.env._(
                    "latest CSAT %(score)s/5 on %(date)s", score=value, date=date
                )
            )
        return sum(scores) / len(scores), "; ".join(facts)
