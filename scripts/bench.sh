#!/usr/bin/env bash
# Throughput and memory benchmark (issue "Know how good and how fast it is").
#
#   scripts/bench.sh [SIZES...]        default: 1000 10000 100000
#
# For each size N: writes a synthetic corpus of N text reports (`nianbao synth --formats
# text --no-truth`), warms the page cache, times ripgrep counting 本年新收 over it (the
# floor for reading those files), then times `nianbao build --timings` (release build) and
# records wall time, reports/s, MB/s, peak resident memory (GNU time) and the time per
# stage (`derive` is the tables across reports). Then times `nianbao stats` (the tables
# across reports alone, with its peak memory) and `nianbao report` on that output.
# Prints one table; set BENCH_JOBS to pin the thread count (default: all cores).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000)
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet
bin="$target/release/nianbao"
if ! command -v rg >/dev/null; then
    echo "installing ripgrep (the reading floor)" >&2
    if command -v apt-get >/dev/null && { [ "$(id -u)" = 0 ] || command -v sudo >/dev/null; }; then
        ${SUDO:-$( [ "$(id -u)" = 0 ] || echo sudo)} apt-get install -y -qq ripgrep >/dev/null 2>&1 || true
    fi
    command -v rg >/dev/null || cargo install ripgrep --locked --quiet
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-bench-XXXXXX")
trap 'rm -rf "$work"' EXIT
jobs=()
[ -n "${BENCH_JOBS:-}" ] && jobs=(--jobs "$BENCH_JOBS")

now() { date +%s.%N; }
printf '%-8s %8s %8s %10s %9s %8s %9s %10s %8s %9s %9s  %s\n' reports MB rg_s build_s reports/s MB/s peak_MB rg_ratio stats_s stats_MB report_s stages
for n in "${sizes[@]}"; do
    corpus="$work/c$n"
    "$bin" synth --out "$corpus" --reports "$n" --seed 42 --formats text --no-truth 2>/dev/null
    mb=$(du -sm "$corpus" | cut -f1)
    find "$corpus" -type f -exec cat {} + >/dev/null # warm cache
    t0=$(now); rg --count-matches 本年新收 "$corpus" >/dev/null; t1=$(now)
    rg_s=$(echo "$t1 - $t0" | bc)
    t0=$(now)
    /usr/bin/time -f '%M' -o "$work/rss" "$bin" build "$corpus" --out "$work/out$n" --timings "${jobs[@]}" 2>"$work/log$n"
    t1=$(now)
    build_s=$(echo "$t1 - $t0" | bc)
    peak=$(( $(tail -n1 "$work/rss") / 1024 ))
    stages=$(grep '^stage time' "$work/log$n" | sed 's/^stage time (summed over threads): //')
    t0=$(now)
    /usr/bin/time -f '%M' -o "$work/rss" "$bin" stats "$work/out$n" 2>/dev/null
    t1=$(now)
    stats_s=$(echo "$t1 - $t0" | bc)
    stats_mb=$(( $(tail -n1 "$work/rss") / 1024 ))
    t0=$(now)
    "$bin" report "$work/out$n" --out "$work/site$n" 2>/dev/null
    t1=$(now)
    report_s=$(echo "$t1 - $t0" | bc)
    printf '%-8s %8s %8.2f %10.2f %9.0f %8.1f %9s %10.1f %8.2f %9s %9.2f  %s\n' "$n" "$mb" "$rg_s" "$build_s" \
        "$(echo "$n / $build_s" | bc -l)" "$(echo "$mb / $build_s" | bc -l)" "$peak" \
        "$(echo "$build_s / $rg_s" | bc -l)" "$stats_s" "$stats_mb" "$report_s" "$stages"
    rm -rf "$corpus" "$work/out$n" "$work/site$n"
done
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, threads ${BENCH_JOBS:-all}" >&2
