from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, table_exists


class KamPartnerDocumentMixin(models.AbstractModel):
    """Documents of a customer (orders, deliveries, invoices, tasks) that recognise
    the key accounts: ``is_key_account`` follows the account the document's
    partner counts for (``res.partner.kam_account_id``: a contact's order, or a
    unit's, is the key account's order) and the document shows who the
    account's KAM and team are.

    The bridge addons inherit it on the app's model. ``is_key_account`` is stored
    (lists, filters and groupings cost no query per record) and kept right by its
    dependency when an account is promoted or demoted; the KAM and the team are
    computed as superuser, so that whoever serves the customer sees who they are
    without the KAM rights that guard them on the partner.
    """

    _name = "kam.partner.document.mixin"
    _description = "Document of a Key Account's Customer"
    # Paths to the document's customer, by preference: the first one set gives the
    # partner who counts for the account (the first is a stored column)
    _kam_partner_paths = ("partner_id",)

    # The designation is the supplier's internal strategy: for the employees
    # (groups), not for the customer's portal contacts who read their orders and
    # invoices over RPC (no portal template shows these fields).
    is_key_account = fields.Boolean(
        string="Key Account",
        compute="_compute_is_key_account",
        store=True,
        compute_sudo=True,
        groups="base.group_user",
        help="The customer (or the company of the contact) is a key account.",
    )
    kam_user_id = fields.Many2one(
        "res.users",
        string="Key Account Manager",
        compute="_compute_kam_team",
        compute_sudo=True,
        groups="base.group_user",
        help="Who to tell about this customer: the Key Account Manager of the "
        "key account.",
    )
    kam_team_user_ids = fields.Many2many(
        "res.users",
        string="Account Team",
        compute="_compute_kam_team",
        compute_sudo=True,
        groups="base.group_user",
        help="The team that works the key account with its Key Account Manager.",
    )

    def _kam_account_dependencies(self, *fnames):
        return [
            f"{path}.kam_account_id.{fname}"
            for path in self._kam_partner_paths
            for fname in fnames
        ]

    def _kam_account(self):
        """The account the document's customer counts for (one record)."""
        for path in self._kam_partner_paths:
            partner = self.mapped(path)
            if partner:
                return partner.sudo().kam_account_id
        return self.env["res.partner"]

    @api.depends(lambda self: self._kam_account_dependencies("is_key_account"))
    def _compute_is_key_account(self):
        for record in self:
            record.is_key_account = record._kam_account().is_key_account

    @api.depends(
        lambda self: self._kam_account_dependencies(
            "is_key_account", "kam_user_id", "kam_team_member_ids.user_id"
        )
    )
    # the partner's rule: a shared account's KAM and team read empty for the
    # users of the companies its KAM does not work in (res.partner's
    # _kam_foreign_shared_ids): computed as superuser, but for the caller and
    # the companies he works in
    @api.depends_context("uid", "allowed_company_ids")
    def _compute_kam_team(self):
        accounts = {record: record._kam_account() for record in self}
        foreign = (
            self.env["res.partner"].union(*accounts.values())._kam_foreign_shared_ids()
        )
        for record, account in accounts.items():
            if account.is_key_account and account.id not in foreign:
                record.kam_user_id = account.kam_user_id
                # the team besides the KAM, who is shown on their own
                team = account.kam_team_member_ids.user_id - account.kam_user_id
                record.kam_team_user_ids = team
            else:
                record.kam_user_id = False
                record.kam_team_user_ids = False

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._kam_check_document_values(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._kam_check_document_values([vals])
        return super().write(vals)

    @api.model
    def _kam_check_document_values(self, vals_list):
        """Refuse the key account fields in ``vals_list``: they follow the
        customer, computed, never typed in (a stored ``is_key_account`` written
        by hand would take the document out of the key accounts' lists, and a
        bad value would end in a traceback). Code running as superuser aside."""
        fnames = {
            fname
            for vals in vals_list
            for fname in vals
            if fname in ("is_key_account", "kam_user_id", "kam_team_user_ids")
        }
        if fnames and not self.env.su:
            raise UserError(
                self.env._(
                    "%(fields)s follow the customer's key account: they cannot be "
                    "changed on %(document)s.",
                    fields=", ".join(
                        self._fields[fname]._description_string(self.env)
                        for fname in sorted(fnames)
                    ),
                    document=self._description,
                )
            )

    def _auto_init(self):
        """Create and fill the ``is_key_account`` column in SQL when the bridge is
        installed, instead of the ORM computing it for every existing document
        (slow and memory hungry on big tables, as Odoo avoids for the related
        fields it adds to stock pickings or invoices)."""
        cr = self.env.cr
        if table_exists(cr, self._table) and not column_exists(
            cr, self._table, "is_key_account"
        ):
            create_column(cr, self._table, "is_key_account", "boolean")
            self._kam_fill_is_key_account()
        return super()._auto_init()

    def _kam_fill_is_key_account(self):
        """Set ``is_key_account`` on every document of a key account (or of one of
        its contacts or units) in one statement; the other documents keep NULL,
        which reads as False."""
        self.env.cr.execute(
            SQL(
                """
                UPDATE %(table)s AS document
                   SET is_key_account = TRUE
                  FROM res_partner AS partner
                  JOIN res_partner AS account
                    ON account.id = partner.kam_account_id
                 WHERE %(partner)s = partner.id
                   AND account.is_key_account
                """,
                table=SQL.identifier(self._table),
                partner=self._kam_partner_sql(),
            )
        )

    def _kam_partner_sql(self):
        """The customer of the row ``document`` in SQL, as ``_kam_partner_paths``
        gives it (override for paths that go through another table)."""
        return SQL.identifier("document", self._kam_partner_paths[0])
