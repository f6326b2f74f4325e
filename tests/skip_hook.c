/*  skip_hook: linked into every Criterion test. A test binary whose tests were all
    skipped (cr_skip_test: a corpus or a tool is not there) exits 77, ctest's
    SKIP_RETURN_CODE, so ctest reports it as skipped instead of passed. A binary where
    some tests ran keeps Criterion's own status, and its output names the skipped ones. */
#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <stdio.h>
#include <stdlib.h>

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
    if (stats->nb_tests > 0 && stats->tests_skipped == stats->nb_tests) {
        fprintf(stderr, "all %zu tests skipped: exit 77 so ctest says Skipped\n", stats->nb_tests);
        fflush(NULL);
        _Exit(77);
    }
}
