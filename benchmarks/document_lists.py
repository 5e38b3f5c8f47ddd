"""Benchmark of the lists of documents that the bridge addons mark with key accounts.

Counts the SQL queries of the web client's ``web_search_read`` of 80 sale orders,
80 deliveries, 80 customer invoices and 80 tasks, with the fields of each list view
(every field of the arch, optional columns included, as the web client asks for
them), on a database with the bridges and on a copy without them (see
benchmarks/README.md)::

    python benchmarks/document_lists.py -d kam_bench_docs --addons-path=... build
    python benchmarks/document_lists.py -d kam_bench_docs --addons-path=... measure

``build`` adds 80 documents of each kind, half of them for key accounts (or their
contacts; with ``--units U``, for the U unit companies of each account's group
and their contacts too); ``measure`` prints the query counts as JSON lines, one
per list.
"""

import functools
import json
import logging

import bench
from lxml import etree

_logger = logging.getLogger("kam_bench")

SIZE = 80
# model, list view, domain and context of the menu the list is opened from
LISTS = [
    ("sale.order", "sale.view_order_tree", [("state", "=", "sale")], {}),
    (
        "stock.picking",
        "stock.vpicktree",
        [("picking_type_code", "=", "outgoing")],
        {
            "contact_display": "partner_address",
            "restricted_picking_type_code": "outgoing",
        },
    ),
    (
        "account.move",
        "account.view_out_invoice_tree",
        [("move_type", "=", "out_invoice")],
        {"default_move_type": "out_invoice"},
    ),
    ("project.task", "project.view_task_tree2", [("project_id", "!=", False)], {}),
]


def customers(env, units=0):
    """Key accounts and the people and units of their groups, and as many
    companies that are not key accounts, alternating."""
    Partner = env["res.partner"]
    ours = Partner
    for n in range(5):
        account = Partner.create(
            {
                "name": f"Bench Key Account {n}",
                "is_company": True,
                "is_key_account": True,
            }
        )
        group = account | group_units(account, units)
        ours |= group
        ours |= Partner.create(
            [{"name": f"Bench Buyer of {c.name}", "parent_id": c.id} for c in group]
        )
    others = Partner.create(
        [{"name": f"Bench Walk-in {n}", "is_company": True} for n in range(len(ours))]
    )
    pairs = zip(ours, others, strict=True)
    return [partner for pair in pairs for partner in pair]


def group_units(account, units):
    """``units`` unit companies below ``account``: the first half (rounded up)
    under the account, the others under its first unit (as bench.insert_units)."""
    top = (units + 1) // 2
    result = account.browse()
    for n in range(units):
        parent = account if n < top else result[0]
        result |= account.create(
            {
                "name": f"{account.name} Unit {n}",
                "is_company": True,
                "parent_id": parent.id,
            }
        )
    return result


def build(env, units=0):
    partners = customers(env, units)
    chosen = [partners[n % len(partners)] for n in range(SIZE)]
    product = env["product.product"].create({"name": "Bench Widget", "type": "consu"})
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    (0, 0, {"product_id": product.id, "product_uom_qty": 1})
                ],
            }
            for partner in chosen
        ]
    )
    orders.action_confirm()  # one delivery per order (sale_stock)
    env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_line_ids": [
                    (0, 0, {"product_id": product.id, "quantity": 1, "price_unit": 10})
                ],
            }
            for partner in chosen
        ]
    )
    project = env["project.project"].create({"name": "Bench Project"})
    env["project.task"].create(
        [
            {"name": f"Bench Task {n}", "project_id": project.id, "partner_id": p.id}
            for n, p in enumerate(chosen)
        ]
    )


def specification(records, view):
    """The fields of the list view as the web client reads them: relational fields
    with their display name."""
    view_id = records.env.ref(view).id
    arch = records.get_views([(view_id, "list")])["views"]["list"]["arch"]
    fields = records._fields
    spec = {}
    for node in etree.fromstring(arch).iter("field"):
        name = node.get("name")
        if fields[name].type in ("many2one", "many2many", "one2many"):
            spec[name] = {"fields": {"display_name": {}}}
        else:
            spec[name] = {}
    return spec


def measure(env):
    results = []
    installed = env["ir.module.module"].search_count(
        [("name", "like", "kam_management_%"), ("state", "=", "installed")]
    )
    for model, view, domain, context in LISTS:
        records = env[model].with_context(**context)
        spec = specification(records, view)
        counts = []
        for _run in range(3):  # the first run fills the caches of the registry
            env.invalidate_all()
            call = functools.partial(records.web_search_read, domain, spec, limit=SIZE)
            _seconds, queries, read = bench.measure(env.cr, call)
            counts.append(queries)
        results.append(
            {
                "model": model,
                "bridges": installed,
                "records": len(read["records"]),
                "key_accounts": sum(
                    1 for r in read["records"] if r.get("is_key_account")
                ),
                "fields": len(spec),
                "queries": counts[-1],
            }
        )
    return results


def main():
    parser = bench.parser(__doc__)
    parser.add_argument("step", choices=["build", "measure"])
    parser.add_argument(
        "--units", type=int, default=0, help="build: unit companies per key account"
    )
    args = parser.parse_args()
    with bench.open_env(args) as env:
        if args.step == "build":
            build(env, args.units)
            return
        # as the administrator (not the superuser): access rules and groups apply
        admin = env.ref("base.user_admin")
        for result in measure(env(user=admin, context={"lang": "en_US"})):
            _logger.warning("%s", json.dumps(result))
        env.cr.rollback()


if __name__ == "__main__":
    main()
