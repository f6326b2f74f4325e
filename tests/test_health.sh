#!/bin/sh
# Health, metrics and logs of the three daemons on one machine (ipc): /healthz and /readyz
# of each, their Prometheus pages through promtool where it is installed, one JSON log
# line from each, a port taken from CROSSCLAIM_METRICS_PORT and overridden by the flag,
# and /readyz turning 503 on the store and the worker once the broker is gone.
set -u
bin=${CC_BIN_DIR:?}
command -v curl >/dev/null || { echo "SKIP: curl missing"; exit 77; }
tmp=$(mktemp -d /tmp/cc-health-XXXXXX)
pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail=0
ok() { echo "  ok   $*"; }
bad() { echo "  FAIL $*"; fail=1; }
base=$(( 20000 + $$ % 20000 ))
bp=$base; sp=$((base + 1)); wp=$((base + 2)); decoy=$((base + 3))
code() { curl -s -o "$tmp/body" -w '%{http_code}' -m 2 "http://127.0.0.1:$1$2"; }
wait_code() {   # wait_code PORT PATH CODE: up to 15 s
    i=0
    while [ "$(code "$1" "$2")" != "$3" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
    [ "$(code "$1" "$2")" = "$3" ]
}
d=$tmp/data
"$bin/crossclaim-broker" --data "$d" --metrics-port "$bp" --heartbeat-ms 200 --log-format json 2>"$tmp/broker.log" &
bpid=$!; pids="$pids $bpid"
CROSSCLAIM_METRICS_PORT=$decoy CROSSCLAIM_LOG_FORMAT=json "$bin/crossclaim-store" --data "$d" \
    --metrics-port "$sp" --heartbeat-ms 200 2>"$tmp/store.log" &
pids="$pids $!"
CROSSCLAIM_METRICS_PORT=$wp CROSSCLAIM_HEARTBEAT_MS=200 "$bin/crossclaim-worker" --log-format json \
    --broker "ipc://$d/backend.ipc" 2>"$tmp/worker.log" &
pids="$pids $!"
for x in "broker $bp" "store $sp" "worker $wp"; do
    set -- $x
    if wait_code "$2" /readyz 200; then ok "$1 /readyz: $(cat "$tmp/body")"; else bad "$1 /readyz: $(code "$2" /readyz) $(cat "$tmp/body")"; fi
    [ "$(code "$2" /healthz)" = 200 ] && ok "$1 /healthz: $(cat "$tmp/body")" || bad "$1 /healthz"
    curl -s -m 2 "http://127.0.0.1:$2/metrics" >"$tmp/$1.prom"
    if command -v promtool >/dev/null; then
        promtool check metrics <"$tmp/$1.prom" >"$tmp/promtool" 2>&1 && ok "$1 page passes promtool check metrics" ||
            { bad "$1 page fails promtool:"; cat "$tmp/promtool"; }
    else
        echo "  note promtool missing (Debian package prometheus): $1 page not linted"
    fi
    line=$(head -1 "$tmp/$1.log")
    echo "$line" | python3 -c 'import json,sys; r=json.loads(sys.stdin.readline()); assert {"time","program","pid","level","msg"} <= set(r)' 2>/dev/null &&
        ok "$1 logs JSON: $line" || bad "$1 log line is not JSON: $line"
done
[ "$(code "$decoy" /metrics)" = 000 ] && ok "the store's --metrics-port won over CROSSCLAIM_METRICS_PORT" || bad "something serves the decoy port"
grep -q crossclaim_worker_jobs_total "$tmp/worker.prom" && ok "the worker's port came from CROSSCLAIM_METRICS_PORT" || bad "no worker metrics"
kill "$bpid"; wait "$bpid" 2>/dev/null
for x in "store $sp" "worker $wp"; do
    set -- $x
    if wait_code "$2" /readyz 503; then ok "$1 /readyz without a broker: 503 $(cat "$tmp/body")"; else bad "$1 still ready without a broker"; fi
    [ "$(code "$2" /healthz)" = 200 ] && ok "$1 /healthz still 200 (alive)" || bad "$1 /healthz"
done
for p in crossclaim crossclaim-broker crossclaim-store crossclaim-worker cc-extract; do
    v=$("$bin/$p" --version 2>&1)
    echo "$v" | grep -q "^$p [0-9]" && ok "$v" || bad "$p --version: $v"
done
exit $fail
