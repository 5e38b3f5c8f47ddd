#!/usr/bin/env bash
# Runs the app: Odoo with crm and kam_management on a demo database, on
# http://localhost:8069 (login admin / admin). The database is created on the first run.
source "$(dirname "$0")/common.sh"
prepare

DB=${KAM_DB:-kam_demo}
if ! db_exists "$DB"; then
    info "Creating the demo database $DB with crm and kam_management"
    odoo_bin -d "$DB" -i crm,kam_management --stop-after-init --log-level=warn
fi
info "Serving Odoo on http://localhost:${HTTP_PORT:-8069} (database $DB, login admin / admin)"
exec "$PYTHON" "$ODOO_SRC/odoo-bin" --addons-path="$ODOO_SRC/addons,$PROJECT_DIR" \
    ${DB_HOST:+--db_host="$DB_HOST"} --db_port="$DB_PORT" \
    -d "$DB" --db-filter="^$DB\$" --http-port="${HTTP_PORT:-8069}" "$@"
