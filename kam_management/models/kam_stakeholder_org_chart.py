from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_list, groupby


# a file of its own (the org chart, DESIGN section 15), as the stakeholder's is
# large already
class KamStakeholder(models.Model):  # pylint: disable=consider-merging-classes-inherited
    _inherit = "kam.stakeholder"  # pylint: disable=consider-merging-classes-inherited

    reports_to_id = fields.Many2one(
        "kam.stakeholder",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
        domain="[('partner_id', '=', partner_id), ('id', '!=', id)]",
        help="The stakeholder of the same account this person reports to: the "
        "account's org chart.",
    )
    # the person's own name on the chart's cards (the contact's display name
    # repeats the company on every card)
    contact_name = fields.Char(related="contact_id.name", string="Name")

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------
    @api.constrains("reports_to_id", "partner_id")
    def _check_reports_to_id(self):
        # the direct reports of a stakeholder moved to another account are
        # checked too: their manager left their account with it
        reports = self.with_context(active_test=False).search(
            [("reports_to_id", "in", self.ids)]
        )
        for stakeholder in (self | reports).filtered("reports_to_id"):
            manager = stakeholder.reports_to_id
            if manager.partner_id != stakeholder.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(stakeholder)s cannot report to %(manager)s: the org "
                        "chart links the stakeholders of one account only.",
                        stakeholder=stakeholder.display_name,
                        manager=manager.display_name,
                    )
                )
        if self._has_cycle("reports_to_id"):
            raise ValidationError(
                self.env._(
                    "The reporting lines of %(stakeholders)s make a loop: nobody "
                    "can report, directly or not, to themselves.",
                    stakeholders=format_list(self.env, self.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    def write(self, vals):
        result = super().write(vals)
        # archived or departed ("departed" is written by the daily run too):
        # their direct reports must stay reachable from the chart's roots
        if ("active" in vals and not vals["active"]) or vals.get("departed"):
            self._kam_reparent_reports()
        return result

    # ------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------
    def _kam_reparent_reports(self):
        """The direct reports of the stakeholders of ``self`` (who left or were
        archived) report to their nearest manager still there: the org chart
        shows the current people from its roots (``reports_to_id`` unset), none
        of them lost under a manager it no longer shows. One write per new
        manager, not per report."""
        # the archived reports too: restored, they are not lost either
        reports = self.with_context(active_test=False).search(
            [("reports_to_id", "in", self.ids), ("id", "not in", self.ids)]
        )

        def nearest_manager(stakeholder):
            manager = stakeholder.reports_to_id
            while manager in self:
                manager = manager.reports_to_id
            return manager

        for manager, group in groupby(reports, key=nearest_manager):
            reports.browse([r.id for r in group]).write({"reports_to_id": manager.id})

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def action_kam_view_org_chart(self):
        """The org chart of the stakeholder's account, focused on them."""
        self.ensure_one()
        action = self.partner_id.action_kam_view_org_chart()
        action["context"]["hierarchy_res_id"] = self.id
        return action
