# pylint: disable=consider-merging-classes-inherited
from collections import namedtuple

from odoo import api, fields, models
from odoo.tools import SQL

from .res_partner import KAM_USER_GROUP

# Written by kam.buying.model's fit only (SQL, per company): in KAM_FIELD_RIGHTS
# by their absence, which leaves them to the code.
KAM_BUYING_FIELDS = (
    "kam_p_active",
    "kam_expected_purchases_90d",
    "kam_predicted_revenue_12m",
    "kam_clv",
    "kam_purchase_interval_days",
    "kam_last_purchase_date",
    "kam_buying_date",
)
# The figures of a customer that say how it buys (``_kam_buying_rhythm``):
# the day of the fit that gave them, the probability that it still buys, its
# usual days between purchases (None when it bought once) and its last
# purchase up to the fit.
BuyingRhythm = namedtuple("BuyingRhythm", "date p_active interval_days last_purchase")


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
    kam_last_purchase_date = fields.Date(
        string="Last Purchase",
        company_dependent=True,
        readonly=True,
        copy=False,
        help="Day of the customer's last purchase in the current company, up to "
        "the day of the buying figures.",
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

    # customers without figures come last, whichever way a list is sorted by
    # one of them (PostgreSQL puts NULL first in a descending order)
    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        if field_name in KAM_BUYING_FIELDS and not nulls.code:
            nulls = SQL("NULLS LAST")
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.model
    def _kam_buying_rhythm(self, partner_ids):
        """``{partner_id: BuyingRhythm}`` of the customers ``partner_ids`` that
        have buying figures, in one query: those of the company of each
        customer, else (a customer of no company) of the current company, the
        company whose settings judge it (the health run, the escalation
        rules)."""
        self.flush_model(["company_id", *KAM_BUYING_FIELDS])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id, (p.kam_buying_date->>k.key)::date,
                       (p.kam_p_active->>k.key)::float8,
                       (p.kam_purchase_interval_days->>k.key)::float8,
                       (p.kam_last_purchase_date->>k.key)::date
                  FROM res_partner p,
                       LATERAL (SELECT COALESCE(p.company_id, %(company)s)::text
                                    AS key) k
                 WHERE p.id = ANY(%(ids)s) AND p.kam_buying_date ? k.key
                """,
                company=self.env.company.id,
                ids=list(partner_ids),
            )
        )
        return {
            partner_id: BuyingRhythm(*figures)
            for partner_id, *figures in self.env.cr.fetchall()
        }
