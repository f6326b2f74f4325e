/*  broker_front: the front end: producers' SUBMITs validated and collected into one
    group commit, then ACKed (or NACKed with the reason), and the routing of each front-end
    message to SUBMIT or ADMIN. Part of the broker (broker/broker.h); see
    broker_internal.h. */

#include "broker_internal.h"
#include "auth.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Returns the tag of a message that failed to decode, when it looks like a SUBMIT or an
   ADMIN with a sane tag frame, so the producer can still be told why. */
static bool s_salvage_tag(zmsg_t *msg, const uint8_t **tag, size_t *len)
{
    if (zmsg_size(msg) < 4)
        return false;
    zframe_t *f = zmsg_first(msg);        /* identity */
    f = zmsg_next(msg);                   /* CC1 */
    if (!zframe_streq(f, WIRE_PROTO))
        return false;
    f = zmsg_next(msg);                   /* command */
    if (!zframe_streq(f, "SUBMIT") && !zframe_streq(f, "ADMIN"))
        return false;
    f = zmsg_next(msg);
    if (zframe_size(f) > WIRE_MAX_TAG)
        return false;
    *tag = zframe_data(f);
    *len = zframe_size(f);
    return true;
}

static void s_nack(broker_t *self, zframe_t *identity, const void *tag, size_t tag_len,
                   const char *reason)
{
    const void *args[2] = {tag, reason};
    size_t lens[2] = {tag_len, strlen(reason)};
    wire_send(self->front, identity, WIRE_NACK, 2, args, lens);
}

/* Group commit: every SUBMIT collected in this pass goes into one durable transaction,
   and only then are they acknowledged. */
int brk_flush_submits(broker_t *self)
{
    if (self->npending == 0)
        return 0;
    for (size_t i = 0; i < self->npending; i++) {
        zframe_t *f = zmsg_last(self->pending[i].msg);
        self->items[i] = (queue_item_t){.id = self->pending[i].id,
                                        .article = zframe_data(f), .len = zframe_size(f),
                                        .submitted_us = self->pending[i].submitted_us};
    }
    int rc = queue_put_batch(self->queue, self->items, self->npending);
    for (size_t i = 0; i < self->npending; i++) {
        brk_pending_t *p = &self->pending[i];
        if (rc < 0) {
            char why[400];
            if (rc == QUEUE_EFULL)
                snprintf(why, sizeof why, "queue full: no space left in %s/broker (map at its "
                         "limit); try again later", self->cfg.data_dir);
            else if (rc == -ENOSPC || rc == -EDQUOT)
                snprintf(why, sizeof why, "disk full: no space left in %s/broker; try again "
                         "later", self->cfg.data_dir);
            else
                snprintf(why, sizeof why, "broker storage error: %s", queue_strerror(rc));
            s_nack(self, p->identity, p->tag, p->tag_len, why);
            self->rejected[R_STORAGE]++;
        } else {
            const char *state = self->items[i].added ? "queued" : "duplicate";
            if (self->items[i].added)
                self->submitted++;
            else
                self->duplicates++;
            const void *args[3] = {p->tag, p->id, state};
            size_t lens[3] = {p->tag_len, UTIL_ID_HEX, strlen(state)};
            wire_send(self->front, p->identity, WIRE_ACK, 3, args, lens);
        }
        zmsg_destroy(&p->msg);
    }
    if (rc < 0) {
        self->storage_full += rc == QUEUE_EFULL || rc == -ENOSPC || rc == -EDQUOT;
        static uint64_t logged_us;
        uint64_t now = util_mono_us();
        if (now - logged_us > 5u * 1000000u) {
            util_error("queue: group commit of %zu jobs failed: %s (refused, still serving)",
                       self->npending, queue_strerror(rc));
            logged_us = now;
        }
    }
    self->npending = 0;
    /* Storage trouble refuses new work; it never stops the broker, which keeps serving
       and acking what it holds, and takes work again when space returns. */
    return 0;
}

/* Validates a SUBMIT; takes ownership of *msg_p when it joins the pending batch. */
static void s_on_submit(broker_t *self, zmsg_t **msg_p, zframe_t *identity, wire_msg_t *m)
{
    const uint8_t *tag = m->arg[0];
    size_t tag_len = m->arg_len[0];
    Crossclaim__Article *a = NULL;
    int rc = wire_unpack_article(m->arg[1], m->arg_len[1], &a);
    if (rc) {
        /* The frame fit (else wire_decode refused it): too big here is the text. */
        bool text = rc == WIRE_ETOOBIG;
        brk_reject(self, text ? R_ARTICLE_TOO_BIG : brk_wire_reason(rc), "SUBMIT", identity,
                   m->arg[1], m->arg_len[1] < 16 ? m->arg_len[1] : 16, wire_strerror(rc));
        s_nack(self, identity, tag, tag_len,
               text ? "article over the size limit (8 MiB of text)" : wire_strerror(rc));
        return;
    }
    char id[UTIL_ID_HEX + 1];
    if (a->text.len == 0) {
        brk_reject(self, R_EMPTY, "SUBMIT", identity, a->source, strlen(a->source),
                   "empty article");
        s_nack(self, identity, tag, tag_len, "empty article");
        goto leave;
    }
    /* A NUL is never text: a binary file or a broken producer (the CLI checks too). */
    if (memchr(a->text.data, 0, a->text.len)) {
        brk_reject(self, R_NUL, "SUBMIT", identity, a->source, strlen(a->source),
                   "article holds NUL bytes");
        s_nack(self, identity, tag, tag_len, "article holds NUL bytes (a binary file?)");
        goto leave;
    }
    util_job_id(a->title, strlen(a->title), a->text.data, a->text.len, id);
    if (strcmp(id, a->id) != 0) {
        brk_reject(self, R_ID_MISMATCH, "SUBMIT", identity, a->id, strlen(a->id),
                   "job id does not match title and text");
        s_nack(self, identity, tag, tag_len, "job id does not match the article's title and text");
        goto leave;
    }
    brk_pending_t *p = &self->pending[self->npending++];
    p->msg = *msg_p;
    *msg_p = NULL;
    p->identity = identity;
    p->tag = tag;
    p->tag_len = tag_len;
    memcpy(p->id, id, sizeof id);
    p->submitted_us = a->submitted_us;
leave:
    crossclaim__article__free_unpacked(a, NULL);
}

void brk_on_front(broker_t *self, zmsg_t *msg)
{
    zframe_t *identity = NULL;
    wire_msg_t m;
    int rc = wire_decode_msg(msg, true, &identity, &m);
    if (rc) {
        const uint8_t *tag;
        size_t tag_len;
        zframe_t *cmd = NULL;
        if (zmsg_size(msg) > 2) {
            zmsg_first(msg);
            zmsg_next(msg);
            cmd = zmsg_next(msg);
        }
        brk_reject(self, brk_wire_reason(rc), "frontend", identity,
                   cmd ? zframe_data(cmd) : NULL, cmd ? zframe_size(cmd) : 0, wire_strerror(rc));
        if (identity && s_salvage_tag(msg, &tag, &tag_len))
            s_nack(self, identity, tag, tag_len, wire_strerror(rc));
        goto leave;
    }
    switch (m.cmd) {
    case WIRE_SUBMIT:
        if (brk_peer_may(self, msg, identity, AUTH_ROLE_PRODUCER, "SUBMIT"))
            s_on_submit(self, &msg, identity, &m);
        else
            s_nack(self, identity, m.arg[0], m.arg_len[0], "refused: this CURVE key may not "
                   "submit (it is not in the broker's --allow-producers or --curve-allow dir)");
        break;
    case WIRE_ADMIN:
        if (brk_peer_may(self, msg, identity, AUTH_ROLE_ADMIN, "ADMIN"))
            brk_on_admin(self, identity, &m);
        else
            brk_admin_refuse(self, identity, &m, "refused: this CURVE key may not send admin "
                             "requests (it is not in the broker's --allow-admins or "
                             "--curve-allow dir)");
        break;
    default:
        brk_reject(self, R_UNEXPECTED, "frontend", identity, wire_cmd_name(m.cmd),
                   strlen(wire_cmd_name(m.cmd)), "command not valid on the front end");
        break;
    }
leave:
    zmsg_destroy(&msg);
}
