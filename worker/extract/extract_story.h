/*  extract_story: what an article is about, as weighted terms the store compares to put
    articles about one real-world event into one story; and the wire services it credits.

    Terms (weights sum to 1, heaviest first, at most EXTRACT_STORY_TERMS):
        "e:<name>"  an entity, by the last word of its key ("e:jackman"), so that spellings
                    of one name in different articles meet; weighted by mentions, three
                    times in the title, twice in the lede;
        "y:<year>"  a year the text names;
        "w:<word>"  a content word of the title or lede.
    Not part of the public contract beyond extract_result_t.terms and .wire. */
#ifndef CC_EXTRACT_STORY_H
#define CC_EXTRACT_STORY_H

#include "extract_internal.h"

#define EXTRACT_STORY_TERMS 24

/* Fills out->terms/n_terms and out->wire/n_wire from the run's tokens and entities
   (arena memory). This function can't fail. */
void extract_story_terms(xctx_t *c, extract_result_t *out);

#endif
