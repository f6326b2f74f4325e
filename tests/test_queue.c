/*  test_queue: the broker's durable queue against a real LMDB in a temp directory.
    Covers put and dedupe, FIFO dispatch, fail to dead with a reason, requeue, done,
    recovery after reopen (in flight -> queued, attempts kept) and a large group commit. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <errno.h>
#include <lmdb.h>
#include <sys/stat.h>

#include "queue.h"
#include "util.h"

#define CHECK(expr)                                                                       \
    do {                                                                                  \
        int rc_ = (int)(expr);                                                            \
        cr_assert(rc_ >= 0, "%s -> %d (%s)", #expr, rc_, queue_strerror(rc_));            \
    } while (0)

static char s_dir[256];
static queue_t *s_q;

static void s_setup(void)
{
    snprintf(s_dir, sizeof s_dir, "/tmp/test_queue.XXXXXX");
    cr_assert(mkdtemp(s_dir));
    CHECK(queue_open(s_dir, 0, &s_q));
}

static void s_teardown(void)
{
    queue_destroy(&s_q);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", s_dir);
}

static void s_reopen(void)
{
    queue_destroy(&s_q);
    cr_assert_null(s_q);
    CHECK(queue_open(s_dir, 0, &s_q));
}

/* Makes a job: id from title/text like the broker computes, payload = text. */
typedef struct {
    char id[UTIL_ID_HEX + 1];
    char text[64];
} job_t;

static void s_job(job_t *j, int n)
{
    snprintf(j->text, sizeof j->text, "article number %d", n);
    util_job_id("t", 1, j->text, strlen(j->text), j->id);
}

static bool s_put(job_t *j)
{
    queue_item_t it = {.id = j->id, .article = j->text, .len = strlen(j->text)};
    CHECK(queue_put_batch(s_q, &it, 1));
    return it.added;
}

static queue_state_t s_state(const char *id, uint32_t *attempts)
{
    queue_state_t st;
    CHECK(queue_state(s_q, id, &st, attempts));
    return st;
}

TestSuite(queue, .init = s_setup, .fini = s_teardown);

Test(queue, put_dedupe_next_in_fifo_order)
{
    job_t a, b;
    s_job(&a, 1);
    s_job(&b, 2);
    cr_assert(s_put(&a));
    cr_assert(s_put(&b));
    cr_assert_not(s_put(&a), "second put of the same id is a duplicate");
    queue_stats_t st;
    queue_stats(s_q, &st);
    cr_assert_eq(st.queued, 2);

    char id[UTIL_ID_HEX + 1];
    uint32_t att;
    const void *art;
    size_t len;
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    cr_assert_str_eq(id, a.id);
    cr_assert_eq(len, strlen(a.text));
    cr_assert(memcmp(art, a.text, len) == 0);
    cr_assert_eq(att, 0);
    cr_assert_eq(s_state(a.id, NULL), QUEUE_INFLIGHT);
    cr_assert_not(s_put(&a), "an in-flight job is a duplicate too");
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    cr_assert_str_eq(id, b.id);
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 0, "queue is drained");
    queue_stats(s_q, &st);
    cr_assert_eq(st.queued, 0);
    cr_assert_eq(st.inflight, 2);
}

Test(queue, done_removes_and_dedupes_forever)
{
    job_t a;
    s_job(&a, 1);
    cr_assert(s_put(&a));
    char id[UTIL_ID_HEX + 1];
    uint32_t att;
    const void *art;
    size_t len;
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    queue_done_t d[2] = {{.id = a.id}, {.id = a.id}};
    cr_assert_eq(queue_done(s_q, d, 2), 1, "the same id twice in a batch counts once");
    cr_assert(d[0].removed);
    cr_assert_not(d[1].removed);
    cr_assert_neq(d[0].submitted_us, 0);
    cr_assert_eq(s_state(a.id, NULL), QUEUE_DONE);
    cr_assert_not(s_put(&a), "a done job resubmitted is a duplicate");
    queue_done_t again = {.id = a.id};
    cr_assert_eq(queue_done(s_q, &again, 1), 0, "committing twice never counts twice");
    queue_stats_t st;
    queue_stats(s_q, &st);
    cr_assert_eq(st.queued + st.inflight, 0);
    cr_assert_eq(st.done, 1);
    s_reopen();
    cr_assert_eq(s_state(a.id, NULL), QUEUE_DONE, "the done set survives a restart");
}

static int s_dead_cb(const char *id, uint32_t attempts, const char *reason,
                     const void *article, size_t len, void *arg)
{
    char *out = arg;
    snprintf(out, 512, "%s|%u|%s|%.*s", id, attempts, reason, (int)len, (const char *)article);
    return 0;
}

Test(queue, fail_requeues_then_dead_with_reason)
{
    job_t a;
    s_job(&a, 7);
    cr_assert(s_put(&a));
    char id[UTIL_ID_HEX + 1];
    uint32_t att;
    const void *art;
    size_t len;
    queue_fail_t out;
    for (uint32_t i = 1; i <= 3; i++) {
        cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
        cr_assert_eq(att, i - 1);
        CHECK(queue_fail(s_q, a.id, "parser exploded", false, 3, &out));
        cr_assert_eq(out, i < 3 ? QUEUE_REQUEUED : QUEUE_KILLED);
    }
    cr_assert_eq(s_state(a.id, &att), QUEUE_DEAD);
    cr_assert_eq(att, 3);
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 0, "dead jobs are not dispatched");
    cr_assert_not(s_put(&a), "a dead job resubmitted is a duplicate");
    queue_stats_t st;
    queue_stats(s_q, &st);
    cr_assert_eq(st.dead, 1);
    cr_assert_eq(st.queued + st.inflight, 0);

    char line[512] = "";
    cr_assert_eq(queue_dead_list(s_q, 0, s_dead_cb, line), 1);
    char want[512];
    snprintf(want, sizeof want, "%s|3|parser exploded|%s", a.id, a.text);
    cr_assert_str_eq(line, want);
    line[0] = 0;
    CHECK(queue_dead_get(s_q, a.id, s_dead_cb, line));
    cr_assert_str_eq(line, want);
    cr_assert_eq(queue_fail(s_q, a.id, "x", false, 3, &out), QUEUE_ENOTFOUND);

    /* Survives a restart, then comes back with attempts reset. */
    s_reopen();
    queue_stats(s_q, &st);
    cr_assert_eq(st.dead, 1);
    CHECK(queue_requeue_dead(s_q, a.id));
    cr_assert_eq(queue_requeue_dead(s_q, a.id), QUEUE_ENOTFOUND);
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    cr_assert_str_eq(id, a.id);
    cr_assert_eq(att, 0);
    queue_stats(s_q, &st);
    cr_assert_eq(st.dead, 0);
}

Test(queue, permanent_fail_and_requeue_all)
{
    job_t j[5];
    char id[UTIL_ID_HEX + 1];
    uint32_t att;
    const void *art;
    size_t len;
    queue_fail_t out;
    for (int i = 0; i < 5; i++) {
        s_job(&j[i], i);
        cr_assert(s_put(&j[i]));
    }
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
        CHECK(queue_fail(s_q, id, "bad input", true, 3, &out));
        cr_assert_eq(out, QUEUE_KILLED);
    }
    queue_stats_t st;
    queue_stats(s_q, &st);
    cr_assert_eq(st.dead, 5);
    cr_assert_eq(queue_requeue_all_dead(s_q), 5);
    queue_stats(s_q, &st);
    cr_assert_eq(st.dead, 0);
    cr_assert_eq(st.queued, 5);
    int seen = 0;
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
        cr_assert_eq(att, 0);
        for (int k = 0; k < 5; k++)
            if (strcmp(id, j[k].id) == 0)
                seen |= 1 << k;
    }
    cr_assert_eq(seen, 0x1f, "every dead job came back once");
}

Test(queue, requeue_without_attempt_goes_to_tail)
{
    job_t a, b;
    s_job(&a, 1);
    s_job(&b, 2);
    cr_assert(s_put(&a));
    cr_assert(s_put(&b));
    char id[UTIL_ID_HEX + 1];
    uint32_t att;
    const void *art;
    size_t len;
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    CHECK(queue_requeue(s_q, a.id));
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    cr_assert_str_eq(id, b.id);
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    cr_assert_str_eq(id, a.id);
    cr_assert_eq(att, 0, "a lost result is not a failed attempt");
}

Test(queue, reopen_puts_inflight_back_with_attempts)
{
    job_t a, b;
    s_job(&a, 1);
    s_job(&b, 2);
    cr_assert(s_put(&a));
    cr_assert(s_put(&b));
    char id[UTIL_ID_HEX + 1];
    uint32_t att;
    const void *art;
    size_t len;
    queue_fail_t out;
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    CHECK(queue_fail(s_q, a.id, "worker lost", false, 5, &out));
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1); /* b */
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1); /* a again */
    queue_stats_t st;
    queue_stats(s_q, &st);
    cr_assert_eq(st.inflight, 2);

    s_reopen();
    queue_stats(s_q, &st);
    cr_assert_eq(st.inflight, 0);
    cr_assert_eq(st.queued, 2);
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    cr_assert_str_eq(id, b.id);
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    cr_assert_str_eq(id, a.id);
    cr_assert_eq(att, 1, "attempts survive a restart");
    /* New work after the restart goes behind the old. */
    job_t c;
    s_job(&c, 3);
    cr_assert(s_put(&c));
    cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    cr_assert_str_eq(id, c.id);
}

Test(queue, group_commit_of_many)
{
    enum { N = 2000 };
    static job_t jobs[N];
    static queue_item_t items[N + 1];
    for (int i = 0; i < N; i++) {
        s_job(&jobs[i], i);
        items[i] = (queue_item_t){.id = jobs[i].id, .article = jobs[i].text,
                                  .len = strlen(jobs[i].text), .submitted_us = 42};
    }
    items[N] = items[0]; /* a duplicate inside the same batch */
    CHECK(queue_put_batch(s_q, items, N + 1));
    for (int i = 0; i < N; i++)
        cr_assert(items[i].added);
    cr_assert_not(items[N].added);
    s_reopen();
    queue_stats_t st;
    queue_stats(s_q, &st);
    cr_assert_eq(st.queued, N);
    static queue_done_t done[N];
    char ids[N][UTIL_ID_HEX + 1];
    for (int i = 0; i < N; i++) {
        uint32_t att;
        const void *art;
        size_t len;
        cr_assert_eq(queue_next(s_q, ids[i], &att, &art, &len), 1);
        cr_assert_str_eq(ids[i], jobs[i].id);
        done[i] = (queue_done_t){.id = ids[i]};
    }
    cr_assert_eq(queue_done(s_q, done, N), N);
    cr_assert_eq(done[5].submitted_us, 42);
    queue_stats(s_q, &st);
    cr_assert_eq(st.queued + st.inflight, 0);
    cr_assert_eq(st.done, N);
}

Test(queue, bad_arguments_and_second_opener)
{
    queue_item_t it = {.id = "not-a-job-id", .article = "x", .len = 1};
    cr_assert_eq(queue_put_batch(s_q, &it, 1), QUEUE_EINVAL);
    queue_t *other = NULL;
    int rc = queue_open(s_dir, 0, &other);
    cr_assert_lt(rc, 0, "a second broker on the same directory is refused");
    cr_assert_null(other);
    cr_assert_str_eq(queue_strerror(rc), strerror(EBUSY));
}

/* Issue 10 #6: LMDB errors printed as "Unknown error 30793" (the range check was
   inverted). */
Test(queue, lmdb_errors_have_their_own_text)
{
    cr_assert_str_eq(queue_strerror(MDB_CORRUPTED), mdb_strerror(MDB_CORRUPTED));
    cr_assert_str_eq(queue_strerror(MDB_MAP_FULL), mdb_strerror(MDB_MAP_FULL));
    cr_assert_str_eq(queue_strerror(MDB_KEYEXIST), mdb_strerror(MDB_KEYEXIST));
    cr_assert_str_eq(queue_strerror(MDB_BAD_DBI), mdb_strerror(MDB_BAD_DBI));
    cr_assert_null(strstr(queue_strerror(MDB_CORRUPTED), "Unknown error"));
    cr_assert_str_eq(queue_strerror(-ENOSPC), strerror(ENOSPC));
}

static void s_data_path(char *out, size_t cap)
{
    snprintf(out, cap, "%s/data.mdb", s_dir);
}

/* Issue 10 #6: truncated to 0 the queue started empty, 1,000 acknowledged jobs gone;
   truncated to half it gave SIGBUS. Both are refused at open now, as is a missing file
   where a queue was. */
Test(queue, empty_truncated_or_missing_file_is_refused_not_recreated)
{
    enum { N = 400 };
    static job_t jobs[N];
    static char big[4096];
    memset(big, 'x', sizeof big - 1);
    for (int i = 0; i < N; i++) {
        s_job(&jobs[i], i);
        queue_item_t it = {.id = jobs[i].id, .article = big, .len = sizeof big - 1};
        CHECK(queue_put_batch(s_q, &it, 1));
    }
    queue_destroy(&s_q);
    char path[300];
    s_data_path(path, sizeof path);
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    cr_assert_gt(sb.st_size, 1 << 20);
    char copy[800];
    snprintf(copy, sizeof copy, "cp '%s' '%s.keep'", path, path);
    cr_assert_eq(system(copy), 0);

    cr_assert_eq(truncate(path, sb.st_size / 2), 0);
    int rc = queue_open(s_dir, 0, &s_q);
    cr_assert_eq(rc, QUEUE_EDAMAGED, "half a file: %d %s", rc, queue_strerror(rc));
    cr_assert_null(s_q);

    cr_assert_eq(truncate(path, 0), 0);
    rc = queue_open(s_dir, 0, &s_q);
    cr_assert_eq(rc, QUEUE_EDAMAGED, "an empty file: %d %s", rc, queue_strerror(rc));
    cr_assert_null(s_q);
    cr_assert_eq(stat(path, &sb), 0);
    cr_assert_eq(sb.st_size, 0, "the empty file was not recreated");

    cr_assert_eq(unlink(path), 0);
    rc = queue_open(s_dir, 0, &s_q);
    cr_assert_eq(rc, QUEUE_EDAMAGED, "a missing file where a queue was: %d", rc);

    /* Restored, it opens with every job. */
    snprintf(copy, sizeof copy, "mv '%s.keep' '%s'", path, path);
    cr_assert_eq(system(copy), 0);
    CHECK(queue_open(s_dir, 0, &s_q));
    queue_stats_t qs;
    queue_stats(s_q, &qs);
    cr_assert_eq(qs.queued, N);
}

/* Issue 10 #6: a damaged record looped "skipped a corrupt job record" forever. Each is
   now skipped once and quarantined: dead-lettered when its id is readable. */
Test(queue, corrupt_records_are_skipped_once_and_quarantined)
{
    job_t jobs[5];
    for (int i = 0; i < 5; i++) {
        s_job(&jobs[i], i);
        cr_assert(s_put(&jobs[i]));
    }
    queue_destroy(&s_q);
    /* Damage two records with LMDB itself: fifo entry 2 holds 5 bytes instead of an id,
       and job 4 has lost its article. */
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi fifo, art;
    cr_assert_eq(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 8);
    cr_assert_eq(mdb_env_open(env, s_dir, 0, 0600), 0);
    cr_assert_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
    cr_assert_eq(mdb_dbi_open(txn, "fifo", 0, &fifo), 0);
    cr_assert_eq(mdb_dbi_open(txn, "art", 0, &art), 0);
    uint8_t key[8] = {0, 0, 0, 0, 0, 0, 0, 2};
    MDB_val k = {8, key}, v = {5, "short"};
    cr_assert_eq(mdb_put(txn, fifo, &k, &v, 0), 0);
    MDB_val ak = {UTIL_ID_HEX, jobs[3].id};
    cr_assert_eq(mdb_del(txn, art, &ak, NULL), 0);
    cr_assert_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);

    CHECK(queue_open(s_dir, 0, &s_q));
    char id[UTIL_ID_HEX + 1], qid[UTIL_ID_HEX + 1];
    uint32_t att;
    const void *a;
    size_t len;
    int got = 0, bad = 0, calls = 0, rc;
    while ((rc = queue_next(s_q, id, &att, &a, &len)) != 0) {
        cr_assert_lt(++calls, 20, "queue_next loops on a corrupt record");
        if (rc == QUEUE_ECORRUPT) {
            bad++;
            CHECK(queue_quarantine(s_q, "corrupt", qid));
            cr_assert_eq(queue_quarantine(s_q, "corrupt", qid), QUEUE_ENOTFOUND, "once");
            continue;
        }
        CHECK(rc);
        got++;
    }
    cr_assert_eq(got, 3);
    cr_assert_eq(bad, 2);
    queue_stats_t qs;
    queue_stats(s_q, &qs);
    cr_assert_eq(qs.dead, 2, "both jobs are dead-lettered, none left orphaned");
    cr_assert_eq(qs.inflight, 3);
    cr_assert_eq(s_state(jobs[3].id, NULL), QUEUE_DEAD);
    cr_assert_eq(s_state(jobs[1].id, NULL), QUEUE_DEAD,
                 "the job behind the unreadable fifo entry is dead-lettered, not orphaned");
    /* Reopened: quarantined records are not met again. */
    s_reopen();
    got = bad = 0;
    while ((rc = queue_next(s_q, id, &att, &a, &len)) != 0) {
        if (rc == QUEUE_ECORRUPT)
            bad++;
        else
            got++;
    }
    cr_assert_eq(bad, 0);
    cr_assert_eq(got, 3);
}

Test(queue, fail_batch_is_one_transaction_for_many_jobs)
{
    enum { N = 600 };
    static job_t jobs[N];
    for (int i = 0; i < N; i++) {
        s_job(&jobs[i], 1000 + i);
        cr_assert(s_put(&jobs[i]));
    }
    /* All in flight, as with a worker or a store lost holding them. */
    for (int i = 0; i < N; i++) {
        char id[UTIL_ID_HEX + 1];
        uint32_t att;
        const void *art;
        size_t len;
        cr_assert_eq(queue_next(s_q, id, &att, &art, &len), 1);
    }
    static queue_fail_item_t items[N + 1];
    for (int i = 0; i < N; i++)
        items[i] = (queue_fail_item_t){.id = jobs[i].id, .reason = "lost",
                                       .count = i % 2 == 0, .permanent = i % 3 == 0};
    /* One done job in the batch is skipped, not an error for the others. */
    queue_done_t d = {.id = jobs[N - 1].id};
    CHECK(queue_done(s_q, &d, 1));
    CHECK(queue_fail_batch(s_q, items, N, 3));
    int dead = 0, requeued = 0, skipped = 0;
    for (int i = 0; i < N; i++) {
        dead += items[i].outcome == QUEUE_KILLED;
        requeued += items[i].outcome == QUEUE_REQUEUED;
        skipped += items[i].outcome == 0;
    }
    cr_assert_eq(skipped, 1, "the done job is left alone");
    /* Permanent only counts with an attempt: i even and a multiple of 3 dies. */
    cr_assert_eq(dead, (N - 1 + 5) / 6, "dead %d", dead);
    cr_assert_eq(requeued, N - 1 - dead);
    uint32_t att;
    cr_assert_eq(s_state(jobs[0].id, &att), QUEUE_DEAD);
    cr_assert_eq(s_state(jobs[1].id, &att), QUEUE_QUEUED);
    cr_assert_eq(att, 0, "a requeue counts no attempt");
    cr_assert_eq(s_state(jobs[2].id, &att), QUEUE_QUEUED);
    cr_assert_eq(att, 1);
    queue_stats_t st;
    queue_stats(s_q, &st);
    cr_assert_eq(st.inflight, 0);
    cr_assert_eq(st.queued, (uint64_t)requeued);
    cr_assert_eq(st.dead, (uint64_t)dead);
    s_reopen();
    queue_stats(s_q, &st);
    cr_assert_eq(st.queued, (uint64_t)requeued, "durable");
    cr_assert_eq(st.dead, (uint64_t)dead);
}
