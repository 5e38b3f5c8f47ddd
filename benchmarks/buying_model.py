"""Benchmark of the buying model's fit (kam.buying.model._kam_fit, DESIGN §12).

``build N`` adds N customers (companies) buying as known BG/NBD and Gamma-Gamma
parameters say, first purchases over three years up to today, one won opportunity
per purchase day (about 20 per customer: 1,000,000 for 50,000 customers), all in
SQL. ``measure`` then fits the model of the company twice, in a fresh process:
without backtest, then with the scheduled action's 26-week backtest, committing
each (on a new database the first fit writes the customers' figures for the
first time), and prints for each the seconds, SQL queries, the time of each
step, the peak memory of the process and the log-likelihood. Run it on a
throw-away database (see benchmarks/README.md)::

    python benchmarks/buying_model.py -d kam_bench_buying --addons-path=... build 50000
    python benchmarks/buying_model.py -d kam_bench_buying --addons-path=... measure
"""

import contextlib
import resource
import time

import bench
import numpy as np

from odoo import SUPERUSER_ID
from odoo.tools import SQL

# BG/NBD in weeks (alpha chosen for about 20 purchase days a customer) and
# Gamma-Gamma; values in units of about 10.
TRUE_BGNBD = {"r": 2.0, "alpha": 2.3, "a": 2.0, "b": 40.0}
TRUE_GAMMA_GAMMA = {"p": 6.0, "q": 4.0, "gamma": 1.5}
WEEKS = 156
# The steps of a fit, timed apart.
STEPS = (
    "_kam_read_purchases",
    "_kam_fit_models",
    "_kam_backtest",
    "_kam_customer_figures",
    "_kam_store_figures",
)


def simulate(count, rng):
    """(customer numbers, days before today, amounts) of the purchase days of
    ``count`` customers: each buys at its own rate until it drops out after a
    purchase, its first purchase up to three years ago; a day counts once."""
    r, alpha, a, b = TRUE_BGNBD.values()
    rate = rng.gamma(r, 1 / alpha, count)  # purchases per week
    dropout = rng.beta(a, b, count)
    age = np.floor(rng.uniform(0, WEEKS * 7, count))  # days since the first
    customers, before = [np.arange(count)], [age.copy()]
    clock = np.zeros(count)
    active = np.ones(count, dtype=bool)
    while active.any():
        buying = np.flatnonzero(active)
        clock[buying] += rng.exponential(1 / rate[buying])
        day = np.floor(clock[buying] * 7)
        in_time = day <= age[buying]
        buying, day = buying[in_time], day[in_time]
        customers.append(buying)
        before.append(age[buying] - day)
        active[:] = False
        active[buying] = rng.uniform(size=len(buying)) >= dropout[buying]
    days = np.unique(
        np.stack([np.concatenate(customers), np.concatenate(before)], axis=1), axis=0
    )
    p, q, gamma = TRUE_GAMMA_GAMMA.values()
    spend = rng.gamma(q, 1 / gamma, count)
    amounts = np.round(rng.gamma(p, 1 / spend[days[:, 0].astype(int)]), 2)
    return days[:, 0].astype(int), days[:, 1].astype(int), amounts


def build(env, count):
    """Add ``count`` customers and their purchase days as won opportunities."""
    cr = env.cr
    customer_ids = bench.insert_accounts(
        cr,
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, active, type,
                   lang, create_uid, write_uid, create_date, write_date)
            SELECT 'Bench Customer ' || g, 'Bench Customer ' || g, TRUE, TRUE,
                   'contact', 'en_US', %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(count)s) g
         RETURNING id
            """,
            uid=SUPERUSER_ID,
            count=count,
        ),
    )
    # the partners inserted in SQL count for themselves (corporate groups)
    env["res.partner"]._kam_fill_account_columns()
    customers, before, amounts = simulate(count, np.random.default_rng(24))
    cr.execute(SQL("SELECT id FROM crm_stage WHERE is_won ORDER BY sequence LIMIT 1"))
    won_stage = cr.fetchone()[0]
    cr.execute(
        SQL(
            """
            INSERT INTO crm_lead (name, type, partner_id, stage_id, active, probability,
                   expected_revenue, date_closed, company_id,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'Bench order', 'opportunity', v.partner_id, %(won)s, TRUE, 100,
                   v.amount, (current_date - v.before) + time '12:00', %(company)s,
                   %(uid)s, %(uid)s, now(), now()
              FROM unnest(%(partners)s::int[], %(before)s::int[], %(amounts)s::numeric[])
                   AS v(partner_id, before, amount)
            """,
            won=won_stage,
            company=env.company.id,
            uid=SUPERUSER_ID,
            partners=_array(np.asarray(customer_ids)[customers]),
            before=_array(before),
            amounts=_array(amounts),
        )
    )
    cr.execute(SQL("ANALYZE crm_lead"))
    cr.execute(SQL("ANALYZE res_partner"))
    bench.report([f"built {count:,} customers, {len(customers):,} purchase days"])


def _array(values):
    """A PostgreSQL array literal: faster to send than psycopg2's ARRAY[...]."""
    return "{" + ",".join(map(str, np.asarray(values).tolist())) + "}"


@contextlib.contextmanager
def timed_steps(model_class):
    """Time each of ``STEPS`` of the fit: {step: seconds}, filled as it runs."""
    seconds = dict.fromkeys(STEPS, 0.0)
    originals = {name: getattr(model_class, name) for name in STEPS}

    def timer(name):
        def step(*args, **kwargs):
            start = time.perf_counter()
            try:
                return originals[name](*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - start

        return step

    for name in STEPS:
        setattr(model_class, name, timer(name))
    try:
        yield seconds
    finally:
        for name, original in originals.items():
            setattr(model_class, name, original)


def peak_memory_mb():
    """The peak resident memory of this process so far (Linux: kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(env):
    cr = env.cr
    cr.execute(
        SQL(
            "SELECT COUNT(DISTINCT account_id), COUNT(DISTINCT (account_id, date))"
            " FROM kam_revenue_line WHERE company_id = %s",
            env.company.id,
        )
    )
    customers, days = cr.fetchone()
    lines = [
        f"{customers:,} customers, {days:,} purchase days; "
        f"peak memory before the fits {peak_memory_mb():.0f} MB"
    ]
    Model = env["kam.buying.model"]
    for label, holdout in (
        ("fit, no backtest", 0),
        ("fit, 26-week backtest", 26),
    ):
        env.invalidate_all()
        with timed_steps(type(Model)) as steps:
            seconds, queries, model = bench.measure(
                cr, lambda h=holdout: Model._kam_fit(holdout_weeks=h), commit=True
            )
        lines.append(
            f"{label}: {seconds:.2f} s, {queries} SQL queries, peak memory "
            f"{peak_memory_mb():.0f} MB; {model.state}, {model.customer_count:,} "
            f"customers, log-likelihood {model.log_likelihood:,.1f}"
        )
        # the figures are computed within their storing
        steps["_kam_store_figures"] -= steps["_kam_customer_figures"]
        lines.append(
            "  steps: "
            + ", ".join(
                f"{name.removeprefix('_kam_')} {step:.2f} s"
                for name, step in steps.items()
            )
        )
        lines.append(
            f"  r {model.r:.3f} alpha {model.alpha:.3f} a {model.a:.3f} b {model.b:.3f}"
            f" (true {TRUE_BGNBD}); p {model.p:.2f} q {model.q:.2f} gamma "
            f"{model.gamma:.2f} (true {TRUE_GAMMA_GAMMA})"
        )
        if holdout:
            lines.append(
                f"  backtest: {model.holdout_purchases_actual:,} purchases in the "
                f"holdout, {model.holdout_purchases_predicted:,.0f} predicted"
            )
    bench.report(lines)


def main():
    parser = bench.parser(__doc__)
    parser.add_argument("step", choices=["build", "measure"])
    parser.add_argument("count", nargs="?", type=int, default=50_000)
    args = parser.parse_args()
    with bench.open_env(args) as env:
        if args.step == "build":
            build(env, args.count)
        else:
            measure(env)


if __name__ == "__main__":
    main()
