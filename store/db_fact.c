/*  db_fact: xref facts (claim clusters), keyed "<story>/<frame key>". The write
    transaction keeps each fact it changes in a cache (db_t.facts, memory in tarena):
    merges take an article's claims out of their facts and put its new ones in there, and
    db_commit flushes each changed fact once, its claims sorted and its status judged
    (store/xref.h), written and announced on the feed. Part of db (store/db.h); see
    db_internal.h. */

#include "db_internal.h"
#include "xref.h"

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
        v[i].copy = c->sentence && c->sentence->text ? frame_copy_hash(c->sentence->text) : 0;
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
            uint64_t ha = a->sentence && a->sentence->text ? frame_copy_hash(a->sentence->text) : 0;
            uint64_t hb = b->sentence && b->sentence->text ? frame_copy_hash(b->sentence->text) : 0;
            if (frame_is_copy(ha, hb))
                continue;
            tried++;
            Crossclaim__Result *ra, *rb;
            int rc = dbi_load(self, self->txn, a->article, &ra);
            if (!rc)
                rc = dbi_load(self, self->txn, b->article, &rb);
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

/* Rebuilds the cluster of one claim key: its claims minus article `id`'s, plus the new
   result's claims in `run` (the touches of this key). */
/* A fact (one xref record) as the open transaction changes it: its claims, and its
   record as stored before, so that db_commit writes and announces each changed fact once,
   however many of the batch's articles touched it. Lives in self->tarena. */
typedef struct dbi_fact {
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
    s_fact_t *f = dbi_arena_alloc(&self->tarena, sizeof *f);
    memset(f, 0, sizeof *f);
    f->key = s_tdup(self, key);
    MDB_val k, v;
    dbi_dbkey(self, key, &k);
    int rc = mdb_get(self->txn, self->xrefs, &k, &v);
    if (rc == 0) {
        uint8_t *copy = dbi_arena_alloc(&self->tarena, v.mv_size + 1);
        memcpy(copy, v.mv_data, v.mv_size);
        Crossclaim__Xref *old = crossclaim__xref__unpack(&self->tpba, v.mv_size, copy);
        if (!old)
            return DB_ECORRUPT;
        f->orig = copy;
        f->orig_len = v.mv_size;
        f->orig_status = old->status;
        f->cap = old->n_claims + 8;
        f->c = dbi_arena_alloc(&self->tarena, f->cap * sizeof *f->c);
        memcpy(f->c, old->claims, old->n_claims * sizeof *f->c);
        f->nc = old->n_claims;
    } else if (rc != MDB_NOTFOUND) {
        return dbi_mdb(rc);
    }
    self->facts[j] = f;
    self->nfacts++;
    *out = f;
    return 0;
}

/* Takes article `id`'s claims out of one fact and puts the new result's claims in `run`
   (the touches of this fact) in, in the transaction's copy of the fact. */
static int s_xref_update(db_t *self, const char *id, const Crossclaim__Result *r,
                         const dbi_touch_t *run, size_t nrun)
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
        Crossclaim__XrefClaim *x = dbi_arena_alloc(&self->tarena, sizeof *x);
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
            Crossclaim__Span *sp = dbi_arena_alloc(&self->tarena, sizeof *sp);
            crossclaim__span__init(sp);
            sp->start = q->sentence->start;
            sp->end = q->sentence->end;
            sp->text = s_tdup(self, q->sentence->text);
            x->sentence = sp;
        }
        x->source = (char *)tsource;
        if (f->nc == f->cap) {
            size_t ncap = f->cap ? f->cap * 2 : 8;
            Crossclaim__XrefClaim **nc = dbi_arena_alloc(&self->tarena, ncap * sizeof *nc);
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
        s_fact_t *f = v[i];
        dbi_arena_reset(&self->arena);
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
        x.story = slash ? dbi_strndup(self, key, (size_t)(slash - key)) : "";
        x.frame = slash ? (char *)slash + 1 : (char *)key;
        MDB_val k;
        dbi_dbkey(self, key, &k);
        const char *topic;
        size_t tlen;
        json_reset(self->json);
        if (f->nc == 0) {
            if (!f->orig)
                continue;
            s_status_count(self, f->orig_status, -1);
            if ((rc = mdb_del(self->txn, self->xrefs, &k, NULL)) != 0)
                return dbi_wrc(self, rc);
            x.status = "deleted";
            dbi_xref_line(self->json, &x);
            topic = dbi_topic(self, "xref.deleted.", key, "", "", &tlen);
            rc = dbi_feed_put(self, "xref", key, topic, tlen, &x);
            continue;
        }
        s_judge(self, &x);
        if ((rc = s_close_check(self, &x)) != 0)
            return rc;
        size_t len = crossclaim__xref__get_packed_size(&x);
        dbi_ensure(self, len);
        crossclaim__xref__pack(&x, self->buf);
        if (f->orig && len == f->orig_len && memcmp(self->buf, f->orig, len) == 0)
            continue;
        MDB_val nv = {len, self->buf};
        if ((rc = mdb_put(self->txn, self->xrefs, &k, &nv, 0)) != 0)
            return dbi_wrc(self, rc);
        s_status_count(self, f->orig ? f->orig_status : NULL, -1);
        s_status_count(self, x.status, +1);
        dbi_xref_line(self->json, &x);
        topic = dbi_topic(self, "xref.", x.status, ".", key, &tlen);
        rc = dbi_feed_put(self, "xref", key, topic, tlen, &x);
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
