from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import LazyTranslate
from odoo.tools.misc import formatLang

from ..tools.formats import kam_plural

_lt = LazyTranslate(__name__)

SCORE_MIN, SCORE_MAX = 1, 10
# Written by the suggestion engine only (res.partner._kam_suggest_scores)
SUGGESTION_FIELDS = {"suggested_score", "suggested_evidence", "suggested_date"}


class KamSelectionScore(models.Model):
    _name = "kam.selection.score"
    _description = "Key Account Selection Score"
    _inherit = ["kam.account.mixin"]
    _order = "partner_id, sequence, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        ondelete="cascade",
        index=True,
    )
    criterion_id = fields.Many2one(
        "kam.selection.criterion",
        required=True,
        ondelete="cascade",
        check_company=True,
        domain="[('active', '=', True)]",
    )
    sequence = fields.Integer(related="criterion_id.sequence", store=True)
    weight = fields.Float(related="criterion_id.weight")
    # 0 (empty) is "not scored": the line of a criterion still to score, which
    # the selection score of the account ignores
    score = fields.Integer(
        help="From 1 (poor) to 10 (excellent); 0 while the account is not scored "
        "on the criterion.",
    )
    note = fields.Char()
    # What the data suggests (DESIGN §14): never the score until accepted
    suggested_score = fields.Integer(
        readonly=True,
        help="The score the data suggests, from 1 to 10; 0 without suggestion. "
        "It becomes the score only when a user accepts it.",
    )
    suggested_evidence = fields.Json(
        readonly=True,
        help="The reason of the suggestion as data: a code and its values, "
        "rendered in the reader's language.",
    )
    suggested_reason = fields.Char(compute="_compute_suggested_reason")
    suggested_date = fields.Date(readonly=True)
    company_id = fields.Many2one(
        related="partner_id.company_id", store=True, index=True
    )

    _sql_constraints = [
        (
            "partner_criterion_uniq",
            "unique(partner_id, criterion_id)",
            "An account can be scored only once on each criterion.",
        ),
    ]

    @api.depends("suggested_evidence")
    @api.depends_context("lang")
    def _compute_suggested_reason(self):
        renderers = self._kam_suggestion_renderers()
        for line in self:
            evidence = line.suggested_evidence or {}
            render = renderers.get(evidence.get("code"))
            line.suggested_reason = render(evidence["values"]) if render else False

    @api.constrains("score")
    def _check_score(self):
        for line in self:
            if line.score and not SCORE_MIN <= line.score <= SCORE_MAX:
                raise ValidationError(
                    self.env._(
                        "The score of %(account)s on %(criterion)s must be between "
                        "%(min)s and %(max)s (or 0 while not scored), not "
                        "%(score)s.",
                        account=line.partner_id.display_name,
                        criterion=line.criterion_id.name,
                        min=SCORE_MIN,
                        max=SCORE_MAX,
                        score=line.score,
                    )
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._kam_check_suggestion_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._kam_check_suggestion_values([vals])
        return super().write(vals)

    def _kam_write_suggestion(self, vals):
        """Write a suggestion (the engine), with the user's rights on the line."""
        self.check_access("write")
        self.sudo().write(vals)

    @api.model
    def _kam_check_suggestion_values(self, vals_list):
        """A suggestion comes from the data (DESIGN §7: computed figures are
        written by the engine only), not from a user's call."""
        if not self.env.su and any(SUGGESTION_FIELDS & set(vals) for vals in vals_list):
            raise AccessError(
                self.env._(
                    "Suggested scores come from the data: use Suggest Scores, then "
                    "accept a suggestion or type the score."
                )
            )

    # ------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------
    def action_accept_suggestion(self):
        """The suggested score becomes the score, with the user's rights on the
        line; a line without suggestion is left as it is."""
        for line in self.filtered("suggested_score"):
            line.score = line.suggested_score
        return True

    # ------------------------------------------------------------
    # Reasons in the reader's language
    # ------------------------------------------------------------
    @api.model
    def _kam_suggestion_renderers(self):
        """``{code: render(values)}``: the reason of a suggestion in the
        language of the environment; the bridges add theirs."""
        return {
            "revenue_potential": self._kam_render_revenue_potential,
            "relationships": self._kam_render_relationships,
        }

    def _kam_amount(self, amount, currency_id):
        currency = self.env["res.currency"].browse(currency_id).exists()
        return formatLang(self.env, amount, currency_obj=currency or None, digits=0)

    def _kam_render_revenue_potential(self, values):
        reason = self.env._(
            "%(amount)s in 12 months: top %(top)s%% of the customers",
            amount=self._kam_amount(values["amount"], values["currency_id"]),
            top=values["top"],
        )
        if values.get("growth") is None:
            return reason
        # out of the call: the term extractor evaluates its arguments
        growth = f"{values['growth']:+d}"
        return self.env._(
            "%(reason)s, %(growth)s%% against the 12 months before",
            reason=reason,
            growth=growth,
        )

    def _kam_render_relationships(self, values):
        interactions = kam_plural(
            self.env,
            values["interactions"],
            _lt("%(count)s interaction in 90 days"),
            _lt("%(count)s interactions in 90 days"),
        )
        contacts = kam_plural(
            self.env,
            values["contacts"],
            _lt("%(count)s person known"),
            _lt("%(count)s people known"),
        )
        return self.env._(
            "%(interactions)s, %(contacts)s",
            interactions=interactions,
            contacts=contacts,
        )
