/*  progress: a throttled single-line display on stderr. */
#include "progress.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct progress_t {
    const char *label;
    bool on;              /* stderr is a terminal (or forced) */
    uint64_t start_us;
    uint64_t last_draw_us;
    bool drawn;
};

progress_t *progress_new(const char *label, bool force)
{
    progress_t *self = util_calloc(1, sizeof *self);
    self->label = label;
    self->on = force || isatty(STDERR_FILENO);
    self->start_us = util_mono_us();
    return self;
}

void progress_destroy(progress_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free(*self_p);
    *self_p = NULL;
}

static void s_draw(progress_t *self, uint64_t done, uint64_t total, bool final)
{
    double secs = (double)(util_mono_us() - self->start_us) / 1e6;
    double rate = secs > 0 ? (double)done / secs : 0;
    char eta[32] = "";
    if (total && rate > 0 && done < total && !final)
        snprintf(eta, sizeof eta, ", ETA %.0fs", (double)(total - done) / rate);
    if (total)
        fprintf(stderr, "\r%s: %llu/%llu (%.0f%%), %.0f/s%s\033[K", self->label,
                (unsigned long long)done, (unsigned long long)total,
                100.0 * (double)done / (double)total, rate, eta);
    else
        fprintf(stderr, "\r%s: %llu, %.0f/s\033[K", self->label, (unsigned long long)done, rate);
    if (final)
        fprintf(stderr, " in %.1fs\n", secs);
    fflush(stderr);
    self->drawn = true;
}

bool progress_active(const progress_t *self)
{
    return self->on;
}

void progress_update(progress_t *self, uint64_t done, uint64_t total)
{
    if (!self->on)
        return;
    uint64_t now = util_mono_us();
    if (now - self->last_draw_us < 200000)
        return;
    self->last_draw_us = now;
    s_draw(self, done, total, false);
}

void progress_finish(progress_t *self, uint64_t done, uint64_t total)
{
    if (!self->on)
        return;
    s_draw(self, done, total, true);
}
