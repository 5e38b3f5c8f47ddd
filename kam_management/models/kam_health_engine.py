import json
from collections import namedtuple

from odoo import api, models
from odoo.tools import SQL, get_lang
from odoo.tools.misc import format_amount, format_date, formatLang

from ..tools import run_in_batches
from .res_partner import KAM_HEALTH_FIELDS

# Advisory lock serialising the batches of concurrent runs (cron, button, action).
HEALTH_LOCK_KEY = 7_311_402_001
BATCH_SIZE = 1000

# A kam.health.factor row, as plain values: reading record fields 7 times per
# account costs more than the queries of the batch.
HealthFactor = namedtuple("HealthFactor", "id code weight sequence")
# What the engine knows of a factor code (see _kam_health_factor_registry).
HealthFactorDefinition = namedtuple("HealthFactorDefinition", "label fetch score")


def _pg_array_text(value):
    """Quote ``value`` as an element of a PostgreSQL array literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# JSON text of evidence values, dates as ISO strings (one encoder: json.dumps with
# options builds one a call)
_pg_json = json.JSONEncoder(default=str, separators=(",", ":")).encode


def _pg_array(values):
    """PostgreSQL array literal of numbers or NULLs, e.g. '{1,NULL,3}'."""
    return "{" + ",".join("NULL" if v is None else str(v) for v in values) + "}"


class HealthEvidenceFormat:
    """Formats the values of evidence sentences for the language of ``env``: one
    instance per rendering of many lines, so that the language and each currency
    are read once, not per line."""

    def __init__(self, env):
        self.env = env
        self._lang_code = get_lang(env).code
        self._currencies = {}

    def date(self, value):
        """``value`` (a date or its ISO string) in the language's date format."""
        return format_date(self.env, value, lang_code=self._lang_code)

    def amount(self, amount, currency_id):
        """``amount`` as Odoo writes it in the currency ``currency_id`` (its
        decimals and symbol, the language's separators and grouping)."""
        if currency_id not in self._currencies:
            self._currencies[currency_id] = (
                self.env["res.currency"].browse(currency_id).exists()
            )
        currency = self._currencies[currency_id]
        if not currency:
            return formatLang(self.env, amount, digits=0)
        return format_amount(self.env, amount, currency, lang_code=self._lang_code)


class KamHealthEngine(models.AbstractModel):
    """Computes the health of key accounts (DESIGN section 2) by batches and
    stores it in kam.health.snapshot and on the partner. The factors come from
    ``_kam_health_factor_registry``, filled by the kam_health_source_* files."""

    _name = "kam.health.engine"
    _description = "Key Account Health Engine"

    # ------------------------------------------------------------
    # Factor registry
    # ------------------------------------------------------------
    @api.model
    def _kam_health_factor_registry(self):
        """The factors the engine can compute: ``{code: HealthFactorDefinition}``.

        - ``label``: translated name, the choices of ``kam.health.factor.code``;
        - ``fetch(partner_ids, today)``: ``{partner_id: data}`` for a batch, called
          once per batch even when several factors share it; None when the factor
          scores from the account row alone (see ``_kam_health_fetch_accounts``);
        - ``score(account, data, batch)``: ``(score 0-100, evidence)`` of one
          account, score None when there is no data; the evidence is data, a
          ``(code, values)`` pair that ``_kam_health_evidence_renderers`` turns
          into a sentence in the reader's language when the line is read. ``data`` is the fetched value
          of the account (None if absent), ``batch`` has ``today`` and a ``cache``
          dict shared by the accounts of the batch.

        Add or refine a factor by overriding this method and extending the result
        of ``super()``.
        """
        return {}

    # ------------------------------------------------------------
    # Cron entry point and run
    # ------------------------------------------------------------
    @api.model
    def _cron_kam_compute_health(self):
        self._kam_health_run()

    @api.model
    def _kam_health_run(self, partner_ids=None, batch_size=BATCH_SIZE):
        """Recompute the health of ``partner_ids`` (all active key accounts by
        default) in batches, committing after each batch outside tests. A batch
        that fails is retried account by account so that one bad account does not
        cost the others. Returns the ids of the accounts that failed."""
        if partner_ids is None:
            partner_ids = (
                self.env["res.partner"]
                .sudo()
                .search([("is_key_account", "=", True)], order="id")
                .ids
            )
        today = self.env.company._kam_today()
        return run_in_batches(
            self.env,
            partner_ids,
            lambda ids: self._kam_health_compute_batch(ids, today),
            batch_size,
            "Health computation",
        )

    # ------------------------------------------------------------
    # One batch: one query per data source, then store
    # ------------------------------------------------------------
    @api.model
    def _kam_health_compute_batch(self, partner_ids, today):
        cr = self.env.cr
        self.env.flush_all()  # the sources are read with SQL
        cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", HEALTH_LOCK_KEY))
        cr.execute(SQL("SET LOCAL jit = off"))
        results, sources = self._kam_health_gather(partner_ids, today)
        self._kam_health_store(results, today)
        self._kam_health_store_sources(partner_ids, today, sources)

    @api.model
    def _kam_health_store_sources(self, partner_ids, today, sources):
        """Store what the data sources read (``{fetch: {partner_id: data}}``)
        beside the health, when a source keeps figures of its own: the revenue
        source stores the revenue figures of the accounts."""

    @api.model
    def _kam_health_gather(self, partner_ids, today):
        """Return ``({partner_id: {'score', 'band', 'trend', 'lines'}}, sources)``
        where lines are ``(factor, score or None, weight share, evidence)`` and
        sources what the data sources read (``{fetch: {partner_id: data}}``)."""
        factors = self._kam_health_active_factors()
        accounts = self._kam_health_fetch_accounts(partner_ids)
        settings = self._kam_health_settings_by_company(accounts)
        for account in accounts.values():
            account["settings"] = settings.get(account["company_id"], settings[None])
        sources = self._kam_health_fetch_sources(factors, partner_ids, today)
        previous = self.env["kam.health.snapshot"]._kam_health_fetch_previous_scores(
            partner_ids, today
        )
        batch = {"today": today, "cache": {}}
        results = {
            partner_id: self._kam_health_score_account(
                account, factors, sources, batch, previous
            )
            for partner_id, account in accounts.items()
        }
        return results, sources

    @api.model
    def _kam_health_active_factors(self):
        """``[(HealthFactor, HealthFactorDefinition)]`` of the active factors with
        a weight, in their order; a code no installed module defines is skipped."""
        registry = self._kam_health_factor_registry()
        return [
            (
                HealthFactor(factor.id, factor.code, factor.weight, factor.sequence),
                registry[factor.code],
            )
            for factor in self.env["kam.health.factor"]
            .sudo()
            .search_fetch([("weight", ">", 0)], ["code", "weight", "sequence"])
            if factor.code in registry
        ]

    @api.model
    def _kam_health_fetch_sources(self, factors, partner_ids, today):
        """``{fetch: {partner_id: data}}``: each data source read once."""
        sources = {}
        for _factor, definition in factors:
            fetch = definition.fetch
            if fetch is not None and fetch not in sources:
                sources[fetch] = fetch(partner_ids, today)
        return sources

    @api.model
    def _kam_health_fetch_accounts(self, partner_ids):
        """The account rows the factors score from: ``{partner_id: {field:
        value}}``, a company None when the account has none."""
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("id", "in", partner_ids)],
                ["company_id", "kam_strategy", "kam_pulse", "kam_pulse_date"],
            )
        )
        return {
            partner.id: {
                "id": partner.id,
                "company_id": partner.company_id.id or None,
                "kam_strategy": partner.kam_strategy,
                "kam_pulse": partner.kam_pulse,
                "kam_pulse_date": partner.kam_pulse_date,
            }
            for partner in partners
        }

    @api.model
    def _kam_health_settings_by_company(self, accounts):
        """``{company_id: settings}`` for the companies of ``accounts``, read once
        per batch; key None is the current company, for accounts without one."""
        company_ids = {account["company_id"] for account in accounts.values()}
        companies = (
            self.env["res.company"].sudo().browse(company_ids - {None})
            | self.env.company.sudo()
        )
        settings = {
            company.id: self._kam_health_company_settings(company)
            for company in companies
        }
        settings[None] = settings[self.env.company.id]
        return settings

    @api.model
    def _kam_health_company_settings(self, company):
        """Settings of ``company`` the scoring needs, as plain values; the source
        files add theirs."""
        return {
            "red_below": company.kam_health_red_below,
            "green_from": company.kam_health_green_from,
        }

    # ------------------------------------------------------------
    # Score of one account: factors, weights renormalised, band, trend
    # ------------------------------------------------------------
    @api.model
    def _kam_health_score_account(self, account, factors, sources, batch, previous):
        raw = []
        for factor, definition in factors:
            data = (
                sources[definition.fetch].get(account["id"])
                if definition.fetch is not None
                else None
            )
            score, evidence = definition.score(account, data, batch)
            if score is not None:
                score = max(0.0, min(100.0, score))
            raw.append((factor, score, evidence))
        score, lines = self._kam_health_weigh(raw)
        band = trend = None
        if score is not None:
            settings = account["settings"]
            band = self._kam_health_band(
                score, settings["red_below"], settings["green_from"]
            )
            if account["id"] in previous:
                trend = round(score - previous[account["id"]], 1)
        return {"score": score, "band": band, "trend": trend, "lines": lines}

    @api.model
    def _kam_health_weigh(self, raw):
        """Weighted score of ``[(factor, score or None, evidence)]``, the weights
        renormalised over the factors with data (None when none has data), and
        the lines ``(factor, score, weight share in %, evidence)``."""
        total_weight = sum(
            factor.weight for factor, score, _e in raw if score is not None
        )
        lines = []
        weighted = 0.0
        for factor, score, evidence in raw:
            share = 0.0
            if score is not None and total_weight:
                share = factor.weight / total_weight * 100
                weighted += score * share / 100
            lines.append((factor, score, share, evidence))
        return (round(weighted, 1) if total_weight else None), lines

    @api.model
    def _kam_health_band(self, score, red_below, green_from):
        if score < red_below:
            return "red"
        if score >= green_from:
            return "green"
        return "yellow"

    def _kam_health_no_data(self, reason, **values):
        """What a factor without data returns: the evidence code ``no_data`` with
        the code of the ``reason`` (a renderer of its own) and its values."""
        return None, ("no_data", dict(values, reason=reason))

    # ------------------------------------------------------------
    # Evidence: sentences rendered in the reader's language
    # ------------------------------------------------------------
    @api.model
    def _kam_health_evidence_renderers(self):
        """``{code: render(values, fmt)}``: the sentence of each evidence code, in
        the language of the environment, ``fmt`` a HealthEvidenceFormat. The
        source files add the codes of their factors; a template per code, and a
        singular and a plural template where a value counts things."""
        return {"no_data": self._kam_health_render_no_data}

    def _kam_health_render_no_data(self, values, fmt):
        renderers = self._kam_health_evidence_renderers()
        reason = renderers[values["reason"]](values, fmt)
        return self.env._("no data: %(reason)s", reason=reason)

    @api.model
    def _kam_health_evidence_renderer(self):
        """A function ``(code, values) -> sentence or None`` (None for a code no
        installed module renders), in the language of the environment, to call
        for many lines: the renderers and the formats are looked up once."""
        renderers = self._kam_health_evidence_renderers()
        fmt = HealthEvidenceFormat(self.env)

        def render(code, values):
            renderer = renderers.get(code)
            return renderer(values or {}, fmt) if renderer else None

        return render

    # ------------------------------------------------------------
    # Store: one upsert of the snapshots, lines replaced, one partner update
    # ------------------------------------------------------------
    @api.model
    def _kam_health_store(self, results, today):
        """Write the batch with four statements. The columns travel as array
        literals ('{1,2,3}'), which PostgreSQL parses far faster than the
        ARRAY[...] expressions psycopg2 makes of Python lists, or than JSON."""
        if not results:
            return
        snapshot_ids = self._kam_health_store_snapshots(results, today)
        self._kam_health_store_lines(results, snapshot_ids)
        self._kam_health_store_partners(results, today)
        self.env["kam.health.snapshot"].invalidate_model()
        self.env["kam.health.snapshot.line"].invalidate_model()

    @api.model
    def _kam_health_store_snapshots(self, results, today):
        """Upsert today's snapshot of each account; ``{partner_id: snapshot_id}``."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO kam_health_snapshot
                       (partner_id, date, score, band,
                        create_uid, create_date, write_uid, write_date)
                SELECT v.id, %(today)s, v.score, v.band,
                       %(uid)s, now() at time zone 'UTC', %(uid)s,
                       now() at time zone 'UTC'
                  FROM unnest(%(ids)s::int[], %(scores)s::numeric[],
                              %(bands)s::varchar[]) AS v(id, score, band)
                ON CONFLICT (partner_id, date) DO UPDATE
                   SET score = EXCLUDED.score, band = EXCLUDED.band,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date
             RETURNING partner_id, id
                """,
                today=today,
                uid=self.env.uid,
                ids=_pg_array(results),
                scores=_pg_array(result["score"] for result in results.values()),
                bands=_pg_array(result["band"] for result in results.values()),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _kam_health_store_lines(self, results, snapshot_ids):
        """Replace the lines of the snapshots ``snapshot_ids``."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "DELETE FROM kam_health_snapshot_line WHERE snapshot_id = ANY(%s)",
                list(snapshot_ids.values()),
            )
        )
        columns = ([], [], [], [], [], [], [], [])
        for partner_id, result in results.items():
            snapshot_id = str(snapshot_ids[partner_id])
            for factor, score, share, (code, values) in result["lines"]:
                columns[0].append(snapshot_id)
                columns[1].append(str(factor.id))
                columns[2].append(str(factor.sequence))
                columns[3].append("NULL" if score is None else str(round(score, 1)))
                columns[4].append(str(round(share, 1)))
                columns[5].append("f" if score is None else "t")
                columns[6].append(_pg_array_text(code))
                columns[7].append(_pg_array_text(_pg_json(values)))
        # Lines carry no create_uid/write_uid: two foreign-key checks per line less,
        # the snapshot says who computed it.
        cr.execute(
            SQL(
                """
                INSERT INTO kam_health_snapshot_line
                       (snapshot_id, factor_id, sequence, score, weight, has_data,
                        evidence_code, evidence_values, create_date, write_date)
                SELECT v.snapshot_id, v.factor_id, v.sequence, v.score, v.weight,
                       v.has_data, v.code, v.values::jsonb,
                       now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM unnest(%s::int[], %s::int[], %s::int[], %s::numeric[],
                              %s::numeric[], %s::bool[], %s::varchar[],
                              %s::text[])
                       AS v(snapshot_id, factor_id, sequence, score, weight,
                            has_data, code, values)
                """,
                *("{" + ",".join(column) + "}" for column in columns),
            )
        )

    @api.model
    def _kam_health_store_partners(self, results, today):
        """Write the health on the partners whose health changed, in one
        statement (ORM writes cost two queries per partner), then tell the ORM:
        the cache of those partners is invalidated and what depends on the health
        fields is invalidated or marked to recompute."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET kam_health_score = v.score, kam_health_band = v.band,
                       kam_health_trend = v.trend, kam_health_date = %(today)s
                  FROM unnest(%(ids)s::int[], %(scores)s::numeric[],
                              %(bands)s::varchar[], %(trends)s::numeric[])
                       AS v(id, score, band, trend)
                 WHERE p.id = v.id
                   AND (p.kam_health_score, p.kam_health_band, p.kam_health_trend,
                        p.kam_health_date)
                       IS DISTINCT FROM (v.score, v.band, v.trend, %(today)s::date)
             RETURNING p.id
                """,
                today=today,
                ids=_pg_array(results),
                scores=_pg_array(result["score"] for result in results.values()),
                bands=_pg_array(result["band"] for result in results.values()),
                trends=_pg_array(result["trend"] for result in results.values()),
            )
        )
        changed = self.env["res.partner"].browse(
            row[0] for row in self.env.cr.fetchall()
        )
        changed.invalidate_recordset(KAM_HEALTH_FIELDS)
        changed.modified(KAM_HEALTH_FIELDS)
