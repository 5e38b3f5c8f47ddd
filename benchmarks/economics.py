"""Benchmark of the economics of key accounts and of the candidates list (issue 26).

On a database with Sales, Sales Margin, Invoicing, Project and Timesheets (so
that every bridge of the economics is installed), builds N key accounts with the
data of ``revenue.py`` (contacts, messages, activities, opportunities, a survey,
20 posted invoices), each invoice line of a product with a cost, a project with
10 timesheets in the last 12 months and an active plan with a budget; and N
candidates (companies that are not key accounts) with the same invoices. Then
times the health run (``kam.health.engine._kam_health_run``, with the
``economics`` factor) and prints seconds and SQL queries per 1,000 accounts,
and opens the first page of the Candidates list as the web client does
(``web_search_read`` of its list view, 80 rows, as a KAM user) and prints its
server time and queries. Run it on a throw-away database (see
benchmarks/README.md)::

    python benchmarks/economics.py -d kam_bench_economics --addons-path=... 1000 10000

Each size is built on top of the previous one.
"""

import ast

import bench
from lxml import etree
from revenue import build_invoices, build_partners

from odoo import SUPERUSER_ID
from odoo.tools import SQL

TIMESHEETS_PER_ACCOUNT = 10
PAGE = 80


def build_economics(env, count):
    """``count`` key accounts and ``count`` candidates with their invoices; the
    key accounts' projects, timesheets and plans; every invoice line sells the
    benchmark's product (list price 120, cost 70)."""
    cr = env.cr
    accounts = build_partners(env, count)
    candidates = build_partners(env, count)
    cr.execute(
        SQL(
            "UPDATE res_partner SET is_key_account = FALSE, kam_since = NULL,"
            " kam_user_id = NULL, kam_strategy = NULL, name = 'Bench Candidate '"
            " || id WHERE id = ANY(%s)",
            candidates,
        )
    )
    build_invoices(env, accounts + candidates)
    product = _product(env)
    cr.execute(
        SQL(
            "UPDATE account_move_line ml SET product_id = %s, quantity = 1"
            "  FROM account_move m WHERE m.id = ml.move_id"
            "   AND m.partner_id = ANY(%s)",
            product.id,
            accounts + candidates,
        )
    )
    _build_projects(env, accounts)
    _build_plans(env, accounts)
    for table in ("account_analytic_line", "project_project", "kam_account_plan"):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))


def _product(env):
    product = env["product.product"].search([("default_code", "=", "KAM-BENCH")])
    return product or env["product.product"].create(
        {
            "name": "Bench Valve",
            "default_code": "KAM-BENCH",
            "list_price": 120.0,
            "standard_price": 70.0,
        }
    )


def _build_projects(env, account_ids):
    """A project per account (the columns of one the ORM made) and its
    timesheets, at 40 an hour."""
    cr = env.cr
    template = env["project.project"].search([("name", "=", "Bench Template")])
    template = template or env["project.project"].create({"name": "Bench Template"})
    columns = (
        "alias_id, privacy_visibility, rating_status, rating_status_period,"
        " last_update_status, billing_type, company_id, active"
    )
    cr.execute(
        SQL(
            """
            INSERT INTO project_project (name, partner_id, %(columns)s,
                   create_uid, write_uid, create_date, write_date)
            SELECT jsonb_build_object('en_US', 'Bench Project ' || a.id), a.id,
                   %(columns)s, %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) AS a(id), project_project t
             WHERE t.id = %(template)s
         RETURNING id, partner_id
            """,
            columns=SQL(columns),
            uid=SUPERUSER_ID,
            ids=account_ids,
            template=template.id,
        )
    )
    projects = cr.fetchall()
    cr.execute(
        SQL(
            """
            INSERT INTO account_analytic_line (name, date, amount, unit_amount,
                   company_id, project_id, partner_id, create_uid, write_uid,
                   create_date, write_date)
            SELECT 'Work', current_date - (random() * 360)::int, -40 * h.hours,
                   h.hours, %(company)s, p.id, p.partner_id, %(uid)s, %(uid)s,
                   now(), now()
              FROM unnest(%(projects)s::int[], %(partners)s::int[])
                   AS p(id, partner_id)
             CROSS JOIN LATERAL (SELECT n, 1 + (random() * 7)::int AS hours
                                   FROM generate_series(1, %(count)s) n
                                  WHERE p.id IS NOT NULL) h
            """,
            company=env.company.id,
            uid=SUPERUSER_ID,
            projects=[project_id for project_id, _partner in projects],
            partners=[partner_id for _project, partner_id in projects],
            count=TIMESHEETS_PER_ACCOUNT,
        )
    )


def _build_plans(env, account_ids):
    """An active plan per account, started 6 months ago, with a budget."""
    env.cr.execute(
        SQL(
            """
            INSERT INTO kam_account_plan (name, partner_id, company_id, state,
                   review_cadence, date_start, date_end, budget,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'Bench Plan ' || a.id, a.id, %(company)s, 'active', 'quarterly',
                   current_date - 180, current_date + 184, 5000,
                   %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(ids)s::int[]) AS a(id)
            """,
            company=env.company.id,
            uid=SUPERUSER_ID,
            ids=account_ids,
        )
    )


def _kam_user(env):
    user = env["res.users"].search([("login", "=", "kam_bench_user")])
    return user or env["res.users"].create(
        {
            "name": "Bench KAM",
            "login": "kam_bench_user",
            "groups_id": [
                (4, env.ref("sales_team.group_sale_salesman").id),
                (4, env.ref("kam_management.group_kam_user").id),
            ],
        }
    )


def candidates_page(env):
    """The first page of the Candidates list, as the web client reads it."""
    action = env.ref("kam_management.res_partner_action_candidates")
    view = env.ref("kam_management.res_partner_view_list_kam_candidates")
    Partner = env["res.partner"].with_user(_kam_user(env))
    arch = etree.fromstring(
        Partner.get_views([(view.id, "list")])["views"]["list"]["arch"]
    )
    specification = {node.get("name"): {} for node in arch.iter("field")}
    domain = ast.literal_eval(action.domain)
    return Partner.web_search_read(domain, specification, limit=PAGE)


def main():
    parser = bench.parser(__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    args = parser.parse_args()
    with bench.open_env(args) as env:
        lines, queries = [], {}
        for size in bench.grow(
            env,
            args.sizes,
            lambda count, _existing: build_economics(env, count),
            what="key accounts and as many candidates with 20 invoices each",
        ):
            env.invalidate_all()
            run = env["kam.health.engine"]._kam_health_run
            seconds, count, _result = bench.measure(env.cr, run, commit=True)
            queries[size] = count
            lines.append(bench.per_thousand(size, "health run", seconds, count, 18))
            candidates_page(env)  # the caches of a first request (views, rights)
            env.invalidate_all()
            seconds, count, page = bench.measure(env.cr, lambda: candidates_page(env))
            lines.append(
                f"N={size}: candidates list, first page of {len(page['records'])}"
                f" of {page['length']}: {seconds * 1000:.0f} ms, {count} queries"
            )
        if marginal := bench.marginal(queries):
            lines.append(f"health run: {marginal}")
        factor = env.ref("kam_management.kam_health_factor_economics")
        with_data = env["kam.health.snapshot.line"].search_count(
            [("factor_id", "=", factor.id), ("has_data", "=", True)]
        )
        lines.append(f"economics lines with data: {with_data}")
    bench.report(lines)


if __name__ == "__main__":
    main()
