#!/usr/bin/env bash
# Regenerates Sources/OnnxProto from the onnx.proto shipped in the pinned onnx wheel.
# Generated code is committed because the SwiftPM protobuf plugin adds minutes to every fresh build.
# Needs: protoc (Debian protobuf-compiler) and python3 with pip; builds protoc-gen-swift itself.
set -euo pipefail

ONNX_VERSION=1.23.2           # the onnx wheel whose .proto files are compiled
SWIFT_PROTOBUF_VERSION=1.39.0 # must match the exact pin in Package.swift

root=$(cd "$(dirname "$0")/.." && pwd)
work=${FREEZER_GEN_WORK:-$root/.build-protogen}
mkdir -p "$work"

command -v protoc >/dev/null || { echo "protoc missing: apt-get install -y protobuf-compiler" >&2; exit 1; }

if [ ! -x "$work/protoc-gen-swift" ]; then
  rm -rf "$work/swift-protobuf"
  git clone -q --branch "$SWIFT_PROTOBUF_VERSION" https://github.com/apple/swift-protobuf "$work/swift-protobuf"
  swift build -c release --package-path "$work/swift-protobuf" --product protoc-gen-swift
  cp "$work/swift-protobuf/.build/release/protoc-gen-swift" "$work/protoc-gen-swift"
fi

python3 -m pip download -q --no-deps -d "$work/wheel" "onnx==$ONNX_VERSION"
rm -rf "$work/onnx-src" && mkdir -p "$work/onnx-src"
python3 - "$work" <<'PY'
import glob, sys, zipfile
work = sys.argv[1]
wheel = glob.glob(f"{work}/wheel/onnx-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    for name in ("onnx/onnx-ml.proto", "onnx/onnx-data.proto"):
        z.extract(name, f"{work}/onnx-src")
PY

out=$root/Sources/OnnxProto
rm -f "$out"/*.pb.swift
# onnx-ml.proto is the superset (map/sequence/optional types), so every field a model can hold decodes.
protoc --plugin=protoc-gen-swift="$work/protoc-gen-swift" \
  --swift_opt=Visibility=Public --swift_out="$out" \
  -I "$work/onnx-src" onnx/onnx-ml.proto onnx/onnx-data.proto
mv "$out/onnx/"*.pb.swift "$out/" && rmdir "$out/onnx"
echo "generated from onnx $ONNX_VERSION with swift-protobuf $SWIFT_PROTOBUF_VERSION:"
ls -l "$out"
