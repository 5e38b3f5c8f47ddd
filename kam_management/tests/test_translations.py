from odoo.exceptions import ValidationError
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
