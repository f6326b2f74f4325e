/*  watch: the Clone-pattern feed consumer behind `crossclaim watch`. See watch.h.

    State: `last`, the seq the shown view is at; `view`, what has been shown (kind and key
    -> a hash of the record), which a new snapshot is compared against and which says when
    a record left the watched topics. */
#include "watch.h"
#include "auth.h"
#include "crossclaim.pb-c.h"
#include "jsonl.h"
#include "storeq.h"
#include "util.h"

#include <czmq.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t hash;          /* FNV-1a of the record's JSON as last shown (no newline) */
    uint64_t mark;          /* the snapshot round that last saw it */
    char *record;           /* an xref's record as last shown, which claim updates and
                               PATCHes are folded into; NULL for other kinds */
} s_entry_t;

typedef struct {
    const watch_config_t *cfg;
    zsock_t *sub;           /* SUB on the feed, everything */
    storeq_t *q;            /* the query socket: snapshots and SINCE */
    zhashx_t *view;         /* "kind\tkey" -> s_entry_t */
    uint64_t round;         /* snapshot round, for marking */
    bool started;           /* the first snapshot or start seq is taken */
    uint64_t last;          /* seq of the view */
    uint64_t shown;         /* lines printed */
    bool done;              /* count or until_seq reached */
    json_t *line;           /* output line being built */
    char *keybuf;           /* "kind\tkey" being built */
    size_t keycap;
    const char *via;        /* where the updates being applied come from */
    uint64_t heard_us;      /* when the feed last said anything */
    bool silent;            /* warned that the feed is silent */
    uint64_t gaps, resyncs; /* for the closing note */
    bool lost;              /* a delta came for a fact the view lacks: snapshot again */
    char snap_article[40];  /* the snapshot's attribution or quantity lines: the article */
    unsigned snap_index[2]; /* of the last one, and how many of each kind it had so far */
} s_watch_t;

/* ---------------------------------------------------------------- helpers */

static uint64_t s_fnv(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static bool s_match(const watch_config_t *cfg, const char *topic, size_t len)
{
    if (cfg->ntopics == 0)
        return true;
    for (size_t i = 0; i < cfg->ntopics; i++) {
        size_t lp = strlen(cfg->topics[i]);
        if (lp <= len && memcmp(topic, cfg->topics[i], lp) == 0)
            return true;
    }
    return false;
}

static const char *s_viewkey(s_watch_t *w, const char *kind, const char *key)
{
    size_t n = strlen(kind) + strlen(key) + 2;
    if (n > w->keycap) {
        w->keycap = n + 64;
        w->keybuf = util_realloc(w->keybuf, w->keycap);
    }
    snprintf(w->keybuf, n, "%s\t%s", kind, key);
    return w->keybuf;
}

static void s_note(s_watch_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_note(s_watch_t *w, const char *fmt, ...)
{
    if (w->cfg->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fputs("crossclaim watch: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Appends one output line. `record` is an export line (its newline is dropped). */
static void s_line(json_t *j, const char *via, uint64_t seq, const char *op, const char *kind,
                   const char *key, const char *topic, size_t topic_len, const char *record,
                   size_t record_len)
{
    while (record_len && (record[record_len - 1] == '\n' || record[record_len - 1] == '\r'))
        record_len--;
    json_obj_begin(j);
    json_key(j, "seq");
    json_int(j, (int64_t)seq);
    json_key(j, "via");
    json_str(j, via);
    json_key(j, "op");
    json_str(j, op);
    json_key(j, "kind");
    json_str(j, kind);
    json_key(j, "key");
    json_str(j, key);
    json_key(j, "topic");
    json_strn(j, topic, topic_len);
    json_key(j, "record");
    if (record_len)
        json_raw(j, record, record_len);
    else
        json_null(j);
    json_obj_end(j);
    json_newline(j);
}

/* True when the update deletes its record: an xref left with no claims (its topic says
   so), or an entity no article mentions any more. The store writes that entity line as
   {"type":"entity","key":K,"deleted":true,"articles":0}; a live entity's line ends in
   its aliases array and an article count of at least one, so the ending tells them apart
   without parsing the line. */
static bool s_is_delete(const Crossclaim__Update *u, const char *topic, size_t topic_len)
{
    static const char xdel[] = "xref.deleted.", sdel[] = "story.deleted.",
                      edel[] = ",\"deleted\":true,\"articles\":0}";
    if (u->op == CROSSCLAIM__UPDATE__OP__DELETE)
        return true;
    if (u->op == CROSSCLAIM__UPDATE__OP__SET || u->op == CROSSCLAIM__UPDATE__OP__PATCH)
        return false;
    if (topic_len >= sizeof xdel - 1 && memcmp(topic, xdel, sizeof xdel - 1) == 0)
        return true;
    if (topic_len >= sizeof sdel - 1 && memcmp(topic, sdel, sizeof sdel - 1) == 0)
        return true;
    if (!u->kind || strcmp(u->kind, "entity") != 0)
        return false;
    size_t n = u->json.len;
    while (n && (u->json.data[n - 1] == '\n' || u->json.data[n - 1] == '\r'))
        n--;
    return n >= sizeof edel - 1 &&
           memcmp(u->json.data + n - (sizeof edel - 1), edel, sizeof edel - 1) == 0;
}

int watch_update_line(json_t *j, const char *via, uint64_t seq, const char *topic,
                      size_t topic_len, const uint8_t *pb, size_t len)
{
    Crossclaim__Update *u = crossclaim__update__unpack(NULL, len, pb);
    if (!u)
        return -1;
    /* the updates as the store logged them: a claim delta or a PATCH is shown as it is
       (op "patch"), not folded */
    s_line(j, via, seq, u->op == CROSSCLAIM__UPDATE__OP__PATCH ? "patch"
                        : s_is_delete(u, topic, topic_len) ? "delete" : "set",
           u->kind ? u->kind : "", u->key ? u->key : "", topic, topic_len,
           (const char *)u->json.data, u->json.len);
    crossclaim__update__free_unpacked(u, NULL);
    return 0;
}

static void s_print(s_watch_t *w)
{
    fwrite(json_data(w->line), 1, json_len(w->line), stdout);
    json_reset(w->line);
    w->shown++;
    if (w->cfg->count && w->shown >= w->cfg->count)
        w->done = true;
}

/* ---------------------------------------------------------------- folding xref deltas */

/* The end of the JSON value that starts at p (object, array, string or literal), or NULL
   when it runs past `end`. */
static const char *s_json_skip(const char *p, const char *end)
{
    int depth = 0;
    bool str = false;
    for (; p < end; p++) {
        char c = *p;
        if (str) {
            if (c == '\\')
                p++;
            else if (c == '"')
                str = false;
            if (!str && depth == 0)
                return p + 1;
            continue;
        }
        if (c == '"')
            str = true;
        else if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']') {
            if (--depth == 0)
                return p + 1;
            if (depth < 0)
                return NULL;
        } else if (depth == 0 && (c == ',' || c == '}' || c == ']'))
            return p;
    }
    return NULL;
}

/* [*a, *b): the inside of the first `"claims":[...]` array of line[0..len). */
static bool s_claims_span(const char *line, size_t len, const char **a, const char **b)
{
    static const char key[] = "\"claims\":[";
    const char *end = line + len;
    const char *p = memmem(line, len, key, sizeof key - 1);
    if (!p)
        return false;
    p += sizeof key - 2;            /* at '[' */
    const char *q = s_json_skip(p, end);
    if (!q || q[-1] != ']')
        return false;
    *a = p + 1;
    *b = q - 1;
    return true;
}

static size_t s_strip(const char *s, size_t n)
{
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    return n;
}

/* The xref `rec` with article `art`'s claims replaced by those of the claim update line
   `delta` (claims of one article sit together, in article order), into `out`. Returns
   false when either does not have the export's shape. */
static bool s_fold_claims(const char *rec, const char *art, const char *delta, size_t dlen,
                          json_t *out)
{
    size_t rlen = strlen(rec), alen = strlen(art);
    const char *ra, *rb, *da, *db;
    if (!s_claims_span(rec, rlen, &ra, &rb) || !s_claims_span(delta, dlen, &da, &db))
        return false;
    static const char pre[] = "{\"article\":\"";
    json_reset(out);
    json_raw(out, rec, (size_t)(ra - rec));
    bool first = true, placed = false;
    const char *p = ra;
    while (p < rb) {
        if (*p == ',') {
            p++;
            continue;
        }
        const char *q = s_json_skip(p, rb);
        if (!q || *p != '{')
            return false;
        int c = 1;
        if ((size_t)(q - p) > sizeof pre - 1 + alen && memcmp(p, pre, sizeof pre - 1) == 0)
            c = memcmp(p + sizeof pre - 1, art, alen);
        if (c >= 0 && !placed) {
            if (db > da) {
                if (!first)
                    json_raw(out, ",", 1);
                json_raw(out, da, (size_t)(db - da));
                first = false;
            }
            placed = true;
        }
        if (c != 0) {
            if (!first)
                json_raw(out, ",", 1);
            json_raw(out, p, (size_t)(q - p));
            first = false;
        }
        p = q;
    }
    if (!placed && db > da) {
        if (!first)
            json_raw(out, ",", 1);
        json_raw(out, da, (size_t)(db - da));
    }
    json_raw(out, rb, rlen - (size_t)(rb - rec));
    return true;
}

/* The xref `rec` with the verdict of PATCH line `patch` (its members from "sources" on),
   into `out`. */
static bool s_fold_patch(const char *rec, const char *patch, size_t plen, json_t *out)
{
    static const char key[] = "],\"sources\":";
    size_t rlen = strlen(rec);
    const char *r = memmem(rec, rlen, key, sizeof key - 1);
    const char *q = memmem(patch, plen, "\"sources\":", 10);
    if (!r || !q)
        return false;
    json_reset(out);
    json_raw(out, rec, (size_t)(r - rec) + 2);
    json_raw(out, q, s_strip(patch, plen) - (size_t)(q - patch));
    return true;
}

/* ---------------------------------------------------------------- applying updates */

/* Applies update `u`, whose seq is last + 1 (from the feed or SINCE), to the view and
   shows it when its topic is watched, or as a delete when its record leaves them. */
static void s_apply(s_watch_t *w, const Crossclaim__Update *u, const char *topic,
                    size_t topic_len)
{
    w->last = u->seq;
    if (!u->kind || !u->key || !*u->kind) {
        char sample[64];
        fprintf(stderr, "crossclaim watch: update %" PRIu64 " names no record; skipped: %s\n",
                u->seq, util_sample(topic, topic_len, sample, sizeof sample));
        return;
    }
    bool delta = !strcmp(u->kind, "claim") ||
                 (!strcmp(u->kind, "xref") && u->op == CROSSCLAIM__UPDATE__OP__PATCH);
    const char *kind = delta ? "xref" : u->kind;
    const char *vk = s_viewkey(w, kind, u->key);
    s_entry_t *e = zhashx_lookup(w->view, vk);
    const char *rec = (const char *)u->json.data;
    size_t rec_len = u->json.len;
    json_t *folded = NULL;
    if (delta) {
        /* a change to an xref in the view: fold it in and show the whole record */
        if (!e || !e->record) {
            if (s_match(w->cfg, topic, topic_len)) {
                s_note(w, "update %" PRIu64 " changes xref %s, which the view lacks: taking "
                          "a snapshot", u->seq, u->key);
                w->lost = true;
            }
            return;
        }
        folded = json_new();
        bool ok = !strcmp(u->kind, "claim")
                      ? s_fold_claims(e->record, u->article ? u->article : "", rec, rec_len, folded)
                      : s_fold_patch(e->record, rec, rec_len, folded);
        if (!ok) {
            s_note(w, "update %" PRIu64 " to xref %s does not fold: taking a snapshot", u->seq,
                   u->key);
            w->lost = true;
            json_destroy(&folded);
            return;
        }
        rec = json_data(folded);
        rec_len = json_len(folded);
    }
    bool del = !delta && s_is_delete(u, topic, topic_len);
    bool watched = s_match(w->cfg, topic, topic_len);
    if (!watched && e) {
        del = true; /* it moved out of the watched topics */
        watched = true;
    }
    if (watched && !w->done) {
        s_line(w->line, w->via, u->seq, del ? "delete" : "set", kind, u->key, topic, topic_len,
               rec, rec_len);
        s_print(w);
    }
    if (del) {
        zhashx_delete(w->view, vk);
    } else if (watched) {
        if (!e) {
            e = util_calloc(1, sizeof *e);
            zhashx_insert(w->view, vk, e);
        }
        rec_len = s_strip(rec, rec_len);
        e->hash = s_fnv(rec, rec_len);
        e->mark = w->round;
        if (!strcmp(kind, "xref")) {
            char *copy = util_strndup(rec, rec_len);
            free(e->record);
            e->record = copy;
        }
    }
    json_destroy(&folded);
}

static int s_since_one(void *arg, uint64_t seq, const char *topic, size_t topic_len,
                       const uint8_t *pb, size_t len)
{
    s_watch_t *w = arg;
    if (seq <= w->last)
        return 0;
    if (seq != w->last + 1) {
        /* SINCE hands over every kept update in order: a hole means this answer lost
           some on the way, and only a snapshot can make up for it. */
        fprintf(stderr, "crossclaim watch: SINCE skipped from %" PRIu64 " to %" PRIu64 "\n",
                w->last, seq);
        return STOREQ_EGAP;
    }
    Crossclaim__Update *u = crossclaim__update__unpack(NULL, len, pb);
    if (!u || u->seq != seq) {
        fprintf(stderr, "crossclaim watch: update %" PRIu64 " from SINCE does not unpack\n", seq);
        if (u)
            crossclaim__update__free_unpacked(u, NULL);
        return STOREQ_EPROTO;
    }
    s_apply(w, u, topic, topic_len);
    crossclaim__update__free_unpacked(u, NULL);
    return 0;
}

/* ---------------------------------------------------------------- snapshots */

/* Keeps the snapshot's lines: their seq comes only with END, after the last of them. */
static int s_snap_keep(void *arg, const char *line, size_t len)
{
    zchunk_t *buf = arg;
    zchunk_extend(buf, line, len);
    zchunk_extend(buf, "\n", 1);
    return 0;
}

/* Shows one snapshot record when it is watched and differs from the view. */
static void s_snap_record(s_watch_t *w, uint64_t seq, const char *line, size_t len,
                          char **topic, size_t *cap)
{
    static const char *const keys[] = {"type", "id", "key", "status"};
    char *v[4];
    size_t l[4];
    const char *err;
    if (jsonl_fields(line, len, keys, 4, v, l, &err) != 0) {
        fprintf(stderr, "crossclaim watch: a snapshot line is not JSON (%s); skipped\n", err);
        return;
    }
    const char *kind = v[0] ? v[0] : "";
    const char *key = !strcmp(kind, "article") || !strcmp(kind, "story") ? v[1] : v[2];
    bool xref = !strcmp(kind, "xref");
    int part = !strcmp(kind, "attribution") ? 0 : !strcmp(kind, "quantity") ? 1 : -1;
    char partkey[64];
    if (part >= 0) {
        /* keyed "<article>/<index>" as the feed keys them: lines come in article order,
           each article's in its own order */
        free(v[1]);
        v[1] = NULL;
        static const char *const akey[] = {"article"};
        size_t al;
        const char *err2;
        if (jsonl_fields(line, len, akey, 1, &v[1], &al, &err2) == 0 && v[1]) {
            if (strcmp(w->snap_article, v[1]) != 0) {
                snprintf(w->snap_article, sizeof w->snap_article, "%s", v[1]);
                w->snap_index[0] = w->snap_index[1] = 0;
            }
            snprintf(partkey, sizeof partkey, "%s/%u", v[1], w->snap_index[part]++);
            key = partkey;
        }
    }
    if (key && (xref || part >= 0 || !strcmp(kind, "article") || !strcmp(kind, "entity")
                || !strcmp(kind, "story"))) {
        size_t need = strlen(kind) + strlen(key) + (v[3] ? strlen(v[3]) : 0) + 8;
        if (need > *cap) {
            *cap = need + 64;
            *topic = util_realloc(*topic, *cap);
        }
        int tl = xref ? snprintf(*topic, *cap, "xref.%s.%s", v[3] ? v[3] : "single", key)
                 : part >= 0 ? snprintf(*topic, *cap, "%s.%s", kind, w->snap_article)
                      : snprintf(*topic, *cap, "%s.%s", kind, key);
        if (s_match(w->cfg, *topic, (size_t)tl)) {
            const char *vk = s_viewkey(w, kind, key);
            /* Hashed as the feed's JSON is, without its newline. */
            uint64_t h = s_fnv(line, s_strip(line, len));
            s_entry_t *e = zhashx_lookup(w->view, vk);
            if (!e || e->hash != h) {
                if (!w->done) {
                    s_line(w->line, "snapshot", seq, "set", kind, key, *topic, (size_t)tl,
                           line, len);
                    s_print(w);
                }
                if (!e) {
                    e = util_calloc(1, sizeof *e);
                    zhashx_insert(w->view, vk, e);
                }
                e->hash = h;
                if (xref) {
                    free(e->record);
                    e->record = util_strndup(line, s_strip(line, len));
                }
            }
            e->mark = w->round;
        }
    }
    for (int i = 0; i < 4; i++)
        free(v[i]);
}

/* Takes a snapshot of the watched topics and shows how it differs from the view: new or
   changed records, then deletes for those the snapshot no longer holds. The view is then
   at the snapshot's seq. Returns 0 or a STOREQ_E* code. */
static int s_snapshot(s_watch_t *w)
{
    const watch_config_t *cfg = w->cfg;
    char what[4096] = "article,attribution,quantity,entity,xref,story";
    if (cfg->ntopics) {
        size_t o = 0;
        for (size_t i = 0; i < cfg->ntopics && o < sizeof what; i++)
            o += (size_t)snprintf(what + o, sizeof what - o, "%s%s", i ? "," : "",
                                  *cfg->topics[i] ? cfg->topics[i] : "all");
    }
    zchunk_t *buf = zchunk_new(NULL, 1 << 16);
    uint64_t seq = 0;
    int rc = storeq_stream(w->q, "SNAPSHOT", what, s_snap_keep, buf, &seq, NULL);
    if (rc) {
        zchunk_destroy(&buf);
        return rc;
    }
    w->round++;
    w->snap_article[0] = 0;
    char *topic = NULL;
    size_t cap = 0;
    const char *p = (const char *)zchunk_data(buf), *end = p + zchunk_size(buf);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        s_snap_record(w, seq, p, (size_t)(nl - p), &topic, &cap);
        p = nl + 1;
    }
    free(topic);
    zchunk_destroy(&buf);
    /* What the view holds and the snapshot does not is gone. */
    zlistx_t *gone = zlistx_new();
    zlistx_set_destructor(gone, (zlistx_destructor_fn *)zstr_free);
    for (s_entry_t *e = zhashx_first(w->view); e; e = zhashx_next(w->view))
        if (e->mark != w->round)
            zlistx_add_end(gone, strdup(zhashx_cursor(w->view)));
    for (char *vk = zlistx_first(gone); vk; vk = zlistx_next(gone)) {
        char *tab = strchr(vk, '\t');
        if (!w->done) {
            *tab = 0;
            s_line(w->line, "snapshot", seq, "delete", vk, tab + 1, "", 0, NULL, 0);
            s_print(w);
            *tab = '\t';
        }
        zhashx_delete(w->view, vk);
    }
    zlistx_destroy(&gone);
    w->last = seq;
    return 0;
}

/* Brings the view up to the store's seq after a gap: SINCE, or a new snapshot when the
   store no longer keeps the updates (or when asked to). Returns 0 or a STOREQ_E* code;
   on error the view stays where it was and the next update finds the gap again. */
static int s_catch_up(s_watch_t *w)
{
    w->resyncs++;
    uint64_t from = w->last;
    int rc;
    if (!w->cfg->resync_snapshot) {
        w->via = "since";
        rc = storeq_since(w->q, w->last, s_since_one, w, NULL);
        w->via = "feed";
        if (rc == 0) {
            s_note(w, "caught up with SINCE %" PRIu64 ": now at seq %" PRIu64, from, w->last);
            return 0;
        }
        if (rc != STOREQ_EGAP)
            goto fail;
        s_note(w, "SINCE %" PRIu64 " can't fill the gap (the store no longer keeps those "
                  "updates); taking a snapshot", from);
    }
    if ((rc = s_snapshot(w)) != 0)
        goto fail;
    s_note(w, "caught up with a snapshot: now at seq %" PRIu64, w->last);
    return 0;
fail:
    fprintf(stderr, "crossclaim watch: cannot catch up after seq %" PRIu64 ": %s%s%s\n", from,
            storeq_strerror(rc), *storeq_reason(w->q) ? ": " : "", storeq_reason(w->q));
    return rc;
}

/* ---------------------------------------------------------------- the feed */

/* The first message from the feed: the subscription is live and the store is up, so
   the starting point can be taken. */
static int s_start(s_watch_t *w, bool hb, uint64_t seq)
{
    const watch_config_t *cfg = w->cfg;
    int rc = 0;
    switch (cfg->start) {
    case WATCH_SNAPSHOT:
        rc = s_snapshot(w);
        break;
    case WATCH_LIVE:
        w->last = hb || seq == 0 ? seq : seq - 1;
        break;
    case WATCH_SINCE:
        w->last = cfg->since;
        if (seq < w->last) {
            s_note(w, "the store is only at seq %" PRIu64 "; starting there", seq);
            w->last = seq;
        }
        if (seq > w->last)
            rc = s_catch_up(w);
        w->resyncs = 0;
        break;
    }
    if (rc == 0)
        w->started = true;
    else
        fprintf(stderr, "crossclaim watch: cannot take the starting point: %s%s%s; trying "
                        "again at the next message\n", storeq_strerror(rc),
                *storeq_reason(w->q) ? ": " : "", storeq_reason(w->q));
    return rc;
}

static void s_on_feed(s_watch_t *w, zmsg_t *msg)
{
    zframe_t *ft = zmsg_first(msg), *fu = zmsg_next(msg);
    Crossclaim__Update *u =
        ft && fu ? crossclaim__update__unpack(NULL, zframe_size(fu), zframe_data(fu)) : NULL;
    if (!u) {
        char sample[64];
        fprintf(stderr, "crossclaim watch: a feed message is not an update; skipped: %s\n",
                ft ? util_sample(zframe_data(ft), zframe_size(ft), sample, sizeof sample) : "");
        return;
    }
    const char *topic = (const char *)zframe_data(ft);
    size_t tlen = zframe_size(ft);
    bool hb = tlen == 2 && memcmp(topic, "hb", 2) == 0;
    uint64_t seq = u->seq;
    if (!w->started && s_start(w, hb, seq) != 0)
        goto leave;
    if (hb) {
        if (seq > w->last) {
            /* Updates up to seq went out before this heartbeat and none reached us. */
            w->gaps++;
            s_note(w, "gap: heartbeat at seq %" PRIu64 ", view at %" PRIu64, seq, w->last);
            s_catch_up(w);
        } else if (seq < w->last) {
            s_note(w, "the feed's seq went back from %" PRIu64 " to %" PRIu64
                      " (a new database?): taking a snapshot", w->last, seq);
            if (w->cfg->start == WATCH_LIVE)
                w->last = seq;
            else if (s_snapshot(w) == 0)
                w->resyncs++;
        }
        goto leave;
    }
    if (seq <= w->last)
        goto leave; /* in the snapshot already, or caught up through SINCE */
    if (seq != w->last + 1) {
        w->gaps++;
        s_note(w, "gap: update %" PRIu64 " after %" PRIu64, seq, w->last);
        if (s_catch_up(w) != 0 || seq <= w->last)
            goto leave;
    }
    s_apply(w, u, topic, tlen);
leave:
    if (w->lost && w->started) {
        /* a delta for a fact the view lacks: only a snapshot puts it right */
        w->lost = false;
        if (s_snapshot(w) == 0)
            w->resyncs++;
    }
    crossclaim__update__free_unpacked(u, NULL);
}

static void s_free_entry(void **item)
{
    s_entry_t *e = *item;
    if (e)
        free(e->record);
    free(e);
    *item = NULL;
}

int watch_run(const watch_config_t *cfg)
{
    for (size_t i = 0; i < cfg->ntopics; i++)
        if (strchr(cfg->topics[i], ',')) {
            fprintf(stderr, "crossclaim watch: a topic prefix can't hold a comma: '%s'\n",
                    cfg->topics[i]);
            return 2;
        }
    s_watch_t w = {.cfg = cfg, .via = "feed"};
    unsigned hb_ms = cfg->heartbeat_ms ? cfg->heartbeat_ms : 1000;
    unsigned liveness = cfg->liveness ? cfg->liveness : 3;
    int code = 1;
    w.line = json_new();
    w.view = zhashx_new();
    zhashx_set_destructor(w.view, s_free_entry);
    w.q = storeq_new(cfg->query, cfg->auth);
    w.sub = zsock_new(ZMQ_SUB);
    if (!w.q || !w.sub)
        goto leave;
    /* The store answers between batches; a big one may hold it a while. */
    storeq_set_timeout(w.q, 10000);
    zsock_set_rcvhwm(w.sub, (int)(cfg->hwm ? cfg->hwm : 1000));
    zsock_set_subscribe(w.sub, "");
    char err[512];
    /* storeq's socket carries the watch of the handshakes (auth.h). */
    if (auth_connect_unwatched(cfg->auth, w.sub, cfg->feed, err, sizeof err) != 0) {
        fprintf(stderr, "crossclaim watch: the feed: %s\n", err);
        goto leave;
    }
    w.heard_us = util_mono_us();
    uint64_t silent_after = (uint64_t)hb_ms * liveness * 1000;
    code = 0;
    while (!zsys_interrupted && !w.done) {
        fflush(stdout);
        uint64_t now = util_mono_us();
        uint64_t due = w.heard_us + silent_after;
        long timeout = due > now ? (long)((due - now + 999) / 1000) : (long)hb_ms;
        zmq_pollitem_t item = {zsock_resolve(w.sub), 0, ZMQ_POLLIN, 0};
        int n = zmq_poll(&item, 1, timeout);
        if (n < 0)
            continue; /* EINTR: the loop test sees ^C */
        now = util_mono_us();
        if (n == 0) {
            int arc = auth_check(cfg->auth);
            if (arc) {
                /* A refused key stays refused: waiting on would look like a dead feed. */
                fprintf(stderr, "crossclaim watch: the store at %s: %s\n", cfg->feed,
                        auth_strerror(arc));
                code = 1;
                break;
            }
            if (!w.silent && now - w.heard_us >= silent_after) {
                w.silent = true;
                fprintf(stderr, "crossclaim watch: no heartbeat from the store at %s for %.1f s "
                                "(%u missed): %s; waiting\n", cfg->feed,
                        (double)(now - w.heard_us) / 1e6, liveness,
                        w.started ? "the feed is dead or cut off" : "is crossclaim-store running?");
            }
            continue;
        }
        /* Drain what is there before flushing stdout. */
        while (!w.done && (zsock_events(w.sub) & ZMQ_POLLIN)) {
            zmsg_t *msg = zmsg_recv(w.sub);
            if (!msg)
                break;
            if (w.silent) {
                w.silent = false;
                fprintf(stderr, "crossclaim watch: the feed is back\n");
            }
            w.heard_us = util_mono_us();
            s_on_feed(&w, msg);
            zmsg_destroy(&msg);
            if (cfg->until_seq && w.started && w.last >= cfg->until_seq)
                w.done = true;
        }
    }
    fflush(stdout);
    s_note(&w, "%" PRIu64 " lines, view at seq %" PRIu64 ", %" PRIu64 " gaps, %" PRIu64
               " catch-ups", w.shown, w.last, w.gaps, w.resyncs);
leave:
    zsock_destroy(&w.sub);
    storeq_destroy(&w.q);
    zhashx_destroy(&w.view);
    json_destroy(&w.line);
    free(w.keybuf);
    return code;
}
