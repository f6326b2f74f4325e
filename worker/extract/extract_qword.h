/*  extract_qword: the words of quantity claims. The predicate table (killed = dead = died =
    death toll), events and their years ("deal" agreed, "war" began), the lists of words
    that end a counted noun phrase, durations, person nouns, kin, links and past tenses,
    their registration with extract_lex, and the lemmas of head nouns. */
#ifndef CC_EXTRACT_QWORD_H
#define CC_EXTRACT_QWORD_H

#include "extract_internal.h"

/* Normalized predicate for a folded word ("died" -> "killed"), or NULL. */
const char *extract_qword_predicate(const char *f);

/* Normalized predicate of token q, or NULL. */
const char *extract_qword_pred_tok(const xctx_t *c, size_t q);

/* The event name ("deal", "war") and the predicate of its year ("agreed", "began") of
   the s_events index ev that extract_qword_event gave. */
const char *extract_qword_event_name(int ev);
const char *extract_qword_event_pred(int ev);

/* The predicate of token q for a count whose head is (`human`) or is not a person noun:
   only people are aboard, and "carried out" is no carrying. */
const char *extract_qword_qpred(const xctx_t *c, size_t q, bool human);

/* Predicate that a singular head noun names by itself ("survivor" -> "survived"), or
   NULL. Not "lives": "saved 50 lives" is no death toll. */
const char *extract_qword_head_pred(const char *head);

/* Index into s_events of token k, -1 when none. */
int extract_qword_event(const xctx_t *c, size_t k);

/* Registers the quantity words (number words, scales, predicates, events, noun phrase
   ends...) with extract_lex. Called once, by extract_quantity_lex. */
void extract_qword_lex(void);

/* Predicate of a WC_MADE word ("constructed" -> "built"). */
const char *extract_qword_made_pred(const char *f);

/* Strips a plural "s" from a head noun for the key ("posts" -> "post"). */
void extract_qword_singular(char *w);

/* Appends word w to buf (cap bytes), after a space when buf is not empty. */
void extract_qword_append(char *buf, size_t cap, const char *w);

/* Country of token i when it is a demonym or country mention, or NULL. */
const char *extract_qword_country(const xctx_t *c, size_t i, bool *demonym);

/* Predicates that count people: a number with no noun after it counts people when one of
   these says what happened to them ("352 were injured", "wounding 352"). */
bool extract_qword_human_pred(const char *p);

/* True when folded word w reads as a plural noun. */
bool extract_qword_plural(const char *w);

/* Singular of a head noun: the regular plural rule and the irregular ones news uses. */
void extract_qword_lemma(char *w);

/* True when predicate word k is a noun ("death", "toll", "casualties"): beside a count
   it names another thing ("the death sentence") unless it is the count's own head. */
bool extract_qword_noun_pred(const xctx_t *c, size_t k);

/* True when a verb of watching follows token k within three words of its clause ("people
   tuning in", "who watched"): the counted people are an audience. */
bool extract_qword_viewing(const xctx_t *c, size_t k, size_t s1);

/* True when folded f is a parent noun: "a mother of 12" counts her children. */
bool extract_qword_parent(const char *f);

/* True when folded noun f (plural or singular) is a figure of play that belongs to a
   player or a team ("points", "rebounds", "touchdowns", "punches"): such a claim needs
   its owner, or different players' figures would merge. */
bool extract_qword_stat(const char *f);

/* True when folded noun f names an agreed sum ("contract", "deal", "extension"): money
   on any of them is one fact, the contract, of its owner. */
bool extract_qword_contract(const char *f);

#endif
