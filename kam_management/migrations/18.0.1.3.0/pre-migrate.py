"""18.0.1.3.0: the revenue figures of an account are stored per company
(``company_dependent`` fields, a jsonb column keyed by company), each company's
documents in its currency, with the day they were computed.

The figures of the released version were of the scheduled action's companies, in
the currency ``kam_revenue_currency_id``: they are kept as the figures of the
account's company where its currency is that one, else of the first company of
that currency, as of the last health computation, until the next run stores the
figures of every company."""

from odoo.tools import SQL

FIGURES = (
    "kam_revenue_12m",
    "kam_revenue_prev_12m",
    "kam_revenue_growth",
    "kam_lifetime_revenue",
)


def _column_type(cr, column):
    cr.execute(
        SQL(
            "SELECT data_type FROM information_schema.columns"
            " WHERE table_name = 'res_partner' AND column_name = %s",
            column,
        )
    )
    row = cr.fetchone()
    return row and row[0]


def migrate(cr, version):
    if _column_type(cr, "kam_revenue_currency_id") is None:
        return
    # the company each account's figures are kept for (no subquery in USING)
    cr.execute(
        """
        ALTER TABLE res_partner ADD COLUMN kam_revenue_company_tmp int;
        UPDATE res_partner p
           SET kam_revenue_company_tmp = COALESCE(
                   (SELECT c.id FROM res_company c
                     WHERE c.id = p.company_id
                       AND c.currency_id = p.kam_revenue_currency_id),
                   (SELECT MIN(c.id) FROM res_company c
                     WHERE c.currency_id = p.kam_revenue_currency_id))
         WHERE p.kam_revenue_currency_id IS NOT NULL;
        """
    )
    for column in FIGURES:
        cr.execute(
            SQL(
                """
                ALTER TABLE res_partner ALTER COLUMN %(column)s TYPE jsonb USING
                    CASE WHEN kam_revenue_company_tmp IS NOT NULL
                         THEN jsonb_build_object(kam_revenue_company_tmp::text,
                                                 %(column)s)
                    END
                """,
                column=SQL.identifier(column),
            )
        )
    cr.execute(
        """
        ALTER TABLE res_partner ADD COLUMN IF NOT EXISTS kam_revenue_date jsonb;
        UPDATE res_partner
           SET kam_revenue_date = jsonb_build_object(kam_revenue_company_tmp::text,
                                                     kam_health_date)
         WHERE kam_revenue_company_tmp IS NOT NULL AND kam_health_date IS NOT NULL;
        ALTER TABLE res_partner DROP COLUMN kam_revenue_company_tmp,
                                DROP COLUMN kam_revenue_currency_id;
        """
    )
