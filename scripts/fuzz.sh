#!/usr/bin/env bash
# Fuzzes ModelLoader.load and ModelSaver.save (FuzzLoader, the default) or the reference evaluator
# (FuzzEvaluator) with libFuzzer + AddressSanitizer.
#
#   scripts/fuzz.sh [SECONDS]                              (default 600)
#   FUZZ_TARGET=FuzzEvaluator scripts/fuzz.sh [SECONDS]
#
# Builds Fuzz/ (a separate package, so the sanitizer build never touches the main build), seeds a
# corpus from Tests/Fixtures/**/*.onnx, fuzzes for SECONDS and prints one summary line. Exits 1 when
# the run left crash, timeout, OOM or leak artifacts.
#
# FuzzEvaluator loads, validates and evaluates every input on feeds made from its declared input
# types. Its corpus is also seeded from ONNX's node test models ($FREEZER_ONNX_TESTDATA/node/*/model.onnx,
# when the directory exists: scripts/make-onnx-testdata.sh), and it runs with -malloc_limit_mb=1024, so a
# model that legitimately needs huge memory leaves an oom-* artifact, never a crash-* one.
#
# Environment:
#   FUZZ_TARGET  FuzzLoader (default) or FuzzEvaluator.
#   FUZZ_WORK  work directory (default Fuzz/corpus-work for FuzzLoader, Fuzz/corpus-work/<target>
#              otherwise; git-ignored): corpus/ grows across runs, artifacts/<run>/ holds this run's
#              crashing inputs (crash-seed-* are seeds that crash on their own), <run>.log the
#              libFuzzer output.
#   FUZZ_JOBS  parallel fuzzing processes (default 1).
#   FREEZER_ONNX_TESTDATA  ONNX test data for FuzzEvaluator's seeds (default .build-onnx-testdata).
#
# Runs in libFuzzer's fork mode with -ignore_crashes, so one bug does not end the run: it keeps
# looking for others and saves every crashing input. Reproduce one with
#   SWIFT_BACKTRACE=enable=no Fuzz/.build/release/$FUZZ_TARGET ARTIFACT
# and shrink it with -minimize_crash=1 -runs=10000.
set -euo pipefail

seconds=${1:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
target=${FUZZ_TARGET:-FuzzLoader}
case $target in
    FuzzLoader) work=${FUZZ_WORK:-$root/Fuzz/corpus-work}
                limits=(-timeout=10 -rss_limit_mb=2048) ;;
    FuzzEvaluator) work=${FUZZ_WORK:-$root/Fuzz/corpus-work/$target}
                # Some valid models need more memory than a fuzzer should spend: they end as OOMs.
                limits=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024) ;;
    *) echo "fuzz.sh: unknown FUZZ_TARGET '$target' (FuzzLoader or FuzzEvaluator)" >&2; exit 2 ;;
esac
jobs=${FUZZ_JOBS:-1}

build=(swift build -c release --package-path "$root/Fuzz" --product "$target"
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
"${build[@]}"
fuzzer="$("${build[@]}" --show-bin-path)/$target"

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
if [ "$target" = FuzzEvaluator ]; then
    # ONNX's node tests: about 1,800 small single-operator models, one per operator variant.
    testdata=${FREEZER_ONNX_TESTDATA:-$root/.build-onnx-testdata}
    if [ -d "$testdata/node" ]; then
        for f in "$testdata"/node/*/model.onnx; do
            name=${f%/model.onnx}
            cp -n "$f" "$corpus/seed-node-${name##*/}.onnx"
        done
    else
        echo "fuzz.sh: no $testdata/node; seeding from the fixtures only" >&2
    fi
fi

# Fork mode silently drops seeds that crash, so each seed is run once on its own first. One process
# runs the seeds in turn and stops at the first crash, which "Running:" names; the rest follow in a
# new process.
seeds=("$corpus"/seed-*)
while [ ${#seeds[@]} -gt 0 ]; do
    out=$(SWIFT_BACKTRACE=enable=no FREEZER_FUZZ_TMPDIR=$tmp "$fuzzer" "${limits[@]}" "${seeds[@]}" 2>&1) && break
    bad=$(grep -E '^Running: ' <<<"$out" | tail -n 1 | sed 's/^Running: //' || true)
    rest=()
    for k in "${!seeds[@]}"; do
        if [ "${seeds[$k]}" = "$bad" ]; then rest=("${seeds[@]:$((k + 1))}"); break; fi
    done
    [ -n "$bad" ] && [ ${#rest[@]} -lt ${#seeds[@]} ] \
        || { echo "fuzz.sh: the seed run failed outside any seed:" >&2; tail -n 20 <<<"$out" >&2; exit 2; }
    kind=crash
    if grep -q 'ERROR: libFuzzer: out-of-memory' <<<"$out"; then kind=oom; fi
    if grep -q 'ERROR: libFuzzer: timeout' <<<"$out"; then kind=timeout; fi
    cp "$bad" "$artifacts/$kind-$(basename "$bad")"
    seeds=("${rest[@]}")
done

# The Swift backtracer would catch the signals before ASan and libFuzzer could report them.
status=0
SWIFT_BACKTRACE=enable=no \
ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:symbolize=1} \
FREEZER_FUZZ_TMPDIR=$tmp \
    "$fuzzer" -max_total_time="$seconds" "${limits[@]}" -max_len=65536 \
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

# Fork mode saves every crashing input, mostly many for one bug: group them by kind (the artifact's
# name prefix) and the first frame in Sources/ (the same frame is the same bug, nearly always).
echo "artifacts by kind and first frame in Sources/:"
for a in "$artifacts"/*; do
    name=$(basename "$a")
    out=$(SWIFT_BACKTRACE=enable=no FREEZER_FUZZ_TMPDIR=$tmp "$fuzzer" "${limits[@]}" "$a" 2>&1 || true)
    frame=$(grep -m1 -oE '/Sources/[^ ]+:[0-9]+' <<<"$out" || true)
    echo "${name%%-*} ${frame:-(no frame in Sources/) $name}"
done | sort | uniq -c | sort -rn
exit 1
