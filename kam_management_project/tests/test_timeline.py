from odoo.tests import tagged

from odoo.addons.kam_management.tests.test_timeline import KamTimelineCommon


@tagged("post_install", "-at_install")
class TestTimelineProject(KamTimelineCommon):
    """The tasks of an account in its timeline, to the users who may read
    them."""

    def test_tasks_of_the_account(self):
        Project = self.env["project.project"]
        public = Project.create({"name": "Rollout", "partner_id": self.account.id})
        private = Project.create({"name": "Audit", "privacy_visibility": "followers"})
        task, private_task, _archived = self.env["project.task"].create(
            [
                {"name": "Install", "project_id": public.id},
                {
                    "name": "Review",
                    "project_id": private.id,
                    "partner_id": self.account_contact.id,
                    "user_ids": [(6, 0, self.user_kam.ids)],
                },
                {"name": "Old", "project_id": public.id, "active": False},
            ]
        )
        # created without a customer (the form fills it with the project's)
        self.assertFalse(task.partner_id)
        self.assertEqual(
            {row for row in self._timeline(self.user_kam) if row[0] == "task"},
            {("task", task), ("task", private_task)},
            "active tasks, the project's customer's and the task's own",
        )
        # the salesman does not follow the private project
        self.assertEqual(
            [row for row in self._timeline(self.user_sales) if row[0] == "task"],
            [("task", task)],
        )
        row = self.env["kam.timeline"].search(
            [("kind", "=", "task"), ("res_id", "=", private_task.id)]
        )
        self.assertEqual((row.name, row.user_id), ("Review", self.user_kam))
        action = row.action_kam_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("project.task", private_task.id)
        )
