#!/usr/bin/env bash
# I/O benchmarks: wall time and peak RSS of loading and saving large models, against targets.
#
#   scripts/bench-io.sh
#
# Builds Benchmarks/ (a separate package), synthesizes a model with INLINE_MB MiB of inline float32
# weights and one with EXTERNAL_MB MiB in an external data file, then measures under /usr/bin/time -v:
#   roundtrip  load + save of the inline model        target: peak RSS < 1.5 x file size
#   inspect    load with digests of the external one  target: peak RSS < 200 MiB
# It also checks the round trip: two saves are byte-identical, the output loads again, and the ONNX
# checker (python3 -m pip install onnx) accepts input and output. Exits 1 when anything fails.
# Files are fresh, so the page cache is warm: the times are best cases, the RSS figures are not
# affected (RSS counts the pages a process maps, whether or not the kernel had them cached).
#
# Environment: BENCH_WORK (default bench-work/, git-ignored), INLINE_MB (500), EXTERNAL_MB (2048).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_WORK:-$root/bench-work}
inline_mb=${INLINE_MB:-500}
external_mb=${EXTERNAL_MB:-2048}
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }

swift build -c release --package-path "$root/Benchmarks"
bench="$(swift build -c release --package-path "$root/Benchmarks" --show-bin-path)/freezer-io-bench"
mkdir -p "$work/external"
rm -f "$work"/*.onnx "$work"/external/*
inline=$work/inline.onnx
external=$work/external/model.onnx
"$bench" synthesize "$inline" --megabytes "$inline_mb"
"$bench" synthesize "$external" --megabytes "$external_mb" --external

failures=0
rows=()
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# measure CASE BYTES LIMIT_KIB COMMAND...: runs COMMAND under /usr/bin/time -v and adds a table row.
# LIMIT_KIB is the peak-RSS target in KiB, or 0 for a reference figure without a target.
measure() {
    local name=$1 bytes=$2 limit=$3
    shift 3
    /usr/bin/time -v -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err" \
        || { cat "$work/$name.err" >&2; failures=$((failures + 1)); rows+=("$name|$(mib "$bytes")|-|-|-|-|FAIL (exit)"); return; }
    local wall rss ratio verdict target
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$work/$name.time")
    rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/$name.time")
    ratio=$(awk -v r="$rss" -v b="$bytes" 'BEGIN { printf "%.2f", r * 1024 / b }')
    if [ "$limit" -eq 0 ]; then target="-"; verdict="(reference)"
    else
        target="< $(mib $((limit * 1024))) MiB"
        if [ "$rss" -lt "$limit" ]; then verdict=PASS; else verdict=FAIL; failures=$((failures + 1)); fi
    fi
    rows+=("$name|$(mib "$bytes")|$wall|$(mib $((rss * 1024)))|$ratio|$target|$verdict")
}

inline_bytes=$(stat -c %s "$inline")
external_bytes=$(( $(stat -c %s "$external") + $(stat -c %s "$external.data") ))
measure roundtrip "$inline_bytes" $((inline_bytes * 3 / 2 / 1024)) "$bench" roundtrip "$inline" "$work/roundtrip1.onnx"
measure roundtrip-again "$inline_bytes" $((inline_bytes * 3 / 2 / 1024)) "$bench" roundtrip "$inline" "$work/roundtrip2.onnx"
measure inspect-external "$external_bytes" $((200 * 1024)) "$bench" inspect "$external"
measure inspect-roundtrip "$inline_bytes" 0 "$bench" inspect "$work/roundtrip1.onnx"
# The digest the loader computes against coreutils, on the largest file.
measure digest-freezer "$(stat -c %s "$external.data")" 0 "$bench" digest "$external.data"
measure digest-sha256sum "$(stat -c %s "$external.data")" 0 sha256sum "$external.data"

echo
{
    echo "case|size MiB|wall s|peak RSS MiB|RSS/size|target|result"
    printf '%s\n' "${rows[@]}"
} | column -t -s '|'

# check NAME COMMAND...: prints NAME with PASS or FAIL by the command's exit status.
check() {
    local name=$1
    shift
    if "$@" >"$work/check.out" 2>&1; then echo "PASS  $name"
    else echo "FAIL  $name"; sed 's/^/      /' "$work/check.out"; failures=$((failures + 1)); fi
}
echo
check "two saves of the round trip are byte-identical" cmp "$work/roundtrip1.onnx" "$work/roundtrip2.onnx"
check "the round trip reproduces the input byte for byte" cmp "$inline" "$work/roundtrip1.onnx"
check "the digests agree with sha256sum" \
    test "$(awk 'NR == 1 { print $1 }' "$work/digest-freezer.out")" = "$(awk '{ print $1 }' "$work/digest-sha256sum.out")"
if python3 -c 'import onnx' 2>/dev/null; then
    # The path-based checker: it reads external data itself and has no 2 GiB limit.
    for model in "$inline" "$work/roundtrip1.onnx" "$external"; do
        check "onnx.checker full_check ${model#"$root/"}" \
            python3 -c 'import onnx, sys; onnx.checker.check_model(sys.argv[1], full_check=True)' "$model"
    done
else
    echo "SKIP  onnx.checker (python3 -m pip install onnx)"
fi
echo
echo "$failures failure(s); details in $work/*.time, *.out, *.err"
[ "$failures" -eq 0 ]
