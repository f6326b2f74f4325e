/*  Tests for the article readers (cli/input, cli/jsonl): text files, JSON Lines, bad input. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "input.h"
#include "jsonl.h"

#define CHECK_OK(expr) do { const char *err_ = NULL; int rc_ = (expr); \
    cr_assert_eq(rc_, 0, "%s failed: %s", #expr, err_ ? err_ : "?"); } while (0)

Test(jsonl, picks_string_fields_and_skips_the_rest)
{
    const char *line = "{\"a\":[1,{\"x\":\"y\"}],\"title\":\"T\\u00e9st \\ud83d\\ude00\","
                       "\"n\":12,\"maintext\":\"line\\none\",\"z\":null}";
    const char *keys[] = {"title", "maintext", "n", "missing", "z"};
    char *v[5];
    size_t l[5];
    const char *err;
    cr_assert_eq(jsonl_fields(line, strlen(line), keys, 5, v, l, &err), 0);
    cr_assert_str_eq(v[0], "T\xc3\xa9st \xf0\x9f\x98\x80");
    cr_assert_str_eq(v[1], "line\none");
    cr_assert_str_eq(v[2], "12");
    cr_assert_null(v[3]);
    cr_assert_null(v[4]);
    for (int i = 0; i < 5; i++)
        free(v[i]);
}

Test(jsonl, rejects_malformed_lines_with_a_reason)
{
    const char *bad[] = {"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":\"x}", "{\"a\":1} x",
                         "{\"a\":\"\\q\"}", "{\"a\":tru}", "{\"a\":\"\x01\"}", "{\"a\":1,}"};
    const char *keys[] = {"a"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *v[1];
        size_t l[1];
        const char *err = NULL;
        cr_assert_eq(jsonl_fields(bad[i], strlen(bad[i]), keys, 1, v, l, &err), -1, "accepted: %s", bad[i]);
        cr_assert_not_null(err);
        cr_assert_null(v[0]);
    }
}

Test(jsonl, deep_nesting_is_an_error_not_a_crash)
{
    char line[4096];
    size_t n = 0;
    n += (size_t)sprintf(line, "{\"a\":");
    for (int i = 0; i < 1000; i++)
        line[n++] = '[';
    line[n] = 0;
    const char *keys[] = {"a"};
    char *v[1];
    size_t l[1];
    const char *err;
    cr_assert_eq(jsonl_fields(line, n, keys, 1, v, l, &err), -1);
    cr_assert_str_eq(err, "nested too deeply");
}

Test(input, text_article_keeps_the_whole_file_as_document)
{
    const char *doc = "A title line\r\nThe body says \"hello\", a man said.\n";
    input_article_t a;
    const char *err;
    cr_assert_eq(input_from_text((const uint8_t *)doc, strlen(doc), "dir/some-outlet.txt", &a, &err), 0);
    cr_assert_str_eq(a.pb.title, "A title line");
    cr_assert_eq(a.pb.text.len, strlen(doc));
    cr_assert_eq(memcmp(a.pb.text.data, doc, strlen(doc)), 0);
    cr_assert_eq(a.pb.body_start, strlen("A title line\r\n"));
    cr_assert_str_eq(a.pb.source, "dir/some-outlet.txt");
    cr_assert_str_eq(a.pb.outlet, "some-outlet");
    cr_assert_eq(strlen(a.pb.id), 32);
    input_article_t b;
    cr_assert_eq(input_from_text((const uint8_t *)doc, strlen(doc), "elsewhere.txt", &b, &err), 0);
    cr_assert_str_eq(a.pb.id, b.pb.id, "the job id is a hash of the bytes, not of the path");
    input_article_clear(&a);
    input_article_clear(&b);
}

Test(input, latin1_title_becomes_utf8)
{
    const char doc[] = "Price \xa3" "5\nBody text here.\n";
    input_article_t a;
    const char *err;
    cr_assert_eq(input_from_text((const uint8_t *)doc, strlen(doc), "x.txt", &a, &err), 0);
    cr_assert_str_eq(a.pb.title, "Price \xc2\xa3" "5");
    cr_assert_eq(a.pb.text.len, strlen(doc), "the document stays as submitted");
    input_article_clear(&a);
}

Test(input, bad_text_articles_are_rejected)
{
    input_article_t a;
    const char *err;
    cr_assert_eq(input_from_text((const uint8_t *)"", 0, "e.txt", &a, &err), -1);
    cr_assert(strstr(err, "empty"));
    cr_assert_eq(input_from_text((const uint8_t *)"Title only\n  \n", 13, "t.txt", &a, &err), -1);
    cr_assert(strstr(err, "empty"));
    const uint8_t nul[] = "T\nbody\0more";
    cr_assert_eq(input_from_text(nul, sizeof nul - 1, "n.txt", &a, &err), -1);
    cr_assert(strstr(err, "NUL"));
    size_t big = (8u << 20) + 1;
    uint8_t *huge = malloc(big);
    memset(huge, 'a', big);
    cr_assert_eq(input_from_text(huge, big, "h.txt", &a, &err), -1);
    cr_assert(strstr(err, "size limit"));
    free(huge);
}

Test(input, jsonl_record_fields)
{
    const char *line = "{\"title\":\"Headline\",\"maintext\":\"Body \\u00a3 text.\","
                       "\"url\":\"https://news.example.org/a/1\",\"date_publish\":\"2020-02-06 10:00:00\"}";
    input_article_t a;
    const char *err;
    cr_assert_eq(input_from_jsonl(line, strlen(line), "f.jsonl:1", &a, &err), 0);
    cr_assert_str_eq(a.pb.title, "Headline");
    cr_assert_eq(a.pb.text.len, strlen("Body \xc2\xa3 text."));
    cr_assert_eq(a.pb.body_start, 0);
    cr_assert_str_eq(a.pb.source, "https://news.example.org/a/1");
    cr_assert_str_eq(a.pb.outlet, "news.example.org");
    cr_assert_str_eq(a.pb.published, "2020-02-06");
    input_article_clear(&a);

    const char *notext = "{\"title\":\"x\"}";
    cr_assert_eq(input_from_jsonl(notext, strlen(notext), "f.jsonl:2", &a, &err), -1);
    cr_assert(strstr(err, "maintext"));
    cr_assert_eq(input_from_jsonl("not json", 8, "f.jsonl:3", &a, &err), -1);
}

typedef struct {
    int good, bad;
    long bad_line;
    char sources[8][256];
} walk_t;

static int on_article(void *arg, input_article_t *a)
{
    walk_t *w = arg;
    if (w->good < 8)
        snprintf(w->sources[w->good], 256, "%s", a->pb.source);
    w->good++;
    return 0;
}

static void on_error(void *arg, const char *source, long line, const char *msg)
{
    walk_t *w = arg;
    w->bad++;
    w->bad_line = line;
}

Test(input, walk_directory_recursively_and_go_on_after_bad_input)
{
    char dir[] = "/tmp/cc-input-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/sub", dir);
    cr_assert_eq(mkdir(path, 0700), 0);
    FILE *f;
    snprintf(path, sizeof path, "%s/b.txt", dir);
    f = fopen(path, "w"); fputs("Title B\nBody of b.\n", f); fclose(f);
    snprintf(path, sizeof path, "%s/sub/a.txt", dir);
    f = fopen(path, "w"); fputs("Title A\nBody of a.\n", f); fclose(f);
    snprintf(path, sizeof path, "%s/empty.txt", dir);
    f = fopen(path, "w"); fclose(f);
    snprintf(path, sizeof path, "%s/ignored.md", dir);
    f = fopen(path, "w"); fputs("not an article\n", f); fclose(f);
    snprintf(path, sizeof path, "%s/c.jsonl", dir);
    f = fopen(path, "w");
    fputs("{\"title\":\"J1\",\"text\":\"First.\"}\n{broken\n\n{\"title\":\"J3\",\"maintext\":\"Third.\"}\n", f);
    fclose(f);

    walk_t w = {0};
    input_sink_t sink = {on_article, on_error, &w};
    cr_assert_eq(input_walk(dir, &sink), 0);
    cr_assert_eq(w.good, 4, "b.txt, c.jsonl x2, sub/a.txt: got %d", w.good);
    cr_assert_eq(w.bad, 2, "empty.txt and the broken JSON line: got %d", w.bad);
    cr_assert(strstr(w.sources[0], "/b.txt"), "name order: %s", w.sources[0]);
    cr_assert(strstr(w.sources[3], "/sub/a.txt"), "recursion: %s", w.sources[3]);

    walk_t w2 = {0};
    input_sink_t sink2 = {on_article, on_error, &w2};
    snprintf(path, sizeof path, "%s/does-not-exist", dir);
    cr_assert_eq(input_walk(path, &sink2), -1);
    cr_assert_eq(w2.bad, 1);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* ---------------------------------------------------------------- symlink loops */

typedef struct {
    int n, notices;
    char names[64][64];          /* base names of the files read */
    char notice[8][512];         /* sources of the notices */
} loop_walk_t;

static int on_loop_article(void *arg, input_article_t *a)
{
    loop_walk_t *w = arg;
    const char *b = strrchr(a->pb.source, '/');
    if (w->n < 64)
        snprintf(w->names[w->n], sizeof w->names[0], "%s", b ? b + 1 : a->pb.source);
    w->n++;
    return 0;
}

static void on_loop_notice(void *arg, const char *source, const char *msg)
{
    loop_walk_t *w = arg;
    if (w->notices < 8)
        snprintf(w->notice[w->notices], sizeof w->notice[0], "%s", source);
    w->notices++;
    cr_assert(strstr(msg, "loop"), "%s: %s", source, msg);
}

static int s_times_read(const loop_walk_t *w, const char *name)
{
    int k = 0;
    for (int i = 0; i < w->n && i < 64; i++)
        k += strcmp(w->names[i], name) == 0;
    return k;
}

static int s_noticed(const loop_walk_t *w, const char *link)
{
    int k = 0;
    size_t n = strlen(link);
    for (int i = 0; i < w->notices && i < 8; i++) {
        size_t m = strlen(w->notice[i]);
        k += m > n && w->notice[i][m - n - 1] == '/' && strcmp(w->notice[i] + m - n, link) == 0;
    }
    return k;
}

/* Two links to `.`, one loop deeper down (sub/deep/up -> ../..) and a second path to a
   directory (alias -> sub): before, the walk doubled at each level down to depth 64 and
   never ended. Each file must be read once, each loop said once, and fast. */
Test(input, directory_symlink_loops_are_walked_once, .timeout = 20)
{
    char dir[] = "/tmp/cc-input-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd %s && mkdir -p sub/deep && printf 'Title A\\nBody a.\\n' > a.txt && "
             "printf 'Title B\\nBody b.\\n' > sub/b.txt && printf 'Title C\\nBody c.\\n' > sub/deep/c.txt && "
             "ln -s . loop1 && ln -s . loop2 && ln -s ../.. sub/deep/up && ln -s sub alias", dir);
    cr_assert_eq(system(cmd), 0);

    loop_walk_t w = {0};
    input_sink_t sink = {on_loop_article, on_error, &w, on_loop_notice};
    uint64_t t0 = util_mono_us();
    cr_assert_eq(input_walk(dir, &sink), 0);
    cr_assert_lt(util_mono_us() - t0, 5000000u, "the walk took %llu us",
                 (unsigned long long)(util_mono_us() - t0));
    cr_assert_eq(w.n, 3, "3 files, each once: read %d", w.n);
    cr_assert_eq(s_times_read(&w, "a.txt"), 1);
    cr_assert_eq(s_times_read(&w, "b.txt"), 1);
    cr_assert_eq(s_times_read(&w, "c.txt"), 1);
    cr_assert_eq(w.notices, 3, "one notice per loop: got %d", w.notices);
    cr_assert_eq(s_noticed(&w, "loop1"), 1, "the notice names the link: %s", w.notice[0]);
    cr_assert_eq(s_noticed(&w, "loop2"), 1);
    cr_assert_eq(s_noticed(&w, "up"), 1);
    /* The progress total counts what the walk reads. */
    cr_assert_eq(input_count(dir), 3);

    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* ---------------------------------------------------------------- byte order marks */

/* A UTF-8 BOM (as Windows editors write it) was kept in the title, and made a JSON Lines
   line fail to parse. */
Test(input, utf8_bom_is_kept_out_of_the_title_and_jsonl_parses)
{
    const char doc[] = "\xef\xbb\xbf" "Seven soldiers killed\nThe body.\n";
    input_article_t a;
    const char *err = NULL;
    cr_assert_eq(input_from_text((const uint8_t *)doc, strlen(doc), "bom.txt", &a, &err), 0, "%s", err);
    cr_assert_str_eq(a.pb.title, "Seven soldiers killed");
    cr_assert_eq(a.pb.text.len, strlen(doc), "the document stays the file's bytes (offsets)");
    cr_assert_eq(a.pb.body_start, strlen("\xef\xbb\xbf" "Seven soldiers killed\n"));
    input_article_clear(&a);

    const char line[] = "\xef\xbb\xbf{\"title\":\"Headline\",\"maintext\":\"Body text.\"}\n";
    cr_assert_eq(input_from_jsonl(line, strlen(line), "f.jsonl:1", &a, &err), 0, "%s", err);
    cr_assert_str_eq(a.pb.title, "Headline");
    input_article_clear(&a);

    /* Through the walker: a .jsonl file and a .txt file, each starting with a BOM. */
    char dir[] = "/tmp/cc-input-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/a.jsonl", dir);
    FILE *f = fopen(path, "w");
    fputs(line, f);
    fputs("{\"title\":\"Second\",\"text\":\"More.\"}\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/b.txt", dir);
    f = fopen(path, "w");
    fputs(doc, f);
    fclose(f);
    walk_t w = {0};
    input_sink_t sink = {on_article, on_error, &w};
    cr_assert_eq(input_walk(dir, &sink), 0);
    cr_assert_eq(w.good, 3, "got %d", w.good);
    cr_assert_eq(w.bad, 0, "a line with a BOM was refused");
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}
