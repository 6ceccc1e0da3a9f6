#!/usr/bin/env bash
# Sets up, generates ONNX's conformance test data from the pinned onnx wheel, and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -x scripts/make-onnx-testdata.sh ]; then scripts/make-onnx-testdata.sh; fi
swift build --build-tests
swift test --disable-xctest --skip-build
