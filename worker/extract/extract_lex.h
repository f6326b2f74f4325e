/*  extract_lex: the extractor's word classes, looked up once per token.

    The rules of every module test folded words against lists (titles, organization words,
    number words, months, predicates...). Testing each list with strcmp at each use was
    about half of the extractor's time. Instead, each module registers its lists here once
    per process, the tokenizer probes one hash table per token (with the hash it computes
    anyway), and the token carries the union of its classes as bits (xtok_t.wc) and the
    index of its entry (xtok_t.lex) for values such as a number word's value or a month.

    The table is built once (pthread_once) by extract_lex_init and read-only afterwards,
    so any number of extract_t in any number of threads share it. */
#ifndef CC_EXTRACT_LEX_H
#define CC_EXTRACT_LEX_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Word classes (bits of xtok_t.wc and xlex_t.bits). The comment names the list's owner. */
#define WC_TITLE        (1ull << 0)   /* entity: a word of a personal title run */
#define WC_TITLE_HEAD   (1ull << 1)   /* entity: a word that makes a run a title */
#define WC_ORG          (1ull << 2)   /* entity: makes a capitalized run an organization */
#define WC_PLACE_WORD   (1ull << 3)   /* entity: "province", "city", "border" */
#define WC_PLACE_PREP   (1ull << 4)   /* entity: a preposition before a place name */
#define WC_PLACE_PREFIX (1ull << 5)   /* entity: "Port", "Lake", "Mount" start a place */
#define WC_STOP_CAP     (1ull << 6)   /* entity: capitalized but not a name on its own */
#define WC_CONNECTOR    (1ull << 7)   /* entity: "of", "for", "al" inside a name */
#define WC_PARTICLE     (1ull << 8)   /* entity: "al", "el", "bin" before a hyphen */
#define WC_MONTH        (1ull << 9)   /* date: month name or abbreviation (xlex_t.month) */
#define WC_WEEKDAY      (1ull << 10)  /* date: day of the week (xlex_t.wday) */
#define WC_DATE_START   (1ull << 11)  /* date: "early", "last", "yesterday", "this" ... */
#define WC_NUMWORD      (1ull << 12)  /* quantity: "seven", "twenty-one" (xlex_t.num) */
#define WC_SCALE        (1ull << 13)  /* quantity: "million", "bn" (xlex_t.scale) */
#define WC_VAGUE        (1ull << 14)  /* quantity: "dozen", "dozens", "hundreds" (num) */
#define WC_QPRED        (1ull << 15)  /* quantity: a predicate word (xlex_t.pred) */
#define WC_NP_END       (1ull << 16)  /* quantity: ends a counted noun phrase */
#define WC_APPROX       (1ull << 17)  /* quantity: "about", "nearly", "least" before N */
#define WC_EVENT        (1ull << 18)  /* quantity: an event with a year (xlex_t.event) */
#define WC_DURATION     (1ull << 19)  /* quantity: "weeks", "percent": not a count */
#define WC_QPLACE_PREP  (1ull << 20)  /* quantity: a preposition that places a fact */
#define WC_VESSEL       (1ull << 21)  /* entity: "ferry", "tanker": a craft's name follows */
#define WC_ABOARD       (1ull << 22)  /* entity: "aboard", "onboard" before a craft */
#define WC_SHIP_PREFIX  (1ull << 23)  /* entity: "MV", "HMS", "USS" start a ship's name */
#define WC_HUMAN        (1ull << 24)  /* quantity: people counted ("passengers", "crew") */
#define WC_MADE         (1ull << 25)  /* quantity: "built", "founded": a thing's year */
#define WC_UNIT         (1ull << 26)  /* unit: "metres", "gb", "dollars" (xlex_t.unit) */
#define WC_LABEL        (1ull << 27)  /* unit: "page", "route", "no.": a label number follows */
#define WC_CLOCK        (1ull << 28)  /* unit: "am", "p.m.", "gmt": a clock time before */
#define WC_STREET       (1ull << 29)  /* unit: "street", "avenue": an address before */
#define WC_KIN          (1ull << 30)  /* quantity: "son", "wife", "mother": a person follows */
#define WC_QLINK        (1ull << 31)  /* quantity: "rose", "reached", "stood": "X rose to N" */
#define WC_TIME_ZONE    (1ull << 32)  /* entity: "est", "ist", "gmt": a time zone, no name */
#define WC_PARTY_TAG    (1ull << 33)  /* entity: "r-utah", "d-calif", "i-vt", "r-n.h.": a
                                         party and state tag after a lawmaker, no name */
#define WC_HEAD_SMALL   (1ull << 35)  /* entity: "to", "by", "just", "is": capitalized inside
                                         a run, a headline's words, no name's */
#define WC_LAW          (1ull << 36)  /* entity: "act", "treaty": a law's or a pact's name
                                         ends with it */
#define WC_PLACE_SURNAME (1ull << 37) /* entity: "park", "bay": a place word, a surname too */
#define WC_COMPANY      (1ull << 38)  /* entity: "industries", "consulting": ends a
                                         company's name, names nothing alone */
#define WC_PARTY        (1ull << 34)  /* entity: "republican", "democrats": a party's member
                                         or members, no name */

/* One word of the lexicon. */
typedef struct {
    const char *w;            /* folded form */
    uint32_t hash;            /* extract_hash of w */
    uint64_t bits;            /* WC_* */
    int32_t num;              /* value of a WC_NUMWORD or WC_VAGUE word */
    uint8_t scale;            /* power of ten of a WC_SCALE word */
    uint8_t month;            /* 1-12 for WC_MONTH */
    uint8_t wday;             /* 0 Monday .. 6 Sunday for WC_WEEKDAY */
    uint8_t pred;             /* 1 + index into extract_quantity's predicates (WC_QPRED) */
    uint8_t event;            /* 1 + index into extract_quantity's events (WC_EVENT) */
    uint8_t unit;             /* 1 + index into extract_unit's units (WC_UNIT) */
} xlex_t;

/* Builds the table once per process: calls each module's registration. Cheap after the
   first call. Can't fail (out of memory aborts). */
void extract_lex_init(void);

/* For registration functions only (they run inside extract_lex_init, so they must not
   call extract_lex_init, extract_lex_find or extract_lex_bits): adds `w` (folded)
   with `bits`, or ors the bits into its entry when already there, and returns the entry
   so the caller can set its values. A full table (over 2047 words) aborts: the lists
   are static, so that is a build bug. */
xlex_t *extract_lex_add(const char *w, uint64_t bits);

/* Index of the entry for folded `f` whose extract_hash is `hash`, 0 when none. Needs
   extract_lex_init first. */
uint16_t extract_lex_index(const char *f, uint32_t hash);

/* Entry `index` (from extract_lex_index or xtok_t.lex); NULL for 0. */
const xlex_t *extract_lex_entry(uint16_t index);

/* Entry for folded `f` (hashes it; calls extract_lex_init), or NULL. */
const xlex_t *extract_lex_find(const char *f);

/* Classes of folded `f`, 0 when none (hashes it; calls extract_lex_init). */
uint64_t extract_lex_bits(const char *f);

#endif
