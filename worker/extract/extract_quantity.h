/*  extract_quantity: numeric claims. A value (digits, words, "4 million", "dozens"), what
    is counted ("turkish soldiers"), a normalized predicate (killed = dead = died = death
    toll), place and time, and the year of an event ("since the civil war began in 2011",
    "a 2018 deal"), each with a claim key.

    Key design: two claims share a key when they report the same fact. The key is
        q|<predicate>|<owner> <counted head>|<place>|<time bucket>[|total]
    with folded tokens: the owner is a country taken from a demonym or from the clause's
    subject ("Turkey has 12 posts" = "12 Turkish posts"); the place is a named place the
    sentence puts the fact in (never a demonym); the time bucket is the resolved month of
    the event, left out when it can't be resolved (an unresolved "Friday" can't be compared
    across articles); a total over a period ("in February alone") is marked so it never
    meets the count of one event. Year claims use y|<event>|<predicate>. */
#ifndef CC_EXTRACT_QUANTITY_H
#define CC_EXTRACT_QUANTITY_H

#include "extract_internal.h"

/* Reads a number at token i: digits ("2,100", "4.5"), words ("seven", "twenty-one"),
   with a scale ("4 million"), or a vague amount ("dozens" -> 24, approx). Returns the
   number of tokens used (0 when none) and sets *value and *approx. */
size_t extract_quantity_number(const xctx_t *c, size_t i, size_t end, double *value, bool *approx);

/* Normalized predicate for a folded word ("died" -> "killed"), or NULL. */
const char *extract_quantity_predicate(const char *f);

/* Registers the quantity words (number words, scales, predicates, events, noun phrase
   ends...) with extract_lex. Called once by extract_lex_init. */
void extract_quantity_lex(void);

/* Finds quantity claims into c->qty. Needs tokens, sentences and entities. Can't fail. */
void extract_quantity_find(xctx_t *c);

#endif
