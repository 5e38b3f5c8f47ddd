# pylint: disable=consider-merging-classes-inherited
# (one class per data source of the health engine, on purpose)
from datetime import datetime, time, timedelta

from odoo import api, models
from odoo.tools import SQL, LazyTranslate

from ..tools.formats import kam_plural
from .kam_health_engine import HealthFactorDefinition
from .res_partner import KAM_STRATEGIES

_lt = LazyTranslate(__name__)


class KamHealthEngine(models.AbstractModel):
    """Engagement factor: interactions with the account in the last 90 days."""

    _inherit = "kam.health.engine"

    @api.model
    def _kam_health_factor_registry(self):
        registry = super()._kam_health_factor_registry()
        registry["engagement"] = HealthFactorDefinition(
            self.env._("Engagement"),
            self._kam_health_fetch_engagement,
            self._kam_health_score_engagement,
        )
        return registry

    @api.model
    def _kam_health_evidence_renderers(self):
        renderers = super()._kam_health_evidence_renderers()
        renderers["engagement"] = self._kam_health_render_engagement
        renderers["no_interaction"] = lambda values, fmt: self.env._(
            "no interaction recorded"
        )
        return renderers

    @api.model
    def _kam_health_company_settings(self, company):
        settings = super()._kam_health_company_settings(company)
        settings["engagement_cadence"] = {
            strategy: company._kam_engagement_cadence(strategy)
            for strategy in [None, *dict(KAM_STRATEGIES)]
        }
        return settings

    @api.model
    def _kam_health_fetch_engagement(self, partner_ids, today):
        """Interactions (``kam.interaction``) with the account: count of each
        kind in 90 days (a message once, whoever of the account it is with;
        meetings once per start) and last date."""
        now = datetime.combine(today, time.max)
        since = datetime.combine(today - timedelta(days=90), time.min)
        recent = SQL("i.date >= %s", since)
        self.env.cr.execute(
            SQL(
                """
                SELECT i.account_id,
                       count(DISTINCT i.message_id)
                           FILTER (WHERE kind = 'message' AND %(recent)s),
                       count(DISTINCT i.message_id)
                           FILTER (WHERE kind = 'activity' AND %(recent)s),
                       count(DISTINCT i.date)
                           FILTER (WHERE kind = 'meeting' AND %(recent)s),
                       max(i.date)
                  FROM (%(interactions)s) i
                 WHERE i.date <= %(now)s
              GROUP BY i.account_id
                """,
                recent=recent,
                # ANY(ARRAY(...)) makes PostgreSQL use the (model, res_id) index
                # instead of scanning every message of the database
                interactions=self.env["kam.interaction"]._kam_query(
                    SQL(
                        "ARRAY(SELECT id FROM res_partner "
                        "WHERE kam_account_id = ANY(%s))",
                        partner_ids,
                    )
                ),
                now=now,
            )
        )
        return {
            row[0]: {
                "messages": row[1],
                "activities": row[2],
                "meetings": row[3],
                "last": row[4],
            }
            for row in self.env.cr.fetchall()
        }

    def _kam_health_score_engagement(self, account, data, batch):
        """70 points for the interactions against the cadence of the account's
        strategy (company setting), 30 for a last one in the week, less after."""
        if not data or not data["last"]:
            return self._kam_health_no_data("no_interaction")
        count = data["messages"] + data["activities"] + data["meetings"]
        cadences = account["settings"]["engagement_cadence"]
        cadence = cadences.get(account["kam_strategy"], cadences[None])
        days = max(0, (batch["today"] - data["last"].date()).days)
        recency = 1.0 if days <= 7 else max(0.0, 1 - (days - 7) / 83)
        score = 70 * min(1.0, count / cadence) + 30 * recency
        return score, (
            "engagement",
            {
                "count": count,
                "messages": data["messages"],
                "activities": data["activities"],
                "meetings": data["meetings"],
                "cadence": cadence,
                "days": days,
            },
        )

    def _kam_health_render_engagement(self, values, fmt):
        # each count apart: Babel extracts no translation nested in another's call
        env = self.env
        interactions = kam_plural(
            env,
            values["count"],
            _lt("%(count)s interaction"),
            _lt("%(count)s interactions"),
        )
        messages = kam_plural(
            env, values["messages"], _lt("%(count)s message"), _lt("%(count)s messages")
        )
        activities = kam_plural(
            env,
            values["activities"],
            _lt("%(count)s activity"),
            _lt("%(count)s activities"),
        )
        meetings = kam_plural(
            env, values["meetings"], _lt("%(count)s meeting"), _lt("%(count)s meetings")
        )
        days = (
            env._("today")
            if not values["days"]
            else kam_plural(
                env, values["days"], _lt("%(count)s day ago"), _lt("%(count)s days ago")
            )
        )
        return env._(
            "%(interactions)s in 90 days (%(messages)s, %(activities)s, "
            "%(meetings)s; %(cadence)s expected), last %(days)s",
            interactions=interactions,
            messages=messages,
            activities=activities,
            meetings=meetings,
            cadence=values["cadence"],
            days=days,
        )
