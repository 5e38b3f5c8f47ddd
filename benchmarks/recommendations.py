"""Benchmark of the whitespace grid and the recommendations (DESIGN §13).

Builds, all in SQL, CUSTOMERS customers (default 10,000) of the 20 industries of
Odoo's data, KEY of them key accounts (500; 100 of them with two units each,
companies below them that buy too), 200 product categories (20 families of 10
under a top category, a product for sale in each) and LINES posted invoice lines
(1,000,000, 10 per invoice).

Each industry favours 12 categories: a customer buys each of them with
probability 0.6 and any other with probability 0.02, from an adoption date
drawn over the last two years; its invoices (dated over the same two years)
have lines in the categories it had adopted by then, the amounts scaled by the
customer's size. The categories adopted in the last 6 months are what the
backtest must find.

Then it times, on the current company:

- ``kam.recommendation._kam_refresh()``: the one aggregate query, the rules of
  every key account, their upsert by batches and the backtest (first run, then a
  re-run that updates what the first stored), and prints the backtest's hit rate
  beside the baseline's;
- ``kam.whitespace.kam_grid()`` of the key account with units that bought most,
  as its Key Account Manager (best of 5, caches emptied before each): seconds
  and SQL queries;
- the programme report (``kam.whitespace`` grouped by state, every key account).

Run it on a throw-away database (see benchmarks/README.md)::

    python benchmarks/recommendations.py -d kam_bench_recommendations \\
        --addons-path=... [--customers 10000] [--key 500] [--lines 1000000]
"""

import time

import bench
import numpy as np

from odoo import Command
from odoo.tools import SQL

LINES_PER_INVOICE = 10
FAMILIES, PER_FAMILY = 20, 10
FAVOURITES = 12
DAYS = 730
SEED = 25


def build(env, customers, key, lines):
    """The data of the benchmark; returns the KAM user and the account whose
    grid is timed."""
    cr = env.cr
    rng = np.random.default_rng(SEED)
    company = env.company
    products = build_categories(env)
    industry_ids = env["res.partner.industry"].search([], order="id").ids
    n_categ = len(products)
    user = env["res.users"].create(
        {
            "name": "Bench KAM",
            "login": "bench_kam",
            "groups_id": [
                Command.set(
                    [
                        env.ref("sales_team.group_sale_salesman").id,
                        env.ref("kam_management.group_kam_user").id,
                    ]
                )
            ],
        }
    )
    # customers: industry, size, key accounts and their units
    industry = rng.integers(len(industry_ids), size=customers)
    size = rng.lognormal(0, 0.8, customers)
    partner_ids = insert_partners(env, customers, industry, industry_ids, key, user)
    units = insert_units(env, partner_ids[: min(100, key)])
    env["res.partner"]._kam_fill_account_columns()
    # what each customer buys, and since when
    favourites = [
        rng.choice(n_categ, FAVOURITES, replace=False) for _industry in industry_ids
    ]
    prob = np.full((len(industry_ids), n_categ), 0.02)
    for i, chosen in enumerate(favourites):
        prob[i, chosen] = 0.6
    buys = rng.random((customers, n_categ)) < prob[industry]
    adopted = np.where(buys, rng.integers(0, DAYS, size=(customers, n_categ)), DAYS)
    # invoices: dated over two years, lines in the categories adopted by then
    invoices = lines // LINES_PER_INVOICE
    # bigger customers buy more often
    inv_customer = rng.choice(customers, size=invoices, p=size / size.sum())
    inv_age = rng.integers(0, DAYS, size=invoices)  # days before today
    line_move, line_categ = [], []
    for move, (cust, age) in enumerate(zip(inv_customer, inv_age, strict=True)):
        # adopted ``adopted`` days after the start of the two years
        owned = np.flatnonzero(adopted[cust] <= DAYS - age)
        if not owned.size:
            owned = np.flatnonzero(buys[cust]) if buys[cust].any() else [0]
        line_move.append(np.full(LINES_PER_INVOICE, move))
        line_categ.append(rng.choice(owned, LINES_PER_INVOICE))
    line_move = np.concatenate(line_move)
    line_categ = np.concatenate(line_categ)
    amounts = np.round(
        rng.lognormal(5, 1, line_move.size) * size[inv_customer[line_move]], 2
    )
    buyers = np.asarray(partner_ids)[inv_customer]
    # the accounts with units buy through them too: a third of their invoices
    # each for the account and its two units
    for account_row, unit_ids in enumerate(units):
        companies = [partner_ids[account_row], *unit_ids]
        for n, move in enumerate(np.flatnonzero(inv_customer == account_row)):
            buyers[move] = companies[n % 3]
    move_ids = insert_invoices(env, company, buyers, inv_age)
    insert_lines(
        env,
        company,
        np.asarray(move_ids)[line_move],
        np.asarray(products)[line_categ],
        amounts,
    )
    for table in ("res_partner", "account_move", "account_move_line"):
        cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    # the grid timed: the account with units that bought most in 12 months
    recent = np.bincount(inv_customer[inv_age < 365], minlength=customers)
    busiest = int(np.argmax(recent[: len(units)]))
    return user, env["res.partner"].browse(partner_ids[busiest])


def build_categories(env):
    """200 categories in 20 families under a top category, a product for sale
    in each; returns the product ids, one per category."""
    Category = env["product.category"]
    top = Category.create({"name": "Bench"})
    families = Category.create(
        [{"name": f"Family {f}", "parent_id": top.id} for f in range(FAMILIES)]
    )
    leaves = Category.create(
        [
            {"name": f"Category {f}.{n}", "parent_id": family.id}
            for f, family in enumerate(families)
            for n in range(PER_FAMILY)
        ]
    )
    products = env["product.product"].create(
        [
            {"name": f"Product {leaf.name}", "categ_id": leaf.id, "sale_ok": True}
            for leaf in leaves
        ]
    )
    return products.ids


def insert_partners(env, count, industry, industry_ids, key, user):
    """The customers, companies of an industry; the first ``key`` are key
    accounts of ``user``."""
    cr = env.cr
    defaults = required_defaults(env)
    for name, value in defaults.items():
        cr.execute(
            SQL(
                "ALTER TABLE res_partner ALTER COLUMN %s SET DEFAULT %s",
                SQL.identifier(name),
                value,
            )
        )
    ids = bench.insert_accounts(
        cr,
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, active, type,
                   industry_id, is_key_account, kam_user_id, kam_since, lang,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'Customer ' || n, 'Customer ' || n, TRUE, TRUE, 'contact', ind,
                   n <= %(key)s, CASE WHEN n <= %(key)s THEN %(user)s END,
                   CASE WHEN n <= %(key)s THEN current_date - 400 END, 'en_US',
                   1, 1, now(), now()
              FROM unnest(%(industries)s::int[]) WITH ORDINALITY AS t(ind, n)
          ORDER BY n
         RETURNING id
            """,
            key=key,
            user=user.id,
            industries=[industry_ids[i] for i in industry],
        ),
    )
    for name in defaults:
        cr.execute(
            SQL(
                "ALTER TABLE res_partner ALTER COLUMN %s DROP DEFAULT",
                SQL.identifier(name),
            )
        )
    return sorted(ids)


def required_defaults(env):
    """The required selection columns of the partner with their ORM default
    (``autopost_bills`` of Invoicing)."""
    Partner = env["res.partner"]
    return {
        name: field.default(Partner)
        for name, field in Partner._fields.items()
        if field.store
        and field.required
        and field.default
        and field.type == "selection"
    }


def insert_units(env, account_ids):
    """Two companies below each account (its units); ``[[unit ids]]``."""
    Partner = env["res.partner"]
    units = Partner.create(
        [
            {
                "name": f"Unit {n} of {account_id}",
                "is_company": True,
                "parent_id": account_id,
            }
            for account_id in account_ids
            for n in (1, 2)
        ]
    )
    return [units.ids[i : i + 2] for i in range(0, len(units), 2)]


def insert_invoices(env, company, partner_ids, ages):
    """Posted customer invoices of ``partner_ids`` ``ages`` days ago; their ids
    in that order."""
    cr = env.cr
    cr.execute(
        SQL(
            "SELECT id FROM account_journal WHERE type = 'sale' AND company_id = %s"
            " ORDER BY id LIMIT 1",
            company.id,
        )
    )
    journal_id = cr.fetchone()[0]
    cr.execute(
        SQL(
            """
            INSERT INTO account_move (name, move_type, state, journal_id, company_id,
                   currency_id, partner_id, commercial_partner_id, date, invoice_date,
                   invoice_date_due, payment_state, auto_post,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'RB/' || n, 'out_invoice', 'posted', %(journal)s, %(company)s,
                   %(currency)s, p.id, p.commercial_partner_id,
                   current_date - t.age, current_date - t.age,
                   current_date - t.age + 30, 'paid', 'no', 1, 1, now(), now()
              FROM unnest(%(partners)s::int[], %(ages)s::int[])
                   WITH ORDINALITY AS t(partner_id, age, n)
              JOIN res_partner p ON p.id = t.partner_id
         RETURNING id, name
            """,
            journal=journal_id,
            company=company.id,
            currency=company.currency_id.id,
            partners=[int(p) for p in partner_ids],
            ages=[int(a) for a in ages],
        )
    )
    by_number = {int(name[3:]): move_id for move_id, name in cr.fetchall()}
    return [by_number[n] for n in range(1, len(partner_ids) + 1)]


def insert_lines(env, company, move_ids, product_ids, amounts, chunk=200_000):
    """The product lines of the invoices, by chunks: only the columns the
    revenue lines read and those the table requires."""
    cr = env.cr
    cr.execute(
        SQL(
            "SELECT default_account_id FROM account_journal WHERE type = 'sale'"
            " AND company_id = %s ORDER BY id LIMIT 1",
            company.id,
        )
    )
    income_account = cr.fetchone()[0]
    for start in range(0, len(move_ids), chunk):
        stop = start + chunk
        cr.execute(
            SQL(
                """
                INSERT INTO account_move_line (move_id, account_id, company_id,
                       journal_id, currency_id, company_currency_id, partner_id, date,
                       parent_state, display_type, product_id, quantity, price_unit,
                       price_subtotal, price_total, balance, debit, credit,
                       amount_currency, create_uid, write_uid, create_date,
                       write_date)
                SELECT m.id, %(account)s, m.company_id, m.journal_id, m.currency_id,
                       m.currency_id, m.partner_id, m.date, 'posted', 'product',
                       t.product_id, 1, t.amount, t.amount, t.amount, -t.amount, 0,
                       t.amount, -t.amount, 1, 1, now(), now()
                  FROM unnest(%(moves)s::int[], %(products)s::int[],
                              %(amounts)s::numeric[]) AS t(move_id, product_id, amount)
                  JOIN account_move m ON m.id = t.move_id
                """,
                account=income_account,
                moves=[int(m) for m in move_ids[start:stop]],
                products=[int(p) for p in product_ids[start:stop]],
                amounts=[float(a) for a in amounts[start:stop]],
            )
        )


def time_grid(env, user, account, runs=5):
    """Best of ``runs`` of the grid of ``account`` read by ``user``: (seconds,
    queries, cells bought)."""
    Whitespace = env["kam.whitespace"].with_user(user)
    best = None
    for _run in range(runs):
        env.invalidate_all()
        seconds, queries, grid = bench.measure(
            env.cr, lambda: Whitespace.kam_grid(account.id)
        )
        if best is None or seconds < best[0]:
            best = (seconds, queries, grid)
    seconds, queries, grid = best
    return seconds, queries, grid


def main():
    parser = bench.parser(__doc__)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--key", type=int, default=500)
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    with bench.open_env(args) as env:
        started = time.perf_counter()
        user, account = build(env, args.customers, args.key, args.lines)
        env.cr.commit()
        lines = [
            f"built {args.customers} customers, {args.key} key accounts, "
            f"{args.lines} invoice lines in {time.perf_counter() - started:.1f} s; "
            f"category level {env.company._kam_whitespace_depth()}"
        ]
        Recommendation = env["kam.recommendation"]
        for label in ("first run", "re-run"):
            env.invalidate_all()
            seconds, queries, run = bench.measure(
                env.cr, Recommendation._kam_refresh, commit=True
            )
            lines.append(
                f"recommendations, {label}: {seconds:.2f} s, {queries} SQL queries, "
                f"{run.recommendation_count} recommendations for {args.key} key "
                f"accounts ({run.customer_count} customers, {run.category_count} "
                f"categories)"
            )
        lines.append(
            f"backtest hit rate@{run.k}: {run.hit_rate:.3f}, baseline (most bought "
            f"categories): {run.baseline_hit_rate:.3f}, over {run.accounts} key "
            "accounts that bought a new category in the last 6 months"
        )
        seconds, queries, grid = time_grid(env, user, account)
        lines.append(
            f"grid of {account.name} ({len(grid['units'])} units × "
            f"{len(grid['categories'])} categories, {len(grid['cells'])} cells "
            f"bought or in the pipeline): {seconds * 1000:.1f} ms, {queries} SQL "
            "queries (best of 5)"
        )
        env.invalidate_all()
        seconds, queries, groups = bench.measure(
            env.cr,
            lambda: env["kam.whitespace"]
            .with_user(user)
            .read_group([], ["revenue_12m:sum"], ["state"]),
        )
        lines.append(
            f"programme report (every key account, by state): {seconds:.2f} s, "
            f"{queries} SQL queries, "
            + ", ".join(f"{g['state']} {g['state_count']}" for g in groups)
        )
    bench.report(lines)


if __name__ == "__main__":
    main()
