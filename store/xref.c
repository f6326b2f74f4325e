/*  xref: the verdict on one fact's claims (see xref.h). */
#include "xref.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *xref_source(char *out, size_t cap, const char *outlet, char *const *wire,
                        size_t n_wire, const char *article)
{
    if (n_wire && wire && wire[0] && wire[0][0])
        snprintf(out, cap, "wire:%s", wire[0]);
    else if (outlet && outlet[0])
        snprintf(out, cap, "%s", outlet);
    else
        snprintf(out, cap, "%s", article ? article : "");
    return out;
}

static bool s_dated(const char *d)
{
    return d && d[0];
}

static int s_date_cmp(const void *a, const void *b)
{
    const xref_claim_t *x = a, *y = b;
    return strcmp(x->published, y->published);
}

/* The intersection of a and b into *a; false when they don't meet. */
static bool s_meet(frame_interval_t *a, const frame_interval_t *b)
{
    if (!frame_overlap(a, b))
        return false;
    if (a->open_low || (!b->open_low && b->low > a->low)) {
        a->low = b->low;
        a->open_low = b->open_low;
    }
    if (a->open_high || (!b->open_high && b->high < a->high)) {
        a->high = b->high;
        a->open_high = b->open_high;
    }
    return true;
}

void xref_judge(const xref_claim_t *c, size_t n, bool weak, xref_claim_t *scratch,
                xref_verdict_t *out)
{
    memset(out, 0, sizeof *out);
    out->status = "single";
    /* one entry per consistent source: its intersected interval, its newest date */
    size_t m = 0;
    for (size_t i = 0, j; i < n; i = j) {
        xref_claim_t s = c[i];
        bool ok = true, dated = s_dated(s.published);
        for (j = i + 1; j < n && strcmp(c[j].source, c[i].source) == 0; j++) {
            ok = ok && s_meet(&s.iv, &c[j].iv);
            dated = dated && s_dated(c[j].published);
            if (dated && strcmp(c[j].published, s.published) > 0) {
                s.published = c[j].published;
                s.value = c[j].value;
            }
        }
        out->sources++;
        if (!ok)
            continue;
        if (!dated)
            s.published = NULL;
        scratch[m++] = s;
    }
    out->agreeing = (uint32_t)m;
    if (m < 2)
        return;
    /* intervals on a line overlap pairwise exactly when the one that starts last meets
       the one that ends first */
    size_t lo = 0, hi = 0;
    for (size_t i = 1; i < m; i++) {
        const frame_interval_t *v = &scratch[i].iv;
        if (!v->open_low && (scratch[lo].iv.open_low || v->low > scratch[lo].iv.low))
            lo = i;
        if (!v->open_high && (scratch[hi].iv.open_high || v->high < scratch[hi].iv.high))
            hi = i;
    }
    bool conflict = !frame_overlap(&scratch[lo].iv, &scratch[hi].iv);
    if (!conflict) {
        out->status = "corroborated";
        return;
    }
    if (weak)
        return;
    out->status = "conflict";
    for (size_t i = 0; i < m; i++)
        if (!scratch[i].published)
            return;
    qsort(scratch, m, sizeof *scratch, s_date_cmp);
    int dir = 0;
    for (size_t i = 1; i < m; i++) {
        const xref_claim_t *a = &scratch[i - 1], *b = &scratch[i];
        bool same_day = strcmp(a->published, b->published) == 0;
        if (frame_overlap(&a->iv, &b->iv))
            continue;
        if (same_day)
            return;   /* two reports of one day disagree: a contradiction */
        int d = b->value > a->value ? 1 : -1;
        if (dir && d != dir)
            return;
        dir = d;
    }
    if (!dir)
        return;
    out->evolving = true;
    out->has_latest = true;
    out->latest = scratch[m - 1].value;
}
