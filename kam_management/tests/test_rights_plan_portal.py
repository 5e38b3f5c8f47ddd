import json
from datetime import date

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import KamRightsCommon


class KamPlanPortalCommon(KamRightsCommon):
    """On top of ``KamRightsCommon``: ``plan`` shared with ``account`` (one
    objective shared, one internal; customer actions of ``portal_contact``, of
    another contact and of no one; an action of our company), ``plan_internal``
    of ``account`` not shared, and ``user_portal_other``, a portal contact of
    ``account_other``, another key account of the company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account_other = cls.env["res.partner"].create(
            {
                "name": "Other Key Corp",
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": cls.user_kam_other.id,
            }
        )
        cls.user_portal_other = new_test_user(
            cls.env,
            login="kam_portal_other",
            name="Oscar Other",
            groups="base.group_portal",
        )
        cls.user_portal_other.partner_id.parent_id = cls.account_other
        Plan = cls.env["kam.account.plan"]
        cls.plan = Plan.create(
            {
                "name": "Shared plan",
                "partner_id": cls.account.id,
                "portal_shared": True,
                "objective_ids": [
                    cls._objective("Shared goal", 100, 50, True),
                    cls._objective("SECRET goal", 100, 100, False),
                ],
                "action_ids": [
                    cls._action("Paula action", cls.portal_contact),
                    cls._action("Alice action", cls.account_contact),
                    cls._action("Anyone action", None),
                    cls._action("Our action", None, side="company"),
                ],
            }
        )
        cls.plan_internal = Plan.create(
            {
                "name": "Internal plan",
                "partner_id": cls.account.id,
                "action_ids": [cls._action("Internal action", cls.portal_contact)],
            }
        )
        actions = cls.plan.action_ids
        cls.action_paula, cls.action_alice, cls.action_anyone, cls.action_ours = (
            actions.filtered(lambda a, n=name: a.name == n)
            for name in ("Paula action", "Alice action", "Anyone action", "Our action")
        )
        cls.action_internal = cls.plan_internal.action_ids
        cls.posters = (
            cls.user_kam | cls.user_team | cls.user_kam_manager | cls.user_portal
        )
        cls.not_posters = (
            cls.user_kam_other
            | cls.user_sales
            | cls.user_company_b
            | cls.user_portal_other
        )

    @classmethod
    def _objective(cls, name, target, current, shared):
        return (
            0,
            0,
            {
                "name": name,
                "target_value": target,
                "current_value": current,
                "portal_shared": shared,
            },
        )

    @classmethod
    def _action(cls, name, contact, side="customer"):
        return (
            0,
            0,
            {"name": name, "side": side, "contact_id": contact and contact.id},
        )

    def _comments(self, plan):
        self.env.invalidate_all()
        return plan.message_ids.filtered(lambda m: m.message_type == "comment")


@tagged("post_install", "-at_install")
class TestRightsPlanPortal(KamPlanPortalCommon):
    """The plan's chatter, followers, links and computed figures through the ORM,
    as each kind of user."""

    def test_who_posts_on_the_chatter(self):
        for plan, posters in ((self.plan, self.posters), (self.plan_internal, None)):
            # on a plan not shared, the customer does not post
            posters = posters or self.posters - self.user_portal
            for user in self.posters | self.not_posters:
                with self.subTest(plan=plan.name, user=user.login):
                    before = self._comments(plan)
                    body = f"Comment of {user.login}"
                    if user in posters:
                        plan.with_user(user).message_post(
                            body=body,
                            message_type="comment",
                            subtype_xmlid="mail.mt_comment",
                        )
                        self.assertIn(body, self._comments(plan)[:1].body)
                    else:
                        with self.assertRefused(AccessError):
                            plan.with_user(user).message_post(
                                body=body,
                                message_type="comment",
                                subtype_xmlid="mail.mt_comment",
                            )
                        self.assertEqual(self._comments(plan), before)

    def test_who_chooses_the_followers(self):
        for user in self.posters | self.not_posters:
            can_manage = user in self.user_kam | self.user_team | self.user_kam_manager
            for partner in user.partner_id | self.portal_contact:
                with self.subTest(user=user.login, partner=partner.name):
                    self.plan.message_unsubscribe(partner_ids=partner.ids)
                    plan = self.plan.with_user(user)
                    if can_manage:
                        plan.message_subscribe(partner_ids=partner.ids)
                        self.assertIn(partner, self.plan.message_partner_ids)
                    else:
                        with self.assertRefused(AccessError):
                            plan.message_subscribe(partner_ids=partner.ids)
                        self.assertNotIn(partner, self.plan.message_partner_ids)

    def test_bad_followers_refused_with_a_message(self):
        """Issue 20: partners or subtypes that are not lists of ids are refused
        with a message (mail built a domain of them: 'Invalid domain term'),
        for everyone; the followers are unchanged."""
        followers = self.plan.message_partner_ids
        for user in self.user_kam | self.user_kam_manager | self.user_portal:
            plan = self.plan.with_user(user)
            for args in (
                {"partner_ids": "0001-01-01"},
                {"partner_ids": {"a": 1}},
                {"partner_ids": 10**12},
                {"partner_ids": [self.portal_contact.id, "x"]},
                {"partner_ids": [-1]},
                {"partner_ids": [True]},
                {"subtype_ids": "abc"},
                {"partner_ids": self.portal_contact.ids, "subtype_ids": [[1]]},
            ):
                with self.subTest(user=user.login, args=args):
                    with self.assertRefused(ValidationError, "not a valid list"):
                        plan.message_subscribe(**args)
            with self.assertRefused(ValidationError, "not a valid list"):
                plan.message_subscribe("0001-01-01")
        self.assertEqual(self.plan.message_partner_ids, followers)
        # lists of ids still work, and an empty call does nothing
        self.plan.with_user(self.user_kam).message_subscribe()
        self.plan.with_user(self.user_kam).message_subscribe(
            partner_ids=tuple(self.portal_contact.ids),
            subtype_ids=self.env.ref("mail.mt_comment").ids,
        )
        self.assertIn(self.portal_contact, self.plan.message_partner_ids)

    def test_comments_signed_by_their_author(self):
        for user in self.user_team | self.user_portal:
            with self.subTest(user=user.login):
                before = self._comments(self.plan)
                with self.assertRefused(AccessError, "in your own name"):
                    self.plan.with_user(user).message_post(
                        body="Signed by the manager",
                        message_type="comment",
                        subtype_xmlid="mail.mt_comment",
                        author_id=self.user_kam_manager.partner_id.id,
                    )
                self.assertEqual(self._comments(self.plan), before)
                self.plan.with_user(user).message_post(
                    body="Signed by me",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    author_id=user.partner_id.id,
                )
                self.assertEqual(
                    self._comments(self.plan)[:1].author_id, user.partner_id
                )

    def test_customer_comments_without_following(self):
        self.plan.with_user(self.user_portal).message_post(
            body="We agree", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertNotIn(self.portal_contact, self.plan.message_partner_ids)
        self.plan.with_user(self.user_team).message_post(
            body="Noted", message_type="comment"
        )
        self.assertIn(self.user_team.partner_id, self.plan.message_partner_ids)

    def test_links_follow_the_account_and_the_sharing(self):
        Plan = self.env["kam.account.plan"]
        token = self.plan._portal_ensure_token()
        self.assertEqual(
            Plan.with_user(self.env.ref("base.public_user"))._get_thread_with_access(
                self.plan.id, token=token
            ),
            self.plan,
        )
        self.plan.name = "Renamed"
        self.assertEqual(self.plan.access_token, token, "Other changes keep links")
        self.plan.partner_id = self.account_other
        self.assertFalse(self.plan.access_token, "A plan moved loses its links")
        # a link minted while the plan is not shared never opens it
        token = self.plan_internal._portal_ensure_token()
        public = Plan.with_user(self.env.ref("base.public_user"))
        for kwargs in ({"token": token}, {"token": "wrong"}, {"hash": "x", "pid": 1}):
            with self.subTest(kwargs=kwargs):
                thread = public._get_thread_with_access(self.plan_internal.id, **kwargs)
                self.assertFalse(thread)
        self.plan_internal.portal_shared = True
        self.assertFalse(self.plan_internal.access_token)
        self.plan_internal._portal_ensure_token()
        self.plan_internal.portal_shared = False
        self.assertFalse(self.plan_internal.access_token)
        self.assertFalse(public._get_thread_with_access("1", token=token))

    def test_no_user_reads_the_link(self):
        """Whoever holds the token comments as the customer: no user reads it,
        the links are built all the same."""
        token = self.plan._portal_ensure_token()
        for user in self.posters | self.not_posters:
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.plan.with_user(user).read(["access_token"])
        # nor gets it, unless they may comment on the plan
        for user in self.posters | self.not_posters:
            with self.subTest(user=user.login):
                plan = self.plan.with_user(user)
                if user in self.posters:
                    self.assertIn(token, plan.get_portal_url())
                else:
                    with self.assertRefused(AccessError):
                        plan.get_portal_url()
        self.assertEqual(
            self.plan_internal.with_user(
                self.user_kam_other
            ).action_kam_portal_preview()["url"],
            self.plan_internal.access_url,
        )
        self.assertFalse(self.plan_internal.access_token, "The preview mints none")
        # the customer opens the plan from a notification (mail's /mail/view)
        action = self.plan.with_user(self.user_portal)._get_access_action()
        self.assertIn(token, action["url"])
        plan = self.plan.with_user(self.user_team)
        self.assertTrue(plan._get_share_url(pid=self.portal_contact.id))
        # a comment to the customer carries a link to the plan
        plan.message_post(
            body="See the plan",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.portal_contact.ids,
        )
        self.assertEqual(self.plan.access_token, token)

    def test_who_marks_an_action_done_on_the_portal(self):
        expected = {
            self.user_portal: self.action_paula | self.action_anyone,
            self.user_portal_other: self.env["kam.account.plan.action"],
            self.user_kam_other: self.env["kam.account.plan.action"],
            self.user_team: self.plan.action_ids - self.action_ours,
            self.user_kam_manager: self.plan.action_ids - self.action_ours,
        }
        actions = self.plan.action_ids | self.action_internal
        for user, allowed in expected.items():
            with self.subTest(user=user.login):
                if user == self.user_team or user == self.user_kam_manager:
                    allowed |= self.action_internal
                self.assertEqual(
                    actions.sudo()._kam_portal_may_mark_done(user),
                    allowed,
                )
        self.plan.portal_shared = False
        self.assertFalse(actions.sudo()._kam_portal_may_mark_done(self.user_portal))

    def test_computed_figures_are_not_typed_in(self):
        objective = self.plan.objective_ids[0]
        cases = [
            (self.plan, {"progress": 99}),
            (self.plan, {"last_review_date": date(2020, 1, 1)}),
            (self.plan, {"next_review_date": date(2099, 1, 1)}),
            (objective, {"progress": 99}),
        ]
        for record, vals in cases:
            for user in self.user_kam | self.user_team | self.user_kam_manager:
                with self.subTest(model=record._name, vals=vals, user=user.login):
                    before = record.read(list(vals))[0]
                    with self.assertRefused(AccessError, "cannot be written by hand"):
                        record.with_user(user).write(vals)
                    self.assertEqual(record.read(list(vals))[0], before)
        with self.assertRefused(AccessError, "computed"):
            self.env["kam.account.plan.objective"].with_user(self.user_kam).create(
                {"plan_id": self.plan.id, "name": "Typed", "progress": 80}
            )
        # the code that computes them still does
        objective.with_user(self.user_team).current_value = 100
        self.assertEqual(objective.progress, 100)
        self.assertEqual(self.plan.progress, 100)

    def test_portal_progress_counts_the_shared_objectives(self):
        self.assertEqual(self.plan.progress, 75)
        plan = self.plan.with_user(self.user_portal)
        self.assertEqual(plan.portal_progress, 50)
        with self.assertRaises(AccessError):
            plan.read(["progress"])

    def test_review_due_search_takes_every_operator(self):
        Plan = self.env["kam.account.plan"]
        self.plan.state = "active"
        self.plan.date_start = date(2020, 1, 1)
        plans = self.plan | self.plan_internal
        due, not_due = self.plan, self.plan_internal
        cases = [
            ("=", True, due),
            ("=", False, not_due),
            ("=", None, not_due),
            ("!=", True, not_due),
            ("!=", False, due),
            ("in", [True], due),
            ("in", [False], not_due),
            ("in", [True, False], plans),
            ("in", [], Plan),
            ("not in", [True], not_due),
            ("not in", [False], due),
            ("not in", [True, False], Plan),
            ("not in", [], plans),
        ]
        for operator, value, expected in cases:
            with self.subTest(operator=operator, value=value):
                found = Plan.search(
                    [("id", "in", plans.ids), ("review_due", operator, value)]
                )
                self.assertEqual(found, expected)
        for operator, value in (
            ("=", "yes"),
            ("=", 2),
            ("in", "True"),
            ("in", [1.5]),
            ("ilike", "x"),
            (">", 1),
        ):
            with self.subTest(operator=operator, value=value):
                with self.assertRaisesRegex(UserError, "Review Due"):
                    Plan.search([("review_due", operator, value)])


@tagged("post_install", "-at_install")
class TestKamHttp(HttpCase, KamPlanPortalCommon):
    """The plan's portal routes and chatter over HTTP and JSON-RPC, as each kind
    of user would call them. HttpCase: run with odoo-bin
    --test-tags=/kam_management:TestKamHttp (pytest-odoo skips it)."""

    def _login(self, user):
        self.authenticate(user.login if user else None, user.login if user else None)

    def _post_done(self, action):
        return self.url_open(
            f"/my/account-plans/{action.plan_id.id}/actions/{action.id}/done",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )

    def _rpc(self, route, params):
        """The JSON-RPC answer: ``(result, error)``, the error's data (its
        exception's ``name`` and ``message``) when the call is refused."""
        response = self.url_open(
            route,
            json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200, route)
        answer = response.json()
        return answer.get("result"), (answer.get("error") or {}).get("data")

    def _call_kw(self, record, method, *args, **kwargs):
        return self._rpc(
            f"/web/dataset/call_kw/{record._name}/{method}",
            {
                "model": record._name,
                "method": method,
                # a model method on an empty recordset
                "args": [record.ids, *args] if record else list(args),
                "kwargs": kwargs,
            },
        )

    def _post_message(self, plan, body, **kwargs):
        return self._rpc(
            "/mail/message/post",
            {
                "thread_model": plan._name,
                "thread_id": plan.id,
                "post_data": {
                    "body": body,
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
                **kwargs,
            },
        )

    def _states(self):
        self.env.invalidate_all()
        return (self.plan.action_ids | self.action_internal).mapped("state")

    def test_action_done_refused(self):
        refused = [
            (self.user_kam_other, self.action_paula),
            (self.user_kam_other, self.action_internal),
            (self.user_sales, self.action_paula),
            (self.user_portal, self.action_alice),
            (self.user_portal, self.action_ours),
            (self.user_portal, self.action_internal),
            (self.user_portal_other, self.action_paula),
            (self.user_portal_other, self.action_anyone),
            (None, self.action_paula),
        ]
        states, messages = self._states(), self._comments(self.plan)
        for user, action in refused:
            with self.subTest(user=user and user.login, action=action.name):
                self._login(user)
                response = self._post_done(action)
                self.assertIn(response.status_code, (302, 303))
                self.assertEqual(self._states(), states)
                self.assertEqual(self._comments(self.plan), messages)
                self.assertEqual(
                    self._comments(self.plan_internal), self.env["mail.message"]
                )

    def test_action_done_allowed(self):
        for user, action in (
            (self.user_portal, self.action_paula),
            (self.user_portal, self.action_anyone),
            (self.user_team, self.action_internal),
            (self.user_kam_manager, self.action_alice),
        ):
            with self.subTest(user=user.login, action=action.name):
                self._login(user)
                response = self._post_done(action)
                self.assertEqual(response.status_code, 303)
                self.assertNotIn("access_token", response.headers["Location"])
                self.env.invalidate_all()
                self.assertEqual(action.state, "done")
                message = self._comments(action.plan_id)[:1]
                self.assertIn(action.name, message.body)
                self.assertEqual(message.author_id, user.partner_id)
        self.assertNotIn(self.portal_contact, self.plan.message_partner_ids)

    def test_the_page_shows_the_buttons_of_the_allowed(self):
        self._login(self.user_portal)
        html = self.url_open(f"/my/account-plans/{self.plan.id}").text
        for action in (self.action_paula, self.action_anyone):
            self.assertIn(f"actions/{action.id}/done", html)
        for action in (self.action_alice, self.action_ours):
            self.assertNotIn(f"actions/{action.id}/done", html)
        self.assertIn('o_kam_portal_progress">50 %', html, "The shared objective's")
        self.assertNotIn("75 %", html)
        self.assertNotIn("SECRET", html)
        self._login(self.user_kam_other)
        html = self.url_open(f"/my/account-plans/{self.plan.id}").text
        self.assertNotIn("/done", html)

    def test_a_link_opens_a_shared_plan_of_its_account_only(self):
        old_token = self.plan._portal_ensure_token()
        internal_token = self.plan_internal._portal_ensure_token()
        # the plan moves to an account without portal users
        self.plan.partner_id = self.env["res.partner"].create(
            {"name": "Third Key Corp", "is_company": True, "is_key_account": True}
        )
        self.assertFalse(self.plan.access_token)
        cases = [(self.plan, old_token), (self.plan_internal, internal_token)]
        for user in (None, self.user_portal_other, self.user_sales, self.user_portal):
            for plan, token in cases:
                with self.subTest(user=user and user.login, plan=plan.name):
                    self._login(user)
                    response = self.url_open(
                        f"/my/account-plans/{plan.id}?access_token={token}",
                        allow_redirects=False,
                    )
                    self.assertEqual(response.status_code, 303)
                    self.assertNotIn(plan.name, response.text)
                    messages = self._comments(plan)
                    _result, error = self._post_message(plan, "By link", token=token)
                    self.assertTrue(error)
                    self.assertEqual(self._comments(plan), messages)
                    thread = {"thread_model": plan._name, "thread_id": plan.id}
                    for route in ("/mail/chatter_fetch", "/portal/chatter_init"):
                        result, error = self._rpc(route, dict(thread, token=token))
                        self.assertTrue(error, route)
        # the team previews the plan not shared, with its own rights
        self._login(self.user_team)
        response = self.url_open(f"/my/account-plans/{self.plan_internal.id}")
        self.assertIn("Internal plan", response.text)
        # a link of a shared plan still opens it
        self.plan_internal.portal_shared = True
        self._login(None)
        response = self.url_open(self.plan_internal.get_portal_url())
        self.assertEqual(response.status_code, 200)

    def test_who_posts_over_http(self):
        for user in self.posters | self.not_posters:
            for route in ("/mail/message/post", "call_kw"):
                with self.subTest(user=user.login, route=route):
                    self._login(user)
                    body = f"{route} by {user.login}"
                    before = self._comments(self.plan)
                    if route == "call_kw":
                        _result, error = self._call_kw(
                            self.plan,
                            "message_post",
                            body=body,
                            message_type="comment",
                            subtype_xmlid="mail.mt_comment",
                        )
                    else:
                        _result, error = self._post_message(self.plan, body)
                    if user in self.posters:
                        self.assertFalse(error)
                        self.assertIn(body, self._comments(self.plan)[:1].body)
                    else:
                        self.assertTrue(error)
                        self.assertEqual(self._comments(self.plan), before)
        self.assertNotIn(self.portal_contact, self.plan.message_partner_ids)

    def test_who_follows_over_http(self):
        managers = self.user_kam | self.user_team | self.user_kam_manager
        for user in self.posters | self.not_posters:
            with self.subTest(user=user.login):
                self._login(user)
                self.plan.message_unsubscribe(partner_ids=user.partner_id.ids)
                _result, error = self._call_kw(
                    self.plan, "message_subscribe", partner_ids=user.partner_id.ids
                )
                self.env.invalidate_all()
                if user in managers:
                    self.assertFalse(error)
                    self.assertIn(user.partner_id, self.plan.message_partner_ids)
                else:
                    self.assertEqual(error["name"], "odoo.exceptions.AccessError")
                    self.assertNotIn(user.partner_id, self.plan.message_partner_ids)

    def test_computed_figures_over_rpc(self):
        objective = self.plan.objective_ids[0]
        self._login(self.user_kam)
        for record, vals in (
            (self.plan, {"progress": 1}),
            (self.plan, {"next_review_date": "2099-01-01"}),
            (self.plan, {"last_review_date": "2020-01-01"}),
            (objective, {"progress": 1}),
        ):
            with self.subTest(model=record._name, vals=vals):
                before = record.read(list(vals))[0]
                _result, error = self._call_kw(record, "write", vals)
                self.assertIn("cannot be written by hand", error["message"])
                self.env.invalidate_all()
                self.assertEqual(record.read(list(vals))[0], before)
        # the web client's filters on Review Due, whatever the operator
        for domain in (
            [("review_due", "in", [True, False])],
            [("review_due", "not in", [True])],
            [("review_due", "!=", False)],
        ):
            result, error = self._call_kw(self.plan.browse(), "search_count", domain)
            self.assertFalse(error, domain)
        _result, error = self._call_kw(
            self.plan.browse(), "search_count", [("review_due", "=", "x")]
        )
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        # the customer reads the progress of the objectives shared only
        self._login(self.user_portal)
        _result, error = self._call_kw(self.plan, "read", ["progress"])
        self.assertEqual(error["name"], "odoo.exceptions.AccessError")
        result, error = self._call_kw(self.plan, "read", ["portal_progress"])
        self.assertEqual(result[0]["portal_progress"], 50)
