from odoo import api, fields, models, tools
from odoo.tools import SQL


class KamRevenueLine(models.Model):
    """Revenue lines of key accounts: the one definition of what a deal brings,
    one line per document of a source, or per line of a document where it has
    lines (product, category and quantity then), in the currency of the
    document's company.

    ``kam_management`` knows one source, won opportunities; the bridge addons add
    theirs by overriding ``_kam_line_parts`` the way ``sale.report`` is extended
    (``kam_management_sale``: confirmed sales orders, ``kam_management_account``:
    posted invoices less credit notes). Each part is assembled from overridable
    pieces (``_select_*``, ``_from_*``, ``_where_*``).

    The source is chosen per deal, so that a deal is counted once and no history
    is lost when an app is installed: an invoice counts; an order counts where
    it has no posted invoice; a won opportunity counts where no confirmed order
    came from it (``_where_opportunity_counted``, extended by the Sales bridge,
    which also keeps invoiced orders out).

    The view has the document's partner (``partner_id``, the account or one of
    its contacts) so that readers filter documents through the index on their
    partner.
    """

    _name = "kam.revenue.line"
    _description = "Key Account Revenue Line"
    _auto = False
    _rec_name = "document"
    _order = "date desc, id desc"
    # what the view reads: flushed before the ORM reads the view
    _depends = {
        "crm.lead": [
            "active",
            "company_id",
            "date_closed",
            "expected_revenue",
            "kam_growth_type",
            "kam_plan_id",
            "partner_id",
            "stage_id",
            "type",
        ],
        "crm.stage": ["is_won"],
        "res.company": ["currency_id"],
        "res.partner": ["commercial_partner_id", "kam_account_id"],
    }

    account_id = fields.Many2one("res.partner", string="Key Account", readonly=True)
    unit_id = fields.Many2one(
        "res.partner",
        readonly=True,
        help="The commercial partner of the document: the account, or one of "
        "the units of its group.",
    )
    partner_id = fields.Many2one("res.partner", readonly=True)
    date = fields.Date(readonly=True)
    amount = fields.Monetary(currency_field="currency_id", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    source = fields.Selection([("opportunities", "Won Opportunities")], readonly=True)
    document = fields.Reference(selection="_selection_document", readonly=True)
    plan_id = fields.Many2one("kam.account.plan", string="Account Plan", readonly=True)
    growth = fields.Boolean(string="Growth Deal", readonly=True)
    quantity = fields.Float(readonly=True, help="Quantity, where a line has one.")
    # filled by the bridges that know the cost of a line (DESIGN §14): empty
    # where nothing says what the line cost (won opportunities)
    cost = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="What was sold cost us, where a bridge knows it: the sale line's "
        "cost (Sales Margin), else the product's cost.",
    )
    discount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="What the line gave away against the product's list price.",
    )

    @api.model
    def _selection_document(self):
        return [("crm.lead", self.env._("Opportunity"))]

    # ------------------------------------------------------------
    # Query
    # ------------------------------------------------------------
    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._kam_query(),
            )
        )

    @api.model
    def _kam_query(self):
        return SQL(" UNION ALL ").join(self._kam_line_parts())

    @api.model
    def _kam_line_parts(self):
        """The SELECT of each source; a bridge addon appends its own."""
        return [self._kam_opportunity_part()]

    @api.model
    def _kam_part(self, select, from_, where):
        return SQL("SELECT %s FROM %s WHERE %s", select, from_, where)

    @api.model
    def _kam_opportunity_part(self):
        """The won opportunities that are the revenue of their deal."""
        return self._kam_part(
            self._select_opportunity(),
            self._from_opportunity(),
            SQL(
                "%s AND %s",
                self._where_opportunity(),
                self._where_opportunity_counted(),
            ),
        )

    @api.model
    def _kam_won_opportunities(self):
        """Every won opportunity, with the columns of the view, whether or not
        another document became the revenue of its deal: expansion revenue is
        what growth opportunities won."""
        return self._kam_part(
            self._select_opportunity(),
            self._from_opportunity(),
            self._where_opportunity(),
        )

    @api.model
    def _kam_line_columns(self):
        """The columns of the view, in the order of every part of its UNION,
        with the value of a part that has none (``None``: every part has it). A
        bridge that adds a column appends it here."""
        return {
            "id": None,
            "account_id": None,
            "unit_id": None,
            "partner_id": None,
            "date": None,
            "amount": None,
            "currency_id": None,
            "company_id": None,
            "source": None,
            "document": None,
            "plan_id": SQL("NULL::int"),
            "growth": SQL("FALSE"),
            "quantity": SQL("NULL::numeric"),
            "cost": SQL("NULL::numeric"),
            "discount": SQL("NULL::numeric"),
        }

    @api.model
    def _kam_select(self, document, line_id, number, **columns):
        """The SELECT list of a part: ``columns`` (SQL expressions by column
        name) in the order of the view, the default of a column left out.
        ``document`` is ``(model, id expression)``; the id of a line is 4 times
        ``line_id`` (the document's or its line's) plus ``number``, the source's
        number (0 to 3)."""
        model, res_id = document
        values = {
            name: default
            for name, default in self._kam_line_columns().items()
            if default is not None
        }
        values.update(
            id=SQL("%s * 4 + %s", line_id, number),
            document=SQL("CONCAT(%s, %s)::varchar", f"{model},", res_id),
            **columns,
        )
        return SQL(", ").join(
            SQL("%s AS %s", values[name], SQL.identifier(name))
            for name in self._kam_line_columns()
        )

    @api.model
    def _select_opportunity(self):
        """Won opportunities by closing day, in the currency of the opportunity's
        company. A growth deal has a growth type or belongs to an account plan."""
        return self._kam_select(
            ("crm.lead", SQL("l.id")),
            SQL("l.id"),
            0,
            account_id=SQL("lp.kam_account_id"),
            unit_id=SQL("lp.commercial_partner_id"),
            partner_id=SQL("l.partner_id"),
            date=SQL("l.date_closed::date"),
            amount=SQL("l.expected_revenue"),
            currency_id=SQL("lc.currency_id"),
            company_id=SQL("l.company_id"),
            source=SQL("'opportunities'::varchar"),
            plan_id=SQL("l.kam_plan_id"),
            growth=SQL("(l.kam_growth_type IS NOT NULL OR l.kam_plan_id IS NOT NULL)"),
        )

    @api.model
    def _from_opportunity(self):
        return SQL(
            """
            crm_lead l
            JOIN res_partner lp ON lp.id = l.partner_id
            JOIN crm_stage s ON s.id = l.stage_id
            LEFT JOIN res_company lc ON lc.id = l.company_id
            """
        )

    @api.model
    def _where_opportunity(self):
        return SQL("l.active AND s.is_won AND l.type = 'opportunity'")

    @api.model
    def _where_opportunity_counted(self):
        """A won opportunity (alias ``l``) is the revenue of its deal; the Sales
        bridge leaves out those a confirmed order came from."""
        return SQL("TRUE")
