"""Benchmark of the timeline of a key account (kam.timeline).

Adds (first run) a key account with 5 contacts and N documents (default 5,000), in
SQL: confirmed orders, posted invoices and credit notes, deliveries done and tasks
(those of the apps installed: their share goes to messages otherwise), comments on
its contacts and opportunities, meetings, escalations and reviews held; and 10
times as many for 50 other key accounts, so that the timeline must find the
account's documents among others. Then it measures the first page of the timeline
as the web client opens it — ``web_search_read`` of the list's fields, limit 80,
newest first, and the count of the pager — for a salesman (his own documents), the
account's KAM and a KAM manager with every app's rights; and the opening of a row's
document and of a meeting (the row read by its id). Prints milliseconds and SQL
queries, best of 5.
Run it on a database with the apps (see benchmarks/README.md)::

    python benchmarks/bench_timeline.py -d kam_bench_timeline --addons-path=... 5000
"""

import bench

from odoo import SUPERUSER_ID
from odoo.tools import SQL
from odoo.tools.sql import table_exists

MARK = "kam-bench-timeline"
RUNS = 5
OTHERS = 50
# the share of each kind of document among an account's (of its app, if installed)
SHARES = {
    "order": ("sale.order", 0.3),
    "invoice": ("account.move", 0.2),
    "delivery": ("stock.picking", 0.1),
    "task": ("project.task", 0.1),
    "meeting": (None, 0.06),
    "escalation": (None, 0.02),
    "review": (None, 0.02),
}
# the tables the build fills, analysed after it
TABLES = (
    "sale_order",
    "account_move",
    "stock_picking",
    "project_task",
    "mail_message",
    "calendar_event",
    "calendar_event_res_partner_rel",
    "kam_escalation",
    "kam_account_review",
    "crm_lead",
    "res_partner",
)
# the fields of the timeline's list, as the web client asks for them
LIST_SPEC = {
    "date": {},
    "kind": {},
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "company_id": {"fields": {"display_name": {}}},
}
FIELDS = list(LIST_SPEC)
COLUMNS = [
    ("user", "<10"),
    ("rows", ">6"),
    ("call", "<16"),
    ("ms", ">8.1f"),
    ("queries", ">8"),
]


def bench_users(env):
    """A salesman (own documents), a KAM user and a KAM manager with the rights
    of every app installed (created once)."""
    Users = env["res.users"].with_context(no_reset_password=True)
    groups = {
        "bench_sales": ["sales_team.group_sale_salesman"],
        "bench_kam": [
            "sales_team.group_sale_salesman",
            "kam_management.group_kam_user",
        ],
        "bench_manager": [
            "sales_team.group_sale_manager",
            "kam_management.group_kam_manager",
            "account.group_account_invoice",
            "stock.group_stock_user",
            "project.group_project_manager",
        ],
    }
    users = []
    for login, xmlids in groups.items():
        user = Users.search([("login", "=", login)])
        if not user:
            found = [env.ref(xmlid, raise_if_not_found=False) for xmlid in xmlids]
            user = Users.create(
                {
                    "name": login,
                    "login": login,
                    "groups_id": [(4, group.id) for group in found if group],
                }
            )
        users.append(user)
    return users


def build(env, size, kam, users):
    """The account (its KAM ``kam``) with ``size`` documents, and the others with
    10 times as many; ``users`` sign the orders, invoices and deliveries in turn.
    Returns the account."""
    Partner = env["res.partner"]
    accounts = Partner.create(
        [
            {
                "name": f"Bench Timeline {n}",
                "ref": MARK,
                "is_company": True,
                "is_key_account": True,
                "kam_user_id": kam.id,
            }
            for n in range(OTHERS + 1)
        ]
    )
    for account in accounts:
        contacts = Partner.create(
            [
                {"name": f"{account.name} contact {n}", "parent_id": account.id}
                for n in range(5)
            ]
        )
        people = (account | contacts).ids
        count = size if account == accounts[0] else size * 10 // OTHERS
        insert_documents(env, account, people, count, users)
    for table in TABLES:
        if table_exists(env.cr, table):
            env.cr.execute(SQL("ANALYZE %s", SQL.identifier(table)))
    return accounts[0]


def installed(env, model):
    """Whether documents of ``model`` can be inserted (invoices need a sale
    journal: a database without a chart of accounts has none)."""
    if model == "account.move":
        return model in env and bool(
            env["account.journal"].search_count([("type", "=", "sale")], limit=1)
        )
    return model is None or model in env


def insert_documents(env, account, people, count, users):
    """``count`` documents of ``account`` spread over the kinds of SHARES (the
    rest comments), their partners ``people`` in turn."""
    counts = {
        kind: int(count * share) if installed(env, model) else 0
        for kind, (model, share) in SHARES.items()
    }
    counts["message"] = count - sum(counts.values())
    values = {
        "people": people,
        "users": users.ids,
        "company": env.company.id,
        "uid": SUPERUSER_ID,
    }
    for kind, number in counts.items():
        if number:
            INSERTS[kind](env, account, {**values, "count": number})


def insert_orders(env, account, values):
    env.cr.execute(
        SQL(
            """
            INSERT INTO sale_order (name, partner_id, partner_invoice_id,
                   partner_shipping_id, company_id, date_order, state, user_id,
                   picking_policy, create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH-SO-' || %(account)s || '-' || g, p, p, p, %(company)s,
                   now() - g * interval '3 hours', 'sale', u, 'direct',
                   %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(count)s) g,
                   LATERAL (SELECT (%(people)s::int[])[1 + mod(g, %(n)s)] AS p,
                                   (%(users)s::int[])[1 + mod(g, 3)] AS u) x
            """,
            account=account.id,
            n=len(values["people"]),
            **values,
        )
    )


def insert_invoices(env, account, values):
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", env.company.id)], limit=1
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO account_move (name, partner_id, commercial_partner_id,
                   journal_id, currency_id, company_id, state, move_type, auto_post,
                   date, invoice_date, invoice_user_id, create_uid, write_uid,
                   create_date, write_date)
            SELECT 'BENCH/' || %(account)s || '/' || g, p, %(account)s, %(journal)s,
                   %(currency)s, %(company)s, 'posted',
                   CASE WHEN mod(g, 10) = 0 THEN 'out_refund' ELSE 'out_invoice' END,
                   'no', current_date - g / 8, current_date - g / 8, u,
                   %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(count)s) g,
                   LATERAL (SELECT (%(people)s::int[])[1 + mod(g, %(n)s)] AS p,
                                   (%(users)s::int[])[1 + mod(g, 3)] AS u) x
            """,
            account=account.id,
            journal=journal.id,
            currency=env.company.currency_id.id,
            n=len(values["people"]),
            **values,
        )
    )


def insert_deliveries(env, account, values):
    picking_type = env["stock.picking.type"].search(
        [("code", "=", "outgoing"), ("company_id", "=", env.company.id)], limit=1
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO stock_picking (name, partner_id, picking_type_id, location_id,
                   location_dest_id, move_type, state, date_done, company_id, user_id,
                   create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH/OUT/' || %(account)s || '/' || g, p, %(type)s, %(src)s,
                   %(dest)s, 'direct', 'done', now() - g * interval '5 hours',
                   %(company)s, u, %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(count)s) g,
                   LATERAL (SELECT (%(people)s::int[])[1 + mod(g, %(n)s)] AS p,
                                   (%(users)s::int[])[1 + mod(g, 3)] AS u) x
            """,
            account=account.id,
            type=picking_type.id,
            src=picking_type.default_location_src_id.id,
            dest=env.ref("stock.stock_location_customers").id,
            n=len(values["people"]),
            **values,
        )
    )


def insert_tasks(env, account, values):
    project = env["project.project"].create(
        {"name": f"Bench project of {account.name}", "partner_id": account.id}
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO project_task (name, partner_id, project_id, company_id, state,
                   active, create_uid, write_uid, create_date, write_date)
            SELECT 'Bench task ' || g, p, %(project)s, %(company)s, '01_in_progress',
                   TRUE, %(uid)s, %(uid)s, now() - g * interval '7 hours', now()
              FROM generate_series(1, %(count)s) g,
                   LATERAL (SELECT (%(people)s::int[])[1 + mod(g, %(n)s)] AS p) x
            """,
            project=project.id,
            n=len(values["people"]),
            **values,
        )
    )


def insert_messages(env, account, values):
    """Comments of the KAM on the account's people, one in three on one of its
    10 opportunities."""
    leads = env["crm.lead"].create(
        [
            {"name": f"Bench deal {n}", "type": "opportunity", "partner_id": account.id}
            for n in range(10)
        ]
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO mail_message (model, res_id, message_type, body, date,
                   author_id, create_uid, write_uid, create_date, write_date)
            SELECT CASE WHEN mod(g, 3) = 0 THEN 'crm.lead' ELSE 'res.partner' END,
                   CASE WHEN mod(g, 3) = 0
                        THEN (%(leads)s::int[])[1 + mod(g, 10)]
                        ELSE (%(people)s::int[])[1 + mod(g, %(n)s)] END,
                   'comment', '<p>Notes</p>', now() - g * interval '2 hours',
                   %(author)s, %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(count)s) g
            """,
            leads=leads.ids,
            author=env["res.users"].browse(values["users"][1]).partner_id.id,
            n=len(values["people"]),
            **values,
        )
    )


def insert_meetings(env, account, values):
    """Meetings with two of the account's people each, attendees as Odoo makes
    them (calendar.event._attendees_values)."""
    env.cr.execute(
        SQL(
            """
            WITH e AS (
                INSERT INTO calendar_event (name, start, stop, show_as, active,
                       user_id, create_uid, write_uid, create_date, write_date)
                SELECT 'Bench meeting ' || g, now() - g * interval '1 day',
                       now() - g * interval '1 day' + interval '1 hour', 'busy', TRUE,
                       %(kam)s, %(uid)s, %(uid)s, now(), now()
                  FROM generate_series(1, %(count)s) g
             RETURNING id
            ), r AS (
                INSERT INTO calendar_event_res_partner_rel
                       (calendar_event_id, res_partner_id)
                SELECT e.id, (%(people)s::int[])[1 + mod(e.id + k, %(n)s)]
                  FROM e, generate_series(0, 1) k
             RETURNING calendar_event_id, res_partner_id
            )
            INSERT INTO calendar_attendee (event_id, partner_id, state, create_uid,
                   write_uid, create_date, write_date)
            SELECT calendar_event_id, res_partner_id, 'accepted', %(uid)s, %(uid)s,
                   now(), now()
              FROM r
            """,
            kam=values["users"][1],
            n=len(values["people"]),
            **values,
        )
    )


def insert_escalations(env, account, values):
    env.cr.execute(
        SQL(
            """
            INSERT INTO kam_escalation (name, partner_id, company_id, reason, severity,
                   state, source, deadline, user_id, create_uid, write_uid,
                   create_date, write_date)
            SELECT 'ESC-BENCH-' || %(account)s || '-' || g, %(account)s, %(company)s,
                   'other', 'medium', 'resolved', 'manual', now(), %(kam)s,
                   %(uid)s, %(uid)s, now() - g * interval '4 days', now()
              FROM generate_series(1, %(count)s) g
            """,
            account=account.id,
            kam=values["users"][1],
            **values,
        )
    )


def insert_reviews(env, account, values):
    plan = env["kam.account.plan"].create(
        {
            "name": f"Bench plan of {account.name}",
            "partner_id": account.id,
            "date_start": "2020-01-01",
            "date_end": "2030-12-31",
        }
    )
    env.cr.execute(
        SQL(
            """
            INSERT INTO kam_account_review (plan_id, partner_id, company_id,
                   review_type, state, date, create_uid, write_uid, create_date,
                   write_date)
            SELECT %(plan)s, %(account)s, %(company)s, 'quarterly', 'done',
                   current_date - g * 7, %(uid)s, %(uid)s, now(), now()
              FROM generate_series(1, %(count)s) g
            """,
            plan=plan.id,
            account=account.id,
            **values,
        )
    )


INSERTS = {
    "order": insert_orders,
    "invoice": insert_invoices,
    "delivery": insert_deliveries,
    "task": insert_tasks,
    "meeting": insert_meetings,
    "escalation": insert_escalations,
    "review": insert_reviews,
    "message": insert_messages,
}


def measure(env, user, account):
    """Best of RUNS of the first page and of the opening of its first row's
    document and of a meeting (its row's key an attendee), as ``user``: ({call: (s, queries)}, rows he reads)."""
    context = {"lang": "en_US", "tz": "Europe/Brussels", "uid": user.id}
    Timeline = env["kam.timeline"].with_user(user).with_context(context)
    domain = [("partner_id", "=", account.id)]
    page = Timeline.web_search_read(domain, LIST_SPEC, limit=80, order="date desc")
    first = page["records"][0]["id"]
    meeting = Timeline.search(domain + [("kind", "=", "meeting")], limit=1).id
    calls = {
        "first page": lambda: Timeline.search_read(
            domain, FIELDS, limit=80, order="date desc"
        ),
        "+ pager count": lambda: Timeline.web_search_read(
            domain, LIST_SPEC, limit=80, order="date desc"
        ),
        "open a document": lambda: Timeline.browse(first).action_kam_open_document(),
        "open a meeting": lambda: Timeline.browse(meeting).action_kam_open_document(),
    }
    best = {}
    for _run in range(RUNS):
        for name, call in calls.items():
            env.invalidate_all()
            seconds, queries, _result = bench.measure(env.cr, call)
            if name not in best or seconds < best[name][0]:
                best[name] = (seconds, queries)
    return best, page["length"]


def main():
    parser = bench.parser(__doc__)
    parser.add_argument("size", nargs="?", type=int, default=5000)
    args = parser.parse_args()
    with bench.open_env(args) as env:
        sales, kam, manager = bench_users(env)
        account = env["res.partner"].search([("ref", "=", MARK)], order="id", limit=1)
        if not account:
            account = build(env, args.size, kam, sales | kam | manager)
            env.cr.commit()
        rows = []
        for label, user in (("salesman", sales), ("KAM", kam), ("manager", manager)):
            best, length = measure(env, user, account)
            rows += [
                (label, length, name, seconds * 1000, queries)
                for name, (seconds, queries) in best.items()
            ]
        print(
            f"Timeline of an account with {args.size} documents among "
            f"{args.size * 11} (best of {RUNS} runs)"
        )
        print("\n".join(bench.table(COLUMNS, rows)))
        env.cr.rollback()


if __name__ == "__main__":
    main()
