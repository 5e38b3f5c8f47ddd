# pylint: disable=consider-merging-classes-inherited
# (one class per data source of the health engine, on purpose)
from odoo import api, models

from .kam_health_engine import HealthFactorDefinition


class KamHealthEngine(models.AbstractModel):
    """Relationship factor: the stakeholder coverage (DESIGN section 3), the same
    figures as the coverage fields of the partner (kam.stakeholder._kam_coverage)."""

    _inherit = "kam.health.engine"

    @api.model
    def _kam_health_factor_registry(self):
        registry = super()._kam_health_factor_registry()
        registry["relationship"] = HealthFactorDefinition(
            self.env._("Relationship"),
            self._kam_health_fetch_relationship,
            self._kam_health_score_relationship,
        )
        return registry

    @api.model
    def _kam_health_fetch_relationship(self, partner_ids, today):
        return self.env["kam.stakeholder"]._kam_coverage(partner_ids)

    def _kam_health_score_relationship(self, account, data, batch):
        if not data or not data["count"]:
            return self._kam_health_no_data(self.env._("no stakeholder mapped"))
        score = (
            30 * data["decision_maker"]
            + 25 * data["champion"]
            + 20 * data["executive_sponsor"]
            + 25 * (not data["single_threaded"])
            - min(25, 5 * data["overdue"])
        )
        missing = [
            label
            for present, label in (
                (data["decision_maker"], self.env._("decision maker")),
                (data["champion"], self.env._("champion")),
                (data["executive_sponsor"], self.env._("executive sponsor")),
            )
            if not present
        ]
        evidence = self.env._(
            "%(count)s stakeholders, missing: %(missing)s, %(overdue)s overdue "
            "for contact",
            count=data["count"],
            missing=", ".join(missing) or self.env._("none"),
            overdue=data["overdue"],
        )
        if data["single_threaded"]:
            evidence = self.env._("%(evidence)s, single-threaded", evidence=evidence)
        return score, evidence
