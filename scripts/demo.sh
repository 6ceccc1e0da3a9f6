#!/usr/bin/env bash
# Sets up, builds freezer, and runs it on the bundled example model (a PyTorch training-mode export).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
swift build -c release --product freezer
model=examples/small-cnn/model.onnx
echo "== freezer inspect $model"
.build/release/freezer inspect "$model"
