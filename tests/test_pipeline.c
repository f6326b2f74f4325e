/*  Integration tests: the real crossclaim binaries (broker, store, workers as separate
    processes over ipc ZeroMQ sockets, LMDB files in a temp dir), driven by `crossclaim run`
    as a user would, and checked through `crossclaim export`. */
#include "pipeline_util.h"

#include <sys/stat.h>

static void s_write(const char *dir, const char *name, const void *data, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void s_count_sources(void *arg, const char *type, const char *line, size_t len)
{
    int *dups = arg;
    static char seen[64][512];
    static int n;
    if (strcmp(type, "article") != 0)
        return;
    static const char *const keys[] = {"source"};
    char *v[1];
    size_t l[1];
    const char *err;
    cr_assert_eq(jsonl_fields(line, len, keys, 1, v, l, &err), 0);
    for (int i = 0; i < n; i++)
        if (!strcmp(seen[i], v[0]))
            (*dups)++;
    if (n < 64)
        snprintf(seen[n++], sizeof seen[0], "%s", v[0]);
    free(v[0]);
}

Test(pipeline, samples_end_to_end_and_idempotent_rerun, .timeout = 120)
{
    char *d = pu_tmpdir();
    const char *src = getenv("CC_SOURCE_DIR");
    cr_assert_not_null(src);
    cr_assert_eq(pu_sh("%s/crossclaim run --workers 2 --data %s/data %s/samples > %s/report.txt",
                       pu_bin(), d, src, d), 0, "crossclaim run failed");
    /* The report's CONFLICTS section must list the planted conflict itself (14 killed in
       harbor-gazette against twelve in coastal-times), not just a count line: "0 conflicts"
       holds the word too. */
    cr_assert_eq(pu_sh("awk '/^CONFLICTS \\(/{on=1} /^CORROBORATIONS \\(/{on=0} on' %s/report.txt "
                       "> %s/conflicts.txt", d, d), 0);
    cr_assert_eq(pu_sh("grep -Eq '^CONFLICTS \\([1-9][0-9]*\\)$' %s/conflicts.txt && "
                       "grep -Eq '^ +14 .*harbor-gazette\\.txt' %s/conflicts.txt && "
                       "grep -Eq '^ +12 .*coastal-times\\.txt' %s/conflicts.txt", d, d, d), 0,
                 "the report's CONFLICTS section does not list 14 (harbor-gazette) against 12 "
                 "(coastal-times): see %s/report.txt", d);
    cr_assert_eq(pu_sh("%s/crossclaim export --data %s/data > %s/export1.jsonl", pu_bin(), d, d), 0);
    pu_counts_t c;
    int dups = 0;
    pu_read_export(strcat(strcpy((char[1024]){0}, d), "/export1.jsonl"), &c, s_count_sources, &dups);
    cr_assert_eq(c.articles, 4, "4 sample articles, got %d", c.articles);
    cr_assert_eq(dups, 0, "an article appears twice");
    cr_assert_gt(c.attributions, 4, "attributions: %d", c.attributions);
    cr_assert_gt(c.quantities, 4, "quantities: %d", c.quantities);
    cr_assert_gt(c.entities, 3, "entities: %d", c.entities);
    cr_assert_geq(c.conflicts, 1, "the planted conflict (14 vs twelve dead) is missing");
    cr_assert_geq(c.corroborated, 1, "no corroboration found");

    /* The same articles again: nothing new, nothing counted twice. */
    cr_assert_eq(pu_sh("%s/crossclaim run --workers 1 --data %s/data %s/samples > %s/report2.txt",
                       pu_bin(), d, src, d), 0);
    cr_assert_eq(pu_sh("grep -q '4 articles read, 0 new, 4 already known' %s/report2.txt", d), 0,
                 "rerun was not a no-op");
    cr_assert_eq(pu_sh("%s/crossclaim export --data %s/data > %s/export2.jsonl", pu_bin(), d, d), 0);
    cr_assert_eq(pu_sh("cmp -s %s/export1.jsonl %s/export2.jsonl", d, d), 0, "export changed on rerun");
    pu_sh("rm -rf %s", d);
    free(d);
}

Test(pipeline, bad_inputs_get_clear_errors_and_do_not_stop_the_batch, .timeout = 120)
{
    char *d = pu_tmpdir();
    char in[512];
    snprintf(in, sizeof in, "%s/in", d);
    cr_assert_eq(mkdir(in, 0700), 0);
    const char good[] = "Council approves budget\nThe city council approved a budget of 4 million "
                        "euros on Monday, the mayor said.\n";
    s_write(in, "good.txt", good, sizeof good - 1);
    s_write(in, "empty.txt", "", 0);
    s_write(in, "binary.txt", "Title\nabc\0def\n", 14);
    const char latin1[] = "Prices rise\nA loaf now costs \xa3" "2, the baker said on Friday.\n";
    s_write(in, "latin1.txt", latin1, sizeof latin1 - 1);
    const char jl[] = "{\"title\":\"One\",\"maintext\":\"Officials said 30 homes were flooded.\","
                      "\"url\":\"https://example.org/one\",\"date_publish\":\"2021-03-04 08:00:00\"}\n"
                      "{\"title\": broken\n"
                      "{\"title\":\"No text\"}\n";
    s_write(in, "feed.jsonl", jl, sizeof jl - 1);

    int rc = pu_sh("%s/crossclaim run --workers 1 --data %s/data %s > %s/out.txt 2> %s/err.txt",
                   pu_bin(), d, in, d, d);
    cr_assert_eq(rc, 3, "exit status 3 means some inputs were rejected; got %d", rc);
    cr_assert_eq(pu_sh("grep -q 'empty.txt: empty article' %s/err.txt", d), 0);
    cr_assert_eq(pu_sh("grep -q 'binary.txt: .*NUL' %s/err.txt", d), 0);
    cr_assert_eq(pu_sh("grep -q 'feed.jsonl:2: ' %s/err.txt", d), 0, "bad JSON line not named");
    cr_assert_eq(pu_sh("grep -q 'feed.jsonl:3: .*maintext' %s/err.txt", d), 0);
    cr_assert_eq(pu_sh("%s/crossclaim export --data %s/data > %s/export.jsonl", pu_bin(), d, d), 0);
    pu_counts_t c;
    char path[600];
    snprintf(path, sizeof path, "%s/export.jsonl", d);
    pu_read_export(path, &c, NULL, NULL);
    cr_assert_eq(c.articles, 3, "good.txt, latin1.txt and one JSONL record: got %d", c.articles);
    cr_assert_eq(pu_sh("grep '\"type\":\"article\"' %s/export.jsonl | grep latin1.txt | "
                       "grep -q 'windows-1252'", d), 0, "the Latin-1 article is not marked");
    cr_assert_eq(pu_sh("grep '\"source\":\"https://example.org/one\"' %s/export.jsonl | "
                       "grep -q '\"published\":\"2021-03-04\"'", d), 0, "JSONL date_publish lost");
    pu_sh("rm -rf %s", d);
    free(d);
}

static void s_bbc_check(void *arg, const char *type, const char *line, size_t len)
{
    int *latin1 = arg;
    if (!strcmp(type, "article") && strstr(line, "sport/199.txt")) {
        cr_assert(strstr(line, "windows-1252"), "sport/199.txt not decoded as Windows-1252: %.300s", line);
        cr_assert(strstr(line, "Windows-1252"), "sport/199.txt has no warning: %.300s", line);
        (*latin1)++;
    }
}

Test(pipeline, bbc_corpus_each_article_exactly_once, .timeout = 900)
{
    char bbc[1024];
    snprintf(bbc, sizeof bbc, "%s/corpus/bbc", pu_shared());
    struct stat st;
    if (stat(bbc, &st) != 0)
        cr_skip_test("%s is not there: the BBC corpus test is skipped", bbc);
    char *d = pu_tmpdir();
    int rc = pu_sh("%s/crossclaim run --workers 2 --no-report --data %s/data %s > %s/out.txt",
                   pu_bin(), d, bbc, d);
    cr_assert_eq(rc, 0, "crossclaim run on bbc exited %d", rc);
    cr_assert_eq(pu_sh("%s/crossclaim export --data %s/data > %s/export.jsonl", pu_bin(), d, d), 0);
    /* Files with byte-identical contents are one article (the job id is a hash of the
       bytes): the export must hold exactly the distinct contents, each once. */
    cr_assert_eq(pu_sh("cd %s && find . -name '*.txt' ! -name README.TXT -exec md5sum {} + | "
                       "awk '{print $1}' | sort -u | wc -l > %s/distinct.txt", bbc, d), 0);
    cr_assert_eq(pu_sh("find %s -name '*.txt' ! -name README.TXT | wc -l > %s/files.txt", bbc, d), 0);
    char path[600];
    snprintf(path, sizeof path, "%s/distinct.txt", d);
    FILE *f = fopen(path, "r");
    int distinct = 0;
    cr_assert_eq(fscanf(f, "%d", &distinct), 1);
    fclose(f);
    pu_counts_t c;
    int latin1 = 0;
    snprintf(path, sizeof path, "%s/export.jsonl", d);
    pu_read_export(path, &c, s_bbc_check, &latin1);
    cr_assert_eq(c.articles, distinct, "export holds %d articles, corpus has %d distinct", c.articles, distinct);
    cr_assert_eq(pu_sh("grep '\"type\":\"article\"' %s/export.jsonl | grep -o '\"id\":\"[0-9a-f]*\"' | "
                       "sort | uniq -d | wc -l | grep -qx 0", d), 0, "an article id appears twice");
    cr_assert_eq(latin1, 1, "the Latin-1 article sport/199.txt is missing");
    cr_assert_eq(pu_sh("grep -q '%d articles read, %d new, %d already known, 0 rejected, 0 dead' %s/out.txt",
                       2225, distinct, 2225 - distinct, d), 0, "summary: see %s/out.txt", d);
    fprintf(stderr, "bbc: %d articles, %d attributions, %d quantities, %d entities, %d xrefs "
                    "(%d conflicts, %d corroborated)\n", c.articles, c.attributions, c.quantities,
            c.entities, c.xrefs, c.conflicts, c.corroborated);
    pu_sh("rm -rf %s", d);
    free(d);
}
