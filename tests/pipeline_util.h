/*  Helpers for the integration tests: run the real binaries in a temp data dir and read
    the export back. Header-only; each test file that includes it is its own executable. */
#ifndef CC_PIPELINE_UTIL_H
#define CC_PIPELINE_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "jsonl.h"

static inline const char *pu_bin(void)
{
    const char *b = getenv("CC_BIN_DIR");
    cr_assert_not_null(b, "CC_BIN_DIR is not set (run through ctest)");
    return b;
}

static inline const char *pu_shared(void)
{
    const char *s = getenv("CC_SHARED_DIR");
    return s ? s : "../shared";
}

/* Runs a shell command; returns its exit status. */
static inline int pu_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static inline int pu_sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static inline char *pu_tmpdir(void)
{
    char *d = strdup("/tmp/cc-it-XXXXXX");
    cr_assert_not_null(mkdtemp(d));
    return d;
}

/* Counts of an export file: records by type, plus a callback per line. */
typedef struct {
    int articles, attributions, quantities, entities, xrefs;
    int conflicts, corroborated;
} pu_counts_t;

typedef void (pu_line_fn)(void *arg, const char *type, const char *line, size_t len);

static inline void pu_read_export(const char *path, pu_counts_t *c, pu_line_fn *fn, void *arg)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "no export at %s", path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    static const char *const keys[] = {"type", "status"};
    while ((n = getline(&line, &cap, f)) > 0) {
        char *v[2];
        size_t l[2];
        const char *err;
        cr_assert_eq(jsonl_fields(line, (size_t)n, keys, 2, v, l, &err), 0,
                     "export line is not JSON (%s): %.200s", err, line);
        cr_assert_not_null(v[0], "export line without a type: %.200s", line);
        if (!strcmp(v[0], "article")) c->articles++;
        else if (!strcmp(v[0], "attribution")) c->attributions++;
        else if (!strcmp(v[0], "quantity")) c->quantities++;
        else if (!strcmp(v[0], "entity")) c->entities++;
        else if (!strcmp(v[0], "xref")) {
            c->xrefs++;
            if (v[1] && !strcmp(v[1], "conflict")) c->conflicts++;
            if (v[1] && !strcmp(v[1], "corroborated")) c->corroborated++;
        }
        if (fn)
            fn(arg, v[0], line, (size_t)n);
        free(v[0]);
        free(v[1]);
    }
    free(line);
    fclose(f);
}

#endif
