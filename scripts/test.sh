#!/usr/bin/env bash
# Runs the tests: lint (ruff, ruff format, pylint-odoo's mandatory checks), a fresh database, installs and upgrades kam_management (a WARNING or
# ERROR logged about it fails the run), uninstalls it from a copy of the database (any
# ERROR fails the run), runs the browser tests (JS tours) with odoo-bin, then the
# addon's tests with pytest-odoo. Set KAM_TEST_CRM=0 to skip crm's own tests, which run
# by default with the addon installed, and KAM_TEST_UI=0 to skip the browser tests.
# Extra arguments go to pytest.
source "$(dirname "$0")/common.sh"
prepare
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

DB=${KAM_TEST_DB:-kam_test}
LOG_DIR=$(mktemp -d)
CONF="$LOG_DIR/odoo.conf"
cat > "$CONF" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$PROJECT_DIR
db_port = $DB_PORT
${DB_HOST:+db_host = $DB_HOST}
CONF

for old in "$DB" "${DB}_uninstall"; do
    if db_exists "$old"; then
        info "Dropping the previous test database $old"
        dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$old"
    fi
done

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

info "Installing crm and kam_management in a fresh database $DB"
odoo_step installation kam -d "$DB" -i crm,kam_management --stop-after-init

# Rows of every table of the addon, and the key accounts: an upgrade must keep them.
kam_rows() {
    psql ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" -d "$DB" -tA -c "
        SELECT string_agg(format('%s=%s', t.relname, t.n), ' ' ORDER BY t.relname)
          FROM (SELECT c.relname,
                       (xpath('/row/n/text()', query_to_xml(
                           format('SELECT count(*) AS n FROM %I', c.relname),
                           false, true, '')))[1]::text AS n
                  FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                 WHERE s.nspname = 'public' AND c.relkind = 'r'
                   AND c.relname LIKE 'kam\_%') t" \
        -c "SELECT 'key_accounts=' || count(*) FROM res_partner WHERE is_key_account"
}
info "Upgrading kam_management"
rows_before=$(kam_rows)
odoo_step upgrade kam -d "$DB" -u kam_management --stop-after-init
rows_after=$(kam_rows)
if [ "$rows_before" != "$rows_after" ]; then
    diff <(tr ' ' '\n' <<<"$rows_before") <(tr ' ' '\n' <<<"$rows_after") || true
    die "The upgrade changed the data of kam_management (row counts above)."
fi
info "The upgrade kept the data ($(wc -w <<<"$rows_before") tables compared)"

info "Uninstalling kam_management from a copy of the database"
createdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" -T "$DB" "${DB}_uninstall"
odoo_step uninstallation any shell -d "${DB}_uninstall" --no-http <<'PY'
module = env["ir.module.module"].search([("name", "=", "kam_management")])
module.button_immediate_uninstall()
env.cr.execute("SELECT state FROM ir_module_module WHERE name = 'kam_management'")
assert env.cr.fetchone()[0] == "uninstalled", "kam_management is still installed"
PY
dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "${DB}_uninstall"

# Browser tests: HttpCase needs Odoo's HTTP server, which pytest-odoo does not start
# (it skips HttpCase tests unless --odoo-http), so odoo-bin runs them on the test
# database. Without -i/-u, odoo-bin runs the post_install tests of the installed
# modules that match --test-tags (odoo/service/server.py, preload_registries), and
# exits non-zero when one fails. A skipped tour (no browser, no websocket-client) or
# a run with no test fails the step too.
if [ "${KAM_TEST_UI:-1}" = "1" ]; then
    info "Running the browser tests (JS tours) with odoo-bin"
    ui_log="$LOG_DIR/browser_tests.log"
    port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    ui_start=$SECONDS
    ui_rc=0
    odoo_bin -c "$CONF" -d "$DB" --test-tags=/kam_management:TestKamUi --stop-after-init \
        --http-port="$port" --log-level=test --screenshots="$LOG_DIR/screenshots" \
        --logfile="$ui_log" >/dev/null 2>&1 || ui_rc=$?
    ui_result=$(grep -E "odoo\.tests\.result: .* of [0-9]+ tests" "$ui_log" | tail -n 1 || true)
    if [ "$ui_rc" -ne 0 ] || grep -qE " (ERROR|CRITICAL) | skipped TestKamUi" "$ui_log" \
        || ! grep -qE "0 failed, 0 error\(s\) of [1-9][0-9]* tests" <<<"$ui_result"; then
        grep -E " (ERROR|CRITICAL) |FAILED: |skipped TestKamUi|Element .* has not been found|Screenshot in" "$ui_log" \
            | cut -c1-400 | tail -n 40
        die "The browser tests failed (exit code $ui_rc; log: $ui_log; screenshots in $LOG_DIR/screenshots)."
    fi
    info "The browser tests passed in $((SECONDS - ui_start)) s: ${ui_result##*result: }"
fi

tests=("$PROJECT_DIR/kam_management/tests")
if [ "${KAM_TEST_CRM:-1}" = "1" ]; then
    tests+=("$ODOO_SRC/addons/crm/tests")
fi
info "Running the tests with pytest-odoo"
cd "$PROJECT_DIR"
PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -m pytest -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$DB" \
    "${tests[@]}" "$@"
