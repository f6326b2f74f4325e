/*  client: pipelined SUBMIT with retries, and ADMIN requests, over one DEALER socket. */
#include "client.h"
#include "auth.h"
#include "wire.h"
#include "util.h"

#include <czmq.h>
#include <string.h>

typedef struct {
    uint64_t tag;
    uint8_t *packed;       /* the Article protobuf, kept until answered */
    size_t len;
    char *source;
    uint64_t due_us;       /* when to resend */
    unsigned backoff_ms;
} s_pending_t;

struct client_t {
    zsock_t *sock;
    auth_t *auth;          /* borrowed: CURVE for tcp, and the handshake watch */
    zpoller_t *poller;     /* on sock; made once, not per pump */
    uint64_t next_scan_us; /* next look for overdue resends */
    zhashx_t *pending;     /* tag string -> s_pending_t* */
    unsigned window;
    double rate;            /* articles a second at most, 0: as the window allows */
    uint64_t rate_t0_us;    /* when the first paced article went */
    unsigned retry_ms;
    bool keep_text;        /* Article.keep_text on everything sent */
    uint64_t next_tag;
    uint64_t last_answer_us;  /* when the broker last said anything */
    client_stats_t st;
    client_nack_fn *nack_fn;
    void *nack_arg;
    /* the admin answer being waited for */
    char admin_tag[24];
    int admin_rc;
    char *admin_payload;
    bool admin_done;
};

static void s_pending_free(void **item)
{
    s_pending_t *p = *item;
    if (p) {
        free(p->packed);
        free(p->source);
        free(p);
        *item = NULL;
    }
}

client_t *client_new_auth(const char *endpoint, unsigned window, auth_t *auth)
{
    zsock_t *sock = zsock_new(ZMQ_DEALER);
    if (!sock)
        return NULL;
    zsock_set_linger(sock, 0);
    zsock_set_sndhwm(sock, 0);
    zsock_set_rcvhwm(sock, 0);
    /* A refused handshake leaves the DEALER without a pipe, where a send would block for
       ever; with no wait the article stays pending and is resent (or the wait gives up). */
    zsock_set_sndtimeo(sock, 0);
    char err[512];
    if (auth_connect(auth, sock, endpoint, err, sizeof err) != 0) {
        util_error("broker: %s", err);
        zsock_destroy(&sock);
        return NULL;
    }
    client_t *self = util_calloc(1, sizeof *self);
    self->sock = sock;
    self->auth = auth;
    self->poller = zpoller_new(sock, NULL);
    self->pending = zhashx_new();
    zhashx_set_destructor(self->pending, s_pending_free);
    self->window = window ? window : 256;
    self->retry_ms = 5000;
    self->next_tag = 1;
    self->last_answer_us = util_mono_us();
    return self;
}

client_t *client_new(const char *endpoint, unsigned window)
{
    return client_new_auth(endpoint, window, NULL);
}

const char *client_auth_failure(client_t *self)
{
    int rc = self ? auth_check(self->auth) : 0;
    return rc ? auth_strerror(rc) : NULL;
}

/* True when waiting is pointless: the broker refused our key, or one side runs CURVE and
   the other plain tcp. Other handshake failures (a connection cut mid-handshake by a
   broker restart) are waited out like silence. */
static bool s_refused(client_t *self)
{
    int rc = auth_check(self->auth);
    return rc == AUTH_EREFUSED || rc == AUTH_ENEEDCURVE || rc == AUTH_ENOCURVE;
}

void client_destroy(client_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    client_t *self = *self_p;
    zhashx_destroy(&self->pending);
    zpoller_destroy(&self->poller);
    zsock_destroy(&self->sock);
    free(self->admin_payload);
    free(self);
    *self_p = NULL;
}

void client_on_nack(client_t *self, client_nack_fn *fn, void *arg)
{
    self->nack_fn = fn;
    self->nack_arg = arg;
}

void client_set_retry(client_t *self, unsigned retry_ms)
{
    self->retry_ms = retry_ms ? retry_ms : 5000;
}

void client_set_keep_text(client_t *self, bool keep)
{
    self->keep_text = keep;
}

static void s_send_pending(client_t *self, s_pending_t *p)
{
    char tag[24];
    int n = snprintf(tag, sizeof tag, "%llu", (unsigned long long)p->tag);
    const void *args[2] = {tag, p->packed};
    size_t lens[2] = {(size_t)n, p->len};
    wire_send(self->sock, NULL, WIRE_SUBMIT, 2, args, lens);
    p->due_us = util_mono_us() + (uint64_t)p->backoff_ms * 1000u;
}

static void s_answer(client_t *self, const wire_msg_t *m)
{
    char tag[WIRE_MAX_TAG + 1];
    memcpy(tag, m->arg[0], m->arg_len[0]);
    tag[m->arg_len[0]] = 0;
    if (m->cmd == WIRE_ADMINR) {
        if (strcmp(tag, self->admin_tag) != 0)
            return; /* an answer to a request we gave up on */
        self->admin_rc = (m->arg_len[1] == 2 && memcmp(m->arg[1], "ok", 2) == 0) ? 0 : -1;
        free(self->admin_payload);
        self->admin_payload = util_strndup((const char *)m->arg[2], m->arg_len[2]);
        self->admin_done = true;
        return;
    }
    s_pending_t *p = zhashx_lookup(self->pending, tag);
    if (!p)
        return; /* an answer to a resend already answered */
    if (m->cmd == WIRE_ACK) {
        if (m->arg_len[2] == 9 && memcmp(m->arg[2], "duplicate", 9) == 0)
            self->st.duplicate++;
        else
            self->st.queued++;
    } else {
        self->st.rejected++;
        char reason[512];
        size_t n = m->arg_len[1] < sizeof reason - 1 ? m->arg_len[1] : sizeof reason - 1;
        memcpy(reason, m->arg[1], n);
        reason[n] = 0;
        if (self->nack_fn)
            self->nack_fn(self->nack_arg, p->source, reason);
    }
    zhashx_delete(self->pending, tag);
}

/* Reads what is there, waiting at most `ms`; then resends what is overdue. Called once
   per submitted article, so it allocates nothing and looks for overdue resends (a walk
   over the whole window) at most every 100 ms, far below the resend times. */
void client_pump(client_t *self, int ms)
{
    int wait = ms;
    while (zpoller_wait(self->poller, wait) == self->sock) {
        zmsg_t *msg = zmsg_recv(self->sock);
        if (!msg)
            break;
        self->last_answer_us = util_mono_us();
        wire_msg_t m;
        int rc = wire_decode_msg(msg, false, NULL, &m);
        if (rc == 0 && (m.cmd == WIRE_ACK || m.cmd == WIRE_NACK || m.cmd == WIRE_ADMINR))
            s_answer(self, &m);
        else if (rc != 0)
            util_warn("bad message from broker: %s", wire_strerror(rc));
        zmsg_destroy(&msg);
        wait = 0; /* drain what is queued, then go on */
    }
    uint64_t now = util_mono_us();
    if (now < self->next_scan_us)
        return;
    self->next_scan_us = now + 100000;
    for (s_pending_t *p = zhashx_first(self->pending); p; p = zhashx_next(self->pending)) {
        if (p->due_us <= now) {
            if (p->backoff_ms < 60000)
                p->backoff_ms *= 2;
            self->st.resent++;
            s_send_pending(self, p);
        }
    }
}

static int s_wait_below(client_t *self, size_t limit, unsigned give_up_ms)
{
    while (zhashx_size(self->pending) > limit) {
        client_pump(self, 100);
        if (zsys_interrupted || s_refused(self))
            return -1;
        if (give_up_ms && util_mono_us() - self->last_answer_us > (uint64_t)give_up_ms * 1000u)
            return -1;
    }
    return 0;
}

void client_set_rate(client_t *self, double per_s)
{
    self->rate = per_s > 0 ? per_s : 0;
}

int client_submit(client_t *self, const Crossclaim__Article *a, unsigned give_up_ms)
{
    /* paced: article k goes at t0 + k / rate, answers read while it waits */
    if (self->rate > 0) {
        if (self->st.sent == 0)
            self->rate_t0_us = util_mono_us();
        uint64_t due = self->rate_t0_us + (uint64_t)((double)self->st.sent * 1e6 / self->rate);
        for (uint64_t now; (now = util_mono_us()) < due && !zsys_interrupted; )
            client_pump(self, (int)((due - now + 999) / 1000));
    }
    if (zhashx_size(self->pending) >= self->window) {
        if (s_wait_below(self, self->window - 1, give_up_ms) != 0)
            return -1;
    } else {
        client_pump(self, 0);
    }
    s_pending_t *p = util_calloc(1, sizeof *p);
    p->tag = self->next_tag++;
    Crossclaim__Article art = *a;
    art.keep_text = a->keep_text || self->keep_text;
    /* the producer's clock: the broker's submit-to-commit latency starts here, not at
       its own enqueue (a retry resends these bytes, so the first try's time stays) */
    if (!art.submitted_us)
        art.submitted_us = util_wall_us();
    p->packed = wire_pack_article(&art, &p->len);
    p->source = util_strdup(a->source ? a->source : "");
    p->backoff_ms = self->retry_ms;
    char tag[24];
    snprintf(tag, sizeof tag, "%llu", (unsigned long long)p->tag);
    zhashx_insert(self->pending, tag, p);
    if (self->st.sent == 0 || zhashx_size(self->pending) == 1)
        self->last_answer_us = util_mono_us(); /* the give-up clock starts at the first wait */
    self->st.sent++;
    s_send_pending(self, p);
    return 0;
}

int client_flush(client_t *self, unsigned give_up_ms)
{
    self->last_answer_us = util_mono_us();
    return s_wait_below(self, 0, give_up_ms);
}

void client_stats(client_t *self, client_stats_t *out)
{
    *out = self->st;
    out->pending = zhashx_size(self->pending);
}

int client_admin(client_t *self, const char *verb, const char *arg, char **payload,
                 unsigned timeout_ms)
{
    snprintf(self->admin_tag, sizeof self->admin_tag, "a%llu", (unsigned long long)self->next_tag++);
    self->admin_done = false;
    if (arg)
        wire_sendv(self->sock, NULL, WIRE_ADMIN, self->admin_tag, verb, arg, NULL);
    else
        wire_sendv(self->sock, NULL, WIRE_ADMIN, self->admin_tag, verb, NULL);
    uint64_t deadline = util_mono_us() + (uint64_t)timeout_ms * 1000u;
    while (!self->admin_done && util_mono_us() < deadline && !zsys_interrupted &&
           !s_refused(self))
        client_pump(self, 50);
    self->admin_tag[0] = 0;
    if (!self->admin_done) {
        *payload = NULL;
        return -2;
    }
    *payload = self->admin_payload;
    self->admin_payload = NULL;
    return self->admin_rc;
}
