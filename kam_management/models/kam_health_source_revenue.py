# pylint: disable=consider-merging-classes-inherited
# (one class per data source of the health engine, on purpose)
from odoo import api, models
from odoo.tools import get_lang

from .kam_health_engine import HealthFactorDefinition


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

    def _kam_health_revenue_source_label(self, source):
        return {
            "invoices": self.env._("posted invoices"),
            "sales": self.env._("confirmed sales"),
            "opportunities": self.env._("won opportunities"),
        }[source]

    def _kam_health_amount(self, amount, batch):
        """Whole amount in the company currency, formatted for the language of the
        environment. ``format_amount`` costs a millisecond a call, too much for
        thousands of accounts: the format is resolved once per language."""
        cache = batch["cache"].setdefault("amount_formats", {})
        key = (self.env.lang, self.env.company.id)
        if key not in cache:
            lang = get_lang(self.env)
            currency = self.env.company.currency_id
            cache[key] = (
                lang.thousands_sep or "",
                currency.symbol or "",
                currency.position,
            )
        separator, symbol, position = cache[key]
        text = f"{amount:,.0f}".replace(",", separator)
        return (
            f"{symbol}\N{NO-BREAK SPACE}{text}"
            if position == "before"
            else (f"{text}\N{NO-BREAK SPACE}{symbol}")
        )

    def _kam_health_score_financial(self, account, data, batch):
        """50 for a flat revenue, plus or minus the change in points, less up to
        30 points for the overdue invoices (against a quarter of the revenue)."""
        if (
            not data
            or not data["source"]
            or not (data["current"] or data["previous"] or data["overdue"])
        ):
            return self._kam_health_no_data(
                self.env._("no revenue in the last 24 months")
            )
        score, evidence = self._kam_health_revenue_change(data, batch)
        if data["overdue"] > 0:
            current = data["current"]
            base = current / 4 if current > 0 else 0.0
            penalty = 30 * min(1.0, data["overdue"] / base) if base else 30.0
            score -= penalty
            evidence = self.env._(
                "%(evidence)s; %(overdue)s overdue (-%(penalty)s points)",
                evidence=evidence,
                overdue=self._kam_health_amount(data["overdue"], batch),
                penalty=round(penalty),
            )
        return score, evidence

    def _kam_health_revenue_change(self, data, batch):
        """Score and evidence of the revenue of 12 months against the 12 before."""
        label = self._kam_health_revenue_source_label(data["source"])
        current, previous = data["current"], data["previous"]
        if previous > 0:
            change = (current - previous) / previous
            return 50 + 100 * change, self.env._(
                "revenue %(change)s%% over the previous 12 months (%(origin)s: "
                "%(current)s against %(previous)s)",
                change=f"{change * 100:+.0f}",
                origin=label,
                current=self._kam_health_amount(current, batch),
                previous=self._kam_health_amount(previous, batch),
            )
        if current > 0:
            return 75.0, self.env._(
                "new revenue: %(current)s in 12 months, none the 12 before "
                "(%(origin)s)",
                current=self._kam_health_amount(current, batch),
                origin=label,
            )
        return 0.0, self.env._(
            "no revenue in the last 12 months (%(origin)s)", origin=label
        )

    def _kam_health_score_growth(self, account, data, batch):
        """Weighted open pipeline against the growth target (company setting, a
        share of the yearly revenue): on target scores 100."""
        revenue = data["current"] if data else 0.0
        if not data or not (data["open_count"] or revenue > 0):
            return self._kam_health_no_data(
                self.env._("no open opportunity and no revenue in 12 months")
            )
        if revenue > 0:
            target = account["settings"]["growth_target"] * revenue
            score = 100 * data["open_weighted"] / target
        else:
            score = 60.0 if data["open_weighted"] > 0 else 0.0
        evidence = self.env._(
            "%(count)s open opportunities worth %(amount)s (weighted %(weighted)s) "
            "against %(revenue)s revenue in 12 months",
            count=data["open_count"],
            amount=self._kam_health_amount(data["open_amount"], batch),
            weighted=self._kam_health_amount(data["open_weighted"], batch),
            revenue=self._kam_health_amount(revenue, batch),
        )
        return score, evidence
