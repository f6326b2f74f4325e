/*  extract_internal: the per-run state the extractor's modules share (tokens, sentences,
    quote regions, entities), and the read-only resources loaded once by extract_new.
    Not part of the public contract: only the extract_* modules include it. */
#ifndef CC_EXTRACT_INTERNAL_H
#define CC_EXTRACT_INTERNAL_H

#include "extract.h"
#include "extract_arena.h"
#include "extract_lex.h"

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Token flags. */
#define TK_WORD    0x0001   /* letters (possibly with digits, hyphens, apostrophes) */
#define TK_NUM     0x0002   /* starts with a digit */
#define TK_PUNCT   0x0004   /* one punctuation character (or "...") */
#define TK_CAP     0x0008   /* a word whose first letter is upper case */
#define TK_ALLCAP  0x0010   /* every letter upper case, at least two letters */
#define TK_PARA    0x0020   /* first token of a paragraph (after a newline) */
#define TK_SKIP    0x0040   /* inside boilerplate: not extracted from */
#define TK_TITLE   0x0080   /* inside the title line */
#define TK_QUOTE   0x0100   /* a quotation mark */
#define TK_QOPEN   0x0200   /* quotation mark that opens */
#define TK_QCLOSE  0x0400   /* quotation mark that closes */
#define TK_SSTART  0x0800   /* first token of a sentence */
#define TK_POSS    0x1000   /* possessive "'s" split off a word */
#define TK_ABBR    0x2000   /* a word with internal periods ("U.S.") */
#define TK_HYPHEN  0x4000   /* its folded form holds a '-' ("al-assad", "twenty-one") */

typedef struct {
    uint32_t s, e;          /* byte range in the working text */
    uint32_t flags;         /* TK_* */
    uint32_t hash;          /* hash of the folded form */
    const char *f;          /* folded form (lower case, no diacritics), NUL-terminated */
    int32_t sent;           /* sentence index */
    int32_t ent;            /* entity index of the mention covering it, or -1 */
    int32_t quote;          /* quote region index it lies in, or -1 */
    uint16_t lex;           /* its extract_lex entry, 0 when the word is in no list */
    uint64_t wc;            /* its word classes (WC_*), 0 when none */
} xtok_t;

typedef struct {
    uint32_t t0, t1;        /* token range [t0, t1) */
} xsent_t;

typedef struct {
    uint32_t t0, t1;        /* token range [t0, t1): t0 is the opening mark, t1-1 the
                               closing one (or the last token when never closed) */
} xquote_t;

typedef struct {
    uint32_t t0, t1;        /* token range of the mention */
    int32_t ent;            /* entity index */
} xmention_t;

typedef struct {
    char kind;              /* 'p' person, 'o' org, 'l' place, 'v' vehicle, 'x' other */
    char key[96];           /* cross-article key */
    uint32_t name_t0, name_t1; /* token range of the longest form */
    char acr[16];           /* acronym (folded), "" if none */
    int n_mentions;
    bool cued;              /* some mention had a cue (a title, an org word, a country) */
} xent_t;

/* A growable array kept across runs so steady state does not allocate. */
#define XVEC(T) struct { T *v; size_t n, cap; }

/* Read-only resources loaded by extract_new. */
typedef struct xres_t xres_t;

typedef struct {
    const extract_doc_t *doc;
    extract_arena_t *arena;
    const xres_t *res;
    const uint8_t *w;       /* working text: valid UTF-8, NUL-terminated, controls blanked */
    size_t wlen;
    const uint32_t *map;    /* working offset -> original offset, NULL when identical */
    size_t body_w;          /* working offset where the body starts */
    XVEC(xtok_t) tok;
    XVEC(xsent_t) sent;
    XVEC(xquote_t) quote;
    XVEC(xmention_t) men;
    XVEC(xent_t) ent;
    XVEC(extract_attr_t) attr;
    XVEC(extract_quantity_t) qty;
    XVEC(const char *) warn;
    const char *encoding;
    uint64_t simhash;
    void *ent_index;        /* extract_entity's lookup index for this run (arena) */
    void *ent_counts;       /* extract_entity's word and run counts for this run (arena) */
} xctx_t;

#define XVEC_PUSH(vec, val) do {                                                  \
        if ((vec).n == (vec).cap) {                                               \
            (vec).cap = (vec).cap ? (vec).cap * 2 : 64;                           \
            (vec).v = util_realloc((vec).v, (vec).cap * sizeof *(vec).v);         \
        }                                                                         \
        (vec).v[(vec).n++] = (val);                                               \
    } while (0)

/* Helpers shared by the modules (defined in extract.c). */
uint32_t extract_hash(const char *s, size_t n);
/* Original-document offset of working offset `w`. */
uint32_t extract_orig(const xctx_t *c, uint32_t w);
/* Span for working range [s, e): original offsets and an arena copy of the text. */
extract_span_t extract_span(xctx_t *c, uint32_t s, uint32_t e);
/* Span for tokens [t0, t1). */
extract_span_t extract_span_tok(xctx_t *c, uint32_t t0, uint32_t t1);
/* Writes a, b and c (each may be NULL) one after another into out, truncated to cap - 1
   bytes and NUL-terminated, like snprintf(out, cap, "%s%s%s") without its cost on the
   per-mention path. Returns the length written. cap must be > 0. */
size_t extract_join(char *out, size_t cap, const char *a, const char *b, const char *c);
/* True when token i's folded form equals `s`. The first byte is tested inline: with a
   literal `s` that rejects most tokens without a call. */
static inline bool xtok_is(const xctx_t *c, size_t i, const char *s)
{
    extern int strcmp(const char *, const char *);
    return i < c->tok.n && c->tok.v[i].f[0] == s[0] && strcmp(c->tok.v[i].f, s) == 0;
}
/* True when token i is in one of the word classes `wc` (WC_* bits). */
static inline bool xtok_wc(const xctx_t *c, size_t i, uint64_t wc)
{
    return i < c->tok.n && (c->tok.v[i].wc & wc) != 0;
}
/* Token i's lexicon entry, or NULL. */
static inline const xlex_t *xtok_lex(const xctx_t *c, size_t i)
{
    return i < c->tok.n ? extract_lex_entry(c->tok.v[i].lex) : NULL;
}
/* True when token i is the one-byte punctuation `ch`. */
static inline bool xtok_punct(const xctx_t *c, size_t i, char ch)
{
    return i < c->tok.n && (c->tok.v[i].flags & TK_PUNCT) && c->tok.v[i].f[0] == ch
           && c->tok.v[i].f[1] == 0;
}

#endif
