/*  db_entity: the entity index: the entity record's layout (decode, encode), the merge
    of an article's entity mentions into it, each key's record rewritten once per merge and
    announced only when its bytes change, and the search by a name as written
    (db_entity_find). Part of db (store/db.h); see db_internal.h. */

#include "db_internal.h"

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util.h"

#define DB_ENT_VERSION  1

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

int dbi_ent_parse(db_t *self, const void *data, size_t size, dbi_ent_t *e,
                  const size_t extra[DBI_LISTS])
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
    for (int l = 0; l < DBI_LISTS; l++) {
        if (!s_rd32(&p, end, &n) || n > size)
            return DB_ECORRUPT;
        e->list[l] = dbi_alloc(self, (n + extra[l]) * sizeof(dbi_form_t));
        for (uint32_t i = 0; i < n; i++) {
            uint32_t cnt, len;
            if (!s_rd32(&p, end, &cnt) || !s_rd32(&p, end, &len) || (size_t)(end - p) < len)
                return DB_ECORRUPT;
            e->list[l][i] = (dbi_form_t){(const char *)p, len, cnt};
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
static size_t s_ent_pack(db_t *self, const dbi_ent_t *e)
{
    size_t need = 1 + 4 + 4 + e->key_len;
    for (int l = 0; l < DBI_LISTS; l++) {
        need += 4;
        for (size_t i = 0; i < e->n[l]; i++)
            need += 8 + e->list[l][i].len;
    }
    dbi_ensure(self, need);
    uint8_t *p = self->buf;
    *p++ = DB_ENT_VERSION;
    s_put32(&p, (uint32_t)e->articles);
    s_put32(&p, e->key_len);
    memcpy(p, e->key, e->key_len);
    p += e->key_len;
    for (int l = 0; l < DBI_LISTS; l++) {
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

static void s_ent_add(dbi_ent_t *e, int l, const char *s, int sign)
{
    if (dbi_empty(s))
        return;
    dbi_form_t f = {s, (uint32_t)strlen(s), 0};
    for (size_t i = 0; i < e->n[l]; i++)
        if (dbi_form_eq(&e->list[l][i], &f)) {
            e->list[l][i].n += sign;
            return;
        }
    f.n = sign;
    e->list[l][e->n[l]++] = f; /* room reserved by dbi_ent_parse's `extra` */
}

static int s_form_cmp(const void *a, const void *b)
{
    const dbi_form_t *x = a, *y = b;
    size_t m = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, m);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}
/* ---------------------------------------------------------------- entities */

/* Writes record `e` under `key` in `entities` (none: deletes it) and announces it on
   the feed, when its bytes change. */
static int s_store(db_t *self, const char *key, const dbi_ent_t *e)
{
    MDB_val k, v;
    dbi_dbkey(self, key, &k);
    int rc = mdb_get(self->txn, self->entities, &k, &v);
    if (rc && rc != MDB_NOTFOUND)
        return dbi_mdb(rc);
    bool had = rc == 0;
    json_reset(self->json);
    if (!e) {
        if (!had)
            return 0;
        dbi_deleted_line(self->json, "entity", "key", key);
        if ((rc = mdb_del(self->txn, self->entities, &k, NULL)) != 0)
            return dbi_wrc(self, rc);
    } else {
        size_t n = s_ent_pack(self, e);
        if (had && n == v.mv_size && memcmp(self->buf, v.mv_data, n) == 0)
            return 0;
        dbi_entity_line(self->json, e); /* before the put: `e` may point into `v` */
        MDB_val nv = {n, self->buf};
        if ((rc = mdb_put(self->txn, self->entities, &k, &nv, 0)) != 0)
            return dbi_wrc(self, rc);
    }
    size_t tlen;
    const char *topic = dbi_topic(self, "entity.", key, "", "", &tlen);
    return dbi_feed_put(self, "entity", key, topic, tlen, NULL);
}

static int s_key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True when list l of e holds form s. */
static bool s_holds(const dbi_ent_t *e, int l, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    for (size_t i = 0; n && i < e->n[l]; i++)
        if (e->list[l][i].len == n && memcmp(e->list[l][i].s, s, n) == 0)
            return true;
    return false;
}

/* The keys of the people p[1..np) (a split) into an arena array, sorted; *n gets how
   many; and appended to keys[] (*nk), the key of each person holding a form of the run,
   whose record the run changes. */
static const char **s_people_keys(db_t *self, const dbi_ent_t *p, size_t np,
                                  const dbi_touch_t *run, size_t nrun, size_t *n,
                                  const char **keys, size_t *nk)
{
    const char **v = dbi_alloc(self, (np ? np : 1) * sizeof *v);
    *n = 0;
    for (size_t k = 1; k < np; k++) {
        v[(*n)++] = p[k].key;
        bool held = false;
        for (size_t i = 0; i < nrun && !held; i++) {
            const Crossclaim__Entity *x = run[i].item;
            held = s_holds(&p[k], DBI_NAMES, x->name) || s_holds(&p[k], DBI_ALIASES, x->name);
            for (size_t a = 0; a < x->n_aliases && !held; a++)
                held = s_holds(&p[k], DBI_ALIASES, x->aliases[a])
                       || s_holds(&p[k], DBI_NAMES, x->aliases[a]);
        }
        if (held)
            keys[(*nk)++] = p[k].key;
    }
    if (*n > 1)
        qsort(v, *n, sizeof *v, s_key_cmp);
    return v;
}

/* Appends to keys[] the keys in one sorted list and not in the other: the people that
   came or went. */
static void s_changed_keys(const char **a, size_t na, const char **b, size_t nb,
                           const char **keys, size_t *nk)
{
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        int c = i >= na ? 1 : j >= nb ? -1 : strcmp(a[i], b[j]);
        if (c < 0)
            keys[(*nk)++] = a[i++];
        else if (c > 0)
            keys[(*nk)++] = b[j++];
        else
            i++, j++;
    }
}

/* Rebuilds the entity record of one key: takes away the old result's forms and article,
   adds the new result's. A person key's record is kept raw in `people`, and the records
   readers see are made from it (db_people.c): the key's own, and those of the namesakes
   it held before or holds now. */
static int s_entity_update(db_t *self, const dbi_touch_t *run, size_t nrun)
{
    const char *key = run[0].key;
    bool person = strncmp(key, "per:", 4) == 0;
    MDB_dbi dbi = person ? self->people : self->entities;
    size_t extra[DBI_LISTS] = {0};
    bool was = false, is = false;
    for (size_t i = 0; i < nrun; i++) {
        const Crossclaim__Entity *e = run[i].item;
        extra[DBI_NAMES]++;
        extra[DBI_ALIASES] += e->n_aliases;
        extra[DBI_KINDS]++;
        if (run[i].sign < 0)
            was = true;
        else
            is = true;
    }
    MDB_val k, v;
    dbi_dbkey(self, key, &k);
    dbi_ent_t e, old;
    bool had = false;
    int rc = mdb_get(self->txn, dbi, &k, &v);
    if (rc == 0) {
        had = true;
        static const size_t none[DBI_LISTS] = {0};
        /* a person's raw record is read from a copy: its people outlive the put */
        void *data = v.mv_data;
        if (person) {
            data = dbi_alloc(self, v.mv_size ? v.mv_size : 1);
            memcpy(data, v.mv_data, v.mv_size);
        }
        if ((rc = dbi_ent_parse(self, data, v.mv_size, &e, extra)) != 0 ||
            (person && (rc = dbi_ent_parse(self, data, v.mv_size, &old, none)) != 0))
            return rc;
    } else if (rc == MDB_NOTFOUND) {
        memset(&e, 0, sizeof e);
        e.key = key;
        e.key_len = (uint32_t)strlen(key);
        for (int l = 0; l < DBI_LISTS; l++)
            e.list[l] = dbi_alloc(self, (extra[l] ? extra[l] : 1) * sizeof(dbi_form_t));
    } else {
        return dbi_mdb(rc);
    }
    e.articles += (is ? 1 : 0) - (was ? 1 : 0);
    for (size_t i = 0; i < nrun; i++) {
        const Crossclaim__Entity *x = run[i].item;
        s_ent_add(&e, DBI_NAMES, x->name, run[i].sign);
        for (size_t a = 0; a < x->n_aliases; a++)
            s_ent_add(&e, DBI_ALIASES, x->aliases[a], run[i].sign);
        s_ent_add(&e, DBI_KINDS, x->kind, run[i].sign);
    }
    for (int l = 0; l < DBI_LISTS; l++) {
        size_t w = 0;
        for (size_t i = 0; i < e.n[l]; i++)
            if (e.list[l][i].n > 0)
                e.list[l][w++] = e.list[l][i];
        e.n[l] = w;
        if (w > 1)
            qsort(e.list[l], w, sizeof(dbi_form_t), s_form_cmp);
    }
    if (!person)
        return s_store(self, key, e.articles > 0 ? &e : NULL);
    /* The people whose records this changes: the key's own, those holding the run's forms before or after, and those
       that came or went. The others' records stay as they are: an article naming one
       Smith rewrites no other Smith's. */
    size_t cap = 2 + 2 * ((had ? old.n[DBI_NAMES] : 0) + e.n[DBI_NAMES]), nk = 0;
    const char **keys = dbi_alloc(self, cap * sizeof *keys);
    keys[nk++] = key;
    dbi_ent_t *po = NULL, *pn = NULL;
    size_t no = had ? dbi_people_split(self, &old, &po) : 0;
    size_t nn = e.articles > 0 ? dbi_people_split(self, &e, &pn) : 0, ko, kn;
    const char **ok = s_people_keys(self, po, no, run, nrun, &ko, keys, &nk);
    const char **nkeys = s_people_keys(self, pn, nn, run, nrun, &kn, keys, &nk);
    s_changed_keys(ok, ko, nkeys, kn, keys, &nk);
    if (nk > 1) {   /* each once */
        qsort(keys + 1, nk - 1, sizeof *keys, s_key_cmp);
        size_t w = 1;
        for (size_t i = 1; i < nk; i++)
            if (strcmp(keys[i], key) != 0 && (w == 1 || strcmp(keys[i], keys[w - 1]) != 0))
                keys[w++] = keys[i];
        nk = w;
    }
    if (e.articles > 0) {
        size_t n = s_ent_pack(self, &e);
        MDB_val nv = {n, self->buf};
        dbi_dbkey(self, key, &k);
        if ((rc = mdb_put(self->txn, self->people, &k, &nv, 0)) != 0)
            return dbi_wrc(self, rc);
    } else if (had) {
        dbi_dbkey(self, key, &k);
        if ((rc = mdb_del(self->txn, self->people, &k, NULL)) != 0)
            return dbi_wrc(self, rc);
    }
    if (!dbi_people_bare(key, strlen(key))) {
        dbi_ent_t r;
        rc = dbi_people_record(self, self->txn, key, &r);
        if (rc && rc != DB_ENOTFOUND)
            return rc;
        return s_store(self, key, rc == 0 && r.articles > 0 ? &r : NULL);
    }
    /* the split of the surname's new record serves it and every namesake */
    dbi_ent_t *r = dbi_alloc(self, nk * sizeof *r);
    if ((rc = dbi_people_records(self, self->txn, key, pn, nn, keys, nk, r)) != 0)
        return rc;
    for (size_t i = 0; i < nk && !rc; i++)
        rc = s_store(self, keys[i], r[i].articles > 0 ? &r[i] : NULL);
    return rc;
}

static int s_entity_run(db_t *self, const dbi_touch_t *run, size_t nrun, void *arg)
{
    (void)arg;
    return s_entity_update(self, run, nrun);
}

int dbi_merge_entities(db_t *self, const Crossclaim__Result *old,
                       const Crossclaim__Result *r)
{
    return dbi_merge_keys(self, old ? (void *const *)old->entities : NULL,
                          old ? old->n_entities : 0, (void *const *)r->entities, r->n_entities,
                          offsetof(Crossclaim__Entity, key), s_entity_run, NULL);
}

/* ---------------------------------------------------------------- finding by name */

/* A name folded for comparison: case and diacritics folded (utf8proc), every run of
   characters that are neither letters nor digits one space, no space at either end
   ("Erdoğan" -> "erdogan", "al-Assad" -> "al assad", "O’Brien" -> "o brien"). Returns
   the length written (cut at cap - 1). */
size_t dbi_fold(const char *s, size_t n, char *out, size_t cap)
{
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &m,
                                        UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD
                                            | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    size_t o = 0;
    bool space = false;
    for (utf8proc_ssize_t i = 0; len > 0 && i < len; ) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(m + i, len - i, &cp);
        if (k <= 0)
            break;
        utf8proc_category_t cat = utf8proc_category(cp);
        bool word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO)
                    || (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
        if (!word) {
            space = o > 0;
        } else {
            if (space && o + 1 < cap)
                out[o++] = ' ';
            space = false;
            if (o + (size_t)k < cap) {
                memcpy(out + o, m + i, (size_t)k);
                o += (size_t)k;
            }
        }
        i += k;
    }
    free(m);
    if (cap)
        out[o < cap ? o : cap - 1] = 0;
    return o;
}

/* How well folded form `f` matches folded query `q`: 3 the same, 1 when `f` ends with
   the query as its last words ("recep tayyip erdogan" for "erdogan"), 0 not at all. */
static int s_form_match(const char *f, const char *q, size_t qn)
{
    if (strcmp(f, q) == 0)
        return 3;
    size_t fn = strlen(f);
    return fn > qn && f[fn - qn - 1] == ' ' && strcmp(f + fn - qn, q) == 0 ? 1 : 0;
}

typedef struct {
    char *key;                /* owned */
    int score;                /* s_entity_score */
    const char *how;          /* "key", "name", "alias", "surname" */
    uint64_t articles;        /* the record's article count */
    json_t *arts;             /* its articles, a JSON array being written */
    json_t *said;             /* its statements, a JSON array being written */
    size_t n_said;            /* statements found, written or not */
} s_match_t;

#define S_NAME_MAX 256

/* Scores one entity record against folded query q: the exact key 10; its name 8, an
   alias 6, the key's name part ("per:clinton" -> "clinton") 5; a form or key ending with
   the query's words 2. */
static int s_entity_score(const char *raw, const dbi_ent_t *e, const char *q, const char **how)
{
    size_t qn = strlen(q);
    char f[S_NAME_MAX];
    if (e->key_len == strlen(raw) && memcmp(e->key, raw, e->key_len) == 0) {
        *how = "key";
        return 10;
    }
    int best = 0;
    const dbi_form_t *name = dbi_ent_best(e, DBI_NAMES);
    for (int l = DBI_NAMES; l <= DBI_ALIASES; l++)
        for (size_t i = 0; i < e->n[l]; i++) {
            const dbi_form_t *x = &e->list[l][i];
            dbi_fold(x->s, x->len, f, sizeof f);
            int m = s_form_match(f, q, qn);
            int s = m == 3 ? (x == name ? 8 : 6) : m ? 2 : 0;
            if (s > best) {
                best = s;
                *how = s == 8 ? "name" : s == 6 ? "alias" : "surname";
            }
        }
    const char *colon = memchr(e->key, ':', e->key_len);
    size_t off = colon ? (size_t)(colon - e->key) + 1 : 0;
    dbi_fold(e->key + off, e->key_len - off, f, sizeof f);
    int m = s_form_match(f, q, qn);
    int s = m == 3 ? 5 : m ? 2 : 0;
    if (s > best) {
        best = s;
        *how = s == 5 ? "key" : "surname";
    }
    return best;
}

static int s_match_cmp(const void *a, const void *b)
{
    const s_match_t *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->articles != y->articles)
        return x->articles > y->articles ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* The JSON text of one value json_t holds, without the line's newline. */
static void s_raw_line(json_t *into, json_t *line)
{
    size_t n = json_len(line);
    const char *d = json_data(line);
    while (n && d[n - 1] == '\n')
        n--;
    json_raw(into, d, n);
}

/* Walks the articles once, giving each match the articles that name it and the
   attributions it speaks. */
static int s_find_articles(db_t *self, MDB_txn *txn, s_match_t *m, size_t nm, size_t max_said)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, self->articles, &c);
    if (rc)
        return dbi_mdb(rc);
    json_t *tmp = json_new();
    MDB_val k, v;
    MDB_cursor_op op = MDB_FIRST;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        dbi_arena_reset(&self->arena);
        Crossclaim__Result *r = crossclaim__result__unpack(&self->pba, v.mv_size, v.mv_data);
        if (!r || k.mv_size != UTIL_ID_HEX)
            continue;   /* db_dump counts and names a record that won't decode */
        char id[UTIL_ID_HEX + 1];
        memcpy(id, k.mv_data, UTIL_ID_HEX);
        id[UTIL_ID_HEX] = 0;
        for (size_t i = 0; i < nm; i++) {
            const char *as = dbi_people_named(self, txn, m[i].key, r);
            const Crossclaim__Entity *named = NULL;
            for (size_t e = 0; as && e < r->n_entities && !named; e++)
                if (r->entities[e]->key && strcmp(r->entities[e]->key, as) == 0)
                    named = r->entities[e];
            if (!named)
                continue;
            const Crossclaim__Article *a = r->article;
            json_obj_begin(m[i].arts);
            json_key(m[i].arts, "id");
            json_str(m[i].arts, id);
            json_key(m[i].arts, "title");
            json_str(m[i].arts, a && a->title ? a->title : "");
            json_key(m[i].arts, "outlet");
            json_str(m[i].arts, a && a->outlet ? a->outlet : "");
            dbi_json_opt(m[i].arts, "published", a ? a->published : NULL);
            /* the article's own full form: one key may hold namesakes of other articles */
            json_key(m[i].arts, "as");
            json_str(m[i].arts, named->name ? named->name : "");
            json_obj_end(m[i].arts);
            for (size_t t = 0; t < r->n_attributions; t++) {
                const Crossclaim__Attribution *at = r->attributions[t];
                if (!at->speaker_entity || strcmp(at->speaker_entity, as) != 0)
                    continue;
                if (m[i].n_said++ >= max_said)
                    continue;
                json_reset(tmp);
                dbi_attribution_line(tmp, id, at);
                s_raw_line(m[i].said, tmp);
            }
        }
    }
    json_destroy(&tmp);
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : dbi_mdb(rc);
}

int db_entity_find(db_t *self, const char *name, size_t limit, db_line_fn *fn, void *arg)
{
    if (!self || !name || !fn)
        return -EINVAL;
    if (!limit)
        limit = DB_FIND_LIMIT;
    char q[S_NAME_MAX];
    if (!dbi_fold(name, strlen(name), q, sizeof q) && !strchr(name, ':'))
        return DB_ENOTFOUND;
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    s_match_t *m = NULL;
    size_t nm = 0, cap = 0;
    json_t *line = NULL, *tail = NULL;
    MDB_cursor *c = NULL;
    if ((rc = mdb_cursor_open(txn, self->entities, &c)) != 0) {
        rc = dbi_mdb(rc);
        goto leave;
    }
    static const size_t none[DBI_LISTS] = {0};
    MDB_val k, v;
    MDB_cursor_op op = MDB_FIRST;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        dbi_arena_reset(&self->arena);
        dbi_ent_t e;
        const char *how = NULL;
        if (dbi_ent_parse(self, v.mv_data, v.mv_size, &e, none) != 0)
            continue;
        int score = s_entity_score(name, &e, q, &how);
        if (!score)
            continue;
        if (nm == cap) {
            cap = cap ? cap * 2 : 16;
            m = util_realloc(m, cap * sizeof *m);
        }
        m[nm++] = (s_match_t){util_strndup(e.key, e.key_len), score, how,
                              (uint64_t)(e.articles > 0 ? e.articles : 0), NULL, NULL, 0};
    }
    mdb_cursor_close(c);
    if (rc != MDB_NOTFOUND) {
        rc = dbi_mdb(rc);
        goto leave;
    }
    rc = 0;
    if (!nm) {
        rc = DB_ENOTFOUND;
        goto leave;
    }
    qsort(m, nm, sizeof *m, s_match_cmp);
    size_t shown = nm < limit ? nm : limit;
    for (size_t i = 0; i < shown; i++) {
        m[i].arts = json_new();
        json_arr_begin(m[i].arts);
        m[i].said = json_new();
        json_arr_begin(m[i].said);
    }
    if ((rc = s_find_articles(self, txn, m, shown, DB_FIND_STATEMENTS)) != 0)
        goto leave;
    line = json_new();
    tail = json_new();
    for (size_t i = 0; i < shown && !rc; i++) {
        dbi_dbkey(self, m[i].key, &k);
        if (mdb_get(txn, self->entities, &k, &v) != 0)
            continue;
        dbi_arena_reset(&self->arena);
        dbi_ent_t e;
        if (dbi_ent_parse(self, v.mv_data, v.mv_size, &e, none) != 0)
            continue;
        json_reset(self->json);
        dbi_entity_line(self->json, &e);
        json_arr_end(m[i].arts);
        json_arr_end(m[i].said);
        json_reset(tail);
        json_obj_begin(tail);
        json_key(tail, "match");
        json_str(tail, m[i].how);
        json_key(tail, "matches");
        json_int(tail, (int64_t)nm);
        json_key(tail, "in_articles");
        json_raw(tail, json_data(m[i].arts), json_len(m[i].arts));
        json_key(tail, "statements");
        json_raw(tail, json_data(m[i].said), json_len(m[i].said));
        json_key(tail, "statements_total");
        json_int(tail, (int64_t)m[i].n_said);
        json_obj_end(tail);
        /* the record's export fields, then these: "{...}" + "," + "...}" */
        size_t n = json_len(self->json);
        const char *d = json_data(self->json);
        while (n && d[n - 1] == '\n')
            n--;
        assert(n && d[n - 1] == '}');
        n--;
        json_reset(line);
        json_raw(line, d, n);
        json_raw(line, ",", 1);
        json_raw(line, json_data(tail) + 1, json_len(tail) - 1);
        json_raw(line, "\n", 1);
        rc = fn(arg, json_data(line), json_len(line));
    }
leave:
    for (size_t i = 0; i < nm; i++) {
        free(m[i].key);
        json_destroy(&m[i].arts);
        json_destroy(&m[i].said);
    }
    free(m);
    json_destroy(&line);
    json_destroy(&tail);
    mdb_txn_abort(txn);
    return rc;
}
