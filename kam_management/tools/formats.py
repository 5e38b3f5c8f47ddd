"""Numbers and counts inside messages, in the reader's language.

Odoo 18 translates Python messages without plural forms: ``odoo.tools.translate``
has no ngettext and its .po files no ``msgid_plural``. So a message with a count
is written twice, for one thing and for several, each a translatable string of
its own, and ``kam_plural`` picks one by the plural rule of the reader's language
(CLDR's, through babel): English and Spanish take the first for 1 only, French
for 0 and 1 too. A language with more forms (Polish, Russian) translates both
strings as best it can.
"""

import functools
from decimal import Decimal

import babel

from odoo.tools import float_is_zero, formatLang


@functools.lru_cache
def _plural_form(lang_code):
    """The CLDR plural rule of ``lang_code`` (English's for a code babel lacks):
    a function of a number returning 'one', 'few', 'many' or 'other'."""
    try:
        return babel.Locale.parse(lang_code).plural_form
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale("en").plural_form


def _number_digits(value):
    """One decimal at most, none for a whole number (a score of 80, of 80.5)."""
    return 0 if float_is_zero(value % 1, precision_digits=1) else 1


def kam_number(env, value):
    """``value`` as a message shows a figure (a score, a threshold, points): in
    the number format of the language of ``env``, with one decimal at most and
    none when it is whole."""
    return formatLang(env, value, digits=_number_digits(value))


def kam_plural(env, count, one, other, **values):
    """``one`` or ``other``, the lazy translations (``_lt``) of a message with
    the placeholder ``%(count)s`` for a single thing and for several: the one the
    language of ``env`` takes for ``count`` as it is shown ("1.5 points", and
    "1.0" would be plural in English, singular in Spanish), translated and
    formatted with ``count`` (by ``kam_number``) and ``values``."""
    digits = _number_digits(count)
    shown = Decimal(f"{count:.{digits}f}")
    message = one if _plural_form(env.lang or "en_US")(shown) == "one" else other
    return env._(message) % dict(values, count=formatLang(env, count, digits=digits))
