#!/usr/bin/env bash
# Runs Maven with a JDK 21 or newer, whatever the machine's default java is.
#
#   ./build.sh demo          builds, then runs the demo: embedded Redis, the Slack simulator,
#                            the broker and an echo bot, with events flowing; then a Slack app
#                            installed through Add to Slack; then the relay, a question answered by
#                            a sample backend, growing in Slack (ends by itself)
#   ./build.sh test          the whole test suite (unit tests, then integration tests), what CI runs
#   ./build.sh bench [ARGS]  builds, then runs the load harness (relax-bench; --profile quick for a
#                            short run, --update-docs to refresh docs/performance.md)
#   ./build.sh jmh [ARGS]    builds, then runs the JMH micro-benchmarks of the hot path
#   ./build.sh format        formats the Java sources (what `test` checks)
#   ./build.sh mvn ARGS...   any other Maven command with the same JDK
#
# The JDK is JAVA_HOME when that is 21+, else the newest 21+ JDK under /usr/lib/jvm
# (or RELAX_JDK_DIRS, a space-separated list of folders to search).
set -euo pipefail
cd "$(dirname "$0")"

java_major() { # prints the major version of the JDK at $1, or nothing
  local release="$1/release"
  [[ -x "$1/bin/javac" && -f "$release" ]] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

pick_jdk() {
  if [[ -n "${JAVA_HOME:-}" ]]; then
    local v; v=$(java_major "$JAVA_HOME")
    if [[ -n "$v" && "$v" -ge 21 ]]; then echo "$JAVA_HOME"; return; fi
  fi
  local best="" best_v=0 dir v
  for dir in ${RELAX_JDK_DIRS:-/usr/lib/jvm}/*; do
    v=$(java_major "$dir")
    if [[ -n "$v" && "$v" -ge 21 && "$v" -gt "$best_v" ]]; then best="$dir"; best_v="$v"; fi
  done
  echo "$best"
}

jdk=$(pick_jdk)
if [[ -z "$jdk" ]]; then
  echo "build.sh: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, searched ${RELAX_JDK_DIRS:-/usr/lib/jvm})." >&2
  echo "build.sh: install one (e.g. apt-get install openjdk-21-jdk-headless) or point JAVA_HOME at it." >&2
  exit 1
fi
export JAVA_HOME="$jdk"
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries use sun.misc.Unsafe; JDK 24+ warns about it on every run unless told not to.
if [[ "$(java_major "$JAVA_HOME")" -ge 24 ]]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
command -v mvn >/dev/null || { echo "build.sh: Maven (mvn) is not on PATH; install it (apt-get install maven)." >&2; exit 1; }

# Prints "Tests: N passed, N failed, N skipped" over every module's Surefire (unit) and Failsafe
# (integration, and relax-testkit's second run against a Redis Cluster) reports.
attr() { grep -o -m1 "<testsuite [^>]*" "$2" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
summarise() {
  local tests=0 failed=0 skipped=0 f
  for f in */target/surefire-reports/TEST-*.xml */target/failsafe-reports/TEST-*.xml \
      */target/failsafe-reports-cluster/TEST-*.xml; do
    [[ -f "$f" ]] || continue
    tests=$((tests + $(attr tests "$f")))
    failed=$((failed + $(attr failures "$f") + $(attr errors "$f")))
    skipped=$((skipped + $(attr skipped "$f")))
  done
  echo "Tests: $((tests - failed - skipped)) passed, ${failed} failed, ${skipped} skipped"
}

case "${1:-}" in
  test)
    shift
    echo "build.sh: JDK $JAVA_HOME; running: mvn -B verify $*"
    # Reports of an earlier run (or of a test since renamed) must not count in this run's total.
    rm -rf ./*/target/surefire-reports ./*/target/failsafe-reports ./*/target/failsafe-reports-cluster
    status=0
    mvn -B verify "$@" || status=$?
    summarise
    exit $status
    ;;
  demo)
    echo "build.sh: building (a minute on a fresh machine), then running the demo"
    mvn -B -q -ntp -DskipTests install
    mvn -B -q -ntp -pl relax-examples exec:java
    echo
    mvn -B -q -ntp -pl relax-examples exec:java@install-demo
    echo
    exec mvn -B -q -ntp -pl relax-relay exec:java
    ;;
  bench)
    shift
    echo "build.sh: building the broker, the relay and the harness, then running the load harness"
    mvn -B -q -ntp -DskipTests -pl relax-bench,relax-relay -am install
    command -v redis-server >/dev/null || echo "build.sh: no redis-server on PATH; the harness falls back to embedded Redis (apt-get install redis-server redis-tools for the real one)" >&2
    # The harness (simulator, sender, consumer) on the serial collector: its own G1 pauses (up to 54 ms
    # seen) were landing in the broker's latencies. The broker runs with whatever BENCH_BROKER_JVM_OPTS says.
    exec java ${BENCH_JVM_OPTS:--XX:+UseSerialGC} -jar relax-bench/target/relax-bench.jar "$@"
    ;;
  jmh)
    shift
    mvn -B -q -ntp -DskipTests -pl relax-bench -am install
    exec java -cp relax-bench/target/relax-bench.jar org.openjdk.jmh.Main "$@"
    ;;
  format)
    # relax-bom has no parent and no sources, so Maven cannot resolve the spotless prefix there.
    exec mvn -B -q -ntp spotless:apply -pl '!relax-bom'
    ;;
  mvn)
    shift
    exec mvn "$@"
    ;;
  *)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
