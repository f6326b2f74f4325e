/*  extract_qclaim: a quantity claim as it is built, and the slots every claim shares once
    its number, unit, what and predicate are known: place or venue (scope), date, the
    period a figure covers, and whether it is a total; then its frame key, pushed onto
    the article's claims. */
#ifndef CC_EXTRACT_QCLAIM_H
#define CC_EXTRACT_QCLAIM_H

#include "extract_internal.h"
#include "frame.h"
#include "extract_date.h"

/* A claim as it is built: the frame slots and what the old fields still say. */
typedef struct {
    double value;
    frame_bound_t bound;
    bool vague;
    size_t n0, n1;            /* the number's tokens, for its span */
    const char *unit;         /* "" for a count */
    char what[96];
    char whose[96];
    const char *pclass;
    char scope[104];
    char period[64];
    const char *place;        /* s_place's answer, or NULL */
    const extract_date_t *date;
    bool total, year;
    char subject[128];
    char anchor[96];          /* the place a distance is measured from: the scope,
                                 whatever place the sentence names ("" when none) */
    const char *rate;         /* the period when the text names none ("averaged 15.9
                                 points": "per game"), or NULL */
} extract_qclaim_t;

/* Pushes the built claim onto c->qty: its interval, spans, slots and frame key. */
void extract_qclaim_push(xctx_t *c, const extract_qclaim_t *cl, size_t s0, size_t s1);

/* Finishes the slots every claim shares (place and venue, date, period) and pushes it. */
void extract_qclaim_finish(xctx_t *c, extract_qclaim_t *cl, size_t s0, size_t s1, size_t after,
                     const extract_date_t *dates, int nd);

#endif
