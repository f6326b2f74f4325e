#!/bin/sh
# make bench: the store's merge cost per article as the database and one fact grow
# (bench_merge), then the extractor's MB per CPU second on one core over the BBC corpus,
# and wink-nlp's over the same files in the same run, side by side with their ratio: the
# same raw bytes, the same rounds (BENCH_ROUNDS, after one warm-up round each), CPU
# seconds on both sides. Installs wink-nlp and its model with npm into bench/node_modules
# (not tracked) the first time.
set -eu
build=${1:-build}
echo "bench: store merge, first tenth against last tenth (BENCH_MERGE_LIMIT_S caps a run)"
"$build/bin/bench_merge" --limit-s "${BENCH_MERGE_LIMIT_S:-120}" scale 1000 scale 10000 scale 100000 \
    shared 1000 shared 4000 shared 16000
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
