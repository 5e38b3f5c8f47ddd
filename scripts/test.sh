#!/usr/bin/env bash
# Runs the tests: a fresh database, installs kam_management (a WARNING or ERROR logged
# about it fails the run), then the addon's tests with pytest-odoo. Set KAM_TEST_CRM=0
# to skip crm's own tests, which run by default with the addon installed. Extra arguments go to pytest.
source "$(dirname "$0")/common.sh"
prepare

DB=${KAM_TEST_DB:-kam_test}
LOG_DIR=$(mktemp -d)
CONF="$LOG_DIR/odoo.conf"
cat > "$CONF" <<CONF
[options]
addons_path = $ODOO_SRC/addons,$PROJECT_DIR
db_port = $DB_PORT
${DB_HOST:+db_host = $DB_HOST}
CONF

if db_exists "$DB"; then
    info "Dropping the previous test database $DB"
    dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$DB"
fi

info "Installing crm and kam_management in a fresh database $DB"
install_log="$LOG_DIR/install.log"
if ! odoo_bin -c "$CONF" -d "$DB" -i crm,kam_management --stop-after-init \
        --log-level=info --logfile="$install_log"; then
    tail -n 50 "$install_log"
    die "The installation failed (log above)."
fi
if grep -E " (WARNING|ERROR|CRITICAL) " "$install_log" | grep -i "kam"; then
    die "The installation of kam_management logged the warnings or errors above."
fi
info "Installation clean"

tests=("$PROJECT_DIR/kam_management/tests")
if [ "${KAM_TEST_CRM:-1}" = "1" ]; then
    tests+=("$ODOO_SRC/addons/crm/tests")
fi
info "Running the tests with pytest-odoo"
cd "$PROJECT_DIR"
PYTHONPATH="$ODOO_SRC${PYTHONPATH:+:$PYTHONPATH}" "$PYTHON" -m pytest -p no:cacheprovider --odoo-config="$CONF" --odoo-database="$DB" \
    "${tests[@]}" "$@"
