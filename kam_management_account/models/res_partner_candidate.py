# pylint: disable=consider-merging-classes-inherited
# (a file of its own: the payment behaviour of candidates, DESIGN §14)
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.kam_management.models.res_partner import KAM_USER_GROUP

# Days late on average that cost a point of creditworthiness.
DAYS_LATE_PER_POINT = 7
# Overdue receivables, as a share of the revenue of 12 months, that cost 2 points.
OVERDUE_SHARE_PENALTY = 0.1


class ResPartner(models.Model):
    """The payment behaviour of a customer: the average days its invoices of
    the last 12 months were paid after their due date (or are still unpaid
    today), and the creditworthiness suggested from it."""

    _inherit = "res.partner"

    kam_days_late_avg = fields.Float(
        string="Days Late (avg)",
        digits=(16, 1),
        compute="_compute_kam_days_late",
        groups=KAM_USER_GROUP,
        help="Average days the customer invoices of the last 12 months that are "
        "due were paid after their due date, or are unpaid today (0 for those "
        "paid on time).",
    )

    @api.depends_context("company", "allowed_company_ids")
    def _compute_kam_days_late(self):
        partners = self.filtered("id")
        behaviour = (
            self._kam_payment_behaviour(partners.ids, self.env.company._kam_today())
            if partners
            else {}
        )
        for partner in self:
            partner.kam_days_late_avg = behaviour.get(partner.id, {}).get(
                "days_late", 0.0
            )

    @api.model
    def _kam_payment_behaviour(self, partner_ids, today):
        """``{partner_id: {"days_late", "invoices"}}``: the invoices of the last
        12 months due by ``today`` and their average days late, one query. An
        invoice is paid on the date of its last reconciliation (on its due date
        when settled without one: reversed, or marked paid); an open one is
        late until today."""
        Revenue = self.env["kam.account.revenue"]
        self.env.flush_all()  # read with SQL
        self.env.cr.execute(
            SQL(
                """
                SELECT mp.kam_account_id,
                       AVG(GREATEST(
                           CASE WHEN m.payment_state IN %(settled)s
                                THEN COALESCE(paid.date, m.invoice_date_due)
                                ELSE %(today)s::date END
                           - m.invoice_date_due, 0)),
                       COUNT(*)
                  FROM account_move m
                  JOIN res_partner mp ON mp.id = m.partner_id
             LEFT JOIN LATERAL (
                       SELECT MAX(apr.max_date) AS date
                         FROM account_move_line ml
                         JOIN account_partial_reconcile apr
                           ON apr.debit_move_id = ml.id
                        WHERE ml.move_id = m.id
                          AND ml.display_type = 'payment_term'
                  ) paid ON TRUE
                 WHERE m.state = 'posted' AND m.move_type = 'out_invoice'
                   AND m.invoice_date >= %(year_ago)s
                   AND m.invoice_date_due <= %(today)s
                   AND %(accounts)s AND %(companies)s
              GROUP BY mp.kam_account_id
                """,
                today=today,
                settled=("paid", "in_payment", "reversed"),
                year_ago=today - relativedelta(years=1),
                accounts=Revenue._kam_partners_condition(
                    SQL("m.partner_id"), partner_ids
                ),
                companies=Revenue._kam_companies_condition(SQL("m.company_id")),
            )
        )
        return {
            partner_id: {"days_late": float(days or 0.0), "invoices": count}
            for partner_id, days, count in self.env.cr.fetchall()
        }

    @api.model
    def _kam_candidate_data(self, partner_ids, today):
        data = super()._kam_candidate_data(partner_ids, today)
        behaviour = self._kam_payment_behaviour(partner_ids, today)
        overdue = dict(
            self.env["kam.account.revenue"]._kam_overdue_by_account(partner_ids, today)
        )
        for partner_id in set(behaviour) | set(overdue):
            figures = data.setdefault(partner_id, {})
            figures.update(behaviour.get(partner_id, {}))
            figures["overdue"] = float(overdue.get(partner_id) or 0.0)
        return data

    @api.model
    def _kam_suggestion_rules(self):
        rules = super()._kam_suggestion_rules()
        rules["creditworthiness"] = self._kam_suggest_creditworthiness
        return rules

    def _kam_suggest_creditworthiness(self, partner, figures, reference):
        """10 for invoices paid on time, a point less per week late on average,
        2 less when the overdue amount passes a tenth of the revenue of 12
        months; no suggestion without an invoice due in 12 months."""
        if not figures.get("invoices"):
            return None
        days_late = figures["days_late"]
        overdue = figures.get("overdue", 0.0)
        score = 10 - min(9, round(days_late / DAYS_LATE_PER_POINT))
        revenue = figures.get("revenue", 0.0)
        if overdue > 0 and (revenue <= 0 or overdue > OVERDUE_SHARE_PENALTY * revenue):
            score -= 2
        return (
            score,
            "creditworthiness",
            {
                "days_late": round(days_late, 1),
                "invoices": figures["invoices"],
                "overdue": overdue,
                "currency_id": self.env.company.currency_id.id,
            },
        )
