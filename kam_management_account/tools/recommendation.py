"""The arithmetic of the recommendations (DESIGN §13): pure functions over numpy
arrays and scipy.sparse matrices, with no access to Odoo, so that a test can
feed them a planted basket.

The data is a matrix of customers × categories: ``revenue`` (a sparse matrix of
what each customer bought in each category over 12 months), of which a category
is *bought* where the revenue is positive.

A recommendation of a category ``c`` to a customer is an association rule
``x -> c`` where ``x`` is a category the customer buys and ``c`` one it does
not, measured among its peers (the customer itself left out):

- ``peer_total``: the peers that buy ``x``;
- ``peer_count``: the peers that buy ``x`` and ``c``;
- confidence = ``peer_count / peer_total``, the score (0-1);
- support = ``peer_count / peers``, the share of the peers the rule rests on;
- lift = confidence / (share of all customers that buy ``c``): how much more
  likely ``c`` is given ``x`` among the peers than for any customer (against
  all customers, not the peers only: where every peer buys ``c``, the strongest
  case, a lift among the peers would be 1). A rule needs a lift of 1 at least
  (``c`` no less likely given ``x`` than for any customer; exactly 1 where every
  other customer buys ``c``) and at least ``min_peers`` peers behind it.

The best rule of a category is the one of highest confidence (then lift). The
peers are first the customers of the same industry and size band (tercile of
the 12-month revenue), then all customers: the rules found among the first come
first, those of all customers fill the rest of the ``k`` places.
"""

from collections import namedtuple

import numpy as np
from scipy import sparse

# A rule needs this many peers that buy both categories.
MIN_PEERS = 3
# Recommendations per customer, and the k of the backtest's hit rate.
TOP_K = 5
# Size bands: terciles of the 12-month revenue.
SIZE_BANDS = 3
SCOPE_PEERS, SCOPE_ALL = "peers", "all"

Rule = namedtuple(
    "Rule",
    "categ antecedent scope score lift support peer_count peer_total expected",
)


def bought_matrix(revenue):
    """The 0/1 matrix (CSR, float) of the categories each customer bought."""
    revenue = sparse.csr_matrix(revenue)
    bought = (revenue > 0).astype(np.float64)
    bought.eliminate_zeros()
    return bought


def size_bands(totals, bands=SIZE_BANDS):
    """The size band (0 = smallest) of each customer: the quantile of its total
    revenue among the customers with revenue (those without are in band 0)."""
    totals = np.asarray(totals, dtype=float)
    positive = totals[totals > 0]
    if not positive.size:
        return np.zeros(totals.shape, dtype=int)
    cuts = np.quantile(positive, np.arange(1, bands) / bands)
    return np.searchsorted(cuts, totals, side="right")


def peer_groups(industries, bands):
    """The peer group of each customer (industry and size band), -1 for a
    customer without industry: it has no peers but all customers."""
    industries = np.asarray(industries, dtype=int)
    keys = industries * (SIZE_BANDS + 1) + np.asarray(bands, dtype=int)
    _values, groups = np.unique(keys, return_inverse=True)
    return np.where(industries > 0, groups, -1)


class Scope:
    """The co-occurrences of a set of customers (all, or a peer group): one
    sparse product ``B.T @ B`` (categories × categories), the customers that buy
    each category and the medians of their revenue in it."""

    def __init__(self, name, rows, bought, revenue):
        self.name = name
        self.rows = rows
        part = bought[rows]
        self.size = len(rows)
        self.co = (part.T @ part).toarray()
        self.buyers = np.diag(self.co).copy()
        self._revenue = sparse.csc_matrix(revenue[rows])
        self._medians = {}

    def median(self, categ):
        """The median revenue in ``categ`` of the customers that buy it."""
        if categ not in self._medians:
            column = self._revenue.getcol(categ).data
            column = column[column > 0]
            self._medians[categ] = float(np.median(column)) if column.size else 0.0
        return self._medians[categ]

    def rules(self, basket, base, min_peers=MIN_PEERS):
        """The best rule of each category not in ``basket`` (the indices of the
        categories a customer of this scope buys; the customer is left out of
        the counts), ``base`` being the share of all customers that buy each
        category: ``{categ: Rule}``."""
        peers = self.size - 1
        if not basket.size or peers <= 0:
            return {}
        together = self.co[basket]  # basket × categories
        # the customer buys the basket, not the candidates: one buyer less of x
        total = (self.buyers[basket] - 1)[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            confidence = np.where(total > 0, together / total, 0.0)
            lift = np.where(base > 0, confidence / base, 0.0)
        valid = (together >= min_peers) & (lift >= 1 - 1e-9)
        valid[:, basket] = False
        # best antecedent of each category: highest confidence, then lift
        ranked = np.where(valid, confidence + lift * 1e-9, -1.0)
        best = ranked.argmax(axis=0)
        columns = np.arange(ranked.shape[1])
        found = ranked[best, columns] >= 0
        return {
            int(categ): Rule(
                categ=int(categ),
                antecedent=int(basket[best[categ]]),
                scope=self.name,
                score=float(confidence[best[categ], categ]),
                lift=float(lift[best[categ], categ]),
                support=float(together[best[categ], categ] / peers),
                peer_count=int(together[best[categ], categ]),
                peer_total=int(total[best[categ], 0]),
                expected=self.median(categ),
            )
            for categ in columns[found]
        }


def recommend(revenue, industries, targets, k=TOP_K, min_peers=MIN_PEERS):
    """The ``k`` best rules of each customer of ``targets`` (row indices):
    ``{row: [Rule]}``. ``revenue`` is customers × categories (sparse or dense),
    ``industries`` the industry id of each customer (0 for none)."""
    revenue = sparse.csr_matrix(revenue, dtype=np.float64)
    bought = bought_matrix(revenue)
    # the customers who bought nothing are no peers (their rows are empty
    # when the data covers another period than their purchases)
    buying = np.diff(bought.indptr) > 0
    groups = peer_groups(industries, size_bands(revenue.sum(axis=1).A1))
    groups[~buying] = -2
    everyone = Scope(SCOPE_ALL, np.flatnonzero(buying), bought, revenue)
    # the share of the other customers that buy each category (a candidate is
    # not bought by the customer it is recommended to)
    base = everyone.buyers / max(everyone.size - 1, 1)
    peer_scopes = {}
    result = {}
    for row in targets:
        basket = bought[row].indices
        rules = everyone.rules(basket, base, min_peers)
        group = groups[row]
        if group >= 0:
            if group not in peer_scopes:
                peer_scopes[group] = Scope(
                    SCOPE_PEERS, np.flatnonzero(groups == group), bought, revenue
                )
            # the rules of the peers replace those of all customers
            rules.update(peer_scopes[group].rules(basket, base, min_peers))
        ranked = sorted(
            rules.values(),
            key=lambda rule: (rule.scope != SCOPE_PEERS, -rule.score, -rule.lift),
        )
        result[row] = ranked[:k]
    return result


def popular(revenue, targets, k=TOP_K):
    """The baseline: for each customer of ``targets``, the ``k`` categories bought
    by the most customers that it does not buy: ``{row: [categ]}``."""
    bought = bought_matrix(revenue)
    buyers = np.asarray(bought.sum(axis=0)).ravel()
    order = np.argsort(-buyers, kind="stable")
    order = order[buyers[order] > 0]
    result = {}
    for row in targets:
        basket = set(bought[row].indices.tolist())
        result[row] = [int(c) for c in order if c not in basket][:k]
    return result


def hit_rate(proposed, truth):
    """The share of the customers of ``truth`` (``{row: set of categories they
    then bought for the first time}``, those with none left out) for which at
    least one proposed category (``{row: [categ]}``) was bought; None without
    such customers."""
    rows = [row for row, categs in truth.items() if categs]
    if not rows:
        return None
    hits = sum(1 for row in rows if truth[row] & set(proposed.get(row, ())))
    return hits / len(rows)
