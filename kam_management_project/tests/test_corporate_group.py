from odoo.tests import new_test_user, tagged

from odoo.addons.kam_management.tests.common import KamCommon


@tagged("post_install", "-at_install")
class TestProjectCorporateGroup(KamCommon):
    """The tasks of a key account's units (DESIGN §11): ``account`` is the
    group, ``plant`` a unit under it, ``workshop`` a unit of the plant (two
    levels), ``buyer`` a person of the workshop."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_setup_group()
        cls.user_project = new_test_user(
            cls.env,
            login="kam_project",
            name="Pat Project",
            groups="project.group_project_user",
        )
        Project = cls.env["project.project"]
        cls.project = Project.create(
            {"name": "Workshop Rollout", "partner_id": cls.buyer.id}
        )
        audits = Project.create({"name": "Audits"})  # of no customer
        Task = cls.env["project.task"]
        # the task's own customer, the project's customer
        cls.task_plant = Task.create(
            {"name": "Audit", "project_id": audits.id, "partner_id": cls.plant.id}
        )
        cls.task_project = Task.create(
            {"name": "Install", "project_id": cls.project.id}
        )

    def test_the_project_user_sees_the_group_on_the_units_tasks(self):
        """A unit's task, and a task of a project for a unit's person: the badge
        and the group's KAM, for a project user without KAM rights."""
        self.assertFalse(self.user_project.has_group("kam_management.group_kam_user"))
        tasks = (self.task_plant | self.task_project).with_user(self.user_project)
        for task in tasks:
            with self.subTest(task=task.name):
                self.assertTrue(task.is_key_account)
                self.assertEqual(task.kam_user_id, self.user_kam)
        found = tasks.search([("is_key_account", "=", True), ("id", "in", tasks.ids)])
        self.assertEqual(found, tasks)

    def test_moving_a_unit_out_of_the_group(self):
        self.plant.parent_id = False
        self.env.invalidate_all()
        for task in (self.task_plant | self.task_project).with_user(self.user_project):
            with self.subTest(task=task.name):
                self.assertFalse(task.is_key_account)
                self.assertFalse(task.kam_user_id)
        self.plant.parent_id = self.account
        self.assertTrue(self.task_project.is_key_account, "back in the group")
