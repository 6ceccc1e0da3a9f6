#!/usr/bin/env bash
# Benchmarks freezer's reference evaluator against onnxruntime on three exported PyTorch models.
#
#   scripts/bench-eval.sh [RUNS] [ROUNDS]   (default at least 20 timed runs per measurement, and enough
#                                           to span 0.5 s; 3 rounds)
#
# Models (scripts/bench_eval.py, random seeded weights, batch 1): torchvision ResNet-18 and
# MobileNetV2 (1x3x224x224), nn.TransformerEncoder (2 layers, d_model 128, 4 heads, seq 32), exported
# with torch.onnx.export(dynamo=False) into bench-work/ (git-ignored; reused when present, delete it or
# set BENCH_FORCE_EXPORT=1 to export again).
#
# For each model it reports steady-state latency, the median of RUNS runs after warm-up, of:
#   freezer   `freezer run --repeat RUNS` of the release build: Interpreter.run alone, model loading and
#             input reading excluded, after warm-up runs (at least 3 and 0.25 s); single-threaded
#             (freezer's default)
#   ort-noopt onnxruntime, intra_op_num_threads=1, graph optimizations disabled (ORT_DISABLE_ALL)
#   ort-opt   onnxruntime, intra_op_num_threads=1, all graph optimizations (ORT_ENABLE_ALL)
# and the ratios freezer/ort. The three contenders are measured in turn (in a rotating order), ROUNDS
# times, and each one's best median counts: on a shared machine a neighbour's burst then slows one
# round, not the verdict.
# Before timing, `freezer run --test-data` checks freezer's output against
# onnxruntime's (rtol 1e-3, atol 1e-4); a model freezer cannot run yet is reported as such, not timed.
#
# Needs: swift, python3 with onnx, onnxruntime, numpy, torch 2.13.0+cpu and torchvision 0.28.0:
#   pip install /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
#   pip install --no-deps torchvision==0.28.0
# Timings are noisy on a shared machine: compare ratios from one run, not numbers across machines.
set -euo pipefail

runs=${1:-20}
rounds=${2:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$root/bench-work
python=${PYTHON:-python3}
helper=$root/scripts/bench_eval.py
models=(resnet18 mobilenet_v2 transformer_encoder)

if ! "$python" -c 'import torch, onnx, onnxruntime, numpy' 2>/dev/null; then
  echo "bench-eval: needs torch, onnx, onnxruntime and numpy in $python:" >&2
  echo "  pip install /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl" >&2
  echo "  pip install --no-deps torchvision==0.28.0" >&2
  exit 1
fi

echo "bench-eval: building freezer (release)" >&2
swift build -c release --package-path "$root" --product freezer >&2
freezer="$(swift build -c release --package-path "$root" --show-bin-path)/freezer"

mkdir -p "$work"
need_export=${BENCH_FORCE_EXPORT:-0}
for m in "${models[@]}"; do [ -f "$work/$m/model.onnx" ] || need_export=1; done
if [ "$need_export" = 1 ]; then
  echo "bench-eval: exporting models into $work" >&2
  "$python" "$helper" export "$work" 2> "$work/export.log" || { cat "$work/export.log" >&2; exit 1; }
fi

rows=()
for m in "${models[@]}"; do
  dir=$work/$m
  echo "bench-eval: $m" >&2
  status=ok
  if ! "$freezer" run "$dir/model.onnx" --test-data "$dir/test_data_set_0" --atol 1e-4 > "$dir/freezer-check.txt" 2>&1; then
    # "cannot run ...: does not support ai.onnx::Conv (opset 17), ... Supported operators: ..." -> "unsupported: Conv, ..."
    status=$(grep -m1 -E "error:|FAIL" "$dir/freezer-check.txt" \
      | sed -E 's/.*does not support (.*)\. Supported operators.*/unsupported: \1/; s/ai\.onnx:://g; s/ \(opset [0-9]+\)//g' \
      | cut -c1-200 || true)
    [ -n "$status" ] || status="check failed (see $dir/freezer-check.txt)"
  fi
  timeFreezer=no
  if [ "$status" = ok ] || [[ "$status" == FAIL* ]]; then timeFreezer=yes; fi
  noopt="" opt="" fz=""
  # At least RUNS runs, and enough to span half a second: the machine's speed drifts over seconds, so a
  # sub-millisecond model timed over a few milliseconds would catch one contender in a slow moment.
  "$python" "$helper" ort "$dir" --opt disabled --runs 5 > "$dir/ort-calibration.json"
  n=$("$python" -c "import sys, math; print(max(int(sys.argv[1]), math.ceil(500 / float(sys.argv[2]))))" \
      "$runs" "$("$python" "$helper" field "$dir/ort-calibration.json" medianMs)")
  best() { if [ -z "$1" ] || "$python" -c "import sys; sys.exit(0 if float(sys.argv[2]) < float(sys.argv[1]) else 1)" "$1" "$2"; then echo "$2"; else echo "$1"; fi; }
  measure() {
    case $1 in
      noopt) "$python" "$helper" ort "$dir" --opt disabled --runs "$n" > "$dir/ort-noopt.json"
             noopt=$(best "$noopt" "$("$python" "$helper" field "$dir/ort-noopt.json" medianMs)") ;;
      opt)   "$python" "$helper" ort "$dir" --opt all --runs "$n" > "$dir/ort-opt.json"
             opt=$(best "$opt" "$("$python" "$helper" field "$dir/ort-opt.json" medianMs)") ;;
      fz)    [ "$timeFreezer" = yes ] || return 0
             "$freezer" run "$dir/model.onnx" --input "input=$dir/input.npy" --repeat "$n" --json > "$dir/freezer.json"
             fz=$(best "$fz" "$("$python" "$helper" field "$dir/freezer.json" latency medianMs)") ;;
    esac
  }
  # The order of the contenders rotates from round to round, so that slow spells of the machine that
  # recur at some period cannot keep hitting the same contender.
  order=(noopt opt fz)
  for round in $(seq "$rounds"); do
    for i in 0 1 2; do measure "${order[$(( (i + round) % 3 ))]}"; done
  done
  # Where freezer's time goes, for the record (not part of the comparison).
  [ "$timeFreezer" = no ] || "$freezer" run "$dir/model.onnx" --input "input=$dir/input.npy" --repeat "$runs" --profile > "$dir/freezer-profile.txt"
  rows+=("$m|$n|$fz|$noopt|$opt|$status")
done

echo
"$python" - "$runs" "$rounds" "${rows[@]}" <<'PY'
import sys
runs = sys.argv[1]
print(f"median latency of at least {runs} runs (and 0.5 s), best of {sys.argv[2]} rounds, ms (batch 1, one thread)")
print(f"{'model':<22}{'runs':>6}{'freezer':>10}{'ort-noopt':>11}{'ort-opt':>10}{'fz/noopt':>10}{'fz/opt':>9}  freezer output check")
for row in sys.argv[3:]:
    name, n, fz, noopt, opt, status = row.split("|", 5)
    noopt, opt = float(noopt), float(opt)
    if fz:
        fz = float(fz)
        print(f"{name:<22}{n:>6}{fz:>10.2f}{noopt:>11.2f}{opt:>10.2f}{fz / noopt:>9.2f}x{fz / opt:>8.2f}x  {status}")
    else:
        print(f"{name:<22}{n:>6}{'n/a':>10}{noopt:>11.2f}{opt:>10.2f}{'':>10}{'':>9}  {status}")
PY
echo "per-operator profiles of freezer: $work/<model>/freezer-profile.txt"
