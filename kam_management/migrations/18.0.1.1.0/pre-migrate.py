"""18.0.1.1.0: the evidence of the health lines is stored as data (a code and its
values) and rendered in the reader's language; the English sentences of the lines
computed before are kept as their text (``evidence_text``), shown as they are."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    table = "kam_health_snapshot_line"
    if column_exists(cr, table, "evidence") and not column_exists(
        cr, table, "evidence_text"
    ):
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME COLUMN evidence TO evidence_text",
                SQL.identifier(table),
            )
        )
