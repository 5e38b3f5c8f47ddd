#!/usr/bin/env bash
# Builds (first time) the benchmark database and runs benchmarks/bench_playbook.py on it.
# Usage: bash benchmarks/bench_playbook.sh [sizes...]   (default: 500)
source "$(dirname "$0")/common.sh"
bench_run playbook kam_bench_playbook crm,kam_management bench_playbook.py "$@"
