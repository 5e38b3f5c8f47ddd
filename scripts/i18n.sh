#!/usr/bin/env bash
# Regenerates the template (i18n/<addon>.pot) of every kam_management* addon from a fresh
# install with the apps the bridges need, and merges it into every .po file of the addon
# (new terms come in untranslated: translate them by hand).
source "$(dirname "$0")/common.sh"
prepare
command -v msgmerge >/dev/null || die "msgmerge not found: apt-get install gettext."

DB=${KAM_I18N_DB:-kam_i18n}
db_exists "$DB" && dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$DB"
# the bridges install by themselves with their apps (auto_install)
odoo_bin -d "$DB" -i crm,sale_management,sale_margin,account,sale_stock,project,hr_timesheet,survey,kam_management \
    --without-demo=all --stop-after-init --log-level=warn
for addon_dir in "$PROJECT_DIR"/kam_management*/; do
    addon=$(basename "$addon_dir")
    i18n="$addon_dir/i18n"
    mkdir -p "$i18n"
    odoo_bin -d "$DB" --i18n-export="$i18n/$addon.pot" --modules="$addon" \
        --stop-after-init --log-level=warn
    for po in "$i18n"/*.po; do
        [ -f "$po" ] || continue
        msgmerge --quiet --update --backup=none --no-fuzzy-matching "$po" "$i18n/$addon.pot"
        msgattrib --no-obsolete --output-file="$po" "$po"
    done
    info "Updated $i18n"
done
dropdb ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" "$DB"
