#!/usr/bin/env bash
# Builds (first time) the benchmark database and runs benchmarks/landing_page.py on it.
# Usage: bash benchmarks/landing_page.sh [size]   (default: 2000)
source "$(dirname "$0")/../scripts/common.sh"
prepare
DB=${KAM_BENCH_DB:-kam_bench_landing}
if [ "${KAM_BENCH_FRESH:-1}" = "1" ] && db_exists "$DB"; then
    info "Dropping the previous benchmark database $DB"
    dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$DB"
fi
if ! db_exists "$DB"; then
    info "Installing crm and kam_management in $DB (no demo data)"
    odoo_bin -d "$DB" -i crm,kam_management --without-demo=all --stop-after-init --log-level=warn
fi
info "Running the landing page benchmark on $DB"
PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" "$PROJECT_DIR/benchmarks/landing_page.py" -d "$DB" \
    --addons-path="$ODOO_SRC/addons,$PROJECT_DIR" --db_port="$DB_PORT" \
    ${DB_HOST:+--db_host="$DB_HOST"} "$@"
