"""18.0.1.1.0: the documents of a key account's units (the companies below it,
DESIGN §11) are the key account's. The invoices and credit notes of the units that existed
before the upgrade get the badge: the stored ``is_key_account`` follows the
partner's new ``kam_account_id`` (filled by kam_management in SQL, so that the
ORM recomputes no document)."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["account.move"]._kam_fill_is_key_account()
