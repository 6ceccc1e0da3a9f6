#!/usr/bin/env bash
# Sets up, generates ONNX's conformance test data from the pinned onnx wheel, and runs every test: the
# no-try! lint of Sources, the C kernels' sanitizer stress test, the kill loop of crash safety, then the
# Swift test suites (whose summary line ends the output).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -x scripts/make-onnx-testdata.sh ]; then scripts/make-onnx-testdata.sh; fi
scripts/check-try-bang.sh
# freezer export's tests run the frameworks' own exporters in a virtual environment made here (it also sees
# python3's packages): torch's CPU build (from the machine's wheel directory where one is present),
# onnxscript, tensorflow-cpu and tf2onnx. What cannot be installed is skipped by those tests, each saying
# what is missing.
venv=bench-work/export-venv
[ -x "$venv/bin/python" ] || python3 -m venv --system-site-packages "$venv" || true
if [ -x "$venv/bin/python" ]; then
  "$venv/bin/python" -c "import torch" 2>/dev/null || "$venv/bin/python" -m pip install -q "torch==2.13.0+cpu" || true
  "$venv/bin/python" -c "import onnx, onnxscript, tensorflow, tf2onnx" 2>/dev/null \
    || "$venv/bin/python" -m pip install -q onnxscript tensorflow-cpu tf2onnx || true
  export FREEZER_EXPORT_PYTHON="$PWD/$venv/bin/python"
fi
swift build --build-tests
scripts/check-native-kernels.sh
# SIGKILL at moments spread over conversions (debug build, three 64 MiB layers, ten kills): no partial output,
# no temporary that outlives the next run. The full loop (release, 30 kills of 6 layers) is the script's default.
FREEZER="$(swift build --show-bin-path)/freezer" ITERATIONS=10 LAYERS=3 scripts/check-crash-safety.sh
swift test --disable-xctest --skip-build
