#!/usr/bin/env bash
# Builds (first time) the benchmark database with Sales, Sales Margin, Invoicing,
# Project and Timesheets and runs benchmarks/economics.py on it.
# Usage: bash benchmarks/economics.sh [sizes...]   (default: 1000 10000)
source "$(dirname "$0")/common.sh"
bench_run economics kam_bench_economics \
    crm,sale_management,sale_margin,account,project,hr_timesheet,kam_management \
    economics.py "$@"
