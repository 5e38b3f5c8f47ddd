#!/usr/bin/env bash
# Builds (first time) the benchmark database and runs benchmarks/escalation_cron.py on it.
# Usage: bash benchmarks/escalation_cron.sh [sizes...]   (default: 2000)
source "$(dirname "$0")/common.sh"
bench_run escalation kam_bench_escalation crm,kam_management escalation_cron.py "$@"
