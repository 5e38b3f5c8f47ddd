from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from .res_partner import KAM_USER_GROUP


# a file of its own (corporate groups), as the partner extension is large already
class ResPartner(models.Model):
    """Corporate groups (DESIGN §11): a key account is the top company of a group,
    its units are the companies below it in the partner hierarchy.

    ``kam_account_id`` is the one definition of where a partner counts: the key
    account above it (or itself), else its commercial entity. Every figure,
    record rule and badge reads it instead of ``commercial_partner_id``, so that
    a unit's documents, interactions and contacts count for its group. Stored,
    so that SQL reports join one indexed column; it follows moves in the
    hierarchy and designations by its (recursive) dependencies.
    """

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    kam_account_id = fields.Many2one(
        "res.partner",
        string="Counted For",
        compute="_compute_kam_account",
        store=True,
        recursive=True,
        index=True,
        # where the supplier counts a partner: for its employees, not the portal
        groups="base.group_user",
        help="The key account this partner counts for (the group above it, or "
        "itself), else its commercial entity.",
    )
    kam_group_id = fields.Many2one(
        "res.partner",
        string="Key Account Group",
        compute="_compute_kam_account",
        store=True,
        recursive=True,
        index="btree_not_null",
        groups="base.group_user",
        help="The key account this company (or contact) belongs to as a unit of "
        "its corporate group.",
    )
    kam_unit_ids = fields.One2many(
        "res.partner",
        "kam_group_id",
        string="Units",
        domain=[("is_company", "=", True)],
        readonly=True,
        groups=KAM_USER_GROUP,
        help="The companies below this key account in the partner hierarchy: "
        "their documents, interactions and contacts count for it.",
    )

    kam_unit_revenue_12m = fields.Monetary(
        string="Unit Revenue 12 Months",
        compute="_compute_kam_unit_revenue",
        currency_field="kam_company_currency_id",
        groups=KAM_USER_GROUP,
        help="What this unit bought in the last 12 months, counted for its group.",
    )
    kam_unit_revenue_share = fields.Float(
        string="Share of the Group (%)",
        compute="_compute_kam_unit_revenue",
        digits=(16, 1),
        groups=KAM_USER_GROUP,
        help="This unit's share of the revenue of its group in the last 12 months.",
    )

    @api.depends("is_key_account", "commercial_partner_id", "parent_id.kam_account_id")
    def _compute_kam_account(self):
        for partner in self:
            above = partner.parent_id.kam_account_id
            if partner.is_key_account:
                account = partner
            elif above.is_key_account:
                account = above
            else:
                account = partner.commercial_partner_id
            partner.kam_account_id = account
            partner.kam_group_id = (
                account if account != partner.commercial_partner_id else False
            )

    @api.depends_context("allowed_company_ids")
    def _compute_kam_unit_revenue(self):
        groups = self.kam_group_id
        revenue = (
            self.env["kam.account.revenue"]._kam_revenue_by_unit(
                groups.ids, self.env.company._kam_today()
            )
            if groups
            else {}
        )
        totals = defaultdict(float)
        for (group_id, _unit_id), amount in revenue.items():
            totals[group_id] += amount
        for unit in self:
            group = unit.kam_group_id
            amount = revenue.get((group.id, unit.id), 0.0)
            unit.kam_unit_revenue_12m = amount
            unit.kam_unit_revenue_share = (
                100.0 * amount / totals[group.id] if totals[group.id] else 0.0
            )

    # A company placed under another one (a unit in its group) keeps its own
    # address: Odoo copies the parent's address onto its children of the type
    # "contact", and on each change of the parent's, which a subsidiary in
    # another city or country is not.
    @api.onchange("parent_id")
    def onchange_parent_id(self):
        if self.is_company:
            return {}
        return super().onchange_parent_id()

    def _children_sync(self, values):
        address_fields = self._address_fields()
        if not any(fname in values for fname in address_fields):
            return super()._children_sync(values)
        # Odoo's sync but for the address, given to the people only
        super()._children_sync(
            {
                fname: value
                for fname, value in values.items()
                if fname not in address_fields
            }
        )
        people = self.child_ids.filtered(
            lambda c: c.type == "contact" and not c.is_company
        )
        return people.update_address(values)

    def _auto_init(self):
        """Create and fill the two columns in SQL when they are new, instead of
        the ORM computing them partner by partner on a big table."""
        cr = self.env.cr
        if not column_exists(cr, self._table, "kam_account_id"):
            create_column(cr, self._table, "kam_account_id", "int4")
            create_column(cr, self._table, "kam_group_id", "int4")
            self._kam_fill_account_columns()
        return super()._auto_init()

    def _kam_fill_account_columns(self):
        """Every partner counts for its commercial entity, or for the key account
        above it (its group) where there is one."""
        cr = self.env.cr
        cr.execute(
            "UPDATE res_partner"
            " SET kam_account_id = commercial_partner_id, kam_group_id = NULL"
        )
        if not column_exists(cr, self._table, "is_key_account"):
            return  # a new installation: no key account yet
        cr.execute(
            SQL(
                """
                WITH RECURSIVE below(id, account_id) AS (
                    SELECT id, id FROM res_partner WHERE is_key_account
                     UNION ALL
                    SELECT p.id, below.account_id
                      FROM res_partner p JOIN below ON p.parent_id = below.id
                     WHERE NOT COALESCE(p.is_key_account, FALSE)
                )
                UPDATE res_partner p
                   SET kam_account_id = below.account_id,
                       kam_group_id = NULLIF(below.account_id, p.commercial_partner_id)
                  FROM below
                 WHERE below.id = p.id
                """
            )
        )

    # ------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------
    @api.constrains("is_key_account", "parent_id")
    def _check_kam_group(self):
        """One key account per group: a key account is no unit of another one,
        and no key account lies below a group's key account."""
        for partner in self.filtered("is_key_account"):
            group = partner.parent_id._kam_key_account_above()
            if group:
                raise ValidationError(
                    self.env._(
                        "%(unit)s is a unit of the group of the key account "
                        "%(group)s: its documents already count there. Demote "
                        "%(group)s first, or move %(unit)s out of the group.",
                        unit=partner.display_name,
                        group=group.display_name,
                    )
                )
        # the partners now in a group, and what lies below them: one search
        grouped = self.filtered(
            lambda p: p.is_key_account or p._kam_key_account_above()
        )
        if not grouped:
            return
        unit = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("id", "child_of", grouped.ids),
                    ("id", "not in", grouped.filtered("is_key_account").ids),
                    ("is_key_account", "=", True),
                ],
                limit=1,
            )
        )
        if unit:
            raise ValidationError(
                self.env._(
                    "%(unit)s, below %(group)s in its group, is a key account: a "
                    "group has one key account. Demote %(unit)s first, or move it "
                    "out of the group.",
                    unit=unit.display_name,
                    group=unit.parent_id._kam_key_account_above().display_name,
                )
            )

    def _kam_key_account_above(self):
        """The key account at or above this partner in the hierarchy, if any
        (walked up: the stored ``kam_account_id`` may not be recomputed yet)."""
        partner = self
        while partner and not partner.is_key_account:
            partner = partner.parent_id
        return partner
