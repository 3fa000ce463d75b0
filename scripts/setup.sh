#!/usr/bin/env bash
# Installs what nianbao and its test suite need beyond the Rust toolchain. Idempotent;
# needs root for apt-get.
# - poppler's pdftotext reads text PDFs (see src/read/pdf.rs for why poppler);
# - Chromium and a CJK font render `nianbao report` in a real browser (tests/stats.rs);
# - python3 with polars and duckdb runs examples/ and scripts/check_partitioned.py.
set -euo pipefail

apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "setup: install $* with your package manager" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "$@" >/dev/null 2>&1 || {
        apt-get update -q >/dev/null
        apt-get install -y -q "$@" >/dev/null
    }
}

command -v pdftotext >/dev/null 2>&1 || apt_install poppler-utils
command -v chromium >/dev/null 2>&1 || apt_install chromium
fc-list 2>/dev/null | grep -q "CJK" || apt_install fonts-noto-cjk
python3 -c 'import polars, duckdb' 2>/dev/null || python3 -m pip install -q polars duckdb

# No pipe into head: under pipefail, a tool could die of SIGPIPE and fail the script.
version=$(pdftotext -v 2>&1 || true)
echo "${version%%$'\n'*}"
version=$(chromium --version 2>/dev/null || true)
echo "${version%%$'\n'*}"
