/*  broker_back: the back end: HELLOs (a worker or the store), the workers' heartbeats,
    READY, RESULT and FAIL, each accepted only from the worker holding the job (STYLE.md
    rule 16), and the routing of each back-end message by the peer's role. The store's own
    messages are in broker_store.c. Part of the broker (broker/broker.h); see
    broker_internal.h. */

#include "broker_internal.h"
#include "broker_peek.h"
#include "auth.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define S_HB_FLOOD       10      /* heartbeats from one peer within one interval beyond
                                    which each is counted as a flood (a peer sends one) */
#define S_HELLO_MAX      3       /* repeated HELLOs from one worker per S_HELLO_WINDOW_S
                                    that are honoured; more are refused and counted */
#define S_HELLO_WINDOW_S 10

/* A peer heartbeats once an interval. Counts how many came in the current interval and
   says whether this one is beyond S_HB_FLOOD: a flood, counted but not fatal (the peer
   is alive, and the back-end burst limit keeps it from starving the others). */
static bool s_hb_flood(broker_t *self, uint64_t *window_us, uint32_t *count, uint64_t now)
{
    if (now - *window_us >= (uint64_t)self->cfg.heartbeat_ms * 1000) {
        *window_us = now;
        *count = 0;
    }
    return ++*count > S_HB_FLOOD;
}

static void s_on_hello(broker_t *self, zmsg_t *msg, zframe_t *identity, wire_msg_t *m)
{
    uint64_t credit = 0;
    wire_arg_u64(m->arg[2], m->arg_len[2], &credit);   /* checked by wire_decode */
    char name[257];
    util_sample(m->arg[1], m->arg_len[1], name, sizeof name);
    bool store = m->arg_len[0] == 5 && !memcmp(m->arg[0], "store", 5);
    if (!brk_peer_may(self, msg, identity, store ? AUTH_ROLE_STORE : AUTH_ROLE_WORKER, "HELLO"))
        return;
    if (store) {
        if (brk_worker_find(self, identity)) {
            brk_reject(self, R_UNEXPECTED, "HELLO", identity, name, strlen(name),
                       "a worker can't become the store");
            return;
        }
        brk_on_store_hello(self, identity, name, credit);
        return;
    }
    if (brk_is_store(self, identity) || (self->cand_id && zframe_eq(self->cand_id, identity))) {
        brk_reject(self, R_UNEXPECTED, "HELLO", identity, name, strlen(name),
                   "the store can't become a worker");
        return;
    }
    brk_worker_t *w = brk_worker_find(self, identity);
    uint64_t now = util_mono_us();
    if (w) {
        /* The same identity saying HELLO again: one worker starting over, not a crash of
           its jobs. What it held is queued again without counting an attempt, a few times
           a window; beyond that the HELLO is refused and counted, and it keeps its state. */
        if (now - w->hello_window_us >= (uint64_t)S_HELLO_WINDOW_S * 1000000) {
            w->hello_window_us = now;
            w->hello_count = 0;
        }
        w->last_seen_us = now;
        if (++w->hello_count > S_HELLO_MAX) {
            brk_reject(self, R_HELLO_FLOOD, "HELLO", identity, name, strlen(name),
                       "worker repeats HELLO too often: ignored");
            return;
        }
        self->rehello++;
        brk_worker_release(self, w, "said HELLO again", false);
        brk_credit_add(self, w, -(int64_t)w->credit);
    } else {
        w = util_calloc(1, sizeof *w);
        w->identity = zframe_dup(identity);
        brk_frame_key(identity, w->key);
        zhashx_insert(self->workers, w->key, w);
        if (self->nworkers == self->wcap) {
            self->wcap = self->wcap ? self->wcap * 2 : 16;
            self->wlist = util_realloc(self->wlist, self->wcap * sizeof *self->wlist);
        }
        self->wlist[self->nworkers++] = w;
        w->hello_window_us = now;
    }
    snprintf(w->name, sizeof w->name, "%s", name);
    w->max_credit = (uint32_t)credit;
    w->last_seen_us = now;
    brk_credit_add(self, w, (int64_t)credit);
    util_info("worker %s connected with credit %" PRIu64, w->name, credit);
}

static void s_forward_result(broker_t *self, wire_msg_t *m)
{
    if (!self->store_id)
        return;
    const void *args[2] = {m->arg[0], m->arg[1]};
    size_t lens[2] = {m->arg_len[0], m->arg_len[1]};
    wire_send(self->back, self->store_id, WIRE_RESULT, 2, args, lens);
}

/* A RESULT or FAIL frees one of the worker's slots, whatever we make of it. Capped so
   that a worker repeating itself can't grow its credit past what it announced. */
static void s_credit_return(broker_t *self, brk_worker_t *w)
{
    if ((uint64_t)w->credit + w->held < w->max_credit)
        brk_credit_add(self, w, 1);
}

/* A RESULT or FAIL from `w` for a job it does not hold. Late when the job was taken
   back from it (deadline, repeated HELLO): dropped and counted as late. Otherwise the
   worker speaks about work it was never given (STYLE.md rule 16): refused and counted. */
static void s_not_holder(broker_t *self, brk_worker_t *w, zframe_t *identity, const char *id,
                         const char *what)
{
    if (brk_gone_has(w, id)) {
        self->late_results++;
        return;
    }
    char detail[128];
    snprintf(detail, sizeof detail, "%s for job %s, which this worker does not hold", what, id);
    brk_reject(self, R_NOT_HOLDER, what, identity, w->name, strlen(w->name), detail);
}

static void s_on_result(broker_t *self, brk_worker_t *w, zframe_t *identity, wire_msg_t *m)
{
    char id[UTIL_ID_HEX + 1];
    memcpy(id, m->arg[0], UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    brk_job_t *j = zhashx_lookup(self->jobs, id);
    bool holder = j && j->state == J_WITH_WORKER && j->worker == w;
    if (!holder) {
        s_not_holder(self, w, identity, id, "RESULT");
        s_credit_return(self, w);
        return;
    }
    const uint8_t *pid = NULL, *enc = NULL;
    size_t pid_len = 0, enc_len = 0;
    uint64_t text_bytes = 0;
    /* text_bytes is what the store's wire_result_check measures a result against: it
       must be the article's, which the broker alone knows here. */
    if (m->arg_len[1] > WIRE_MAX_RESULT ||
        !brk_pb_peek(m->arg[1], m->arg_len[1], &pid, &pid_len, &enc, &enc_len, &text_bytes) ||
        pid_len != UTIL_ID_HEX || memcmp(pid, id, UTIL_ID_HEX) != 0 ||
        text_bytes > j->article_len) {
        brk_reject(self, R_BAD_RESULT, "RESULT", identity, m->arg[1],
                   m->arg_len[1] < 16 ? m->arg_len[1] : 16,
                   "result protobuf malformed, its job_id differs from the frame's, or its "
                   "text_bytes exceed the article's");
        /* Counted as a failed attempt: a worker that garbles this job may do it again. */
        brk_job_failed(self, j, "worker sent a malformed result", false, true);
        s_credit_return(self, w);
        return;
    }
    w->jobs_done++;
    if (enc_len == 12 && memcmp(enc, "windows-1252", 12) == 0)
        self->windows1252++;
    if (!self->store_id) {
        /* No store to commit it (it just went away): the result is lost, and the job goes
           back to the queue now, no attempt counted, instead of sitting "awaiting commit"
           until a store comes or its deadline passes. */
        brk_back_add(self, j, "no store connected to take the result", false, false, true);
        brk_back_flush(self);
        s_credit_return(self, w);   /* after its held count went down */
        return;
    }
    w->held--;
    j->worker = NULL;
    j->state = J_AWAITING;
    j->deadline_us = util_mono_us() + (uint64_t)self->cfg.deadline_s * 1000000;
    self->awaiting++;
    s_forward_result(self, m);
    s_credit_return(self, w);
}

/* A RESULT frame over WIRE_MAX_RESULT (wire_decode refused it; libzmq let it through up
   to the socket's limit). A worker should have sent FAIL instead; either way the job
   must not wait for its deadline nor the worker lose the credit: the job fails for good
   with the reason, since the same article gives the same result again. */
static void s_on_result_too_big(broker_t *self, zmsg_t *msg, zframe_t *identity)
{
    brk_worker_t *w = identity ? brk_worker_find(self, identity) : NULL;
    if (!w || zmsg_size(msg) != 5)
        return;
    zmsg_first(msg);
    zmsg_next(msg);
    if (!zframe_streq(zmsg_next(msg), "RESULT"))
        return;
    zframe_t *idf = zmsg_next(msg);
    zframe_t *res = zmsg_next(msg);
    if (!util_is_job_id(zframe_data(idf), zframe_size(idf)))
        return;
    char id[UTIL_ID_HEX + 1];
    memcpy(id, zframe_data(idf), UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    w->last_seen_us = util_mono_us();
    brk_job_t *j = zhashx_lookup(self->jobs, id);
    if (!j || j->state != J_WITH_WORKER || j->worker != w) {
        s_not_holder(self, w, identity, id, "RESULT");
        s_credit_return(self, w);
        return;
    }
    char reason[400];
    snprintf(reason, sizeof reason, "result too big: %zu bytes, over the %u MiB limit "
             "(worker %s)", zframe_size(res), WIRE_MAX_RESULT >> 20, w->name);
    util_warn("job %s: %s", id, reason);
    brk_job_failed(self, j, reason, true, false);
    s_credit_return(self, w);
}

static void s_on_fail(broker_t *self, brk_worker_t *w, zframe_t *identity, wire_msg_t *m)
{
    char id[UTIL_ID_HEX + 1];
    memcpy(id, m->arg[0], UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    brk_job_t *j = zhashx_lookup(self->jobs, id);
    if (!j || j->state != J_WITH_WORKER || j->worker != w) {
        s_not_holder(self, w, identity, id, "FAIL");
        s_credit_return(self, w);
        return;
    }
    char reason[QUEUE_MAX_REASON];
    char text[QUEUE_MAX_REASON - 300];
    util_sample(m->arg[1], m->arg_len[1], text, sizeof text);
    bool permanent = m->arg[2][0] == '1';
    snprintf(reason, sizeof reason, "%s (worker %s)", text[0] ? text : "no reason given", w->name);
    util_info("job %s failed on worker %s%s: %s", id, w->name, permanent ? " (permanent)" : "", text);
    brk_job_failed(self, j, reason, permanent, false);
    s_credit_return(self, w);
}

void brk_on_back(broker_t *self, zmsg_t *msg)
{
    zframe_t *identity = NULL;
    wire_msg_t m;
    int rc = wire_decode_msg(msg, true, &identity, &m);
    if (rc) {
        zframe_t *cmd = NULL;
        if (zmsg_size(msg) > 2) {
            zmsg_first(msg);
            zmsg_next(msg);
            cmd = zmsg_next(msg);
        }
        bool result = rc == WIRE_ETOOBIG && cmd && zframe_streq(cmd, "RESULT");
        brk_reject(self, result ? R_RESULT_TOO_BIG : brk_wire_reason(rc), "backend", identity,
                   cmd ? zframe_data(cmd) : NULL, cmd ? zframe_size(cmd) : 0, wire_strerror(rc));
        if (result)
            s_on_result_too_big(self, msg, identity);
        goto leave;
    }
    uint64_t now = util_mono_us();
    if (m.cmd == WIRE_HELLO) {
        s_on_hello(self, msg, identity, &m);
        goto leave;
    }
    if (brk_is_store(self, identity)) {
        self->store_seen_us = now;
        if (m.cmd == WIRE_HB && s_hb_flood(self, &self->store_hb_window_us,
                                           &self->store_hb_count, now)) {
            brk_reject(self, R_HB_FLOOD, "store", identity, "HB", 2,
                       "heartbeats far more often than the interval");
        } else if (m.cmd == WIRE_COMMITTED) {
            brk_on_committed(self, identity, &m);
        } else if (m.cmd == WIRE_REFUSED) {
            brk_on_refused(self, identity, &m);
        } else if (m.cmd == WIRE_BYE) {
            brk_store_drop(self, "said BYE");
        } else if (m.cmd != WIRE_HB && m.cmd != WIRE_READY) {
            brk_reject(self, R_UNEXPECTED, "store", identity, wire_cmd_name(m.cmd),
                       strlen(wire_cmd_name(m.cmd)), "command not valid from a store");
        }
        goto leave;
    }
    if (self->cand_id && zframe_eq(self->cand_id, identity)) {
        /* The waiting store: alive, but nothing it says counts until it is admitted. */
        self->cand_seen_us = now;
        if (m.cmd == WIRE_BYE)
            zframe_destroy(&self->cand_id);
        else if (m.cmd != WIRE_HB)
            brk_reject(self, R_SECOND_STORE, "store", identity, wire_cmd_name(m.cmd),
                       strlen(wire_cmd_name(m.cmd)), "from a store that was not admitted");
        goto leave;
    }
    brk_worker_t *w = brk_worker_find(self, identity);
    if (!w) {
        brk_reject(self, R_UNKNOWN_PEER, "backend", identity, wire_cmd_name(m.cmd),
                   strlen(wire_cmd_name(m.cmd)), "message before HELLO");
        /* Tell it to start over; a worker cut off and dropped will say HELLO again. */
        if (m.cmd != WIRE_BYE)
            wire_send(self->back, identity, WIRE_BYE, 0, NULL, NULL);
        goto leave;
    }
    w->last_seen_us = now;
    switch (m.cmd) {
    case WIRE_HB:
        if (s_hb_flood(self, &w->hb_window_us, &w->hb_count, now))
            brk_reject(self, R_HB_FLOOD, "worker", identity, "HB", 2,
                       "heartbeats far more often than the interval");
        break;
    case WIRE_READY: {
        uint64_t n = 0;
        wire_arg_u64(m.arg[0], m.arg_len[0], &n);
        uint64_t mc = (uint64_t)w->max_credit + n;
        w->max_credit = mc > BRK_MAX_CREDIT ? BRK_MAX_CREDIT : (uint32_t)mc;
        brk_credit_add(self, w, (int64_t)n);
        break;
    }
    case WIRE_RESULT:
        s_on_result(self, w, identity, &m);
        break;
    case WIRE_FAIL:
        s_on_fail(self, w, identity, &m);
        break;
    case WIRE_BYE:
        util_info("worker %s said BYE", w->name);
        brk_worker_release(self, w, "left", false);
        brk_worker_remove(self, w);
        break;
    default:
        brk_reject(self, R_UNEXPECTED, "worker", identity, wire_cmd_name(m.cmd),
                   strlen(wire_cmd_name(m.cmd)), "command not valid from a worker");
        break;
    }
leave:
    zmsg_destroy(&msg);
}
