/*  store_query: reads a request on the store's query socket (store.h, "Queries") into
    what the store must do, without ZeroMQ or the database: the frames are a client's
    bytes, so this is the part a fuzzer drives (fuzz/fuzz_store_query.c).

    A request is VERB [ARG]: a verb under 16 bytes and at most one argument of at most
    STORE_QUERY_MAX_ARG bytes without a NUL. The routing id and a REQ client's empty
    delimiter are the caller's to take off first. */
#ifndef CC_STORE_QUERY_H
#define CC_STORE_QUERY_H

#include <stddef.h>
#include <stdint.h>

#define STORE_QUERY_MAX_ARG      4096  /* longest query argument */
#define STORE_QUERY_MAX_PREFIXES 64    /* feed topic prefixes in one SNAPSHOT/EXPORT */

/* Errors, each with its reply text from store_query_strerror. */
#define STORE_QUERY_EMALFORMED (-1)   /* not VERB [ARG]: counted as garbage and logged */
#define STORE_QUERY_EOVERSIZE  (-2)   /* the same, for an argument over the limit */
#define STORE_QUERY_EVERB      (-3)   /* no such verb, or a verb without its argument */
#define STORE_QUERY_EWHAT      (-4)   /* SNAPSHOT/EXPORT: not a list of types or prefixes */
#define STORE_QUERY_ESEQ       (-5)   /* SINCE: not a sequence number */

typedef enum {
    STORE_QUERY_STATS,
    STORE_QUERY_DUMP,       /* SNAPSHOT, EXPORT, CONFLICTS, STORIES: what or prefixes */
    STORE_QUERY_STORY,      /* STORY id: arg */
    STORE_QUERY_XREF,       /* lookups of arg */
    STORE_QUERY_ENTITY,
    STORE_QUERY_ARTICLE,
    STORE_QUERY_SINCE       /* SINCE seq: after */
} store_query_kind_t;

typedef struct {
    store_query_kind_t kind;
    char arg[STORE_QUERY_MAX_ARG + 1];   /* the argument as a string ("" without one) */
    /* DUMP: DB_* flags (db.h) with nprefixes 0, or nprefixes feed topic prefixes, each
       pointing into arg or at a static string */
    unsigned what;
    const char *prefixes[STORE_QUERY_MAX_PREFIXES];
    size_t nprefixes;
    uint64_t after;                      /* SINCE: the last seq the client has */
} store_query_t;

/* Reads a request of n frames into *q: frame i is frames[i], lens[i] bytes, and the
   arrays hold the first min(n, 2) (a request of more frames is malformed whatever they
   hold). Returns 0, or one of the STORE_QUERY_E* errors (then *q is unspecified). The prefixes point into q->arg: they
   are valid while *q is, and a copy of *q must re-point them. This function keeps no
   state and allocates nothing. */
int store_query_parse(const uint8_t *const *frames, const size_t *lens, size_t n,
                      store_query_t *q);

/* The ERR reply's text for a STORE_QUERY_E* error (static). */
const char *store_query_strerror(int rc);

#endif
