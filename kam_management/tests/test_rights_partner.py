from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged, users

from .common import KamRightsCommon


@tagged("post_install", "-at_install")
class TestRightsPartnerCommon(KamRightsCommon):
    """The key account of company A (``account``, its KAM ``user_kam``, its team
    ``user_team``) attacked by each kind of user, as over JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the account belongs to company A: company B's users may not see it
        cls.account.company_id = cls.company
        cls.account.kam_since = "2020-01-01"
        cls.kam_users = cls.user_kam | cls.user_team | cls.user_kam_manager

    def _as(self, user, record=None):
        """``record`` (the account by default) as ``user`` would reach it over RPC."""
        record = record or self.account
        return self.env[record._name].with_user(user).browse(record.ids)

    def _snapshot(self, record=None, fields=None):
        record = (record or self.account).with_context(active_test=False)
        fields = fields or [
            "active",
            "is_key_account",
            "kam_since",
            "kam_user_id",
            "kam_strategy",
            "kam_pulse",
            "kam_health_score",
            "kam_health_band",
        ]
        record.invalidate_recordset()
        return record.read(fields)


class TestArchiveIsDemotion(TestRightsPartnerCommon):
    def test_archive_refused_to_all_but_managers(self):
        before = self._snapshot()
        for user in self.attackers | self.user_kam | self.user_team:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    self._as(user).action_archive()
                self.assertEqual(self._snapshot(), before)

    def test_write_inactive_refused_while_key_account(self):
        before = self._snapshot()
        for user in self.user_sales | self.user_kam | self.user_kam_manager:
            with self.subTest(user=user.login):
                with self.assertRefused(UserError, "demotion"):
                    self._as(user).write({"active": False})
                with self.assertRefused(UserError, "demotion"):
                    self._as(user).toggle_active()
                self.assertEqual(self._snapshot(), before)
        for user in self.user_portal | self.user_company_b:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    self._as(user).write({"active": False})
                self.assertEqual(self._snapshot(), before)

    @users("kam_manager")
    def test_manager_archive_opens_the_demotion(self):
        action = self.account.with_env(self.env).action_archive()
        self.assertEqual(action["res_model"], "kam.designation.wizard")
        self.assertEqual(action["context"]["default_mode"], "demote")
        self.assertTrue(action["context"]["default_archive"])
        self.assertTrue(self.account.active, "nothing archived before the wizard")
        wizard = (
            self.env["kam.designation.wizard"]
            .with_context(**action["context"])
            .create({"reason": "Bought by a distributor"})
        )
        wizard.action_confirm()
        account = self.account.with_env(self.env)
        self.assertFalse(account.active)
        self.assertFalse(account.is_key_account)
        self.assertFalse(account.kam_since)
        body = account.message_ids[0].body
        self.assertIn("Bought by a distributor", body)
        self.assertIn("archived", body)

    @users("kam_manager")
    def test_manager_demotes_without_archiving(self):
        self.env["kam.designation.wizard"].with_context(
            default_partner_id=self.account.id, default_mode="demote"
        ).create({"reason": "Smaller now"}).action_confirm()
        self.assertTrue(self.account.active)
        self.assertFalse(self.account.is_key_account)

    @users("kam_manager")
    def test_archiving_several_key_accounts_refused(self):
        partners = (self.account | self.candidate).with_env(self.env)
        with self.assertRefused(UserError, "one at a time"):
            partners.action_archive()
        self.assertTrue(all(partners.mapped("active")))

    @users("kam_sales")
    def test_other_partners_archive_as_usual(self):
        candidate = self.candidate.with_env(self.env)
        self.assertFalse(candidate.action_archive())
        self.assertFalse(candidate.active)
        candidate.action_unarchive()
        self.assertTrue(candidate.active)

    def test_superuser_archives_directly(self):
        self.account.action_archive()
        self.assertFalse(self.account.active)

    def test_kam_user_cannot_archive_through_the_wizard(self):
        wizard = (
            self.env["kam.designation.wizard"]
            .with_user(self.user_kam)
            .with_context(
                default_partner_id=self.account.id,
                default_mode="demote",
                default_archive=True,
            )
            .create({"reason": "Mine to drop"})
        )
        with self.assertRefused(AccessError, "administrators"):
            wizard.action_confirm()
        self.assertTrue(self.account.active)
        self.assertTrue(self.account.is_key_account)

    def test_unlink_of_a_key_account_refused(self):
        for user in self.user_kam_manager | self.user_sales:
            with self.subTest(user=user.login):
                with self.assertRefused((UserError, AccessError)):
                    self._as(user).unlink()
                self.assertTrue(self.account.exists())


class TestFieldAllowList(TestRightsPartnerCommon):
    ENGINE_VALUES = {
        "kam_health_score": 99.0,
        "kam_health_band": "green",
        "kam_health_trend": 12.0,
        "kam_health_date": "2024-01-01",
        "kam_since": "2010-01-01",
        "kam_pulse_date": "2099-01-01",
        "kam_selection_score": 100.0,
    }

    def test_engine_figures_refused_to_every_user(self):
        before = self._snapshot()
        for user in self.kam_users | self.user_kam_other:
            for fname, value in self.ENGINE_VALUES.items():
                with self.subTest(user=user.login, field=fname):
                    with self.assertRefused(AccessError, "computed"):
                        self._as(user).write({fname: value})
                    self.assertEqual(self._snapshot(), before)

    def test_fields_outside_the_allow_list_refused(self):
        for fname in ("kam_plan_progress", "kam_team_member_count"):
            with self.subTest(field=fname):
                with self.assertRefused(AccessError, "computed"):
                    self._as(self.user_kam_manager).write({fname: 1})

    @users("kam_other")
    def test_outsider_cannot_rewrite_designation_date(self):
        with self.assertRefused(AccessError, "computed"):
            self.account.with_env(self.env).kam_since = "2001-01-01"
        self.assertEqual(str(self.account.kam_since), "2020-01-01")

    @users("kam_user")
    def test_promotion_cannot_carry_health(self):
        Partner = self.env["res.partner"]
        with self.assertRefused(AccessError, "computed"):
            Partner.create(
                {
                    "name": "Healthy Ltd",
                    "is_company": True,
                    "is_key_account": True,
                    "kam_health_score": 95,
                    "kam_health_band": "green",
                }
            )
        with self.assertRefused(AccessError, "computed"):
            self.candidate.with_env(self.env).write(
                {"is_key_account": True, "kam_health_band": "green"}
            )
        with self.assertRefused(AccessError, "computed"):
            Partner.create(
                {"name": "Old Ltd", "is_key_account": True, "kam_since": "2001-01-01"}
            )
        self.assertFalse(Partner.search([("name", "in", ["Healthy Ltd", "Old Ltd"])]))
        self.assertFalse(self.candidate.is_key_account)
        self.assertFalse(self.candidate.kam_health_band)

    @users("kam_user")
    def test_context_defaults_cannot_carry_what_values_cannot(self):
        Partner = self.env["res.partner"].with_context(
            default_kam_health_score=95, default_kam_health_band="green"
        )
        with self.assertRefused(AccessError, "computed"):
            Partner.create({"name": "Healthy Ltd", "is_key_account": True})
        with self.assertRefused(AccessError, "Only Key Account Management users"):
            self.env["res.partner"].with_user(self.user_sales).with_context(
                default_is_key_account=True
            ).create({"name": "Sneaky Ltd", "is_company": True})
        self.assertFalse(
            self.env["res.partner"].search(
                [("name", "in", ["Healthy Ltd", "Sneaky Ltd"])]
            )
        )

    @users("kam_user")
    def test_kam_user_promotes_with_the_designation_fields(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Promoted Ltd",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": self.user_kam.id,
                "kam_strategy": "maintain",
                "kam_relationship_stage": "partner",
                "kam_pulse": 4,
            }
        )
        self.assertTrue(partner.is_key_account)
        self.assertTrue(partner.kam_since)
        # a form's empty values are no data: a plain partner is created as usual
        plain = self.env["res.partner"].create(
            {
                "name": "Plain Ltd",
                "is_key_account": False,
                "kam_strategy": False,
                "kam_pulse": 0,
                "kam_health_score": 0,
                "kam_team_member_ids": [],
            }
        )
        self.assertFalse(plain.is_key_account)

    def test_account_manager_given_by_administrators_only(self):
        for user in self.user_kam | self.user_team | self.user_kam_other:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError, "administrators"):
                    self._as(user).kam_user_id = user
                self.assertEqual(self.account.kam_user_id, self.user_kam)
        self._as(self.user_kam_manager).kam_user_id = self.user_team
        self.assertEqual(self.account.kam_user_id, self.user_team)

    def test_team_fields_by_the_kam_and_team(self):
        for user, strategy in (
            (self.user_kam, "maintain"),
            (self.user_team, "harvest"),
            (self.user_kam_manager, "expansive_investment"),
        ):
            self._as(user).write({"kam_strategy": strategy, "kam_pulse": 3})
            self.assertEqual(self.account.kam_strategy, strategy)
        before = self._snapshot()
        with self.assertRefused(AccessError, "Only the Key Account Manager"):
            self._as(self.user_kam_other).write({"kam_pulse_comment": "Lost cause"})
        for user in self.user_sales | self.user_portal | self.user_company_b:
            for vals in ({"kam_strategy": "harvest"}, {"kam_pulse": 1}):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRefused(AccessError):
                        self._as(user).write(vals)
        self.assertEqual(self._snapshot(), before)

    def test_team_records_through_the_account(self):
        self._as(self.user_kam).write(
            {
                "kam_team_member_ids": [
                    (0, 0, {"user_id": self.user_kam_other.id, "role": "support"})
                ]
            }
        )
        self.assertIn(self.user_kam_other, self.account.kam_team_member_ids.user_id)
        self.account.kam_team_member_ids.filtered(
            lambda m: m.user_id == self.user_kam_other
        ).unlink()
        with self.assertRefused(AccessError):
            self._as(self.user_kam_other).write(
                {
                    "kam_team_member_ids": [
                        (0, 0, {"user_id": self.user_kam_other.id, "role": "sales"})
                    ]
                }
            )
        self.assertNotIn(self.user_kam_other, self.account.kam_team_member_ids.user_id)

    @users("kam_sales")
    def test_salesman_has_no_key_account_data(self):
        Partner = self.env["res.partner"]
        with self.assertRefused(AccessError):
            Partner.create({"name": "Strategic Ltd", "kam_strategy": "harvest"})
        with self.assertRefused(AccessError):
            self.candidate.with_env(self.env).write({"is_key_account": True})
        self.assertTrue(Partner.create({"name": "Customer Ltd"}))


class TestBadInput(TestRightsPartnerCommon):
    @users("kam_user")
    def test_pulse_out_of_range(self):
        account = self.account.with_env(self.env)
        for pulse in (-1, 6):
            with self.subTest(pulse=pulse):
                with self.assertRefused(ValidationError, "between 1 and 5"):
                    account.kam_pulse = pulse
                self.assertEqual(account.kam_pulse, 0)
        account.kam_pulse = 5
        self.assertEqual(account.kam_pulse, 5)

    @users("kam_user")
    def test_unknown_strategy(self):
        account = self.account.with_env(self.env)
        with self.assertRefused(ValidationError, "not a valid value of Strategy"):
            account.kam_strategy = "conquer"
        self.assertEqual(account.kam_strategy, "selective_investment")

    @users("kam_user", "kam_manager")
    def test_values_of_the_wrong_type(self):
        """A message, not a traceback, for key account values of the wrong type
        or out of range (over JSON-RPC); the partner's own fields are Odoo's."""
        account = self.account.with_env(self.env)
        for vals in (
            {"kam_relationship_stage": [1]},
            {"kam_strategy": 10**12},
            {"kam_pulse": "abc"},
            {"kam_pulse": float("inf")},
            {"kam_user_id": 3.5},
            {"kam_plan_ids": "abc"},
            {"kam_stakeholder_ids": [[6, 0, ["x"]]]},
            {"kam_escalation_ids": [[0, 0, "x"]]},
            {"kam_team_member_ids": 10**12},
        ):
            with self.subTest(vals=vals):
                with self.assertRefused(ValidationError, "is not a valid value of"):
                    account.write(vals)
        with self.assertRefused(ValidationError, "is not a valid value of"):
            account.create({"name": "Typo Ltd", "kam_strategy": "zzz"})
        self.assertEqual(account.kam_user_id, self.user_kam)
        self.assertEqual(account.kam_relationship_stage, "preferred_supplier")

    @users("kam_user")
    def test_overdue_stakeholders_searched_with_a_date(self):
        Partner = self.env["res.partner"]
        with self.assertRaisesRegex(UserError, "Unsupported search"):
            Partner.search([("kam_overdue_stakeholder_count", ">", "0001-01-01")])
        self.assertIn(
            self.account, Partner.search([("kam_overdue_stakeholder_count", "=", 0)])
        )

    @users("kam_user")
    def test_cap_exactly_reached_then_one_more(self):
        count = self.env["res.partner"]._kam_count_key_accounts(self.company)
        self.company.sudo().kam_max_key_accounts = count + 1
        Wizard = self.env["kam.designation.wizard"]
        Wizard.with_context(
            default_partner_id=self.candidate.id, default_mode="promote"
        ).create({"kam_strategy": "maintain"}).action_confirm()
        self.assertTrue(self.candidate.with_env(self.env).is_key_account)
        other = self.env["res.partner"].create({"name": "Next Ltd", "is_company": True})
        wizard = Wizard.with_context(
            default_partner_id=other.id, default_mode="promote"
        ).create({"kam_strategy": "maintain"})
        with self.assertRefused(ValidationError, "limited to"):
            wizard.action_confirm()
        self.assertFalse(other.is_key_account)
        with self.assertRefused(ValidationError, "limited to"):
            self.env["res.partner"].create(
                {"name": "Past The Cap", "is_company": True, "is_key_account": True}
            )

    def test_account_manager_must_be_internal_of_the_company(self):
        manager_account = self._as(self.user_kam_manager)
        with self.assertRefused(ValidationError, "not an internal user"):
            manager_account.kam_user_id = self.user_portal
        with self.assertRefused(ValidationError, "does not work in"):
            manager_account.kam_user_id = self.user_company_b
        self.assertEqual(self.account.kam_user_id, self.user_kam)
        # a shared partner (no company) may have any internal user
        self.candidate.write(
            {"is_key_account": True, "kam_user_id": self.user_company_b.id}
        )
        self.assertEqual(self.candidate.kam_user_id, self.user_company_b)

    def test_team_members_must_be_internal_of_the_company(self):
        Member = self.env["kam.team.member"].with_user(self.user_kam)
        for user, message in (
            (self.user_portal, "not an internal user"),
            (self.user_company_b, "does not work in"),
        ):
            with self.subTest(user=user.login):
                with self.assertRefused(ValidationError, message):
                    Member.create({"partner_id": self.account.id, "user_id": user.id})
        self.assertEqual(self.account.kam_team_member_ids.user_id, self.user_team)

    def test_account_cannot_move_away_from_its_kam(self):
        # a partner of its own: the candidate may have portal users of company A
        shared = self.env["res.partner"].create(
            {
                "name": "Shared Key Ltd",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": self.user_kam.id,
            }
        )
        with self.assertRefused(ValidationError, "does not work in"):
            shared.company_id = self.company_b
        self.assertFalse(shared.company_id)


class TestActions(TestRightsPartnerCommon):
    def test_compute_health_on_the_accounts_one_works_on(self):
        for user in self.kam_users:
            with self.subTest(user=user.login):
                action = self._as(user).action_kam_compute_health()
                self.assertEqual(action["tag"], "display_notification")
        self.account.sudo().kam_health_date = False
        for user in self.attackers:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    self._as(user).action_kam_compute_health()
                self.assertFalse(self.account.kam_health_date)

    def test_compute_health_on_unreadable_ids(self):
        with self.assertRefused(AccessError):
            self._as(
                self.user_kam_manager, self.account | self.account_b
            ).action_kam_compute_health()
        with self.assertRefused(AccessError):
            self._as(self.user_company_b).action_kam_compute_health()
        self.assertFalse(self.account.kam_health_date)

    def test_designation_actions_check_the_rights(self):
        action = self._as(self.user_kam_other, self.candidate).action_kam_promote()
        self.assertEqual(action["context"]["default_mode"], "promote")
        for user in self.user_sales | self.user_portal:
            with self.subTest(user=user.login), self.assertRefused(AccessError):
                self._as(user, self.candidate).action_kam_promote()
        for user in self.user_kam | self.user_team | self.attackers:
            with self.subTest(user=user.login), self.assertRefused(AccessError):
                self._as(user).action_kam_demote()
        action = self._as(self.user_kam_manager).action_kam_demote()
        self.assertEqual(action["context"]["default_mode"], "demote")

    def test_view_actions_return_the_account_domain(self):
        for method in (
            "action_kam_view_team",
            "action_kam_view_plans",
            "action_kam_view_stakeholders",
        ):
            with self.subTest(method=method):
                action = getattr(self._as(self.user_kam), method)()
                self.assertEqual(
                    action["domain"], [("partner_id", "=", self.account.id)]
                )


class TestWizardRights(TestRightsPartnerCommon):
    def _wizard(self, user, partner, mode, **values):
        return (
            self.env["kam.designation.wizard"]
            .with_user(user)
            .with_context(default_partner_id=partner.id, default_mode=mode)
            .create(values)
        )

    def test_kam_user_cannot_demote_with_default_mode(self):
        for user in self.user_kam | self.user_team | self.user_kam_other:
            with self.subTest(user=user.login):
                wizard = self._wizard(user, self.account, "demote", reason="Mine")
                with self.assertRefused(AccessError, "administrators"):
                    wizard.action_confirm()
                self.assertTrue(self.account.is_key_account)

    def test_mode_switched_after_opening(self):
        wizard = self._wizard(
            self.user_kam, self.candidate, "promote", kam_strategy="maintain"
        )
        wizard.write(
            {"mode": "demote", "reason": "Switch", "partner_id": self.account.id}
        )
        with self.assertRefused(AccessError, "administrators"):
            wizard.action_confirm()
        self.assertTrue(self.account.is_key_account)

    def test_other_company_gets_no_name_nor_data(self):
        # no wizard on a partner one may not read: its name would come back
        # through the wizard's partner (many2one names are read as superuser)
        for mode, values in (
            ("promote", {"kam_strategy": "maintain"}),
            ("demote", {"reason": "Not yours"}),
        ):
            with self.subTest(mode=mode):
                with self.assertRaises(AccessError) as refusal:
                    with self.env.cr.savepoint():
                        self._wizard(self.user_company_b, self.account, mode, **values)
                self.assertNotIn(self.account.name, str(refusal.exception))
        self.assertTrue(self.account.is_key_account)
        wizard = self._wizard(
            self.user_kam, self.candidate, "promote", kam_strategy="maintain"
        )
        with self.assertRefused(AccessError):
            wizard.with_user(self.user_company_b).write({"partner_id": self.account.id})

    def test_duplicate_promotion_answers_after_the_rights(self):
        wizard = self._wizard(
            self.user_kam_other, self.account, "promote", kam_strategy="maintain"
        )
        with self.assertRefused(UserError, "already a key account"):
            wizard.action_confirm()
        wizard = self._wizard(
            self.user_kam_manager, self.candidate, "demote", reason="x"
        )
        with self.assertRefused(UserError, "is not a key account"):
            wizard.action_confirm()

    def test_promote_requires_strategy(self):
        wizard = self._wizard(self.user_kam, self.candidate, "promote")
        with self.assertRefused(UserError, "strategy"):
            wizard.action_confirm()
        self.assertFalse(self.candidate.is_key_account)


class TestMultiCompany(TestRightsPartnerCommon):
    def test_company_b_cannot_read_nor_change_account(self):
        account = self._as(self.user_company_b)
        with self.assertRefused(AccessError):
            account.read(["kam_strategy"])
        with self.assertRefused(AccessError):
            account.write({"kam_strategy": "harvest"})
        with self.assertRefused(AccessError):
            account.write({"is_key_account": False})
        self.assertEqual(self.account.kam_strategy, "selective_investment")

    def test_company_a_cannot_read_nor_change_account_b(self):
        for user in self.user_kam | self.user_kam_manager:
            account_b = self._as(user, self.account_b)
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    account_b.read(["kam_strategy"])
                with self.assertRefused(AccessError):
                    account_b.write({"kam_pulse": 2})
                with self.assertRefused(AccessError):
                    account_b.action_kam_compute_health()
        self.assertEqual(self.account_b.kam_pulse, 0)

    def test_company_b_works_its_own_account(self):
        account_b = self._as(self.user_company_b, self.account_b)
        account_b.write({"kam_strategy": "harvest", "kam_pulse": 4})
        self.assertEqual(self.account_b.kam_strategy, "harvest")
