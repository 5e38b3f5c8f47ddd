#!/usr/bin/env bash
# Regenerates kam_management/i18n/kam_management.pot from a fresh install and merges it
# into every .po file (new terms come in untranslated: translate them by hand).
source "$(dirname "$0")/common.sh"
prepare
command -v msgmerge >/dev/null || die "msgmerge not found: apt-get install gettext."

DB=${KAM_I18N_DB:-kam_i18n}
I18N="$PROJECT_DIR/kam_management/i18n"
db_exists "$DB" && dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$DB"
odoo_bin -d "$DB" -i kam_management --without-demo=all --stop-after-init --log-level=warn
odoo_bin -d "$DB" --i18n-export="$I18N/kam_management.pot" --modules=kam_management \
    --stop-after-init --log-level=warn
for po in "$I18N"/*.po; do
    [ -f "$po" ] || continue
    msgmerge --quiet --update --backup=none --no-fuzzy-matching "$po" "$I18N/kam_management.pot"
    msgattrib --no-obsolete --output-file="$po" "$po"
done
dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$DB"
info "Updated $I18N"
