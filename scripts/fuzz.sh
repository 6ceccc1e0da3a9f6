#!/usr/bin/env bash
# Fuzzes ModelLoader.load and ModelSaver.save with libFuzzer + AddressSanitizer.
#
#   scripts/fuzz.sh [SECONDS]     (default 600)
#
# Builds Fuzz/ (a separate package, so the sanitizer build never touches the main build), seeds a
# corpus from Tests/Fixtures/**/*.onnx, fuzzes for SECONDS and prints one summary line. Exits 1 when
# the run left crash, timeout, OOM or leak artifacts.
#
# Environment:
#   FUZZ_WORK  work directory (default Fuzz/corpus-work, git-ignored): corpus/ grows across runs,
#              artifacts/<run>/ holds this run's crashing inputs (crash-seed-* are fixtures that
#              crash on their own), <run>.log the libFuzzer output.
#   FUZZ_JOBS  parallel fuzzing processes (default 1).
#
# Runs in libFuzzer's fork mode with -ignore_crashes, so one bug does not end the run: it keeps
# looking for others and saves every crashing input. Reproduce one with
#   SWIFT_BACKTRACE=enable=no Fuzz/.build/release/FuzzLoader ARTIFACT
# and shrink it with -minimize_crash=1 -runs=10000.
set -euo pipefail

seconds=${1:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${FUZZ_WORK:-$root/Fuzz/corpus-work}
jobs=${FUZZ_JOBS:-1}

build=(swift build -c release --package-path "$root/Fuzz" --product FuzzLoader
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
"${build[@]}"
fuzzer="$("${build[@]}" --show-bin-path)/FuzzLoader"

run=$(date +%Y%m%d-%H%M%S)
corpus=$work/corpus
artifacts=$work/artifacts/$run
log=$work/$run.log
# Scratch for the harness's per-process directories. tmpfs when there is one: every save ends with
# fsync, which on a disk would bound the fuzzer's speed.
if [ -w /dev/shm ]; then tmp=/dev/shm/freezer-fuzz-$run; else tmp=$work/tmp-$run; fi
mkdir -p "$corpus" "$artifacts" "$tmp"
trap 'rm -rf "$tmp"' EXIT

# libFuzzer writes new inputs into the first corpus directory, so the fixtures are copied, never
# passed directly. Names keep the fixture path, since most fixtures are called model.onnx.
while IFS= read -r -d '' f; do
    rel=${f#"$root/Tests/Fixtures/"}
    cp -n "$f" "$corpus/seed-${rel//\//_}"
done < <(find "$root/Tests/Fixtures" -name '*.onnx' -print0)

# Fork mode silently drops seeds that crash, so each fixture is run once on its own first.
for seed in "$corpus"/seed-*; do
    SWIFT_BACKTRACE=enable=no FREEZER_FUZZ_TMPDIR=$tmp "$fuzzer" "$seed" >/dev/null 2>&1 \
        || cp "$seed" "$artifacts/crash-$(basename "$seed")"
done

# The Swift backtracer would catch the signals before ASan and libFuzzer could report them.
status=0
SWIFT_BACKTRACE=enable=no \
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:symbolize=1} \
FREEZER_FUZZ_TMPDIR=$tmp \
    "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1 || status=$?

# Fork mode's status lines read "#EXECS: cov: ... exec/s: N ... time: Ns ..."; their exec/s is the
# last job's, so the average is computed here.
last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -n 1 || true)
execs=$(sed -nE 's/^#([0-9]+):.*/\1/p' <<<"$last")
elapsed=$(sed -nE 's/.* time: ([0-9]+)s.*/\1/p' <<<"$last")
rate=$([ -n "$execs" ] && [ "${elapsed:-0}" -gt 0 ] && echo $((execs / elapsed)) || echo "?")
found=$(find "$artifacts" -type f | wc -l)
crashes=$(find "$artifacts" -type f -name 'crash-*' | wc -l)
echo "fuzz: ${seconds}s, executions ${execs:-?}, exec/s ${rate:-?}, crashes $crashes," \
     "all artifacts $found (crash/timeout/oom/leak) in $artifacts, log $log, libFuzzer exit $status"
[ "$found" -eq 0 ] && exit 0

# Fork mode saves every crashing input, mostly many for one bug: group them by the first frame in
# Sources/ (the same frame is the same bug, nearly always).
echo "artifacts by first frame in Sources/:"
for a in "$artifacts"/*; do
    SWIFT_BACKTRACE=enable=no FREEZER_FUZZ_TMPDIR=$tmp "$fuzzer" -timeout=10 -rss_limit_mb=2048 "$a" 2>&1 \
        | grep -m1 -oE '/Sources/[^ ]+:[0-9]+' || echo "(no frame in Sources/) $(basename "$a")"
done | sort | uniq -c | sort -rn
exit 1
