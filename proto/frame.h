/*  frame: the grammar of a quantity claim's frame, the one place where the extractor (which
    builds frames) and the store (which compares them) agree on what a fact is.

    A frame is a value interval plus normalized slots:
        unit   what the number measures: "" for a count of things (people, posts), else one
               of the FRAME_UNIT_* names below (money, percent, measures, years of age);
        what   what is counted, head noun lemmatized with its modifiers, synonyms folded
               ("people", "turkish soldier", "age", "observation post");
        whose  the owner or anchor (an entity key or a noun: "per:hugh jackman");
        pclass the predicate class ("killed", "wounded", "have", "count", ...);
        scope  the place or venue, with a "part:" prefix when the figure is for a part
               (one venue) rather than the whole;
        period the time or period the figure covers ("2009-02", "2009", "" when unknown).
    Two claims of one story report the same fact when all six slots are equal, which
    frame_key() turns into one string: "f|unit|what|whose|pclass|scope|period". Values are
    then compared as intervals: claims whose intervals overlap agree.

    Pure functions, no allocation beyond the caller's buffers; both sides link it. */
#ifndef CC_FRAME_H
#define CC_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Relative tolerance of "about v", "around v", "some v": [v(1-t), v(1+t)]. */
#define FRAME_ABOUT_TOL   0.05
/* Relative tolerance of "nearly v", "almost v": [v(1-t), v]. */
#define FRAME_NEARLY_TOL  0.10
/* Longest frame key (with its NUL); longer slots are cut. */
#define FRAME_KEY_MAX     256

/* Units. A count of things has unit "". */
#define FRAME_UNIT_YEAR_AGE  "age"      /* a person's or thing's age in years */
#define FRAME_UNIT_PERCENT   "percent"

/* A value interval. open_low/open_high mark a missing bound ("more than 400": high open). */
typedef struct {
    double low, high;
    bool open_low, open_high;
} frame_interval_t;

/* How a number was qualified in the text. */
typedef enum {
    FRAME_EXACT = 0,    /* "seven" */
    FRAME_ABOUT,        /* "about 150", "some 700", "around 60" */
    FRAME_ATLEAST,      /* "at least 56", "more than 400", "over 1,000" */
    FRAME_UPTO,         /* "up to 40", "fewer than 20", "less than" */
    FRAME_NEARLY,       /* "nearly 100", "almost 50" */
} frame_bound_t;

/* The interval of value `v` qualified by `b`. This function can't fail. */
frame_interval_t frame_interval(double v, frame_bound_t b);

/* The interval of a vague amount given by its order of magnitude: "dozens" (lo 24),
   "hundreds" (200), "thousands" (2000), "tens of thousands" (20000), "millions":
   [lo, 10 * magnitude) where magnitude is the power of ten at or below lo. */
frame_interval_t frame_vague(double lo);

/* True when the two intervals share at least one value. */
bool frame_overlap(const frame_interval_t *a, const frame_interval_t *b);

/* Writes the frame key of the slots (each may be NULL for "") into out (cap bytes, at
   most FRAME_KEY_MAX is useful). '|' and control bytes inside a slot become spaces.
   Returns the length written. cap must be > 0. */
size_t frame_key(char *out, size_t cap, const char *unit, const char *what, const char *whose,
                 const char *pclass, const char *scope, const char *period);

/* Splits a frame key into its six slots (in key order: unit, what, whose, pclass, scope,
   period), copying into buf (cap bytes) and pointing slots[] into it. Returns 0, or -1
   when `key` is not a frame key. */
int frame_parse(const char *key, char *buf, size_t cap, const char *slots[6]);

/* True when the frame says too little to tell two facts apart: its predicate only counts
   or has ("f||game|per:bush|count||", "f||passenger||have||"). "Two games" and "eight
   games", "22 carries" and "nine carries", "23 points" and "2,129 points" in one story are
   as likely two facts (two games, two seasons, a game and a career) as one; an event's
   predicate (killed, wounded, arrested, destroyed, won...) or a measure (an age, a
   price) ties the number to one happening. The store lets such a fact be corroborated by
   equal values but never calls it a conflict. */
bool frame_weak(const char *key);

/* Copies. Two claims whose sentences differ in at most FRAME_COPY_BITS bits of their
   copy hashes are one sentence, lightly edited at most: a copy of one story (a wire
   dispatch republished, one outlet's text reused by another), so one source. Sentences
   of fewer than FRAME_COPY_WORDS words get hash 0 ("unknown"): short ones ("Three people
   died.") are written alike by chance. */
#define FRAME_COPY_BITS   7    /* one word changed in twenty moves about 6 bits; two
                                   unrelated sentences differ in about 32 */
#define FRAME_COPY_WORDS  8

/* The 64-bit SimHash of a sentence's word pairs (ASCII letters and digits folded to
   lower case; other bytes kept), or 0 when it has fewer than FRAME_COPY_WORDS words.
   This function can't fail. */
uint64_t frame_copy_hash(const char *sentence);

/* True when two copy hashes (neither 0) say one sentence. */
bool frame_is_copy(uint64_t a, uint64_t b);

#endif
