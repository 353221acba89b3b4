#!/usr/bin/env bash
# auditpack against compliance-trestle on the same job: the FedRAMP Rev 5
# MODERATE resolved catalog imported into a project and written out as
# Markdown with every control's statement and parameters.
#
#   bench/compare-trestle.sh          (from anywhere; needs ../shared/data/oscal)
#
# Input, both sides: ../shared/data/oscal/fedramp-rev5/
#   FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.json (323 controls)
#
# trestle (compliance-trestle from PyPI, in a throw-away venv), in a new
# workspace made by `trestle init` (untimed, like auditpack's project):
#   trestle import -f CATALOG -o fedramp-moderate
#   trestle author catalog-generate -n fedramp-moderate -o md_catalog
#       one Markdown file per control: statement (parameters left as
#       `{{ insert: param, … }}`), parameter ids in the front matter,
#       assessment objective and guidance
# auditpack, in a new project that holds only `auditpack.yaml` (untimed):
#   auditpack import oscal CATALOG --id fedramp-moderate-oscal … --into PROJECT
#   auditpack build PROJECT -o OUT --format md
#       frameworks/fedramp-moderate-oscal.md (and the same in report.md):
#       summary and responsibility matrix (every requirement a gap: the
#       project has no controls), then every requirement's statement with
#       its parameters written in (FedRAMP's values where it sets them)
# The outputs differ in kind; the script counts what each side wrote.
#
# Timing: hyperfine when installed (apt install hyperfine), else a loop of
# bash's clock; median, min and max of $BENCH_RUNS runs (default 5). Each
# run gets a new workspace / project / output folder, made by hyperfine's
# --prepare (untimed); nothing is deleted before the end (on ext4, creating
# files soon after many were deleted is slower, which would measure the
# clean-up). Also start-up: `--version` and `--help` of both tools, and the
# peak RSS of one run of each job (/usr/bin/time -v).
#
# Environment: TRESTLE_SPEC (pip requirement, default compliance-trestle==5.2.0),
# BENCH_DIR (keep the venv there), BENCH_RUNS, AUDITPACK, BENCH_WAIT_MAX,
# BENCH_RETRIES, BENCH_KEEP (see bench/lib.sh), NO_HYPERFINE (use the loop).

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need /usr/bin/time python3 awk

RUNS=${BENCH_RUNS:-5}
TRESTLE_SPEC=${TRESTLE_SPEC:-compliance-trestle==5.2.0}
CATALOG=$BENCH_ROOT/../shared/data/oscal/fedramp-rev5/FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.json
[[ -f $CATALOG ]] || die "$CATALOG not found (../shared/data/oscal beside the repository)"
CATALOG=$(cd "$(dirname "$CATALOG")" && pwd)/$(basename "$CATALOG")
FW=fedramp-moderate-oscal

HYPERFINE=
if [[ -z ${NO_HYPERFINE:-} ]] && command -v hyperfine >/dev/null 2>&1; then
    HYPERFINE=$(command -v hyperfine)
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/auditpack-trestle.XXXXXX")
trap cleanup_work EXIT
setup_binary "$WORK"
LOGS=$WORK/logs
mkdir -p "$LOGS"

# ---- trestle in a throw-away venv ------------------------------------------
if [[ -n ${BENCH_DIR:-} ]]; then
    mkdir -p "$BENCH_DIR"
    VENV=$(cd "$BENCH_DIR" && pwd)/trestle-venv
else
    VENV=$WORK/venv
fi
if [[ ! -x $VENV/bin/trestle ]] || ! "$VENV/bin/pip" show -q "${TRESTLE_SPEC%%=*}" >/dev/null 2>&1 ||
    [[ $("$VENV/bin/pip" show "${TRESTLE_SPEC%%=*}" | sed -n 's/^Version: //p') != "${TRESTLE_SPEC##*==}" ]]; then
    note "installing $TRESTLE_SPEC into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "$TRESTLE_SPEC"
fi
TRESTLE=$VENV/bin/trestle
TRESTLE_VERSION=$("$VENV/bin/pip" show compliance-trestle | sed -n 's/^Version: //p')
PY_VERSION=$("$VENV/bin/python" --version)

# ---- the run folders ---------------------------------------------------------
# prepare-trestle N: a new workspace $WORK/tw.N (trestle init), optionally
# with the catalog imported; prepare-auditpack N: a new project $WORK/ap.N
# holding only auditpack.yaml, optionally with the catalog imported. The
# timed commands read N from $WORK/n, which the preparation advances.
cat >"$WORK/prepare.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
n=\$((\$(cat "$WORK/n" 2>/dev/null || echo 0) + 1))
echo "\$n" >"$WORK/n"
case \$1 in
trestle)
    mkdir "$WORK/tw.\$n" && cd "$WORK/tw.\$n"
    "$TRESTLE" init >/dev/null
    if [[ \${2:-} == imported ]]; then "$TRESTLE" import -f "$CATALOG" -o fedramp-moderate >/dev/null; fi ;;
auditpack)
    mkdir -p "$WORK/ap.\$n"
    cat >"$WORK/ap.\$n/auditpack.yaml" <<'YAML'
# The FedRAMP Moderate OSCAL catalog imported as a project framework: written by bench/compare-trestle.sh.
system:
  name: Trestle comparison
  organization: Bench Org
  provider: aws
  services: [ec2]
frameworks: [$FW]
period: 2026-Q3
baseline: false
YAML
    if [[ \${2:-} == imported ]]; then
        "$AP" import oscal "$CATALOG" --id $FW --short "FedRAMP Moderate (OSCAL)" --into "$WORK/ap.\$n" -q
    fi ;;
esac
EOF
chmod +x "$WORK/prepare.sh"
N='$(cat '"$WORK"'/n)'
T_IMPORT="cd $WORK/tw.$N && $TRESTLE import -f $CATALOG -o fedramp-moderate"
T_GEN="cd $WORK/tw.$N && $TRESTLE author catalog-generate -n fedramp-moderate -o md_catalog"
A_IMPORT="$AP import oscal $CATALOG --id $FW --short 'FedRAMP Moderate (OSCAL)' --into $WORK/ap.$N -q"
A_BUILD="AUDITPACK_CACHE_DIR=$WORK/cache.$N $AP build $WORK/ap.$N -o $WORK/out.$N --as-of 2026-09-30 --format md -q"

# bench NAME PREPARE COMMAND: median, min and max wall seconds of $RUNS runs,
# appended to $WORK/results.tsv as "NAME<TAB>median<TAB>min<TAB>max".
# Without PREPARE (start-up), one warm-up run first.
bench() {
    local name=$1 prepare=$2 cmd=$3 i t0 t1
    wait_idle
    note "measuring: $name"
    if [[ -n $HYPERFINE ]]; then
        local args=(--runs "$RUNS" --style none --export-json "$LOGS/$name.json")
        if [[ -n $prepare ]]; then args+=(--prepare "$prepare"); else args+=(--warmup 1); fi
        "$HYPERFINE" "${args[@]}" "$cmd" >"$LOGS/$name.hyperfine" 2>&1 ||
            { cat "$LOGS/$name.hyperfine" >&2; die "$name failed"; }
        python3 - "$LOGS/$name.json" "$name" >>"$WORK/results.tsv" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{sys.argv[2]}\t{r['median']:.4f}\t{r['min']:.4f}\t{r['max']:.4f}")
PY
    else
        : >"$LOGS/$name.times"
        [[ -n $prepare ]] || bash -c "$cmd" >/dev/null 2>&1 || true
        for ((i = 1; i <= RUNS; i++)); do
            [[ -n $prepare ]] && bash -c "$prepare"
            t0=$EPOCHREALTIME
            bash -c "$cmd" >"$LOGS/$name.out" 2>&1 || { cat "$LOGS/$name.out" >&2; die "$name failed"; }
            t1=$EPOCHREALTIME
            awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }' >>"$LOGS/$name.times"
        done
        sort -n "$LOGS/$name.times" | awk -v n="$name" '{ v[NR] = $1 }
            END { printf "%s\t%.4f\t%.4f\t%.4f\n", n, v[int((NR + 1) / 2)], v[1], v[NR] }' >>"$WORK/results.tsv"
    fi
}
: >"$WORK/results.tsv"
P=$WORK/prepare.sh

# The jobs, whole, then step by step.
bench trestle-job "$P trestle" "$T_IMPORT >/dev/null && $TRESTLE author catalog-generate -n fedramp-moderate -o md_catalog >/dev/null"
bench auditpack-job "$P auditpack" "$A_IMPORT && $A_BUILD"
bench trestle-import "$P trestle" "$T_IMPORT"
bench trestle-generate "$P trestle imported" "$T_GEN"
bench auditpack-import "$P auditpack" "$A_IMPORT"
bench auditpack-build "$P auditpack imported" "$A_BUILD"
# Start-up.
bench trestle-version "" "$TRESTLE version"
bench trestle-help "" "$TRESTLE --help"
bench auditpack-version "" "$AP --version"
bench auditpack-help "" "$AP --help"

# Peak RSS of one more run of each job (every step under /usr/bin/time -v),
# measured once: a second attempt would find the first one's files.
BENCH_RETRIES=1
"$P" trestle
n=$(cat "$WORK/n")
cd "$WORK/tw.$n"
measure "$LOGS/rss-trestle-import" 0 "$TRESTLE" import -f "$CATALOG" -o fedramp-moderate
r1=$M_RSS
measure "$LOGS/rss-trestle-generate" 0 "$TRESTLE" author catalog-generate -n fedramp-moderate -o md_catalog
T_RSS=$((r1 > M_RSS ? r1 : M_RSS))
TW=$WORK/tw.$n
"$P" auditpack
n=$(cat "$WORK/n")
measure "$LOGS/rss-ap-import" 0 "$AP" import oscal "$CATALOG" --id $FW --short "FedRAMP Moderate (OSCAL)" --into "$WORK/ap.$n" -q
r1=$M_RSS
export AUDITPACK_CACHE_DIR=$WORK/cache-rss
measure "$LOGS/rss-ap-build" 0 "$AP" build "$WORK/ap.$n" -o "$WORK/out.$n" --as-of 2026-09-30 --format md -q
A_RSS=$((r1 > M_RSS ? r1 : M_RSS))
AO=$WORK/out.$n
cd "$BENCH_ROOT"

# ---- what each side wrote (the runs just above) ------------------------------
files() { find "$1" -name '*.md' | wc -l; }
hits() { { grep -o -r -F "$1" "$2" || true; } | wc -l; }
bytes() { find "$1" -name '*.md' -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }'; }
TR_FILES=$(files "$TW/md_catalog")
TR_BYTES=$(bytes "$TW/md_catalog")
TR_STMT=$(hits '## Control Statement' "$TW/md_catalog")
TR_INSERTS=$(hits '{{ insert: param' "$TW/md_catalog")
TR_AC2=$(grep -c 'twenty-four (24) hours' "$TW/md_catalog/ac/ac-2.md" || true)
AP_FILES=$(files "$AO")
AP_BYTES=$(bytes "$AO")
AP_FW_BYTES=$(stat -c %s "$AO/frameworks/$FW.md")
AP_OTHER=$(cd "$AO" && find . -name '*.md' ! -path "./frameworks/$FW.md" -printf '%P: %s bytes\n' | sort | paste -sd ';' | sed 's/;/; /g')
AP_STMT=$(grep -c '^<a id="stmt-' "$AO/frameworks/$FW.md" || true)
AP_INSERTS=$(hits '{{ insert: param' "$AO/frameworks/$FW.md")
AP_AC2=$(awk '/^<a id="stmt-'$FW'-AC-2"/ { on = 1; next } /^<a id="stmt-/ { on = 0 } on' "$AO/frameworks/$FW.md" |
    grep -c 'twenty-four (24) hours' || true)
[[ $TR_FILES == 323 ]] || die "trestle wrote $TR_FILES Markdown files, expected 323"
[[ $AP_STMT == 323 ]] || die "auditpack wrote $AP_STMT statements, expected 323"

row() { awk -F'\t' -v n="$1" -v label="$2" '$1 == n { printf "| %s | %s | %s–%s |\n", label, $2, $3, $4 }' "$WORK/results.tsv"; }
med() { awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$WORK/results.tsv"; }

echo "## auditpack against compliance-trestle: FedRAMP Rev 5 MODERATE, statements as Markdown"
echo
echo "- binary: $AP_ID"
echo "- trestle: compliance-trestle $TRESTLE_VERSION ($PY_VERSION, venv)"
machine_info
echo "- input: $(basename "$CATALOG") ($(stat -c %s "$CATALOG") bytes, 323 controls)"
if [[ -n $HYPERFINE ]]; then
    echo "- timing: $("$HYPERFINE" --version), $RUNS runs each, median and min–max; a new workspace/project/output per run (--prepare, untimed)"
else
    echo "- timing: bash's clock around \`bash -c\`, $RUNS runs each, median and min–max; a new workspace/project/output per run (untimed)"
fi
echo "- trestle wrote: $TR_FILES Markdown files, $TR_BYTES bytes; $TR_STMT with a Control Statement; $TR_INSERTS parameters left as \`{{ insert: param, … }}\`; AC-2's FedRAMP value \"twenty-four (24) hours\" written $TR_AC2 times"
echo "- auditpack wrote: $AP_FILES Markdown files, $AP_BYTES bytes (frameworks/$FW.md: $AP_FW_BYTES bytes, $AP_STMT statements; $AP_OTHER); $AP_INSERTS parameters left as \`{{ insert: param, … }}\`; AC-2's FedRAMP value \"twenty-four (24) hours\" written $AP_AC2 times"
echo "- peak RSS of one run (largest step, /usr/bin/time -v): trestle $T_RSS MiB, auditpack $A_RSS MiB"
echo
echo "| command | wall s (median) | min–max s |"
echo "| --- | ---: | --- |"
row trestle-job "**trestle job**: \`trestle import -f CATALOG -o fedramp-moderate && trestle author catalog-generate -n fedramp-moderate -o md_catalog\`"
row trestle-import "trestle import -f CATALOG -o fedramp-moderate"
row trestle-generate "trestle author catalog-generate -n fedramp-moderate -o md_catalog"
row auditpack-job "**auditpack job**: \`auditpack import oscal CATALOG --id $FW --into PROJECT && auditpack build PROJECT -o OUT --format md\`"
row auditpack-import "auditpack import oscal CATALOG --id $FW --into PROJECT"
row auditpack-build "auditpack build PROJECT -o OUT --as-of 2026-09-30 --format md"
row trestle-version "trestle version"
row trestle-help "trestle --help"
row auditpack-version "auditpack --version"
row auditpack-help "auditpack --help"
echo
awk -v t="$(med trestle-job)" -v a="$(med auditpack-job)" -v tv="$(med trestle-version)" -v av="$(med auditpack-version)" 'BEGIN {
    printf "Job: trestle %.3f s, auditpack %.3f s (trestle/auditpack %.0f). Start-up (version): trestle %.4f s, auditpack %.4f s (%.0f).\n", t, a, t / a, tv, av, tv / av
}'
awk -v ti="$(med trestle-import)" -v ai="$(med auditpack-import)" -v tg="$(med trestle-generate)" -v ab="$(med auditpack-build)" 'BEGIN {
    printf "Steps: import trestle/auditpack %.0f; Markdown (catalog-generate / build --format md) %.0f.\n", ti / ai, tg / ab
}'
