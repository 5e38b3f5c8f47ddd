import re
from pathlib import Path

import polib

from odoo.exceptions import ValidationError
from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase

from .common import KamCommon, KamTranslationCheck


class TestTranslations(KamTranslationCheck, TransactionCase):
    _kam_addon = "kam_management"


class TestSpanishLoaded(KamCommon):
    """es.po loads into a database: a Spanish user sees the menus, field labels and
    error messages in Spanish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_load_spanish()

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


class TestSpanishAcrossTheSuite(TransactionCase):
    """The addons of the suite speak one Spanish: a term the core translates is
    translated alike in the bridges, and the texts of attributes a user reads
    (tooltips, labels for screen readers) are translated with their element."""

    ATTRIBUTE_TEXT = re.compile(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"')

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        root = Path(get_module_path("kam_management")).parent
        cls.catalogs = {
            po.parent.parent.name: polib.pofile(str(po))
            for po in sorted(root.glob("kam_management*/i18n/es.po"))
        }

    def test_bridges_translate_shared_terms_as_the_core(self):
        core = {entry.msgid: entry.msgstr for entry in self.catalogs["kam_management"]}
        wrong = [
            f"{addon}: {entry.msgid!r} -> {entry.msgstr!r}, core: {core[entry.msgid]!r}"
            for addon, catalog in self.catalogs.items()
            for entry in catalog
            if entry.msgid in core and entry.msgstr != core[entry.msgid]
        ]
        # the core's word for the Key Account Manager, everywhere
        wrong += [
            f"{addon}: {entry.msgstr!r}"
            for addon, catalog in self.catalogs.items()
            for entry in catalog
            if "gerente" in entry.msgstr.lower()
        ]
        self.assertFalse(wrong, "\n".join(wrong))

    def test_attribute_texts_translated(self):
        wrong = [
            f"{addon}: {text!r} in {entry.msgid[:80]!r}"
            for addon, catalog in self.catalogs.items()
            for entry in catalog
            if entry.msgstr
            for text in self.ATTRIBUTE_TEXT.findall(entry.msgid)
            if re.search("[A-Za-z]", text)
            and text in self.ATTRIBUTE_TEXT.findall(entry.msgstr)
        ]
        self.assertFalse(wrong, "attributes left in English:\n" + "\n".join(wrong))
