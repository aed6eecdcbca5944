#!/usr/bin/env bash
# The failover test on a real Flink cluster, runnable by a user: builds ssm-stream.jar, starts a Kafka broker and a
# Flink cluster of separate JobManager and TaskManager JVMs (no Docker), submits the job with `flink run`, and
# checks that a TaskManager killed with SIGKILL mid-stream, a JobManager killed and restarted from the latest
# retained checkpoint, and a stop-with-savepoint restored at parallelism 3 each leave read_committed output
# identical, record for record, to a failure-free run (cluster-tests/.../ClusterFailoverITCase.java).
# Prints what it checked and "identical" on success; exits non-zero on any difference. Every process it started
# is gone when it ends. Logs of the cluster processes: cluster-tests/target/cluster/<test>/flink/log/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$root/cluster-tests/target/cluster"

cleanup() {
  # The test kills its processes itself; this also catches them if Maven was interrupted.
  pkill -9 -f -- "-Dlog.file=$work/" 2>/dev/null || true
}
trap cleanup EXIT

cd "$root"
rm -f "$work/report.txt"
if ! mvn -B -ntp -pl cluster-tests -am verify -Dtest=ClusterFailoverITCase -Dsurefire.failIfNoSpecifiedTests=false; then
  echo "failover-test: FAILED (see the test report above and the logs under $work)" >&2
  exit 1
fi
echo
echo "failover-test: checked"
cat "$work/report.txt"
echo "identical"
