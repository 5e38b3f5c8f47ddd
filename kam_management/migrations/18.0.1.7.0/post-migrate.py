"""The shipped selection criteria the data can judge get their data source
(DESIGN §14): their records are ``noupdate``, which an upgrade leaves as they
were. A criterion an administrator gave a source already keeps it."""

from odoo.tools import SQL

SOURCES = {
    "kam_criterion_revenue_potential": "revenue_potential",
    "kam_criterion_creditworthiness": "creditworthiness",
    "kam_criterion_existing_relationships": "relationships",
}


def migrate(cr, version):
    for xmlid, source in SOURCES.items():
        cr.execute(
            SQL(
                """
                UPDATE kam_selection_criterion c SET data_source = %s
                  FROM ir_model_data d
                 WHERE d.module = 'kam_management' AND d.name = %s
                   AND d.model = 'kam.selection.criterion' AND d.res_id = c.id
                   AND c.data_source IS NULL
                """,
                source,
                xmlid,
            )
        )
