/*  db_fact: xref facts (claim clusters), keyed "<story>/<frame key>", stored so that a
    merge costs what the article brings, not what the fact holds:
      xclaims  one row per (fact, article): "<fact prefix>\0<article id>" -> an Xref
               message holding only that article's claims of the fact, sorted, each with
               its sentence's copy hash (frame_copy_hash) computed once, when stored;
      xrefs    one small summary per fact: key, story, frame, status, sources, evolving,
               latest and the number of claims, but no claims;
      xstatus  "<status>\0<fact db key>" for conflicts and corroborations, so listing
               them decodes no other fact.
    The write transaction keeps the rows its merges set in a cache (db_t.facts, memory in
    tarena). db_commit flushes each changed fact once, in key order: the rows that really
    changed are written, the fact judged again (store/xref.h) from its rows, its summary
    and status index updated, and the change announced on the feed as deltas: one "claim"
    update per changed row and a PATCH of the summary when the verdict moved; the whole
    fact (a SET) only when it is new or its status, and so its feed topic, changed.
    Part of db (store/db.h); see db_internal.h. */

#include "db_internal.h"
#include "xref.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

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

/* ---------------------------------------------------------------- keys */

size_t dbi_fact_prefix(const char *key, char out[DBI_ROW_PREFIX])
{
    size_t len = strlen(key), max = DBI_ROW_PREFIX - 1;
    if (len <= max) {
        memcpy(out, key, len);
        out[len] = 0;
        return len + 1;
    }
    uint64_t h = 1469598103934665603ull; /* FNV-1a, as dbi_dbkey */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (uint8_t)key[i]) * 1099511628211ull;
    size_t pre = max - 17;
    memcpy(out, key, pre);
    snprintf(out + pre, 18, "#%016" PRIx64, h);
    out[max] = 0;
    return max + 1;
}

/* The status index key of a fact: "<status>\0<db key>", in out (cap bytes). */
static size_t s_status_key(const char *status, const MDB_val *k, char *out, size_t cap)
{
    size_t ls = strlen(status);
    if (ls + 1 + k->mv_size > cap)
        return 0;
    memcpy(out, status, ls);
    out[ls] = 0;
    memcpy(out + ls + 1, k->mv_data, k->mv_size);
    return ls + 1 + k->mv_size;
}

static bool s_indexed(const char *status)
{
    return status && (strcmp(status, "conflict") == 0 || strcmp(status, "corroborated") == 0);
}

/* ---------------------------------------------------------------- reading a fact */

/* Appends the claims of fact `key`'s rows to *v (arena array of *n, capacity *cap). */
static int s_rows_read(db_t *self, MDB_txn *txn, const char *key, Crossclaim__XrefClaim ***v,
                       size_t *n, size_t *cap)
{
    char pre[DBI_ROW_PREFIX];
    size_t lp = dbi_fact_prefix(key, pre);
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, self->xclaims, &c);
    if (rc)
        return dbi_mdb(rc);
    MDB_val k = {lp, pre}, d;
    MDB_cursor_op op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &d, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size != lp + UTIL_ID_HEX || memcmp(k.mv_data, pre, lp) != 0)
            break;
        Crossclaim__Xref *row = crossclaim__xref__unpack(&self->pba, d.mv_size, d.mv_data);
        if (!row) {
            rc = DB_ECORRUPT;
            break;
        }
        if (*n + row->n_claims > *cap) {
            size_t ncap = (*n + row->n_claims) * 2 + 16;
            Crossclaim__XrefClaim **w = dbi_alloc(self, ncap * sizeof *w);
            if (*n)
                memcpy(w, *v, *n * sizeof *w);
            *v = w;
            *cap = ncap;
        }
        if (row->n_claims)
            memcpy(*v + *n, row->claims, row->n_claims * sizeof **v);
        *n += row->n_claims;
    }
    mdb_cursor_close(c);
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : dbi_mdb(rc);
}

int dbi_xref_read(db_t *self, MDB_txn *txn, const void *data, size_t size,
                  Crossclaim__Xref **out)
{
    Crossclaim__Xref *x = crossclaim__xref__unpack(&self->pba, size, data);
    if (!x)
        return DB_ECORRUPT;
    Crossclaim__XrefClaim **v = NULL;
    size_t n = 0, cap = 0;
    int rc = s_rows_read(self, txn, x->key ? x->key : "", &v, &n, &cap);
    if (rc)
        return rc;
    x->claims = v;
    x->n_claims = n;
    *out = x;
    return 0;
}

/* ---------------------------------------------------------------- the verdict */

/* The verdict on a fact's claims (store/xref.h). */
static void s_judge(db_t *self, Crossclaim__Xref *x)
{
    size_t nc = x->n_claims;
    xref_claim_t *v = dbi_alloc(self, (nc + 1) * sizeof *v);
    xref_claim_t *scratch = dbi_alloc(self, (nc + 1) * sizeof *scratch);
    for (size_t i = 0; i < nc; i++) {
        const Crossclaim__XrefClaim *c = x->claims[i];
        v[i].source = c->source ? c->source : "";
        v[i].published = c->published;
        v[i].value = c->value;
        v[i].iv = (frame_interval_t){c->low, c->high, c->open_low, c->open_high};
        v[i].copy = c->copy;
        if (!c->open_low && !c->open_high && c->low == 0 && c->high == 0 && c->value != 0)
            v[i].iv = frame_interval(c->value, FRAME_EXACT);   /* a record without a frame */
    }
    qsort(v, nc, sizeof *v, s_source_cmp);
    xref_verdict_t out;
    xref_judge(v, nc, xref_flags(x->frame), scratch, &out);
    x->status = (char *)out.status;
    x->sources = out.sources;
    x->evolving = out.evolving;
    x->has_latest = out.has_latest;
    x->latest = out.latest;
}

/* A conflict stands on two close reports (story_close): some pair of claims of different
   sources, not copies of each other, whose intervals don't meet and whose articles are
   close. Without one the fact is "single". At most S_CLOSE_PAIRS pairs are tried. */
#define S_CLOSE_PAIRS 256

static int s_close_check(db_t *self, Crossclaim__Xref *x)
{
    if (strcmp(x->status, "conflict") != 0)
        return 0;
    size_t tried = 0;
    for (size_t i = 0; i < x->n_claims && tried < S_CLOSE_PAIRS; i++)
        for (size_t j = i + 1; j < x->n_claims && tried < S_CLOSE_PAIRS; j++) {
            const Crossclaim__XrefClaim *a = x->claims[i], *b = x->claims[j];
            frame_interval_t ia = {a->low, a->high, a->open_low, a->open_high};
            frame_interval_t ib = {b->low, b->high, b->open_low, b->open_high};
            if (strcmp(a->source ? a->source : "", b->source ? b->source : "") == 0 ||
                frame_overlap(&ia, &ib))
                continue;
            if (frame_is_copy(a->copy, b->copy))
                continue;
            tried++;
            Crossclaim__Result *ra, *rb;
            /* only their story terms are read */
            int rc = dbi_load_story_part(self, self->txn, a->article, &ra);
            if (!rc)
                rc = dbi_load_story_part(self, self->txn, b->article, &rb);
            if (rc)
                return rc;
            if (!ra || !rb)
                continue;
            story_term_t *ta, *tb;
            size_t na = dbi_terms(self, ra, &ta), nb = dbi_terms(self, rb, &tb);
            if (story_close(ta, na, a->published, tb, nb, b->published))
                return 0;
        }
    x->status = "single";
    x->evolving = false;
    x->has_latest = false;
    x->latest = 0;
    return 0;
}

static void s_status_count(db_t *self, const char *status, int delta)
{
    if (dbi_empty(status))
        return;
    if (strcmp(status, "conflict") == 0)
        self->conflicts += (uint64_t)(int64_t)delta;
    else if (strcmp(status, "corroborated") == 0)
        self->corroborated += (uint64_t)(int64_t)delta;
}

/* ---------------------------------------------------------------- the transaction's facts */

/* One article's claims of one fact as a merge set them (n == 0: it has none now). */
typedef struct {
    const char *article;
    Crossclaim__XrefClaim **c;
    size_t n;
    size_t order;               /* when it was set: the last setting of an article wins */
} s_row_t;

/* A fact the open transaction changed: the rows its merges set, in the order they came.
   Lives in self->tarena. */
typedef struct dbi_fact {
    char *key;
    s_row_t *rows;
    size_t nrows, cap;
} s_fact_t;

static char *s_tdup(db_t *self, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *p = dbi_arena_alloc(&self->tarena, n + 1);
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

void dbi_facts_clear(db_t *self)
{
    if (self->nfacts)
        memset(self->facts, 0, self->fact_slots * sizeof *self->facts);
    self->nfacts = 0;
    dbi_arena_reset(&self->tarena);
}

/* The fact `key` of the open transaction (nothing is read from the database here). */
static s_fact_t *s_fact_require(db_t *self, const char *key)
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
        if (strcmp(self->facts[j]->key, key) == 0)
            return self->facts[j];
    s_fact_t *f = dbi_arena_alloc(&self->tarena, sizeof *f);
    memset(f, 0, sizeof *f);
    f->key = s_tdup(self, key);
    self->facts[j] = f;
    self->nfacts++;
    return f;
}

/* Sets article `id`'s row of one fact to the new result's claims in `run` (the touches of
   this fact; those of the old result, sign -1, only say the row is to be cleared). */
static int s_xref_update(db_t *self, const char *id, const Crossclaim__Result *r,
                         const dbi_touch_t *run, size_t nrun)
{
    char src[256];
    const char *source = r ? xref_source(src, sizeof src, r->article->outlet, r->wire, r->n_wire, id)
                           : "";
    s_fact_t *f = s_fact_require(self, run[0].key);
    size_t nnew = 0;
    for (size_t i = 0; i < nrun; i++)
        nnew += run[i].sign > 0;
    if (f->nrows == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 8;
        s_row_t *w = dbi_arena_alloc(&self->tarena, ncap * sizeof *w);
        if (f->nrows)
            if (f->nrows)
                memcpy(w, f->rows, f->nrows * sizeof *w);
        f->rows = w;
        f->cap = ncap;
    }
    s_row_t *row = &f->rows[f->nrows];
    row->article = s_tdup(self, id);
    row->order = f->nrows++;
    row->n = 0;
    row->c = nnew ? dbi_arena_alloc(&self->tarena, nnew * sizeof *row->c) : NULL;
    const char *tsource = NULL, *toutlet = NULL, *tpub = NULL;
    for (size_t i = 0; i < nrun; i++) {
        if (run[i].sign < 0)
            continue;
        if (!tsource) {
            tsource = s_tdup(self, source);
            toutlet = s_tdup(self, r->article->outlet);
            tpub = s_tdup(self, r->article->published);
        }
        const Crossclaim__Quantity *q = run[i].item;
        Crossclaim__XrefClaim *x = dbi_arena_alloc(&self->tarena, sizeof *x);
        crossclaim__xref_claim__init(x);
        x->article = (char *)row->article;
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
            Crossclaim__Span *sp = dbi_arena_alloc(&self->tarena, sizeof *sp);
            crossclaim__span__init(sp);
            sp->start = q->sentence->start;
            sp->end = q->sentence->end;
            sp->text = s_tdup(self, q->sentence->text);
            x->sentence = sp;
            /* the one place the copy hash is computed: the verdict reads it back */
            x->copy = sp->text[0] ? frame_copy_hash(sp->text) : 0;
        }
        x->source = (char *)tsource;
        row->c[row->n++] = x;
    }
    return 0;
}

static int s_fact_cmp(const void *a, const void *b)
{
    return strcmp((*(s_fact_t *const *)a)->key, (*(s_fact_t *const *)b)->key);
}

static int s_row_cmp(const void *a, const void *b)
{
    const s_row_t *x = a, *y = b;
    int c = strcmp(x->article, y->article);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Sorts a row's claims and drops repeats: an article repeating the same number for the
   same fact is one claim. */
static void s_row_canon(s_row_t *row)
{
    if (row->n == 0)
        return;   /* qsort and memcpy take no NULL, even for nothing */
    qsort(row->c, row->n, sizeof *row->c, s_claim_cmp);
    size_t w = 0;
    for (size_t k = 0; k < row->n; k++)
        if (w == 0 || row->c[k]->value != row->c[w - 1]->value ||
            row->c[k]->approx != row->c[w - 1]->approx)
            row->c[w++] = row->c[k];
    row->n = w;
}

/* ---------------------------------------------------------------- announcing */

/* {"type":"claim","key":K,"article":A,"claims":[...]}: one article's claims of a fact. */
static void s_claim_line(json_t *j, const char *key, const char *article,
                         Crossclaim__XrefClaim *const *c, size_t n, bool deleted)
{
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "claim");
    json_key(j, "key");
    json_str(j, key);
    json_key(j, "article");
    json_str(j, article);
    json_key(j, "claims");
    json_arr_begin(j);
    for (size_t i = 0; i < n; i++)
        dbi_xref_claim_json(j, c[i]);
    json_arr_end(j);
    if (deleted) {
        json_key(j, "deleted");
        json_bool(j, true);
    }
    json_obj_end(j);
    json_newline(j);
}

/* The fields of an xref line that a PATCH changes. */
static void s_patch_line(json_t *j, const Crossclaim__Xref *x)
{
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "xref");
    json_key(j, "key");
    json_str(j, x->key);
    json_key(j, "status");
    json_str(j, x->status);
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

static bool s_same_verdict(const Crossclaim__Xref *a, const Crossclaim__Xref *b)
{
    return strcmp(a->status ? a->status : "", b->status ? b->status : "") == 0 &&
           a->sources == b->sources && a->evolving == b->evolving &&
           a->has_latest == b->has_latest && a->latest == b->latest;
}

/* ---------------------------------------------------------------- flushing one fact */

static int s_fact_flush(db_t *self, s_fact_t *f)
{
    const char *key = f->key;
    int rc = 0;
    /* the last row each article set, its claims in canonical order */
    qsort(f->rows, f->nrows, sizeof *f->rows, s_row_cmp);
    size_t nr = 0;
    for (size_t i = 0; i < f->nrows; i++) {
        if (nr && strcmp(f->rows[nr - 1].article, f->rows[i].article) == 0)
            nr--;
        f->rows[nr++] = f->rows[i];
    }
    char pre[DBI_ROW_PREFIX];
    size_t lp = dbi_fact_prefix(key, pre);
    char rk[DBI_ROW_PREFIX + UTIL_ID_HEX];
    memcpy(rk, pre, lp);
    /* write the rows that changed; `changed` marks them for the feed */
    bool *changed = dbi_alloc(self, (nr + 1) * sizeof *changed);
    size_t nchanged = 0;
    for (size_t i = 0; i < nr; i++) {
        s_row_t *row = &f->rows[i];
        changed[i] = false;
        s_row_canon(row);
        if (strlen(row->article) != UTIL_ID_HEX)
            continue;
        memcpy(rk + lp, row->article, UTIL_ID_HEX);
        MDB_val k = {lp + UTIL_ID_HEX, rk}, old;
        int g = mdb_get(self->txn, self->xclaims, &k, &old);
        if (g != 0 && g != MDB_NOTFOUND)
            return dbi_mdb(g);
        if (row->n == 0) {
            if (g == MDB_NOTFOUND)
                continue;
            if ((rc = mdb_del(self->txn, self->xclaims, &k, NULL)) != 0)
                return dbi_wrc(self, rc);
        } else {
            Crossclaim__Xref rx = CROSSCLAIM__XREF__INIT;
            rx.claims = row->c;
            rx.n_claims = row->n;
            size_t len = crossclaim__xref__get_packed_size(&rx);
            dbi_ensure(self, len);
            crossclaim__xref__pack(&rx, self->buf);
            if (g == 0 && old.mv_size == len && memcmp(old.mv_data, self->buf, len) == 0)
                continue;
            MDB_val nv = {len, self->buf};
            if ((rc = mdb_put(self->txn, self->xclaims, &k, &nv, 0)) != 0)
                return dbi_wrc(self, rc);
        }
        changed[i] = true;
        nchanged++;
    }
    if (!nchanged)
        return 0;

    /* the summary as it was, and the fact as it is now, judged again */
    MDB_val k, v;
    dbi_dbkey(self, key, &k);
    MDB_val sk_db = k;   /* dbi_dbkey may point into keybuf: keep a copy */
    char skb[DB_MAX_KEY];
    memcpy(skb, k.mv_data, k.mv_size);
    sk_db.mv_data = skb;
    Crossclaim__Xref *orig = NULL;
    int g = mdb_get(self->txn, self->xrefs, &sk_db, &v);
    if (g == 0) {
        if (!(orig = crossclaim__xref__unpack(&self->pba, v.mv_size, v.mv_data)))
            return DB_ECORRUPT;
    } else if (g != MDB_NOTFOUND) {
        return dbi_mdb(g);
    }
    Crossclaim__Xref x = CROSSCLAIM__XREF__INIT;
    x.key = (char *)key;
    Crossclaim__XrefClaim **all = NULL;
    size_t nall = 0, cap = 0;
    if ((rc = s_rows_read(self, self->txn, key, &all, &nall, &cap)) != 0)
        return rc;
    x.claims = all;
    x.n_claims = nall;
    /* key: story id, '/', frame key */
    const char *slash = strlen(key) > UTIL_ID_HEX && key[UTIL_ID_HEX] == '/' ? key + UTIL_ID_HEX : NULL;
    x.story = slash ? dbi_strndup(self, key, (size_t)(slash - key)) : "";
    x.frame = slash ? (char *)slash + 1 : (char *)key;
    const char *topic;
    size_t tlen;
    char ik[DB_MAX_KEY + 32];
    size_t il;
    json_reset(self->json);
    if (nall == 0) {
        if (!orig)
            return 0;
        s_status_count(self, orig->status, -1);
        if ((rc = mdb_del(self->txn, self->xrefs, &sk_db, NULL)) != 0)
            return dbi_wrc(self, rc);
        if (s_indexed(orig->status) && (il = s_status_key(orig->status, &sk_db, ik, sizeof ik))) {
            MDB_val ikv = {il, ik};
            if ((rc = mdb_del(self->txn, self->xstatus, &ikv, NULL)) != 0 && rc != MDB_NOTFOUND)
                return dbi_wrc(self, rc);
        }
        x.status = "deleted";
        dbi_xref_line(self->json, &x);
        topic = dbi_topic(self, "xref.deleted.", key, "", "", &tlen);
        Crossclaim__Update u = CROSSCLAIM__UPDATE__INIT;
        u.kind = "xref";
        u.key = (char *)key;
        u.op = CROSSCLAIM__UPDATE__OP__DELETE;
        u.xref = &x;
        return dbi_feed_put_u(self, topic, tlen, &u);
    }
    s_judge(self, &x);
    if ((rc = s_close_check(self, &x)) != 0)
        return rc;

    /* the summary: the fact without its claims */
    Crossclaim__Xref sum = x;
    sum.claims = NULL;
    sum.n_claims = 0;
    sum.claim_count = (uint32_t)nall;
    size_t len = crossclaim__xref__get_packed_size(&sum);
    dbi_ensure(self, len);
    crossclaim__xref__pack(&sum, self->buf);
    MDB_val nv = {len, self->buf};
    if ((rc = mdb_put(self->txn, self->xrefs, &sk_db, &nv, 0)) != 0)
        return dbi_wrc(self, rc);
    bool moved = !orig || strcmp(orig->status ? orig->status : "", x.status) != 0;
    if (moved) {
        if (orig && s_indexed(orig->status) &&
            (il = s_status_key(orig->status, &sk_db, ik, sizeof ik))) {
            MDB_val ikv = {il, ik};
            if ((rc = mdb_del(self->txn, self->xstatus, &ikv, NULL)) != 0 && rc != MDB_NOTFOUND)
                return dbi_wrc(self, rc);
        }
        if (s_indexed(x.status) && (il = s_status_key(x.status, &sk_db, ik, sizeof ik))) {
            MDB_val ikv = {il, ik}, empty = {0, ""};
            if ((rc = mdb_put(self->txn, self->xstatus, &ikv, &empty, 0)) != 0)
                return dbi_wrc(self, rc);
        }
        s_status_count(self, orig ? orig->status : NULL, -1);
        s_status_count(self, x.status, +1);
    }
    topic = dbi_topic(self, "xref.", x.status, ".", key, &tlen);
    /* dbi_topic's buffer is reused by nothing below until the last put */
    if (moved) {
        /* new, or under a new topic: the whole fact, so a subscriber to its new subtree
           gets all of it */
        dbi_xref_line(self->json, &x);
        Crossclaim__Update u = CROSSCLAIM__UPDATE__INIT;
        u.kind = "xref";
        u.key = (char *)key;
        u.op = CROSSCLAIM__UPDATE__OP__SET;
        u.xref = &x;
        return dbi_feed_put_u(self, topic, tlen, &u);
    }
    for (size_t i = 0; i < nr && !rc; i++) {
        if (!changed[i])
            continue;
        s_row_t *row = &f->rows[i];
        json_reset(self->json);
        s_claim_line(self->json, key, row->article, row->c, row->n, row->n == 0);
        Crossclaim__Update u = CROSSCLAIM__UPDATE__INIT;
        u.kind = "claim";
        u.key = (char *)key;
        u.article = (char *)row->article;
        u.op = row->n ? CROSSCLAIM__UPDATE__OP__SET : CROSSCLAIM__UPDATE__OP__DELETE;
        u.claims = row->c;
        u.n_claims = row->n;
        rc = dbi_feed_put_u(self, topic, tlen, &u);
    }
    if (rc || s_same_verdict(orig, &x))
        return rc;
    json_reset(self->json);
    s_patch_line(self->json, &x);
    Crossclaim__Update u = CROSSCLAIM__UPDATE__INIT;
    u.kind = "xref";
    u.key = (char *)key;
    u.op = CROSSCLAIM__UPDATE__OP__PATCH;
    u.xref = &sum;
    return dbi_feed_put_u(self, topic, tlen, &u);
}

int dbi_facts_flush(db_t *self)
{
    if (!self->nfacts)
        return 0;
    s_fact_t **v = dbi_arena_alloc(&self->tarena, self->nfacts * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < self->fact_slots; i++)
        if (self->facts[i])
            v[n++] = self->facts[i];
    qsort(v, n, sizeof *v, s_fact_cmp);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        dbi_arena_reset(&self->arena);
        rc = s_fact_flush(self, v[i]);
    }
    return rc;
}

int dbi_merge_xrefs(db_t *self, const char *id, const Crossclaim__Result *old,
                    const char *old_story, const Crossclaim__Result *r,
                    const char *new_story)
{
    size_t n_old = old ? old->n_quantities : 0, n_new = r ? r->n_quantities : 0, m = 0;
    if (n_old + n_new == 0)
        return 0;
    dbi_touch_t *t = dbi_alloc(self, (n_old + n_new) * sizeof *t);
    for (size_t i = 0; i < n_old + n_new; i++) {
        const Crossclaim__Quantity *q = i < n_old ? old->quantities[i] : r->quantities[i - n_old];
        const char *story = i < n_old ? old_story : new_story;
        if (dbi_empty(q->key) || dbi_empty(story))
            continue;
        size_t ls = strlen(story), lk = strlen(q->key);
        char *key = dbi_arena_alloc(&self->arena, ls + lk + 2);
        memcpy(key, story, ls);
        key[ls] = '/';
        memcpy(key + ls + 1, q->key, lk + 1);
        t[m++] = (dbi_touch_t){key, q, i < n_old ? -1 : +1};
    }
    qsort(t, m, sizeof *t, dbi_touch_cmp);
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i + 1; j < m && strcmp(t[j].key, t[i].key) == 0; j++)
            ;
        int rc = s_xref_update(self, id, r ? r : old, t + i, j - i);
        if (rc)
            return rc;
    }
    return 0;
}
