/*  broker_internal: what the files of the broker's event loop (broker/broker*.c) share,
    and nothing else: the body of broker_t, its peer and job records, the reasons a
    message is rejected, and the functions one file defines and others call (prefix brk_;
    a file's own helpers stay static, prefix s_). Only broker/broker*.c include it;
    broker/broker.h is the contract.

    The files, by job: broker.c the lifecycle and the event loop; broker_reject.c
    refusing bad messages; broker_jobs.c jobs and workers in memory; broker_front.c
    SUBMIT and its group commit; broker_admin.c the ADMIN verbs; broker_back.c HELLO and
    the workers' messages; broker_store.c the store's; broker_dispatch.c dispatch by
    credit, heartbeats and deadlines; broker_metrics.c the Prometheus text; the connection cap is proto/conns.c. */
#ifndef CC_BROKER_INTERNAL_H
#define CC_BROKER_INTERNAL_H

#include "broker.h"
#include "conns.h"
#include "json.h"
#include "metrics.h"
#include "queue.h"
#include "util.h"
#include "wire.h"

#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BRK_SUBMIT_BATCH   256     /* SUBMITs per group commit */
#define BRK_DONE_BATCH     1024    /* committed ids per queue_done transaction */
#define BRK_MAX_CREDIT     1000000 /* a worker's credit never exceeds this */
#define BRK_LOG_PER_SEC    10      /* bad-message log lines per second before suppressing */
#define BRK_HANDSHAKE_MS   5000    /* a tcp peer that has not handshaken by then is dropped */
#define BRK_BACK_BATCH     256     /* jobs taken back from workers or the store per
                                    queue transaction (one fsync for all of them) */

typedef enum {
    R_FRAMES, R_PROTOCOL, R_COMMAND, R_ARGUMENT, R_TOO_BIG, R_PROTOBUF, R_EMPTY,
    R_ID_MISMATCH, R_UNKNOWN_PEER, R_UNEXPECTED, R_BAD_RESULT, R_STORAGE, R_NUL,
    R_ARTICLE_TOO_BIG, R_HB_FLOOD, R_NOT_HOLDER, R_SECOND_STORE, R_NOT_SENT,
    R_HELLO_FLOOD, R_RESULT_TOO_BIG, R_ROLE, R_COUNT
} brk_reason_t;

/* The name of each reason, as counted in stats and metrics (broker_reject.c). */
extern const char *const brk_reason_names[R_COUNT];

/* Histogram bounds for submit-to-commit latency, seconds (broker_metrics.c). */
#define BRK_NBUCKETS 17
extern const double brk_buckets[BRK_NBUCKETS];


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
} brk_worker_t;

typedef enum { J_WITH_WORKER = 1, J_AWAITING } brk_jstate_t;

typedef struct brk_job_t {
    char id[UTIL_ID_HEX + 1];  /* also the key in `jobs` (borrowed by the hash) */
    brk_jstate_t state;
    brk_worker_t *worker;        /* holder while J_WITH_WORKER, else NULL */
    uint64_t deadline_us;      /* monotonic */
    size_t article_len;        /* bytes of the Article sent: its text is no longer */
    struct brk_job_t *next_free; /* free list link */
} brk_job_t;

/* One SUBMIT waiting for the group commit; `msg` owns the bytes the rest points into. */
typedef struct {
    zmsg_t *msg;
    zframe_t *identity;
    const uint8_t *tag;
    size_t tag_len;
    char id[UTIL_ID_HEX + 1];
    uint64_t submitted_us;     /* from the Article; 0 = stamp at commit */
} brk_pending_t;

struct broker_t {
    broker_config_t cfg;           /* copy; strings borrowed from the caller */
    queue_t *queue;                /* durable job state */
    zsock_t *front;                /* ROUTER: producers and admin clients */
    zsock_t *back;                 /* ROUTER: workers and the store */
    metrics_t *metrics;            /* HTTP server, or NULL */
    zhashx_t *workers;             /* identity hex -> brk_worker_t */
    brk_worker_t **wlist;            /* the same workers, in dispatch order */
    size_t nworkers, wcap;
    size_t rr;                     /* round-robin position in wlist */
    uint64_t credit_total;         /* sum of worker credit: dispatch when > 0 */
    zframe_t *store_id;            /* connected store's identity, or NULL */
    char store_name[257];
    zframe_t *cand_id;             /* a store that said HELLO while another was connected:
                                      admitted if that one goes, or NULL */
    char cand_name[257];
    uint64_t cand_credit;          /* its HELLO's credit, which it brings when it takes over */
    uint64_t cand_seen_us;         /* its last message, monotonic */
    uint64_t store_seen_us;
    uint64_t store_credit;         /* jobs the connected store can take at once (its HELLO):
                                      dispatch holds while this many are out of the queue,
                                      with workers or awaiting its commit; 0 = no bound, or
                                      no store */
    uint64_t caught_up_us;         /* mono time the back end was last read empty */
    uint64_t store_hb_window_us;   /* as hb_window_us and hb_count of a worker */
    uint32_t store_hb_count;
    zhashx_t *jobs;                /* job id -> brk_job_t, for jobs out of the queue */
    brk_job_t *free_jobs;            /* recycled brk_job_t */
    uint64_t awaiting;             /* jobs in J_AWAITING */
    bool paused;                   /* dispatch stopped by an operator */
    brk_pending_t pending[BRK_SUBMIT_BATCH];  /* SUBMITs awaiting group commit */
    queue_item_t items[BRK_SUBMIT_BATCH];
    size_t npending;
    /* jobs being taken back (failed or requeued) in one queue_fail_batch */
    queue_fail_item_t back_items[BRK_BACK_BATCH];
    char back_ids[BRK_BACK_BATCH][UTIL_ID_HEX + 1];
    char back_reasons[BRK_BACK_BATCH][400];
    bool back_redelivery[BRK_BACK_BATCH];   /* counts as redelivered when requeued */
    size_t nback;
    char done_ids[BRK_DONE_BATCH][UTIL_ID_HEX + 1]; /* COMMITTED ids awaiting queue_done */
    queue_done_t done_items[BRK_DONE_BATCH];
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
    uint64_t lat_buckets[BRK_NBUCKETS];
    uint64_t lat_count;
    double lat_sum;
    uint64_t started_us;
    /* log rate limit */
    uint64_t log_window_us;
    unsigned log_in_window, log_suppressed;
};

/* ---------------------------------------------------------------- broker_reject.c */

/* The hex of an identity frame (at most 256 bytes of it): the key of `workers`. */
void brk_frame_key(zframe_t *f, char *out);
void brk_reject(broker_t *self, brk_reason_t r, const char *where, zframe_t *identity,
                const void *sample, size_t sample_len, const char *detail);
/* True when the peer that sent `msg` (received on a ROUTER: `identity` is its first
   frame) may act in `role` (an AUTH_ROLE_* bit, auth.h's auth_peer_may); else counts the
   message as R_ROLE, logs it and returns false. */
bool brk_peer_may(broker_t *self, zmsg_t *msg, zframe_t *identity, unsigned role,
                  const char *where);

/* The reason to count for a wire_decode error. */
brk_reason_t brk_wire_reason(int rc);

/* ---------------------------------------------------------------- broker_jobs.c */

brk_job_t *brk_job_new(broker_t *self, const char *id);
void brk_job_forget(broker_t *self, brk_job_t *j);
/* Adds `delta` to the credit of `w` (and to credit_total), kept in 0..BRK_MAX_CREDIT. */
void brk_credit_add(broker_t *self, brk_worker_t *w, int64_t delta);
void brk_back_add(broker_t *self, brk_job_t *j, const char *reason, bool count,
                  bool permanent, bool redelivery);
int brk_back_flush(broker_t *self);
int brk_job_failed(broker_t *self, brk_job_t *j, const char *reason, bool permanent,
                   bool redelivery);
typedef bool (brk_pick_fn)(const brk_job_t *j, const void *arg);
size_t brk_jobs_pick(broker_t *self, brk_pick_fn *pick, const void *arg, brk_job_t **list);
void brk_gone_add(brk_worker_t *w, const char *id);
bool brk_gone_has(const brk_worker_t *w, const char *id);
int brk_worker_release(broker_t *self, brk_worker_t *w, const char *why, bool count);
/* Forgets worker `w` and frees it (its jobs are the caller's business). */
void brk_worker_remove(broker_t *self, brk_worker_t *w);
/* The worker of this identity, or NULL. */
brk_worker_t *brk_worker_find(broker_t *self, zframe_t *identity);
/* True when `identity` is the connected store's. */
bool brk_is_store(broker_t *self, zframe_t *identity);

/* ---------------------------------------------------------------- broker_front.c */

int brk_flush_submits(broker_t *self);
/* Handles one message from the front end; takes ownership of `msg`. */
void brk_on_front(broker_t *self, zmsg_t *msg);

/* ---------------------------------------------------------------- broker_admin.c */

/* Answers an ADMIN request with status "error" and `why`. */
void brk_admin_refuse(broker_t *self, zframe_t *identity, wire_msg_t *m, const char *why);

/* Answers one ADMIN request (stats, dead letters, pending jobs, requeue, pause). */
void brk_on_admin(broker_t *self, zframe_t *identity, wire_msg_t *m);

/* ---------------------------------------------------------------- broker_back.c */

/* Handles one message from the back end (workers and the store); takes ownership of
   `msg`. */
void brk_on_back(broker_t *self, zmsg_t *msg);

/* ---------------------------------------------------------------- broker_store.c */

/* Forgets the connected store, requeuing the results it had not committed; a waiting
   candidate takes over. Nothing without a store. */
void brk_store_drop(broker_t *self, const char *why);
void brk_on_store_hello(broker_t *self, zframe_t *identity, const char *name, uint64_t credit);
void brk_on_committed(broker_t *self, zframe_t *identity, wire_msg_t *m);
void brk_on_refused(broker_t *self, zframe_t *identity, wire_msg_t *m);
/* Marks the COMMITTED ids collected by brk_on_committed done in one queue transaction,
   and counts their latency. */
int brk_flush_done(broker_t *self);

/* ---------------------------------------------------------------- broker_dispatch.c */

/* Hands queued jobs to workers with credit, round robin, while a store is connected. */
int brk_dispatch(broker_t *self);
int brk_tick(broker_t *self, uint64_t now);

/* ---------------------------------------------------------------- broker_metrics.c */

/* Renders the Prometheus text and hands it to the metrics server, if there is one. */
void brk_publish_metrics(broker_t *self);


#endif
