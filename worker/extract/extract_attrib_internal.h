/*  extract_attrib_internal: what the files of the attribution finder
    (worker/extract/extract_attrib*.c) share, and nothing else: the cue flags, the state
    of one run, the token helpers and the functions one file defines and others call
    (prefix xat_; a file's own helpers stay static, prefix s_). Only extract_attrib*.c
    include it; extract_attrib.h is the contract.

    The files, by job: extract_attrib_cue.c the cue lexicon; extract_attrib_speaker.c
    speakers (noun phrases, their entity) and recording an attribution;
    extract_attrib_span.c where a content ends; extract_attrib_pattern.c the patterns
    tried at each cue and sentence; extract_attrib.c the run and the nesting pass. */
#ifndef CC_EXTRACT_ATTRIB_INTERNAL_H
#define CC_EXTRACT_ATTRIB_INTERNAL_H

#include "extract_attrib.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A flag on a class: the verb takes a noun phrase as what it reports ("endorsed Cruz",
   "attacked her record"), so its content is that object, not the rest of the clause. */
#define CUE_OBJ 0x10
/* A flag on a class: the form is as often a noun ("his support", "a call for") or an
   infinitive ("to see") as a finite verb, so it is a cue only right after a subject
   ("voters support C", "records show C") or an auxiliary ("did not see"). */
#define CUE_BASE 0x20
/* A flag: the form is also a noun of saying or thinking (see s_nouns in extract_attrib_cue.c). */
#define CUE_NOUN 0x40
/* A flag: the form is a cue only with "about", "of" or "on" after it ("spoke about C",
   "is confident of C"), and the cue takes the preposition. */
#define CUE_ABOUT 0x80
/* A flag: a light verb that reports only with a noun of saying after it ("made clear",
   "made the case that", "made several statements about"); its class is VERB then. */
#define CUE_LIGHT 0x100

/* Token ranges of one emitted attribution, parallel to c->attr, for the nesting pass. */
typedef struct {
    uint32_t cue0, cue1, sp0, sp1, ct0, ct1;
} xat_rng_t;

/* State across a run: the last named speaker for pronouns and roles. */
typedef struct {
    int last_person;          /* entity index of the last named person speaker */
    int last_any;             /* entity of the last attribution's speaker */
    uint8_t *used;            /* tokens already taken by an attribution's cue */
    xat_rng_t *rng;             /* token ranges of c->attr (arena) */
    size_t rng_cap;
} xat_state_t;

static inline const xtok_t *T(const xctx_t *c, size_t i) { return &c->tok.v[i]; }

static inline bool xat_in(const char *f, const char *const *list)
{
    /* First byte before strcmp: most words differ there, and the call dominates. */
    for (; *list; list++)
        if ((*list)[0] == f[0] && strcmp(f, *list) == 0)
            return true;
    return false;
}

/* ---------------------------------------------------------------- extract_attrib_cue.c */

/* Class and flags of the folded word f with folded hash `hash`. */
int xat_cue_lookup(const char *f, uint32_t hash);
/* False when the word with this folded hash is surely not a cue. */
bool xat_maybe_cue(uint32_t hash);

/* ---------------------------------------------------------------- extract_attrib_speaker.c */

/* Words that end a subject noun phrase going left. */
extern const char *const xat_np_stop[];

bool xat_is_dateword(const char *f);
bool xat_is_aux(const xctx_t *c, size_t i);
size_t xat_subject_start(const xctx_t *c, size_t s0, size_t lim);
bool xat_is_cap_or_pron(const xctx_t *c, size_t i);
size_t xat_np_left(const xctx_t *c, size_t lo, size_t end);
bool xat_np_ok(const xctx_t *c, size_t a, size_t b);
size_t xat_np_right(const xctx_t *c, size_t i, size_t hi, bool stop_at_that);
/* Records one attribution from token ranges (cue, speaker, content, addressee) in
   c->attr, unless its content is empty or its cue is taken; resolves the speaker's
   entity and remembers it for later pronouns and roles. */
void xat_emit(xctx_t *c, xat_state_t *st, size_t cue0, size_t cue1, size_t sp0, size_t sp1,
              size_t ct0, size_t ct1, size_t ad0, size_t ad1, bool direct);

/* ---------------------------------------------------------------- extract_attrib_span.c */

size_t xat_skip_adjuncts(const xctx_t *c, size_t i, size_t hi, const int *pub);
size_t xat_content_end(const xctx_t *c, size_t from, size_t send);
size_t xat_extend_quote(const xctx_t *c, size_t ct0, size_t ct1);
size_t xat_extend_paragraph(const xctx_t *c, size_t ct1, size_t cue);
size_t xat_noun_content_end(const xctx_t *c, size_t from, size_t send);
size_t xat_cue_content_end(const xctx_t *c, bool obj, size_t from, size_t send);

/* ---------------------------------------------------------------- extract_attrib_pattern.c */

/* The patterns at cue token i of sentence s (pub: the publication date, or NULL). */
void xat_try_cue(xctx_t *c, xat_state_t *st, size_t i, const xsent_t *s, const int *pub);
void xat_try_colon(xctx_t *c, xat_state_t *st, const xsent_t *s);
void xat_try_in(xctx_t *c, xat_state_t *st, const xsent_t *s);

#endif
