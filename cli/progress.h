/*  progress: one status line on a terminal (count, rate, ETA), redrawn at most a few times
    a second; silent when stderr is not a TTY, so piped output and logs stay clean. */
#ifndef CC_PROGRESS_H
#define CC_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct progress_t progress_t;

/* `label` is copied by pointer (keep it alive). `force` shows it even off a TTY (tests). */
progress_t *progress_new(const char *label, bool force);
void progress_destroy(progress_t **self_p);

/* True when the display is on (a terminal, or forced): worth counting a total for. */
bool progress_active(const progress_t *self);

/* Reports `done` of `total` (0 = unknown total: no ETA). Cheap to call often. */
void progress_update(progress_t *self, uint64_t done, uint64_t total);

/* Draws the final figures and ends the line. */
void progress_finish(progress_t *self, uint64_t done, uint64_t total);

#endif
