#!/usr/bin/env bash
# Incremental-build benchmark (issue "Nightly runs at scale"): generates a corpus of N
# files (copies of data/sample and shared/gold/seeds, each with its own last line so
# every hash differs), runs a full build, changes 1% of the files, runs again, and
# prints both times and their ratio.
#
#   scripts/bench_incremental.sh [N_FILES] [BINARY]
#   scripts/bench_incremental.sh nightly [N_REPORTS] [BINARY]   (scripts/bench_nightly.sh)
#
# BINARY defaults to target/release/nianbao (built if missing); pass
# target/debug/nianbao to measure the debug build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = nightly ]; then
    shift
    exec scripts/bench_nightly.sh "$@"
fi
n=${1:-20000}
bin=${2:-}
target=${CARGO_TARGET_DIR:-target}
if [ -z "$bin" ]; then
    cargo build --release --quiet
    bin="$target/release/nianbao"
fi
shared=${NIANBAO_SHARED:-../shared}
work=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT

seeds=(data/sample/*)
[ -d "$shared/gold/seeds" ] && seeds+=("$shared"/gold/seeds/*.txt)
echo "generating $n files from ${#seeds[@]} seeds in $work/corpus" >&2
python3 - "$work/corpus" "$n" "${seeds[@]}" <<'PY'
import os, sys
root, n, seeds = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
data = [(os.path.basename(s), open(s, 'rb').read()) for s in seeds]
for i in range(n):
    name, body = data[i % len(data)]
    d = os.path.join(root, f"{i % 1000:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{i:06d}-{name}"), 'wb') as f:
        f.write(body + f"\n{i}\n".encode())
PY
mb=$(du -sm "$work/corpus" | cut -f1)

run() { # prints seconds of: nianbao build corpus --out out "$@"
    local t0 t1
    t0=$(date +%s.%N)
    "$bin" build "$work/corpus" --out "$work/out" "$@" 2>"$work/summary"
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc
}

full=$(run)
echo "full:        ${full}s  $(tail -n1 "$work/summary")"
# Change 1% of the files (append a line: new hash, new size and mtime).
changed=$(( n / 100 ))
find "$work/corpus" -type f | sort | awk -v k=100 -v n="$changed" 'NR % k == 0 && c < n { print; c++ }' |
    while read -r f; do printf '\nchanged\n' >>"$f"; done
incr=$(run)
echo "incremental: ${incr}s  $(tail -n1 "$work/summary")"
noop=$(run)
echo "no change:   ${noop}s  $(tail -n1 "$work/summary")"
echo "files $n (${mb} MB), changed $changed; full ${full}s, incremental ${incr}s, ratio $(echo "scale=1; $full / $incr" | bc)x; files/s full $(echo "scale=0; $n / $full" | bc)"
