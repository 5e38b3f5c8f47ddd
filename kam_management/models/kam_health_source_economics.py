# pylint: disable=consider-merging-classes-inherited
# (one class per data source of the health engine, on purpose)
from odoo import api, models
from odoo.tools import LazyTranslate

from ..tools.formats import kam_number, kam_plural
from .kam_health_engine import HealthFactorDefinition

_lt = LazyTranslate(__name__)

# Margin erosion: the margin percent of the last 12 months fell by more than this
# many points against the 12 months before.
MARGIN_EROSION_POINTS = 3.0
# Points of the score per point of margin gained or lost, and their bounds.
SCORE_BASE, SCORE_PER_POINT, SCORE_LOSS_MAX, SCORE_GAIN_MAX = 70.0, 5.0, 60.0, 30.0
# Points lost when the account costs more to serve than its margin brings.
NEGATIVE_CONTRIBUTION_PENALTY = 30.0


class KamHealthEngine(models.AbstractModel):
    """Economics factor (DESIGN §14): the margin the account leaves and its
    trend, and whether it pays for the cost of serving it. Data only where a
    bridge knows the cost of what was sold (Invoicing, Sales Margin)."""

    _inherit = "kam.health.engine"

    @api.model
    def _kam_health_factor_registry(self):
        registry = super()._kam_health_factor_registry()
        registry["economics"] = HealthFactorDefinition(
            self.env._("Economics"),
            self._kam_health_fetch_economics,
            self._kam_health_score_economics,
        )
        return registry

    @api.model
    def _kam_health_fetch_economics(self, partner_ids, today):
        return self.env["kam.account.economics"]._kam_economics(partner_ids, today)

    def _kam_health_score_economics(self, account, data, batch):
        """70 for a steady margin, 5 points per point of margin gained (up to
        +30) or lost (up to -60) against the 12 months before, 30 less when the
        contribution (margin less cost to serve) is negative. The evidence says
        "margin erodes" past MARGIN_EROSION_POINTS lost."""
        if not data or not data["has_margin"]:
            return self._kam_health_no_data("no_margin")
        current = data["margin_percent"]
        previous = data["margin_percent_previous"]
        change = current - previous if previous is not None else None
        score = SCORE_BASE
        if change is not None:
            score += max(-SCORE_LOSS_MAX, min(SCORE_GAIN_MAX, SCORE_PER_POINT * change))
        if data["contribution"] < 0:
            score -= NEGATIVE_CONTRIBUTION_PENALTY
        eroding = change is not None and change < -MARGIN_EROSION_POINTS
        return score, (
            "margin_erosion" if eroding else "margin",
            {
                "percent": round(current, 1),
                "previous": None if previous is None else round(previous, 1),
                "margin": data["margin"],
                "cost_to_serve": data["cost_to_serve"],
                "contribution": data["contribution"],
                "currency_id": self._kam_health_currency_id(batch),
            },
        )

    @api.model
    def _kam_health_evidence_renderers(self):
        renderers = super()._kam_health_evidence_renderers()
        renderers.update(
            margin=lambda values, fmt: self._kam_health_render_margin(
                values, fmt, eroding=False
            ),
            margin_erosion=lambda values, fmt: self._kam_health_render_margin(
                values, fmt, eroding=True
            ),
        )
        renderers["no_margin"] = lambda values, fmt: self.env._(
            "no cost known for what the account bought in 12 months"
        )
        return renderers

    def _kam_health_render_margin(self, values, fmt, eroding):
        currency_id = values["currency_id"]
        amounts = {
            key: fmt.amount(values[key], currency_id)
            for key in ("margin", "cost_to_serve", "contribution")
        }
        percent = kam_number(self.env, values["percent"])
        if values["previous"] is None:
            margin = self.env._(
                "margin %(percent)s%% (%(margin)s) in 12 months",
                percent=percent,
                margin=amounts["margin"],
            )
        else:
            change = round(values["percent"] - values["previous"], 1)
            points = kam_plural(
                self.env, abs(change), _lt("%(count)s point"), _lt("%(count)s points")
            )
            parts = {"percent": percent, "margin": amounts["margin"], "points": points}
            if eroding:
                margin = self.env._(
                    "margin erodes: %(percent)s%% (%(margin)s) in 12 months, "
                    "%(points)s down on the 12 before",
                    **parts,
                )
            elif change < 0:
                margin = self.env._(
                    "margin %(percent)s%% (%(margin)s) in 12 months, %(points)s down "
                    "on the 12 before",
                    **parts,
                )
            else:
                margin = self.env._(
                    "margin %(percent)s%% (%(margin)s) in 12 months, %(points)s up on "
                    "the 12 before",
                    **parts,
                )
        return self.env._(
            "%(margin)s; contribution %(contribution)s after %(cost)s cost to serve",
            margin=margin,
            contribution=amounts["contribution"],
            cost=amounts["cost_to_serve"],
        )
