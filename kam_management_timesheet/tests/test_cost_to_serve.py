from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.kam_management.tests.common import KamCommon


@tagged("post_install", "-at_install")
class TestTimesheetCostToServe(KamCommon):
    """Issue 26: timesheets of two employees with different costs. ``ana``
    (30 an hour) spends 2 hours on the account's project, ``ben`` (50 an hour)
    3 hours on a task of ``plant`` (a unit of the account) in a project of no
    customer: 60 + 150. Ben's 4 hours on that project 400 days ago, and 1
    hour on another customer's task in the account's project, do not count."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = cls.env.company._kam_today()
        Partner = cls.env["res.partner"]
        cls.plant = Partner.create(
            {"name": "Acme Plant", "is_company": True, "parent_id": cls.account.id}
        )
        other = Partner.create({"name": "Other Customer", "is_company": True})
        Employee = cls.env["hr.employee"]
        ana = Employee.create({"name": "Ana", "hourly_cost": 30.0})
        ben = Employee.create({"name": "Ben", "hourly_cost": 50.0})
        Project = cls.env["project.project"]
        rollout = Project.create(
            {"name": "Rollout", "partner_id": cls.account_contact.id}
        )
        internal = Project.create({"name": "Internal"})
        Task = cls.env["project.task"]
        plant_task = Task.create(
            {
                "name": "Plant audit",
                "project_id": internal.id,
                "partner_id": cls.plant.id,
            }
        )
        other_task = Task.create(
            {"name": "Other", "project_id": rollout.id, "partner_id": other.id}
        )
        Line = cls.env["account.analytic.line"]
        for employee, project, task, hours, days_ago in [
            (ana, rollout, None, 2, 5),
            (ben, internal, plant_task, 3, 20),
            (ben, internal, plant_task, 4, 400),
            (ben, rollout, other_task, 1, 3),
        ]:
            Line.create(
                {
                    "name": "Work",
                    "employee_id": employee.id,
                    "project_id": project.id,
                    "task_id": task and task.id,
                    "unit_amount": hours,
                    "date": cls.today - timedelta(days=days_ago),
                }
            )
        cls.env["kam.account.plan"].create(
            {
                "name": "Plan",
                "partner_id": cls.account.id,
                "date_start": cls.today - timedelta(days=9),
                "date_end": cls.today + timedelta(days=10),
                "budget": 200.0,
                "state": "active",
            }
        )

    def test_cost_to_serve(self):
        account = self.account.with_user(self.user_kam)
        self.assertAlmostEqual(account.kam_timesheet_cost_12m, 60 + 150)
        # half the plan's days so far: 100 of its budget
        self.assertAlmostEqual(account.kam_programme_cost_12m, 100)
        self.assertAlmostEqual(account.kam_cost_to_serve_12m, 210 + 100)
        self.assertAlmostEqual(account.kam_contribution_12m, -310)
        [row] = self.env["kam.portfolio.report"].search_read(
            [("partner_id", "=", self.account.id)], ["cost_to_serve_12m"]
        )
        self.assertAlmostEqual(row["cost_to_serve_12m"], 310)

    def test_payback_without_margin(self):
        account = self.account.with_user(self.user_kam)
        self.assertEqual(
            account.kam_payback_reason,
            "no margin data: no cost known for what it bought",
        )

    def test_salesman_refused(self):
        with self.assertRaises(AccessError):
            self.account.with_user(self.user_sales).read(["kam_timesheet_cost_12m"])
