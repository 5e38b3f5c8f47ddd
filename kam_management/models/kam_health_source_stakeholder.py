# pylint: disable=consider-merging-classes-inherited
# (one class per data source of the health engine, on purpose)
from odoo import api, models
from odoo.tools import LazyTranslate

from ..tools.formats import kam_plural
from .kam_health_engine import HealthFactorDefinition

_lt = LazyTranslate(__name__)


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

    @api.model
    def _kam_health_evidence_renderers(self):
        renderers = super()._kam_health_evidence_renderers()
        renderers["relationship"] = self._kam_health_render_relationship
        renderers["no_stakeholder"] = lambda values, fmt: self.env._(
            "no stakeholder mapped"
        )
        return renderers

    def _kam_health_score_relationship(self, account, data, batch):
        if not data or not data["count"]:
            return self._kam_health_no_data("no_stakeholder")
        score = (
            30 * data["decision_maker"]
            + 25 * data["champion"]
            + 20 * data["executive_sponsor"]
            + 25 * (not data["single_threaded"])
            - min(25, 5 * data["overdue"])
        )
        missing = [
            role
            for role in ("decision_maker", "champion", "executive_sponsor")
            if not data[role]
        ]
        return score, (
            "relationship",
            {
                "count": data["count"],
                "missing": missing,
                "overdue": data["overdue"],
                "single_threaded": bool(data["single_threaded"]),
            },
        )

    def _kam_health_render_relationship(self, values, fmt):
        labels = {
            "decision_maker": self.env._("decision maker"),
            "champion": self.env._("champion"),
            "executive_sponsor": self.env._("executive sponsor"),
        }
        missing = ", ".join(labels[role] for role in values["missing"])
        missing = missing or self.env._("none")
        evidence = kam_plural(
            self.env,
            values["count"],
            _lt(
                "%(count)s stakeholder, missing: %(missing)s, %(overdue)s overdue "
                "for contact"
            ),
            _lt(
                "%(count)s stakeholders, missing: %(missing)s, %(overdue)s overdue "
                "for contact"
            ),
            missing=missing,
            overdue=values["overdue"],
        )
        if values["single_threaded"]:
            evidence = self.env._("%(evidence)s, single-threaded", evidence=evidence)
        return evidence
