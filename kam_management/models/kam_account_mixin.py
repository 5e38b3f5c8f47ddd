import math
from datetime import date, datetime

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression

# What the database and the programme's date arithmetic can hold: a PostgreSQL
# integer, and dates a cadence or a period can be added to without overflow.
KAM_INT_MIN, KAM_INT_MAX = -(2**31), 2**31 - 1
KAM_DATE_MIN, KAM_DATE_MAX = date(1900, 1, 1), date(2999, 12, 31)
# The x2many commands (Command.CREATE .. Command.SET)
KAM_X2MANY_COMMANDS = range(7)


def kam_check_values(records, vals_list, fnames=None):
    """Refuse with a ValidationError, in the user's language, a value of
    ``vals_list`` that the ORM or the database would stop on with a bare
    exception (TypeError, ValueError, psycopg2's DataError), over JSON-RPC or
    from code: an unknown field, a many2one that is not an id, a number that
    is not one or out of range, a date that is not one or out of range, an
    x2many that is not a list of commands. Only the fields ``fnames`` when
    given."""
    for vals in vals_list:
        for fname, value in vals.items():
            if fnames is not None and fname not in fnames:
                continue
            field = records._fields.get(fname)
            if field is None:
                raise ValidationError(
                    records.env._(
                        "%(model)s has no field %(field)s.",
                        model=records._description,
                        field=fname,
                    )
                )
            expected = _kam_value_error(records.env, field, value)
            if expected:
                raise ValidationError(
                    records.env._(
                        "%(value)s is not a valid value of %(field)s: %(expected)s",
                        value=repr(value)[:64],
                        field=field._description_string(records.env),
                        expected=expected,
                    )
                )


def _kam_value_error(env, field, value):
    """What ``field`` expects, if ``value`` is not valid for it; else None."""
    if value is False or value is None:
        return None
    if field.type == "selection":
        return _kam_check_selection(env, field, value)
    checker = _KAM_CHECKERS.get(field.type)
    return checker(env, value) if checker else None


def _kam_check_selection(env, field, value):
    if isinstance(value, str | int) and value in field.get_values(env):
        return None
    return env._(
        "one of %(values)s.",
        values=", ".join(str(key) for key in field.get_values(env)),
    )


def kam_is_id(value):
    """Whether ``value`` can be the id of a record in the database."""
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and 0 < value <= KAM_INT_MAX
    )


def _kam_check_id(env, value):
    if isinstance(value, models.BaseModel) and len(value) <= 1:
        return None
    if kam_is_id(value):
        return None
    return env._("the id of a record.")


def _kam_check_integer(env, value):
    if (
        not isinstance(value, int | float)
        or not math.isfinite(value)
        or not KAM_INT_MIN <= value <= KAM_INT_MAX
    ):
        return env._(
            "a whole number between %(min)s and %(max)s.",
            min=KAM_INT_MIN,
            max=KAM_INT_MAX,
        )
    return None


def _kam_check_float(env, value):
    try:
        valid = isinstance(value, int | float) and math.isfinite(float(value))
    except OverflowError:  # an int too big for a float
        valid = False
    return None if valid else env._("a number.")


def _kam_check_date(env, value):
    day = value
    if isinstance(value, str):
        try:
            day = fields.Datetime.to_datetime(value)
        except ValueError:
            day = None
    if isinstance(day, datetime):
        day = day.date()
    if not isinstance(day, date) or not KAM_DATE_MIN <= day <= KAM_DATE_MAX:
        return env._(
            "a date between %(min)s and %(max)s.", min=KAM_DATE_MIN, max=KAM_DATE_MAX
        )
    return None


def _kam_check_text(env, value):
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return None
    return env._("a text.")


def _kam_check_commands(env, value):
    if isinstance(value, models.BaseModel):
        return None
    valid = isinstance(value, list | tuple) and all(
        _kam_is_command(item) for item in value
    )
    return None if valid else env._("a list of ids or of commands.")


def _kam_is_command(item):
    if isinstance(item, int):
        return kam_is_id(item)
    if not isinstance(item, list | tuple) or not item:
        return False
    if not isinstance(item[0], int) or item[0] not in KAM_X2MANY_COMMANDS:
        return False
    if item[0] in (0, 1):  # CREATE, UPDATE: values
        return len(item) == 3 and isinstance(item[2], dict)
    if item[0] == 6:  # SET: ids
        return (
            len(item) == 3
            and isinstance(item[2], list | tuple)
            and all(kam_is_id(i) for i in item[2])
        )
    if item[0] == 5:  # CLEAR
        return True
    return len(item) >= 2 and kam_is_id(item[1])


_KAM_CHECKERS = {
    "many2one": _kam_check_id,
    "integer": _kam_check_integer,
    "float": _kam_check_float,
    "monetary": _kam_check_float,
    "date": _kam_check_date,
    "datetime": _kam_check_date,
    "char": _kam_check_text,
    "text": _kam_check_text,
    "html": _kam_check_text,
    "many2many": _kam_check_commands,
    "one2many": _kam_check_commands,
}


def kam_bool_search(env, operator, value, label, true_domain, false_domain):
    """The domain of the search ``(operator, value)`` on a computed boolean
    field whose records are those of ``true_domain`` when True, of
    ``false_domain`` when False. The operators the web client sends (``=``,
    ``!=``, ``in``, ``not in``) with booleans; anything else is refused with
    a UserError naming the field ``label``."""
    if operator in ("=", "!=") and (value is None or isinstance(value, bool)):
        wanted = {bool(value)}
    elif operator in ("in", "not in") and (
        isinstance(value, list | tuple)
        and all(v is None or isinstance(v, bool) for v in value)
    ):
        wanted = {bool(v) for v in value}
    else:
        raise UserError(
            env._(
                "Unsupported search on %(field)s: %(operator)s %(value)s (search "
                "it with =, !=, in or not in, and True or False).",
                field=label,
                operator=operator,
                value=repr(value)[:64],
            )
        )
    if operator in ("!=", "not in"):
        wanted = {True, False} - wanted
    if wanted == {True, False}:
        return expression.TRUE_DOMAIN
    if not wanted:
        return expression.FALSE_DOMAIN
    return true_domain if True in wanted else false_domain


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
