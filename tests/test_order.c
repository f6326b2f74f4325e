/*  test_order: the same articles give the same stories, story ids and cross-references
    whatever order they come in, however many workers extract them, and through
    redeliveries (issue 9). Three real runs of one synthetic feed (tests/faults_util.h:
    events covered by four outlets, one event in five with an outlet that disagrees):
      A  `crossclaim run --workers 1` on the feed in its order;
      B  `crossclaim run --workers 2` on the same lines shuffled with a fixed seed;
      C  broker, store and two workers started by hand on the lines reversed, with a
         worker killed (kill -9) while it holds jobs, so they are redelivered, and the
         store killed and restarted mid-ingest, so committed-but-unacked results come again.
    The three exports must be equal byte for byte. */
#include "faults_util.h"

#include <czmq.h>

#define S_ARTICLES 400

/* Writes the feed's lines to `path` in the order `perm` gives. */
static void s_write_order(const char *path, const int *perm, int n)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    char line[8192];
    for (int i = 0; i < n; i++) {
        size_t len = fu_article_line(perm[i], line, sizeof line);
        cr_assert_eq(fwrite(line, 1, len, f), len);
    }
    cr_assert_eq(fclose(f), 0);
}

static char *s_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot read %s", path);
    char *buf = NULL;
    size_t cap = 0, n = 0, k;
    char chunk[65536];
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (n + k + 1 > cap) {
            cap = (n + k + 1) * 2;
            buf = realloc(buf, cap);
        }
        memcpy(buf + n, chunk, k);
        n += k;
    }
    fclose(f);
    if (!buf)
        buf = calloc(1, 1);
    buf[n] = 0;
    *len = n;
    return buf;
}

static long s_count(const char *buf, const char *needle)
{
    long n = 0;
    for (const char *p = buf; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

/* Runs `crossclaim run` on `input` into dir/data and exports to dir/export.jsonl. */
static void s_run(const char *dir, const char *input, int workers)
{
    cr_assert_eq(pu_sh("%s/crossclaim run --no-report --workers %d --data %s/data %s > %s/run.log 2>&1",
                       pu_bin(), workers, dir, input, dir), 0, "crossclaim run failed: see %s/run.log", dir);
    cr_assert_eq(pu_sh("%s/crossclaim export --data %s/data > %s/export.jsonl", pu_bin(), dir, dir), 0);
}

static void s_wait_holding(fu_cluster_t *c, const char *name, fu_status_t *st)
{
    double end = fu_now() + 60;
    for (;;) {
        fu_status_up(c, st);
        if (fu_worker_jobs(st, name) > 0)
            return;
        cr_assert(fu_now() < end, "worker %s never held a job: %s", name, st->raw);
        fu_sleep_ms(5);
    }
}

Test(order, same_exports_in_any_order_worker_count_and_redelivery, .timeout = 600)
{
    char *dir = pu_tmpdir();
    int perm[S_ARTICLES];
    char a[400], b[400], cpath[400];
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    cr_assert_eq(pu_sh("mkdir -p %s %s", a, b), 0);

    /* A: in order, one worker */
    char in_a[500], in_b[500];
    for (int i = 0; i < S_ARTICLES; i++)
        perm[i] = i;
    snprintf(in_a, sizeof in_a, "%s/feed.jsonl", a);
    s_write_order(in_a, perm, S_ARTICLES);
    s_run(a, in_a, 1);

    /* B: shuffled, two workers */
    uint64_t seed = 0x0bde2;
    for (int i = S_ARTICLES - 1; i > 0; i--) {
        int j = (int)(fu_rand(&seed) % (uint64_t)(i + 1));
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    snprintf(in_b, sizeof in_b, "%s/feed.jsonl", b);
    s_write_order(in_b, perm, S_ARTICLES);
    s_run(b, in_b, 2);

    /* C: reversed, by hand, with a worker killed holding jobs and the store killed */
    fu_cluster_t c;
    fu_cluster_init(&c);
    c.worker_credit[0] = c.worker_credit[1] = 2;
    for (int i = 0; i < S_ARTICLES; i++)
        perm[i] = S_ARTICLES - 1 - i;
    snprintf(cpath, sizeof cpath, "%s/feed.jsonl", c.dir);
    s_write_order(cpath, perm, S_ARTICLES);
    fu_start_broker(&c);
    fu_start_store(&c);
    fu_start_worker(&c, 0);
    fu_start_worker(&c, 1);
    fu_status_t st;
    fu_wait_broker(&c, &st, 20);
    char log[400];
    snprintf(log, sizeof log, "%s/submit.log", c.dir);
    char bin[600], front[300];
    snprintf(bin, sizeof bin, "%s/crossclaim", pu_bin());
    snprintf(front, sizeof front, "%s", c.front);
    pid_t sub = fu_spawn((char *[]){bin, "submit", "--broker", front, cpath, NULL}, log);
    s_wait_holding(&c, "w0", &st);
    long before = st.redelivered;
    fu_signal(&c.workers[0], SIGKILL);
    double end = fu_now() + 60;
    do {
        fu_status_up(&c, &st);
        cr_assert(fu_now() < end, "the killed worker's jobs were not redelivered: %s", st.raw);
        fu_sleep_ms(20);
    } while (st.redelivered <= before);
    long redelivered = st.redelivered;
    fu_start_worker(&c, 0);
    fu_wait_completed(&c, S_ARTICLES / 2, 120);
    fu_signal(&c.store, SIGKILL);
    fu_start_store(&c);
    fu_wait_drained(&c, S_ARTICLES, 180, &st);
    cr_assert_eq(st.dead, 0, "no article should die: %s", st.raw);
    int status = 0;
    cr_assert_eq(waitpid(sub, &status, 0), sub);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "submit failed: see %s", log);
    cr_assert_eq(pu_sh("%s/crossclaim export --data %s > %s/export.jsonl", pu_bin(), c.dir, c.dir), 0);
    cr_assert_eq(fu_stop_all(&c), 0, "a daemon did not stop cleanly");

    size_t la, lb, lc;
    char pa[500], pb[500], pc[500];
    snprintf(pa, sizeof pa, "%s/export.jsonl", a);
    snprintf(pb, sizeof pb, "%s/export.jsonl", b);
    snprintf(pc, sizeof pc, "%s/export.jsonl", c.dir);
    char *ea = s_slurp(pa, &la), *eb = s_slurp(pb, &lb), *ec = s_slurp(pc, &lc);
    long stories = s_count(ea, "\"type\":\"story\""), conflicts = s_count(ea, "\"status\":\"conflict\"");
    long corroborated = s_count(ea, "\"status\":\"corroborated\"");
    fprintf(stderr, "order: %ld articles, %ld stories, %ld conflicts, %ld corroborated; "
            "run C redelivered %ld jobs after the worker kill and restarted the store\n",
            s_count(ea, "\"type\":\"article\""), stories, conflicts, corroborated, redelivered);
    cr_expect_eq(s_count(ea, "\"type\":\"article\""), S_ARTICLES);
    cr_expect_gt(stories, 1, "the feed holds many events");
    cr_expect_lt(stories, S_ARTICLES, "articles of one event share a story");
    cr_expect_gt(conflicts + corroborated, 0, "the feed's outlets agree and disagree");
    if (la != lb || memcmp(ea, eb, la) != 0)
        pu_sh("diff %s %s | head -20 >&2", pa, pb);
    if (la != lc || memcmp(ea, ec, la) != 0)
        pu_sh("diff %s %s | head -20 >&2", pa, pc);
    cr_expect(la == lb && memcmp(ea, eb, la) == 0, "shuffled, 2 workers: the export differs");
    cr_expect(la == lc && memcmp(ea, ec, la) == 0, "reversed, redelivered: the export differs");
    free(ea);
    free(eb);
    free(ec);
    pu_sh("rm -rf %s %s", dir, c.dir);
    free(dir);
}
