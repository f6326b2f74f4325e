/*  watch: `crossclaim watch`, a Clone-pattern consumer of the store's feed (zguide ch. 5)
    that prints every update as one JSON line.

    It subscribes first, then asks the store for a snapshot (of the topics it watches) and
    applies only the updates newer than the snapshot's seq, so nothing that happens between
    the two is lost or shown twice. Updates carry seq, one more per update: a jump means
    the store's PUB socket dropped some (this subscriber fell behind by more than the
    store's --pub-hwm), and a heartbeat whose seq is past ours means the tail was dropped.
    Either way it catches up with SINCE, or, when the store no longer keeps those updates,
    with a new snapshot compared against what it has shown, so only the changes are
    printed. Heartbeats tell a quiet feed from a dead one: after `liveness` silent
    intervals it warns on stderr, and says so when the feed comes back.

    The whole feed is received even when only some topics are shown: that is what lets
    every seq be checked, and what lets a record that moves out of a watched subtree (an
    xref.conflict. that becomes corroborated) be shown as deleted from it.

    An xref that grows within one status comes on the feed as deltas (a "claim" update
    per article, a PATCH of its verdict; docs/PROTOCOL.md): the watch folds them into the
    xref it holds and shows the whole record, so its view is always export lines.

    Each output line:
        {"seq":N,"via":"snapshot"|"feed"|"since","op":"set"|"delete",
         "kind":"article"|"attribution"|"quantity"|"entity"|"xref"|"story","key":K,
         "topic":T,"record":{export line}}
    (attribution and quantity keys are "<article>/<index>"). watch_update_line shows an
    update as logged instead: op "patch" and kind "claim" too, not folded. */
#ifndef CC_WATCH_H
#define CC_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "json.h"

typedef enum {
    WATCH_SNAPSHOT,   /* show the snapshot, then live updates */
    WATCH_LIVE,       /* only updates from now on */
    WATCH_SINCE       /* updates after a given seq (kept ones), then live */
} watch_start_t;

typedef struct {
    const char *feed;            /* the store's PUB endpoint */
    const char *query;           /* its query endpoint */
    const char *const *topics;   /* topic prefixes to show; none = everything */
    size_t ntopics;
    watch_start_t start;
    uint64_t since;              /* WATCH_SINCE: show updates after this seq */
    unsigned heartbeat_ms;       /* the store's heartbeat interval; 0 = 1000 */
    unsigned liveness;           /* silent intervals before a warning; 0 = 3 */
    unsigned hwm;                /* updates queued here before the feed drops them; 0 = 1000 */
    bool resync_snapshot;        /* catch up on a gap with a snapshot rather than SINCE */
    uint64_t count;              /* stop after this many lines; 0 = never */
    uint64_t until_seq;          /* stop once the view is at this seq; 0 = never */
    bool quiet;                  /* no notes on stderr about gaps and catching up */
    struct auth_t *auth;         /* CURVE for tcp endpoints (auth.h), borrowed; may be NULL */
} watch_config_t;

/* Runs until ^C, `count` lines or `until_seq`. Returns the exit code: 0, 1 on an error
   (message printed), 2 on a bad configuration. */
int watch_run(const watch_config_t *cfg);

/* Appends the output line of one feed update (the Update protobuf `pb`, `len` bytes, with
   its `topic`) to `j`, with `via` as its source. Shared with `query --since`. Returns 0,
   or -1 when the update does not unpack (nothing appended). */
int watch_update_line(json_t *j, const char *via, uint64_t seq, const char *topic,
                      size_t topic_len, const uint8_t *pb, size_t len);

#endif
