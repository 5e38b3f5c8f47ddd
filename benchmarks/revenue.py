"""Benchmark of the revenue of key accounts with Sales and Invoicing installed.

Builds N key accounts with the data of ``health_cron.py`` (contacts, messages,
activities, opportunities, a survey) and 20 posted customer invoices each over
the last two years (one credit note in ten), all in SQL; then times the health
run (``kam.health.engine._kam_health_run``, which also stores the revenue
figures of the accounts) and the build of the portfolio workbook
(``kam.xlsx.export._kam_portfolio_workbook``, what the download route streams),
and prints seconds and SQL queries
per 1,000 accounts. Run it on a throw-away database (see benchmarks/README.md)::

    python benchmarks/revenue.py -d kam_bench_revenue --addons-path=... 1000 10000

Each size is built on top of the previous one.
"""

import bench
from health_cron import build_accounts

from odoo import SUPERUSER_ID
from odoo.tools import SQL

INVOICES_PER_ACCOUNT = 20


def build_partners(env, count):
    """``build_accounts`` of ``health_cron.py``, with the partner columns that
    Invoicing makes required (``autopost_bills``) given their ORM default."""
    Partner = env["res.partner"]
    columns = [
        name
        for name, field in Partner._fields.items()
        if field.store
        and field.required
        and field.default
        and name != "id"
        and field.type == "selection"
    ]
    for name in columns:
        env.cr.execute(
            SQL(
                "ALTER TABLE res_partner ALTER COLUMN %s SET DEFAULT %s",
                SQL.identifier(name),
                Partner._fields[name].default(Partner),
            )
        )
    account_ids = build_accounts(env, count)
    for name in columns:
        env.cr.execute(
            SQL(
                "ALTER TABLE res_partner ALTER COLUMN %s DROP DEFAULT",
                SQL.identifier(name),
            )
        )
    return account_ids


def build_invoices(env, account_ids):
    """20 posted customer invoices per account in the last 730 days, every
    tenth one a credit note, half of them paid, due 30 days after their date,
    each with one product line (the revenue lines are invoice lines)."""
    cr = env.cr
    company = env.company
    cr.execute(
        SQL(
            "SELECT id, default_account_id FROM account_journal"
            " WHERE type = 'sale' AND company_id = %s ORDER BY id LIMIT 1",
            company.id,
        )
    )
    journal_id, income_account_id = cr.fetchone()
    cr.execute(
        SQL(
            """
            INSERT INTO account_move (name, move_type, state, journal_id, company_id,
                   currency_id, partner_id, commercial_partner_id, date, invoice_date,
                   invoice_date_due, amount_untaxed, amount_untaxed_signed,
                   amount_total, amount_total_signed, amount_residual,
                   amount_residual_signed, payment_state, auto_post,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/' || v.id || '/' || v.n,
                   CASE WHEN mod(v.n, 10) = 0 THEN 'out_refund' ELSE 'out_invoice' END,
                   'posted', %(journal)s, %(company)s, %(currency)s, v.id, v.id,
                   v.day, v.day, v.day + 30, v.amount,
                   v.sign * v.amount, v.amount, v.sign * v.amount,
                   CASE WHEN mod(v.n, 2) = 0 THEN 0 ELSE v.amount END,
                   CASE WHEN mod(v.n, 2) = 0 THEN 0 ELSE v.sign * v.amount END,
                   CASE WHEN mod(v.n, 2) = 0 THEN 'paid' ELSE 'not_paid' END,
                   'no', %(uid)s, %(uid)s, now(), now()
              -- random() in the select list of the invoices: a date and an amount
              -- of each invoice (a LATERAL subquery that does not read the invoice
              -- is evaluated once: every invoice had the same date)
              FROM (SELECT a.id, n, current_date - (random() * 730)::int AS day,
                           (100 + (random() * 9900)::int)::numeric AS amount,
                           CASE WHEN mod(n, 10) = 0 THEN -1 ELSE 1 END AS sign
                      FROM unnest(%(ids)s::int[]) AS a(id)
                     CROSS JOIN generate_series(1, %(per_account)s) n) v
            """,
            journal=journal_id,
            company=company.id,
            currency=company.currency_id.id,
            uid=SUPERUSER_ID,
            ids=account_ids,
            per_account=INVOICES_PER_ACCOUNT,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO account_move_line (move_id, account_id, company_id,
                   journal_id, currency_id, partner_id, date, parent_state,
                   display_type,
                   quantity, price_unit, price_subtotal, balance, debit, credit,
                   amount_currency, create_uid, write_uid, create_date, write_date)
            SELECT m.id, %(account)s, m.company_id, m.journal_id, m.currency_id,
                   m.partner_id, m.date, 'posted', 'product', 1, m.amount_untaxed,
                   m.amount_untaxed, -m.amount_untaxed_signed,
                   GREATEST(-m.amount_untaxed_signed, 0),
                   GREATEST(m.amount_untaxed_signed, 0),
                   -m.amount_untaxed_signed, %(uid)s, %(uid)s, now(), now()
              FROM account_move m
             WHERE m.partner_id = ANY(%(ids)s)
            """,
            uid=SUPERUSER_ID,
            ids=account_ids,
            account=income_account_id,
        )
    )
    cr.execute(SQL("ANALYZE account_move"))
    cr.execute(SQL("ANALYZE account_move_line"))


def main():
    parser = bench.parser(__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    args = parser.parse_args()
    with bench.open_env(args) as env:
        runs = {
            "health run": env["kam.health.engine"]._kam_health_run,
            "portfolio workbook": env["kam.xlsx.export"]._kam_portfolio_workbook,
        }
        lines, queries = [], {label: {} for label in runs}
        for size in bench.grow(
            env,
            args.sizes,
            lambda count, _existing: build_invoices(env, build_partners(env, count)),
            what=f"accounts with {INVOICES_PER_ACCOUNT} invoices each",
        ):
            for label, function in runs.items():
                env.invalidate_all()
                seconds, count, _result = bench.measure(env.cr, function, commit=True)
                queries[label][size] = count
                lines.append(bench.per_thousand(size, label, seconds, count, 18))
        for label in runs:
            if marginal := bench.marginal(queries[label]):
                lines.append(f"{label}: {marginal}")
        # the check that the figures read the benchmark's invoices
        with_revenue = env["res.partner"].search_count(
            [("is_key_account", "=", True), ("kam_revenue_12m", ">", 0)]
        )
        lines.append(f"key accounts with revenue in 12 months: {with_revenue}")
    bench.report(lines)


if __name__ == "__main__":
    main()
