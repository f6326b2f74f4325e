/*  broker: the event loop that connects producers, workers and the store. See broker.h.

    Job life in memory (the durable part is in queue.c):

        queued --queue_next--> WITH_WORKER --RESULT--> AWAITING (commit) --COMMITTED--> done
                                   |                        |
             FAIL / silent worker / deadline           deadline (result lost, store away)
                                   v                        v
                 queue_fail: tail again or dead     queue_requeue: tail, no attempt counted

    Only jobs handed out live in `jobs`; they are rebuilt at restart by the queue putting
    everything in flight back. Every byte a peer sends is validated; a bad message is
    counted by reason, sampled into the log (rate-limited) and dropped, with a NACK to
    producers when there is a tag to answer to. Nothing here asserts on peer input. */
#include "broker_internal.h"
#include "auth.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define S_BACKEND_BURST  1024    /* back-end messages per loop pass */
#define S_FRONTEND_BURST 1024    /* front-end messages per loop pass, so that a flood of
                                    garbage (never batched) can't starve the back end */
#define S_METRICS_MS     500     /* how often the metrics snapshot is re-rendered */

/* ---------------------------------------------------------------- lifecycle */

int broker_new(const broker_config_t *cfg, broker_t **out, char *err, size_t errlen)
{
    *out = NULL;
    broker_t *self = util_calloc(1, sizeof *self);
    self->cfg = *cfg;
    char path[4096];
    int rc = 0;
    snprintf(path, sizeof path, "%s/broker", cfg->data_dir);
    if ((rc = queue_open(path, (size_t)cfg->map_mib << 20, &self->queue)) != 0) {
        snprintf(err, errlen, "cannot open the queue in %s: %s%s", path, queue_strerror(rc),
                 rc == -EBUSY ? " (another broker is using it)" : "");
        goto fail;
    }
    if (cfg->map_max_mib)
        queue_set_map_max(self->queue, (size_t)cfg->map_max_mib << 20);
    /* An operator's pause outlives a restart: a broker restarted mid-incident must not
       start handing out the jobs someone stopped. */
    self->paused = queue_paused(self->queue);
    if (self->paused && cfg->resume) {
        int prc = queue_set_paused(self->queue, false);
        if (prc < 0)
            util_warn("dispatch was paused before the restart and stays paused: %s",
                      queue_strerror(prc));
        else
            self->paused = false;
        if (prc >= 0)
            util_warn("dispatch was paused before the restart; --resume lifted the pause");
    }
    if (self->paused)
        util_warn("dispatch is paused (kept from before the restart): no job goes to a worker "
                  "until 'crossclaim resume'");
    self->front = zsock_new(ZMQ_ROUTER);
    self->back = zsock_new(ZMQ_ROUTER);
    if (!self->front || !self->back) {
        snprintf(err, errlen, "cannot create ZeroMQ sockets: %s", zmq_strerror(zmq_errno()));
        rc = -EIO;
        goto fail;
    }
    /* Absurdly large frames are refused by libzmq before they cost us memory (the peer is
       disconnected); merely oversized ones get through to a "too big" NACK. */
    zsock_set_maxmsgsize(self->front, 2 * (int)WIRE_MAX_MESSAGE);
    zsock_set_maxmsgsize(self->back, (int)WIRE_MAX_RESULT + 4096);
    zsock_set_sndhwm(self->front, 100000);
    zsock_set_sndhwm(self->back, 100000);
    zsock_set_rcvhwm(self->front, 100000);
    zsock_set_rcvhwm(self->back, 100000);
    zsock_set_linger(self->front, 1000);
    zsock_set_linger(self->back, 1000);
    /* A tcp peer that connects and never handshakes holds a file until libzmq gives up on
       it: 30 s by default, long enough for a few hundred of them to keep operators out
       under the connection cap (broker_conns.c). */
    zsock_set_handshake_ivl(self->front, BRK_HANDSHAKE_MS);
    zsock_set_handshake_ivl(self->back, BRK_HANDSHAKE_MS);
    if ((rc = auth_bind(cfg->auth, self->front, cfg->frontend, err, errlen)) != 0 ||
        (rc = auth_bind(cfg->auth, self->back, cfg->backend, err, errlen)) != 0)
        goto fail;
    if (cfg->metrics_port) {
        rc = metrics_new(cfg->metrics_addr, cfg->metrics_port, &self->metrics);
        if (rc) {
            snprintf(err, errlen, "cannot serve metrics on %s port %u: %s", cfg->metrics_addr,
                     cfg->metrics_port, strerror(-rc));
            goto fail;
        }
        conns_exempt(metrics_listen_fd(self->metrics));
    }
    self->workers = zhashx_new();
    self->jobs = zhashx_new();
    /* Job keys live inside brk_job_t: no copy per dispatch. */
    zhashx_set_key_duplicator(self->jobs, NULL);
    zhashx_set_key_destructor(self->jobs, NULL);
    self->json = json_new();
    self->mcap = 8192;
    self->mbuf = util_malloc(self->mcap);
    self->started_us = util_mono_us();
    *out = self;
    return 0;
fail:
    broker_destroy(&self);
    return rc ? rc : -EINVAL;
}

void broker_destroy(broker_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    broker_t *self = *self_p;
    for (size_t i = 0; i < self->npending; i++)
        zmsg_destroy(&self->pending[i].msg);
    metrics_destroy(&self->metrics);
    if (self->workers) {
        while (self->nworkers)
            brk_worker_remove(self, self->wlist[0]);
        zhashx_destroy(&self->workers);
    }
    if (self->jobs) {
        for (brk_job_t *j = zhashx_first(self->jobs); j; j = zhashx_next(self->jobs))
            free(j);
        zhashx_destroy(&self->jobs);
    }
    while (self->free_jobs) {
        brk_job_t *j = self->free_jobs;
        self->free_jobs = j->next_free;
        free(j);
    }
    free(self->wlist);
    zframe_destroy(&self->store_id);
    zframe_destroy(&self->cand_id);
    zsock_destroy(&self->front);
    zsock_destroy(&self->back);
    queue_destroy(&self->queue);
    json_destroy(&self->json);
    free(self->mbuf);
    free(self);
    *self_p = NULL;
}

int broker_run(broker_t *self, volatile sig_atomic_t *stop)
{
    zmq_pollitem_t items[2] = {
        {zsock_resolve(self->front), 0, ZMQ_POLLIN, 0},
        {zsock_resolve(self->back), 0, ZMQ_POLLIN, 0},
    };
    uint64_t hb_us = (uint64_t)self->cfg.heartbeat_ms * 1000;
    uint64_t next_tick = util_mono_us() + hb_us;
    uint64_t next_metrics = 0;
    int rc = 0;
    util_info("broker up: front end %s, back end %s, heartbeat %u ms x %u, deadline %u s, "
              "max attempts %u", self->cfg.frontend, self->cfg.backend, self->cfg.heartbeat_ms,
              self->cfg.liveness, self->cfg.deadline_s, self->cfg.max_attempts);
    while (!*stop) {
        uint64_t now = util_mono_us();
        long timeout = now >= next_tick ? 0 : (long)((next_tick - now + 999) / 1000);
        if (self->metrics && timeout > S_METRICS_MS)
            timeout = S_METRICS_MS;
        int n = zmq_poll(items, 2, timeout);
        if (n < 0) {
            if (zmq_errno() == EINTR)
                continue;
            if (zmq_errno() == ETERM)
                break;
            util_error("poll: %s", zmq_strerror(zmq_errno()));
            rc = -EIO;
            break;
        }
        /* Drain the front end into one group commit. */
        for (int k = 0; k < S_FRONTEND_BURST && self->npending < BRK_SUBMIT_BATCH &&
                        (zsock_events(self->front) & ZMQ_POLLIN); k++) {
            zmsg_t *msg = zmsg_recv(self->front);
            if (!msg)
                break;
            brk_on_front(self, msg);
        }
        if ((rc = brk_flush_submits(self)) != 0)
            break;
        for (int k = 0; k < S_BACKEND_BURST && (zsock_events(self->back) & ZMQ_POLLIN); k++) {
            zmsg_t *msg = zmsg_recv(self->back);
            if (!msg)
                break;
            brk_on_back(self, msg);
            if (self->ndone + WIRE_MAX_ARGS > BRK_DONE_BATCH && (rc = brk_flush_done(self)) != 0)
                break;
        }
        if (rc || (rc = brk_flush_done(self)) != 0)
            break;
        now = util_mono_us();
        if (!(zsock_events(self->back) & ZMQ_POLLIN))
            self->caught_up_us = now;
        if (now >= next_tick) {
            if ((rc = brk_tick(self, now)) != 0)
                break;
            conns_log();
            next_tick = now + hb_us;
        }
        if ((rc = brk_dispatch(self)) != 0)
            break;
        /* A damaged page met at run time: stop before writing more on the file (a
           damaged free list hands out live pages; reading on crashes). What was
           acknowledged is in it; the open-time check refuses it until it is replaced. */
        if (queue_damaged(self->queue)) {
            rc = QUEUE_EDAMAGED;
            break;
        }
        if (self->metrics && now >= next_metrics) {
            brk_publish_metrics(self);
            next_metrics = now + S_METRICS_MS * 1000;
        }
    }
    if (rc == QUEUE_EDAMAGED)
        util_error("broker stopping: its queue file %s/broker/data.mdb is damaged; move the "
                   "broker directory aside (its acknowledged jobs are in it) and start again",
                   self->cfg.data_dir ? self->cfg.data_dir : ".");
    else if (rc)
        util_error("broker stopping on a queue error: %s", queue_strerror(rc));
    else
        util_info("broker stopping");
    for (size_t i = 0; i < self->nworkers; i++)
        wire_send(self->back, self->wlist[i]->identity, WIRE_BYE, 0, NULL, NULL);
    return rc;
}
