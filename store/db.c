/*  db: the results database in LMDB: idempotent merge of worker results into articles,
    claim clusters (xrefs), the entity index and the feed log; export, report and lookups.

    Why the merge looks the way it does:
    - A result for an article already stored first has the stored result's contributions
      taken away, then the new ones added, key by key: every cluster or entity touched by
      either is read once, rebuilt and written once. Records are kept in a canonical order
      (claims by article and value, forms by bytes), so an unchanged record packs to the
      same bytes and is neither rewritten nor announced on the feed.
    - Decoded records and scratch arrays come from an arena reset per merge, so the merge
      path does not call malloc per claim once the arena has grown to its working size.
    - Any pointer from mdb_get is dead after the next write in the transaction (LMDB may
      reuse loose pages), so records are decoded or copied before anything is written. */
#include "db.h"
#include "story.h"
#include "util.h"
#include "xref.h"

#include <errno.h>
#include <inttypes.h>
#include <lmdb.h>
#include <math.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

#define DB_MAX_KEY      480              /* LMDB keys are at most 511 bytes */
#define DB_MAP_INITIAL  (1ull << 34)     /* sparse; grows on MDB_MAP_FULL */
#define DB_ARENA_BLOCK  (64u << 10)
#define DB_TRIM_MAX     4096             /* feed entries dropped per commit at most */
#define DB_ENT_VERSION  1
#define DB_REPORT_TOP   20
#define DB_REPORT_CORR  50
#define DB_STORY_ENTITIES 8            /* entity keys a story record lists */
#define DB_STORY_TERMS_MAX 64          /* story terms of a result read at most */

/* Bump allocator for decoded records and scratch arrays of one merge or one record. */
typedef struct {
    char **blocks;          /* blocks, in use order */
    size_t *sizes;          /* size of each block */
    size_t n;               /* blocks held */
    size_t cur, off;        /* block in use and bytes used in it */
} s_arena_t;

struct db_t {
    MDB_env *env;
    MDB_dbi articles, xrefs, entities, feed, meta;
    MDB_dbi astory;         /* article id -> story id */
    MDB_dbi smember;        /* story id + article id -> "" (a story's articles) */
    MDB_dbi sterm;          /* story term -> article ids (dupsort): story candidates */
    MDB_dbi stories;        /* story id -> its summary: articles, first, last, headline */
    MDB_dbi sentity;        /* story id + entity key -> articles of the story naming it */
    bool readonly;
    bool grow;              /* the map filled up: db_begin grows it */
    MDB_txn *txn;           /* the open write transaction, or NULL */
    uint64_t seq;           /* meta counters as of the open transaction */
    uint64_t claims, attributions, conflicts, corroborated;
    s_arena_t arena;        /* per-merge (or per-record while walking) scratch */
    ProtobufCAllocator pba; /* protobuf-c allocations from the arena */
    uint8_t *buf;           /* record packing buffer */
    size_t cap;
    char *topic;            /* feed topic being built */
    size_t topic_cap;
    json_t *json;           /* export line being built */
    const char *const *prefixes; /* topic filter of the walk in progress, or NULL: all */
    size_t nprefixes;
    char keybuf[DB_MAX_KEY + 1]; /* database key of an over-long claim or entity key */
    s_arena_t tarena;       /* memory of the open transaction's facts, reset at its end */
    ProtobufCAllocator tpba; /* protobuf-c allocations from tarena */
    struct s_fact **facts;  /* the facts this transaction changed, by key (open hash) */
    size_t nfacts, fact_slots;
    char (*touched)[UTIL_ID_HEX + 1]; /* stories this transaction changed: announced on */
    size_t n_touched, touched_cap;    /* the feed once each, at commit */
};

/* One claim or entity key touched by a merge: from the old result (sign -1) or the new. */
typedef struct {
    const char *key;
    const void *item;       /* Crossclaim__Quantity or Crossclaim__Entity */
    int sign;
} s_touch_t;

/* An entity record decoded. Strings point into the stored record or into a result. */
typedef struct {
    const char *s;
    uint32_t len;
    int64_t n;              /* articles giving this form */
} s_form_t;

enum { S_NAMES, S_ALIASES, S_KINDS, S_LISTS };

typedef struct {
    const char *key;
    uint32_t key_len;
    int64_t articles;
    s_form_t *list[S_LISTS];
    size_t n[S_LISTS];
} s_ent_t;

static const char *s_meta_names[] = {"seq", "claims", "attributions", "conflicts", "corroborated"};

/* ---------------------------------------------------------------- arena */

static void *s_arena_alloc(s_arena_t *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    for (;;) {
        if (a->cur < a->n && a->off + size <= a->sizes[a->cur]) {
            void *p = a->blocks[a->cur] + a->off;
            a->off += size;
            return p;
        }
        if (a->cur + 1 < a->n) {
            a->cur++;
            a->off = 0;
            continue;
        }
        size_t bs = size > DB_ARENA_BLOCK ? size : DB_ARENA_BLOCK;
        a->blocks = util_realloc(a->blocks, (a->n + 1) * sizeof *a->blocks);
        a->sizes = util_realloc(a->sizes, (a->n + 1) * sizeof *a->sizes);
        a->blocks[a->n] = util_malloc(bs);
        a->sizes[a->n] = bs;
        a->cur = a->n++;
        a->off = 0;
    }
}

/* Forgets everything allocated. Many blocks are coalesced into one, so a warmed-up
   arena serves a whole merge from one block. */
static void s_arena_reset(s_arena_t *a)
{
    if (a->n > 1) {
        size_t total = 0;
        for (size_t i = 0; i < a->n; i++) {
            total += a->sizes[i];
            free(a->blocks[i]);
        }
        a->blocks[0] = util_malloc(total);
        a->sizes[0] = total;
        a->n = 1;
    }
    a->cur = 0;
    a->off = 0;
}

static void s_arena_free(s_arena_t *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->blocks[i]);
    free(a->blocks);
    free(a->sizes);
    memset(a, 0, sizeof *a);
}

static void *s_pb_alloc(void *data, size_t size)
{
    return s_arena_alloc(data, size);
}

static void s_pb_free(void *data, void *ptr)
{
    (void)data;
    (void)ptr;
}

static void *s_alloc(db_t *self, size_t size)
{
    return s_arena_alloc(&self->arena, size);
}

/* A NUL-terminated arena copy of s[0..n). */
static char *s_strndup(db_t *self, const char *s, size_t n)
{
    char *p = s_arena_alloc(&self->arena, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* ---------------------------------------------------------------- small helpers */

/* LMDB returns its own negative codes or a positive errno; we return negatives only. */
static int s_mdb(int rc)
{
    return rc > 0 ? -rc : rc;
}

const char *db_strerror(int rc)
{
    switch (rc) {
    case 0: return "ok";
    case DB_ENOTFOUND: return "no such record";
    case DB_ECORRUPT: return "a stored record failed to decode (database corrupt?)";
    case DB_EREADONLY: return "the database is open read-only";
    case DB_ESTATE: return "no write transaction open (or one already open)";
    case DB_EINPUT: return "result without an article or a valid article id";
    default:
        if (rc >= MDB_KEYEXIST && rc <= MDB_LAST_ERRCODE)
            return mdb_strerror(rc);
        return rc < 0 ? strerror(-rc) : "unknown error";
    }
}

static void s_ensure(db_t *self, size_t need)
{
    if (need > self->cap) {
        size_t cap = self->cap ? self->cap : 4096;
        while (cap < need)
            cap *= 2;
        self->buf = util_realloc(self->buf, cap);
        self->cap = cap;
    }
}

static void s_be64(uint8_t out[8], uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        out[i] = (uint8_t)v;
}

static uint64_t s_get_be64(const uint8_t in[8])
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | in[i];
    return v;
}

/* The database key of a claim or entity key: itself, or for keys LMDB can't hold, a
   prefix and a hash of the whole (the record keeps the full key). */
static void s_dbkey(db_t *self, const char *key, MDB_val *k)
{
    size_t len = strlen(key);
    if (len <= DB_MAX_KEY) {
        k->mv_data = (void *)key;
        k->mv_size = len;
        return;
    }
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)key[i]) * 1099511628211ull;
    size_t pre = DB_MAX_KEY - 17;
    memcpy(self->keybuf, key, pre);
    snprintf(self->keybuf + pre, sizeof self->keybuf - pre, "#%016" PRIx64, h);
    k->mv_data = self->keybuf;
    k->mv_size = DB_MAX_KEY;
}

/* The id an article is stored under: its article id, else the job id (the same hash). */
static const char *s_result_id(const Crossclaim__Result *r)
{
    if (r->article && r->article->id && util_is_job_id(r->article->id, strlen(r->article->id)))
        return r->article->id;
    if (r->job_id && util_is_job_id(r->job_id, strlen(r->job_id)))
        return r->job_id;
    return NULL;
}

static bool s_empty(const char *s)
{
    return !s || !*s;
}

static uint64_t s_meta_get(MDB_txn *txn, MDB_dbi dbi, const char *name)
{
    MDB_val k = {strlen(name), (void *)name}, v;
    uint64_t x = 0;
    if (mdb_get(txn, dbi, &k, &v) == 0 && v.mv_size == sizeof x)
        memcpy(&x, v.mv_data, sizeof x);
    return x;
}

/* Begins a read transaction, following the map if the writer has grown it. */
static int s_rtxn(db_t *self, MDB_txn **txn)
{
    int rc = mdb_txn_begin(self->env, NULL, MDB_RDONLY, txn);
    if (rc == MDB_MAP_RESIZED) {
        mdb_env_set_mapsize(self->env, 0);
        rc = mdb_txn_begin(self->env, NULL, MDB_RDONLY, txn);
    }
    return s_mdb(rc);
}

/* ---------------------------------------------------------------- open, close */

int db_open(const char *dir, bool readonly, db_t **out)
{
    if (!out)
        return -EINVAL;
    *out = NULL;
    if (!dir || !*dir)
        return -EINVAL;
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/store", dir) >= sizeof path)
        return -ENAMETOOLONG;
    db_t *self = util_calloc(1, sizeof *self);
    self->readonly = readonly;
    MDB_txn *txn = NULL;
    int rc = 0;
    if (!readonly && (rc = util_mkdirs(path)) != 0)
        goto fail;
    if ((rc = s_mdb(mdb_env_create(&self->env))) != 0)
        goto fail;
    mdb_env_set_maxdbs(self->env, 16);
    if (!readonly)
        mdb_env_set_mapsize(self->env, DB_MAP_INITIAL);
    /* NOTLS: read transactions are not tied to threads, and the writer may read. */
    if ((rc = s_mdb(mdb_env_open(self->env, path, MDB_NOTLS | (readonly ? MDB_RDONLY : 0),
                                 0600))) != 0)
        goto fail;
    if ((rc = s_mdb(mdb_txn_begin(self->env, NULL, readonly ? MDB_RDONLY : 0, &txn))) != 0)
        goto fail;
    unsigned flags = readonly ? 0 : MDB_CREATE;
    if ((rc = s_mdb(mdb_dbi_open(txn, "articles", flags, &self->articles))) != 0 ||
        (rc = s_mdb(mdb_dbi_open(txn, "xrefs", flags, &self->xrefs))) != 0 ||
        (rc = s_mdb(mdb_dbi_open(txn, "entities", flags, &self->entities))) != 0 ||
        (rc = s_mdb(mdb_dbi_open(txn, "feed", flags, &self->feed))) != 0 ||
        (rc = s_mdb(mdb_dbi_open(txn, "meta", flags, &self->meta))) != 0 ||
        (rc = s_mdb(mdb_dbi_open(txn, "astory", flags, &self->astory))) != 0 ||
        (rc = s_mdb(mdb_dbi_open(txn, "smember", flags, &self->smember))) != 0 ||
        (rc = s_mdb(mdb_dbi_open(txn, "sterm", flags | MDB_DUPSORT, &self->sterm))) != 0 ||
        (rc = s_mdb(mdb_dbi_open(txn, "stories", flags, &self->stories))) != 0 ||
        (rc = s_mdb(mdb_dbi_open(txn, "sentity", flags, &self->sentity))) != 0)
        goto fail;
    rc = s_mdb(mdb_txn_commit(txn));
    txn = NULL;
    if (rc)
        goto fail;
    self->pba.alloc = s_pb_alloc;
    self->pba.free = s_pb_free;
    self->pba.allocator_data = &self->arena;
    self->tpba.alloc = s_pb_alloc;
    self->tpba.free = s_pb_free;
    self->tpba.allocator_data = &self->tarena;
    self->json = json_new();
    *out = self;
    return 0;
fail:
    if (txn)
        mdb_txn_abort(txn);
    if (self->env)
        mdb_env_close(self->env);
    free(self);
    return rc;
}

void db_destroy(db_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    db_t *self = *self_p;
    db_abort(self);
    mdb_env_close(self->env);
    s_arena_free(&self->arena);
    free(self->buf);
    free(self->topic);
    free(self->touched);
    free(self->facts);
    s_arena_free(&self->tarena);
    json_destroy(&self->json);
    free(self);
    *self_p = NULL;
}

/* ---------------------------------------------------------------- transactions */

int db_begin(db_t *self)
{
    if (!self)
        return -EINVAL;
    if (self->readonly)
        return DB_EREADONLY;
    if (self->txn)
        return DB_ESTATE;
    if (self->grow) {
        MDB_envinfo info;
        mdb_env_info(self->env, &info);
        int rc = mdb_env_set_mapsize(self->env, info.me_mapsize * 2);
        if (rc)
            return s_mdb(rc);
        util_info("store map grown to %zu MiB", info.me_mapsize * 2 >> 20);
        self->grow = false;
    }
    int rc = mdb_txn_begin(self->env, NULL, 0, &self->txn);
    if (rc) {
        self->txn = NULL;
        return s_mdb(rc);
    }
    uint64_t *m[] = {&self->seq, &self->claims, &self->attributions, &self->conflicts,
                     &self->corroborated};
    for (size_t i = 0; i < 5; i++)
        *m[i] = s_meta_get(self->txn, self->meta, s_meta_names[i]);
    return 0;
}

uint64_t db_txn_seq(db_t *self)
{
    return self->seq;
}

static void s_facts_clear(db_t *self);

void db_abort(db_t *self)
{
    if (self) {
        self->n_touched = 0;
        s_facts_clear(self);
    }
    if (self && self->txn) {
        mdb_txn_abort(self->txn);
        self->txn = NULL;
    }
}

/* Notes a full map so the next db_begin grows it; passes the code on. */
static int s_wrc(db_t *self, int rc)
{
    if (rc == MDB_MAP_FULL)
        self->grow = true;
    return s_mdb(rc);
}

/* Drops the oldest feed entries beyond DB_FEED_KEEP, a bounded number per commit. */
static int s_trim_feed(db_t *self)
{
    if (self->seq <= DB_FEED_KEEP)
        return 0;
    uint64_t below = self->seq - DB_FEED_KEEP; /* keep seq > below */
    MDB_cursor *c;
    int rc = mdb_cursor_open(self->txn, self->feed, &c);
    if (rc)
        return rc;
    MDB_val k, v;
    int n = 0;
    while (n < DB_TRIM_MAX && (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST)) == 0) {
        if (k.mv_size != 8 || s_get_be64(k.mv_data) > below)
            break;
        if ((rc = mdb_cursor_del(c, 0)) != 0)
            break;
        n++;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

static int s_story_announce(db_t *self, const char *story);
static int s_facts_flush(db_t *self);
static void s_facts_clear(db_t *self);

int db_commit(db_t *self, uint64_t *last_seq)
{
    if (!self)
        return -EINVAL;
    if (!self->txn)
        return DB_ESTATE;
    /* each fact and each story the batch changed, once, after all its merges */
    int arc = s_facts_flush(self);
    s_facts_clear(self);
    for (size_t i = 0; i < self->n_touched && !arc; i++) {
        s_arena_reset(&self->arena);
        arc = s_story_announce(self, self->touched[i]);
    }
    self->n_touched = 0;
    if (arc) {
        db_abort(self);
        return arc;
    }
    uint64_t vals[] = {self->seq, self->claims, self->attributions, self->conflicts,
                       self->corroborated};
    int rc = 0;
    for (size_t i = 0; i < 5 && !rc; i++) {
        MDB_val k = {strlen(s_meta_names[i]), (void *)s_meta_names[i]};
        MDB_val v = {sizeof vals[i], &vals[i]};
        rc = mdb_put(self->txn, self->meta, &k, &v, 0);
    }
    if (!rc)
        rc = s_trim_feed(self);
    if (rc) {
        db_abort(self);
        return s_wrc(self, rc);
    }
    rc = mdb_txn_commit(self->txn);
    self->txn = NULL;
    if (rc)
        return s_wrc(self, rc);
    if (last_seq)
        *last_seq = self->seq;
    return 0;
}

/* ---------------------------------------------------------------- export lines */

static bool s_span_null(const Crossclaim__Span *s)
{
    return !s || (s->start == 0 && s->end == 0 && s_empty(s->text));
}

static void s_json_span(json_t *j, const char *name, const Crossclaim__Span *s,
                        bool speaker, const char *entity)
{
    json_key(j, name);
    if (s_span_null(s)) {
        json_null(j);
        return;
    }
    json_obj_begin(j);
    json_key(j, "text");
    json_str(j, s->text ? s->text : "");
    json_key(j, "start");
    json_int(j, s->start);
    json_key(j, "end");
    json_int(j, s->end);
    if (speaker) {
        json_key(j, "entity");
        json_str(j, s_empty(entity) ? NULL : entity);
    }
    json_obj_end(j);
}

static void s_json_opt(json_t *j, const char *name, const char *s)
{
    json_key(j, name);
    json_str(j, s_empty(s) ? NULL : s);
}

static void s_article_line(json_t *j, const char *id, const Crossclaim__Result *r,
                           const char *story)
{
    const Crossclaim__Article *a = r->article;
    char hex[17];
    snprintf(hex, sizeof hex, "%016" PRIx64, r->simhash);
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "article");
    json_key(j, "id");
    json_str(j, id);
    json_key(j, "source");
    json_str(j, a && a->source ? a->source : "");
    json_key(j, "title");
    json_str(j, a && a->title ? a->title : "");
    json_key(j, "outlet");
    json_str(j, a && a->outlet ? a->outlet : "");
    s_json_opt(j, "published", a ? a->published : NULL);
    json_key(j, "encoding");
    json_str(j, s_empty(r->encoding) ? "utf-8" : r->encoding);
    json_key(j, "warnings");
    json_arr_begin(j);
    for (size_t i = 0; i < r->n_warnings; i++)
        json_str(j, r->warnings[i]);
    json_arr_end(j);
    json_key(j, "simhash");
    json_str(j, hex);
    json_key(j, "text_bytes");
    json_int(j, r->text_bytes);
    json_key(j, "quantities");
    json_int(j, (int64_t)r->n_quantities);
    json_key(j, "attributions");
    json_int(j, (int64_t)r->n_attributions);
    json_key(j, "entities");
    json_int(j, (int64_t)r->n_entities);
    s_json_opt(j, "story", story);
    json_key(j, "wire");
    json_arr_begin(j);
    for (size_t i = 0; i < r->n_wire; i++)
        json_str(j, r->wire[i]);
    json_arr_end(j);
    json_obj_end(j);
    json_newline(j);
}

static void s_attribution_line(json_t *j, const char *id, const Crossclaim__Attribution *t)
{
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "attribution");
    json_key(j, "article");
    json_str(j, id);
    s_json_span(j, "speaker", t->speaker, true, t->speaker_entity);
    s_json_span(j, "cue", t->cue, false, NULL);
    s_json_span(j, "content", t->content, false, NULL);
    s_json_span(j, "addressee", t->addressee, false, NULL);
    json_key(j, "direct");
    json_bool(j, t->direct);
    s_json_opt(j, "speaker_entity", t->speaker_entity);
    json_obj_end(j);
    json_newline(j);
}

static void s_quantity_line(json_t *j, const char *id, const Crossclaim__Quantity *q)
{
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "quantity");
    json_key(j, "article");
    json_str(j, id);
    json_key(j, "value");
    json_num(j, q->value);
    json_key(j, "approx");
    json_bool(j, q->approx);
    if (s_span_null(q->span)) {
        json_key(j, "text");
        json_null(j);
        json_key(j, "start");
        json_null(j);
        json_key(j, "end");
        json_null(j);
    } else {
        json_key(j, "text");
        json_str(j, q->span->text ? q->span->text : "");
        json_key(j, "start");
        json_int(j, q->span->start);
        json_key(j, "end");
        json_int(j, q->span->end);
    }
    json_key(j, "subject");
    json_str(j, q->subject ? q->subject : "");
    json_key(j, "predicate");
    json_str(j, q->predicate ? q->predicate : "");
    json_key(j, "key");
    json_str(j, q->key ? q->key : "");
    if (!s_empty(q->place)) {
        json_key(j, "place");
        json_str(j, q->place);
    }
    if (!s_empty(q->time)) {
        json_key(j, "time");
        json_str(j, q->time);
        json_key(j, "time_resolved");
        json_bool(j, q->time_resolved);
    }
    json_obj_end(j);
    json_newline(j);
}

static void s_json_bound(json_t *j, const char *name, double v, bool open)
{
    json_key(j, name);
    if (open)
        json_null(j);
    else
        json_num(j, v);
}

static void s_xref_line(json_t *j, const Crossclaim__Xref *x)
{
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "xref");
    json_key(j, "key");
    json_str(j, x->key ? x->key : "");
    json_key(j, "status");
    json_str(j, x->status ? x->status : "single");
    s_json_opt(j, "story", x->story);
    s_json_opt(j, "frame", x->frame);
    json_key(j, "claims");
    json_arr_begin(j);
    for (size_t i = 0; i < x->n_claims; i++) {
        const Crossclaim__XrefClaim *c = x->claims[i];
        json_obj_begin(j);
        json_key(j, "article");
        json_str(j, c->article ? c->article : "");
        json_key(j, "value");
        json_num(j, c->value);
        s_json_bound(j, "low", c->low, c->open_low);
        s_json_bound(j, "high", c->high, c->open_high);
        json_key(j, "approx");
        json_bool(j, c->approx);
        json_key(j, "outlet");
        json_str(j, c->outlet ? c->outlet : "");
        s_json_opt(j, "published", c->published);
        json_key(j, "source");
        json_str(j, c->source ? c->source : "");
        json_key(j, "text");
        json_str(j, c->text ? c->text : "");
        s_json_span(j, "sentence", c->sentence, false, NULL);
        json_obj_end(j);
    }
    json_arr_end(j);
    json_key(j, "sources");
    json_int(j, x->sources);
    json_key(j, "evolving");
    json_bool(j, x->evolving);
    json_key(j, "latest");
    if (x->evolving && x->has_latest)
        json_num(j, x->latest);
    else
        json_null(j);
    json_obj_end(j);
    json_newline(j);
}

/* The form with the most articles; ties go to the longest, then the smallest bytes. */
static const s_form_t *s_ent_best(const s_ent_t *e, int list)
{
    const s_form_t *best = NULL;
    for (size_t i = 0; i < e->n[list]; i++) {
        const s_form_t *f = &e->list[list][i];
        if (!best || f->n > best->n || (f->n == best->n && f->len > best->len))
            best = f;
        /* forms are sorted by bytes, so an equal later one is never smaller */
    }
    return best;
}

static bool s_form_eq(const s_form_t *a, const s_form_t *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

static void s_entity_line(json_t *j, const s_ent_t *e)
{
    const s_form_t *name = s_ent_best(e, S_NAMES);
    const s_form_t *kind = s_ent_best(e, S_KINDS);
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "entity");
    json_key(j, "key");
    json_strn(j, e->key, e->key_len);
    json_key(j, "name");
    if (name)
        json_strn(j, name->s, name->len);
    else
        json_strn(j, e->key, e->key_len);
    json_key(j, "kind");
    if (kind)
        json_strn(j, kind->s, kind->len);
    else
        json_str(j, "other");
    /* Every other full form and alias seen, each once. Both lists are sorted by bytes,
       so a merge walk dedupes them. */
    json_key(j, "aliases");
    json_arr_begin(j);
    const s_form_t *a = e->list[S_NAMES], *b = e->list[S_ALIASES];
    size_t na = e->n[S_NAMES], nb = e->n[S_ALIASES], i = 0, k = 0;
    while (i < na || k < nb) {
        const s_form_t *f;
        if (k >= nb) {
            f = &a[i++];
        } else if (i >= na) {
            f = &b[k++];
        } else {
            size_t m = a[i].len < b[k].len ? a[i].len : b[k].len;
            int c = memcmp(a[i].s, b[k].s, m);
            if (c == 0)
                c = (a[i].len > b[k].len) - (a[i].len < b[k].len);
            if (c <= 0) {
                f = &a[i++];
                if (c == 0)
                    k++;
            } else {
                f = &b[k++];
            }
        }
        if (!name || !s_form_eq(f, name))
            json_strn(j, f->s, f->len);
    }
    json_arr_end(j);
    json_key(j, "articles");
    json_int(j, e->articles);
    json_obj_end(j);
    json_newline(j);
}

/* ---------------------------------------------------------------- entity records */

/* Layout: u8 version, u32 articles, u32 key length, key, then for names, aliases and
   kinds: u32 count, and per form u32 articles, u32 length, bytes. Native byte order:
   the file is local to one machine like the rest of LMDB's. */
static bool s_rd32(const uint8_t **p, const uint8_t *end, uint32_t *v)
{
    if ((size_t)(end - *p) < 4)
        return false;
    memcpy(v, *p, 4);
    *p += 4;
    return true;
}

/* Decodes a record; `extra[l]` more slots are left free in list l for forms to add. */
static int s_ent_parse(db_t *self, const void *data, size_t size, s_ent_t *e,
                       const size_t extra[S_LISTS])
{
    const uint8_t *p = data, *end = p + size;
    uint32_t v, n;
    memset(e, 0, sizeof *e);
    if (size < 1 || *p++ != DB_ENT_VERSION || !s_rd32(&p, end, &v))
        return DB_ECORRUPT;
    e->articles = v;
    if (!s_rd32(&p, end, &v) || (size_t)(end - p) < v)
        return DB_ECORRUPT;
    e->key = (const char *)p;
    e->key_len = v;
    p += v;
    for (int l = 0; l < S_LISTS; l++) {
        if (!s_rd32(&p, end, &n) || n > size)
            return DB_ECORRUPT;
        e->list[l] = s_alloc(self, (n + extra[l]) * sizeof(s_form_t));
        for (uint32_t i = 0; i < n; i++) {
            uint32_t cnt, len;
            if (!s_rd32(&p, end, &cnt) || !s_rd32(&p, end, &len) || (size_t)(end - p) < len)
                return DB_ECORRUPT;
            e->list[l][i] = (s_form_t){(const char *)p, len, cnt};
            p += len;
        }
        e->n[l] = n;
    }
    return p == end ? 0 : DB_ECORRUPT;
}

static void s_put32(uint8_t **p, uint32_t v)
{
    memcpy(*p, &v, 4);
    *p += 4;
}

/* Encodes into self->buf; returns the size. */
static size_t s_ent_pack(db_t *self, const s_ent_t *e)
{
    size_t need = 1 + 4 + 4 + e->key_len;
    for (int l = 0; l < S_LISTS; l++) {
        need += 4;
        for (size_t i = 0; i < e->n[l]; i++)
            need += 8 + e->list[l][i].len;
    }
    s_ensure(self, need);
    uint8_t *p = self->buf;
    *p++ = DB_ENT_VERSION;
    s_put32(&p, (uint32_t)e->articles);
    s_put32(&p, e->key_len);
    memcpy(p, e->key, e->key_len);
    p += e->key_len;
    for (int l = 0; l < S_LISTS; l++) {
        s_put32(&p, (uint32_t)e->n[l]);
        for (size_t i = 0; i < e->n[l]; i++) {
            s_put32(&p, (uint32_t)e->list[l][i].n);
            s_put32(&p, e->list[l][i].len);
            memcpy(p, e->list[l][i].s, e->list[l][i].len);
            p += e->list[l][i].len;
        }
    }
    assert((size_t)(p - self->buf) == need);
    return need;
}

static void s_ent_add(s_ent_t *e, int l, const char *s, int sign)
{
    if (s_empty(s))
        return;
    s_form_t f = {s, (uint32_t)strlen(s), 0};
    for (size_t i = 0; i < e->n[l]; i++)
        if (s_form_eq(&e->list[l][i], &f)) {
            e->list[l][i].n += sign;
            return;
        }
    f.n = sign;
    e->list[l][e->n[l]++] = f; /* room reserved by s_ent_parse's `extra` */
}

static int s_form_cmp(const void *a, const void *b)
{
    const s_form_t *x = a, *y = b;
    size_t m = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, m);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* ---------------------------------------------------------------- feed */

/* Builds the feed topic a b c d (the pieces concatenated) in self->topic. */
static const char *s_topic(db_t *self, const char *a, const char *b, const char *c,
                           const char *d, size_t *len)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + strlen(d);
    if (n > 60000) /* the topic length is stored in two bytes */
        n = 60000;
    if (n + 1 > self->topic_cap) {
        self->topic_cap = n + 64;
        self->topic = util_realloc(self->topic, self->topic_cap);
    }
    snprintf(self->topic, n + 1, "%s%s%s%s", a, b, c, d);
    *len = n;
    return self->topic;
}

/* Appends an update carrying the JSON line in self->json to the feed log. */
static int s_feed_put(db_t *self, const char *kind, const char *key, const char *topic,
                      size_t topic_len, Crossclaim__Xref *x)
{
    Crossclaim__Update u = CROSSCLAIM__UPDATE__INIT;
    u.seq = self->seq + 1;
    u.kind = (char *)kind;
    u.key = (char *)key;
    u.json.data = (uint8_t *)json_data(self->json);
    u.json.len = json_len(self->json);
    u.xref = x;
    size_t n = crossclaim__update__get_packed_size(&u);
    uint8_t kb[8];
    s_be64(kb, u.seq);
    MDB_val k = {sizeof kb, kb}, v = {2 + topic_len + n, NULL};
    int rc = mdb_put(self->txn, self->feed, &k, &v, MDB_APPEND | MDB_RESERVE);
    if (rc)
        return s_wrc(self, rc);
    uint8_t *p = v.mv_data;
    p[0] = (uint8_t)(topic_len >> 8);
    p[1] = (uint8_t)topic_len;
    memcpy(p + 2, topic, topic_len);
    crossclaim__update__pack(&u, p + 2 + topic_len);
    self->seq++;
    return 0;
}

/* ---------------------------------------------------------------- xref clusters */

static int s_touch_cmp(const void *a, const void *b)
{
    const s_touch_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->sign - y->sign;
}

static int s_claim_cmp(const void *a, const void *b)
{
    const Crossclaim__XrefClaim *x = *(Crossclaim__XrefClaim *const *)a;
    const Crossclaim__XrefClaim *y = *(Crossclaim__XrefClaim *const *)b;
    int c = strcmp(x->article, y->article);
    if (c)
        return c;
    if (x->value != y->value)
        return x->value < y->value ? -1 : 1;
    if (x->approx != y->approx)
        return x->approx ? 1 : -1;
    return strcmp(x->text, y->text);
}

static int s_source_cmp(const void *a, const void *b)
{
    return strcmp(((const xref_claim_t *)a)->source, ((const xref_claim_t *)b)->source);
}

/* The verdict on a fact's claims (store/xref.h). */
static void s_judge(db_t *self, Crossclaim__Xref *x)
{
    size_t nc = x->n_claims;
    xref_claim_t *v = s_alloc(self, (nc + 1) * sizeof *v);
    xref_claim_t *scratch = s_alloc(self, (nc + 1) * sizeof *scratch);
    for (size_t i = 0; i < nc; i++) {
        const Crossclaim__XrefClaim *c = x->claims[i];
        v[i].source = c->source ? c->source : "";
        v[i].published = c->published;
        v[i].value = c->value;
        v[i].iv = (frame_interval_t){c->low, c->high, c->open_low, c->open_high};
        v[i].copy = c->sentence && c->sentence->text ? frame_copy_hash(c->sentence->text) : 0;
        if (!c->open_low && !c->open_high && c->low == 0 && c->high == 0 && c->value != 0)
            v[i].iv = frame_interval(c->value, FRAME_EXACT);   /* a record without a frame */
    }
    qsort(v, nc, sizeof *v, s_source_cmp);
    xref_verdict_t out;
    xref_judge(v, nc, frame_weak(x->frame), scratch, &out);
    x->status = (char *)out.status;
    x->sources = out.sources;
    x->evolving = out.evolving;
    x->has_latest = out.has_latest;
    x->latest = out.latest;
}

static void s_status_count(db_t *self, const char *status, int delta)
{
    if (s_empty(status))
        return;
    if (strcmp(status, "conflict") == 0)
        self->conflicts += (uint64_t)(int64_t)delta;
    else if (strcmp(status, "corroborated") == 0)
        self->corroborated += (uint64_t)(int64_t)delta;
}

/* Rebuilds the cluster of one claim key: its claims minus article `id`'s, plus the new
   result's claims in `run` (the touches of this key). */
/* A fact (one xref record) as the open transaction changes it: its claims, and its
   record as stored before, so that db_commit writes and announces each changed fact once,
   however many of the batch's articles touched it. Lives in self->tarena. */
typedef struct s_fact {
    char *key;
    Crossclaim__XrefClaim **c;  /* its claims, unsorted until the commit */
    size_t nc, cap;
    const uint8_t *orig;        /* the record as stored, NULL when it is new */
    size_t orig_len;
    const char *orig_status;
} s_fact_t;

static char *s_tdup(db_t *self, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *p = s_arena_alloc(&self->tarena, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = 0;
    return p;
}

static uint64_t s_fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

/* Forgets the open transaction's facts. This function can't fail. */
static void s_facts_clear(db_t *self)
{
    if (self->nfacts)
        memset(self->facts, 0, self->fact_slots * sizeof *self->facts);
    self->nfacts = 0;
    s_arena_reset(&self->tarena);
}

/* The fact `key` of the open transaction, read from the database the first time. */
static int s_fact_get(db_t *self, const char *key, s_fact_t **out)
{
    if (2 * (self->nfacts + 1) > self->fact_slots) {
        size_t ns = self->fact_slots ? self->fact_slots * 2 : 256;
        s_fact_t **t = util_calloc(ns, sizeof *t);
        for (size_t i = 0; i < self->fact_slots; i++)
            if (self->facts[i]) {
                size_t j = s_fnv(self->facts[i]->key) & (ns - 1);
                while (t[j])
                    j = (j + 1) & (ns - 1);
                t[j] = self->facts[i];
            }
        free(self->facts);
        self->facts = t;
        self->fact_slots = ns;
    }
    size_t j = s_fnv(key) & (self->fact_slots - 1);
    for (; self->facts[j]; j = (j + 1) & (self->fact_slots - 1))
        if (strcmp(self->facts[j]->key, key) == 0) {
            *out = self->facts[j];
            return 0;
        }
    s_fact_t *f = s_arena_alloc(&self->tarena, sizeof *f);
    memset(f, 0, sizeof *f);
    f->key = s_tdup(self, key);
    MDB_val k, v;
    s_dbkey(self, key, &k);
    int rc = mdb_get(self->txn, self->xrefs, &k, &v);
    if (rc == 0) {
        uint8_t *copy = s_arena_alloc(&self->tarena, v.mv_size + 1);
        memcpy(copy, v.mv_data, v.mv_size);
        Crossclaim__Xref *old = crossclaim__xref__unpack(&self->tpba, v.mv_size, copy);
        if (!old)
            return DB_ECORRUPT;
        f->orig = copy;
        f->orig_len = v.mv_size;
        f->orig_status = old->status;
        f->cap = old->n_claims + 8;
        f->c = s_arena_alloc(&self->tarena, f->cap * sizeof *f->c);
        memcpy(f->c, old->claims, old->n_claims * sizeof *f->c);
        f->nc = old->n_claims;
    } else if (rc != MDB_NOTFOUND) {
        return s_mdb(rc);
    }
    self->facts[j] = f;
    self->nfacts++;
    *out = f;
    return 0;
}

/* Takes article `id`'s claims out of one fact and puts the new result's claims in `run`
   (the touches of this fact) in, in the transaction's copy of the fact. */
static int s_xref_update(db_t *self, const char *id, const Crossclaim__Result *r,
                         const s_touch_t *run, size_t nrun)
{
    char src[256];
    const char *source = r ? xref_source(src, sizeof src, r->article->outlet, r->wire, r->n_wire, id)
                           : "";
    s_fact_t *f;
    int rc = s_fact_get(self, run[0].key, &f);
    if (rc)
        return rc;
    size_t w = 0;
    for (size_t i = 0; i < f->nc; i++)
        if (strcmp(f->c[i]->article, id) != 0)
            f->c[w++] = f->c[i];
    f->nc = w;
    const char *tid = NULL, *tsource = NULL, *toutlet = NULL, *tpub = NULL;
    for (size_t i = 0; i < nrun; i++) {
        if (run[i].sign < 0)
            continue;
        if (!tid) {
            tid = s_tdup(self, id);
            tsource = s_tdup(self, source);
            toutlet = s_tdup(self, r->article->outlet);
            tpub = s_tdup(self, r->article->published);
        }
        const Crossclaim__Quantity *q = run[i].item;
        Crossclaim__XrefClaim *x = s_arena_alloc(&self->tarena, sizeof *x);
        crossclaim__xref_claim__init(x);
        x->article = (char *)tid;
        x->value = q->value;
        x->approx = q->approx;
        x->outlet = (char *)toutlet;
        x->simhash = r->simhash;
        x->text = s_tdup(self, q->span && q->span->text ? q->span->text : "");
        x->low = q->low;
        x->high = q->high;
        x->open_low = q->open_low;
        x->open_high = q->open_high;
        if (!q->open_low && !q->open_high && q->low == 0 && q->high == 0) {
            frame_interval_t iv = frame_interval(q->value, FRAME_EXACT);
            x->low = iv.low;
            x->high = iv.high;
        }
        x->published = (char *)tpub;
        if (q->sentence) {
            Crossclaim__Span *sp = s_arena_alloc(&self->tarena, sizeof *sp);
            crossclaim__span__init(sp);
            sp->start = q->sentence->start;
            sp->end = q->sentence->end;
            sp->text = s_tdup(self, q->sentence->text);
            x->sentence = sp;
        }
        x->source = (char *)tsource;
        if (f->nc == f->cap) {
            size_t ncap = f->cap ? f->cap * 2 : 8;
            Crossclaim__XrefClaim **nc = s_arena_alloc(&self->tarena, ncap * sizeof *nc);
            if (f->nc)
                memcpy(nc, f->c, f->nc * sizeof *nc);
            f->c = nc;
            f->cap = ncap;
        }
        f->c[f->nc++] = x;
    }
    return 0;
}

static int s_fact_cmp(const void *a, const void *b)
{
    return strcmp((*(s_fact_t *const *)a)->key, (*(s_fact_t *const *)b)->key);
}

/* Writes and announces every fact the transaction changed, in key order: its claims
   sorted, its status judged; a fact left with no claims is deleted. */
static int s_facts_flush(db_t *self)
{
    if (!self->nfacts)
        return 0;
    s_fact_t **v = s_arena_alloc(&self->tarena, self->nfacts * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < self->fact_slots; i++)
        if (self->facts[i])
            v[n++] = self->facts[i];
    qsort(v, n, sizeof *v, s_fact_cmp);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        s_fact_t *f = v[i];
        s_arena_reset(&self->arena);
        const char *key = f->key;
        qsort(f->c, f->nc, sizeof *f->c, s_claim_cmp);
        /* An article repeating the same number for the same fact is one claim. */
        size_t w = 0;
        for (size_t k = 0; k < f->nc; k++)
            if (w == 0 || strcmp(f->c[k]->article, f->c[w - 1]->article) != 0 ||
                f->c[k]->value != f->c[w - 1]->value || f->c[k]->approx != f->c[w - 1]->approx)
                f->c[w++] = f->c[k];
        f->nc = w;
        Crossclaim__Xref x = CROSSCLAIM__XREF__INIT;
        x.key = (char *)key;
        x.claims = f->c;
        x.n_claims = f->nc;
        /* key: story id, '/', frame key */
        const char *slash = strlen(key) > UTIL_ID_HEX && key[UTIL_ID_HEX] == '/' ? key + UTIL_ID_HEX : NULL;
        x.story = slash ? s_strndup(self, key, (size_t)(slash - key)) : "";
        x.frame = slash ? (char *)slash + 1 : (char *)key;
        MDB_val k;
        s_dbkey(self, key, &k);
        const char *topic;
        size_t tlen;
        json_reset(self->json);
        if (f->nc == 0) {
            if (!f->orig)
                continue;
            s_status_count(self, f->orig_status, -1);
            if ((rc = mdb_del(self->txn, self->xrefs, &k, NULL)) != 0)
                return s_wrc(self, rc);
            x.status = "deleted";
            s_xref_line(self->json, &x);
            topic = s_topic(self, "xref.deleted.", key, "", "", &tlen);
            rc = s_feed_put(self, "xref", key, topic, tlen, &x);
            continue;
        }
        s_judge(self, &x);
        size_t len = crossclaim__xref__get_packed_size(&x);
        s_ensure(self, len);
        crossclaim__xref__pack(&x, self->buf);
        if (f->orig && len == f->orig_len && memcmp(self->buf, f->orig, len) == 0)
            continue;
        MDB_val nv = {len, self->buf};
        if ((rc = mdb_put(self->txn, self->xrefs, &k, &nv, 0)) != 0)
            return s_wrc(self, rc);
        s_status_count(self, f->orig ? f->orig_status : NULL, -1);
        s_status_count(self, x.status, +1);
        s_xref_line(self->json, &x);
        topic = s_topic(self, "xref.", x.status, ".", key, &tlen);
        rc = s_feed_put(self, "xref", key, topic, tlen, &x);
    }
    return rc;
}

/* The keys an article's old result held (sign -1) and its new result holds (+1), sorted
   so that each key comes as one run and its record is rewritten once; `fn` is called per
   run. The items are protobuf messages whose `char *key` field sits at `key_off`
   (Quantity and Entity alike). */
typedef int (s_run_fn)(db_t *self, const s_touch_t *run, size_t nrun, void *arg);

static int s_merge_keys(db_t *self, void *const *old_items, size_t n_old,
                        void *const *new_items, size_t n_new, size_t key_off,
                        s_run_fn *fn, void *arg)
{
    size_t n = n_old + n_new, m = 0;
    if (n == 0)
        return 0;
    s_touch_t *t = s_alloc(self, n * sizeof *t);
    for (size_t i = 0; i < n; i++) {
        const void *item = i < n_old ? old_items[i] : new_items[i - n_old];
        const char *key = *(char *const *)((const char *)item + key_off);
        if (!s_empty(key))
            t[m++] = (s_touch_t){key, item, i < n_old ? -1 : +1};
    }
    qsort(t, m, sizeof *t, s_touch_cmp);
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i + 1; j < m && strcmp(t[j].key, t[i].key) == 0; j++)
            ;
        int rc = fn(self, t + i, j - i, arg);
        if (rc)
            return rc;
    }
    return 0;
}

/* The facts an article's claims belong to: "<story>/<frame key>". An article's old
   claims (in story `old_story`) are taken out of their facts and its new ones (in
   `new_story`) put in, each fact rewritten once. */
static int s_merge_xrefs(db_t *self, const char *id, const Crossclaim__Result *old,
                         const char *old_story, const Crossclaim__Result *r,
                         const char *new_story)
{
    size_t n_old = old ? old->n_quantities : 0, n_new = r ? r->n_quantities : 0, m = 0;
    if (n_old + n_new == 0)
        return 0;
    s_touch_t *t = s_alloc(self, (n_old + n_new) * sizeof *t);
    for (size_t i = 0; i < n_old + n_new; i++) {
        const Crossclaim__Quantity *q = i < n_old ? old->quantities[i] : r->quantities[i - n_old];
        const char *story = i < n_old ? old_story : new_story;
        if (s_empty(q->key) || s_empty(story))
            continue;
        size_t ls = strlen(story), lk = strlen(q->key);
        char *key = s_arena_alloc(&self->arena, ls + lk + 2);
        memcpy(key, story, ls);
        key[ls] = '/';
        memcpy(key + ls + 1, q->key, lk + 1);
        t[m++] = (s_touch_t){key, q, i < n_old ? -1 : +1};
    }
    qsort(t, m, sizeof *t, s_touch_cmp);
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i + 1; j < m && strcmp(t[j].key, t[i].key) == 0; j++)
            ;
        int rc = s_xref_update(self, id, r ? r : old, t + i, j - i);
        if (rc)
            return rc;
    }
    return 0;
}


/* ---------------------------------------------------------------- stories

   A story is a connected component of the pairwise "same event" relation (story.h): its
   id is the smallest article id in it, so the same articles give the same stories and
   ids whatever order they come in. An article is linked to the earlier ones that share
   one of its STORY_PROBE heaviest terms (the sterm index holds those terms of every
   article) and pass story_linked. When it links stories, they become one: the members of
   every story but the one with the smallest id move to it, with their facts. */

/* Notes that story `story` changed in this transaction (db_commit announces it). */
static void s_touch_story(db_t *self, const char *story)
{
    for (size_t i = self->n_touched; i-- > 0;)
        if (memcmp(self->touched[i], story, UTIL_ID_HEX) == 0)
            return;
    if (self->n_touched == self->touched_cap) {
        self->touched_cap = self->touched_cap ? self->touched_cap * 2 : 64;
        self->touched = util_realloc(self->touched, self->touched_cap * sizeof *self->touched);
    }
    memcpy(self->touched[self->n_touched], story, UTIL_ID_HEX);
    self->touched[self->n_touched++][UTIL_ID_HEX] = 0;
}

/* The story terms of a result, as story_term_t (pointing into r). */
static size_t s_terms(db_t *self, const Crossclaim__Result *r, story_term_t **out)
{
    /* a worker sends at most EXTRACT_STORY_TERMS (24); more, or weights that are no
       numbers, are a peer's mistake and not read */
    size_t n = r->n_terms < DB_STORY_TERMS_MAX ? r->n_terms : DB_STORY_TERMS_MAX;
    story_term_t *t = s_alloc(self, (n + 1) * sizeof *t);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (r->terms[i] && !s_empty(r->terms[i]->term) && isfinite(r->terms[i]->weight)
            && r->terms[i]->weight > 0 && r->terms[i]->weight <= 1)
            t[m++] = (story_term_t){r->terms[i]->term, r->terms[i]->weight};
    *out = t;
    return m;
}

static const char *s_published(const Crossclaim__Result *r)
{
    return r->article && !s_empty(r->article->published) ? r->article->published : NULL;
}

/* The story of article `id` (an arena copy), or NULL when it has none. */
static int s_story_of(db_t *self, MDB_txn *txn, const char *id, char **story)
{
    MDB_val k = {UTIL_ID_HEX, (void *)id}, v;
    *story = NULL;
    int rc = mdb_get(txn, self->astory, &k, &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return s_mdb(rc);
    if (v.mv_size != UTIL_ID_HEX)
        return DB_ECORRUPT;
    *story = s_strndup(self, v.mv_data, v.mv_size);
    return 0;
}

/* Loads the stored result of article `id` (arena), or NULL when it is not there. */
static int s_load(db_t *self, MDB_txn *txn, const char *id, Crossclaim__Result **out)
{
    MDB_val k = {UTIL_ID_HEX, (void *)id}, v;
    *out = NULL;
    int rc = mdb_get(txn, self->articles, &k, &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return s_mdb(rc);
    *out = crossclaim__result__unpack(&self->pba, v.mv_size, v.mv_data);
    return *out ? 0 : DB_ECORRUPT;
}

/* Adds (sign > 0) or removes an article's probe terms in the sterm index. */
static int s_index_terms(db_t *self, const char *id, const Crossclaim__Result *r, int sign)
{
    for (size_t i = 0; i < r->n_terms && i < STORY_PROBE; i++) {
        const char *term = r->terms[i] ? r->terms[i]->term : NULL;
        if (s_empty(term) || strlen(term) > DB_MAX_KEY)
            continue;
        MDB_val k = {strlen(term), (void *)term}, v = {UTIL_ID_HEX, (void *)id};
        int rc = sign > 0 ? mdb_put(self->txn, self->sterm, &k, &v, MDB_NODUPDATA)
                          : mdb_del(self->txn, self->sterm, &k, &v);
        if (rc && rc != MDB_KEYEXIST && rc != MDB_NOTFOUND)
            return s_wrc(self, rc);
    }
    return 0;
}

/* A story's summary, kept as articles join and leave it so that its record costs no
   walk over its articles. Layout: u32 articles, then NUL-padded first[10], last[10],
   headline date[10] and headline article id[32], then the headline. */
typedef struct {
    uint32_t articles;
    char first[11], last[11], tdate[11], tid[UTIL_ID_HEX + 1];
    const char *title;
} s_sum_t;

#define S_SUM_HEAD (4 + 10 + 10 + 10 + UTIL_ID_HEX)

static int s_sum_get(db_t *self, MDB_txn *txn, const char *story, s_sum_t *out, bool *found)
{
    memset(out, 0, sizeof *out);
    out->title = "";
    MDB_val k = {UTIL_ID_HEX, (void *)story}, v;
    int rc = mdb_get(txn, self->stories, &k, &v);
    *found = rc == 0;
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return s_mdb(rc);
    if (v.mv_size < S_SUM_HEAD)
        return DB_ECORRUPT;
    const uint8_t *p = v.mv_data;
    memcpy(&out->articles, p, 4);
    memcpy(out->first, p + 4, 10);
    memcpy(out->last, p + 14, 10);
    memcpy(out->tdate, p + 24, 10);
    memcpy(out->tid, p + 34, UTIL_ID_HEX);
    out->title = s_strndup(self, (const char *)p + S_SUM_HEAD, v.mv_size - S_SUM_HEAD);
    return 0;
}

static int s_sum_put(db_t *self, const char *story, const s_sum_t *sm)
{
    MDB_val k = {UTIL_ID_HEX, (void *)story};
    if (sm->articles == 0) {
        int rc = mdb_del(self->txn, self->stories, &k, NULL);
        return rc == 0 || rc == MDB_NOTFOUND ? 0 : s_wrc(self, rc);
    }
    size_t tl = strlen(sm->title);
    MDB_val v = {S_SUM_HEAD + tl, NULL};
    int rc = mdb_put(self->txn, self->stories, &k, &v, MDB_RESERVE);
    if (rc)
        return s_wrc(self, rc);
    uint8_t *p = v.mv_data;
    memset(p, 0, S_SUM_HEAD);
    memcpy(p, &sm->articles, 4);
    memcpy(p + 4, sm->first, strnlen(sm->first, 10));
    memcpy(p + 14, sm->last, strnlen(sm->last, 10));
    memcpy(p + 24, sm->tdate, strnlen(sm->tdate, 10));
    memcpy(p + 34, sm->tid, strnlen(sm->tid, UTIL_ID_HEX));
    memcpy(p + S_SUM_HEAD, sm->title, tl);
    return 0;
}

/* Folds article `id` (result r) into a summary: counts, dates, and the headline, which
   is the earliest dated article's, else the smallest id's. */
static void s_sum_add(s_sum_t *sm, const char *id, const Crossclaim__Result *r)
{
    const char *d = r->article && !s_empty(r->article->published) ? r->article->published : "";
    char date[11];
    snprintf(date, sizeof date, "%.10s", d);
    sm->articles++;
    if (date[0] && (!sm->first[0] || strcmp(date, sm->first) < 0))
        memcpy(sm->first, date, sizeof date);
    if (date[0] && (!sm->last[0] || strcmp(date, sm->last) > 0))
        memcpy(sm->last, date, sizeof date);
    bool better;
    if (!sm->tid[0])
        better = true;
    else if (date[0] && sm->tdate[0])
        better = strcmp(date, sm->tdate) < 0 || (strcmp(date, sm->tdate) == 0 && strcmp(id, sm->tid) < 0);
    else if (date[0] || sm->tdate[0])
        better = date[0] != 0;
    else
        better = strcmp(id, sm->tid) < 0;
    if (better) {
        memcpy(sm->tdate, date, sizeof date);
        snprintf(sm->tid, sizeof sm->tid, "%s", id);
        sm->title = r->article && r->article->title ? r->article->title : "";
    }
}

static int s_members(db_t *self, MDB_txn *txn, const char *story, char ***out, size_t *n);

/* Adds (sign > 0) or takes away one article's part of its story's summary and entity
   counts. Taking away the article that gave the headline or a date boundary rebuilds the
   summary from the story's remaining articles. */
static int s_sum_update(db_t *self, const char *story, const char *id,
                        const Crossclaim__Result *r, int sign)
{
    s_sum_t sm;
    bool found;
    int rc = s_sum_get(self, self->txn, story, &sm, &found);
    if (rc)
        return rc;
    if (sign > 0) {
        s_sum_add(&sm, id, r);
    } else if (found) {
        const char *d = r->article && !s_empty(r->article->published) ? r->article->published : "";
        bool edge = strcmp(sm.tid, id) == 0 || (d[0] && (strncmp(d, sm.first, 10) == 0 ||
                                                           strncmp(d, sm.last, 10) == 0));
        if (!edge && sm.articles > 1) {
            sm.articles--;
        } else {
            char **ids;
            size_t n;
            if ((rc = s_members(self, self->txn, story, &ids, &n)) != 0)
                return rc;
            memset(&sm, 0, sizeof sm);
            sm.title = "";
            for (size_t i = 0; i < n; i++) {
                if (strcmp(ids[i], id) == 0)
                    continue;
                Crossclaim__Result *o;
                if ((rc = s_load(self, self->txn, ids[i], &o)) != 0)
                    return rc;
                if (o)
                    s_sum_add(&sm, ids[i], o);
            }
        }
    }
    if ((rc = s_sum_put(self, story, &sm)) != 0)
        return rc;
    for (size_t e = 0; e < r->n_entities; e++) {
        const char *key = r->entities[e]->key;
        if (s_empty(key))
            continue;
        size_t kl = strlen(key);
        if (kl > DB_MAX_KEY - UTIL_ID_HEX)
            kl = DB_MAX_KEY - UTIL_ID_HEX;
        char kb[DB_MAX_KEY + 1];
        memcpy(kb, story, UTIL_ID_HEX);
        memcpy(kb + UTIL_ID_HEX, key, kl);
        MDB_val k = {UTIL_ID_HEX + kl, kb}, v;
        uint32_t cnt = 0;
        rc = mdb_get(self->txn, self->sentity, &k, &v);
        if (rc == 0 && v.mv_size == 4)
            memcpy(&cnt, v.mv_data, 4);
        else if (rc && rc != MDB_NOTFOUND)
            return s_mdb(rc);
        cnt = sign > 0 ? cnt + 1 : cnt ? cnt - 1 : 0;
        if (cnt == 0) {
            rc = mdb_del(self->txn, self->sentity, &k, NULL);
            if (rc && rc != MDB_NOTFOUND)
                return s_wrc(self, rc);
        } else {
            MDB_val nv = {4, &cnt};
            if ((rc = mdb_put(self->txn, self->sentity, &k, &nv, 0)) != 0)
                return s_wrc(self, rc);
        }
    }
    return 0;
}

/* Membership: astory[id] = story and smember[story+id] (sign > 0), or both removed, with
   the story's summary. */
static int s_member(db_t *self, const char *id, const Crossclaim__Result *r, const char *story,
                    int sign)
{
    char mk[2 * UTIL_ID_HEX];
    memcpy(mk, story, UTIL_ID_HEX);
    memcpy(mk + UTIL_ID_HEX, id, UTIL_ID_HEX);
    MDB_val k = {UTIL_ID_HEX, (void *)id}, v = {UTIL_ID_HEX, (void *)story};
    MDB_val m = {sizeof mk, mk}, e = {0, ""};
    int rc = sign > 0 ? mdb_put(self->txn, self->astory, &k, &v, 0)
                      : mdb_del(self->txn, self->astory, &k, NULL);
    if (rc && !(sign < 0 && rc == MDB_NOTFOUND))
        return s_wrc(self, rc);
    rc = sign > 0 ? mdb_put(self->txn, self->smember, &m, &e, 0)
                  : mdb_del(self->txn, self->smember, &m, NULL);
    if (rc == MDB_NOTFOUND && sign < 0)
        return 0;   /* was not a member: nothing to take away */
    if (rc)
        return s_wrc(self, rc);
    return s_sum_update(self, story, id, r, sign);
}

/* The articles of story `story` (arena copies, sorted). */
static int s_members(db_t *self, MDB_txn *txn, const char *story, char ***out, size_t *n)
{
    MDB_cursor *c;
    *out = NULL;
    *n = 0;
    int rc = mdb_cursor_open(txn, self->smember, &c);
    if (rc)
        return s_mdb(rc);
    size_t cap = 16;
    char **v = s_alloc(self, cap * sizeof *v);
    MDB_val k = {UTIL_ID_HEX, (void *)story}, d;
    MDB_cursor_op op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &d, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size != 2 * UTIL_ID_HEX || memcmp(k.mv_data, story, UTIL_ID_HEX) != 0)
            break;
        if (*n == cap) {
            char **w = s_alloc(self, 2 * cap * sizeof *w);
            memcpy(w, v, cap * sizeof *v);
            v = w;
            cap *= 2;
        }
        v[(*n)++] = s_strndup(self, (const char *)k.mv_data + UTIL_ID_HEX, UTIL_ID_HEX);
    }
    mdb_cursor_close(c);
    *out = v;
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : s_mdb(rc);
}

/* Moves every article of story `from` into story `to`, with its facts, and announces
   each moved article (its record names its story). */
static int s_rekey(db_t *self, const char *from, const char *to)
{
    char **ids;
    size_t n;
    int rc = s_members(self, self->txn, from, &ids, &n);
    s_touch_story(self, from);
    for (size_t i = 0; !rc && i < n; i++) {
        Crossclaim__Result *r;
        if ((rc = s_load(self, self->txn, ids[i], &r)) != 0 || !r)
            break;
        if ((rc = s_merge_xrefs(self, ids[i], r, from, r, to)) != 0 ||
            (rc = s_member(self, ids[i], r, from, -1)) != 0 ||
            (rc = s_member(self, ids[i], r, to, +1)) != 0)
            break;
        json_reset(self->json);
        s_article_line(self->json, ids[i], r, to);
        size_t tlen;
        const char *topic = s_topic(self, "article.", ids[i], "", "", &tlen);
        rc = s_feed_put(self, "article", ids[i], topic, tlen, NULL);
    }
    return rc;
}

static int s_str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The story of a new article: the smallest id among itself and the stories of the
   articles it links to, those stories joined into it. `*story` gets an arena copy. */
static int s_id_cmp(const void *a, const void *b)
{
    return memcmp(a, b, UTIL_ID_HEX);
}

/* The story of a new article: the smallest id among itself and the stories of the
   articles it links to, those stories joined into it. `*story` gets an arena copy.
   Candidates are the articles that share at least STORY_SHARED of its probe terms. */
static int s_story_assign(db_t *self, const char *id, const Crossclaim__Result *r,
                          char **story)
{
    story_term_t *mine;
    size_t nmine = s_terms(self, r, &mine);
    const char *date = s_published(r);
    size_t cap = 64, nlinked = 0;
    char **linked = s_alloc(self, cap * sizeof *linked);
    size_t nprobe = r->n_terms < STORY_PROBE ? r->n_terms : STORY_PROBE;
    char (*cand)[UTIL_ID_HEX] = s_alloc(self, (nprobe * STORY_POSTINGS + 1) * UTIL_ID_HEX);
    size_t ncand = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(self->txn, self->sterm, &c);
    if (rc)
        return s_mdb(rc);
    for (size_t i = 0; i < nprobe && !rc; i++) {
        const char *term = r->terms[i] ? r->terms[i]->term : NULL;
        if (s_empty(term) || strlen(term) > DB_MAX_KEY)
            continue;
        MDB_val k = {strlen(term), (void *)term}, v;
        MDB_cursor_op op = MDB_SET_KEY;
        size_t read = 0;
        while (read < STORY_POSTINGS && (rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
            op = MDB_NEXT_DUP;
            read++;
            if (v.mv_size == UTIL_ID_HEX && memcmp(v.mv_data, id, UTIL_ID_HEX) != 0)
                memcpy(cand[ncand++], v.mv_data, UTIL_ID_HEX);
        }
        if (rc == MDB_NOTFOUND)
            rc = 0;
    }
    mdb_cursor_close(c);
    if (rc)
        return s_mdb(rc);
    qsort(cand, ncand, UTIL_ID_HEX, s_id_cmp);
    for (size_t i = 0, j; i < ncand && !rc; i = j) {
        for (j = i + 1; j < ncand && memcmp(cand[j], cand[i], UTIL_ID_HEX) == 0; j++)
            ;
        if (j - i < STORY_SHARED)
            continue;
        char *other = s_strndup(self, cand[i], UTIL_ID_HEX);
        /* a candidate of a story already linked can only link it again */
        char *st;
        if ((rc = s_story_of(self, self->txn, other, &st)) != 0)
            break;
        if (!st)
            continue;
        bool known = false;
        for (size_t s = 0; s < nlinked && !known; s++)
            known = strcmp(linked[s], st) == 0;
        if (known)
            continue;
        Crossclaim__Result *o;
        if ((rc = s_load(self, self->txn, other, &o)) != 0)
            break;
        if (!o)
            continue;
        story_term_t *theirs;
        size_t ntheirs = s_terms(self, o, &theirs);
        if (!story_linked(mine, nmine, date, theirs, ntheirs, s_published(o)))
            continue;
        if (nlinked == cap) {
            char **w = s_alloc(self, 2 * cap * sizeof *w);
            memcpy(w, linked, cap * sizeof *linked);
            linked = w;
            cap *= 2;
        }
        linked[nlinked++] = st;
    }
    if (rc)
        return rc;
    qsort(linked, nlinked, sizeof *linked, s_str_cmp);
    const char *best = id;
    if (nlinked && strcmp(linked[0], best) < 0)
        best = linked[0];
    *story = s_strndup(self, best, UTIL_ID_HEX);
    for (size_t i = 0; i < nlinked && !rc; i++)
        if ((i == 0 || strcmp(linked[i], linked[i - 1]) != 0) && strcmp(linked[i], best) != 0)
            rc = s_rekey(self, linked[i], best);
    return rc;
}

/* ---------------------------------------------------------------- entities */

/* Rebuilds the entity record of one key: takes away the old result's forms and article,
   adds the new result's. */
static int s_entity_update(db_t *self, const s_touch_t *run, size_t nrun)
{
    const char *key = run[0].key;
    size_t extra[S_LISTS] = {0};
    bool was = false, is = false;
    for (size_t i = 0; i < nrun; i++) {
        const Crossclaim__Entity *e = run[i].item;
        extra[S_NAMES]++;
        extra[S_ALIASES] += e->n_aliases;
        extra[S_KINDS]++;
        if (run[i].sign < 0)
            was = true;
        else
            is = true;
    }
    MDB_val k, v;
    s_dbkey(self, key, &k);
    s_ent_t e;
    bool had = false;
    int rc = mdb_get(self->txn, self->entities, &k, &v);
    if (rc == 0) {
        had = true;
        if ((rc = s_ent_parse(self, v.mv_data, v.mv_size, &e, extra)) != 0)
            return rc;
    } else if (rc == MDB_NOTFOUND) {
        memset(&e, 0, sizeof e);
        e.key = key;
        e.key_len = (uint32_t)strlen(key);
        for (int l = 0; l < S_LISTS; l++)
            e.list[l] = s_alloc(self, (extra[l] ? extra[l] : 1) * sizeof(s_form_t));
    } else {
        return s_mdb(rc);
    }
    e.articles += (is ? 1 : 0) - (was ? 1 : 0);
    for (size_t i = 0; i < nrun; i++) {
        const Crossclaim__Entity *x = run[i].item;
        s_ent_add(&e, S_NAMES, x->name, run[i].sign);
        for (size_t a = 0; a < x->n_aliases; a++)
            s_ent_add(&e, S_ALIASES, x->aliases[a], run[i].sign);
        s_ent_add(&e, S_KINDS, x->kind, run[i].sign);
    }
    for (int l = 0; l < S_LISTS; l++) {
        size_t w = 0;
        for (size_t i = 0; i < e.n[l]; i++)
            if (e.list[l][i].n > 0)
                e.list[l][w++] = e.list[l][i];
        e.n[l] = w;
        qsort(e.list[l], w, sizeof(s_form_t), s_form_cmp);
    }
    json_reset(self->json);
    size_t tlen;
    const char *topic;
    if (e.articles <= 0) {
        if (!had)
            return 0;
        json_obj_begin(self->json);
        json_key(self->json, "type");
        json_str(self->json, "entity");
        json_key(self->json, "key");
        json_str(self->json, key);
        json_key(self->json, "deleted");
        json_bool(self->json, true);
        json_key(self->json, "articles");
        json_int(self->json, 0);
        json_obj_end(self->json);
        json_newline(self->json);
        if ((rc = mdb_del(self->txn, self->entities, &k, NULL)) != 0)
            return s_wrc(self, rc);
    } else {
        size_t n = s_ent_pack(self, &e);
        if (had && n == v.mv_size && memcmp(self->buf, v.mv_data, n) == 0)
            return 0;
        s_entity_line(self->json, &e); /* before the put: `e` may point into `v` */
        MDB_val nv = {n, self->buf};
        if ((rc = mdb_put(self->txn, self->entities, &k, &nv, 0)) != 0)
            return s_wrc(self, rc);
    }
    topic = s_topic(self, "entity.", key, "", "", &tlen);
    return s_feed_put(self, "entity", key, topic, tlen, NULL);
}

static int s_entity_run(db_t *self, const s_touch_t *run, size_t nrun, void *arg)
{
    (void)arg;
    return s_entity_update(self, run, nrun);
}

static int s_merge_entities(db_t *self, const Crossclaim__Result *old,
                            const Crossclaim__Result *r)
{
    return s_merge_keys(self, old ? (void *const *)old->entities : NULL,
                        old ? old->n_entities : 0, (void *const *)r->entities, r->n_entities,
                        offsetof(Crossclaim__Entity, key), s_entity_run, NULL);
}

/* ---------------------------------------------------------------- merge */

static size_t s_pack_result(db_t *self, const Crossclaim__Result *r)
{
    size_t n = crossclaim__result__get_packed_size(r);
    s_ensure(self, n);
    crossclaim__result__pack(r, self->buf);
    return n;
}

static int s_story_announce(db_t *self, const char *story);

int db_merge(db_t *self, const Crossclaim__Result *r)
{
    if (!self || !r)
        return -EINVAL;
    if (self->readonly)
        return DB_EREADONLY;
    if (!self->txn)
        return DB_ESTATE;
    const char *id = r->article ? s_result_id(r) : NULL;
    if (!id)
        return DB_EINPUT;
    s_arena_reset(&self->arena);

    MDB_val k = {UTIL_ID_HEX, (void *)id}, v;
    Crossclaim__Result *old = NULL;
    int rc = mdb_get(self->txn, self->articles, &k, &v);
    if (rc == 0) {
        old = crossclaim__result__unpack(&self->pba, v.mv_size, v.mv_data);
        if (!old)
            return DB_ECORRUPT;
    } else if (rc != MDB_NOTFOUND) {
        return s_mdb(rc);
    }

    /* The stored record: the result without the article text (workers leave it empty
       anyway, but the store does not count on it). */
    Crossclaim__Article art = *r->article;
    art.text.data = NULL;
    art.text.len = 0;
    Crossclaim__Result rec = *r;
    rec.article = &art;
    if (old) {
        /* The same result again, bar who extracted it and how fast: a redelivery. */
        rec.worker = old->worker;
        rec.extract_seconds = old->extract_seconds;
        if (old->article)
            art.submitted_us = old->article->submitted_us;
        size_t n = s_pack_result(self, &rec);
        if (n == v.mv_size && memcmp(self->buf, v.mv_data, n) == 0)
            return 0;
        rec.worker = r->worker;
        rec.extract_seconds = r->extract_seconds;
        art.submitted_us = r->article->submitted_us;
    }
    /* Out of its old story first, so it links afresh; then into its story, with its
       claims. A replaced article leaves its old story whole (see db.h). */
    char *old_story = NULL, *story = NULL;
    if (old) {
        if ((rc = s_story_of(self, self->txn, id, &old_story)) != 0)
            return rc;
        if ((rc = s_index_terms(self, id, old, -1)) != 0)
            return rc;
        if (old_story && (rc = s_member(self, id, old, old_story, -1)) != 0)
            return rc;
    }
    if ((rc = s_story_assign(self, id, r, &story)) != 0)
        return rc;
    if ((rc = s_merge_xrefs(self, id, old, old_story, r, story)) != 0)
        return rc;
    if ((rc = s_index_terms(self, id, r, +1)) != 0 || (rc = s_member(self, id, r, story, +1)) != 0)
        return rc;
    if ((rc = s_merge_entities(self, old, r)) != 0)
        return rc;

    size_t n = s_pack_result(self, &rec);
    MDB_val nv = {n, self->buf};
    if ((rc = mdb_put(self->txn, self->articles, &k, &nv, 0)) != 0)
        return s_wrc(self, rc);
    self->claims += r->n_quantities - (old ? old->n_quantities : 0);
    self->attributions += r->n_attributions - (old ? old->n_attributions : 0);

    json_reset(self->json);
    s_article_line(self->json, id, &rec, story);
    size_t tlen;
    const char *topic = s_topic(self, "article.", id, "", "", &tlen);
    if (old_story)
        s_touch_story(self, old_story);
    s_touch_story(self, story);
    return s_feed_put(self, "article", id, topic, tlen, NULL);
}

/* ---------------------------------------------------------------- reading */

void db_stats_json(const db_stats_t *st, json_t *j)
{
    json_key(j, "articles"); json_int(j, (int64_t)st->articles);
    json_key(j, "claims"); json_int(j, (int64_t)st->claims);
    json_key(j, "attributions"); json_int(j, (int64_t)st->attributions);
    json_key(j, "entities"); json_int(j, (int64_t)st->entities);
    json_key(j, "xrefs"); json_int(j, (int64_t)st->xrefs);
    json_key(j, "conflicts"); json_int(j, (int64_t)st->conflicts);
    json_key(j, "corroborated"); json_int(j, (int64_t)st->corroborated);
    json_key(j, "seq"); json_int(j, (int64_t)st->seq);
}

int db_stats(db_t *self, db_stats_t *out)
{
    if (!self || !out)
        return -EINVAL;
    memset(out, 0, sizeof *out);
    MDB_txn *txn;
    int rc = s_rtxn(self, &txn);
    if (rc)
        return rc;
    MDB_stat st;
    if (mdb_stat(txn, self->articles, &st) == 0)
        out->articles = st.ms_entries;
    if (mdb_stat(txn, self->entities, &st) == 0)
        out->entities = st.ms_entries;
    if (mdb_stat(txn, self->xrefs, &st) == 0)
        out->xrefs = st.ms_entries;
    out->seq = s_meta_get(txn, self->meta, "seq");
    out->claims = s_meta_get(txn, self->meta, "claims");
    out->attributions = s_meta_get(txn, self->meta, "attributions");
    out->conflicts = s_meta_get(txn, self->meta, "conflicts");
    out->corroborated = s_meta_get(txn, self->meta, "corroborated");
    mdb_txn_abort(txn);
    return 0;
}

/* Sends the line in self->json to fn. */
static int s_emit(db_t *self, db_line_fn *fn, void *arg)
{
    return fn(arg, json_data(self->json), json_len(self->json));
}

/* True when the walk has no topic filter, or when the record's feed topic, the pieces a b
   c then key[0..key_len), starts with one of the filter's prefixes. */
static bool s_wanted(db_t *self, const char *a, const char *b, const char *c, const char *key,
                     size_t key_len)
{
    if (!self->prefixes)
        return true;
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c), n = la + lb + lc + key_len;
    if (n + 1 > self->topic_cap) {
        self->topic_cap = n + 64;
        self->topic = util_realloc(self->topic, self->topic_cap);
    }
    char *t = self->topic;
    memcpy(t, a, la);
    memcpy(t + la, b, lb);
    memcpy(t + la + lb, c, lc);
    memcpy(t + la + lb + lc, key, key_len);
    for (size_t i = 0; i < self->nprefixes; i++) {
        size_t lp = strlen(self->prefixes[i]);
        if (lp <= n && memcmp(t, self->prefixes[i], lp) == 0)
            return true;
    }
    return false;
}

/* True when some prefix of the filter could match a topic that begins with `head`. */
static bool s_wanted_head(const char *const *prefixes, size_t n, const char *head)
{
    for (size_t i = 0; i < n; i++) {
        size_t lp = strlen(prefixes[i]), lh = strlen(head);
        if (memcmp(prefixes[i], head, lp < lh ? lp : lh) == 0)
            return true;
    }
    return false;
}

static int s_walk_articles(db_t *self, MDB_txn *txn, unsigned kind, db_line_fn *fn, void *arg)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, self->articles, &c);
    if (rc)
        return s_mdb(rc);
    MDB_val k, v;
    MDB_cursor_op op = MDB_FIRST;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        s_arena_reset(&self->arena);
        Crossclaim__Result *r = crossclaim__result__unpack(&self->pba, v.mv_size, v.mv_data);
        if (!r || k.mv_size != UTIL_ID_HEX) {
            rc = DB_ECORRUPT;
            break;
        }
        char id[UTIL_ID_HEX + 1];
        memcpy(id, k.mv_data, UTIL_ID_HEX);
        id[UTIL_ID_HEX] = 0;
        if (kind == DB_ARTICLES && s_wanted(self, "article.", "", "", id, UTIL_ID_HEX)) {
            char *story;
            if ((rc = s_story_of(self, txn, id, &story)) != 0)
                break;
            json_reset(self->json);
            s_article_line(self->json, id, r, story);
            rc = s_emit(self, fn, arg);
        }
        for (size_t i = 0; !rc && kind == DB_ATTRIBUTIONS && i < r->n_attributions; i++) {
            json_reset(self->json);
            s_attribution_line(self->json, id, r->attributions[i]);
            rc = s_emit(self, fn, arg);
        }
        for (size_t i = 0; !rc && kind == DB_QUANTITIES && i < r->n_quantities; i++) {
            json_reset(self->json);
            s_quantity_line(self->json, id, r->quantities[i]);
            rc = s_emit(self, fn, arg);
        }
        if (rc)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : s_mdb(rc);
}

static int s_walk_entities(db_t *self, MDB_txn *txn, db_line_fn *fn, void *arg)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, self->entities, &c);
    if (rc)
        return s_mdb(rc);
    MDB_val k, v;
    MDB_cursor_op op = MDB_FIRST;
    static const size_t none[S_LISTS] = {0};
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        s_arena_reset(&self->arena);
        s_ent_t e;
        if ((rc = s_ent_parse(self, v.mv_data, v.mv_size, &e, none)) != 0)
            break;
        if (!s_wanted(self, "entity.", "", "", e.key, e.key_len))
            continue;
        json_reset(self->json);
        s_entity_line(self->json, &e);
        if ((rc = s_emit(self, fn, arg)) != 0)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : s_mdb(rc);
}

static int s_walk_xrefs(db_t *self, MDB_txn *txn, bool conflicts, db_line_fn *fn, void *arg)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, self->xrefs, &c);
    if (rc)
        return s_mdb(rc);
    MDB_val k, v;
    MDB_cursor_op op = MDB_FIRST;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        s_arena_reset(&self->arena);
        Crossclaim__Xref *x = crossclaim__xref__unpack(&self->pba, v.mv_size, v.mv_data);
        if (!x) {
            rc = DB_ECORRUPT;
            break;
        }
        if (conflicts && strcmp(x->status, "conflict") != 0)
            continue;
        if (!s_wanted(self, "xref.", x->status ? x->status : "single", ".", x->key ? x->key : "",
                      x->key ? strlen(x->key) : 0))
            continue;
        json_reset(self->json);
        s_xref_line(self->json, x);
        if ((rc = s_emit(self, fn, arg)) != 0)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : s_mdb(rc);
}

typedef struct {
    const char *key;
    int n;
} s_count_t;

static int s_count_cmp(const void *a, const void *b)
{
    const s_count_t *x = a, *y = b;
    return x->n != y->n ? y->n - x->n : strcmp(x->key, y->key);
}

/* The export line of one story: its size, dates, a headline (the earliest article's, or
   the first by id when undated) and its most frequent entities. */
static int s_story_line(db_t *self, MDB_txn *txn, const char *story, json_t *j)
{
    s_sum_t sm;
    bool found;
    int rc = s_sum_get(self, txn, story, &sm, &found);
    if (rc)
        return rc;
    if (!found)
        return DB_ENOTFOUND;
    /* the story's entities by the number of its articles naming them */
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(txn, self->sentity, &c)) != 0)
        return s_mdb(rc);
    size_t nc = 0, cap = 64;
    s_count_t *cnt = s_alloc(self, cap * sizeof *cnt);
    MDB_val k = {UTIL_ID_HEX, (void *)story}, v;
    MDB_cursor_op op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size <= UTIL_ID_HEX || memcmp(k.mv_data, story, UTIL_ID_HEX) != 0)
            break;
        if (v.mv_size != 4)
            continue;
        uint32_t n;
        memcpy(&n, v.mv_data, 4);
        if (nc == cap) {
            s_count_t *w = s_alloc(self, 2 * cap * sizeof *w);
            memcpy(w, cnt, cap * sizeof *cnt);
            cnt = w;
            cap *= 2;
        }
        cnt[nc++] = (s_count_t){s_strndup(self, (const char *)k.mv_data + UTIL_ID_HEX,
                                          k.mv_size - UTIL_ID_HEX), (int)n};
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND)
        return s_mdb(rc);
    qsort(cnt, nc, sizeof *cnt, s_count_cmp);
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "story");
    json_key(j, "id");
    json_str(j, story);
    json_key(j, "title");
    json_str(j, sm.title);
    json_key(j, "articles");
    json_int(j, (int64_t)sm.articles);
    s_json_opt(j, "first", sm.first);
    s_json_opt(j, "last", sm.last);
    json_key(j, "entities");
    json_arr_begin(j);
    for (size_t i = 0; i < nc && i < DB_STORY_ENTITIES; i++)
        json_str(j, cnt[i].key);
    json_arr_end(j);
    json_obj_end(j);
    json_newline(j);
    return 0;
}

static int s_walk_stories(db_t *self, MDB_txn *txn, db_line_fn *fn, void *arg)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, self->smember, &c);
    if (rc)
        return s_mdb(rc);
    MDB_val k, v;
    char story[UTIL_ID_HEX + 1] = "";
    MDB_cursor_op op = MDB_FIRST;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size != 2 * UTIL_ID_HEX) {
            rc = DB_ECORRUPT;
            break;
        }
        if (story[0] && memcmp(story, k.mv_data, UTIL_ID_HEX) == 0)
            continue;
        memcpy(story, k.mv_data, UTIL_ID_HEX);
        story[UTIL_ID_HEX] = 0;
        if (!s_wanted(self, "story.", "", "", story, UTIL_ID_HEX))
            continue;
        s_arena_reset(&self->arena);
        json_reset(self->json);
        if ((rc = s_story_line(self, txn, story, self->json)) != 0 ||
            (rc = s_emit(self, fn, arg)) != 0)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : s_mdb(rc);
}

/* Announces story `story` on the feed (topic "story.<id>"): its record, or a delete
   ("story.deleted.<id>") when no article is left in it. Reads its members: a cost in
   proportion to the story's size. */
static int s_story_announce(db_t *self, const char *story)
{
    s_sum_t sm;
    bool found;
    size_t tlen;
    int rc = s_sum_get(self, self->txn, story, &sm, &found);
    if (rc)
        return rc;
    json_reset(self->json);
    const char *topic;
    if (!found) {
        json_obj_begin(self->json);
        json_key(self->json, "type");
        json_str(self->json, "story");
        json_key(self->json, "id");
        json_str(self->json, story);
        json_key(self->json, "deleted");
        json_bool(self->json, true);
        json_key(self->json, "articles");
        json_int(self->json, 0);
        json_obj_end(self->json);
        json_newline(self->json);
        topic = s_topic(self, "story.deleted.", story, "", "", &tlen);
    } else {
        if ((rc = s_story_line(self, self->txn, story, self->json)) != 0)
            return rc;
        topic = s_topic(self, "story.", story, "", "", &tlen);
    }
    return s_feed_put(self, "story", story, topic, tlen, NULL);
}

int db_dump_story(db_t *self, const char *id, uint64_t *seq, db_line_fn *fn, void *arg)
{
    if (!self || !id || !fn)
        return -EINVAL;
    if (!util_is_job_id(id, strlen(id)))
        return DB_ENOTFOUND;
    MDB_txn *txn;
    int rc = s_rtxn(self, &txn);
    if (rc)
        return rc;
    if (seq)
        *seq = s_meta_get(txn, self->meta, "seq");
    s_arena_reset(&self->arena);
    char **ids;
    size_t n;
    if ((rc = s_members(self, txn, id, &ids, &n)) != 0 || n == 0) {
        mdb_txn_abort(txn);
        return rc ? rc : DB_ENOTFOUND;
    }
    json_reset(self->json);
    if ((rc = s_story_line(self, txn, id, self->json)) == 0)
        rc = s_emit(self, fn, arg);
    /* s_story_line used the arena: list the members again for their lines */
    for (size_t i = 0; !rc && i < n; i++) {
        s_arena_reset(&self->arena);
        char **again;
        size_t m;
        if ((rc = s_members(self, txn, id, &again, &m)) != 0 || i >= m)
            break;
        Crossclaim__Result *r;
        if ((rc = s_load(self, txn, again[i], &r)) != 0 || !r)
            break;
        json_reset(self->json);
        s_article_line(self->json, again[i], r, id);
        rc = s_emit(self, fn, arg);
    }
    MDB_cursor *c = NULL;
    if (!rc && (rc = mdb_cursor_open(txn, self->xrefs, &c)) == 0) {
        char pre[UTIL_ID_HEX + 1];
        memcpy(pre, id, UTIL_ID_HEX);
        pre[UTIL_ID_HEX] = '/';
        MDB_val k = {sizeof pre, pre}, v;
        MDB_cursor_op op = MDB_SET_RANGE;
        while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
            op = MDB_NEXT;
            if (k.mv_size < sizeof pre || memcmp(k.mv_data, pre, sizeof pre) != 0)
                break;
            s_arena_reset(&self->arena);
            Crossclaim__Xref *x = crossclaim__xref__unpack(&self->pba, v.mv_size, v.mv_data);
            if (!x) {
                rc = DB_ECORRUPT;
                break;
            }
            json_reset(self->json);
            s_xref_line(self->json, x);
            if ((rc = s_emit(self, fn, arg)) != 0)
                break;
        }
        if (rc == MDB_NOTFOUND)
            rc = 0;
        mdb_cursor_close(c);
    }
    mdb_txn_abort(txn);
    return s_mdb(rc);
}

int db_story_json(db_t *self, const char *id, json_t *out)
{
    if (!self || !id || !out)
        return -EINVAL;
    if (!util_is_job_id(id, strlen(id)))
        return DB_ENOTFOUND;
    MDB_txn *txn;
    int rc = s_rtxn(self, &txn);
    if (rc)
        return rc;
    s_arena_reset(&self->arena);
    json_reset(self->json);
    char **ids;
    size_t n;
    if ((rc = s_members(self, txn, id, &ids, &n)) == 0) {
        if (n == 0)
            rc = DB_ENOTFOUND;
        else if ((rc = s_story_line(self, txn, id, self->json)) == 0)
            json_raw(out, json_data(self->json), json_len(self->json));
    }
    mdb_txn_abort(txn);
    return rc;
}

int db_dump(db_t *self, unsigned what, uint64_t *seq, db_line_fn *fn, void *arg)
{
    if (!self || !fn)
        return -EINVAL;
    MDB_txn *txn;
    int rc = s_rtxn(self, &txn);
    if (rc)
        return rc;
    if (seq)
        *seq = s_meta_get(txn, self->meta, "seq");
    static const unsigned kinds[] = {DB_ARTICLES, DB_ATTRIBUTIONS, DB_QUANTITIES};
    for (size_t i = 0; !rc && i < 3; i++)
        if (what & kinds[i])
            rc = s_walk_articles(self, txn, kinds[i], fn, arg);
    if (!rc && (what & DB_ENTITIES))
        rc = s_walk_entities(self, txn, fn, arg);
    if (!rc && (what & (DB_XREFS | DB_CONFLICTS)))
        rc = s_walk_xrefs(self, txn, !(what & DB_XREFS), fn, arg);
    if (!rc && (what & DB_STORIES))
        rc = s_walk_stories(self, txn, fn, arg);
    mdb_txn_abort(txn);
    return rc;
}

int db_dump_topics(db_t *self, const char *const *prefixes, size_t n, uint64_t *seq,
                   db_line_fn *fn, void *arg)
{
    if (!self || !fn || (n && !prefixes))
        return -EINVAL;
    unsigned what = 0;
    if (s_wanted_head(prefixes, n, "article."))
        what |= DB_ARTICLES;
    if (s_wanted_head(prefixes, n, "entity."))
        what |= DB_ENTITIES;
    if (s_wanted_head(prefixes, n, "xref."))
        what |= DB_XREFS;
    if (s_wanted_head(prefixes, n, "story."))
        what |= DB_STORIES;
    self->prefixes = prefixes;
    self->nprefixes = n;
    int rc = db_dump(self, what, seq, fn, arg);
    self->prefixes = NULL;
    self->nprefixes = 0;
    return rc;
}

static int s_fwrite_line(void *arg, const char *line, size_t len)
{
    return fwrite(line, 1, len, arg) == len ? 0 : -EIO;
}

int db_export(db_t *self, FILE *out)
{
    if (!self || !out)
        return -EINVAL;
    int rc = db_dump(self, DB_ALL, NULL, s_fwrite_line, out);
    if (!rc && fflush(out) != 0)
        rc = -errno;
    return rc;
}

/* Looks up one record under `dbi` by `key` and appends its export line to `out`. */
static int s_lookup(db_t *self, MDB_dbi dbi, const char *key, json_t *out)
{
    if (!self || !key || !out)
        return -EINVAL;
    MDB_txn *txn;
    int rc = s_rtxn(self, &txn);
    if (rc)
        return rc;
    MDB_val k, v;
    s_dbkey(self, key, &k);
    rc = mdb_get(txn, dbi, &k, &v);
    if (rc == MDB_NOTFOUND) {
        rc = DB_ENOTFOUND;
        goto leave;
    }
    if (rc) {
        rc = s_mdb(rc);
        goto leave;
    }
    s_arena_reset(&self->arena);
    json_reset(self->json);
    if (dbi == self->xrefs) {
        Crossclaim__Xref *x = crossclaim__xref__unpack(&self->pba, v.mv_size, v.mv_data);
        if (!x) {
            rc = DB_ECORRUPT;
            goto leave;
        }
        s_xref_line(self->json, x);
    } else if (dbi == self->entities) {
        static const size_t none[S_LISTS] = {0};
        s_ent_t e;
        if ((rc = s_ent_parse(self, v.mv_data, v.mv_size, &e, none)) != 0)
            goto leave;
        s_entity_line(self->json, &e);
    } else {
        Crossclaim__Result *r = crossclaim__result__unpack(&self->pba, v.mv_size, v.mv_data);
        if (!r) {
            rc = DB_ECORRUPT;
            goto leave;
        }
        char *story;
        if ((rc = s_story_of(self, txn, key, &story)) != 0)
            goto leave;
        s_article_line(self->json, key, r, story);
    }
    json_raw(out, json_data(self->json), json_len(self->json));
leave:
    mdb_txn_abort(txn);
    return rc;
}

typedef struct {
    const char *frame;
    json_t *out;
    bool found;
} s_frame_find_t;

static int s_frame_find(void *arg, const char *line, size_t len)
{
    s_frame_find_t *f = arg;
    (void)len;
    const char *p = strstr(line, "\"frame\":\"");
    size_t n = strlen(f->frame);
    if (p && strncmp(p + 9, f->frame, n) == 0 && p[9 + n] == '"') {
        json_raw(f->out, line, len);
        f->found = true;
        return 1;
    }
    return 0;
}

int db_xref_json(db_t *self, const char *key, json_t *out)
{
    if (!self || !key || !out)
        return -EINVAL;
    /* A full key is "<story>/<frame>"; a bare frame key finds its first story's fact. */
    if (strlen(key) > UTIL_ID_HEX && key[UTIL_ID_HEX] == '/')
        return s_lookup(self, self->xrefs, key, out);
    s_frame_find_t f = {key, out, false};
    int rc = db_dump(self, DB_XREFS, NULL, s_frame_find, &f);
    if (rc == 1 || f.found)
        return 0;
    return rc ? rc : DB_ENOTFOUND;
}

int db_entity_json(db_t *self, const char *key, json_t *out)
{
    return self ? s_lookup(self, self->entities, key, out) : -EINVAL;
}

int db_article_json(db_t *self, const char *id, json_t *out)
{
    if (!self || !id)
        return -EINVAL;
    if (!util_is_job_id(id, strlen(id)))
        return DB_ENOTFOUND;
    return s_lookup(self, self->articles, id, out);
}

int db_feed_since(db_t *self, uint64_t after, uint64_t *first, db_feed_fn *fn, void *arg)
{
    if (!self || !fn)
        return -EINVAL;
    MDB_txn *txn;
    int rc = s_rtxn(self, &txn);
    if (rc)
        return rc;
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(txn, self->feed, &c)) != 0) {
        mdb_txn_abort(txn);
        return s_mdb(rc);
    }
    MDB_val k, v;
    if (first) {
        *first = 0;
        if (mdb_cursor_get(c, &k, &v, MDB_FIRST) == 0 && k.mv_size == 8)
            *first = s_get_be64(k.mv_data);
    }
    uint8_t kb[8];
    s_be64(kb, after + 1);
    k.mv_size = sizeof kb;
    k.mv_data = kb;
    MDB_cursor_op op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        const uint8_t *p = v.mv_data;
        if (k.mv_size != 8 || v.mv_size < 2 || v.mv_size < 2 + ((size_t)p[0] << 8 | p[1])) {
            rc = DB_ECORRUPT;
            break;
        }
        size_t tl = (size_t)p[0] << 8 | p[1];
        if ((rc = fn(arg, s_get_be64(k.mv_data), (const char *)p + 2, tl, p + 2 + tl,
                     v.mv_size - 2 - tl)) != 0)
            break;
    }
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    return rc == MDB_NOTFOUND ? 0 : s_mdb(rc);
}

/* ---------------------------------------------------------------- report */

typedef struct {
    char *name;
    char *kind;
    int64_t articles;
} s_top_t;

/* Prints who says what in one cluster: value, then each article's source and outlet. */
static void s_report_claims(db_t *self, MDB_txn *txn, FILE *out, const Crossclaim__Xref *x)
{
    for (size_t i = 0; i < x->n_claims; i++) {
        const Crossclaim__XrefClaim *c = x->claims[i];
        const char *source = "?";
        MDB_val k = {strlen(c->article), c->article}, v;
        if (mdb_get(txn, self->articles, &k, &v) == 0) {
            Crossclaim__Result *r = crossclaim__result__unpack(&self->pba, v.mv_size, v.mv_data);
            if (r && r->article && !s_empty(r->article->source))
                source = r->article->source;
        }
        const char *said = c->sentence && !s_empty(c->sentence->text) ? c->sentence->text : c->text;
        fprintf(out, "    %-10.10g%s %-40s %-16s \"%.200s\"\n", c->value, c->approx ? "~" : " ",
                source, s_empty(c->outlet) ? "-" : c->outlet, said);
    }
}

int db_report(db_t *self, FILE *out)
{
    if (!self || !out)
        return -EINVAL;
    db_stats_t st;
    int rc = db_stats(self, &st);
    if (rc)
        return rc;
    fprintf(out, "crossclaim report\n\n");
    fprintf(out, "articles      %" PRIu64 "\n", st.articles);
    fprintf(out, "claims        %" PRIu64 " quantities, %" PRIu64 " attributions\n", st.claims,
            st.attributions);
    fprintf(out, "entities      %" PRIu64 "\n", st.entities);
    fprintf(out, "xrefs         %" PRIu64 " (%" PRIu64 " conflict%s, %" PRIu64
            " corroborated)\n", st.xrefs, st.conflicts, st.conflicts == 1 ? "" : "s",
            st.corroborated);

    MDB_txn *txn;
    if ((rc = s_rtxn(self, &txn)) != 0)
        return rc;
    MDB_cursor *c = NULL;
    MDB_val k, v;
    s_top_t top[DB_REPORT_TOP] = {{0}};
    size_t ntop = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *want = pass == 0 ? "conflict" : "corroborated";
        fprintf(out, "\n%s (%" PRIu64 ")\n", pass == 0 ? "CONFLICTS" : "CORROBORATIONS",
                pass == 0 ? st.conflicts : st.corroborated);
        if ((rc = mdb_cursor_open(txn, self->xrefs, &c)) != 0)
            goto leave;
        size_t shown = 0;
        char last_story[UTIL_ID_HEX + 1] = "";
        MDB_cursor_op op = MDB_FIRST;
        while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
            op = MDB_NEXT;
            s_arena_reset(&self->arena);
            Crossclaim__Xref *x = crossclaim__xref__unpack(&self->pba, v.mv_size, v.mv_data);
            if (!x) {
                rc = DB_ECORRUPT;
                goto leave;
            }
            if (strcmp(x->status, want) != 0)
                continue;
            if (pass == 1 && shown >= DB_REPORT_CORR) {
                shown++;
                continue;
            }
            shown++;
            /* xref keys begin with their story's id, so a story's facts come together */
            if (!s_empty(x->story) && strcmp(x->story, last_story) != 0) {
                snprintf(last_story, sizeof last_story, "%s", x->story);
                char **ids;
                size_t n = 0;
                Crossclaim__Result *first = NULL;
                if (s_members(self, txn, x->story, &ids, &n) == 0 && n)
                    (void)s_load(self, txn, ids[0], &first);
                fprintf(out, "\n  story %.12s: \"%s\" (%zu article%s)\n", x->story,
                        first && first->article && first->article->title ? first->article->title : "",
                        n, n == 1 ? "" : "s");
            }
            fprintf(out, "  %s  (%u sources%s)\n", s_empty(x->frame) ? x->key : x->frame,
                    x->sources, x->evolving ? ", evolving" : "");
            s_report_claims(self, txn, out, x);
        }
        if (rc != MDB_NOTFOUND)
            goto leave;
        if (shown > DB_REPORT_CORR && pass == 1)
            fprintf(out, "  ... and %zu more\n", shown - DB_REPORT_CORR);
        mdb_cursor_close(c);
        c = NULL;
    }

    if ((rc = mdb_cursor_open(txn, self->entities, &c)) != 0)
        goto leave;
    MDB_cursor_op op = MDB_FIRST;
    static const size_t none[S_LISTS] = {0};
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        s_arena_reset(&self->arena);
        s_ent_t e;
        if ((rc = s_ent_parse(self, v.mv_data, v.mv_size, &e, none)) != 0)
            goto leave;
        if (ntop == DB_REPORT_TOP && e.articles <= top[ntop - 1].articles)
            continue;
        const s_form_t *name = s_ent_best(&e, S_NAMES), *kind = s_ent_best(&e, S_KINDS);
        s_top_t t = {name ? util_strndup(name->s, name->len) : util_strndup(e.key, e.key_len),
                     kind ? util_strndup(kind->s, kind->len) : util_strdup("other"),
                     e.articles};
        if (ntop == DB_REPORT_TOP) {
            free(top[ntop - 1].name);
            free(top[ntop - 1].kind);
            ntop--;
        }
        size_t i = ntop++;
        for (; i > 0 && top[i - 1].articles < t.articles; i--)
            top[i] = top[i - 1];
        top[i] = t;
    }
    if (rc != MDB_NOTFOUND)
        goto leave;
    rc = 0;
    fprintf(out, "\nTOP ENTITIES\n");
    for (size_t i = 0; i < ntop; i++)
        fprintf(out, "  %4" PRId64 " article%s %-8s %s\n", top[i].articles,
                top[i].articles == 1 ? " " : "s", top[i].kind, top[i].name);
leave:
    for (size_t i = 0; i < ntop; i++) {
        free(top[i].name);
        free(top[i].kind);
    }
    if (c)
        mdb_cursor_close(c);
    mdb_txn_abort(txn);
    if (rc == 0 && fflush(out) != 0)
        rc = -errno;
    return s_mdb(rc);
}
