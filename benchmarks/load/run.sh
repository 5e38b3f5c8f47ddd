#!/usr/bin/env bash
# The load benchmark (benchmarks/README.md, "Load"): builds the database (first time),
# starts Odoo with worker processes on a free port and drives 10 then 30 users through
# a KAM's day with client.py, 60 s each.
# Usage: bash benchmarks/load/run.sh [--size N] [--workers W] [--duration S] [USERS...]
#   defaults: --size 10000 --workers 4 --duration 60, users 10 30; other options go
#   to client.py (e.g. --think 1). KAM_BENCH_DB names the database (kam_bench_load),
#   KAM_BENCH_FRESH=0 reuses it.
source "$(dirname "$0")/../common.sh"

size=10000 workers=4 duration=60 users=() client_options=()
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size=$2; shift 2 ;;
        --workers) workers=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --*) client_options+=("$1" "$2"); shift 2 ;;
        *) users+=("$1"); shift ;;
    esac
done
[ ${#users[@]} -gt 0 ] || users=(10 30)
max_users=$(printf '%s\n' "${users[@]}" | sort -n | tail -n 1)

db=${KAM_BENCH_DB:-kam_bench_load}
manifest=${TMPDIR:-/tmp}/$db.json
prepare
"$PYTHON" -c "import aiohttp" 2>/dev/null || {
    info "Installing the load client's requirements in $VENV"
    "$VENV/bin/pip" install -q -r "$PROJECT_DIR/benchmarks/load/requirements.txt" \
        || die "Installing benchmarks/load/requirements.txt failed (see pip's output above)."
}
bench_drop "$db"
if ! db_exists "$db"; then
    info "Installing crm and kam_management in $db (no demo data)"
    odoo_bin -d "$db" -i crm,kam_management --without-demo=all --stop-after-init --log-level=warn
fi
info "Building $size key accounts in $db (first time only)"
# 30 KAM users at least share the accounts (when the database is built)
kams=$((max_users > 30 ? max_users : 30))
bench_python load/build.py -d "$db" --manifest "$manifest" \
    --kams "$kams" --portal "$kams" "$size"

free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port) gevent_port=$(free_port)
log=${TMPDIR:-/tmp}/$db.log
pidfile=${TMPDIR:-/tmp}/$db.pid
info "Starting Odoo with $workers workers on port $port (log: $log)"
odoo_bin -d "$db" --db-filter="^$db\$" --workers="$workers" --max-cron-threads=0 \
    --http-port="$port" --gevent-port="$gevent_port" --log-level=warn --logfile="$log" \
    --pidfile="$pidfile" &
server=$!
# the server's main process (odoo_bin runs it in a subshell) stops its workers
trap 'kill "$(cat "$pidfile" 2>/dev/null)" 2>/dev/null; wait "$server"' EXIT
for _ in $(seq 1 60); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/web/login" && break
    sleep 1
done
curl -sf -o /dev/null "http://127.0.0.1:$port/web/login" || die "Odoo did not start (see $log)."

status=0
for n in "${users[@]}"; do
    info "$n users for $duration s ($(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
    "$PYTHON" "$PROJECT_DIR/benchmarks/load/client.py" --url "http://127.0.0.1:$port" \
        -d "$db" --manifest "$manifest" --users "$n" --duration "$duration" \
        "${client_options[@]}" || status=1
done
exit $status
