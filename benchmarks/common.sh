#!/usr/bin/env bash
# Shared by the benchmark wrappers (benchmarks/*.sh): scripts/common.sh's preparation
# (Odoo, the virtual environment, PostgreSQL) and the steps every benchmark takes.
# KAM_BENCH_DB names the database (one per worktree, e.g.), KAM_BENCH_FRESH=0 reuses it.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/common.sh"

# bench_python SCRIPT [args...]: runs benchmarks/SCRIPT with Odoo importable and the
# options of this machine (addons path, database port and host).
bench_python() {
    local script=$1
    shift
    PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" "$PROJECT_DIR/benchmarks/$script" \
        --addons-path="$ODOO_SRC/addons,$PROJECT_DIR" --db_port="$DB_PORT" \
        ${DB_HOST:+--db_host="$DB_HOST"} "$@"
}

# bench_drop DB...: unless KAM_BENCH_FRESH=0, drops those of the databases that exist.
bench_drop() {
    [ "${KAM_BENCH_FRESH:-1}" = "1" ] || return 0
    local db
    for db in "$@"; do
        if db_exists "$db"; then
            info "Dropping the previous benchmark database $db"
            dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$db"
        fi
    done
}

# "crm,account,kam_management" -> "crm, account and kam_management"
_bench_list() {
    local list=${1//,/, }
    case "$list" in
        *", "*) echo "${list%, *} and ${list##*, }" ;;
        *) echo "$list" ;;
    esac
}

# bench_run NAME DEFAULT_DB MODULES SCRIPT [args...]: prepares the machine, (re)creates
# the database ($KAM_BENCH_DB, else DEFAULT_DB) with MODULES and no demo data, and runs
# benchmarks/SCRIPT on it with the args; NAME is the benchmark's name in the messages.
bench_run() {
    local name=$1 db=${KAM_BENCH_DB:-$2} modules=$3 script=$4
    shift 4
    prepare
    bench_drop "$db"
    if ! db_exists "$db"; then
        info "Installing $(_bench_list "$modules") in $db (no demo data)"
        odoo_bin -d "$db" -i "$modules" --without-demo=all --stop-after-init --log-level=warn
    fi
    info "Running the $name benchmark on $db"
    bench_python "$script" -d "$db" "$@"
}
