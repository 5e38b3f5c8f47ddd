#!/usr/bin/env bash
# Builds the benchmark database with Invoicing and runs benchmarks/recommendations.py
# on it (the bridge kam_management_account installs by itself).
# Usage: bash benchmarks/recommendations.sh [--customers N] [--key N] [--lines N]
source "$(dirname "$0")/common.sh"
bench_run recommendations kam_bench_recommendations crm,account,kam_management recommendations.py "$@"
