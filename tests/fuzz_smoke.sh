#!/bin/sh
# Builds every libFuzzer harness with clang, ASan and UBSan in its own build dir, and runs
# each for a short while (FUZZ_SECONDS, default 20). Any crash, leak or sanitizer report
# fails the test. The long runs use the same harnesses: `make fuzz FUZZ_SECONDS=600`.
set -eu
src=${CC_SOURCE_DIR:?}
out=${FUZZ_BUILD:-${CC_BIN_DIR:?}/../fuzz-build}
secs=${FUZZ_SECONDS:-20}
command -v clang >/dev/null || { echo "clang is not installed: run deploy/install-deps.sh"; exit 1; }
cmake -S "$src" -B "$out" -DCMAKE_C_COMPILER=clang -DCC_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" --target fuzzers -j 2 >/dev/null
for f in "$out"/fuzz/fuzz_*; do
    name=$(basename "$f")
    corpus="$out/corpus/$name"
    mkdir -p "$corpus"
    # Seed the text harnesses with the project's own samples.
    case $name in
        fuzz_input|fuzz_extract) cp "$src"/samples/*.txt "$corpus"/ 2>/dev/null || true ;;
    esac
    rm -f "$out/$name-"*
    echo "== $name: ${secs}s"
    log="$out/$name.log"
    rc=0
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "$f" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/$name-" "$corpus" >"$log" 2>&1 || rc=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss|#[0-9]+ *DONE)|ERROR|SUMMARY' "$log" || true
    # A finding leaves an artifact and a non-zero exit; a harness that dies before it
    # fuzzes (a bad build, a crash at start) leaves only the exit status.
    if ls "$out/$name-"* >/dev/null 2>&1; then
        echo "FAIL: $name left artifacts: $(ls "$out/$name-"*)"
        exit 1
    fi
    if [ "$rc" -ne 0 ]; then
        echo "FAIL: $name exited with status $rc; the end of its log:"
        tail -20 "$log"
        exit 1
    fi
done
echo "fuzz smoke: all harnesses clean"
