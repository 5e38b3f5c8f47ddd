# pylint: disable=consider-merging-classes-inherited
# (a file of its own: the key accounts against the other customers, DESIGN §14)
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

# The figures of a segment, in the order of the columns of its query.
SEGMENT_FIGURES = (
    "customers",
    "customers_previous",
    "customers_retained",
    "revenue",
    "revenue_previous",
    "costed_revenue",
    "cost",
)
SATISFACTION_FIGURES = ("nps", "nps_answers", "csat", "csat_answers")


class KamProgrammeMetrics(models.AbstractModel):
    """Do the key accounts do better than the other customers? Over the same
    period and the same length before it: revenue growth, retention (the share
    of the customers that bought in the period before who bought again in
    this one), margin and satisfaction. A customer is a commercial entity (a
    group with its units) with revenue in either period; the key accounts are
    those at the end of the period, the company's own companies are left out.
    Only the customers the user may read count."""

    _inherit = "kam.programme.metrics"

    @api.model
    def _kam_segment_comparison(self, date_from, date_to):
        """``{"key": figures, "other": figures}``: the ``SEGMENT_FIGURES``,
        ``SATISFACTION_FIGURES``, ``retention_rate``, ``revenue_growth`` and
        ``margin_percent`` (None without base) of each segment, in two
        queries."""
        self._kam_check_period(date_from, date_to)
        self.env.flush_all()  # the figures are read with SQL
        previous_from, _previous_to = self._kam_previous_period(date_from, date_to)
        partners = (
            self.env["res.partner"].with_context(active_test=False)._search([])
        ).subselect()
        states = self._kam_key_account_states(
            date_from, date_to + timedelta(days=1), partners
        )
        own = self.env["res.partner"]._kam_own_company_ids()
        segments = {
            "key": dict.fromkeys(SEGMENT_FIGURES + SATISFACTION_FIGURES, 0),
            "other": dict.fromkeys(SEGMENT_FIGURES + SATISFACTION_FIGURES, 0),
        }
        self.env.cr.execute(
            self._kam_segment_query(
                states, partners, own, previous_from, date_from, date_to
            )
        )
        for key, *figures in self.env.cr.fetchall():
            segments["key" if key else "other"].update(
                zip(SEGMENT_FIGURES, (float(f or 0.0) for f in figures), strict=True)
            )
        self.env.cr.execute(
            self._kam_satisfaction_query(states, partners, date_from, date_to)
        )
        for key, *figures in self.env.cr.fetchall():
            segments["key" if key else "other"].update(
                zip(SATISFACTION_FIGURES, figures, strict=True)
            )
        for figures in segments.values():
            self._kam_segment_rates(figures)
        return segments

    @api.model
    def _kam_segment_query(self, states, partners, own, previous_from, date_from, to):
        Revenue = self.env["kam.account.revenue"]
        return SQL(
            """
WITH %(states)s, customers AS (
    SELECT partner_id,
           SUM(amount) FILTER (WHERE date >= %(date_from)s) AS current,
           SUM(amount) FILTER (WHERE date < %(date_from)s) AS previous,
           SUM(amount) FILTER (WHERE date >= %(date_from)s AND cost IS NOT NULL)
               AS costed,
           SUM(cost) FILTER (WHERE date >= %(date_from)s) AS cost
      FROM (%(lines)s) lines
     WHERE partner_id IN %(partners)s AND NOT partner_id = ANY(%(own)s)
  GROUP BY partner_id
)
SELECT COALESCE(st.key_end, FALSE),
       COUNT(*) FILTER (WHERE c.current > 0),
       COUNT(*) FILTER (WHERE c.previous > 0),
       COUNT(*) FILTER (WHERE c.previous > 0 AND c.current > 0),
       SUM(c.current), SUM(c.previous), SUM(c.costed), SUM(c.cost)
  FROM customers c
  LEFT JOIN states st ON st.id = c.partner_id
 GROUP BY 1
""",
            states=states,
            lines=Revenue._kam_revenue_lines(None, previous_from, to),
            partners=partners,
            own=own,
            date_from=date_from,
        )

    @api.model
    def _kam_satisfaction_query(self, states, partners, date_from, date_to):
        """NPS (promoters less detractors, in % of the answers) and average
        CSAT of the answers of the period, per segment."""
        return SQL(
            """
WITH %(states)s
SELECT COALESCE(st.key_end, FALSE),
       (COUNT(*) FILTER (WHERE s.kind = 'nps' AND s.score >= 9)
        - COUNT(*) FILTER (WHERE s.kind = 'nps' AND s.score <= 6)) * 100.0
           / NULLIF(COUNT(*) FILTER (WHERE s.kind = 'nps'), 0),
       COUNT(*) FILTER (WHERE s.kind = 'nps'),
       AVG(s.score) FILTER (WHERE s.kind = 'csat'),
       COUNT(*) FILTER (WHERE s.kind = 'csat')
  FROM kam_satisfaction_survey s
  JOIN res_partner p ON p.id = s.partner_id
  LEFT JOIN states st ON st.id = p.kam_account_id
 WHERE s.date BETWEEN %(date_from)s AND %(date_to)s
   AND p.kam_account_id IN %(partners)s
 GROUP BY 1
""",
            states=states,
            partners=partners,
            date_from=date_from,
            date_to=date_to,
        )

    @api.model
    def _kam_segment_rates(self, figures):
        previous, customers_previous = (
            figures["revenue_previous"],
            figures["customers_previous"],
        )
        figures["retention_rate"] = (
            figures["customers_retained"] / customers_previous * 100
            if customers_previous
            else None
        )
        figures["revenue_growth"] = (
            (figures["revenue"] - previous) / previous * 100 if previous else None
        )
        figures["margin_percent"] = (
            (figures["costed_revenue"] - figures["cost"])
            / figures["costed_revenue"]
            * 100
            if figures["costed_revenue"]
            else None
        )
        for name in ("nps", "csat"):
            if not figures[f"{name}_answers"]:
                figures[name] = None
            elif figures[name] is not None:
                figures[name] = float(figures[name])
