from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression

from odoo.addons.kam_management.models.kam_escalation import ESCALATION_OPEN_STATES

KAM_USER_GROUP = "kam_management.group_kam_user"


class DigestDigest(models.Model):
    _inherit = "digest.digest"

    kpi_kam_accounts_at_risk = fields.Boolean(string="Key Accounts at Risk")
    kpi_kam_accounts_at_risk_value = fields.Integer(
        compute="_compute_kpi_kam_accounts_at_risk_value"
    )
    kpi_kam_open_escalations = fields.Boolean(string="Open Escalations")
    kpi_kam_open_escalations_value = fields.Integer(
        compute="_compute_kpi_kam_open_escalations_value"
    )

    def _kam_check_kpi_access(self):
        if not self.env.user.has_group(KAM_USER_GROUP):
            raise AccessError(
                self.env._("Do not have access, skip this data for user's digest email")
            )

    def _compute_kpi_kam_accounts_at_risk_value(self):
        """Key accounts at risk today (health is a state, not an event of the
        period): red, or fallen by the company's churn-risk drop in about 30
        days (the same drop that raises a churn-risk escalation)."""
        self._kam_check_kpi_access()
        Partner = self.env["res.partner"]
        for digest in self:
            company = digest.company_id or self.env.company
            digest.kpi_kam_accounts_at_risk_value = Partner.search_count(
                self._kam_accounts_at_risk_domain(company)
            )

    def _kam_accounts_at_risk_domain(self, company):
        # a shared account (no company) counts in every company's digest
        return [
            ("is_key_account", "=", True),
            ("company_id", "in", [company.id, False]),
            "|",
            ("kam_health_band", "=", "red"),
            ("kam_health_trend", "<=", -company.kam_escalation_drop_points),
        ]

    def _compute_kpi_kam_open_escalations_value(self):
        """Escalations open at the end of the period: raised before it, and
        still open or closed since."""
        self._kam_check_kpi_access()
        _start, end, companies = self._get_kpi_compute_parameters()
        domain = expression.AND(
            [
                [("company_id", "in", companies.ids), ("create_date", "<", end)],
                expression.OR(
                    [
                        [("state", "in", ESCALATION_OPEN_STATES)],
                        [("date_closed", ">=", end)],
                    ]
                ),
            ]
        )
        counts = dict(
            self.env["kam.escalation"]._read_group(domain, ["company_id"], ["__count"])
        )
        for digest in self:
            company = digest.company_id or self.env.company
            digest.kpi_kam_open_escalations_value = counts.get(company, 0)

    def _compute_kpis_actions(self, company, user):
        res = super()._compute_kpis_actions(company, user)
        menu = self.env.ref("kam_management.kam_menu_root").id
        res["kpi_kam_accounts_at_risk"] = (
            f"kam_management.res_partner_action_key_accounts&menu_id={menu}"
        )
        res["kpi_kam_open_escalations"] = (
            f"kam_management.kam_escalation_action&menu_id={menu}"
        )
        return res
