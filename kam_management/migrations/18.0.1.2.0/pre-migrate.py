"""18.0.1.2.0: workbooks are streamed to their maker, never stored. They were rows
of the transient model ``kam.xlsx.export``, readable by id through /web/content;
the model is now abstract (no table): drop its table and the files it still holds."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(SQL("DROP TABLE IF EXISTS %s", SQL.identifier("kam_xlsx_export")))
