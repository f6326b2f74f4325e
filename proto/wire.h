/*  wire: the frame layout every crossclaim process speaks over ZeroMQ, and safe
    pack/unpack of the protobuf payloads with size limits.

    Every message, after the ROUTER routing frame where there is one, is:

        frame 0   "CC1"          protocol and version
        frame 1   command        one of the names below
        frame 2.. arguments      fixed per command

    Producer (DEALER) <-> broker front end (ROUTER):
        SUBMIT     tag, article-pb                 producer -> broker
        ACK        tag, job-id, state              broker -> producer; state is "queued",
                                                   "duplicate" (already queued or done)
        NACK       tag, reason                     broker -> producer: rejected, with why
        ADMIN      tag, verb, [arg]                any client -> broker (stats, dead, requeue,
                                                   pause, resume)
        ADMINR     tag, status, payload            broker -> client; status "ok" or "error"

    Worker or store (DEALER) <-> broker back end (ROUTER):
        HELLO      role, name, credit              role "worker" or "store"; credit = jobs it
                                                   can hold at once
        READY      credit                          adds credit
        HB                                         heartbeat, both ways
        JOB        job-id, attempt, article-pb     broker -> worker
        RESULT     job-id, result-pb               worker -> broker -> store; returns 1 credit
        FAIL       job-id, reason, permanent       worker -> broker; "1" = never retry
        COMMITTED  job-id, [job-id ...]            store -> broker, after the LMDB commit
        BYE                                        either side is leaving
        REFUSED    job-id, reason, permanent       store -> broker: the store will not merge
                                                   this result (it fails wire_result_check,
                                                   or the database refused it); counts as a
                                                   failed attempt, "1" = dead at once

    Roles (STYLE.md rule 16): the broker takes RESULT and FAIL only from the worker that
    holds the job, COMMITTED and REFUSED only from the one admitted store and only for
    results it forwarded to that store. Frame limits: a RESULT's result-pb may be up to
    WIRE_MAX_RESULT, every other argument up to WIRE_MAX_MESSAGE. A worker whose result is
    over WIRE_MAX_RESULT, or fails wire_result_check, sends FAIL with the reason instead.

    Tags are opaque to the broker (at most WIRE_MAX_TAG bytes) and echoed back.
    Everything decoded here is outside bytes: nothing is trusted, nothing asserts. */
#ifndef CC_WIRE_H
#define CC_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <czmq.h>
#include "crossclaim.pb-c.h"

#define WIRE_PROTO        "CC1"
#define WIRE_MAX_ARGS     64              /* COMMITTED may carry up to 63 job ids */
#define WIRE_MAX_TAG      64
#define WIRE_MAX_ARTICLE  (8u << 20)      /* largest article text accepted, bytes */
#define WIRE_MAX_MESSAGE  (WIRE_MAX_ARTICLE + (1u << 20))  /* largest frame accepted */
#define WIRE_MAX_RESULT   (64u << 20)     /* largest result protobuf accepted */
#define WIRE_MAX_ITEMS    (1u << 20)      /* most entities, attributions, quantities, terms,
                                             warnings or wire credits in one result */
/* Most entities, attributions and quantities for `t` bytes of text: an entity needs a
   name and a separator, an attribution a cue, a speaker or quote and spaces, a quantity a
   digit and a separator. A 4 MiB quote-dense article has one attribution per 55 bytes. */
#define WIRE_PER_ENTITY_MAX(t)   ((size_t)(t) / 3 + 16)
#define WIRE_PER_ATTR_MAX(t)     ((size_t)(t) / 8 + 16)
#define WIRE_PER_QUANTITY_MAX(t) ((size_t)(t) / 2 + 16)
#define WIRE_MAX_SPANS    (1u << 20)      /* most entity mention spans in one result */
#define WIRE_MAX_STRING   4096            /* longest string field of a result (a span's
                                             text excepted: it is bounded by the article) */
#define WIRE_MAX_KEY      1024            /* longest entity key, claim key or story term */
#define WIRE_MAX_WHY      1024            /* longest FAIL or REFUSED reason */

typedef enum {
    WIRE_SUBMIT = 1,
    WIRE_ACK,
    WIRE_NACK,
    WIRE_ADMIN,
    WIRE_ADMINR,
    WIRE_HELLO,
    WIRE_READY,
    WIRE_HB,
    WIRE_JOB,
    WIRE_RESULT,
    WIRE_FAIL,
    WIRE_COMMITTED,
    WIRE_BYE,
    WIRE_REFUSED,       /* added after BYE: existing numbers never change */
    WIRE_CMD_COUNT
} wire_cmd_t;

/* Error codes (negative) returned by wire_decode and the unpack helpers. */
#define WIRE_EFRAMES   (-1001)  /* too few or too many frames for the command */
#define WIRE_EPROTO    (-1002)  /* frame 0 is not "CC1" */
#define WIRE_ECOMMAND  (-1003)  /* unknown command */
#define WIRE_EARG      (-1004)  /* an argument is malformed (bad job id, number, tag) */
#define WIRE_ETOOBIG   (-1005)  /* over a size limit */
#define WIRE_EPROTOBUF (-1006)  /* protobuf failed to unpack or lacks required fields */
#define WIRE_ERESULT   (-1007)  /* a result unpacked but its content is out of bounds
                                   (wire_result_check says which) */

/* A decoded message. Pointers borrow from the frames decoded and stay valid only as long
   as those frames (the zmsg_t) live. */
typedef struct {
    wire_cmd_t cmd;
    size_t nargs;
    const uint8_t *arg[WIRE_MAX_ARGS];
    size_t arg_len[WIRE_MAX_ARGS];
} wire_msg_t;

/* Decodes `nframes` frames (without any routing frame). Pure: checks the protocol frame,
   the command, the argument count, the tag size, job-id and number syntax. Returns 0 and
   fills `out`, or a WIRE_E* code. Never reads past the given sizes. */
int wire_decode(const uint8_t *const *frames, const size_t *sizes, size_t nframes,
                wire_msg_t *out);

/* Decodes a zmsg_t. When `routed`, the first frame is a ROUTER identity, returned through
   `*identity` (borrowed from msg). Same returns as wire_decode. */
int wire_decode_msg(zmsg_t *msg, bool routed, zframe_t **identity, wire_msg_t *out);

/* Name of a command ("SUBMIT"), or "?" */
const char *wire_cmd_name(wire_cmd_t cmd);

/* Text for a WIRE_E* code or a negative errno. Static string; can't fail. */
const char *wire_strerror(int rc);

/* Sends a message: optional routing identity (copied), then "CC1", the command name, and
   `nargs` arguments given as (pointer, length) pairs. Returns 0 or -1 (errno from zmq). */
int wire_send(zsock_t *sock, zframe_t *identity, wire_cmd_t cmd, size_t nargs,
              const void *const *args, const size_t *lens);

/* Convenience for string arguments: a NULL-terminated list of C strings. */
int wire_sendv(zsock_t *sock, zframe_t *identity, wire_cmd_t cmd, ...);

/* Packs a protobuf-c message into a fresh buffer the caller frees with free().
   Can't fail (aborts on out of memory). */
uint8_t *wire_pack_article(const Crossclaim__Article *a, size_t *len);
uint8_t *wire_pack_result(const Crossclaim__Result *r, size_t *len);

/* Unpacks with limits and checks. Returns 0 and a message the caller frees with the
   matching crossclaim__*__free_unpacked(x, NULL), or a WIRE_E* code and *out = NULL.
   Article: id must be a job id, text at most WIRE_MAX_ARTICLE, body_start <= text size.
   Result: job_id must be a job id, an article must be there (WIRE_EPROTOBUF), and the
   content must pass wire_result_check (WIRE_ERESULT). */
int wire_unpack_article(const uint8_t *data, size_t len, Crossclaim__Article **out);
int wire_unpack_result(const uint8_t *data, size_t len, Crossclaim__Result **out);

/* Like wire_unpack_result, and on WIRE_ERESULT or WIRE_EPROTOBUF writes why into `why`
   (`cap` bytes, NUL-terminated; may be NULL). */
int wire_unpack_result_why(const uint8_t *data, size_t len, Crossclaim__Result **out,
                           char *why, size_t cap);

/* The one check of a result's content that worker, broker and store share: every span
   within text_bytes (at most WIRE_MAX_ARTICLE); every number finite; at most
   WIRE_MAX_ITEMS of each list, no more entities, attributions and quantities than
   WIRE_PER_*_MAX(text_bytes), at most WIRE_MAX_SPANS mention spans and no more than
   text_bytes + 16; keys at most WIRE_MAX_KEY
   and other strings at most WIRE_MAX_STRING bytes. Returns 0, or WIRE_ERESULT with the
   first problem written into `why` (`cap` bytes; may be NULL). Pure; can't crash on any
   unpacked message. */
int wire_result_check(const Crossclaim__Result *r, char *why, size_t cap);

/* Parses a decimal unsigned argument (no sign, no spaces, at most 18 digits).
   Returns 0 or WIRE_EARG. */
int wire_arg_u64(const uint8_t *s, size_t len, uint64_t *out);

#endif
