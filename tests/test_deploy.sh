#!/bin/sh
# Deployment artefacts, checked offline. One ctest entry per part:
#   test_deploy.sh install BUILD   cmake --install into a temporary DESTDIR; checks the tree
#   test_deploy.sh deb BUILD       cpack -G DEB; checks the package's files, conffiles,
#                                  scripts and dependencies with dpkg-deb
#   test_deploy.sh systemd BUILD   systemd-analyze verify on the installed units
#   test_deploy.sh k8s BUILD       tests/check_k8s.py on deploy/k8s, and kubectl kustomize
# Exits 77 (ctest SKIP) with the reason when a tool it needs is missing.
set -u
what=$1
build=$2
src=${CC_SOURCE_DIR:?}
tmp=$(mktemp -d /tmp/cc-deploy-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {   # check DESCRIPTION COMMAND...
    d=$1; shift
    if "$@" >/dev/null 2>&1; then echo "  ok   $d"; else echo "  FAIL $d"; fail=1; fi
}
skip() { echo "SKIP: $*"; exit 77; }

install_tree() {
    DESTDIR=$tmp/root cmake --install "$build" --prefix /usr >"$tmp/install.log" 2>&1 ||
        { cat "$tmp/install.log"; exit 1; }
}

case $what in
install)
    install_tree
    r=$tmp/root
    for p in crossclaim crossclaim-broker crossclaim-store crossclaim-worker; do
        check "usr/bin/$p is executable" test -x "$r/usr/bin/$p"
        check "usr/bin/$p --version" sh -c "'$r/usr/bin/$p' --version | grep -q '^$p [0-9]'"
        check "its --help text in usr/share/doc/crossclaim/help" test -s "$r/usr/share/doc/crossclaim/help/$p.txt"
    done
    for f in usr/share/crossclaim/crossclaim.proto etc/crossclaim/crossclaim.conf \
             usr/share/doc/crossclaim/deploy.md usr/share/doc/crossclaim/examples/crossclaim.conf \
             usr/lib/systemd/system/crossclaim-broker.service \
             usr/lib/systemd/system/crossclaim-store.service \
             usr/lib/systemd/system/crossclaim-worker@.service usr/lib/sysusers.d/crossclaim.conf; do
        check "$f" test -s "$r/$f"
    done
    check "the installed example config is accepted by the broker" sh -c \
        "'$r/usr/bin/crossclaim-broker' --config '$r/etc/crossclaim/crossclaim.conf' --data '$tmp/d' --metrics-port 70000 2>&1 | grep -q 'metrics-port wants'"
    extra=$(cd "$r" && find . -type f | grep -v -e '^./usr/bin/' -e '^./usr/share/' -e '^./etc/crossclaim/' \
        -e '^./usr/lib/systemd/system/' -e '^./usr/lib/sysusers.d/')
    check "nothing installed elsewhere${extra:+: $extra}" test -z "$extra"
    ;;
deb)
    command -v cpack >/dev/null && command -v dpkg-deb >/dev/null || skip "cpack or dpkg-deb missing"
    (cd "$build" && cpack -G DEB -B "$tmp/pkg") >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; exit 1; }
    deb=$(ls "$tmp"/pkg/crossclaim_*.deb 2>/dev/null | head -1)
    [ -n "$deb" ] || { echo "  FAIL no .deb made"; cat "$tmp/cpack.log"; exit 1; }
    echo "  package $(basename "$deb"):"
    dpkg-deb -c "$deb" | awk '{print "    " $1 " " $6}'
    dpkg-deb -f "$deb" Depends | sed 's/^/    Depends: /'
    dpkg-deb -c "$deb" | awk '{print $6}' >"$tmp/files"
    for f in ./usr/bin/crossclaim ./usr/bin/crossclaim-broker ./usr/bin/crossclaim-store \
             ./usr/bin/crossclaim-worker ./usr/lib/systemd/system/crossclaim-worker@.service \
             ./usr/lib/sysusers.d/crossclaim.conf ./etc/crossclaim/crossclaim.conf \
             ./usr/share/crossclaim/crossclaim.proto; do
        check "the package holds $f" grep -qx -- "$f" "$tmp/files"
    done
    dep=$(dpkg-deb -f "$deb" Depends)
    for lib in libzmq5 libczmq4 liblmdb0 libprotobuf-c1 libsodium23 libutf8proc2 libinih1 \
               libmicrohttpd12 iso-codes adduser; do
        check "it depends on $lib" sh -c "echo '$dep' | grep -q '$lib'"
    done
    check "version $(dpkg-deb -f "$deb" Version) is the project's" sh -c \
        "[ '$(dpkg-deb -f "$deb" Version)' = \"\$('$build/bin/crossclaim' --version | cut -d' ' -f2)\" ]"
    dpkg-deb -e "$deb" "$tmp/ctl"
    check "/etc/crossclaim/crossclaim.conf is a conffile" grep -qx /etc/crossclaim/crossclaim.conf "$tmp/ctl/conffiles"
    check "postinst makes the crossclaim user" grep -q sysusers "$tmp/ctl/postinst"
    ;;
systemd)
    command -v systemd-analyze >/dev/null || skip "systemd-analyze missing (Debian package systemd)"
    install_tree
    mkdir "$tmp/units"
    # verify wants the ExecStart binaries: point them at the temporary root's; the
    # template is checked as an instance.
    for u in "$tmp"/root/usr/lib/systemd/system/*.service; do
        n=$(basename "$u")
        [ "$n" = "crossclaim-worker@.service" ] && n=crossclaim-worker@1.service
        sed "s|/usr/bin/|$tmp/root/usr/bin/|" "$u" >"$tmp/units/$n"
    done
    out=$(systemd-analyze verify "$tmp"/units/*.service 2>&1); rc=$?
    echo "  systemd-analyze verify crossclaim-broker.service crossclaim-store.service crossclaim-worker@1.service: exit $rc"
    [ -n "$out" ] && echo "$out" | sed 's/^/    /'
    check "verify passes with nothing to say" sh -c "[ $rc -eq 0 ] && [ -z '$(echo "$out" | tr -d "'")' ]"
    for u in "$tmp"/units/*.service; do
        n=$(basename "$u")
        for k in StateDirectory= User=crossclaim EnvironmentFile= NoNewPrivileges=yes ProtectSystem=strict; do
            check "$n has $k" grep -q "^$k" "$u"
        done
        score=$(systemd-analyze security --offline=yes "$u" 2>/dev/null | sed -n 's/.*exposure level for .*: \([0-9.]*\).*/\1/p')
        [ -n "$score" ] && echo "  info $n: systemd-analyze security exposure $score (0 best, 10 worst)"
    done
    ;;
k8s)
    python3 -c 'import yaml' 2>/dev/null || skip "python3-yaml missing (deploy/install-deps.sh installs it)"
    python3 "$src/tests/check_k8s.py" "$src/deploy/k8s" "$build/bin" || fail=1
    if command -v kubectl >/dev/null; then
        check "kubectl kustomize deploy/k8s builds (kubectl's offline parse)" kubectl kustomize "$src/deploy/k8s"
    else
        echo "  note kubectl not installed: only the schema check ran"
    fi
    ;;
*)
    echo "usage: test_deploy.sh install|deb|systemd|k8s BUILD_DIR" >&2
    exit 2
    ;;
esac
exit $fail
