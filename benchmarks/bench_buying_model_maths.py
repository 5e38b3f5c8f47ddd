"""Micro benchmark of the buying model's arithmetic (kam_management/tools/
buying_model.py), without Odoo: fits BG/NBD and Gamma-Gamma on N synthetic
customers drawn from known parameters, then scores them (probability still
buying, expected purchases in 90 days, revenue of 12 months, discounted value
over 36 months), and prints the seconds, the log-likelihoods and the parameters
found beside the true ones.

    $VENV/bin/python benchmarks/bench_buying_model_maths.py [N ...]   # 50000
"""

import importlib.util
import pathlib
import sys
import time

import numpy as np

# the module by path: importing the addon's package would import Odoo
_PATH = pathlib.Path(__file__).parents[1] / "kam_management/tools/buying_model.py"
_SPEC = importlib.util.spec_from_file_location("buying_model", _PATH)
bm = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(bm)

TRUE_BGNBD = bm.BgNbdParams(r=2.0, alpha=3.0, a=2.0, b=40.0)
TRUE_GAMMA_GAMMA = bm.GammaGammaParams(p=6.0, q=4.0, gamma=15.0)
WEEKS = 156  # three years of orders


def simulate(n, rng):
    """(x, t_x, T, m) of n customers following the BG/NBD and Gamma-Gamma
    processes, first purchases spread over three years, times in whole days
    (expressed in weeks) as the addon reads them."""
    r, alpha, a, b = TRUE_BGNBD
    rate = rng.gamma(r, 1 / alpha, n)  # purchases per week
    dropout = rng.beta(a, b, n)  # after each purchase
    T = np.floor(rng.uniform(0, WEEKS, n) * 7) / 7
    x = np.zeros(n)
    t_x = np.zeros(n)
    clock = np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        clock[active] += rng.exponential(1 / rate[active])
        active &= clock < T
        x[active] += 1
        t_x[active] = np.floor(clock[active] * 7) / 7
        active &= rng.uniform(size=n) >= dropout
    t_x = np.minimum(t_x, T)
    p, q, gamma = TRUE_GAMMA_GAMMA
    # each customer's mean purchase value p/ν, ν ~ Gamma(q, γ); its repeat
    # purchases' mean is Gamma(p x, ν x)
    nu = rng.gamma(q, 1 / gamma, n)
    m = np.where(
        x > 0, rng.gamma(np.maximum(p * x, 1e-9), 1 / (nu * np.maximum(x, 1))), 0
    )
    return x, t_x, T, m


def bench(n):
    x, t_x, T, m = simulate(n, np.random.default_rng(24))
    start = time.perf_counter()
    bgnbd = bm.fit_bgnbd(x, t_x, T)
    gamma_gamma = bm.fit_gamma_gamma(x, m)
    fitted = time.perf_counter()
    p_active = bm.probability_alive(bgnbd.params, x, t_x, T)
    purchases_90d = bm.expected_purchases(bgnbd.params, 90 / 7, x, t_x, T)
    value = bm.expected_mean_value(gamma_gamma.params, x, m)
    revenue_12m = bm.expected_purchases(bgnbd.params, 365.25 / 7, x, t_x, T) * value
    clv = bm.discounted_clv(bgnbd.params, gamma_gamma.params, x, t_x, T, m)
    scored = time.perf_counter()
    print(
        f"N = {n:,} customers, {int(x.sum() + n):,} purchases, {int((x > 0).sum()):,} with repeat purchases"
    )
    print(
        f"  seconds: fit {fitted - start:.2f} + scoring {scored - fitted:.2f} = {scored - start:.2f}"
    )
    print(
        f"  BG/NBD log-likelihood {bgnbd.log_likelihood:.1f} ({bgnbd.iterations} iterations)"
    )
    print(f"    found {_format(bgnbd.params)}\n    true  {_format(TRUE_BGNBD)}")
    print(
        f"  Gamma-Gamma log-likelihood {gamma_gamma.log_likelihood:.1f} ({gamma_gamma.iterations} iterations)"
    )
    print(
        f"    found {_format(gamma_gamma.params)}\n    true  {_format(TRUE_GAMMA_GAMMA)}"
    )
    print(
        f"  means: P(active) {p_active.mean():.3f}, purchases in 90 days {purchases_90d.mean():.3f}, "
        f"revenue 12 months {revenue_12m.mean():.2f}, discounted CLV 36 months {clv.mean():.2f}"
    )


def _format(params):
    return ", ".join(
        f"{name} = {value:.3f}" for name, value in params._asdict().items()
    )


if __name__ == "__main__":
    for size in [int(arg) for arg in sys.argv[1:]] or [50_000]:
        bench(size)
