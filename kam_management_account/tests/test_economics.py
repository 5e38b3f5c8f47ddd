from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KamInvoiceCommon


@tagged("post_install", "-at_install")
class TestEconomics(KamInvoiceCommon):
    """Issue 26: what an account is worth, from the invoice lines' products.

    ``margin_account`` (a key account of both companies) bought ``chair``
    (cost 60 dollars, list price 100) in ``company``: 10 at 100 less 20 % 10
    days ago (800 sold, 600 cost, 200 given away), and 1 credited 5 days ago;
    the year before, 10 at 100 (1,000 sold, 600 cost: a margin of 40 %). In
    ``company_eu`` it bought 2 at 50 euros (cost 30 euros) 30 days ago."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.chair = Product.create(
            {"name": "Chair", "list_price": 100.0, "standard_price": 60.0}
        )
        cls.chair.with_company(cls.company_eu).standard_price = 30.0
        cls.margin_account = cls.env["res.partner"].create(
            {"name": "Margin Corp", "is_company": True, "company_id": False}
        )
        cls.margin_account.is_key_account = True
        cls._product_invoice(cls.company, 10, 100.0, 10, discount=20)
        cls._product_invoice(cls.company, 1, 80.0, 5, move_type="out_refund")
        cls._product_invoice(cls.company, 10, 100.0, 400)
        cls._product_invoice(cls.company_eu, 2, 50.0, 30)

    @classmethod
    def _product_invoice(
        cls, company, quantity, price, days_ago, discount=0.0, move_type="out_invoice"
    ):
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": cls.margin_account.id,
                    "invoice_date": cls.today - timedelta(days=days_ago),
                    "invoice_payment_term_id": cls.pay_terms_a.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": cls.chair.id,
                                "quantity": quantity,
                                "price_unit": price,
                                "discount": discount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def _account(self, user, companies):
        env = self._env(user, companies)
        env.invalidate_all()
        return self.margin_account.with_env(env)

    def test_margin_and_discount_of_one_company(self):
        account = self._account(self.user_us, self.company)
        # 800 - 80 credited sold, 600 - 60 cost
        self.assertAlmostEqual(account.kam_gross_margin_12m, 720 - 540)
        self.assertAlmostEqual(account.kam_margin_percent, 25.0)
        # 40 % the year before: 15 points lost
        self.assertAlmostEqual(account.kam_margin_change, -15.0)
        # 1,000 list less 800 sold; the credit note gave back 100 - 80
        self.assertAlmostEqual(account.kam_discount_12m, 200 - 20)
        self.assertAlmostEqual(account.kam_contribution_12m, 180)

    def test_two_companies_convert_at_the_document_date(self):
        # the euro invoice: 100 sold, 60 cost, 40 margin at 2 dollars a euro
        account = self._account(self.user_both, self.company | self.company_eu)
        self.assertAlmostEqual(account.kam_gross_margin_12m, 180 + 80)
        self.assertAlmostEqual(
            account.kam_margin_percent, 260 / (720 + 200) * 100, places=1
        )
        account = self._account(self.user_eu, self.company_eu)
        self.assertAlmostEqual(account.kam_gross_margin_12m, 40)

    def test_plan_budget_spread_over_the_period(self):
        # a plan of 200 days, 100 of them in the last 12 months: half its budget
        start = self.today - timedelta(days=99)
        self.env["kam.account.plan"].create(
            {
                "name": "Chairs everywhere",
                "partner_id": self.margin_account.id,
                "company_id": self.company.id,
                "date_start": start,
                "date_end": start + timedelta(days=199),
                "budget": 1000.0,
                "state": "active",
            }
        )
        account = self._account(self.user_us, self.company)
        self.assertAlmostEqual(account.kam_programme_cost_12m, 500.0)
        self.assertAlmostEqual(account.kam_cost_to_serve_12m, 500.0)
        self.assertAlmostEqual(account.kam_contribution_12m, 180 - 500)

    def test_payback(self):
        account = self._account(self.user_us, self.company)
        self.assertEqual(account.kam_payback_reason, "no plan budget to pay back")
        # designated at the start of the month 3 months ago: 4 months since;
        # in the 12 months before it, the invoice of 400 days ago (400 of
        # margin: 33.33 a month without the programme); since, 180 of margin
        since = self.today.replace(day=1) - relativedelta(months=3)
        self.margin_account.sudo().kam_since = since
        plan = self.env["kam.account.plan"].create(
            {
                "name": "Payback",
                "partner_id": self.margin_account.id,
                "company_id": self.company.id,
                "date_start": since,
                "date_end": since + timedelta(days=364),
                "budget": 150.0,
                "state": "active",
            }
        )
        account = self._account(self.user_us, self.company)
        self.assertFalse(account.kam_payback_months)
        self.assertIn(
            "46.67 of $\xa0150.00 recovered in 4 months", account.kam_payback_reason
        )
        # 40: covered in the month of the sale (the third or the fourth)
        plan.budget = 40.0
        account = self._account(self.user_us, self.company)
        months = account.kam_payback_months
        self.assertIn(months, (3, 4))
        self.assertEqual(
            account.kam_payback_reason,
            f"paid back in {months} months: $\xa040.00 of plan budgets",
        )

    def test_health_evidence_where_margin_erodes(self):
        env = self._env(self.user_us, self.company)
        engine = env(su=True)["kam.health.engine"]
        engine._kam_health_compute_batch(self.margin_account.ids, self.today)
        env.invalidate_all()
        line = self.margin_account.with_env(env).kam_health_line_ids.filtered(
            lambda line: line.factor_id.code == "economics"
        )
        self.assertEqual(line.evidence_code, "margin_erosion")
        # 70 less 5 points per point lost (15): 0 is the floor past 60 lost
        self.assertAlmostEqual(line.score, 70 - 60)
        self.assertIn("margin erodes: 25", line.evidence)
        self.assertIn("15 points down on the 12 before", line.evidence)
        # an account without cost known: no data, the weight goes elsewhere
        engine._kam_health_compute_batch(self.account.ids, self.today)
        env.invalidate_all()
        line = self.account.with_env(env).kam_health_line_ids.filtered(
            lambda line: line.factor_id.code == "economics"
        )
        self.assertFalse(line.has_data)

    def test_portfolio_and_workbook(self):
        env = self._env(self.user_us, self.company)
        [row] = env["kam.portfolio.report"].search_read(
            [("partner_id", "=", self.margin_account.id)],
            ["gross_margin_12m", "margin_percent", "discount_12m", "payback"],
        )
        self.assertAlmostEqual(row["gross_margin_12m"], 180)
        self.assertAlmostEqual(row["margin_percent"], 25.0)
        self.assertAlmostEqual(row["discount_12m"], 180)
        self.assertEqual(row["payback"], "no plan budget to pay back")


@tagged("post_install", "-at_install")
class TestCandidates(KamInvoiceCommon):
    """Candidates judged by their data: ``late_payer`` bought 1,000 60 days
    ago, due 30 days ago and paid 10 days ago (20 days late), and 500 20 days
    ago, due 10 days ago and unpaid (10 days late): 15 days late on average,
    500 overdue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.late_payer = Partner.create({"name": "Late Payer", "is_company": True})
        Partner.create({"name": "Lou Late", "parent_id": cls.late_payer.id})
        paid = cls._due_invoice(1000, 60, 30)
        cls._due_invoice(500, 20, 10)
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=paid.ids
        ).create({"payment_date": cls.today - timedelta(days=10)})._create_payments()
        Criterion = cls.env["kam.selection.criterion"]
        cls.credit = Criterion.create(
            {"name": "Credit", "data_source": "creditworthiness"}
        )
        cls.relations = Criterion.create(
            {"name": "Relations", "data_source": "relationships"}
        )
        cls.potential = Criterion.create(
            {"name": "Potential", "data_source": "revenue_potential"}
        )
        cls.user_kam = new_test_user(
            cls.env,
            login="kam_candidates",
            groups="sales_team.group_sale_salesman,kam_management.group_kam_user",
        )
        cls.user_sales = new_test_user(
            cls.env, login="kam_salesman", groups="sales_team.group_sale_salesman"
        )

    @classmethod
    def _due_invoice(cls, amount, days_ago, due_days_ago):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.late_payer.id,
                "invoice_date": cls.today - timedelta(days=days_ago),
                "invoice_date_due": cls.today - timedelta(days=due_days_ago),
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Consulting",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        move.action_post()
        return move

    def test_candidate_figures(self):
        candidate = self.late_payer.with_user(self.user_kam)
        self.assertAlmostEqual(candidate.kam_candidate_revenue_12m, 1500)
        self.assertAlmostEqual(candidate.kam_days_late_avg, 15.0)
        self.assertAlmostEqual(candidate.kam_overdue_amount, 500)
        self.assertFalse(candidate.kam_has_margin)

    def test_suggest_accept_and_override(self):
        candidate = self.late_payer.with_user(self.user_kam)
        candidate.action_kam_suggest_scores()
        lines = candidate.kam_selection_score_ids
        credit = lines.filtered(lambda line: line.criterion_id == self.credit)
        # 10, 2 points for 15 days late, 2 for 500 overdue of 1,500
        self.assertEqual(credit.suggested_score, 6)
        self.assertEqual(credit.score, 0, "nothing is scored unseen")
        self.assertEqual(
            credit.suggested_reason,
            "2 invoices due in 12 months, paid 15 days late on average; "
            "$\xa0500.00 overdue",
        )
        potential = lines.filtered(lambda line: line.criterion_id == self.potential)
        self.assertTrue(1 <= potential.suggested_score <= 10)
        self.assertIn("$\xa01,500.00 in 12 months: top", potential.suggested_reason)
        relations = lines.filtered(lambda line: line.criterion_id == self.relations)
        self.assertEqual(
            relations.suggested_reason, "0 interactions in 90 days, 1 person known"
        )
        self.assertFalse(candidate.kam_selection_scored)
        credit.action_accept_suggestion()
        self.assertEqual(credit.score, 6)
        # overridden: the suggestion of a later run does not touch the score
        relations.score = 8
        candidate.action_kam_suggest_scores()
        self.assertEqual(relations.score, 8)
        self.assertEqual(credit.score, 6)
        self.assertEqual(len(candidate.kam_selection_score_ids), len(lines))

    def test_salesman_refused(self):
        candidate = self.late_payer.with_user(self.user_sales)
        with self.assertRaises(AccessError):
            candidate.action_kam_suggest_scores()
        self.late_payer.with_user(self.user_kam).action_kam_suggest_scores()
        line = self.env["kam.selection.score"].search(
            [("partner_id", "=", self.late_payer.id)], limit=1
        )
        with self.assertRaises(AccessError):
            line.with_user(self.user_sales).action_accept_suggestion()

    def test_candidate_list_queries_do_not_grow_with_the_page(self):
        Partner = self.env["res.partner"].with_user(self.user_kam)
        fields = [
            "kam_candidate_revenue_12m",
            "kam_candidate_revenue_growth",
            "kam_margin_percent",
            "kam_interaction_count_90d",
            "kam_days_late_avg",
            "kam_overdue_amount",
        ]
        others = self.env["res.partner"].create(
            [{"name": f"Other {n}", "is_company": True} for n in range(20)]
        )
        Partner.browse(others.ids).read(fields)  # the caches of the first read
        counts = []
        for partners in (self.late_payer, self.late_payer | others):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Partner.browse(partners.ids).read(fields)
            counts.append(self.cr.sql_log_count - before)
        self.assertLessEqual(counts[1], counts[0])
