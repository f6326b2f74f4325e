/*  db_entity: the entity index: the entity record's layout (decode, encode) and the merge
    of an article's entity mentions into it, each key's record rewritten once per merge and
    announced only when its bytes change. Part of db (store/db.h); see db_internal.h. */

#include "db_internal.h"

#include <assert.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

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

/* Rebuilds the entity record of one key: takes away the old result's forms and article,
   adds the new result's. */
static int s_entity_update(db_t *self, const dbi_touch_t *run, size_t nrun)
{
    const char *key = run[0].key;
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
    dbi_ent_t e;
    bool had = false;
    int rc = mdb_get(self->txn, self->entities, &k, &v);
    if (rc == 0) {
        had = true;
        if ((rc = dbi_ent_parse(self, v.mv_data, v.mv_size, &e, extra)) != 0)
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
        qsort(e.list[l], w, sizeof(dbi_form_t), s_form_cmp);
    }
    json_reset(self->json);
    size_t tlen;
    const char *topic;
    if (e.articles <= 0) {
        if (!had)
            return 0;
        dbi_deleted_line(self->json, "entity", "key", key);
        if ((rc = mdb_del(self->txn, self->entities, &k, NULL)) != 0)
            return dbi_wrc(self, rc);
    } else {
        size_t n = s_ent_pack(self, &e);
        if (had && n == v.mv_size && memcmp(self->buf, v.mv_data, n) == 0)
            return 0;
        dbi_entity_line(self->json, &e); /* before the put: `e` may point into `v` */
        MDB_val nv = {n, self->buf};
        if ((rc = mdb_put(self->txn, self->entities, &k, &nv, 0)) != 0)
            return dbi_wrc(self, rc);
    }
    topic = dbi_topic(self, "entity.", key, "", "", &tlen);
    return dbi_feed_put(self, "entity", key, topic, tlen, NULL);
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
