#!/usr/bin/env bash
# Builds (first time) the benchmark database and runs benchmarks/health_cron.py on it.
# Usage: bash benchmarks/health_cron.sh [sizes...]   (default: 1000 10000)
source "$(dirname "$0")/common.sh"
bench_run health kam_bench crm,kam_management health_cron.py "$@"
