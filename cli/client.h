/*  client: the producer and admin side of the broker's front end.

    Submits are pipelined: up to `window` articles are in flight at once, each kept packed
    until the broker ACKs it (the ACK comes after the job is durable in the broker's LMDB).
    An article with no answer within the retry time is sent again, with backoff, so a
    broker that is killed and restarted loses nothing: the job id is a hash of the article,
    so a resent article the broker already has is acknowledged as a duplicate. */
#ifndef CC_CLIENT_H
#define CC_CLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include "crossclaim.pb-c.h"

typedef struct client_t client_t;

typedef struct {
    uint64_t sent;        /* articles handed to client_submit */
    uint64_t queued;      /* ACK queued (new jobs) */
    uint64_t duplicate;   /* ACK duplicate */
    uint64_t rejected;    /* NACK */
    uint64_t resent;      /* resends after a timeout */
    uint64_t pending;     /* not yet answered */
} client_stats_t;

/* Called for each NACK with the article's source and the broker's reason. */
typedef void (client_nack_fn)(void *arg, const char *source, const char *reason);

struct auth_t;

/* Connects to the broker front end. `window` = articles unanswered at once (0: 256).
   `auth` (borrowed, may be NULL) sets up CURVE for a tcp endpoint (auth.h). Returns NULL
   (with a message logged) when the endpoint is invalid or needs keys it was not given. */
client_t *client_new_auth(const char *endpoint, unsigned window, struct auth_t *auth);

/* client_new_auth without keys: for ipc endpoints. */
client_t *client_new(const char *endpoint, unsigned window);

/* Why the broker can't be talked to, when the security handshake failed (auth.h's
   auth_strerror text), or NULL. The waits below give up early when it refused our key or
   when one side runs CURVE and the other plain tcp. */
const char *client_auth_failure(client_t *self);
void client_destroy(client_t **self_p);

void client_on_nack(client_t *self, client_nack_fn *fn, void *arg);

/* First resend after `retry_ms` (default 5000), doubling up to 60 s. */
void client_set_retry(client_t *self, unsigned retry_ms);

/* Asks the store to keep the text of every article sent from now on (Article.keep_text). */
void client_set_keep_text(client_t *self, bool keep);

/* Paces submits: at most `per_s` articles a second, the n-th sent n / per_s seconds after
   the first, answers read while waiting (0: as fast as the window allows). For load
   tests at a fixed rate. */
void client_set_rate(client_t *self, double per_s);

/* Sends one article (packed here; the caller keeps ownership of `a`). Blocks while the
   window is full, reading answers. Returns 0, or -1 when `give_up_ms` passed with no
   answer from the broker at all (then the broker is unreachable). */
int client_submit(client_t *self, const Crossclaim__Article *a, unsigned give_up_ms);

/* Waits until every submitted article is answered, resending as needed. Returns 0, or
   -1 when `give_up_ms` passed with no answer at all. */
int client_flush(client_t *self, unsigned give_up_ms);

/* Reads answers for up to `ms` milliseconds (progress displays call this). */
void client_pump(client_t *self, int ms);

void client_stats(client_t *self, client_stats_t *out);

/* One admin request (verb, optional arg). On "ok", returns 0 and *payload (free() it).
   On "error", returns -1 with *payload holding the broker's message. On time-out,
   returns -2 and *payload = NULL. */
int client_admin(client_t *self, const char *verb, const char *arg, char **payload,
                 unsigned timeout_ms);

#endif
