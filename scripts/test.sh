#!/usr/bin/env bash
# Sets up, generates ONNX's conformance test data from the pinned onnx wheel, and runs every test: the
# no-try! lint of Sources, the C kernels' sanitizer stress test, then the Swift test suites (whose
# summary line ends the output).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -x scripts/make-onnx-testdata.sh ]; then scripts/make-onnx-testdata.sh; fi
scripts/check-try-bang.sh
swift build --build-tests
scripts/check-native-kernels.sh
swift test --disable-xctest --skip-build
