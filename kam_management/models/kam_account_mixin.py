from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

from ..tools.values import kam_check_values, kam_is_id


class KamAccountMixin(models.AbstractModel):
    """Records that belong to a key account, and whose record rules let a user change
    them only on the accounts they work on.

    Odoo checks record rules before a write, on the old values: without this check a
    user could move a record of their own account to an account they may not change
    (a rule that lets the record's owner or resource change it still matches after
    the move, so the account itself is checked).
    """

    _name = "kam.account.mixin"
    _description = "Record of a Key Account"
    # the field that ties the record to its account (directly or through a plan)
    _kam_account_field = "partner_id"
    # the path from the record to its account
    _kam_account_path = "partner_id"

    kam_can_edit = fields.Boolean(
        string="Can Edit",
        compute="_compute_kam_can_edit",
        # a new record in a form is the user's own draft (the first onchange
        # takes the defaults, not the compute)
        default=True,
        help="Whether the current user may change the record (the record rules): "
        "forms hide their buttons and lock their fields otherwise.",
    )

    @api.depends_context("uid")
    def _compute_kam_can_edit(self):
        # One check for the whole recordset (the record rules evaluated on the
        # batch); a record not saved yet is the user's own draft.
        writable = self._origin._filtered_access("write")
        for record in self:
            record.kam_can_edit = not record._origin or record._origin in writable

    def write(self, vals):
        kam_check_values(self, [vals])
        moving = self._kam_account_field in vals
        if moving:
            # the permission first: the rules on the records as they are, then
            # the target account, before any constraint answers with its data
            self.check_access("write")
            self._kam_check_accounts_worked(self._kam_accounts_of_vals([vals]))
        self._kam_check_companies_of_vals([vals])
        result = super().write(vals)
        if moving:
            self.check_access("write")
            self._kam_check_account_worked()
        return result

    @api.model_create_multi
    def create(self, vals_list):
        # the target accounts are checked before the insert (a unique constraint
        # or a duplicate check would otherwise answer first), and again on the
        # records created (their account may come from a default or a compute)
        self.check_access("create")
        kam_check_values(self, vals_list)
        self._kam_check_create_targets(vals_list)
        self._kam_check_companies_of_vals(vals_list)
        records = super().create(vals_list)
        records._kam_check_create_targets(
            [
                {self._kam_account_field: record[self._kam_account_field].id}
                for record in records
            ]
        )
        return records

    @api.model
    def _kam_check_create_targets(self, vals_list):
        """Records are created on the key accounts the user works on; the
        records of a plan or a review (objectives, actions, checklists) in a
        plan or a review the user may change (its owner too)."""
        if self._kam_account_field == self._kam_account_path:
            self._kam_check_accounts_worked(self._kam_accounts_of_vals(vals_list))
        elif not self.env.su:
            self._kam_targets_of_vals(vals_list).with_env(self.env).check_access(
                "write"
            )

    @api.model
    def _kam_accounts_of_vals(self, vals_list):
        """The accounts the values of ``vals_list`` put records on (the account
        field's value, else its default from the context), read with sudo."""
        targets = self._kam_targets_of_vals(vals_list).sudo()
        rest = self._kam_account_path.partition(".")[2]
        return targets.mapped(rest) if rest else targets

    @api.model
    def _kam_targets_of_vals(self, vals_list):
        """The records of the account field (an account, a plan, a review) the
        values of ``vals_list`` point to, else its default from the context."""
        fname = self._kam_account_field
        # ids only: anything else is refused by kam_check_values
        ids = {
            target_id
            for vals in vals_list
            for target_id in [
                vals.get(fname) or self.env.context.get(f"default_{fname}")
            ]
            if kam_is_id(target_id)
        }
        return (
            self.env[self._fields[fname].comodel_name]
            .browse(ids)
            .sudo()
            .exists()
            .with_env(self.env)
        )

    @api.model
    def _kam_check_companies_of_vals(self, vals_list):
        """Users put records only in the companies they work in."""
        if self.env.su or "company_id" not in self._fields:
            return
        companies = self.env["res.company"].browse(
            {
                vals["company_id"]
                for vals in vals_list
                if kam_is_id(vals.get("company_id"))
            }
        )
        outside = companies - self.env.user.company_ids
        if outside:
            raise AccessError(
                self.env._(
                    "You do not work in the company %(company)s: you cannot put "
                    "records in it.",
                    company=outside[0].sudo().display_name,
                )
            )

    def _kam_check_account_worked(self):
        """Only on the key accounts where they are the KAM or on the team may users
        other than KAM administrators put records."""
        self._kam_check_accounts_worked(self.sudo().mapped(self._kam_account_path))

    @api.model
    def _kam_check_accounts_worked(self, accounts):
        """Refuse, unless the user is a KAM administrator, the key accounts of
        ``accounts`` the user is neither the KAM of nor on the team of."""
        if self.env.su or self.env.user.has_group("kam_management.group_kam_manager"):
            return
        accounts = accounts.sudo().filtered("is_key_account")
        outside = accounts - accounts._kam_worked_by(self.env.user)
        if outside:
            raise AccessError(
                self.env._(
                    "Only the Key Account Manager and the team of %(account)s can put "
                    "records on it.",
                    account=outside[0].display_name,
                )
            )

    def _kam_check_internal_users(self, fnames):
        """The users of the fields ``fnames`` (owners, resources) are internal
        users who work in the record's company: never a portal or public user,
        whom an internal record and its followers must not reach."""
        for record in self:
            company = record.company_id
            for fname in fnames:
                for user in record[fname].sudo():
                    if user.share or (company and company not in user.company_ids):
                        raise ValidationError(
                            self.env._(
                                "%(user)s cannot be %(field)s of %(record)s: only "
                                "internal users of %(company)s can.",
                                user=user.name,
                                field=record._fields[fname]._description_string(
                                    self.env
                                ),
                                record=record.display_name,
                                company=company.sudo().name
                                or self.env._("the company"),
                            )
                        )

    def _kam_without_open_activity(self, activity_xmlid):
        """The records of ``self`` with no open activity of the type
        ``activity_xmlid``: reminders are scheduled once, a re-run of a scheduled
        action never adds a second one."""
        activity_type = self.env.ref(activity_xmlid)
        reminded = {
            res_id
            for [res_id] in self.env["mail.activity"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id"],
            )
        }
        return self.filtered(lambda record: record.id not in reminded)
