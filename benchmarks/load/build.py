"""Builds the database of the load benchmark (benchmarks/load/run.sh).

N key accounts with the data of the other benchmarks, in SQL: contacts, messages,
done activities, a won and an open opportunity and an NPS answer each
(``health_cron.build_accounts``); an active plan for one account in four with three
objectives and three actions, an open escalation for one in five, a stakeholder due
for one in three (``landing_page.add_account_records``); as many ordinary customer
companies, not key accounts, with an open opportunity each (Odoo's own partner form
and pipeline). Then KAM users each owning their share of the accounts and of their
opportunities, the health scheduled action run once (today's snapshot and its lines
for every account), and portal users, each a contact of an account whose plan is
shared with the customer. Writes the logins and the records each user opens to a
JSON file for ``client.py``. Run again on a built database, it builds nothing and
writes the file again::

    python benchmarks/load/build.py -d kam_bench_load --addons-path=... \\
        --manifest /tmp/kam_bench_load.json 10000
"""

import json
import logging
import sys
import time
from pathlib import Path

# the shared helpers and the data builders of the other benchmarks
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench  # noqa: E402
import health_cron  # noqa: E402
import landing_page  # noqa: E402

from odoo import SUPERUSER_ID  # noqa: E402
from odoo.tools import SQL  # noqa: E402

_logger = logging.getLogger("kam_bench")

PLAIN_MARK = "kam-load-plain"
KAM_LOGIN = "load_kam_%02d"
PORTAL_LOGIN = "load_portal_%02d"


def create_users(env, count, login, groups, partners=None):
    """``count`` users named after ``login`` % i, in ``groups`` (xmlids), their
    password their login; with ``partners``, the i-th is the user of the i-th
    partner. Those that exist are kept."""
    Users = env["res.users"].with_context(no_reset_password=True)
    users = Users
    for index in range(count):
        name = login % (index + 1)
        user = Users.search([("login", "=", name)])
        if not user:
            values = {
                "name": name,
                "login": name,
                "password": name,
                "tz": "Europe/Brussels",
                "groups_id": [(6, 0, [env.ref(group).id for group in groups])],
            }
            if partners:
                values["partner_id"] = partners[index]
            user = Users.create(values)
        users |= user
    return users


def assign_accounts(env, account_ids, users):
    """Share the key accounts among ``users`` (their Key Account Manager), with
    the opportunities of each account: by blocks of 4 ids, so that each user has
    their share of the plans (one account in 4) and of the others' figures."""
    env.cr.execute(
        SQL(
            """
            UPDATE res_partner
               SET kam_user_id = (%(users)s::int[])[1 + mod(id / 4, %(count)s)]
             WHERE id = ANY(%(ids)s);
            UPDATE crm_lead l SET user_id = p.kam_user_id
              FROM res_partner p
             WHERE p.id = l.partner_id AND p.id = ANY(%(ids)s);
            """,
            users=users.ids,
            count=len(users),
            ids=account_ids,
        )
    )


def add_plan_contents(env):
    """Three objectives and three actions (two of ours, one of the customer's)
    for every plan without any."""
    env.cr.execute(
        SQL(
            """
            INSERT INTO kam_account_plan_objective (plan_id, partner_id, company_id,
                   sequence, name, kpi, target_value, current_value, unit, progress,
                   deadline, status, portal_shared, create_uid, write_uid,
                   create_date, write_date)
            SELECT p.id, p.partner_id, p.company_id, k, 'Objective ' || k,
                   'Revenue', 100000, 20000 * k, 'EUR', 20 * k,
                   p.date_end - 30 * k, 'on_track', TRUE, %(uid)s, %(uid)s, now(),
                   now()
              FROM kam_account_plan p, generate_series(1, 3) k
             WHERE NOT EXISTS (SELECT 1 FROM kam_account_plan_objective o
                                WHERE o.plan_id = p.id);
            INSERT INTO kam_account_plan_action (plan_id, partner_id, company_id,
                   name, user_id, side, deadline, state, create_uid, write_uid,
                   create_date, write_date)
            SELECT p.id, p.partner_id, p.company_id, 'Action ' || k,
                   CASE WHEN k < 3 THEN a.kam_user_id END,
                   CASE WHEN k < 3 THEN 'company' ELSE 'customer' END,
                   current_date + 20 * k, 'todo', %(uid)s, %(uid)s, now(), now()
              FROM kam_account_plan p
              JOIN res_partner a ON a.id = p.partner_id,
                   generate_series(1, 3) k
             WHERE NOT EXISTS (SELECT 1 FROM kam_account_plan_action x
                                WHERE x.plan_id = p.id);
            """,
            uid=SUPERUSER_ID,
        )
    )


def add_plain_companies(env, count, users):
    """``count`` customer companies that are not key accounts, with an open
    opportunity each, shared among ``users``."""
    company_ids = bench.insert_accounts(
        env.cr,
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, active, type,
                   ref, lang, email, create_uid, write_uid, create_date, write_date)
            SELECT 'Customer ' || g, 'Customer ' || g, TRUE, TRUE, 'contact',
                   %(mark)s, 'en_US', 'info@customer' || g || '.test', %(uid)s,
                   %(uid)s, now(), now()
              FROM generate_series(1, %(count)s) g
         RETURNING id
            """,
            mark=PLAIN_MARK,
            uid=SUPERUSER_ID,
            count=count,
        ),
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO crm_lead (name, type, partner_id, stage_id, active,
                   probability, expected_revenue, prorated_revenue, user_id,
                   company_id, create_uid, write_uid, create_date, write_date)
            SELECT 'Deal ' || a.id, 'opportunity', a.id,
                   (%(stages)s::int[])[1 + mod(a.id, %(stage_count)s)], TRUE, 30,
                   5000 + mod(a.id * 37, 50000), (5000 + mod(a.id * 37, 50000)) * 0.3,
                   (%(users)s::int[])[1 + mod(a.id, %(user_count)s)], %(company)s,
                   %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) AS a(id)
            """,
            stages=open_stages(env),
            stage_count=len(open_stages(env)),
            users=users.ids,
            user_count=len(users),
            company=env.company.id,
            uid=SUPERUSER_ID,
            ids=company_ids,
        )
    )


def open_stages(env):
    """The ids of the pipeline's stages that are not won."""
    env.cr.execute(
        SQL("SELECT id FROM crm_stage WHERE NOT coalesce(is_won, FALSE) ORDER BY id")
    )
    return [row[0] for row in env.cr.fetchall()]


def build(env, size, kam_users):
    """The key accounts, their records and the ordinary customers (committed)."""
    started = time.perf_counter()
    account_ids = health_cron.build_accounts(env, size)
    landing_page.add_account_records(env, account_ids)
    add_plan_contents(env)
    assign_accounts(env, account_ids, kam_users)
    add_plain_companies(env, size, kam_users)
    bench.fill_account_columns(env)
    env.cr.execute(SQL("ANALYZE"))
    env.cr.commit()
    _logger.warning(
        "built %s key accounts in %.0f s", size, time.perf_counter() - started
    )
    seconds, _queries = health_cron.run_cron(env)
    _logger.warning("health scheduled action: %.0f s", seconds)


def share_plans(env, count):
    """Portal users for the first contact of ``count`` accounts with a plan, the
    plan shared with the customer; returns [(user, plan)]."""
    env.cr.execute(
        SQL(
            """
            SELECT DISTINCT ON (p.partner_id) p.id,
                   (SELECT min(c.id) FROM res_partner c
                     WHERE c.parent_id = p.partner_id AND NOT c.is_company)
              FROM kam_account_plan p
          ORDER BY p.partner_id, p.id
             LIMIT %s
            """,
            count,
        )
    )
    rows = env.cr.fetchall()
    plans = env["kam.account.plan"].browse([plan for plan, _contact in rows])
    plans.write({"portal_shared": True})
    users = create_users(
        env,
        len(rows),
        PORTAL_LOGIN,
        ["base.group_portal"],
        partners=[contact for _plan, contact in rows],
    )
    return list(zip(users, plans, strict=True))


def manifest(env, kam_users, portal):
    """What client.py needs: logins, and the records each user opens."""
    cr = env.cr
    kams = []
    for user in kam_users:
        cr.execute(
            SQL(
                """
                SELECT array_agg(a.id ORDER BY a.id),
                       array_remove(array_agg(p.id ORDER BY a.id), NULL),
                       array_remove(array_agg(s.id ORDER BY a.id), NULL)
                  FROM res_partner a
                  LEFT JOIN kam_account_plan p ON p.partner_id = a.id
                  LEFT JOIN LATERAL (
                       SELECT id FROM kam_health_snapshot
                        WHERE partner_id = a.id
                     ORDER BY date DESC LIMIT 1) s ON TRUE
                 WHERE a.is_key_account AND a.kam_user_id = %s
                """,
                user.id,
            )
        )
        accounts, plans, snapshots = cr.fetchone()
        if not accounts:
            # a user added after the build: no account of their own
            continue
        kams.append(
            {
                "login": user.login,
                "password": user.login,
                "accounts": accounts,
                "plans": plans,
                # the latest health snapshot of each account
                "snapshots": snapshots,
            }
        )
    cr.execute(
        SQL(
            "SELECT id FROM res_partner WHERE ref = %s ORDER BY id LIMIT 2000",
            PLAIN_MARK,
        )
    )
    customers = [row[0] for row in cr.fetchall()]
    return {
        "key_accounts": bench.count_key_accounts(cr),
        "kam_users": kams,
        "portal_users": [
            {"login": user.login, "password": user.login, "plan": plan.id}
            for user, plan in portal
        ],
        "customers": customers,
    }


def main():
    parser = bench.parser(__doc__)
    parser.add_argument("size", nargs="?", type=int, default=10000)
    parser.add_argument("--manifest", required=True, help="the JSON file to write")
    parser.add_argument("--kams", type=int, default=30, help="KAM users")
    parser.add_argument("--portal", type=int, default=30, help="portal users")
    args = parser.parse_args()
    with bench.open_env(args) as env:
        kam_users = create_users(
            env,
            args.kams,
            KAM_LOGIN,
            ["base.group_user", "kam_management.group_kam_user"],
        )
        env.cr.commit()
        if not bench.count_key_accounts(env.cr):
            build(env, args.size, kam_users)
        portal = share_plans(env, args.portal)
        data = manifest(env, kam_users, portal)
    Path(args.manifest).write_text(json.dumps(data))
    print(
        f"{data['key_accounts']} key accounts, {len(data['kam_users'])} KAM users, "
        f"{len(data['portal_users'])} portal users: {args.manifest}"
    )


if __name__ == "__main__":
    main()
