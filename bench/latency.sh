#!/bin/sh
# latency.sh BUILD RATE N CORPUS: the real daemons (a broker, a store and a worker per
# core, on ipc in a fresh data dir) fed N distinct articles made from CORPUS at a fixed
# RATE a second by `crossclaim submit --rate`, whose clock starts each article's
# submit-to-commit latency. Waits until the broker has seen every article committed,
# then prints the throughput, the broker's p50/p99/p999 of that latency (interpolated in
# its histogram, as Prometheus does) and each daemon's peak resident memory.
# LATENCY_STORE_ARGS passes options to the store ("--batch-ms 2").
set -eu
build=$1 rate=$2 n=$3 corpus=$4
here=$(cd "$(dirname "$0")" && pwd)
bin=$build/bin
tmp=$(mktemp -d /tmp/cc-latency-XXXXXX)
pids=""
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    for p in $pids; do wait "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
python3 "$here/gen_articles.py" "$corpus" "$n" "$tmp/in.jsonl" >/dev/null
d=$tmp/data
mkdir -p "$d"
"$bin/crossclaim-broker" --data "$d" --quiet 2>"$tmp/broker.log" &
broker=$!
"$bin/crossclaim-store" --data "$d" --quiet ${LATENCY_STORE_ARGS:-} 2>"$tmp/store.log" &
store=$!
pids="$broker $store"
workers=""
for i in $(seq "$(nproc)"); do
    "$bin/crossclaim-worker" --broker "ipc://$d/backend.ipc" --quiet 2>>"$tmp/worker.log" &
    workers="$workers $!"
done
pids="$pids $workers"
# A field of the broker's status, or nothing while it does not answer.
field() {
    "$bin/crossclaim" status --data "$d" --json 2>/dev/null |
        python3 -c "import json,sys; print(json.load(sys.stdin)['broker']['$1'])" 2>/dev/null || true
}
tries=0
until [ "$(field connected_workers)" = "$(nproc)" ] && [ "$(field store_connected)" = "True" ]; do
    tries=$((tries + 1))
    [ $tries -lt 300 ] || { echo "latency: the daemons did not come up"; tail -3 "$tmp"/*.log; exit 1; }
    sleep 0.1
done
t0=$(date +%s.%N)
"$bin/crossclaim" submit --data "$d" --rate "$rate" "$tmp/in.jsonl" 2>"$tmp/submit.log"
tries=0
until [ "$(field completed)" = "$n" ]; do
    tries=$((tries + 1))
    [ $tries -lt 3000 ] || { echo "latency: $(field completed) of $n committed after 300 s"; exit 1; }
    sleep 0.1
done
t1=$(date +%s.%N)
hwm() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
wmem=""
for w in $workers; do wmem="$wmem $(hwm "$w")"; done
"$bin/crossclaim" status --data "$d" --json | python3 -c "
import json, sys
b = json.load(sys.stdin)['broker']
n, rate, wall = $n, $rate, $t1 - $t0
print('latency: %d articles offered at %d/s, all committed in %.1f s (%.0f/s): '
      'submit to commit p50 %.1f ms, p99 %.1f ms, p999 %.1f ms; redelivered %d; '
      'peak memory broker %s MB, store %s MB, workers%s MB'
      % (n, rate, wall, n / wall, 1000 * b['latency_p50_s'], 1000 * b['latency_p99_s'],
         1000 * b['latency_p999_s'], b['redelivered'], '$(hwm "$broker")', '$(hwm "$store")',
         '$wmem'))"
