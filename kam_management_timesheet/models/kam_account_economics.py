from odoo import api, models
from odoo.tools import SQL


class KamAccountEconomics(models.AbstractModel):
    """The timesheets on a key account's projects and tasks are part of its cost
    to serve: their cost (``account.analytic.line.amount``, negative, the hours
    at the employee's hourly cost when recorded), converted like revenue at the
    timesheet's date. A timesheet counts for the customer of its task, else for
    the customer of its project, through ``kam_account_id`` (a unit's projects
    count for its group)."""

    _inherit = "kam.account.economics"

    @api.model
    def _kam_service_cost_lines(self, accounts, date_from, date_to):
        timesheets = self._kam_timesheet_cost_lines(accounts, date_from, date_to)
        other = super()._kam_service_cost_lines(accounts, date_from, date_to)
        if other is None:
            return timesheets
        return SQL("%s UNION ALL %s", timesheets, other)

    @api.model
    def _kam_timesheet_cost_lines(self, accounts, date_from, date_to):
        """The SQL of the timesheet cost of the accounts: ``partner_id``,
        ``date``, ``amount`` (converted, positive). The timesheets are found
        through the indexes on their task and project."""
        Revenue = self.env["kam.account.revenue"]
        account = SQL("COALESCE(tp.kam_account_id, pp.kam_account_id)")
        return SQL(
            """
            SELECT %(account)s AS partner_id, aal.date, %(amount)s AS amount
              FROM account_analytic_line aal
              JOIN project_project pr ON pr.id = aal.project_id
              JOIN res_company c ON c.id = aal.company_id
         LEFT JOIN project_task t ON t.id = aal.task_id
         LEFT JOIN res_partner tp ON tp.id = t.partner_id
         LEFT JOIN res_partner pp ON pp.id = pr.partner_id
             WHERE (aal.task_id IN (SELECT id FROM project_task WHERE %(tasks)s)
                    OR aal.project_id IN (SELECT id FROM project_project
                                           WHERE %(projects)s))
               AND %(accounts)s AND %(dates)s AND %(companies)s
            """,
            account=account,
            amount=Revenue._kam_converted(
                SQL("-aal.amount"), SQL("c.currency_id"), SQL("aal.date")
            ),
            tasks=Revenue._kam_partners_condition(SQL("partner_id"), accounts),
            projects=Revenue._kam_partners_condition(SQL("partner_id"), accounts),
            accounts=Revenue._kam_accounts_condition(account, accounts),
            dates=Revenue._kam_dates_condition(SQL("aal.date"), date_from, date_to),
            companies=Revenue._kam_companies_condition(SQL("aal.company_id")),
        )
