from odoo import api, models
from odoo.tools import SQL


class ProductCategory(models.Model):
    _inherit = "product.category"

    @api.model
    def _kam_level_sql(self, alias, depth):
        """SQL of the category of ``alias`` (a ``product_category`` row) at the
        level ``depth`` of the tree (1 for the top categories): its ancestor at
        that level, read in its ``parent_path`` ("1/5/12/"), or itself when it
        is higher in the tree."""
        return SQL(
            "COALESCE(NULLIF(split_part(%(alias)s.parent_path, '/', %(depth)s), '')"
            "::int, %(alias)s.id)",
            alias=SQL.identifier(alias),
            depth=depth,
        )
