/*  bench_merge: the store's merge cost per article as the database grows (issue 9).

    Two workloads through the real db API on a real LMDB in a temp dir, committed in
    batches of 64 as the store daemon does:
      scale N   N articles about N/4 events (four outlets each, three facts per article):
                the cost per article should not grow with the database;
      shared N  N articles of one story all reporting one fact (one outlet each): the cost
                per article should not grow with the fact's size;
      namesakes N  N articles of their own events each naming one person of a surname
                they share, with a given name of its own (per:harrow, db_people.c): the
                cost per article should not grow with the surname's people.
    For each run it prints the CPU and wall time per article in the first and the last
    tenth and their ratio. A run that passes --limit-s seconds stops there and says how
    far it got.

    usage: bench_merge [--limit-s S] scale N | shared N | namesakes N ... */
#include "db.h"
#include "util.h"

#include <lmdb.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define S_BATCH 64

static double s_cpu(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static double s_wall(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

typedef struct {
    Crossclaim__Result r;
    Crossclaim__Article a;
    Crossclaim__Quantity q[3], *qp[3];
    Crossclaim__Span sp[3], sent[3];
    Crossclaim__StoryTerm t[2], *tp[2];
    Crossclaim__Entity e, *ep;
    char id[UTIL_ID_HEX + 1], name[64], outlet[32], term[2][48], key[3][96], sentence[3][160];
    char person[48];
} s_art_t;

/* Article i of the workload; `people`: it names a person of surname Harrow. */
static void s_make(s_art_t *x, int i, bool shared, bool people)
{
    memset(x, 0, sizeof *x);
    crossclaim__result__init(&x->r);
    crossclaim__article__init(&x->a);
    snprintf(x->name, sizeof x->name, "bench article %d", i);
    util_job_id(x->name, strlen(x->name), "", 0, x->id);
    int event = shared ? 0 : i / 4;
    snprintf(x->outlet, sizeof x->outlet, "outlet%d", shared ? i : i % 4);
    x->a.id = x->id;
    x->a.source = x->name;
    x->a.title = x->name;
    x->a.outlet = x->outlet;
    x->a.published = "2024-05-01";
    x->r.job_id = x->id;
    x->r.article = &x->a;
    x->r.text_bytes = 2000;
    for (int k = 0; k < 2; k++) {
        crossclaim__story_term__init(&x->t[k]);
        snprintf(x->term[k], sizeof x->term[k], k ? "w:event%d" : "e:place%d", event);
        x->t[k].term = x->term[k];
        x->t[k].weight = 0.5f;
        x->tp[k] = &x->t[k];
    }
    x->r.terms = x->tp;
    x->r.n_terms = 2;
    int nq = shared ? 1 : 3;
    for (int k = 0; k < nq; k++) {
        crossclaim__quantity__init(&x->q[k]);
        crossclaim__span__init(&x->sp[k]);
        crossclaim__span__init(&x->sent[k]);
        snprintf(x->key[k], sizeof x->key[k], "f||people||%s|place%d|", k == 0 ? "killed"
                 : k == 1 ? "wounded" : "displaced", event);
        snprintf(x->sentence[k], sizeof x->sentence[k],
                 "Officials said %d people were affected in place %d, according to outlet %d.",
                 7 + k, event, i);
        x->sp[k].start = 14;
        x->sp[k].end = 15;
        x->sp[k].text = "7";
        x->sent[k].end = (uint32_t)strlen(x->sentence[k]);
        x->sent[k].text = x->sentence[k];
        x->q[k].value = 7 + k;
        x->q[k].low = x->q[k].high = 7 + k;
        x->q[k].span = &x->sp[k];
        x->q[k].sentence = &x->sent[k];
        x->q[k].key = x->key[k];
        x->qp[k] = &x->q[k];
    }
    x->r.quantities = x->qp;
    x->r.n_quantities = (size_t)nq;
    if (people) {   /* a given name of letters only: "Kab Harrow", "Kac Harrow", ... */
        char given[16] = "K";
        size_t g = 1;
        for (int v = i; g < 8; v /= 26) {
            given[g++] = (char)('a' + v % 26);
            if (v < 26)
                break;
        }
        given[g] = 0;
        snprintf(x->person, sizeof x->person, "%s Harrow", given);
        crossclaim__entity__init(&x->e);
        x->e.key = "per:harrow";
        x->e.name = x->person;
        x->e.kind = "person";
        x->e.mentions = 1;
        x->ep = &x->e;
        x->r.entities = &x->ep;
        x->r.n_entities = 1;
    }
}

static int s_run(const char *mode, int n, double limit)
{
    bool shared = strcmp(mode, "shared") == 0, people = strcmp(mode, "namesakes") == 0;
    char dir[] = "/tmp/bench-merge-XXXXXX";   /* not /tmp/cc-*: test suites clean those */
    if (!mkdtemp(dir))
        return 1;
    db_t *db;
    int rc = db_open(dir, false, &db);
    if (rc) {
        fprintf(stderr, "bench_merge: %s\n", db_strerror(rc));
        return 1;
    }
    s_art_t *batch = util_calloc(S_BATCH, sizeof *batch);
    int tenth = n / 10 > 0 ? n / 10 : 1;
    double cpu0 = s_cpu(), wall0 = s_wall(), start = wall0;
    double first_cpu = 0, first_wall = 0, last_cpu = 0, last_wall = 0;
    int done = 0;
    bool stopped = false;
    while (done < n) {
        int m = n - done < S_BATCH ? n - done : S_BATCH;
        for (int k = 0; k < m; k++)
            s_make(&batch[k], done + k, shared, people);
        /* as the store does: a full map is grown by the next db_begin, and the batch
           merged again */
        for (int attempt = 0; attempt < 8; attempt++) {
            if ((rc = db_begin(db)) != 0)
                break;
            for (int k = 0; k < m && !rc; k++)
                rc = db_merge(db, &batch[k].r);
            if (!rc)
                rc = db_commit(db, NULL);
            else
                db_abort(db);
            if (rc != MDB_MAP_FULL)
                break;
        }
        if (rc)
            break;
        done += m;
        if (done >= tenth && first_cpu == 0) {
            first_cpu = (s_cpu() - cpu0) / done;
            first_wall = (s_wall() - wall0) / done;
        }
        if (done >= n - tenth && last_cpu == 0 && done < n) {
            cpu0 = s_cpu();
            wall0 = s_wall();
            last_cpu = -(double)done;   /* start of the last tenth, by count */
        }
        if (limit > 0 && s_wall() - start > limit) {
            stopped = true;
            break;
        }
    }
    if (rc)
        fprintf(stderr, "bench_merge: %s\n", db_strerror(rc));
    if (last_cpu < 0) {
        int from = (int)-last_cpu;
        last_wall = (s_wall() - wall0) / (done - from);
        last_cpu = (s_cpu() - cpu0) / (done - from);
    }
    db_stats_t st;
    db_stats(db, &st);
    db_destroy(&db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "du -sk %s | cut -f1", dir);
    FILE *p = popen(cmd, "r");
    long kb = 0;
    if (p && fscanf(p, "%ld", &kb) != 1)
        kb = 0;
    if (p)
        pclose(p);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)system(cmd);
    free(batch);
    if (stopped || last_cpu == 0) {
        printf("%-7s %7d  stopped after %.0f s at %d articles: %.3f ms CPU per article in the "
               "first tenth, %.3f ms over the whole run; %ld KB on disk\n", mode, n, limit, done,
               first_cpu * 1e3, (s_cpu() - cpu0) * 1e3 / (done ? done : 1), kb);
        return 0;
    }
    printf("%-7s %7d  first tenth %.3f ms CPU (%.3f wall), last tenth %.3f ms CPU (%.3f wall) "
           "per article: last/first %.2fx CPU; %llu stories, %llu xrefs, %ld KB on disk "
           "(%.1f KB per article)\n", mode, n, first_cpu * 1e3, first_wall * 1e3, last_cpu * 1e3,
           last_wall * 1e3, last_cpu / first_cpu, (unsigned long long)st.stories, (unsigned long long)st.xrefs, kb,
           (double)kb / n);
    return rc ? 1 : 0;
}

int main(int argc, char **argv)
{
    double limit = 0;
    int i = 1, bad = 0;
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        printf("usage: bench_merge [--limit-s S] {scale N | shared N | namesakes N}...\n"
               "The store's merge cost per article, first tenth against last tenth.\n");
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[i], "--limit-s") && i + 1 < argc) {
        limit = atof(argv[i + 1]);
        i += 2;
    }
    for (; i + 1 < argc; i += 2)
        bad |= s_run(argv[i], atoi(argv[i + 1]), limit);
    return bad;
}
