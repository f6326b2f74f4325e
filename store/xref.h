/*  xref: how the claims of one fact (one frame key within one story) are judged. Pure
    logic, no LMDB: the store hands it the fact's claims and gets the status back, so the
    rules are unit-tested with a table of cases (tests/test_xref.c).

    Rules (DESIGN.md "Contracts"):
    - A source is an outlet, or a wire service ("wire:ap") for an article that credits one,
      so copies of one wire story count once; and claims whose sentences are copies of
      one another (frame_is_copy) from different outlets make one source with them: a
      story republished, lightly edited, is still one story. The claims of one source are intersected:
      a source whose own claims disagree (a list of values, a table) is ambiguous and takes
      no part in the verdict. One article or one outlet never agrees or disagrees with
      itself.
    - conflict: two sources whose intervals do not overlap.
    - corroborated: two or more sources, every interval overlapping every other.
    - single: otherwise.
    - evolving: a conflict in which every source has a publication date, no two sources of
      one date disagree, and the values only move one way as dates advance (a toll rising
      as reports came in); `latest` is then the newest source's value. Ages are
      evolving as they rise with time, dated or a few years apart (see xref_judge). */
#ifndef CC_XREF_H
#define CC_XREF_H

#include "frame.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *source;       /* independent source key (never NULL) */
    const char *published;    /* "YYYY-MM-DD", or NULL/"" when unknown */
    double value;
    frame_interval_t iv;
    uint64_t copy;            /* frame_copy_hash of its sentence, 0 when unknown */
} xref_claim_t;

typedef struct {
    const char *status;       /* "single", "corroborated" or "conflict" (static) */
    uint32_t sources;         /* distinct source keys */
    uint32_t agreeing;        /* sources that take part (not ambiguous) */
    bool evolving;
    bool has_latest;
    double latest;
} xref_verdict_t;

/* What kind of fact a frame key names, for xref_judge: */
#define XREF_WEAK  1u   /* frame_weak: may be corroborated, never a conflict */
#define XREF_AGE   2u   /* a person's age: it only rises as time passes */
/* The XREF_* flags of a frame key. This function can't fail. */
unsigned xref_flags(const char *frame);

/* Judges the n claims of one fact. `c` must be sorted by source (strcmp); `scratch`
   must hold n entries and is overwritten. `flags` are xref_flags() of its frame: a
   XREF_WEAK fact whose sources disagree is "single", not "conflict": too little says it
   is one fact; a XREF_AGE conflict is evolving when the ages rise with the dates, or,
   with an undated report, when every two that disagree are two years apart or more (the
   highest is then the latest). This function can't fail. */
void xref_judge(const xref_claim_t *c, size_t n, unsigned flags, xref_claim_t *scratch,
                xref_verdict_t *out);

/* The number of sources among the n claims (sorted by source) once copies are joined,
   and in group[i] (n entries) the index of claim i's joined source. Used by xref_judge;
   public for its tests. This function can't fail. */
size_t xref_sources(const xref_claim_t *c, size_t n, uint32_t *group);

/* The source key of a claim of an article from `outlet` (may be empty) that credits the
   wire services `wire` (n_wire of them), written into out (cap bytes): "wire:<first>",
   else the outlet, else `article`. Returns out. */
const char *xref_source(char *out, size_t cap, const char *outlet, char *const *wire,
                        size_t n_wire, const char *article);

#endif
