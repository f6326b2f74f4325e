/*  extract: turns one article's bytes into claims. No ZeroMQ, no I/O, no global state
    beyond read-only resources loaded once, so it is unit-tested, benchmarked and fuzzed on
    its own, and one extract_t per thread is safe.

    Every span is a byte range [start, end) into the document exactly as given (doc->text),
    even when the text was not UTF-8 and had to be decoded as Windows-1252. Span text
    (`*_text` fields) is always valid UTF-8. */
#ifndef CC_EXTRACT_H
#define CC_EXTRACT_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

typedef struct extract_t extract_t;

/* The input: a document and what is known about it. Borrowed for the call only. */
typedef struct {
    const uint8_t *text;      /* the document as submitted (may not be UTF-8, may hold NULs) */
    size_t len;
    size_t body_start;        /* where the body starts (after a title line), <= len */
    const char *title;        /* NUL-terminated, may be "" */
    const char *published;    /* "YYYY-MM-DD" or NULL when unknown */
} extract_doc_t;

typedef struct {
    uint32_t start, end;      /* byte offsets into doc->text; start == end == 0 and
                                 text == NULL means "no span" */
    const char *text;         /* UTF-8, NUL-terminated, owned by the result */
} extract_span_t;

typedef struct {
    const char *key;          /* cross-article key, e.g. "per:recep tayyip erdogan" */
    const char *name;         /* longest full form in this article */
    const char *kind;         /* "person", "org", "place", "other"; added later:
                                 "vehicle" (a ship or other craft by name) */
    const char **aliases;     /* other forms seen in this article */
    size_t n_aliases;
    extract_span_t *mentions;
    size_t n_mentions;
} extract_entity_t;

typedef struct {
    extract_span_t speaker, cue, content, addressee;
    const char *speaker_entity; /* entity key or NULL */
    bool direct;
} extract_attr_t;

typedef struct {
    double value;
    bool approx;
    extract_span_t span;
    const char *subject;      /* what is counted, normalized ("turkish soldiers") */
    const char *predicate;    /* normalized ("killed") */
    const char *key;          /* claim key: equal keys = same fact across articles */
    const char *place;        /* or NULL */
    const char *time;         /* ISO date/period or NULL */
    bool time_resolved;
    /* Added after the first contract: */
    char bound;               /* '=' exact, '>' lower bound ("at least 56", "more than"),
                                 '<' upper bound ("up to", "nearly"), '~' about */
    bool total;               /* a total over a period ("in February alone", "this month"),
                                 not one event: its key differs from the event's */
    bool year;                /* the value is the year of an event ("a 2018 deal") */
    /* The claim frame (proto/frame.h); `key` is frame_key() of its slots. */
    double low, high;         /* the value as an interval */
    bool open_low, open_high; /* a missing bound */
    const char *unit;         /* "" for a count of things; else a unit name */
    const char *what;         /* what is counted, lemmatized, synonyms folded */
    const char *whose;        /* owner or anchor, or "" */
    const char *scope;        /* place or venue ("part:" for a part of the whole), or "" */
    extract_span_t sentence;  /* the claim's sentence */
    bool in_title;            /* the claim is in the title line */
} extract_quantity_t;

/* One feature of the article for story assignment (see extract_story.h). */
typedef struct {
    const char *term;         /* "per:hugh jackman", "y:2009", "w:earthquake", "n:7.3" */
    float weight;
} extract_term_t;

/* The output. Everything it points to is owned by the result and stays valid until the
   next extract_run on the same extract_t, or extract_destroy. */
typedef struct {
    extract_entity_t *entities;
    size_t n_entities;
    extract_attr_t *attrs;
    size_t n_attrs;
    extract_quantity_t *quantities;
    size_t n_quantities;
    const char **warnings;    /* e.g. "not valid UTF-8: decoded as Windows-1252" */
    size_t n_warnings;
    const char *encoding;     /* "utf-8" or "windows-1252" */
    uint64_t simhash;         /* 64-bit SimHash of the body's word shingles */
    const char **wire;        /* wire services the article credits ("ap", "reuters") */
    size_t n_wire;
    extract_term_t *terms;    /* what the article is about, heaviest first */
    size_t n_terms;
} extract_result_t;

/* Error codes (negative). A NULL argument gives -EINVAL. */
#define EXTRACT_EEMPTY    (-2001)  /* no text in the body */
#define EXTRACT_EDECODE   (-2002)  /* not decodable as UTF-8 nor Windows-1252 */
#define EXTRACT_ETOOBIG   (-2003)  /* over the extractor's size limit */

/* Creates an extractor, loading read-only resources (e.g. iso-codes country names when
   installed). Returns NULL on failure. */
extract_t *extract_new(void);

/* Destroys; does nothing on NULL; sets *self_p = NULL. */
void extract_destroy(extract_t **self_p);

/* Runs the extractor on `doc`. Returns 0 and fills *out, or a negative EXTRACT_E* code
   (out is then empty). Never crashes on any bytes. */
int extract_run(extract_t *self, const extract_doc_t *doc, extract_result_t *out);

/* Added after the first contract: the sentences extract_run would work on, for tests and
   the dev tool. Boilerplate sentences are left out. Fills *out (owned by self, valid until
   the next call on self) and *n. Returns 0 or a negative EXTRACT_E* code. */
int extract_sentences(extract_t *self, const extract_doc_t *doc, const extract_span_t **out,
                      size_t *n);

/* Text for an EXTRACT_E* code. Static; can't fail. */
const char *extract_strerror(int rc);

#endif
