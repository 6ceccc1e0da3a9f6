#!/usr/bin/env bash
# Conversion benchmark (issue 10 §3): wall time and peak RSS of `freezer convert` against onnxruntime's
# basic offline optimization, on the same synthesized training-mode models in the same run.
#
#   scripts/bench-convert.sh [--repeat N] [--models conv,matmul,llama-small] [--with-7b]
#                            [--llama-layers N] [--phases] [--keep-models]
#
# Models (scripts/bench_convert.py writes them by streaming, seeded, into bench-work/convert/):
#   conv-500mb     53 x [Conv 3x3 512->512 + BatchNormalization(training) + Relu + Dropout(training)],
#                  inline (no external data), input [1, 512, 8, 8]                              (~500 MB)
#   matmul-2.4gb   9 x [MatMul 8192x8192 + Add + BatchNormalization(training) + Relu + Dropout(training)],
#                  external data, input [4, 8192]                                              (~2.4 GB)
#   matmul-vi      (--models ...,matmul-vi) matmul-2.4gb with value_info declaring every layer's [4, 8192]
#                  output: TorchScript training exports write none, and without it freezer cannot see the
#                  rank of MatMul inputs after the first layer, so it folds only the first BatchNormalization
#   llama-small    the Llama-style float16 decoder generator with --llama-layers N (default 2) layers of a
#                  small configuration (hidden 512, MLP 1376, 8 heads, vocab 32000); checked in onnxruntime
#   llama-7b       (--with-7b) Llama-7B in float16: 32 layers, hidden 4096, MLP 11008, 32 heads, vocab 32000,
#                  ~13.5 GB external data; needs ~45 GB free disk while it runs (model, frozen model and
#                  onnxruntime's optimized copy). So that no run can take the machine down, freezer's verified
#                  runs are capped at 20 GiB of address space (prlimit --as), and every llama-7b run is killed
#                  when the resident set of its process tree exceeds BENCH_RSS_LIMIT_GIB (default 18) GiB
#                  (the table then says so); BENCH_ORT_7B=0 skips onnxruntime on it. --llama-layers N also
#                  shrinks the 7B configuration to N layers (to try the generator quickly).
#
# Rows per model, each run REPEAT times (default 2; the table shows the best wall time, every run's wall
# time, and the largest peak RSS of the runs):
#   freezer --no-verify            freezer convert --no-verify
#   freezer (default)              freezer convert, default verification (today's criterion may refuse:
#                                  exit 4 "not equivalent"; the exit code is in the table)
#   freezer --rtol 1e-3 --atol 1e-4  the same with relaxed tolerances, so a completed verification is timed
#   onnxruntime basic              a fresh python3 process: import onnxruntime, InferenceSession with
#                                  ORT_ENABLE_BASIC, one intra-op thread, optimized_model_filepath (external
#                                  initializers when the model exceeds 2 GiB): load + optimize + save
# llama rows use --input-shape seq=8 and --samples 2. Peak RSS is /usr/bin/time -v's "Maximum resident set
# size" (it counts the pages of memory-mapped files that the process touched).
#
# --phases also follows conv-500mb and matmul-2.4gb phase by phase (stderr on a pseudo-terminal so freezer
# prints its progress; /proc/PID/status sampled every 50 ms), written to bench-work/convert/phases-*.txt.
# The generated models stay in bench-work/convert/ for reruns (delete it to reclaim the disk; --keep-models
# is implied; frozen outputs are deleted after each run).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_WORK:-$root/bench-work}/convert
PY=${PYTHON:-python3}
repeat=2
models=conv,matmul,llama-small
with7b=0
llama_layers=
phases=0
while [ $# -gt 0 ]; do
    case $1 in
        --repeat) repeat=$2; shift 2 ;;
        --models) models=$2; shift 2 ;;
        --with-7b) with7b=1; shift ;;
        --llama-layers) llama_layers=$2; shift 2 ;;
        --phases) phases=1; shift ;;
        --keep-models) shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1 (see --help)" >&2; exit 64 ;;
    esac
done
[ "$with7b" = 1 ] && models=$models,llama-7b

[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }
command -v prlimit >/dev/null || { echo "needs prlimit (util-linux)" >&2; exit 2; }
"$PY" -c 'import onnx, numpy' || { echo "needs python3 with onnx and numpy" >&2; exit 2; }
"$PY" -c 'import onnxruntime' 2>/dev/null || "$PY" -m pip install -q onnxruntime

echo "building freezer (release)…" >&2
swift build -c release --package-path "$root" --product freezer >&2
F="$(swift build -c release --package-path "$root" --show-bin-path)/freezer"
helper="$root/scripts/bench_convert.py"
mkdir -p "$work/out"
results=$work/results.jsonl
: >"$results"

# synth NAME ARGS...: writes $work/NAME.onnx unless it exists with the same arguments.
synth() {
    local name=$1; shift
    local stamp="$work/$name.args" args
    args="$* (generator $("$PY" "$helper" generator-digest))"
    if [ -f "$work/$name.onnx" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$args" ]; then
        echo "reusing $work/$name.onnx" >&2
        return
    fi
    rm -f "$work/$name.onnx" "$work/$name.onnx.data" "$stamp"
    echo "synthesizing $name ($args)…" >&2
    /usr/bin/time -f "  synthesized in %e s, peak RSS %M KiB" "$PY" "$helper" synth "$@" "$work/$name.onnx" >&2
    echo "$args" >"$stamp"
}

# measure MODEL CASE TARGETS... -- COMMAND...: one table row (TARGETS: --target-s S --target-rss BYTES
# --target-ratio R --as-limit BYTES).
measure() {
    local model=$1 case=$2; shift 2
    local name
    name=$(echo "$model-$case" | tr -c 'A-Za-z0-9.\n-' '_')
    "$PY" "$helper" measure --model "$model" --case "$case" --name "$name" --work "$work/runs" --results "$results" \
        --repeat "$repeat" --cleanup "$work/out/$model" "$@"
    rm -f "$work/out/$model"*
}

GiB=$((1 << 30)); MiB=$((1 << 20))
# rows MODEL INPUT_SHAPE_ARGS... : the four rows of one model; targets come from the variables
# nv_s nv_rss v_ratio v_rss v_s as_limit samples.
rows() {
    local model=$1; shift
    local onnx=$work/$model.onnx out=$work/out/$model.frozen.onnx
    local common=(convert "$onnx" -o "$out" --model-id BENCH --model-version 1 --responsible bench --json "$@")
    local cap=() guard=()
    [ -n "$as_limit" ] && cap=(--as-limit "$as_limit")
    [ -n "$rss_limit" ] && guard=(--rss-limit "$rss_limit")
    local t_nv=() t_v=()
    [ -n "$nv_s" ] && t_nv+=(--target-s "$nv_s")
    [ -n "$nv_rss" ] && t_nv+=(--target-rss "$nv_rss")
    [ -n "$v_ratio" ] && t_v+=(--target-ratio "$v_ratio")
    [ -n "$v_s" ] && t_v+=(--target-s "$v_s")
    [ -n "$v_rss" ] && t_v+=(--target-rss "$v_rss")
    echo "== $model" >&2
    measure "$model" "freezer --no-verify" "${t_nv[@]}" "${guard[@]}" -- "$F" "${common[@]}" --no-verify
    measure "$model" "freezer (default)" "${t_v[@]}" "${cap[@]}" "${guard[@]}" -- "$F" "${common[@]}" $samples
    measure "$model" "freezer --rtol 1e-3 --atol 1e-4" "${t_v[@]}" "${cap[@]}" "${guard[@]}" -- "$F" "${common[@]}" $samples --rtol 1e-3 --atol 1e-4
    if [ "$model" = llama-7b ] && [ "${BENCH_ORT_7B:-1}" = 0 ]; then
        echo "  (onnxruntime row skipped: BENCH_ORT_7B=0)" >&2
    else
        measure "$model" "onnxruntime basic" "${guard[@]}" -- "$PY" "$helper" ort "$onnx" "$work/out/$model.ort.onnx"
    fi
}

IFS=, read -r -a list <<<"$models"
for model in "${list[@]}"; do
    nv_s= nv_rss= v_ratio= v_rss= v_s= as_limit= rss_limit= samples=
    case $model in
        conv)
            synth conv-500mb conv --layers 53 --spatial 8
            "$PY" "$helper" check "$work/conv-500mb.onnx" >&2
            nv_s=1.5 nv_rss=$((600 * MiB)) v_ratio=2 v_rss=$GiB
            rows conv-500mb ;;
        matmul)
            synth matmul-2.4gb matmul --layers 9 --width 8192 --batch 4
            "$PY" "$helper" check "$work/matmul-2.4gb.onnx" >&2
            nv_s=6 nv_rss=$GiB v_ratio=2 v_rss=$GiB
            rows matmul-2.4gb ;;
        matmul-vi)
            synth matmul-2.4gb-vi matmul --layers 9 --width 8192 --batch 4 --value-info
            "$PY" "$helper" check "$work/matmul-2.4gb-vi.onnx" >&2
            nv_s=6 nv_rss=$GiB v_ratio=2 v_rss=$GiB
            rows matmul-2.4gb-vi ;;
        llama-small)
            synth llama-small llama --layers "${llama_layers:-2}" --hidden 512 --mlp 1376 --heads 8 --vocab 32000
            "$PY" "$helper" check "$work/llama-small.onnx" --run-ort >&2
            samples="--samples 2"
            rows llama-small --input-shape seq=8 ;;
        llama-7b)
            synth llama-7b llama --layers "${llama_layers:-32}"
            "$PY" "$helper" check "$work/llama-7b.onnx" >&2
            samples="--samples 2" v_s=180 v_rss=$((2 * GiB)) as_limit=$((20 * GiB)) rss_limit=$((${BENCH_RSS_LIMIT_GIB:-18} * GiB))
            rows llama-7b --input-shape seq=8 ;;
        *) echo "unknown model $model" >&2; exit 64 ;;
    esac
done

if [ "$phases" = 1 ]; then
    for model in conv-500mb matmul-2.4gb; do
        [ -f "$work/$model.onnx" ] || continue
        for case in no-verify default relaxed; do
            extra=()
            case $case in no-verify) extra=(--no-verify) ;; relaxed) extra=(--rtol 1e-3 --atol 1e-4) ;; esac
            rm -f "$work/out/$model"*
            "$PY" "$helper" phases --out "$work/phases-$model-$case.json" -- "$F" convert "$work/$model.onnx" \
                -o "$work/out/$model.frozen.onnx" --model-id BENCH --model-version 1 --responsible bench "${extra[@]}" \
                | tee "$work/phases-$model-$case.txt"
            rm -f "$work/out/$model"*
        done
    done
fi

echo
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ { print $2 }') GiB RAM," \
     "load average at the end $(cut -d' ' -f1-3 /proc/loadavg); freezer $("$F" --version 2>/dev/null || echo '?'), onnxruntime $("$PY" -c 'import onnxruntime; print(onnxruntime.__version__)');" \
     "OpenBLAS core ${OPENBLAS_CORETYPE:-chosen by OpenBLAS} (the float64 exact reference's products run on it${OPENBLAS_CORETYPE:+: OPENBLAS_CORETYPE is set})"
"$PY" "$helper" table "$results"
