/*  db_merge: merging one worker result into the open write transaction (the article
    record, its story, facts and entities, and its feed update), and the helper that turns
    an article's old and new keys into one run per key. Part of db (store/db.h); see
    db_internal.h and the notes at the top of db.c. */

#include "db_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The id an article is stored under: its article id, else the job id (the same hash). */
static const char *s_result_id(const Crossclaim__Result *r)
{
    if (r->article && r->article->id && util_is_job_id(r->article->id, strlen(r->article->id)))
        return r->article->id;
    if (r->job_id && util_is_job_id(r->job_id, strlen(r->job_id)))
        return r->job_id;
    return NULL;
}

int dbi_touch_cmp(const void *a, const void *b)
{
    const dbi_touch_t *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : x->sign - y->sign;
}

int dbi_merge_keys(db_t *self, void *const *old_items, size_t n_old,
                   void *const *new_items, size_t n_new, size_t key_off,
                   dbi_run_fn *fn, void *arg)
{
    size_t n = n_old + n_new, m = 0;
    if (n == 0)
        return 0;
    dbi_touch_t *t = dbi_alloc(self, n * sizeof *t);
    for (size_t i = 0; i < n; i++) {
        const void *item = i < n_old ? old_items[i] : new_items[i - n_old];
        const char *key = *(char *const *)((const char *)item + key_off);
        if (!dbi_empty(key))
            t[m++] = (dbi_touch_t){key, item, i < n_old ? -1 : +1};
    }
    qsort(t, m, sizeof *t, dbi_touch_cmp);
    for (size_t i = 0, j; i < m; i = j) {
        for (j = i + 1; j < m && strcmp(t[j].key, t[i].key) == 0; j++)
            ;
        int rc = fn(self, t + i, j - i, arg);
        if (rc)
            return rc;
    }
    return 0;
}

/* Packs a stored record: the article and the story terms first, then the rest. Protobuf
   takes fields in any order, and each field is in one of the two parts, so the bytes
   unpack to the same Result; story assignment reads only the first part of each
   candidate (dbi_load_story_part), and stops there. */
static size_t s_pack_result(db_t *self, const Crossclaim__Result *r)
{
    Crossclaim__Result head = CROSSCLAIM__RESULT__INIT, rest = *r;
    head.article = r->article;
    head.n_terms = r->n_terms;
    head.terms = r->terms;
    rest.article = NULL;
    rest.n_terms = 0;
    rest.terms = NULL;
    size_t h = crossclaim__result__get_packed_size(&head);
    size_t n = h + crossclaim__result__get_packed_size(&rest);
    dbi_ensure(self, n);
    crossclaim__result__pack(&head, self->buf);
    crossclaim__result__pack(&rest, self->buf + h);
    return n;
}

/* Announces an article's attributions and quantities, each a record of its own keyed
   "<article>/<index>" under topic "attribution.<article>" or "quantity.<article>": the new
   result's as SETs, and a DELETE for each index the old result had beyond them. */
static int s_announce_parts(db_t *self, const char *id, const Crossclaim__Result *old,
                            const Crossclaim__Result *r)
{
    for (int kind = 0; kind < 2; kind++) {
        const char *name = kind ? "quantity" : "attribution";
        size_t n_new = kind ? r->n_quantities : r->n_attributions;
        size_t n_old = old ? (kind ? old->n_quantities : old->n_attributions) : 0;
        size_t tlen;
        char key[UTIL_ID_HEX + 16];
        for (size_t i = 0; i < n_new || i < n_old; i++) {
            snprintf(key, sizeof key, "%s/%zu", id, i);
            Crossclaim__Update u = CROSSCLAIM__UPDATE__INIT;
            u.kind = (char *)name;
            u.key = key;
            u.article = (char *)id;
            u.index = (uint32_t)i;
            json_reset(self->json);
            if (i < n_new) {
                u.op = CROSSCLAIM__UPDATE__OP__SET;
                if (kind) {
                    u.quantity = r->quantities[i];
                    dbi_quantity_line(self->json, id, r->quantities[i]);
                } else {
                    u.attribution = r->attributions[i];
                    dbi_attribution_line(self->json, id, r->attributions[i]);
                }
            } else {
                u.op = CROSSCLAIM__UPDATE__OP__DELETE;
                json_obj_begin(self->json);
                json_key(self->json, "type");
                json_str(self->json, name);
                json_key(self->json, "article");
                json_str(self->json, id);
                json_key(self->json, "index");
                json_int(self->json, (int64_t)i);
                json_key(self->json, "deleted");
                json_bool(self->json, true);
                json_obj_end(self->json);
                json_newline(self->json);
            }
            const char *topic = dbi_topic(self, name, ".", id, "", &tlen);
            int rc = dbi_feed_put_u(self, topic, tlen, &u);
            if (rc)
                return rc;
        }
    }
    return 0;
}

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
    dbi_arena_reset(&self->arena);

    MDB_val k = {UTIL_ID_HEX, (void *)id}, v;
    Crossclaim__Result *old = NULL;
    int rc = mdb_get(self->txn, self->articles, &k, &v);
    if (rc == 0) {
        old = crossclaim__result__unpack(&self->pba, v.mv_size, v.mv_data);
        if (!old)
            return DB_ECORRUPT;
    } else if (rc != MDB_NOTFOUND) {
        return dbi_mdb(rc);
    }

    /* The stored record: the result without the article text, unless its producer asked
       for it to be kept (submit/run --keep-text; a worker sends it then, and only then). */
    Crossclaim__Article art = *r->article;
    if (!art.keep_text) {
        art.text.data = NULL;
        art.text.len = 0;
    }
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
        if ((rc = dbi_story_of(self, self->txn, id, &old_story)) != 0)
            return rc;
        if ((rc = dbi_index_terms(self, id, old, -1)) != 0)
            return rc;
        if (old_story && (rc = dbi_member(self, id, old, old_story, -1)) != 0)
            return rc;
    }
    if ((rc = dbi_story_assign(self, id, r, &story)) != 0)
        return rc;
    if ((rc = dbi_merge_xrefs(self, id, old, old_story, r, story)) != 0)
        return rc;
    if ((rc = dbi_index_terms(self, id, r, +1)) != 0 || (rc = dbi_member(self, id, r, story, +1)) != 0)
        return rc;
    if ((rc = dbi_merge_entities(self, old, r)) != 0)
        return rc;

    size_t n = s_pack_result(self, &rec);
    MDB_val nv = {n, self->buf};
    if ((rc = mdb_put(self->txn, self->articles, &k, &nv, 0)) != 0)
        return dbi_wrc(self, rc);
    self->claims += r->n_quantities - (old ? old->n_quantities : 0);
    self->attributions += r->n_attributions - (old ? old->n_attributions : 0);

    json_reset(self->json);
    dbi_article_line(self->json, id, &rec, story);
    size_t tlen;
    const char *topic = dbi_topic(self, "article.", id, "", "", &tlen);
    if (old_story)
        dbi_touch_story(self, old_story);
    dbi_touch_story(self, story);
    Crossclaim__Update u = CROSSCLAIM__UPDATE__INIT;
    u.kind = "article";
    u.key = (char *)id;
    u.op = CROSSCLAIM__UPDATE__OP__SET;
    u.article_record = &art;
    u.story = story ? story : "";
    if ((rc = dbi_feed_put_u(self, topic, tlen, &u)) != 0)
        return rc;
    return s_announce_parts(self, id, old, r);
}
