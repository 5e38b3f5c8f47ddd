from odoo import fields, models


class KamRecommendationRun(models.Model):
    """A refresh of the recommendations of a company (DESIGN §13) and its
    backtest: the recommendations made from the data up to 6 months before the
    run, scored against the categories the key accounts bought since for the
    first time, next to the baseline that recommends the most bought
    categories. The hit rate at k is the share of the accounts that bought a
    new category for which one of the k recommended was one."""

    _name = "kam.recommendation.run"
    _description = "Key Account Recommendation Run"
    _order = "date desc, id desc"
    _rec_name = "date"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    k = fields.Integer(
        string="Recommendations per Account",
        readonly=True,
        help="The k of the hit rates: how many recommendations each account gets.",
    )
    accounts = fields.Integer(
        string="Accounts Scored",
        readonly=True,
        help="The key accounts that bought a category for the first time in the "
        "6 months of the backtest.",
    )
    hit_rate = fields.Float(
        digits=(16, 3),
        readonly=True,
        aggregator="avg",
        help="The share of the accounts scored that bought one of the categories "
        "recommended to them 6 months earlier.",
    )
    baseline_hit_rate = fields.Float(
        digits=(16, 3),
        readonly=True,
        aggregator="avg",
        help="The same share for the baseline, which recommends the categories "
        "most customers buy.",
    )
    customer_count = fields.Integer(
        string="Customers",
        readonly=True,
        help="The customers whose purchases were read.",
    )
    category_count = fields.Integer(string="Categories", readonly=True)
    recommendation_count = fields.Integer(string="Recommendations", readonly=True)
    failed_count = fields.Integer(
        string="Accounts Failed",
        readonly=True,
        help="Key accounts whose recommendations could not be stored (see the "
        "server log).",
    )
