/*  metrics: serves a daemon's Prometheus text and health over HTTP (libmicrohttpd, its own
    thread). The broker, the store and the worker each use it.

    The broker loop never blocks on HTTP and the HTTP thread never touches broker state:
    the loop renders the whole exposition text and hands it over with metrics_publish
    (one short critical section: a buffer swap); the HTTP thread serves a copy of the
    latest text. GET /metrics (or /) returns it.

    Health, for systemd, load balancers and Kubernetes probes:
      GET /healthz  200 "ok" while the daemon's loop is alive, i.e. it has published or
                    called metrics_ready within the last METRICS_STALE_S seconds; else 503.
      GET /readyz   200 "ready" when alive and the loop last said it is ready; else 503
                    with the reason it gave ("not ready: broker not heard from").
    Anything else is 404. */
#ifndef CC_BROKER_METRICS_H
#define CC_BROKER_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#define METRICS_STALE_S 30   /* a loop silent this long is not alive (/healthz 503) */

typedef struct metrics_t metrics_t;

/* Starts serving on `addr` (IPv4 or IPv6 literal) and `port`. Returns 0 and *out, or a
   negative errno-style error (-EINVAL for a bad address, -EADDRINUSE or -EIO when the
   server could not start, -ENOTSUP when built without libmicrohttpd). */
int metrics_new(const char *addr, unsigned port, metrics_t **out);

/* The server's listening socket, or -1 (none, or built without libmicrohttpd). Can't
   fail. */
int metrics_listen_fd(const metrics_t *self);

/* Stops the server thread and frees; nothing on NULL; sets *self_p = NULL. Can't fail. */
void metrics_destroy(metrics_t **self_p);

/* Replaces the served text with a copy of `text` (`len` bytes); counts as a sign of life
   for /healthz. Can't fail. */
void metrics_publish(metrics_t *self, const char *text, size_t len);

/* Sets what /readyz answers: ready, or not with `why` (copied; NULL for no reason).
   Counts as a sign of life. A new server is not ready ("starting"). Can't fail. */
void metrics_ready(metrics_t *self, bool ready, const char *why);

#endif
