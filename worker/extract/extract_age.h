/*  extract_age: a person's age and whose it is.

    The forms are "Jackman, 40,", "Jackman (40)", "the 40-year-old actor", "the 40-year-old
    Jackman", "aged 40", "at the age of 40" and "40 years old". The owner is written the
    way two articles can meet on: "per:" and the person's folded surname (the last word of
    the entity key), since articles spell first names differently ("Raj Chohan", "Raj K.
    Chohan"). An age on a generic noun ("a 59-year-old woman") goes to the one person the
    article makes clear it is (in apposition: "Raj Chohan, a 59-year-old grandmother";
    "the 59-year-old Chohan"; an indefinite noun with exactly one person named in the same
    sentence after it or in the next; a definite one opening its sentence with exactly one
    person in the sentence before), else it stays the noun ("woman", "driver"). */
#ifndef CC_EXTRACT_AGE_H
#define CC_EXTRACT_AGE_H

#include "extract_internal.h"

/* Reads an age at the number at token i, which spans [i, i + nt) in sentence [s0, s1).
   Returns the first token after the age form (> i) and writes the owner into whose (cap
   bytes, "" when unknown), or 0 when the number is no age. Never returns an age form
   whose owner is unknown with a nonzero result and an empty `whose`: it returns 0. */
size_t extract_age_at(const xctx_t *c, size_t i, size_t nt, size_t s0, size_t s1, char *whose,
                      size_t cap);

/* Writes the owner slot of entity e into out: "per:<surname>" for a person, the entity key
   otherwise. Returns the length. */
size_t extract_age_owner(const xctx_t *c, int e, char *out, size_t cap);

/* True when the number at token i (nt tokens, sentence from s0) stands in an age form
   ("40-year-old", "40 years old", "aged 40", "at the age of 40", "died at 77"), whoever's
   age it is: such a number is never a count. */
bool extract_age_form(const xctx_t *c, size_t i, size_t nt, size_t s0);

#endif
