#!/usr/bin/env bash
# Builds the C kernels' stress test with AddressSanitizer and runs it on three seeds (about 10 s):
# convolution packing straight from the image against a naive im2col, bit for bit, on ~10,000 random
# geometries, with every (masked) load checked to stay inside the image. Needs clang (the Swift
# toolchain's) and an AVX-512 CPU (elsewhere the test reports that it has nothing to check).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
clang -O1 -g -fsanitize=address -fno-omit-frame-pointer -fuse-ld=lld -ISources/CFreezerKernels/include \
    Tests/NativeKernelsStress/conv_pack_stress.c Sources/CFreezerKernels/fz_gemm.c Sources/CFreezerKernels/fz_half.c Sources/CFreezerKernels/fz_support.c \
    -o "$out/conv_pack_stress"
for seed in 1 2 3; do
    "$out/conv_pack_stress" "$seed"
done
