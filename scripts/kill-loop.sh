# Sourced by the crash-safety scripts: when to kill a run, and the kill. Needs $PY (a python3) and the
# counters kills, finished and ITERATIONS; sets `what` to describe the attempt.

# Stratified: kill k of n lands in the k-th slice of a run of t nanoseconds, at a random point inside it
# (a run that finishes first, runs varying in speed, is followed by another try at that slice).
stratified_delay() {
    "$PY" -c "import random, sys; n, k, t = map(int, sys.argv[1:]); print(f'{t * (k + random.random()) / n / 1e9:.3f}')" "$@"
}

# kill_after DELAY PID: SIGKILL to PID after DELAY seconds, unless it finished first; waits for it.
kill_after() {
    sleep "$1"
    if kill -9 "$2" 2>/dev/null; then
        kills=$((kills + 1)) what="kill $kills/$ITERATIONS"
    else
        finished=$((finished + 1)) what="a run finished before its kill"
    fi
    wait "$2" 2>/dev/null || true
}
