/*  extract_qnum: reading a number at a token, for the quantity claims. Digits ("2,100",
    "4.5", ".41"), number words ("seven", "twenty-one"), scales ("4 million", "two dozen"),
    vague amounts ("dozens", "tens of thousands"), and what a glued suffix says of them: a
    unit ("2,800mAh"), an ordinal ("81st"), or no claim at all ("11am", "1990s", "4G"). */
#ifndef CC_EXTRACT_QNUM_H
#define CC_EXTRACT_QNUM_H

#include "extract_internal.h"

/* A number as read at a token: its value, the tokens it spans and what the digits said
   about it on their own. */
typedef struct {
    double value;
    size_t nt;                /* tokens used (digits or words, scales) */
    bool vague;               /* "dozens", "tens of thousands" */
    bool dot;                 /* ".41": the leading period belongs to it */
    bool ordinal;             /* "81st" */
    bool notclaim;            /* "11am", "1990s", "4G": never a claim */
    const char *unit;         /* glued unit ("2,800mah" -> "mah"), or NULL */
    int ukind;                /* UNIT_* of unit */
    bool scaled;              /* a scale word or suffix came after the digits */
} extract_qnum_t;

/* Reads the number at token i within [i, end). `money` says a currency stands before it,
   so a glued or spaced "m" is million, not metres. Returns tokens used (0: none). */
size_t extract_qnum_read(const xctx_t *c, size_t i, size_t end, bool money, extract_qnum_t *n);

#endif
