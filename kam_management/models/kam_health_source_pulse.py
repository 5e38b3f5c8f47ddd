# pylint: disable=consider-merging-classes-inherited
# (one class per data source of the health engine, on purpose)
from odoo import api, models

from .kam_health_engine import HealthFactorDefinition


class KamHealthEngine(models.AbstractModel):
    """KAM pulse factor: the Key Account Manager's own judgement, read from the
    account row (kam_pulse, kam_pulse_date), so without a query of its own."""

    _inherit = "kam.health.engine"

    @api.model
    def _kam_health_factor_registry(self):
        registry = super()._kam_health_factor_registry()
        registry["pulse"] = HealthFactorDefinition(
            self.env._("KAM Pulse"), None, self._kam_health_score_pulse
        )
        return registry

    @api.model
    def _kam_health_evidence_renderers(self):
        renderers = super()._kam_health_evidence_renderers()
        renderers["pulse"] = lambda values, fmt: self.env._(
            "KAM pulse %(pulse)s/5 on %(date)s",
            pulse=values["pulse"],
            date=fmt.date(values["date"]),
        )
        renderers["no_pulse"] = lambda values, fmt: self.env._("no KAM pulse recorded")
        renderers["pulse_outdated"] = lambda values, fmt: self.env._(
            "KAM pulse of %(date)s is older than 90 days",
            date=fmt.date(values["date"]),
        )
        return renderers

    def _kam_health_score_pulse(self, account, data, batch):
        """The pulse 1-5 as 0-100, ignored once older than 90 days."""
        pulse, date = account["kam_pulse"], account["kam_pulse_date"]
        if not pulse:
            return self._kam_health_no_data("no_pulse")
        if not date or (batch["today"] - date).days > 90:
            return self._kam_health_no_data("pulse_outdated", date=date)
        return (pulse - 1) * 25, ("pulse", {"pulse": pulse, "date": date})
