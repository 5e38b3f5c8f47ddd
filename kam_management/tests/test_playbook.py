from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools.safe_eval import safe_eval

from ..models.mail_activity_plan import KAM_TRIGGER_MODELS, KAM_TRIGGERS
from .common import KamCommon

TODO = "mail.mail_activity_data_todo"
CALL = "mail.mail_activity_data_call"
ESCALATION_ACTIVITY = "kam_management.mail_activity_type_kam_escalation"
# The most queries launching a playbook of 3 steps may add to a write of the
# strategy of 500 accounts (measured: 64): about 20 whatever the number of
# accounts, and the ORM's inserts by 100 rows (1,500 steps inserted then their
# stored computes updated, 1,000 followers, 500 notes).
BULK_EXTRA_QUERIES = 80


@tagged("post_install", "-at_install")
class TestPlaybook(KamCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        kam_groups = "sales_team.group_sale_salesman,kam_management.group_kam_user"
        cls.user_support = new_test_user(
            cls.env, login="kam_support", name="Sue Support", groups=kam_groups
        )
        cls.env["kam.team.member"].create(
            {
                "partner_id": cls.account.id,
                "user_id": cls.user_support.id,
                "role": "support",
            }
        )
        # the current user's company: KamCommon's accounts have none
        cls.company_b = cls.env["res.company"].create(
            {"name": "KAM Playbook B", "kam_max_key_accounts": 0}
        )
        # each test's playbooks: a step of the KAM's role, one of support (on
        # the team of the account) and one of the director (nobody: the KAM)
        cls.steps = [
            (TODO, "key_account_manager", 3, "days", "after_plan_date"),
            (CALL, "support", 2, "weeks", "after_plan_date"),
            (TODO, "director", 1, "months", "after_plan_date"),
        ]
        cls.Plan = cls.env["mail.activity.plan"]

    @classmethod
    def _playbook(cls, trigger, steps=None, **values):
        """A playbook of ``trigger`` with ``steps`` ([(activity type xmlid,
        role, delay, unit, from)]), of no company unless told."""
        return cls.Plan.create(
            {
                "name": f"Playbook {trigger}",
                "kam_trigger": trigger,
                "res_model": KAM_TRIGGER_MODELS[trigger],
                "company_id": False,
                "template_ids": [
                    fields.Command.create(
                        {
                            "activity_type_id": cls.env.ref(xmlid).id,
                            "summary": f"{trigger} step {index}",
                            "responsible_type": "kam_team",
                            "kam_team_role": role,
                            "delay_count": count,
                            "delay_unit": unit,
                            "delay_from": delay_from,
                            "sequence": index,
                        }
                    )
                    for index, (xmlid, role, count, unit, delay_from) in enumerate(
                        steps or cls.steps
                    )
                ],
                **values,
            }
        )

    def _steps(self, record, plan=None):
        """The playbook steps on ``record``: [(summary, user, deadline)]."""
        domain = [
            ("res_model", "=", record._name),
            ("res_id", "=", record.id),
            ("kam_playbook_id", "!=", False),
        ]
        if plan:
            domain.append(("kam_playbook_id", "=", plan.id))
        activities = self.env["mail.activity"].search(domain, order="id")
        return [(a.summary, a.user_id, a.date_deadline) for a in activities]

    def _today(self, user):
        return fields.Date.context_today(self.env["res.partner"].with_user(user))

    def _expected(self, trigger, base, kam=None):
        """The steps of the test playbook of ``trigger`` counted from ``base``:
        support's to its team member, the other roles to the KAM."""
        kam = kam or self.user_kam
        return [
            (f"{trigger} step 0", kam, base + relativedelta(days=3)),
            (f"{trigger} step 1", self.user_support, base + relativedelta(weeks=2)),
            (f"{trigger} step 2", kam, base + relativedelta(months=1)),
        ]

    # ------------------------------------------------------------
    # Triggers
    # ------------------------------------------------------------
    def test_designation_launches_onboarding_and_strategy(self):
        onboarding = self._playbook("designation")
        strategy = self._playbook("strategy_maintain", self.steps[:1])
        self.env["kam.team.member"].create(
            {
                "partner_id": self.candidate.id,
                "user_id": self.user_support.id,
                "role": "support",
            }
        )
        wizard = (
            self.env["kam.designation.wizard"]
            .with_user(self.user_kam)
            .create(
                {
                    "partner_id": self.candidate.id,
                    "kam_user_id": self.user_kam.id,
                    "kam_strategy": "maintain",
                }
            )
        )
        wizard.action_confirm()
        today = self._today(self.user_kam)
        self.assertEqual(
            self._steps(self.candidate, onboarding),
            self._expected("designation", today),
        )
        self.assertEqual(
            self._steps(self.candidate, strategy),
            [
                (
                    "strategy_maintain step 0",
                    self.user_kam,
                    today + relativedelta(days=3),
                )
            ],
        )
        note = self.candidate.message_ids.filtered(
            lambda m: "Playbook designation" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("designation step 1, assigned to Sue Support", note.body)
        # the strategy written again, or the account saved: nothing new
        self.candidate.with_user(self.user_kam).write(
            {"kam_strategy": "maintain", "comment": "Saved"}
        )
        self.assertEqual(len(self._steps(self.candidate)), 4)

    def test_created_key_account_gets_onboarding(self):
        onboarding = self._playbook("designation")
        partner = (
            self.env["res.partner"]
            .with_user(self.user_kam)
            .create(
                {
                    "name": "Born Key Ltd",
                    "is_company": True,
                    "is_key_account": True,
                    "kam_user_id": self.user_kam.id,
                }
            )
        )
        today = self._today(self.user_kam)
        steps = self._steps(partner, onboarding)
        self.assertEqual(len(steps), 3)
        # no team yet: every role is the KAM's
        self.assertEqual({user for _summary, user, _date in steps}, {self.user_kam})
        self.assertEqual(steps[0][2], today + relativedelta(days=3))
        # a company that is not a key account: no playbook
        plain = self.env["res.partner"].create(
            {"name": "Plain Ltd", "is_company": True}
        )
        self.assertFalse(self._steps(plain))

    def test_strategy_change_launches_its_playbook(self):
        harvest = self._playbook("strategy_harvest")
        self._playbook("strategy_maintain")
        self.account.with_user(self.user_kam).kam_strategy = "harvest"
        self.assertEqual(
            self._steps(self.account),
            self._expected("strategy_harvest", self._today(self.user_kam)),
        )
        self.assertEqual(
            self.env["mail.activity"]
            .search([("kam_playbook_id", "=", harvest.id)])
            .mapped("res_id"),
            [self.account.id] * 3,
        )
        # emptied, then a candidate given a strategy: no playbook
        self.account.with_user(self.user_kam).kam_strategy = False
        self.candidate.kam_strategy = "maintain"
        self.assertEqual(len(self._steps(self.account)), 3)
        self.assertFalse(self._steps(self.candidate))

    def test_escalation_opened_by_a_user(self):
        plan = self._playbook("escalation_churn_risk")
        self._playbook("escalation_low_health")
        escalation = (
            self.env["kam.escalation"]
            .with_user(self.user_kam)
            .create({"partner_id": self.account.id, "reason": "churn_risk"})
        )
        self.assertEqual(
            self._steps(escalation, plan),
            self._expected("escalation_churn_risk", self._today(self.user_kam)),
        )
        # the owner's own activity is still there
        first = escalation.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(ESCALATION_ACTIVITY)
        )
        self.assertEqual(first.user_id, self.user_kam)
        self.assertEqual(len(escalation.activity_ids), 4)

    def test_escalation_opened_by_the_rules(self):
        self._playbook("escalation_low_health")
        self.account.write(
            {
                "kam_health_score": 20,
                "kam_health_band": "red",
                "kam_health_date": fields.Date.today(),
            }
        )
        self.env["kam.escalation"]._cron_kam_escalations()
        escalation = self.env["kam.escalation"].search(
            [("partner_id", "=", self.account.id), ("reason", "=", "low_health")]
        )
        self.assertEqual(escalation.source, "rule")
        # launched by the scheduled action: the roles nobody has go to the KAM
        self.assertEqual(
            self._steps(escalation),
            self._expected(
                "escalation_low_health",
                fields.Date.context_today(escalation),
            ),
        )

    def test_escalation_closed_closes_its_steps(self):
        """Resolved: its steps are done, as its own activity; cancelled: they
        are dropped. The activities a user added stay."""
        self._playbook("escalation_other")
        self._playbook("escalation_critical_issue")
        Escalation = self.env["kam.escalation"].with_user(self.user_kam)
        resolved = Escalation.create({"partner_id": self.account.id})
        cancelled = Escalation.create(
            {"partner_id": self.account.id, "reason": "critical_issue"}
        )
        cancelled_steps = cancelled.activity_ids.filtered("kam_playbook_id")
        own = (resolved | cancelled).activity_schedule(TODO, summary="My own step")
        steps = resolved.activity_ids.filtered("kam_playbook_id")
        self.assertEqual(len(steps), 3)
        self.assertEqual(len(cancelled_steps), 3)
        resolved.write({"resolution": "<p>Solved</p>"})
        resolved.action_resolve()
        cancelled.action_cancel()
        self.assertEqual((resolved | cancelled).activity_ids, own)
        # done (their activity types keep no done activity): a message each
        self.assertFalse(steps.with_context(active_test=False).exists())
        self.assertEqual(len(resolved.message_ids.filtered("mail_activity_type_id")), 4)
        self.assertFalse(cancelled_steps.exists())
        self.assertFalse(cancelled.message_ids.filtered("mail_activity_type_id"))

    def test_escalation_reset_relaunches_its_playbook(self):
        """Cancelled then reset: the owner's activity and the playbook's steps
        are back, once (a reset of an open escalation adds none)."""
        plan = self._playbook("escalation_critical_issue")
        escalation = (
            self.env["kam.escalation"]
            .with_user(self.user_kam)
            .create({"partner_id": self.account.id, "reason": "critical_issue"})
        )
        escalation.action_cancel()
        self.assertFalse(escalation.activity_ids)
        escalation.action_reset_to_new()
        self.assertEqual(escalation.state, "new")
        today = self._today(self.user_kam)
        expected = self._expected("escalation_critical_issue", today)
        self.assertEqual(self._steps(escalation, plan), expected)
        first = escalation.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(ESCALATION_ACTIVITY)
        )
        self.assertEqual(first.user_id, self.user_kam)
        escalation.action_reset_to_new()
        escalation.action_start()
        self.assertEqual(self._steps(escalation, plan), expected)
        self.assertEqual(len(escalation.activity_ids), 4)

    def test_review_created_launches_agenda(self):
        steps = [
            (TODO, "key_account_manager", 2, "weeks", "before_plan_date"),
            (TODO, "support", 3, "days", "before_plan_date"),
        ]
        plan = self._playbook("review", steps)
        account_plan = self.env["kam.account.plan"].create(
            {
                "name": "Acme plan",
                "partner_id": self.account.id,
                "date_start": fields.Date.today(),
                "date_end": fields.Date.today() + relativedelta(years=1),
            }
        )
        Review = self.env["kam.account.review"].with_user(self.user_kam)
        today = self._today(self.user_kam)
        review = Review.create(
            {"plan_id": account_plan.id, "date": today + relativedelta(days=30)}
        )
        self.assertEqual(
            self._steps(review, plan),
            [
                ("review step 0", self.user_kam, review.date - relativedelta(weeks=2)),
                (
                    "review step 1",
                    self.user_support,
                    review.date - relativedelta(days=3),
                ),
            ],
        )
        # a review recorded after it was held: no agenda to prepare
        past = Review.create(
            {"plan_id": account_plan.id, "date": today - relativedelta(days=1)}
        )
        self.assertFalse(self._steps(past))

    # ------------------------------------------------------------
    # Which playbooks
    # ------------------------------------------------------------
    def test_only_active_playbooks_of_the_company(self):
        own = self._playbook("strategy_harvest", company_id=self.company.id)
        self._playbook("strategy_harvest", company_id=self.company_b.id)
        self._playbook("strategy_harvest").active = False
        self.account.with_user(self.user_kam).kam_strategy = "harvest"
        self.assertEqual(
            self.env["mail.activity"]
            .search(
                [("res_id", "=", self.account.id), ("kam_playbook_id", "!=", False)]
            )
            .kam_playbook_id,
            own,
        )
        # an account of the other company gets that company's only
        account_b = self.env["res.partner"].create(
            {
                "name": "B Key Corp",
                "is_company": True,
                "company_id": self.company_b.id,
                "is_key_account": True,
            }
        )
        account_b.kam_strategy = "harvest"
        self.assertEqual(
            self.env["mail.activity"]
            .search([("res_id", "=", account_b.id), ("kam_playbook_id", "!=", False)])
            .kam_playbook_id.company_id,
            self.company_b,
        )

    def test_role_missing_and_no_kam(self):
        """A role nobody has goes to the KAM; without KAM, to the user who
        caused the event."""
        self._playbook("strategy_harvest", [self.steps[2]])
        self.account.with_user(self.user_kam).kam_strategy = "harvest"
        self.assertEqual(self._steps(self.account)[0][1], self.user_kam)
        # a director on the team now, archived: still the KAM
        director = new_test_user(
            self.env,
            login="kam_director",
            name="Dora Director",
            groups="sales_team.group_sale_salesman,kam_management.group_kam_user",
        )
        self.env["kam.team.member"].create(
            {"partner_id": self.account.id, "user_id": director.id, "role": "director"}
        )
        self._playbook("strategy_maintain", [self.steps[2]])
        self.account.with_user(self.user_kam).kam_strategy = "maintain"
        self.assertEqual(self._steps(self.account)[1][1], director)
        director.active = False
        self.account.with_user(self.user_kam).kam_strategy = "harvest"
        self.assertEqual(self._steps(self.account)[2][1], self.user_kam)
        orphan = self.env["res.partner"].create(
            {"name": "Orphan Key", "is_company": True, "is_key_account": True}
        )
        orphan.with_user(self.user_kam_manager).kam_strategy = "harvest"
        self.assertEqual(self._steps(orphan)[0][1], self.user_kam_manager)

    # ------------------------------------------------------------
    # Configuration
    # ------------------------------------------------------------
    def test_trigger_fits_the_model(self):
        with self.assertRaises(ValidationError):
            self.Plan.create(
                {
                    "name": "Wrong",
                    "kam_trigger": "escalation_other",
                    "res_model": "res.partner",
                }
            )
        plan = self.Plan.new({"name": "Form", "res_model": "res.partner"})
        plan.kam_trigger = "review"
        plan._onchange_kam_trigger()
        self.assertEqual(plan.res_model, "kam.account.review")

    def test_team_role_needs_a_role_and_an_account(self):
        plan = self._playbook("designation", self.steps[:1])
        with self.assertRaises(ValidationError):
            plan.template_ids.kam_team_role = False
        # moved to records without a key account with its steps
        with self.assertRaises(ValidationError):
            plan.write({"kam_trigger": False, "res_model": "crm.lead"})
        lead_plan = self.Plan.create({"name": "Leads", "res_model": "crm.lead"})
        with self.assertRaises(ValidationError):
            self.env["mail.activity.plan.template"].create(
                {
                    "plan_id": lead_plan.id,
                    "summary": "Call",
                    "responsible_type": "kam_team",
                    "kam_team_role": "sales",
                }
            )

    def test_kam_administrators_manage_playbooks_only(self):
        Plan = self.Plan.with_user(self.user_kam_manager)
        plan = Plan.create(
            {"name": "Mine", "kam_trigger": "designation", "res_model": "res.partner"}
        )
        plan.template_ids = [
            fields.Command.create(
                {
                    "summary": "Welcome",
                    "responsible_type": "kam_team",
                    "kam_team_role": "sales",
                }
            )
        ]
        with self.assertRaises(AccessError):
            Plan.create({"name": "Plans", "res_model": "kam.account.plan"})
        with self.assertRaises(AccessError):
            self.Plan.with_user(self.user_kam).create(
                {
                    "name": "KAM",
                    "kam_trigger": "designation",
                    "res_model": "res.partner",
                }
            )

    def test_sales_manager_cannot_make_a_playbook(self):
        """A sales manager manages the plans of leads: he cannot turn one into a
        playbook whose step goes to the user he chose at each designation, nor
        create one, nor move his step into one."""
        sales_manager = new_test_user(
            self.env,
            login="kam_sales_manager",
            name="Saul Manager",
            groups="sales_team.group_sale_manager",
        )
        Plan = self.Plan.with_user(sales_manager)
        plan = Plan.create(
            {
                "name": "Leads",
                "res_model": "crm.lead",
                "template_ids": [
                    fields.Command.create(
                        {
                            "summary": "Call me",
                            "responsible_type": "other",
                            "responsible_id": sales_manager.id,
                        }
                    )
                ],
            }
        )
        with self.assertRefused(AccessError, "Only a KAM administrator"):
            plan.write({"res_model": "res.partner", "kam_trigger": "designation"})
        with self.assertRefused(AccessError, "no longer be allowed"):
            plan.write({"res_model": "res.partner"})
        with self.assertRefused(AccessError, "Only a KAM administrator"):
            Plan.create(
                {
                    "name": "Mine",
                    "res_model": "res.partner",
                    "kam_trigger": "designation",
                }
            )
        # nor move his step into a playbook
        playbook = self._playbook("designation", self.steps[:1])
        with self.assertRefused(AccessError, "not allowed to manage"):
            plan.template_ids.write({"plan_id": playbook.id})
        self.assertEqual(plan.res_model, "crm.lead")
        self.assertFalse(plan.kam_trigger)
        self.assertEqual(plan.template_ids.summary, "Call me")
        self.candidate.write({"is_key_account": True, "kam_user_id": self.user_kam.id})
        self.assertEqual(
            [summary for summary, _user, _date in self._steps(self.candidate)],
            ["designation step 0"],
        )

    def test_kam_administrators_keep_playbooks_in_reach(self):
        """A KAM administrator changes a playbook's trigger, but does not turn it
        into a plan he could no longer manage (no trigger, another model)."""
        plan = self.Plan.with_user(self.user_kam_manager).create(
            {
                "name": "Onboarding",
                "kam_trigger": "designation",
                "res_model": "res.partner",
            }
        )
        plan.write({"kam_trigger": "strategy_maintain"})
        self.assertEqual(plan.kam_trigger, "strategy_maintain")
        with self.assertRefused(AccessError, "no longer be allowed"):
            plan.write({"kam_trigger": False})
        with self.assertRefused(AccessError, "no longer be allowed"):
            plan.write({"kam_trigger": False, "res_model": "kam.account.plan"})
        self.assertEqual(plan.kam_trigger, "strategy_maintain")

    def test_playbook_form(self):
        """A KAM administrator writes a playbook in its form, as the Playbooks
        menu opens it: the trigger gives the model, a step takes a team role."""
        action = self.env.ref("kam_management.mail_activity_plan_action_kam_playbook")
        Plan = self.Plan.with_user(self.user_kam_manager).with_context(
            **safe_eval(action.context)
        )
        form = Form(Plan, view="mail.mail_activity_plan_view_form")
        form.name = "Review kick-off"
        form.kam_trigger = "review"
        self.assertEqual(form.res_model, "kam.account.review")
        with form.template_ids.new() as step:
            step.summary = "Book the room"
            step.responsible_type = "kam_team"
            step.kam_team_role = "support"
        plan = form.save()
        self.assertEqual(plan.template_ids.kam_team_role, "support")

    def test_shipped_playbooks(self):
        """One shipped playbook per trigger, 2 to 4 steps given to team roles,
        in Spanish for a Spanish responsible."""
        shipped = self.Plan.with_context(active_test=False).search(
            [("kam_trigger", "!=", False), ("company_id", "=", False)]
        )
        self.assertEqual(
            sorted(shipped.mapped("kam_trigger")),
            sorted(value for value, _label in KAM_TRIGGERS),
        )
        for plan in shipped:
            self.assertTrue(2 <= len(plan.template_ids) <= 4, plan.name)
            self.assertEqual(
                set(plan.template_ids.mapped("responsible_type")), {"kam_team"}
            )
        self._kam_load_spanish()
        self.user_support.lang = "es_ES"
        shipped.filtered(lambda p: p.kam_trigger == "strategy_harvest").active = True
        self.account.with_user(self.user_kam).kam_strategy = "harvest"
        steps = dict(
            (user, summary) for summary, user, _date in self._steps(self.account)
        )
        self.assertEqual(
            steps[self.user_kam], "Review prices and discounts against the margin"
        )
        self.assertNotEqual(
            steps[self.user_support],
            "Move routine orders and service to low-cost channels",
        )

    # ------------------------------------------------------------
    # Performance
    # ------------------------------------------------------------
    def _bulk_accounts(self, count):
        accounts = self.env["res.partner"].create(
            [
                {
                    "name": f"Bulk Account {index}",
                    "is_company": True,
                    "is_key_account": True,
                    "kam_user_id": self.user_kam.id,
                    "kam_strategy": "selective_investment",
                }
                for index in range(count)
            ]
        )
        self.env["kam.team.member"].create(
            [
                {
                    "partner_id": account.id,
                    "user_id": self.user_support.id,
                    "role": "support",
                }
                for account in accounts
            ]
        )
        return accounts

    def _write_queries(self, accounts, strategy):
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        accounts.with_user(self.user_kam).write({"kam_strategy": strategy})
        self.env.flush_all()
        self.env.cr.flush()
        return self.env.cr.sql_log_count - start

    def test_bulk_strategy_change_query_count(self):
        """A strategy changed on 500 accounts at once launches its playbook
        with a constant number of queries, whatever the number of accounts:
        the write without any playbook against the write with one."""
        accounts = self._bulk_accounts(500)
        # not tracked: created in the transaction (mail.thread tracks the
        # writes after it, a message per account, for both writes below)
        self._write_queries(accounts, "maintain")
        plain = self._write_queries(accounts, "expansive_investment")
        self._playbook("strategy_harvest")
        with_playbook = self._write_queries(accounts, "harvest")
        self.assertLessEqual(with_playbook - plain, BULK_EXTRA_QUERIES)
        activities = self.env["mail.activity"].search(
            [("res_id", "in", accounts.ids), ("kam_playbook_id", "!=", False)]
        )
        self.assertEqual(len(activities), 1500)
        self.assertEqual(
            set(activities.filtered(lambda a: "step 1" in a.summary).user_id),
            {self.user_support},
        )
