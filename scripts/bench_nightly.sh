#!/usr/bin/env bash
# The nightly pattern (issue 14), partitioned layout: a synthetic corpus of N reports over
# 2019–2024 is built in full; then
#   1. nothing changed;
#   2. 1 % new reports of the latest year arrive and 0.1 % of the files change anywhere;
#   3. another 1 % new reports of the latest year arrive, nothing else changes;
# each an incremental run, timed against a --full build of the same corpus, whose CSV
# files must be byte-identical to the incremental run's.
#
#   scripts/bench_nightly.sh [N_REPORTS] [BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
bin=${2:-}
target=${CARGO_TARGET_DIR:-target}
if [ -z "$bin" ]; then
    cargo build --release --quiet
    bin="$target/release/nianbao"
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-nightly-XXXXXX")
trap 'rm -rf "$work"' EXIT

"$bin" synth --out "$work/corpus" --reports "$n" --seed 7 --formats text --no-truth 2>/dev/null
# Reports of the latest year for the nights' new files: about 15 % of synthetic reports
# are of each year, so 14 % of N holds 2 % of N of the latest.
"$bin" synth --out "$work/extra" --reports $(( n * 14 / 100 + 100 )) --seed 8 --formats text 2>/dev/null
python3 - "$work" "$n" <<'PY'
import glob, json, os, shutil, sys
work, n = sys.argv[1], int(sys.argv[2])
by_year = {}
for g in sorted(glob.glob(f"{work}/extra/*/*.gold.json")):
    y = json.load(open(g)).get("year")
    if y:
        by_year.setdefault(y, []).append(g[: -len(".gold.json")])
latest = max(by_year)
docs = [d for stem in by_year[latest] for d in glob.glob(stem + ".*") if not d.endswith(".json")]
per_night = n // 100
for night, batch in enumerate([docs[:per_night], docs[per_night : 2 * per_night]], 1):
    for d in batch:
        # Beside the existing reports (same folders), as a crawler adds them.
        rel = os.path.relpath(d, f"{work}/extra")
        dest = f"{work}/new{night}/{os.path.dirname(rel)}/n{night}-{os.path.basename(rel)}"
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        shutil.copy(d, dest)
print(f"{per_night} new reports of {latest} per night", file=sys.stderr)
PY

timed() { # NAME ARGS…: runs a build, prints its wall seconds (its peak memory in NAME.rss)
    local name=$1 t0 t1
    shift
    # A night's previous output was written long before: the dirty pages of the builds
    # just run here (GBs of CSV) are written back first, not during the timed run.
    sync
    t0=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "$work/$name.rss" \
        "$bin" build "$work/corpus" --layout partitioned "$@" 2>"$work/$name.log"
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc
}
row() { # NAME SECONDS FULL
    printf '| %s | %.1f s | %s %% | %s MB | %s |\n' "$1" "$2" "$(echo "scale=0; 100 * $2 / $3" | bc)" \
        "$(( $(tail -n1 "$work/$1.rss") / 1024 ))" "$(grep -o 'files: [^;]*' "$work/$1.log")"
}
same() { # the incremental output's CSV files against a --full build's
    timed full-check --out "$work/full" --full >/dev/null
    for f in "$work"/out/*.csv; do
        cmp -s "$f" "$work/full/$(basename "$f")" || { echo "DIFFERS: $(basename "$f")"; exit 1; }
    done
}

full=$(timed full --out "$work/out" --full)
echo "| run | wall | share of full | peak memory | files |"
echo "|---|---|---|---|---|"
row full "$full" "$full"
t=$(timed unchanged --out "$work/out"); row unchanged "$t" "$full"
cp -r "$work/new1/." "$work/corpus/"
find "$work/corpus" -type f | sort | awk 'NR % 1000 == 0' | while read -r f; do printf '\nchanged\n' >>"$f"; done
t=$(timed new-and-changed --out "$work/out"); row new-and-changed "$t" "$full"
same
cp -r "$work/new2/." "$work/corpus/"
t=$(timed new-only --out "$work/out"); row new-only "$t" "$full"
same

