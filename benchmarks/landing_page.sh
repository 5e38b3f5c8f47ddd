#!/usr/bin/env bash
# Builds (first time) the benchmark database and runs benchmarks/landing_page.py on it.
# Usage: bash benchmarks/landing_page.sh [--units U] [size]   (default: 2000, no unit)
source "$(dirname "$0")/common.sh"
bench_run "landing page" kam_bench_landing crm,kam_management landing_page.py "$@"
