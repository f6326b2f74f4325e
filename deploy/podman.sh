#!/bin/sh
# podman, with the two work-arounds a restricted host needs; elsewhere plain podman.
#
#   sh deploy/podman.sh build -f deploy/Dockerfile -t crossclaim:0.1.0 .
#   sh deploy/podman.sh run -d --network host crossclaim:0.1.0 crossclaim-broker ...
#
# 1. Hybrid cgroups: cgroup v1 controllers plus a cgroup2 mount that holds controllers
#    too (/sys/fs/cgroup/unified). crun refuses it ("cgroups in hybrid mode not supported,
#    drop all controllers from cgroupv2"), even with --cgroups=disabled; runc accepts it
#    but puts each container in a new cgroup outside the caller's. So podman runs in a
#    private mount namespace where the cgroup2 mount is gone (the host keeps it), `run`
#    and `create` get --cgroups=disabled (the container stays in the caller's cgroups)
#    and `build` gets --isolation chroot (RUN steps are plain child processes).
# 2. No CAP_SYS_RESOURCE (even as root): podman asks for RLIMIT_NOFILE and RLIMIT_NPROC
#    of 1048576 and the runtime fails with "setrlimit `RLIMIT_NOFILE`: Operation not
#    permitted"; podman itself runs with RLIMIT_NPROC 32768. `run` and `create` get
#    explicit limits the daemons are far from needing (CC_PODMAN_NOFILE, default 16384,
#    but never above this shell's hard limit; CC_PODMAN_NPROC, default 4096).
# Set CC_PODMAN_VERBOSE=1 to see the options added. Containers started through it can be
# handled by plain podman too (ps, logs, exec, stop, rm).
set -eu

hybrid=0
if [ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" = tmpfs ] &&
   [ -n "$(cat /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
    hybrid=1
fi
if [ "$hybrid" = 1 ] && [ -z "${CC_PODMAN_NS:-}" ]; then
    command -v unshare >/dev/null || { echo "podman.sh: hybrid cgroups and no unshare(1)" >&2; exit 125; }
    export CC_PODMAN_NS=1
    exec unshare -m --propagation private sh -c \
        'umount /sys/fs/cgroup/unified || exit 125; exec sh "$0" "$@"' "$0" "$@"
fi
# In the private namespace the cgroup2 mount is gone; the host's cgroups say hybrid still.
[ -n "${CC_PODMAN_NS:-}" ] && hybrid=1

caps=$(awk '/^CapEff:/ { print $2 }' /proc/self/status)
no_sys_resource=0
# CAP_SYS_RESOURCE is bit 24.
[ $(( 0x$caps >> 24 & 1 )) = 1 ] || no_sys_resource=1

cmd=${1:-}
[ $# -gt 0 ] && shift
extra=""
case "$cmd" in
    run|create)
        [ "$hybrid" = 1 ] && extra="--cgroups=disabled"
        if [ "$no_sys_resource" = 1 ]; then
            nofile=${CC_PODMAN_NOFILE:-16384}
            hard=$(ulimit -Hn)
            [ "$hard" != unlimited ] && [ "$hard" -lt "$nofile" ] && nofile=$hard
            extra="$extra --ulimit nofile=$nofile:$nofile --ulimit nproc=${CC_PODMAN_NPROC:-4096}:${CC_PODMAN_NPROC:-4096}"
        fi ;;
    build)
        [ "$hybrid" = 1 ] && extra="--isolation chroot" ;;
esac
[ "${CC_PODMAN_VERBOSE:-0}" = 1 ] && [ -n "$extra" ] && echo "podman.sh: podman $cmd $extra ..." >&2
# shellcheck disable=SC2086
exec podman ${cmd:+"$cmd"} $extra "$@"
