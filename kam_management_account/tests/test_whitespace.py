from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users

from .common import KamWhitespaceCommon


@tagged("post_install", "-at_install")
class TestWhitespace(KamWhitespaceCommon):
    """The whitespace of a key account (DESIGN §13): units × categories, each
    cell bought, in the pipeline or open."""

    def _grid(self, user=None):
        self.env.flush_all()
        Whitespace = self.env["kam.whitespace"].with_user(user or self.user_kam)
        return Whitespace.kam_grid(self.account.id)

    def _cell(self, grid, unit, letter):
        return grid["cells"].get(f"{unit.id}-{self.categs[letter].id}")

    def test_a_row_per_unit_and_a_unit_s_purchase_fills_its_row(self):
        """The plant's invoice (to its buyer) fills the plant's row, in the
        category at level 2 (a ball valve is a Categ A), and counts for the
        group's revenue; the account's own row stays open there."""
        self._invoice(self.plant_buyer, [(self.product_a_ball, 700), ("a", 300)], 40)
        self._invoice(self.account, [("b", 500)], 400)  # more than 12 months ago
        grid = self._grid()
        self.assertEqual(
            [unit["id"] for unit in grid["units"]],
            [self.account.id, self.plant.id],
            "the account first, then its units",
        )
        categ_ids = [categ["id"] for categ in grid["categories"]]
        self.assertIn(self.categs["h"].id, categ_ids, "a category for sale is shown")
        self.assertNotIn(self.categ_a_ball.id, categ_ids, "counted at level 2")
        self.assertEqual(categ_ids[0], self.categs["a"].id, "bought ones first")
        cell = self._cell(grid, self.plant, "a")
        self.assertEqual(cell["state"], "bought")
        self.assertAlmostEqual(cell["revenue"], 1000)
        self.assertEqual(cell["last_date"], str(self.today - timedelta(days=40)))
        self.assertIsNone(self._cell(grid, self.account, "a"), "open")
        self.assertIsNone(self._cell(grid, self.account, "b"), "bought too long ago")
        self.env.flush_all()
        summary = self.env["kam.account.revenue"]._kam_revenue_summary(
            self.account.ids, self.today
        )
        self.assertAlmostEqual(summary[self.account.id]["current"], 1000)

    def test_a_category_in_the_pipeline(self):
        """An open opportunity of the plant tagged with B (and with A and a
        subcategory of A: counted once in A's cell) puts both in the plant's
        pipeline; a won one and an opportunity of another customer do not; a
        purchase wins over the pipeline."""
        lead = self._opportunity(self.plant_buyer, "b")
        lead.kam_categ_ids |= self.categ_a_ball | self.categs["a"]
        won = self.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        self._opportunity(self.plant, "c", stage_id=won.id)
        self._opportunity(self.candidate, "d")
        self._opportunity(self.account, "e")
        self._invoice(self.account, [("e", 100)])
        grid = self._grid()
        for letter in "ab":
            cell = self._cell(grid, self.plant, letter)
            self.assertEqual(cell["state"], "pipeline", letter)
            self.assertEqual(cell["lead_id"], lead.id)
            self.assertAlmostEqual(cell["pipeline"], 1000)
        self.assertIsNone(self._cell(grid, self.plant, "c"), "won: not pipeline")
        self.assertIsNone(self._cell(grid, self.plant, "d"))
        self.assertEqual(self._cell(grid, self.account, "e")["state"], "bought")
        action = (
            self.env["kam.whitespace"]
            .with_user(self.user_kam)
            .kam_action_open_cell(self.account.id, self.plant.id, self.categs["b"].id)
        )
        self.assertEqual(
            (action["res_model"], action.get("res_id")), ("crm.lead", lead.id), action
        )

    def test_a_bought_cell_opens_its_lines(self):
        self._invoice(self.plant_buyer, [(self.product_a_ball, 700), ("b", 50)])
        self._invoice(self.account, [("a", 300)])
        action = (
            self.env["kam.whitespace"]
            .with_user(self.user_kam)
            .kam_action_open_cell(self.account.id, self.plant.id, self.categs["a"].id)
        )
        lines = (
            self.env["kam.revenue.line"]
            .with_user(self.user_kam)
            .search(action["domain"])
        )
        self.assertEqual(lines.product_id, self.product_a_ball)
        document = lines.action_kam_open_document()
        self.assertEqual(document["res_model"], "account.move")

    def test_an_open_cell_creates_a_cross_sell_opportunity(self):
        """On the unit, tagged with the category, on the account's current
        plan; for the KAM, not for another KAM user."""
        plan = self._active_plan(self.account)
        Whitespace = self.env["kam.whitespace"].with_user(self.user_kam)
        action = Whitespace.kam_action_create_opportunity(
            self.account.id, self.plant.id, self.categs["c"].id
        )
        lead = self.env["crm.lead"].browse(action["res_id"])
        self.assertEqual(lead.partner_id, self.plant)
        self.assertEqual(lead.kam_growth_type, "cross_sell")
        self.assertEqual(lead.kam_categ_ids, self.categs["c"])
        self.assertEqual(lead.kam_plan_id, plan)
        self.assertEqual(lead.user_id, self.user_kam)
        self.assertEqual(self._cell(self._grid(), self.plant, "c")["state"], "pipeline")
        self.assertFalse(self._grid(self.user_kam_other)["can_create"])
        with self.assertRaises(AccessError):
            Whitespace.with_user(self.user_kam_other).kam_action_create_opportunity(
                self.account.id, self.plant.id, self.categs["d"].id
            )

    def test_a_cell_of_another_account_is_refused(self):
        other = self._kam_other_account()
        with self.assertRaises(UserError):
            self.env["kam.whitespace"].with_user(self.user_kam).kam_action_open_cell(
                self.account.id, other.id, self.categs["a"].id
            )

    def test_the_programme_report(self):
        """Every key account's units and categories, for any KAM user."""
        other = self._kam_other_account()
        self._invoice(self.plant, [("a", 100)])
        self._invoice(other, [("b", 200)])
        self.env.flush_all()
        rows = (
            self.env["kam.whitespace"]
            .with_user(self.user_kam)
            .search_read(
                [
                    ("partner_id", "in", (self.account | other).ids),
                    ("categ_id", "in", (self.categs["a"] | self.categs["b"]).ids),
                ],
                ["partner_id", "unit_id", "categ_id", "state", "revenue_12m"],
            )
        )
        states = {
            (row["unit_id"][0], row["categ_id"][0]): (row["state"], row["revenue_12m"])
            for row in rows
        }
        a, b = self.categs["a"].id, self.categs["b"].id
        self.assertEqual(
            states,
            {
                (self.account.id, a): ("open", 0),
                (self.account.id, b): ("open", 0),
                (self.plant.id, a): ("bought", 100),
                (self.plant.id, b): ("open", 0),
                (other.id, a): ("open", 0),
                (other.id, b): ("bought", 200),
            },
        )

    def test_the_category_level(self):
        """Automatic (0): the level of most products for sale; the company's
        setting otherwise."""
        company = self.env.company
        company.kam_whitespace_categ_depth = 0
        # the products of the test are at level 2, one at level 3
        Template = self.env["product.template"]
        Template.search([("id", "not in", self._templates().ids)]).write(
            {"sale_ok": False}
        )
        self.assertEqual(company._kam_whitespace_depth(), 2)
        company.kam_whitespace_categ_depth = 3
        self.assertEqual(company._kam_whitespace_depth(), 3)
        with self.assertRaises(ValidationError):
            company.kam_whitespace_categ_depth = -1

    def _templates(self):
        return (
            self.product_a_ball.product_tmpl_id
            | self.env["product.product"]
            .concat(*self.products.values())
            .product_tmpl_id
        )

    @users("kam_user")
    def test_the_grid_in_a_constant_number_of_queries(self):
        self._invoice(self.plant, [("a", 100), ("b", 100)])
        self._opportunity(self.account, "c")
        self.env.flush_all()
        Whitespace = self.env["kam.whitespace"]
        Whitespace.kam_grid(self.account.id)  # the registry's caches
        self.env.invalidate_all()
        with self.assertQueryCount(13):
            Whitespace.kam_grid(self.account.id)

    def test_a_salesman_is_refused(self):
        """No grid, no report, no categories of opportunities for a salesman
        outside the programme."""
        lead = self._opportunity(self.account, "a", user_id=self.user_sales.id)
        Whitespace = self.env["kam.whitespace"].with_user(self.user_sales)
        with self.assertRaises(AccessError):
            Whitespace.kam_grid(self.account.id)
        with self.assertRaises(AccessError):
            Whitespace.search([])
        with self.assertRaises(AccessError):
            lead.with_user(self.user_sales).read(["kam_categ_ids"])
        with self.assertRaises(AccessError):
            self.env["kam.recommendation"].with_user(self.user_sales).search([])
        with self.assertRaises(AccessError):
            self.env["kam.recommendation.run"].with_user(self.user_kam).search([])
