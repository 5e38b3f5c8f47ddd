from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.kam_management.tests.common import KamCommon


def new_invoice_user(env):
    """Ivy Invoice, a billing user (Invoicing) with no sales or KAM rights."""
    return new_test_user(
        env,
        login="kam_invoice",
        name="Ivy Invoice",
        groups="account.group_account_invoice",
    )


class KamInvoiceCommon(AccountTestInvoicingCommon):
    """Two companies with controlled rates and the invoices of issue 13.

    ``company`` (US dollars) invoiced the key account ``account`` 15,000 and
    5,000 in the last 12 months, credited it 2,000, and invoiced it 10,000 the
    year before; ``company_eu`` (euros) invoiced it 7,000 euros 30 days ago.
    Rates: in the first company a euro is worth 2 dollars until 15 days ago, 4
    dollars since (the euro invoice counts at 2); in the second a euro is worth
    1.25 dollars. Users: ``user_us`` works in the first company only,
    ``user_both`` in both, ``user_eu`` in the second only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.usd = cls.env.ref("base.USD")
        cls.eur = cls._enable_currency("EUR")
        cls._use_currency(cls.company, "USD")
        cls.company_eu_data = cls.setup_other_company(
            name="KAM Europe", currency_id=cls.eur.id
        )
        cls.company_eu = cls.company_eu_data["company"]
        Rate = cls.env["res.currency.rate"]
        Rate.search([("currency_id", "in", (cls.usd | cls.eur).ids)]).unlink()
        Rate.create(
            [
                cls._rate(cls.eur, cls.company, 1000, 0.5),
                cls._rate(cls.eur, cls.company, 15, 0.25),
                cls._rate(cls.usd, cls.company_eu, 1000, 1.25),
            ]
        )
        cls.account = cls.env["res.partner"].create(
            {
                "name": "Issue 13 Corp",
                "is_company": True,
                "is_key_account": True,
                "company_id": False,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ivy Buyer", "parent_id": cls.account.id}
        )
        cls._invoice(cls.company, 15000, 10)
        cls._invoice(cls.company, 5000, 40, partner=cls.contact)
        cls._invoice(cls.company, 2000, 20, move_type="out_refund")
        cls._invoice(cls.company, 10000, 400)
        cls._invoice(cls.company_eu, 7000, 30)
        # taxes are left out, drafts and supplier bills do not count
        cls._invoice(cls.company, 900, 5, post=False)
        cls._invoice(cls.company, 800, 5, move_type="in_invoice")
        groups = "sales_team.group_sale_salesman,kam_management.group_kam_manager"
        cls.user_us = cls._user("kam_us", groups, cls.company)
        cls.user_both = cls._user("kam_both", groups, cls.company | cls.company_eu)
        cls.user_eu = cls._user("kam_eu", groups, cls.company_eu)

    @classmethod
    def get_default_groups(cls):
        # the test user designates the key account
        return super().get_default_groups() | cls.env.ref(
            "kam_management.group_kam_manager"
        )

    @classmethod
    def _rate(cls, currency, company, days_ago, rate):
        return {
            "currency_id": currency.id,
            "company_id": company.id,
            "name": cls.today - timedelta(days=days_ago),
            "rate": rate,
        }

    @classmethod
    def _invoice(
        cls, company, amount, days_ago, move_type="out_invoice", partner=None, post=True
    ):
        tax = cls.env["account.tax"].search(
            [("company_id", "=", company.id), ("type_tax_use", "=", "sale")], limit=1
        )
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": (partner or cls.account).id,
                    "invoice_date": cls.today - timedelta(days=days_ago),
                    # due on the invoice date: overdue since
                    "invoice_payment_term_id": cls.pay_terms_a.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Service",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.set(tax.ids)],
                            }
                        )
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _user(cls, login, groups, companies):
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=companies[0].id,
            company_ids=[Command.set(companies.ids)],
        )

    def _env(self, user, companies):
        """The environment of ``user`` working in ``companies``, the first one
        current (the company switcher)."""
        return self.env(user=user, context={"allowed_company_ids": companies.ids})


class KamWhitespaceCommon(KamCommon):
    """Product categories in a two-level tree under ``industrial`` (a top
    category): ``categ_a`` to ``categ_h``, each with a product; ``categ_a`` has a
    subcategory ``categ_a_ball`` with a product of its own (it counts as
    ``categ_a``: the company counts categories at level 2). ``plant`` is a unit
    of ``account`` (its group), ``plant_buyer`` a person of the plant."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        cls.env.company.kam_whitespace_categ_depth = 2
        Category = cls.env["product.category"]
        cls.industrial = Category.create({"name": "Industrial"})
        cls.categs = {}
        cls.products = {}
        for letter in "abcdefgh":
            categ = Category.create(
                {"name": f"Categ {letter.upper()}", "parent_id": cls.industrial.id}
            )
            cls.categs[letter] = categ
            cls.products[letter] = cls._product(categ)
        cls.categ_a_ball = Category.create(
            {"name": "Ball Valves", "parent_id": cls.categs["a"].id}
        )
        cls.product_a_ball = cls._product(cls.categ_a_ball)
        cls.plant = cls.env["res.partner"].create(
            {"name": "Acme Plant", "is_company": True, "parent_id": cls.account.id}
        )
        cls.plant_buyer = cls.env["res.partner"].create(
            {"name": "Pat Plant", "parent_id": cls.plant.id}
        )

    @classmethod
    def _product(cls, categ):
        return cls.env["product.product"].create(
            {"name": f"{categ.name} product", "categ_id": categ.id, "sale_ok": True}
        )

    @classmethod
    def _invoice(cls, partner, lines, days_ago=30, company=None):
        """A posted customer invoice of ``partner`` ``days_ago`` days ago with a
        line per ``(letter or product, amount)`` of ``lines``, untaxed."""
        company = company or cls.env.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": cls.today - timedelta(days=days_ago),
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": (
                                    cls.products[product]
                                    if isinstance(product, str)
                                    else product
                                ).id,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for product, amount in lines
                    ],
                }
            )
        )
        move.action_post()
        return move

    @classmethod
    def _opportunity(cls, partner, letters, **values):
        return cls.env["crm.lead"].create(
            {
                "name": f"Deal {letters}",
                "type": "opportunity",
                "partner_id": partner.id,
                "expected_revenue": 1000,
                "kam_categ_ids": [Command.set([cls.categs[x].id for x in letters])],
                **values,
            }
        )

    @classmethod
    def _active_plan(cls, account):
        return cls.env["kam.account.plan"].create(
            {
                "name": f"Plan of {account.name}",
                "partner_id": account.id,
                "date_start": cls.today - timedelta(days=30),
                "date_end": cls.today + timedelta(days=300),
                "state": "active",
            }
        )
