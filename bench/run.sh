#!/usr/bin/env bash
# Benchmarks of auditpack on synthetic organisations (sizes S, M, L).
#
#   bench/run.sh [s|m|l ...]          (default: s m l), from anywhere
#
# For each size: generates the project with `auditpack synth --seed 1` (or
# reuses it under $BENCH_DIR), then measures, each under /usr/bin/time -v:
#   check            cold caches (empty $AUDITPACK_CACHE_DIR: no evidence
#                    digests, no parsed files) and warm
#   build md         cold and warm caches
#   build md,html    warm
#   build pdf        warm (S and M only)
#   build default    warm (md, html and pdf: the formats of a plain `build`)
#   rebuild md,html  warm, over the package the previous run built
#   I/O floor        `cp -r` of the evidence folder, then `openssl dgst
#                    -sha256` of the copies on every core: the least any
#                    build must do
#   browser          the default build's index.html and largest HTML page
#                    opened in headless Chromium by ../shared/tools/
#                    check-html.sh (when it is there; $CHECK_HTML overrides)
# and prints a Markdown table: wall time, peak RSS and the --timings stages,
# then one row per size of ratios side by side: build md,html and the
# default build against the I/O floor, peak RSS, the largest page written
# and the PDF pages per second of the default build.
# Every build but the rebuilds writes a new output folder; all of them are
# deleted at the end, never between measurements: on ext4, creating files
# soon after many were deleted is several times slower (the allocator skips
# inodes deleted in the last minutes), which would measure the benchmark's
# own clean-up rather than auditpack.
# Each figure is the median of $BENCH_RUNS runs (default 3), and the
# run whose wall time is the median gives the RSS and stage columns.
# The page cache: as root, dropped before every run and the project, the
# caches and the binary read again (BENCH_WARM, bench/lib.sh), so that
# every run, the I/O floor's too, starts with its inputs in memory and
# nothing that earlier runs wrote; otherwise warm throughout and filling up
# with earlier outputs.
#
# Environment: BENCH_DIR (keep/reuse projects there), BENCH_RUNS, AUDITPACK,
# BENCH_WAIT_MAX, BENCH_RETRIES (see bench/lib.sh).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need /usr/bin/time awk sed sort pgrep find xargs openssl pdfinfo

sizes=("$@")
((${#sizes[@]})) || sizes=(s m l)
for s in "${sizes[@]}"; do
    [[ $s == s || $s == m || $s == l ]] || die "unknown size '$s' (s, m or l)"
done

SEED=1
AS_OF=2026-09-30
WORK=$(mktemp -d "${TMPDIR:-/tmp}/auditpack-bench.XXXXXX")
if [[ -n ${BENCH_DIR:-} ]]; then
    mkdir -p "$BENCH_DIR"
    PROJECTS=$(cd "$BENCH_DIR" && pwd)
else
    PROJECTS=$WORK/projects
fi
trap cleanup_work EXIT
setup_binary "$WORK"
LOGS=$WORK/logs
mkdir -p "$LOGS"

ROWS=$WORK/rows.tsv # size, command, cache, wall, rss, stages…, runs
: >"$ROWS"
STAGES=(load validate hash resolve "render md" "render html" "render pdf" package "pkg evidence" bundle)
RATIOS=$WORK/ratios.tsv # size, floor, md_html, default, rss, largest page, pdf pages/s, check warm, browser
CHECK_HTML=${CHECK_HTML:-$BENCH_ROOT/../shared/tools/check-html.sh}
: >"$RATIOS"

project_for() {
    local size=$1 dir=$PROJECTS/$1-seed$SEED
    if [[ -f $dir/planted.json ]]; then
        note "reusing $dir"
    else
        rm -rf "$dir"
        note "generating $dir (synth --size $size --seed $SEED)"
        "$AP" synth "$dir" --size "$size" --seed "$SEED" -q
    fi
    sync
    PROJECT=$dir
}

# bench SIZE NAME CACHE(cold|warm) OKCODES ARGS…: median of RUNS measurements
# of auditpack ARGS (of $BENCH_CMD ARGS when that is set).
bench() {
    local size=$1 name=$2 cache=$3 okcodes=$4
    shift 4
    local i runs=$RUNS tag
    tag="$size-${name//[^a-z0-9]/_}-$cache"
    : >"$LOGS/$tag.walls"
    for ((i = 1; i <= runs; i++)); do
        if [[ $cache == cold ]]; then PREPARE=prepare_cold; else PREPARE=; fi
        # @NEW@ in the arguments: a new output folder for every run.
        measure "$LOGS/$tag.$i" "$okcodes" "${BENCH_CMD:-$AP}" "${@//@NEW@/$WORK/out/$tag.$i}"
        echo "$M_WALL $i $M_RSS" >>"$LOGS/$tag.walls"
        note "$size $name ($cache): ${M_WALL}s, ${M_RSS} MiB (exit $M_RC, attempt $M_TRIES)"
    done
    local med wall idx rss lo hi
    med=$(sort -n "$LOGS/$tag.walls" | awk -v n="$runs" 'NR == int((n + 1) / 2)')
    read -r wall idx rss <<<"$med"
    lo=$(sort -n "$LOGS/$tag.walls" | head -1 | cut -d' ' -f1)
    hi=$(sort -n "$LOGS/$tag.walls" | tail -1 | cut -d' ' -f1)
    local row="$size	$name	$cache	$wall	$rss"
    local st
    for st in "${STAGES[@]}"; do row+="	$(stage "$LOGS/$tag.$idx" "$st")"; done
    if ((runs > 1)); then row+="	$runs ($lo–$hi)"; else row+="	1"; fi
    echo "$row" >>"$ROWS"
}

# The wall time of the median run of a bench row, and the log prefix of that run.
median_of() {
    local tag=$1 wall idx rss
    read -r wall idx rss < <(sort -n "$LOGS/$tag.walls" | awk -v n="$RUNS" 'NR == int((n + 1) / 2)')
    echo "$wall $LOGS/$tag.$idx $rss"
}

# The I/O floor of a project: copy its evidence, then hash every copy on
# every core. What a build cannot avoid doing with the evidence.
io_floor() {
    local src=$1 dst=$2
    cp -r "$src" "$dst"
    find "$dst" -type f -print0 | xargs -0 -P "$(nproc)" -n 256 openssl dgst -sha256 >/dev/null
}
export -f io_floor

# ratios SIZE: one row of $RATIOS from the rows just measured.
ratios() {
    local size=$1 floor md default rss pkg largest pages render check
    read -r floor _ _ < <(median_of "$size-io_floor-warm")
    read -r check _ _ < <(median_of "$size-check-warm")
    read -r md _ _ < <(median_of "$size-build_md_html-warm")
    read -r default pkg rss < <(median_of "$size-build_default-warm")
    local out=${pkg/$LOGS/$WORK/out}
    largest=$(find "$out" -path "$out/evidence" -prune -o -type f \( -name '*.md' -o -name '*.html' \) -printf '%s %P\n' |
        sort -n | tail -1 | awk '{ printf "%s (%.0f KiB)", $2, $1 / 1024 }')
    pages=0
    while IFS= read -r -d '' pdf; do
        pages=$((pages + $(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')))
    done < <(find "$out" -name '*.pdf' -print0)
    render=$(stage "$pkg" "render pdf")
    local per_s
    per_s=$(awk -v p="$pages" -v t="$render" 'BEGIN { if (t + 0 > 0) printf "%.0f (%d pages / %s s)", p / t, p, t; else print "–" }')
    echo "$size	$floor	$md	$default	$rss	$largest	$per_s	$check	$(browser_load "$out")" >>"$RATIOS"
}

# browser_load PACKAGE: how long headless Chromium takes to load the
# package's index.html and its largest HTML page, as the browser checker
# prints it ("loaded in N ms"), or – without the checker.
browser_load() {
    local out=$1 page ms shown=()
    if [[ ! -x $CHECK_HTML ]]; then
        echo "–"
        return
    fi
    # Like every run, with its inputs in memory: the package's pages (not its
    # evidence) and the browser (one untimed load first).
    find "$out" -path "$out/evidence" -prune -o -type f -print0 | xargs -0 -r cat >/dev/null
    "$CHECK_HTML" --skip-vnu "$out/index.html" "$WORK/shot.png" >/dev/null 2>&1 || true
    for page in index.html $(find "$out" -path "$out/evidence" -prune -o -name '*.html' -printf '%s %P\n' | sort -n | tail -1 | cut -d' ' -f2); do
        ms=$("$CHECK_HTML" --skip-vnu "$out/$page" "$WORK/shot.png" 2>&1 | sed -n 's/.*loaded in \([0-9]*\) ms.*/\1/p' | head -1)
        shown+=("$page ${ms:-?} ms")
    done
    (IFS=';'; echo "${shown[*]}" | sed 's/;/; /g')
}

prepare_cold() {
    rm -rf "$CACHE"
    mkdir -p "$CACHE"
}
mkdir -p "$WORK/out"

for size in "${sizes[@]}"; do
    RUNS=${BENCH_RUNS:-3}
    project_for "$size"
    CACHE=$WORK/cache-$size
    export AUDITPACK_CACHE_DIR=$CACHE
    # What every run starts with in the page cache: the project, the
    # caches and the binary.
    export BENCH_WARM="$PROJECT $CACHE $AP"
    # check exits 1 on the planted findings: 0 and 1 are both fine.
    bench "$size" "check" cold "0 1" check "$PROJECT" --as-of "$AS_OF" --timings
    bench "$size" "check" warm "0 1" check "$PROJECT" --as-of "$AS_OF" --timings
    bench "$size" "build md" cold 0 build "$PROJECT" -o @NEW@ --as-of "$AS_OF" --format md --timings
    bench "$size" "build md" warm 0 build "$PROJECT" -o @NEW@ --as-of "$AS_OF" --format md --timings
    bench "$size" "build md,html" warm 0 build "$PROJECT" -o @NEW@ --as-of "$AS_OF" --format md,html --timings
    if [[ $size != l ]]; then
        bench "$size" "build pdf" warm 0 build "$PROJECT" -o @NEW@ --as-of "$AS_OF" --format pdf --timings
    fi
    bench "$size" "build default" warm 0 build "$PROJECT" -o @NEW@ --as-of "$AS_OF" --timings
    BENCH_CMD=bash bench "$size" "io-floor" warm 0 -c 'io_floor "$1" "$2"' floor "$PROJECT/evidence" @NEW@
    ratios "$size"
    # The package of the last md,html run, rebuilt in place: unchanged
    # evidence is linked from it, and it is replaced (and deleted) as part
    # of every timed run.
    REBUILT=$WORK/out/$size-build_md_html-warm.$RUNS
    # The package being rebuilt is read (its evidence is linked when it still
    # hashes to its manifest), so it starts in memory too.
    BENCH_WARM="$BENCH_WARM $REBUILT" bench "$size" "rebuild md,html" warm 0 build "$PROJECT" -o "$REBUILT" --as-of "$AS_OF" --format md,html --timings
done

# ---- report ---------------------------------------------------------------
echo "## auditpack benchmarks"
echo
echo "- binary: $AP_ID"
machine_info
echo "- projects: \`auditpack synth DIR --size SIZE --seed $SEED\`; every command with \`--as-of $AS_OF\`"
echo "- caches (evidence digests, parsed files): cold = empty \`\$AUDITPACK_CACHE_DIR\`, warm = filled by the previous run; page cache warm ($([[ $SETTLED == dropped ]] && echo 'dropped before every run, then the project, the caches and the binary read again' || echo 'not dropped: earlier outputs stay in it'))"
echo "- wall and peak RSS from \`/usr/bin/time -v\`; stages from \`build --timings\` (seconds; the render stages run in parallel, so they overlap)"
echo
# Stage columns that no run printed are left out.
awk -F'\t' -v names="$(IFS='|'; echo "${STAGES[*]}")" '
    { rows[NR] = $0; for (i = 6; i < NF; i++) if ($i != "–") used[i] = 1 }
    END {
        n = split(names, st, "|")
        h = "| size | command | caches | wall s | peak RSS MiB |"; r = "| --- | --- | --- | ---: | ---: |"
        for (i = 1; i <= n; i++) if ((i + 5) in used) { h = h " " st[i] " |"; r = r " ---: |" }
        print h " runs (min–max s) |"; print r " --- |"
        for (k = 1; k <= NR; k++) {
            split(rows[k], f, "\t")
            line = "| " toupper(f[1]) " | " f[2] " | " f[3] " | " f[4] " | " f[5] " |"
            for (i = 6; i < 6 + n; i++) if (i in used) line = line " " f[i] " |"
            print line " " f[6 + n] " |"
        }
    }' "$ROWS"

echo
echo "### Against the I/O floor"
echo
echo "I/O floor: \`cp -r\` of the evidence folder, then \`openssl dgst -sha256\` of the copies on $(nproc) cores. Median wall times (the check with warm caches); peak RSS, pages and browser load of the default build (md, html, pdf); largest page: the largest Markdown or HTML file of that package; browser: \`check-html.sh\`'s \"loaded in\" for index.html and the largest HTML page (headless Chromium, file:// URL)."
echo
echo "| size | check s | I/O floor s | build md,html s | md,html ÷ floor | default build s | default ÷ floor | default peak RSS MiB | largest page | PDF pages/s | browser load |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |"
awk -F'\t' '{
    printf "| %s | %s | %s | %s | %.2f | %s | %.2f | %s | %s | %s | %s |\n", toupper($1), $8, $2, $3, $3 / $2, $4, $4 / $2, $5, $6, $7, $9
}' "$RATIOS"

# Growth from M to L, when both were measured.
if grep -q $'^m\t' "$ROWS" && grep -q $'^l\t' "$ROWS"; then
    echo
    echo "### Growth from M to L (×10 controls, attestations and evidence files)"
    echo
    echo "| command | caches | wall M s | wall L s | time × | RSS M MiB | RSS L MiB | memory × |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    awk -F'\t' '
        $1 == "m" { w[$2 FS $3] = $4; r[$2 FS $3] = $5 }
        $1 == "l" && (($2 FS $3) in w) {
            k = $2 FS $3
            printf "| %s | %s | %s | %s | %.1f | %s | %s | %.1f |\n", $2, $3, w[k], $4, $4 / w[k], r[k], $5, $5 / r[k]
        }' "$ROWS"
fi
