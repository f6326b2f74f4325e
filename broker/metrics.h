/*  metrics: serves the broker's Prometheus text over HTTP (libmicrohttpd, its own thread).

    The broker loop never blocks on HTTP and the HTTP thread never touches broker state:
    the loop renders the whole exposition text and hands it over with metrics_publish
    (one short critical section: a buffer swap); the HTTP thread serves a copy of the
    latest text. GET /metrics (or /) returns it; anything else is 404. */
#ifndef CC_BROKER_METRICS_H
#define CC_BROKER_METRICS_H

#include <stddef.h>

typedef struct metrics_t metrics_t;

/* Starts serving on `addr` (IPv4 or IPv6 literal) and `port`. Returns 0 and *out, or a
   negative errno-style error (-EINVAL for a bad address, -EADDRINUSE or -EIO when the
   server could not start, -ENOTSUP when built without libmicrohttpd). */
int metrics_new(const char *addr, unsigned port, metrics_t **out);

/* Stops the server thread and frees; nothing on NULL; sets *self_p = NULL. Can't fail. */
void metrics_destroy(metrics_t **self_p);

/* Replaces the served text with a copy of `text` (`len` bytes). Can't fail. */
void metrics_publish(metrics_t *self, const char *text, size_t len);

#endif
