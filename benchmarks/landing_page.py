"""Benchmark of the Key Accounts landing page of kam_management.

Builds N key accounts in SQL (health band, score and trend spread over the bands, a
strategy, one account in four with an active plan, one in five with an open
escalation, one in three with a stakeholder due), then measures what the page asks
the server when it opens: ``res.partner.kam_dashboard_data()`` (the header's tiles)
and the kanban's ``web_search_read`` (its fields, limit 40, worst health first),
for a KAM user (on "My Accounts", the KAM of one account in ten) and a manager (all
accounts). Prints seconds and SQL queries of each call and of both together (best
of a few runs, caches warm as in a running server). Run it on a throw-away database
(see benchmarks/README.md)::

    python benchmarks/landing_page.py -d kam_bench_landing --addons-path=... 2000

With ``--units U`` each key account heads a corporate group of U unit companies
(two levels, as in ``health_cron.py``); the page lists the key accounts only.
"""

import bench

from odoo import SUPERUSER_ID
from odoo.tools import SQL

MARK = "kam-bench-landing"
RUNS = 5
# the printed table: one row per user and call, best of RUNS
COLUMNS = [
    ("user", "<10"),
    ("accounts", ">8"),
    ("call", "<20"),
    ("ms", ">8.1f"),
    ("queries", ">8"),
]

# The fields of the landing page's kanban (views/kam_dashboard_views.xml), as the
# web client asks for them
KANBAN_SPEC = {
    "name": {},
    "kam_health_color": {},
    "kam_health_band": {},
    "kam_health_score": {},
    "kam_health_trend": {},
    "kam_strategy": {},
    "kam_current_plan_id": {"fields": {"display_name": {}}},
    "kam_plan_progress": {},
    "kam_escalation_open_count": {},
    "kam_user_id": {"fields": {"display_name": {}}},
}


def bench_users(env):
    """A KAM user and a KAM manager for the benchmark (created once)."""
    Users = env["res.users"].with_context(no_reset_password=True)
    users = []
    for login, group in (
        ("bench_kam", "kam_management.group_kam_user"),
        ("bench_kam_manager", "kam_management.group_kam_manager"),
    ):
        user = Users.search([("login", "=", login)])
        if not user:
            user = Users.create(
                {
                    "name": login,
                    "login": login,
                    "groups_id": [
                        (4, env.ref("base.group_user").id),
                        (4, env.ref(group).id),
                    ],
                }
            )
        users.append(user)
    return users


def build_accounts(env, count, kam, units=0):
    """Add ``count`` key accounts with their plans, escalations and stakeholders,
    and ``units`` unit companies each."""
    cr = env.cr
    strategies = ["harvest", "maintain", "selective_investment", "expansive_investment"]
    account_ids = bench.insert_accounts(
        cr,
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, is_key_account,
                   kam_since, kam_user_id, kam_strategy, kam_health_score,
                   kam_health_band, kam_health_trend, kam_health_date, active, type,
                   ref, lang, create_uid, write_uid, create_date, write_date)
            SELECT 'Bench Account ' || g, 'Bench Account ' || g, TRUE, TRUE,
                   current_date - 400,
                   CASE WHEN mod(g, 10) = 0 THEN %(kam)s ELSE %(uid)s END,
                   (%(strategies)s::varchar[])[1 + mod(g, 4)],
                   CASE WHEN mod(g, 7) = 0 THEN NULL ELSE mod(g * 37, 100) END,
                   CASE WHEN mod(g, 7) = 0 THEN NULL
                        WHEN mod(g * 37, 100) < 40 THEN 'red'
                        WHEN mod(g * 37, 100) < 70 THEN 'yellow' ELSE 'green' END,
                   mod(g, 11) - 5, current_date, TRUE, 'contact', %(mark)s, 'en_US',
                   %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(count)s) g
         RETURNING id
            """,
            kam=kam.id,
            uid=SUPERUSER_ID,
            strategies=strategies,
            mark=MARK,
            count=count,
        ),
    )
    bench.insert_units(cr, account_ids, units)
    add_account_records(env, account_ids)
    bench.fill_account_columns(env)
    cr.execute(SQL("ANALYZE"))
    env.invalidate_all()
    return account_ids


def add_account_records(env, account_ids):
    """Give the key accounts ``account_ids`` an active plan (one in four), an open
    escalation (one in five) and a stakeholder due for contact (one in three, a
    new contact each), in SQL."""
    cr = env.cr
    company = env.company.id
    cr.execute(
        SQL(
            """
            INSERT INTO kam_account_plan (name, partner_id, company_id, user_id, state,
                   review_cadence, date_start, date_end, next_review_date, progress,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'Bench plan ' || a.id, a.id, %(company)s, %(uid)s, 'active',
                   'quarterly', current_date - 120, current_date + 245,
                   current_date - 30 + mod(a.id, 60), mod(a.id * 13, 100),
                   %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) AS a(id) WHERE mod(a.id, 4) = 0
            """,
            ids=account_ids,
            company=company,
            uid=SUPERUSER_ID,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO kam_escalation (name, partner_id, company_id, reason, severity,
                   state, source, deadline, create_uid, write_uid, create_date,
                   write_date)
            SELECT 'ESC-BENCH-' || a.id, a.id, %(company)s, 'other', 'medium', 'new',
                   'manual', current_date + 5, %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) AS a(id) WHERE mod(a.id, 5) = 0
            """,
            ids=account_ids,
            company=company,
            uid=SUPERUSER_ID,
        )
    )
    cr.execute(
        SQL(
            """
            WITH contact AS (
                INSERT INTO res_partner (name, complete_name, parent_id,
                       commercial_partner_id, active, type, lang, create_uid,
                       write_uid, create_date, write_date)
                SELECT 'Bench Contact ' || a.id, 'Bench Contact ' || a.id, a.id, a.id,
                       TRUE, 'contact', 'en_US', %(uid)s, %(uid)s, now(), now()
                  FROM unnest(%(ids)s::int[]) AS a(id) WHERE mod(a.id, 3) = 0
             RETURNING id, parent_id)
            INSERT INTO kam_stakeholder (partner_id, contact_id, company_id, role,
                   attitude, relationship_strength, contact_frequency_days,
                   next_contact_date, active, departed, create_uid, write_uid,
                   create_date, write_date)
            SELECT parent_id, id, %(company)s, 'user', 'neutral', 3, 30,
                   current_date - 10, TRUE, FALSE, %(uid)s, %(uid)s, now(), now()
              FROM contact
            """,
            ids=account_ids,
            company=company,
            uid=SUPERUSER_ID,
        )
    )


def measure(env, user):
    """Best of RUNS of each call the page makes, as ``user``: the tiles' figures
    and {call: (s, queries)}."""
    # the web client's context: with the time zone, "today" reads no user row
    context = {"lang": "en_US", "tz": "Europe/Brussels", "uid": user.id}
    Partner = env["res.partner"].with_user(user).with_context(context)
    action = Partner.action_kam_dashboard()
    domain = [("is_key_account", "=", True)]
    if action["context"].get("search_default_my_accounts"):
        domain += [
            "|",
            ("kam_user_id", "=", user.id),
            ("kam_team_member_ids.user_id", "=", user.id),
        ]
    calls = {
        "kam_dashboard_data": lambda: Partner.kam_dashboard_data(),
        "web_search_read": lambda: Partner.web_search_read(
            domain, KANBAN_SPEC, limit=40, order="kam_health_score, name"
        ),
    }
    best = {}
    for _run in range(RUNS):
        env.invalidate_all()
        for name, call in calls.items():
            seconds, queries, result = bench.measure(env.cr, call)
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, queries)
            if name == "kam_dashboard_data":
                tiles = result
    best["both"] = tuple(sum(values) for values in zip(*best.values(), strict=True))
    return tiles, best


def main():
    parser = bench.parser(__doc__)
    parser.add_argument("size", nargs="?", type=int, default=2000)
    parser.add_argument(
        "--units", type=int, default=0, help="unit companies per key account"
    )
    args = parser.parse_args()
    with bench.open_env(args) as env:
        kam, manager = bench_users(env)
        env.cr.execute(SQL("SELECT count(*) FROM res_partner WHERE ref = %s", MARK))
        existing = env.cr.fetchone()[0]
        if existing < args.size:
            build_accounts(env, args.size - existing, kam, args.units)
            env.cr.commit()
        rows, figures = [], []
        for label, user in (("KAM user", kam), ("manager", manager)):
            tiles, best = measure(env, user)
            rows += [
                (label, tiles["total"], name, seconds * 1000, queries)
                for name, (seconds, queries) in best.items()
            ]
            figures.append(f"{label} tiles: {tiles}")
        print(
            f"Landing page, {args.size} key accounts with {args.units} units each "
            f"(best of {RUNS} runs)"
        )
        print("\n".join([*bench.table(COLUMNS, rows), *figures]))
        env.cr.rollback()


if __name__ == "__main__":
    main()
