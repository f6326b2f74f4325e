/*  storeq: a client of the store's query socket (store.h "Queries"): one DEALER, one
    request at a time, each answer waited for with a time-out between messages, so a big
    snapshot that keeps streaming never times out but a store that is not there does.

    A request that times out leaves no stale answer behind: the socket is made anew
    (the Lazy Pirate way), so the next request reads its own answer. */
#ifndef CC_STOREQ_H
#define CC_STOREQ_H

#include <stddef.h>
#include <stdint.h>

typedef struct storeq_t storeq_t;

#define STOREQ_ETIMEOUT (-6001)  /* no answer in time: is the store running? */
#define STOREQ_EREFUSED (-6002)  /* the store said ERR; storeq_reason() has its words */
#define STOREQ_EPROTO   (-6003)  /* an answer that is not the store's protocol */
#define STOREQ_EGAP     (-6004)  /* SINCE: updates after that seq are no longer kept */
#define STOREQ_ENOTFOUND (-6005) /* a lookup found no such record */
#define STOREQ_EAUTH    (-6006)  /* the CURVE handshake failed: storeq_reason() says how */

struct auth_t;

/* Connects to the query endpoint (the store need not be up yet), through `auth` (auth.h,
   borrowed, may be NULL) so that a tcp endpoint is a CURVE client. Returns NULL, with a
   message logged, when the endpoint is invalid or needs keys it was not given. */
storeq_t *storeq_new(const char *endpoint, struct auth_t *auth);

/* Closes the socket. Does nothing on NULL; sets *self_p = NULL. */
void storeq_destroy(storeq_t **self_p);

/* The longest wait for each answer message, ms (default 3000). */
void storeq_set_timeout(storeq_t *self, unsigned ms);

/* A single-answer request: STATS, XREF key, ENTITY key, ARTICLE id. On OK returns 0 and
   *payload, the answer's last frame as a string (the caller frees it). Returns
   STOREQ_ENOTFOUND, STOREQ_EREFUSED, STOREQ_ETIMEOUT or STOREQ_EPROTO (*payload NULL). */
int storeq_get(storeq_t *self, const char *verb, const char *arg, char **payload);

/* Called per JSON line of a streamed answer (`line` without its newline, valid for the
   call). A non-zero return stops handing lines over (the rest of the answer is read and
   dropped) and is returned by the request. */
typedef int (storeq_line_fn)(void *arg, const char *line, size_t len);

/* SNAPSHOT, EXPORT or CONFLICTS (`verb`) with an optional `what` (store.h). Hands every
   record line to `fn`; *seq (may be NULL) gets the snapshot's seq and *records the number
   of records. Returns 0, the callback's value, or a STOREQ_E* code. */
int storeq_stream(storeq_t *self, const char *verb, const char *what, storeq_line_fn *fn,
                  void *arg, uint64_t *seq, uint64_t *records);

/* Called per update of a SINCE answer: its seq, its topic (not NUL-terminated) and the
   Update protobuf, all valid for the call only. Non-zero stops as storeq_line_fn. */
typedef int (storeq_update_fn)(void *arg, uint64_t seq, const char *topic, size_t topic_len,
                               const uint8_t *update, size_t update_len);

/* SINCE `after`: every kept update with seq > after, oldest first, then *last (may be
   NULL) gets the last seq sent. Returns 0, the callback's value, STOREQ_EGAP (take a
   snapshot), or another STOREQ_E* code. */
int storeq_since(storeq_t *self, uint64_t after, storeq_update_fn *fn, void *arg,
                 uint64_t *last);

/* The store's words for the last STOREQ_EREFUSED, or "". Valid until the next request. */
const char *storeq_reason(storeq_t *self);

/* Text for a STOREQ_E* code. Static; can't fail. */
const char *storeq_strerror(int rc);

#endif
