/*  store: the crossclaim-store event loop. See store.h for the frames it speaks.

    One thread, one zmq_poll over the broker DEALER and the query ROUTER. Results are
    unpacked as they arrive and held until the batch is full or its first result has
    waited batch_ms; then the whole batch is merged in one transaction, committed, acked
    to the broker and published. Nothing is acked before its commit, so a crash at any
    point costs at most a redelivery, which the idempotent merge absorbs. Queries never
    make it wait: replies are queued without blocking, a long one a step per turn (see
    "queries" below). */
#include "store.h"
#include "conns.h"
#include "store_query.h"
#include "auth.h"
#include "db.h"
#include "metrics.h"
#include "promtext.h"
#include "util.h"
#include "wire.h"

#include <errno.h>
#include <inttypes.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STORE_CHUNK      (64u << 10)    /* JSON Lines per DATA message, about */
#define STORE_COMMIT_IDS (WIRE_MAX_ARGS - 1)
#define STORE_METRICS_MS 500            /* how often the metrics page is re-rendered */
/* The query socket's bounds. A query is a verb and an argument of at most
   STORE_QUERY_MAX_ARG bytes (store_query.h): a larger one is refused and counted, and
   ZeroMQ drops a peer whose message is over STORE_MAX_QUERY (it is never read whole). Replies queue at most STORE_QUERY_HWM
   messages per client (about 1 MiB of DATA) and are never waited for; a streamed reply
   whose client takes none of them for STORE_QUERY_WAIT_MS is given up on, counted. */
#define STORE_MAX_QUERY      (64u << 10)
#define STORE_QUERY_HWM      16
#define STORE_QUERY_WAIT_MS  10000
#define STORE_JOBS           32         /* streamed replies in progress at most */
#define STORE_JOB_RETRY_MS   1          /* a blocked reply is tried again this often */

/* Histogram bounds: results per committed batch, extract and commit seconds. */
static const double s_batch_bounds[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096};
static const double s_extract_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                          0.1, 0.25, 0.5, 1, 2.5, 5, 10};
static const double s_commit_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                         0.1, 0.25, 0.5, 1, 2.5, 5};
#define S_NB(a) (sizeof(a) / sizeof *(a))

typedef struct {
    Crossclaim__Result *r;
    char job[UTIL_ID_HEX + 1];
    bool skip;              /* refused by the database: not merged; REFUSED, not acked */
    const char *why;        /* why it was refused (static text) */
    bool same;              /* merged but changed nothing: the same result again */
} s_item_t;

struct store_t {
    store_config_t cfg;     /* strings below are owned copies */
    char *broker_ep, *pub_ep, *query_ep, *name;
    db_t *db;
    zsock_t *broker;        /* DEALER to the broker's back end */
    zsock_t *pub;           /* PUB: the feed */
    zsock_t *query;         /* ROUTER: queries and snapshots */
    s_item_t *batch;        /* results waiting for the next transaction */
    size_t nbatch;
    uint64_t batch_since;   /* mono us when the first waiting result came */
    uint64_t published;     /* last seq sent on the feed */
    uint64_t heard_us;      /* mono us of the broker's last message */
    bool heard;             /* the broker has spoken since the last (re)connect (/readyz) */
    uint64_t hello_us;      /* mono us of our last HELLO */
    uint64_t hb_due_us;     /* mono us of our next heartbeat */
    uint64_t retry_us;      /* mono us of the next try of a batch that did not commit */
    uint64_t backoff_us;    /* wait before that try: doubles per failure, to 5 s */
    store_stats_t stats;
    char *chunk;            /* DATA being filled for a streamed reply */
    size_t chunk_len, chunk_cap;
    zframe_t *reply_id;     /* identity of the query being answered */
    bool reply_delim;       /* it came with a REQ delimiter */
    struct s_job *jobs[STORE_JOBS]; /* streamed replies in progress */
    size_t njobs;
    metrics_t *metrics;     /* HTTP server for /metrics, or NULL */
    promtext_t *prom;       /* the page being rendered */
    uint64_t metrics_due_us;
    promtext_hist_t batch_hist;   /* results per committed batch */
    promtext_hist_t extract_hist; /* workers' extract_seconds of committed results */
    promtext_hist_t commit_hist;  /* seconds to merge and commit one batch */
};

const char *store_strerror(int rc)
{
    if (rc == STORE_ESOCKET)
        return "an endpoint could not be bound or connected";
    return db_strerror(rc);
}

/* ---------------------------------------------------------------- broker link */

static int s_hello(store_t *self)
{
    char credit[24];
    snprintf(credit, sizeof credit, "%u", self->cfg.batch * 4);
    self->hello_us = util_mono_us();
    return wire_sendv(self->broker, NULL, WIRE_HELLO, "store", self->name, credit, NULL);
}

static int s_connect(store_t *self)
{
    zsock_destroy(&self->broker);
    self->broker = zsock_new(ZMQ_DEALER);
    if (!self->broker)
        return STORE_ESOCKET;
    /* Never block: an ack that can't be queued is lost, and the broker redelivers. */
    zsock_set_sndtimeo(self->broker, 0);
    zsock_set_linger(self->broker, 0);
    zsock_set_rcvhwm(self->broker, 0);
    char err[512];
    if (auth_connect(self->cfg.auth, self->broker, self->broker_ep, err, sizeof err) != 0) {
        util_error("cannot connect to the broker: %s", err);
        return STORE_ESOCKET;
    }
    self->heard_us = util_mono_us();
    self->heard = false;
    return s_hello(self);
}

/* ---------------------------------------------------------------- batch */

static int s_publish_one(void *arg, uint64_t seq, const char *topic, size_t topic_len,
                         const uint8_t *update, size_t update_len)
{
    store_t *self = arg;
    zmsg_t *m = zmsg_new();
    zmsg_addmem(m, topic, topic_len);
    zmsg_addmem(m, update, update_len);
    if (zmsg_send(&m, self->pub) != 0)
        zmsg_destroy(&m);
    self->published = seq;
    self->stats.published++;
    return 0;
}

/* Tells the broker we will not merge job `job`'s result, so that it counts a failed
   attempt with our reason instead of redelivering it forever. */
static void s_refuse(store_t *self, const char *job, const char *why)
{
    wire_sendv(self->broker, NULL, WIRE_REFUSED, job, why && why[0] ? why : "refused", "0",
               NULL);
}

static void s_ack(store_t *self)
{
    const void *args[STORE_COMMIT_IDS];
    size_t lens[STORE_COMMIT_IDS];
    size_t n = 0;
    for (size_t i = 0; i < self->nbatch; i++) {
        if (self->batch[i].skip) {
            s_refuse(self, self->batch[i].job, self->batch[i].why);
            continue;
        }
        args[n] = self->batch[i].job;
        lens[n] = UTIL_ID_HEX;
        if (++n == STORE_COMMIT_IDS) {
            wire_send(self->broker, NULL, WIRE_COMMITTED, n, args, lens);
            n = 0;
        }
    }
    if (n)
        wire_send(self->broker, NULL, WIRE_COMMITTED, n, args, lens);
}

#define STORE_BACKOFF_MIN_US  100000ull
#define STORE_BACKOFF_MAX_US 5000000ull

/* Merges and commits the batch. A result the database refuses is left out and the rest
   retried; a full map is grown (by db_begin) and retried. When the batch can't be
   committed at all (a full disk, a map that can't grow, an I/O error) nothing is acked,
   the batch is kept and tried again after a backoff (self->retry_us), and the store
   goes on running: the broker redelivers what it does not hear about, and the merge is
   idempotent. Returns 0, or the error of a batch kept for a later try. */
static void s_beat(store_t *self, uint64_t now);

static int s_flush(store_t *self)
{
    if (self->nbatch == 0)
        return 0;
    int rc = 0;
    uint64_t t0 = util_mono_us();
    for (size_t attempt = 0; attempt <= self->nbatch + 2; attempt++) {
        if ((rc = db_begin(self->db)) != 0)
            break;
        size_t i = 0;
        for (; i < self->nbatch; i++) {
            if (self->batch[i].skip)
                continue;
            uint64_t now = util_mono_us();
            if (now >= self->hb_due_us)
                s_beat(self, now);
            uint64_t before = db_txn_seq(self->db);
            rc = db_merge(self->db, self->batch[i].r);
            self->batch[i].same = rc == 0 && db_txn_seq(self->db) == before;
            if (rc == DB_EINPUT) {
                self->batch[i].skip = true;
                self->batch[i].why = db_strerror(rc);
                self->stats.failed++;
                util_warn("result %s refused: %s", self->batch[i].job, db_strerror(rc));
                rc = 0;
                continue;
            }
            if (rc)
                break;
        }
        if (rc) {
            db_abort(self->db);
            if (rc == DB_ECORRUPT) {
                self->batch[i].skip = true;
                self->batch[i].why = db_strerror(rc);
                self->stats.failed++;
                util_error("result %s not merged: %s", self->batch[i].job, db_strerror(rc));
                continue;
            }
            if (rc == MDB_MAP_FULL)
                continue;
            break;
        }
        uint64_t seq;
        rc = db_commit(self->db, &seq);
        if (rc == MDB_MAP_FULL)
            continue;
        break;
    }
    if (rc == 0) {
        size_t merged = 0;
        for (size_t i = 0; i < self->nbatch; i++) {
            if (self->batch[i].skip)
                continue;
            merged++;
            self->stats.duplicates += self->batch[i].same;
            if (!self->batch[i].same)
                promtext_hist_observe(&self->extract_hist, self->batch[i].r->extract_seconds);
        }
        self->stats.merged += merged;
        self->stats.batches++;
        promtext_hist_observe(&self->batch_hist, (double)merged);
        promtext_hist_observe(&self->commit_hist, (double)(util_mono_us() - t0) / 1e6);
        s_ack(self);
        int prc = db_feed_since(self->db, self->published, NULL, s_publish_one, self);
        if (prc)
            util_warn("feed not published: %s", db_strerror(prc));
    } else {
        self->stats.commit_failures++;
        self->backoff_us = self->backoff_us ? self->backoff_us * 2 : STORE_BACKOFF_MIN_US;
        if (self->backoff_us > STORE_BACKOFF_MAX_US)
            self->backoff_us = STORE_BACKOFF_MAX_US;
        self->retry_us = util_mono_us() + self->backoff_us;
        util_error("batch of %zu results not committed to %s/store: %s%s; nothing acked, "
                   "trying again in %llu ms", self->nbatch, self->cfg.data_dir, db_strerror(rc),
                   rc == -ENOSPC || rc == -EFBIG || rc == -EDQUOT || rc == -EIO ||
                   rc == MDB_MAP_FULL || rc == -ENOMEM
                       ? " (no space left: disk, file size limit or address space?)" : "",
                   (unsigned long long)(self->backoff_us / 1000));
        for (size_t i = 0; i < self->nbatch; i++) {
            self->batch[i].skip = false;   /* judged again on the next try */
            self->batch[i].why = NULL;
        }
        return rc;
    }
    if (self->backoff_us)
        util_info("batch committed again after %" PRIu64 " failures to commit",
                  self->stats.commit_failures);
    self->backoff_us = 0;
    self->retry_us = 0;
    for (size_t i = 0; i < self->nbatch; i++)
        crossclaim__result__free_unpacked(self->batch[i].r, NULL);
    self->nbatch = 0;
    return 0;
}

/* ---------------------------------------------------------------- broker messages */

static void s_garbage(store_t *self, const char *what, int rc, const void *data, size_t size)
{
    char sample[80];
    self->stats.garbage++;
    util_warn("%s dropped (%s): %s", what, wire_strerror(rc),
              util_sample(data, size, sample, sizeof sample));
}

static void s_on_result(store_t *self, const wire_msg_t *m)
{
    self->stats.received++;
    Crossclaim__Result *r = NULL;
    char why[WIRE_MAX_WHY], job[UTIL_ID_HEX + 1];
    memcpy(job, m->arg[0], UTIL_ID_HEX);   /* a job id: wire_decode checked */
    job[UTIL_ID_HEX] = 0;
    int rc = wire_unpack_result_why(m->arg[1], m->arg_len[1], &r, why, sizeof why);
    if (rc) {
        s_garbage(self, "RESULT", rc, why[0] ? why : (const char *)m->arg[1],
                  why[0] ? strlen(why) : m->arg_len[1]);
        s_refuse(self, job, why[0] ? why : wire_strerror(rc));
        return;
    }
    if (strlen(r->job_id) != m->arg_len[0] || memcmp(r->job_id, m->arg[0], m->arg_len[0]) != 0) {
        s_garbage(self, "RESULT for another job id", WIRE_EARG, m->arg[0], m->arg_len[0]);
        s_refuse(self, job, "result's job_id differs from the frame's");
        crossclaim__result__free_unpacked(r, NULL);
        return;
    }
    s_item_t *it = &self->batch[self->nbatch++];
    it->r = r;
    memcpy(it->job, m->arg[0], UTIL_ID_HEX);
    it->job[UTIL_ID_HEX] = 0;
    it->skip = false;
    it->why = NULL;
    if (self->nbatch == 1)
        self->batch_since = util_mono_us();
}

static void s_on_broker(store_t *self, zmsg_t *msg)
{
    wire_msg_t m;
    int rc = wire_decode_msg(msg, false, NULL, &m);
    if (rc) {
        zframe_t *f = zmsg_first(msg);
        s_garbage(self, "message from the broker", rc,
                  f ? (const void *)zframe_data(f) : (const void *)"",
                  f ? zframe_size(f) : 0);
        return;
    }
    self->heard_us = util_mono_us();
    self->heard = true;
    switch (m.cmd) {
    case WIRE_RESULT:
        s_on_result(self, &m);
        break;
    case WIRE_HB:
        break;
    case WIRE_BYE:
        /* The broker restarted or dropped us: introduce ourselves again. Once: a broker
           that dropped us answers each message we sent before our HELLO reached it with
           a BYE, and a HELLO for each would count as a restart of ours, requeueing every
           result sent to us in between (seen across a cut network link, where it made
           more redeliveries than articles). A BYE within a heartbeat of our HELLO is one
           of those; a real drop after it sends another BYE later, to our next heartbeat. */
        if (self->heard_us - self->hello_us < (uint64_t)self->cfg.heartbeat_ms * 1000)
            break;
        util_info("broker said BYE: saying HELLO again");
        s_hello(self);
        break;
    default:
        s_garbage(self, "unexpected command from the broker", WIRE_ECOMMAND,
                  wire_cmd_name(m.cmd), strlen(wire_cmd_name(m.cmd)));
        break;
    }
}

/* ---------------------------------------------------------------- queries */

/* Every reply is queued without waiting: the loop that commits never blocks on a client.
   A short reply (STATS, a lookup, an error) that can't be queued at once is dropped and
   counted. A streamed one (EXPORT, SNAPSHOT, CONFLICTS, STORIES, STORY, SINCE) is a job:
   the loop makes its next message only when the last one went out, one step per job and
   turn (db_dump_step: about STORE_CHUNK of JSON lines, in a read transaction of its own),
   so a client that reads slowly is served slowly and one that does not read costs one
   message here; after STORE_QUERY_WAIT_MS without taking any it is given up on. */

/* A streamed reply in progress. */
typedef struct s_job {
    zframe_t *id;             /* the client's routing id */
    bool delim;               /* it asked through REQ: replies carry the empty frame */
    enum { S_JOB_DUMP, S_JOB_SINCE, S_JOB_STORY } kind;
    unsigned what;            /* DUMP: DB_* flags, or prefixes[0..nprefixes) */
    const char *prefixes[STORE_QUERY_MAX_PREFIXES];
    size_t nprefixes;
    char arg[STORE_QUERY_MAX_ARG + 1]; /* the query's argument, which prefixes point into */
    db_step_t pos;            /* DUMP: where the walk stands */
    uint64_t after, until;    /* SINCE: the last seq sent, the feed's last seq at the start */
    uint64_t records;         /* lines (DUMP, STORY) or updates (SINCE) sent */
    zlist_t *out;             /* messages made, not yet queued on the socket */
    bool last;                /* its END or ERR is in `out`: done when out is empty */
    uint64_t blocked_us;      /* mono us since its client took nothing, or 0 */
} s_job_t;

static zmsg_t *s_msg(const zframe_t *id, bool delim, size_t n, const void *const *frames,
                     const size_t *lens)
{
    zmsg_t *m = zmsg_new();
    zmsg_append(m, &(zframe_t *){zframe_dup((zframe_t *)id)});
    if (delim)
        zmsg_addmem(m, "", 0);
    for (size_t i = 0; i < n; i++)
        zmsg_addmem(m, frames[i], lens[i]);
    return m;
}

/* A short reply to the query being answered (self->reply_id), queued at once or dropped. */
static void s_reply_str(store_t *self, const char *a, const char *b, const char *c)
{
    const void *f[3] = {a, b, c};
    size_t l[3] = {strlen(a), b ? strlen(b) : 0, c ? strlen(c) : 0};
    zmsg_t *m = s_msg(self->reply_id, self->reply_delim, c ? 3 : b ? 2 : 1, f, l);
    if (zmsg_send(&m, self->query) != 0) {
        zmsg_destroy(&m);
        self->stats.query_dropped++;
        util_warn("a %s reply was dropped: its client is gone or reads nothing", a);
    }
}

static void s_job_put(s_job_t *job, size_t n, const void *const *frames, const size_t *lens)
{
    zlist_append(job->out, s_msg(job->id, job->delim, n, frames, lens));
}

static void s_job_end(s_job_t *job, int rc, uint64_t seq)
{
    if (rc) {
        const void *f[2] = {"ERR", db_strerror(rc)};
        size_t l[2] = {3, strlen(db_strerror(rc))};
        s_job_put(job, 2, f, l);
    } else {
        char a[24], b[24];
        snprintf(a, sizeof a, "%" PRIu64, seq);
        snprintf(b, sizeof b, "%" PRIu64, job->records);
        const void *f[3] = {"END", a, b};
        size_t l[3] = {3, strlen(a), strlen(b)};
        s_job_put(job, 3, f, l);
    }
    job->last = true;
}

/* The DATA message of the lines gathered in self->chunk, if any. */
static void s_job_data(store_t *self, s_job_t *job)
{
    if (!self->chunk_len)
        return;
    const void *f[2] = {"DATA", self->chunk};
    size_t l[2] = {4, self->chunk_len};
    s_job_put(job, 2, f, l);
    self->chunk_len = 0;
}

typedef struct {
    store_t *store;
    s_job_t *job;
    bool chunked;             /* a whole reply in one call: a DATA every STORE_CHUNK */
} s_line_ctx_t;

static int s_job_line(void *arg, const char *line, size_t len)
{
    s_line_ctx_t *x = arg;
    store_t *self = x->store;
    if (self->chunk_len + len > self->chunk_cap) {
        self->chunk_cap = self->chunk_len + len + STORE_CHUNK;
        self->chunk = util_realloc(self->chunk, self->chunk_cap);
    }
    memcpy(self->chunk + self->chunk_len, line, len);
    self->chunk_len += len;
    x->job->records++;
    if (x->chunked && self->chunk_len >= STORE_CHUNK)
        s_job_data(self, x->job);
    return 0;
}

static int s_job_update(void *arg, uint64_t seq, const char *topic, size_t topic_len,
                        const uint8_t *update, size_t update_len)
{
    s_job_t *job = arg;
    if (seq > job->until || zlist_size(job->out) >= 256)
        return DB_EPAUSE;   /* this step's share, or past the end the query saw */
    char s[24];
    snprintf(s, sizeof s, "%" PRIu64, seq);
    const void *f[4] = {"UPDATE", s, topic, update};
    size_t l[4] = {6, strlen(s), topic_len, update_len};
    s_job_put(job, 4, f, l);
    job->records++;
    job->after = seq;
    return 0;
}

/* Makes the job's next messages. */
static void s_job_step(store_t *self, s_job_t *job)
{
    s_line_ctx_t x = {self, job, false};
    self->chunk_len = 0;
    int rc;
    switch (job->kind) {
    case S_JOB_DUMP:
        rc = db_dump_step(self->db, job->what, job->prefixes, job->nprefixes, &job->pos,
                          STORE_CHUNK, s_job_line, &x);
        if (rc) {
            self->chunk_len = 0;
            s_job_end(job, rc, 0);
            return;
        }
        s_job_data(self, job);
        if (job->pos.done)
            s_job_end(job, 0, job->pos.seq);
        return;
    case S_JOB_STORY: {
        uint64_t seq = 0;
        x.chunked = true;
        rc = db_dump_story(self->db, job->arg, &seq, s_job_line, &x);
        if (rc)
            self->chunk_len = 0;
        else
            s_job_data(self, job);
        s_job_end(job, rc, seq);
        return;
    }
    case S_JOB_SINCE:
        rc = db_feed_since(self->db, job->after, NULL, s_job_update, job);
        if (rc == DB_EPAUSE && job->after < job->until)
            return;   /* more next turn */
        s_job_end(job, rc == DB_EPAUSE ? 0 : rc, job->after);
        return;
    }
}

static void s_job_free(store_t *self, s_job_t **job_p)
{
    s_job_t *job = *job_p;
    if (!job)
        return;
    db_step_end(self->db, &job->pos);
    zmsg_t *m;
    while ((m = zlist_pop(job->out)))
        zmsg_destroy(&m);
    zlist_destroy(&job->out);
    zframe_destroy(&job->id);
    free(job);
    *job_p = NULL;
}

/* Starts a streamed reply to the query being answered (the caller sets its kind and
   arguments). Refuses when STORE_JOBS are in progress. */
static s_job_t *s_job_new(store_t *self)
{
    if (self->njobs == STORE_JOBS) {
        s_reply_str(self, "ERR", "busy: too many replies in progress; ask again later", NULL);
        return NULL;
    }
    s_job_t *job = util_calloc(1, sizeof *job);
    job->id = zframe_dup(self->reply_id);
    job->delim = self->reply_delim;
    job->out = zlist_new();
    self->jobs[self->njobs++] = job;
    return job;
}

/* Queues what the jobs have made, without waiting, and makes their next messages: one
   step per job and call. Returns whether some job can go on at once (the loop should
   not sleep). */
static bool s_jobs_pump(store_t *self, uint64_t now)
{
    bool busy = false;
    for (size_t i = 0; i < self->njobs;) {
        s_job_t *job = self->jobs[i];
        bool gone = false;
        zmsg_t *m;
        while ((m = zlist_first(job->out))) {
            if (zmsg_send(&m, self->query) != 0) {
                gone = zmq_errno() == EHOSTUNREACH;   /* the client went away */
                break;
            }
            zlist_pop(job->out);
            job->blocked_us = 0;
        }
        if (!gone && zlist_size(job->out) == 0 && !job->last) {
            s_job_step(self, job);
            busy = true;
        }
        if (!gone && zlist_size(job->out) && !job->blocked_us)
            job->blocked_us = now;
        bool stuck = job->blocked_us && now - job->blocked_us > STORE_QUERY_WAIT_MS * 1000ull;
        if (gone || stuck || (job->last && zlist_size(job->out) == 0)) {
            if (gone || stuck) {
                self->stats.query_dropped++;
                if (gone)
                    util_warn("a query reply was dropped after %" PRIu64 " records: its "
                              "client is gone", job->records);
                else
                    util_warn("a query reply was dropped after %" PRIu64 " records: its "
                              "client took nothing for %u ms", job->records,
                              STORE_QUERY_WAIT_MS);
            }
            s_job_free(self, &job);
            self->jobs[i] = self->jobs[--self->njobs];
            continue;
        }
        i++;
    }
    return busy;
}


/* STORY ID: one story, its record, articles and xrefs (db_dump_story). */
static void s_stream_story(store_t *self, const char *id)
{
    s_job_t *job = s_job_new(self);
    if (!job)
        return;
    job->kind = S_JOB_STORY;
    snprintf(job->arg, sizeof job->arg, "%s", id);
}

/* SNAPSHOT/EXPORT [WHAT], CONFLICTS, STORIES: the records q names, in steps. */
static void s_stream(store_t *self, const store_query_t *q)
{
    s_job_t *job = s_job_new(self);
    if (!job)
        return;
    job->kind = S_JOB_DUMP;
    job->what = q->what;
    job->nprefixes = q->nprefixes;
    /* the prefixes point into q->arg or at static names: re-point them into the job */
    memcpy(job->arg, q->arg, sizeof q->arg);
    for (size_t i = 0; i < q->nprefixes; i++)
        job->prefixes[i] = q->prefixes[i] >= q->arg && q->prefixes[i] < q->arg + sizeof q->arg
                               ? job->arg + (q->prefixes[i] - q->arg) : q->prefixes[i];
}

/* SINCE SEQ: the feed's updates after SEQ, up to its last one when asked. */
static void s_since(store_t *self, uint64_t after)
{
    db_stats_t st;
    uint64_t first = 0;
    int rc = db_stats(self->db, &st);
    /* Learn the oldest kept update first: a walk past the end sends nothing. */
    if (!rc)
        rc = db_feed_since(self->db, UINT64_MAX - 1, &first, s_job_update, NULL);
    if (rc) {
        s_reply_str(self, "ERR", db_strerror(rc), NULL);
        return;
    }
    if (after < st.seq && first > after + 1) {
        s_reply_str(self, "ERR", "gap: updates after that seq are no longer kept; take a SNAPSHOT",
                    NULL);
        return;
    }
    s_job_t *job = s_job_new(self);
    if (!job)
        return;
    job->kind = S_JOB_SINCE;
    job->after = after;
    job->until = st.seq;
}

static void s_stats_json(store_t *self)
{
    db_stats_t st;
    int rc = db_stats(self->db, &st);
    if (rc) {
        s_reply_str(self, "ERR", db_strerror(rc), NULL);
        return;
    }
    json_t *j = json_new();
    json_obj_begin(j);
    db_stats_json(&st, j);
    json_key(j, "received"); json_int(j, (int64_t)self->stats.received);
    json_key(j, "merged"); json_int(j, (int64_t)self->stats.merged);
    json_key(j, "garbage"); json_int(j, (int64_t)self->stats.garbage);
    json_key(j, "failed"); json_int(j, (int64_t)self->stats.failed);
    json_key(j, "batches"); json_int(j, (int64_t)self->stats.batches);
    json_key(j, "duplicates"); json_int(j, (int64_t)self->stats.duplicates);
    json_key(j, "published"); json_int(j, (int64_t)self->stats.published);
    json_obj_end(j);
    char seq[24];
    snprintf(seq, sizeof seq, "%" PRIu64, st.seq);
    s_reply_str(self, "OK", seq, json_data(j));
    json_destroy(&j);
}

static void s_lookup(store_t *self, int (*fn)(db_t *, const char *, json_t *), const char *arg)
{
    json_t *j = json_new();
    int rc = fn(self->db, arg, j);
    if (rc)
        s_reply_str(self, "ERR", db_strerror(rc), NULL);
    else
        s_reply_str(self, "OK", json_data(j), NULL);
    json_destroy(&j);
}

static void s_on_query(store_t *self, zmsg_t *msg)
{
    self->stats.queries++;
    self->reply_id = zmsg_pop(msg);
    if (!self->reply_id)
        return;
    zframe_t *f = zmsg_first(msg);
    self->reply_delim = f && zframe_size(f) == 0;
    if (self->reply_delim) {
        zframe_t *d = zmsg_pop(msg);
        zframe_destroy(&d);
    }
    const uint8_t *frames[2];
    size_t lens[2], n = 0;
    for (zframe_t *f = zmsg_first(msg); f && n < 2; f = zmsg_next(msg), n++) {
        frames[n] = zframe_data(f);
        lens[n] = zframe_size(f);
    }
    store_query_t q;
    int rc = store_query_parse(frames, lens, zmsg_size(msg), &q);
    if (rc == STORE_QUERY_EMALFORMED || rc == STORE_QUERY_EOVERSIZE) {
        char sample[64];
        self->stats.garbage++;
        if (rc == STORE_QUERY_EOVERSIZE)
            self->stats.query_oversize++;
        util_warn("malformed query dropped: %s",
                  n ? util_sample(frames[0], lens[0], sample, sizeof sample) : "empty");
    }
    if (rc) {
        s_reply_str(self, "ERR", store_query_strerror(rc), NULL);
        goto leave;
    }
    switch (q.kind) {
    case STORE_QUERY_STATS:
        s_stats_json(self);
        break;
    case STORE_QUERY_DUMP:
        s_stream(self, &q);
        break;
    case STORE_QUERY_STORY:
        s_stream_story(self, q.arg);
        break;
    case STORE_QUERY_XREF:
        s_lookup(self, db_xref_json, q.arg);
        break;
    case STORE_QUERY_ENTITY:
        s_lookup(self, db_entity_json, q.arg);
        break;
    case STORE_QUERY_ARTICLE:
        s_lookup(self, db_article_json, q.arg);
        break;
    case STORE_QUERY_SINCE:
        s_since(self, q.after);
        break;
    }
leave:
    zframe_destroy(&self->reply_id);
}

/* ---------------------------------------------------------------- life cycle */

static char *s_endpoint(const char *given, const char *dir, const char *file)
{
    if (given)
        return util_strdup(given);
    size_t n = strlen(dir) + strlen(file) + 8;
    char *s = util_malloc(n);
    snprintf(s, n, "ipc://%s/%s", dir, file);
    return s;
}

/* Binds a new socket, through auth for tcp endpoints. `sndhwm` (< 0: ZeroMQ's default)
   must be set before the bind: connections accepted later take the options the socket had
   when it was bound. */
static zsock_t *s_bind(store_t *self, int type, const char *ep, int sndhwm)
{
    zsock_t *s = zsock_new(type);
    if (!s)
        return NULL;
    zsock_set_linger(s, 0);
    if (sndhwm >= 0)
        zsock_set_sndhwm(s, sndhwm);
    if (type == ZMQ_ROUTER) {
        /* A reply over a client's high-water mark fails at once (not dropped silently,
           not waited for): the streamed reply tries again on the next turn. */
        zsock_set_router_mandatory(s, 1);
        zsock_set_sndtimeo(s, 0);
        zsock_set_maxmsgsize(s, STORE_MAX_QUERY);
    }
    char err[512];
    if (auth_bind(self->cfg.auth, s, ep, err, sizeof err) != 0) {
        util_error("%s", err);
        zsock_destroy(&s);
    }
    return s;
}

int store_new(const store_config_t *cfg, store_t **out)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (!cfg || !cfg->data_dir || !*cfg->data_dir)
        return -EINVAL;
    store_t *self = util_calloc(1, sizeof *self);
    self->cfg = *cfg;
    if (!self->cfg.batch)
        self->cfg.batch = 256;
    if (!self->cfg.batch_ms)
        self->cfg.batch_ms = 20;
    if (!self->cfg.heartbeat_ms)
        self->cfg.heartbeat_ms = 1000;
    if (!self->cfg.liveness)
        self->cfg.liveness = 3;
    self->broker_ep = s_endpoint(cfg->broker, cfg->data_dir, "backend.ipc");
    self->pub_ep = s_endpoint(cfg->pub, cfg->data_dir, "feed.ipc");
    self->query_ep = s_endpoint(cfg->query, cfg->data_dir, "query.ipc");
    if (cfg->name) {
        self->name = util_strdup(cfg->name);
    } else {
        char host[128] = "store";
        gethostname(host, sizeof host - 1);
        host[sizeof host - 1] = 0;
        size_t n = strlen(host) + 24;
        self->name = util_malloc(n);
        snprintf(self->name, n, "%s:%d", host, (int)getpid());
    }
    self->batch = util_calloc(self->cfg.batch, sizeof *self->batch);
    int rc = util_mkdirs(cfg->data_dir);
    if (rc) {
        util_error("cannot make %s: %s", cfg->data_dir, strerror(-rc));
        goto fail;
    }
    if ((rc = db_open_map(cfg->data_dir, false, cfg->map_bytes, &self->db)) != 0) {
        util_error("cannot open the database in %s/store: %s", cfg->data_dir, db_strerror(rc));
        goto fail;
    }
    db_stats_t st;
    if ((rc = db_stats(self->db, &st)) != 0)
        goto fail;
    self->published = st.seq; /* history is for SINCE, not re-announced */
    rc = STORE_ESOCKET;
    /* A snapshot or a SINCE answer arrives whole or ends in ERR: a client that does not
       read costs at most STORE_QUERY_HWM messages here, never the whole database. */
    if (!(self->pub = s_bind(self, ZMQ_PUB, self->pub_ep,
                             (int)(cfg->pub_hwm ? cfg->pub_hwm : STORE_PUB_HWM))) ||
        !(self->query = s_bind(self, ZMQ_ROUTER, self->query_ep, STORE_QUERY_HWM)))
        goto fail;
    promtext_hist_init(&self->batch_hist, s_batch_bounds, S_NB(s_batch_bounds));
    promtext_hist_init(&self->extract_hist, s_extract_bounds, S_NB(s_extract_bounds));
    promtext_hist_init(&self->commit_hist, s_commit_bounds, S_NB(s_commit_bounds));
    if (cfg->metrics_port) {
        const char *addr = cfg->metrics_addr ? cfg->metrics_addr : "127.0.0.1";
        if ((rc = metrics_new(addr, cfg->metrics_port, &self->metrics)) != 0) {
            util_error("cannot serve metrics on %s port %u: %s", addr, cfg->metrics_port,
                       strerror(-rc));
            rc = STORE_ESOCKET;
            goto fail;
        }
        self->prom = promtext_new();
        conns_exempt(metrics_listen_fd(self->metrics));
    }
    if ((rc = s_connect(self)) != 0)
        goto fail;
    util_info("store %s: %" PRIu64 " articles, seq %" PRIu64 "; broker %s, feed %s, query %s",
              self->name, st.articles, st.seq, self->broker_ep, self->pub_ep, self->query_ep);
    *out = self;
    return 0;
fail:
    store_destroy(&self);
    return rc;
}

void store_destroy(store_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    store_t *self = *self_p;
    for (size_t i = 0; i < self->nbatch; i++)
        crossclaim__result__free_unpacked(self->batch[i].r, NULL);
    zsock_destroy(&self->broker);
    zsock_destroy(&self->pub);
    zsock_destroy(&self->query);
    metrics_destroy(&self->metrics);
    promtext_destroy(&self->prom);
    promtext_hist_free(&self->batch_hist);
    promtext_hist_free(&self->extract_hist);
    promtext_hist_free(&self->commit_hist);
    for (size_t i = 0; i < self->njobs; i++)
        s_job_free(self, &self->jobs[i]);   /* before the database: they hold snapshots */
    db_destroy(&self->db);
    free(self->batch);
    free(self->broker_ep);
    free(self->pub_ep);
    free(self->query_ep);
    free(self->name);
    free(self->chunk);
    free(self);
    *self_p = NULL;
}

void store_stats(store_t *self, store_stats_t *out)
{
    *out = self->stats;
}

/* Renders the metrics page (names per DESIGN.md: crossclaim_ prefix, counters _total,
   durations _seconds histograms) and hands it to the HTTP thread. */
static void s_publish_metrics(store_t *self)
{
    promtext_t *p = self->prom;
    const store_stats_t *st = &self->stats;
    uint64_t silent_us = util_mono_us() - self->heard_us;
    bool live = silent_us <= (uint64_t)self->cfg.heartbeat_ms * 1000 * self->cfg.liveness;
    metrics_ready(self->metrics, self->db && self->heard && live,
                  !self->db ? "database not open"
                  : !self->heard ? "broker not heard from since connecting"
                  : "broker silent");
    promtext_reset(p);
    promtext_counter(p, "crossclaim_store_results_received_total",
                     "RESULT messages received from the broker.", st->received);
    promtext_counter(p, "crossclaim_store_articles_merged_total",
                     "Results committed to the database, duplicates included.", st->merged);
    promtext_counter(p, "crossclaim_store_duplicates_total",
                     "Committed results that changed nothing (the same result again).",
                     st->duplicates);
    promtext_counter(p, "crossclaim_store_merge_errors_total",
                     "Results the database refused, logged and not acknowledged.", st->failed);
    promtext_counter(p, "crossclaim_store_malformed_total",
                     "Malformed messages or results dropped.", st->garbage);
    promtext_counter(p, "crossclaim_store_commits_total", "Transactions committed.",
                     st->batches);
    promtext_counter(p, "crossclaim_store_commit_failures_total",
                     "Batches that could not be committed (full disk, full map, I/O error): "
                     "kept unacknowledged and tried again after a backoff.",
                     st->commit_failures);
    promtext_counter(p, "crossclaim_store_corrupt_records_total",
                     "Stored records that failed to decode, skipped in query replies.",
                     db_corrupt_records(self->db));
    promtext_counter(p, "crossclaim_store_broker_reconnects_total",
                     "Reconnections to a silent broker.", st->reconnects);
    promtext_counter(p, "crossclaim_feed_published_total", "Updates sent on the feed.",
                     st->published);
    promtext_counter(p, "crossclaim_store_queries_total", "Requests on the query socket.",
                     st->queries);
    promtext_counter(p, "crossclaim_store_query_oversize_total",
                     "Queries refused for an argument over the size limit.", st->query_oversize);
    promtext_counter(p, "crossclaim_store_query_dropped_total",
                     "Query replies dropped because their client did not read them.",
                     st->query_dropped);
    promtext_gauge(p, "crossclaim_store_query_streams",
                   "Streamed query replies in progress.", (double)self->njobs);
    promtext_counter(p, "crossclaim_auth_plain_refused_total",
                     "Clients without CURVE keys refused on a CURVE endpoint.",
                     auth_plain_refused(self->cfg.auth));
    promtext_counter(p, "crossclaim_store_connections_refused_total",
                     "Connections closed as accepted: the open-file limit was near.",
                     conns_refused());
    long open_conns = conns_open();
    if (open_conns >= 0)
        promtext_gauge(p, "crossclaim_store_connections_open",
                       "Connected sockets the store holds (clients, the broker, scrapes).",
                       (double)open_conns);
    promtext_gauge(p, "crossclaim_feed_seq", "Sequence number of the last update published.",
                   (double)self->published);
    promtext_gauge(p, "crossclaim_store_batch_pending",
                   "Results received, waiting for the next transaction.", (double)self->nbatch);
    promtext_histogram(p, "crossclaim_store_batch_articles", "Results per committed batch.",
                       &self->batch_hist);
    promtext_histogram(p, "crossclaim_store_commit_seconds",
                       "Time to merge and commit one batch.", &self->commit_hist);
    promtext_histogram(p, "crossclaim_extract_seconds",
                       "Workers' extract time of each committed new result.",
                       &self->extract_hist);
    metrics_publish(self->metrics, promtext_data(p), promtext_len(p));
}

/* Heartbeats to the broker and on the feed, and nothing else: also called between the
   merges of a long batch, so that neither the broker nor a feed subscriber takes a busy
   store for a silent one (a broker that drops its store requeues every result it sent,
   and a slow batch of them would make the same drop again, round after round). */
static void s_beat(store_t *self, uint64_t now)
{
    if (self->broker)
        wire_send(self->broker, NULL, WIRE_HB, 0, NULL, NULL);
    Crossclaim__Update u = CROSSCLAIM__UPDATE__INIT;
    u.seq = self->published;
    u.kind = "heartbeat";
    uint8_t buf[64];
    size_t n = crossclaim__update__pack(&u, buf);
    zmsg_t *m = zmsg_new();
    zmsg_addstr(m, "hb");
    zmsg_addmem(m, buf, n);
    if (zmsg_send(&m, self->pub) != 0)
        zmsg_destroy(&m);
    self->hb_due_us = now + (uint64_t)self->cfg.heartbeat_ms * 1000;
}

static void s_heartbeat(store_t *self, uint64_t now)
{
    uint64_t hb = (uint64_t)self->cfg.heartbeat_ms * 1000;
    /* After a long commit the broker's heartbeats may be waiting unread: that is not
       silence, and reconnecting would make the broker requeue every uncommitted result. */
    bool unread = self->broker && (zsock_events(self->broker) & ZMQ_POLLIN);
    if (!unread && now - self->heard_us > hb * self->cfg.liveness) {
        int arc = auth_check(self->cfg.auth);
        util_warn("broker silent for %u ms%s%s: reconnecting to %s",
                  (unsigned)((now - self->heard_us) / 1000), arc ? ": " : "",
                  arc ? auth_strerror(arc) : "", self->broker_ep);
        self->stats.reconnects++;
        if (s_connect(self) != 0)
            self->heard_us = now; /* try again after another silence */
    }
    s_beat(self, now);
}

int store_run(store_t *self)
{
    int rc = 0;
    bool jobs_busy = false;   /* a streamed reply can make its next message at once */
    self->hb_due_us = util_mono_us();
    while (!zsys_interrupted) {
        uint64_t now = util_mono_us();
        if (now >= self->hb_due_us) {
            s_heartbeat(self, now);
            conns_log();
        }
        if (self->metrics && now >= self->metrics_due_us) {
            s_publish_metrics(self);
            self->metrics_due_us = now + STORE_METRICS_MS * 1000;
        }
        uint64_t due = self->hb_due_us;
        if (self->metrics && self->metrics_due_us < due)
            due = self->metrics_due_us;
        if (self->nbatch) {
            uint64_t flush_at = self->batch_since + (uint64_t)self->cfg.batch_ms * 1000;
            if (self->retry_us > flush_at)
                flush_at = self->retry_us;
            if (flush_at < due)
                due = flush_at;
        }
        long timeout = due > now ? (long)((due - now + 999) / 1000) : 0;
        if (jobs_busy)
            timeout = 0;
        else if (self->njobs && timeout > STORE_JOB_RETRY_MS)
            timeout = STORE_JOB_RETRY_MS;   /* a client's queue may have room again */
        /* A full batch waiting for its retry takes nothing more from the broker (its
           heartbeats wait unread, which s_heartbeat does not take for silence). */
        zmq_pollitem_t items[] = {
            {zsock_resolve(self->broker), 0,
             self->nbatch < self->cfg.batch ? ZMQ_POLLIN : 0, 0},
            {zsock_resolve(self->query), 0, ZMQ_POLLIN, 0},
        };
        if (zmq_poll(items, 2, timeout) < 0) {
            if (zmq_errno() == EINTR)
                continue;
            util_error("poll: %s", zmq_strerror(zmq_errno()));
            rc = -zmq_errno();
            break;
        }
        if (items[0].revents & ZMQ_POLLIN) {
            /* Drain what is there, up to a full batch. */
            while (self->nbatch < self->cfg.batch &&
                   (zsock_events(self->broker) & ZMQ_POLLIN)) {
                zmsg_t *msg = zmsg_recv(self->broker);
                if (!msg)
                    break;
                s_on_broker(self, msg);
                zmsg_destroy(&msg);
            }
        }
        now = util_mono_us();
        if (now >= self->retry_us &&
            (self->nbatch == self->cfg.batch ||
             (self->nbatch && now - self->batch_since >= (uint64_t)self->cfg.batch_ms * 1000)))
            s_flush(self);   /* on failure the batch is kept and tried again later */
        if (items[1].revents & ZMQ_POLLIN) {
            zmsg_t *msg = zmsg_recv(self->query);
            if (msg) {
                s_on_query(self, msg);
                zmsg_destroy(&msg);
            }
        }
        jobs_busy = self->njobs && s_jobs_pump(self, util_mono_us());
    }
    int frc = s_flush(self);
    if (!rc)
        rc = frc;
    if (self->broker) {
        wire_send(self->broker, NULL, WIRE_BYE, 0, NULL, NULL);
        zsock_set_linger(self->broker, 500); /* let the last acks and BYE go out */
    }
    util_info("store stopping: %" PRIu64 " results received, %" PRIu64 " merged in %" PRIu64
              " batches, %" PRIu64 " garbage, %" PRIu64 " refused, %" PRIu64 " updates published",
              self->stats.received, self->stats.merged, self->stats.batches, self->stats.garbage,
              self->stats.failed, self->stats.published);
    return rc;
}
