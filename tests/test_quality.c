/*  Quality guards, measured with the outside scorers in ../shared/eval on the shared
    corpora (skipped, saying so, when they are not there):
    - the seeds through the real pipeline must score 10 of 10 cross-references;
    - PolNeAR dev attributions must not fall below today's measured floor: detect F1 0.75
      and strict F1 0.59, just under the 0.752 and 0.599 measured when they were set;
    - ECB+ dev stories and cross-references must not fall below their floors: B-cubed F1
      0.80 (0.817 measured), and 45 of ecb-dev.gold.json's 132 items (48 measured). These
      are floors against regressions, not the goals (0.90 and 80%) that are not met yet. */
#include "pipeline_util.h"

#include <sys/stat.h>

static bool s_have(const char *rel, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", pu_shared(), rel);
    struct stat st;
    return stat(out, &st) == 0;
}

Test(quality, seeds_cross_references_score_10_of_10, .timeout = 120)
{
    char seeds[1024], gold[1024];
    if (!s_have("corpus/seeds", seeds, sizeof seeds) || !s_have("eval/seeds.gold.json", gold, sizeof gold))
        cr_skip_test("../shared/corpus/seeds or eval/seeds.gold.json is not there: skipped");
    char *d = pu_tmpdir();
    cr_assert_eq(pu_sh("%s/crossclaim run --no-report --workers 2 --data %s/data %s > /dev/null",
                       pu_bin(), d, seeds), 0);
    cr_assert_eq(pu_sh("%s/crossclaim export --data %s/data > %s/seeds.jsonl", pu_bin(), d, d), 0);
    cr_assert_eq(pu_sh("python3 %s/eval/score_xref.py %s/seeds.jsonl %s > %s/score.txt",
                       pu_shared(), d, gold, d), 0);
    pu_sh("cat %s/score.txt >&2", d);
    cr_assert_eq(pu_sh("grep -qx 'xref score: 10 of 10' %s/score.txt", d), 0, "see the score above");
    pu_sh("rm -rf %s", d);
    free(d);
}

Test(quality, polnear_dev_attributions_hold_their_floor, .timeout = 300)
{
    char dev[1024];
    if (!s_have("corpus/polnear/dev", dev, sizeof dev))
        cr_skip_test("../shared/corpus/polnear/dev is not there: skipped");
    char *d = pu_tmpdir();
    cr_assert_eq(pu_sh("%s/crossclaim run --no-report --workers 2 --data %s/data %s/text > /dev/null",
                       pu_bin(), d, dev), 0);
    cr_assert_eq(pu_sh("%s/crossclaim export --data %s/data > %s/dev.jsonl", pu_bin(), d, d), 0);
    cr_assert_eq(pu_sh("python3 %s/eval/score_attributions.py %s/dev.jsonl %s > %s/score.txt",
                       pu_shared(), d, dev, d), 0);
    pu_sh("cat %s/score.txt >&2", d);
    char path[600];
    snprintf(path, sizeof path, "%s/score.txt", d);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    char line[256];
    double detect = -1, strict = -1, p, r;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "detect: P=%lf R=%lf F1=%lf", &p, &r, &detect) == 3)
            continue;
        sscanf(line, "strict: P=%lf R=%lf F1=%lf", &p, &r, &strict);
    }
    fclose(f);
    cr_assert_geq(detect, 0.75, "detect F1 %.3f fell below 0.75", detect);
    cr_assert_geq(strict, 0.59, "strict F1 %.3f fell below 0.59", strict);
    pu_sh("rm -rf %s", d);
    free(d);
}

/* A "NAME: ... X" number from the scorer's output at path, after `label`. */
static double s_score(const char *path, const char *fmt)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    char line[512];
    double v = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, fmt, &v) == 1)
            break;
    fclose(f);
    return v;
}

Test(quality, ecbplus_dev_stories_and_xrefs_hold_their_floor, .timeout = 300)
{
    char dev[1024], stories[1024], gold[1024];
    if (!s_have("corpus/ecbplus/dev", dev, sizeof dev) ||
        !s_have("corpus/ecbplus/dev/stories.tsv", stories, sizeof stories) ||
        !s_have("eval/ecb-dev.gold.json", gold, sizeof gold))
        cr_skip_test("../shared/corpus/ecbplus/dev or eval/ecb-dev.gold.json is not there: skipped");
    char *d = pu_tmpdir();
    cr_assert_eq(pu_sh("%s/crossclaim run --no-report --workers 2 --data %s/data %s > /dev/null",
                       pu_bin(), d, dev), 0);
    cr_assert_eq(pu_sh("%s/crossclaim export --data %s/data > %s/dev.jsonl", pu_bin(), d, d), 0);
    cr_assert_eq(pu_sh("python3 %s/eval/score_stories.py %s/dev.jsonl %s > %s/stories.txt",
                       pu_shared(), d, stories, d), 0);
    cr_assert_eq(pu_sh("python3 %s/eval/score_xref.py %s/dev.jsonl %s > %s/xref.txt",
                       pu_shared(), d, gold, d), 0);
    pu_sh("cat %s/stories.txt >&2; tail -1 %s/xref.txt >&2", d, d);
    char path[600];
    snprintf(path, sizeof path, "%s/stories.txt", d);
    double b3 = s_score(path, "stories: B3 F1=%lf");
    snprintf(path, sizeof path, "%s/xref.txt", d);
    double items = s_score(path, "xref score: %lf of");
    cr_assert_geq(b3, 0.80, "stories B-cubed F1 %.3f fell below 0.80", b3);
    cr_assert_geq(items, 45, "ecb-dev cross-references %.0f of 132 fell below 45", items);
    pu_sh("rm -rf %s", d);
    free(d);
}
