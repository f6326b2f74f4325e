/*  top: `crossclaim top`, a live terminal view of a broker, refreshed each second: queue
    depth, in flight, awaiting commit, rates, p50/p99 submit-to-commit latency, and each
    worker with its credit, last heartbeat and jobs done. */
#ifndef CC_TOP_H
#define CC_TOP_H

/* Shows the view for the broker front end `endpoint` every `interval_ms`, `iterations`
   times (0: until q or ^C). On a terminal it redraws in place; otherwise it prints one
   block per refresh. `auth` (borrowed, may be NULL) is for a tcp endpoint. Returns the
   exit code: 0, or 1 when the broker never answered. */
struct auth_t;
int top_run(const char *endpoint, unsigned interval_ms, unsigned iterations,
            struct auth_t *auth);

#endif
