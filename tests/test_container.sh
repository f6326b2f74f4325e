#!/bin/sh
# Builds the image from deploy/Dockerfile with podman and runs the broker, the store and
# a worker from it on one machine (host network, ipc in a shared volume), then checks each
# /readyz. Slow (a full build inside the image), so it runs only with CC_CONTAINER_TEST=1
# (make container-test); it skips with the reason otherwise and where podman is missing.
# Without network access to a registry the base image is made offline with mmdebstrap
# from the machine's Debian mirror.
set -u
[ "${CC_CONTAINER_TEST:-}" = 1 ] || { echo "SKIP: the container build is slow: run it with CC_CONTAINER_TEST=1 (make container-test)"; exit 77; }
command -v podman >/dev/null || { echo "SKIP: podman missing (apt-get install podman)"; exit 77; }
src=${CC_SOURCE_DIR:?}
tag=crossclaim-test:$$
base=debian:bookworm-slim
tmp=$(mktemp -d /tmp/cc-container-XXXXXX)
cleanup() { podman rm -f cc-b-$$ cc-s-$$ cc-w-$$ >/dev/null 2>&1; podman volume rm -f cc-v-$$ >/dev/null 2>&1; podman rmi -f "$tag" >/dev/null 2>&1; rm -rf "$tmp"; }
trap cleanup EXIT
if ! podman image exists "$base" && ! podman pull -q "$base" >/dev/null 2>&1; then
    command -v mmdebstrap >/dev/null || { echo "SKIP: no $base image, no registry and no mmdebstrap to make one"; exit 77; }
    echo "making $base offline with mmdebstrap"
    mmdebstrap --variant=apt --quiet bookworm "$tmp/base.tar" || exit 1
    podman import -q "$tmp/base.tar" "$base" >/dev/null || exit 1
fi
t0=$(date +%s)
podman build -q -f "$src/deploy/Dockerfile" -t "$tag" "$src" >"$tmp/build.log" 2>&1 || { tail -40 "$tmp/build.log"; exit 1; }
echo "image built in $(( $(date +%s) - t0 )) s: $(podman image inspect --format '{{.Size}}' "$tag") bytes"
podman volume create cc-v-$$ >/dev/null
run() { name=$1; shift; podman run -d --name "$name" --network host -v cc-v-$$:/var/lib/crossclaim "$tag" "$@" >/dev/null; }
p=$(( 30000 + $$ % 20000 ))
run cc-b-$$ crossclaim-broker --metrics-port $p
sleep 1
run cc-s-$$ crossclaim-store --metrics-port $((p + 1))
run cc-w-$$ crossclaim-worker --broker ipc:///var/lib/crossclaim/backend.ipc --metrics-port $((p + 2))
fail=0
for x in "broker $p" "store $((p + 1))" "worker $((p + 2))"; do
    set -- $x
    i=0
    while [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$2/readyz")" != 200 ] && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
    r=$(curl -s "http://127.0.0.1:$2/readyz")
    [ "$r" = ready ] && echo "  ok   $1 in the container: /readyz $r" || { echo "  FAIL $1 /readyz: $r"; fail=1; }
done
podman logs cc-b-$$ 2>&1 | head -1 | sed 's/^/  broker log: /'
exit $fail
