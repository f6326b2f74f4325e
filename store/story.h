/*  story: whether two articles are about one real-world event, from the weighted terms
    the worker extracts (worker/extract/extract_story.h). Pure logic, no LMDB.

    The decision is made per pair and depends only on the two articles, so stories, the
    connected components of the "same event" relation, come out the same whatever order
    the articles arrive in. Two articles are linked when the weights their terms share add
    up to STORY_LINK or more (each article's weights sum to 1), they share at least one
    entity and at least STORY_SHARED of their STORY_PROBE heaviest terms, and, when both
    have a publication date, the dates are at most STORY_DAYS apart, which also bounds a
    story in time. The store finds candidates through an index of each article's
    STORY_PROBE heaviest terms and reads at most STORY_POSTINGS articles per term, so a
    term that thousands of articles share finds none beyond those: the result is exact
    while no probe term has more articles than that. */
#ifndef CC_STORY_H
#define CC_STORY_H

#include <stdbool.h>
#include <stddef.h>

#define STORY_LINK      0.30   /* shared weight that links two articles */
#define STORY_DAYS      10     /* at most this many days between linked articles */
#define STORY_PROBE     8      /* an article's heaviest terms looked up for candidates */
/* Candidates read per term at most. The same articles give the same stories in any order
   only while no probe term's list is longer than this: past it, which articles a new one
   sees depends on which came before (the fault tests' 2,000 articles hold a word in 1,158
   of them; with 1,000 a store killed mid-commit and redelivered in another order made
   other stories). Longer lists cost more per merge (make bench, shared N). */
#define STORY_POSTINGS  4000
#define STORY_SHARED    2      /* probe terms two linked articles share at least */
#define STORY_CLOSE     0.40   /* shared weight of two reports a conflict may stand on */

typedef struct {
    const char *term;
    float weight;
} story_term_t;

/* The shared weight of two term lists (any order; small lists). This can't fail. */
double story_overlap(const story_term_t *a, size_t na, const story_term_t *b, size_t nb);

/* True when the articles (terms and "YYYY-MM-DD" dates or NULL/"") are linked. */
bool story_linked(const story_term_t *a, size_t na, const char *date_a,
                  const story_term_t *b, size_t nb, const char *date_b);

/* True when two articles are close: each about the event the other is about, on their
   own (STORY_SHARED of their STORY_PROBE heaviest terms shared, an entity shared, shared
   weight at least STORY_CLOSE, dates as story_linked), not only through other articles of
   their story. A conflict is told only between two close reports: a story joined
   through a chain of articles may hold two events of one kind (two quakes in one place
   years apart), and their figures disagree without contradicting each other. The term
   lists must be heaviest first. */
bool story_close(const story_term_t *a, size_t na, const char *date_a,
                 const story_term_t *b, size_t nb, const char *date_b);

/* Days from 1970-01-01 of "YYYY-MM-DD", or -1 when it is not one. */
long story_days(const char *date);

#endif
