"""Helpers shared by the benchmarks: their options, the Odoo environment they run in,
the measure of a call (seconds and SQL queries) and the lines they print.

A benchmark runs as ``python benchmarks/<name>.py -d DB --addons-path=... [args]``
(benchmarks/common.sh passes these options), so this module is found next to it.
"""

import argparse
import contextlib
import logging
import time

import odoo
from odoo import SUPERUSER_ID, api
from odoo.tools import SQL, config

_logger = logging.getLogger("kam_bench")


def parser(doc):
    """An argument parser with the options common.sh passes (database, addons path,
    database port and host), described by the first line of ``doc``; the benchmark
    adds its own arguments to it."""
    result = argparse.ArgumentParser(description=doc.splitlines()[0])
    result.add_argument("-d", "--database", required=True)
    result.add_argument("--addons-path", required=True)
    result.add_argument("--db_port", default=None)
    result.add_argument("--db_host", default=None)
    return result


@contextlib.contextmanager
def open_env(args):
    """Configure Odoo from ``args`` (of :func:`parser`) and yield a superuser
    environment on a cursor of the database, committed when the block ends without
    an error."""
    options = [
        "-d",
        args.database,
        f"--addons-path={args.addons_path}",
        "--log-level=warn",
    ]
    if args.db_port:
        options.append(f"--db_port={args.db_port}")
    if args.db_host:
        options.append(f"--db_host={args.db_host}")
    config.parse_config(options)
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})


def measure(cr, function, commit=False):
    """Call ``function()`` and return (seconds, SQL queries, its result); with
    ``commit``, the commit that follows is timed and counted too.

    The queries are those run on ``cr`` (``sql_log_count`` counts every execute on
    the cursor, whatever the log level): work done on other cursors is not counted.
    """
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = function()
    if commit:
        cr.commit()
    return time.perf_counter() - start, cr.sql_log_count - queries, result


def count_key_accounts(cr):
    """The number of active key accounts in the database."""
    cr.execute(SQL("SELECT count(*) FROM res_partner WHERE is_key_account AND active"))
    return cr.fetchone()[0]


def insert_accounts(cr, query):
    """Run ``query``, an ``INSERT INTO res_partner ... RETURNING id`` of companies
    (key accounts or their units), make each its own commercial partner (as the
    ORM would) and return their ids."""
    cr.execute(query)
    account_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        SQL(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)",
            account_ids,
        )
    )
    return account_ids


def insert_units(cr, account_ids, units):
    """Insert ``units`` unit companies below each of the key accounts (a corporate
    group of two levels): the first half (rounded up) under the account, the
    others under its first unit. Returns their ids."""
    top = (units + 1) // 2
    levels = [
        # (account, parent of its units) of each level
        (
            SQL(
                "unnest(%s::int[], %s::int[]) AS a(account_id, parent_id)",
                account_ids,
                account_ids,
            ),
            1,
            top,
        ),
        (
            SQL(
                # qualified: the output column parent_id would shadow the table's
                """(SELECT DISTINCT ON (p.parent_id) p.parent_id AS account_id,
                           p.id AS parent_id
                      FROM res_partner p
                     WHERE p.parent_id = ANY(%s) AND p.is_company
                  ORDER BY p.parent_id, p.id) AS a""",
                account_ids,
            ),
            top + 1,
            units,
        ),
    ]
    unit_ids = []
    for parents, first, last in levels:
        if first > last:
            continue
        unit_ids += insert_accounts(
            cr,
            SQL(
                """
                INSERT INTO res_partner (name, complete_name, parent_id, is_company,
                       active, type, ref, lang, create_uid, write_uid, create_date,
                       write_date)
                SELECT 'Bench Unit ' || a.account_id || '-' || k,
                       'Bench Unit ' || a.account_id || '-' || k, a.parent_id, TRUE,
                       TRUE, 'contact', 'kam-bench-unit', 'en_US', %(uid)s, %(uid)s,
                       now(), now()
                  FROM %(parents)s, generate_series(%(first)s, %(last)s) k
             RETURNING id
                """,
                parents=parents,
                first=first,
                last=last,
                uid=SUPERUSER_ID,
            ),
        )
    return unit_ids


def fill_account_columns(env):
    """Set where every partner counts (``kam_account_id``, ``kam_group_id``), as
    the ORM does for the partners it creates: the figures read these columns, and
    the benchmarks insert their partners in SQL. Call it once the partners of a
    build are inserted (a whole-table update in two statements)."""
    env["res.partner"]._kam_fill_account_columns()
    env.cr.execute(SQL("ANALYZE res_partner"))
    env.invalidate_all()


def grow(env, sizes, build, what="accounts"):
    """Yield each of ``sizes`` in increasing order, after adding key accounts up to
    it with ``build(count, existing)`` and setting where its partners count
    (committed); a size below the accounts the database already has yields that
    number instead."""
    existing = count_key_accounts(env.cr)
    for size in sorted(sizes):
        if existing < size:
            started = time.perf_counter()
            build(size - existing, existing)
            fill_account_columns(env)
            env.cr.commit()
            _logger.warning(
                "built %s %s in %.1f s",
                size - existing,
                what,
                time.perf_counter() - started,
            )
            existing = size
        yield existing


def per_thousand(size, label, seconds, queries, width):
    """The line of a run on ``size`` accounts: seconds, and seconds and queries per
    1,000 accounts; ``label`` is padded to ``width``."""
    return (
        f"N={size:>6} {label:<{width}}: {seconds:6.2f} s total, "
        f"{seconds / size * 1000:5.2f} s per 1,000 accounts, "
        f"{queries / size * 1000:6.1f} SQL queries per 1,000 accounts"
    )


def marginal(queries):
    """The line of the queries per batch of 1,000 accounts between the smallest and
    the largest size of ``queries`` ({size: queries}), or None for a single size."""
    sizes = sorted(queries)
    if len(sizes) < 2:
        return None
    small, large = sizes[0], sizes[-1]
    per_batch = (queries[large] - queries[small]) / ((large - small) / 1000)
    return (
        f"marginal SQL queries per batch of 1,000 accounts "
        f"(N={large} minus N={small}): {per_batch:.1f}"
    )


def report(lines):
    """Log the result lines of a benchmark (a warning, so --log-level=warn shows it)."""
    _logger.warning("results\n%s", "\n".join(lines))


def table(columns, rows):
    """Lines of a table: ``columns`` is a list of (title, format spec) such as
    ``("ms", ">8.1f")``, ``rows`` lists tuples of values in that order; each title
    is aligned and padded as its values (without their precision)."""
    lines = [" ".join(f"{title:{_width(spec)}}" for title, spec in columns)]
    for row in rows:
        lines.append(
            " ".join(
                f"{value:{spec}}"
                for value, (_title, spec) in zip(row, columns, strict=True)
            )
        )
    return lines


def _width(spec):
    """The alignment and width of a format spec: ``">8.1f"`` gives ``">8"``."""
    return spec.split(".")[0].rstrip("dfs")
