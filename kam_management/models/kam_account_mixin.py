from odoo import api, fields, models
from odoo.exceptions import AccessError


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
        result = super().write(vals)
        if self._kam_account_field in vals:
            self.check_access("write")
            self._kam_check_account_worked()
        return result

    def _kam_check_account_worked(self):
        """Only on the key accounts where they are the KAM or on the team may users
        other than KAM administrators put records."""
        if self.env.su or self.env.user.has_group("kam_management.group_kam_manager"):
            return
        accounts = self.sudo().mapped(self._kam_account_path).filtered("is_key_account")
        outside = accounts - accounts._kam_worked_by(self.env.user)
        if outside:
            raise AccessError(
                self.env._(
                    "Only the Key Account Manager and the team of %(account)s can put "
                    "records on it.",
                    account=outside[0].display_name,
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
