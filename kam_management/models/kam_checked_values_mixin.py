from odoo import api, models

from ..tools.values import kam_check_values


class KamCheckedValuesMixin(models.AbstractModel):
    """Records whose values are checked before the ORM's own checks
    (``kam_check_values``), on create and write: a value of the wrong type,
    typed in or sent over JSON-RPC, is refused with a message in the user's
    language instead of a traceback. For the models that check every field and
    nothing more; the records of a key account (kam.account.mixin) and the
    partner check theirs within their own rules."""

    _name = "kam.checked.values.mixin"
    _description = "Values Checked Before the ORM"

    @api.model_create_multi
    def create(self, vals_list):
        kam_check_values(self, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        kam_check_values(self, [vals])
        return super().write(vals)
