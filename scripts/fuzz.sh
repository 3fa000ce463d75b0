#!/usr/bin/env bash
# Runs the cargo-fuzz targets (fuzz/fuzz_targets: text, html, docx, doc, rtf, odt, pdf), each for
# SECONDS (default 1800), seeded from the gold reports, the sample corpus and the format
# fixtures. Crashes land in fuzz/artifacts/TARGET/ (FUZZ_FLAGS="-fork=1 -ignore_crashes=1"
# keeps a run going after one); copy each into tests/fixtures/fuzz/TARGET/, which
# tests/robustness.rs replays, before fixing it.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain is used with
# RUSTC_BOOTSTRAP=1 for the sanitizer flags. The fuzzers run under `nice`, so a build
# beside them keeps its speed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-1800}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(text html docx doc rtf odt pdf)
shared=${NIANBAO_SHARED:-../shared}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1

seed() { # seed TARGET FILES...: copy FILES into fuzz/corpus/TARGET (kept between runs)
    local dir="fuzz/corpus/$1"
    shift
    mkdir -p "$dir"
    for f in "$@"; do [ -f "$f" ] && cp -n "$f" "$dir/$(basename "$f")"; done
    return 0
}
seed text "$shared"/gold/seeds/*.txt "$shared"/gold/real/*.txt data/sample/*
seed html tests/fixtures/html/*
seed pdf "$shared"/gold/pdf/*.pdf tests/fixtures/pdf/*.pdf
# The RTF target adds the header itself; the doc target takes whole files after a 0 byte.
mkdir -p fuzz/corpus/rtf fuzz/corpus/doc fuzz/corpus/odt
for f in tests/fixtures/doc/gold/*.odt; do
    python3 - "$f" "fuzz/corpus/odt/$(basename "$f").xml" <<'PY' || true
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    open(sys.argv[2], "wb").write(z.read("content.xml"))
PY
done
for f in tests/fixtures/doc/gold/*.rtf; do tail -c +2 "$f" > "fuzz/corpus/rtf/$(basename "$f")"; done
for f in tests/fixtures/doc/gold/*.doc; do { printf '\0'; cat "$f"; } > "fuzz/corpus/doc/$(basename "$f")"; done
mkdir -p fuzz/corpus/docx
for f in tests/fixtures/docx/*.docx; do
    [ -f "$f" ] || continue
    python3 - "$f" "fuzz/corpus/docx/$(basename "$f").xml" <<'PY' || true
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    open(sys.argv[2], "wb").write(z.read("word/document.xml"))
PY
done

for t in "${targets[@]}"; do
    echo "== fuzz target $t for ${seconds}s" >&2
    nice -n 19 cargo fuzz run --release "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 -max_len=262144 \
        -print_final_stats=1 ${FUZZ_FLAGS:-} 2>&1 | tee "fuzz/$t.log" | grep -E "^#|stat::|ERROR|panicked|SUMMARY" | tail -n 12
done
