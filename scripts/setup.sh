#!/usr/bin/env bash
# Installs what nianbao and its test suite need beyond the Rust toolchain. Idempotent;
# needs root for apt-get.
# - poppler's pdftotext reads text PDFs (see src/parse/read/pdf.rs for why poppler), and
#   nianbao-pdftext (src/parse/read/pdf_worker.cc, built here against the same libpoppler) runs
#   that code in long-lived processes, without pdftotext's start-up cost per file;
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
# Rebuilt whenever its source changes (the hash is kept beside the binary) or it no longer
# runs (a poppler upgrade changes libpoppler's soname).
worker=/usr/local/bin/nianbao-pdftext
worker_src="$(dirname "$0")/../src/parse/read/pdf_worker.cc"
worker_hash=$(sha256sum "$worker_src" | cut -d' ' -f1)
if [ "$(cat "$worker.sha256" 2>/dev/null)" != "$worker_hash" ] || ! "$worker" -v >/dev/null 2>&1; then
    [ -f /usr/include/poppler/TextOutputDev.h ] || apt_install libpoppler-private-dev
    command -v g++ >/dev/null 2>&1 || apt_install g++
    command -v pkg-config >/dev/null 2>&1 || apt_install pkg-config
    # shellcheck disable=SC2046 # pkg-config's flags are words
    g++ -O2 -std=c++17 $(pkg-config --cflags poppler) "$worker_src" -o "$worker.tmp" $(pkg-config --libs poppler)
    mv "$worker.tmp" "$worker"
    echo "$worker_hash" > "$worker.sha256"
fi
command -v chromium >/dev/null 2>&1 || apt_install chromium
fc-list 2>/dev/null | grep -q "CJK" || apt_install fonts-noto-cjk
python3 -c 'import polars, duckdb' 2>/dev/null || python3 -m pip install -q polars duckdb

# No pipe into head: under pipefail, a tool could die of SIGPIPE and fail the script.
version=$(pdftotext -v 2>&1 || true)
echo "${version%%$'\n'*}"
"$worker" -v
version=$(chromium --version 2>/dev/null || true)
echo "${version%%$'\n'*}"
