#!/bin/sh
# make bench: the store's merge cost per article as the database and one fact grow
# (bench_merge), then the extractor's MB per CPU second on one core over the BBC corpus,
# and wink-nlp's over the same files in the same run, side by side with their ratio: the
# same raw bytes, the same rounds (BENCH_ROUNDS, after one warm-up round each), CPU
# seconds on both sides. Installs wink-nlp and its model with npm into bench/node_modules
# (not tracked) the first time. Then the whole pipeline end to end against the extractor.
set -eu
build=${1:-build}
echo "bench: store merge, first tenth against last tenth (BENCH_MERGE_LIMIT_S caps a run)"
"$build/bin/bench_merge" --limit-s "${BENCH_MERGE_LIMIT_S:-120}" scale 1000 scale 10000 scale 100000 \
    shared 1000 shared 4000 shared 16000 namesakes 1000 namesakes 10000
here=$(cd "$(dirname "$0")" && pwd)
corpus=${BENCH_CORPUS:-$here/../../shared/corpus/bbc}
rounds=${BENCH_ROUNDS:-3}
if [ ! -d "$corpus" ]; then
    echo "bench: $corpus is not there (set BENCH_CORPUS to a folder of .txt articles)"
    exit 1
fi
echo "bench: corpus $corpus"
# One core: pin both to CPU 0 where taskset exists.
pin=""
command -v taskset >/dev/null 2>&1 && pin="taskset -c 0"
c_out=$($pin "$build/bin/bench_extract" --rounds "$rounds" "$corpus")
echo "$c_out" | grep -v '^MBPS'
c_mbps=$(echo "$c_out" | awk '/^MBPS/ {print $2}')

# End to end: BENCH_E2E_SIZES (default "20000 100000") articles made from the corpus at
# run time, through crossclaim run with a worker per core (the broker, the store and the
# workers as in production, on ipc), from the first submit to the last commit; against
# the extractor's own speed on this machine's cores (the figure above, per CPU second, x
# cores). The two sizes show whether the cost per article stays flat as the store grows.
for e2e_n in ${BENCH_E2E_SIZES:-20000 100000}; do
    [ "$e2e_n" -gt 0 ] && command -v python3 >/dev/null 2>&1 || continue
    tmp=$(mktemp -d /tmp/cc-bench-XXXXXX)
    bytes=$(python3 "$here/gen_articles.py" "$corpus" "$e2e_n" "$tmp/in.jsonl")
    cores=$(nproc)
    t0=$(date +%s.%N)
    "$build/bin/crossclaim" run --no-report --workers "$cores" --data "$tmp/data" "$tmp/in.jsonl" >"$tmp/run.log" 2>&1 ||
        { echo "bench: end-to-end run failed:"; tail -5 "$tmp/run.log"; }
    t1=$(date +%s.%N)
    # the first size's rate is the maximum the latency stage below takes half of
    [ -n "${e2e_rate:-}" ] || e2e_rate=$(awk -v n="$e2e_n" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%d", n / (t1 - t0) }')
    awk -v n="$e2e_n" -v b="$bytes" -v t0="$t0" -v t1="$t1" -v c="$c_mbps" -v k="$cores" 'BEGIN {
        w = t1 - t0; mb = b / 1e6 / w;
        printf "end to end: %d articles (%.1f MB of text) submitted to all committed in %.1f s: %.0f articles/s, %.2f MB/s; extractor alone %.1f MB/s x %d cores: %.1f%% of it\n", n, b / 1e6, w, n / w, mb, c, k, 100 * mb / (c * k) }'
    rm -rf "$tmp"
done

# Latency at half of the maximum rate: the daemons fed at half the end-to-end rate
# above for BENCH_LATENCY_S seconds (default 20), submit to commit from the producer's
# clock (bench/latency.sh).
if [ -n "${e2e_rate:-}" ] && [ "$e2e_rate" -ge 2 ]; then
    half=$((e2e_rate / 2))
    sh "$here/latency.sh" "$build" "$half" $((half * ${BENCH_LATENCY_S:-20})) "$corpus" ||
        echo "bench: latency stage failed"
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "bench: node/npm not installed: wink-nlp comparison skipped (apt-get install nodejs npm)"
    exit 0
fi
if [ ! -d "$here/node_modules/wink-eng-lite-web-model" ]; then
    echo "bench: installing wink-nlp and wink-eng-lite-web-model with npm..."
    (cd "$here" && npm install --silent --no-audit --no-fund --no-save wink-nlp wink-eng-lite-web-model >/dev/null 2>&1) || {
        echo "bench: npm install failed: wink-nlp comparison skipped"; exit 0; }
fi
w_out=$(cd "$here" && $pin node wink.js "$corpus" "$rounds")
echo "$w_out" | grep -v '^MBPS'
w_mbps=$(echo "$w_out" | awk '/^MBPS/ {print $2}')
awk -v c="$c_mbps" -v w="$w_mbps" -v r="$rounds" 'BEGIN { printf "ratio (same bytes, %d rounds each, per CPU second): crossclaim %.1f MB/s / wink-nlp %.1f MB/s = %.1fx\n", r, c, w, c / w }'
