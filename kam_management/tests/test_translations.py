import re

import polib

from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase

from .common import KamCommon

PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%[sd]")


class TestTranslations(TransactionCase):
    """The Spanish translation covers every term of the template, with the same
    placeholders, so that no screen of the app shows English to a Spanish user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        i18n = get_module_path("kam_management") + "/i18n/"
        cls.template = polib.pofile(i18n + "kam_management.pot")
        cls.spanish = {entry.msgid: entry for entry in polib.pofile(i18n + "es.po")}

    def test_every_term_translated(self):
        missing = [
            entry.msgid
            for entry in self.template
            if not (self.spanish.get(entry.msgid) and self.spanish[entry.msgid].msgstr)
            or self.spanish[entry.msgid].fuzzy
        ]
        self.assertFalse(missing, f"{len(missing)} terms not translated in es.po")

    def test_placeholders_kept(self):
        wrong = [
            msgid
            for msgid, entry in self.spanish.items()
            if entry.msgstr
            and sorted(PLACEHOLDER.findall(msgid))
            != sorted(PLACEHOLDER.findall(entry.msgstr))
        ]
        self.assertFalse(wrong, f"placeholders differ in es.po: {wrong[:5]}")


class TestSpanishLoaded(KamCommon):
    """es.po loads into a database: a Spanish user sees the menus, field labels and
    error messages in Spanish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        # Only kam_management's terms: loading every module's would take minutes
        cls.env["ir.module.module"].search(
            [("name", "=", "kam_management")]
        )._update_translations(["es_ES"])

    def test_menu_and_labels(self):
        env = self.env(context=dict(self.env.context, lang="es_ES"))
        self.assertEqual(env.ref("kam_management.kam_menu_root").name, "Cuentas clave")
        self.assertEqual(
            env.ref("kam_management.kam_menu_root").with_context(lang="en_US").name,
            "Key Accounts",
        )
        labels = env["res.partner"].fields_get(
            ["is_key_account", "kam_health_line_ids"], ["string"]
        )
        self.assertEqual(labels["is_key_account"]["string"], "Cuenta clave")
        self.assertEqual(
            labels["kam_health_line_ids"]["string"], "Desglose de la salud"
        )
        self.assertEqual(
            dict(
                env["res.partner"]._fields["kam_strategy"]._description_selection(env)
            )["harvest"],
            "Cosechar",
        )

    def test_python_message(self):
        contact = self.account_contact.with_context(lang="es_ES")
        with self.assertRaisesRegex(
            ValidationError, "Alice Buyer es un contacto de Acme Key Corp"
        ):
            contact.is_key_account = True
