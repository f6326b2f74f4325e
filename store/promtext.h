/*  promtext: builds Prometheus text exposition (format 0.0.4): counters, gauges and
    histograms, each with its HELP and TYPE lines, into one growable buffer that the
    caller hands to the HTTP side (broker/metrics.h) in one piece.

        promtext_t *p = promtext_new();
        promtext_counter(p, "crossclaim_store_commits_total", "Transactions committed.", n);
        metrics_publish(server, promtext_data(p), promtext_len(p));

    A histogram is a promtext_hist_t whose bucket bounds the caller owns; observing costs
    a short walk over the bounds and no allocation. None of these functions can fail:
    out of memory aborts (util.h). */
#ifndef CC_PROMTEXT_H
#define CC_PROMTEXT_H

#include <stddef.h>
#include <stdint.h>

typedef struct promtext_t promtext_t;

typedef struct {
    const double *bounds;   /* upper bounds, ascending, without +Inf; caller-owned */
    size_t nbounds;
    uint64_t *counts;       /* per bucket (not cumulative), nbounds + 1 with +Inf */
    uint64_t count;
    double sum;
} promtext_hist_t;

promtext_t *promtext_new(void);
void promtext_destroy(promtext_t **self_p);

/* Empties the text, keeps the memory. */
void promtext_reset(promtext_t *self);

/* The text so far, NUL-terminated; valid until the next call on `self`. */
const char *promtext_data(promtext_t *self);
size_t promtext_len(promtext_t *self);

/* One metric without labels, with its HELP and TYPE lines. */
void promtext_counter(promtext_t *self, const char *name, const char *help, uint64_t v);
void promtext_gauge(promtext_t *self, const char *name, const char *help, double v);

/* A histogram: cumulative _bucket lines (le="..." and le="+Inf"), _sum and _count. */
void promtext_histogram(promtext_t *self, const char *name, const char *help,
                        const promtext_hist_t *h);

/* Sets up `h` over `bounds` (n of them, kept by pointer) with zero counts. */
void promtext_hist_init(promtext_hist_t *h, const double *bounds, size_t n);
void promtext_hist_free(promtext_hist_t *h);

/* Counts one observation. */
void promtext_hist_observe(promtext_hist_t *h, double v);

#endif
