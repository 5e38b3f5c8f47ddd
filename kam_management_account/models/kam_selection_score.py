from odoo import api, models
from odoo.tools import LazyTranslate

from odoo.addons.kam_management.tools.formats import kam_number, kam_plural

_lt = LazyTranslate(__name__)


class KamSelectionScore(models.Model):
    """The reason of a suggested creditworthiness, in the reader's language."""

    _inherit = "kam.selection.score"

    @api.model
    def _kam_suggestion_renderers(self):
        renderers = super()._kam_suggestion_renderers()
        renderers["creditworthiness"] = self._kam_render_creditworthiness
        return renderers

    def _kam_render_creditworthiness(self, values):
        reason = kam_plural(
            self.env,
            values["invoices"],
            _lt(
                "%(count)s invoice due in 12 months, paid %(days)s days late on average"
            ),
            _lt(
                "%(count)s invoices due in 12 months, paid %(days)s days late on "
                "average"
            ),
            days=kam_number(self.env, values["days_late"]),
        )
        if not values.get("overdue"):
            return reason
        return self.env._(
            "%(reason)s; %(overdue)s overdue",
            reason=reason,
            overdue=self._kam_amount(values["overdue"], values["currency_id"]),
        )
