# pylint: disable=consider-merging-classes-inherited
# (one class per data source of the health engine, on purpose)
from odoo import api, models
from odoo.tools import LazyTranslate
from odoo.tools.i18n import format_list

from ..tools.formats import kam_plural
from .kam_health_engine import HealthFactorDefinition

_lt = LazyTranslate(__name__)


class KamHealthEngine(models.AbstractModel):
    """Financial and growth factors: revenue and pipeline of the account, read
    once per batch from kam.account.revenue."""

    _inherit = "kam.health.engine"

    @api.model
    def _kam_health_factor_registry(self):
        registry = super()._kam_health_factor_registry()
        registry["financial"] = HealthFactorDefinition(
            self.env._("Financial"),
            self._kam_health_fetch_revenue,
            self._kam_health_score_financial,
        )
        registry["growth"] = HealthFactorDefinition(
            self.env._("Growth"),
            self._kam_health_fetch_revenue,
            self._kam_health_score_growth,
        )
        return registry

    @api.model
    def _kam_health_company_settings(self, company):
        settings = super()._kam_health_company_settings(company)
        settings["growth_target"] = company.kam_growth_target_percent / 100
        return settings

    @api.model
    def _kam_health_fetch_revenue(self, partner_ids, today):
        return self.env["kam.account.revenue"]._kam_revenue_summary(partner_ids, today)

    @api.model
    def _kam_health_store_sources(self, partner_ids, today, sources):
        # the stored revenue figures of the accounts are refreshed with their
        # health, from the revenue the factors read (read here when no factor did)
        result = super()._kam_health_store_sources(partner_ids, today, sources)
        summary = sources.get(self._kam_health_fetch_revenue)
        if summary is None:
            summary = self._kam_health_fetch_revenue(partner_ids, today)
        self.env["kam.account.revenue"]._kam_store_revenue_figures(
            partner_ids, today, summary
        )
        return result

    @api.model
    def _kam_health_evidence_renderers(self):
        renderers = super()._kam_health_evidence_renderers()
        renderers.update(
            revenue_change=self._kam_health_render_revenue_change,
            revenue_new=self._kam_health_render_revenue_new,
            revenue_none=self._kam_health_render_revenue_none,
            growth=self._kam_health_render_growth,
        )
        renderers["no_revenue"] = lambda values, fmt: self.env._(
            "no revenue in the last 24 months"
        )
        renderers["no_pipeline"] = lambda values, fmt: self.env._(
            "no open opportunity and no revenue in 12 months"
        )
        return renderers

    def _kam_health_revenue_origin(self, origin):
        """The sources of the revenue in the reader's language, best first
        ("posted invoices and confirmed sales"); ``origin`` is a list of
        sources, or one source in the evidence of older snapshots."""
        labels = {
            "invoices": self.env._("posted invoices"),
            "sales": self.env._("confirmed sales"),
            "opportunities": self.env._("won opportunities"),
        }
        sources = [origin] if isinstance(origin, str) else origin
        return format_list(
            self.env, [label for key, label in labels.items() if key in sources]
        )

    def _kam_health_currency_id(self, batch):
        """The currency of the amounts (kam.account.revenue's figures are in the
        company's), stored with them: read once per batch."""
        cache = batch["cache"]
        if "currency_id" not in cache:
            cache["currency_id"] = self.env.company.currency_id.id
        return cache["currency_id"]

    def _kam_health_score_financial(self, account, data, batch):
        """50 for a flat revenue, plus or minus the change in points, less up to
        30 points for the overdue invoices (against a quarter of the revenue)."""
        if (
            not data
            or not data["sources"]
            or not (data["current"] or data["previous"] or data["overdue"])
        ):
            return self._kam_health_no_data("no_revenue")
        current, previous = data["current"], data["previous"]
        values = {
            "origin": data["sources"],
            "current": current,
            "previous": previous,
            "currency_id": self._kam_health_currency_id(batch),
        }
        if previous > 0:
            change = (current - previous) / previous
            score, code = 50 + 100 * change, "revenue_change"
            values["change"] = round(change * 100)
        elif current > 0:
            score, code = 75.0, "revenue_new"
        else:
            score, code = 0.0, "revenue_none"
        if data["overdue"] > 0:
            base = current / 4 if current > 0 else 0.0
            penalty = 30 * min(1.0, data["overdue"] / base) if base else 30.0
            score -= penalty
            values.update(overdue=data["overdue"], penalty=round(penalty))
        return score, (code, values)

    def _kam_health_with_overdue(self, evidence, values, fmt):
        """``evidence`` followed by the overdue amount, when there is one."""
        if not values.get("overdue"):
            return evidence
        penalty = kam_plural(
            self.env,
            values["penalty"],
            _lt("-%(count)s point"),
            _lt("-%(count)s points"),
        )
        return self.env._(
            "%(evidence)s; %(overdue)s overdue (%(penalty)s)",
            evidence=evidence,
            overdue=fmt.amount(values["overdue"], values["currency_id"]),
            penalty=penalty,
        )

    def _kam_health_render_revenue_change(self, values, fmt):
        currency_id = values["currency_id"]
        # out of the call: the term extractor evaluates the strings of its arguments
        signed_change = f"{values['change']:+d}"
        evidence = self.env._(
            "revenue %(change)s%% over the previous 12 months (%(origin)s: "
            "%(current)s against %(previous)s)",
            change=signed_change,
            origin=self._kam_health_revenue_origin(values["origin"]),
            current=fmt.amount(values["current"], currency_id),
            previous=fmt.amount(values["previous"], currency_id),
        )
        return self._kam_health_with_overdue(evidence, values, fmt)

    def _kam_health_render_revenue_new(self, values, fmt):
        evidence = self.env._(
            "new revenue: %(current)s in 12 months, none the 12 before (%(origin)s)",
            current=fmt.amount(values["current"], values["currency_id"]),
            origin=self._kam_health_revenue_origin(values["origin"]),
        )
        return self._kam_health_with_overdue(evidence, values, fmt)

    def _kam_health_render_revenue_none(self, values, fmt):
        evidence = self.env._(
            "no revenue in the last 12 months (%(origin)s)",
            origin=self._kam_health_revenue_origin(values["origin"]),
        )
        return self._kam_health_with_overdue(evidence, values, fmt)

    def _kam_health_score_growth(self, account, data, batch):
        """Weighted open pipeline against the growth target (company setting, a
        share of the yearly revenue): on target scores 100."""
        revenue = data["current"] if data else 0.0
        if not data or not (data["open_count"] or revenue > 0):
            return self._kam_health_no_data("no_pipeline")
        if revenue > 0:
            target = account["settings"]["growth_target"] * revenue
            score = 100 * data["open_weighted"] / target
        else:
            score = 60.0 if data["open_weighted"] > 0 else 0.0
        return score, (
            "growth",
            {
                "count": data["open_count"],
                "amount": data["open_amount"],
                "weighted": data["open_weighted"],
                "revenue": revenue,
                "currency_id": self._kam_health_currency_id(batch),
            },
        )

    def _kam_health_render_growth(self, values, fmt):
        currency_id = values["currency_id"]
        amounts = {
            key: fmt.amount(values[key], currency_id)
            for key in ("amount", "weighted", "revenue")
        }
        return kam_plural(
            self.env,
            values["count"],
            _lt(
                "%(count)s open opportunity worth %(amount)s (weighted %(weighted)s) "
                "against %(revenue)s revenue in 12 months"
            ),
            _lt(
                "%(count)s open opportunities worth %(amount)s (weighted "
                "%(weighted)s) against %(revenue)s revenue in 12 months"
            ),
            **amounts,
        )
