from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class KamProgrammeMetricsWizard(models.TransientModel):
    """Metrics of the key account programme over a period.

    Key accounts at a moment: the designation history (tracking of "Key Account")
    gives the state before the first change after that moment; without a later
    change the account counts when it is a key account today and was designated
    (``kam_since``) before that moment. Revenue figures are won opportunities
    (CRM) of the accounts that are key accounts at the end of the period; growth
    compares the period with the period of the same length just before it.
    Only the accounts and escalations the user may read count.
    """

    _name = "kam.programme.metrics.wizard"
    _description = "Key Account Programme Metrics"

    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(years=1),
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: fields.Date.context_today(self),
    )
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.company.currency_id
    )
    accounts_start = fields.Integer(
        string="Key Accounts at Start", compute="_compute_metrics"
    )
    accounts_end = fields.Integer(
        string="Key Accounts at End", compute="_compute_metrics"
    )
    accounts_retained = fields.Integer(
        string="Key Accounts Retained",
        compute="_compute_metrics",
        help="Key accounts at the start that still are at the end.",
    )
    retention_rate = fields.Float(
        string="Retention Rate (%)", digits=(16, 1), compute="_compute_metrics"
    )
    revenue = fields.Monetary(
        compute="_compute_metrics",
        help="Won opportunities closed in the period.",
    )
    revenue_previous = fields.Monetary(
        string="Revenue of the Previous Period", compute="_compute_metrics"
    )
    revenue_growth = fields.Float(
        string="Revenue Growth (%)", digits=(16, 1), compute="_compute_metrics"
    )
    expansion_revenue = fields.Monetary(
        compute="_compute_metrics",
        help="Won growth opportunities (with a growth type or an account plan) "
        "closed in the period.",
    )
    time_to_value = fields.Float(
        string="Days to First Growth Win",
        digits=(16, 1),
        compute="_compute_metrics",
        help="Average days from the designation to the first won growth "
        "opportunity, for the accounts whose first growth win is in the period.",
    )
    escalations_opened = fields.Integer(compute="_compute_metrics")
    escalations_resolved = fields.Integer(compute="_compute_metrics")
    resolution_median_days = fields.Float(
        string="Median Resolution (days)", digits=(16, 1), compute="_compute_metrics"
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_to < wizard.date_from
            ):
                raise ValidationError(
                    self.env._(
                        "The period ends on %(end)s, before it starts on %(start)s.",
                        start=wizard.date_from,
                        end=wizard.date_to,
                    )
                )

    @api.depends("date_from", "date_to")
    def _compute_metrics(self):
        for wizard in self:
            metrics = {}
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_from <= wizard.date_to
            ):
                metrics = self._kam_programme_metrics(wizard.date_from, wizard.date_to)
            for name in self._kam_metric_fields():
                wizard[name] = metrics.get(name) or 0

    @api.model
    def _kam_metric_fields(self):
        return [
            "accounts_start",
            "accounts_end",
            "accounts_retained",
            "retention_rate",
            "revenue",
            "revenue_previous",
            "revenue_growth",
            "expansion_revenue",
            "time_to_value",
            "escalations_opened",
            "escalations_resolved",
            "resolution_median_days",
        ]

    @api.model
    def _kam_programme_metrics(self, date_from, date_to, partner_ids=None):
        """The metrics of the period [date_from, date_to] in two queries, over the
        accounts the user may read (among ``partner_ids`` when given)."""
        domain = [] if partner_ids is None else [("id", "in", partner_ids)]
        start = datetime.combine(date_from, time.min)
        end = datetime.combine(date_to + timedelta(days=1), time.min)
        previous = start - (end - start)
        partners = (
            self.env["res.partner"].with_context(active_test=False)._search(domain)
        )
        field = self.env["ir.model.fields"]._get("res.partner", "is_key_account")
        self.env.cr.execute(
            SQL(
                """
WITH changes AS (
    SELECT m.res_id AS partner_id, m.date, v.old_value_integer AS old_value
      FROM mail_tracking_value v
      JOIN mail_message m ON m.id = v.mail_message_id
     WHERE m.model = 'res.partner' AND v.field_id = %(field)s
), candidates AS (
    SELECT p.id, p.is_key_account, p.kam_since
      FROM res_partner p
     WHERE p.id IN %(partners)s
       AND (p.is_key_account OR p.id IN (SELECT partner_id FROM changes))
), states AS (
    SELECT c.id,
           COALESCE(
               (SELECT ch.old_value = 1 FROM changes ch
                 WHERE ch.partner_id = c.id AND ch.date >= %(start)s
              ORDER BY ch.date, ch.partner_id LIMIT 1),
               c.is_key_account AND c.kam_since < %(start)s::date
           ) AS key_start,
           COALESCE(
               (SELECT ch.old_value = 1 FROM changes ch
                 WHERE ch.partner_id = c.id AND ch.date >= %(end)s
              ORDER BY ch.date, ch.partner_id LIMIT 1),
               c.is_key_account AND c.kam_since < %(end)s::date
           ) AS key_end,
           c.kam_since
      FROM candidates c
), won AS (
    SELECT lp.commercial_partner_id AS partner_id, l.date_closed,
           l.expected_revenue,
           (l.kam_growth_type IS NOT NULL OR l.kam_plan_id IS NOT NULL) AS growth
      FROM crm_lead l
      JOIN res_partner lp ON lp.id = l.partner_id
      JOIN crm_stage s ON s.id = l.stage_id
     WHERE l.active AND s.is_won AND l.type = 'opportunity'
       AND lp.commercial_partner_id IN (SELECT id FROM states)
), first_growth AS (
    SELECT st.id, MIN(w.date_closed) AS date_closed, st.kam_since
      FROM states st
      JOIN won w ON w.partner_id = st.id AND w.growth
       AND w.date_closed >= st.kam_since
  GROUP BY st.id, st.kam_since
)
SELECT
    (SELECT COUNT(*) FROM states WHERE key_start),
    (SELECT COUNT(*) FROM states WHERE key_end),
    (SELECT COUNT(*) FROM states WHERE key_start AND key_end),
    (SELECT COALESCE(SUM(w.expected_revenue), 0) FROM won w
       JOIN states st ON st.id = w.partner_id AND st.key_end
      WHERE w.date_closed >= %(start)s AND w.date_closed < %(end)s),
    (SELECT COALESCE(SUM(w.expected_revenue), 0) FROM won w
       JOIN states st ON st.id = w.partner_id AND st.key_end
      WHERE w.date_closed >= %(previous)s AND w.date_closed < %(start)s),
    (SELECT COALESCE(SUM(w.expected_revenue), 0) FROM won w
       JOIN states st ON st.id = w.partner_id AND st.key_end
      WHERE w.growth AND w.date_closed >= %(start)s AND w.date_closed < %(end)s),
    (SELECT AVG(fg.date_closed::date - fg.kam_since) FROM first_growth fg
      WHERE fg.date_closed >= %(start)s AND fg.date_closed < %(end)s)
""",
                field=field.id,
                partners=partners.subselect(),
                start=start,
                end=end,
                previous=previous,
            )
        )
        (
            accounts_start,
            accounts_end,
            retained,
            revenue,
            revenue_previous,
            expansion,
            time_to_value,
        ) = self.env.cr.fetchone()
        escalations = self.env["kam.escalation"]._search(
            [] if partner_ids is None else [("partner_id", "in", partner_ids)]
        )
        self.env.cr.execute(
            SQL(
                """
SELECT COUNT(*) FILTER (WHERE create_date >= %(start)s AND create_date < %(end)s),
       COUNT(*) FILTER (WHERE state = 'resolved' AND date_resolved >= %(start)s
                          AND date_resolved < %(end)s),
       PERCENTILE_CONT(0.5) WITHIN GROUP (
           ORDER BY EXTRACT(EPOCH FROM date_resolved - create_date) / 86400.0
       ) FILTER (WHERE state = 'resolved' AND date_resolved >= %(start)s
                   AND date_resolved < %(end)s)
  FROM kam_escalation
 WHERE id IN %(escalations)s
""",
                start=start,
                end=end,
                escalations=escalations.subselect(),
            )
        )
        opened, resolved, median = self.env.cr.fetchone()
        return {
            "accounts_start": accounts_start,
            "accounts_end": accounts_end,
            "accounts_retained": retained,
            "retention_rate": retained / accounts_start * 100
            if accounts_start
            else 0.0,
            "revenue": revenue,
            "revenue_previous": revenue_previous,
            "revenue_growth": (revenue - revenue_previous) / revenue_previous * 100
            if revenue_previous
            else 0.0,
            "expansion_revenue": expansion,
            "time_to_value": float(time_to_value or 0.0),
            "escalations_opened": opened,
            "escalations_resolved": resolved,
            "resolution_median_days": float(median or 0.0),
        }

    def action_export_xlsx(self):
        self.ensure_one()
        return self.env["kam.xlsx.export"]._kam_export_portfolio(
            date_from=self.date_from, date_to=self.date_to
        )
