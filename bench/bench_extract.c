/*  bench_extract: the extractor's throughput on one core. Loads every *.txt under the given
    directory into memory first (so disk is not measured), then runs extract_run over all of
    them `--rounds` times and prints MB/s, articles/s and peak RSS. */
#include "extract.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

typedef struct {
    uint8_t *text;
    size_t len, body_start;
    char title[512];
} s_doc_t;

static s_doc_t *s_docs;
static size_t s_n, s_cap;

static void s_load(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        struct dirent **list;
        int n = scandir(path, &list, NULL, alphasort);
        for (int i = 0; i < n; i++) {
            if (list[i]->d_name[0] != '.') {
                char child[4096];
                snprintf(child, sizeof child, "%s/%s", path, list[i]->d_name);
                s_load(child);
            }
            free(list[i]);
        }
        free(list);
        return;
    }
    size_t nl = strlen(path);
    if (nl < 4 || strcmp(path + nl - 4, ".txt") != 0)
        return;
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    if (s_n == s_cap) {
        s_cap = s_cap ? s_cap * 2 : 1024;
        s_docs = util_realloc(s_docs, s_cap * sizeof *s_docs);
    }
    s_doc_t *d = &s_docs[s_n++];
    d->text = util_malloc((size_t)st.st_size + 1);
    d->len = fread(d->text, 1, (size_t)st.st_size, f);
    fclose(f);
    uint8_t *eol = memchr(d->text, '\n', d->len);
    size_t tl = eol ? (size_t)(eol - d->text) : d->len;
    d->body_start = eol ? tl + 1 : d->len;
    snprintf(d->title, sizeof d->title, "%.*s", (int)(tl < 500 ? tl : 500), (char *)d->text);
}

/* User and system CPU seconds this process has used. */
static double s_cpu_secs(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6
           + (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    int rounds = 5;
    const char *dir = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            printf("usage: bench_extract [--rounds N] DIR\n"
                   "Runs the extractor over every *.txt under DIR, N times, on one core,\n"
                   "and prints MB/s, articles/s and peak RSS.\n");
            return 0;
        } else
            dir = argv[i];
    }
    if (!dir || rounds < 1) {
        fprintf(stderr, "usage: bench_extract [--rounds N] DIR\n");
        return 2;
    }
    s_load(dir);
    if (s_n == 0) {
        fprintf(stderr, "bench_extract: no .txt files under %s\n", dir);
        return 1;
    }
    size_t bytes = 0;
    for (size_t i = 0; i < s_n; i++)
        bytes += s_docs[i].len;
    extract_t *ex = extract_new();
    if (!ex) {
        fprintf(stderr, "bench_extract: extract_new failed\n");
        return 1;
    }
    uint64_t claims = 0, failures = 0;
    extract_result_t r;
    /* One warm-up round so page faults of the arena are not measured. */
    for (size_t i = 0; i < s_n; i++) {
        extract_doc_t doc = {s_docs[i].text, s_docs[i].len, s_docs[i].body_start, s_docs[i].title, NULL};
        extract_run(ex, &doc, &r);
    }
    uint64_t t0 = util_mono_us();
    double cpu0 = s_cpu_secs();
    for (int k = 0; k < rounds; k++)
        for (size_t i = 0; i < s_n; i++) {
            extract_doc_t doc = {s_docs[i].text, s_docs[i].len, s_docs[i].body_start, s_docs[i].title, NULL};
            if (extract_run(ex, &doc, &r) != 0)
                failures++;
            else
                claims += r.n_attrs + r.n_quantities + r.n_entities;
        }
    double secs = (double)(util_mono_us() - t0) / 1e6;
    double cpu = s_cpu_secs() - cpu0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double mb = (double)bytes * rounds / 1e6;
    printf("crossclaim extractor: %zu articles, %.2f MB x %d rounds in %.2f s: %.1f MB/s, "
           "%.0f articles/s, %llu records, %llu failures, peak RSS %.1f MiB\n",
           s_n, (double)bytes / 1e6, rounds, secs, mb / secs, (double)s_n * rounds / secs,
           (unsigned long long)(claims / (uint64_t)rounds), (unsigned long long)failures,
           (double)ru.ru_maxrss / 1024.0);
    /* On a shared machine the wall clock counts other processes' turns too; the CPU time
       the process itself used is steadier for comparing two builds. */
    printf("crossclaim extractor: %.2f s of CPU: %.1f MB per CPU second\n", cpu,
           cpu > 0 ? mb / cpu : 0.0);
    printf("MBPS %.3f\n", cpu > 0 ? mb / cpu : 0.0);   /* per CPU second, as wink.js */
    extract_destroy(&ex);
    for (size_t i = 0; i < s_n; i++)
        free(s_docs[i].text);
    free(s_docs);
    return 0;
}
