/*  store: the crossclaim-store daemon. It takes workers' results from the broker, merges
    them into the results database (db.h) a batch per transaction, acknowledges them to the
    broker only after the commit, publishes the updates, and answers queries.

    Broker back end (DEALER, connects; frames per wire.h):
        -> HELLO("store", name, credit)   at start, after a reconnect, and when the broker
                                          says BYE (it forgot us)
        <- RESULT(job-id, result-pb)      validated with wire_unpack_result; anything that
                                          fails is counted, logged with a sample and dropped
        -> COMMITTED(job-id...)           at most 63 ids a message, only after the batch's
                                          mdb_txn_commit succeeded: a kill -9 loses nothing,
                                          the broker redelivers and the merge is idempotent
        <-> HB                            every heartbeat interval; a broker silent for
                                          liveness intervals is reconnected to
        -> BYE                            on a clean exit

    Feed (PUB, binds). Every message is two frames:
        topic    "article.<id>", "xref.<status>.<key>" (status single, corroborated,
                 conflict or deleted; key "<story id>/<frame key>"), "entity.<key>",
                 "story.<id>" (once per commit for each story it changed) or
                 "story.deleted.<id>" (a story joined into another), or "hb"
        update   Update protobuf: seq (one more per update, from the feed log), kind, key,
                 json (the record's export line), xref (for xref updates)
    "hb" goes out every heartbeat interval with seq = the last published seq and kind
    "heartbeat", so a subscriber can tell a quiet feed from a dead one and spot a gap.

    Queries (ROUTER, binds). Requests are [verb, args...] (after the identity; a REQ
    client's empty delimiter frame is echoed). Replies:
        STATS                   -> OK, seq, stats-json
        XREF key | ENTITY key | ARTICLE id
                                -> OK, export-line        or ERR, reason
        SNAPSHOT [what] | EXPORT [what] | CONFLICTS | STORIES | STORY id
                                -> DATA, jsonl-chunk  (zero or more messages)
                                   END, seq, records
           STORY streams one story's record, its articles and its xrefs.
           `what` is a comma list of article, attribution, quantity, entity, xref,
           conflict, story (default all), or of feed topic prefixes ("xref.conflict.",
           "entity.per:"): then only the article, entity, xref and story records whose topic
           starts with one of them, the subtree a subscriber to those prefixes sees.
           `seq` is the snapshot's: apply feed updates with a greater seq on top of it
           (the Clone pattern). Multi-message: use a DEALER.
        SINCE seq               -> UPDATE, seq, topic, update-pb  (zero or more)
                                   END, last-seq, count
                                   or ERR, "gap..." when updates after seq are no longer
                                   kept (take a SNAPSHOT)
        anything else           -> ERR, reason

    Metrics (optional, --metrics-port): Prometheus text on HTTP GET /metrics, served by
    broker/metrics.h's thread from a page this loop re-renders every 500 ms: commits,
    results merged, duplicates, merge errors, malformed input, feed seq, and histograms of
    batch size, commit time and the workers' extract time. */
#ifndef CC_STORE_H
#define CC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct store_t store_t;

typedef struct {
    const char *data_dir;      /* results database at DATA/store; required */
    const char *broker;        /* broker back end; NULL = ipc://DATA/backend.ipc */
    const char *pub;           /* feed endpoint; NULL = ipc://DATA/feed.ipc */
    const char *query;         /* query endpoint; NULL = ipc://DATA/query.ipc */
    const char *name;          /* name in HELLO; NULL = host:pid */
    unsigned batch;            /* results per transaction at most; 0 = 256 */
    unsigned batch_ms;         /* longest wait to fill a batch; 0 = 20 */
    unsigned heartbeat_ms;     /* 0 = 1000 */
    unsigned liveness;         /* heartbeats missed before reconnecting; 0 = 3 */
    unsigned pub_hwm;          /* feed updates queued per subscriber before dropping;
                                  0 = STORE_PUB_HWM */
    size_t map_bytes;          /* the database map's first size; 0 = 64 MiB (db.h) */
    unsigned metrics_port;     /* Prometheus metrics on HTTP; 0 = off */
    const char *metrics_addr;  /* its address; NULL = 127.0.0.1 */
    struct auth_t *auth;       /* CURVE for tcp endpoints (auth.h), borrowed; NULL: ipc only */
} store_config_t;

typedef struct {
    uint64_t received;         /* RESULT messages */
    uint64_t merged;           /* results committed */
    uint64_t duplicates;       /* of those, results that changed nothing */
    uint64_t garbage;          /* malformed messages or results dropped */
    uint64_t failed;           /* results the database refused (logged, not committed) */
    uint64_t batches;          /* transactions committed */
    uint64_t commit_failures;  /* batches not committed (kept, tried again later) */
    uint64_t reconnects;
    uint64_t published;        /* feed updates sent */
    uint64_t queries;
    uint64_t query_oversize;   /* queries refused for an oversized argument */
    uint64_t query_dropped;    /* replies dropped: their client did not read */
} store_stats_t;

#define STORE_ESOCKET (-5001)  /* an endpoint could not be bound or connected */

/* Default feed high-water mark. One commit of a full batch (256 results) publishes a few
   thousand updates at once, faster than ZeroMQ's I/O thread writes them out, so ZeroMQ's
   own 1000 made even a quick subscriber lose some in every big batch. 20000 holds several
   batches; a subscriber stuck for longer costs at most that many updates of memory here
   and catches up with SINCE. */
#define STORE_PUB_HWM 20000

/* Opens the database and the sockets. Returns 0 and *out, or a negative code (db.h
   codes, STORE_ESOCKET, -EINVAL) and *out = NULL; the reason is logged. */
int store_new(const store_config_t *cfg, store_t **out);

/* Runs until SIGINT/SIGTERM (zsys_interrupted) or a fatal database error, then commits
   what is pending and says BYE. Returns 0, or the database error that stopped it. */
int store_run(store_t *self);

/* Counters so far. Can't fail. */
void store_stats(store_t *self, store_stats_t *out);

/* Closes sockets and database. Does nothing on NULL; sets *self_p = NULL. */
void store_destroy(store_t **self_p);

/* Text for a STORE_E* or db code. Static; can't fail. */
const char *store_strerror(int rc);

#endif
