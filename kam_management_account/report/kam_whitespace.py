from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from odoo.addons.kam_management.models.res_partner_dashboard import (
    KAM_MANAGER_GROUP,
    KAM_USER_GROUP,
)
from odoo.addons.kam_management.tools.values import kam_is_id

WHITESPACE_STATES = [
    ("bought", "Bought"),
    ("pipeline", "In the Pipeline"),
    ("open", "Untapped"),
]


class KamWhitespace(models.Model):
    """The whitespace of the key accounts (DESIGN §13): one cell per unit of an
    account (the account itself and the companies of its group) and product
    category, bought in the last 12 months, in the pipeline (an open
    opportunity of the unit tagged with the category) or open.

    Computed when read, for the reader's companies and in the currency of the
    current company (the revenue lines, ``kam.account.revenue``), with the
    categories at the level of the category tree the current company sells at
    (``res.company._kam_whitespace_depth``). The columns are the categories of
    the products for sale and those the accounts bought or have in the pipeline.

    The account form shows the grid of one account (``kam_grid``: its query
    filters the account's documents through their indexes); the programme
    report reads the model (every key account)."""

    _name = "kam.whitespace"
    _inherit = ["kam.selection.order.mixin"]
    _description = "Key Account Whitespace"
    # bought, in the pipeline, open: in this order in the pivot
    _kam_ordered_selections = ("state",)
    _auto = False
    _rec_name = "categ_id"
    _order = "partner_id, unit_id, categ_id"
    _depends = {
        "kam.revenue.line": ["account_id", "amount", "categ_id", "date", "unit_id"],
        "crm.lead": [
            "active",
            "company_id",
            "expected_revenue",
            "kam_categ_ids",
            "partner_id",
            "stage_id",
            "type",
        ],
        "crm.stage": ["is_won"],
        "product.category": ["parent_path"],
        "product.template": ["active", "categ_id", "company_id", "sale_ok"],
        "res.partner": [
            "active",
            "commercial_partner_id",
            "company_id",
            "is_key_account",
            "kam_account_id",
        ],
    }

    partner_id = fields.Many2one("res.partner", string="Key Account", readonly=True)
    unit_id = fields.Many2one(
        "res.partner",
        readonly=True,
        help="The account itself, or a company of its group.",
    )
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    company_id = fields.Many2one(
        "res.company", readonly=True, help="The company of the key account."
    )
    state = fields.Selection(WHITESPACE_STATES, readonly=True)
    revenue_12m = fields.Monetary(
        string="Revenue 12 Months", currency_field="currency_id", readonly=True
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    last_date = fields.Date(string="Last Purchase", readonly=True)
    lead_id = fields.Many2one(
        "crm.lead",
        string="Opportunity",
        readonly=True,
        help="The biggest open opportunity of the unit in the category.",
    )
    lead_count = fields.Integer(string="Open Opportunities", readonly=True)
    pipeline_amount = fields.Monetary(
        string="Pipeline", currency_field="currency_id", readonly=True
    )

    # ------------------------------------------------------------
    # Query
    # ------------------------------------------------------------
    @property
    def _table_query(self):
        return self._kam_cells_sql(None)

    @api.model
    def _kam_cells_sql(self, account_ids):
        """The SQL of the cells of the key accounts ``account_ids`` (every key
        account for None), with the columns of the model."""
        company = self.env.company
        today = company._kam_today()
        level = self.env["product.category"]._kam_level_sql(
            "c", company._kam_whitespace_depth()
        )
        Revenue = self.env["kam.account.revenue"]
        accounts = (
            SQL("SELECT id FROM res_partner WHERE is_key_account")
            if account_ids is None
            else account_ids
        )
        return SQL(
            """
            WITH units AS (
                SELECT u.kam_account_id AS partner_id, u.id AS unit_id, a.company_id
                  FROM res_partner u
                  JOIN res_partner a ON a.id = u.kam_account_id
                 WHERE %(units)s AND u.id = u.commercial_partner_id AND u.active
                   AND a.is_key_account AND %(unit_companies)s
            ),
            bought AS (
                SELECT src.unit_id, %(level)s AS categ_id,
                       SUM(%(amount)s) AS revenue, MAX(src.date) AS last_date
                  FROM kam_revenue_line src
                  JOIN product_category c ON c.id = src.categ_id
                 WHERE %(lines)s
              GROUP BY 1, 2
            ),
            pipeline AS (
                SELECT unit_id, categ_id,
                       (ARRAY_AGG(id ORDER BY expected_revenue DESC NULLS LAST,
                                  id))[1] AS lead_id,
                       COUNT(*) AS lead_count, SUM(amount) AS amount
                  -- an opportunity once per cell, however many of its
                  -- categories fall under the cell's category
                  FROM (SELECT DISTINCT l.id, lp.commercial_partner_id AS unit_id,
                               %(level)s AS categ_id, l.expected_revenue,
                               %(lead_amount)s AS amount
                          FROM crm_lead l
                          JOIN res_partner lp ON lp.id = l.partner_id
                          JOIN crm_lead_kam_categ_rel r ON r.lead_id = l.id
                          JOIN product_category c ON c.id = r.categ_id
                     LEFT JOIN crm_stage s ON s.id = l.stage_id
                     LEFT JOIN res_company lc ON lc.id = l.company_id
                         WHERE l.active AND l.type = 'opportunity'
                           AND NOT COALESCE(s.is_won, FALSE)
                           AND %(lead_accounts)s AND %(lead_companies)s) leads
              GROUP BY 1, 2
            ),
            categories AS (
                SELECT %(level)s AS categ_id
                  FROM product_template t
                  JOIN product_category c ON c.id = t.categ_id
                 WHERE t.active AND t.sale_ok AND %(product_companies)s
                 UNION SELECT categ_id FROM bought
                 UNION SELECT categ_id FROM pipeline
            )
            SELECT ROW_NUMBER() OVER (ORDER BY u.unit_id, k.categ_id) AS id,
                   u.partner_id, u.unit_id, k.categ_id, u.company_id,
                   CASE WHEN b.revenue > 0 THEN 'bought'
                        WHEN p.lead_id IS NOT NULL THEN 'pipeline'
                        ELSE 'open' END AS state,
                   COALESCE(b.revenue, 0) AS revenue_12m,
                   %(currency)s AS currency_id,
                   b.last_date, p.lead_id,
                   COALESCE(p.lead_count, 0) AS lead_count,
                   COALESCE(p.amount, 0) AS pipeline_amount
              FROM units u
             CROSS JOIN categories k
              LEFT JOIN bought b ON b.unit_id = u.unit_id AND b.categ_id = k.categ_id
              LEFT JOIN pipeline p
                     ON p.unit_id = u.unit_id AND p.categ_id = k.categ_id
            """,
            units=Revenue._kam_accounts_condition(SQL("u.kam_account_id"), accounts),
            unit_companies=Revenue._kam_companies_condition(SQL("u.company_id")),
            level=level,
            amount=Revenue._kam_converted(
                SQL("src.amount"), SQL("src.currency_id"), SQL("src.date")
            ),
            lines=Revenue._kam_line_conditions(
                accounts, today - relativedelta(years=1), today
            ),
            lead_amount=Revenue._kam_converted(
                SQL("l.expected_revenue"), SQL("lc.currency_id"), today
            ),
            lead_accounts=Revenue._kam_accounts_condition(
                SQL("lp.kam_account_id"), accounts
            ),
            lead_companies=Revenue._kam_companies_condition(SQL("l.company_id")),
            product_companies=Revenue._kam_companies_condition(SQL("t.company_id")),
            currency=company.currency_id.id,
        )

    # ------------------------------------------------------------
    # The grid of an account
    # ------------------------------------------------------------
    @api.model
    def kam_grid(self, partner_id):
        """The grid of the key account ``partner_id`` as the account form shows
        it::

            {"units": [{"id", "name"}], "categories": [{"id", "name",
             "full_name"}], "cells": {"<unit id>-<categ id>": {"state",
             "revenue", "last_date", "lead_id", "lead_count", "pipeline"}},
             "recommended": {categ id: reason}, "currency_id": int,
             "can_create": bool}

        Open cells are left out of ``cells``. The categories come bought first,
        then in the pipeline, then recommended, then the others, each by name.
        A constant number of queries."""
        account = self._kam_grid_account(partner_id)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT unit_id, categ_id, state, revenue_12m, last_date, lead_id,
                       lead_count, pipeline_amount
                  FROM (%s) cells
                """,
                self._kam_cells_sql([account.id]),
            )
        )
        rows = self.env.cr.fetchall()
        units = self.env["res.partner"].browse(sorted({row[0] for row in rows}))
        categories = self.env["product.category"].browse({row[1] for row in rows})
        cells = {}
        rank = dict.fromkeys(categories.ids, 3)
        for (
            unit_id,
            categ_id,
            state,
            revenue,
            last_date,
            lead_id,
            count,
            amount,
        ) in rows:
            if state == "open":
                continue
            cells[f"{unit_id}-{categ_id}"] = {
                "state": state,
                "revenue": revenue,
                "last_date": fields.Date.to_string(last_date),
                "lead_id": lead_id,
                "lead_count": count,
                "pipeline": amount,
            }
            rank[categ_id] = min(rank[categ_id], 0 if state == "bought" else 1)
        recommended = self._kam_recommended(account)
        for categ_id in recommended:
            if categ_id in rank:
                rank[categ_id] = min(rank[categ_id], 2)
        return {
            # the account first, then its units by name
            "units": [
                {"id": unit.id, "name": unit.name}
                for unit in units.sorted(lambda u: (u != account, u.name or ""))
            ],
            "categories": [
                {"id": categ.id, "name": categ.name, "full_name": categ.complete_name}
                for categ in categories.sorted(
                    lambda c: (rank[c.id], c.complete_name or "")
                )
            ],
            "cells": cells,
            "recommended": recommended,
            "currency_id": self.env.company.currency_id.id,
            "can_create": self._kam_may_create(account),
        }

    @api.model
    def _kam_recommended(self, account):
        """``{categ id: reason}``: the new recommendations of the account in the
        current company."""
        recommendations = self.env["kam.recommendation"].search_fetch(
            [
                ("partner_id", "=", account.id),
                ("company_id", "=", self.env.company.id),
                ("state", "=", "new"),
            ],
            ["categ_id", "reason_code", "reason_values"],
        )
        return {rec.categ_id.id: rec.reason for rec in recommendations}

    @api.model
    def _kam_grid_account(self, partner_id):
        """The key account whose grid a KAM user reads: refused to the other
        users, and for a partner they may not read or that is no key account."""
        if not self.env.user.has_group(KAM_USER_GROUP):
            raise AccessError(
                self.env._("Only Key Account Management users see the whitespace.")
            )
        self._kam_check_ids(partner_id)
        account = self.env["res.partner"].browse(partner_id).exists()
        account.check_access("read")
        if not account.is_key_account:
            raise UserError(
                self.env._(
                    "%(partner)s is no key account: it has no whitespace.",
                    partner=account.display_name,
                )
            )
        return account

    @api.model
    def _kam_check_ids(self, *ids):
        """Refuse what is no record id (a call over RPC)."""
        if not all(kam_is_id(id_) for id_ in ids):
            raise UserError(self.env._("The whitespace reads records by their id."))

    @api.model
    def _kam_may_create(self, account):
        """Whether the user opens opportunities from the account's grid: its
        KAM, its team and the KAM administrators."""
        return bool(
            self.env.user.has_group(KAM_MANAGER_GROUP)
            or account._kam_worked_by(self.env.user)
        )

    @api.model
    def _kam_grid_cell(self, partner_id, unit_id, categ_id):
        """The account, unit and category of a cell of the grid, checked."""
        account = self._kam_grid_account(partner_id)
        self._kam_check_ids(unit_id, categ_id)
        unit = self.env["res.partner"].browse(unit_id).exists()
        categ = self.env["product.category"].browse(categ_id).exists()
        if not unit or unit.sudo().kam_account_id != account or not categ:
            raise UserError(
                self.env._(
                    "This cell is not in the whitespace of %(account)s any more: "
                    "reload the page.",
                    account=account.display_name,
                )
            )
        return account, unit, categ

    @api.model
    def kam_action_open_cell(self, partner_id, unit_id, categ_id):
        """What a click on a cell opens: the unit's revenue lines of the
        category in the last 12 months (bought), or its open opportunities
        tagged with it."""
        _account, unit, categ = self._kam_grid_cell(partner_id, unit_id, categ_id)
        today = self.env.company._kam_today()
        leads = self.env["crm.lead"].search(
            [
                ("partner_id", "child_of", unit.id),
                ("type", "=", "opportunity"),
                ("stage_id.is_won", "=", False),
                ("kam_categ_ids", "child_of", categ.id),
            ]
        )
        # the documents' partners (the unit and its people): the invoices and
        # orders are read through the index on their partner
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search([("commercial_partner_id", "=", unit.id)])
        )
        lines_domain = [
            ("partner_id", "in", partners.ids),
            ("categ_id", "child_of", categ.id),
            ("date", ">=", today - relativedelta(years=1)),
            ("date", "<=", today),
        ]
        if self.env["kam.revenue.line"].search_count(lines_domain, limit=1):
            return {
                "type": "ir.actions.act_window",
                "name": self.env._(
                    "%(category)s bought by %(unit)s",
                    category=categ.name,
                    unit=unit.name,
                ),
                "res_model": "kam.revenue.line",
                "views": [
                    (
                        self.env.ref(
                            "kam_management_account.kam_revenue_line_view_list"
                        ).id,
                        "list",
                    )
                ],
                "domain": lines_domain,
                "context": {"create": False},
            }
        if len(leads) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "crm.lead",
                "res_id": leads.id,
                "views": [(False, "form")],
            }
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(category)s in the pipeline of %(unit)s",
                category=categ.name,
                unit=unit.name,
            ),
            "res_model": "crm.lead",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", leads.ids)],
        }

    @api.model
    def kam_action_create_opportunity(self, partner_id, unit_id, categ_id):
        """A cross-sell opportunity for an open cell: the unit, tagged with the
        category, on the account's current plan; opened in its form."""
        account, unit, categ = self._kam_grid_cell(partner_id, unit_id, categ_id)
        if not self._kam_may_create(account):
            raise AccessError(
                self.env._(
                    "Only the Key Account Manager and the team of %(account)s "
                    "can open opportunities from its whitespace.",
                    account=account.display_name,
                )
            )
        lead = self.env["crm.lead"]._kam_create_cross_sell(
            unit, categ, self.env.company
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "views": [(False, "form")],
        }
