/*  broker_admin: the ADMIN verbs of the front end: stats, the dead-letter set (list,
    show, requeue), the pending jobs, and pausing dispatch. Part of the broker
    (broker/broker.h); see broker_internal.h. */

#include "broker_internal.h"
#include "auth.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define S_DEAD_LIST_MAX  1000    /* dead-list entries returned by default */

static void s_adminr(broker_t *self, zframe_t *identity, const void *tag, size_t tag_len,
                     bool ok, const char *payload, size_t len)
{
    const char *status = ok ? "ok" : "error";
    const void *args[3] = {tag, status, payload};
    size_t lens[3] = {tag_len, strlen(status), len};
    wire_send(self->front, identity, WIRE_ADMINR, 3, args, lens);
}

/* Estimates a quantile of submit-to-commit latency from the histogram, interpolating
   linearly inside the bucket it falls in (as Prometheus' histogram_quantile does).
   0 when nothing has been committed yet. */
static double s_lat_quantile(const broker_t *self, double q)
{
    if (self->lat_count == 0)
        return 0;
    double rank = q * (double)self->lat_count;
    uint64_t cum = 0;
    for (size_t b = 0; b < BRK_NBUCKETS; b++) {
        uint64_t prev = cum;
        cum += self->lat_buckets[b];
        if ((double)cum >= rank && self->lat_buckets[b]) {
            double lo = b ? brk_buckets[b - 1] : 0;
            return lo + (brk_buckets[b] - lo) * (rank - (double)prev) / (double)self->lat_buckets[b];
        }
    }
    return brk_buckets[BRK_NBUCKETS - 1];
}

static void s_stats_json(broker_t *self, json_t *j)
{
    queue_stats_t qs;
    queue_stats(self->queue, &qs);
    uint64_t now = util_mono_us();
    json_obj_begin(j);
    json_key(j, "depth"); json_int(j, (int64_t)qs.queued);
    json_key(j, "inflight"); json_int(j, (int64_t)(qs.inflight - self->awaiting));
    json_key(j, "awaiting_commit"); json_int(j, (int64_t)self->awaiting);
    json_key(j, "store_credit"); json_int(j, (int64_t)self->store_credit);
    json_key(j, "connected_workers"); json_int(j, (int64_t)self->nworkers);
    json_key(j, "credit"); json_int(j, (int64_t)self->credit_total);
    json_key(j, "workers");
    json_arr_begin(j);
    for (size_t i = 0; i < self->nworkers; i++) {
        brk_worker_t *w = self->wlist[i];
        json_obj_begin(j);
        json_key(j, "name"); json_str(j, w->name);
        json_key(j, "credit"); json_int(j, w->credit);
        json_key(j, "jobs"); json_int(j, w->held);
        json_key(j, "jobs_done"); json_int(j, (int64_t)w->jobs_done);
        json_key(j, "last_heartbeat_ms_ago"); json_int(j, (int64_t)((now - w->last_seen_us) / 1000));
        json_obj_end(j);
    }
    json_arr_end(j);
    json_key(j, "store_connected"); json_bool(j, self->store_id != NULL);
    json_key(j, "store"); json_str(j, self->store_id ? self->store_name : NULL);
    json_key(j, "submitted"); json_int(j, (int64_t)self->submitted);
    json_key(j, "duplicates"); json_int(j, (int64_t)self->duplicates);
    json_key(j, "completed"); json_int(j, (int64_t)self->completed);
    json_key(j, "redelivered"); json_int(j, (int64_t)self->redelivered);
    json_key(j, "dead"); json_int(j, (int64_t)qs.dead);
    json_key(j, "dead_total"); json_int(j, (int64_t)self->dead_total);
    json_key(j, "done"); json_int(j, (int64_t)qs.done);
    json_key(j, "late_results"); json_int(j, (int64_t)self->late_results);
    json_key(j, "windows1252"); json_int(j, (int64_t)self->windows1252);
    json_key(j, "store_refused"); json_int(j, (int64_t)self->store_refused);
    json_key(j, "rehello"); json_int(j, (int64_t)self->rehello);
    json_key(j, "corrupt_records"); json_int(j, (int64_t)self->corrupt);
    json_key(j, "storage_full"); json_int(j, (int64_t)self->storage_full);
    json_key(j, "rejected");
    json_obj_begin(j);
    for (int r = 0; r < R_COUNT; r++) {
        json_key(j, brk_reason_names[r]);
        json_int(j, (int64_t)self->rejected[r]);
    }
    json_obj_end(j);
    json_key(j, "auth");
    json_obj_begin(j);
    json_key(j, "accepted"); json_int(j, (int64_t)auth_accepted(self->cfg.auth));
    json_key(j, "denied"); json_int(j, (int64_t)auth_denied(self->cfg.auth));
    json_key(j, "plain_refused"); json_int(j, (int64_t)auth_plain_refused(self->cfg.auth));
    json_obj_end(j);
    json_key(j, "paused"); json_bool(j, self->paused);
    json_key(j, "latency_p50_s"); json_num(j, s_lat_quantile(self, 0.50));
    json_key(j, "latency_p99_s"); json_num(j, s_lat_quantile(self, 0.99));
    json_key(j, "latency_p999_s"); json_num(j, s_lat_quantile(self, 0.999));
    json_key(j, "latency_count"); json_int(j, (int64_t)self->lat_count);
    json_key(j, "uptime_s"); json_int(j, (int64_t)((now - self->started_us) / 1000000));
    json_obj_end(j);
}

typedef struct {
    json_t *j;
    bool full;   /* dead-show: every field */
} s_dead_ctx_t;

static int s_dead_row(const char *id, uint32_t attempts, const char *reason,
                      const void *article, size_t len, void *arg)
{
    s_dead_ctx_t *c = arg;
    /* Stored bytes were validated at submit; unpack defensively all the same. */
    Crossclaim__Article *a = NULL;
    if (article && wire_unpack_article(article, len, &a) != 0)
        a = NULL;
    json_obj_begin(c->j);
    json_key(c->j, "id"); json_str(c->j, id);
    json_key(c->j, "source"); json_str(c->j, a ? a->source : NULL);
    json_key(c->j, "title"); json_str(c->j, a ? a->title : NULL);
    json_key(c->j, "attempts"); json_int(c->j, attempts);
    json_key(c->j, "reason"); json_str(c->j, reason);
    if (c->full) {
        json_key(c->j, "outlet"); json_str(c->j, a ? a->outlet : NULL);
        json_key(c->j, "published"); json_str(c->j, a ? a->published : NULL);
        json_key(c->j, "text_bytes"); json_int(c->j, a ? (int64_t)a->text.len : 0);
        json_key(c->j, "submitted_us"); json_int(c->j, a ? (int64_t)a->submitted_us : 0);
    }
    json_obj_end(c->j);
    if (a)
        crossclaim__article__free_unpacked(a, NULL);
    return 0;
}

typedef struct {
    json_t *j;
    const char *state;   /* queued, with_worker, awaiting_commit */
    const char *worker;  /* holder's name, or NULL */
} s_pending_ctx_t;

static int s_pending_row(const char *id, uint32_t attempts, const char *reason,
                         const void *article, size_t len, void *arg)
{
    s_pending_ctx_t *c = arg;
    Crossclaim__Article *a = NULL;
    if (article && wire_unpack_article(article, len, &a) != 0)
        a = NULL;
    json_obj_begin(c->j);
    json_key(c->j, "id"); json_str(c->j, id);
    json_key(c->j, "state"); json_str(c->j, c->state);
    json_key(c->j, "worker"); json_str(c->j, c->worker);
    json_key(c->j, "source"); json_str(c->j, a ? a->source : NULL);
    json_key(c->j, "title"); json_str(c->j, a ? a->title : NULL);
    json_key(c->j, "attempts"); json_int(c->j, attempts);
    json_obj_end(c->j);
    if (a)
        crossclaim__article__free_unpacked(a, NULL);
    return 0;
}

/* The jobs not yet done nor dead, at most `limit`: those out with a worker or awaiting
   the store's commit first, then the queued ones in FIFO order. For `crossclaim run` to
   name what it gave up on. Returns 0 or a queue error. */
static int s_pending_json(broker_t *self, json_t *j, size_t limit)
{
    json_arr_begin(j);
    size_t n = 0;
    for (brk_job_t *jb = zhashx_first(self->jobs); jb && n < limit; jb = zhashx_next(self->jobs)) {
        s_pending_ctx_t c = {j, jb->state == J_AWAITING ? "awaiting_commit" : "with_worker",
                             jb->worker ? jb->worker->name : NULL};
        if (queue_job_get(self->queue, jb->id, s_pending_row, &c) == 0)
            n++;
    }
    int64_t rc = 0;
    if (n < limit) {
        s_pending_ctx_t c = {j, "queued", NULL};
        rc = queue_queued_list(self->queue, limit - n, s_pending_row, &c);
    }
    json_arr_end(j);
    return rc < 0 ? (int)rc : 0;
}

void brk_admin_refuse(broker_t *self, zframe_t *identity, wire_msg_t *m, const char *why)
{
    s_adminr(self, identity, m->arg[0], m->arg_len[0], false, why, strlen(why));
}

void brk_on_admin(broker_t *self, zframe_t *identity, wire_msg_t *m)
{
    const uint8_t *tag = m->arg[0];
    size_t tag_len = m->arg_len[0];
    char verb[32] = "", arg[64] = "";
    bool has_arg = m->nargs > 2;
    if (m->arg_len[1] >= sizeof verb || (has_arg && m->arg_len[2] >= sizeof arg)) {
        brk_reject(self, R_ARGUMENT, "ADMIN", identity, m->arg[1], m->arg_len[1], "verb or argument too long");
        s_adminr(self, identity, tag, tag_len, false, "verb or argument too long", 25);
        return;
    }
    memcpy(verb, m->arg[1], m->arg_len[1]);
    verb[m->arg_len[1]] = 0;
    if (has_arg) {
        memcpy(arg, m->arg[2], m->arg_len[2]);
        arg[m->arg_len[2]] = 0;
    }
    json_t *j = self->json;
    json_reset(j);
    const char *err = NULL;
    char ebuf[160];
    bool need_id = !strcmp(verb, "dead-show") || !strcmp(verb, "requeue");
    if (need_id && !util_is_job_id(arg, strlen(arg))) {
        err = "this verb needs a job id (32 lowercase hex digits)";
    } else if (!strcmp(verb, "stats")) {
        s_stats_json(self, j);
    } else if (!strcmp(verb, "dead-list")) {
        uint64_t limit = S_DEAD_LIST_MAX;
        if (has_arg && wire_arg_u64(m->arg[2], m->arg_len[2], &limit) != 0) {
            err = "dead-list takes an optional number: the most entries to list";
        } else {
            s_dead_ctx_t c = {j, false};
            json_arr_begin(j);
            int64_t n = queue_dead_list(self->queue, (size_t)limit, s_dead_row, &c);
            json_arr_end(j);
            if (n < 0) {
                snprintf(ebuf, sizeof ebuf, "queue: %s", queue_strerror((int)n));
                err = ebuf;
            }
        }
    } else if (!strcmp(verb, "pending")) {
        uint64_t limit = 20;
        if (has_arg && (wire_arg_u64(m->arg[2], m->arg_len[2], &limit) != 0 || limit == 0)) {
            err = "pending takes an optional number: the most entries to list";
        } else {
            int rc = s_pending_json(self, j, limit > S_DEAD_LIST_MAX ? S_DEAD_LIST_MAX : limit);
            if (rc < 0) {
                snprintf(ebuf, sizeof ebuf, "queue: %s", queue_strerror(rc));
                err = ebuf;
            }
        }
    } else if (!strcmp(verb, "dead-show")) {
        s_dead_ctx_t c = {j, true};
        int rc = queue_dead_get(self->queue, arg, s_dead_row, &c);
        if (rc == QUEUE_ENOTFOUND)
            err = "no such dead job";
        else if (rc < 0) {
            snprintf(ebuf, sizeof ebuf, "queue: %s", queue_strerror(rc));
            err = ebuf;
        }
    } else if (!strcmp(verb, "requeue")) {
        int rc = queue_requeue_dead(self->queue, arg);
        if (rc == QUEUE_ENOTFOUND)
            err = "no such dead job";
        else if (rc < 0) {
            snprintf(ebuf, sizeof ebuf, "queue: %s", queue_strerror(rc));
            err = ebuf;
        } else {
            util_info("admin: requeued dead job %s", arg);
            json_obj_begin(j);
            json_key(j, "requeued"); json_int(j, 1);
            json_obj_end(j);
        }
    } else if (!strcmp(verb, "requeue-all")) {
        int64_t n = queue_requeue_all_dead(self->queue);
        if (n < 0) {
            snprintf(ebuf, sizeof ebuf, "queue: %s", queue_strerror((int)n));
            err = ebuf;
        } else {
            util_info("admin: requeued %" PRId64 " dead jobs", n);
            json_obj_begin(j);
            json_key(j, "requeued"); json_int(j, n);
            json_obj_end(j);
        }
    } else if (!strcmp(verb, "pause") || !strcmp(verb, "resume")) {
        bool p = !strcmp(verb, "pause");
        int rc = queue_set_paused(self->queue, p);
        if (rc < 0) {
            snprintf(ebuf, sizeof ebuf, "queue: %s", queue_strerror(rc));
            err = ebuf;
        } else {
            if (p != self->paused)
                util_info("admin: dispatch %s", p ? "paused" : "resumed");
            self->paused = p;
            json_obj_begin(j);
            json_key(j, "paused"); json_bool(j, self->paused);
            json_obj_end(j);
        }
    } else {
        snprintf(ebuf, sizeof ebuf,
                 "unknown verb; try stats, dead-list, dead-show ID, pending [N], requeue ID, "
                 "requeue-all, pause, resume");
        err = ebuf;
    }
    if (err)
        s_adminr(self, identity, tag, tag_len, false, err, strlen(err));
    else
        s_adminr(self, identity, tag, tag_len, true, json_data(j), json_len(j));
}
