from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# The deepest level of the category tree a company can choose.
KAM_MAX_CATEG_DEPTH = 10


class ResCompany(models.Model):
    _inherit = "res.company"

    kam_whitespace_categ_depth = fields.Integer(
        string="Whitespace Category Level",
        default=0,
        help="The level of the product category tree at which the whitespace "
        "grid and the recommendations count categories: 1 for the top "
        "categories (All), 2 for their children (All / Saleable), 3 for theirs "
        "(All / Saleable / Office Furniture), and so on. A product counts in its "
        "category's ancestor at that level. 0 (automatic) takes the level where "
        "most products for sale sit.",
    )

    @api.constrains("kam_whitespace_categ_depth")
    def _check_kam_whitespace_categ_depth(self):
        for company in self:
            if not 0 <= company.kam_whitespace_categ_depth <= KAM_MAX_CATEG_DEPTH:
                raise ValidationError(
                    self.env._(
                        "The whitespace category level of %(company)s goes from 1 "
                        "to %(max)s (0 for automatic).",
                        company=company.name,
                        max=KAM_MAX_CATEG_DEPTH,
                    )
                )

    def _kam_whitespace_depth(self):
        """The level of the category tree the company sells at: its setting, or
        the level of the categories of most of its products for sale (one small
        query over the products, never over the order lines)."""
        self.ensure_one()
        if self.kam_whitespace_categ_depth:
            return self.kam_whitespace_categ_depth
        self.env["product.template"].flush_model(
            ["active", "categ_id", "company_id", "sale_ok"]
        )
        self.env["product.category"].flush_model(["parent_path"])
        self.env.cr.execute(
            SQL(
                """
                SELECT length(c.parent_path) - length(replace(c.parent_path, '/', ''))
                  FROM product_template t
                  JOIN product_category c ON c.id = t.categ_id
                 WHERE t.active AND t.sale_ok
                   AND (t.company_id IS NULL OR t.company_id = %s)
              GROUP BY 1
              ORDER BY count(*) DESC, 1 DESC
                 LIMIT 1
                """,
                self.id,
            )
        )
        row = self.env.cr.fetchone()
        return row[0] if row else 1
