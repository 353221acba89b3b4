# Shared helpers of the bench/*.sh scripts. Sourced, not run.
#
# Environment (all optional):
#   AUDITPACK        binary to measure (default: target/release/auditpack, built if missing)
#   BENCH_DIR        where synthetic projects are kept and reused (default: a temp folder)
#   BENCH_WAIT_MAX   seconds to wait for a running rustc/cargo before measuring (default 900)
#   BENCH_RETRIES    re-runs of a measurement disturbed by a compiler (default 3)
#   BENCH_KEEP       keep the temp folder (logs, outputs) of a run
#   BENCH_WARM       folders to start every measured run with in the page cache:
#                    when /proc/sys/vm/drop_caches is writable (root), the page
#                    cache is dropped before each run and these folders are read
#                    again, so that no run pays for reclaiming what earlier runs
#                    wrote (set by run.sh to the project)

set -euo pipefail
export LC_ALL=C # decimal points in $EPOCHREALTIME, awk and sort

BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_WAIT_MAX=${BENCH_WAIT_MAX:-900}
BENCH_RETRIES=${BENCH_RETRIES:-3}

# The temp folder of a run ($WORK) goes at exit, unless BENCH_KEEP is set.
cleanup_work() {
    if [[ -n ${BENCH_KEEP:-} ]]; then note "kept ${WORK:-}"; else rm -rf "${WORK:-/nonexistent}"; fi
}

die() { echo "error: $*" >&2; exit 2; }
note() { echo "# $*" >&2; }

need() {
    local c
    for c in "$@"; do
        command -v "$c" >/dev/null 2>&1 || die "$c is needed"
    done
}

# Is a compiler running on the machine (ours or another engineer's)?
compiler_running() {
    pgrep -x rustc >/dev/null 2>&1 || pgrep -x cargo >/dev/null 2>&1
}

# Wait until no rustc/cargo runs: poll every 20 s, up to BENCH_WAIT_MAX.
wait_idle() {
    local waited=0
    while compiler_running; do
        if ((waited >= BENCH_WAIT_MAX)); then
            note "warning: a compiler still runs after ${BENCH_WAIT_MAX}s; measuring anyway"
            return 0
        fi
        note "a compiler is running; waiting (${waited}s so far)"
        sleep 20
        waited=$((waited + 20))
    done
}

# The binary to measure, copied to a private place so that a rebuild in the
# work tree during the run cannot change it under the measurements.
# Sets AP (path of the copy) and AP_ID (version, commit, sha256 of the binary).
setup_binary() {
    local work=$1 src=${AUDITPACK:-$BENCH_ROOT/target/release/auditpack}
    if [[ ! -x $src ]]; then
        note "building $src (cargo build --release)"
        (cd "$BENCH_ROOT" && cargo build --release --quiet)
    fi
    mkdir -p "$work/bin"
    cp "$src" "$work/bin/auditpack"
    AP=$work/bin/auditpack
    local commit
    commit=$(git -C "$BENCH_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
    AP_ID="$("$AP" --version) ($src, built $(date -u -r "$src" '+%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$AP" | cut -c1-12)); work tree at $commit"
}

# settle: the page cache as every measured run starts with it (see
# BENCH_WARM); sets SETTLED to "dropped" or "kept" for the report.
SETTLED=kept
settle() {
    [[ -n ${BENCH_WARM:-} ]] || return 0
    sync
    if { echo 1 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
        SETTLED=dropped
        local d
        for d in $BENCH_WARM; do
            [[ -e $d ]] || continue
            find "$d" -type f -print0 | xargs -0 -r cat >/dev/null
        done
    fi
}

# measure PREFIX OKCODES CMD...: run CMD under /usr/bin/time -v, after waiting
# for compilers to finish; re-run when one started during the measurement.
# OKCODES is a list like "0" or "0 1" of acceptable exit codes.
# Writes PREFIX.out, PREFIX.err, PREFIX.time; sets M_WALL (s, from $EPOCHREALTIME), M_RSS (MiB, from time -v),
# M_RC and M_TRIES. A PREPARE function, if set, runs before every attempt
# (outside the measurement): to clear an output folder or a cache.
measure() {
    local prefix=$1 okcodes=$2
    shift 2
    local attempt flag="$prefix.disturbed" mon t0 t1
    M_TRIES=0
    for ((attempt = 1; attempt <= BENCH_RETRIES; attempt++)); do
        if [[ -n ${PREPARE:-} ]]; then "$PREPARE"; fi
        settle
        sync
        wait_idle
        rm -f "$flag"
        (while :; do
            if compiler_running; then : >"$flag"; fi
            sleep 2
        done) &
        mon=$!
        set +e
        t0=$EPOCHREALTIME
        /usr/bin/time -v -o "$prefix.time" "$@" >"$prefix.out" 2>"$prefix.err"
        M_RC=$?
        t1=$EPOCHREALTIME
        set -e
        kill "$mon" 2>/dev/null || true
        wait "$mon" 2>/dev/null || true
        M_TRIES=$attempt
        if [[ -e $flag ]]; then
            note "a compiler ran during '$*': measuring again"
            rm -f "$flag"
            continue
        fi
        break
    done
    if [[ " $okcodes " != *" $M_RC "* ]]; then
        echo "command failed (exit $M_RC): $*" >&2
        tail -20 "$prefix.err" >&2
        exit 2
    fi
    local rss_kb
    rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$prefix.time")
    # Wall time from bash's clock around /usr/bin/time (its own figure has
    # only 10 ms resolution; the wrapper adds about a millisecond).
    M_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
    M_RSS=$(awk '{ printf "%.0f", $1 / 1024 }' <<<"$rss_kb")
}

# The time of one --timings stage in PREFIX.err, or "–".
stage() {
    local prefix=$1 name=$2
    awk -v n="$name" '{
        line = $0; sub(/^ +/, "", line)
        if (index(line, n " ") == 1) {
            rest = substr(line, length(n) + 1)
            if (match(rest, /^ +[0-9.]+ s/)) { split(rest, f, " "); printf "%.3f", f[1]; found = 1; exit }
        }
    } END { if (!found) printf "–" }' "$prefix.err"
}

machine_info() {
    echo "- CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores (nproc)"
    echo "- memory: $(free -h | awk '/^Mem:/ { print $2 " total, " $7 " available" }') (free -h)"
    echo "- kernel: $(uname -sr)"
}
