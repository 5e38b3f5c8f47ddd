import ast
import re
from pathlib import Path

import polib

from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase
from odoo.tools import LazyTranslate

from odoo.addons.kam_management.tools.formats import kam_number, kam_plural

from .common import KamCommon

_lt = LazyTranslate("kam_management")
# the messages of the escalation rule on a falling health
DROP = (
    _lt(
        "Health score fell by %(count)s point in about 30 days, from %(before)s "
        "to %(now)s."
    ),
    _lt(
        "Health score fell by %(count)s points in about 30 days, from %(before)s "
        "to %(now)s."
    ),
)

# A placeholder followed by a plural noun ("%(count)s stakeholders", "%(max)s
# key accounts"), and a singular written out ("1 stakeholder"): a count.
COUNTED = re.compile(r"%\((\w+)\)s (?:key |open )?[a-z]+s\b")
SINGULAR = re.compile(r"(?:^|[\s(])1 (?!and\b|to\b|or\b)[a-z]")
# ... unless the word after the placeholder is a verb ("%(account)s is")
VERBS = re.compile(r"%\(\w+\)s (?:is|has|holds|does|needs|scores|ends|follows)\b")
# Messages whose count is never 1, by their beginning
NEVER_ONE = {
    # said when more accounts are selected than a workbook holds (at least 2)
    "%(count)s key accounts are selected",
}
TRANSLATE = {"_", "_lt"}


def _suite_paths():
    """The addons of the suite, found beside kam_management."""
    root = Path(get_module_path("kam_management")).parent
    return root, sorted(
        path.parent for path in root.glob("kam_management*/__manifest__.py")
    )


def _call_name(node):
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _message(node):
    """The source string of a translation call ``_("...")``, ``env._("...")``,
    ``_lt("...")``, else None."""
    if (
        isinstance(node, ast.Call)
        and _call_name(node) in TRANSLATE
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ):
        return node.args[0].value
    return None


class TestPluralForms(TransactionCase):
    """Every user-facing message with a count goes through ``kam_plural``, which
    picks the singular or the plural message by the reader's language: no
    "1 key accounts", no "parte(s) interesada(s)"."""

    def _python_files(self):
        root, addons = _suite_paths()
        for addon in addons:
            for path in sorted(addon.rglob("*.py")):
                relative = path.relative_to(root).as_posix()
                if "/tests/" in relative or "/migrations/" in relative:
                    continue
                yield relative, ast.parse(path.read_text(), relative)

    def _counted_placeholders(self, node, message):
        """The placeholders of ``message`` that count things and are filled at
        the call: not those a constant of the code fills (a maximum that is more
        than one)."""
        constants = {
            keyword.arg
            for keyword in node.keywords
            if isinstance(keyword.value, ast.Name) and keyword.value.id.isupper()
        }
        return [
            match.group(1)
            for match in COUNTED.finditer(message)
            if not VERBS.match(match.group(0)) and match.group(1) not in constants
        ]

    def test_counted_messages_use_the_plural_helper(self):
        wrong = []
        for relative, tree in self._python_files():
            forms = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _call_name(node) == "kam_plural":
                    wrong += self._check_plural_call(relative, node)
                    forms.update(id(arg) for arg in node.args[2:4])
            for node in ast.walk(tree):
                message = _message(node)
                if message is None or id(node) in forms:
                    continue
                if message.startswith(tuple(NEVER_ONE)):
                    continue
                if SINGULAR.search(message) or self._counted_placeholders(
                    node, message
                ):
                    wrong.append(f"{relative}:{node.lineno}: {message!r}")
        self.assertFalse(
            wrong,
            "messages with a count written without kam_plural:\n" + "\n".join(wrong),
        )

    def test_no_plural_nested_in_a_translation(self):
        """Babel, which exports the terms, skips the messages of a call written
        inside the arguments of a translation: they are never translated."""
        wrong = []
        for relative, tree in self._python_files():
            for node in ast.walk(tree):
                if _message(node) is None:
                    continue
                wrong += [
                    f"{relative}:{child.lineno}"
                    for arg in node.args[1:] + [k.value for k in node.keywords]
                    for child in ast.walk(arg)
                    if isinstance(child, ast.Call) and _call_name(child) == "kam_plural"
                ]
        self.assertFalse(wrong, "kam_plural inside a translation:\n" + "\n".join(wrong))

    def _check_plural_call(self, relative, node):
        """A kam_plural call is given two lazy translations with a count."""
        messages = [_message(arg) for arg in node.args[2:4]]
        lazy = all(_call_name(arg) == "_lt" for arg in node.args[2:4])
        if (
            len(messages) == 2
            and lazy
            and all(m and "%(count)s" in m for m in messages)
            and messages[0] != messages[1]
        ):
            return []
        return [f"{relative}:{node.lineno}: kam_plural needs two _lt() messages"]

    def test_no_optional_plural_in_views_or_translations(self):
        """ "stakeholder(s)" reads badly in any language: a view shows a singular
        and a plural text by the count."""
        _root, addons = _suite_paths()
        wrong = [
            str(path)
            for addon in addons
            for path in addon.rglob("*.xml")
            if re.search(r"[a-z]\(s\)", path.read_text())
        ]
        for addon in addons:
            for po in addon.glob("i18n/*.po"):
                wrong += [
                    f"{po}: {entry.msgstr!r}"
                    for entry in polib.pofile(str(po))
                    if re.search(r"[a-z]\([a-z]+\)", entry.msgstr)
                    and not re.search(r"[a-z]\([a-z]+\)", entry.msgid)
                ]
        self.assertFalse(wrong, "optional plurals:\n" + "\n".join(wrong))


class TestPluralHelper(KamCommon):
    """kam_plural in English and Spanish, for 1 and for 3 things."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_load_spanish()

    def _compute(self, lang, count):
        accounts = self.account | self.env["res.partner"].create(
            [
                {"name": f"Key {i}", "is_company": True, "is_key_account": True}
                for i in range(count - 1)
            ]
        )
        action = accounts.with_context(lang=lang).action_kam_compute_health()
        return action["params"]["message"]

    def test_health_computed_for_one_and_three(self):
        self.assertEqual(
            self._compute("es_ES", 1), "Salud calculada para 1 cuenta clave."
        )
        self.assertEqual(
            self._compute("es_ES", 3), "Salud calculada para 3 cuentas clave."
        )
        self.assertEqual(
            self._compute("en_US", 1), "Health computed for 1 key account."
        )
        self.assertEqual(
            self._compute("en_US", 3), "Health computed for 3 key accounts."
        )

    def test_numbers_in_the_reader_format(self):
        spanish = self.env(context={"lang": "es_ES"})
        english = self.env(context={"lang": "en_US"})
        self.assertEqual(kam_number(spanish, 80.0), "80")
        self.assertEqual(kam_number(spanish, 12.5), "12,5")
        self.assertEqual(kam_number(english, 12.5), "12.5")
        self.assertEqual(kam_number(spanish, 12500), "12.500")

    def test_decimal_counts(self):
        """A whole number of points is shown without decimals and takes the
        singular for 1; a count with decimals is plural."""
        english = self.env(context={"lang": "en_US"})
        spanish = self.env(context={"lang": "es_ES"})
        values = {"before": "80", "now": "79"}
        self.assertIn("fell by 1 point in", kam_plural(english, 1.0, *DROP, **values))
        self.assertIn("ha caído 1 punto en", kam_plural(spanish, 1.0, *DROP, **values))
        self.assertIn("fell by 1.5 points", kam_plural(english, 1.5, *DROP, **values))
        self.assertIn("ha caído 1,5 puntos", kam_plural(spanish, 1.5, *DROP, **values))
        self.assertIn("ha caído 3 puntos", kam_plural(spanish, 3, *DROP, **values))


class TestFormatsInMessages(KamCommon):
    """Dates and figures inside messages in the reader's format, not ISO dates
    and Python's floats ("termina el 2026-01-01", "rojo por debajo de (80.0)")."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_load_spanish()

    def test_plan_dates(self):
        Plan = self.env["kam.account.plan"].with_context(lang="es_ES")
        with self.assertRaisesRegex(
            ValidationError, "termina el 01/01/2026, antes de empezar el 31/03/2026"
        ):
            Plan.create(
                {
                    "name": "Backwards",
                    "partner_id": self.account.id,
                    "date_start": "2026-03-31",
                    "date_end": "2026-01-01",
                }
            )

    def test_health_thresholds(self):
        company = self.env.company.with_context(lang="es_ES")
        with self.assertRaisesRegex(
            ValidationError, r"rojo por debajo de \(80,5\) < verde a partir de \(70\)"
        ):
            company.write({"kam_health_red_below": 80.5, "kam_health_green_from": 70})
