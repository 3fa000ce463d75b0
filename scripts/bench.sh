#!/usr/bin/env bash
# Throughput and memory benchmark (issues "Know how good and how fast it is" and 14).
#
#   scripts/bench.sh [SIZES...]        default: 1000 10000 100000
#
# 1. Formats, side by side: BENCH_FORMAT_DOCS (default 2000) documents of each of text,
#    HTML and DOCX, written by the reader benchmark's generator (benches/read/): synthetic
#    reports, the HTML ones dressed as 50–200 KB government CMS pages and the DOCX ones as
#    LibreOffice exports (~22 KB, deflated, properties on every run); and as many copies of
#    the Word 97 (.doc, ~40 KB) and RTF (~100 KB) fixtures LibreOffice wrote
#    (tests/fixtures/doc/gold), with distinct bytes. For each: `nianbao
#    build` on 2 threads (wall time, docs/s, the summed `decode` stage) and the reader alone
#    (`read::read` on 2 threads: docs/s by the wall clock, and by CPU time — docs per two
#    CPU-seconds, which other jobs on a shared machine do not distort).
# 1b. PDF: BENCH_PDF_DOCS (default 200) copies, with distinct bytes, of an 8-page text PDF
#    (c003's five pages and c004's first three from shared/gold/pdf: WPS exports with
#    embedded CID fonts), read by each engine alone on 2 processes (pdftotext per file;
#    nianbao-pdftext) and by `nianbao build --jobs 2` with each (NIANBAO_PDF_ENGINE);
#    BENCH_PDF_RUNS (default 3) interleaved runs, medians of files/s by the wall clock and
#    of files per two CPU-seconds of the whole process tree (workers included). Skipped
#    without shared/ or poppler. Also `pdftotext -raw` and MuPDF's `mutool draw -F txt`
#    alone, for the engine comparison.
# 1c. PDF engines' accuracy: each engine's text of shared/gold/pdf scored by `nianbao eval`
#    (cells right / flagged / missed / silent). See docs/pdf.md.
# 2. Scale: for each size N, a corpus of N text reports (`nianbao synth --formats text
#    --no-truth`), the page cache warmed, ripgrep counting 本年新收 over it (the floor for
#    reading those files), then `nianbao build --timings`: wall time, reports/s, MB/s, peak
#    resident memory (GNU time) and the time per stage (`derive` is the tables across
#    reports); then `nianbao stats` (the tables across reports alone, with its peak memory)
#    and `nianbao report` on that output.
# 2b. The writer: a build of BENCH_WRITER_REPORTS (default 10000) synthetic text reports
#    under perf, and the share of its CPU samples in the tables' writer threads
#    (`nianbao-write-<table>`, and `nianbao-writer`, which hands them the reports); without
#    perf, an upper bound: the `write` stage (wall time summed over those threads, waits
#    for a core included) over the build's CPU time. See docs/performance.md.
# 3. The release binary's size; with BENCH_CLEAN_BUILD=1 also a release build from scratch
#    in an empty target directory (run it on an otherwise idle machine).
#
# Set BENCH_JOBS to pin the thread count of the scale runs (default: all cores); the format
# table always uses 2.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 100000)
target=${CARGO_TARGET_DIR:-target}
format_docs=${BENCH_FORMAT_DOCS:-2000}
cargo build --release --quiet
bin="$target/release/nianbao"
# The reader benchmark runs without polars (the readers do not need it).
reader() { cargo bench --quiet --no-default-features --bench read -- "$@"; }
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

# 1. Formats.
printf '%-6s %7s %7s %7s %9s %11s %9s %13s %15s\n' format docs MB avg_KB build_s build_docs/s decode_s read_docs/s read_docs/s/2cpu
for format in text html docx doc rtf; do
    corpus="$work/f-$format"
    case $format in
    doc | rtf)
        # No generator writes Word 97 or RTF (LibreOffice does, scripts/make_doc_fixtures.sh):
        # the fixtures' copies, each with distinct bytes after its end.
        mkdir -p "$corpus"
        fixtures=(tests/fixtures/doc/gold/*."$format")
        for i in $(seq "$format_docs"); do
            { cat "${fixtures[i % ${#fixtures[@]}]}"; printf '\n%%bench %d\n' "$i"; } > "$corpus/r$i.$format"
        done
        ;;
    *) reader gen "$format" "$format_docs" "$corpus" 42 >/dev/null ;;
    esac
    files=$(find "$corpus" -type f | wc -l)
    bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
    find "$corpus" -type f -exec cat {} + >/dev/null # warm cache
    t0=$(now)
    "$bin" build "$corpus" --out "$work/out-$format" --timings --jobs 2 2>"$work/log-$format"
    t1=$(now)
    build_s=$(echo "$t1 - $t0" | bc)
    decode_s=$(grep '^stage time' "$work/log-$format" | grep -o 'decode [0-9.]*' | cut -d' ' -f2)
    # The reader alone; its table has one line per format found (a synthetic corpus also
    # holds a few text documents: near-misses, pre-2019 reports).
    read=$(reader run "$corpus" 2 5 | awk -v f="$format" '$1 == f {print $5, $8}')
    printf '%-6s %7s %7.1f %7.1f %9.2f %11.0f %9s %13s %15s\n' "$format" "$files" \
        "$(echo "$bytes / 1000000" | bc -l)" "$(echo "$bytes / 1024 / $files" | bc -l)" "$build_s" \
        "$(echo "$files / $build_s" | bc -l)" "${decode_s:-?}" "${read% *}" "${read#* }"
    rm -rf "$corpus" "$work/out-$format"
done
echo

# 1b. PDF.
shared=${NIANBAO_SHARED:-../shared}
if [ -d "$shared/gold/pdf" ] && command -v pdftotext >/dev/null && command -v pdfunite >/dev/null; then
    mkdir -p "$work/pdf" "$work/pages"
    pdfseparate -l 5 "$shared/gold/pdf/c003.pdf" "$work/pages/a%d.pdf"
    pdfseparate -l 3 "$shared/gold/pdf/c004.pdf" "$work/pages/b%d.pdf"
    pdfunite "$work"/pages/a{1..5}.pdf "$work"/pages/b{1..3}.pdf "$work/eight.pdf"
    for i in $(seq "${BENCH_PDF_DOCS:-200}"); do
        { cat "$work/eight.pdf"; printf '%%bench %d\n' "$i"; } > "$work/pdf/r$i.pdf"
    done
    # This process is the subreaper of what it runs, so the CPU time of the workers that
    # outlive nianbao is counted too.
    python3 - "$bin" "$work" "${BENCH_PDF_RUNS:-3}" <<'PY'
import ctypes, glob, os, shutil, statistics, struct, subprocess, sys, time
nb, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
files = sorted(glob.glob(work + "/pdf/*.pdf"))
for k in range(2):  # the worker's requests (u64 length, bytes), half the files each
    with open(f"{work}/req{k}", "wb") as f:
        for p in files[k::2]:
            d = open(p, "rb").read()
            f.write(struct.pack("<Q", len(d)) + d)
def run(cmd, env=None):
    shutil.rmtree(work + "/pdf-out", ignore_errors=True)
    t, cpu, wall = time.monotonic(), 0.0, None
    pid = subprocess.Popen(cmd, shell=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).pid
    while True:
        try:
            p, _, ru = os.wait4(-1, 0)
        except ChildProcessError:
            break
        cpu += ru.ru_utime + ru.ru_stime
        if p == pid:
            wall = time.monotonic() - t
    return len(files) / wall, 2 * len(files) / cpu
worker = shutil.which("nianbao-pdftext")
rows = [("pdftotext -layout alone (2 processes)", f"ls {work}/pdf/*.pdf | xargs -P2 -I{{}} pdftotext -layout -enc UTF-8 {{}} /dev/null", None)]
if worker:
    rows.append(("nianbao-pdftext alone (2 processes)", f"{worker} {64 << 20} < {work}/req0 >/dev/null & {worker} {64 << 20} < {work}/req1 >/dev/null; wait", None))
rows.append(("pdftotext -raw alone (2 processes)", f"ls {work}/pdf/*.pdf | xargs -P2 -I{{}} pdftotext -raw -enc UTF-8 {{}} /dev/null", None))
if shutil.which("mutool"):
    rows.append(("mutool draw -F txt alone (2 processes)", f"ls {work}/pdf/*.pdf | xargs -P2 -I{{}} mutool draw -q -F txt -o /dev/null {{}}", None))
build = f"{nb} build {work}/pdf --out {work}/pdf-out --jobs 2"
rows.append(("nianbao build, pdftotext per file", build, dict(os.environ, NIANBAO_PDF_ENGINE="pdftotext")))
if worker:
    rows.append(("nianbao build, nianbao-pdftext", build, None))
results = {name: [] for name, _, _ in rows}
for _ in range(runs):
    for name, cmd, env in rows:
        results[name].append(run(cmd, env))
print(f"PDF, {len(files)} x 8 pages, {runs} runs (medians)    files/s  files/2cpu-s")
for name, _, _ in rows:
    r = results[name]
    print(f"{name:42s} {statistics.median(x[0] for x in r):8.1f} {statistics.median(x[1] for x in r):13.1f}")
PY
    rm -rf "$work/pdf" "$work/pages" "$work/pdf-out" "$work"/req?
    # 1c. The engines' accuracy: each engine's text of the hand-read PDFs, scored by
    # `nianbao eval` as text files beside their gold (the parser reads PDF text and text
    # files alike). Silent errors are what rule an engine out.
    echo
    printf '%-28s %8s %8s %8s %7s %7s\n' "PDF engine, gold/pdf" checked right flagged missed silent
    extract() { # ENGINE PDF TXT
        case $1 in
            "pdftotext -layout") pdftotext -layout -enc UTF-8 "$2" "$3" ;;
            "pdftotext (plain)") pdftotext -enc UTF-8 "$2" "$3" ;;
            "pdftotext -raw") pdftotext -raw -enc UTF-8 "$2" "$3" ;;
            "mutool draw -F txt") mutool draw -q -F txt -o "$3" "$2" ;;
        esac
    }
    engines=("pdftotext -layout" "pdftotext (plain)" "pdftotext -raw")
    command -v mutool >/dev/null && engines+=("mutool draw -F txt")
    for name in "${engines[@]}"; do
        rm -rf "$work/engine" && mkdir "$work/engine"
        for pdf in "$shared"/gold/pdf/*.pdf; do
            stem=$(basename "$pdf" .pdf)
            extract "$name" "$pdf" "$work/engine/$stem.txt" >/dev/null 2>&1 || true
            cp "$shared/gold/pdf/$stem.gold.json" "$work/engine/"
        done
        "$bin" eval "$work/engine" --json 2>/dev/null | python3 -c '
import json, sys
c = json.load(sys.stdin)["cells"]
n = [c[k] for k in ("checked", "correct", "flagged", "missed", "silent")]
print("%-28s %8d %8d %8d %7d %7d" % tuple([sys.argv[1]] + n))' "$name"
    done
    rm -rf "$work/engine"
else
    echo "PDF: skipped (needs $shared/gold/pdf and poppler-utils)"
fi
echo

# 2. Scale.
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
echo

# 2b. The writer.
n=${BENCH_WRITER_REPORTS:-10000}
corpus="$work/w$n"
"$bin" synth --out "$corpus" --reports "$n" --seed 42 --formats text --no-truth 2>/dev/null
find "$corpus" -type f -exec cat {} + >/dev/null # warm cache
if command -v perf >/dev/null &&
    perf record -q -F 999 -o "$work/perf.data" "$bin" build "$corpus" --out "$work/wout" >/dev/null 2>&1; then
    perf script -i "$work/perf.data" -F comm 2>/dev/null | awk -v n="$n" '
        { total++ } $1 ~ /^nianbao-write/ { writer++ }
        END { printf "writer, %d reports: %.1f %% of the build CPU samples (%d of %d), %.0f us CPU per report\n",
              n, 100 * writer / total, writer, total, writer / 999 / n * 1e6 }'
else
    /usr/bin/time -f '%U %S' -o "$work/cpu" "$bin" build "$corpus" --out "$work/wout" --timings 2>"$work/wlog" >/dev/null
    write_s=$(grep '^stage time' "$work/wlog" | grep -o 'write [0-9.]*' | cut -d' ' -f2)
    awk -v w="$write_s" -v n="$n" '{ printf "writer, %d reports: at most %.1f %% of the build CPU (no perf: write stage %.2f s over %.2f s of CPU)\n", n, 100 * w / ($1 + $2), w, $1 + $2 }' "$work/cpu"
fi
rm -rf "$corpus" "$work/wout" "$work/perf.data"
echo

# 3. Build and binary.
echo "release binary: $(( $(stat -c %s "$bin") / 1048576 )) MB ($bin)"
if [ "${BENCH_CLEAN_BUILD:-0}" = 1 ]; then
    clean=$(mktemp -d "${TMPDIR:-/tmp}/nianbao-clean-build-XXXXXX")
    t0=$(now)
    CARGO_TARGET_DIR="$clean" cargo build --release --quiet
    t1=$(now)
    echo "release build from an empty target dir: $(echo "$t1 - $t0" | bc) s, binary $(( $(stat -c %s "$clean/release/nianbao") / 1048576 )) MB"
    rm -rf "$clean"
fi
echo "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, threads ${BENCH_JOBS:-all} (formats: 2), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
