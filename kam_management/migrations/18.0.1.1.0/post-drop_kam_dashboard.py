"""The transient model kam.dashboard became the landing page's kanban on res.partner
(res.partner.kam_dashboard_data): Odoo removes the model's records on upgrade but keeps
its table, as the model is no longer in the registry."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(SQL("DROP TABLE IF EXISTS kam_dashboard CASCADE"))
