#!/bin/sh
# The reports ASan, LSan and UBSan wrote under CC_SANITIZE (log_path in the tests'
# environment, so spawned daemons' reports land here too, not on a stderr nobody reads).
#   sanitizer_reports.sh reset DIR   empties DIR before the run
#   sanitizer_reports.sh check DIR   prints every report and fails when there is one
set -eu
mode=$1
dir=$2
case $mode in
    reset)
        rm -rf "$dir"
        mkdir -p "$dir"
        ;;
    check)
        n=0
        for f in "$dir"/*; do
            [ -e "$f" ] || continue
            n=$((n + 1))
            echo "==== $f"
            head -n 80 "$f"
        done
        if [ "$n" -gt 0 ]; then
            echo "FAIL: $n sanitizer report(s) in $dir"
            exit 1
        fi
        echo "sanitizers: no report from any process"
        ;;
    *)
        echo "usage: $0 reset|check DIR" >&2
        exit 2
        ;;
esac
