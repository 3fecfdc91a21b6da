#!/usr/bin/env bash
# mproc's front door: builds what is missing, then runs a subcommand.
#   ./run.sh demo      the Pool examples on an embedded cluster of worker JVMs
#   ./run.sh bench     the Pool figures beside Python's multiprocessing
#   ./run.sh cluster   a standing cluster; worker --join adds another host's workers to it
#   ./run.sh status | scale N | send ADDRESS JSON | stop      talk to a standing cluster
#   ./run.sh identity [show | export FILE | import FILE | rotate]   the key that lets JVMs into a cluster
#   ./run.sh token     the token of a cluster's HTTP endpoints (status API, event-bus bridge)
#   ./run.sh -h        every subcommand and option
set -euo pipefail

home="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  java="$JAVA_HOME/bin/java"
elif command -v java >/dev/null 2>&1; then
  java="$(command -v java)"
else
  echo "run.sh: no java found: install a JDK 17+ or set JAVA_HOME" >&2
  exit 127
fi

jar="$home/target/mproc.jar"
if [[ ! -f "$jar" || ! -d "$home/target/lib" ]] \
   || [[ -n "$(find "$home/src/main" "$home/conf" "$home/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
  if ! command -v mvn >/dev/null 2>&1; then
    echo "run.sh: $jar is missing or stale and Maven (mvn) is not installed to build it" >&2
    exit 127
  fi
  echo "run.sh: building mproc (mvn package, tests skipped)..." >&2
  (cd "$home" && mvn -q -B -DskipTests package) >&2
fi

# The driver allocates a result object per item; ParallelGC keeps its pauses short on few cores
# (measured: G1's adaptive pauses reach 100-200 ms during a map of 1M items here). Compiling
# 4x later spends less CPU on code run a few times (cluster start, each worker's join): the demo
# 84 -> 80 s on 2 cores, hot loops unchanged. The demo's driver mostly coordinates the cluster
# it hosts: there the optimizing compiler (C2) burned more CPU than it saved, competing with the
# worker JVMs on 2 cores (measured: demo 68-78 -> 60 s; its counting loop as fast with C1 alone).
# The shell commands (status, scale, send, stop) are JVMs that join for one request: C1 alone
# and the serial collector (measured: status 2.35 -> 2.0 s, 2.85 -> 2.3 CPU-s).
jvm="-XX:+UseParallelGC -XX:CompileThresholdScaling=4"
case "${1:-}" in
  demo) jvm="-XX:+UseParallelGC -XX:TieredStopAtLevel=1" ;;
  status|scale|send|stop|identity|token) jvm="-XX:+UseSerialGC -XX:TieredStopAtLevel=1" ;;
esac
# The first worker JVM of a class path leaves an AppCDS archive of the classes it loaded (see
# ClassDataSharing); every later worker maps it. This JVM maps the newest one too, most often
# the one of this very class path: the JVM checks that the archive was made for its class path
# (jar names, sizes, dates) and quietly ignores one that was not. Measured: status 2.2 -> 1.45 s.
cds=""
if [ "${MPROC_CDS:-true}" != false ]; then
  for archive in "${MPROC_CDS_DIR:-${HOME:-/nonexistent}/.cache/mproc}"/worker-*.jsa; do
    if [ -f "$archive" ] && { [ -z "$cds" ] || [ "$archive" -nt "$cds" ]; }; then
      cds="$archive"
    fi
  done
fi
cds_opts=()
if [ -n "$cds" ]; then
  cds_opts=("-XX:SharedArchiveFile=$cds" -Xlog:cds=off -Xlog:cds+dynamic=off)
fi
exec "$java" ${MPROC_JAVA_OPTS:-$jvm} ${cds_opts[@]+"${cds_opts[@]}"} -Dmproc.home="$home" -Dmproc.conf.dir="$home/conf" \
  -cp "$jar:$home/target/lib/*${MPROC_CLASSPATH:+:$MPROC_CLASSPATH}" io.mproc.cli.Main "$@"
