from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval

from .kam_escalation import ESCALATION_OPEN_STATES

KAM_USER_GROUP = "kam_management.group_kam_user"
KAM_MANAGER_GROUP = "kam_management.group_kam_manager"
# The account flags of the landing page's tiles, searched by the kanban's filters
KAM_DASHBOARD_FLAGS = ("kam_review_overdue", "kam_escalation_open")


class ResPartner(models.Model):
    """The landing page of the Key Accounts app (DESIGN section 6): the key accounts
    in a kanban whose header of tiles comes from ``kam_dashboard_data()``; each tile
    is a filter of the kanban's search view, searched with the fields below."""

    # the landing page's part of res.partner, kept apart from models/res_partner.py
    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    kam_review_overdue = fields.Boolean(
        string="Review Overdue",
        compute="_compute_kam_dashboard_flags",
        search="_search_kam_review_overdue",
        groups=KAM_USER_GROUP,
        help="An active account plan of the account is past its next review date.",
    )
    kam_escalation_open = fields.Boolean(
        string="Open Escalation",
        compute="_compute_kam_dashboard_flags",
        search="_search_kam_escalation_open",
        groups=KAM_USER_GROUP,
        help="The account has an escalation that is new or in progress.",
    )

    def _compute_kam_dashboard_flags(self):
        # one search per flag over all the records, with the flag's own domain
        flagged = {
            name: self.search(
                [("id", "in", self._origin.ids), *self._kam_flag_domain(name)]
            )
            for name in KAM_DASHBOARD_FLAGS
        }
        for partner in self:
            for name, partners in flagged.items():
                partner[name] = partner._origin in partners

    @api.model
    def _kam_flag_domain(self, name):
        """The accounts having the dashboard flag ``name``: the one definition used by
        the flags, their search (the kanban's filters) and the tiles' counts."""
        if name == "kam_review_overdue":
            today = fields.Date.context_today(self)
            plans = [("state", "=", "active"), ("next_review_date", "<", today)]
            return [("kam_plan_ids", "any", plans)]
        if name == "kam_escalation_open":
            escalations = [("state", "in", ESCALATION_OPEN_STATES)]
            return [("kam_escalation_ids", "any", escalations)]
        raise UserError(self.env._("Unknown dashboard flag %(name)s.", name=name))

    def _kam_search_flag(self, name, operator, value):
        # the flags are restricted to KAM users: refused to the others as Odoo
        # refuses a stored restricted field (see _kam_check_search_access)
        self._kam_check_search_access(name)
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on %(name)s.", name=name))
        domain = self._kam_flag_domain(name)
        if (operator == "=") != value:
            return ["!", *expression.normalize_domain(domain)]
        return domain

    def _search_kam_review_overdue(self, operator, value):
        return self._kam_search_flag("kam_review_overdue", operator, value)

    def _search_kam_escalation_open(self, operator, value):
        return self._kam_search_flag("kam_escalation_open", operator, value)

    # ------------------------------------------------------------
    # Landing page
    # ------------------------------------------------------------
    @api.model
    def _kam_dashboard_mine_only(self):
        """KAM users land on their own accounts, managers on all of them."""
        return not self.env.user.has_group(KAM_MANAGER_GROUP)

    @api.model
    def _kam_portfolio_domain(self):
        """The accounts of the companies the user works in (the allowed
        companies): their own, and the shared ones (without a company) whose
        Key Account Manager works in one of them, or that have none. A shared
        account run from another company is not the user's portfolio."""
        company_ids = self.env.companies.ids
        return [
            "|",
            ("company_id", "in", company_ids),
            "&",
            ("company_id", "=", False),
            "|",
            ("kam_user_id", "=", False),
            ("kam_user_id.company_ids", "in", company_ids),
        ]

    @api.model
    def _kam_dashboard_domain(self):
        """The key accounts the landing page opens on for the current user: the
        domain of the "My Accounts" filter for a KAM user, every key account for
        a manager."""
        domain = [("is_key_account", "=", True), *self._kam_portfolio_domain()]
        if self._kam_dashboard_mine_only():
            uid = self.env.uid
            mine = [
                "|",
                ("kam_user_id", "=", uid),
                ("kam_team_member_ids.user_id", "=", uid),
            ]
            domain = expression.AND([domain, mine])
        return domain

    @api.model
    def kam_dashboard_data(self):
        """The figures of the landing page's tiles, with the rights of the user,
        over the accounts the page opens on (see ``_kam_dashboard_domain``)::

            {"mine_only": bool, "total": int, "red": int, "yellow": int,
             "green": int, "not_scored": int, "falling": int,
             "review_overdue": int, "escalation_open": int, "stakeholder_due": int,
             "open_escalations": int}

        Each figure is a number of key accounts: the tile filters the kanban on
        the same domain; but ``open_escalations``, the open escalations of the
        accounts of ``escalation_open``, as their cards count them. Six
        queries, whatever the number of accounts."""
        if not self.env.user.has_group(KAM_USER_GROUP):
            raise AccessError(
                self.env._("Only Key Account Management users see the dashboard.")
            )
        domain = self._kam_dashboard_domain()
        bands = dict(self._read_group(domain, ["kam_health_band"], ["__count"]))
        data = {
            "mine_only": self._kam_dashboard_mine_only(),
            "total": sum(bands.values()),
            "red": bands.get("red", 0),
            "yellow": bands.get("yellow", 0),
            "green": bands.get("green", 0),
            "not_scored": bands.get(False, 0),
            "falling": self.search_count([*domain, ("kam_health_trend", "<", 0)]),
        }
        for tile, flag_domain in self._kam_tile_domains().items():
            data[tile] = self.search_count([*domain, *flag_domain])
        data["open_escalations"] = self.env["kam.escalation"].search_count(
            [("partner_id", "any", domain), ("state", "in", ESCALATION_OPEN_STATES)]
        )
        return data

    @api.model
    def _kam_tile_domains(self):
        """The accounts each tile of flagged accounts counts, by tile (the
        kanban's filter of the same name searches the same field): the
        dashboard's flags, and the accounts with an overdue stakeholder (the
        account's own count, kam_overdue_stakeholder_count)."""
        return {
            **{
                name.removeprefix("kam_"): self._kam_flag_domain(name)
                for name in KAM_DASHBOARD_FLAGS
            },
            "stakeholder_due": [("kam_overdue_stakeholder_count", ">", 0)],
        }

    @api.model
    def action_kam_dashboard(self):
        """The landing page: the key accounts' kanban, on "My Accounts" for a KAM
        user (a manager removes nothing to see every account)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kam_management.kam_dashboard_action"
        )
        context = safe_eval(action.get("context") or "{}", {"uid": self.env.uid})
        if self._kam_dashboard_mine_only():
            context["search_default_my_accounts"] = 1
        action["context"] = context
        action["domain"] = str(
            [("is_key_account", "=", True), *self._kam_portfolio_domain()]
        )
        return action

    # ------------------------------------------------------------
    # Account form
    # ------------------------------------------------------------
    def action_kam_record_survey(self):
        """A new NPS/CSAT answer of this key account, in a dialog; for its KAM, its
        team and the managers, who may record it."""
        self.ensure_one()
        manager = self.env.user.has_group(KAM_MANAGER_GROUP)
        if not manager and not self._kam_worked_by(self.env.user):
            raise UserError(
                self.env._(
                    "Only the Key Account Manager and the account team of "
                    "%(account)s record its satisfaction surveys.",
                    account=self.display_name,
                )
            )
        # created by the dialog's button only, not when the user leaves
        view = self.env.ref("kam_management.kam_satisfaction_survey_view_form_new")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record NPS/CSAT"),
            "res_model": "kam.satisfaction.survey",
            "view_mode": "form",
            "views": [(view.id, "form")],
            "target": "new",
            "context": {"default_partner_id": self.id},
        }
