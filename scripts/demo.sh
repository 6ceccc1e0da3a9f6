#!/usr/bin/env bash
# Sets up, builds freezer, and freezes the bundled example model (a PyTorch training-mode export).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product freezer
model=examples/small-cnn/model.onnx
out=examples/small-cnn/out
mkdir -p "$out"
echo "== freezer inspect $model"
.build/release/freezer inspect "$model"
echo
echo "== freezer convert $model -o $out/frozen.onnx"
.build/release/freezer convert "$model" -o "$out/frozen.onnx" \
  --model-id SMALL-CNN --model-version 1 --responsible "${FREEZER_RESPONSIBLE:-Demo Engineer}"
echo
echo "== freezer inspect $out/frozen.onnx (nothing training-specific should remain)"
.build/release/freezer inspect "$out/frozen.onnx"
