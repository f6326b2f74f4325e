/*  broker_reject: refusing what peers send. Every bad message is counted by reason,
    sampled into the log under a rate limit, and dropped; nothing asserts on peer input.
    Part of the broker (broker/broker.h); see broker_internal.h. */

#include "broker_internal.h"
#include "auth.h"

#include <stdio.h>

const char *const brk_reason_names[R_COUNT] = {
    [R_FRAMES] = "frames",           [R_PROTOCOL] = "protocol",
    [R_COMMAND] = "command",         [R_ARGUMENT] = "argument",
    [R_TOO_BIG] = "too_big",         [R_PROTOBUF] = "protobuf",
    [R_EMPTY] = "empty_article",     [R_ID_MISMATCH] = "id_mismatch",
    [R_UNKNOWN_PEER] = "unknown_peer", [R_UNEXPECTED] = "unexpected_command",
    [R_BAD_RESULT] = "bad_result",   [R_STORAGE] = "storage",
    [R_NUL] = "nul_bytes",           [R_ARTICLE_TOO_BIG] = "article_too_big",
    [R_HB_FLOOD] = "heartbeat_flood",
    /* roles (STYLE.md rule 16) */
    [R_NOT_HOLDER] = "not_holder",     /* RESULT/FAIL for a job this worker does not hold */
    [R_SECOND_STORE] = "second_store", /* HELLO store while another store is connected */
    [R_NOT_SENT] = "not_sent_to_store", /* COMMITTED/REFUSED for a result not sent to it */
    [R_HELLO_FLOOD] = "hello_flood",   /* a worker repeating HELLO beyond S_HELLO_MAX */
    [R_RESULT_TOO_BIG] = "result_too_big", /* RESULT frame over WIRE_MAX_RESULT */
    [R_ROLE] = "role",                 /* a key acting outside the roles of its allow dirs */
};

static void s_hex(const uint8_t *p, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    if (n > 256)
        n = 256;
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[p[i] >> 4];
        out[2 * i + 1] = hx[p[i] & 15];
    }
    out[2 * n] = 0;
}

void brk_frame_key(zframe_t *f, char *out)
{
    s_hex(zframe_data(f), zframe_size(f), out);
}

/* Counts a rejected message and logs a short sample, at most BRK_LOG_PER_SEC lines a
   second so that a flood of garbage can't turn into a flood of log writes. */
void brk_reject(broker_t *self, brk_reason_t r, const char *where, zframe_t *identity,
                const void *sample, size_t sample_len, const char *detail)
{
    self->rejected[r]++;
    uint64_t now = util_mono_us();
    if (now - self->log_window_us >= 1000000) {
        if (self->log_suppressed)
            util_warn("%u more rejected messages not logged", self->log_suppressed);
        self->log_window_us = now;
        self->log_in_window = 0;
        self->log_suppressed = 0;
    }
    if (self->log_in_window++ >= BRK_LOG_PER_SEC) {
        self->log_suppressed++;
        return;
    }
    char peer[16] = "-", smp[80] = "";
    if (identity)
        s_hex(zframe_data(identity), zframe_size(identity) < 6 ? zframe_size(identity) : 6, peer);
    if (sample)
        util_sample(sample, sample_len, smp, sizeof smp);
    util_warn("%s: rejected (%s) from peer %s: %s [%s]", where, brk_reason_names[r], peer,
              detail ? detail : "", smp);
}

bool brk_peer_may(broker_t *self, zmsg_t *msg, zframe_t *identity, unsigned role,
                  const char *where)
{
    /* The connection's metadata rides on the frames the peer sent, not on the identity
       frame the ROUTER made up. */
    zmsg_first(msg);
    if (auth_peer_may(self->cfg.auth, zmsg_next(msg), role))
        return true;
    char detail[160];
    snprintf(detail, sizeof detail, "this key may not act as %s (its key is not in "
             "--allow-%ss or --curve-allow)", auth_role_name(role), auth_role_name(role));
    brk_reject(self, R_ROLE, where, identity, NULL, 0, detail);
    return false;
}

brk_reason_t brk_wire_reason(int rc)
{
    switch (rc) {
    case WIRE_EFRAMES: return R_FRAMES;
    case WIRE_EPROTO: return R_PROTOCOL;
    case WIRE_ECOMMAND: return R_COMMAND;
    case WIRE_ETOOBIG: return R_TOO_BIG;
    case WIRE_EPROTOBUF: return R_PROTOBUF;
    default: return R_ARGUMENT;
    }
}
