# pylint: disable=consider-merging-classes-inherited
# (one class per data source of the health engine, on purpose)
from datetime import timedelta

from odoo import api, models
from odoo.tools import LazyTranslate

from ..tools.formats import kam_plural
from .kam_health_engine import HealthFactorDefinition

_lt = LazyTranslate(__name__)


class KamHealthEngine(models.AbstractModel):
    """Usage factor: the product or service usage readings (kam.usage.reading)."""

    _inherit = "kam.health.engine"

    @api.model
    def _kam_health_factor_registry(self):
        registry = super()._kam_health_factor_registry()
        registry["usage"] = HealthFactorDefinition(
            self.env._("Usage"),
            self._kam_health_fetch_usage,
            self._kam_health_score_usage,
        )
        return registry

    @api.model
    def _kam_health_fetch_usage(self, partner_ids, today):
        """Average, count and last date of the readings of the last 90 days."""
        # sudo: the health is computed from every reading, whoever runs it
        groups = (
            self.env["kam.usage.reading"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", partner_ids),
                    ("date", ">", today - timedelta(days=90)),
                    ("date", "<=", today),
                ],
                ["partner_id"],
                ["value:avg", "__count", "date:max"],
            )
        )
        return {
            partner.id: {"average": average, "count": count, "last": last}
            for partner, average, count, last in groups
        }

    @api.model
    def _kam_health_evidence_renderers(self):
        renderers = super()._kam_health_evidence_renderers()
        renderers["usage"] = self._kam_health_render_usage
        renderers["no_usage"] = lambda values, fmt: self.env._(
            "no usage readings in 90 days"
        )
        return renderers

    def _kam_health_score_usage(self, account, data, batch):
        if not data:
            return self._kam_health_no_data("no_usage")
        return data["average"], (
            "usage",
            {
                "average": round(data["average"]),
                "count": data["count"],
                "date": data["last"],
            },
        )

    def _kam_health_render_usage(self, values, fmt):
        return kam_plural(
            self.env,
            values["count"],
            _lt(
                "average usage %(average)s/100 over %(count)s reading in 90 days, "
                "last on %(date)s"
            ),
            _lt(
                "average usage %(average)s/100 over %(count)s readings in 90 days, "
                "last on %(date)s"
            ),
            average=values["average"],
            date=fmt.date(values["date"]),
        )
