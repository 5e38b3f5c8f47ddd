from odoo import api, fields, models

from .kam_escalation import ESCALATION_OPEN_STATES


class KamDashboard(models.TransientModel):
    """The landing page of the Key Accounts app: counters and the key accounts as
    cards, worst health first. Everything is computed with the rights of the
    user, in a few grouped queries."""

    _name = "kam.dashboard"
    _description = "Key Account Dashboard"

    name = fields.Char(default=lambda self: self.env._("Key Account Dashboard"))
    account_ids = fields.Many2many(
        "res.partner", string="Key Accounts", compute="_compute_dashboard"
    )
    account_count = fields.Integer(
        string="Key Account Count", compute="_compute_dashboard"
    )
    red_count = fields.Integer(string="Red", compute="_compute_dashboard")
    yellow_count = fields.Integer(string="Yellow", compute="_compute_dashboard")
    green_count = fields.Integer(string="Green", compute="_compute_dashboard")
    no_health_count = fields.Integer(string="No Health", compute="_compute_dashboard")
    overdue_review_count = fields.Integer(
        string="Overdue Reviews",
        compute="_compute_dashboard",
        help="Active account plans whose next review date is past.",
    )
    open_escalation_count = fields.Integer(
        string="Open Escalations", compute="_compute_dashboard"
    )
    overdue_stakeholder_count = fields.Integer(
        string="Stakeholders Overdue",
        compute="_compute_dashboard",
        help="Stakeholders of key accounts whose next contact date is past.",
    )

    @api.depends("name")
    def _compute_dashboard(self):
        Partner = self.env["res.partner"]
        domain = self._kam_accounts_domain()
        accounts = Partner.search(domain, order="kam_health_score, name")
        bands = dict(Partner._read_group(domain, ["kam_health_band"], ["__count"]))
        overdue_reviews = self.env["kam.account.plan"].search_count(
            self._kam_overdue_reviews_domain()
        )
        escalations = self.env["kam.escalation"].search_count(
            [("state", "in", ESCALATION_OPEN_STATES)]
        )
        stakeholders = self.env["kam.stakeholder"].search_count(
            [("is_overdue", "=", True), ("partner_id.is_key_account", "=", True)]
        )
        for dashboard in self:
            dashboard.account_ids = accounts
            dashboard.account_count = len(accounts)
            dashboard.red_count = bands.get("red", 0)
            dashboard.yellow_count = bands.get("yellow", 0)
            dashboard.green_count = bands.get("green", 0)
            dashboard.no_health_count = bands.get(False, 0)
            dashboard.overdue_review_count = overdue_reviews
            dashboard.open_escalation_count = escalations
            dashboard.overdue_stakeholder_count = stakeholders

    @api.model
    def _kam_accounts_domain(self):
        return [("is_key_account", "=", True)]

    @api.model
    def _kam_overdue_reviews_domain(self):
        return [
            ("state", "=", "active"),
            ("next_review_date", "<", fields.Date.context_today(self)),
        ]

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def _kam_accounts_action(self, band=None):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.res_partner_action_key_accounts"
        )
        if band is not None:
            action["domain"] = [
                ("is_key_account", "=", True),
                ("kam_health_band", "=", band),
            ]
        return action

    def action_open_accounts(self):
        return self._kam_accounts_action()

    def action_open_red(self):
        return self._kam_accounts_action("red")

    def action_open_yellow(self):
        return self._kam_accounts_action("yellow")

    def action_open_green(self):
        return self._kam_accounts_action("green")

    def action_open_no_health(self):
        return self._kam_accounts_action(False)

    def action_open_overdue_reviews(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_account_plan_action"
        )
        action["domain"] = self._kam_overdue_reviews_domain()
        action["context"] = {}
        return action

    def action_open_escalations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_escalation_action"
        )
        action["context"] = {"search_default_filter_open": 1}
        return action

    def action_open_overdue_stakeholders(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_stakeholder_action"
        )
        action["context"] = {"search_default_overdue": 1}
        return action

    def action_open_portfolio(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_portfolio_report_action"
        )

    def action_export_portfolio(self):
        return self.env["kam.xlsx.export"]._kam_export_portfolio()
