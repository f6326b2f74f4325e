/*  worker: the crossclaim-worker daemon. Stateless and CPU-bound: it takes jobs from the
    broker by credit, runs the extractor on each article and returns a Result protobuf.

    Paranoid Pirate style: it heartbeats the broker, and when the broker has been silent
    for `liveness` intervals it drops the socket, waits (with backoff) and says HELLO again
    on a fresh one, so a restarted broker gets its workers back by itself. */
#ifndef CC_WORKER_H
#define CC_WORKER_H

#include <stdbool.h>
#include <stdint.h>
#include "extract.h"
#include "crossclaim.pb-c.h"

typedef struct {
    const char *broker;       /* broker back-end endpoint */
    const char *name;         /* shown to operators; default "worker-<pid>" */
    unsigned credit;          /* jobs held at once (prefetch); default 2 */
    unsigned heartbeat_ms;    /* default 1000 */
    unsigned liveness;        /* missed heartbeats before reconnecting; default 3 */
    struct auth_t *auth;      /* CURVE for a tcp broker (auth.h), borrowed; NULL: ipc only */
    unsigned metrics_port;    /* HTTP /metrics, /healthz, /readyz on this port; 0: off */
    const char *metrics_addr; /* its address; default 127.0.0.1 */
    bool quiet;
} worker_config_t;

/* Runs the worker until SIGINT/SIGTERM. Returns 0 on a clean stop, negative on a
   setup failure (message logged). With a metrics port it serves crossclaim_worker_*
   metrics and /readyz, ready while the broker has been heard from since the worker
   last (re)connected and within `liveness` heartbeats. */
int worker_run(const worker_config_t *cfg);

/* Runs the extractor on `article` and builds the Result into `out`, whose memory borrows
   from the extractor's result and from `article`, valid until the next call on `ex`.
   `job_id` is copied by pointer. Returns 0, or a negative EXTRACT_E* code with
   `*reason` set to a static description. Exposed for tests and the dev tools. */
int worker_build_result(extract_t *ex, const Crossclaim__Article *article,
                        Crossclaim__Result *out, const char **reason);

/* Frees the arrays worker_build_result allocated inside `out` (not the strings it
   borrowed). Does nothing on an empty result. */
void worker_result_clear(Crossclaim__Result *out);

#endif
