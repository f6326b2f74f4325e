/*  worker: job loop, heartbeats, and the conversion from the extractor's result to the
    Result protobuf. The conversion borrows every string from the extractor's arena so a
    job costs one pack buffer and a few pointer arrays, not a copy per span. */
#include "worker.h"
#include "auth.h"
#include "metrics.h"
#include "promtext.h"
#include "wire.h"
#include "util.h"

#include <czmq.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Arrays that back one Result; kept across jobs and grown as needed. */
typedef struct {
    Crossclaim__Entity *ents;         size_t ents_cap;
    Crossclaim__Entity **ent_p;       size_t ent_p_cap;
    Crossclaim__Attribution *attrs;   size_t attrs_cap;
    Crossclaim__Attribution **attr_p; size_t attr_p_cap;
    Crossclaim__Quantity *qs;         size_t qs_cap;
    Crossclaim__Quantity **q_p;       size_t q_p_cap;
    Crossclaim__Span *spans;          size_t span_cap;  size_t span_n;
    Crossclaim__Span **span_p;        size_t span_p_cap; size_t span_p_n;
    Crossclaim__StoryTerm *terms;     size_t terms_cap;
    Crossclaim__StoryTerm **term_p;   size_t term_p_cap;
    Crossclaim__Article meta;
} s_buffers_t;

static s_buffers_t s_buf;

static void s_grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    *arr = util_realloc(*arr, n * elem);
    *cap = n;
}

static char s_empty[] = "";

/* Converts an extractor span; NULL when the span is absent. */
static Crossclaim__Span *s_span(const extract_span_t *sp)
{
    if (!sp->text)
        return NULL;
    assert(s_buf.span_n < s_buf.span_cap);
    Crossclaim__Span *s = &s_buf.spans[s_buf.span_n++];
    crossclaim__span__init(s);
    s->start = sp->start;
    s->end = sp->end;
    s->text = (char *)sp->text;
    return s;
}

int worker_build_result(extract_t *ex, const Crossclaim__Article *article,
                        Crossclaim__Result *out, const char **reason)
{
    extract_doc_t doc = {
        .text = article->text.data,
        .len = article->text.len,
        .body_start = article->body_start,
        .title = article->title ? article->title : "",
        .published = article->published && article->published[0] ? article->published : NULL,
    };
    extract_result_t er;
    uint64_t t0 = util_mono_us();
    int rc = extract_run(ex, &doc, &er);
    if (rc != 0) {
        *reason = extract_strerror(rc);
        return rc;
    }
    crossclaim__result__init(out);

    /* Span budget: 4 per attribution, 2 per quantity (its own and its sentence), mentions
       per entity. */
    size_t nspans = er.n_attrs * 4 + er.n_quantities * 2;
    size_t nmentions = 0;
    for (size_t i = 0; i < er.n_entities; i++)
        nmentions += er.entities[i].n_mentions;
    s_grow((void **)&s_buf.spans, &s_buf.span_cap, nspans + nmentions, sizeof *s_buf.spans);
    s_grow((void **)&s_buf.span_p, &s_buf.span_p_cap, nmentions, sizeof *s_buf.span_p);
    s_buf.span_n = 0;
    s_buf.span_p_n = 0;

    s_grow((void **)&s_buf.ents, &s_buf.ents_cap, er.n_entities, sizeof *s_buf.ents);
    s_grow((void **)&s_buf.ent_p, &s_buf.ent_p_cap, er.n_entities, sizeof *s_buf.ent_p);
    for (size_t i = 0; i < er.n_entities; i++) {
        const extract_entity_t *e = &er.entities[i];
        Crossclaim__Entity *pe = &s_buf.ents[i];
        crossclaim__entity__init(pe);
        pe->key = (char *)e->key;
        pe->name = (char *)e->name;
        pe->kind = (char *)e->kind;
        pe->n_aliases = e->n_aliases;
        pe->aliases = (char **)e->aliases;
        pe->mentions = (uint32_t)e->n_mentions;
        pe->n_spans = e->n_mentions;
        pe->spans = s_buf.span_p + s_buf.span_p_n;
        for (size_t m = 0; m < e->n_mentions; m++)
            s_buf.span_p[s_buf.span_p_n++] = s_span(&e->mentions[m]);
        s_buf.ent_p[i] = pe;
    }
    s_grow((void **)&s_buf.attrs, &s_buf.attrs_cap, er.n_attrs, sizeof *s_buf.attrs);
    s_grow((void **)&s_buf.attr_p, &s_buf.attr_p_cap, er.n_attrs, sizeof *s_buf.attr_p);
    for (size_t i = 0; i < er.n_attrs; i++) {
        const extract_attr_t *a = &er.attrs[i];
        Crossclaim__Attribution *pa = &s_buf.attrs[i];
        crossclaim__attribution__init(pa);
        pa->speaker = s_span(&a->speaker);
        pa->speaker_entity = a->speaker_entity ? (char *)a->speaker_entity : s_empty;
        pa->cue = s_span(&a->cue);
        pa->content = s_span(&a->content);
        pa->addressee = s_span(&a->addressee);
        pa->direct = a->direct;
        s_buf.attr_p[i] = pa;
    }
    s_grow((void **)&s_buf.qs, &s_buf.qs_cap, er.n_quantities, sizeof *s_buf.qs);
    s_grow((void **)&s_buf.q_p, &s_buf.q_p_cap, er.n_quantities, sizeof *s_buf.q_p);
    for (size_t i = 0; i < er.n_quantities; i++) {
        const extract_quantity_t *q = &er.quantities[i];
        Crossclaim__Quantity *pq = &s_buf.qs[i];
        crossclaim__quantity__init(pq);
        pq->value = q->value;
        pq->approx = q->approx;
        pq->span = s_span(&q->span);
        pq->subject = q->subject ? (char *)q->subject : s_empty;
        pq->predicate = q->predicate ? (char *)q->predicate : s_empty;
        pq->key = q->key ? (char *)q->key : s_empty;
        pq->place = q->place ? (char *)q->place : s_empty;
        pq->time = q->time ? (char *)q->time : s_empty;
        pq->time_resolved = q->time_resolved;
        pq->low = q->low;
        pq->high = q->high;
        pq->open_low = q->open_low;
        pq->open_high = q->open_high;
        pq->unit = q->unit ? (char *)q->unit : s_empty;
        pq->what = q->what ? (char *)q->what : s_empty;
        pq->whose = q->whose ? (char *)q->whose : s_empty;
        pq->scope = q->scope ? (char *)q->scope : s_empty;
        pq->sentence = s_span(&q->sentence);
        pq->in_title = q->in_title;
        s_buf.q_p[i] = pq;
    }
    s_grow((void **)&s_buf.terms, &s_buf.terms_cap, er.n_terms, sizeof *s_buf.terms);
    s_grow((void **)&s_buf.term_p, &s_buf.term_p_cap, er.n_terms, sizeof *s_buf.term_p);
    for (size_t i = 0; i < er.n_terms; i++) {
        Crossclaim__StoryTerm *pt = &s_buf.terms[i];
        crossclaim__story_term__init(pt);
        pt->term = (char *)er.terms[i].term;
        pt->weight = er.terms[i].weight;
        s_buf.term_p[i] = pt;
    }

    /* Article metadata without the text: the store needs the record, not the bytes;
       unless the producer asked it to keep the text, and the text is UTF-8 as read (the
       spans are offsets into these bytes, and the web view shows them as they are). */
    s_buf.meta = *article;
    if (!article->keep_text || (er.encoding && er.encoding[0] && strcmp(er.encoding, "utf-8"))) {
        s_buf.meta.text.data = NULL;
        s_buf.meta.text.len = 0;
        s_buf.meta.keep_text = false;
    }
    s_buf.meta.base.unknown_fields = NULL;
    s_buf.meta.base.n_unknown_fields = 0;

    out->job_id = article->id;
    out->article = &s_buf.meta;
    out->n_entities = er.n_entities;
    out->entities = s_buf.ent_p;
    out->n_attributions = er.n_attrs;
    out->attributions = s_buf.attr_p;
    out->n_quantities = er.n_quantities;
    out->quantities = s_buf.q_p;
    out->n_warnings = er.n_warnings;
    out->warnings = (char **)er.warnings;
    out->encoding = er.encoding ? (char *)er.encoding : s_empty;
    out->simhash = er.simhash;
    out->n_wire = er.n_wire;
    out->wire = (char **)er.wire;
    out->n_terms = er.n_terms;
    out->terms = s_buf.term_p;
    out->text_bytes = (uint32_t)article->text.len;
    out->extract_seconds = (double)(util_mono_us() - t0) / 1e6;
    return 0;
}

void worker_result_clear(Crossclaim__Result *out)
{
    /* The arrays live in s_buf and are reused; only forget them here. */
    crossclaim__result__init(out);
}

/* ---- the daemon ---- */

/* What the worker counts, for its metrics page. */
typedef struct {
    uint64_t jobs;          /* results sent */
    uint64_t failed;        /* jobs answered with FAIL */
    uint64_t bad;           /* malformed messages from the broker */
    uint64_t reconnects;    /* reconnections to a silent broker */
    promtext_hist_t extract;  /* seconds per extracted article */
} s_stats_t;

static const double s_extract_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                          0.1, 0.25, 0.5, 1, 2.5, 5, 10};

static volatile sig_atomic_t s_stop = 0;

static void s_on_signal(int sig)
{
    (void)sig;
    s_stop = 1;
}

static zsock_t *s_connect(const worker_config_t *cfg)
{
    zsock_t *sock = zsock_new(ZMQ_DEALER);
    if (!sock)
        return NULL;
    zsock_set_linger(sock, 0);
    zsock_set_rcvhwm(sock, 0);
    /* Never block on a send: a refused handshake leaves a DEALER with no pipe, where a
       send would wait forever. A lost RESULT is redelivered by the broker. */
    zsock_set_sndtimeo(sock, 0);
    zsock_set_maxmsgsize(sock, (int64_t)WIRE_MAX_MESSAGE + 4096);
    char err[512];
    if (auth_connect(cfg->auth, sock, cfg->broker, err, sizeof err) != 0) {
        util_error("%s", err);
        zsock_destroy(&sock);
        return NULL;
    }
    char credit[16];
    snprintf(credit, sizeof credit, "%u", cfg->credit);
    wire_sendv(sock, NULL, WIRE_HELLO, "worker", cfg->name, credit, NULL);
    return sock;
}

/* Says so when the broker refuses our key, at each change and then once a minute: the
   worker keeps trying, so a key added to the broker's allow dir later lets it in. */
static void s_check_auth(const worker_config_t *cfg, uint64_t now)
{
    static int last;
    static uint64_t logged_us;
    int rc = auth_check(cfg->auth);
    if (rc && (rc != last || now - logged_us > 60u * 1000000u)) {
        util_error("%s: %s at %s; still trying", cfg->name, auth_strerror(rc), cfg->broker);
        logged_us = now;
    }
    last = rc;
}

/* Handles one JOB; sends RESULT or FAIL. */
static void s_do_job(zsock_t *sock, extract_t *ex, const wire_msg_t *m, s_stats_t *st)
{
    char id[UTIL_ID_HEX + 1];
    memcpy(id, m->arg[0], UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    Crossclaim__Article *article = NULL;
    int rc = wire_unpack_article(m->arg[2], m->arg_len[2], &article);
    if (rc != 0) {
        util_warn("job %s: %s", id, wire_strerror(rc));
        wire_sendv(sock, NULL, WIRE_FAIL, id, wire_strerror(rc), "1", NULL);
        st->failed++;
        return;
    }
    Crossclaim__Result res;
    const char *reason = NULL;
    rc = worker_build_result(ex, article, &res, &reason);
    if (rc != 0) {
        util_warn("job %s (%s): %s", id, article->source, reason);
        wire_sendv(sock, NULL, WIRE_FAIL, id, reason, "1", NULL);
        st->failed++;
    } else {
        promtext_hist_observe(&st->extract, res.extract_seconds);
        res.job_id = id;
        /* A result the broker or the store would refuse is a failure with the reason, now:
           sent anyway it would be dropped, and the job would wait for its deadline. The
           same article gives the same result, so it is permanent. */
        char why[WIRE_MAX_WHY] = "", check[WIRE_MAX_WHY - 32];
        size_t need = crossclaim__result__get_packed_size(&res);
        if (need > WIRE_MAX_RESULT)
            snprintf(why, sizeof why, "result too big: %zu bytes, over the %u MiB limit", need,
                     WIRE_MAX_RESULT >> 20);
        else if (wire_result_check(&res, check, sizeof check) != 0)
            snprintf(why, sizeof why, "result out of bounds: %s", check);
        if (why[0]) {
            util_warn("job %s (%s): %s", id, article->source, why);
            wire_sendv(sock, NULL, WIRE_FAIL, id, why, "1", NULL);
            st->failed++;
            worker_result_clear(&res);
            crossclaim__article__free_unpacked(article, NULL);
            return;
        }
        size_t len;
        uint8_t *buf = wire_pack_result(&res, &len);
        const void *args[2] = {id, buf};
        size_t lens[2] = {UTIL_ID_HEX, len};
        if (wire_send(sock, NULL, WIRE_RESULT, 2, args, lens) != 0)
            util_warn("job %s: result not sent (%s); the broker will redeliver it", id,
                      zmq_strerror(zmq_errno()));
        free(buf);
        worker_result_clear(&res);
        st->jobs++;
    }
    crossclaim__article__free_unpacked(article, NULL);
}

/* Renders the worker's page and readiness for the HTTP thread. */
static void s_publish(metrics_t *metrics, promtext_t *p, const s_stats_t *st, bool connected)
{
    promtext_reset(p);
    promtext_counter(p, "crossclaim_worker_jobs_total", "Jobs extracted and returned.", st->jobs);
    promtext_counter(p, "crossclaim_worker_failed_total",
                     "Jobs answered with FAIL (unreadable article, extractor error, result "
                     "too big or out of bounds).", st->failed);
    promtext_counter(p, "crossclaim_worker_bad_messages_total",
                     "Malformed messages from the broker, dropped.", st->bad);
    promtext_counter(p, "crossclaim_worker_reconnects_total",
                     "Reconnections to a silent broker.", st->reconnects);
    promtext_gauge(p, "crossclaim_worker_connected",
                   "1 when the broker has been heard from lately.", connected);
    promtext_histogram(p, "crossclaim_worker_extract_seconds", "Extract time per article.",
                       &st->extract);
    metrics_ready(metrics, connected, "broker not heard from lately");
    metrics_publish(metrics, promtext_data(p), promtext_len(p));
}

int worker_run(const worker_config_t *cfg)
{
    util_log_quiet(cfg->quiet);
    extract_t *ex = extract_new();
    if (!ex) {
        util_error("cannot initialise the extractor");
        return -1;
    }
    signal(SIGINT, s_on_signal);
    signal(SIGTERM, s_on_signal);
    zsys_handler_set(NULL);

    s_stats_t st = {0};
    promtext_hist_init(&st.extract, s_extract_bounds,
                       sizeof s_extract_bounds / sizeof *s_extract_bounds);
    metrics_t *metrics = NULL;
    promtext_t *page = NULL;
    if (cfg->metrics_port) {
        const char *addr = cfg->metrics_addr ? cfg->metrics_addr : "127.0.0.1";
        int mrc = metrics_new(addr, cfg->metrics_port, &metrics);
        if (mrc) {
            util_error("cannot serve metrics on %s port %u: %s", addr, cfg->metrics_port,
                       strerror(-mrc));
            promtext_hist_free(&st.extract);
            extract_destroy(&ex);
            return -1;
        }
        page = promtext_new();
        s_publish(metrics, page, &st, false);
    }
    zsock_t *sock = s_connect(cfg);
    if (!sock) {
        metrics_destroy(&metrics);
        promtext_destroy(&page);
        promtext_hist_free(&st.extract);
        extract_destroy(&ex);
        return -1;
    }
    util_info("%s: connected to %s, credit %u", cfg->name, cfg->broker, cfg->credit);
    uint64_t hb_us = (uint64_t)cfg->heartbeat_ms * 1000u;
    uint64_t last_heard = util_mono_us();
    uint64_t next_hb = last_heard + hb_us;
    uint64_t backoff_ms = 250;
    bool heard = false;       /* the broker has spoken since the last (re)connect */
    zpoller_t *poller = zpoller_new(sock, NULL);

    while (!s_stop) {
        uint64_t now = util_mono_us();
        int wait_ms = next_hb > now ? (int)((next_hb - now) / 1000u) + 1 : 0;
        zsock_t *which = zpoller_wait(poller, wait_ms);
        if (zpoller_terminated(poller) || s_stop)
            break;
        now = util_mono_us();
        if (which == sock) {
            zmsg_t *msg = zmsg_recv(sock);
            if (!msg)
                continue;
            last_heard = now;
            heard = true;
            backoff_ms = 250;
            wire_msg_t m;
            int rc = wire_decode_msg(msg, false, NULL, &m);
            if (rc != 0) {
                char sample[64];
                zframe_t *f = zmsg_first(msg);
                st.bad++;
                util_warn("bad message from broker (%s): %s", wire_strerror(rc),
                          f ? util_sample(zframe_data(f), zframe_size(f), sample, sizeof sample) : "");
            } else if (m.cmd == WIRE_JOB) {
                s_do_job(sock, ex, &m, &st);
            } else if (m.cmd == WIRE_BYE) {
                /* The broker forgot us (it restarted, or thinks we died): say HELLO again. */
                util_info("broker said BYE: saying hello again");
                zpoller_destroy(&poller);
                zsock_destroy(&sock);
                sock = s_connect(cfg);
                heard = false;
                if (!sock)
                    break;
                poller = zpoller_new(sock, NULL);
            }
            zmsg_destroy(&msg);
        }
        if (now - last_heard > hb_us * cfg->liveness) {
            util_warn("broker silent for %u heartbeats: reconnecting in %llu ms", cfg->liveness,
                      (unsigned long long)backoff_ms);
            zpoller_destroy(&poller);
            zsock_destroy(&sock);
            st.reconnects++;
            heard = false;
            if (metrics)
                s_publish(metrics, page, &st, false);
            zclock_sleep((int)backoff_ms);
            if (backoff_ms < 8000)
                backoff_ms *= 2;
            sock = s_connect(cfg);
            if (!sock)
                break;
            poller = zpoller_new(sock, NULL);
            last_heard = util_mono_us();
        }
        if (now >= next_hb) {
            wire_sendv(sock, NULL, WIRE_HB, NULL);
            next_hb = now + hb_us;
            s_check_auth(cfg, now);
            if (metrics)
                s_publish(metrics, page, &st, heard && now - last_heard <= hb_us * cfg->liveness);
        }
    }
    if (sock) {
        wire_sendv(sock, NULL, WIRE_BYE, NULL);
        zpoller_destroy(&poller);
        zsock_destroy(&sock);
    }
    util_info("%s: stopped after %llu jobs (%llu failed, %llu bad messages)", cfg->name,
              (unsigned long long)st.jobs, (unsigned long long)st.failed,
              (unsigned long long)st.bad);
    metrics_destroy(&metrics);
    promtext_destroy(&page);
    promtext_hist_free(&st.extract);
    extract_destroy(&ex);
    return 0;
}
