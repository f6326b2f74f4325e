/*  broker_jobs: the jobs out of the queue and the workers holding them, in memory: job
    records, worker credit, taking jobs back to the queue in batches (one transaction for
    many), and each worker's ring of jobs taken back from it. Part of the broker
    (broker/broker.h); see broker_internal.h. */

#include "broker_internal.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define S_GONE_RING      256     /* ids taken back from a live worker that are remembered,
                                    so its late RESULT is told from a forged one */

brk_job_t *brk_job_new(broker_t *self, const char *id)
{
    brk_job_t *j = self->free_jobs;
    if (j)
        self->free_jobs = j->next_free;
    else
        j = util_malloc(sizeof *j);
    memset(j, 0, sizeof *j);
    memcpy(j->id, id, UTIL_ID_HEX + 1);
    return j;
}

/* Removes job `j` from memory (its queue record is the caller's business). */
void brk_job_forget(broker_t *self, brk_job_t *j)
{
    if (j->state == J_WITH_WORKER && j->worker)
        j->worker->held--;
    if (j->state == J_AWAITING)
        self->awaiting--;
    zhashx_delete(self->jobs, j->id);
    j->next_free = self->free_jobs;
    self->free_jobs = j;
}

void brk_credit_add(broker_t *self, brk_worker_t *w, int64_t delta)
{
    int64_t c = (int64_t)w->credit + delta;
    if (c < 0)
        c = 0;
    if (c > BRK_MAX_CREDIT)
        c = BRK_MAX_CREDIT;
    self->credit_total = self->credit_total - w->credit + (uint64_t)c;
    w->credit = (uint32_t)c;
}

/* Takes job `j` out of memory and adds it to the batch going back to the queue: `count`
   says whether it was a failed attempt (FAIL, silent worker, deadline: it may die) or
   not (its result was lost on the way to the store). `redelivery` says whether putting
   it back counts as a redelivery. The caller flushes with brk_back_flush when the batch is
   full and when done. */
void brk_back_add(broker_t *self, brk_job_t *j, const char *reason, bool count,
                  bool permanent, bool redelivery)
{
    assert(self->nback < BRK_BACK_BATCH);
    size_t i = self->nback++;
    memcpy(self->back_ids[i], j->id, UTIL_ID_HEX + 1);
    snprintf(self->back_reasons[i], sizeof self->back_reasons[i], "%s", reason ? reason : "");
    self->back_items[i] = (queue_fail_item_t){.id = self->back_ids[i],
                                              .reason = self->back_reasons[i],
                                              .permanent = permanent, .count = count};
    self->back_redelivery[i] = redelivery;
    brk_job_forget(self, j);
}

/* One queue transaction for the jobs added by brk_back_add; counts what became of them. */
int brk_back_flush(broker_t *self)
{
    if (self->nback == 0)
        return 0;
    int rc = queue_fail_batch(self->queue, self->back_items, self->nback, self->cfg.max_attempts);
    if (rc < 0) {
        /* They left memory but not the fifo: they come back at the next start. Not fatal:
           the broker keeps serving what it can. */
        util_error("queue: taking back %zu jobs: %s", self->nback, queue_strerror(rc));
        self->nback = 0;
        return 0;
    }
    for (size_t i = 0; i < self->nback; i++) {
        if (self->back_items[i].outcome == QUEUE_KILLED) {
            self->dead_total++;
            util_warn("job %s is dead: %s", self->back_ids[i], self->back_reasons[i]);
        } else if (self->back_items[i].outcome == QUEUE_REQUEUED && self->back_redelivery[i]) {
            self->redelivered++;
        }
    }
    self->nback = 0;
    return 0;
}

/* One job failed (FAIL, a malformed result): count the attempt in the queue, which puts
   it at the tail or into the dead-letter set. */
int brk_job_failed(broker_t *self, brk_job_t *j, const char *reason, bool permanent,
                   bool redelivery)
{
    brk_back_add(self, j, reason, true, permanent, redelivery);
    return brk_back_flush(self);
}

/* Collects up to BRK_BACK_BATCH jobs in memory for which `pick` is true. */
size_t brk_jobs_pick(broker_t *self, brk_pick_fn *pick, const void *arg, brk_job_t **list)
{
    size_t n = 0;
    for (brk_job_t *j = zhashx_first(self->jobs); j && n < BRK_BACK_BATCH; j = zhashx_next(self->jobs))
        if (pick(j, arg))
            list[n++] = j;
    return n;
}

/* Remembers that job `id` was taken back from live worker `w`. Can't fail. */
void brk_gone_add(brk_worker_t *w, const char *id)
{
    if (!w->gone)
        w->gone = util_calloc(S_GONE_RING, sizeof *w->gone);
    memcpy(w->gone[w->gone_next], id, UTIL_ID_HEX + 1);
    w->gone_next = (w->gone_next + 1) % S_GONE_RING;
}

/* True when job `id` was taken back from `w` lately: its RESULT is late, not forged. */
bool brk_gone_has(const brk_worker_t *w, const char *id)
{
    if (!w->gone)
        return false;
    for (size_t i = 0; i < S_GONE_RING; i++)
        if (memcmp(w->gone[i], id, UTIL_ID_HEX) == 0)
            return true;
    return false;
}

static bool s_held_by(const brk_job_t *j, const void *w)
{
    return j->state == J_WITH_WORKER && j->worker == w;
}

/* Takes back every job held by `w` (it went silent, said BYE, or said HELLO again):
   counted as failed attempts when `count`, else simply requeued. */
int brk_worker_release(broker_t *self, brk_worker_t *w, const char *why, bool count)
{
    char reason[400];
    snprintf(reason, sizeof reason, "worker %s %s", w->name, why);
    brk_job_t *list[BRK_BACK_BATCH];
    size_t n;
    while (w->held > 0 && (n = brk_jobs_pick(self, s_held_by, w, list)) > 0) {
        for (size_t i = 0; i < n; i++) {
            brk_gone_add(w, list[i]->id);
            brk_back_add(self, list[i], reason, count, false, true);
        }
        int rc = brk_back_flush(self);
        if (rc)
            return rc;
    }
    w->held = 0;
    return 0;
}

void brk_worker_remove(broker_t *self, brk_worker_t *w)
{
    for (size_t i = 0; i < self->nworkers; i++)
        if (self->wlist[i] == w) {
            self->wlist[i] = self->wlist[--self->nworkers];
            break;
        }
    self->credit_total -= w->credit;
    zhashx_delete(self->workers, w->key);
    zframe_destroy(&w->identity);
    free(w->gone);
    free(w);
}

brk_worker_t *brk_worker_find(broker_t *self, zframe_t *identity)
{
    char key[2 * 256 + 1];
    brk_frame_key(identity, key);
    return zhashx_lookup(self->workers, key);
}

bool brk_is_store(broker_t *self, zframe_t *identity)
{
    return self->store_id && zframe_eq(self->store_id, identity);
}
