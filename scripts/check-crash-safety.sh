#!/usr/bin/env bash
# Kills `freezer convert --no-verify` with SIGKILL at moments spread over a whole run, again and again,
# and checks after each kill what a safety engineer would find in the output directory:
#   - the frozen model, if present, is byte-identical to a complete output of one of the runs (two input
#     models, with and without --external-data, alternate), and its data file is the one written with it;
#   - a data file without a model is complete; the log, if present, is complete JSON;
#   - no other file, and no temporary that outlives the next write into the directory (a small
#     conversion into the same directory runs after each kill and must remove what the kill left).
#
#   scripts/check-crash-safety.sh            # builds the release binary
#   FREEZER=path/to/freezer ITERATIONS=30 LAYERS=6 scripts/check-crash-safety.sh
#   scripts/check-crash-safety.sh export     # the same for `freezer export` (scripts/check-export-crash-safety.sh)
#
# Work files (about 3 GB with the default 6 layers of 64 MiB) go to bench-work/crash-safety/ (gitignored).
# Prints `crash-safety: N kills, N orphans, N partial outputs`; exit status 1 unless both are 0.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} == export ]]; then exec scripts/check-export-crash-safety.sh; fi

# shellcheck source=scripts/kill-loop.sh
source scripts/kill-loop.sh
ITERATIONS=${ITERATIONS:-30}
LAYERS=${LAYERS:-6}
PY=${PYTHON:-python3}
if [[ -z "${FREEZER:-}" ]]; then
    echo "building freezer (release)…" >&2
    swift build -c release --product freezer >&2
    FREEZER="$(swift build -c release --show-bin-path)/freezer"
fi

work=bench-work/crash-safety
rm -rf "$work"
mkdir -p "$work/in" "$work/out" "$work/ref"

# A chain of MatMuls with random 4096x4096 weights, the first followed by a BatchNormalization to fold;
# the seed tells the two inputs apart.
make_model() {
    "$PY" - "$@" <<'PYEOF'
import sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
path, seed, layers, width = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(seed)
nodes, weights, x = [], [], "x"
for i in range(layers):
    weights.append(numpy_helper.from_array(rng.standard_normal((width, width), dtype=np.float32), f"w{i}"))
    nodes.append(helper.make_node("MatMul", [x, f"w{i}"], [f"h{i}"]))
    x = f"h{i}"
    if i == 0:
        # A BatchNormalization folded into the first weight: the fold's tensor is written straight into
        # the output's data file (with --external-data), so kills land while it is being made too.
        for name, values in (("scale", rng.uniform(0.5, 1.5, width)), ("bias", rng.standard_normal(width)),
                             ("mean", rng.standard_normal(width)), ("var", rng.uniform(0.5, 2.0, width))):
            weights.append(numpy_helper.from_array(values.astype(np.float32), f"bn_{name}"))
        nodes.append(helper.make_node("BatchNormalization", [x, "bn_scale", "bn_bias", "bn_mean", "bn_var"], ["bn0"]))
        x = "bn0"
graph = helper.make_graph(nodes, "crash_safety", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, width])],
                          [helper.make_tensor_value_info(x, TensorProto.FLOAT, [1, width])], weights)
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
PYEOF
}
echo "generating models…" >&2
make_model "$work/in/a.onnx" 1 "$LAYERS" 4096
make_model "$work/in/b.onnx" 2 "$LAYERS" 4096
make_model "$work/in/tiny.onnx" 3 1 8

required=(--no-verify --model-id CRASH --model-version 1 --responsible "crash-safety")
convert() { "$FREEZER" convert "$1" -o "$2" "${required[@]}" "${@:3}"; }  # convert INPUT OUTPUT [options]
variants=("a" "b" "a --external-data" "b --external-data")
sha() { sha256sum "$1" | cut -d' ' -f1; }

# Complete outputs of every variant, and how long each takes: the kills are spread over that time.
declare -A model_sha data_sha took
for v in "${!variants[@]}"; do
    read -r input flags <<<"${variants[$v]}"
    mkdir -p "$work/ref/$v"
    start=$(date +%s%N)
    # shellcheck disable=SC2086  # flags is empty or one option
    convert "$work/in/$input.onnx" "$work/ref/$v/frozen.onnx" $flags >/dev/null 2>&1
    took[$v]=$(( $(date +%s%N) - start ))
    model_sha[$v]=$(sha "$work/ref/$v/frozen.onnx")
    [[ -e "$work/ref/$v/frozen.onnx.data" ]] && data_sha[$v]=$(sha "$work/ref/$v/frozen.onnx.data")
done
echo "uninterrupted runs take $(for v in "${!took[@]}"; do echo -n "$(( took[$v] / 1000000 )) "; done)ms" >&2

# Any freezer temporary, of today's naming scheme or an older one.
is_temporary() { [[ $1 == .*.freezer-tmp-* ]]; }
temporaries() { local f; for f in "$1"/.*; do is_temporary "$(basename "$f")" && echo "${f##*/}"; done; true; }

# Counts what is wrong in the output directory after a kill; prints one line per problem. A log that
# describes the model written before (a kill between the model's commit and the log's) is counted apart
# in $work/stale-logs: it is complete, and `freezer verify` names the mismatch.
partial_outputs() {
    local out=$1 bad=0 f name v ok model
    for f in "$out"/.* "$out"/*; do
        [[ -e $f ]] || continue
        name=$(basename "$f")
        case $name in
            . | .. | tiny.onnx | tiny.conversion-log.json) ;;
            frozen.onnx)
                ok=0
                model=$(sha "$f")
                for v in "${!variants[@]}"; do
                    [[ $model == "${model_sha[$v]}" ]] || continue
                    if [[ -z "${data_sha[$v]:-}" ]] || [[ -e "$out/frozen.onnx.data" && $(sha "$out/frozen.onnx.data") == "${data_sha[$v]}" ]]; then ok=1; fi
                done
                (( ok )) || { echo "  frozen.onnx is partial or beside a data file it was not written with" >&2; bad=$((bad + 1)); } ;;
            frozen.onnx.data)
                ok=0
                model=$(sha "$f")
                for v in "${!data_sha[@]}"; do [[ $model == "${data_sha[$v]}" ]] && ok=1; done
                (( ok )) || { echo "  frozen.onnx.data is partial" >&2; bad=$((bad + 1)); } ;;
            frozen.conversion-log.json)
                "$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$f" 2>/dev/null ||
                    { echo "  the log is not complete JSON" >&2; bad=$((bad + 1)); continue; }
                if [[ -e "$out/frozen.onnx" ]] && [[ $("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["frozenModel"]["file"]["sha256"])' "$f") != $(sha "$out/frozen.onnx") ]]; then
                    echo "  the log describes the model written before" >&2
                    echo x >>"$work/stale-logs"
                fi ;;
            *)
                is_temporary "$name" || { echo "  unexpected file $name" >&2; bad=$((bad + 1)); } ;;
        esac
    done
    echo $bad
}

kills=0 partial=0 finished=0
declare -A left=() orphans=()  # the names of temporaries kills left, and of those the next run did not remove
for (( attempt = 0; kills < ITERATIONS && attempt < 3 * ITERATIONS; attempt++ )); do
    v=$((attempt % ${#variants[@]}))
    read -r input flags <<<"${variants[$v]}"
    delay=$(stratified_delay "$ITERATIONS" "$kills" "${took[$v]}")
    # Started directly, not through a function: $! must be freezer itself, not a subshell.
    # shellcheck disable=SC2086  # flags is empty or one option
    "$FREEZER" convert "$work/in/$input.onnx" -o "$work/out/frozen.onnx" "${required[@]}" $flags >/dev/null 2>&1 &
    kill_after "$delay" $!

    bad=$(partial_outputs "$work/out")
    partial=$((partial + bad))
    mapfile -t now < <(temporaries "$work/out")
    for name in "${now[@]}"; do left[$name]=1; done
    # The next write into the directory must remove what the killed process left.
    convert "$work/in/tiny.onnx" "$work/out/tiny.onnx" >/dev/null 2>&1
    mapfile -t after < <(temporaries "$work/out")
    for name in "${after[@]}"; do orphans[$name]=1; done
    echo "$what at ${delay}s ($input${flags:+ $flags}): ${#now[@]} temporaries left, ${#after[@]} after the next run, $bad partial" >&2
done

# A last uninterrupted run leaves exactly the complete pair.
convert "$work/in/a.onnx" "$work/out/frozen.onnx" --external-data >/dev/null 2>&1
rm -f "$work/out/tiny.onnx" "$work/out/tiny.conversion-log.json"
mapfile -t after < <(temporaries "$work/out")
for name in "${after[@]}"; do orphans[$name]=1; done
final=$(cd "$work/out" && LC_ALL=C ls | tr '\n' ' ')
if [[ $final != "frozen.conversion-log.json frozen.onnx frozen.onnx.data " ||
      $(sha "$work/out/frozen.onnx") != "${model_sha[2]}" || $(sha "$work/out/frozen.onnx.data") != "${data_sha[2]}" ]]; then
    echo "  the final run did not leave exactly the complete pair: $final" >&2
    partial=$((partial + 1))
fi

stale=0
[[ -e "$work/stale-logs" ]] && stale=$(wc -l <"$work/stale-logs")
echo "($finished runs finished before their kill; kills left ${#left[@]} temporaries, each removed by the next run or counted" \
     "as an orphan; $stale times a complete log described the model written before)" >&2
echo "crash-safety: $kills kills, ${#orphans[@]} orphans, $partial partial outputs"
(( ${#orphans[@]} == 0 && partial == 0 ))
