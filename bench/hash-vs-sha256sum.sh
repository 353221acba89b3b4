#!/usr/bin/env bash
# Evidence hashing against sha256sum over the same ~1 GiB of files.
#
#   bench/hash-vs-sha256sum.sh          (from anywhere)
#
# Writes a project whose one attestation references 64 evidence files of
# 16 MiB (deterministic bytes, seed 1), builds its package once, then times:
#   sha256sum FILES                     one process (so one core)
#   openssl dgst -sha256 FILES          one process, for reference: OpenSSL uses the
#                                       CPU's SHA extensions where it has them
#   xargs -P2 -n8 sha256sum             two processes
#   auditpack check  (empty hash cache) hashes the project's evidence, all cores
#   auditpack verify PACKAGE            re-hashes every file of the package, all cores
#   taskset -c 0 …                      the two auditpack commands on one core
# each with the page cache dropped first (`echo 3 > /proc/sys/vm/drop_caches`,
# needs root: "cold") and with the files already in the page cache ("warm").
# Figures are medians of $BENCH_RUNS runs (default 3).
#
# Environment: BENCH_DIR (keep/reuse the data there), BENCH_RUNS, AUDITPACK,
# BENCH_WAIT_MAX, BENCH_RETRIES (see bench/lib.sh).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need /usr/bin/time python3 sha256sum openssl xargs taskset awk

RUNS=${BENCH_RUNS:-3}
FILES=64
MIB=16
WORK=$(mktemp -d "${TMPDIR:-/tmp}/auditpack-hash.XXXXXX")
trap cleanup_work EXIT
if [[ -n ${BENCH_DIR:-} ]]; then
    mkdir -p "$BENCH_DIR"
    DATA=$(cd "$BENCH_DIR" && pwd)/hash-1g
else
    DATA=$WORK/hash-1g
fi
setup_binary "$WORK"
LOGS=$WORK/logs
mkdir -p "$LOGS"

PROJECT=$DATA/project
PKG=$DATA/package
if [[ ! -f $PROJECT/.complete ]]; then
    note "writing $FILES files of $MIB MiB into $PROJECT/evidence"
    rm -rf "$DATA"
    mkdir -p "$PROJECT/evidence/flow-logs" "$PROJECT/controls" "$PROJECT/attestations"
    python3 - "$PROJECT/evidence/flow-logs" "$FILES" "$MIB" <<'EOF'
import random, sys
d, n, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(1)
for i in range(n):
    with open(f"{d}/flow-logs-{i:02d}.bin", "wb") as f:
        f.write(rng.randbytes(mib << 20))
EOF
    cat >"$PROJECT/auditpack.yaml" <<'EOF'
# One control, one attestation, 64 evidence files of 16 MiB: written by
# bench/hash-vs-sha256sum.sh to time evidence hashing.
system:
  name: Hashing benchmark
  organization: Bench Org
  provider: aws
  services: [s3]
frameworks: [soc2]
period: 2026-Q3
baseline: false
controls: [controls/]
attestations: [attestations/]
evidence_root: evidence/
EOF
    cat >"$PROJECT/controls/controls.yaml" <<'EOF'
controls:
  - id: LOG-01
    title: VPC flow logs are retained
    layers: [data]
    services: [s3]
    responsibility: customer
    frequency: quarterly
    description: |
      Flow logs are exported and kept for a year.
    frameworks:
      soc2: [CC7.2]
EOF
    {
        echo "attestations:"
        echo "  - control: LOG-01"
        echo "    status: implemented"
        echo "    attested_by: Bench Owner <owner@example.com>"
        echo "    date: 2026-09-15"
        echo "    narrative: Flow logs of the quarter."
        echo "    evidence:"
        for ((i = 0; i < FILES; i++)); do
            printf '      - path: flow-logs/flow-logs-%02d.bin\n' "$i"
        done
    } >"$PROJECT/attestations/q3.yaml"
    : >"$PROJECT/.complete"
else
    note "reusing $PROJECT"
fi
rm -rf "$PKG"
AUDITPACK_CACHE_DIR=$WORK/cache-build "$AP" build "$PROJECT" -o "$PKG" --as-of 2026-09-30 -q
mapfile -t EVIDENCE < <(find "$PROJECT/evidence" -type f | sort)
BYTES=$(du -cb "${EVIDENCE[@]}" | tail -1 | cut -f1)
PKG_BYTES=$(find "$PKG" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
PKG_FILES=$(find "$PKG" -type f | wc -l)

# The package's digests are those sha256sum computes.
AGREE=$(cd "$PROJECT/evidence" && sha256sum -- "${EVIDENCE[@]#"$PROJECT/evidence/"}" | python3 -c '
import json, sys
m = {f["path"]: f["sha256"] for f in json.load(open(sys.argv[1]))["files"]}
rows = [l.split(None, 1) for l in sys.stdin.read().splitlines()]
ok = all(m.get("evidence/" + p.strip().lstrip("*")) == h for h, p in rows)
print("yes" if ok and len(rows) == '"$FILES"' else "NO")' "$PKG/manifest.json")
[[ $AGREE == yes ]] || die "manifest digests differ from sha256sum"

# Page cache: can it be dropped?
CAN_DROP=no
if sync && { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then CAN_DROP=yes; fi
note "page cache can be dropped: $CAN_DROP"
drop_cache() { sync; echo 3 >/proc/sys/vm/drop_caches; }
warm_cache() { cat "${EVIDENCE[@]}" >/dev/null; find "$PKG" -type f -exec cat {} + >/dev/null; }
cold_prepare() { rm -rf "$WORK/cache"; mkdir -p "$WORK/cache"; drop_cache; }
warm_prepare() { rm -rf "$WORK/cache"; mkdir -p "$WORK/cache"; warm_cache; }
export AUDITPACK_CACHE_DIR=$WORK/cache

ROWS=$WORK/rows.tsv
: >"$ROWS"
# row NAME CORES BYTES OKCODES CMD…
row() {
    local name=$1 cores=$2 bytes=$3 okcodes=$4
    shift 4
    local page i tag walls
    for page in cold warm; do
        [[ $page == cold && $CAN_DROP == no ]] && continue
        PREPARE=${page}_prepare
        tag="${name//[^a-zA-Z0-9]/_}-$page"
        : >"$LOGS/$tag.walls"
        for ((i = 1; i <= RUNS; i++)); do
            measure "$LOGS/$tag.$i" "$okcodes" "$@"
            echo "$M_WALL $M_RSS" >>"$LOGS/$tag.walls"
            note "$name ($page page cache): ${M_WALL}s ${M_RSS} MiB (attempt $M_TRIES)"
        done
        walls=$(sort -n "$LOGS/$tag.walls" | awk -v n="$RUNS" '
            { w[NR] = $1; r[NR] = $2 }
            END { m = int((n + 1) / 2); printf "%s\t%s\t%s–%s", w[m], r[m], w[1], w[n] }')
        echo "$name	$cores	$page	$bytes	$walls" >>"$ROWS"
    done
}

cd "$PROJECT/evidence"
REL=(); for f in "${EVIDENCE[@]}"; do REL+=("${f#"$PROJECT/evidence/"}"); done
row "sha256sum (one process)" 1 "$BYTES" 0 sha256sum "${REL[@]}"
row "openssl dgst -sha256 (one process, reference)" 1 "$BYTES" 0 openssl dgst -sha256 "${REL[@]}"
row "xargs -P2 -n8 sha256sum" 2 "$BYTES" 0 sh -c 'printf "%s\n" "$@" | xargs -P2 -n8 sha256sum' sh "${REL[@]}"
row "auditpack check, empty hash cache" 2 "$BYTES" "0 1" "$AP" check "$PROJECT" --as-of 2026-09-30 -q
row "taskset -c 0 auditpack check, empty hash cache" 1 "$BYTES" "0 1" taskset -c 0 "$AP" check "$PROJECT" --as-of 2026-09-30 -q
row "auditpack verify PACKAGE" 2 "$PKG_BYTES" 0 "$AP" verify "$PKG" -q
row "taskset -c 0 auditpack verify PACKAGE" 1 "$PKG_BYTES" 0 taskset -c 0 "$AP" verify "$PKG" -q
cd "$BENCH_ROOT"

echo "## Evidence hashing against sha256sum"
echo
echo "- binary: $AP_ID"
echo "- sha256sum: $(sha256sum --version | head -1)"
machine_info
echo "- manifest.json digests equal sha256sum's for all $FILES files: $AGREE"
echo "- data: $FILES files of $MIB MiB, $BYTES bytes of evidence; the package holds $PKG_FILES files, $PKG_BYTES bytes"
echo "- page cache: cold = dropped before each run (\`sync; echo 3 > /proc/sys/vm/drop_caches\`), warm = files read just before; drop possible: $CAN_DROP"
echo "- auditpack check runs with an empty \`\$AUDITPACK_CACHE_DIR\` each time, so every file is hashed; verify always re-hashes"
echo "- median of $RUNS runs; MB/s = bytes / wall time (10^6 bytes)"
echo
echo "| command | cores | page cache | wall s | MB/s | peak RSS MiB | min–max s |"
echo "| --- | ---: | --- | ---: | ---: | ---: | --- |"
awk -F'\t' '{ printf "| %s | %s | %s | %s | %.0f | %s | %s |\n", $1, $2, $3, $5, $4 / $5 / 1e6, $6, $7 }' "$ROWS"
echo
echo "Throughput of each command over that of sha256sum in one process, and over xargs -P2 sha256sum, same page-cache state:"
echo
awk -F'\t' '
    { mbs[NR] = $4 / $5; name[NR] = $1; page[NR] = $3 }
    $1 == "sha256sum (one process)" { one[$3] = $4 / $5 }
    $1 ~ /^xargs/ { two[$3] = $4 / $5 }
    END {
        for (k = 1; k <= NR; k++) if (name[k] ~ /auditpack/ && (page[k] in one))
            printf "- %s, %s page cache: ×%.2f sha256sum, ×%.2f xargs -P2 sha256sum\n", name[k], page[k], mbs[k] / one[page[k]], mbs[k] / two[page[k]]
    }' "$ROWS"
