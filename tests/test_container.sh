#!/bin/sh
# The container image, built and run: builds deploy/Dockerfile with podman (FROM a base
# made offline by deploy/make-base-image.sh when there is none), checks the image (a
# non-root user, every shared library resolved, no compiler), then runs the broker, the
# store and a worker from it as three containers, each with its own volume, talking tcp
# with CURVE over the host's loopback as separate machines would. Submits articles
# written for this test from a fourth container, and checks /healthz and /readyz of each
# daemon, that the articles are stored once each with their claims and exported, a JSON
# log line from each daemon, that each stops cleanly on SIGTERM, and that the store's
# volume keeps the database.
#
# The CLI does not read CROSSCLAIM_DATA (only the daemons do), so its commands get --data.
#
# Slow (an image build), so it runs only with CC_CONTAINER_TEST=1 (make container-test),
# and skips (exit 77) with the reason otherwise, and where podman or a base is missing.
# Podman goes through deploy/podman.sh (work-arounds for hosts with hybrid cgroups or
# without CAP_SYS_RESOURCE). CC_CONTAINER_BASE names another base image;
# CC_CONTAINER_NO_CACHE=1 builds without podman's layer cache.
set -u
skip() { echo "SKIPPED: $*"; exit 77; }
[ "${CC_CONTAINER_TEST:-}" = 1 ] ||
    skip "the container test builds an image (minutes): run it with CC_CONTAINER_TEST=1 (make container-test)"
command -v podman >/dev/null || skip "podman missing (sh deploy/install-deps.sh --container)"
command -v curl >/dev/null || skip "curl missing"
command -v python3 >/dev/null || skip "python3 missing"
src=${CC_SOURCE_DIR:?run through ctest, or set CC_SOURCE_DIR}
pod() { sh "$src/deploy/podman.sh" "$@"; }
podman info >/dev/null 2>&1 || skip "podman does not work here: $(podman info 2>&1 | tail -1)"

base=${CC_CONTAINER_BASE:-crossclaim-base:bookworm}
tag=localhost/crossclaim-test:$$
id=$$
tmp=$(mktemp -d /tmp/cc-container-XXXXXX)
fail=0
ok() { echo "  ok   $*"; }
bad() { echo "  FAIL $*"; fail=1; }
cleanup() {
    for c in cc-b-$id cc-s-$id cc-w-$id; do podman rm -f -t 0 "$c" >/dev/null 2>&1; done
    podman volume rm -f cc-bv-$id cc-sv-$id >/dev/null 2>&1
    podman rmi -f "$tag" >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---------------------------------------------------------------- the image
if ! podman image exists "$base"; then
    command -v mmdebstrap >/dev/null ||
        skip "no base image $base, and no mmdebstrap to make one (sh deploy/install-deps.sh --container)"
    echo "no $base: making it with deploy/make-base-image.sh"
    t0=$(date +%s)
    sh "$src/deploy/make-base-image.sh" "$base" || { echo "FAIL: the base image"; exit 1; }
    echo "base image made in $(( $(date +%s) - t0 )) s"
fi
nocache=""
[ "${CC_CONTAINER_NO_CACHE:-0}" = 1 ] && nocache=--no-cache
t0=$(date +%s)
if ! pod build $nocache --build-arg BASE="$base" -f "$src/deploy/Dockerfile" -t "$tag" "$src" \
        >"$tmp/build.log" 2>&1; then
    tail -40 "$tmp/build.log"
    echo "FAIL: podman build"
    exit 1
fi
echo "image built in $(( $(date +%s) - t0 )) s${nocache:+ (no cache)}; the build's last lines:"
tail -4 "$tmp/build.log" | sed 's/^/    /'
size=$(podman image inspect --format '{{.Size}}' "$tag")
bsize=$(podman image inspect --format '{{.Size}}' "$base")
echo "image $tag: $size bytes ($(( size / 1000000 )) MB; base $(( bsize / 1000000 )) MB)"

uid=$(pod run --rm --network none "$tag" id -u)
[ "$uid" = 10001 ] && ok "runs as uid $uid, not root" || bad "the image's user is uid '$uid', not 10001"
missing=$(pod run --rm --network none "$tag" sh -c \
    'for b in /usr/bin/crossclaim /usr/bin/crossclaim-broker /usr/bin/crossclaim-store /usr/bin/crossclaim-worker; do ldd "$b" | grep "not found"; done')
[ -z "$missing" ] && ok "every shared library of the four programs is there" || bad "libraries missing: $missing"
extra=$(pod run --rm --network none "$tag" sh -c \
    'for f in /usr/bin/cc /usr/bin/gcc /usr/bin/cmake /usr/include/zmq.h /usr/bin/curl; do [ -e "$f" ] && echo "$f"; done; true')
[ -z "$extra" ] && ok "no compiler, headers or curl in the runtime image" || bad "build-only files in the image: $extra"
v=$(pod run --rm --network none "$tag" crossclaim-store --version)
[ -n "$v" ] && ok "crossclaim-store --version: $v" || bad "no --version"

# ---------------------------------------------------------------- keys, articles, ports
# Keys made in the image, as uid 10001 (the daemons refuse a secret key others can read).
install -d -m 700 -o 10001 -g 10001 "$tmp/keys"
pod run --rm --network none -v "$tmp/keys:/keys" "$tag" sh -c \
    'for n in broker store worker ops; do crossclaim keygen --out /keys $n >/dev/null || exit 1; done' ||
    { echo "FAIL: crossclaim keygen in the image"; exit 1; }
install -d -m 700 -o 10001 -g 10001 "$tmp/keys/broker-allow" "$tmp/keys/store-allow"
for n in store worker ops; do install -m 600 -o 10001 -g 10001 "$tmp/keys/$n.key" "$tmp/keys/broker-allow/"; done
install -m 600 -o 10001 -g 10001 "$tmp/keys/ops.key" "$tmp/keys/store-allow/"

# Articles written for this test (each: the title, a blank line, the text), with quotes
# and numbers for the extractor to find.
mkdir -m 755 "$tmp/articles"
cat >"$tmp/articles/lakeside-post.txt" <<'EOF'
Bridge over the Wenn river to close for 18 months

The old Wenn bridge will close on Monday for repairs expected to cost 42 million euros, the regional transport office said on Tuesday.

"The steel is tired and we cannot wait another winter," chief engineer Hanna Voss told reporters. About 9,000 cars cross the bridge every day.
EOF
cat >"$tmp/articles/river-courier.txt" <<'EOF'
Wenn bridge shuts as repair bill reaches 45 million euros

Drivers face long detours after officials confirmed that the Wenn bridge will shut for a year and a half.

Hanna Voss, the chief engineer, said the repairs would cost 45 million euros. "Nobody wants this, but safety comes first," she said. Local shops fear losing 30 percent of their trade.
EOF
cat >"$tmp/articles/metro-daily.txt" <<'EOF'
Ferry service doubled while the Wenn bridge is closed

The city will run 24 ferry crossings a day instead of 12 during the bridge works, mayor Tomas Reiter announced.

"We will keep the town moving," Reiter said at a press conference on Wednesday, adding that tickets would stay at 2 euros.
EOF
cat >"$tmp/articles/valley-news.txt" <<'EOF'
Schools adjust timetables for bridge closure

Three schools near the Wenn river will start 20 minutes later from next week, the education board said.

"Children should not pay for the traffic," board member Ines Calder said. Around 1,200 pupils live on the far bank.
EOF
cat >"$tmp/articles/north-star.txt" <<'EOF'
Engineers found cracks in 14 of the bridge's girders

An inspection in the spring found cracks in 14 girders of the Wenn bridge, according to a report seen by this newspaper.

The report says the cracks grew by 3 millimetres in a year. "It was the only responsible decision," Hanna Voss said of the closure.
EOF
chmod 644 "$tmp"/articles/*.txt
n_articles=$(ls "$tmp"/articles/*.txt | wc -l)

# Six free ports on 127.0.0.1 (the kernel picks them).
set -- $(python3 -c '
import socket
ss = [socket.socket() for _ in range(6)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
fe=$1 be=$2 mb=$3 ms=$4 mw=$5

# ---------------------------------------------------------------- the three daemons
daemon() { # NAME VOLUME|- COMMAND...
    name=$1 vol=$2; shift 2
    v=""; [ "$vol" = - ] || v="-v $vol:/var/lib/crossclaim"
    # shellcheck disable=SC2086
    pod run -d --name "$name" --network host $v -v "$tmp/keys:/keys:ro" "$tag" "$@" >/dev/null ||
        { echo "FAIL: podman run $name"; exit 1; }
}
podman volume create cc-bv-$id >/dev/null && podman volume create cc-sv-$id >/dev/null
daemon cc-b-$id cc-bv-$id crossclaim-broker --frontend tcp://127.0.0.1:$fe --backend tcp://127.0.0.1:$be \
    --curve-key /keys/broker.key_secret --curve-allow /keys/broker-allow --metrics-port $mb
daemon cc-s-$id cc-sv-$id crossclaim-store --broker tcp://127.0.0.1:$be \
    --curve-key /keys/store.key_secret --curve-server /keys/broker.key --curve-allow /keys/store-allow \
    --metrics-port $ms
daemon cc-w-$id - crossclaim-worker --broker tcp://127.0.0.1:$be --name ctr-worker \
    --curve-key /keys/worker.key_secret --curve-server /keys/broker.key --metrics-port $mw

# Polls until the condition holds or the deadline passes: wait_until SECONDS COMMAND...
wait_until() {
    end=$(( $(date +%s) + $1 )); shift
    until "$@"; do
        [ "$(date +%s)" -lt "$end" ] || return 1
        sleep 0.2
    done
}
http_is() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$2")" = "$3" ]; }
for d in "broker $mb cc-b-$id" "store $ms cc-s-$id" "worker $mw cc-w-$id"; do
    set -- $d
    if wait_until 60 http_is "$2" /readyz 200; then
        ok "$1: /readyz $(curl -s "http://127.0.0.1:$2/readyz"), /healthz $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/healthz")"
    else
        bad "$1 not ready in 60 s: /readyz $(curl -s "http://127.0.0.1:$2/readyz" 2>&1)"
        podman logs "$3" 2>&1 | tail -5 | sed 's/^/       /'
    fi
done

# ---------------------------------------------------------------- ingest and export
if pod run --rm --network host -v "$tmp/keys:/keys:ro" -v "$tmp/articles:/articles:ro" "$tag" \
        crossclaim submit --broker tcp://127.0.0.1:$fe --curve-key /keys/ops.key_secret \
        --curve-server /keys/broker.key --timeout 60 /articles >"$tmp/submit.log" 2>&1; then
    ok "crossclaim submit from a fourth container, over tcp+CURVE: acknowledged"
else
    bad "crossclaim submit failed:"; tail -5 "$tmp/submit.log" | sed 's/^/       /'
fi
stored() { [ "$(podman exec cc-s-$id crossclaim export --data /var/lib/crossclaim --type article 2>/dev/null | wc -l)" -ge "$n_articles" ]; }
t0=$(date +%s)
wait_until 120 stored || bad "fewer than $n_articles articles stored after 120 s"
podman exec cc-s-$id crossclaim export --data /var/lib/crossclaim >"$tmp/export.jsonl" 2>"$tmp/export.err" ||
    bad "crossclaim export in the store's container failed: $(cat "$tmp/export.err")"
if python3 - "$tmp/export.jsonl" "$tmp/articles" <<'EOF'
import collections, json, os, sys
records = [json.loads(l) for l in open(sys.argv[1])]
arts = [r for r in records if r["type"] == "article"]
want = {}
for f in os.listdir(sys.argv[2]):
    want[f[:-4]] = open(os.path.join(sys.argv[2], f)).readline().strip()
got = collections.Counter((a["outlet"], a["title"]) for a in arts)
errors = []
for outlet, title in want.items():
    if got[(outlet, title)] != 1:
        errors.append(f"{outlet}: {got[(outlet, title)]} articles titled {title!r}")
if len(arts) != len(want):
    errors.append(f"{len(arts)} articles exported, {len(want)} submitted")
types = collections.Counter(r["type"] for r in records)
for t in ("attribution", "quantity", "entity"):
    if types[t] == 0:
        errors.append(f"no {t} records exported")
for a in arts:
    n = sum(1 for r in records if r["type"] == "quantity" and r["article"] == a["id"])
    if n != a["quantities"]:
        errors.append(f"{a['outlet']}: {n} quantity records, the article says {a['quantities']}")
print("     export:", ", ".join(f"{types[t]} {t}" for t in sorted(types)))
for e in errors:
    print("     " + e)
sys.exit(1 if errors else 0)
EOF
then ok "$n_articles articles stored once each with their claims, exported ($(( $(date +%s) - t0 )) s after the submit)"
else bad "the export does not match what was submitted"; fi
# The worker renders its page on each heartbeat, so the count may trail the store a little.
worker_jobs() { curl -s "http://127.0.0.1:$mw/metrics" | awk '$1 == "crossclaim_worker_jobs_total" { print $2 }'; }
jobs_done() { jobs=$(worker_jobs); [ "${jobs%.*}" -ge "$n_articles" ] 2>/dev/null; }
wait_until 10 jobs_done && ok "the worker's /metrics: crossclaim_worker_jobs_total $jobs" ||
    bad "the worker's crossclaim_worker_jobs_total is '$jobs', want >= $n_articles"

# ---------------------------------------------------------------- logs, stop, volume
for d in "crossclaim-broker cc-b-$id" "crossclaim-store cc-s-$id" "crossclaim-worker cc-w-$id"; do
    set -- $d
    line=$(podman logs "$2" 2>&1 | head -1)
    if printf '%s' "$line" | python3 -c 'import json,sys; r=json.load(sys.stdin); sys.exit(r["program"] != sys.argv[1] or not r["time"] or not r["level"])' "$1" 2>/dev/null; then
        ok "a JSON log line: $(printf '%s' "$line" | cut -c1-160)"
    else
        bad "$1's first log line is not the JSON expected: $line"
    fi
done
for c in cc-w-$id cc-s-$id cc-b-$id; do
    t0=$(date +%s)
    podman stop -t 20 "$c" >/dev/null 2>&1
    rc=$(podman inspect --format '{{.State.ExitCode}}' "$c")
    [ "$rc" = 0 ] && ok "$c stopped on SIGTERM in $(( $(date +%s) - t0 )) s, exit 0" || bad "$c exit status $rc after podman stop"
done
n=$(pod run --rm --network none -v cc-sv-$id:/var/lib/crossclaim "$tag" crossclaim export --data /var/lib/crossclaim --type article | wc -l)
[ "$n" = "$n_articles" ] && ok "the store's volume keeps the database: $n articles read by a new container" ||
    bad "a new container reads $n articles from the store's volume, want $n_articles"

[ $fail = 0 ] && echo "container test: passed" || {
    echo "container test: FAILED; the daemons' last log lines:"
    for c in cc-b-$id cc-s-$id cc-w-$id; do podman logs "$c" 2>&1 | tail -3 | sed "s/^/  $c: /"; done
}
exit $fail
