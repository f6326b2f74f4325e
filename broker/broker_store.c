/*  broker_store: the one store trusted with results (STYLE.md rule 16): its HELLO, the
    candidate waiting to take over, dropping it with its uncommitted results requeued, and
    its COMMITTED and REFUSED, marked in the queue in batches. Part of the broker
    (broker/broker.h); see broker_internal.h. */

#include "broker_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static bool s_awaiting(const brk_job_t *j, const void *arg)
{
    return j->state == J_AWAITING;
}

/* Results forwarded to a store that is gone may never be committed: put their jobs back
   in the queue now rather than at their deadline. No attempt is counted (the workers did
   their part), and a result the old store did commit is merged again idempotently. */
static void s_requeue_awaiting(broker_t *self)
{
    brk_job_t *list[BRK_BACK_BATCH];
    size_t n;
    while ((n = brk_jobs_pick(self, s_awaiting, NULL, list)) > 0) {
        for (size_t i = 0; i < n; i++)
            brk_back_add(self, list[i], "store lost the result", false, false, true);
        if (brk_back_flush(self) != 0)
            return;   /* the jobs left the hash: their deadline can't requeue them now,
                         but they stay in the queue's fifo and come back at restart */
    }
}

void brk_store_drop(broker_t *self, const char *why)
{
    if (!self->store_id)
        return;
    /* A store leaving at shutdown is routine; one that vanishes with work is news. */
    if (self->awaiting)
        util_warn("store %s %s with %" PRIu64 " results uncommitted: their jobs are requeued",
                  self->store_name, why, self->awaiting);
    else
        util_info("store %s %s", self->store_name, why);
    zframe_destroy(&self->store_id);
    self->store_credit = 0;
    s_requeue_awaiting(self);
    /* A store that asked to come in meanwhile, and is still there, takes over now. */
    uint64_t silent = (uint64_t)self->cfg.liveness * self->cfg.heartbeat_ms * 1000;
    if (self->cand_id && util_mono_us() - self->cand_seen_us <= silent) {
        self->store_id = self->cand_id;
        self->cand_id = NULL;
        snprintf(self->store_name, sizeof self->store_name, "%s", self->cand_name);
        self->store_seen_us = self->cand_seen_us;
        self->store_credit = self->cand_credit;
        util_info("store %s connected (it was waiting for the previous store to go)",
                  self->store_name);
    }
    zframe_destroy(&self->cand_id);
}

/* HELLO store. Only one store is trusted with results and their COMMITTED (STYLE.md rule
   16): while one is connected, another is refused and counted. It is kept as the
   candidate (heartbeated, so it waits instead of reconnecting) and takes over when the
   connected store leaves or goes silent. The same store saying HELLO again restarted. */
void brk_on_store_hello(broker_t *self, zframe_t *identity, const char *name, uint64_t credit)
{
    uint64_t now = util_mono_us();
    uint64_t silent = (uint64_t)self->cfg.liveness * self->cfg.heartbeat_ms * 1000;
    if (self->store_id && !zframe_eq(self->store_id, identity)) {
        if (self->caught_up_us > self->store_seen_us &&
            self->caught_up_us - self->store_seen_us > silent) {
            zframe_destroy(&self->cand_id);   /* this one takes over, not an older one */
            brk_store_drop(self, "silent, replaced by a new store");
        } else {
            brk_reject(self, R_SECOND_STORE, "HELLO", identity, name, strlen(name),
                       "a store is already connected: refused (waits as the candidate)");
            if (!self->cand_id || !zframe_eq(self->cand_id, identity)) {
                zframe_destroy(&self->cand_id);
                self->cand_id = zframe_dup(identity);
            }
            snprintf(self->cand_name, sizeof self->cand_name, "%s", name);
            self->cand_seen_us = now;
            self->cand_credit = credit;
            return;
        }
    }
    if (self->cand_id && zframe_eq(self->cand_id, identity))
        zframe_destroy(&self->cand_id);
    if (self->store_id) {
        /* A store saying HELLO again restarted: what it had not committed is lost. */
        zframe_destroy(&self->store_id);
        s_requeue_awaiting(self);
    }
    self->store_id = zframe_dup(identity);
    snprintf(self->store_name, sizeof self->store_name, "%s", name);
    self->store_seen_us = now;
    self->store_credit = credit;
    if (credit)
        util_info("store %s connected, credit %" PRIu64, name, credit);
    else
        util_info("store %s connected", name);
}

/* The job of a COMMITTED or REFUSED id, when its result was forwarded to the connected
   store and not resolved since; else refused and counted (STYLE.md rule 16). */
static brk_job_t *s_sent_to_store(broker_t *self, zframe_t *identity, const uint8_t *p,
                                  const char *what, char id[UTIL_ID_HEX + 1])
{
    memcpy(id, p, UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    brk_job_t *j = zhashx_lookup(self->jobs, id);
    if (j && j->state == J_AWAITING)
        return j;
    char detail[128];
    snprintf(detail, sizeof detail, "%s for job %s, whose result was not sent to this store",
             what, id);
    brk_reject(self, R_NOT_SENT, what, identity, id, UTIL_ID_HEX, detail);
    return NULL;
}

void brk_on_committed(broker_t *self, zframe_t *identity, wire_msg_t *m)
{
    for (size_t i = 0; i < m->nargs; i++) {
        if (self->ndone == BRK_DONE_BATCH)
            break;
        char id[UTIL_ID_HEX + 1];
        if (!s_sent_to_store(self, identity, m->arg[i], "COMMITTED", id))
            continue;
        memcpy(self->done_ids[self->ndone], id, UTIL_ID_HEX + 1);
        self->done_items[self->ndone] = (queue_done_t){.id = self->done_ids[self->ndone]};
        self->ndone++;
    }
}

/* The store will not merge this result: a failed attempt with the store's reason, so a
   poison result ends in the dead-letter set instead of being redelivered forever. */
void brk_on_refused(broker_t *self, zframe_t *identity, wire_msg_t *m)
{
    char id[UTIL_ID_HEX + 1];
    brk_job_t *j = s_sent_to_store(self, identity, m->arg[0], "REFUSED", id);
    if (!j)
        return;
    char text[QUEUE_MAX_REASON - 300], reason[QUEUE_MAX_REASON];
    util_sample(m->arg[1], m->arg_len[1], text, sizeof text);
    bool permanent = m->arg[2][0] == '1';
    snprintf(reason, sizeof reason, "refused by the store %s: %s", self->store_name,
             text[0] ? text : "no reason given");
    self->store_refused++;
    util_warn("job %s: %s%s", id, reason, permanent ? " (permanent)" : "");
    brk_job_failed(self, j, reason, permanent, false);
}

int brk_flush_done(broker_t *self)
{
    if (self->ndone == 0)
        return 0;
    int rc = queue_done(self->queue, self->done_items, self->ndone);
    if (rc < 0 && rc != QUEUE_EFULL && self->ndone > 1) {
        /* One damaged record must not keep the whole batch from being done: each on its
           own (one fsync each, only after a failure); those that still fail are left. */
        util_error("queue: marking %zu jobs done failed: %s; one by one", self->ndone,
                   queue_strerror(rc));
        size_t failed = 0;
        for (size_t i = 0; i < self->ndone; i++)
            if (queue_done(self->queue, &self->done_items[i], 1) < 0) {
                self->done_items[i].removed = false;
                failed++;
            }
        if (failed)
            util_error("queue: %zu jobs could not be marked done", failed);
        rc = 0;
    }
    if (rc < 0) {
        /* Not removed: the jobs will time out awaiting commit and be redone, which the
           store's idempotent merge absorbs. */
        util_error("queue: marking %zu jobs done failed: %s", self->ndone, queue_strerror(rc));
        self->ndone = 0;
        return 0;
    }
    uint64_t now = util_wall_us();
    for (size_t i = 0; i < self->ndone; i++) {
        queue_done_t *d = &self->done_items[i];
        brk_job_t *j = zhashx_lookup(self->jobs, d->id);
        if (j)
            brk_job_forget(self, j);
        if (!d->removed)
            continue;
        self->completed++;
        double s = d->submitted_us && now > d->submitted_us ? (double)(now - d->submitted_us) / 1e6 : 0;
        self->lat_sum += s;
        self->lat_count++;
        for (size_t b = 0; b < BRK_NBUCKETS; b++)
            if (s <= brk_buckets[b]) {
                self->lat_buckets[b]++;
                break;
            }
    }
    self->ndone = 0;
    return 0;
}
