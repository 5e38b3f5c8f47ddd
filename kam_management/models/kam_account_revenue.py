from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.tools import SQL


class KamAccountRevenue(models.AbstractModel):
    """Revenue and pipeline of key accounts: the one definition every figure of
    the addon uses (health factors, plans, portfolio, programme metrics)."""

    _name = "kam.account.revenue"
    _description = "Key Account Revenue"

    @api.model
    def _kam_revenue_summary(self, partner_ids, today):
        """Revenue of the last 12 months and the 12 before, and open pipeline, per
        account. Invoices are preferred to sale orders, sale orders to won
        opportunities, so that one sale is never counted twice."""
        year_ago = today - relativedelta(years=1)
        two_years_ago = today - relativedelta(years=2)
        revenue = {}
        self.env.cr.execute(
            SQL(
                """
                SELECT c.commercial_partner_id,
                       sum(l.expected_revenue) FILTER (
                           WHERE s.is_won AND l.date_closed > %(year_ago)s),
                       sum(l.expected_revenue) FILTER (
                           WHERE s.is_won AND l.date_closed > %(two_years_ago)s
                             AND l.date_closed <= %(year_ago)s),
                       count(*) FILTER (WHERE NOT coalesce(s.is_won, FALSE)),
                       sum(l.expected_revenue) FILTER (
                           WHERE NOT coalesce(s.is_won, FALSE)),
                       sum(l.prorated_revenue) FILTER (
                           WHERE NOT coalesce(s.is_won, FALSE))
                  FROM crm_lead l
                  JOIN res_partner c ON c.id = l.partner_id
             LEFT JOIN crm_stage s ON s.id = l.stage_id
                 WHERE l.active AND l.type = 'opportunity'
                   AND l.partner_id = ANY(ARRAY(
                       SELECT id FROM res_partner
                        WHERE commercial_partner_id = ANY(%(ids)s)))
              GROUP BY c.commercial_partner_id
                """,
                ids=partner_ids,
                year_ago=year_ago,
                two_years_ago=two_years_ago,
            )
        )
        for row in self.env.cr.fetchall():
            revenue[row[0]] = {
                "source": "opportunities" if row[1] or row[2] else None,
                "current": row[1] or 0.0,
                "previous": row[2] or 0.0,
                "open_count": row[3] or 0,
                "open_amount": row[4] or 0.0,
                "open_weighted": row[5] or 0.0,
                "overdue": 0.0,
            }
        empty = {
            "source": None,
            "current": 0.0,
            "previous": 0.0,
            "open_count": 0,
            "open_amount": 0.0,
            "open_weighted": 0.0,
            "overdue": 0.0,
        }
        if "sale.order" in self.env:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT c.commercial_partner_id,
                           sum(o.amount_untaxed / coalesce(nullif(o.currency_rate, 0), 1)
                               ) FILTER (WHERE o.date_order > %(year_ago)s),
                           sum(o.amount_untaxed / coalesce(nullif(o.currency_rate, 0), 1)
                               ) FILTER (WHERE o.date_order <= %(year_ago)s)
                      FROM sale_order o
                      JOIN res_partner c ON c.id = o.partner_id
                     WHERE o.state = 'sale' AND o.date_order > %(two_years_ago)s
                       AND o.partner_id = ANY(ARRAY(
                           SELECT id FROM res_partner
                            WHERE commercial_partner_id = ANY(%(ids)s)))
                  GROUP BY c.commercial_partner_id
                    """,
                    ids=partner_ids,
                    year_ago=year_ago,
                    two_years_ago=two_years_ago,
                )
            )
            for partner_id, current, prev in self.env.cr.fetchall():
                values = revenue.setdefault(partner_id, dict(empty))
                values.update(
                    source="sales", current=current or 0.0, previous=prev or 0.0
                )
        if "account.move" in self.env:
            self.env.cr.execute(
                SQL(
                    """
                    SELECT commercial_partner_id,
                           sum(amount_untaxed_signed)
                               FILTER (WHERE invoice_date > %(year_ago)s),
                           sum(amount_untaxed_signed)
                               FILTER (WHERE invoice_date <= %(year_ago)s),
                           sum(amount_residual_signed) FILTER (
                               WHERE move_type = 'out_invoice'
                                 AND invoice_date_due < %(today)s
                                 AND payment_state IN ('not_paid', 'partial'))
                      FROM account_move
                     WHERE state = 'posted'
                       AND move_type IN ('out_invoice', 'out_refund')
                       AND invoice_date > %(two_years_ago)s
                       AND commercial_partner_id = ANY(%(ids)s)
                  GROUP BY commercial_partner_id
                    """,
                    ids=partner_ids,
                    year_ago=year_ago,
                    two_years_ago=two_years_ago,
                    today=today,
                )
            )
            for partner_id, current, prev, overdue in self.env.cr.fetchall():
                values = revenue.setdefault(partner_id, dict(empty))
                values.update(
                    source="invoices",
                    current=current or 0.0,
                    previous=prev or 0.0,
                    overdue=overdue or 0.0,
                )
        return revenue
