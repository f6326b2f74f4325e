/*  broker: the event loop that connects producers, workers and the store. See broker.h.

    Job life in memory (the durable part is in queue.c):

        queued --queue_next--> WITH_WORKER --RESULT--> AWAITING (commit) --COMMITTED--> done
                                   |                        |
             FAIL / silent worker / deadline           deadline (result lost, store away)
                                   v                        v
                 queue_fail: tail again or dead     queue_requeue: tail, no attempt counted

    Only jobs handed out live in `jobs`; they are rebuilt at restart by the queue putting
    everything in flight back. Every byte a peer sends is validated; a bad message is
    counted by reason, sampled into the log (rate-limited) and dropped, with a NACK to
    producers when there is a tag to answer to. Nothing here asserts on peer input. */
#include "broker.h"
#include "auth.h"
#include "json.h"
#include "metrics.h"
#include "queue.h"
#include "util.h"
#include "wire.h"

#include <assert.h>
#include <czmq.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define S_SUBMIT_BATCH   256     /* SUBMITs per group commit */
#define S_BACKEND_BURST  1024    /* back-end messages per loop pass */
#define S_FRONTEND_BURST 1024    /* front-end messages per loop pass, so that a flood of
                                    garbage (never batched) can't starve the back end */
#define S_DONE_BATCH     1024    /* committed ids per queue_done transaction */
#define S_MAX_CREDIT     1000000 /* a worker's credit never exceeds this */
#define S_METRICS_MS     500     /* how often the metrics snapshot is re-rendered */
#define S_LOG_PER_SEC    10      /* bad-message log lines per second before suppressing */
#define S_DEAD_LIST_MAX  1000    /* dead-list entries returned by default */
#define S_HB_FLOOD       10      /* heartbeats from one peer within one interval beyond
                                    which each is counted as a flood (a peer sends one) */
#define S_BACK_BATCH     256     /* jobs taken back from workers or the store per
                                    queue transaction (one fsync for all of them) */
#define S_GONE_RING      256     /* ids taken back from a live worker that are remembered,
                                    so its late RESULT is told from a forged one */
#define S_HELLO_MAX      3       /* repeated HELLOs from one worker per S_HELLO_WINDOW_S
                                    that are honoured; more are refused and counted */
#define S_HELLO_WINDOW_S 10
#define S_CORRUPT_PER_PASS 64    /* corrupt queue records quarantined per dispatch pass,
                                    so a damaged file can't keep the loop from answering */

typedef enum {
    R_FRAMES, R_PROTOCOL, R_COMMAND, R_ARGUMENT, R_TOO_BIG, R_PROTOBUF, R_EMPTY,
    R_ID_MISMATCH, R_UNKNOWN_PEER, R_UNEXPECTED, R_BAD_RESULT, R_STORAGE, R_NUL,
    R_ARTICLE_TOO_BIG, R_HB_FLOOD, R_NOT_HOLDER, R_SECOND_STORE, R_NOT_SENT,
    R_HELLO_FLOOD, R_RESULT_TOO_BIG, R_COUNT
} s_reason_t;

static const char *const s_reason_names[R_COUNT] = {
    [R_FRAMES] = "frames",           [R_PROTOCOL] = "protocol",
    [R_COMMAND] = "command",         [R_ARGUMENT] = "argument",
    [R_TOO_BIG] = "too_big",         [R_PROTOBUF] = "protobuf",
    [R_EMPTY] = "empty_article",     [R_ID_MISMATCH] = "id_mismatch",
    [R_UNKNOWN_PEER] = "unknown_peer", [R_UNEXPECTED] = "unexpected_command",
    [R_BAD_RESULT] = "bad_result",   [R_STORAGE] = "storage",
    [R_NUL] = "nul_bytes",           [R_ARTICLE_TOO_BIG] = "article_too_big",
    [R_HB_FLOOD] = "heartbeat_flood",
    /* roles (STYLE.md rule 16) */
    [R_NOT_HOLDER] = "not_holder",     /* RESULT/FAIL for a job this worker does not hold */
    [R_SECOND_STORE] = "second_store", /* HELLO store while another store is connected */
    [R_NOT_SENT] = "not_sent_to_store", /* COMMITTED/REFUSED for a result not sent to it */
    [R_HELLO_FLOOD] = "hello_flood",   /* a worker repeating HELLO beyond S_HELLO_MAX */
    [R_RESULT_TOO_BIG] = "result_too_big", /* RESULT frame over WIRE_MAX_RESULT */
};

/* Histogram bounds for submit-to-commit latency, seconds. */
static const double s_buckets[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                   1, 2.5, 5, 10, 30, 60, 120, 300};
#define S_NBUCKETS (sizeof s_buckets / sizeof s_buckets[0])

typedef struct {
    zframe_t *identity;      /* ROUTER identity, owned */
    char key[2 * 256 + 1];   /* identity as hex: the hash key */
    char name[257];          /* as the worker named itself, for operators */
    uint32_t credit;         /* jobs it may still be sent */
    uint32_t max_credit;     /* HELLO credit + READY additions: cap for returned credit */
    uint32_t held;           /* jobs assigned to it now */
    uint64_t jobs_done;      /* RESULTs accepted from it */
    uint64_t last_seen_us;   /* monotonic time of its last message */
    uint64_t hb_window_us;   /* start of the interval its heartbeats are counted in */
    uint32_t hb_count;       /* heartbeats in that interval */
    uint64_t hello_window_us; /* start of the window its repeated HELLOs are counted in */
    uint32_t hello_count;    /* repeated HELLOs in that window */
    char (*gone)[UTIL_ID_HEX + 1]; /* ring of ids taken back from it while it lived
                                      (deadline, re-HELLO), or NULL until the first */
    size_t gone_next;        /* next slot of the ring to overwrite */
} s_worker_t;

typedef enum { J_WITH_WORKER = 1, J_AWAITING } s_jstate_t;

typedef struct s_job_t {
    char id[UTIL_ID_HEX + 1];  /* also the key in `jobs` (borrowed by the hash) */
    s_jstate_t state;
    s_worker_t *worker;        /* holder while J_WITH_WORKER, else NULL */
    uint64_t deadline_us;      /* monotonic */
    size_t article_len;        /* bytes of the Article sent: its text is no longer */
    struct s_job_t *next_free; /* free list link */
} s_job_t;

/* One SUBMIT waiting for the group commit; `msg` owns the bytes the rest points into. */
typedef struct {
    zmsg_t *msg;
    zframe_t *identity;
    const uint8_t *tag;
    size_t tag_len;
    char id[UTIL_ID_HEX + 1];
    uint64_t submitted_us;     /* from the Article; 0 = stamp at commit */
} s_pending_t;

struct broker_t {
    broker_config_t cfg;           /* copy; strings borrowed from the caller */
    queue_t *queue;                /* durable job state */
    zsock_t *front;                /* ROUTER: producers and admin clients */
    zsock_t *back;                 /* ROUTER: workers and the store */
    metrics_t *metrics;            /* HTTP server, or NULL */
    zhashx_t *workers;             /* identity hex -> s_worker_t */
    s_worker_t **wlist;            /* the same workers, in dispatch order */
    size_t nworkers, wcap;
    size_t rr;                     /* round-robin position in wlist */
    uint64_t credit_total;         /* sum of worker credit: dispatch when > 0 */
    zframe_t *store_id;            /* connected store's identity, or NULL */
    char store_name[257];
    zframe_t *cand_id;             /* a store that said HELLO while another was connected:
                                      admitted if that one goes, or NULL */
    char cand_name[257];
    uint64_t cand_seen_us;         /* its last message, monotonic */
    uint64_t store_seen_us;
    uint64_t caught_up_us;         /* mono time the back end was last read empty */
    uint64_t store_hb_window_us;   /* as hb_window_us and hb_count of a worker */
    uint32_t store_hb_count;
    zhashx_t *jobs;                /* job id -> s_job_t, for jobs out of the queue */
    s_job_t *free_jobs;            /* recycled s_job_t */
    uint64_t awaiting;             /* jobs in J_AWAITING */
    bool paused;                   /* dispatch stopped by an operator */
    s_pending_t pending[S_SUBMIT_BATCH];  /* SUBMITs awaiting group commit */
    queue_item_t items[S_SUBMIT_BATCH];
    size_t npending;
    /* jobs being taken back (failed or requeued) in one queue_fail_batch */
    queue_fail_item_t back_items[S_BACK_BATCH];
    char back_ids[S_BACK_BATCH][UTIL_ID_HEX + 1];
    char back_reasons[S_BACK_BATCH][400];
    bool back_redelivery[S_BACK_BATCH];   /* counts as redelivered when requeued */
    size_t nback;
    char done_ids[S_DONE_BATCH][UTIL_ID_HEX + 1]; /* COMMITTED ids awaiting queue_done */
    queue_done_t done_items[S_DONE_BATCH];
    size_t ndone;
    json_t *json;                  /* reused for replies */
    char *mbuf;                    /* metrics text buffer */
    size_t mlen, mcap;
    /* counters since start */
    uint64_t submitted, duplicates, completed, redelivered, dead_total, late_results;
    uint64_t windows1252;          /* results of texts decoded as Windows-1252 */
    uint64_t store_refused;        /* results the store REFUSED (counted as failed attempts) */
    uint64_t rehello;              /* repeated HELLOs honoured (held jobs requeued) */
    uint64_t corrupt;              /* corrupt queue records quarantined */
    uint64_t storage_full;         /* SUBMIT batches refused for want of space */
    uint64_t rejected[R_COUNT];
    uint64_t lat_buckets[S_NBUCKETS];
    uint64_t lat_count;
    double lat_sum;
    uint64_t started_us;
    /* log rate limit */
    uint64_t log_window_us;
    unsigned log_in_window, log_suppressed;
};

/* ---------------------------------------------------------------- helpers */

static void s_hex(const uint8_t *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    if (n > 256)
        n = 256;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = 0;
}

static void s_frame_key(zframe_t *f, char *out)
{
    s_hex(zframe_data(f), zframe_size(f), out);
}

/* Counts a rejected message and logs a short sample, at most S_LOG_PER_SEC lines a
   second so that a flood of garbage can't turn into a flood of log writes. */
static void s_reject(broker_t *self, s_reason_t r, const char *where, zframe_t *identity,
                     const void *sample, size_t sample_len, const char *detail)
{
    self->rejected[r]++;
    uint64_t now = util_mono_us();
    if (now - self->log_window_us >= 1000000) {
        if (self->log_suppressed)
            util_warn("%u more rejected messages not logged", self->log_suppressed);
        self->log_window_us = now;
        self->log_in_window = 0;
        self->log_suppressed = 0;
    }
    if (self->log_in_window++ >= S_LOG_PER_SEC) {
        self->log_suppressed++;
        return;
    }
    char peer[16] = "-", smp[80] = "";
    if (identity)
        s_hex(zframe_data(identity), zframe_size(identity) < 6 ? zframe_size(identity) : 6, peer);
    if (sample)
        util_sample(sample, sample_len, smp, sizeof smp);
    util_warn("%s: rejected (%s) from peer %s: %s [%s]", where, s_reason_names[r], peer,
              detail ? detail : "", smp);
}

static s_reason_t s_wire_reason(int rc)
{
    switch (rc) {
    case WIRE_EFRAMES: return R_FRAMES;
    case WIRE_EPROTO: return R_PROTOCOL;
    case WIRE_ECOMMAND: return R_COMMAND;
    case WIRE_ETOOBIG: return R_TOO_BIG;
    case WIRE_EPROTOBUF: return R_PROTOBUF;
    default: return R_ARGUMENT;
    }
}

/* Returns the tag of a message that failed to decode, when it looks like a SUBMIT or an
   ADMIN with a sane tag frame, so the producer can still be told why. */
static bool s_salvage_tag(zmsg_t *msg, const uint8_t **tag, size_t *len)
{
    if (zmsg_size(msg) < 4)
        return false;
    zframe_t *f = zmsg_first(msg);        /* identity */
    f = zmsg_next(msg);                   /* CC1 */
    if (!zframe_streq(f, WIRE_PROTO))
        return false;
    f = zmsg_next(msg);                   /* command */
    if (!zframe_streq(f, "SUBMIT") && !zframe_streq(f, "ADMIN"))
        return false;
    f = zmsg_next(msg);
    if (zframe_size(f) > WIRE_MAX_TAG)
        return false;
    *tag = zframe_data(f);
    *len = zframe_size(f);
    return true;
}

static void s_nack(broker_t *self, zframe_t *identity, const void *tag, size_t tag_len,
                   const char *reason)
{
    const void *args[2] = {tag, reason};
    size_t lens[2] = {tag_len, strlen(reason)};
    wire_send(self->front, identity, WIRE_NACK, 2, args, lens);
}

static void s_adminr(broker_t *self, zframe_t *identity, const void *tag, size_t tag_len,
                     bool ok, const char *payload, size_t len)
{
    const char *status = ok ? "ok" : "error";
    const void *args[3] = {tag, status, payload};
    size_t lens[3] = {tag_len, strlen(status), len};
    wire_send(self->front, identity, WIRE_ADMINR, 3, args, lens);
}

/* Finds the job id (field 1), the encoding (field 7) and text_bytes (field 10) of a
   Result protobuf without unpacking it all: walks the top-level fields, skipping each by
   its wire type. Returns false on malformed framing or without a job id; *enc is NULL
   when there is none, *text_bytes 0. */
static bool s_pb_peek(const uint8_t *p, size_t n, const uint8_t **id, size_t *id_len,
                      const uint8_t **enc, size_t *enc_len, uint64_t *text_bytes)
{
    size_t i = 0;
    *id = NULL;
    *enc = NULL;
    *enc_len = 0;
    *text_bytes = 0;
    while (i < n) {
        uint64_t key = 0, len = 0;
        int shift = 0;
        do {
            if (i >= n || shift > 63)
                return false;
            key |= (uint64_t)(p[i] & 0x7f) << shift;
            shift += 7;
        } while (p[i++] & 0x80);
        switch (key & 7) {
        case 0: {
            uint64_t v = 0;
            shift = 0;
            do {
                if (i >= n || shift > 63)
                    return false;
                v |= (uint64_t)(p[i] & 0x7f) << shift;
                shift += 7;
            } while (p[i++] & 0x80);
            if ((key >> 3) == 10)
                *text_bytes = v;
            break;
        }
        case 1:
            if (n - i < 8)
                return false;
            i += 8;
            break;
        case 5:
            if (n - i < 4)
                return false;
            i += 4;
            break;
        case 2:
            shift = 0;
            do {
                if (i >= n || shift > 63)
                    return false;
                len |= (uint64_t)(p[i] & 0x7f) << shift;
                shift += 7;
            } while (p[i++] & 0x80);
            if (len > n - i)
                return false;
            if ((key >> 3) == 1) {
                *id = p + i;
                *id_len = (size_t)len;
            } else if ((key >> 3) == 7) {
                *enc = p + i;
                *enc_len = (size_t)len;
            }
            i += (size_t)len;
            break;
        default:
            return false;
        }
    }
    return *id != NULL;
}

/* ---------------------------------------------------------------- jobs and workers */

static s_job_t *s_job_new(broker_t *self, const char *id)
{
    s_job_t *j = self->free_jobs;
    if (j)
        self->free_jobs = j->next_free;
    else
        j = util_malloc(sizeof *j);
    memset(j, 0, sizeof *j);
    memcpy(j->id, id, UTIL_ID_HEX + 1);
    return j;
}

/* Removes job `j` from memory (its queue record is the caller's business). */
static void s_job_forget(broker_t *self, s_job_t *j)
{
    if (j->state == J_WITH_WORKER && j->worker)
        j->worker->held--;
    if (j->state == J_AWAITING)
        self->awaiting--;
    zhashx_delete(self->jobs, j->id);
    j->next_free = self->free_jobs;
    self->free_jobs = j;
}

static void s_credit_add(broker_t *self, s_worker_t *w, int64_t delta)
{
    int64_t c = (int64_t)w->credit + delta;
    if (c < 0)
        c = 0;
    if (c > S_MAX_CREDIT)
        c = S_MAX_CREDIT;
    self->credit_total = self->credit_total - w->credit + (uint64_t)c;
    w->credit = (uint32_t)c;
}

/* Takes job `j` out of memory and adds it to the batch going back to the queue: `count`
   says whether it was a failed attempt (FAIL, silent worker, deadline: it may die) or
   not (its result was lost on the way to the store). `redelivery` says whether putting
   it back counts as a redelivery. The caller flushes with s_back_flush when the batch is
   full and when done. */
static void s_back_add(broker_t *self, s_job_t *j, const char *reason, bool count,
                       bool permanent, bool redelivery)
{
    assert(self->nback < S_BACK_BATCH);
    size_t i = self->nback++;
    memcpy(self->back_ids[i], j->id, UTIL_ID_HEX + 1);
    snprintf(self->back_reasons[i], sizeof self->back_reasons[i], "%s", reason ? reason : "");
    self->back_items[i] = (queue_fail_item_t){.id = self->back_ids[i],
                                              .reason = self->back_reasons[i],
                                              .permanent = permanent, .count = count};
    self->back_redelivery[i] = redelivery;
    s_job_forget(self, j);
}

/* One queue transaction for the jobs added by s_back_add; counts what became of them. */
static int s_back_flush(broker_t *self)
{
    if (self->nback == 0)
        return 0;
    int rc = queue_fail_batch(self->queue, self->back_items, self->nback, self->cfg.max_attempts);
    if (rc < 0) {
        /* They left memory but not the fifo: they come back at the next start. Not fatal:
           the broker keeps serving what it can. */
        util_error("queue: taking back %zu jobs: %s", self->nback, queue_strerror(rc));
        self->nback = 0;
        return 0;
    }
    for (size_t i = 0; i < self->nback; i++) {
        if (self->back_items[i].outcome == QUEUE_KILLED) {
            self->dead_total++;
            util_warn("job %s is dead: %s", self->back_ids[i], self->back_reasons[i]);
        } else if (self->back_items[i].outcome == QUEUE_REQUEUED && self->back_redelivery[i]) {
            self->redelivered++;
        }
    }
    self->nback = 0;
    return 0;
}

/* One job failed (FAIL, a malformed result): count the attempt in the queue, which puts
   it at the tail or into the dead-letter set. */
static int s_job_failed(broker_t *self, s_job_t *j, const char *reason, bool permanent,
                        bool redelivery)
{
    s_back_add(self, j, reason, true, permanent, redelivery);
    return s_back_flush(self);
}

/* Collects up to S_BACK_BATCH jobs in memory for which `pick` is true. */
typedef bool (s_pick_fn)(const s_job_t *j, const void *arg);

static size_t s_jobs_pick(broker_t *self, s_pick_fn *pick, const void *arg, s_job_t **list)
{
    size_t n = 0;
    for (s_job_t *j = zhashx_first(self->jobs); j && n < S_BACK_BATCH; j = zhashx_next(self->jobs))
        if (pick(j, arg))
            list[n++] = j;
    return n;
}

/* Remembers that job `id` was taken back from live worker `w`. Can't fail. */
static void s_gone_add(s_worker_t *w, const char *id)
{
    if (!w->gone)
        w->gone = util_calloc(S_GONE_RING, sizeof *w->gone);
    memcpy(w->gone[w->gone_next], id, UTIL_ID_HEX + 1);
    w->gone_next = (w->gone_next + 1) % S_GONE_RING;
}

/* True when job `id` was taken back from `w` lately: its RESULT is late, not forged. */
static bool s_gone_has(const s_worker_t *w, const char *id)
{
    if (!w->gone)
        return false;
    for (size_t i = 0; i < S_GONE_RING; i++)
        if (memcmp(w->gone[i], id, UTIL_ID_HEX) == 0)
            return true;
    return false;
}

static bool s_held_by(const s_job_t *j, const void *w)
{
    return j->state == J_WITH_WORKER && j->worker == w;
}

/* Takes back every job held by `w` (it went silent, said BYE, or said HELLO again):
   counted as failed attempts when `count`, else simply requeued. */
static int s_worker_release(broker_t *self, s_worker_t *w, const char *why, bool count)
{
    char reason[400];
    snprintf(reason, sizeof reason, "worker %s %s", w->name, why);
    s_job_t *list[S_BACK_BATCH];
    size_t n;
    while (w->held > 0 && (n = s_jobs_pick(self, s_held_by, w, list)) > 0) {
        for (size_t i = 0; i < n; i++) {
            s_gone_add(w, list[i]->id);
            s_back_add(self, list[i], reason, count, false, true);
        }
        int rc = s_back_flush(self);
        if (rc)
            return rc;
    }
    w->held = 0;
    return 0;
}

static void s_worker_remove(broker_t *self, s_worker_t *w)
{
    for (size_t i = 0; i < self->nworkers; i++)
        if (self->wlist[i] == w) {
            self->wlist[i] = self->wlist[--self->nworkers];
            break;
        }
    self->credit_total -= w->credit;
    zhashx_delete(self->workers, w->key);
    zframe_destroy(&w->identity);
    free(w->gone);
    free(w);
}

static s_worker_t *s_worker_find(broker_t *self, zframe_t *identity)
{
    char key[2 * 256 + 1];
    s_frame_key(identity, key);
    return zhashx_lookup(self->workers, key);
}

static bool s_is_store(broker_t *self, zframe_t *identity)
{
    return self->store_id && zframe_eq(self->store_id, identity);
}

/* ---------------------------------------------------------------- front end */

/* Group commit: every SUBMIT collected in this pass goes into one durable transaction,
   and only then are they acknowledged. */
static int s_flush_submits(broker_t *self)
{
    if (self->npending == 0)
        return 0;
    for (size_t i = 0; i < self->npending; i++) {
        zframe_t *f = zmsg_last(self->pending[i].msg);
        self->items[i] = (queue_item_t){.id = self->pending[i].id,
                                        .article = zframe_data(f), .len = zframe_size(f),
                                        .submitted_us = self->pending[i].submitted_us};
    }
    int rc = queue_put_batch(self->queue, self->items, self->npending);
    for (size_t i = 0; i < self->npending; i++) {
        s_pending_t *p = &self->pending[i];
        if (rc < 0) {
            char why[400];
            if (rc == QUEUE_EFULL)
                snprintf(why, sizeof why, "queue full: no space left in %s/broker (map at its "
                         "limit); try again later", self->cfg.data_dir);
            else if (rc == -ENOSPC || rc == -EDQUOT)
                snprintf(why, sizeof why, "disk full: no space left in %s/broker; try again "
                         "later", self->cfg.data_dir);
            else
                snprintf(why, sizeof why, "broker storage error: %s", queue_strerror(rc));
            s_nack(self, p->identity, p->tag, p->tag_len, why);
            self->rejected[R_STORAGE]++;
        } else {
            const char *state = self->items[i].added ? "queued" : "duplicate";
            if (self->items[i].added)
                self->submitted++;
            else
                self->duplicates++;
            const void *args[3] = {p->tag, p->id, state};
            size_t lens[3] = {p->tag_len, UTIL_ID_HEX, strlen(state)};
            wire_send(self->front, p->identity, WIRE_ACK, 3, args, lens);
        }
        zmsg_destroy(&p->msg);
    }
    if (rc < 0) {
        self->storage_full += rc == QUEUE_EFULL || rc == -ENOSPC || rc == -EDQUOT;
        static uint64_t logged_us;
        uint64_t now = util_mono_us();
        if (now - logged_us > 5u * 1000000u) {
            util_error("queue: group commit of %zu jobs failed: %s (refused, still serving)",
                       self->npending, queue_strerror(rc));
            logged_us = now;
        }
    }
    self->npending = 0;
    /* Storage trouble refuses new work; it never stops the broker, which keeps serving
       and acking what it holds, and takes work again when space returns. */
    return 0;
}

/* Validates a SUBMIT; takes ownership of *msg_p when it joins the pending batch. */
static void s_on_submit(broker_t *self, zmsg_t **msg_p, zframe_t *identity, wire_msg_t *m)
{
    const uint8_t *tag = m->arg[0];
    size_t tag_len = m->arg_len[0];
    Crossclaim__Article *a = NULL;
    int rc = wire_unpack_article(m->arg[1], m->arg_len[1], &a);
    if (rc) {
        /* The frame fit (else wire_decode refused it): too big here is the text. */
        bool text = rc == WIRE_ETOOBIG;
        s_reject(self, text ? R_ARTICLE_TOO_BIG : s_wire_reason(rc), "SUBMIT", identity,
                 m->arg[1], m->arg_len[1] < 16 ? m->arg_len[1] : 16, wire_strerror(rc));
        s_nack(self, identity, tag, tag_len,
               text ? "article over the size limit (8 MiB of text)" : wire_strerror(rc));
        return;
    }
    char id[UTIL_ID_HEX + 1];
    if (a->text.len == 0) {
        s_reject(self, R_EMPTY, "SUBMIT", identity, a->source, strlen(a->source),
                 "empty article");
        s_nack(self, identity, tag, tag_len, "empty article");
        goto leave;
    }
    /* A NUL is never text: a binary file or a broken producer (the CLI checks too). */
    if (memchr(a->text.data, 0, a->text.len)) {
        s_reject(self, R_NUL, "SUBMIT", identity, a->source, strlen(a->source),
                 "article holds NUL bytes");
        s_nack(self, identity, tag, tag_len, "article holds NUL bytes (a binary file?)");
        goto leave;
    }
    util_job_id(a->title, strlen(a->title), a->text.data, a->text.len, id);
    if (strcmp(id, a->id) != 0) {
        s_reject(self, R_ID_MISMATCH, "SUBMIT", identity, a->id, strlen(a->id),
                 "job id does not match title and text");
        s_nack(self, identity, tag, tag_len, "job id does not match the article's title and text");
        goto leave;
    }
    s_pending_t *p = &self->pending[self->npending++];
    p->msg = *msg_p;
    *msg_p = NULL;
    p->identity = identity;
    p->tag = tag;
    p->tag_len = tag_len;
    memcpy(p->id, id, sizeof id);
    p->submitted_us = a->submitted_us;
leave:
    crossclaim__article__free_unpacked(a, NULL);
}


/* Estimates a quantile of submit-to-commit latency from the histogram, interpolating
   linearly inside the bucket it falls in (as Prometheus' histogram_quantile does).
   0 when nothing has been committed yet. */
static double s_lat_quantile(const broker_t *self, double q)
{
    if (self->lat_count == 0)
        return 0;
    double rank = q * (double)self->lat_count;
    uint64_t cum = 0;
    for (size_t b = 0; b < S_NBUCKETS; b++) {
        uint64_t prev = cum;
        cum += self->lat_buckets[b];
        if ((double)cum >= rank && self->lat_buckets[b]) {
            double lo = b ? s_buckets[b - 1] : 0;
            return lo + (s_buckets[b] - lo) * (rank - (double)prev) / (double)self->lat_buckets[b];
        }
    }
    return s_buckets[S_NBUCKETS - 1];
}

static void s_stats_json(broker_t *self, json_t *j)
{
    queue_stats_t qs;
    queue_stats(self->queue, &qs);
    uint64_t now = util_mono_us();
    json_obj_begin(j);
    json_key(j, "depth"); json_int(j, (int64_t)qs.queued);
    json_key(j, "inflight"); json_int(j, (int64_t)(qs.inflight - self->awaiting));
    json_key(j, "awaiting_commit"); json_int(j, (int64_t)self->awaiting);
    json_key(j, "connected_workers"); json_int(j, (int64_t)self->nworkers);
    json_key(j, "credit"); json_int(j, (int64_t)self->credit_total);
    json_key(j, "workers");
    json_arr_begin(j);
    for (size_t i = 0; i < self->nworkers; i++) {
        s_worker_t *w = self->wlist[i];
        json_obj_begin(j);
        json_key(j, "name"); json_str(j, w->name);
        json_key(j, "credit"); json_int(j, w->credit);
        json_key(j, "jobs"); json_int(j, w->held);
        json_key(j, "jobs_done"); json_int(j, (int64_t)w->jobs_done);
        json_key(j, "last_heartbeat_ms_ago"); json_int(j, (int64_t)((now - w->last_seen_us) / 1000));
        json_obj_end(j);
    }
    json_arr_end(j);
    json_key(j, "store_connected"); json_bool(j, self->store_id != NULL);
    json_key(j, "store"); json_str(j, self->store_id ? self->store_name : NULL);
    json_key(j, "submitted"); json_int(j, (int64_t)self->submitted);
    json_key(j, "duplicates"); json_int(j, (int64_t)self->duplicates);
    json_key(j, "completed"); json_int(j, (int64_t)self->completed);
    json_key(j, "redelivered"); json_int(j, (int64_t)self->redelivered);
    json_key(j, "dead"); json_int(j, (int64_t)qs.dead);
    json_key(j, "dead_total"); json_int(j, (int64_t)self->dead_total);
    json_key(j, "done"); json_int(j, (int64_t)qs.done);
    json_key(j, "late_results"); json_int(j, (int64_t)self->late_results);
    json_key(j, "windows1252"); json_int(j, (int64_t)self->windows1252);
    json_key(j, "store_refused"); json_int(j, (int64_t)self->store_refused);
    json_key(j, "rehello"); json_int(j, (int64_t)self->rehello);
    json_key(j, "corrupt_records"); json_int(j, (int64_t)self->corrupt);
    json_key(j, "storage_full"); json_int(j, (int64_t)self->storage_full);
    json_key(j, "rejected");
    json_obj_begin(j);
    for (int r = 0; r < R_COUNT; r++) {
        json_key(j, s_reason_names[r]);
        json_int(j, (int64_t)self->rejected[r]);
    }
    json_obj_end(j);
    json_key(j, "auth");
    json_obj_begin(j);
    json_key(j, "accepted"); json_int(j, (int64_t)auth_accepted(self->cfg.auth));
    json_key(j, "denied"); json_int(j, (int64_t)auth_denied(self->cfg.auth));
    json_obj_end(j);
    json_key(j, "paused"); json_bool(j, self->paused);
    json_key(j, "latency_p50_s"); json_num(j, s_lat_quantile(self, 0.50));
    json_key(j, "latency_p99_s"); json_num(j, s_lat_quantile(self, 0.99));
    json_key(j, "latency_count"); json_int(j, (int64_t)self->lat_count);
    json_key(j, "uptime_s"); json_int(j, (int64_t)((now - self->started_us) / 1000000));
    json_obj_end(j);
}

typedef struct {
    json_t *j;
    bool full;   /* dead-show: every field */
} s_dead_ctx_t;

static int s_dead_row(const char *id, uint32_t attempts, const char *reason,
                      const void *article, size_t len, void *arg)
{
    s_dead_ctx_t *c = arg;
    /* Stored bytes were validated at submit; unpack defensively all the same. */
    Crossclaim__Article *a = NULL;
    if (article && wire_unpack_article(article, len, &a) != 0)
        a = NULL;
    json_obj_begin(c->j);
    json_key(c->j, "id"); json_str(c->j, id);
    json_key(c->j, "source"); json_str(c->j, a ? a->source : NULL);
    json_key(c->j, "title"); json_str(c->j, a ? a->title : NULL);
    json_key(c->j, "attempts"); json_int(c->j, attempts);
    json_key(c->j, "reason"); json_str(c->j, reason);
    if (c->full) {
        json_key(c->j, "outlet"); json_str(c->j, a ? a->outlet : NULL);
        json_key(c->j, "published"); json_str(c->j, a ? a->published : NULL);
        json_key(c->j, "text_bytes"); json_int(c->j, a ? (int64_t)a->text.len : 0);
        json_key(c->j, "submitted_us"); json_int(c->j, a ? (int64_t)a->submitted_us : 0);
    }
    json_obj_end(c->j);
    if (a)
        crossclaim__article__free_unpacked(a, NULL);
    return 0;
}

typedef struct {
    json_t *j;
    const char *state;   /* queued, with_worker, awaiting_commit */
    const char *worker;  /* holder's name, or NULL */
} s_pending_ctx_t;

static int s_pending_row(const char *id, uint32_t attempts, const char *reason,
                         const void *article, size_t len, void *arg)
{
    s_pending_ctx_t *c = arg;
    Crossclaim__Article *a = NULL;
    if (article && wire_unpack_article(article, len, &a) != 0)
        a = NULL;
    json_obj_begin(c->j);
    json_key(c->j, "id"); json_str(c->j, id);
    json_key(c->j, "state"); json_str(c->j, c->state);
    json_key(c->j, "worker"); json_str(c->j, c->worker);
    json_key(c->j, "source"); json_str(c->j, a ? a->source : NULL);
    json_key(c->j, "title"); json_str(c->j, a ? a->title : NULL);
    json_key(c->j, "attempts"); json_int(c->j, attempts);
    json_obj_end(c->j);
    if (a)
        crossclaim__article__free_unpacked(a, NULL);
    return 0;
}

/* The jobs not yet done nor dead, at most `limit`: those out with a worker or awaiting
   the store's commit first, then the queued ones in FIFO order. For `crossclaim run` to
   name what it gave up on. Returns 0 or a queue error. */
static int s_pending_json(broker_t *self, json_t *j, size_t limit)
{
    json_arr_begin(j);
    size_t n = 0;
    for (s_job_t *jb = zhashx_first(self->jobs); jb && n < limit; jb = zhashx_next(self->jobs)) {
        s_pending_ctx_t c = {j, jb->state == J_AWAITING ? "awaiting_commit" : "with_worker",
                             jb->worker ? jb->worker->name : NULL};
        if (queue_job_get(self->queue, jb->id, s_pending_row, &c) == 0)
            n++;
    }
    int64_t rc = 0;
    if (n < limit) {
        s_pending_ctx_t c = {j, "queued", NULL};
        rc = queue_queued_list(self->queue, limit - n, s_pending_row, &c);
    }
    json_arr_end(j);
    return rc < 0 ? (int)rc : 0;
}

static void s_on_admin(broker_t *self, zframe_t *identity, wire_msg_t *m)
{
    const uint8_t *tag = m->arg[0];
    size_t tag_len = m->arg_len[0];
    char verb[32] = "", arg[64] = "";
    bool has_arg = m->nargs > 2;
    if (m->arg_len[1] >= sizeof verb || (has_arg && m->arg_len[2] >= sizeof arg)) {
        s_reject(self, R_ARGUMENT, "ADMIN", identity, m->arg[1], m->arg_len[1], "verb or argument too long");
        s_adminr(self, identity, tag, tag_len, false, "verb or argument too long", 25);
        return;
    }
    memcpy(verb, m->arg[1], m->arg_len[1]);
    verb[m->arg_len[1]] = 0;
    if (has_arg) {
        memcpy(arg, m->arg[2], m->arg_len[2]);
        arg[m->arg_len[2]] = 0;
    }
    json_t *j = self->json;
    json_reset(j);
    const char *err = NULL;
    char ebuf[160];
    bool need_id = !strcmp(verb, "dead-show") || !strcmp(verb, "requeue");
    if (need_id && !util_is_job_id(arg, strlen(arg))) {
        err = "this verb needs a job id (32 lowercase hex digits)";
    } else if (!strcmp(verb, "stats")) {
        s_stats_json(self, j);
    } else if (!strcmp(verb, "dead-list")) {
        uint64_t limit = S_DEAD_LIST_MAX;
        if (has_arg && wire_arg_u64(m->arg[2], m->arg_len[2], &limit) != 0) {
            err = "dead-list takes an optional number: the most entries to list";
        } else {
            s_dead_ctx_t c = {j, false};
            json_arr_begin(j);
            int64_t n = queue_dead_list(self->queue, (size_t)limit, s_dead_row, &c);
            json_arr_end(j);
            if (n < 0) {
                snprintf(ebuf, sizeof ebuf, "queue: %s", queue_strerror((int)n));
                err = ebuf;
            }
        }
    } else if (!strcmp(verb, "pending")) {
        uint64_t limit = 20;
        if (has_arg && (wire_arg_u64(m->arg[2], m->arg_len[2], &limit) != 0 || limit == 0)) {
            err = "pending takes an optional number: the most entries to list";
        } else {
            int rc = s_pending_json(self, j, limit > S_DEAD_LIST_MAX ? S_DEAD_LIST_MAX : limit);
            if (rc < 0) {
                snprintf(ebuf, sizeof ebuf, "queue: %s", queue_strerror(rc));
                err = ebuf;
            }
        }
    } else if (!strcmp(verb, "dead-show")) {
        s_dead_ctx_t c = {j, true};
        int rc = queue_dead_get(self->queue, arg, s_dead_row, &c);
        if (rc == QUEUE_ENOTFOUND)
            err = "no such dead job";
        else if (rc < 0) {
            snprintf(ebuf, sizeof ebuf, "queue: %s", queue_strerror(rc));
            err = ebuf;
        }
    } else if (!strcmp(verb, "requeue")) {
        int rc = queue_requeue_dead(self->queue, arg);
        if (rc == QUEUE_ENOTFOUND)
            err = "no such dead job";
        else if (rc < 0) {
            snprintf(ebuf, sizeof ebuf, "queue: %s", queue_strerror(rc));
            err = ebuf;
        } else {
            util_info("admin: requeued dead job %s", arg);
            json_obj_begin(j);
            json_key(j, "requeued"); json_int(j, 1);
            json_obj_end(j);
        }
    } else if (!strcmp(verb, "requeue-all")) {
        int64_t n = queue_requeue_all_dead(self->queue);
        if (n < 0) {
            snprintf(ebuf, sizeof ebuf, "queue: %s", queue_strerror((int)n));
            err = ebuf;
        } else {
            util_info("admin: requeued %" PRId64 " dead jobs", n);
            json_obj_begin(j);
            json_key(j, "requeued"); json_int(j, n);
            json_obj_end(j);
        }
    } else if (!strcmp(verb, "pause") || !strcmp(verb, "resume")) {
        bool p = !strcmp(verb, "pause");
        if (p != self->paused)
            util_info("admin: dispatch %s", p ? "paused" : "resumed");
        self->paused = p;
        json_obj_begin(j);
        json_key(j, "paused"); json_bool(j, self->paused);
        json_obj_end(j);
    } else {
        snprintf(ebuf, sizeof ebuf,
                 "unknown verb; try stats, dead-list, dead-show ID, pending [N], requeue ID, "
                 "requeue-all, pause, resume");
        err = ebuf;
    }
    if (err)
        s_adminr(self, identity, tag, tag_len, false, err, strlen(err));
    else
        s_adminr(self, identity, tag, tag_len, true, json_data(j), json_len(j));
}

static void s_on_front(broker_t *self, zmsg_t *msg)
{
    zframe_t *identity = NULL;
    wire_msg_t m;
    int rc = wire_decode_msg(msg, true, &identity, &m);
    if (rc) {
        const uint8_t *tag;
        size_t tag_len;
        zframe_t *cmd = NULL;
        if (zmsg_size(msg) > 2) {
            zmsg_first(msg);
            zmsg_next(msg);
            cmd = zmsg_next(msg);
        }
        s_reject(self, s_wire_reason(rc), "frontend", identity,
                 cmd ? zframe_data(cmd) : NULL, cmd ? zframe_size(cmd) : 0, wire_strerror(rc));
        if (identity && s_salvage_tag(msg, &tag, &tag_len))
            s_nack(self, identity, tag, tag_len, wire_strerror(rc));
        goto leave;
    }
    switch (m.cmd) {
    case WIRE_SUBMIT:
        s_on_submit(self, &msg, identity, &m);
        break;
    case WIRE_ADMIN:
        s_on_admin(self, identity, &m);
        break;
    default:
        s_reject(self, R_UNEXPECTED, "frontend", identity, wire_cmd_name(m.cmd),
                 strlen(wire_cmd_name(m.cmd)), "command not valid on the front end");
        break;
    }
leave:
    zmsg_destroy(&msg);
}

/* ---------------------------------------------------------------- back end */

/* A peer heartbeats once an interval. Counts how many came in the current interval and
   says whether this one is beyond S_HB_FLOOD: a flood, counted but not fatal (the peer
   is alive, and the back-end burst limit keeps it from starving the others). */
static bool s_hb_flood(broker_t *self, uint64_t *window_us, uint32_t *count, uint64_t now)
{
    if (now - *window_us >= (uint64_t)self->cfg.heartbeat_ms * 1000) {
        *window_us = now;
        *count = 0;
    }
    return ++*count > S_HB_FLOOD;
}

static bool s_awaiting(const s_job_t *j, const void *arg)
{
    return j->state == J_AWAITING;
}

/* Results forwarded to a store that is gone may never be committed: put their jobs back
   in the queue now rather than at their deadline. No attempt is counted (the workers did
   their part), and a result the old store did commit is merged again idempotently. */
static void s_requeue_awaiting(broker_t *self)
{
    s_job_t *list[S_BACK_BATCH];
    size_t n;
    while ((n = s_jobs_pick(self, s_awaiting, NULL, list)) > 0) {
        for (size_t i = 0; i < n; i++)
            s_back_add(self, list[i], "store lost the result", false, false, true);
        if (s_back_flush(self) != 0)
            return;   /* the jobs left the hash: their deadline can't requeue them now,
                         but they stay in the queue's fifo and come back at restart */
    }
}

static void s_store_drop(broker_t *self, const char *why)
{
    if (!self->store_id)
        return;
    /* A store leaving at shutdown is routine; one that vanishes with work is news. */
    if (self->awaiting)
        util_warn("store %s %s with %" PRIu64 " results uncommitted: their jobs are requeued",
                  self->store_name, why, self->awaiting);
    else
        util_info("store %s %s", self->store_name, why);
    zframe_destroy(&self->store_id);
    s_requeue_awaiting(self);
    /* A store that asked to come in meanwhile, and is still there, takes over now. */
    uint64_t silent = (uint64_t)self->cfg.liveness * self->cfg.heartbeat_ms * 1000;
    if (self->cand_id && util_mono_us() - self->cand_seen_us <= silent) {
        self->store_id = self->cand_id;
        self->cand_id = NULL;
        snprintf(self->store_name, sizeof self->store_name, "%s", self->cand_name);
        self->store_seen_us = self->cand_seen_us;
        util_info("store %s connected (it was waiting for the previous store to go)",
                  self->store_name);
    }
    zframe_destroy(&self->cand_id);
}

/* HELLO store. Only one store is trusted with results and their COMMITTED (STYLE.md rule
   16): while one is connected, another is refused and counted. It is kept as the
   candidate (heartbeated, so it waits instead of reconnecting) and takes over when the
   connected store leaves or goes silent. The same store saying HELLO again restarted. */
static void s_on_store_hello(broker_t *self, zframe_t *identity, const char *name)
{
    uint64_t now = util_mono_us();
    uint64_t silent = (uint64_t)self->cfg.liveness * self->cfg.heartbeat_ms * 1000;
    if (self->store_id && !zframe_eq(self->store_id, identity)) {
        if (self->caught_up_us > self->store_seen_us &&
            self->caught_up_us - self->store_seen_us > silent) {
            zframe_destroy(&self->cand_id);   /* this one takes over, not an older one */
            s_store_drop(self, "silent, replaced by a new store");
        } else {
            s_reject(self, R_SECOND_STORE, "HELLO", identity, name, strlen(name),
                     "a store is already connected: refused (waits as the candidate)");
            if (!self->cand_id || !zframe_eq(self->cand_id, identity)) {
                zframe_destroy(&self->cand_id);
                self->cand_id = zframe_dup(identity);
            }
            snprintf(self->cand_name, sizeof self->cand_name, "%s", name);
            self->cand_seen_us = now;
            return;
        }
    }
    if (self->cand_id && zframe_eq(self->cand_id, identity))
        zframe_destroy(&self->cand_id);
    if (self->store_id) {
        /* A store saying HELLO again restarted: what it had not committed is lost. */
        zframe_destroy(&self->store_id);
        s_requeue_awaiting(self);
    }
    self->store_id = zframe_dup(identity);
    snprintf(self->store_name, sizeof self->store_name, "%s", name);
    self->store_seen_us = now;
    util_info("store %s connected", name);
}

static void s_on_hello(broker_t *self, zframe_t *identity, wire_msg_t *m)
{
    uint64_t credit = 0;
    wire_arg_u64(m->arg[2], m->arg_len[2], &credit);   /* checked by wire_decode */
    char name[257];
    util_sample(m->arg[1], m->arg_len[1], name, sizeof name);
    bool store = m->arg_len[0] == 5 && !memcmp(m->arg[0], "store", 5);
    if (store) {
        if (s_worker_find(self, identity)) {
            s_reject(self, R_UNEXPECTED, "HELLO", identity, name, strlen(name),
                     "a worker can't become the store");
            return;
        }
        s_on_store_hello(self, identity, name);
        return;
    }
    if (s_is_store(self, identity) || (self->cand_id && zframe_eq(self->cand_id, identity))) {
        s_reject(self, R_UNEXPECTED, "HELLO", identity, name, strlen(name),
                 "the store can't become a worker");
        return;
    }
    s_worker_t *w = s_worker_find(self, identity);
    uint64_t now = util_mono_us();
    if (w) {
        /* The same identity saying HELLO again: one worker starting over, not a crash of
           its jobs. What it held is queued again without counting an attempt, a few times
           a window; beyond that the HELLO is refused and counted, and it keeps its state. */
        if (now - w->hello_window_us >= (uint64_t)S_HELLO_WINDOW_S * 1000000) {
            w->hello_window_us = now;
            w->hello_count = 0;
        }
        w->last_seen_us = now;
        if (++w->hello_count > S_HELLO_MAX) {
            s_reject(self, R_HELLO_FLOOD, "HELLO", identity, name, strlen(name),
                     "worker repeats HELLO too often: ignored");
            return;
        }
        self->rehello++;
        s_worker_release(self, w, "said HELLO again", false);
        s_credit_add(self, w, -(int64_t)w->credit);
    } else {
        w = util_calloc(1, sizeof *w);
        w->identity = zframe_dup(identity);
        s_frame_key(identity, w->key);
        zhashx_insert(self->workers, w->key, w);
        if (self->nworkers == self->wcap) {
            self->wcap = self->wcap ? self->wcap * 2 : 16;
            self->wlist = util_realloc(self->wlist, self->wcap * sizeof *self->wlist);
        }
        self->wlist[self->nworkers++] = w;
        w->hello_window_us = now;
    }
    snprintf(w->name, sizeof w->name, "%s", name);
    w->max_credit = (uint32_t)credit;
    w->last_seen_us = now;
    s_credit_add(self, w, (int64_t)credit);
    util_info("worker %s connected with credit %" PRIu64, w->name, credit);
}

static void s_forward_result(broker_t *self, wire_msg_t *m)
{
    if (!self->store_id)
        return;
    const void *args[2] = {m->arg[0], m->arg[1]};
    size_t lens[2] = {m->arg_len[0], m->arg_len[1]};
    wire_send(self->back, self->store_id, WIRE_RESULT, 2, args, lens);
}

/* A RESULT or FAIL frees one of the worker's slots, whatever we make of it. Capped so
   that a worker repeating itself can't grow its credit past what it announced. */
static void s_credit_return(broker_t *self, s_worker_t *w)
{
    if ((uint64_t)w->credit + w->held < w->max_credit)
        s_credit_add(self, w, 1);
}

/* A RESULT or FAIL from `w` for a job it does not hold. Late when the job was taken
   back from it (deadline, repeated HELLO): dropped and counted as late. Otherwise the
   worker speaks about work it was never given (STYLE.md rule 16): refused and counted. */
static void s_not_holder(broker_t *self, s_worker_t *w, zframe_t *identity, const char *id,
                         const char *what)
{
    if (s_gone_has(w, id)) {
        self->late_results++;
        return;
    }
    char detail[128];
    snprintf(detail, sizeof detail, "%s for job %s, which this worker does not hold", what, id);
    s_reject(self, R_NOT_HOLDER, what, identity, w->name, strlen(w->name), detail);
}

static void s_on_result(broker_t *self, s_worker_t *w, zframe_t *identity, wire_msg_t *m)
{
    char id[UTIL_ID_HEX + 1];
    memcpy(id, m->arg[0], UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    s_job_t *j = zhashx_lookup(self->jobs, id);
    bool holder = j && j->state == J_WITH_WORKER && j->worker == w;
    if (!holder) {
        s_not_holder(self, w, identity, id, "RESULT");
        s_credit_return(self, w);
        return;
    }
    const uint8_t *pid = NULL, *enc = NULL;
    size_t pid_len = 0, enc_len = 0;
    uint64_t text_bytes = 0;
    /* text_bytes is what the store's wire_result_check measures a result against: it
       must be the article's, which the broker alone knows here. */
    if (m->arg_len[1] > WIRE_MAX_RESULT ||
        !s_pb_peek(m->arg[1], m->arg_len[1], &pid, &pid_len, &enc, &enc_len, &text_bytes) ||
        pid_len != UTIL_ID_HEX || memcmp(pid, id, UTIL_ID_HEX) != 0 ||
        text_bytes > j->article_len) {
        s_reject(self, R_BAD_RESULT, "RESULT", identity, m->arg[1],
                 m->arg_len[1] < 16 ? m->arg_len[1] : 16,
                 "result protobuf malformed, its job_id differs from the frame's, or its "
                 "text_bytes exceed the article's");
        /* Counted as a failed attempt: a worker that garbles this job may do it again. */
        s_job_failed(self, j, "worker sent a malformed result", false, true);
        s_credit_return(self, w);
        return;
    }
    w->jobs_done++;
    if (enc_len == 12 && memcmp(enc, "windows-1252", 12) == 0)
        self->windows1252++;
    if (!self->store_id) {
        /* No store to commit it (it just went away): the result is lost, and the job goes
           back to the queue now, no attempt counted, instead of sitting "awaiting commit"
           until a store comes or its deadline passes. */
        s_back_add(self, j, "no store connected to take the result", false, false, true);
        s_back_flush(self);
        s_credit_return(self, w);   /* after its held count went down */
        return;
    }
    w->held--;
    j->worker = NULL;
    j->state = J_AWAITING;
    j->deadline_us = util_mono_us() + (uint64_t)self->cfg.deadline_s * 1000000;
    self->awaiting++;
    s_forward_result(self, m);
    s_credit_return(self, w);
}

/* A RESULT frame over WIRE_MAX_RESULT (wire_decode refused it; libzmq let it through up
   to the socket's limit). A worker should have sent FAIL instead; either way the job
   must not wait for its deadline nor the worker lose the credit: the job fails for good
   with the reason, since the same article gives the same result again. */
static void s_on_result_too_big(broker_t *self, zmsg_t *msg, zframe_t *identity)
{
    s_worker_t *w = identity ? s_worker_find(self, identity) : NULL;
    if (!w || zmsg_size(msg) != 5)
        return;
    zmsg_first(msg);
    zmsg_next(msg);
    if (!zframe_streq(zmsg_next(msg), "RESULT"))
        return;
    zframe_t *idf = zmsg_next(msg);
    zframe_t *res = zmsg_next(msg);
    if (!util_is_job_id(zframe_data(idf), zframe_size(idf)))
        return;
    char id[UTIL_ID_HEX + 1];
    memcpy(id, zframe_data(idf), UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    w->last_seen_us = util_mono_us();
    s_job_t *j = zhashx_lookup(self->jobs, id);
    if (!j || j->state != J_WITH_WORKER || j->worker != w) {
        s_not_holder(self, w, identity, id, "RESULT");
        s_credit_return(self, w);
        return;
    }
    char reason[400];
    snprintf(reason, sizeof reason, "result too big: %zu bytes, over the %u MiB limit "
             "(worker %s)", zframe_size(res), WIRE_MAX_RESULT >> 20, w->name);
    util_warn("job %s: %s", id, reason);
    s_job_failed(self, j, reason, true, false);
    s_credit_return(self, w);
}

static void s_on_fail(broker_t *self, s_worker_t *w, zframe_t *identity, wire_msg_t *m)
{
    char id[UTIL_ID_HEX + 1];
    memcpy(id, m->arg[0], UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    s_job_t *j = zhashx_lookup(self->jobs, id);
    if (!j || j->state != J_WITH_WORKER || j->worker != w) {
        s_not_holder(self, w, identity, id, "FAIL");
        s_credit_return(self, w);
        return;
    }
    char reason[QUEUE_MAX_REASON];
    char text[QUEUE_MAX_REASON - 300];
    util_sample(m->arg[1], m->arg_len[1], text, sizeof text);
    bool permanent = m->arg[2][0] == '1';
    snprintf(reason, sizeof reason, "%s (worker %s)", text[0] ? text : "no reason given", w->name);
    util_info("job %s failed on worker %s%s: %s", id, w->name, permanent ? " (permanent)" : "", text);
    s_job_failed(self, j, reason, permanent, false);
    s_credit_return(self, w);
}

/* The job of a COMMITTED or REFUSED id, when its result was forwarded to the connected
   store and not resolved since; else refused and counted (STYLE.md rule 16). */
static s_job_t *s_sent_to_store(broker_t *self, zframe_t *identity, const uint8_t *p,
                                const char *what, char id[UTIL_ID_HEX + 1])
{
    memcpy(id, p, UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    s_job_t *j = zhashx_lookup(self->jobs, id);
    if (j && j->state == J_AWAITING)
        return j;
    char detail[128];
    snprintf(detail, sizeof detail, "%s for job %s, whose result was not sent to this store",
             what, id);
    s_reject(self, R_NOT_SENT, what, identity, id, UTIL_ID_HEX, detail);
    return NULL;
}

static void s_on_committed(broker_t *self, zframe_t *identity, wire_msg_t *m)
{
    for (size_t i = 0; i < m->nargs; i++) {
        if (self->ndone == S_DONE_BATCH)
            break;
        char id[UTIL_ID_HEX + 1];
        if (!s_sent_to_store(self, identity, m->arg[i], "COMMITTED", id))
            continue;
        memcpy(self->done_ids[self->ndone], id, UTIL_ID_HEX + 1);
        self->done_items[self->ndone] = (queue_done_t){.id = self->done_ids[self->ndone]};
        self->ndone++;
    }
}

/* The store will not merge this result: a failed attempt with the store's reason, so a
   poison result ends in the dead-letter set instead of being redelivered forever. */
static void s_on_refused(broker_t *self, zframe_t *identity, wire_msg_t *m)
{
    char id[UTIL_ID_HEX + 1];
    s_job_t *j = s_sent_to_store(self, identity, m->arg[0], "REFUSED", id);
    if (!j)
        return;
    char text[QUEUE_MAX_REASON - 300], reason[QUEUE_MAX_REASON];
    util_sample(m->arg[1], m->arg_len[1], text, sizeof text);
    bool permanent = m->arg[2][0] == '1';
    snprintf(reason, sizeof reason, "refused by the store %s: %s", self->store_name,
             text[0] ? text : "no reason given");
    self->store_refused++;
    util_warn("job %s: %s%s", id, reason, permanent ? " (permanent)" : "");
    s_job_failed(self, j, reason, permanent, false);
}

static int s_flush_done(broker_t *self)
{
    if (self->ndone == 0)
        return 0;
    int rc = queue_done(self->queue, self->done_items, self->ndone);
    if (rc < 0 && rc != QUEUE_EFULL && self->ndone > 1) {
        /* One damaged record must not keep the whole batch from being done: each on its
           own (one fsync each, only after a failure); those that still fail are left. */
        util_error("queue: marking %zu jobs done failed: %s; one by one", self->ndone,
                   queue_strerror(rc));
        size_t failed = 0;
        for (size_t i = 0; i < self->ndone; i++)
            if (queue_done(self->queue, &self->done_items[i], 1) < 0) {
                self->done_items[i].removed = false;
                failed++;
            }
        if (failed)
            util_error("queue: %zu jobs could not be marked done", failed);
        rc = 0;
    }
    if (rc < 0) {
        /* Not removed: the jobs will time out awaiting commit and be redone, which the
           store's idempotent merge absorbs. */
        util_error("queue: marking %zu jobs done failed: %s", self->ndone, queue_strerror(rc));
        self->ndone = 0;
        return 0;
    }
    uint64_t now = util_wall_us();
    for (size_t i = 0; i < self->ndone; i++) {
        queue_done_t *d = &self->done_items[i];
        s_job_t *j = zhashx_lookup(self->jobs, d->id);
        if (j)
            s_job_forget(self, j);
        if (!d->removed)
            continue;
        self->completed++;
        double s = d->submitted_us && now > d->submitted_us ? (double)(now - d->submitted_us) / 1e6 : 0;
        self->lat_sum += s;
        self->lat_count++;
        for (size_t b = 0; b < S_NBUCKETS; b++)
            if (s <= s_buckets[b]) {
                self->lat_buckets[b]++;
                break;
            }
    }
    self->ndone = 0;
    return 0;
}

static void s_on_back(broker_t *self, zmsg_t *msg)
{
    zframe_t *identity = NULL;
    wire_msg_t m;
    int rc = wire_decode_msg(msg, true, &identity, &m);
    if (rc) {
        zframe_t *cmd = NULL;
        if (zmsg_size(msg) > 2) {
            zmsg_first(msg);
            zmsg_next(msg);
            cmd = zmsg_next(msg);
        }
        bool result = rc == WIRE_ETOOBIG && cmd && zframe_streq(cmd, "RESULT");
        s_reject(self, result ? R_RESULT_TOO_BIG : s_wire_reason(rc), "backend", identity,
                 cmd ? zframe_data(cmd) : NULL, cmd ? zframe_size(cmd) : 0, wire_strerror(rc));
        if (result)
            s_on_result_too_big(self, msg, identity);
        goto leave;
    }
    uint64_t now = util_mono_us();
    if (m.cmd == WIRE_HELLO) {
        s_on_hello(self, identity, &m);
        goto leave;
    }
    if (s_is_store(self, identity)) {
        self->store_seen_us = now;
        if (m.cmd == WIRE_HB && s_hb_flood(self, &self->store_hb_window_us,
                                           &self->store_hb_count, now)) {
            s_reject(self, R_HB_FLOOD, "store", identity, "HB", 2,
                     "heartbeats far more often than the interval");
        } else if (m.cmd == WIRE_COMMITTED) {
            s_on_committed(self, identity, &m);
        } else if (m.cmd == WIRE_REFUSED) {
            s_on_refused(self, identity, &m);
        } else if (m.cmd == WIRE_BYE) {
            s_store_drop(self, "said BYE");
        } else if (m.cmd != WIRE_HB && m.cmd != WIRE_READY) {
            s_reject(self, R_UNEXPECTED, "store", identity, wire_cmd_name(m.cmd),
                     strlen(wire_cmd_name(m.cmd)), "command not valid from a store");
        }
        goto leave;
    }
    if (self->cand_id && zframe_eq(self->cand_id, identity)) {
        /* The waiting store: alive, but nothing it says counts until it is admitted. */
        self->cand_seen_us = now;
        if (m.cmd == WIRE_BYE)
            zframe_destroy(&self->cand_id);
        else if (m.cmd != WIRE_HB)
            s_reject(self, R_SECOND_STORE, "store", identity, wire_cmd_name(m.cmd),
                     strlen(wire_cmd_name(m.cmd)), "from a store that was not admitted");
        goto leave;
    }
    s_worker_t *w = s_worker_find(self, identity);
    if (!w) {
        s_reject(self, R_UNKNOWN_PEER, "backend", identity, wire_cmd_name(m.cmd),
                 strlen(wire_cmd_name(m.cmd)), "message before HELLO");
        /* Tell it to start over; a worker cut off and dropped will say HELLO again. */
        if (m.cmd != WIRE_BYE)
            wire_send(self->back, identity, WIRE_BYE, 0, NULL, NULL);
        goto leave;
    }
    w->last_seen_us = now;
    switch (m.cmd) {
    case WIRE_HB:
        if (s_hb_flood(self, &w->hb_window_us, &w->hb_count, now))
            s_reject(self, R_HB_FLOOD, "worker", identity, "HB", 2,
                     "heartbeats far more often than the interval");
        break;
    case WIRE_READY: {
        uint64_t n = 0;
        wire_arg_u64(m.arg[0], m.arg_len[0], &n);
        uint64_t mc = (uint64_t)w->max_credit + n;
        w->max_credit = mc > S_MAX_CREDIT ? S_MAX_CREDIT : (uint32_t)mc;
        s_credit_add(self, w, (int64_t)n);
        break;
    }
    case WIRE_RESULT:
        s_on_result(self, w, identity, &m);
        break;
    case WIRE_FAIL:
        s_on_fail(self, w, identity, &m);
        break;
    case WIRE_BYE:
        util_info("worker %s said BYE", w->name);
        s_worker_release(self, w, "left", false);
        s_worker_remove(self, w);
        break;
    default:
        s_reject(self, R_UNEXPECTED, "worker", identity, wire_cmd_name(m.cmd),
                 strlen(wire_cmd_name(m.cmd)), "command not valid from a worker");
        break;
    }
leave:
    zmsg_destroy(&msg);
}

/* ---------------------------------------------------------------- dispatch and timers */

/* A corrupt queue record queue_next stepped over: moved aside once (dead-lettered when
   its id is readable), counted, and logged under the rejected-message rate limit. */
static void s_corrupt_record(broker_t *self)
{
    char id[UTIL_ID_HEX + 1];
    int rc = queue_quarantine(self->queue, "corrupt queue record: quarantined at dispatch", id);
    self->corrupt++;
    if (self->log_in_window < S_LOG_PER_SEC || util_mono_us() - self->log_window_us >= 1000000) {
        util_error("queue: skipped a corrupt job record%s%s%s%s", id[0] ? " of job " : "", id,
                   rc == 0 ? (id[0] ? ": dead-lettered" : ": removed")
                   : rc == QUEUE_ENOTFOUND ? ": its key is unreadable, skipped until restart"
                                           : ": could not move it aside: ",
                   rc == 0 || rc == QUEUE_ENOTFOUND ? "" : queue_strerror(rc));
        self->log_in_window++;
    } else {
        self->log_suppressed++;
    }
}

static int s_dispatch(broker_t *self)
{
    unsigned corrupt = 0;
    /* Without a store a result has nowhere to go: keep the jobs queued until one comes. */
    while (!self->paused && self->store_id && self->credit_total > 0 && self->nworkers > 0) {
        s_worker_t *w = NULL;
        for (size_t k = 0; k < self->nworkers; k++) {
            s_worker_t *c = self->wlist[(self->rr + k) % self->nworkers];
            if (c->credit > 0) {
                w = c;
                self->rr = (self->rr + k + 1) % self->nworkers;
                break;
            }
        }
        if (!w)
            break;
        char id[UTIL_ID_HEX + 1];
        uint32_t attempts;
        const void *article;
        size_t len;
        int rc = queue_next(self->queue, id, &attempts, &article, &len);
        if (rc == QUEUE_ECORRUPT) {
            /* One unreadable job must not stop the others: the queue skipped it. A damaged
               file may hold many: a bounded number per pass, so the loop keeps answering. */
            s_corrupt_record(self);
            if (++corrupt >= S_CORRUPT_PER_PASS)
                break;
            continue;
        }
        if (rc < 0) {
            /* The file is damaged where we read next (a bad page): keep serving what we
               can (submits, acks, admin) and say so now and then, not on every pass. */
            static uint64_t logged_us;
            uint64_t now = util_mono_us();
            if (now - logged_us > 10u * 1000000u) {
                util_error("queue: next job: %s; dispatch held", queue_strerror(rc));
                logged_us = now;
            }
            self->rejected[R_STORAGE]++;
            break;
        }
        if (rc == 0)
            break;
        char att[16];
        int alen = snprintf(att, sizeof att, "%u", attempts + 1);
        const void *args[3] = {id, att, article};
        size_t lens[3] = {UTIL_ID_HEX, (size_t)alen, len};
        s_job_t *j = s_job_new(self, id);
        j->state = J_WITH_WORKER;
        j->worker = w;
        j->article_len = len;
        j->deadline_us = util_mono_us() + (uint64_t)self->cfg.deadline_s * 1000000;
        zhashx_insert(self->jobs, j->id, j);
        w->held++;
        s_credit_add(self, w, -1);
        wire_send(self->back, w->identity, WIRE_JOB, 3, args, lens);
    }
    return 0;
}

static bool s_overdue(const s_job_t *j, const void *now)
{
    return *(const uint64_t *)now > j->deadline_us;
}

/* Heartbeats out, silent peers dropped, overdue jobs redelivered. */
static int s_tick(broker_t *self, uint64_t now)
{
    uint64_t silent = (uint64_t)self->cfg.liveness * self->cfg.heartbeat_ms * 1000;
    /* Silence is measured up to the last moment we had read everything the peers sent:
       after a stall of our own (a slow fsync, a big requeue) the heartbeats that prove
       them alive may still wait unread, and dropping the store would requeue all its
       results. */
    uint64_t heard_until = self->caught_up_us;
    int rc = 0;
    for (size_t i = 0; i < self->nworkers;) {
        s_worker_t *w = self->wlist[i];
        if (heard_until > w->last_seen_us && heard_until - w->last_seen_us > silent) {
            util_warn("worker %s silent for %" PRIu64 " ms: dropped, its %u jobs redelivered",
                      w->name, (now - w->last_seen_us) / 1000, w->held);
            if ((rc = s_worker_release(self, w, "lost (no heartbeat)", true)) != 0)
                return rc;
            s_worker_remove(self, w);
            continue;   /* wlist[i] now holds another worker */
        }
        wire_send(self->back, w->identity, WIRE_HB, 0, NULL, NULL);
        i++;
    }
    if (self->store_id) {
        if (heard_until > self->store_seen_us && heard_until - self->store_seen_us > silent)
            s_store_drop(self, "silent: dropped");
        else
            wire_send(self->back, self->store_id, WIRE_HB, 0, NULL, NULL);
    }
    if (self->cand_id) {
        if (now - self->cand_seen_us > silent)
            zframe_destroy(&self->cand_id);
        else
            wire_send(self->back, self->cand_id, WIRE_HB, 0, NULL, NULL);
    }
    /* Overdue jobs: collect first, act after, since acting edits the hash. */
    s_job_t *list[S_BACK_BATCH];
    size_t n;
    while ((n = s_jobs_pick(self, s_overdue, &now, list)) > 0) {
        size_t with_worker = 0;
        for (size_t i = 0; i < n; i++) {
            s_job_t *j = list[i];
            char reason[400];
            if (j->state == J_WITH_WORKER) {
                snprintf(reason, sizeof reason, "deadline of %us passed on worker %s",
                         self->cfg.deadline_s, j->worker ? j->worker->name : "?");
                with_worker++;
                if (j->worker)
                    s_gone_add(j->worker, j->id);
                s_back_add(self, j, reason, true, false, true);
            } else {
                s_back_add(self, j, "no commit from the store before the deadline", false,
                           false, true);
            }
        }
        util_warn("%zu jobs past their %us deadline (%zu with a worker, %zu awaiting the "
                  "store's commit): redelivered", n, self->cfg.deadline_s, with_worker,
                  n - with_worker);
        if ((rc = s_back_flush(self)) != 0)
            return rc;
    }
    return 0;
}

static void s_mprintf(broker_t *self, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void s_mprintf(broker_t *self, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(self->mbuf + self->mlen, self->mcap - self->mlen, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if ((size_t)n < self->mcap - self->mlen) {
            self->mlen += (size_t)n;
            return;
        }
        self->mcap = self->mcap * 2 + (size_t)n;
        self->mbuf = util_realloc(self->mbuf, self->mcap);
    }
}

static void s_metric(broker_t *self, const char *name, const char *type, const char *help,
                     uint64_t v)
{
    s_mprintf(self, "# HELP %s %s\n# TYPE %s %s\n%s %" PRIu64 "\n", name, help, name, type,
              name, v);
}

static void s_publish_metrics(broker_t *self)
{
    if (!self->metrics)
        return;
    queue_stats_t qs;
    queue_stats(self->queue, &qs);
    self->mlen = 0;
    s_metric(self, "crossclaim_queue_depth", "gauge", "Jobs queued, waiting for a worker.", qs.queued);
    s_metric(self, "crossclaim_inflight", "gauge", "Jobs with workers.", qs.inflight - self->awaiting);
    s_metric(self, "crossclaim_awaiting_commit", "gauge",
             "Jobs whose result went to the store, not yet committed.", self->awaiting);
    s_metric(self, "crossclaim_workers", "gauge", "Connected workers.", self->nworkers);
    s_metric(self, "crossclaim_worker_credit", "gauge", "Jobs the workers can take now.", self->credit_total);
    s_metric(self, "crossclaim_store_connected", "gauge", "1 when a store is connected.", self->store_id != NULL);
    s_metric(self, "crossclaim_paused", "gauge", "1 when dispatch is paused.", self->paused);
    s_metric(self, "crossclaim_dead_letters", "gauge", "Jobs in the dead-letter set.", qs.dead);
    s_metric(self, "crossclaim_submitted_total", "counter", "New jobs accepted.", self->submitted);
    s_metric(self, "crossclaim_duplicates_total", "counter",
             "Submissions of jobs already queued, in flight, dead or done.", self->duplicates);
    s_metric(self, "crossclaim_completed_total", "counter", "Jobs committed by the store.", self->completed);
    s_metric(self, "crossclaim_redelivered_total", "counter",
             "Jobs taken back from a worker or the store and queued again.", self->redelivered);
    s_metric(self, "crossclaim_dead_total", "counter", "Jobs moved to the dead-letter set.", self->dead_total);
    s_metric(self, "crossclaim_late_results_total", "counter",
             "Results or failures for jobs no longer assigned, dropped.", self->late_results);
    s_metric(self, "crossclaim_store_refused_total", "counter",
             "Results the store REFUSED, counted as failed attempts.", self->store_refused);
    s_metric(self, "crossclaim_worker_rehello_total", "counter",
             "Repeated HELLOs from a connected worker (its jobs requeued, no attempt counted).",
             self->rehello);
    s_metric(self, "crossclaim_queue_corrupt_records_total", "counter",
             "Corrupt queue records quarantined (skipped once, dead-lettered when possible).",
             self->corrupt);
    s_metric(self, "crossclaim_storage_full_total", "counter",
             "SUBMIT batches refused because the queue's map or disk is full.", self->storage_full);
    s_metric(self, "crossclaim_windows1252_total", "counter",
             "Results of articles that were not valid UTF-8, decoded as Windows-1252.",
             self->windows1252);
    s_metric(self, "crossclaim_auth_accepted_total", "counter",
             "CURVE handshakes whose client key is in the allow dir.", auth_accepted(self->cfg.auth));
    s_metric(self, "crossclaim_auth_denied_total", "counter",
             "CURVE handshakes refused: client key not in the allow dir.", auth_denied(self->cfg.auth));
    s_mprintf(self, "# HELP crossclaim_rejected_total Messages rejected, by reason.\n"
                    "# TYPE crossclaim_rejected_total counter\n");
    for (int r = 0; r < R_COUNT; r++)
        s_mprintf(self, "crossclaim_rejected_total{reason=\"%s\"} %" PRIu64 "\n",
                  s_reason_names[r], self->rejected[r]);
    s_mprintf(self, "# HELP crossclaim_submit_to_commit_seconds Time from submit to store commit.\n"
                    "# TYPE crossclaim_submit_to_commit_seconds histogram\n");
    uint64_t cum = 0;
    for (size_t b = 0; b < S_NBUCKETS; b++) {
        cum += self->lat_buckets[b];
        s_mprintf(self, "crossclaim_submit_to_commit_seconds_bucket{le=\"%g\"} %" PRIu64 "\n",
                  s_buckets[b], cum);
    }
    s_mprintf(self, "crossclaim_submit_to_commit_seconds_bucket{le=\"+Inf\"} %" PRIu64 "\n"
                    "crossclaim_submit_to_commit_seconds_sum %.6f\n"
                    "crossclaim_submit_to_commit_seconds_count %" PRIu64 "\n",
              self->lat_count, self->lat_sum, self->lat_count);
    metrics_ready(self->metrics, self->queue != NULL, "queue not open");
    metrics_publish(self->metrics, self->mbuf, self->mlen);
}

/* ---------------------------------------------------------------- lifecycle */

int broker_new(const broker_config_t *cfg, broker_t **out, char *err, size_t errlen)
{
    *out = NULL;
    broker_t *self = util_calloc(1, sizeof *self);
    self->cfg = *cfg;
    char path[4096];
    int rc = 0;
    snprintf(path, sizeof path, "%s/broker", cfg->data_dir);
    if ((rc = queue_open(path, (size_t)cfg->map_mib << 20, &self->queue)) != 0) {
        snprintf(err, errlen, "cannot open the queue in %s: %s%s", path, queue_strerror(rc),
                 rc == -EBUSY ? " (another broker is using it)" : "");
        goto fail;
    }
    if (cfg->map_max_mib)
        queue_set_map_max(self->queue, (size_t)cfg->map_max_mib << 20);
    self->front = zsock_new(ZMQ_ROUTER);
    self->back = zsock_new(ZMQ_ROUTER);
    if (!self->front || !self->back) {
        snprintf(err, errlen, "cannot create ZeroMQ sockets: %s", zmq_strerror(zmq_errno()));
        rc = -EIO;
        goto fail;
    }
    /* Absurdly large frames are refused by libzmq before they cost us memory (the peer is
       disconnected); merely oversized ones get through to a "too big" NACK. */
    zsock_set_maxmsgsize(self->front, 2 * (int)WIRE_MAX_MESSAGE);
    zsock_set_maxmsgsize(self->back, (int)WIRE_MAX_RESULT + 4096);
    zsock_set_sndhwm(self->front, 100000);
    zsock_set_sndhwm(self->back, 100000);
    zsock_set_rcvhwm(self->front, 100000);
    zsock_set_rcvhwm(self->back, 100000);
    zsock_set_linger(self->front, 1000);
    zsock_set_linger(self->back, 1000);
    if ((rc = auth_bind(cfg->auth, self->front, cfg->frontend, err, errlen)) != 0 ||
        (rc = auth_bind(cfg->auth, self->back, cfg->backend, err, errlen)) != 0)
        goto fail;
    if (cfg->metrics_port) {
        rc = metrics_new(cfg->metrics_addr, cfg->metrics_port, &self->metrics);
        if (rc) {
            snprintf(err, errlen, "cannot serve metrics on %s port %u: %s", cfg->metrics_addr,
                     cfg->metrics_port, strerror(-rc));
            goto fail;
        }
    }
    self->workers = zhashx_new();
    self->jobs = zhashx_new();
    /* Job keys live inside s_job_t: no copy per dispatch. */
    zhashx_set_key_duplicator(self->jobs, NULL);
    zhashx_set_key_destructor(self->jobs, NULL);
    self->json = json_new();
    self->mcap = 8192;
    self->mbuf = util_malloc(self->mcap);
    self->started_us = util_mono_us();
    *out = self;
    return 0;
fail:
    broker_destroy(&self);
    return rc ? rc : -EINVAL;
}

void broker_destroy(broker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    broker_t *self = *self_p;
    for (size_t i = 0; i < self->npending; i++)
        zmsg_destroy(&self->pending[i].msg);
    metrics_destroy(&self->metrics);
    if (self->workers) {
        while (self->nworkers)
            s_worker_remove(self, self->wlist[0]);
        zhashx_destroy(&self->workers);
    }
    if (self->jobs) {
        for (s_job_t *j = zhashx_first(self->jobs); j; j = zhashx_next(self->jobs))
            free(j);
        zhashx_destroy(&self->jobs);
    }
    while (self->free_jobs) {
        s_job_t *j = self->free_jobs;
        self->free_jobs = j->next_free;
        free(j);
    }
    free(self->wlist);
    zframe_destroy(&self->store_id);
    zframe_destroy(&self->cand_id);
    zsock_destroy(&self->front);
    zsock_destroy(&self->back);
    queue_destroy(&self->queue);
    json_destroy(&self->json);
    free(self->mbuf);
    free(self);
    *self_p = NULL;
}

int broker_run(broker_t *self, volatile sig_atomic_t *stop)
{
    zmq_pollitem_t items[2] = {
        {zsock_resolve(self->front), 0, ZMQ_POLLIN, 0},
        {zsock_resolve(self->back), 0, ZMQ_POLLIN, 0},
    };
    uint64_t hb_us = (uint64_t)self->cfg.heartbeat_ms * 1000;
    uint64_t next_tick = util_mono_us() + hb_us;
    uint64_t next_metrics = 0;
    int rc = 0;
    util_info("broker up: front end %s, back end %s, heartbeat %u ms x %u, deadline %u s, "
              "max attempts %u", self->cfg.frontend, self->cfg.backend, self->cfg.heartbeat_ms,
              self->cfg.liveness, self->cfg.deadline_s, self->cfg.max_attempts);
    while (!*stop) {
        uint64_t now = util_mono_us();
        long timeout = now >= next_tick ? 0 : (long)((next_tick - now + 999) / 1000);
        if (self->metrics && timeout > S_METRICS_MS)
            timeout = S_METRICS_MS;
        int n = zmq_poll(items, 2, timeout);
        if (n < 0) {
            if (zmq_errno() == EINTR)
                continue;
            if (zmq_errno() == ETERM)
                break;
            util_error("poll: %s", zmq_strerror(zmq_errno()));
            rc = -EIO;
            break;
        }
        /* Drain the front end into one group commit. */
        for (int k = 0; k < S_FRONTEND_BURST && self->npending < S_SUBMIT_BATCH &&
                        (zsock_events(self->front) & ZMQ_POLLIN); k++) {
            zmsg_t *msg = zmsg_recv(self->front);
            if (!msg)
                break;
            s_on_front(self, msg);
        }
        if ((rc = s_flush_submits(self)) != 0)
            break;
        for (int k = 0; k < S_BACKEND_BURST && (zsock_events(self->back) & ZMQ_POLLIN); k++) {
            zmsg_t *msg = zmsg_recv(self->back);
            if (!msg)
                break;
            s_on_back(self, msg);
            if (self->ndone + WIRE_MAX_ARGS > S_DONE_BATCH && (rc = s_flush_done(self)) != 0)
                break;
        }
        if (rc || (rc = s_flush_done(self)) != 0)
            break;
        now = util_mono_us();
        if (!(zsock_events(self->back) & ZMQ_POLLIN))
            self->caught_up_us = now;
        if (now >= next_tick) {
            if ((rc = s_tick(self, now)) != 0)
                break;
            next_tick = now + hb_us;
        }
        if ((rc = s_dispatch(self)) != 0)
            break;
        if (self->metrics && now >= next_metrics) {
            s_publish_metrics(self);
            next_metrics = now + S_METRICS_MS * 1000;
        }
    }
    if (rc)
        util_error("broker stopping on a queue error: %s", queue_strerror(rc));
    else
        util_info("broker stopping");
    for (size_t i = 0; i < self->nworkers; i++)
        wire_send(self->back, self->wlist[i]->identity, WIRE_BYE, 0, NULL, NULL);
    return rc;
}
