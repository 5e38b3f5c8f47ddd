"""Benchmark of the health scheduled action of kam_management.

Builds N key accounts with realistic data in SQL (3 contacts, 20 messages, 3 done
activities, 2 opportunities and 1 satisfaction survey each), runs the scheduled action
"Key Accounts: compute health scores" and prints seconds and SQL queries per 1,000
accounts. Run it on a throw-away database (see benchmarks/README.md)::

    python benchmarks/health_cron.py -d kam_bench --addons-path=... 1000 10000

With ``--units U`` each key account heads a corporate group of U unit companies
(the first half under the account, the others under its first unit: two levels),
and each unit has the data of a company of its own (3 contacts, 20 messages, 3
done activities, 2 opportunities), which counts for the group::

    python benchmarks/health_cron.py -d kam_bench_groups --addons-path=... --units 5 2000

Each size is built on top of the previous one (the accounts of the first size stay).
"""

import bench

from odoo import SUPERUSER_ID
from odoo.tools import SQL

MARK = "kam-bench"


def build_accounts(env, count, units=0):
    """Add ``count`` key accounts with their data, all in SQL; with ``units``, each
    one heads a group of that many unit companies, each with the data of a company
    (contacts, messages, activities, opportunities; the survey is the account's)."""
    cr = env.cr
    user_id = SUPERUSER_ID
    cr.execute(SQL("SELECT id FROM crm_stage WHERE is_won ORDER BY sequence LIMIT 1"))
    won_stage = cr.fetchone()[0]
    cr.execute(
        SQL(
            "SELECT id FROM crm_stage WHERE NOT coalesce(is_won, FALSE) ORDER BY sequence LIMIT 1"
        )
    )
    row = cr.fetchone()
    if row:
        open_stage = row[0]
    else:
        open_stage = env["crm.stage"].create({"name": "Qualified", "sequence": 1}).id
    activity_type = env.ref("mail.mail_activity_data_call").id
    strategies = ["harvest", "maintain", "selective_investment", "expansive_investment"]
    account_ids = bench.insert_accounts(
        cr,
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, is_key_account,
                   kam_since, kam_user_id, kam_strategy, active, type, ref, lang,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'Bench Account ' || g, 'Bench Account ' || g, TRUE, TRUE,
                   current_date - 400, %(uid)s, (%(strategies)s::varchar[])[1 + mod(g, 4)],
                   TRUE, 'contact', %(mark)s, 'en_US', %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(count)s) g
         RETURNING id
            """,
            uid=user_id,
            strategies=strategies,
            mark=MARK,
            count=count,
        ),
    )
    company_ids = account_ids + bench.insert_units(cr, account_ids, units)
    # 3 contacts per company
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, parent_id, commercial_partner_id,
                   is_company, active, type, ref, email, create_uid, write_uid,
                   create_date, write_date)
            SELECT 'Contact ' || a.id || '-' || c, 'Contact ' || a.id || '-' || c, a.id,
                   a.id, FALSE, TRUE, 'contact', %(mark)s,
                   'c' || c || '@a' || a.id || '.test', %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) AS a(id), generate_series(1, 3) c
            """,
            ids=company_ids,
            uid=user_id,
            mark=MARK,
        )
    )
    # 20 messages and 3 done activities per company, on the company and its
    # contacts, spread over the last 180 days
    cr.execute(
        SQL(
            """
            INSERT INTO mail_message (model, res_id, message_type, body, date,
                   author_id, mail_activity_type_id, create_uid, write_uid,
                   create_date, write_date)
            SELECT 'res.partner', p.id,
                   CASE WHEN n <= 20 THEN (CASE WHEN mod(n, 3) = 0 THEN 'email'
                                                ELSE 'comment' END)
                        ELSE 'notification' END,
                   '<p>Bench</p>', now() - (random() * 180) * interval '1 day',
                   p.id, CASE WHEN n > 20 THEN %(activity_type)s END,
                   %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) AS a(id)
              CROSS JOIN generate_series(1, 23) n
              JOIN LATERAL (
                   SELECT id FROM res_partner
                    WHERE commercial_partner_id = a.id
                 ORDER BY id OFFSET mod(n, 4) LIMIT 1) p ON TRUE
            """,
            ids=company_ids,
            activity_type=activity_type,
            uid=user_id,
        )
    )
    # 2 opportunities per company: one won in the last 2 years, one open
    cr.execute(
        SQL(
            """
            INSERT INTO crm_lead (name, type, partner_id, stage_id, active, probability,
                   expected_revenue, prorated_revenue, date_closed, user_id, company_id,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'Bench deal ' || a.id || '-' || k, 'opportunity', a.id,
                   CASE WHEN k = 1 THEN %(won)s ELSE %(open)s END, TRUE,
                   CASE WHEN k = 1 THEN 100 ELSE 40 END,
                   1000 + (random() * 99000)::int,
                   NULL,
                   CASE WHEN k = 1 THEN now() - (random() * 700) * interval '1 day' END,
                   %(uid)s, %(company)s, %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) AS a(id), generate_series(1, 2) k
            """,
            ids=company_ids,
            won=won_stage,
            open=open_stage,
            uid=user_id,
            company=env.company.id,
        )
    )
    cr.execute(
        SQL(
            """
            UPDATE crm_lead SET prorated_revenue = expected_revenue * probability / 100
             WHERE partner_id = ANY(%s)
            """,
            company_ids,
        )
    )
    # 1 NPS answer per account
    cr.execute(
        SQL(
            """
            INSERT INTO kam_satisfaction_survey (partner_id, kind, score, date,
                   create_uid, write_uid, create_date, write_date)
            SELECT a.id, 'nps', (random() * 10)::int,
                   current_date - (random() * 300)::int, %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) AS a(id)
            """,
            ids=account_ids,
            uid=user_id,
        )
    )
    cr.execute(SQL("ANALYZE"))
    env.invalidate_all()
    return account_ids


def run_cron(env, first=True):
    """Run the scheduled action as the scheduler would; returns (seconds, queries).

    A first run of the day inserts the snapshots (those of today are deleted
    before); a re-run finds them all and updates them."""
    cr = env.cr
    if first:
        cr.execute(SQL("DELETE FROM kam_health_snapshot WHERE date = current_date"))
        cr.commit()
    cron = env.ref("kam_management.ir_cron_kam_compute_health")
    seconds, queries, _result = bench.measure(
        cr, cron.method_direct_trigger, commit=True
    )
    return seconds, queries


def data_read(cr):
    """What today's snapshots found, per factor: the accounts with data (the check
    that the figures read the benchmark's data), and the interactions per account
    of the engagement factor."""
    cr.execute(
        SQL(
            """
            SELECT f.code, count(*) FILTER (WHERE l.has_data), count(*),
                   avg((l.evidence_values->>'count')::numeric)
              FROM kam_health_snapshot_line l
              JOIN kam_health_snapshot s ON s.id = l.snapshot_id
              JOIN kam_health_factor f ON f.id = l.factor_id
             WHERE s.date = current_date
          GROUP BY f.code
          ORDER BY f.code
            """
        )
    )
    rows = cr.fetchall()
    factors = ", ".join(f"{code} {found}/{total}" for code, found, total, _ in rows)
    interactions = next((avg for code, *_, avg in rows if code == "engagement"), None)
    return [
        f"accounts with data today, per factor: {factors}",
        f"interactions in 90 days per account (engagement): {interactions or 0:.1f}",
    ]


def main():
    parser = bench.parser(__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument(
        "--units", type=int, default=0, help="unit companies per key account"
    )
    args = parser.parse_args()
    with bench.open_env(args) as env:
        lines = [f"{args.units} units per key account"]
        first_runs = {}
        for size in bench.grow(
            env,
            args.sizes,
            lambda count, _existing: build_accounts(env, count, args.units),
        ):
            for label in ("first run", "re-run"):
                seconds, queries = run_cron(env, first=label == "first run")
                if label == "first run":
                    first_runs[size] = queries
                lines.append(bench.per_thousand(size, label, seconds, queries, 9))
        if marginal := bench.marginal(first_runs):
            lines.append(marginal)
        env.cr.execute(
            SQL(
                "SELECT band, count(*) FROM kam_health_snapshot WHERE date = current_date "
                "GROUP BY band ORDER BY band"
            )
        )
        bands = ", ".join(
            f"{band or 'no score'}: {count}" for band, count in env.cr.fetchall()
        )
        lines += [f"bands today: {bands}", *data_read(env.cr)]
    bench.report(lines)


if __name__ == "__main__":
    main()
