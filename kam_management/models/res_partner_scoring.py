# pylint: disable=consider-merging-classes-inherited
from odoo import api, fields, models

from ..tools.values import kam_bool_search
from .res_partner import KAM_USER_GROUP


class ResPartner(models.Model):
    """The selection matrix filled in a list: one score line per active
    criterion of the partner's company (and shared criterion), a criterion
    never offered twice; and the candidates it scores, the companies that are
    not key accounts, the company's own companies aside."""

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

    kam_own_company = fields.Boolean(
        string="Our Company",
        compute="_compute_kam_own_company",
        search="_search_kam_own_company",
        help="The partner of one of the companies of this database: never a "
        "candidate key account.",
    )

    def _compute_kam_own_company(self):
        own = self._kam_own_company_ids()
        for partner in self:
            partner.kam_own_company = partner._origin.id in own

    def _search_kam_own_company(self, operator, value):
        own = self._kam_own_company_ids()
        return kam_bool_search(
            self.env,
            operator,
            value,
            self._fields["kam_own_company"]._description_string(self.env),
            [("id", "in", own)],
            [("id", "not in", own)],
        )

    @api.model
    def _kam_own_company_ids(self):
        """The partners of every company of the database, also those the user
        does not work in: a sister company is no customer to win either."""
        companies = self.env["res.company"].sudo().with_context(active_test=False)
        return companies.search([]).partner_id.ids

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
