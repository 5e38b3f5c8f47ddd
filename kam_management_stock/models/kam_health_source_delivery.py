from datetime import datetime, time, timedelta

from odoo import api, models
from odoo.tools import SQL, LazyTranslate

from odoo.addons.kam_management.models.kam_health_engine import (
    HealthFactorDefinition,
)
from odoo.addons.kam_management.tools.formats import kam_plural

_lt = LazyTranslate(__name__)


def late_delivery(start_of_today):
    """SQL condition on the picking ``sp``: done after the day it was scheduled
    for, or still open past that day."""
    return SQL(
        "(sp.state = 'done' AND sp.date_done::date > sp.scheduled_date::date)"
        " OR (sp.state NOT IN ('done', 'cancel') AND sp.scheduled_date < %s)",
        start_of_today,
    )


class KamHealthEngine(models.AbstractModel):
    """Delivery factor: the deliveries to the account due in the last 90 days and
    how many of them were late, where Inventory is installed (a late delivery
    counts against the account's service)."""

    _inherit = "kam.health.engine"

    @api.model
    def _kam_health_factor_registry(self):
        registry = super()._kam_health_factor_registry()
        registry["delivery"] = HealthFactorDefinition(
            self.env._("Delivery Service"),
            self._kam_health_fetch_delivery,
            self._kam_health_score_delivery,
        )
        return registry

    @api.model
    def _kam_health_fetch_delivery(self, partner_ids, today):
        """``{account: {"count", "late"}}``: deliveries (not cancelled) to the
        account and its contacts scheduled in the last 90 days, and the late ones."""
        start_of_today = datetime.combine(today, time.min)
        self.env.cr.execute(
            SQL(
                """
                SELECT p.kam_account_id, count(*),
                       count(*) FILTER (WHERE %(late)s)
                  FROM stock_picking sp
                  JOIN stock_picking_type t ON t.id = sp.picking_type_id
                  JOIN res_partner p ON p.id = sp.partner_id
                 WHERE t.code = 'outgoing' AND sp.state != 'cancel'
                   AND sp.scheduled_date >= %(since)s
                   AND sp.scheduled_date < %(until)s
                   AND sp.partner_id = ANY(ARRAY(
                       SELECT id FROM res_partner
                        WHERE kam_account_id = ANY(%(ids)s)))
              GROUP BY p.kam_account_id
                """,
                late=late_delivery(start_of_today),
                since=start_of_today - timedelta(days=90),
                until=start_of_today + timedelta(days=1),
                ids=list(partner_ids),
            )
        )
        return {
            account: {"count": count, "late": late}
            for account, count, late in self.env.cr.fetchall()
        }

    @api.model
    def _kam_health_evidence_renderers(self):
        renderers = super()._kam_health_evidence_renderers()
        renderers["delivery"] = self._kam_health_render_delivery
        renderers["no_delivery"] = lambda values, fmt: self.env._(
            "no delivery due in 90 days"
        )
        return renderers

    def _kam_health_score_delivery(self, account, data, batch):
        if not data:
            return self._kam_health_no_data("no_delivery")
        score = 100 * (1 - data["late"] / data["count"])
        return score, ("delivery", dict(data))

    def _kam_health_render_delivery(self, values, fmt):
        return kam_plural(
            self.env,
            values["count"],
            _lt("%(count)s delivery due in 90 days, %(late)s late"),
            _lt("%(count)s deliveries due in 90 days, %(late)s late"),
            late=values["late"],
        )
