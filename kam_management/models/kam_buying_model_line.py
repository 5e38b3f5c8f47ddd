from odoo import fields, models


class KamBuyingModelLine(models.Model):
    """One bar pair of a buying model's backtest: the customers known before the
    holdout with a given number of repeat purchases, and the purchases they
    made in the holdout against those the model fitted on the data before it
    predicted. Written by ``kam.buying.model._kam_fit`` only."""

    _name = "kam.buying.model.line"
    _description = "Buying Model Backtest Line"
    _order = "model_id, purchases"

    model_id = fields.Many2one(
        "kam.buying.model",
        string="Buying Model",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
    )
    purchases = fields.Integer(
        string="Repeat Purchases",
        readonly=True,
        aggregator=False,
        help="Repeat purchases of the customers before the holdout (purchases "
        "after their first one); 7 counts the customers with 7 or more.",
    )
    customers = fields.Integer(readonly=True)
    actual = fields.Integer(
        string="Actual Purchases",
        readonly=True,
        help="Purchases the customers made in the holdout.",
    )
    predicted = fields.Float(
        string="Predicted Purchases",
        readonly=True,
        help="Purchases the model fitted on the data before the holdout expected "
        "from the customers in the holdout.",
    )
