import logging
from collections import namedtuple
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL, get_lang

from ..tools import run_in_batches

_logger = logging.getLogger(__name__)

HEALTH_BANDS = [("red", "Red"), ("yellow", "Yellow"), ("green", "Green")]
# Interactions a key account needs in 90 days, by strategy.
ENGAGEMENT_CADENCE = {
    "expansive_investment": 18,
    "selective_investment": 12,
    "maintain": 8,
    "harvest": 4,
}
ENGAGEMENT_DEFAULT_CADENCE = 8
# Weighted open pipeline worth this share of the yearly revenue scores 100.
GROWTH_TARGET_RATIO = 0.3
# Advisory lock serialising the batches of concurrent runs (cron, button, action).
HEALTH_LOCK_KEY = 7_311_402_001
BATCH_SIZE = 1000

HealthFactor = namedtuple("HealthFactor", "id code weight sequence")


def _pg_array_text(value):
    """Quote ``value`` as an element of a PostgreSQL array literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class KamHealthSnapshot(models.Model):
    _name = "kam.health.snapshot"
    _description = "Key Account Health Snapshot"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        ondelete="cascade",
        index=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    score = fields.Float(digits=(16, 1), aggregator="avg")
    band = fields.Selection(HEALTH_BANDS)
    line_ids = fields.One2many(
        "kam.health.snapshot.line", "snapshot_id", string="Factors"
    )
    kam_user_id = fields.Many2one(related="partner_id.kam_user_id", string="KAM")

    _sql_constraints = [
        (
            "partner_date_uniq",
            "unique(partner_id, date)",
            "There is one health snapshot per account and day.",
        ),
    ]

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
        cr = self.env.cr
        if partner_ids is None:
            cr.execute(
                SQL(
                    "SELECT id FROM res_partner WHERE is_key_account AND active "
                    "ORDER BY id"
                )
            )
            partner_ids = [row[0] for row in cr.fetchall()]
        today = fields.Date.context_today(self)
        return run_in_batches(
            self.env,
            partner_ids,
            lambda ids: self._kam_health_compute_batch(ids, today),
            batch_size,
            "Health computation",
        )

    # ------------------------------------------------------------
    # One batch: gather every source with one query, then store
    # ------------------------------------------------------------
    @api.model
    def _kam_health_compute_batch(self, partner_ids, today):
        cr = self.env.cr
        self.env.flush_all()  # the sources are read with SQL
        cr.execute(SQL("SELECT pg_advisory_xact_lock(%s)", HEALTH_LOCK_KEY))
        cr.execute(SQL("SET LOCAL jit = off"))
        results = self._kam_health_gather(partner_ids, today)
        self._kam_health_store(results, today)
        self.env["kam.account.revenue"]._kam_store_revenue_figures(partner_ids, today)

    @api.model
    def _kam_health_gather(self, partner_ids, today):
        """Return ``{partner_id: {'score', 'band', 'trend', 'lines'}}`` where lines
        are ``(factor, score or None, weight share, evidence)``."""
        # Plain tuples: reading record fields 7 times per account costs more than
        # the queries of the batch.
        factors = [
            HealthFactor(factor.id, factor.code, factor.weight, factor.sequence)
            for factor in self.env["kam.health.factor"]
            .sudo()
            .search_fetch([("weight", ">", 0)], ["code", "weight", "sequence"])
        ]
        accounts = self._kam_health_fetch_accounts(partner_ids)
        thresholds = self._kam_health_fetch_thresholds()
        sources = {
            "engagement": self._kam_health_fetch_engagement(partner_ids, today),
            "satisfaction": self._kam_health_fetch_satisfaction(partner_ids, today),
            "revenue": self.env["kam.account.revenue"]._kam_revenue_summary(
                partner_ids, today
            ),
            "usage": self._kam_health_fetch_usage(partner_ids, today),
        }
        sources["relationship"] = (
            self._kam_health_fetch_relationship(partner_ids)
            if any(factor.code == "relationship" for factor in factors)
            else {}
        )
        previous = self._kam_health_fetch_previous_scores(partner_ids, today)
        results = {}
        for lang, lang_ids in self._kam_health_group_by_lang(accounts).items():
            engine = self.with_context(lang=lang)
            for partner_id in lang_ids:
                account = accounts[partner_id]
                results[partner_id] = engine._kam_health_score_account(
                    account, factors, sources, thresholds, previous, today
                )
        return results

    @api.model
    def _kam_health_group_by_lang(self, accounts):
        by_lang = {}
        default = self.env.lang or "en_US"
        for partner_id, account in accounts.items():
            by_lang.setdefault(account["lang"] or default, []).append(partner_id)
        return by_lang

    @api.model
    def _kam_health_score_account(
        self, account, factors, sources, thresholds, previous, today
    ):
        partner_id = account["id"]
        raw = []
        for factor in factors:
            method = getattr(self, f"_kam_health_factor_{factor.code}")
            score, evidence = method(account, sources, today)
            if score is not None:
                score = max(0.0, min(100.0, score))
            raw.append((factor, score, evidence))
        total_weight = sum(
            factor.weight for factor, score, _evidence in raw if score is not None
        )
        lines = []
        weighted = 0.0
        for factor, score, evidence in raw:
            share = (
                factor.weight / total_weight * 100
                if score is not None and total_weight
                else 0.0
            )
            if score is not None:
                weighted += score * share / 100
            lines.append((factor, score, share, evidence))
        score = band = trend = None
        if total_weight:
            score = round(weighted, 1)
            red_below, green_from = thresholds.get(
                account["company_id"], thresholds[None]
            )
            band = self._kam_health_band(score, red_below, green_from)
            if partner_id in previous:
                trend = round(score - previous[partner_id], 1)
        return {"score": score, "band": band, "trend": trend, "lines": lines}

    @api.model
    def _kam_health_band(self, score, red_below, green_from):
        if score < red_below:
            return "red"
        if score >= green_from:
            return "green"
        return "yellow"

    # ------------------------------------------------------------
    # Sources: one query each for the whole batch
    # ------------------------------------------------------------
    @api.model
    def _kam_health_fetch_accounts(self, partner_ids):
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, p.company_id, p.kam_strategy, p.kam_pulse,
                       p.kam_pulse_date, kam_partner.lang
                  FROM res_partner p
             LEFT JOIN res_users u ON u.id = p.kam_user_id
             LEFT JOIN res_partner kam_partner ON kam_partner.id = u.partner_id
                 WHERE p.id = ANY(%s)
                """,
                partner_ids,
            )
        )
        return {row["id"]: row for row in self.env.cr.dictfetchall()}

    @api.model
    def _kam_health_fetch_thresholds(self):
        self.env.cr.execute(
            SQL(
                "SELECT id, kam_health_red_below, kam_health_green_from "
                "FROM res_company"
            )
        )
        thresholds = {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}
        thresholds[None] = thresholds.get(self.env.company.id, (40, 70))
        return thresholds

    @api.model
    def _kam_health_fetch_engagement(self, partner_ids, today):
        """Messages and done activities on the account, its contacts and their
        opportunities, and meetings they attend: count in 90 days and last date."""
        now = datetime.combine(today, time.max)
        since = datetime.combine(today - timedelta(days=90), time.min)
        human_message = SQL(
            "(m.message_type IN ('comment', 'email') "
            "OR m.mail_activity_type_id IS NOT NULL)"
        )
        self.env.cr.execute(
            SQL(
                """
                WITH contact AS MATERIALIZED (
                    SELECT id, commercial_partner_id
                      FROM res_partner
                     WHERE commercial_partner_id = ANY(%(ids)s)
                ), lead AS MATERIALIZED (
                    SELECT l.id, c.commercial_partner_id
                      FROM crm_lead l
                      JOIN contact c ON c.id = l.partner_id
                     WHERE l.partner_id = ANY(ARRAY(SELECT id FROM contact))
                ), interaction AS (
                    -- ANY(ARRAY(...)) makes PostgreSQL use the (model, res_id)
                    -- index instead of scanning every message of the database
                    SELECT c.commercial_partner_id AS account_id, m.date,
                           CASE WHEN m.mail_activity_type_id IS NOT NULL
                                THEN 'activity' ELSE 'message' END AS kind
                      FROM mail_message m
                      JOIN contact c ON c.id = m.res_id
                     WHERE m.model = 'res.partner' AND %(human)s
                       AND m.res_id = ANY(ARRAY(SELECT id FROM contact))
                       AND m.date <= %(now)s
                 UNION ALL
                    SELECT l.commercial_partner_id, m.date,
                           CASE WHEN m.mail_activity_type_id IS NOT NULL
                                THEN 'activity' ELSE 'message' END
                      FROM mail_message m
                      JOIN lead l ON l.id = m.res_id
                     WHERE m.model = 'crm.lead' AND %(human)s
                       AND m.res_id = ANY(ARRAY(SELECT id FROM lead))
                       AND m.date <= %(now)s
                 UNION ALL
                    SELECT DISTINCT c.commercial_partner_id, e.start, 'meeting'
                      FROM calendar_event_res_partner_rel r
                      JOIN calendar_event e ON e.id = r.calendar_event_id
                      JOIN contact c ON c.id = r.res_partner_id
                     WHERE r.res_partner_id = ANY(ARRAY(SELECT id FROM contact))
                       AND e.active AND e.start <= %(now)s
                )
                SELECT account_id,
                       count(*) FILTER (WHERE kind = 'message' AND date >= %(since)s),
                       count(*) FILTER (WHERE kind = 'activity' AND date >= %(since)s),
                       count(*) FILTER (WHERE kind = 'meeting' AND date >= %(since)s),
                       max(date)
                  FROM interaction
              GROUP BY account_id
                """,
                human=human_message,
                ids=partner_ids,
                now=now,
                since=since,
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

    @api.model
    def _kam_health_fetch_satisfaction(self, partner_ids, today):
        """Latest NPS and latest CSAT answer of the last 12 months."""
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id, kind) partner_id, kind, score, date
                  FROM kam_satisfaction_survey
                 WHERE partner_id = ANY(%s) AND date > %s AND date <= %s
              ORDER BY partner_id, kind, date DESC, id DESC
                """,
                partner_ids,
                today - relativedelta(years=1),
                today,
            )
        )
        surveys = {}
        for partner_id, kind, score, date in self.env.cr.fetchall():
            surveys.setdefault(partner_id, {})[kind] = (score, date)
        return surveys

    @api.model
    def _kam_health_fetch_usage(self, partner_ids, today):
        self.env.cr.execute(
            SQL(
                """
                SELECT partner_id, avg(value), count(*), max(date)
                  FROM kam_usage_reading
                 WHERE partner_id = ANY(%s) AND date > %s AND date <= %s
              GROUP BY partner_id
                """,
                partner_ids,
                today - timedelta(days=90),
                today,
            )
        )
        return {
            row[0]: {"average": row[1], "count": row[2], "last": row[3]}
            for row in self.env.cr.fetchall()
        }

    @api.model
    def _kam_health_fetch_relationship(self, partner_ids):
        """Stakeholder coverage (DESIGN section 3) read in batch."""
        counts = dict(
            self.env["kam.stakeholder"]
            .sudo()
            ._read_group(
                [("partner_id", "in", partner_ids)], ["partner_id"], ["__count"]
            )
        )
        coverage = {}
        for partner in counts:
            coverage[partner.id] = {
                "count": counts[partner],
                "decision_maker": partner.kam_has_decision_maker,
                "champion": partner.kam_has_champion,
                "executive_sponsor": partner.kam_has_executive_sponsor,
                "single_threaded": partner.kam_single_threaded,
                "overdue": partner.kam_overdue_stakeholder_count,
            }
        return coverage

    @api.model
    def _kam_health_fetch_previous_scores(self, partner_ids, today):
        """{partner id: score} of the latest snapshot between 30 and 60 days ago,
        in one query (also the comparison of the churn risk rule of escalations)."""
        if not partner_ids:
            return {}
        self.flush_model(["partner_id", "date", "score"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (partner_id) partner_id, score
                  FROM kam_health_snapshot
                 WHERE partner_id = ANY(%s) AND score IS NOT NULL
                   AND date <= %s AND date >= %s
              ORDER BY partner_id, date DESC
                """,
                list(partner_ids),
                today - timedelta(days=30),
                today - timedelta(days=60),
            )
        )
        return dict(self.env.cr.fetchall())

    # ------------------------------------------------------------
    # Factors: (score 0-100 or None when there is no data, evidence)
    # ------------------------------------------------------------
    def _kam_health_no_data(self, reason):
        return None, self.env._("no data: %(reason)s", reason=reason)

    def _kam_health_factor_engagement(self, account, sources, today):
        data = sources["engagement"].get(account["id"])
        if not data or not data["last"]:
            return self._kam_health_no_data(self.env._("no interaction recorded"))
        count = data["messages"] + data["activities"] + data["meetings"]
        cadence = ENGAGEMENT_CADENCE.get(
            account["kam_strategy"], ENGAGEMENT_DEFAULT_CADENCE
        )
        days = max(0, (today - data["last"].date()).days)
        recency = 1.0 if days <= 7 else max(0.0, 1 - (days - 7) / 83)
        score = 70 * min(1.0, count / cadence) + 30 * recency
        evidence = self.env._(
            "%(count)s interactions in 90 days (%(messages)s messages, "
            "%(activities)s activities, %(meetings)s meetings; %(cadence)s expected), "
            "last %(days)s days ago",
            count=count,
            messages=data["messages"],
            activities=data["activities"],
            meetings=data["meetings"],
            cadence=cadence,
            days=days,
        )
        return score, evidence

    def _kam_health_factor_satisfaction(self, account, sources, today):
        data = sources["satisfaction"].get(account["id"])
        if not data:
            return self._kam_health_no_data(
                self.env._("no NPS or CSAT answer in 12 months")
            )
        scores, facts = [], []
        if "nps" in data:
            value, date = data["nps"]
            scores.append(value * 10)
            facts.append(
                self.env._("latest NPS %(score)s on %(date)s", score=value, date=date)
            )
        if "csat" in data:
            value, date = data["csat"]
            scores.append((value - 1) * 25)
            facts.append(
                self.env._(
                    "latest CSAT %(score)s/5 on %(date)s", score=value, date=date
                )
            )
        return sum(scores) / len(scores), "; ".join(facts)

    def _kam_health_revenue_source_label(self, source):
        return {
            "invoices": self.env._("posted invoices"),
            "sales": self.env._("confirmed sales"),
            "opportunities": self.env._("won opportunities"),
        }[source]

    def _kam_health_amount(self, amount, sources):
        """Whole amount in the company currency, formatted for the language of the
        environment. ``format_amount`` costs a millisecond a call, too much for
        thousands of accounts: the format is resolved once per language."""
        cache = sources.setdefault("amount_formats", {})
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

    def _kam_health_factor_financial(self, account, sources, today):
        data = sources["revenue"].get(account["id"])
        if (
            not data
            or not data["source"]
            or not (data["current"] or data["previous"] or data["overdue"])
        ):
            return self._kam_health_no_data(
                self.env._("no revenue in the last 24 months")
            )
        label = self._kam_health_revenue_source_label(data["source"])
        current, previous = data["current"], data["previous"]
        if previous > 0:
            change = (current - previous) / previous
            score = 50 + 100 * change
            signed_percent = f"{change * 100:+.0f}"
            evidence = self.env._(
                "revenue %(change)s%% over the previous 12 months (%(origin)s: "
                "%(current)s against %(previous)s)",
                change=signed_percent,
                origin=label,
                current=self._kam_health_amount(current, sources),
                previous=self._kam_health_amount(previous, sources),
            )
        elif current > 0:
            score = 75.0
            evidence = self.env._(
                "new revenue: %(current)s in 12 months, none the 12 before "
                "(%(origin)s)",
                current=self._kam_health_amount(current, sources),
                origin=label,
            )
        else:
            score = 0.0
            evidence = self.env._(
                "no revenue in the last 12 months (%(origin)s)", origin=label
            )
        if data["overdue"] > 0:
            base = current / 4 if current > 0 else 0.0
            penalty = 30 * min(1.0, data["overdue"] / base) if base else 30.0
            score -= penalty
            evidence = self.env._(
                "%(evidence)s; %(overdue)s overdue (-%(penalty)s points)",
                evidence=evidence,
                overdue=self._kam_health_amount(data["overdue"], sources),
                penalty=round(penalty),
            )
        return score, evidence

    def _kam_health_factor_growth(self, account, sources, today):
        data = sources["revenue"].get(account["id"])
        revenue = data["current"] if data else 0.0
        if not data or not (data["open_count"] or revenue > 0):
            return self._kam_health_no_data(
                self.env._("no open opportunity and no revenue in 12 months")
            )
        if revenue > 0:
            score = 100 * data["open_weighted"] / (GROWTH_TARGET_RATIO * revenue)
        else:
            score = 60.0 if data["open_weighted"] > 0 else 0.0
        evidence = self.env._(
            "%(count)s open opportunities worth %(amount)s (weighted %(weighted)s) "
            "against %(revenue)s revenue in 12 months",
            count=data["open_count"],
            amount=self._kam_health_amount(data["open_amount"], sources),
            weighted=self._kam_health_amount(data["open_weighted"], sources),
            revenue=self._kam_health_amount(revenue, sources),
        )
        return score, evidence

    def _kam_health_factor_relationship(self, account, sources, today):
        data = sources["relationship"].get(account["id"])
        if not data:
            return self._kam_health_no_data(self.env._("no stakeholder mapped"))
        score = (
            30 * bool(data["decision_maker"])
            + 25 * bool(data["champion"])
            + 20 * bool(data["executive_sponsor"])
            + 25 * (not data["single_threaded"])
            - min(25, 5 * (data["overdue"] or 0))
        )
        missing = [
            label
            for present, label in (
                (data["decision_maker"], self.env._("decision maker")),
                (data["champion"], self.env._("champion")),
                (data["executive_sponsor"], self.env._("executive sponsor")),
            )
            if not present
        ]
        evidence = self.env._(
            "%(count)s stakeholders, missing: %(missing)s, %(overdue)s overdue "
            "for contact",
            count=data["count"],
            missing=", ".join(missing) or self.env._("none"),
            overdue=data["overdue"] or 0,
        )
        if data["single_threaded"]:
            evidence = self.env._("%(evidence)s, single-threaded", evidence=evidence)
        return score, evidence

    def _kam_health_factor_usage(self, account, sources, today):
        data = sources["usage"].get(account["id"])
        if not data:
            return self._kam_health_no_data(self.env._("no usage readings in 90 days"))
        return data["average"], self.env._(
            "average usage %(average)s/100 over %(count)s readings in 90 days, "
            "last on %(date)s",
            average=round(data["average"]),
            count=data["count"],
            date=data["last"],
        )

    def _kam_health_factor_pulse(self, account, sources, today):
        pulse, date = account["kam_pulse"], account["kam_pulse_date"]
        if not pulse:
            return self._kam_health_no_data(self.env._("no KAM pulse recorded"))
        if not date or (today - date).days > 90:
            return self._kam_health_no_data(
                self.env._("KAM pulse of %(date)s is older than 90 days", date=date)
            )
        return (pulse - 1) * 25, self.env._(
            "KAM pulse %(pulse)s/5 on %(date)s", pulse=pulse, date=date
        )

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
        cr = self.env.cr
        uid = self.env.uid

        def literal(values):
            return "{" + ",".join("NULL" if v is None else str(v) for v in values) + "}"

        ids = literal(results)
        scores = literal(result["score"] for result in results.values())
        bands = literal(result["band"] for result in results.values())
        trends = literal(result["trend"] for result in results.values())
        cr.execute(
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
                uid=uid,
                ids=ids,
                scores=scores,
                bands=bands,
            )
        )
        snapshot_ids = dict(cr.fetchall())
        cr.execute(
            SQL(
                "DELETE FROM kam_health_snapshot_line WHERE snapshot_id = ANY(%s)",
                list(snapshot_ids.values()),
            )
        )
        columns = ([], [], [], [], [], [], [])
        for partner_id, result in results.items():
            snapshot_id = str(snapshot_ids[partner_id])
            for factor, score, share, evidence in result["lines"]:
                columns[0].append(snapshot_id)
                columns[1].append(str(factor.id))
                columns[2].append(str(factor.sequence))
                columns[3].append("NULL" if score is None else str(round(score, 1)))
                columns[4].append(str(round(share, 1)))
                columns[5].append("f" if score is None else "t")
                columns[6].append(_pg_array_text(evidence))
        # Lines carry no create_uid/write_uid: two foreign-key checks per line less,
        # the snapshot says who computed it. The columns travel as array literals,
        # parsed far faster than ARRAY[...] parameters or JSON.
        cr.execute(
            SQL(
                """
                INSERT INTO kam_health_snapshot_line
                       (snapshot_id, factor_id, sequence, score, weight, has_data,
                        evidence, create_date, write_date)
                SELECT v.*, now() at time zone 'UTC', now() at time zone 'UTC'
                  FROM unnest(%s::int[], %s::int[], %s::int[], %s::numeric[],
                              %s::numeric[], %s::bool[], %s::varchar[]) AS v
                """,
                *("{" + ",".join(column) + "}" for column in columns),
            )
        )
        # One statement for every partner: ORM writes cost two queries per
        # partner. The fields are plain stored columns, nothing depends on them.
        cr.execute(
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
                """,
                today=today,
                ids=ids,
                scores=scores,
                bands=bands,
                trends=trends,
            )
        )
        self.env["res.partner"].invalidate_model(
            [
                "kam_health_score",
                "kam_health_band",
                "kam_health_trend",
                "kam_health_date",
            ]
        )
        self.invalidate_model()
        self.env["kam.health.snapshot.line"].invalidate_model()
