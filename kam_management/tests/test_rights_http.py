import base64
import contextlib
import io
import json
import logging
import zipfile
from datetime import timedelta

from odoo import fields, http
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import HttpCase, tagged

from .common import KamRightsCommon

_logger = logging.getLogger(__name__)

# The refusals a user may get: anything else in a JSON-RPC error is a server
# traceback (TypeError, KeyError, psycopg2 errors...).
REFUSALS = {
    "odoo.exceptions.AccessError",
    "odoo.exceptions.AccessDenied",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.RedirectWarning",
    "odoo.http.SessionExpiredException",
    "werkzeug.exceptions.NotFound",
    "werkzeug.exceptions.Forbidden",
}
# the users of the audit, by the name the tables use (None: anonymous visitor)
USERS = {
    "sales": "kam_sales",
    "kam": "kam_user",
    "team": "kam_team",
    "outsider": "kam_other",
    "elsewhere": "kam_elsewhere",
    "company_b": "kam_company_b",
    "manager": "kam_manager",
    "portal": "kam_portal",
    "portal_b": "kam_portal_b",
    "portal_nonkey": "kam_portal_nonkey",
    "public": None,
}
NOT_KAM = ("sales", "portal", "portal_b", "portal_nonkey", "public")
PORTAL = ("portal", "portal_b", "portal_nonkey", "public")
OFF_ACCOUNT = ("sales", "outsider", "elsewhere", "company_b", *PORTAL)
OFF_TEAM = ("sales", "team", "outsider", "elsewhere", "company_b", *PORTAL)
EVERYONE_BUT_MANAGER = ("kam", *OFF_TEAM)
# restricted (KAM users only) fields of a partner, searched and grouped by
RESTRICTED_PARTNER_FIELDS = [
    "kam_strategy",
    "kam_relationship_stage",
    "kam_has_decision_maker",
    "kam_single_threaded",
    "kam_health_band",
    "kam_health_score",
    "kam_user_id",
    # the buying figures (company dependent)
    "kam_p_active",
    "kam_predicted_revenue_12m",
    "kam_clv",
]
SECRET = "SECRET-"


class _Undo(Exception):
    """Raised to roll back one call of the attack tables."""


@tagged("post_install", "-at_install", "kam_http")
class TestRightsHttp(HttpCase, KamRightsCommon):
    """The rights model over HTTP, as the ten users of the audit of issue 20 and an
    anonymous visitor would attack it: JSON-RPC calls as the web client makes
    them, the portal's routes and the downloads. Every call is refused or
    changes nothing (re-read as superuser), and none ends in a traceback.

    HttpCase: run with odoo-bin --test-tags=kam_http/kam_management
    (pytest-odoo skips it). Each table runs every call in a savepoint rolled
    back after the check, so that a call that gets through does not change the
    next one; the outcomes are logged (``kam_http`` lines) for the audit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._kam_setup_plans()
        cls._kam_setup_account_records()
        # a suggested score on the candidate, which only a KAM user may accept
        cls.env["kam.selection.score"].create(
            {
                "partner_id": cls.candidate.id,
                "criterion_id": cls.env["kam.selection.criterion"]
                .search([], limit=1)
                .id,
                "suggested_score": 4,
            }
        )
        cls.users = {
            "sales": cls.user_sales,
            "kam": cls.user_kam,
            "team": cls.user_team,
            "outsider": cls.user_kam_other,
            "elsewhere": cls.user_kam_elsewhere,
            "company_b": cls.user_company_b,
            "manager": cls.user_kam_manager,
            "portal": cls.user_portal,
            "portal_b": cls.user_portal_b,
            "portal_nonkey": cls.user_portal_nonkey,
        }

    @classmethod
    def _kam_setup_plans(cls):
        Plan = cls.env["kam.account.plan"]
        cls.plan_a = Plan.create(
            {
                "name": "Joint Plan A",
                "partner_id": cls.account.id,
                "portal_shared": True,
                "situation": f"<p>{SECRET}SITUATION</p>",
                "budget": 98765,
                "objective_ids": [
                    (0, 0, {"name": "Shared objective", "portal_shared": True}),
                    (0, 0, {"name": f"{SECRET}OBJECTIVE", "portal_shared": False}),
                ],
                "action_ids": [
                    (0, 0, {"name": "Customer action", "side": "customer"}),
                    (0, 0, {"name": f"{SECRET}ACTION", "side": "company"}),
                ],
            }
        )
        cls.plan_a_internal = Plan.create(
            {
                "name": f"{SECRET}INTERNAL PLAN",
                "partner_id": cls.account.id,
                "action_ids": [(0, 0, {"name": "Hidden", "side": "customer"})],
            }
        )
        cls.plan_b = Plan.create(
            {
                "name": "Euro Plan B",
                "partner_id": cls.account_b.id,
                "company_id": cls.company_b.id,
                "portal_shared": True,
                "action_ids": [(0, 0, {"name": "Beta action", "side": "customer"})],
            }
        )
        cls.plan_elsewhere = Plan.create(
            {
                "name": "Elsewhere Plan",
                "partner_id": cls.account_elsewhere.id,
                "objective_ids": [(0, 0, {"name": "Elsewhere objective"})],
            }
        )
        cls.objective_shared, cls.objective_secret = cls.plan_a.objective_ids
        cls.action_customer = cls.plan_a.action_ids.filtered(
            lambda a: a.side == "customer"
        )
        cls.action_company = cls.plan_a.action_ids - cls.action_customer
        cls.review = cls.env["kam.account.review"]
        try:
            with cls.env.cr.savepoint():
                cls.review = cls.review.create({"plan_id": cls.plan_a.id})
        except ValidationError:
            # bad input checks under way may refuse the template's checklist
            _logger.warning("kam_http: no review fixture, its creation failed")

    @classmethod
    def _kam_setup_account_records(cls):
        cls.escalation = cls.env["kam.escalation"].create(
            {
                "name": "Late deliveries",
                "partner_id": cls.account.id,
                "deadline": fields.Datetime.now() + timedelta(days=7),
            }
        )
        cls.stakeholder = cls.env["kam.stakeholder"].create(
            {
                "partner_id": cls.account.id,
                "contact_id": cls.account_contact.id,
                "role": "decision_maker",
            }
        )
        cls.team_member = cls.account.kam_team_member_ids
        cls.lead_sales = cls.env["crm.lead"].create(
            {
                "name": "Sam's own deal",
                "type": "opportunity",
                "partner_id": cls.account.id,
                "user_id": cls.user_sales.id,
                "kam_plan_id": cls.plan_a.id,
            }
        )
        cls.attachment = cls.env["ir.attachment"].create(
            {
                "name": "secret.txt",
                "res_model": "kam.account.plan",
                "res_id": cls.plan_a_internal.id,
                "datas": base64.b64encode(b"SECRET-ATTACHMENT"),
            }
        )
        cls.score = cls.env["kam.selection.score"].create(
            {
                "partner_id": cls.account.id,
                "criterion_id": cls.criterion_revenue.id,
                "score": 4,
            }
        )
        cls.env["kam.health.engine"]._kam_health_run(cls.account.ids)
        cls.snapshots = cls.env["kam.health.snapshot"].search(
            [("partner_id", "=", cls.account.id)]
        )
        cls.workbook = cls._kam_setup_workbook()

    @classmethod
    def _kam_setup_workbook(cls):
        """A workbook generated by the KAM, where workbooks are still records
        (the fix of the workbooks streams them instead)."""
        Export = cls.env.get("kam.xlsx.export")
        if Export is None or "file" not in Export._fields:
            return cls.env["res.partner"].browse()
        try:
            with cls.env.cr.savepoint():
                return Export.with_user(cls.user_kam).create(
                    {"file": base64.b64encode(b"PK-SECRET"), "filename": "plan.xlsx"}
                )
        except AccessError:
            return Export.browse()

    # ------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------
    def _login(self, who):
        login = USERS[who]
        self.authenticate(login, login)

    def _rpc(self, model, method, args=None, kwargs=None):
        """(outcome, payload) of a call_kw as the web client makes it: "ok" and
        the result, "refused" or "traceback" and the error's name."""
        data = json.dumps(
            {
                "id": 0,
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args or [],
                    "kwargs": kwargs or {},
                },
            }
        )
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=data,
            headers={"Content-Type": "application/json"},
        )
        if response.status_code != 200:
            return "refused", f"HTTP {response.status_code}"
        body = response.json()
        if "error" not in body:
            return "ok", body.get("result")
        name = body["error"].get("data", {}).get("name", "?")
        return ("refused" if name in REFUSALS else "traceback"), name

    def _watched(self):
        """The data no attack may change, read as superuser."""
        self.env.invalidate_all()
        env = self.env(su=True)
        plans = self.plan_a | self.plan_a_internal | self.plan_b | self.plan_elsewhere
        values = {}
        specs = [
            (
                self.account | self.account_elsewhere | self.candidate,
                [
                    "kam_user_id",
                    "kam_strategy",
                    "is_key_account",
                    "company_id",
                    "is_company",
                    "kam_relationship_stage",
                    "kam_health_score",
                    "active",
                ],
            ),
            (
                plans,
                [
                    "name",
                    "state",
                    "partner_id",
                    "user_id",
                    "progress",
                    "portal_shared",
                    "access_token",
                    "last_review_date",
                    "next_review_date",
                    "message_partner_ids",
                ],
            ),
            (
                plans.objective_ids,
                ["name", "plan_id", "progress", "portal_shared"],
            ),
            (plans.action_ids, ["name", "state", "plan_id", "side"]),
            (
                self.escalation,
                ["state", "deadline", "partner_id", "message_partner_ids"],
            ),
            (
                self.stakeholder,
                [
                    "partner_id",
                    "last_interaction_date",
                    "next_contact_date",
                    "active",
                ],
            ),
            (self.team_member, ["partner_id", "user_id", "role"]),
            (self.lead_sales, ["kam_plan_id", "partner_id"]),
            (self.company | self.company_b, ["kam_max_key_accounts"]),
        ]
        if self.workbook:
            specs.append((self.workbook, ["file", "create_uid"]))
        for records, fnames in specs:
            for row in env[records._name].browse(records.ids).read(fnames):
                values[(records._name, row["id"])] = row
        accounts = [self.account.id, self.account_elsewhere.id, self.account_b.id]
        for model in (
            "kam.account.plan",
            "kam.escalation",
            "kam.stakeholder",
            "kam.team.member",
        ):
            values[model] = env[model].search_count([("partner_id", "in", accounts)])
        for model in ("kam.account.plan.objective", "kam.account.plan.action"):
            values[model] = env[model].search_count([("plan_id", "in", plans.ids)])
        values["buying models"] = env["kam.buying.model"].search_count([])
        for row in env["kam.selection.score"].search_read(
            [("partner_id", "=", self.candidate.id)],
            ["criterion_id", "score", "suggested_score"],
        ):
            values[("kam.selection.score", row["criterion_id"][0])] = row
        values["selection scores"] = env["kam.selection.score"].search_count(
            [("partner_id", "=", self.candidate.id)]
        )
        values["messages"] = env["mail.message"].search_count(
            [
                ("model", "in", ["kam.account.plan", "kam.escalation", "res.partner"]),
                ("res_id", "in", plans.ids + self.escalation.ids + accounts),
            ]
        )
        return values

    def _changes(self, before, after):
        return sorted(str(key) for key in before if before[key] != after.get(key))

    def _attempt(self, call):
        """Run ``call`` in a savepoint rolled back afterwards; return its outcome
        and the watched data it changed."""
        before = self._watched()
        result = {}
        # the savepoint rolls back on _Undo, then _Undo is swallowed
        with contextlib.suppress(_Undo), self.env.cr.savepoint():
            result["outcome"] = call()
            result["changes"] = self._changes(before, self._watched())
            raise _Undo()
        self.env.invalidate_all()
        return result["outcome"], result["changes"]

    def _run_table(self, table):
        """``table``: rows (label, users, call) with call() -> (outcome, payload);
        each user is refused, or gets through without changing anything, and
        never meets a traceback. Rows are grouped by user: one login each."""
        by_user = {}
        for label, users, call in table:
            for who in users:
                by_user.setdefault(who, []).append((label, call))
        for who, rows in by_user.items():
            self._login(who)
            for label, call in rows:
                (outcome, payload), changes = self._attempt(call)
                _logger.info(
                    "kam_http %s | %s | %s %s | %s",
                    who,
                    label,
                    outcome,
                    payload if outcome != "ok" else "",
                    changes or "",
                )
                with self.subTest(user=who, call=label):
                    self.assertNotEqual(outcome, "traceback", payload)
                    self.assertFalse(changes, f"{outcome}: changed {changes}")

    def _call(self, model, method, args=None, kwargs=None):
        return lambda: self._rpc(model, method, args, kwargs)

    def _write(self, record, vals):
        return self._call(record._name, "write", [record.ids, vals])

    def _expect_refused(self, table):
        """Like _run_table, and the call must be refused: a read that answers
        is a leak."""
        leaks = []
        by_user = {}
        for label, users, call in table:
            for who in users:
                by_user.setdefault(who, []).append((label, call))
        for who, rows in by_user.items():
            self._login(who)
            for label, call in rows:
                outcome, payload = call()
                _logger.info(
                    "kam_http %s | %s | %s %s",
                    who,
                    label,
                    outcome,
                    str(payload)[:200],
                )
                with self.subTest(user=who, call=label):
                    self.assertEqual(outcome, "refused", f"answered {payload}")
                if outcome != "refused":
                    leaks.append((who, label))
        return leaks

    # ------------------------------------------------------------
    # Reads
    # ------------------------------------------------------------
    def _kam_records(self):
        """{model: {record: users who may read it}} of the fixtures."""
        kam_a = ("kam", "team", "outsider", "elsewhere", "manager")
        plan_a_readers = (*kam_a, "portal")
        return {
            "kam.account.plan": {
                self.plan_a: plan_a_readers,
                self.plan_a_internal: kam_a,
                self.plan_b: ("company_b", "portal_b"),
                self.plan_elsewhere: kam_a,
            },
            "kam.account.plan.objective": {
                self.objective_shared: plan_a_readers,
                self.objective_secret: kam_a,
            },
            "kam.account.plan.action": {
                self.action_customer: plan_a_readers,
                self.action_company: plan_a_readers,
                self.plan_a_internal.action_ids: kam_a,
                self.plan_b.action_ids: ("company_b", "portal_b"),
            },
            "kam.account.review": {self.review: kam_a} if self.review else {},
            "kam.escalation": {self.escalation: kam_a},
            "kam.stakeholder": {self.stakeholder: kam_a},
            "kam.team.member": {self.team_member: kam_a},
            "kam.selection.score": {self.score: kam_a},
            "kam.health.snapshot": {snapshot: kam_a for snapshot in self.snapshots},
        }

    def test_reads_of_kam_models(self):
        """search_read, web_search_read, read_group and read of each kam model:
        a user gets the records they may read and nothing else."""
        leaks = []
        for who in USERS:
            self._login(who)
            for model, readers in self._kam_records().items():
                ids = [record.id for record in readers]
                allowed = {r.id for r, users in readers.items() if who in users}
                leaks += self._kam_check_searches(who, model, ids, allowed)
                for record, users in readers.items():
                    if who in users:
                        continue
                    outcome, payload = self._rpc(
                        model, "read", [record.ids, ["display_name"]]
                    )
                    if outcome != "refused":
                        leaks.append((who, f"{model}.read({record.id})", payload))
        self.assertFalse(leaks, "\n".join(map(str, leaks)))

    def _kam_check_searches(self, who, model, ids, allowed):
        leaks = []
        domain = [("id", "in", ids)]
        calls = {
            "search_read": ("search_read", [domain, ["display_name"]], {}),
            "web_search_read": (
                "web_search_read",
                [domain],
                {"specification": {"display_name": {}}},
            ),
            "read_group": (
                "read_group",
                [domain, ["__count"], ["partner_id"]],
                {"lazy": False},
            ),
            "name_search": ("name_search", [], {"args": domain, "limit": 100}),
        }
        for label, (method, args, kwargs) in calls.items():
            outcome, payload = self._rpc(model, method, args, kwargs)
            if outcome == "traceback":
                leaks.append((who, f"{model}.{label}", f"traceback {payload}"))
                continue
            if outcome != "ok":
                continue
            if method == "search_read":
                got = {row["id"] for row in payload}
            elif method == "web_search_read":
                got = {row["id"] for row in payload["records"]}
            elif method == "name_search":
                got = {row[0] for row in payload}
            else:
                count = sum(group["__count"] for group in payload)
                got = set(range(count)) if count > len(allowed) else set()
            if got - allowed:
                leaks.append((who, f"{model}.{label}", sorted(got - allowed)))
        return leaks

    def test_restricted_partner_fields(self):
        """The KAM fields of a key account: neither read, searched nor grouped by
        users outside the KAM groups, nor by the KAM of another company on an
        account of this company."""
        table = []
        Partner = self.env["res.partner"]
        for fname in RESTRICTED_PARTNER_FIELDS:
            table += [
                (
                    f"read {fname}",
                    NOT_KAM,
                    self._call("res.partner", "read", [self.account.ids, [fname]]),
                ),
                (
                    f"search {fname}",
                    NOT_KAM,
                    self._call(
                        "res.partner",
                        "search_count",
                        [[("id", "=", self.account.id), (fname, "!=", False)]],
                    ),
                ),
                (
                    f"read_group {fname}",
                    # grouping by a field that is not stored is refused with a
                    # ValueError by Odoo itself, for any model
                    NOT_KAM if Partner._fields[fname].store else (),
                    self._call(
                        "res.partner",
                        "read_group",
                        [[("id", "=", self.account.id)], ["__count"], [fname]],
                    ),
                ),
                (
                    f"read {fname} of a company A account",
                    ("company_b", "portal_b"),
                    self._call(
                        "res.partner", "read", [self.account_elsewhere.ids, [fname]]
                    ),
                ),
            ]
        table += self._kam_restricted_plan_rows()
        leaks = self._expect_refused(table)
        _logger.info("kam_http restricted fields: %s leaks", len(leaks))

    def test_group_fields(self):
        """Where a partner counts (the key account of its group) is for the
        employees, the units' figures for the KAM users: over RPC, neither read
        nor searched by the portal, the public or a salesman. (Which companies
        are a key account's units is the partner hierarchy, which the staff
        reads anyway: a salesman may search by it.)"""
        unit = self.env["res.partner"].create(
            {"name": "Acme Unit", "is_company": True, "parent_id": self.account.id}
        )
        table = []
        for fname, record, readers, searchers in (
            ("kam_account_id", self.portal_contact, PORTAL, PORTAL),
            ("kam_group_id", unit, PORTAL, PORTAL),
            ("kam_unit_ids", self.account, NOT_KAM, PORTAL),
            # not stored: Odoo refuses any search on them (ValueError)
            ("kam_unit_revenue_12m", unit, NOT_KAM, ()),
            ("kam_unit_revenue_share", unit, NOT_KAM, ()),
        ):
            table += [
                (
                    f"read {fname}",
                    readers,
                    self._call("res.partner", "read", [record.ids, [fname]]),
                ),
                (
                    f"search {fname}",
                    searchers,
                    self._call(
                        "res.partner",
                        "search_count",
                        [[("id", "=", record.id), (fname, "!=", False)]],
                    ),
                ),
            ]
        leaks = self._expect_refused(table)
        _logger.info("kam_http group fields: %s leaks", len(leaks))
        # the salesman who serves a unit sees which key account it counts for
        self._login("sales")
        outcome, payload = self._rpc(
            "res.partner", "read", [unit.ids, ["kam_group_id"]]
        )
        self.assertEqual(outcome, "ok", payload)
        self.assertEqual(payload[0]["kam_group_id"][0], self.account.id)

    def _kam_restricted_plan_rows(self):
        """The KAM-only fields of a plan and of its actions, to the customer who
        may read the plan: neither read, searched nor grouped by."""
        plan = [("id", "=", self.plan_a.id)]
        rows = []
        for model, domain, fname, value in (
            ("kam.account.plan", plan, "budget", 98765),
            ("kam.account.plan", plan, "strategy", False),
            ("kam.account.plan", plan, "situation", "SECRET"),
            (
                "kam.account.plan.action",
                [("plan_id", "=", self.plan_a.id)],
                "resource",
                False,
            ),
        ):
            operator = "ilike" if isinstance(value, str) else "!="
            rows += [
                (
                    f"{model} search {fname}",
                    ("portal",),
                    self._call(
                        model, "search_count", [[*domain, (fname, operator, value)]]
                    ),
                ),
                (
                    f"{model} read {fname}",
                    ("portal",),
                    self._call(model, "search_read", [domain, [fname]]),
                ),
            ]
            if self.env[model]._fields[fname].store and fname != "situation":
                rows.append(
                    (
                        f"{model} read_group {fname}",
                        ("portal",),
                        self._call(model, "read_group", [domain, ["__count"], [fname]]),
                    )
                )
        return rows

    def test_many2one_names(self):
        """The name of a record the user may not read does not come back through
        a many2one of a record they may read."""
        spec = {"kam_plan_id": {"fields": {"display_name": {}}}}
        table = [
            (
                "lead.kam_plan_id (own lead) read",
                ("sales",),
                self._call("crm.lead", "read", [self.lead_sales.ids, ["kam_plan_id"]]),
            ),
            (
                "lead.kam_plan_id (own lead) web_read",
                ("sales",),
                self._call(
                    "crm.lead",
                    "web_read",
                    [self.lead_sales.ids],
                    {"specification": spec},
                ),
            ),
            (
                "plan name_search",
                ("sales", "portal_nonkey", "portal_b"),
                self._call(
                    "kam.account.plan",
                    "name_search",
                    [],
                    {"name": "Joint Plan A"},
                ),
            ),
        ]
        leaks = self._kam_answers_with(table, "Joint Plan A")
        self.assertFalse(leaks, "\n".join(map(str, leaks)))

    def _kam_answers_with(self, table, secret):
        """The rows of ``table`` whose answer holds ``secret``; a traceback is a
        failure."""
        leaks = []
        for label, users, call in table:
            for who in users:
                self._login(who)
                outcome, payload = call()
                _logger.info("kam_http %s | %s | %s", who, label, outcome)
                self.assertNotEqual(outcome, "traceback", f"{who} {label}")
                if outcome == "ok" and secret in json.dumps(payload):
                    leaks.append((who, label, payload))
        return leaks

    def test_many2one_names_across_companies(self):
        """The KAM of company B reads no name of company A's plans through a
        shared (no company) account's current plan."""
        table = [
            (
                "account.kam_current_plan_id",
                ("company_b",),
                self._call(
                    "res.partner", "read", [self.account.ids, ["kam_current_plan_id"]]
                ),
            ),
            (
                "account.kam_plan_ids names",
                ("company_b",),
                self._call(
                    "res.partner",
                    "web_read",
                    [self.account.ids],
                    {
                        "specification": {
                            "kam_plan_ids": {"fields": {"display_name": {}}}
                        }
                    },
                ),
            ),
        ]
        leaks = self._kam_answers_with(table, "Joint Plan A")
        self.assertFalse(leaks, "\n".join(map(str, leaks)))

    def test_shared_account_across_companies(self):
        """A shared account (no company) is run from the companies of its KAM
        (the rules of its stakeholders, scores and snapshots): the KAM of another
        company reads none of its KAM data either (refused, or read empty)."""
        fnames = [
            "kam_strategy",
            "kam_relationship_stage",
            "kam_health_score",
            "kam_health_band",
            "kam_revenue_12m",
            "kam_plan_progress",
            "kam_escalation_open_count",
            "kam_team_member_ids",
            "kam_current_plan_id",
        ]
        self._login("company_b")
        for fname in fnames:
            outcome, payload = self._rpc(
                "res.partner", "read", [self.account.ids, [fname]]
            )
            _logger.info(
                "kam_http company_b | shared account %s | %s %s",
                fname,
                outcome,
                payload,
            )
            with self.subTest(user="company_b", call=f"shared account {fname}"):
                self.assertNotEqual(outcome, "traceback", payload)
                if outcome == "ok":
                    self.assertFalse(payload[0][fname], f"{fname} read")

    def test_chatter_reads(self):
        """What the chatter routes give: no internal note nor tracked KAM figure
        of a shared plan to its customer, nothing of another's plan."""
        plan = self.plan_a.sudo()
        plan.revenue_target = 4242420
        plan.message_post(body=f"{SECRET}NOTE", subtype_xmlid="mail.mt_note")
        self.account.sudo().message_post(
            body=f"{SECRET}ACCOUNT-NOTE", subtype_xmlid="mail.mt_note"
        )
        secrets = (SECRET, "4242420", "4,242,420")
        leaks = []
        rows = [
            (("portal",), self.plan_a),
            (("portal_b", "portal_nonkey", "sales", "company_b"), self.plan_a),
            (("portal", "sales", "company_b"), self.account),
        ]
        for users, record in rows:
            for who in users:
                self._login(who)
                for route in ("/mail/thread/messages", "/mail/chatter_fetch"):
                    params = {"thread_model": record._name, "thread_id": record.id}
                    try:
                        answer = json.dumps(self.make_jsonrpc_request(route, params))
                    except Exception as error:  # noqa: BLE001 - a refusal is fine
                        self.assertIn(str(error), REFUSALS, f"{who} {route}")
                        continue
                    found = [secret for secret in secrets if secret in answer]
                    _logger.info("kam_http %s | %s %s | %s", who, route, record, found)
                    if found:
                        leaks.append((who, route, record._name, found))
        self.assertFalse(leaks, "\n".join(map(str, leaks)))

    # ------------------------------------------------------------
    # Writes, creates, unlinks
    # ------------------------------------------------------------
    def test_writes(self):
        now = fields.Datetime.now()
        past = fields.Date.to_string(fields.Date.today() - timedelta(days=400))
        team_fields_users = ("sales", "outsider", "elsewhere", "company_b", *PORTAL)
        table = [
            # the key account's data
            (
                "account kam_strategy",
                team_fields_users,
                self._write(self.account, {"kam_strategy": "maintain"}),
            ),
            (
                "account kam_user_id = self",
                EVERYONE_BUT_MANAGER,
                self._write(self.account, {"kam_user_id": self.user_kam_other.id}),
            ),
            (
                "account demoted",
                EVERYONE_BUT_MANAGER,
                self._write(self.account, {"is_key_account": False}),
            ),
            (
                "account archived",
                EVERYONE_BUT_MANAGER,
                self._write(self.account, {"active": False}),
            ),
            (
                "account kam_health_score",
                tuple(USERS),
                self._write(self.account, {"kam_health_score": 99}),
            ),
            (
                "account is_company = False",
                OFF_TEAM,
                self._write(self.account, {"is_company": False}),
            ),
            (
                "company A account company_id = False",
                ("sales", "outsider", "company_b", *PORTAL),
                self._write(self.account_elsewhere, {"company_id": False}),
            ),
            (
                "company A account company_id = B",
                ("sales", "outsider", "company_b", *PORTAL),
                self._write(self.account_elsewhere, {"company_id": self.company_b.id}),
            ),
            (
                "candidate promoted",
                ("sales", *PORTAL),
                self._write(self.candidate, {"is_key_account": True}),
            ),
            (
                "company cap",
                EVERYONE_BUT_MANAGER,
                self._write(self.company, {"kam_max_key_accounts": 1}),
            ),
            # plans
            (
                "plan name",
                OFF_ACCOUNT,
                self._write(self.plan_a, {"name": "Hacked"}),
            ),
            (
                "internal plan shared",
                OFF_ACCOUNT,
                self._write(self.plan_a_internal, {"portal_shared": True}),
            ),
            (
                "plan moved to another account",
                ("team", "outsider", "elsewhere", "company_b", "sales", *PORTAL),
                self._write(self.plan_a, {"partner_id": self.account_elsewhere.id}),
            ),
            (
                "plan of another account moved onto ours",
                ("team", "kam", "company_b", "sales", *PORTAL),
                self._write(self.plan_elsewhere, {"partner_id": self.account.id}),
            ),
            (
                "plan progress typed in",
                ("team", "kam", *OFF_ACCOUNT),
                self._write(self.plan_a, {"progress": 100}),
            ),
            (
                "plan review dates typed in",
                ("team", "kam", *OFF_ACCOUNT),
                self._write(
                    self.plan_a,
                    {"last_review_date": past, "next_review_date": past},
                ),
            ),
            (
                "objective progress typed in",
                ("team", "kam", *OFF_ACCOUNT),
                self._write(self.objective_shared, {"progress": 100}),
            ),
            (
                "objective moved to another account's plan",
                ("team", "kam", "outsider", "company_b", "sales", *PORTAL),
                self._write(self.objective_secret, {"plan_id": self.plan_elsewhere.id}),
            ),
            (
                "action done",
                OFF_ACCOUNT,
                self._write(self.action_customer, {"state": "done"}),
            ),
            # escalations, stakeholders, team
            (
                "escalation resolved",
                OFF_ACCOUNT,
                self._write(self.escalation, {"state": "cancelled"}),
            ),
            (
                "escalation deadline in the past",
                ("team", "kam", *OFF_ACCOUNT),
                self._write(
                    self.escalation,
                    {"deadline": fields.Datetime.to_string(now - timedelta(days=3))},
                ),
            ),
            (
                "escalation moved to another account",
                ("team", "kam", "outsider", "company_b", "sales", *PORTAL),
                self._write(self.escalation, {"partner_id": self.account_elsewhere.id}),
            ),
            (
                "stakeholder last interaction typed in",
                ("team", "kam", *OFF_ACCOUNT),
                self._write(self.stakeholder, {"last_interaction_date": past}),
            ),
            (
                "stakeholder next contact typed in",
                ("team", "kam", *OFF_ACCOUNT),
                self._write(self.stakeholder, {"next_contact_date": past}),
            ),
            (
                "stakeholder moved to another account",
                ("team", "kam", "outsider", "company_b", "sales", *PORTAL),
                self._write(
                    self.stakeholder, {"partner_id": self.account_elsewhere.id}
                ),
            ),
            (
                "team member becomes someone else",
                OFF_TEAM,
                self._write(self.team_member, {"user_id": self.user_kam_other.id}),
            ),
            (
                "salesman's lead linked to another plan",
                ("sales",),
                self._write(self.lead_sales, {"kam_plan_id": self.plan_elsewhere.id}),
            ),
        ]
        if self.workbook:
            table.append(
                (
                    "workbook replaced",
                    ("team", "outsider", "elsewhere", "company_b", "sales", *PORTAL),
                    self._write(self.workbook, {"file": base64.b64encode(b"EVIL")}),
                )
            )
        self._run_table(table)

    def test_creates_and_unlinks(self):
        table = [
            (
                "plan created on another's account",
                OFF_ACCOUNT,
                self._call(
                    "kam.account.plan",
                    "create",
                    [{"name": "Mine", "partner_id": self.account.id}],
                ),
            ),
            (
                "objective created on another account's plan",
                ("team", "kam", "outsider", "company_b", "sales", *PORTAL),
                self._call(
                    "kam.account.plan.objective",
                    "create",
                    [{"name": "Injected", "plan_id": self.plan_elsewhere.id}],
                ),
            ),
            (
                "action created on another account's plan",
                ("team", "kam", "outsider", "company_b", "sales", *PORTAL),
                self._call(
                    "kam.account.plan.action",
                    "create",
                    [{"name": "Injected", "plan_id": self.plan_elsewhere.id}],
                ),
            ),
            (
                "stakeholder created on another's account",
                OFF_ACCOUNT,
                self._call(
                    "kam.stakeholder",
                    "create",
                    [
                        {
                            "partner_id": self.account.id,
                            "contact_id": self.portal_contact.id,
                        }
                    ],
                ),
            ),
            (
                "escalation opened on another's account",
                OFF_ACCOUNT,
                self._call(
                    "kam.escalation",
                    "create",
                    [{"name": "Fake", "partner_id": self.account.id}],
                ),
            ),
            (
                "joins another KAM's team",
                OFF_TEAM,
                self._call(
                    "kam.team.member",
                    "create",
                    [{"partner_id": self.account.id, "user_id": self.user_sales.id}],
                ),
            ),
            (
                "key account created past the rights",
                ("sales", *PORTAL),
                self._call(
                    "res.partner",
                    "create",
                    [{"name": "Sneaky", "is_company": True, "is_key_account": True}],
                ),
            ),
            (
                "plan copied",
                OFF_ACCOUNT,
                self._call("kam.account.plan", "copy", [self.plan_a.ids]),
            ),
            (
                "another account's plan copied",
                ("team", "kam", "outsider", "company_b", "sales", *PORTAL),
                self._call("kam.account.plan", "copy", [self.plan_elsewhere.ids]),
            ),
            (
                "escalation copied",
                OFF_ACCOUNT,
                self._call("kam.escalation", "copy", [self.escalation.ids]),
            ),
            (
                "joins the team through the account",
                OFF_TEAM,
                lambda: self._rpc(
                    "res.partner",
                    "write",
                    [
                        self.account.ids,
                        {
                            "kam_team_member_ids": [
                                (0, 0, {"user_id": self.user_kam_other.id})
                            ]
                        },
                    ],
                ),
            ),
            (
                "stakeholder moved through the account",
                ("team", "kam", "outsider", "company_b", "sales", *PORTAL),
                self._write(
                    self.account,
                    {
                        "kam_stakeholder_ids": [
                            (
                                1,
                                self.stakeholder.id,
                                {"partner_id": self.account_elsewhere.id},
                            )
                        ]
                    },
                ),
            ),
            (
                "another account's objective linked to our plan",
                ("team", "kam", "outsider", "company_b", "sales", *PORTAL),
                self._write(
                    self.plan_a,
                    {"objective_ids": [(4, self.plan_elsewhere.objective_ids.id)]},
                ),
            ),
            (
                "objective added through another's plan",
                OFF_ACCOUNT,
                self._write(self.plan_a, {"objective_ids": [(0, 0, {"name": "X"})]}),
            ),
            (
                "plan deleted",
                OFF_ACCOUNT,
                self._call("kam.account.plan", "unlink", [self.plan_a.ids]),
            ),
            (
                "escalation deleted",
                EVERYONE_BUT_MANAGER,
                self._call("kam.escalation", "unlink", [self.escalation.ids]),
            ),
            (
                "stakeholder deleted",
                OFF_ACCOUNT,
                self._call("kam.stakeholder", "unlink", [self.stakeholder.ids]),
            ),
            (
                "team member deleted",
                OFF_TEAM,
                self._call("kam.team.member", "unlink", [self.team_member.ids]),
            ),
            (
                "key account deleted",
                EVERYONE_BUT_MANAGER,
                self._call("res.partner", "unlink", [self.account.ids]),
            ),
        ]
        self._run_table(table)

    # ------------------------------------------------------------
    # Public methods
    # ------------------------------------------------------------
    def test_public_methods(self):
        plan, esc = self.plan_a.ids, self.escalation.ids
        table = [
            (
                f"plan {method}",
                OFF_ACCOUNT,
                self._call("kam.account.plan", method, [plan]),
            )
            for method in ("action_activate", "action_cancel")
        ]
        table += [
            (
                f"escalation {method}",
                OFF_ACCOUNT,
                self._call("kam.escalation", method, [esc]),
            )
            for method in ("action_start", "action_cancel", "action_reset_to_new")
        ]
        table += [
            (
                "internal plan portal preview (mints a token)",
                ("outsider", "elsewhere", "company_b", "sales", *PORTAL),
                self._call(
                    "kam.account.plan",
                    "action_kam_portal_preview",
                    [self.plan_a_internal.ids],
                ),
            ),
            (
                "health computed",
                OFF_ACCOUNT,
                self._call(
                    "res.partner", "action_kam_compute_health", [self.account.ids]
                ),
            ),
            (
                "stakeholder refresh",
                OFF_ACCOUNT,
                self._call(
                    "kam.stakeholder",
                    "action_refresh_last_interaction",
                    [self.stakeholder.ids],
                ),
            ),
            (
                "lead linked to the plan",
                ("sales", "outsider", "company_b", *PORTAL),
                self._call("crm.lead", "action_kam_link_plan", [self.lead_sales.ids]),
            ),
            (
                "buying model fitted",
                EVERYONE_BUT_MANAGER,
                self._call("kam.buying.model", "action_kam_fit", [[]]),
            ),
            (
                "scores suggested",
                NOT_KAM,
                self._call(
                    "res.partner", "action_kam_suggest_scores", [self.candidate.ids]
                ),
            ),
            (
                "suggestion accepted",
                NOT_KAM,
                lambda: self._kam_accept_suggestions(self.candidate),
            ),
            (
                "demotion wizard confirmed",
                EVERYONE_BUT_MANAGER,
                lambda: self._kam_wizard_confirm(self.account, "demote"),
            ),
            (
                "promotion wizard confirmed",
                ("sales", *PORTAL),
                lambda: self._kam_wizard_confirm(self.candidate, "promote"),
            ),
        ]
        self._run_table(table)

    def _kam_accept_suggestions(self, partner):
        """Accept the suggested scores of ``partner``, as the candidate's form
        does (the lines' ids are not secret: a user could guess them)."""
        lines = (
            self.env["kam.selection.score"]
            .sudo()
            .search([("partner_id", "=", partner.id)])
        )
        return self._rpc("kam.selection.score", "action_accept_suggestion", [lines.ids])

    def _kam_wizard_confirm(self, partner, mode):
        outcome, wizard_id = self._rpc(
            "kam.designation.wizard",
            "create",
            [{"partner_id": partner.id, "mode": mode, "kam_strategy": "maintain"}],
        )
        if outcome != "ok":
            return outcome, wizard_id
        return self._rpc("kam.designation.wizard", "action_confirm", [[wizard_id]])

    def test_takeover_after_demotion(self):
        """Once the account is demoted, no KAM user takes it (and with it its
        plan, escalation and stakeholders) by naming himself its KAM."""
        self.account.sudo().write({"is_key_account": False})
        table = []
        for who in ("outsider", "elsewhere", "team", "company_b"):
            user = self.users[who]
            table.append(
                (
                    f"demoted account kam_user_id = {who} (as {who})",
                    (who,),
                    self._write(self.account, {"kam_user_id": user.id}),
                )
            )
            table.append(
                (
                    f"demoted account re-promoted with {who} as KAM",
                    (who,),
                    self._write(
                        self.account,
                        {"is_key_account": True, "kam_user_id": user.id},
                    ),
                )
            )
        self._run_table(table)

    # ------------------------------------------------------------
    # Chatter
    # ------------------------------------------------------------
    def test_chatter(self):
        comment = {
            "body": "Customer-visible comment",
            "message_type": "comment",
            "subtype_xmlid": "mail.mt_comment",
        }
        table = [
            (
                "comment on a plan",
                ("outsider", "elsewhere", "company_b", "sales", "portal_b"),
                self._call(
                    "kam.account.plan", "message_post", [self.plan_a.ids], comment
                ),
            ),
            (
                "comment on an internal plan",
                ("outsider", "elsewhere", "company_b", "sales", *PORTAL),
                self._call(
                    "kam.account.plan",
                    "message_post",
                    [self.plan_a_internal.ids],
                    comment,
                ),
            ),
            (
                "comment on an escalation",
                OFF_ACCOUNT,
                self._call(
                    "kam.escalation", "message_post", [self.escalation.ids], comment
                ),
            ),
            (
                "comment on the key account",
                PORTAL,
                self._call("res.partner", "message_post", [self.account.ids], comment),
            ),
            (
                "/mail/message/post on a plan",
                ("outsider", "elsewhere", "company_b", "portal_b", "portal_nonkey"),
                lambda: self._kam_route_post(self.plan_a),
            ),
            (
                "subscribes someone else to a plan",
                OFF_ACCOUNT,
                self._call(
                    "kam.account.plan",
                    "message_subscribe",
                    [self.plan_a.ids],
                    {"partner_ids": self.user_sales.partner_id.ids},
                ),
            ),
        ]
        for who in ("portal", "portal_b", "portal_nonkey", "company_b", "sales"):
            table.append(self._kam_follow_row(who, self.plan_a))
        for who in ("company_b", "sales", "portal", "portal_b", "portal_nonkey"):
            table.append(self._kam_follow_row(who, self.escalation))
        self._run_table(table)

    def test_chatter_attachments_and_authors(self):
        """A comment takes no attachment of another record (which would then be
        readable with the comment), nor the name of another author."""
        attachment_b = self.env["ir.attachment"].create(
            {
                "name": "b.txt",
                "res_model": "kam.account.plan",
                "res_id": self.plan_b.id,
                "datas": base64.b64encode(b"SECRET-B"),
            }
        )
        attachments = self.attachment | attachment_b
        cases = [
            ("portal", self.plan_a, self.attachment),
            ("team", self.plan_a, attachment_b),
            ("kam", self.plan_a, attachment_b),
            ("company_b", self.plan_b, self.attachment),
        ]
        wrong = []
        for who, plan, attachment in cases:
            self._login(who)
            before = attachments.read(["res_model", "res_id"])
            outcome, payload = self._rpc(
                plan._name,
                "message_post",
                [plan.ids],
                {
                    "body": "See attached",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                    "attachment_ids": attachment.ids,
                },
            )
            self.env.invalidate_all()
            message = plan.message_ids[:1]
            linked = attachment in message.attachment_ids and "See attached" in (
                message.body or ""
            )
            _logger.info("kam_http %s | post with attachment | %s", who, outcome)
            with self.subTest(user=who, call="comment with another's attachment"):
                self.assertNotEqual(outcome, "traceback", payload)
                self.assertFalse(linked, "the attachment is linked to the comment")
                self.assertEqual(attachments.read(["res_model", "res_id"]), before)
            if linked:
                wrong.append((who, attachment.name))
        for who in ("portal", "team"):
            self._login(who)
            outcome, payload = self._rpc(
                "kam.account.plan",
                "message_post",
                [self.plan_a.ids],
                {
                    "body": "Signed by someone else",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                    "author_id": self.user_kam_manager.partner_id.id,
                },
            )
            self.env.invalidate_all()
            message = self.plan_a.message_ids[:1]
            _logger.info("kam_http %s | post as another author | %s", who, outcome)
            with self.subTest(user=who, call="comment as another author"):
                self.assertNotEqual(outcome, "traceback", payload)
                self.assertFalse(
                    outcome == "ok"
                    and message.author_id == self.user_kam_manager.partner_id,
                    "posted in the name of the manager",
                )

    def _kam_follow_row(self, who, record):
        partner = self.users[who].partner_id
        return (
            f"follows {record._name}",
            (who,),
            self._call(
                record._name,
                "message_subscribe",
                [record.ids],
                {"partner_ids": partner.ids},
            ),
        )

    def _kam_route_post(self, plan):
        try:
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "post_data": {
                        "body": "via the route",
                        "message_type": "comment",
                        "subtype_xmlid": "mail.mt_comment",
                    },
                    "thread_id": plan.id,
                    "thread_model": plan._name,
                },
            )
        except Exception as error:  # noqa: BLE001 - the name is what we check
            name = str(error)
            return ("refused" if name in REFUSALS else "traceback"), name
        return "ok", None

    # ------------------------------------------------------------
    # Portal routes and downloads
    # ------------------------------------------------------------
    def _get(self, url):
        response = self.url_open(url, allow_redirects=False)
        if response.status_code != 200:
            return "refused", response.status_code
        if SECRET in response.text or "Joint Plan A" in response.text:
            return "ok", "content shown"
        return "refused", "200 without the content"

    def _post_done(self, plan, action):
        response = self.url_open(
            f"/my/account-plans/{plan.id}/actions/{action.id}/done",
            data={"csrf_token": http.Request.csrf_token(self)},
            allow_redirects=False,
        )
        if response.status_code >= 500:
            return "traceback", response.status_code
        return "ok", response.status_code

    def test_portal_routes(self):
        token_internal = self.plan_a_internal.sudo()._portal_ensure_token()
        token_a = self.plan_a.sudo()._portal_ensure_token()
        internal_url = f"/my/account-plans/{self.plan_a_internal.id}"
        table = [
            (
                "unshared plan page",
                ("portal", "portal_b", "portal_nonkey", "public"),
                lambda: self._get(internal_url),
            ),
            (
                "another customer's plan page",
                ("portal_b", "portal_nonkey", "public", "sales"),
                lambda: self._get(f"/my/account-plans/{self.plan_a.id}"),
            ),
            (
                "unshared plan page with a token minted on it",
                ("public", "portal_b", "portal_nonkey"),
                lambda: self._get(f"{internal_url}?access_token={token_internal}"),
            ),
            (
                "plans list",
                ("portal_b", "portal_nonkey", "sales", "outsider"),
                lambda: self._get("/my/account-plans"),
            ),
        ]
        self._expect_refused(table)
        # a token that outlives the plan's move to another account
        self.plan_a.sudo().partner_id = self.account_elsewhere
        self.plan_a.sudo().portal_shared = True
        self.authenticate(None, None)
        outcome, payload = self._get(
            f"/my/account-plans/{self.plan_a.id}?access_token={token_a}"
        )
        with self.subTest(user="public", call="token after the plan moved"):
            self.assertEqual(outcome, "refused", payload)

    def test_links_handed_out(self):
        """The link (access token) of a shared plan is handed out only to those
        who may comment on it: not read nor built by another KAM user, another
        company or another customer."""
        token = self.plan_a.sudo()._portal_ensure_token()
        calls = {
            "read access_token": lambda: self._rpc(
                "kam.account.plan", "read", [self.plan_a.ids, ["access_token"]]
            ),
            "get_portal_url": lambda: self._rpc(
                "kam.account.plan", "get_portal_url", [self.plan_a.ids]
            ),
            "portal preview": lambda: self._rpc(
                "kam.account.plan", "action_kam_portal_preview", [self.plan_a.ids]
            ),
        }
        users = ("outsider", "elsewhere", "company_b", "sales", "portal_b")
        leaks = []
        for who in users:
            self._login(who)
            for label, call in calls.items():
                outcome, payload = call()
                _logger.info("kam_http %s | %s | %s", who, label, outcome)
                self.assertNotEqual(outcome, "traceback", f"{who} {label}")
                if outcome == "ok" and token in json.dumps(payload):
                    leaks.append((who, label))
        self.assertFalse(leaks, "the plan's link handed out")

    def test_portal_action_done(self):
        hidden = self.plan_a_internal.action_ids
        table = [
            (
                "marks a customer action done",
                ("outsider", "elsewhere", "company_b", "sales", "portal_b"),
                lambda: self._post_done(self.plan_a, self.action_customer),
            ),
            (
                "marks our company's action done",
                ("portal", "outsider"),
                lambda: self._post_done(self.plan_a, self.action_company),
            ),
            (
                "marks an unshared plan's action done",
                ("portal", "outsider", "elsewhere", "company_b"),
                lambda: self._post_done(self.plan_a_internal, hidden),
            ),
            (
                "marks another plan's action through its plan",
                ("portal",),
                lambda: self._post_done(self.plan_a, self.plan_b.action_ids),
            ),
            (
                "marks another customer's action done",
                ("portal", "portal_nonkey"),
                lambda: self._post_done(self.plan_b, self.plan_b.action_ids),
            ),
        ]
        self._run_table(table)

    def test_downloads(self):
        report = "kam_management.kam_account_plan_report_document"
        table = [
            (
                "plan report html",
                ("sales", "company_b", *PORTAL),
                lambda: self._get(f"/report/html/{report}/{self.plan_a.id}"),
            ),
            (
                "unshared plan report html",
                ("sales", "company_b", *PORTAL),
                lambda: self._get(f"/report/html/{report}/{self.plan_a_internal.id}"),
            ),
            (
                "plan report pdf",
                ("portal", "company_b"),
                lambda: self._kam_get_pdf(f"/report/pdf/{report}/{self.plan_a.id}"),
            ),
            (
                "attachment of an unshared plan",
                ("sales", "company_b", *PORTAL),
                lambda: self._kam_get_bytes(
                    f"/web/content/{self.attachment.id}", b"SECRET-ATTACHMENT"
                ),
            ),
            (
                "attachment of an unshared plan (image route)",
                ("sales", "company_b", *PORTAL),
                lambda: self._kam_get_bytes(
                    f"/web/image/{self.attachment.id}", b"SECRET-ATTACHMENT"
                ),
            ),
        ]
        if self.review:
            brief = "kam_management.kam_review_brief_report_document"
            table += [
                (
                    "review brief html",
                    ("sales", "company_b", *PORTAL),
                    lambda: self._get(f"/report/html/{brief}/{self.review.id}"),
                ),
                (
                    "review brief pdf",
                    ("portal", "company_b"),
                    lambda: self._kam_get_pdf(f"/report/pdf/{brief}/{self.review.id}"),
                ),
            ]
        workbook = "/kam_management/workbook"
        table += [
            (
                "workbook of another company's plan",
                ("kam", "team", "outsider", "elsewhere", "manager"),
                lambda: self._kam_get_xlsx(f"{workbook}/plan/{self.plan_b.id}", ""),
            ),
            (
                "workbook of a plan",
                ("sales", "company_b", *PORTAL),
                lambda: self._kam_get_xlsx(f"{workbook}/plan/{self.plan_a.id}", ""),
            ),
            (
                "portfolio workbook",
                ("sales", *PORTAL),
                lambda: self._kam_get_xlsx(f"{workbook}/portfolio", ""),
            ),
            (
                "portfolio workbook of another company's account",
                ("company_b",),
                lambda: self._kam_get_xlsx(
                    f"{workbook}/portfolio?partner_ids={self.account_elsewhere.id}",
                    "Other Key SA",
                ),
            ),
        ]
        if self.workbook:
            url = f"/web/content/kam.xlsx.export/{self.workbook.id}/file"
            table.append(
                (
                    "another user's workbook",
                    ("team", "outsider", "elsewhere", "company_b", "sales", *PORTAL),
                    lambda: self._kam_get_bytes(url, b"PK-SECRET"),
                )
            )
        self._expect_refused(table)

    def test_timeline(self):
        """The account's timeline over JSON-RPC: the escalation's row only for
        the KAM users of the account's company, nothing for the portal and the
        visitor."""
        domain = [("partner_id", "=", self.account.id)]
        readers = {"kam", "team", "outsider", "elsewhere", "manager"}
        for who in USERS:
            self._login(who)
            outcome, rows = self._rpc(
                "kam.timeline", "search_read", [domain, ["res_model", "res_id"]]
            )
            with self.subTest(user=who):
                if who in PORTAL:
                    self.assertEqual(outcome, "refused", rows)
                    continue
                self.assertEqual(outcome, "ok", rows)
                escalations = [
                    row["res_id"]
                    for row in rows
                    if row["res_model"] == "kam.escalation"
                ]
                self.assertEqual(
                    escalations, self.escalation.ids if who in readers else []
                )

    def test_buying_committee(self):
        """An opportunity's buying committee (its stakeholders) is not read,
        searched nor written by who is outside the programme, even on his own
        opportunity."""
        lead = self.lead_sales
        table = [
            (
                "committee read",
                NOT_KAM,
                self._call("crm.lead", "read", [lead.ids, ["kam_stakeholder_ids"]]),
            ),
            (
                "committee searched",
                NOT_KAM,
                self._call(
                    "crm.lead", "search", [[("kam_stakeholder_ids", "!=", False)]]
                ),
            ),
            (
                "committee written",
                NOT_KAM,
                self._write(lead, {"kam_stakeholder_ids": [(4, self.stakeholder.id)]}),
            ),
        ]
        self._expect_refused(table)

    def test_playbooks(self):
        """Only a KAM administrator writes a playbook: a KAM user or a salesman
        neither creates one nor changes a shipped one's steps."""
        plan = self.env["mail.activity.plan"].create(
            {
                "name": "Low health",
                "res_model": "kam.escalation",
                "kam_trigger": "escalation_low_health",
                "template_ids": [
                    (0, 0, {"summary": "Call", "responsible_type": "on_demand"})
                ],
            }
        )
        self.env.flush_all()
        vals = {
            "name": "Hijacked",
            "kam_trigger": "designation",
            "res_model": "res.partner",
        }
        step = plan.template_ids
        table = [
            (
                "playbook created",
                EVERYONE_BUT_MANAGER,
                self._call("mail.activity.plan", "create", [vals]),
            ),
            (
                "playbook renamed",
                EVERYONE_BUT_MANAGER,
                self._write(plan, {"name": "Hijacked"}),
            ),
            (
                "playbook step given to another user",
                EVERYONE_BUT_MANAGER,
                self._write(step, {"responsible_type": "other", "responsible_id": 2}),
            ),
        ]
        self._expect_refused(table)

    def _kam_get_bytes(self, url, secret):
        response = self.url_open(url, allow_redirects=False)
        if response.status_code >= 500:
            return "traceback", response.status_code
        if response.status_code == 200 and secret in response.content:
            return "ok", "downloaded"
        return "refused", response.status_code

    def _kam_get_xlsx(self, url, secret):
        """ "ok" if ``url`` answers a workbook (that holds ``secret``, if given)."""
        response = self.url_open(url, allow_redirects=False)
        if response.status_code >= 500:
            return "traceback", response.status_code
        if response.status_code != 200 or not response.content.startswith(b"PK"):
            return "refused", response.status_code
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            text = "".join(
                book.read(name).decode(errors="ignore") for name in book.namelist()
            )
        return ("ok" if secret in text else "refused"), "workbook"

    def _kam_get_pdf(self, url):
        response = self.url_open(url, allow_redirects=False)
        if response.status_code >= 500:
            return "traceback", response.status_code
        if response.status_code == 200 and response.content.startswith(b"%PDF"):
            return "ok", "pdf"
        return "refused", response.status_code
