"""Benchmark of the playbooks of kam_management: a strategy changed in bulk.

Builds N key accounts in SQL (default 500; strategy Maintain, a Key Account Manager
among 12 users, a director and a support member on each team), then, as a KAM
administrator, changes the strategy of all of them to Harvest in one write: once
with no playbook for Harvest (the write alone: rights, tracking, one message per
account), once with the shipped Harvest playbook (2 steps per account, to the
support member and to the KAM, and a note per account). Each write is rolled back.
Prints seconds and SQL queries in total and per account, and what the playbook
adds. Run it on a throw-away database (see benchmarks/README.md)::

    python benchmarks/bench_playbook.py -d kam_bench_playbook --addons-path=... 500
"""

import bench

from odoo import SUPERUSER_ID
from odoo.tools import SQL

MARK = "kam-bench"
USERS = 12
PLAYBOOK = "kam_management.mail_activity_plan_kam_strategy_harvest"
GROUPS = "sales_team.group_sale_salesman,kam_management.group_kam_user"
MANAGER_GROUPS = "sales_team.group_sale_manager,kam_management.group_kam_manager"


def bench_user(env, login, groups):
    Users = env["res.users"].with_context(no_reset_password=True)
    user = Users.search([("login", "=", login)])
    return user or Users.create(
        {
            "name": login.replace("_", " ").title(),
            "login": login,
            "email": f"{login}@bench.test",
            "groups_id": [(6, 0, [env.ref(xmlid).id for xmlid in groups.split(",")])],
        }
    )


def build_accounts(env, count, start):
    """Add ``count`` key accounts with their team (a director and a support
    member), all in SQL."""
    cr = env.cr
    user_ids = [bench_user(env, f"bench_kam_{i}", GROUPS).id for i in range(USERS)]
    account_ids = bench.insert_accounts(
        cr,
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, is_key_account,
                   kam_since, kam_user_id, kam_strategy, active, type, ref, lang,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'Bench Account ' || g, 'Bench Account ' || g, TRUE, TRUE,
                   current_date - 400, (%(users)s::int[])[1 + mod(g, %(n)s)],
                   'maintain', TRUE, 'contact', %(mark)s, 'en_US',
                   %(uid)s, %(uid)s, now(), now()
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
    cr.execute(
        SQL(
            """
            INSERT INTO kam_team_member (partner_id, user_id, role, create_uid,
                   write_uid, create_date, write_date)
            SELECT a.id, (%(users)s::int[])[1 + mod(a.id + k * 5, %(n)s)],
                   CASE WHEN k = 1 THEN 'director' ELSE 'support' END,
                   %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) AS a(id), generate_series(1, 2) k
            """,
            ids=account_ids,
            users=user_ids,
            n=len(user_ids),
            uid=SUPERUSER_ID,
        )
    )
    cr.execute(SQL("ANALYZE"))
    env.invalidate_all()
    return account_ids


def change_strategy(env, manager, with_playbook):
    """The strategy of every bench account to Harvest in one write as
    ``manager``, with or without the Harvest playbook; rolled back. Returns
    (accounts, seconds, queries, steps created)."""
    cr = env.cr
    env.ref(PLAYBOOK).active = with_playbook
    env.flush_all()
    accounts = env["res.partner"].search([("ref", "=", MARK)])
    env.invalidate_all()

    def write():
        accounts.with_user(manager).write({"kam_strategy": "harvest"})
        # the tracking messages are written before the commit
        env.flush_all()
        cr.flush()

    seconds, queries, _result = bench.measure(cr, write)
    cr.execute(
        SQL(
            "SELECT count(*) FROM mail_activity WHERE kam_playbook_id IS NOT NULL "
            "AND res_model = 'res.partner' AND res_id = ANY(%s)",
            accounts.ids,
        )
    )
    steps = cr.fetchone()[0]
    cr.rollback()
    env.invalidate_all()
    return len(accounts), seconds, queries, steps


def measure(env, size):
    manager = bench_user(env, "bench_kam_manager", MANAGER_GROUPS)
    env.cr.commit()
    change_strategy(env, manager, False)  # warms the caches up
    rows = []
    for with_playbook in (False, True):
        accounts, seconds, queries, steps = change_strategy(env, manager, with_playbook)
        rows.append(
            (
                "with the playbook" if with_playbook else "without playbook",
                accounts,
                steps,
                seconds,
                queries,
                queries / accounts,
            )
        )
    extra = rows[1][4] - rows[0][4]
    return [
        f"N={size}: the strategy of every account changed in one write",
        *bench.table(
            [
                ("run", "<18s"),
                ("accounts", ">8d"),
                ("steps", ">6d"),
                ("seconds", ">8.2f"),
                ("queries", ">8d"),
                ("per account", ">11.2f"),
            ],
            rows,
        ),
        f"the playbook adds {rows[1][3] - rows[0][3]:.2f} s and {extra} SQL "
        f"queries ({extra / rows[1][1]:.2f} per account)",
    ]


def main():
    parser = bench.parser(__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[500])
    args = parser.parse_args()
    with bench.open_env(args) as env:
        lines = []
        for size in bench.grow(
            env,
            args.sizes,
            lambda count, existing: build_accounts(env, count, existing),
        ):
            lines += measure(env, size)
    bench.report(lines)


if __name__ == "__main__":
    main()
