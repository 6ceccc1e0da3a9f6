#!/usr/bin/env bash
# Installs what freezer needs to build and test on a fresh Debian machine (run as root, or with sudo).
# Idempotent: a second run installs nothing new.
set -euo pipefail

need_apt=()
dpkg -s libopenblas-dev >/dev/null 2>&1 || need_apt+=(libopenblas-dev)
dpkg -s pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
if [ ${#need_apt[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Python packages only generate test data and cross-check results; freezer itself never needs Python.
if ! python3 -c "import onnx, numpy; assert onnx.__version__ == '1.23.2'" 2>/dev/null; then
  python3 -m pip install -q --disable-pip-version-check onnx==1.23.2 numpy
fi
command -v swift >/dev/null || { echo "swift is not installed: install Swift 6.x from swift.org" >&2; exit 1; }
