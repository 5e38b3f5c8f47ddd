from odoo import api, fields, models
from odoo.exceptions import ValidationError

SCORE_MIN, SCORE_MAX = 1, 10


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
