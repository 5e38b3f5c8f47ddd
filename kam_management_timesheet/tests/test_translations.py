from odoo.tests import TransactionCase, tagged

from odoo.addons.kam_management.tests.common import KamTranslationCheck


@tagged("post_install", "-at_install")
class TestTranslations(KamTranslationCheck, TransactionCase):
    _kam_addon = "kam_management_timesheet"
