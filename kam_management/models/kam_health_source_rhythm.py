# pylint: disable=consider-merging-classes-inherited
# (one class per data source of the health engine, on purpose)
from odoo import api, models
from odoo.tools import LazyTranslate

from ..tools.formats import kam_plural
from .kam_health_engine import HealthFactorDefinition

_lt = LazyTranslate(__name__)

# Buying figures older than this say nothing of today: the weekly fit stopped
# (disabled, or failing since), and a stale probability never props up a score.
RHYTHM_MAX_AGE_DAYS = 30


class KamHealthEngine(models.AbstractModel):
    """Rhythm factor: the buying rhythm of the account (DESIGN §12), from the
    figures the last fit of the buying model stored on it, read once per batch
    (``res.partner._kam_buying_rhythm``)."""

    _inherit = "kam.health.engine"

    @api.model
    def _kam_health_factor_registry(self):
        registry = super()._kam_health_factor_registry()
        registry["rhythm"] = HealthFactorDefinition(
            self.env._("Buying Rhythm"),
            self._kam_health_fetch_rhythm,
            self._kam_health_score_rhythm,
        )
        return registry

    @api.model
    def _kam_health_fetch_rhythm(self, partner_ids, today):
        return self.env["res.partner"]._kam_buying_rhythm(partner_ids)

    @api.model
    def _kam_health_evidence_renderers(self):
        renderers = super()._kam_health_evidence_renderers()
        renderers["rhythm"] = self._kam_health_render_rhythm
        renderers["no_rhythm"] = lambda values, fmt: self.env._(
            "no buying figures (no purchase, or the buying model not fitted yet)"
        )
        renderers["rhythm_once"] = lambda values, fmt: self.env._(
            "bought on a single day so far, no rhythm yet"
        )
        renderers["rhythm_outdated"] = lambda values, fmt: self.env._(
            "buying figures of %(date)s are older than %(days)s days",
            date=fmt.date(values["date"]),
            days=RHYTHM_MAX_AGE_DAYS,
        )
        return renderers

    def _kam_health_score_rhythm(self, account, rhythm, batch):
        """100 times the probability that the account still buys (BG/NBD): the
        model already weighs the days since the last purchase against the
        account's own rhythm and its number of purchases. No score for an
        account with a single day of purchases, whom the model never takes for
        gone, nor from figures older than RHYTHM_MAX_AGE_DAYS."""
        if not rhythm or rhythm.p_active is None:
            return self._kam_health_no_data("no_rhythm")
        if (batch["today"] - rhythm.date).days > RHYTHM_MAX_AGE_DAYS:
            return self._kam_health_no_data("rhythm_outdated", date=rhythm.date)
        if not rhythm.interval_days:
            return self._kam_health_no_data("rhythm_once")
        return 100 * rhythm.p_active, (
            "rhythm",
            self._kam_rhythm_values(rhythm, batch["today"]),
        )

    @api.model
    def _kam_rhythm_values(self, rhythm, today):
        """The evidence values of a ``BuyingRhythm`` seen on ``today``; the
        days since the last purchase None when a fit of an older version left
        its day unknown."""
        last = rhythm.last_purchase
        return {
            "p_active": round(rhythm.p_active, 4),
            "interval": round(rhythm.interval_days or 0.0, 1),
            "last": last,
            "days": max(0, (today - last).days) if last else None,
            "date": rhythm.date,
        }

    def _kam_health_render_rhythm(self, values, fmt):
        # each count apart: Babel extracts no translation nested in another's call
        env = self.env
        every = kam_plural(
            env,
            max(1, round(values["interval"])),
            _lt("buys about every %(count)s day"),
            _lt("buys about every %(count)s days"),
        )
        percent = round(values["p_active"] * 100)
        if values["days"] is None:
            return env._(
                "%(every)s; %(percent)s%% likely still buying",
                every=every,
                percent=percent,
            )
        ago = (
            env._("today")
            if not values["days"]
            else kam_plural(
                env, values["days"], _lt("%(count)s day ago"), _lt("%(count)s days ago")
            )
        )
        return env._(
            "%(every)s; last purchase %(ago)s; %(percent)s%% likely still buying",
            every=every,
            ago=ago,
            percent=percent,
        )
