#!/usr/bin/env bash
# Builds (first time) the benchmark database and runs benchmarks/health_cron.py on it.
# Usage: bash benchmarks/health_cron.sh [--units U] [sizes...]   (default: 1000 10000;
# --units 5: each key account heads a group of 5 unit companies with their data)
source "$(dirname "$0")/common.sh"
bench_run health kam_bench crm,kam_management health_cron.py "$@"
