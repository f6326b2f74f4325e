/*  broker_dispatch: handing queued jobs to workers by credit, and the timer: heartbeats
    out, silent peers dropped, jobs past their deadline redelivered. Part of the broker
    (broker/broker.h); see broker_internal.h. */

#include "broker_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define S_CORRUPT_PER_PASS 64    /* corrupt queue records quarantined per dispatch pass,
                                    so a damaged file can't keep the loop from answering */

/* A corrupt queue record queue_next stepped over: moved aside once (dead-lettered when
   its id is readable), counted, and logged under the rejected-message rate limit. */
static void s_corrupt_record(broker_t *self)
{
    char id[UTIL_ID_HEX + 1];
    int rc = queue_quarantine(self->queue, "corrupt queue record: quarantined at dispatch", id);
    self->corrupt++;
    if (self->log_in_window < BRK_LOG_PER_SEC || util_mono_us() - self->log_window_us >= 1000000) {
        util_error("queue: skipped a corrupt job record%s%s%s%s", id[0] ? " of job " : "", id,
                   rc == 0 ? (id[0] ? ": dead-lettered" : ": removed")
                   : rc == QUEUE_ENOTFOUND ? ": its key is unreadable, skipped until restart"
                                           : ": could not move it aside: ",
                   rc == 0 || rc == QUEUE_ENOTFOUND ? "" : queue_strerror(rc));
        self->log_in_window++;
    } else {
        self->log_suppressed++;
    }
}

int brk_dispatch(broker_t *self)
{
    unsigned corrupt = 0;
    /* Without a store a result has nowhere to go: keep the jobs queued until one comes. */
    while (!self->paused && self->store_id && self->credit_total > 0 && self->nworkers > 0) {
        /* Flow control to the store: no more jobs out of the queue (with workers, or
           their results awaiting its commit) than it said it can take. A store that
           commits slowly slows dispatch instead of filling its memory, and what waits
           stays in the queue on disk. */
        if (self->store_credit && zhashx_size(self->jobs) >= self->store_credit)
            break;
        brk_worker_t *w = NULL;
        for (size_t k = 0; k < self->nworkers; k++) {
            brk_worker_t *c = self->wlist[(self->rr + k) % self->nworkers];
            if (c->credit > 0) {
                w = c;
                self->rr = (self->rr + k + 1) % self->nworkers;
                break;
            }
        }
        if (!w)
            break;
        char id[UTIL_ID_HEX + 1];
        uint32_t attempts;
        const void *article;
        size_t len;
        int rc = queue_next(self->queue, id, &attempts, &article, &len);
        if (rc == QUEUE_ECORRUPT) {
            /* One unreadable job must not stop the others: the queue skipped it. A damaged
               file may hold many: a bounded number per pass, so the loop keeps answering. */
            s_corrupt_record(self);
            if (++corrupt >= S_CORRUPT_PER_PASS)
                break;
            continue;
        }
        if (rc < 0) {
            /* The file is damaged where we read next (a bad page): keep serving what we
               can (submits, acks, admin) and say so now and then, not on every pass. */
            static uint64_t logged_us;
            uint64_t now = util_mono_us();
            if (now - logged_us > 10u * 1000000u) {
                util_error("queue: next job: %s; dispatch held", queue_strerror(rc));
                logged_us = now;
            }
            self->rejected[R_STORAGE]++;
            break;
        }
        if (rc == 0)
            break;
        char att[16];
        int alen = snprintf(att, sizeof att, "%u", attempts + 1);
        const void *args[3] = {id, att, article};
        size_t lens[3] = {UTIL_ID_HEX, (size_t)alen, len};
        brk_job_t *j = brk_job_new(self, id);
        j->state = J_WITH_WORKER;
        j->worker = w;
        j->article_len = len;
        j->deadline_us = util_mono_us() + (uint64_t)self->cfg.deadline_s * 1000000;
        zhashx_insert(self->jobs, j->id, j);
        w->held++;
        brk_credit_add(self, w, -1);
        wire_send(self->back, w->identity, WIRE_JOB, 3, args, lens);
    }
    return 0;
}

static bool s_overdue(const brk_job_t *j, const void *now)
{
    return *(const uint64_t *)now > j->deadline_us;
}

/* Heartbeats out, silent peers dropped, overdue jobs redelivered. */
int brk_tick(broker_t *self, uint64_t now)
{
    uint64_t silent = (uint64_t)self->cfg.liveness * self->cfg.heartbeat_ms * 1000;
    /* Silence is measured up to the last moment we had read everything the peers sent:
       after a stall of our own (a slow fsync, a big requeue) the heartbeats that prove
       them alive may still wait unread, and dropping the store would requeue all its
       results. */
    uint64_t heard_until = self->caught_up_us;
    int rc = 0;
    for (size_t i = 0; i < self->nworkers;) {
        brk_worker_t *w = self->wlist[i];
        if (heard_until > w->last_seen_us && heard_until - w->last_seen_us > silent) {
            util_warn("worker %s silent for %" PRIu64 " ms: dropped, its %u jobs redelivered",
                      w->name, (now - w->last_seen_us) / 1000, w->held);
            if ((rc = brk_worker_release(self, w, "lost (no heartbeat)", true)) != 0)
                return rc;
            brk_worker_remove(self, w);
            continue;   /* wlist[i] now holds another worker */
        }
        wire_send(self->back, w->identity, WIRE_HB, 0, NULL, NULL);
        i++;
    }
    if (self->store_id) {
        if (heard_until > self->store_seen_us && heard_until - self->store_seen_us > silent)
            brk_store_drop(self, "silent: dropped");
        else
            wire_send(self->back, self->store_id, WIRE_HB, 0, NULL, NULL);
    }
    if (self->cand_id) {
        if (now - self->cand_seen_us > silent)
            zframe_destroy(&self->cand_id);
        else
            wire_send(self->back, self->cand_id, WIRE_HB, 0, NULL, NULL);
    }
    /* Overdue jobs: collect first, act after, since acting edits the hash. */
    brk_job_t *list[BRK_BACK_BATCH];
    size_t n;
    while ((n = brk_jobs_pick(self, s_overdue, &now, list)) > 0) {
        size_t with_worker = 0;
        for (size_t i = 0; i < n; i++) {
            brk_job_t *j = list[i];
            char reason[400];
            if (j->state == J_WITH_WORKER) {
                snprintf(reason, sizeof reason, "deadline of %us passed on worker %s",
                         self->cfg.deadline_s, j->worker ? j->worker->name : "?");
                with_worker++;
                if (j->worker)
                    brk_gone_add(j->worker, j->id);
                brk_back_add(self, j, reason, true, false, true);
            } else {
                brk_back_add(self, j, "no commit from the store before the deadline", false,
                             false, true);
            }
        }
        util_warn("%zu jobs past their %us deadline (%zu with a worker, %zu awaiting the "
                  "store's commit): redelivered", n, self->cfg.deadline_s, with_worker,
                  n - with_worker);
        if ((rc = brk_back_flush(self)) != 0)
            return rc;
    }
    return 0;
}
