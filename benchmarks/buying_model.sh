#!/usr/bin/env bash
# The buying model's fit on 50,000 customers and 1,000,000 purchase days
# (benchmarks/buying_model.py): builds (first time) a database with crm and
# kam_management and the customers, then measures the fit in a fresh process, so
# that its peak memory is the fit's, not the build's.
# Usage: bash benchmarks/buying_model.sh [N]   (KAM_BENCH_FRESH=0 reuses the database)
source "$(dirname "$0")/common.sh"
prepare
DB=${KAM_BENCH_DB:-kam_bench_buying}
bench_drop "$DB"
if ! db_exists "$DB"; then
    info "Installing crm and kam_management in $DB (no demo data)"
    odoo_bin -d "$DB" -i crm,kam_management --without-demo=all --stop-after-init \
        --log-level=warn
    info "Adding ${1:-50000} customers and their purchase days"
    bench_python buying_model.py -d "$DB" build "${1:-50000}"
fi
info "Fitting the buying model on $DB"
bench_python buying_model.py -d "$DB" measure
