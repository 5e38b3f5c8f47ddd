#!/usr/bin/env bash
# Query counts of the lists of sale orders, deliveries, invoices and tasks before and
# after the bridge addons (benchmarks/document_lists.py): builds (first time) a
# database with the apps, kam_management and its bridges and 80 documents of each
# kind, copies it and uninstalls the bridges from the copy, then measures both.
# Usage: bash benchmarks/document_lists.sh [--units U]   (KAM_BENCH_FRESH=0 reuses the
# databases; --units 5: each key account heads a group of 5 unit companies, whose
# documents and contacts' documents count for it)
source "$(dirname "$0")/common.sh"
prepare
DB=${KAM_BENCH_DB:-kam_bench_docs}
BEFORE=${DB}_before
BRIDGES=kam_management_sale,kam_management_stock,kam_management_account,kam_management_project
bench_drop "$DB" "$BEFORE"
if ! db_exists "$DB"; then
    info "Installing the apps and kam_management (the bridges come by themselves) in $DB"
    odoo_bin -d "$DB" -i crm,sale_management,account,sale_stock,project,kam_management \
        --stop-after-init --log-level=warn
    info "Adding 80 orders, deliveries, invoices and tasks"
    bench_python document_lists.py -d "$DB" build "$@"
fi
if ! db_exists "$BEFORE"; then
    info "Copying $DB to $BEFORE and uninstalling the bridges from the copy"
    createdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" -T "$DB" "$BEFORE"
    KAM_UNINSTALL=$BRIDGES odoo_bin shell -d "$BEFORE" --no-http --log-level=warn <<'PY'
import os
names = os.environ["KAM_UNINSTALL"].split(",")
env["ir.module.module"].search([("name", "in", names)]).button_immediate_uninstall()
PY
fi
info "Before (no bridge) on $BEFORE"
bench_python document_lists.py -d "$BEFORE" measure 2>&1 | grep -o '{.*}'
info "After (the bridges) on $DB"
bench_python document_lists.py -d "$DB" measure 2>&1 | grep -o '{.*}'
