#!/usr/bin/env bash
# Dev/test Neo4j Community server for leadgraph, run from Maven Central jars
# (no Docker, no tarball download). See deploy/neo4j/README.md.
#
#   bash deploy/neo4j/neo4j.sh start    # fresh, empty database; writes .neo4j/env
#   bash deploy/neo4j/neo4j.sh status
#   bash deploy/neo4j/neo4j.sh stop
#   bash deploy/neo4j/neo4j.sh import GRAPH.jsonl [--overwrite]
#                                       # fresh home, first load with neo4j-admin's importer
#                                       # (leadgraph neo4j-import), then start on that data
#   bash deploy/neo4j/neo4j.sh init     # fresh, stopped home (conf, password), nothing started
#   bash deploy/neo4j/neo4j.sh start --keep-data   # start on the data already in the home
#
# Environment overrides (all optional):
#   NEO4J_JAVA_HOME / JAVA_HOME   Java 17 or 21 (default /usr/lib/jvm/java-17-openjdk-amd64)
#   NEO4J_PASSWORD                password for user neo4j (default leadgraph-dev-password)
#   NEO4J_HEAP_INITIAL, NEO4J_HEAP_MAX, NEO4J_PAGECACHE   (default 512m, 1g, 512m)
#   NEO4J_BOLT_PORT               fixed Bolt port instead of a free one
#   NEO4J_START_TIMEOUT           seconds to wait for Bolt (default 90)
#   NEO4J_STATE_DIR               home of the server (default .neo4j); a second server, e.g. for
#                                 benchmarks, runs beside the dev server with its own directory
#   NEO4J_LIB_DIR                 jar folder (default $NEO4J_STATE_DIR/lib; point a second server
#                                 at .neo4j/lib to reuse the jars)
#   NEO4J_SCHEMA_TIMEOUT          import: seconds the first connection may take to create the
#                                 constraints and indexes and wait for them (default 3600)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
POM="$SCRIPT_DIR/pom.xml"
STATE="${NEO4J_STATE_DIR:-$REPO_ROOT/.neo4j}"   # NEO4J_HOME of the dev server (git-ignored)
LIB="${NEO4J_LIB_DIR:-$STATE/lib}"
CONF_DIR="$STATE/conf"
LOG_DIR="$STATE/logs"
PID_FILE="$STATE/neo4j.pid"
ENV_FILE="$STATE/env"
CONSOLE_LOG="$LOG_DIR/console.log"
USER_LOG="$LOG_DIR/neo4j.log"

NEO4J_VERSION="$(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$POM" | head -n1)"
PASSWORD="${NEO4J_PASSWORD:-leadgraph-dev-password}"   # Neo4j 5 requires >= 8 chars
HEAP_INITIAL="${NEO4J_HEAP_INITIAL:-512m}"
HEAP_MAX="${NEO4J_HEAP_MAX:-1g}"
PAGECACHE="${NEO4J_PAGECACHE:-512m}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-90}"

log() { echo "neo4j.sh: $*" >&2; }

find_java() {
  local home="${NEO4J_JAVA_HOME:-${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}}"
  if [[ -x "$home/bin/java" ]]; then
    echo "$home/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    log "no Java found (set JAVA_HOME to a Java 17 or 21 JDK)"
    exit 1
  fi
}

find_python() {
  if [[ -x "$REPO_ROOT/.venv/bin/python" ]]; then
    echo "$REPO_ROOT/.venv/bin/python"
  else
    command -v python3
  fi
}

# JVM flags: the ones Neo4j 5's own conf/neo4j.conf passes via server.jvm.additional
# (the bootloader is bypassed here, so they go on the command line), minus
# AlwaysPreTouch (slower start-up, no gain for a dev server).
jvm_flags() {
  printf '%s\n' \
    "-Xms$HEAP_INITIAL" "-Xmx$HEAP_MAX" \
    -XX:+UseG1GC \
    -XX:-OmitStackTraceInFastThrow \
    -XX:+UnlockExperimentalVMOptions \
    -XX:+TrustFinalNonStaticFields \
    -XX:+DisableExplicitGC \
    -XX:+ExitOnOutOfMemoryError \
    -Djdk.nio.maxCachedBufferSize=1024 \
    -Dio.netty.tryReflectionSetAccessible=true \
    -Djdk.tls.ephemeralDHKeySize=2048 \
    -Djdk.tls.rejectClientInitiatedRenegotiation=true \
    --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --enable-native-access=ALL-UNNAMED \
    -Dlog4j2.disable.jmx=true \
    -Dlog4j.layout.jsonTemplate.maxStringLength=32768 \
    -Dfile.encoding=UTF-8
}

ensure_jars() {
  if [[ -f "$LIB/neo4j-$NEO4J_VERSION.jar" && -f "$LIB/.complete" ]]; then
    return 0
  fi
  log "fetching Neo4j $NEO4J_VERSION jars from Maven Central into $LIB ..."
  local tmp="$STATE/lib.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$STATE"
  local mvn_log="$STATE/mvn.log"
  if ! JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(find_java)")")")" \
      mvn -B -q -Dstyle.color=never -f "$POM" \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" \
        >"$mvn_log" 2>&1; then
    tail -n 40 "$mvn_log" >&2
    rm -rf "$tmp"
    log "mvn dependency:copy-dependencies failed (full output: $mvn_log)"
    exit 1
  fi
  touch "$tmp/.complete"
  rm -rf "$LIB"
  mv "$tmp" "$LIB"
}

is_running() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # guard against pid reuse: the process must be our Neo4j
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "CommunityEntryPoint --home-dir=$STATE" || return 1
}

free_port() {
  "$(find_python)" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

reset_home() {
  # fresh home: everything except the jar cache
  rm -rf "$CONF_DIR" "$STATE/data" "$LOG_DIR" "$STATE/run" "$STATE/plugins" "$STATE/import" "$ENV_FILE"
}

write_home() {
  local bolt_port="$1"
  # conf, logs and run are rewritten on every start; data/ is kept (reset_home empties it)
  rm -rf "$CONF_DIR" "$LOG_DIR" "$STATE/run" "$ENV_FILE"
  mkdir -p "$CONF_DIR" "$STATE/data" "$LOG_DIR" "$STATE/run" "$STATE/plugins" "$STATE/import"
  cat >"$CONF_DIR/neo4j.conf" <<EOF
# Generated by deploy/neo4j/neo4j.sh -- rewritten on every start.
server.directories.data=$STATE/data
server.directories.logs=$LOG_DIR
server.directories.run=$STATE/run
server.directories.lib=$LIB
server.directories.plugins=$STATE/plugins
server.directories.import=$STATE/import

# Local only; Bolt on a free port, no HTTP/HTTPS.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$bolt_port
server.bolt.advertised_address=127.0.0.1:$bolt_port
server.bolt.tls_level=DISABLED
server.http.enabled=false
server.https.enabled=false

# Auth on; the password is set with neo4j-admin's set-initial-password before start.
dbms.security.auth_enabled=true

# No phoning home.
dbms.usage_report.enabled=false
client.allow_telemetry=false

# Modest memory (heap is set with -Xms/-Xmx on the java command line).
server.memory.pagecache.size=$PAGECACHE

# Throw-away data: keep little transaction log, stop quickly.
db.tx_log.rotation.retention_policy=1 files
internal.dbms.bolt.netty_server_shutdown_quiet_period=0
internal.dbms.bolt.netty_server_shutdown_timeout=1
EOF
}

set_password() {
  local java="$1" out
  # Only before the first start: afterwards the system database holds the password
  # (and after init, auth.ini already holds it).
  [[ -d "$STATE/data/databases/system" || -f "$STATE/data/dbms/auth.ini" ]] && return 0
  if ! out="$(NEO4J_HOME="$STATE" NEO4J_CONF="$CONF_DIR" "$java" -Dfile.encoding=UTF-8 -cp "$LIB/*" \
      org.neo4j.cli.AdminTool dbms set-initial-password "$PASSWORD" 2>&1)"; then
    echo "$out" >&2
    log "setting the initial password failed"
    exit 1
  fi
}

bolt_ready() {
  local port="$1" py
  py="$(find_python)"
  NEO4J_PROBE_PORT="$port" NEO4J_PROBE_PASSWORD="$PASSWORD" "$py" - <<'EOF' 2>/dev/null
import os, socket, sys
port = int(os.environ["NEO4J_PROBE_PORT"])
try:
    socket.create_connection(("127.0.0.1", port), timeout=1).close()
except OSError:
    sys.exit(1)
try:
    from neo4j import GraphDatabase
except ImportError:
    sys.exit(0)  # TCP answers; the caller also checks the log for 'Started.'
with GraphDatabase.driver(f"bolt://127.0.0.1:{port}",
                          auth=("neo4j", os.environ["NEO4J_PROBE_PASSWORD"])) as d:
    d.execute_query("RETURN 1", database_="neo4j")
EOF
}

show_log_tail() {
  local f
  for f in "$CONSOLE_LOG" "$USER_LOG"; do
    if [[ -s "$f" ]]; then
      echo "----- tail of $f -----" >&2
      tail -n 40 "$f" >&2
    fi
  done
  if [[ -s "$LOG_DIR/debug.log" ]]; then
    echo "----- errors in $LOG_DIR/debug.log -----" >&2
    grep -E ' (ERROR|WARN) ' "$LOG_DIR/debug.log" | tail -n 20 >&2 || true
  fi
}

kill_pid() {
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 300; i++)); do   # up to 30 s for a clean shutdown
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid $pid ignored TERM; sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
}

cmd_stop() {
  if is_running; then
    local pid
    pid="$(cat "$PID_FILE")"
    log "stopping Neo4j (pid $pid)"
    kill_pid "$pid"
  fi
  rm -f "$PID_FILE" "$ENV_FILE"
}

cmd_status() {
  if is_running; then
    echo "running (pid $(cat "$PID_FILE"))"
    [[ -f "$ENV_FILE" ]] && cat "$ENV_FILE"
  else
    echo "not running"
    return 3
  fi
}

try_start() {
  local java="$1" port="$2" keep="$3" pid deadline
  [[ "$keep" == 1 ]] || reset_home
  write_home "$port"
  set_password "$java"
  local -a flags
  mapfile -t flags < <(jvm_flags)
  (
    cd "$STATE"
    exec nohup "$java" "${flags[@]}" -cp "$LIB/*" \
      org.neo4j.server.CommunityEntryPoint --home-dir="$STATE" --config-dir="$CONF_DIR" \
      </dev/null >"$CONSOLE_LOG" 2>&1
  ) &
  pid=$!
  echo "$pid" >"$PID_FILE"
  deadline=$((SECONDS + START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      if grep -qiE 'address already in use|BindException' "$CONSOLE_LOG" "$USER_LOG" 2>/dev/null; then
        return 2   # lost a port race; caller retries with another port
      fi
      return 1
    fi
    if grep -q 'Started\.' "$USER_LOG" "$CONSOLE_LOG" 2>/dev/null && bolt_ready "$port"; then
      return 0
    fi
    sleep 0.5
  done
  log "Neo4j did not answer on Bolt within ${START_TIMEOUT}s"
  kill_pid "$pid"
  rm -f "$PID_FILE"
  return 1
}

cmd_start() {
  local java t0 port rc attempt keep=0
  case "${1:-}" in
    "") ;;
    --keep-data) keep=1 ;;
    *) log "start takes no argument but --keep-data"; exit 2 ;;
  esac
  t0=$SECONDS
  java="$(find_java)"
  if is_running; then
    if ((keep)); then
      log "a dev server is already running; restarting it on the same data"
    else
      log "a dev server is already running; restarting it with a fresh database"
    fi
    cmd_stop
  fi
  rm -f "$PID_FILE"
  ensure_jars
  for attempt in 1 2 3; do
    port="${NEO4J_BOLT_PORT:-$(free_port)}"
    rc=0
    try_start "$java" "$port" "$keep" || rc=$?
    if ((rc == 0)); then
      cat >"$ENV_FILE" <<EOF
NEO4J_URI=bolt://127.0.0.1:$port
NEO4J_USER=neo4j
NEO4J_PASSWORD=$PASSWORD
NEO4J_DATABASE=neo4j
EOF
      log "Neo4j $NEO4J_VERSION up on bolt://127.0.0.1:$port (pid $(cat "$PID_FILE"), $((SECONDS - t0))s); credentials in $ENV_FILE"
      return 0
    fi
    if ((rc == 2)) && [[ -z "${NEO4J_BOLT_PORT:-}" ]]; then
      log "port $port was taken; retrying ($attempt/3)"
      continue
    fi
    break
  done
  log "Neo4j failed to start"
  show_log_tail
  exit 1
}

# A fresh, stopped home: conf and password written, data/ empty, nothing started.
cmd_init() {
  local java
  java="$(find_java)"
  cmd_stop
  ensure_jars
  reset_home
  write_home "${NEO4J_BOLT_PORT:-7687}"   # start rewrites the conf with its own port
  set_password "$java"
  log "fresh home in $STATE (stopped); load it with: leadgraph neo4j-import GRAPH.jsonl --home $STATE"
}

find_leadgraph() {
  if [[ -x "$REPO_ROOT/.venv/bin/leadgraph" ]]; then
    echo "$REPO_ROOT/.venv/bin/leadgraph"
  elif command -v leadgraph >/dev/null 2>&1; then
    command -v leadgraph
  else
    log "no leadgraph command (run make install)"
    exit 1
  fi
}

# First load of an exported graph: fresh home, neo4j-admin's offline importer, start.
cmd_import() {
  local file="${1:-}" leadgraph
  if [[ -z "$file" ]]; then
    log "usage: $0 import GRAPH.jsonl [leadgraph neo4j-import options]"
    exit 2
  fi
  shift
  leadgraph="$(find_leadgraph)"
  cmd_init
  NEO4J_JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(find_java)")")")" \
    "$leadgraph" neo4j-import "$file" --home "$STATE" "$@"
  cmd_start --keep-data
  # The first connection creates the constraints and indexes and waits until they are
  # online: give it time for a big graph (NEO4J_SCHEMA_TIMEOUT seconds, default 3600).
  log "creating constraints and indexes ..."
  (
    set -a
    . "$ENV_FILE"
    set +a
    LEADGRAPH_BACKEND=neo4j NEO4J_TIMEOUT="${NEO4J_SCHEMA_TIMEOUT:-3600}" "$leadgraph" stats
  )
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  init) cmd_init ;;
  import) shift; cmd_import "$@" ;;
  *)
    echo "usage: $0 {start [--keep-data]|stop|status|restart|init|import GRAPH.jsonl}" >&2
    exit 2
    ;;
esac
