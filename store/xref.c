/*  xref: the verdict on one fact's claims (see xref.h). */
#include "xref.h"

#include <stdint.h>
#include <stdio.h>
#include <math.h>
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

typedef struct {
    uint8_t block;
    uint32_t idx;
} s_band_t;

static int s_band_cmp(const void *a, const void *b)
{
    const s_band_t *x = a, *y = b;
    if (x->block != y->block)
        return x->block < y->block ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static uint32_t s_find(uint32_t *p, uint32_t i)
{
    while (p[i] != i) {
        p[i] = p[p[i]];
        i = p[i];
    }
    return i;
}

size_t xref_sources(const xref_claim_t *c, size_t n, uint32_t *group)
{
    if (n == 0)
        return 0;
    uint32_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(c[i].source, c[i - 1].source) != 0)
            ns++;
        group[i] = ns - 1;
    }
    uint32_t *parent = malloc(ns * sizeof *parent);
    s_band_t *band = malloc(n * sizeof *band);
    if (!parent || !band)
        abort();
    for (uint32_t i = 0; i < ns; i++)
        parent[i] = i;
    /* Two hashes at most FRAME_COPY_BITS (7) apart agree on one of their eight 8-bit
       blocks, so only claims that share a block are compared, each with the few before
       it in its run. */
    _Static_assert(FRAME_COPY_BITS < 8, "eight blocks find copies up to 7 bits apart");
    for (int b = 0; b < 8; b++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (c[i].copy)
                band[m++] = (s_band_t){(uint8_t)(c[i].copy >> (8 * b)), (uint32_t)i};
        qsort(band, m, sizeof *band, s_band_cmp);
        for (size_t i = 1; i < m; i++)
            for (size_t j = i; j-- > 0 && j + 16 > i && band[j].block == band[i].block;) {
                const xref_claim_t *x = &c[band[i].idx], *y = &c[band[j].idx];
                if (group[band[i].idx] != group[band[j].idx] && frame_is_copy(x->copy, y->copy)) {
                    uint32_t ra = s_find(parent, group[band[i].idx]);
                    uint32_t rb = s_find(parent, group[band[j].idx]);
                    if (ra != rb)
                        parent[ra > rb ? ra : rb] = ra < rb ? ra : rb;
                }
            }
    }
    /* dense numbers for the joined sources, in order of first appearance */
    free(band);
    uint32_t *dense = malloc(ns * sizeof *dense);
    if (!dense)
        abort();
    for (uint32_t i = 0; i < ns; i++)
        dense[i] = UINT32_MAX;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = s_find(parent, group[i]);
        if (dense[r] == UINT32_MAX)
            dense[r] = (uint32_t)count++;
        group[i] = dense[r];
    }
    free(parent);
    free(dense);
    return count;
}

unsigned xref_flags(const char *frame)
{
    unsigned f = frame_weak(frame) ? XREF_WEAK : 0;
    if (frame && strncmp(frame, "f|" FRAME_UNIT_YEAR_AGE "|", sizeof FRAME_UNIT_YEAR_AGE + 2) == 0)
        f |= XREF_AGE;
    return f;
}

void xref_judge(const xref_claim_t *c, size_t n, unsigned flags, xref_claim_t *scratch,
                xref_verdict_t *out)
{
    bool weak = (flags & XREF_WEAK) != 0, age = (flags & XREF_AGE) != 0;
    memset(out, 0, sizeof *out);
    out->status = "single";
    if (n == 0)
        return;
    /* claims grouped by joined source (a counting sort keeps each group's order) */
    uint32_t *group = malloc(n * sizeof *group);
    if (!group)
        abort();
    size_t ng = xref_sources(c, n, group);
    size_t *start = calloc(ng + 1, sizeof *start);
    xref_claim_t *byg = malloc(n * sizeof *byg);
    uint32_t *gid = malloc(n * sizeof *gid);
    if (!start || !byg || !gid)
        abort();
    for (size_t i = 0; i < n; i++)
        start[group[i] + 1]++;
    for (size_t g = 0; g < ng; g++)
        start[g + 1] += start[g];
    for (size_t i = 0; i < n; i++) {
        size_t at = start[group[i]]++;
        byg[at] = c[i];
        gid[at] = group[i];
    }
    free(start);
    free(group);
    /* one entry per consistent source: its intersected interval, its newest date */
    size_t m = 0;
    for (size_t i = 0, j; i < n; i = j) {
        xref_claim_t s = byg[i];
        bool ok = true, dated = s_dated(s.published);
        for (j = i + 1; j < n && gid[j] == gid[i]; j++) {
            ok = ok && s_meet(&s.iv, &byg[j].iv);
            dated = dated && s_dated(byg[j].published);
            if (dated && strcmp(byg[j].published, s.published) > 0) {
                s.published = byg[j].published;
                s.value = byg[j].value;
            }
        }
        out->sources++;
        if (!ok)
            continue;
        if (!dated)
            s.published = NULL;
        scratch[m++] = s;
    }
    free(byg);
    free(gid);
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
    bool undated = false;
    for (size_t i = 0; i < m; i++)
        undated = undated || !scratch[i].published;
    /* Without a date on every report there is no "later" report: the values disagree,
       and nothing says the figure moved. But an age only rises: undated reports that
       disagree by two years or more are two times (a fighter at two fights, a suspect
       at his arrest and at his trial), the higher age the later; an age one year off
       is as often a mistake as a birthday, and stays a conflict. */
    if (undated) {
        if (!age)
            return;
        double top = scratch[0].value;
        for (size_t i = 0; i < m; i++) {
            for (size_t j = 0; j < i; j++)
                if (!frame_overlap(&scratch[i].iv, &scratch[j].iv)
                    && fabs(scratch[i].value - scratch[j].value) < 2)
                    return;
            if (scratch[i].value > top)
                top = scratch[i].value;
        }
        out->evolving = true;
        out->has_latest = true;
        out->latest = top;
        return;
    }
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
    if (!dir || (age && dir < 0))
        return;   /* an age that falls as dates advance is a contradiction */
    out->evolving = true;
    out->has_latest = true;
    out->latest = scratch[m - 1].value;
}
