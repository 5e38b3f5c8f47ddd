"""Benchmark of the escalation scheduled action of kam_management.

Builds N key accounts in SQL (a Key Account Manager and two team members each, among
12 users; every 10th account in the red band, every 17th with a health drop of 25
points against a snapshot of 35 days ago, every 18th with an open opportunity of
250,000), runs the scheduled action "Key Accounts: open and raise escalations" as the
scheduler does, then runs it again (nothing new to open) and prints accounts,
escalations opened, seconds, SQL queries, queries per escalation opened, and the
re-run's seconds and queries per 1,000 accounts. Run it on a throw-away database
(see benchmarks/README.md)::

    python benchmarks/escalation_cron.py -d kam_bench_escalation --addons-path=... 2000

Each size is built on top of the previous one (the accounts of the first size stay);
the escalations of earlier runs are deleted before each first run.
"""

import logging

import bench

from odoo import SUPERUSER_ID
from odoo.tools import SQL

_logger = logging.getLogger("kam_bench")

MARK = "kam-bench"
USERS = 12


def bench_users(env):
    """The 12 internal users the accounts and their teams are spread over."""
    groups = "sales_team.group_sale_salesman,kam_management.group_kam_user"
    Users = env["res.users"].with_context(no_reset_password=True)
    users = Users.search([("login", "=like", "bench_kam_%")], order="id")
    for index in range(len(users), USERS):
        users |= Users.create(
            {
                "name": f"Bench KAM {index}",
                "login": f"bench_kam_{index}",
                "email": f"bench_kam_{index}@bench.test",
                "groups_id": [
                    (6, 0, [env.ref(xmlid).id for xmlid in groups.split(",")])
                ],
            }
        )
    return users.ids


def build_accounts(env, count, start):
    """Add ``count`` key accounts with their team, health and deals, all in SQL."""
    cr = env.cr
    user_ids = bench_users(env)
    account_ids = bench.insert_accounts(
        cr,
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, is_key_account,
                   kam_since, kam_user_id, active, type, ref, lang,
                   kam_health_score, kam_health_band, kam_health_date,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'Bench Account ' || g, 'Bench Account ' || g, TRUE, TRUE,
                   current_date - 400, (%(users)s::int[])[1 + mod(g, %(n)s)], TRUE,
                   'contact', %(mark)s, 'en_US',
                   CASE WHEN mod(g, 10) = 0 THEN 30 WHEN mod(g, 17) = 0 THEN 50
                        ELSE 75 END,
                   CASE WHEN mod(g, 10) = 0 THEN 'red' WHEN mod(g, 17) = 0 THEN 'yellow'
                        ELSE 'green' END,
                   current_date, %(uid)s, %(uid)s, now(), now()
              FROM generate_series(%(first)s, %(last)s) g
         RETURNING id
            """,
            users=user_ids,
            n=len(user_ids),
            mark=MARK,
            uid=SUPERUSER_ID,
            first=start + 1,
            last=start + count,
        ),
    )
    # two team members per account, one of them the director
    cr.execute(
        SQL(
            """
            INSERT INTO kam_team_member (partner_id, user_id, role, create_uid,
                   write_uid, create_date, write_date)
            SELECT a.id, (%(users)s::int[])[1 + mod(a.id + k * 5, %(n)s)],
                   CASE WHEN k = 1 THEN 'director' ELSE 'sales' END,
                   %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) AS a(id), generate_series(1, 2) k
            """,
            ids=account_ids,
            users=user_ids,
            n=len(user_ids),
            uid=SUPERUSER_ID,
        )
    )
    _build_trend_and_deals(env, account_ids, start)
    cr.execute(SQL("ANALYZE"))
    env.invalidate_all()
    return account_ids


def _build_trend_and_deals(env, account_ids, start):
    """Every 17th account: a snapshot 35 days ago 25 points higher (churn risk);
    every 18th: an open opportunity of 250,000 (big opportunity)."""
    cr = env.cr
    cr.execute(
        SQL(
            """
            INSERT INTO kam_health_snapshot (partner_id, date, score, band,
                   create_uid, write_uid, create_date, write_date)
            SELECT p.id, current_date - 35, p.kam_health_score + 25, 'green',
                   %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS a(id, g)
              JOIN res_partner p ON p.id = a.id
             WHERE mod(a.g + %(start)s, 17) = 0
            """,
            ids=account_ids,
            start=start,
            uid=SUPERUSER_ID,
        )
    )
    cr.execute(
        SQL(
            "SELECT id FROM crm_stage WHERE NOT coalesce(is_won, FALSE) "
            "ORDER BY sequence LIMIT 1"
        )
    )
    row = cr.fetchone()
    stage_id = row[0] if row else env["crm.stage"].create({"name": "New"}).id
    cr.execute(
        SQL(
            """
            INSERT INTO crm_lead (name, type, partner_id, stage_id,
                   active, probability, expected_revenue, prorated_revenue,
                   company_id, create_uid, write_uid, create_date, write_date)
            SELECT 'Bench big deal ' || a.id, 'opportunity', a.id, %(stage)s,
                   TRUE, 40, 250000, 100000, %(company)s, %(uid)s, %(uid)s,
                   now(), now()
              FROM unnest(%(ids)s::int[]) WITH ORDINALITY AS a(id, g)
             WHERE mod(a.g + %(start)s, 18) = 0
            """,
            ids=account_ids,
            start=start,
            stage=stage_id,
            company=env.company.id,
            uid=SUPERUSER_ID,
        )
    )


def clear_escalations(env):
    """Delete the escalations of earlier runs, with their chatter and activities."""
    cr = env.cr
    for table in ("mail_message", "mail_followers"):
        cr.execute(
            SQL(
                "DELETE FROM %s WHERE model = 'kam.escalation'"
                if table == "mail_message"
                else "DELETE FROM %s WHERE res_model = 'kam.escalation'",
                SQL.identifier(table),
            )
        )
    cr.execute(
        SQL(
            "DELETE FROM mail_activity WHERE res_model = 'kam.escalation'; "
            "DELETE FROM kam_escalation"
        )
    )
    cr.commit()
    env.invalidate_all()


def run_cron(env):
    """Run the scheduled action as the scheduler would; returns (seconds, queries)."""
    cron = env.ref("kam_management.ir_cron_kam_escalation")
    seconds, queries, _result = bench.measure(
        env.cr, cron.method_direct_trigger, commit=True
    )
    return seconds, queries


def count_escalations(env):
    env.cr.execute(SQL("SELECT count(*) FROM kam_escalation"))
    return env.cr.fetchone()[0]


def measure(env, accounts):
    """First run (opens the escalations) and re-run (nothing new) on ``accounts``."""
    clear_escalations(env)
    seconds, queries = run_cron(env)
    opened = count_escalations(env)
    again_seconds, again_queries = run_cron(env)
    if count_escalations(env) != opened:
        _logger.error("the re-run opened escalations")
    per_escalation = queries / opened if opened else float("nan")
    return (
        f"accounts {accounts}: {opened} escalations opened in {seconds:.2f} s, "
        f"{queries} SQL queries, {per_escalation:.1f} per escalation; re-run "
        f"(nothing new): {again_seconds:.2f} s, {again_queries} SQL queries, "
        f"{again_queries / accounts * 1000:.1f} per 1,000 accounts"
    )


def main():
    parser = bench.parser(__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[2000])
    args = parser.parse_args()
    with bench.open_env(args) as env:
        sizes = bench.grow(
            env,
            args.sizes,
            lambda count, existing: build_accounts(env, count, existing),
        )
        lines = [measure(env, size) for size in sizes]
    bench.report(lines)


if __name__ == "__main__":
    main()
