from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import users

from odoo.addons.kam_management.tools.values import KAM_NAME_MAX

from .common import KamCommon


class TestNameLength(KamCommon):
    """Names of key accounts and of the programme's records fit in a breadcrumb,
    a table cell and a printed heading: a longer one is refused with a message
    saying how long it may be."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["kam.account.plan"].create(
            {"name": "Acme Plan", "partner_id": cls.account.id}
        )

    def test_key_account_name(self):
        with self.assertRaisesRegex(ValidationError, "at most 200 characters"):
            self.account.name = "A" * 741
        self.account.name = "A" * KAM_NAME_MAX
        # a contact that is not a key account is Odoo's, not the programme's
        self.candidate.name = "C" * 741
        with self.assertRaisesRegex(ValidationError, "has 741: shorten it"):
            self.candidate.is_key_account = True

    @users("kam_user")
    def test_plan_objective_and_action_names(self):
        plan = self.plan.with_user(self.env.user)
        with self.assertRaisesRegex(ValidationError, "Plan holds at most 200"):
            plan.name = "P" * 741
        with self.assertRaisesRegex(ValidationError, "Objective holds at most 200"):
            plan.objective_ids = [Command.create({"name": "O" * 201})]
        with self.assertRaisesRegex(ValidationError, "KPI holds at most 200"):
            plan.objective_ids = [Command.create({"name": "O", "kpi": "K" * 201})]
        with self.assertRaisesRegex(ValidationError, "Action holds at most 200"):
            plan.action_ids = [Command.create({"name": "A" * 201})]
        plan.write(
            {
                "name": "P" * KAM_NAME_MAX,
                "objective_ids": [Command.create({"name": "O" * KAM_NAME_MAX})],
                "action_ids": [Command.create({"name": "A" * KAM_NAME_MAX})],
            }
        )

    def test_message_in_spanish(self):
        self._kam_load_spanish()
        plan = self.plan.with_context(lang="es_ES")
        with self.assertRaisesRegex(
            ValidationError,
            "Plan admite como máximo 200 caracteres y este texto "
            "tiene 741: acórtelo.",
        ):
            plan.name = "P" * 741
