/*  extract_qyear: year claims and the craft a claim is about. The year of an event ("since
    the civil war began in 2011", "a 2018 deal") or of a thing's making ("the ferry, built
    in 1987"), and the craft people are aboard ("112 people aboard the Northern Star"). */
#ifndef CC_EXTRACT_QYEAR_H
#define CC_EXTRACT_QYEAR_H

#include "extract_internal.h"

/* The craft people are aboard: named or meant ("the ferry") after the count ("aboard
   the Northern Star") or as the clause's subject before it ("the Northern Star had 112
   people on board"). Entity index or -1. */
int extract_qyear_aboard_craft(const xctx_t *c, size_t s0, size_t i, size_t sub1, size_t s1);

/* Year of an event: "since the civil war began in 2011", "a 2018 deal". */
bool extract_qyear_claim(xctx_t *c, size_t i, size_t s0, size_t s1, int year);

#endif
