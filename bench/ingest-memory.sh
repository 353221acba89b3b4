#!/usr/bin/env bash
# Ingest of a large Prowler JSON-OCSF scan streams in bounded memory: a
# synthetic scan of SIZE_MB (default 200) megabytes is ingested into a copy
# of samples/acme under /usr/bin/time -v; the peak RSS must stay below
# 200 MiB. Prints one Markdown table row.
#
# Usage: bench/ingest-memory.sh [SIZE_MB]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need python3 /usr/bin/time

SIZE_MB=${1:-200}
WORK=$(mktemp -d)
trap cleanup_work EXIT
setup_binary "$WORK"
note "binary: $AP_ID"

scan=$WORK/prowler-output-$SIZE_MB.ocsf.json
python3 "$BENCH_ROOT/bench/gen-prowler-ocsf.py" "$scan" "$SIZE_MB"
bytes=$(stat -c %s "$scan")

project=$WORK/acme
reset_project() { rm -rf "$project"; cp -r "$BENCH_ROOT/samples/acme" "$project"; }
PREPARE=reset_project
measure "$WORK/ingest" "0" "$AP" ingest prowler "$scan" --project "$project" --as-of 2026-09-30
PREPARE=

stored=$(find "$project/evidence/scans" -type f | head -1)
[[ $(sha256sum <"$stored") == $(sha256sum <"$scan") ]] || die "the stored scan differs from the input"
controls=$(grep -c '^  - control:' "$project/attestations/2026-Q3/scans.yaml")

echo "| scan | findings file | wall | peak RSS | controls proposed |"
echo "| --- | ---: | ---: | ---: | ---: |"
echo "| Prowler OCSF, $SIZE_MB MB | $bytes bytes | ${M_WALL} s | ${M_RSS} MiB | $controls |"
if ((M_RSS >= 200)); then
    die "peak RSS ${M_RSS} MiB is not below 200 MiB"
fi
