from odoo import api, fields, models

from ..tools.values import kam_check_computed_vals, kam_check_name_length

OBJECTIVE_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("off_track", "Off Track"),
    ("done", "Done"),
]


class KamAccountPlanObjective(models.Model):
    _name = "kam.account.plan.objective"
    _description = "Key Account Plan Objective"
    _inherit = ["kam.account.mixin"]
    _kam_account_field = "plan_id"
    _kam_account_path = "plan_id.partner_id"
    _order = "plan_id, sequence, id"
    # figures computed from other fields: nobody types them in
    _kam_computed_fnames = ("progress",)

    plan_id = fields.Many2one(
        "kam.account.plan",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        related="plan_id.partner_id", store=True, index=True, string="Key Account"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Objective", required=True)
    kpi = fields.Char(string="KPI", help="How the objective is measured.")
    target_value = fields.Float(string="Target")
    current_value = fields.Float(string="Current")
    unit = fields.Char(help="Unit of the KPI, e.g. %, units, EUR.")
    progress = fields.Float(
        compute="_compute_progress",
        store=True,
        digits=(16, 1),
        aggregator="avg",
        help="Current value against the target, capped at 100 (0 without a target).",
    )
    deadline = fields.Date()
    status = fields.Selection(OBJECTIVE_STATUSES, default="on_track", required=True)
    portal_shared = fields.Boolean(
        string="Shared with the Customer",
        compute="_compute_portal_shared",
        store=True,
        readonly=False,
        precompute=True,
        copy=False,
        help="An objective agreed with the customer: shown on the customer portal "
        "when the plan is shared. A new objective of a shared plan starts shared.",
    )

    @api.depends("target_value", "current_value")
    def _compute_progress(self):
        for objective in self:
            if objective.target_value:
                ratio = objective.current_value / objective.target_value * 100
                objective.progress = max(0.0, min(100.0, ratio))
            else:
                objective.progress = 0.0

    @api.depends("plan_id")
    def _compute_portal_shared(self):
        # the plan's sharing when the objective is added to it; sharing or
        # unsharing the plan later leaves its objectives as they are
        for objective in self:
            objective.portal_shared = objective.plan_id.portal_shared

    @api.constrains("name", "kpi")
    def _check_name_length(self):
        kam_check_name_length(self, ["name", "kpi"])

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            kam_check_computed_vals(self, vals)
        return super().create(vals_list)

    def write(self, vals):
        kam_check_computed_vals(self, vals)
        return super().write(vals)

    def _kam_computed_origin(self, fname):
        """What the computed figure ``fname`` comes from, for the message that
        refuses to write it."""
        return self.env._("its current value and its target")
