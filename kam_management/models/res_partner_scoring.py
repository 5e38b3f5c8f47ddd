# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models

from .res_partner import KAM_USER_GROUP


class ResPartner(models.Model):
    """The selection matrix filled in a list: one score line per active
    criterion of the partner's company (and shared criterion), a criterion
    never offered twice."""

    _inherit = "res.partner"

    # Not stored: they follow the lines being edited in the form (the domain of
    # a new line's criterion) and the criteria configured since.
    kam_selection_criterion_ids = fields.Many2many(
        "kam.selection.criterion",
        string="Criteria Listed",
        compute="_compute_kam_selection_criteria",
        help="The criteria that already have a line in the selection scores, "
        "scored or not.",
        groups=KAM_USER_GROUP,
    )
    kam_selection_missing = fields.Boolean(
        string="Criteria to List",
        compute="_compute_kam_selection_criteria",
        help="Active criteria of the account's company, or shared, that have no "
        "line in the selection scores yet.",
        groups=KAM_USER_GROUP,
    )

    @api.depends("company_id", "kam_selection_score_ids.criterion_id")
    def _compute_kam_selection_criteria(self):
        criteria = self._kam_selection_criteria()
        for partner in self:
            listed = partner.kam_selection_score_ids.criterion_id
            partner.kam_selection_criterion_ids = listed
            partner.kam_selection_missing = bool(criteria[partner] - listed)

    def action_kam_score_criteria(self):
        """Add an empty line (score 0, not scored) for every active criterion
        these partners have no line for yet, so that the scores are filled in a
        list; the lines are created with the user's rights on the scores."""
        criteria = self._kam_selection_criteria()
        self.env["kam.selection.score"].create(
            [
                {"partner_id": partner.id, "criterion_id": criterion.id}
                for partner in self
                for criterion in criteria[partner]
                - partner.kam_selection_score_ids.criterion_id
            ]
        )
        return True

    def _kam_selection_criteria(self):
        """``{partner: active criteria}``: those of the partner's company and the
        shared ones (a shared partner: the shared ones only), read at once."""
        Criterion = self.env["kam.selection.criterion"]
        criteria = Criterion.search(
            [("company_id", "in", self.company_id.ids + [False])]
        )
        return {
            partner: criteria.filtered_domain(
                Criterion._check_company_domain(partner.company_id)
            )
            for partner in self
        }
