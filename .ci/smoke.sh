#!/usr/bin/env bash
# The README's run command, tried as a newcomer would (decision 0023): ./devstack/run from an empty
# data directory, its "ready" line awaited, then a black-box smoke through the gateway
# (RunCommandSmokeIT: each seed route of contracts/openapi.yaml once, every event type of
# contracts/events read from Kafka), then SIGTERM, and a check that no process and no port is left.
# Ports and the data directory follow the devstack's variables (docs/configuration.md), e.g.
# ERP_PORT_OFFSET=185 to run beside another stack.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
data=${ERP_DEVSTACK_DIR:-$root/.devstack}
ready_timeout=${ERP_SMOKE_READY_TIMEOUT:-900}   # the first run builds, and Keycloak builds itself once
stop_timeout=${ERP_SMOKE_STOP_TIMEOUT:-120}

if [ -d "$data" ] && [ -n "$(ls -A "$data")" ]; then
  echo "smoke: $data is not empty; the smoke starts from an empty data directory (./devstack/run reset)." >&2
  exit 1
fi

offset=${ERP_PORT_OFFSET:-0}
ports=()
for spec in ERP_PG_PORT:5432 ERP_KAFKA_PORT:9092 ERP_KEYCLOAK_PORT:8180 ERP_KEYCLOAK_MGMT_PORT:9180 ERP_S3_PORT:9000 \
    ERP_SMTP_PORT:3025 ERP_MAIL_API_PORT:8025 ERP_GATEWAY_PORT:8080 ERP_IDENTITY_PORT:8081 ERP_FILES_PORT:8082 \
    ERP_CHECKIN_PORT:8083 ERP_RELAY_PORT:8084 ERP_GATEWAY_MANAGEMENT_PORT:9080 ERP_IDENTITY_MANAGEMENT_PORT:9081 \
    ERP_FILES_MANAGEMENT_PORT:9082 ERP_CHECKIN_MANAGEMENT_PORT:9083 ERP_RELAY_MANAGEMENT_PORT:9084; do
  name=${spec%%:*}
  ports+=($(( ${!name:-${spec##*:}} + offset )))
done
ports+=($(( ${ERP_KAFKA_PORT:-9092} + offset + 1 )))   # the KRaft controller

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
busy=(); for p in "${ports[@]}"; do listening "$p" && busy+=("$p"); done
if [ ${#busy[@]} -gt 0 ]; then
  echo "smoke: ports ${busy[*]} are in use before the start; stop what uses them or shift the ports (ERP_PORT_OFFSET)." >&2
  exit 1
fi

log=$(mktemp "${TMPDIR:-/tmp}/erp-smoke-run.XXXXXX")
echo "smoke: ./devstack/run (output in $log)"
# its own session and process group: what is left of it afterwards can be found by that id
setsid ./devstack/run >"$log" 2>&1 </dev/null &
pid=$!

# Whatever ends this script, nothing of the stack outlives it.
left_over() {
  # its process group and session (both have its pid as id: setsid), and whatever names the data
  # directory (pg_ctl puts PostgreSQL in a session of its own)
  { ps -e -o pid=,pgid=,sid= | awk -v id="$pid" '$2 == id || $3 == id {print $1}'; pgrep -f -- "$data/" || true; } \
    | grep -vx -e "$$" -e '' | sort -u || true
}
cleanup() {
  local rc=$?
  if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; sleep 5; fi
  local pids; pids=$(left_over)
  [ -n "$pids" ] && kill -KILL $pids 2>/dev/null || true
  exit $rc
}
trap cleanup EXIT

started=$SECONDS
until grep -q "devstack ready in" "$log"; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "smoke: ./devstack/run ended before it was ready:" >&2; tail -n 60 "$log" >&2; exit 1
  fi
  if (( SECONDS - started > ready_timeout )); then
    echo "smoke: ./devstack/run not ready within ${ready_timeout} s:" >&2; tail -n 60 "$log" >&2; exit 1
  fi
  sleep 2
done
echo "smoke: $(grep "devstack ready in" "$log" | sed 's/^ *//') (observed after $(( SECONDS - started )) s, build included)"
sed -n '/devstack ready in/,/Ctrl-C/p' "$log"

# The client: the e2e module's RunCommandSmokeIT pointed at this stack (-De2e.stack=running, same
# environment). The services run from their jars: nothing is repackaged under them.
./mvnw -B verify -pl e2e -am -De2e.stack=running -Dspring-boot.repackage.skip=true \
  -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=RunCommandSmokeIT -Dfailsafe.failIfNoSpecifiedTests=false

echo "smoke: SIGTERM to ./devstack/run (pid $pid)"
kill -TERM "$pid"
stopping=$SECONDS
while kill -0 "$pid" 2>/dev/null; do
  if (( SECONDS - stopping > stop_timeout )); then
    echo "smoke: ./devstack/run still runs ${stop_timeout} s after SIGTERM" >&2; exit 1
  fi
  sleep 1
done
status=0; wait "$pid" || status=$?
echo "smoke: ./devstack/run ended with status $status after $(( SECONDS - stopping )) s"

pids=$(left_over)
if [ -n "$pids" ]; then
  echo "smoke: processes left after SIGTERM:" >&2; ps -o pid,pgid,sid,args -p $(echo $pids | tr ' ' ,) >&2; exit 1
fi
open=(); for p in "${ports[@]}"; do listening "$p" && open+=("$p"); done
if [ ${#open[@]} -gt 0 ]; then
  echo "smoke: ports still listening after SIGTERM: ${open[*]}" >&2; exit 1
fi
if [ "$status" -ne 0 ] && [ "$status" -ne 143 ]; then
  echo "smoke: ./devstack/run exited with status $status on SIGTERM:" >&2; tail -n 40 "$log" >&2; exit 1
fi
echo "smoke: stopped cleanly, no process and no port left"
