#!/usr/bin/env bash
# Builds (first time) the benchmark database with Sales and Invoicing and runs
# benchmarks/revenue.py on it.
# Usage: bash benchmarks/revenue.sh [sizes...]   (default: 1000 10000)
source "$(dirname "$0")/common.sh"
bench_run revenue kam_bench_revenue crm,sale_management,account,kam_management revenue.py "$@"
