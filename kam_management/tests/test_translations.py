import re

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase

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
            and sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr))
        ]
        self.assertFalse(wrong, f"placeholders differ in es.po: {wrong[:5]}")
