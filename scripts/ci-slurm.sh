#!/usr/bin/env bash
# CI: a sharded run on a real (single-node) Slurm cluster, merged and checked against the golden.
#
# Uses the already built .build/release/claimbench (make slurm-test builds it first). Starts the
# local cluster (scripts/slurm-local.sh), runs `claimbench slurm <suite> --preset smoke
# --shards <n> --no-cache --submit` (a job array plus a merge job that depends on it; --no-cache,
# because `make test` has just filled the result cache with these very units), waits for the merge
# job, requires it to have completed with exit 0, checks the merged run against the golden once
# more from here, and stops the cluster on every exit path. Any failure fails CI; nothing is skipped.
#
# Environment: SLURM_TEST_SUITE (default kde), SLURM_TEST_SHARDS (default 2),
# SLURM_TEST_TIMEOUT seconds to wait for the merge job (default 900).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
suite="${SLURM_TEST_SUITE:-kde}"
shards="${SLURM_TEST_SHARDS:-2}"
timeout="${SLURM_TEST_TIMEOUT:-900}"
claimbench="$root/.build/release/claimbench"

fail() { echo "ci-slurm: FAILED: $*" >&2; exit 1; }

[ -x "$claimbench" ] || fail "$claimbench is missing; build it first (make slurm-test does)"

own_state=""
if [ -z "${CLAIMBENCH_SLURM_DIR:-}" ]; then
    CLAIMBENCH_SLURM_DIR="$(mktemp -d "${TMPDIR:-/tmp}/claimbench-slurm-ci.XXXXXX")"
    own_state="$CLAIMBENCH_SLURM_DIR"
fi
export CLAIMBENCH_SLURM_DIR
work="$(mktemp -d "${TMPDIR:-/tmp}/claimbench-slurm-job.XXXXXX")"
cleanup() {
    local status=$?
    bash scripts/slurm-local.sh stop || status=1
    if [ "$status" -ne 0 ]; then
        echo "ci-slurm: logs of the failed run:" >&2
        for log in "$work"/job/logs/*.out "$CLAIMBENCH_SLURM_DIR"/log/*.log; do
            [ -f "$log" ] && { echo "---- $log" >&2; tail -n 40 "$log" >&2; }
        done
    fi
    rm -rf "$work"
    [ -z "$own_state" ] || rm -rf "$own_state"
    exit "$status"
}
trap cleanup EXIT

bash scripts/slurm-local.sh start
export SLURM_CONF="$CLAIMBENCH_SLURM_DIR/slurm.conf"

"$claimbench" slurm "$suite" --preset smoke --shards "$shards" --no-cache --submit --out "$work/job" >"$work/submit.log" \
    || { cat "$work/submit.log"; fail "claimbench slurm --submit failed"; }
cat "$work/submit.log"
submitted="$(cat "$work/submit.log")"
merge_id="$(echo "$submitted" | sed -n 's/^merge job: \([0-9][0-9]*\)$/\1/p')"
array_id="$(echo "$submitted" | sed -n 's/^array job: \([0-9][0-9]*\)$/\1/p')"
[ -n "$array_id" ] && [ -n "$merge_id" ] || fail "claimbench slurm --submit printed no job ids"

# Wait until the merge job has left the queue (or the timeout passes), then read how it ended.
waited=0
while squeue -h -j "$merge_id" 2>/dev/null | grep -q .; do
    [ "$waited" -lt "$timeout" ] || { scancel "$array_id" "$merge_id" || true; fail "merge job $merge_id still queued or running after ${timeout}s"; }
    sleep 2
    waited=$((waited + 2))
done
merge_state="$(scontrol show job -o "$merge_id" | tr ' ' '\n' | sed -n 's/^JobState=//p')"
merge_exit="$(scontrol show job -o "$merge_id" | tr ' ' '\n' | sed -n 's/^ExitCode=//p')"
echo "ci-slurm: merge job $merge_id: $merge_state (exit $merge_exit) after ${waited}s"
for task in $(seq 1 "$shards"); do
    state="$(scontrol show job -o "${array_id}_${task}" | tr ' ' '\n' | sed -n 's/^JobState=//p')"
    echo "ci-slurm: shard task ${array_id}_${task}: $state"
    [ "$state" = "COMPLETED" ] || fail "shard task ${array_id}_${task} ended $state"
done
[ "$merge_state" = "COMPLETED" ] && [ "$merge_exit" = "0:0" ] || fail "merge job $merge_id ended $merge_state (exit $merge_exit)"
echo "---- merge job log"
cat "$work/job/logs/merge.out"

# The merge job ran check --from; check the merged run once more here, from outside Slurm.
merged=""
for record in "$work"/job/merged/*/run.json; do [ -e "$record" ] && merged="$(dirname "$record")"; done
[ -n "$merged" ] || fail "no merged run under $work/job/merged"
"$claimbench" check "$suite" --preset smoke --from "$merged"
echo "ci-slurm: OK: $shards shards of $suite (smoke) ran as Slurm job array $array_id, merge job $merge_id merged them, and the merged run matches the golden"
