"""The buying model's arithmetic (DESIGN §12): pure functions over numpy arrays,
one value per customer, with no access to Odoo, so that a test can feed them a
paper's data.

Each customer is summed up, as in the papers, by
- ``x``: the number of repeat purchases (purchases after the first one),
- ``t_x``: the recency, the time from the first purchase to the last one,
- ``T``: the age, the time from the first purchase to the end of the data,
- ``m``: the mean value of the repeat purchases (Gamma-Gamma only),
all times in one unit (the papers and the addon use weeks).

- BG/NBD: P. S. Fader, B. G. S. Hardie, K. L. Lee, "'Counting Your Customers'
  the Easy Way: An Alternative to the Pareto/NBD Model", Marketing Science 24(2),
  2005, 275-284; and the authors' notes "Implementing the BG/NBD Model for
  Customer Base Analysis in Excel" (2005) and "Computing P(alive) Using the BG/NBD
  Model" (2008).
- Gamma-Gamma: P. S. Fader, B. G. S. Hardie, K. L. Lee, "RFM and CLV: Using
  Iso-Value Curves for Customer Base Analysis", Journal of Marketing Research
  42(4), 2005, 415-430; and P. S. Fader, B. G. S. Hardie, "The Gamma-Gamma Model
  of Monetary Value" (2013).

The parameters are positive: the fits optimise their logarithms, without bounds,
on data in units of their mean (times, values), then scale back.
A fit that cannot give parameters raises :class:`BuyingModelError` with a code
the caller translates.
"""

from collections import namedtuple

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, expit, gammaln, hyp2f1

# Below this many customers (with repeat purchases, for Gamma-Gamma) the four
# (three) parameters are not estimated but guessed.
MIN_CUSTOMERS = 20
# Weeks in an average month, the step of the discounted value.
WEEKS_PER_MONTH = 365.25 / 12 / 7
# Largest gradient of the mean log-likelihood (over the parameters' logarithms)
# at a fit's optimum.
GRADIENT_TOLERANCE = 1e-4

BgNbdParams = namedtuple("BgNbdParams", "r alpha a b")
GammaGammaParams = namedtuple("GammaGammaParams", "p q gamma")
Fit = namedtuple("Fit", "params log_likelihood iterations")


class BuyingModelError(ValueError):
    """A fit that cannot proceed. ``code`` is one of ``invalid_data``,
    ``too_few_customers``, ``no_repeat``, ``no_convergence``, ``infinite_mean``
    (Gamma-Gamma); ``detail`` says more, in English, for the logs."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _as_arrays(*values):
    arrays = [np.asarray(value, dtype=float) for value in values]
    shape = arrays[0].shape
    if any(array.shape != shape or array.ndim != 1 for array in arrays):
        raise BuyingModelError("invalid_data", "arrays of different shapes")
    if not all(np.isfinite(array).all() for array in arrays):
        raise BuyingModelError("invalid_data", "a value is not a finite number")
    return arrays


def _check_summary(x, t_x, T):
    x, t_x, T = _as_arrays(x, t_x, T)
    if (x < 0).any() or (t_x < 0).any() or (t_x > T).any() or (x % 1).any():
        raise BuyingModelError(
            "invalid_data", "x must be whole, 0 <= t_x <= T for every customer"
        )
    return x, t_x, T


def _minimize(negative_mean_ll, size):
    """The parameters (``size`` of them) maximising the likelihood, found over
    their logarithms from 1. The objective is the mean log-likelihood of data
    brought to a scale of about 1, so that the tolerances hold for any number
    of customers, currency and time unit."""
    result = _lbfgs(negative_mean_ll, np.zeros(size))
    iterations = result.nit
    if np.isfinite(result.fun) and np.abs(result.jac).max() > GRADIENT_TOLERANCE:
        # Along a flat ridge (a Gamma-Gamma p of 60 or more, where it hardly
        # matters how large) the search can stop short, with a gradient of 2e-4
        # on one processor and 9e-5 on another: numpy's log and exp differ in
        # their last bits with AVX-512, and the same data fitted on one server
        # failed on the other. Searching again from there, with a fresh
        # estimate of the curvature, brings the gradient to about 1e-5; a
        # slope climbing to infinity stays one.
        result = _lbfgs(negative_mean_ll, result.x)
        iterations += result.nit
    # Converged where the gradient is flat, whatever stopped the search (a line
    # search that cannot improve the optimum in floating point is not a
    # failure); a search that stalls on a slope climbing to infinity is.
    if not np.isfinite(result.fun) or np.abs(result.jac).max() > GRADIENT_TOLERANCE:
        raise BuyingModelError(
            "no_convergence", f"stopped on a slope: {result.message}"
        )
    params = np.exp(result.x)
    if not (np.isfinite(params) & (params > 1e-4) & (params < 1e4)).all():
        # A parameter that runs away to 0 or infinity: the data fit a
        # degenerate model (every customer alike in rate or in dropout), which
        # the formulas cannot score (2F1 of huge arguments).
        raise BuyingModelError("no_convergence", f"parameters {params} out of range")
    return params, iterations


def _lbfgs(negative_mean_ll, start):
    # The tolerances are tight: the likelihood is flat along a ridge (a and b of
    # the BG/NBD move together), where the default ones stop short by 0.1 %.
    return minimize(
        negative_mean_ll,
        start,
        method="L-BFGS-B",
        options={"ftol": 1e-12, "gtol": 1e-8},
    )


# ---------------------------------------------------------------------------
# BG/NBD: the number of purchases
# ---------------------------------------------------------------------------


def bgnbd_log_likelihood(params, x, t_x, T):
    """Each customer's log-likelihood, Fader, Hardie & Lee (2005) eq. 6:
    L = B(a, b+x)/B(a, b) Γ(r+x) α^r / (Γ(r) (α+T)^(r+x))
      + [x > 0] B(a+1, b+x-1)/B(a, b) Γ(r+x) α^r / (Γ(r) (α+t_x)^(r+x)),
    summed in logarithms (logaddexp) so that neither term underflows."""
    r, alpha, a, b = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
    still_alive = betaln(a, b + x) - (r + x) * np.log(alpha + T)
    # for x = 0 the second term is absent: give it b+x-1 = b so that betaln
    # stays finite, and leave it out below
    repeat = x > 0
    dropped_at_t_x = betaln(a + 1, np.where(repeat, b + x - 1, b)) - (r + x) * np.log(
        alpha + t_x
    )
    return common + np.where(
        repeat, np.logaddexp(still_alive, dropped_at_t_x), still_alive
    )


def fit_bgnbd(x, t_x, T, min_customers=MIN_CUSTOMERS):
    """Maximum-likelihood BG/NBD parameters: a :class:`Fit` with
    :class:`BgNbdParams` (r, alpha, a, b), the total log-likelihood and the
    iterations. Raises :class:`BuyingModelError`."""
    x, t_x, T = _check_summary(x, t_x, T)
    if len(x) < min_customers:
        raise BuyingModelError("too_few_customers", f"{len(x)} customers")
    if not (x > 0).any():
        raise BuyingModelError("no_repeat", "no customer bought twice")
    # customers with the same summary count once, with their number as weight:
    # the data in days (or the papers' weeks) repeat summaries a lot
    rows, weights = np.unique(np.stack([x, t_x, T], axis=1), axis=0, return_counts=True)
    # times in units of the mean age: alpha is then about 1 whatever the unit
    scale = T.mean()
    ux, ut_x, uT = rows[:, 0], rows[:, 1] / scale, rows[:, 2] / scale

    def negative_mean_ll(log_params):
        ll = bgnbd_log_likelihood(np.exp(log_params), ux, ut_x, uT)
        return -(weights @ ll) / len(x)

    (r, alpha, a, b), iterations = _minimize(negative_mean_ll, 4)
    params = BgNbdParams(r, alpha * scale, a, b)
    log_likelihood = float(bgnbd_log_likelihood(params, x, t_x, T).sum())
    if not np.isfinite(log_likelihood):
        raise BuyingModelError("no_convergence", "log-likelihood not finite")
    return Fit(params, log_likelihood, iterations)


def _alive_odds_log(params, x, t_x, T):
    """log of a/(b+x-1) ((α+T)/(α+t_x))^(r+x), the odds that a customer with
    repeat purchases dropped out at their last one; -inf without repeat
    purchases (the BG/NBD lets a customer drop out only after a purchase)."""
    r, alpha, a, b = params
    repeat = x > 0
    log_odds = (
        np.log(a)
        - np.log(np.where(repeat, b + x - 1, 1.0))
        + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    )
    return np.where(repeat, log_odds, -np.inf)


def probability_alive(params, x, t_x, T):
    """P(still buying | x, t_x, T), Fader, Hardie & Lee (2008), "Computing
    P(alive) Using the BG/NBD Model": 1 / (1 + [x > 0] a/(b+x-1)
    ((α+T)/(α+t_x))^(r+x))."""
    x, t_x, T = _as_arrays(x, t_x, T)
    return expit(-_alive_odds_log(params, x, t_x, T))


def expected_purchases(params, t, x, t_x, T):
    """Expected purchases in the next ``t`` (a number or an array broadcasting
    with the customers) of a customer with history (x, t_x, T), Fader, Hardie
    & Lee (2005) eq. 10:
    E[Y(t)] = (a+b+x-1)/(a-1)
              [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(α+T+t))]
              / (1 + [x > 0] a/(b+x-1) ((α+T)/(α+t_x))^(r+x)).
    The bracket is computed through Euler's transformation, 2F1(a, b; c; z) =
    (1-z)^(c-a-b) 2F1(c-a, c-b; c; z), as 1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1;
    a+b+x-1; z): its first two arguments do not grow with x, where the
    original's do and make 2F1 overflow for frequent buyers."""
    x, t_x, T = _as_arrays(x, t_x, T)
    r, alpha, a, b = params
    t = np.asarray(t, dtype=float)
    z = t / (alpha + T + t)
    c = a + b + x - 1
    bracket = 1 - (1 - z) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, c, z)
    return c / (a - 1) * bracket * expit(-_alive_odds_log(params, x, t_x, T))


# ---------------------------------------------------------------------------
# Gamma-Gamma: the value of a purchase
# ---------------------------------------------------------------------------


def gamma_gamma_log_likelihood(params, x, m):
    """Each customer's log-likelihood of its mean repeat purchase value ``m``
    over ``x`` > 0 purchases, Fader & Hardie (2013):
    f(m | p, q, γ, x) = Γ(px+q) / (Γ(px) Γ(q)) γ^q (m x)^(px-1) x / (γ + m x)^(px+q)."""
    p, q, gamma = params
    px = p * x
    return (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(m * x)
        + np.log(x)
        - (px + q) * np.log(gamma + m * x)
    )


def fit_gamma_gamma(x, m, min_customers=MIN_CUSTOMERS):
    """Maximum-likelihood Gamma-Gamma parameters on the customers with repeat
    purchases (x > 0; the others are left out, as in the papers): a :class:`Fit`
    with :class:`GammaGammaParams` (p, q, gamma), the total log-likelihood and
    the iterations. Raises :class:`BuyingModelError`."""
    x, m = _as_arrays(x, m)
    if (x < 0).any() or (m < 0).any():
        raise BuyingModelError("invalid_data", "negative x or m")
    repeat = x > 0
    if not repeat.any():
        raise BuyingModelError("no_repeat", "no customer bought twice")
    x, m = x[repeat], m[repeat]
    if (m <= 0).any():
        raise BuyingModelError("invalid_data", "a mean value is not positive")
    if len(x) < min_customers:
        raise BuyingModelError(
            "too_few_customers", f"{len(x)} customers with repeat purchases"
        )

    # values in units of their mean: gamma is then about 1 whatever the currency
    scale = m.mean()

    def negative_mean_ll(log_params):
        return -gamma_gamma_log_likelihood(np.exp(log_params), x, m / scale).mean()

    (p, q, gamma), iterations = _minimize(negative_mean_ll, 3)
    if q <= 1:
        # The values spread so widely across customers that their mean is
        # infinite (γp/(q-1)): a customer without repeat purchases has no value.
        raise BuyingModelError("infinite_mean", f"q = {q}")
    params = GammaGammaParams(p, q, gamma * scale)
    log_likelihood = float(gamma_gamma_log_likelihood(params, x, m).sum())
    if not np.isfinite(log_likelihood):
        raise BuyingModelError("no_convergence", "log-likelihood not finite")
    return Fit(params, log_likelihood, iterations)


def expected_mean_value(params, x, m):
    """Expected value of a customer's future purchases, Fader, Hardie & Lee
    (2005, "RFM and CLV"): (γ + m x) p / (p x + q - 1), the population
    mean γp/(q-1) moved towards the customer's own mean ``m`` the more
    purchases ``x`` it rests on (the population mean for x = 0)."""
    x, m = _as_arrays(x, m)
    p, q, gamma = params
    return (gamma + m * x) * p / (p * x + q - 1)


# ---------------------------------------------------------------------------
# Value of a customer
# ---------------------------------------------------------------------------


def discounted_clv(
    bgnbd_params,
    gamma_gamma_params,
    x,
    t_x,
    T,
    m,
    months=36,
    yearly_rate=0.10,
    weeks_per_month=WEEKS_PER_MONTH,
):
    """Each customer's expected revenue over the next ``months`` months (times
    in weeks), each month discounted at the monthly rate equivalent to
    ``yearly_rate``: Σ_i E[purchases in month i] E[value] / (1 + d)^i, as
    lifetimes' ``customer_lifetime_value`` does after Fader, Hardie & Lee
    (2005, "RFM and CLV")."""
    x, t_x, T, m = _as_arrays(x, t_x, T, m)
    month_ends = np.arange(months + 1) * weeks_per_month
    # customers × month ends: cumulative expected purchases, then per month
    cumulative = expected_purchases(bgnbd_params, month_ends[:, None], x, t_x, T)
    per_month = np.diff(cumulative, axis=0)
    monthly_rate = (1 + yearly_rate) ** (1 / 12) - 1
    discount = (1 + monthly_rate) ** -np.arange(1, months + 1)
    value = expected_mean_value(gamma_gamma_params, x, m)
    return (discount @ per_month) * value
