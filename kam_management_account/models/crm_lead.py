from odoo import fields, models

from odoo.addons.kam_management.models.res_partner import KAM_USER_GROUP


class CrmLead(models.Model):
    _inherit = "crm.lead"

    kam_categ_ids = fields.Many2many(
        "product.category",
        "crm_lead_kam_categ_rel",
        "lead_id",
        "categ_id",
        string="Product Categories",
        # key account data: a salesman outside the programme duplicates
        # opportunities too, and a copy reads every copied field
        copy=False,
        groups=KAM_USER_GROUP,
        help="The product categories this opportunity sells: while it is open, "
        "the whitespace of its customer shows them in the pipeline.",
    )

    def _kam_create_cross_sell(self, unit, categ, company, expected_revenue=0.0):
        """A cross-sell opportunity for ``unit`` (a key account or one of its
        units) in the category ``categ``, in ``company``, on the current plan of
        its key account when that plan is of ``company``; owned by the user who
        asks for it."""
        plan = unit.kam_account_id.kam_current_plan_id
        if plan.company_id != company:
            plan = plan.browse()
        return (
            self.with_company(company)
            .create(
                {
                    "name": self.env._(
                        "%(category)s for %(customer)s",
                        category=categ.name,
                        customer=unit.name,
                    ),
                    "type": "opportunity",
                    "partner_id": unit.id,
                    "company_id": company.id,
                    "user_id": self.env.uid,
                    "kam_growth_type": "cross_sell",
                    "kam_categ_ids": [fields.Command.set(categ.ids)],
                    "kam_plan_id": plan.id,
                    "expected_revenue": expected_revenue,
                }
            )
            .with_env(self.env)
        )
