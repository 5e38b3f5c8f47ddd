from odoo import models


class KamAccountMixin(models.AbstractModel):
    """Records that belong to a key account, and whose record rules let a user change
    them only on the accounts they work on.

    Odoo checks record rules before a write, on the old values: without this check a
    user could move a record of their own account to an account they may not change.
    """

    _name = "kam.account.mixin"
    _description = "Record of a Key Account"
    # the field that ties the record to its account (directly or through a plan)
    _kam_account_field = "partner_id"

    def write(self, vals):
        result = super().write(vals)
        if self._kam_account_field in vals:
            self.check_access("write")
        return result
