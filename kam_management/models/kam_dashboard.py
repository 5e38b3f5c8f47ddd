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
        # the counters count the records of the accounts shown, no others
        mine = [("partner_id", "in", accounts.ids)]
        overdue_reviews = self.env["kam.account.plan"].search_count(
            [*mine, *self._kam_overdue_reviews_domain()]
        )
        escalations = self.env["kam.escalation"].search_count(
            [*mine, ("state", "in", ESCALATION_OPEN_STATES)]
        )
        stakeholders = self.env["kam.stakeholder"].search_count(
            [*mine, ("is_overdue", "=", True)]
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
        """The key accounts of the companies the user works in (the allowed
        companies): their own, and the shared ones (without a company) whose
        Key Account Manager works in one of them, or that have none. A shared
        account run from another company is not the user's portfolio."""
        company_ids = self.env.companies.ids
        return [
            ("is_key_account", "=", True),
            "|",
            ("company_id", "in", company_ids),
            "&",
            ("company_id", "=", False),
            "|",
            ("kam_user_id", "=", False),
            ("kam_user_id.company_ids", "in", company_ids),
        ]

    @api.model
    def _kam_overdue_reviews_domain(self):
        return [
            ("state", "=", "active"),
            ("next_review_date", "<", self.env.company._kam_today()),
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
