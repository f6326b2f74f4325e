/*  queue: the broker's durable job queue, kept in LMDB.

    Pure storage and state: no ZeroMQ here, so it can be unit-tested on its own.

    What is durable: every accepted job (its Article protobuf bytes exactly as submitted,
    attempts, submitted_us), its place in FIFO order, the dead-letter set with reasons, and
    the "done" set of job ids the store has committed (so an article resubmitted after
    completion is a no-op), and whether an operator paused dispatch. What is NOT durable: which jobs are out with a worker. The
    queue hands jobs out by advancing an in-memory cursor over the FIFO index, so
    dispatching costs one read transaction and no write. A job stays in the FIFO index
    until the store commits it (queue_done), fails (queue_fail) or is moved to the tail
    (queue_requeue). After a restart the cursor starts at zero, so everything that was in
    flight is queued again, attempts preserved: nothing acknowledged is lost.

    States as the caller sees them:
        queued     in the FIFO index at or after the cursor: queue_next will return it
        inflight   in the FIFO index before the cursor: handed out, not yet resolved
        dead       in the dead-letter set with a reason; requeueable
        done       committed by the store; only the id is kept

    Write calls commit durably (LMDB's default fsync) before they return, so a caller that
    acknowledges after a successful return never acknowledges something a kill -9 can lose.
    Batch writes (queue_put_batch, queue_done) use one transaction for many jobs: that is
    the broker's group commit.

    A queue_t is not thread-safe: one thread owns it. */
#ifndef CC_BROKER_QUEUE_H
#define CC_BROKER_QUEUE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "util.h"

typedef struct queue_t queue_t;

/* Error codes (negative). LMDB errors are passed through as their own (negative) codes. */
#define QUEUE_EINVAL    (-3001)  /* bad argument: caller bug */
#define QUEUE_ENOTFOUND (-3002)  /* no such job (or not in the state the call needs) */
#define QUEUE_ECORRUPT  (-3003)  /* a stored record has an impossible size */
#define QUEUE_EFULL     (-3004)  /* the LMDB map is full and could not grow */
#define QUEUE_EDAMAGED  (-3005)  /* data.mdb empty, truncated, or missing where a queue was */

#define QUEUE_MAX_REASON 1024    /* dead reasons are truncated to this many bytes */

typedef enum {
    QUEUE_UNKNOWN = 0,
    QUEUE_QUEUED,
    QUEUE_INFLIGHT,
    QUEUE_DEAD,
    QUEUE_DONE
} queue_state_t;

/* One job in a put batch. The caller fills id, article, len and submitted_us (0 = now);
   queue_put_batch sets `added` (true: new job queued; false: duplicate of a job already
   queued, in flight, dead or done, or of an earlier item in the same batch). */
typedef struct {
    const char *id;            /* 32-hex job id, NUL-terminated */
    const void *article;       /* Article protobuf bytes, stored as given */
    size_t len;
    uint64_t submitted_us;
    bool added;                /* out */
} queue_item_t;

/* One job id in a done batch; queue_done sets `removed` (true: it was in the queue and is
   now done; false: unknown or already done) and, when removed, its `submitted_us`. */
typedef struct {
    const char *id;
    bool removed;              /* out */
    uint64_t submitted_us;     /* out */
} queue_done_t;

/* Counters, recomputed at open and kept current after. */
typedef struct {
    uint64_t queued;           /* waiting for dispatch */
    uint64_t inflight;         /* handed out by queue_next, not yet resolved */
    uint64_t dead;             /* in the dead-letter set */
    uint64_t done;             /* ids in the done set */
} queue_stats_t;

/* Outcome of queue_fail. */
typedef enum { QUEUE_REQUEUED = 1, QUEUE_KILLED } queue_fail_t;

/* Opens (creating if needed) the queue in directory `dir` (created with its parents).
   `map_bytes` is the initial LMDB map size (0 = 1 GiB); it grows on demand. Everything
   in flight at the last close or crash is queued again. Refuses, with QUEUE_EDAMAGED, a
   data.mdb that is empty or shorter than its last page, or missing where a queue was
   made before (a marker file records that), instead of starting empty. Returns 0 and
   *out, or a negative error (-errno, LMDB code). */
int queue_open(const char *dir, size_t map_bytes, queue_t **out);

/* Closes the queue and frees it; nothing on NULL; sets *self_p = NULL. Can't fail. */
void queue_destroy(queue_t **self_p);

/* Adds up to any number of jobs in ONE durable transaction (group commit). Sets each
   item's `added`. Returns 0, or a negative error, in which case nothing was added. */
int queue_put_batch(queue_t *self, queue_item_t *items, size_t n);

/* State of job `id` (QUEUE_UNKNOWN if never seen). With `attempts` non-NULL, fills the
   attempts so far (0 for done or unknown). Returns 0 or a negative error. */
int queue_state(queue_t *self, const char *id, queue_state_t *state, uint32_t *attempts);

/* Hands out the next queued job in FIFO order, now in flight. On success returns 1 and
   fills `id` and `*attempts` (failures so far), and points `*article`/`*len` at a copy of
   the Article bytes owned by the queue, valid until the next queue_next or queue_destroy.
   Returns 0 when nothing is queued, QUEUE_ECORRUPT when the next entry's records are
   unreadable (it is skipped; call again for the one after), or a negative error. */
int queue_next(queue_t *self, char id[UTIL_ID_HEX + 1], uint32_t *attempts,
               const void **article, size_t *len);

/* Moves the entry the last queue_next skipped as QUEUE_ECORRUPT out of the way, once:
   its fifo entry is deleted and, when its job id was readable, the job goes to the
   dead-letter set with `reason` (so an operator sees it; its article may be lost). Fills
   `id` with that job id or "" (may be NULL). Returns 0, QUEUE_ENOTFOUND (nothing to
   quarantine), or a negative error (the entry stays skipped until the next open). */
int queue_quarantine(queue_t *self, const char *reason, char id[UTIL_ID_HEX + 1]);

/* The store committed these jobs: removes each from the queue (whatever its state, also
   dead) into the done set, in one durable transaction. Sets each item's `removed` and
   `submitted_us`. Returns how many were removed (>= 0), or a negative error. */
int queue_done(queue_t *self, queue_done_t *items, size_t n);

/* A queued or in-flight job failed: attempts + 1. If `permanent`, or attempts reached
   `max_attempts` (>= 1), it goes to the dead-letter set with `reason` (truncated to
   QUEUE_MAX_REASON); else to the tail of the FIFO. Sets *outcome. Returns 0,
   QUEUE_ENOTFOUND (unknown, done or dead), or a negative error. */
int queue_fail(queue_t *self, const char *id, const char *reason, bool permanent,
               uint32_t max_attempts, queue_fail_t *outcome);

/* One job of a queue_fail_batch. The caller fills id, reason, permanent and count; the
   call sets outcome (0 when the job was unknown, done or dead, and left alone). */
typedef struct {
    const char *id;            /* 32-hex job id */
    const char *reason;        /* dead-letter reason, used if it dies */
    bool permanent;            /* dead now, whatever its attempts */
    bool count;                /* true: a failed attempt (queue_fail); false: put back at
                                  the tail without counting one (queue_requeue) */
    queue_fail_t outcome;      /* out: QUEUE_REQUEUED, QUEUE_KILLED or 0 */
} queue_fail_item_t;

/* queue_fail or queue_requeue for many jobs in ONE durable transaction, so that a worker
   or a store lost with thousands of jobs costs one fsync, not thousands. Jobs not queued
   or in flight are skipped (outcome 0). Returns 0, or a negative error, in which case
   nothing changed. */
int queue_fail_batch(queue_t *self, queue_fail_item_t *items, size_t n, uint32_t max_attempts);

/* Puts an in-flight or queued job back at the tail WITHOUT counting an attempt (the work
   was fine; its result was lost on the way to the store). Returns 0, QUEUE_ENOTFOUND, or
   a negative error. */
int queue_requeue(queue_t *self, const char *id);

/* Moves dead job `id` back to the tail of the FIFO with attempts reset to 0.
   Returns 0, QUEUE_ENOTFOUND (not dead), or a negative error. */
int queue_requeue_dead(queue_t *self, const char *id);

/* Moves every dead job back to the queue (one transaction). Returns how many (>= 0), or a
   negative error. */
int64_t queue_requeue_all_dead(queue_t *self);

/* Visits dead jobs in id order, at most `limit` (0 = all). The callback's pointers are
   valid only during the call; returning non-zero stops the walk. Returns the number
   visited (>= 0), or a negative error. */
typedef int (queue_dead_fn)(const char *id, uint32_t attempts, const char *reason,
                            const void *article, size_t len, void *arg);
int64_t queue_dead_list(queue_t *self, size_t limit, queue_dead_fn *fn, void *arg);

/* Visits one dead job like queue_dead_list. Returns 0, QUEUE_ENOTFOUND, or an error. */
int queue_dead_get(queue_t *self, const char *id, queue_dead_fn *fn, void *arg);

/* Visits job `id` in any state but done, like queue_dead_get (reason "" unless dead).
   Returns 0, QUEUE_ENOTFOUND, or an error. */
int queue_job_get(queue_t *self, const char *id, queue_dead_fn *fn, void *arg);

/* Visits queued jobs (not in flight) in FIFO order, at most `limit` (0 = all), like
   queue_dead_list. Returns the number visited (>= 0), or a negative error. */
int64_t queue_queued_list(queue_t *self, size_t limit, queue_dead_fn *fn, void *arg);

/* Records that an operator paused (true) or resumed (false) dispatch, durably, so that a
   restarted broker keeps it. Returns 0 or a negative error (then nothing changed). */
int queue_set_paused(queue_t *self, bool paused);

/* The pause as last recorded (false in a new queue). Can't fail. */
bool queue_paused(queue_t *self);

/* The map grows on demand up to `bytes` (0 or less than now: not past its size now);
   beyond that writes fail with QUEUE_EFULL. Default 1 TiB. Can't fail. */
void queue_set_map_max(queue_t *self, size_t bytes);

/* Current counters. Can't fail. */
void queue_stats(queue_t *self, queue_stats_t *out);

/* True once LMDB has answered a call with a damaged page (MDB_PAGE_NOTFOUND,
   MDB_CORRUPTED): the file can't be trusted any more, and its owner should stop using it
   rather than write on it. Can't fail. */
bool queue_damaged(const queue_t *self);

/* Text for a QUEUE_E* code, an LMDB code or a negative errno. Static; can't fail. */
const char *queue_strerror(int rc);

#endif
