/*  extract_qdur: durations as claims. "negotiated for two hours", "a four-day ski tour",
    "the 15-minute chase", "four days after he was fired", "spent 19 seasons with the
    team". The unit is the duration's ("hour", "minute", "day", "night", "week", "month",
    "season", "year-duration": distinct from the "year" of an event), what is what lasted,
    stemmed so that noun and verb meet ("negotiations" = "negotiated" = "negotiat"), and
    the predicate is "lasted". A duration with no clear what (a noun it measures, a listed
    verb of an activity, the event it follows) or, for a person's span, no owner, is no
    claim. */
#ifndef CC_EXTRACT_QDUR_H
#define CC_EXTRACT_QDUR_H

#include "extract_internal.h"
#include "extract_date.h"

/* Tries a duration at the number at token i (nt tokens, from the first qualifying token
   q0) in sentence [s0, s1). When it is a duration it returns the first token after it,
   having pushed its claim (or none for a role within a span: "spent four seasons as
   director" is no fact of the whole); else returns 0. A token "four-day" (one hyphenated word) is read
   with nt = 1. */
size_t extract_qdur_claim(xctx_t *c, size_t i, size_t nt, size_t q0, size_t s0, size_t s1,
                          const extract_date_t *dates, int nd);

/* The duration unit of the folded word f ("hours" -> "hour"), or NULL. */
const char *extract_qdur_unit(const char *f);

#endif
