import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """The Spanish translation covers every term of the template."""

    def test_every_term_translated(self):
        i18n = get_module_path("kam_management_project") + "/i18n/"
        template = polib.pofile(i18n + "kam_management_project.pot")
        spanish = {entry.msgid: entry for entry in polib.pofile(i18n + "es.po")}
        missing = [
            entry.msgid
            for entry in template
            if not (spanish.get(entry.msgid) and spanish[entry.msgid].msgstr)
            or spanish[entry.msgid].fuzzy
        ]
        self.assertFalse(missing, f"{len(missing)} terms not translated in es.po")
