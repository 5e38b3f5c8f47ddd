from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged, users
from odoo.tests.common import JsonRpcException

from .common import KamRightsCommon


class KamAccountRightsCommon(KamRightsCommon):
    """The key account of company A (``account``, KAM ``user_kam``) with an open
    plan, escalation and stakeholder of its KAM, and a shared partner (no
    company) to promote (issue 20: takeover, cap, identity, searches)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.company_id = cls.company
        cls.plan = cls.env["kam.account.plan"].create(
            {
                "name": "Acme Secret Plan",
                "partner_id": cls.account.id,
                "date_start": date(2025, 1, 1),
                "date_end": date(2025, 12, 31),
            }
        )
        cls.escalation = cls.env["kam.escalation"].create(
            {"partner_id": cls.account.id, "reason": "critical_issue"}
        )
        cls.stakeholder = cls.env["kam.stakeholder"].create(
            {"partner_id": cls.account.id, "contact_id": cls.account_contact.id}
        )
        cls.shared = cls.env["res.partner"].create(
            {"name": "Global Shared Corp", "is_company": True}
        )
        cls.lead_sales = cls.env["crm.lead"].create(
            {
                "name": "Sam's own deal",
                "type": "opportunity",
                "partner_id": cls.account.id,
                "user_id": cls.user_sales.id,
                "kam_plan_id": cls.plan.id,
                "kam_growth_type": "upsell",
            }
        )

    def _as(self, user, record=None):
        record = record or self.account
        return self.env[record._name].with_user(user).browse(record.ids)

    def _owners(self):
        """Who holds the account and its open records, read as superuser."""
        self.env.invalidate_all()
        return {
            "kam": self.account.kam_user_id,
            "plan": self.plan.user_id,
            "escalation": self.escalation.user_id,
            "stakeholder": self.stakeholder.owner_id,
            "key": self.account.is_key_account,
        }

    def _demote(self):
        self.account.write({"is_key_account": False})


@tagged("post_install", "-at_install")
class TestTakeoverAfterDemotion(KamAccountRightsCommon):
    def test_no_kam_user_takes_a_demoted_account(self):
        self._demote()
        before = self._owners()
        self.assertEqual(before["plan"], self.user_kam)
        for user in self.user_kam_other | self.user_team:
            for vals in (
                {"kam_user_id": user.id},
                {"kam_user_id": False},
                {"is_key_account": True, "kam_user_id": user.id},
            ):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRefused(AccessError, "administrators"):
                        self._as(user).write(vals)
                    self.assertEqual(self._owners(), before)
        for user in self.user_sales | self.user_portal | self.user_company_b:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    self._as(user).write({"kam_user_id": user.id})
                self.assertEqual(self._owners(), before)

    def test_no_takeover_through_the_promotion_wizard(self):
        self._demote()
        before = self._owners()
        wizard = (
            self.env["kam.designation.wizard"]
            .with_user(self.user_kam_other)
            .with_context(default_partner_id=self.account.id, default_mode="promote")
            .create({"kam_strategy": "maintain", "kam_user_id": self.user_kam_other.id})
        )
        with self.assertRefused(AccessError, "administrators"):
            wizard.action_confirm()
        self.assertEqual(self._owners(), before)

    def test_the_wizard_proposes_the_former_kam(self):
        self._demote()
        wizard = (
            self.env["kam.designation.wizard"]
            .with_user(self.user_team)
            .with_context(default_partner_id=self.account.id, default_mode="promote")
            .create({"kam_strategy": "maintain"})
        )
        self.assertEqual(wizard.kam_user_id, self.user_kam)
        wizard.action_confirm()
        self.assertEqual(self._owners()["kam"], self.user_kam)
        self.assertTrue(self.account.is_key_account)

    def test_former_kam_promotes_it_again(self):
        self._demote()
        self._as(self.user_kam).write(
            {"is_key_account": True, "kam_user_id": self.user_kam.id}
        )
        self.assertEqual(
            self._owners(),
            {
                "kam": self.user_kam,
                "plan": self.user_kam,
                "escalation": self.user_kam,
                "stakeholder": self.user_kam,
                "key": True,
            },
        )

    def test_a_candidate_gets_its_kam_at_promotion_only(self):
        candidate = self._as(self.user_kam_other, self.candidate)
        with self.assertRefused(AccessError, "administrators"):
            candidate.kam_user_id = self.user_kam_other
        candidate.write({"is_key_account": True, "kam_user_id": self.user_kam.id})
        self.assertEqual(self.candidate.kam_user_id, self.user_kam)

    def test_manager_hands_a_demoted_account_over(self):
        self._demote()
        self._as(self.user_kam_manager).kam_user_id = self.user_kam_other
        owners = self._owners()
        self.assertEqual(owners["plan"], self.user_kam_other)
        self.assertEqual(owners["stakeholder"], self.user_kam_other)

    def test_handover_moves_only_what_the_caller_manages(self):
        """The handover runs as superuser: the records it moves are those the
        user who changed the KAM could change before the change."""
        outsider = self._as(self.user_kam_other)._kam_handover_manageable()
        self.assertFalse(any(outsider.values()))
        team = self._as(self.user_team)._kam_handover_manageable()
        self.assertIn(self.plan.id, team["kam.account.plan"])
        # as if the outsider had named himself: nothing of the KAM's moves
        self.account.sudo().with_context(tracking_disable=True).write(
            {"kam_user_id": self.user_kam_other.id}
        )
        self.plan.user_id = self.user_kam
        self.escalation.user_id = self.user_kam
        self.stakeholder.owner_id = self.user_kam
        self.account.sudo()._kam_handover(
            {self.account.id: self.user_kam}, manageable=outsider
        )
        owners = self._owners()
        self.assertEqual(owners["plan"], self.user_kam)
        self.assertEqual(owners["escalation"], self.user_kam)
        self.assertEqual(owners["stakeholder"], self.user_kam)


@tagged("post_install", "-at_install")
class TestCapOfSharedAccounts(KamAccountRightsCommon):
    """A shared partner (no company) counts against the cap of the companies of
    its Key Account Manager (every company while it has none)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # company B's cap is full
        cls.company_b.kam_max_key_accounts = Partner._kam_count_key_accounts(
            cls.company_b
        )
        cls.user_both = new_test_user(
            cls.env,
            login="kam_both",
            name="Bo Both",
            groups="sales_team.group_sale_salesman,kam_management.group_kam_user",
            company_ids=[(6, 0, (cls.company | cls.company_b).ids)],
        )

    def _count_b(self):
        return self.env["res.partner"]._kam_count_key_accounts(self.company_b)

    def test_promotion_by_company_a_leaves_company_b_alone(self):
        count_b = self._count_b()
        self._as(self.user_kam, self.shared).write(
            {"is_key_account": True, "kam_user_id": self.user_kam.id}
        )
        self.assertTrue(self.shared.is_key_account)
        self.assertEqual(self._count_b(), count_b)
        self.assertLessEqual(count_b, self.company_b.kam_max_key_accounts)

    def test_shared_account_past_another_company_cap_refused(self):
        shared = self._as(self.user_kam, self.shared)
        # a KAM who works in company B too: the account is run from B as well
        with self.assertRefused(ValidationError, "another company past its limit"):
            shared.write({"is_key_account": True, "kam_user_id": self.user_both.id})
        # without a KAM, every company may take it
        with self.assertRefused(ValidationError, "another company past its limit"):
            shared.write({"is_key_account": True})
        self.assertFalse(self.shared.is_key_account)
        # a user of company B reads its own company's figures
        with self.assertRefused(ValidationError, "KAM Europe is limited to"):
            self._as(self.user_both, self.shared).write(
                {"is_key_account": True, "kam_user_id": self.user_both.id}
            )
        self.assertFalse(self.shared.is_key_account)

    def test_handover_into_a_full_company_refused(self):
        self.shared.write({"is_key_account": True, "kam_user_id": self.user_kam.id})
        with self.assertRefused(ValidationError, "limited to|past its limit"):
            self._as(self.user_kam_manager, self.shared).kam_user_id = self.user_both
        self.assertEqual(self.shared.kam_user_id, self.user_kam)

    def test_last_slot_then_one_more(self):
        Partner = self.env["res.partner"]
        self.company.kam_max_key_accounts = (
            Partner._kam_count_key_accounts(self.company) + 1
        )
        self._as(self.user_kam, self.shared).write(
            {"is_key_account": True, "kam_user_id": self.user_kam.id}
        )
        self.assertTrue(self.shared.is_key_account)
        self.assertEqual(
            Partner._kam_count_key_accounts(self.company),
            self.company.kam_max_key_accounts,
        )
        other = Partner.create({"name": "One Too Many", "is_company": True})
        with self.assertRefused(ValidationError, "limited to"):
            self._as(self.user_kam, other).write(
                {"is_key_account": True, "kam_user_id": self.user_kam.id}
            )
        self.assertFalse(other.is_key_account)

    def test_archived_kam_still_counts(self):
        self.company_b.kam_max_key_accounts = 0
        self.shared.write({"is_key_account": True, "kam_user_id": self.user_both.id})
        count_b = self._count_b()
        self.user_both.active = False
        self.assertEqual(self._count_b(), count_b)


@tagged("post_install", "-at_install")
class TestSharedAccountAcrossCompanies(KamAccountRightsCommon):
    """A shared key account (no company) is run from the companies of its KAM:
    the other companies see the partner, not its KAM data."""

    FIELDS = [
        "kam_strategy",
        "kam_user_id",
        "kam_pulse",
        "kam_health_score",
        "kam_team_member_ids",
        "kam_plan_ids",
        "kam_current_plan_id",
    ]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account.write({"company_id": False, "kam_pulse": 4})

    def test_other_company_reads_it_empty(self):
        Partner = self.env["res.partner"].with_user(self.user_company_b)
        answers = [
            Partner.browse(self.account.ids).read(self.FIELDS)[0],
            Partner.search_read([("id", "=", self.account.id)], self.FIELDS)[0],
            Partner.browse(self.account.ids).web_read(
                {
                    "kam_plan_ids": {"fields": {"display_name": {}}},
                    "kam_current_plan_id": {"fields": {"display_name": {}}},
                    "kam_strategy": {},
                }
            )[0],
        ]
        for answer in answers:
            self.assertNotIn("Acme Secret Plan", str(answer))
            self.assertFalse(answer.get("kam_strategy"))
            self.assertFalse(answer.get("kam_plan_ids"))
        self.assertFalse(answers[0]["kam_user_id"])
        self.assertEqual(answers[0]["kam_pulse"], 0)
        self.assertFalse(
            self.env["kam.team.member"]
            .with_user(self.user_company_b)
            .search([("partner_id", "=", self.account.id)])
        )

    def test_its_own_companies_read_it(self):
        for user in self.user_kam | self.user_team | self.user_kam_manager:
            with self.subTest(user=user.login):
                answer = self._as(user).read(["kam_strategy", "kam_pulse"])[0]
                self.assertEqual(answer["kam_strategy"], "selective_investment")
                self.assertEqual(answer["kam_pulse"], 4)


@tagged("post_install", "-at_install")
class TestKeyAccountIdentity(KamAccountRightsCommon):
    IDENTITY_CHANGES = (
        {"company_id": False},
        {"is_company": False},
        {"company_type": "person"},
    )

    def _identity(self):
        self.env.invalidate_all()
        return self.account.read(["company_id", "is_company", "parent_id"])

    def test_salesman_and_outsiders_refused(self):
        before = self._identity()
        for user in self.user_sales | self.user_kam_other | self.user_team:
            for vals in (*self.IDENTITY_CHANGES, {"parent_id": self.candidate.id}):
                with self.subTest(user=user.login, vals=vals):
                    with self.assertRefused(AccessError, "is a key account"):
                        self._as(user).write(vals)
                    self.assertEqual(self._identity(), before)
        for user in self.user_portal | self.user_company_b:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    self._as(user).write({"company_id": False})
                self.assertEqual(self._identity(), before)

    def test_salesman_keeps_editing_the_rest(self):
        account = self._as(self.user_sales)
        account.write({"phone": "+1 555 0100", "company_id": self.company.id})
        self.assertEqual(self.account.phone, "+1 555 0100")
        candidate = self._as(self.user_sales, self.candidate)
        candidate.write({"is_company": False})
        self.assertFalse(self.candidate.is_company)

    def test_kam_and_manager_may(self):
        for user in self.user_kam | self.user_kam_manager:
            with self.subTest(user=user.login):
                self._as(user).write({"company_id": False})
                self.assertFalse(self.account.company_id)
                self.account.company_id = self.company

    def test_a_key_account_does_not_become_a_contact(self):
        # a company under a parent company stays its own commercial entity
        with self.assertRefused(ValidationError, "only the company itself"):
            self._as(self.user_kam).write(
                {"is_company": False, "parent_id": self.candidate.id}
            )
        self.assertFalse(self.account.parent_id)
        self.assertTrue(self.account.is_company)


@tagged("post_install", "-at_install")
class TestRestrictedFieldsSearched(KamAccountRightsCommon):
    def _restricted_searchable(self, model):
        """The fields of the addons on ``model`` restricted by groups and
        searched by a method (Odoo checks the groups of the stored ones)."""
        return [
            name
            for name, field in self.env[model]._fields.items()
            if field.groups
            and not field.store
            and field.search
            and any(module.startswith("kam_management") for module in field._modules)
        ]

    def _domain(self, model, fname):
        ftype = self.env[model]._fields[fname].type
        return (
            [(fname, ">", 0)] if ftype in ("integer", "float") else [(fname, "=", True)]
        )

    def test_every_restricted_partner_field_refuses_search(self):
        fnames = self._restricted_searchable("res.partner")
        self.assertIn("kam_has_decision_maker", fnames)
        self.assertIn("kam_overdue_stakeholder_count", fnames)
        for user in self.user_sales | self.user_portal:
            for fname in fnames:
                with self.subTest(user=user.login, field=fname):
                    domain = self._domain("res.partner", fname)
                    with self.assertRefused(AccessError):
                        self.env["res.partner"].with_user(user).search(domain)
                    with self.assertRefused(AccessError):
                        self.env["res.partner"].with_user(user).search_count(
                            [("child_ids", "any", domain)]
                        )

    def test_other_models_reaching_them_refuse(self):
        for user in self.user_sales | self.user_portal:
            with self.subTest(user=user.login):
                with self.assertRefused(AccessError):
                    self.env["res.users"].with_user(user).search(
                        [("kam_single_threaded", "=", True)]
                    )
        with self.assertRefused(AccessError):
            self.env["crm.lead"].with_user(self.user_sales).search(
                [("partner_id.kam_has_decision_maker", "=", False)]
            )

    def test_stored_ones_refused_by_odoo(self):
        Partner = self.env["res.partner"].with_user(self.user_sales)
        with self.assertRefused(AccessError):
            Partner.search([("kam_strategy", "=", "selective_investment")])
        with self.assertRefused(AccessError):
            Partner.search([], order="kam_health_score desc")
        with self.assertRefused(AccessError):
            Partner.read_group([], ["__count"], ["kam_strategy"])

    @users("kam_user")
    def test_kam_users_search_them(self):
        Partner = self.env["res.partner"]
        for fname in self._restricted_searchable("res.partner"):
            with self.subTest(field=fname):
                Partner.search(self._domain("res.partner", fname))
        self.assertIn(
            self.account, Partner.search([("kam_has_decision_maker", "=", False)])
        )


@tagged("post_install", "-at_install")
class TestPlanDataOnLeads(KamAccountRightsCommon):
    def test_salesman_neither_reads_nor_writes_plan_data(self):
        lead = self._as(self.user_sales, self.lead_sales)
        for fname in ("kam_plan_id", "kam_growth_type"):
            with self.subTest(field=fname):
                with self.assertRefused(AccessError):
                    lead.read([fname])
                with self.assertRefused(AccessError):
                    lead.search([(fname, "!=", False)])
        self.assertNotIn("kam_plan_id", lead.fields_get())
        for vals in ({"kam_growth_type": "renewal"}, {"kam_plan_id": False}):
            with self.assertRefused(AccessError):
                lead.write(vals)
        self.assertEqual(self.lead_sales.kam_plan_id, self.plan)
        self.assertEqual(self.lead_sales.kam_growth_type, "upsell")
        # the rest of the lead stays his
        lead.write({"name": "Sam's bigger deal", "partner_id": self.account.id})
        self.assertEqual(self.lead_sales.name, "Sam's bigger deal")

    def test_kam_reads_the_plan_data(self):
        lead = self._as(self.user_kam, self.lead_sales)
        self.assertEqual(lead.read(["kam_plan_id"])[0]["kam_plan_id"][0], self.plan.id)


@tagged("post_install", "-at_install")
class TestKamNotesOnTheAccount(KamAccountRightsCommon):
    """The KAM notes of a key account (the handover, the demotion's reason,
    the KAM's own notes) are for the programme: not shown to the employees
    outside it, nor to the KAM users of another company on a shared account."""

    def _notes(self, user, partner=None):
        partner = partner or self.account
        return (
            self.env["mail.message"]
            .with_user(user)
            .search([("model", "=", "res.partner"), ("res_id", "=", partner.id)])
            .mapped("body")
        )

    def test_kam_notes_hidden_outside_the_programme(self):
        self.account.with_user(self.user_kam).message_post(
            body="KAM-SECRET pricing war", subtype_xmlid="mail.mt_note"
        )
        self.account.message_post(
            body="SYSTEM-SECRET demoted", subtype_xmlid="mail.mt_note"
        )
        self.account.with_user(self.user_sales).message_post(
            body="Sales note", subtype_xmlid="mail.mt_note"
        )
        for user in self.user_sales | self.user_portal:
            with self.subTest(user=user.login):
                notes = " ".join(str(body) for body in self._notes(user))
                self.assertNotIn("SECRET", notes)
        self.assertIn("Sales note", str(self._notes(self.user_sales)))
        self.account.with_user(self.user_kam).message_post(
            body="Sam, call them",
            partner_ids=self.user_sales.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        self.assertIn("Sam, call them", str(self._notes(self.user_sales)))
        for user in self.user_kam | self.user_team | self.user_kam_manager:
            with self.subTest(user=user.login):
                notes = str(self._notes(user))
                self.assertIn("KAM-SECRET", notes)
                self.assertIn("SYSTEM-SECRET", notes)
                self.assertIn("Sales note", notes)

    def test_handover_note_for_the_programme(self):
        self._as(self.user_kam_manager).kam_user_id = self.user_team
        self.assertIn("Key Account Manager changed", str(self._notes(self.user_kam)))
        self.assertNotIn(
            "Key Account Manager changed", str(self._notes(self.user_sales))
        )

    def test_tracking_stays_everyones_history(self):
        """A change of the account's email, tracked by the system, is not a KAM
        note: a salesman reads it (mail hides the KAM fields' values)."""
        self.account.message_post(
            body="",
            tracking_value_ids=[
                (
                    0,
                    0,
                    {
                        "field_id": self.env["ir.model.fields"]
                        ._get("res.partner", "email")
                        .id,
                        "old_value_char": "old@acme.test",
                        "new_value_char": "new@acme.test",
                    },
                )
            ],
            subtype_xmlid="mail.mt_note",
        )
        messages = (
            self.env["mail.message"]
            .with_user(self.user_sales)
            .search([("model", "=", "res.partner"), ("res_id", "=", self.account.id)])
        )
        self.assertIn(
            "new@acme.test",
            messages.sudo().tracking_value_ids.mapped("new_value_char"),
        )

    def test_other_partners_keep_their_chatter(self):
        self.candidate.with_user(self.user_kam).message_post(
            body="Candidate note", subtype_xmlid="mail.mt_note"
        )
        self.assertIn(
            "Candidate note", str(self._notes(self.user_sales, self.candidate))
        )

    def test_shared_account_notes_stay_in_its_companies(self):
        self.account.company_id = False
        self.account.with_user(self.user_kam).message_post(
            body="KAM-SECRET shared", subtype_xmlid="mail.mt_note"
        )
        self.assertNotIn("KAM-SECRET", str(self._notes(self.user_company_b)))
        self.assertIn("KAM-SECRET", str(self._notes(self.user_team)))


@tagged("post_install", "-at_install", "kam_http")
class TestAccountRightsHttp(HttpCase, KamAccountRightsCommon):
    """The attacks of issue 20 on the key account itself, replayed over
    JSON-RPC as the users would make them: refused, nothing changed (run with
    odoo-bin --test-tags=kam_http/kam_management)."""

    def _login(self, user):
        self.authenticate(user.login, user.login)

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def assertRpcRefused(self, model, method, args, kwargs=None):
        with self.assertRaises(JsonRpcException) as refusal:
            self._call(model, method, args, kwargs)
        self.assertIn(
            str(refusal.exception),
            ("odoo.exceptions.AccessError", "odoo.exceptions.ValidationError"),
        )

    def test_takeover_after_demotion(self):
        self._demote()
        before = self._owners()
        for user in self.user_kam_other | self.user_team | self.user_company_b:
            self._login(user)
            for vals in (
                {"kam_user_id": user.id},
                {"is_key_account": True, "kam_user_id": user.id},
            ):
                with self.subTest(user=user.login, vals=vals):
                    self.assertRpcRefused(
                        "res.partner", "write", [self.account.ids, vals]
                    )
                    self.assertEqual(self._owners(), before)

    def test_cap_of_another_company(self):
        self.company_b.kam_max_key_accounts = self.env[
            "res.partner"
        ]._kam_count_key_accounts(self.company_b)
        self._login(self.user_kam)
        self.assertRpcRefused(
            "res.partner", "write", [self.shared.ids, {"is_key_account": True}]
        )
        self.env.invalidate_all()
        self.assertFalse(self.shared.is_key_account)

    def test_identity_of_a_key_account(self):
        self._login(self.user_sales)
        for vals in ({"company_id": False}, {"is_company": False}):
            with self.subTest(vals=vals):
                self.assertRpcRefused("res.partner", "write", [self.account.ids, vals])
        self.env.invalidate_all()
        self.assertEqual(self.account.company_id, self.company)
        self.assertTrue(self.account.is_company)

    def test_restricted_fields_searched(self):
        for user in self.user_sales | self.user_portal:
            self._login(user)
            for fname in ("kam_has_decision_maker", "kam_single_threaded"):
                with self.subTest(user=user.login, field=fname):
                    self.assertRpcRefused(
                        "res.partner", "search_count", [[(fname, "=", True)]]
                    )
            self.assertRpcRefused(
                "res.partner",
                "search_count",
                [[("kam_overdue_stakeholder_count", ">", 0)]],
            )

    def test_plan_data_on_own_lead(self):
        self._login(self.user_sales)
        result = self._call(
            "crm.lead",
            "web_read",
            [self.lead_sales.ids],
            {"specification": {"name": {}}},
        )
        self.assertEqual(result[0]["name"], "Sam's own deal")
        self.assertRpcRefused(
            "crm.lead",
            "web_read",
            [self.lead_sales.ids],
            {"specification": {"kam_plan_id": {"fields": {"display_name": {}}}}},
        )
        self.assertRpcRefused(
            "crm.lead", "write", [self.lead_sales.ids, {"kam_plan_id": False}]
        )
        self.env.invalidate_all()
        self.assertEqual(self.lead_sales.kam_plan_id, self.plan)

    def test_kam_notes_in_the_chatter(self):
        self.account.with_user(self.user_kam).message_post(
            body="KAM-SECRET over http", subtype_xmlid="mail.mt_note"
        )
        params = {"thread_model": "res.partner", "thread_id": self.account.id}
        self._login(self.user_sales)
        answer = self.make_jsonrpc_request("/mail/thread/messages", params)
        self.assertNotIn("KAM-SECRET", str(answer))
        self._login(self.user_team)
        answer = self.make_jsonrpc_request("/mail/thread/messages", params)
        self.assertIn("KAM-SECRET", str(answer))

    def test_no_name_through_a_wizard(self):
        self._login(self.user_company_b)
        self.assertRpcRefused(
            "kam.designation.wizard",
            "create",
            [{"partner_id": self.account.id, "mode": "promote"}],
        )
        self.assertRpcRefused(
            "kam.reassign.wizard",
            "create",
            [{"partner_ids": [(6, 0, self.account.ids)], "user_id": self.uid}],
        )
