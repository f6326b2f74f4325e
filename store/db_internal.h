/*  db_internal: what the files of the store's database (store/db*.c) share, and nothing
    else: the body of db_t, the arena, the merge's touch and entity record types, and the
    functions one file defines and others call (prefix dbi_; a file's own helpers stay
    static, prefix s_). Only store/db*.c include it; store/db.h is the contract. */
#ifndef CC_DB_INTERNAL_H
#define CC_DB_INTERNAL_H

#include "db.h"
#include "story.h"
#include "util.h"

#include <lmdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DB_MAX_KEY      480              /* LMDB keys are at most 511 bytes */

/* Bump allocator for decoded records and scratch arrays of one merge or one record. */
typedef struct {
    char **blocks;          /* blocks, in use order */
    size_t *sizes;          /* size of each block */
    size_t n;               /* blocks held */
    size_t cur, off;        /* block in use and bytes used in it */
} dbi_arena_t;

struct db_t {
    MDB_env *env;           /* the environment at DIR/store */
    MDB_dbi articles, xrefs, entities, feed, meta; /* the named databases of db.h */
    MDB_dbi astory;         /* article id -> story id */
    MDB_dbi smember;        /* story id + article id -> "" (a story's articles) */
    MDB_dbi sterm;          /* story term -> article ids (dupsort): story candidates */
    MDB_dbi stories;        /* story id -> its summary: articles, first, last, headline */
    MDB_dbi sentity;        /* story id + entity key -> articles of the story naming it */
    MDB_dbi xclaims;        /* fact prefix + NUL + article id -> that article's claims */
    MDB_dbi xstatus;        /* status + NUL + fact db key -> "": conflicts, corroborations */
    MDB_dbi people;         /* person key -> its raw entity record (db_people.c) */
    bool readonly;          /* opened read-only: db_begin refuses */
    bool grow;              /* the map filled up: db_begin grows it */
    bool broken;            /* a failed growth left no map: every write is refused */
    uint64_t corrupt;       /* records a walk skipped because they failed to decode */
    uint64_t walk_skipped;  /* of those, in the db_dump in progress */
    MDB_txn *txn;           /* the open write transaction, or NULL */
    uint64_t seq;           /* meta counters as of the open transaction */
    uint64_t claims, attributions, conflicts, corroborated;
    dbi_arena_t arena;      /* per-merge (or per-record while walking) scratch */
    ProtobufCAllocator pba; /* protobuf-c allocations from the arena */
    uint8_t *buf;           /* record packing buffer */
    size_t cap;             /* its size */
    char *topic;            /* feed topic being built */
    size_t topic_cap;       /* its size */
    json_t *json;           /* export line being built */
    const char *const *prefixes; /* topic filter of the walk in progress, or NULL: all */
    size_t nprefixes;       /* its length */
    /* a walk in steps (db_dump_step): where it starts, how many bytes of lines it may
       emit (0: no limit), how many it has, and the key it stopped at */
    const uint8_t *walk_from;
    size_t walk_from_len, walk_budget, walk_emitted, walk_stop_len;
    uint8_t walk_stop[DB_MAX_KEY + UTIL_ID_HEX + 16];
    char keybuf[DB_MAX_KEY + 1]; /* database key of an over-long claim or entity key */
    dbi_arena_t tarena;     /* memory of the open transaction's facts, reset at its end */
    ProtobufCAllocator tpba; /* protobuf-c allocations from tarena */
    struct dbi_fact **facts; /* the facts this transaction changed, by key (open hash) */
    size_t nfacts, fact_slots; /* facts held, and slots in the hash */
    char (*touched)[UTIL_ID_HEX + 1]; /* stories this transaction changed: announced on */
    size_t n_touched, touched_cap;    /* the feed once each, at commit */
};

/* One claim or entity key touched by a merge: from the old result (sign -1) or the new. */
typedef struct {
    const char *key;
    const void *item;       /* Crossclaim__Quantity or Crossclaim__Entity */
    int sign;
} dbi_touch_t;

/* An entity record decoded. Strings point into the stored record or into a result. */
typedef struct {
    const char *s;
    uint32_t len;
    int64_t n;              /* articles giving this form */
} dbi_form_t;

enum { DBI_NAMES, DBI_ALIASES, DBI_KINDS, DBI_LISTS };

typedef struct {
    const char *key;
    uint32_t key_len;
    int64_t articles;
    dbi_form_t *list[DBI_LISTS];
    size_t n[DBI_LISTS];
} dbi_ent_t;

/* ---------------------------------------------------------------- db.c */

/* LMDB returns its own negative codes or a positive errno; we return negatives only. */
static inline int dbi_mdb(int rc)
{
    return rc > 0 ? -rc : rc;
}

/* Makes self->buf hold at least `need` bytes, keeping what it holds. */
void dbi_ensure(db_t *self, size_t need);

/* The database key of a claim or entity key: itself, or for keys LMDB can't hold, a
   prefix and a hash of the whole (the record keeps the full key). */
void dbi_dbkey(db_t *self, const char *key, MDB_val *k);

/* True for NULL or an empty string. */
static inline bool dbi_empty(const char *s)
{
    return !s || !*s;
}

/* The u64 counter `name` of the meta database, 0 when it is not there. */
uint64_t dbi_meta_get(MDB_txn *txn, MDB_dbi dbi, const char *name);

/* Begins a read transaction, following the map if the writer has grown it. */
int dbi_rtxn(db_t *self, MDB_txn **txn);

/* Notes a full map so the next db_begin grows it; passes the code on. */
int dbi_wrc(db_t *self, int rc);

/* ---------------------------------------------------------------- db_arena.c */

/* `size` bytes (16-aligned) that stay valid until the next reset. Never fails. */
void *dbi_arena_alloc(dbi_arena_t *a, size_t size);

/* Forgets everything allocated. Many blocks are coalesced into one, so a warmed-up
   arena serves a whole merge from one block. */
void dbi_arena_reset(dbi_arena_t *a);

/* Frees the blocks and leaves the arena empty. */
void dbi_arena_free(dbi_arena_t *a);

/* protobuf-c's allocator over an arena (allocator_data): frees nothing. */
void *dbi_pb_alloc(void *data, size_t size);

void dbi_pb_free(void *data, void *ptr);

/* dbi_arena_alloc from the per-merge arena. */
void *dbi_alloc(db_t *self, size_t size);

/* A NUL-terminated arena copy of s[0..n). */
char *dbi_strndup(db_t *self, const char *s, size_t n);

/* ---------------------------------------------------------------- db_lines.c */

/* Key `name` with string s, or null when s is empty. */
void dbi_json_opt(json_t *j, const char *name, const char *s);

/* The export lines of the record types, each appended to `j` with its newline. */
void dbi_article_line(json_t *j, const char *id, const Crossclaim__Result *r,
                      const char *story);

void dbi_attribution_line(json_t *j, const char *id, const Crossclaim__Attribution *t);

void dbi_quantity_line(json_t *j, const char *id, const Crossclaim__Quantity *q);

void dbi_xref_line(json_t *j, const Crossclaim__Xref *x);

/* One claim of an xref line, as an object appended to `j`. */
void dbi_xref_claim_json(json_t *j, const Crossclaim__XrefClaim *c);

/* The form with the most articles; ties go to the longest, then the smallest bytes. */
const dbi_form_t *dbi_ent_best(const dbi_ent_t *e, int list);

/* The line of a record that is gone: {"type":T,IDNAME:ID,"deleted":true,"articles":0},
   as consumers recognise it (watch.c, the Python consumer). This function can't fail. */
void dbi_deleted_line(json_t *j, const char *type, const char *idname, const char *id);

/* True when two forms hold the same bytes. */
bool dbi_form_eq(const dbi_form_t *a, const dbi_form_t *b);

void dbi_entity_line(json_t *j, const dbi_ent_t *e);

/* ---------------------------------------------------------------- db_entity.c */

/* Decodes a record; `extra[l]` more slots are left free in list l for forms to add. */
int dbi_ent_parse(db_t *self, const void *data, size_t size, dbi_ent_t *e,
                  const size_t extra[DBI_LISTS]);

/* Takes the old result's entity mentions out of the entity index and puts r's in, each
   entity record rewritten (and announced) once. */
int dbi_merge_entities(db_t *self, const Crossclaim__Result *old,
                       const Crossclaim__Result *r);

/* A name folded for comparison: case and diacritics folded, every run of characters
   that are neither letters nor digits one space, none at either end. Returns the length
   written (cut at cap - 1). */
size_t dbi_fold(const char *s, size_t n, char *out, size_t cap);

/* ---------------------------------------------------------------- db_people.c */

/* True for a person key of a surname alone ("per:clinton", not "per:bill clinton"). */
bool dbi_people_bare(const char *key, size_t len);

/* The base of "per:<given> <surname>", "per:<surname>", into the arena; NULL when key
   is no such key. */
char *dbi_people_base(db_t *self, const char *key, size_t len);

/* The people raw record `raw` holds, told apart by given name, into *out (arena): the
   one with most articles first, under raw's key; each other one under
   "per:<given> <surname>". Returns how many (1 when the record is one person). */
size_t dbi_people_split(db_t *self, const dbi_ent_t *raw, dbi_ent_t **out);

/* The entity record of person key `key` as readers see it, made from the raw records in
   `people`: its own raw record's first person, and for "per:<given> <surname>" the
   person of that given name that "per:<surname>" holds. DB_ENOTFOUND when none. */
int dbi_people_record(db_t *self, MDB_txn *txn, const char *key, dbi_ent_t *out);

/* The records readers see under keys[0..nk), each "per:<surname>" `base` itself or one
   of its namesakes' keys, given p[0..np), the split of base's raw record as it now is
   (np = 0 when it has none left); a record with no article left has articles 0. */
int dbi_people_records(db_t *self, MDB_txn *txn, const char *base, const dbi_ent_t *p,
                       size_t np, const char *const *keys, size_t nk, dbi_ent_t *out);

/* The key of the record that holds the person an article keyed `key` and named `name`
   (its full form there): `key` itself, or the "per:<given> <surname>" a namesake's
   split gave it. */
int dbi_people_owner(db_t *self, MDB_txn *txn, const char *key, const char *name,
                     const char **owner);

/* The key under which article r names the person (or other entity) whose record readers
   see under `key`, or NULL when it doesn't: r's Bill of "per:clinton" is the record
   "per:bill clinton"'s when the split gave it that one. */
const char *dbi_people_named(db_t *self, MDB_txn *txn, const char *key,
                             const Crossclaim__Result *r);

/* ---------------------------------------------------------------- db_feed.c */

/* Builds the feed topic a b c d (the pieces concatenated) in self->topic. */
const char *dbi_topic(db_t *self, const char *a, const char *b, const char *c,
                      const char *d, size_t *len);

/* Appends an update carrying the JSON line in self->json to the feed log. Its op is a
   DELETE when the topic says so ("xref.deleted.", "story.deleted.") or the line is a
   dbi_deleted_line, else a SET. */
int dbi_feed_put(db_t *self, const char *kind, const char *key, const char *topic,
                 size_t topic_len, Crossclaim__Xref *x);

/* Appends update `u` (the caller fills kind, key, op and its record fields; seq and json
   come from self) to the feed log. */
int dbi_feed_put_u(db_t *self, const char *topic, size_t topic_len, Crossclaim__Update *u);

/* Drops the oldest feed entries beyond DB_FEED_KEEP, a bounded number per commit. */
int dbi_trim_feed(db_t *self);

/* ---------------------------------------------------------------- db_fact.c */

/* Forgets the open transaction's facts. This function can't fail. */
void dbi_facts_clear(db_t *self);

/* Writes and announces every fact the transaction changed, in key order: its claims
   sorted, its status judged; a fact left with no claims is deleted. */
int dbi_facts_flush(db_t *self);

/* The facts an article's claims belong to: "<story>/<frame key>". An article's old
   claims (in story `old_story`) are taken out of their facts and its new ones (in
   `new_story`) put in, each fact rewritten once. */
int dbi_merge_xrefs(db_t *self, const char *id, const Crossclaim__Result *old,
                    const char *old_story, const Crossclaim__Result *r,
                    const char *new_story);

/* The prefix of fact `key`'s claim rows in xclaims: its database key (cut to leave room
   for the article id) and a NUL, written into out (DBI_ROW_PREFIX bytes); returns its
   length. Rows are the prefix and the article id. This function can't fail. */
#define DBI_ROW_PREFIX  (511 - UTIL_ID_HEX)
size_t dbi_fact_prefix(const char *key, char out[DBI_ROW_PREFIX]);

/* Decodes a fact's summary record (`data`, `size`, from xrefs in `txn`) and attaches its
   claims, read from its rows in key order: the fact as the export shows it. Arena memory.
   Returns 0 or DB_ECORRUPT (the summary or a row fails to decode) or an LMDB error. */
int dbi_xref_read(db_t *self, MDB_txn *txn, const void *data, size_t size,
                  Crossclaim__Xref **out);

/* ---------------------------------------------------------------- db_story.c */

/* Notes that story `story` changed in this transaction (db_commit announces it). */
void dbi_touch_story(db_t *self, const char *story);

/* The story of article `id` (an arena copy), or NULL when it has none. */
int dbi_story_of(db_t *self, MDB_txn *txn, const char *id, char **story);

/* Loads the stored result of article `id` (arena), or NULL when it is not there. */
int dbi_load(db_t *self, MDB_txn *txn, const char *id, Crossclaim__Result **out);
/* As dbi_load, with only what story assignment reads: the article's metadata and the
   story terms (the rest of the Result is left empty). Unpacking a whole record for
   each candidate was 49% of the store's time. */
int dbi_load_story_part(db_t *self, MDB_txn *txn, const char *id, Crossclaim__Result **out);
/* The story terms of a result (heaviest first, at most 64, weights in (0, 1]) as
   story_term_t pointing into r, in an arena array; returns how many. Can't fail. */
size_t dbi_terms(db_t *self, const Crossclaim__Result *r, story_term_t **out);

/* Adds (sign > 0) or removes an article's probe terms in the sterm index. */
int dbi_index_terms(db_t *self, const char *id, const Crossclaim__Result *r, int sign);

/* Membership: astory[id] = story and smember[story+id] (sign > 0), or both removed, with
   the story's summary. */
int dbi_member(db_t *self, const char *id, const Crossclaim__Result *r, const char *story,
               int sign);

/* The articles of story `story` (arena copies, sorted). */
int dbi_members(db_t *self, MDB_txn *txn, const char *story, char ***out, size_t *n);

/* The story of a new article: the smallest id among itself and the stories of the
   articles it links to, those stories joined into it. `*story` gets an arena copy.
   Candidates are the articles that share at least STORY_SHARED of its probe terms. */
int dbi_story_assign(db_t *self, const char *id, const Crossclaim__Result *r,
                     char **story);

/* The export line of one story: its size, dates, a headline (the earliest article's, or
   the first by id when undated) and its most frequent entities. */
int dbi_story_line(db_t *self, MDB_txn *txn, const char *story, json_t *j);

/* Announces story `story` on the feed (topic "story.<id>"): its record, or a delete
   ("story.deleted.<id>") when no article is left in it. Reads its members: a cost in
   proportion to the story's size. */
int dbi_story_announce(db_t *self, const char *story);

/* ---------------------------------------------------------------- db_merge.c */

/* qsort order of touches: by key, then the old result's (-1) before the new one's. */
int dbi_touch_cmp(const void *a, const void *b);

/* The keys an article's old result held (sign -1) and its new result holds (+1), sorted
   so that each key comes as one run and its record is rewritten once; `fn` is called per
   run. The items are protobuf messages whose `char *key` field sits at `key_off`
   (Quantity and Entity alike). */
typedef int (dbi_run_fn)(db_t *self, const dbi_touch_t *run, size_t nrun, void *arg);

int dbi_merge_keys(db_t *self, void *const *old_items, size_t n_old,
                   void *const *new_items, size_t n_new, size_t key_off,
                   dbi_run_fn *fn, void *arg);

#endif
