# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models

from .res_partner import KAM_USER_GROUP

# Written by kam.buying.model's fit only (SQL, per company): in KAM_FIELD_RIGHTS
# by their absence, which leaves them to the code.
KAM_BUYING_FIELDS = (
    "kam_p_active",
    "kam_expected_purchases_90d",
    "kam_predicted_revenue_12m",
    "kam_clv",
    "kam_purchase_interval_days",
    "kam_buying_date",
)


class ResPartner(models.Model):
    """The buying rhythm and predicted value of a customer (DESIGN §12), stored
    per company by the last fit of that company's buying model
    (``kam.buying.model._kam_fit``) on every customer it fitted: key accounts
    and candidates alike, so that candidates can be ranked by their value.

    A customer the last fit did not see (no purchase in the company any more,
    or now counted for its group) has no figures in that company: every field
    reads 0 and ``kam_buying_date`` is empty."""

    _inherit = "res.partner"

    kam_p_active = fields.Float(
        string="Probability Still Buying",
        company_dependent=True,
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Probability, from 0 to 1, that the customer still buys, judged from "
        "the rhythm of its past purchases (BG/NBD model).",
        groups=KAM_USER_GROUP,
    )
    kam_expected_purchases_90d = fields.Float(
        string="Expected Purchases 90 Days",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Days with a purchase the customer is expected to have in the next "
        "90 days.",
        groups=KAM_USER_GROUP,
    )
    kam_predicted_revenue_12m = fields.Float(
        string="Predicted Revenue 12 Months",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Revenue expected from the customer in the next 12 months, in the "
        "currency of the current company: its expected purchases times the "
        "expected value of a purchase (Gamma-Gamma model).",
        groups=KAM_USER_GROUP,
    )
    kam_clv = fields.Float(
        string="Customer Lifetime Value",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Revenue expected from the customer in the next 36 months, each "
        "month discounted at the company's yearly CLV discount rate, in the "
        "currency of the current company.",
        groups=KAM_USER_GROUP,
    )
    kam_purchase_interval_days = fields.Float(
        string="Purchase Interval (days)",
        company_dependent=True,
        digits=(16, 1),
        readonly=True,
        copy=False,
        aggregator="avg",
        help="The customer's usual number of days between two purchases, from "
        "its first to its last one; 0 for a customer who bought once.",
        groups=KAM_USER_GROUP,
    )
    kam_buying_date = fields.Date(
        string="Buying Figures as of",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Day of the buying model fit that gave the customer's figures in the "
        "current company; empty when it has none.",
        groups=KAM_USER_GROUP,
    )
