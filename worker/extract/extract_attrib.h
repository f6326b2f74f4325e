/*  extract_attrib: attributions in the PolNeAR sense: who (source) is reported through
    which cue (a verb of saying or thinking, "according to", a headline colon) to have said
    or held what (content), and to whom (addressee), for direct quotes and indirect speech.

    Patterns, over sentences and quotation regions:
        "Q," X said.   "Q," said X.   X said: "Q"   X said (that) C.   C, X said.
        According to X, C.   C, according to X.   X told Y (that) C.   ..., adding C.
        C, she says, D.   X endorsed Y (the object).   X spoke about C.   X made clear C.
        X's claim that C.   C was reported by X.   In a poll ..., C.   NAME: C (transcripts).
    A pronoun or role speaker ("he", "the minister") gets the entity of the last named
    person speaker. Appositions ("Hugh Hill, a doctor, said") keep the name as speaker.
    PolNeAR gives each token to one attribution, so a cue inside another's content is
    dropped, unless it opens a clause of its own, which then ends the outer content. */
#ifndef CC_EXTRACT_ATTRIB_H
#define CC_EXTRACT_ATTRIB_H

#include "extract_internal.h"

/* Cue classes. */
#define ATTRIB_CUE_NONE   0
#define ATTRIB_CUE_VERB   1   /* finite verb of saying/thinking: said, says, warned */
#define ATTRIB_CUE_PART   2   /* participle after a main clause: saying, adding */
#define ATTRIB_CUE_TELL   3   /* takes an addressee: told, urged, asked */
#define ATTRIB_CUE_ACCORD 4   /* "according" (with "to") */

/* Builds the cue table once per process; extract_new calls it. Can't fail. */
void extract_attrib_init(void);

/* Class of a folded word as a cue. */
int extract_attrib_cue_class(const char *f);

/* Finds attributions into c->attr. Needs tokens, sentences, quotes and entities.
   Can't fail. */
void extract_attrib_find(xctx_t *c);

#endif
