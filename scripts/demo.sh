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
echo "== freezer log render: the Model Conversion Log as a document"
.build/release/freezer log render "$out/frozen.conversion-log.json" --format pdf
.build/release/freezer log render "$out/frozen.conversion-log.json" --format markdown
echo
echo "== freezer verify: digests of the frozen model, the original and the log"
.build/release/freezer verify "$out/frozen.onnx" --log "$out/frozen.conversion-log.json" --original "$model"
