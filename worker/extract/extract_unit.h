/*  extract_unit: what a number measures, in the names a claim frame uses (proto/frame.h).

    Spellings fold to one name so that differently worded articles meet: "metres",
    "meters", "metre" and a glued "150m" are "m"; "per cent", "percent" and "%" are
    "percent"; "$", "US$", "dollars" are "usd". Units are never converted ("60 feet" stays
    "ft"): a figure given in feet and one in metres are compared by no one, which is the
    precise choice. The module also knows the words that make a number no claim at all:
    clock suffixes ("11am", "9 p.m."), labels ("page 4", "Route 66", "No. 1") and street
    words ("1600 Pennsylvania Avenue"). */
#ifndef CC_EXTRACT_UNIT_H
#define CC_EXTRACT_UNIT_H

#include "extract_internal.h"

/* Kinds of unit, for the rules that treat them differently. */
#define UNIT_MEASURE   1   /* km, inch, gb, mah, magnitude... */
#define UNIT_MONEY     2   /* usd, eur, gbp... */
#define UNIT_PERCENT   3

/* Registers the unit, label and clock words with extract_lex (WC_UNIT, WC_LABEL,
   WC_CLOCK, WC_STREET). Called once by extract_lex_init. */
void extract_unit_lex(void);

/* The unit named by the words at token k ("metres", "per cent", "square feet",
   "nautical miles", "%"), or NULL. Sets *nt to the tokens used and *kind to UNIT_*.
   `after_scale` says a scale word ("million") came just before, so "pounds" is money
   ("3 million pounds") rather than weight. */
const char *extract_unit_at(const xctx_t *c, size_t k, bool after_scale, size_t *nt, int *kind);

/* The unit of a suffix glued to digits ("mah" of "2,800mah", "gb", "km"), or NULL. The
   scale suffixes ("bn", "m" as million) are not units: see extract_unit_scale. */
const char *extract_unit_suffix(const char *suffix, int *kind);

/* Power of ten of a glued scale suffix ("bn" 9, "m" 6, "k" 3, "mln" 6), or 0. */
int extract_unit_scale(const char *suffix);

/* The currency of the symbol or code at token k ("$", "€", "£", "¥", "us$", "rs"), or
   NULL. Sets *nt to the tokens used (2 for "US" "$"). */
const char *extract_unit_currency(const xctx_t *c, size_t k, size_t *nt);

/* The currency token ending right before token i, with its first token in *t0, or NULL. */
const char *extract_unit_currency_before(const xctx_t *c, size_t i, size_t lo, size_t *t0);

#endif

/* True when the number at token i (sentence [s0, s1)) is no claim by its form or its
   neighbours: a clock time ("9:25", "11 p.m."), a ratio or score ("16:9", "3-1"), a
   season span ("1989-90"), a phone number, a label ("page 4", "No. 1", "Route 66"), a
   name or model number ("Android 4.4", "iPhone 5", "Boeing 737", "Apollo 11") or a street
   address ("10 Downing Street"). `glued_unit` says a unit was glued to the digits
   ("2GB"), which a name before does not make a model number ("the Galaxy's 2GB"). */
bool extract_unit_not_claim(const xctx_t *c, size_t i, size_t s0, size_t s1);
