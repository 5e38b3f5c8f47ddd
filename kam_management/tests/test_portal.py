from odoo import http
from odoo.exceptions import AccessError
from odoo.tests import Form, HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

from .common import KamCommon


class KamPortalCommon(KamCommon):
    """Two key accounts, each with a contact who is a portal user, and plans:
    ``plan_a`` shared with account A (one shared objective, one internal),
    ``plan_a_internal`` of A not shared, ``plan_b`` shared with account B."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_b = cls.env["res.partner"].create(
            {
                "name": "Beta Key Ltd",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": cls.user_kam.id,
            }
        )
        cls.portal_a = new_test_user(
            cls.env,
            login="portal_a",
            name="Paula Portal",
            groups="base.group_portal",
            email="paula@acme.test",
        )
        cls.portal_a.partner_id.parent_id = cls.account
        cls.portal_b = new_test_user(
            cls.env,
            login="portal_b",
            name="Bruno Portal",
            groups="base.group_portal",
            email="bruno@beta.test",
        )
        cls.portal_b.partner_id.parent_id = cls.account_b
        Plan = cls.env["kam.account.plan"]
        cls.plan_a = Plan.create(
            {
                "name": "Joint Growth Plan A",
                "partner_id": cls.account.id,
                "portal_shared": True,
                "situation": "<p>SECRET-SITUATION</p>",
                "strengths": "<p>SECRET-STRENGTH</p>",
                "threats": "<p>SECRET-THREAT</p>",
                "budget": 98765,
                "revenue_target": 4242420,
                "resources": "SECRET-RESOURCES",
                "objective_ids": [
                    (0, 0, {"name": "Open two plants", "portal_shared": True}),
                    (0, 0, {"name": "SECRET-OBJECTIVE", "portal_shared": False}),
                ],
                "action_ids": [
                    (0, 0, {"name": "Send the forecast", "side": "customer"}),
                    (
                        0,
                        0,
                        {
                            "name": "Quarterly workshop",
                            "side": "company",
                            "user_id": cls.user_kam.id,
                            "resource": "SECRET-ACTION-RESOURCE",
                        },
                    ),
                ],
            }
        )
        cls.plan_a_internal = Plan.create(
            {"name": "Internal Plan A", "partner_id": cls.account.id}
        )
        cls.plan_b = Plan.create(
            {
                "name": "Joint Plan Beta",
                "partner_id": cls.account_b.id,
                "portal_shared": True,
                "action_ids": [(0, 0, {"name": "Beta action", "side": "customer"})],
            }
        )
        cls.action_customer = cls.plan_a.action_ids.filtered(
            lambda a: a.side == "customer"
        )
        cls.action_company = cls.plan_a.action_ids - cls.action_customer


@tagged("post_install", "-at_install")
class TestKamPortalRights(KamPortalCommon):
    """What a portal user reads through the ORM (RPC): the record rules."""

    def test_portal_user_reads_only_shared_plans_of_their_company(self):
        Plan = self.env["kam.account.plan"].with_user(self.portal_a)
        self.assertEqual(Plan.search([]), self.plan_a)
        for plan in (self.plan_b, self.plan_a_internal):
            with self.assertRaises(AccessError):
                plan.with_user(self.portal_a).read(["name"])
        self.assertEqual(
            self.env["kam.account.plan"].with_user(self.portal_b).search([]),
            self.plan_b,
        )

    def test_portal_user_reads_only_shared_objectives(self):
        Objective = self.env["kam.account.plan.objective"].with_user(self.portal_a)
        self.assertEqual(Objective.search([]).mapped("name"), ["Open two plants"])
        secret = self.plan_a.objective_ids.filtered(lambda o: not o.portal_shared)
        with self.assertRaises(AccessError):
            secret.with_user(self.portal_a).read(["name"])
        Action = self.env["kam.account.plan.action"].with_user(self.portal_a)
        self.assertEqual(Action.search([]), self.plan_a.action_ids)

    def test_portal_user_cannot_read_internal_fields_nor_write(self):
        plan = self.plan_a.with_user(self.portal_a)
        for field in ("strategy", "situation", "strengths", "budget", "resources"):
            with self.assertRaises(AccessError):
                plan.read([field])
        with self.assertRaises(AccessError):
            self.action_customer.with_user(self.portal_a).read(["resource"])
        with self.assertRaises(AccessError):
            plan.write({"name": "Hacked"})
        with self.assertRaises(AccessError):
            self.action_customer.with_user(self.portal_a).write({"state": "done"})

    def test_sharing_makes_the_kam_follow(self):
        plan = self.plan_a_internal
        plan.message_unsubscribe(partner_ids=self.user_kam.partner_id.ids)
        plan.portal_shared = True
        self.assertIn(self.user_kam.partner_id, plan.message_partner_ids)

    def test_unsharing_revokes_the_links(self):
        token = self.plan_a._portal_ensure_token()
        self.assertTrue(token)
        self.plan_a.portal_shared = False
        self.assertFalse(self.plan_a.access_token)
        self.assertFalse(
            self.env["kam.account.plan"].with_user(self.portal_a).search([])
        )


class TestSharedObjectives(KamPortalCommon):
    """A new objective of a shared plan is shared with the customer unless the
    KAM says otherwise; sharing the plan later leaves its objectives alone."""

    def test_new_objective_follows_the_plan(self):
        with Form(self.plan_a) as plan:
            with plan.objective_ids.new() as objective:
                objective.name = "Joint roadmap"
                self.assertTrue(objective.portal_shared)
        with Form(self.plan_a_internal) as plan:
            with plan.objective_ids.new() as objective:
                objective.name = "Internal target"
                self.assertFalse(objective.portal_shared)
        Objective = self.env["kam.account.plan.objective"]
        kept = Objective.create(
            {"plan_id": self.plan_a.id, "name": "Ours", "portal_shared": False}
        )
        self.assertFalse(kept.portal_shared)
        shared = self.plan_a.objective_ids.filtered("portal_shared")
        self.plan_a_internal.portal_shared = True
        self.plan_a.portal_shared = False
        self.assertFalse(self.plan_a_internal.objective_ids.portal_shared)
        self.assertEqual(self.plan_a.objective_ids.filtered("portal_shared"), shared)


@tagged("post_install", "-at_install", "kam_http")
class TestPortalHttp(HttpCase, KamPortalCommon):
    """The portal pages over HTTP as the portal users of two accounts. HttpCase:
    run with odoo-bin --test-tags=kam_http/kam_management (pytest-odoo skips
    it)."""

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_home_counter_and_list(self):
        self.authenticate("portal_a", "portal_a")
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["kam_plan_count"]}
        )
        self.assertEqual(counters["kam_plan_count"], 1)
        response = self._get("/my/account-plans")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Joint Growth Plan A", response.text)
        self.assertNotIn("Internal Plan A", response.text)
        self.assertNotIn("Joint Plan Beta", response.text)

    def test_plan_page_content(self):
        self.authenticate("portal_a", "portal_a")
        response = self._get(f"/my/account-plans/{self.plan_a.id}")
        self.assertEqual(response.status_code, 200)
        html = response.text
        for shown in (
            "Joint Growth Plan A",
            "Open two plants",
            "Send the forecast",
            "Quarterly workshop",
            "Kim Account",
            "o_portal_chatter",
        ):
            self.assertIn(shown, html)
        for hidden in (
            "SECRET-",
            "98,765",
            "98765",
            "4,242,420",
            "4242420",
            "Selective Investment",
            "selective_investment",
            "Health",
        ):
            self.assertNotIn(hidden, html)

    def test_long_names_readable(self):
        """Portal tables cut a cell to one line: the names wrap, and their whole
        text is in a tooltip."""
        name = "Open a joint distribution centre in the north " * 3
        self.plan_a.objective_ids[0].name = name.strip()
        self.authenticate("portal_a", "portal_a")
        html = self._get(f"/my/account-plans/{self.plan_a.id}").text
        self.assertIn(f'class="text-wrap text-break" title="{name.strip()}"', html)

    def test_other_plans_are_refused(self):
        self.authenticate("portal_a", "portal_a")
        for plan in (self.plan_b, self.plan_a_internal):
            response = self._get(f"/my/account-plans/{plan.id}")
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/my"))
        response = self._get("/my/account-plans/999999999")
        self.assertEqual(response.status_code, 303)
        # an old link of a plan no longer shared
        token = self.plan_b._portal_ensure_token()
        self.plan_b.portal_shared = False
        response = self._get(f"/my/account-plans/{self.plan_b.id}?access_token={token}")
        self.assertEqual(response.status_code, 303)

    def test_public_user_with_token(self):
        url = self.plan_a.get_portal_url()
        response = self._get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Open two plants", response.text)
        self.assertNotIn("SECRET-", response.text)
        self.assertEqual(
            self._get(f"/my/account-plans/{self.plan_a.id}").status_code, 303
        )

    def _post_done(self, plan, action):
        return self.url_open(
            f"/my/account-plans/{plan.id}/actions/{action.id}/done",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )

    def test_mark_action_done(self):
        self.authenticate("portal_a", "portal_a")
        # not theirs: another account's action, our company's action
        self._post_done(self.plan_b, self.plan_b.action_ids)
        self._post_done(self.plan_a, self.action_company)
        self._post_done(self.plan_a, self.plan_b.action_ids)
        self.assertEqual(self.plan_b.action_ids.state, "todo")
        self.assertEqual(self.action_company.state, "todo")
        response = self._post_done(self.plan_a, self.action_customer)
        self.assertEqual(response.status_code, 303)
        self.assertEqual(self.action_customer.state, "done")
        message = self.plan_a.message_ids[:1]
        self.assertIn("Send the forecast", message.body)
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        self.assertIn(self.user_kam.partner_id, message.notification_ids.res_partner_id)

    def test_chatter_routes(self):
        self.authenticate("portal_a", "portal_a")
        self.plan_b.message_post(body="Beta private talk", message_type="comment")
        post = {
            "post_data": {
                "body": "Hello from A",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
            "thread_id": self.plan_a.id,
            "thread_model": "kam.account.plan",
        }
        self.make_jsonrpc_request("/mail/message/post", post)
        message = self.plan_a.message_ids[:1]
        self.assertIn("Hello from A", message.body)
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        self.assertIn(self.user_kam.partner_id, message.notification_ids.res_partner_id)
        for plan in (self.plan_b, self.plan_a_internal):
            with self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/mail/message/post", dict(post, thread_id=plan.id)
                )
            self.assertNotIn("Hello from A", plan.message_ids.mapped("body"))
            for route in ("/mail/thread/messages", "/mail/chatter_fetch"):
                fetched = self.make_jsonrpc_request(
                    route, {"thread_model": "kam.account.plan", "thread_id": plan.id}
                )
                self.assertFalse(fetched["messages"], route)
        # by RPC, as the web client would
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/kam.account.plan/read",
                {
                    "model": "kam.account.plan",
                    "method": "read",
                    "args": [[self.plan_b.id], ["name"]],
                    "kwargs": {},
                },
            )


@tagged("post_install", "-at_install", "kam_http", "kam_ui")
class TestPortalPlanUi(HttpCase, KamPortalCommon):
    """A portal user comments on the shared plan and completes their action in
    a real browser (tour kam_portal_plan_tour)."""

    def test_kam_portal_plan_tour(self):
        self.start_tour("/my", "kam_portal_plan_tour", login="portal_a")
        self.assertEqual(self.action_customer.state, "done")
        self.assertIn(
            "We agree with the objectives",
            "".join(self.plan_a.message_ids.mapped("body")),
        )
