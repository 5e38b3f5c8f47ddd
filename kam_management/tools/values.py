"""Values typed in by users or sent over JSON-RPC, checked before the ORM: what
the ORM or the database would otherwise stop on with a bare exception (a
traceback) is refused with a message in the user's language."""

import math
from datetime import date, datetime

from odoo import fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import format_date, formatLang

# What the database and the programme's date arithmetic can hold: a PostgreSQL
# integer, and dates a cadence or a period can be added to without overflow.
KAM_INT_MIN, KAM_INT_MAX = -(2**31), 2**31 - 1
KAM_DATE_MIN, KAM_DATE_MAX = date(1900, 1, 1), date(2999, 12, 31)
# The x2many commands (Command.CREATE .. Command.SET)
KAM_X2MANY_COMMANDS = range(7)
# Names (of accounts, plans, objectives...) fit in a breadcrumb, a table cell and a
# printed heading: a long sentence at most.
KAM_NAME_MAX = 200


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


def kam_check_name_length(records, fnames=("name",)):
    """Refuse with a ValidationError a name of ``records`` (the fields
    ``fnames``) longer than KAM_NAME_MAX characters."""
    for record in records:
        for fname in fnames:
            if len(record[fname] or "") > KAM_NAME_MAX:
                raise ValidationError(
                    records.env._(
                        "%(field)s holds at most %(max)s characters and this text "
                        "has %(length)s: shorten it.",
                        field=records._fields[fname]._description_string(records.env),
                        max=KAM_NAME_MAX,
                        length=len(record[fname]),
                    )
                )


def kam_check_computed_vals(records, vals):
    """Refuse, unless run as superuser, the values of ``vals`` for the
    computed figures of ``records`` (``_kam_computed_fnames``): the code that
    computes them stays the only one to set them."""
    if records.env.su:
        return
    typed = [fname for fname in vals if fname in records._kam_computed_fnames]
    if typed:
        raise AccessError(
            records.env._(
                "%(field)s is computed from %(origin)s: it cannot be written by "
                "hand.",
                field=records._fields[typed[0]]._description_string(records.env),
                origin=records._kam_computed_origin(typed[0]),
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
            min=formatLang(env, KAM_INT_MIN, digits=0),
            max=formatLang(env, KAM_INT_MAX, digits=0),
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
            "a date between %(min)s and %(max)s.",
            min=format_date(env, KAM_DATE_MIN),
            max=format_date(env, KAM_DATE_MAX),
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
