#!/usr/bin/env bash
# Runs the tests: lint (ruff, ruff format, pylint-odoo's mandatory checks), then on two
# fresh databases, "crm" (crm only) and "apps" (crm with Sales, Sales Margin, Invoicing, Inventory,
# Project, Timesheets and Surveys, so that every bridge addon kam_management_* installs by itself),
# each time:
# installs and upgrades the addons (a WARNING or ERROR logged about them fails the run),
# uninstalls them from a copy of the database (any ERROR fails the run), on "crm" runs the
# scheduled actions twice at once and kills them mid-way (scripts/crons_concurrency.py), runs the browser
# and HTTP tests (HttpCase classes, tagged kam_http) with odoo-bin, then every other test
# of the addons with pytest-odoo, which skips HttpCase (on "crm", crm's own tests too,
# with the addon installed). Ends with a summary of both databases.
# KAM_TEST_CRM=0 skips crm's own tests, KAM_TEST_UI=0 the browser tests, KAM_TEST_APPS=0
# the second database. Extra arguments go to pytest.
source "$(dirname "$0")/common.sh"
prepare
ensure_cdnow_sample
if [ "${KAM_TEST_UI:-1}" = "1" ]; then
    ensure_chromium
    ensure_websocket_client
fi

# Lint first: it takes seconds and fails the run before the databases are built.
info "Linting: ruff check, ruff format --check, pylint-odoo (mandatory checks)"
addons=("$PROJECT_DIR"/kam_management*/)
(cd "$PROJECT_DIR" && "$VENV/bin/ruff" check --quiet . && "$VENV/bin/ruff" format --check --quiet .) \
    || die "ruff found the problems above (fix them, or run: ruff format .)."
"$VENV/bin/pylint" --rcfile="$PROJECT_DIR/.pylintrc-mandatory" "${addons[@]}" \
    || die "pylint-odoo found the problems above."
info "Lint is clean"

BASE_DB=${KAM_TEST_DB:-kam_test}
# The apps the bridge addons join kam_management to.
APPS_MODULES=crm,sale_management,sale_margin,account,sale_stock,project,hr_timesheet,survey
LOG_DIR=$(mktemp -d)
CONF="$LOG_DIR/odoo.conf"
cat > "$CONF" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$PROJECT_DIR
db_port = $DB_PORT
${DB_HOST:+db_host = $DB_HOST}
CONF
SUMMARY=()

# Runs Odoo with the given arguments, logging to $LOG_DIR/<step>.log; fails when Odoo
# fails or logs a WARNING/ERROR about kam_management (or any ERROR with "any").
odoo_step() {
    local step=$1 scope=$2
    shift 2
    local log="$LOG_DIR/$step.log"
    local command=()
    if [ "$1" = "shell" ]; then command=(shell); shift; fi
    if ! odoo_bin "${command[@]}" -c "$CONF" "$@" --log-level=info --logfile="$log" >/dev/null; then
        tail -n 50 "$log"
        die "The $step failed (log above)."
    fi
    local pattern="kam"
    [ "$scope" = "any" ] && pattern=" (ERROR|CRITICAL) "
    if grep -E " (WARNING|ERROR|CRITICAL) " "$log" | grep -Ei "$pattern"; then
        die "The $step logged the warnings or errors above."
    fi
    info "The $step is clean"
}

# Rows of every table of the addons (transient models aside, whose rows are vacuumed),
# and the key accounts: an upgrade must keep them.
kam_rows() {
    psql ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" -d "$1" -tA -c "
        SELECT string_agg(format('%s=%s', t.relname, t.n), ' ' ORDER BY t.relname)
          FROM (SELECT c.relname,
                       (xpath('/row/n/text()', query_to_xml(
                           format('SELECT count(*) AS n FROM %I', c.relname),
                           false, true, '')))[1]::text AS n
                  FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                 WHERE s.nspname = 'public' AND c.relkind = 'r'
                   AND c.relname LIKE 'kam\\_%'
                   AND c.relname NOT IN (SELECT replace(model, '.', '_')
                                           FROM ir_model WHERE transient)) t" \
        -c "SELECT 'key_accounts=' || count(*) FROM res_partner WHERE is_key_account"
}

# Every table counted before ($1) is there after ($2) with at least its rows; new
# tables of a new version, and the records it ships (a new health factor), are allowed.
rows_kept() {
    "$PYTHON" - "$1" "$2" <<'PY'
import sys
before, after = (dict(p.split("=") for p in arg.split()) for arg in sys.argv[1:3])
lost = {t: (n, after.get(t)) for t, n in before.items() if int(after.get(t) or -1) < int(n)}
for table, (old, new) in lost.items():
    print(f"    {table}: {old} rows before, {new} after")
sys.exit(1 if lost else 0)
PY
}

# The kam_management addons installed in database $1, one per line.
installed_addons() {
    psql ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" -d "$1" -tA -c "
        SELECT name FROM ir_module_module
         WHERE state = 'installed' AND name LIKE 'kam\_management%' ORDER BY name"
}

install_upgrade_uninstall() {
    local db=$1 label=$2 modules=$3
    info "[$label] Installing $modules in a fresh database $db"
    odoo_step "$label installation" kam -d "$db" -i "$modules" --stop-after-init
    local addons
    addons=$(installed_addons "$db" | paste -sd, -)
    info "[$label] Installed: $addons"
    info "[$label] Upgrading $addons"
    local rows_before rows_after
    rows_before=$(kam_rows "$db")
    odoo_step "$label upgrade" kam -d "$db" -u "$addons" --stop-after-init
    rows_after=$(kam_rows "$db")
    rows_kept "$rows_before" "$rows_after" \
        || die "[$label] The upgrade changed the data of the addons (row counts above)."
    info "[$label] The upgrade kept the data ($(wc -w <<<"$rows_before") tables compared)"

    info "[$label] Uninstalling $addons from a copy of the database"
    createdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" -T "$db" "${db}_uninstall"
    KAM_UNINSTALL="$addons" odoo_step "$label uninstallation" any shell -d "${db}_uninstall" --no-http <<'PY'
import os
names = os.environ["KAM_UNINSTALL"].split(",")
# the bridges first, then kam_management: each uninstallation on its own (a bridge
# that depends on another one goes with it)
for name in sorted(names, key=lambda name: name == "kam_management"):
    module = env["ir.module.module"].search([("name", "=", name), ("state", "=", "installed")])
    if module:
        module.button_immediate_uninstall()
env.cr.execute("SELECT name FROM ir_module_module WHERE name = ANY(%s) AND state != 'uninstalled'", [names])
assert not env.cr.fetchall(), "some kam_management addons are still installed"
PY
    dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "${db}_uninstall"
}

# Browser tests: HttpCase needs Odoo's HTTP server, which pytest-odoo does not start
# (it skips HttpCase tests unless --odoo-http), so odoo-bin runs them on the test
# database. Without -i/-u, odoo-bin runs the post_install tests of the installed
# modules that match --test-tags (odoo/service/server.py, preload_registries), and
# exits non-zero when one fails. A skipped tour (no browser, no websocket-client) or
# a run with no test fails the step too. The HttpCase classes (JS tours and HTTP
# calls) are the ones tagged kam_http: kam_management's test TestRunners
# (tests/test_runners.py) fails when one is not, or when a test module is not imported
# by its tests/__init__.py, so that the two steps run every test exactly once.
browser_tests() {
    local db=$1 label=$2
    local tags
    tags=$(installed_addons "$db" | sed 's|.*|kam_http/&|' | paste -sd, -)
    info "[$label] Running the browser tests (JS tours) with odoo-bin"
    local ui_log="$LOG_DIR/${label}_browser_tests.log"
    local port
    port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local ui_start=$SECONDS ui_rc=0
    odoo_bin -c "$CONF" -d "$db" --test-tags="$tags" --stop-after-init \
        --http-port="$port" --log-level=test --screenshots="$LOG_DIR/screenshots" \
        --logfile="$ui_log" >/dev/null 2>&1 || ui_rc=$?
    local ui_result
    ui_result=$(grep -E "odoo\.tests\.result: .* of [0-9]+ tests" "$ui_log" | tail -n 1 || true)
    # A socket Chrome opened ahead and never used times out in the test server
    # (werkzeug logs "Request timed out" as an ERROR on a loaded machine): no test
    # failed, the step does not fail for it.
    local ui_errors
    ui_errors=$(grep -E " (ERROR|CRITICAL) |: skipped [A-Za-z_]+\.test" "$ui_log" \
        | grep -v "werkzeug: .* Request timed out: TimeoutError" || true)
    if [ "$ui_rc" -ne 0 ] || [ -n "$ui_errors" ] \
        || ! grep -qE "0 failed, 0 error\(s\) of [1-9][0-9]* tests" <<<"$ui_result"; then
        grep -E " (ERROR|CRITICAL) |FAILED: |: skipped |Element .* has not been found|Screenshot in" "$ui_log" \
            | cut -c1-400 | tail -n 40
        die "[$label] The browser tests failed (exit code $ui_rc; log: $ui_log; screenshots in $LOG_DIR/screenshots)."
    fi
    info "[$label] The browser tests passed in $((SECONDS - ui_start)) s: ${ui_result##*result: }"
    SUMMARY+=("[$label] browser tests: ${ui_result##*result: }")
}

# pytest-odoo on the tests of the addons installed in the database (and of crm): every
# test but the HttpCase ones, which it reports as skipped (the browser step ran them).
unit_tests() {
    local db=$1 label=$2 with_crm=$3
    shift 3
    local tests=() addon
    for addon in $(installed_addons "$db"); do
        [ -d "$PROJECT_DIR/$addon/tests" ] && tests+=("$PROJECT_DIR/$addon/tests")
    done
    if [ "$with_crm" = "1" ]; then
        tests+=("$ODOO_SRC/addons/crm/tests")
    fi
    info "[$label] Running the tests with pytest-odoo: ${tests[*]#$PROJECT_DIR/}"
    local log="$LOG_DIR/${label}_pytest.log" rc=0
    (cd "$PROJECT_DIR" && PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -m pytest \
        -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$db" "${tests[@]}" "$@") \
        2>&1 | tee "$log" || rc=$?  # pipefail: pytest's status
    local result
    result=$(grep -E "^=+ .*(passed|failed|error).* in [0-9.]+s" "$log" | tail -n 1 | tr -d '=' | sed 's/^ *//;s/ *$//')
    SUMMARY+=("[$label] pytest: ${result:-no result}")
    [ "$rc" -eq 0 ] || FAILED=1
}

# Companies run the last released version: a database made with it (crm and
# kam_management, with demo data) upgrades to this code and keeps its data. The
# released code comes from git (RELEASED_COMMIT); without it in the clone, the step
# says so and is skipped.
RELEASED_COMMIT=${KAM_RELEASED_COMMIT:-a136bb2}
upgrade_from_release() {
    local db="${BASE_DB}_release"
    if ! git -C "$PROJECT_DIR" cat-file -e "$RELEASED_COMMIT^{commit}" 2>/dev/null; then
        info "[release] $RELEASED_COMMIT is not in this clone: upgrade from it skipped"
        return 0
    fi
    local released="$LOG_DIR/released"
    mkdir -p "$released"
    git -C "$PROJECT_DIR" archive "$RELEASED_COMMIT" kam_management | tar -x -C "$released"
    db_exists "$db" && dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$db"
    info "[release] Installing kam_management as released ($RELEASED_COMMIT) in $db"
    odoo_bin -d "$db" --addons-path="$ODOO_SRC/addons,$released" -i crm,kam_management \
        --stop-after-init --log-level=warn --logfile="$LOG_DIR/release_install.log" \
        || die "[release] Installing the released version failed ($LOG_DIR/release_install.log)."
    local rows_before rows_after
    rows_before=$(kam_rows "$db")
    info "[release] Upgrading it to this code"
    odoo_step "release upgrade" kam -d "$db" -u kam_management --stop-after-init
    rows_after=$(kam_rows "$db")
    rows_kept "$rows_before" "$rows_after" \
        || die "[release] The upgrade from the released version lost data (row counts above)."
    info "[release] The upgrade kept the data ($(wc -w <<<"$rows_before") tables compared)"
    SUMMARY+=("[release] upgrade from $RELEASED_COMMIT: data kept")
    dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$db"
}

# The scheduled actions run by real Odoo processes, twice at the same moment and killed
# with kill -9 mid-way, on copies of the test database (scripts/crons_concurrency.py:
# nothing duplicated or lost). Run on the crm database: its scheduled actions are the
# core's; the bridges add one (recommendations) that reads invoices the check's data
# has none of. Skipped only where a second Odoo process cannot start (said why).
crons_concurrency() {
    local db=$1 label=$2
    info "[$label] Running the scheduled actions twice at once and killed mid-way"
    local log="$LOG_DIR/${label}_crons.log" rc=0
    "$PYTHON" "$PROJECT_DIR/scripts/crons_concurrency.py" --database "$db" --config "$CONF" \
        --db_port "$DB_PORT" ${DB_HOST:+--db_host "$DB_HOST"} 2>&1 | grep -v "^NOTICE" \
        | tee "$log" || rc=$?  # pipefail: the script's status
    local result
    result=$(grep -E "^(PASSED|SKIPPED)" "$log" | tail -n 1 || true)
    if [ "$rc" -eq 3 ]; then
        SUMMARY+=("[$label] scheduled actions twice and killed: $result")
    elif [ "$rc" -ne 0 ]; then
        SUMMARY+=("[$label] scheduled actions twice and killed: FAILED (log: $log)")
        FAILED=1
    else
        SUMMARY+=("[$label] scheduled actions twice and killed: ${result#PASSED: }")
    fi
}

# One database: fresh install, upgrade, uninstall, browser tests, unit tests.
test_database() {
    local db=$1 label=$2 modules=$3 with_crm=$4
    shift 4
    local old
    for old in "$db" "${db}_uninstall"; do
        if db_exists "$old"; then
            info "[$label] Dropping the previous test database $old"
            dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$old"
        fi
    done
    install_upgrade_uninstall "$db" "$label" "$modules"
    [ "$label" = "crm" ] && crons_concurrency "$db" "$label"
    [ "${KAM_TEST_UI:-1}" = "1" ] && browser_tests "$db" "$label"
    unit_tests "$db" "$label" "$with_crm" "$@"
}

FAILED=0
start=$SECONDS
upgrade_from_release
test_database "$BASE_DB" crm crm,kam_management "${KAM_TEST_CRM:-1}" "$@"
if [ "${KAM_TEST_APPS:-1}" = "1" ]; then
    test_database "${BASE_DB}_apps" apps "$APPS_MODULES,kam_management" 0 "$@"
fi

echo
info "Summary ($((SECONDS - start)) s)"
printf '    %s\n' "${SUMMARY[@]}"
# One closing line over both databases, in the form CI reads.
"$PYTHON" - "$LOG_DIR" <<'PY'
import pathlib, re, sys
totals = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}
for log in pathlib.Path(sys.argv[1]).glob("*_pytest.log"):
    lines = [l for l in log.read_text().splitlines() if re.match(r"^=+ .* in [0-9.]+s", l)]
    for count, word in re.findall(r"(\d+) (passed|failed|skipped|errors?)", lines[-1] if lines else ""):
        totals["error" if word.startswith("error") else word] += int(count)
failed = totals["failed"] + totals["error"]
print(f"total: {totals['passed']} passed, {failed} failed, {totals['skipped']} skipped")
PY
[ "$FAILED" -eq 0 ] || die "Some tests failed (summary above)."
