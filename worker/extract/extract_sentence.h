/*  extract_sentence: sentence boundaries and quotation regions over the token stream.

    Sentences never cross a paragraph (a newline) and survive abbreviations and initials
    ("Feb. 3", "Gen. Smith", "U.S. officials", "J. R. Smith"). A quotation region runs from
    an opening mark to its closing mark, and across paragraphs in the newspaper way (a
    paragraph that ends inside a quote and a next paragraph that opens with a mark). */
#ifndef CC_EXTRACT_SENTENCE_H
#define CC_EXTRACT_SENTENCE_H

#include "extract_internal.h"

/* Fills c->sent and sets each token's sent index. Can't fail. */
void extract_sentence_split(xctx_t *c);

/* Fills c->quote, sets TK_QOPEN/TK_QCLOSE and each token's quote index. Can't fail. */
void extract_sentence_quotes(xctx_t *c);

/* True when folded word `f` is an abbreviation that a period does not end a sentence
   after when followed by `next` (folded). */
bool extract_sentence_is_abbrev(const char *f, const char *next);

#endif
