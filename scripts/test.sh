#!/usr/bin/env bash
# Sets up, generates ONNX's conformance test data from the pinned onnx wheel, and runs every test: the
# no-try! lint of Sources, the C kernels' sanitizer stress test, then the Swift test suites (whose
# summary line ends the output).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -x scripts/make-onnx-testdata.sh ]; then scripts/make-onnx-testdata.sh; fi
scripts/check-try-bang.sh
# freezer export's tests run the frameworks' drivers: python3 with torch runs the PyTorch ones; a virtual
# environment that sees python3's packages, plus onnxscript, tensorflow-cpu and tf2onnx, runs the dynamo and
# Keras ones. Without them those tests are skipped, each with the message that says what to install.
if python3 -c "import torch, onnx" 2>/dev/null; then
  venv=bench-work/export-venv
  [ -x "$venv/bin/python" ] || python3 -m venv --system-site-packages "$venv"
  "$venv/bin/python" -c "import onnxscript, tensorflow, tf2onnx" 2>/dev/null \
    || "$venv/bin/python" -m pip install -q onnxscript tensorflow-cpu tf2onnx || true
  export FREEZER_EXPORT_PYTHON="$PWD/$venv/bin/python"
fi
swift build --build-tests
scripts/check-native-kernels.sh
swift test --disable-xctest --skip-build
