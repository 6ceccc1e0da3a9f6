#!/usr/bin/env bash
# Acceptance run of `freezer convert` on real PyTorch models: ResNet-18, MobileNetV2, MobileNetV3-Small
# (torchvision, random weights) and a 2-layer nn.TransformerEncoder, each exported in training mode
# (BatchNormalization training_mode=1, Dropout training_mode=true) and in eval mode with the same weights.
# freezer freezes the training export; the frozen model must pass onnx.checker (full_check), hold no
# Dropout, no training-mode or foldable BatchNormalization, run in onnxruntime and match onnxruntime on
# the eval export within 1e-4. ResNet-18 is also converted with --external-data and twice (byte-identical).
#
#   scripts/validate-real-models.sh [--models resnet18,mobilenet_v2,mobilenet_v3_small,transformer]
#
# Work files go to bench-work/real-models/ (gitignored). Prints a table; exit status 1 on any FAIL.
set -euo pipefail
cd "$(dirname "$0")/.."

TORCH_WHEEL=/opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
PY=${PYTHON:-python3}
pip_install() { "$PY" -m pip install -q --disable-pip-version-check "$@"; }

have() { "$PY" - "$@" <<'PYEOF' 2>/dev/null
import importlib.metadata as m, sys
name, version = sys.argv[1], sys.argv[2]
sys.exit(0 if m.version(name).split("+")[0] == version else 1)
PYEOF
}
have torch 2.13.0 || pip_install "$TORCH_WHEEL"
have torchvision 0.28.0 || pip_install --no-deps torchvision==0.28.0
have onnx 1.23.2 || pip_install onnx==1.23.2
have onnxruntime 1.32.0 || pip_install onnxruntime==1.32.0
# torchvision was installed without dependencies; its import needs numpy and Pillow.
"$PY" -c "import numpy, PIL" 2>/dev/null || pip_install numpy pillow

echo "building freezer (release)…" >&2
swift build -c release --product freezer >&2
FREEZER="$(swift build -c release --show-bin-path)/freezer"

exec "$PY" scripts/real_models.py --freezer "$FREEZER" --work bench-work/real-models "$@"
