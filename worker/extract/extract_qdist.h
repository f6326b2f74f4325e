/*  extract_qdist: distances and speeds. "150 nautical miles off Aden", "15 miles north of
    Detroit" (what "distance", the anchor place as its scope), "within 80 metres of
    the hut" (an upper bound, whose the anchor noun), "dragging her 10 feet" (what the
    verb's stem), "120 mph" (what "speed"). Speeds and distances from a place are weak
    frames (pclass "count", no owner): they corroborate, never conflict, since one story
    may give a top speed and an average, or several legs of a chase. */
#ifndef CC_EXTRACT_QDIST_H
#define CC_EXTRACT_QDIST_H

#include "extract_internal.h"
#include "extract_qclaim.h"

/* Fills what, whose, pclass and subject of claim cl whose number starts at q0 (its
   first qualifying token) and whose unit (a frame unit name) ends before token k, when
   the unit is a distance or a speed and the sentence [s0, s1) says what it measures.
   May tighten cl->bound ("within"). Sets *after past the words it read. Returns true
   when it did, false (cl untouched) otherwise. */
bool extract_qdist_claim(const xctx_t *c, const char *unit, size_t q0, size_t k, size_t s0,
                         size_t s1, extract_qclaim_t *cl, size_t *after);

#endif
