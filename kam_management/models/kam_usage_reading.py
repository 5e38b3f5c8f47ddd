from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools.formats import kam_number


class KamUsageReading(models.Model):
    _name = "kam.usage.reading"
    _description = "Key Account Usage Reading"
    _inherit = ["kam.account.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_company', '=', True)]",
    )
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    value = fields.Float(
        required=True,
        digits=(16, 1),
        aggregator="avg",
        help="Usage of our products or services, from 0 (unused) to 100 (fully used).",
    )
    source = fields.Char(help="Where the reading comes from (product, report, tool).")
    company_id = fields.Many2one(
        related="partner_id.company_id", store=True, index=True
    )

    @api.constrains("value")
    def _check_value(self):
        for reading in self:
            if not 0 <= reading.value <= 100:
                raise ValidationError(
                    self.env._(
                        "A usage reading must be between 0 and 100 (got %(value)s).",
                        value=kam_number(self.env, reading.value),
                    )
                )
