from odoo.tests import new_test_user, tagged

from odoo.addons.kam_management.tests.common import KamCommon


@tagged("post_install", "-at_install")
class TestProjectTaskKeyAccount(KamCommon):
    """Tasks for key accounts: recognised through the task's customer, else its
    project's customer, and showing the KAM to the project user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_project = new_test_user(
            cls.env,
            login="kam_project",
            name="Pat Project",
            groups="project.group_project_user",
        )
        Project = cls.env["project.project"]
        cls.project_key = Project.create(
            {"name": "Key Rollout", "partner_id": cls.account_contact.id}
        )
        cls.project_other = Project.create(
            {"name": "Other Rollout", "partner_id": cls.candidate.id}
        )

    def test_key_account_follows_the_project_customer(self):
        Task = self.env["project.task"]
        task_key, task_other = Task.create(
            [
                {"name": "Install", "project_id": self.project_key.id},
                {"name": "Install", "project_id": self.project_other.id},
            ]
        )
        self.assertTrue(task_key.is_key_account)
        self.assertFalse(task_other.is_key_account)
        found = Task.search(
            [("is_key_account", "=", True), ("id", "in", (task_key | task_other).ids)]
        )
        self.assertEqual(found, task_key)
        self.candidate.is_key_account = True
        self.assertTrue(task_other.is_key_account)
        own = Task.create(
            {
                "name": "Audit",
                "project_id": self.project_other.id,
                "partner_id": self.env["res.partner"].create({"name": "Own Co"}).id,
            }
        )
        self.assertFalse(own.is_key_account, "the task's own customer comes first")
        own.partner_id = self.account_contact
        self.assertTrue(own.is_key_account)

    def test_fill_on_install(self):
        """The SQL fill of the column at installation gives what the ORM computes."""
        Task = self.env["project.task"]
        tasks = Task.create(
            [
                {"name": "A", "project_id": self.project_key.id},
                {"name": "B", "project_id": self.project_other.id},
                {"name": "C", "partner_id": self.account.id},
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE project_task SET is_key_account = NULL WHERE id = ANY(%s)",
            [tasks.ids],
        )
        Task._kam_fill_is_key_account()
        self.env.invalidate_all()
        self.assertEqual(tasks.mapped("is_key_account"), [True, False, True])

    def test_project_user_sees_the_kam(self):
        task = (
            self.env["project.task"]
            .create({"name": "Train", "project_id": self.project_key.id})
            .with_user(self.user_project)
        )
        self.assertFalse(self.user_project.has_group("kam_management.group_kam_user"))
        self.assertEqual(task.kam_user_id, self.user_kam)
        self.assertEqual(task.kam_user_id.display_name, "Kim Account")
