from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL


@tagged("post_install", "-at_install")
class TestSaleRevenue(TransactionCase):
    """Issue 13: confirmed orders as the revenue source of an account without
    invoices, a won opportunity that became an order counted once, and the
    order backlog (sold, not yet invoiced)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.company = cls.env.company
        cls.user_kam = new_test_user(
            cls.env,
            login="kam_sale_user",
            groups="sales_team.group_sale_salesman_all_leads,"
            "kam_management.group_kam_user",
        )
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Orders Only Corp",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": cls.user_kam.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Consulting", "type": "service", "invoice_policy": "order"}
        )
        won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.won = cls.env["crm.lead"].create(
            {
                "name": "Won deal",
                "type": "opportunity",
                "partner_id": cls.account.id,
                "expected_revenue": 3000,
                "stage_id": won_stage.id,
            }
        )
        # the won deal became an order; a second order without opportunity
        cls.order_from_won = cls._order(3000, 20, opportunity=cls.won)
        cls.order = cls._order(2000, 5)
        cls._order(400, 5, confirm=False)  # a quotation does not count

    @classmethod
    def _order(cls, amount, days_ago, opportunity=None, confirm=True):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.account.id,
                "opportunity_id": opportunity.id if opportunity else False,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        order.date_order = fields.Datetime.now() - timedelta(days=days_ago)
        return order

    def test_orders_are_the_revenue_counted_once(self):
        env = self.env(user=self.user_kam)
        Revenue = env["kam.account.revenue"]
        summary = Revenue._kam_revenue_summary(self.account.ids, self.today)
        self.assertEqual(summary[self.account.id]["sources"], ["sales"])
        # 3,000 (the won deal, as its order) + 2,000, not 3,000 more for the deal
        self.assertAlmostEqual(summary[self.account.id]["current"], 5000)
        [portfolio] = env["kam.portfolio.report"].search_read(
            [("partner_id", "=", self.account.id)], ["revenue_12m"]
        )
        self.assertAlmostEqual(portfolio["revenue_12m"], 5000)
        plan = env["kam.account.plan"].create(
            {
                "name": "Plan",
                "partner_id": self.account.id,
                "date_start": self.today - timedelta(days=10),
                "date_end": self.today,
            }
        )
        self.assertAlmostEqual(plan.revenue_actual, 2000)

    def test_order_backlog(self):
        account = self.account.with_user(self.user_kam)
        self.assertAlmostEqual(account.kam_order_backlog, 5000)
        self.order._create_invoices().action_post()
        account.invalidate_recordset(["kam_order_backlog"])
        self.assertAlmostEqual(account.kam_order_backlog, 3000)
        if self.env["ir.module.module"]._get("kam_management_account").state == (
            "installed"
        ):
            # with Invoicing, the invoice is the revenue, the order it comes from
            # is not counted again; the order not invoiced yet still counts
            summary = account.env["kam.account.revenue"]._kam_revenue_summary(
                account.ids, self.today
            )[account.id]
            self.assertEqual(summary["sources"], ["invoices", "sales"])
            self.assertAlmostEqual(summary["current"], 2000 + 3000)


@tagged("post_install", "-at_install")
class TestRevenuePerDeal(TransactionCase):
    """Issue 21: a company that used the CRM for years, then installs Sales and
    Invoicing. The source is chosen per deal: the first order of an account does
    not wipe out its won opportunities, a deal is counted once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        cls.account = cls.env["res.partner"].create(
            {"name": "Years of CRM Corp", "is_company": True, "is_key_account": True}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Pumps", "type": "service", "invoice_policy": "order"}
        )
        # two years of won deals in the CRM, before Sales
        cls.won_this_year = cls._won(1000, days_ago=100)
        cls.won_last_year = cls._won(800, days_ago=500)
        # after Sales: a deal won and ordered, a new order, an invoiced order
        cls.ordered_deal = cls._won(3000, days_ago=10)
        cls._order(3000, opportunity=cls.ordered_deal)
        cls._order(500)
        cls.invoiced = cls._order(700)

    @classmethod
    def _won(cls, amount, days_ago):
        lead = cls.env["crm.lead"].create(
            {
                "name": f"Deal {amount}",
                "type": "opportunity",
                "partner_id": cls.account.id,
                "expected_revenue": amount,
            }
        )
        lead.action_set_won()
        lead.date_closed = fields.Datetime.now() - timedelta(days=days_ago)
        return lead

    @classmethod
    def _order(cls, amount, opportunity=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.account.id,
                "opportunity_id": opportunity.id if opportunity else False,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _summary(self):
        self.env.flush_all()
        return self.env["kam.account.revenue"]._kam_revenue_summary(
            self.account.ids, self.today
        )[self.account.id]

    def test_history_kept_when_sales_arrives(self):
        summary = self._summary()
        # 1,000 won this year + 3,000 (the deal, as its order) + 500 + 700
        self.assertAlmostEqual(summary["current"], 1000 + 3000 + 500 + 700)
        self.assertAlmostEqual(summary["previous"], 800, msg="no year lost")
        self.assertEqual(summary["sources"], ["opportunities", "sales"])

    def test_invoice_replaces_its_order(self):
        self.invoiced._create_invoices().action_post()
        summary = self._summary()
        self.assertAlmostEqual(summary["current"], 1000 + 3000 + 500 + 700)
        self.assertEqual(summary["sources"], ["invoices", "opportunities", "sales"])
        lines = self.env["kam.revenue.line"].search(
            [("account_id", "=", self.account.id)]
        )
        self.assertEqual(
            sorted(lines.mapped("source")),
            ["invoices", "opportunities", "opportunities", "sales", "sales"],
            "each deal once: the ordered deal and the invoiced order are left out",
        )

    def test_draft_invoice_leaves_the_order_counted(self):
        self.invoiced._create_invoices()
        self.assertAlmostEqual(self._summary()["current"], 1000 + 3000 + 500 + 700)

    def test_expansion_counts_the_ordered_growth_deal(self):
        self.ordered_deal.kam_growth_type = "cross_sell"
        self.env.flush_all()
        Revenue = self.env["kam.account.revenue"]
        self.env.cr.execute(
            SQL(
                "SELECT SUM(amount) FROM (%s) lines",
                Revenue._kam_expansion_lines(self.account.ids, None, self.today),
            )
        )
        self.assertAlmostEqual(self.env.cr.fetchone()[0], 3000)

    def test_lines_carry_product_category_and_quantity(self):
        category = self.env["product.category"].create({"name": "Valves"})
        valve = self.env["product.product"].create(
            {"name": "Valve", "type": "consu", "categ_id": category.id}
        )
        order = self._order(100)
        order.order_line = [
            Command.create(
                {
                    "product_id": valve.id,
                    "product_uom_qty": 3,
                    "price_unit": 40,
                    "tax_id": [Command.clear()],
                }
            )
        ]
        self.env.flush_all()
        Line = self.env["kam.revenue.line"]
        lines = Line.search([("document", "=", f"sale.order,{order.id}")])
        self.assertEqual(
            sorted(
                (line.product_id.name, line.quantity, line.amount) for line in lines
            ),
            [("Pumps", 1.0, 100.0), ("Valve", 3.0, 120.0)],
        )
        self.assertEqual(
            lines.filtered("categ_id").categ_id, category | self.product.categ_id
        )
        order._create_invoices().action_post()
        invoice_lines = Line.search(
            [("document", "=", f"account.move,{order.invoice_ids.id}")]
        )
        self.assertEqual(
            sorted(
                (line.categ_id.name, line.quantity, line.amount)
                for line in invoice_lines
            ),
            sorted([(self.product.categ_id.name, 1.0, 100.0), ("Valves", 3.0, 120.0)]),
        )
        self.assertFalse(Line.search([("document", "=", f"sale.order,{order.id}")]))
