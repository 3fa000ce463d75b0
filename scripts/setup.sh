#!/usr/bin/env bash
# Installs what nianbao needs beyond the Rust toolchain: poppler's pdftotext, which reads
# text PDFs (see src/read/pdf.rs for why poppler). Idempotent; needs root for apt-get.
set -euo pipefail
if ! command -v pdftotext >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -q poppler-utils >/dev/null 2>&1 || {
            apt-get update -q >/dev/null
            apt-get install -y -q poppler-utils >/dev/null
        }
    else
        echo "setup: install poppler-utils (pdftotext) with your package manager" >&2
        exit 1
    fi
fi
# No pipe into head: under pipefail, pdftotext could die of SIGPIPE and fail the script.
version=$(pdftotext -v 2>&1 || true)
echo "${version%%$'\n'*}"
