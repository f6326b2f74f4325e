/*  db_web: the reads behind what people look at — `crossclaim serve` (the web view and its
    /api/) and `crossclaim report` — over the results database of store/db.h.

    Each call runs in one read transaction of its own, so a reader sees one consistent
    snapshot while the store commits, and a long-lived reader sees each new commit on its
    next call. The facts are read as the Xref records db_merge keeps (the same as the
    export's xref lines), with each claim's article looked up for its source URL and
    title, so what is shown is what the export holds.

    JSON answers are appended to a json_t as one value. They embed the export lines of
    DESIGN.md ("Contracts") unchanged, under "story", "xref", "entity", "article",
    "attributions" and "quantities", with context beside them (counts, readable frame
    labels, article titles and URLs). Strings are JSON-escaped, never HTML-escaped: a
    page showing them must escape them itself. */
#ifndef CC_DB_WEB_H
#define CC_DB_WEB_H

#include "db.h"

#include <stdbool.h>
#include <stddef.h>

/* Which facts a listing wants. Unset members (NULL, 0) do not filter. */
typedef struct {
    const char *story;        /* story id, or a prefix of one (at least 4 hex digits) */
    const char *outlet;       /* some claim's outlet contains this, case and diacritics
                                 folded ("river-post" finds river-post.example) */
    const char *since;        /* some claim's article is published on or after (ISO date) */
    const char *until;        /* ... on or before (a prefix: "2015-11" is all of November) */
    unsigned min_sources;     /* at least this many independent sources */
    const char *status;       /* conflict, corroborated, single or all; NULL: conflict and
                                 corroborated */
    size_t limit;             /* at most this many facts (0: all) */
    size_t offset;            /* after skipping this many matching facts */
} db_web_filter_t;

/* One fact as a listing hands it out. Everything is valid for the callback only. */
typedef struct {
    const Crossclaim__Xref *xref;   /* the stored fact (export line: dbi/db_xref_json) */
    const char *label;              /* its frame, readable: "killed · people · Paris" */
    const char *story_title;        /* its story's headline, or "" */
    size_t story_articles;          /* articles in its story */
    const char *const *url;         /* per claim: its article's source as submitted, or "" */
    const char *const *title;       /* per claim: its article's title, or "" */
} db_web_fact_t;

/* Called per fact; a non-zero return stops the walk and is returned. */
typedef int (db_web_fact_fn)(void *arg, const db_web_fact_t *f);

/* Walks the facts that pass `f` (NULL: the default filter), in key order (so a story's
   facts come together), conflicts and corroborations alike, from one snapshot.
   `*matched` (may be NULL) gets how many facts passed the filter, the limit aside.
   A fact that fails to decode is skipped and counted (db_corrupt_records). Returns 0,
   the callback's value, -EINVAL for a bad status name, or an LMDB error. */
int db_web_facts(db_t *self, const db_web_filter_t *f, size_t *matched,
                 db_web_fact_fn *fn, void *arg);

/* Appends one fact as a JSON object: {"xref": export line, "label", "story_title",
   "story_articles", "articles": {id: {"source", "title"}}}. This function can't fail. */
void db_web_fact_json(json_t *j, const db_web_fact_t *f);

/* The readable form of a frame key ("f|unit|what|whose|pclass|scope|period", frame.h):
   its non-empty slots, predicate first, joined by " · " ("killed · people · Paris ·
   2015-11"); an entity key "per:elias brandt" shows as "elias brandt", a unit in
   parentheses after what is counted. A key that is not a frame key is copied as it is.
   Writes at most cap bytes with the NUL; returns the length written. cap must be > 0. */
size_t db_web_frame_label(const char *frame, char *out, size_t cap);

/* The stories page: {"stories":[{"story": line, "outlets": [names], "conflicts": N,
   "corroborated": N, "facts": N}], "total": N}, newest first (by the latest publication
   date, undated last, then by id). `q` (may be NULL or "") keeps the stories one of whose
   article titles contains it, case and diacritics folded. At most `limit` (0: all).
   Returns 0 or an LMDB error. */
int db_web_stories(db_t *self, const char *q, size_t limit, json_t *out);

/* One story: {"story": line, "articles": [article lines], "facts": [db_web_fact_json,
   every status], "attributions": [attribution lines of its articles]}. Returns 0,
   DB_ENOTFOUND or an LMDB error. */
int db_web_story(db_t *self, const char *id, json_t *out);

/* One entity by key: {"entity": line, "stories": [{"id","title","articles","mentions"}],
   "statements": [attribution lines where it is the speaker, each with "title"],
   "articles": [{"id","title","outlet","published"}]} (articles of its stories that name
   it). Returns 0, DB_ENOTFOUND or an LMDB error. */
int db_web_entity(db_t *self, const char *key, json_t *out);

/* One article: {"article": line, "quantities": [...], "attributions": [...],
   "entities": [{"key","name","kind"}], "facts": ["<story>/<frame>"... per quantity, or
   null], "segments": [{"text","mark","ref"}] or null}. The segments are the article's
   text cut at its claims (mark "quantity" with ref = index in quantities, "content" or
   "speaker" with ref = index in attributions, or null) when the store kept the text.
   Returns 0, DB_ENOTFOUND or an LMDB error. */
int db_web_article(db_t *self, const char *id, json_t *out);

/* Search by name: {"entities": [entity lines], "stories": [{"id","title","articles"}]}:
   the entities one of whose key, names or aliases contains `q` (folded), most articles
   first, and the stories one of whose article titles does; at most `limit` of each
   (0: 50). Returns 0 or an LMDB error; an empty q finds nothing. */
int db_web_search(db_t *self, const char *q, size_t limit, json_t *out);

/* Report formats. */
typedef enum {
    DB_WEB_TEXT,    /* for people: counts, then each fact with each claim's sentence and URL */
    DB_WEB_JSON,    /* JSON Lines: one db_web_fact_json object per fact */
    DB_WEB_CSV,     /* one row per claim, with a header row (RFC 4180 quoting) */
    DB_WEB_HTML     /* one standalone page, everything from the data escaped */
} db_web_format_t;

/* The report of `crossclaim report` and of the end of `crossclaim run`: the facts that
   pass `f` (NULL: conflicts, then corroborations), grouped by status and story, each
   claim with its value, outlet, date, article source and whole sentence, each fact's
   frame readable with its key; in text, the counts first and the top entities last.
   `f->limit` applies to each status; the text says how many more there are and how to
   see them. Implemented in db_report.c. Returns 0, -EINVAL, -errno on a write error, or
   an LMDB error. */
int db_web_report(db_t *self, const db_web_filter_t *f, db_web_format_t fmt, FILE *out);

/* The folded form of UTF-8 `s` (case folded, diacritics stripped, compatibility
   composed), malloc'd: the caller frees it. Invalid UTF-8 is folded bytewise in ASCII.
   This function can't fail. */
char *db_web_fold(const char *s);

#endif
