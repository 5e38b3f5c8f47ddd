#!/usr/bin/env bash
# Runs the app: Odoo with crm and kam_management on a demo database, on
# http://localhost:8069, in Spanish (es_ES) as the first customers use it: logins admin /
# admin (Odoo administrator), lucia / lucia (key account manager) and javier / javier
# (KAM administrator). The database is created on the first run.
source "$(dirname "$0")/common.sh"
prepare

DB=${KAM_DB:-kam_demo}
if ! db_exists "$DB"; then
    info "Creating the demo database $DB with crm and kam_management, in Spanish"
    odoo_bin -d "$DB" -i crm,kam_management --load-language=es_ES --stop-after-init \
        --log-level=warn
    odoo_bin shell -d "$DB" --no-http --log-level=warn <<'PY'
for xmlid in ("base.user_admin", "kam_management.kam_demo_user_kam",
              "kam_management.kam_demo_user_manager"):
    env.ref(xmlid).lang = "es_ES"
env.cr.commit()
PY
fi
info "Serving Odoo on http://localhost:${HTTP_PORT:-8069} (database $DB; logins admin / admin, lucia / lucia, javier / javier)"
exec "$PYTHON" "$ODOO_SRC/odoo-bin" --addons-path="$ODOO_SRC/addons,$PROJECT_DIR" \
    ${DB_HOST:+--db_host="$DB_HOST"} --db_port="$DB_PORT" \
    -d "$DB" --db-filter="^$DB\$" --http-port="${HTTP_PORT:-8069}" "$@"
