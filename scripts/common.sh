#!/usr/bin/env bash
# Shared preparation for scripts/run.sh and scripts/test.sh: finds Odoo, prepares a
# virtual environment with Odoo's requirements and ours, and makes sure PostgreSQL is up.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo}
DB_HOST=${DB_HOST:-}
DB_PORT=${DB_PORT:-5432}

die() { echo "ERROR: $*" >&2; exit 1; }
info() { echo "==> $*"; }

check_odoo() {
    [ -f "$ODOO_SRC/odoo-bin" ] && [ -f "$ODOO_SRC/requirements.txt" ] || die \
"Odoo 18.0 source not found at ODOO_SRC=$ODOO_SRC.
  Get it (unmodified Odoo 18.0, commit 504b0670) and check it out there, e.g.:
    git clone https://github.com/odoo/odoo --branch 18.0 --depth 1 /opt/odoo
  or set ODOO_SRC to an existing Odoo 18.0 checkout."
    grep -q "version_info = (18, 0" "$ODOO_SRC/odoo/release.py" \
        || die "$ODOO_SRC is not Odoo 18.0 (see $ODOO_SRC/odoo/release.py)."
}

ensure_system_packages() {
    local missing=()
    for pkg in libpq-dev libldap2-dev libsasl2-dev; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    info "Installing Debian packages needed to build Odoo's requirements: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    { $sudo apt-get update -qq && \
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null; } \
        || die "Could not install ${missing[*]}: install them with apt-get and retry."
}

# Headless Chromium for the browser tests (JS tours): Odoo looks for google-chrome,
# chromium or chromium-browser on PATH (odoo/tests/common.py, _find_executable) and
# adds --no-sandbox itself, so running as root works.
ensure_chromium() {
    local browser
    for browser in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$browser" >/dev/null && return 0
    done
    info "Installing Debian's chromium for the browser tests"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    { $sudo apt-get update -qq && \
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null; } \
        || die "Could not install chromium: install it with apt-get (or Google Chrome) and retry."
    command -v chromium >/dev/null || die "chromium is installed but not on PATH."
}

# wkhtmltopdf renders Odoo's PDF reports (the printed account plan); Debian's package.
ensure_wkhtmltopdf() {
    command -v wkhtmltopdf >/dev/null && return 0
    info "Installing Debian's wkhtmltopdf for the PDF reports"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    { $sudo apt-get update -qq && \
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wkhtmltopdf >/dev/null; } \
        || die "Could not install wkhtmltopdf: install it with apt-get and retry."
}

# Odoo drives the browser through the DevTools protocol with websocket-client, which
# Odoo's requirements.txt leaves out (Debian ships it as python3-websocket): without
# it the browser tests are skipped, not run.
ensure_websocket_client() {
    "$PYTHON" -c "import websocket" 2>/dev/null && return 0
    info "Installing websocket-client in $VENV for the browser tests"
    "$VENV/bin/pip" install -q "websocket-client>=1.2,<2" \
        || die "Installing websocket-client failed (see pip's output above)."
}

# The buying model's test reproduces the papers' estimates on the CDNOW sample, which
# ships with lifetimes: installed without its dependencies (pandas...), since the test
# reads the data file only, without importing the package.
ensure_cdnow_sample() {
    "$PYTHON" -c "import importlib.util, sys; sys.exit(not importlib.util.find_spec('lifetimes'))" \
        2>/dev/null && return 0
    info "Installing lifetimes (without its dependencies) in $VENV for its CDNOW sample"
    "$VENV/bin/pip" install -q --no-deps "lifetimes==0.11.3" \
        || die "Installing lifetimes failed (see pip's output above)."
}

# Odoo's servers with worker processes (--workers) start their websocket process with
# gevent's monkey patching, which checks gevent's requirements through setuptools'
# pkg_resources; the setuptools<70 of this environment does not find zope.interface
# and zope.event under the names their recent releases install (zope_interface-8...),
# and the process dies at start, again and again. Their last releases it finds:
ZOPE_PINS=("zope.interface<7.3" "zope.event<5.1")
ensure_gevent_requirements() {
    "$PYTHON" -c "import pkg_resources; pkg_resources.require('gevent')" 2>/dev/null && return 0
    info "Installing ${ZOPE_PINS[*]} in $VENV for the servers with worker processes"
    "$VENV/bin/pip" install -q "${ZOPE_PINS[@]}" \
        || die "Installing ${ZOPE_PINS[*]} failed (see pip's output above)."
}

# The virtual environment lives outside the checkout, keyed by the requirements it holds,
# so that a fresh clone (CI) reuses it instead of rebuilding Odoo's requirements.
ensure_venv() {
    local key
    key=$(cat "$ODOO_SRC/requirements.txt" "$PROJECT_DIR/requirements.txt" | sha1sum | cut -c1-12)
    VENV=${KAM_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/kam_management/venv-$key}
    if [ ! -f "$VENV/.complete" ]; then
        ensure_system_packages
        info "Creating the virtual environment $VENV (first run only, takes a few minutes)"
        command -v python3 >/dev/null || die "python3 is missing."
        rm -rf "$VENV"
        python3 -m venv "$VENV"
        local constraint
        constraint=$(mktemp)
        # cbor2==5.4.2 does not build with setuptools>=70
        printf '%s\n' "setuptools<70" "${ZOPE_PINS[@]}" > "$constraint"
        PIP_CONSTRAINT=$constraint "$VENV/bin/pip" install -q --upgrade "pip<25" wheel \
            || die "pip could not upgrade itself in $VENV."
        PIP_CONSTRAINT=$constraint "$VENV/bin/pip" install -q \
            -r "$ODOO_SRC/requirements.txt" -r "$PROJECT_DIR/requirements.txt" \
            || die "Installing the Python requirements failed (see pip's output above)."
        rm -f "$constraint"
        touch "$VENV/.complete"
    fi
    PYTHON="$VENV/bin/python"
    export PATH="$VENV/bin:$PATH"
}

ensure_postgres() {
    command -v psql >/dev/null || die "PostgreSQL client (psql) not found: apt-get install postgresql."
    if ! pg_isready -q ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT"; then
        info "PostgreSQL is down: starting it"
        if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
            local version
            version=$(ls /etc/postgresql | sort -V | tail -n 1)
            pg_ctlcluster --skip-systemctl-redirect "$version" main start \
                || die "Could not start PostgreSQL $version: start it by hand."
        else
            die "PostgreSQL is not running on port $DB_PORT and pg_ctlcluster is not available: start it."
        fi
        for _ in $(seq 1 30); do
            pg_isready -q ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" && break
            sleep 1
        done
        pg_isready -q ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" || die "PostgreSQL did not come up."
    fi
    psql ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" -d postgres -tAc "select 1" >/dev/null 2>&1 \
        || die "Cannot connect to PostgreSQL as role '$(whoami)': create it with
    su postgres -c \"createuser -s $(whoami)\""
}

db_exists() {
    psql ${DB_HOST:+-h "$DB_HOST"} -p "$DB_PORT" -d postgres -tAc \
        "select 1 from pg_database where datname = '$1'" | grep -q 1
}

# odoo-bin with our addons path; a leading "shell" stays the sub-command.
odoo_bin() {
    local command=()
    if [ "${1:-}" = "shell" ]; then command=(shell); shift; fi
    "$PYTHON" "$ODOO_SRC/odoo-bin" "${command[@]}" --addons-path="$ODOO_SRC/addons,$PROJECT_DIR" \
        ${DB_HOST:+--db_host="$DB_HOST"} --db_port="$DB_PORT" "$@"
}

prepare() {
    check_odoo
    ensure_venv
    ensure_gevent_requirements
    ensure_postgres
    ensure_wkhtmltopdf
}
