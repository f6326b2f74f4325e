/*  promtext: Prometheus text exposition builder. See promtext.h. */
#include "promtext.h"
#include "util.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct promtext_t {
    char *buf;      /* the text, NUL-terminated */
    size_t len, cap;
};

promtext_t *promtext_new(void)
{
    promtext_t *self = util_calloc(1, sizeof *self);
    self->cap = 4096;
    self->buf = util_malloc(self->cap);
    self->buf[0] = 0;
    return self;
}

void promtext_destroy(promtext_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->buf);
    free(*self_p);
    *self_p = NULL;
}

void promtext_reset(promtext_t *self)
{
    self->len = 0;
    self->buf[0] = 0;
}

const char *promtext_data(promtext_t *self)
{
    return self->buf;
}

size_t promtext_len(promtext_t *self)
{
    return self->len;
}

static void s_printf(promtext_t *self, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void s_printf(promtext_t *self, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(self->buf + self->len, self->cap - self->len, fmt, ap);
        va_end(ap);
        if (n < 0)
            return;
        if ((size_t)n < self->cap - self->len) {
            self->len += (size_t)n;
            return;
        }
        self->cap = self->cap * 2 + (size_t)n;
        self->buf = util_realloc(self->buf, self->cap);
    }
}

static void s_head(promtext_t *self, const char *name, const char *type, const char *help)
{
    s_printf(self, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void promtext_counter(promtext_t *self, const char *name, const char *help, uint64_t v)
{
    s_head(self, name, "counter", help);
    s_printf(self, "%s %" PRIu64 "\n", name, v);
}

void promtext_gauge(promtext_t *self, const char *name, const char *help, double v)
{
    s_head(self, name, "gauge", help);
    s_printf(self, "%s %.17g\n", name, v);
}

void promtext_histogram(promtext_t *self, const char *name, const char *help,
                        const promtext_hist_t *h)
{
    s_head(self, name, "histogram", help);
    uint64_t cum = 0;
    for (size_t b = 0; b < h->nbounds; b++) {
        cum += h->counts[b];
        s_printf(self, "%s_bucket{le=\"%g\"} %" PRIu64 "\n", name, h->bounds[b], cum);
    }
    s_printf(self, "%s_bucket{le=\"+Inf\"} %" PRIu64 "\n%s_sum %.9g\n%s_count %" PRIu64 "\n",
             name, h->count, name, h->sum, name, h->count);
}

void promtext_hist_init(promtext_hist_t *h, const double *bounds, size_t n)
{
    h->bounds = bounds;
    h->nbounds = n;
    h->counts = util_calloc(n + 1, sizeof *h->counts);
    h->count = 0;
    h->sum = 0;
}

void promtext_hist_free(promtext_hist_t *h)
{
    free(h->counts);
    h->counts = NULL;
}

void promtext_hist_observe(promtext_hist_t *h, double v)
{
    size_t b = 0;
    while (b < h->nbounds && v > h->bounds[b])
        b++;
    h->counts[b]++;
    h->count++;
    h->sum += v;
}
