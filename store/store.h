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
                 conflict or deleted), "entity.<key>", or "hb"
        update   Update protobuf: seq (one more per update, from the feed log), kind, key,
                 json (the record's export line), xref (for xref updates)
    "hb" goes out every heartbeat interval with seq = the last published seq and kind
    "heartbeat", so a subscriber can tell a quiet feed from a dead one and spot a gap.

    Queries (ROUTER, binds). Requests are [verb, args...] (after the identity; a REQ
    client's empty delimiter frame is echoed). Replies:
        STATS                   -> OK, seq, stats-json
        XREF key | ENTITY key | ARTICLE id
                                -> OK, export-line        or ERR, reason
        SNAPSHOT [what] | EXPORT [what] | CONFLICTS
                                -> DATA, jsonl-chunk  (zero or more messages)
                                   END, seq, records
           `what` is a comma list of article, attribution, quantity, entity, xref,
           conflict (default all). `seq` is the snapshot's: apply feed updates with a
           greater seq on top of it (the Clone pattern). Multi-message: use a DEALER.
        SINCE seq               -> UPDATE, seq, topic, update-pb  (zero or more)
                                   END, last-seq, count
                                   or ERR, "gap..." when updates after seq are no longer
                                   kept (take a SNAPSHOT)
        anything else           -> ERR, reason */
#ifndef CC_STORE_H
#define CC_STORE_H

#include <stdbool.h>
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
    struct auth_t *auth;       /* CURVE for tcp endpoints (auth.h), borrowed; NULL: ipc only */
} store_config_t;

typedef struct {
    uint64_t received;         /* RESULT messages */
    uint64_t merged;           /* results committed */
    uint64_t garbage;          /* malformed messages or results dropped */
    uint64_t failed;           /* results the database refused (logged, not committed) */
    uint64_t batches;          /* transactions committed */
    uint64_t reconnects;
    uint64_t published;        /* feed updates sent */
    uint64_t queries;
} store_stats_t;

#define STORE_ESOCKET (-5001)  /* an endpoint could not be bound or connected */

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
