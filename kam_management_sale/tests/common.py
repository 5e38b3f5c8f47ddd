from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.kam_management.tests.common import KamRightsCommon


class KamSaleRightsCommon(KamRightsCommon):
    """On top of ``KamRightsCommon``: ``user_sales_b``, a salesman of company B
    only, with no KAM rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales_b = new_test_user(
            cls.env,
            login="kam_sales_b",
            name="Bo Sales",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
