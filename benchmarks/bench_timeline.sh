#!/usr/bin/env bash
# Builds (first time) the benchmark database with Sales, Invoicing, Inventory and
# Project (the bridges come by themselves) and runs benchmarks/bench_timeline.py on it.
# Usage: bash benchmarks/bench_timeline.sh [documents]   (default: 5000)
source "$(dirname "$0")/common.sh"
bench_run timeline kam_bench_timeline \
    crm,sale_management,account,sale_stock,project,kam_management \
    bench_timeline.py "$@"
