/*  extract_qphrase: the words around a number that say what it counts and what happened
    to it. The bound before it ("at least", "about"), the counted noun phrase after it, the
    noun a link ties to it ("the death toll rose to 40"), its predicate, and its owner (a
    possessive, a demonym, the clause's subject). */
#ifndef CC_EXTRACT_QPHRASE_H
#define CC_EXTRACT_QPHRASE_H

#include "extract_internal.h"
#include "frame.h"

/* How the words before token b (the number, or the currency before it) qualify it:
   "about", "at least", "more than", "up to", "as many as", "nearly". Sets *q0 to the first
   qualifying token (b when none). */
frame_bound_t extract_qphrase_bound(const xctx_t *c, size_t b, size_t s0, size_t *q0);

/* Reads the counted noun phrase at token k, at most four words: the folded words without a
   country demonym into core, every word into subject, the demonym's country into *owner
   and a predicate that follows the head inside it ("sailors killed") into *pred. Returns
   the token after the phrase. */
size_t extract_qphrase_np(const xctx_t *c, size_t k, size_t s1, bool unit, char *core, size_t ccap,
                   char *subject, size_t scap, const char **owner, const char **pred);

/* The noun that link words tie to the number at token b: "the death toll rose to 40", "a
   depth of 10 km", "a blood alcohol level of .41", "revenue rose 5%". Writes its folded
   words (at most three, lower case) into out and a predicate word among them ("toll",
   "dead") into *pred. Returns true when found. */
bool extract_qphrase_left_noun(const xctx_t *c, size_t b, size_t s0, char *out, size_t cap,
                        const char **pred);

/* The owner a possessive before token b gives: "the phone's 2GB", "Turkey's 12 posts".
   Writes an entity key (a country as "loc:<country>") or the folded noun. */
bool extract_qphrase_possessive(const xctx_t *c, size_t b, size_t s0, char *out, size_t cap);

/* The predicate of a count at number tokens [i, i + nt) whose noun phrase ends at sub1:
   a predicate inside the phrase, else a verb right before the number ("killing 129
   people and wounding 352"), else one to the right of the phrase up to the next clause,
   else one to the left. Sets *l0 to where a left predicate was found. */
const char *extract_qphrase_count_pred(const xctx_t *c, const char *in_np, size_t q0, size_t sub1,
                                size_t s0, size_t s1, bool human, size_t *l0);

/* The owner of "Turkey has 12 observation posts": the clause's subject right before the
   verb at l0, a country, a person, or for "have" any named thing. */
bool extract_qphrase_subject_owner(const xctx_t *c, size_t l0, size_t s0, char *out, size_t cap,
                            bool have);

#endif
