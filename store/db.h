/*  db: crossclaim's results database, kept in LMDB at DIR/store.

    The store daemon is the single writer; the CLI (export, report, query) and the daemon's
    own query service are readers, and LMDB lets readers run while the writer commits.

    Named databases:
        articles   article id -> the worker's Result protobuf (article text removed). This
                   is also the article's claim list: merging a result for an article that is
                   already here first takes away everything the stored one contributed.
        astory     article id -> its story id; smember: story id + article id -> "";
        stories    story id -> its summary (articles, first and last date, headline);
        sentity    story id + entity key -> how many of its articles name it;
        sterm      story term -> article ids (dupsort): each article's STORY_PROBE heaviest
                   terms, through which a new article finds the ones it may link to.
        xrefs      "<story id>/<frame key>" -> Xref protobuf without claims: one fact's
                   summary, the verdict of store/xref.h (status, sources, evolving,
                   latest) and its number of claims;
        xclaims    fact key + NUL + article id -> Xref protobuf holding only that
                   article's claims of the fact, sorted by value, each with its sentence's
                   copy hash: a merge writes its own article's rows, never a whole fact;
        xstatus    "conflict" or "corroborated" + NUL + fact key -> "": the facts of
                   one status without reading the others.
        entities   entity key -> an entity record: name, alias and kind forms, each with the
                   number of articles that gave it, and the number of articles mentioning it.
        feed       seq (8 bytes, big-endian) -> topic length (2 bytes), topic, Update protobuf.
                   The last DB_FEED_KEEP updates are kept, for consumers catching up.
        meta       "seq", "claims", "attributions", "conflicts", "corroborated", "schema".

    Stories (store/story.h) are the connected components of a pairwise same-event rule,
    with the smallest article id as id, so the same articles give the same stories and
    facts in any order; stories that a new article joins move their facts to the one id.

    Merging is idempotent: merging the same result twice changes nothing (and logs no
    update), and a new result for an article replaces that article's earlier claims, entity
    mentions and memberships (a replaced article leaves its old story whole: a story is
    never split). A transaction writes each fact and each story it changed once, at
    commit, and announces each once on the feed.

    Writes go through db_begin / db_merge... / db_commit, so a batch of results costs one
    transaction and one fsync. A db_t is used by one thread at a time. */
#ifndef CC_DB_H
#define CC_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "crossclaim.pb-c.h"
#include "json.h"

typedef struct db_t db_t;

/* Error codes (negative). LMDB errors pass through as LMDB's own codes; system errors as
   -errno. db_strerror explains all of them. */
#define DB_ENOTFOUND  (-4001)  /* no such record */
#define DB_ECORRUPT   (-4002)  /* a stored record failed to decode */
#define DB_EREADONLY  (-4003)  /* a write on a database opened read-only */
#define DB_ESTATE     (-4004)  /* db_merge/db_commit without db_begin, or db_begin twice */
#define DB_EINPUT     (-4005)  /* a result without an article or with no usable id */
#define DB_EVERSION   (-4006)  /* a database of another schema (db_open) */
#define DB_EDAMAGED   (-4007)  /* the data file is empty, truncated or missing (db_open) */
#define DB_EPAUSE     (-4008)  /* a walk in steps stopped at its budget (internal) */

#define DB_SCHEMA     4        /* 2: stories, facts keyed by story and frame; 3: facts
                                  as a summary and claim rows per article; 4: people of
                                  a surname told apart (raw person records) */

#define DB_FEED_KEEP  200000   /* updates kept in the feed log */

typedef struct {
    uint64_t articles;
    uint64_t claims;           /* quantity claims over all articles */
    uint64_t attributions;
    uint64_t entities;
    uint64_t xrefs;            /* claim clusters */
    uint64_t stories;
    uint64_t conflicts;        /* clusters with status "conflict" */
    uint64_t corroborated;     /* clusters with status "corroborated" */
    uint64_t seq;              /* last update sequence number, 0 when none yet */
} db_stats_t;

/* Opens (and when writable, creates) the database under `dir`/store. Readonly opens need
   an existing database and may run while another process writes. Returns 0 and *out,
   DB_EVERSION for a database of another schema, or an error (*out = NULL). */
int db_open(const char *dir, bool readonly, db_t **out);

/* db_open with the map's first size (0: 64 MiB). The map doubles whenever it fills, as
   far as the address space allows; readers follow it. A data file that is empty, shorter
   than its last page, or missing where a database was made (DIR/store/store.created) is
   refused with DB_EDAMAGED, logged, before any page of it is read. */
int db_open_map(const char *dir, bool readonly, size_t map_bytes, db_t **out);

/* Aborts any open transaction and closes. Does nothing on NULL; sets *self_p = NULL. */
void db_destroy(db_t **self_p);

/* Starts a write transaction. Returns 0, DB_EREADONLY, DB_ESTATE or an LMDB error. */
int db_begin(db_t *self);

/* Merges one worker result into the open transaction. `r` is only read, and need only
   live for the call. Returns 0, DB_ESTATE, DB_EINPUT, DB_ECORRUPT (an earlier record of
   this article or of one of its clusters won't decode) or an LMDB error. After an LMDB
   error the transaction must be aborted (db_abort); after DB_EINPUT it can go on. */
int db_merge(db_t *self, const Crossclaim__Result *r);

/* Commits the open transaction. `*last_seq` (may be NULL) gets the last update sequence
   number now in the feed log. Returns 0, DB_ESTATE or an LMDB error; on error nothing of
   the transaction is kept. */
int db_commit(db_t *self, uint64_t *last_seq);

/* The last update sequence number as of the open write transaction: it grows as
   db_merge logs updates, so a merge that leaves it unchanged changed nothing (the same
   result again). Meaningful only while a transaction is open. This function can't
   fail. */
uint64_t db_txn_seq(db_t *self);

/* Drops the open transaction, if any. This function can't fail. */
void db_abort(db_t *self);

/* Records the walks of this handle (db_dump, db_export...) skipped so far because they
   failed to decode. This function can't fail. */
uint64_t db_corrupt_records(db_t *self);

/* Counts, from one consistent read. Returns 0 or an LMDB error. */
int db_stats(db_t *self, db_stats_t *out);

/* Writes the counts as members of the JSON object open in `j` (articles, claims,
   attributions, entities, xrefs, conflicts, corroborated, seq), so every place that
   reports them names them alike. This function can't fail. */
void db_stats_json(const db_stats_t *st, json_t *j);

/* Called with one export JSON line (with its trailing newline; `line` is valid for the
   call only). A non-zero return stops the walk and is returned by the walker. */
typedef int (db_line_fn)(void *arg, const char *line, size_t len);

/* What db_dump walks, in this order. */
#define DB_ARTICLES      0x01
#define DB_ATTRIBUTIONS  0x02
#define DB_QUANTITIES    0x04
#define DB_ENTITIES      0x08
#define DB_XREFS         0x10
#define DB_CONFLICTS     0x20   /* only the xrefs whose status is "conflict" */
#define DB_STORIES       0x40
#define DB_ALL           0x5f

/* Walks the records named by `what` (DB_* flags) as export JSON lines, in the export
   order (articles, attributions, quantities, entities, xrefs, stories; each in key order), from
   one read snapshot whose last sequence number goes to *seq (may be NULL). A record that
   fails to decode is skipped, counted (db_corrupt_records) and named in the log, and the
   walk goes on. Returns 0, the callback's non-zero value, an LMDB error, or DB_ECORRUPT
   after walking everything else when some record was skipped. */
int db_dump(db_t *self, unsigned what, uint64_t *seq, db_line_fn *fn, void *arg);

/* Walks the records whose feed topic ("article.<id>", "attribution.<article>",
   "quantity.<article>", "entity.<key>", "xref.<status>.<key>", "story.<id>") starts with one of `prefixes` (n of them), as
   db_dump does: the subtree of the feed that a subscriber to those prefixes sees, for a
   Clone-pattern consumer of part of the feed. `*seq` (may be NULL) gets the snapshot's
   last sequence number. Returns as db_dump. */
int db_dump_topics(db_t *self, const char *const *prefixes, size_t n, uint64_t *seq,
                   db_line_fn *fn, void *arg);

/* Where a walk in steps (db_dump_step) stands. Zero it to begin; db_step_end it when it
   is dropped before its end. */
typedef struct {
    unsigned stage;            /* the record type being walked (internal) */
    size_t key_len;            /* the key it resumes at, or 0: the type's first */
    uint8_t key[512];          /* LMDB keys are at most 511 bytes */
    uint64_t seq;              /* the snapshot's last sequence number */
    uint64_t skipped;          /* records that failed to decode, so far */
    void *txn;                 /* its read transaction, between steps */
    bool done;
} db_step_t;

/* One step of db_dump (with `prefixes`, n > 0: of db_dump_topics): the next lines after
   `pos`, until about `budget` bytes of them have gone to `fn`; `pos` moves on, and
   pos->done says the walk is over. Every step reads the one snapshot the first step
   took (its read transaction stays open between steps, so commits go on meanwhile; the
   pages they free are reused only after the walk ends or is dropped). Returns 0, the
   callback's non-zero value, an LMDB error, or, on the last step, DB_ECORRUPT when some
   record was skipped; after an error the walk is over. */
int db_dump_step(db_t *self, unsigned what, const char *const *prefixes, size_t n,
                 db_step_t *pos, size_t budget, db_line_fn *fn, void *arg);

/* Ends a walk in steps before its end (its snapshot is let go). This function can't fail. */
void db_step_end(db_t *self, db_step_t *pos);

/* Walks one story as export lines: its story record, its articles, then its xrefs, from
   one read snapshot. Returns as db_dump, or DB_ENOTFOUND when there is no such story. */
int db_dump_story(db_t *self, const char *id, uint64_t *seq, db_line_fn *fn, void *arg);

/* The JSON Lines export (DESIGN.md "Contracts") to `out`. Returns 0, -errno on a write
   error, DB_ECORRUPT or an LMDB error. */
int db_export(db_t *self, FILE *out);

/* A report for people: counts, conflicts (each value with the articles and outlets that
   say it), corroborations, then the top entities. Same returns as db_export. */
int db_report(db_t *self, FILE *out);

/* Appends the export line (with newline) of one record to `out`: an xref by its key
   ("<story>/<frame key>"; a bare frame key gives the first story's fact with that frame),
   an entity by key, an article by id. Returns 0, DB_ENOTFOUND, DB_ECORRUPT or an LMDB
   error; `out` is unchanged on error. */
int db_xref_json(db_t *self, const char *key, json_t *out);
int db_entity_json(db_t *self, const char *key, json_t *out);

#define DB_FIND_LIMIT       20   /* entities db_entity_find gives at most by default */
#define DB_FIND_STATEMENTS  200  /* statements it lists at most per entity */

/* Finds the entity records a name as written names ("Hillary Clinton", "Erdoğan",
   "SOHR", or a key such as "per:clinton"), from one read snapshot: the name folded (case,
   diacritics, punctuation) against each record's key, name and aliases, folded alike;
   a form whose last words are the name counts too ("Erdogan" finds "Recep Tayyip
   Erdoğan"). Best first (the exact key, the name, an alias, the key's name part, last
   words; then more articles), at most `limit` (0: DB_FIND_LIMIT), each as one JSON line
   to `fn`: the entity's export fields and "match" (how it matched), "matches" (how many
   records matched in all), "in_articles" ([{id, title, outlet, published, as}] of the
   articles naming it, `as` the full form that article gives it, which tells namesakes
   of one key apart), "statements" (the attributions whose speaker is it, as export
   attribution records, at most DB_FIND_STATEMENTS) and "statements_total". One walk of
   the entities and one of the articles. Returns 0, DB_ENOTFOUND when nothing matches,
   the callback's non-zero value, or an LMDB error. */
int db_entity_find(db_t *self, const char *name, size_t limit, db_line_fn *fn, void *arg);
int db_article_json(db_t *self, const char *id, json_t *out);
/* The same for one story by id. */
int db_story_json(db_t *self, const char *id, json_t *out);

/* Called with one feed update: its seq, its topic ("article.<id>", "xref.<status>.<key>",
   "entity.<key>"..., docs/PROTOCOL.md; not NUL-terminated) and the Update protobuf. Pointers are valid for
   the call only. A non-zero return stops the walk and is returned. */
typedef int (db_feed_fn)(void *arg, uint64_t seq, const char *topic, size_t topic_len,
                         const uint8_t *update, size_t update_len);

/* Walks the feed log's updates with seq > `after`, oldest first, from one read snapshot.
   Updates older than the last DB_FEED_KEEP are gone: `*first` (may be NULL) gets the
   oldest seq still kept (0 when the log is empty) so a caller can tell it missed some.
   Returns 0, the callback's value, DB_ECORRUPT or an LMDB error. */
int db_feed_since(db_t *self, uint64_t after, uint64_t *first, db_feed_fn *fn, void *arg);

/* Text for a DB_E* code, an LMDB code or a negative errno. Static; can't fail. */
const char *db_strerror(int rc);

#endif
