"""Load of a Key Account Manager's day on a running Odoo server (asyncio, aiohttp).

N virtual users, each a KAM user with a session of their own (logged in with
``/web/session/authenticate``) and the portal user of one of their customers,
open the screens below over and over, in a random order each round, for a given
time, sending the requests the web client sends (JSON-RPC on
``/web/dataset/call_kw``; the requests of a screen that the browser sends together
are sent together). The field specifications are those the web client derives
from the views, read with ``get_views`` as the KAM user, as the web client reads
them when it opens an action. Prints, per screen, screens per second, p50, p95 and
p99 latency of the whole screen, and errors; then whether the goals are met (no
error; p95 of each KAM screen at most 1.5 times that of the Odoo screen it is
compared with). Run by benchmarks/load/run.sh; alone::

    python benchmarks/load/client.py --url http://127.0.0.1:8069 -d kam_bench_load \\
        --manifest /tmp/kam_bench_load.json --users 10 --duration 60

The KAM screens: the landing page (the dashboard action, its tiles and the first
page of its kanban), a key account's form, its health breakdown (the form of
its latest health snapshot, a line per factor with its evidence), an account
plan's form, the CRM pipeline filtered on key accounts (the grouped kanban:
groups, progress bars, the cards of each open column) and the portal plan page (an
HTTP GET as the portal user). Odoo's own screens, for comparison: the CRM pipeline
without filter and an ordinary customer's form, both with the fields Odoo's views
have without the addons (the ``kam_`` fields and ``is_key_account`` left out).
"""

import argparse
import ast
import asyncio
import json
import random
import statistics
import time
import xml.etree.ElementTree as ET

import aiohttp

# the screens, in the printed order, and the Odoo screen each KAM screen is
# compared with (the like of it: a form with a form, a kanban with a kanban)
KAM_SCREENS = {
    "landing page": "Odoo pipeline",
    "key account form": "Odoo partner form",
    "health breakdown": "Odoo partner form",
    "account plan form": "Odoo partner form",
    "KAM pipeline": "Odoo pipeline",
    "portal plan page": "Odoo partner form",
}
ODOO_SCREENS = ["Odoo pipeline", "Odoo partner form"]
GOAL_RATIO = 1.5
# the web client's limits: records of a kanban (or of a kanban column), lines of
# an x2many field in a form, groups of a grouped kanban
KANBAN_LIMIT = 40
X2MANY_LIMIT = 40
GROUP_LIMIT = 80
MAX_OPEN_GROUPS = 10


class RequestError(Exception):
    """A request that failed: an HTTP status other than 200, or an RPC error."""


class Session:
    """A user's HTTP session on the server (its own cookie)."""

    def __init__(self, args, login, password):
        self.args = args
        self.login = login
        self.password = password
        self.http = None
        self.context = {}
        self.uid = None
        self.requests = 0

    async def open(self):
        self.http = aiohttp.ClientSession(
            base_url=self.args.url,
            # the server is an IP address: keep its cookie anyway
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=self.args.timeout),
        )
        result = await self.rpc(
            "/web/session/authenticate",
            {"db": self.args.database, "login": self.login, "password": self.password},
        )
        self.uid = result["uid"]
        self.context = dict(result["user_context"])
        companies = result.get("user_companies") or {}
        if companies.get("current_company"):
            self.context["allowed_company_ids"] = [companies["current_company"]]

    async def close(self):
        await self.http.close()

    async def rpc(self, path, params):
        self.requests += 1
        payload = {"jsonrpc": "2.0", "method": "call", "id": self.requests}
        async with self.http.post(path, json={**payload, "params": params}) as reply:
            if reply.status != 200:
                raise RequestError(f"{path}: HTTP {reply.status}")
            body = await reply.json()
        if "error" in body:
            error = body["error"].get("data", {}).get("message") or body["error"]
            raise RequestError(f"{path}: {error}")
        return body["result"]

    async def call(self, model, method, *args, **kwargs):
        kwargs["context"] = {**self.context, **kwargs.get("context", {})}
        return await self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    async def get(self, path):
        self.requests += 1
        async with self.http.get(path, allow_redirects=False) as reply:
            await reply.read()
            if reply.status != 200:
                raise RequestError(f"GET {path}: HTTP {reply.status}")


# ------------------------------------------------------------
# The field specifications of the views, as the web client builds them
# ------------------------------------------------------------
def field_nodes(node):
    """The <field> elements of an arch, without those of their sub-views."""
    for child in node:
        if child.tag == "field":
            yield child
        else:
            yield from field_nodes(child)


def fields_spec(node, model, models, keep=lambda name: True):
    """The ``specification`` of web_read / web_search_read for the fields of the
    view ``node`` of ``model`` (``models``: the field descriptions get_views
    returns), as the web client's getFieldsSpec builds it: a many2one reads its
    display name, an x2many the fields of its sub-view (list or kanban); the
    fields for which ``keep(name)`` is false are left out."""
    spec = {}
    described = models[model]["fields"]
    for field in field_nodes(node):
        name = field.get("name")
        if name not in described or not keep(name):
            continue
        invisible = field.get("invisible") in ("1", "True")
        description = described[name]
        entry = spec.setdefault(name, {})
        if description["type"] in ("many2one", "reference"):
            entry.setdefault("fields", {})
            if not invisible:
                entry["fields"]["display_name"] = {}
        elif description["type"] in ("one2many", "many2many") and not invisible:
            sub_view = next((v for v in field if v.tag in ("list", "kanban")), None)
            if sub_view is not None:
                sub_spec = fields_spec(sub_view, description["relation"], models, keep)
                entry.setdefault("fields", {}).update(sub_spec)
                entry["limit"] = X2MANY_LIMIT
                if sub_view.get("default_order"):
                    entry["order"] = sub_view.get("default_order")
            elif field.get("widget") in ("many2many_tags", "many2many_tags_avatar"):
                entry.setdefault("fields", {})["display_name"] = {}
    return spec


def odoo_field(name):
    """A field of Odoo's own views (not one the KAM addons add)."""
    return not (name.startswith("kam_") or name == "is_key_account")


async def view(session, model, view_id, view_type):
    """The arch (parsed) of a view and the field descriptions of its models."""
    result = await session.call(
        model,
        "get_views",
        views=[[view_id, view_type]],
        options={"toolbar": False, "load_filters": False},
    )
    return ET.fromstring(result["views"][view_type]["arch"]), result["models"]


def action_view(action, view_type):
    return next((vid for vid, vtype in action["views"] if vtype == view_type), False)


async def screens_setup(session):
    """Everything the screens need from the views and actions (read once, as the
    web client caches them)."""
    dashboard = await session.rpc(
        "/web/action/load", {"action_id": "kam_management.kam_dashboard_action_server"}
    )
    landing = await session.call("res.partner", "action_kam_dashboard")
    kanban, kanban_models = await view(
        session, "res.partner", action_view(landing, "kanban"), "kanban"
    )
    form, form_models = await view(session, "res.partner", False, "form")
    snapshot, snapshot_models = await view(
        session, "kam.health.snapshot", False, "form"
    )
    plan, plan_models = await view(session, "kam.account.plan", False, "form")
    pipeline = await session.rpc(
        "/web/action/load", {"action_id": "crm.crm_lead_action_pipeline"}
    )
    leads, lead_models = await view(
        session, "crm.lead", action_view(pipeline, "kanban"), "kanban"
    )
    progressbar = leads.find("progressbar")
    aggregates = [
        f"{progressbar.get(attribute)}:sum"
        for attribute in ("sum_field", "recurring_revenue_sum_field")
        if progressbar.get(attribute)
    ]
    return {
        "dashboard_action": dashboard["id"],
        "landing_order": kanban.get("default_order") or "",
        "landing_spec": fields_spec(kanban, "res.partner", kanban_models),
        "form_spec": {
            "display_name": {},
            **fields_spec(form, "res.partner", form_models),
        },
        "odoo_form_spec": {
            "display_name": {},
            **fields_spec(form, "res.partner", form_models, odoo_field),
        },
        "snapshot_spec": {
            "display_name": {},
            **fields_spec(snapshot, "kam.health.snapshot", snapshot_models),
        },
        "plan_spec": {
            "display_name": {},
            **fields_spec(plan, "kam.account.plan", plan_models),
        },
        "pipeline_domain": ast.literal_eval(pipeline["domain"]),
        "lead_spec": fields_spec(leads, "crm.lead", lead_models),
        "odoo_lead_spec": fields_spec(leads, "crm.lead", lead_models, odoo_field),
        "lead_aggregates": aggregates,
        "progressbar": {
            "field": progressbar.get("field"),
            "colors": json.loads(progressbar.get("colors")),
            "help": progressbar.get("help") or "",
        },
    }


# ------------------------------------------------------------
# The screens
# ------------------------------------------------------------
class VirtualUser:
    """A KAM user (and the portal user of one of their customers) going through
    the screens."""

    def __init__(self, args, setup, kam, portal, customers):
        self.setup = setup
        self.kam = Session(args, kam["login"], kam["password"])
        self.portal = Session(args, portal["login"], portal["password"])
        self.accounts = kam["accounts"]
        self.plans = kam["plans"]
        self.snapshots = kam["snapshots"]
        self.portal_plan = portal["plan"]
        self.customers = customers
        self.screens = {
            "landing page": self.landing_page,
            "key account form": self.key_account_form,
            "health breakdown": self.health_breakdown,
            "account plan form": self.account_plan_form,
            "KAM pipeline": self.kam_pipeline,
            "portal plan page": self.portal_plan_page,
            "Odoo pipeline": self.odoo_pipeline,
            "Odoo partner form": self.odoo_partner_form,
        }

    async def open(self):
        await self.kam.open()
        await self.portal.open()

    async def close(self):
        await self.kam.close()
        await self.portal.close()

    async def landing_page(self):
        action = await self.kam.rpc(
            "/web/action/run", {"action_id": self.setup["dashboard_action"]}
        )
        domain = ast.literal_eval(action["domain"])
        if action["context"].get("search_default_my_accounts"):
            uid = self.kam.uid
            domain += [
                "|",
                ("kam_user_id", "=", uid),
                ("kam_team_member_ids.user_id", "=", uid),
            ]
        await asyncio.gather(
            self.kam.call("res.partner", "kam_dashboard_data"),
            self.kam.call(
                "res.partner",
                "web_search_read",
                domain,
                specification=self.setup["landing_spec"],
                limit=KANBAN_LIMIT,
                offset=0,
                order=self.setup["landing_order"],
                count_limit=10001,
                context={"bin_size": True},
            ),
        )

    async def web_read(self, model, record_id, spec):
        return await self.kam.call(
            model,
            "web_read",
            [record_id],
            specification=spec,
            context={"bin_size": True},
        )

    async def key_account_form(self):
        partner = random.choice(self.accounts)
        await self.web_read("res.partner", partner, self.setup["form_spec"])

    async def odoo_partner_form(self):
        partner = random.choice(self.customers)
        await self.web_read("res.partner", partner, self.setup["odoo_form_spec"])

    async def health_breakdown(self):
        snapshot = random.choice(self.snapshots)
        await self.web_read(
            "kam.health.snapshot", snapshot, self.setup["snapshot_spec"]
        )

    async def account_plan_form(self):
        plan = random.choice(self.plans)
        await self.web_read("kam.account.plan", plan, self.setup["plan_spec"])

    async def kam_pipeline(self):
        await self.pipeline([("is_key_account", "=", True)], self.setup["lead_spec"])

    async def odoo_pipeline(self):
        await self.pipeline([], self.setup["odoo_lead_spec"])

    async def pipeline(self, search_domain, spec):
        """The pipeline's kanban grouped by stage: the groups, then the progress
        bars and the cards of each open column, together."""
        domain = self.setup["pipeline_domain"] + search_domain
        groups = await self.kam.call(
            "crm.lead",
            "web_read_group",
            domain,
            self.setup["lead_aggregates"],
            ["stage_id"],
            orderby="",
            lazy=True,
            offset=0,
            limit=GROUP_LIMIT,
        )
        open_groups = [
            group
            for group in groups["groups"]
            if not group.get("__fold") and group["stage_id_count"]
        ][:MAX_OPEN_GROUPS]
        await asyncio.gather(
            self.kam.call(
                "crm.lead",
                "read_progress_bar",
                domain=domain,
                group_by="stage_id",
                progress_bar=self.setup["progressbar"],
            ),
            *(
                self.kam.call(
                    "crm.lead",
                    "web_search_read",
                    group["__domain"],
                    specification=spec,
                    limit=KANBAN_LIMIT,
                    offset=0,
                    order="",
                    context={
                        "bin_size": True,
                        "default_stage_id": group["stage_id"][0],
                    },
                )
                for group in open_groups
            ),
        )

    async def portal_plan_page(self):
        await self.portal.get(f"/my/account-plans/{self.portal_plan}")

    async def run(self, deadline, think, results, errors):
        """Rounds of every screen, in a random order each, until ``deadline``;
        ``results`` and ``errors`` get each screen's seconds and failures."""
        while time.monotonic() < deadline:
            names = list(self.screens)
            random.shuffle(names)
            for name in names:
                if time.monotonic() >= deadline:
                    return
                start = time.perf_counter()
                try:
                    await self.screens[name]()
                except (
                    RequestError,
                    aiohttp.ClientError,
                    asyncio.TimeoutError,
                ) as error:
                    errors.setdefault(name, []).append(
                        str(error) or type(error).__name__
                    )
                else:
                    results.setdefault(name, []).append(time.perf_counter() - start)
                if think:
                    await asyncio.sleep(random.uniform(0.5, 1.5) * think)


# ------------------------------------------------------------
# Report
# ------------------------------------------------------------
async def loop_lag(deadline, lags):
    """Measure until ``deadline`` how late the client's event loop wakes up
    (seconds, every 100 ms): a client starved of CPU sends its requests and
    reads the replies late, which the server's workers see as slow clients."""
    while time.monotonic() < deadline:
        start = time.monotonic()
        await asyncio.sleep(0.1)
        lags.append(time.monotonic() - start - 0.1)


def percentiles(seconds):
    """p50, p95 and p99 of ``seconds``, in milliseconds."""
    if len(seconds) < 2:
        value = seconds[0] * 1000 if seconds else float("nan")
        return value, value, value
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def report(args, elapsed, results, errors, requests):
    """The lines of the report, and whether the goals are met."""
    lines = [
        f"{args.users} users, {elapsed:.0f} s, think time {args.think:g} s: "
        f"{requests / elapsed:.1f} HTTP requests per second",
        f"{'screen':<20} {'done':>6} {'per s':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'errors':>6} {'p95 ratio':>10}",
    ]
    p95 = {
        name: percentiles(results.get(name, []))[1]
        for name in [*KAM_SCREENS, *ODOO_SCREENS]
    }
    met = True
    for name in [*KAM_SCREENS, *ODOO_SCREENS]:
        done = results.get(name, [])
        p50, p95_ms, p99 = percentiles(done)
        ratio = ""
        if name in KAM_SCREENS:
            value = p95_ms / p95[KAM_SCREENS[name]]
            met &= value <= GOAL_RATIO
            ratio = f"{value:.2f}"
        lines.append(
            f"{name:<20} {len(done):>6} {len(done) / elapsed:>6.1f} {p50:>8.0f} "
            f"{p95_ms:>8.0f} {p99:>8.0f} {len(errors.get(name, [])):>6} {ratio:>10}"
        )
    error_count = sum(len(found) for found in errors.values())
    for name, found in errors.items():
        lines.append(f"  {name}: {len(found)} errors, e.g. {found[0]}")
    lines.append(
        f"goal no error: {'met' if not error_count else 'MISSED'} ({error_count} errors); "
        f"goal p95 of each KAM screen <= {GOAL_RATIO} x its Odoo screen's "
        f"(pipeline for the landing page and the KAM pipeline, partner form for the "
        f"others): {'met' if met else 'MISSED'}"
    )
    return lines, met and not error_count


async def main_async(args):
    data = json.loads(open(args.manifest).read())
    pairs = list(zip(data["kam_users"], data["portal_users"], strict=False))
    if len(pairs) < args.users:
        raise SystemExit(
            f"{args.users} users asked, the database has {len(pairs)}: build it with more"
        )
    first = Session(args, pairs[0][0]["login"], pairs[0][0]["password"])
    await first.open()
    setup = await screens_setup(first)
    await first.close()
    users = [
        VirtualUser(args, setup, kam, portal, data["customers"])
        for kam, portal in pairs[: args.users]
    ]
    await asyncio.gather(*(user.open() for user in users))
    # a round of every screen first, not measured: every worker loads the
    # registry and fills its caches as a running server has
    warm_deadline = time.monotonic() + args.warmup
    await asyncio.gather(
        *(user.run(warm_deadline, args.think, {}, {}) for user in users)
    )
    requests = sum(user.kam.requests + user.portal.requests for user in users)
    results, errors = {}, {}
    start = time.monotonic()
    lags = []
    watch = asyncio.ensure_future(loop_lag(start + args.duration, lags))
    await asyncio.gather(
        *(
            user.run(start + args.duration, args.think, results, errors)
            for user in users
        )
    )
    elapsed = time.monotonic() - start
    await watch
    requests = (
        sum(user.kam.requests + user.portal.requests for user in users) - requests
    )
    await asyncio.gather(*(user.close() for user in users))
    lines, met = report(args, elapsed, results, errors, requests)
    lines.insert(
        1,
        f"client event loop lag: p95 {percentiles(lags)[1]:.0f} ms, max "
        f"{max(lags) * 1000:.0f} ms (the client's own delay, on the same machine)",
    )
    print("\n".join(lines), flush=True)
    return met


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url", required=True, help="the server, e.g. http://127.0.0.1:8069"
    )
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--manifest", required=True, help="the JSON file of build.py")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--duration", type=float, default=60, help="seconds measured")
    parser.add_argument("--warmup", type=float, default=10, help="seconds not measured")
    parser.add_argument(
        "--think", type=float, default=0, help="mean pause between two screens (s)"
    )
    parser.add_argument("--timeout", type=float, default=120, help="per request (s)")
    args = parser.parse_args()
    met = asyncio.run(main_async(args))
    raise SystemExit(0 if met else 1)


if __name__ == "__main__":
    main()
