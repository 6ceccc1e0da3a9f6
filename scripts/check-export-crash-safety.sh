#!/usr/bin/env bash
# Kills `freezer export examples/pytorch-cnn/recipe.yaml` with SIGKILL at moments spread over a whole run,
# again and again (most land while the Python driver runs), and checks after each kill:
#   - at the output paths (frozen model, log, exported model) nothing, or only complete outputs: the
#     models byte-identical to an uninterrupted export's, the log complete JSON that names that frozen model;
#   - no driver outlives the killed freezer (it would go on writing into the scratch directory);
#   - the next export removes the scratch directory and any temporary the kill left, and leaves exactly
#     the three complete outputs.
#
#   scripts/check-crash-safety.sh export       # or this script directly; builds the release binary
#   FREEZER=.build/debug/freezer PYTHON=/path/to/venv/bin/python ITERATIONS=20 scripts/check-export-crash-safety.sh
#
# PYTHON (default: FREEZER_EXPORT_PYTHON, else python3) needs torch and onnx. Work files go to
# bench-work/export-crash-safety/ (gitignored). Prints `export-crash-safety: N kills, N orphans, N partial
# outputs, N surviving drivers`; exit status 1 unless the last three are 0.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/kill-loop.sh
source scripts/kill-loop.sh
ITERATIONS=${ITERATIONS:-20}
PY=${PYTHON:-${FREEZER_EXPORT_PYTHON:-python3}}
"$PY" -c "import torch, onnx" 2>/dev/null || { echo "$PY lacks torch or onnx: pip install torch onnx, or set PYTHON" >&2; exit 2; }
if [[ -z "${FREEZER:-}" ]]; then
    echo "building freezer (release)…" >&2
    swift build -c release --product freezer >&2
    FREEZER="$(swift build -c release --show-bin-path)/freezer"
fi

work="$PWD/bench-work/export-crash-safety"
rm -rf "$work"
mkdir -p "$work/project/out" "$work/ref"
cp -R examples/pytorch-cnn/src examples/pytorch-cnn/checkpoint.pt "$work/project/"
sed "s#^python: .*#python: $PY#" examples/pytorch-cnn/recipe.yaml >"$work/project/recipe.yaml"
out="$work/project/out"
outputs=(frozen.onnx frozen.conversion-log.json frozen.exported.onnx)
export_run() { "$FREEZER" export "$work/project/recipe.yaml" >/dev/null 2>&1; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

# An uninterrupted export: the complete outputs, and how long it takes (the kills are spread over that).
start=$(date +%s%N)
export_run || { echo "the uninterrupted export failed: $FREEZER export $work/project/recipe.yaml" >&2; exit 2; }
took=$(( $(date +%s%N) - start ))
declare -A ref_sha
for f in frozen.onnx frozen.exported.onnx; do ref_sha[$f]=$(sha "$out/$f"); done
echo "an uninterrupted export takes $(( took / 1000000 )) ms" >&2

# What the kill left besides outputs: scratch directories (.freezer-export-*) and temporaries (.*.freezer-tmp-*).
leftovers() { local f; for f in "$out"/.*; do case ${f##*/} in .freezer-export-* | .*.freezer-tmp-*) echo "${f##*/}" ;; esac; done; true; }

# Counts the outputs that are there but not complete; prints one line per problem.
partial_outputs() {
    local bad=0 f
    for f in frozen.onnx frozen.exported.onnx; do
        [[ -e $out/$f && $(sha "$out/$f") != "${ref_sha[$f]}" ]] && { echo "  $f is partial" >&2; bad=$((bad + 1)); }
    done
    f=$out/frozen.conversion-log.json
    if [[ -e $f ]]; then
        if ! "$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$f" 2>/dev/null; then
            echo "  the log is not complete JSON" >&2; bad=$((bad + 1))
        elif [[ ! -e $out/frozen.onnx ]] ||
             [[ $("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["frozenModel"]["file"]["sha256"])' "$f") != "${ref_sha[frozen.onnx]}" ]]; then
            echo "  the log names no frozen model beside it" >&2; bad=$((bad + 1))
        fi
    fi
    for f in "$out"/*; do
        [[ -e $f ]] || continue
        case ${f##*/} in frozen.onnx | frozen.conversion-log.json | frozen.exported.onnx) ;; *) echo "  unexpected file ${f##*/}" >&2; bad=$((bad + 1)) ;; esac
    done
    echo $bad
}

kills=0 partial=0 finished=0 survivors=0 left_total=0 nothing=0
declare -A orphans=()
for (( attempt = 0; kills < ITERATIONS && attempt < 3 * ITERATIONS; attempt++ )); do
    (cd "$out" && rm -f "${outputs[@]}")
    delay=$(stratified_delay "$ITERATIONS" "$kills" "$took")
    # Started directly, not through a function: $! must be freezer itself.
    "$FREEZER" export "$work/project/recipe.yaml" >/dev/null 2>&1 &
    kill_after "$delay" $!

    # The driver dies with freezer (its command line names the scratch directory in $out).
    alive=1
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        pgrep -f -- "$out/.freezer-export-" >/dev/null || { alive=0; break; }
        sleep 0.2
    done
    (( alive )) && { echo "  a driver outlived the killed freezer" >&2; survivors=$((survivors + 1)); }

    bad=$(partial_outputs)
    partial=$((partial + bad))
    present=0
    for f in "${outputs[@]}"; do [[ -e $out/$f ]] && present=$((present + 1)); done
    (( present == 0 )) && nothing=$((nothing + 1))
    mapfile -t now < <(leftovers)
    left_total=$((left_total + ${#now[@]}))

    # The next export removes what the killed one left, and writes the complete outputs.
    export_run || { echo "  the export after the kill failed" >&2; partial=$((partial + 1)); }
    mapfile -t after < <(leftovers)
    for name in "${after[@]}"; do orphans[$name]=1; done
    for f in frozen.onnx frozen.exported.onnx; do
        [[ -e $out/$f && $(sha "$out/$f") == "${ref_sha[$f]}" ]] || { echo "  the export after the kill left no complete $f" >&2; partial=$((partial + 1)); }
    done
    echo "$what at ${delay}s: $present of ${#outputs[@]} outputs there (complete), ${#now[@]} scratch files left, ${#after[@]} after the next export, $bad partial" >&2
done

echo "($finished runs finished before their kill; after $nothing kills no output was there; kills left $left_total scratch" \
     "directories or temporaries, each removed by the next export or counted as an orphan)" >&2
echo "export-crash-safety: $kills kills, ${#orphans[@]} orphans, $partial partial outputs, $survivors surviving drivers"
(( ${#orphans[@]} == 0 && partial == 0 && survivors == 0 ))
