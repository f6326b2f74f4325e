/*  storeq: requests to the store's query socket. See storeq.h. */
#include "storeq.h"
#include "auth.h"
#include "util.h"
#include "wire.h"

#include <czmq.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct storeq_t {
    char *endpoint;
    auth_t *auth;           /* borrowed; NULL: ipc only */
    zsock_t *sock;          /* DEALER; made anew after a time-out */
    unsigned timeout_ms;
    int auth_rc;            /* the last wait's failed handshake (auth.h), or 0 */
    char reason[256];       /* the last ERR's words */
};

static int s_connect(storeq_t *self)
{
    zsock_destroy(&self->sock);
    self->sock = zsock_new(ZMQ_DEALER);
    if (!self->sock)
        return -1;
    zsock_set_linger(self->sock, 0);
    zsock_set_rcvhwm(self->sock, 0); /* a snapshot must arrive whole */
    char err[512];
    if (auth_connect(self->auth, self->sock, self->endpoint, err, sizeof err) != 0) {
        util_error("the store's query socket: %s", err);
        zsock_destroy(&self->sock);
        return -1;
    }
    return 0;
}

storeq_t *storeq_new(const char *endpoint, auth_t *auth)
{
    storeq_t *self = util_calloc(1, sizeof *self);
    self->endpoint = util_strdup(endpoint);
    self->auth = auth;
    self->timeout_ms = 3000;
    if (s_connect(self) != 0)
        storeq_destroy(&self);
    return self;
}

void storeq_destroy(storeq_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    storeq_t *self = *self_p;
    zsock_destroy(&self->sock);
    free(self->endpoint);
    free(self);
    *self_p = NULL;
}

void storeq_set_timeout(storeq_t *self, unsigned ms)
{
    self->timeout_ms = ms ? ms : 3000;
}

const char *storeq_reason(storeq_t *self)
{
    return self->reason;
}

const char *storeq_strerror(int rc)
{
    switch (rc) {
    case 0: return "ok";
    case STOREQ_ETIMEOUT: return "no answer from the store";
    case STOREQ_EREFUSED: return "the store refused the request";
    case STOREQ_EPROTO: return "the answer is not the store's protocol";
    case STOREQ_EGAP: return "updates after that seq are no longer kept";
    case STOREQ_ENOTFOUND: return "no such record";
    case STOREQ_EAUTH: return "the security handshake with the store failed";
    default: return "error";
    }
}

static int s_send(storeq_t *self, const char *verb, const char *arg)
{
    self->reason[0] = 0;
    if (!self->sock && s_connect(self) != 0)
        return STOREQ_EPROTO;
    zmsg_t *m = zmsg_new();
    zmsg_addstr(m, verb);
    if (arg)
        zmsg_addstr(m, arg);
    if (zmsg_send(&m, self->sock) != 0) {
        zmsg_destroy(&m);
        return STOREQ_ETIMEOUT;
    }
    return 0;
}

/* The next answer message, or NULL after the time-out or a failed CURVE handshake (then
   self->auth_rc says so). Either way the socket is made anew, so a late answer can't be
   taken for the next request's. The wait is sliced so that a refused key is told at once
   rather than after the whole time-out. */
static zmsg_t *s_recv(storeq_t *self)
{
    zmq_pollitem_t item = {zsock_resolve(self->sock), 0, ZMQ_POLLIN, 0};
    uint64_t end = util_mono_us() + (uint64_t)self->timeout_ms * 1000;
    zmsg_t *m = NULL;
    self->auth_rc = 0;
    for (;;) {
        uint64_t now = util_mono_us();
        long slice = now >= end ? 0 : (long)((end - now + 999) / 1000);
        if (self->auth && slice > 100)
            slice = 100;
        int n = zmq_poll(&item, 1, slice);
        if (n > 0) {
            m = zmsg_recv(self->sock);
            break;
        }
        if (n < 0 || util_mono_us() >= end || (self->auth_rc = auth_check(self->auth)) != 0)
            break;
    }
    if (!m)
        s_connect(self);
    return m;
}

/* Why s_recv came back empty: a failed handshake (its words in self->reason) or time. */
static int s_no_answer(storeq_t *self)
{
    if (!self->auth_rc)
        return STOREQ_ETIMEOUT;
    snprintf(self->reason, sizeof self->reason, "%s", auth_strerror(self->auth_rc));
    return STOREQ_EAUTH;
}

/* True when frame `f` holds exactly `s`. */
static bool s_is(zframe_t *f, const char *s)
{
    return f && zframe_size(f) == strlen(s) && memcmp(zframe_data(f), s, zframe_size(f)) == 0;
}

/* Reads an ERR answer's reason into self->reason and maps it to a code. */
static int s_refused(storeq_t *self, zmsg_t *m)
{
    zframe_t *f = zmsg_next(m);
    snprintf(self->reason, sizeof self->reason, "%.*s", f ? (int)zframe_size(f) : 0,
             f ? (const char *)zframe_data(f) : "");
    if (strcmp(self->reason, "no such record") == 0)
        return STOREQ_ENOTFOUND;
    if (strncmp(self->reason, "gap", 3) == 0)
        return STOREQ_EGAP;
    return STOREQ_EREFUSED;
}

static int s_u64(zframe_t *f, uint64_t *out)
{
    if (!f || wire_arg_u64(zframe_data(f), zframe_size(f), out) != 0)
        return STOREQ_EPROTO;
    return 0;
}

int storeq_get(storeq_t *self, const char *verb, const char *arg, char **payload)
{
    *payload = NULL;
    int rc = s_send(self, verb, arg);
    if (rc)
        return rc;
    zmsg_t *m = s_recv(self);
    if (!m)
        return s_no_answer(self);
    zframe_t *head = zmsg_first(m);
    if (s_is(head, "OK") && zmsg_size(m) >= 2)
        *payload = zframe_strdup(zmsg_last(m));
    else
        rc = s_is(head, "ERR") ? s_refused(self, m) : STOREQ_EPROTO;
    zmsg_destroy(&m);
    return rc;
}

int storeq_stream(storeq_t *self, const char *verb, const char *what, storeq_line_fn *fn,
                  void *arg, uint64_t *seq, uint64_t *records)
{
    int rc = s_send(self, verb, what);
    if (rc)
        return rc;
    int stop = 0;
    for (;;) {
        zmsg_t *m = s_recv(self);
        if (!m)
            return s_no_answer(self);
        zframe_t *head = zmsg_first(m);
        if (s_is(head, "DATA")) {
            zframe_t *f = zmsg_next(m);
            const char *p = f ? (const char *)zframe_data(f) : "";
            const char *end = p + (f ? zframe_size(f) : 0);
            while (!stop && p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
                if (len)
                    stop = fn(arg, p, len);
                p += len + 1;
            }
        } else if (s_is(head, "END")) {
            uint64_t s = 0, n = 0;
            rc = s_u64(zmsg_next(m), &s);
            if (!rc)
                rc = s_u64(zmsg_next(m), &n);
            if (seq)
                *seq = s;
            if (records)
                *records = n;
            zmsg_destroy(&m);
            return rc ? rc : stop;
        } else {
            rc = s_is(head, "ERR") ? s_refused(self, m) : STOREQ_EPROTO;
            zmsg_destroy(&m);
            return rc;
        }
        zmsg_destroy(&m);
    }
}

int storeq_since(storeq_t *self, uint64_t after, storeq_update_fn *fn, void *arg,
                 uint64_t *last)
{
    char a[24];
    snprintf(a, sizeof a, "%" PRIu64, after);
    int rc = s_send(self, "SINCE", a);
    if (rc)
        return rc;
    int stop = 0;
    for (;;) {
        zmsg_t *m = s_recv(self);
        if (!m)
            return s_no_answer(self);
        zframe_t *head = zmsg_first(m);
        if (s_is(head, "UPDATE") && zmsg_size(m) == 4) {
            uint64_t s;
            zframe_t *fs = zmsg_next(m), *ft = zmsg_next(m), *fu = zmsg_next(m);
            if (s_u64(fs, &s) != 0) {
                zmsg_destroy(&m);
                return STOREQ_EPROTO;
            }
            if (!stop)
                stop = fn(arg, s, (const char *)zframe_data(ft), zframe_size(ft),
                          zframe_data(fu), zframe_size(fu));
        } else if (s_is(head, "END")) {
            uint64_t s = 0;
            rc = s_u64(zmsg_next(m), &s);
            if (last)
                *last = s;
            zmsg_destroy(&m);
            return rc ? rc : stop;
        } else {
            rc = s_is(head, "ERR") ? s_refused(self, m) : STOREQ_EPROTO;
            zmsg_destroy(&m);
            return rc;
        }
        zmsg_destroy(&m);
    }
}
