/*  db_read: reading: the record walks behind db_dump and db_dump_topics (export and
    catch-up snapshots), db_export, the lookups of one article, entity or fact, and a
    story's dump. Each runs in a read transaction of its own. Part of db (store/db.h); see
    db_internal.h. */

#include "db_internal.h"

#include <errno.h>
#include <string.h>

/* Counts and names (on stderr, through the log) a record of `what` whose bytes fail to
   decode: the walk goes on without it, and db_dump returns DB_ECORRUPT at its end. */
static void s_skip(db_t *self, const char *what, const void *key, size_t key_len)
{
    char sample[96];
    self->corrupt++;
    self->walk_skipped++;
    util_warn("skipped a corrupt %s record, key %s: it fails to decode", what,
              util_sample(key, key_len, sample, sizeof sample));
}

/* Sends the line in self->json to fn. */
static int s_emit(db_t *self, db_line_fn *fn, void *arg)
{
    self->walk_emitted += json_len(self->json);
    return fn(arg, json_data(self->json), json_len(self->json));
}

/* The first cursor op of a walk: its first record, or, for a walk in steps, the record at
   (or after) the key it resumes at. */
static MDB_cursor_op s_first(db_t *self, MDB_val *k)
{
    if (!self->walk_from_len)
        return MDB_FIRST;
    k->mv_data = (void *)self->walk_from;
    k->mv_size = self->walk_from_len;
    return MDB_SET_RANGE;
}

/* A walk in steps that has emitted its budget stops before the record at `k`, nothing of
   which has gone out yet: the next step begins there. */
static bool s_pause(db_t *self, const MDB_val *k)
{
    if (!self->walk_budget || self->walk_emitted < self->walk_budget ||
        k->mv_size > sizeof self->walk_stop)
        return false;
    memcpy(self->walk_stop, k->mv_data, k->mv_size);
    self->walk_stop_len = k->mv_size;
    return true;
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

/* Walks the articles for the lines of `kind`; `report`: this is the first pass over
   them, which counts and names a record that fails to decode (later passes skip it
   quietly). */
static int s_walk_articles(db_t *self, MDB_txn *txn, unsigned kind, bool report,
                           db_line_fn *fn, void *arg)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, self->articles, &c);
    if (rc)
        return dbi_mdb(rc);
    MDB_val k, v;
    MDB_cursor_op op = s_first(self, &k);
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (s_pause(self, &k)) {
            rc = DB_EPAUSE;
            break;
        }
        dbi_arena_reset(&self->arena);
        Crossclaim__Result *r = crossclaim__result__unpack(&self->pba, v.mv_size, v.mv_data);
        if (!r || k.mv_size != UTIL_ID_HEX) {
            if (report)
                s_skip(self, "article", k.mv_data, k.mv_size);
            continue;
        }
        char id[UTIL_ID_HEX + 1];
        memcpy(id, k.mv_data, UTIL_ID_HEX);
        id[UTIL_ID_HEX] = 0;
        if (kind == DB_ARTICLES && s_wanted(self, "article.", "", "", id, UTIL_ID_HEX)) {
            char *story;
            if ((rc = dbi_story_of(self, txn, id, &story)) == DB_ECORRUPT) {
                s_skip(self, "article story", id, UTIL_ID_HEX);
                story = NULL;
                rc = 0;
            }
            if (rc)
                break;
            json_reset(self->json);
            dbi_article_line(self->json, id, r, story);
            rc = s_emit(self, fn, arg);
        }
        if (kind == DB_ATTRIBUTIONS && !s_wanted(self, "attribution.", "", "", id, UTIL_ID_HEX))
            continue;
        if (kind == DB_QUANTITIES && !s_wanted(self, "quantity.", "", "", id, UTIL_ID_HEX))
            continue;
        for (size_t i = 0; !rc && kind == DB_ATTRIBUTIONS && i < r->n_attributions; i++) {
            json_reset(self->json);
            dbi_attribution_line(self->json, id, r->attributions[i]);
            rc = s_emit(self, fn, arg);
        }
        for (size_t i = 0; !rc && kind == DB_QUANTITIES && i < r->n_quantities; i++) {
            json_reset(self->json);
            dbi_quantity_line(self->json, id, r->quantities[i]);
            rc = s_emit(self, fn, arg);
        }
        if (rc)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : dbi_mdb(rc);
}

static int s_walk_entities(db_t *self, MDB_txn *txn, db_line_fn *fn, void *arg)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, self->entities, &c);
    if (rc)
        return dbi_mdb(rc);
    MDB_val k, v;
    MDB_cursor_op op = s_first(self, &k);
    static const size_t none[DBI_LISTS] = {0};
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (s_pause(self, &k)) {
            rc = DB_EPAUSE;
            break;
        }
        dbi_arena_reset(&self->arena);
        dbi_ent_t e;
        if ((rc = dbi_ent_parse(self, v.mv_data, v.mv_size, &e, none)) == DB_ECORRUPT) {
            s_skip(self, "entity", k.mv_data, k.mv_size);
            rc = 0;
            continue;
        }
        if (rc)
            break;
        if (!s_wanted(self, "entity.", "", "", e.key, e.key_len))
            continue;
        json_reset(self->json);
        dbi_entity_line(self->json, &e);
        if ((rc = s_emit(self, fn, arg)) != 0)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : dbi_mdb(rc);
}

/* Emits the export line of the fact whose summary is `v`, when the topic filter wants it;
   a fact that fails to decode is skipped (counted) and the walk goes on. */
static int s_xref_emit(db_t *self, MDB_txn *txn, const MDB_val *k, const MDB_val *v,
                       db_line_fn *fn, void *arg)
{
    dbi_arena_reset(&self->arena);
    Crossclaim__Xref *x;
    int rc = dbi_xref_read(self, txn, v->mv_data, v->mv_size, &x);
    if (rc == DB_ECORRUPT) {
        s_skip(self, "xref", k->mv_data, k->mv_size);
        return 0;
    }
    if (rc)
        return rc;
    if (!s_wanted(self, "xref.", x->status ? x->status : "single", ".", x->key ? x->key : "",
                  x->key ? strlen(x->key) : 0))
        return 0;
    json_reset(self->json);
    dbi_xref_line(self->json, x);
    return s_emit(self, fn, arg);
}

/* Every fact in key order, or (conflicts) those the status index lists as conflicts:
   the others are not read at all. */
static int s_walk_xrefs(db_t *self, MDB_txn *txn, bool conflicts, db_line_fn *fn, void *arg)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, conflicts ? self->xstatus : self->xrefs, &c);
    if (rc)
        return dbi_mdb(rc);
    static const char want[] = "conflict"; /* and its NUL */
    MDB_val k = {sizeof want, (void *)want}, v;
    MDB_cursor_op op = conflicts ? MDB_SET_RANGE : MDB_FIRST;
    if (self->walk_from_len)
        op = s_first(self, &k);   /* a key of the index walked, xstatus or xrefs */
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (s_pause(self, &k)) {
            rc = DB_EPAUSE;
            break;
        }
        if (conflicts) {
            if (k.mv_size <= sizeof want || memcmp(k.mv_data, want, sizeof want) != 0)
                break;
            MDB_val fk = {k.mv_size - sizeof want, (char *)k.mv_data + sizeof want}, fv;
            int g = mdb_get(txn, self->xrefs, &fk, &fv);
            if (g == MDB_NOTFOUND)
                continue;
            if (g) {
                rc = g;
                break;
            }
            rc = s_xref_emit(self, txn, &fk, &fv, fn, arg);
        } else {
            rc = s_xref_emit(self, txn, &k, &v, fn, arg);
        }
        if (rc)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : dbi_mdb(rc);
}

static int s_walk_stories(db_t *self, MDB_txn *txn, db_line_fn *fn, void *arg)
{
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, self->smember, &c);
    if (rc)
        return dbi_mdb(rc);
    MDB_val k, v;
    char story[UTIL_ID_HEX + 1] = "";
    MDB_cursor_op op = s_first(self, &k);
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size != 2 * UTIL_ID_HEX) {
            s_skip(self, "story member", k.mv_data, k.mv_size);
            continue;
        }
        if (story[0] && memcmp(story, k.mv_data, UTIL_ID_HEX) == 0)
            continue;
        if (s_pause(self, &k)) {   /* at a story's first member: nothing of it out yet */
            rc = DB_EPAUSE;
            break;
        }
        memcpy(story, k.mv_data, UTIL_ID_HEX);
        story[UTIL_ID_HEX] = 0;
        if (!s_wanted(self, "story.", "", "", story, UTIL_ID_HEX))
            continue;
        dbi_arena_reset(&self->arena);
        json_reset(self->json);
        if ((rc = dbi_story_line(self, txn, story, self->json)) == DB_ECORRUPT) {
            s_skip(self, "story", story, UTIL_ID_HEX);
            rc = 0;
            continue;
        }
        if (rc || (rc = s_emit(self, fn, arg)) != 0)
            break;
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND ? 0 : dbi_mdb(rc);
}

int db_dump_story(db_t *self, const char *id, uint64_t *seq, db_line_fn *fn, void *arg)
{
    if (!self || !id || !fn)
        return -EINVAL;
    if (!util_is_job_id(id, strlen(id)))
        return DB_ENOTFOUND;
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    if (seq)
        *seq = dbi_meta_get(txn, self->meta, "seq");
    dbi_arena_reset(&self->arena);
    char **ids;
    size_t n;
    if ((rc = dbi_members(self, txn, id, &ids, &n)) != 0 || n == 0) {
        mdb_txn_abort(txn);
        return rc ? rc : DB_ENOTFOUND;
    }
    json_reset(self->json);
    if ((rc = dbi_story_line(self, txn, id, self->json)) == 0)
        rc = s_emit(self, fn, arg);
    /* dbi_story_line used the arena: list the members again for their lines */
    for (size_t i = 0; !rc && i < n; i++) {
        dbi_arena_reset(&self->arena);
        char **again;
        size_t m;
        if ((rc = dbi_members(self, txn, id, &again, &m)) != 0 || i >= m)
            break;
        Crossclaim__Result *r;
        if ((rc = dbi_load(self, txn, again[i], &r)) != 0 || !r)
            break;
        json_reset(self->json);
        dbi_article_line(self->json, again[i], r, id);
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
            dbi_arena_reset(&self->arena);
            Crossclaim__Xref *x;
            if ((rc = dbi_xref_read(self, txn, v.mv_data, v.mv_size, &x)) != 0)
                break;
            json_reset(self->json);
            dbi_xref_line(self->json, x);
            if ((rc = s_emit(self, fn, arg)) != 0)
                break;
        }
        if (rc == MDB_NOTFOUND)
            rc = 0;
        mdb_cursor_close(c);
    }
    mdb_txn_abort(txn);
    return dbi_mdb(rc);
}

int db_story_json(db_t *self, const char *id, json_t *out)
{
    if (!self || !id || !out)
        return -EINVAL;
    if (!util_is_job_id(id, strlen(id)))
        return DB_ENOTFOUND;
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    dbi_arena_reset(&self->arena);
    json_reset(self->json);
    char **ids;
    size_t n;
    if ((rc = dbi_members(self, txn, id, &ids, &n)) == 0) {
        if (n == 0)
            rc = DB_ENOTFOUND;
        else if ((rc = dbi_story_line(self, txn, id, self->json)) == 0)
            json_raw(out, json_data(self->json), json_len(self->json));
    }
    mdb_txn_abort(txn);
    return rc;
}

/* A whole walk is one step with no budget. */
static int s_dump_all(db_t *self, unsigned what, const char *const *prefixes, size_t n,
                      uint64_t *seq, db_line_fn *fn, void *arg)
{
    db_step_t pos = {0};
    int rc = db_dump_step(self, what, prefixes, n, &pos, SIZE_MAX, fn, arg);
    if (seq)
        *seq = pos.seq;
    db_step_end(self, &pos);
    return rc;
}

int db_dump(db_t *self, unsigned what, uint64_t *seq, db_line_fn *fn, void *arg)
{
    if (!self || !fn)
        return -EINVAL;
    return s_dump_all(self, what, NULL, 0, seq, fn, arg);
}

int db_dump_topics(db_t *self, const char *const *prefixes, size_t n, uint64_t *seq,
                   db_line_fn *fn, void *arg)
{
    if (!self || !fn || (n && !prefixes))
        return -EINVAL;
    return s_dump_all(self, 0, prefixes, n, seq, fn, arg);   /* no prefix: no topic */
}

int db_dump_step(db_t *self, unsigned what, const char *const *prefixes, size_t n,
                 db_step_t *pos, size_t budget, db_line_fn *fn, void *arg)
{
    if (!self || !fn || !pos || (n && !prefixes))
        return -EINVAL;
    if (pos->done)
        return 0;
    if (n) {
        what = 0;
        static const struct { const char *head; unsigned flag; } heads[] = {
            {"article.", DB_ARTICLES}, {"attribution.", DB_ATTRIBUTIONS},
            {"quantity.", DB_QUANTITIES}, {"entity.", DB_ENTITIES}, {"xref.", DB_XREFS},
            {"story.", DB_STORIES}};
        for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
            if (s_wanted_head(prefixes, n, heads[i].head))
                what |= heads[i].flag;
    }
    MDB_txn *txn = pos->txn;
    int rc = 0;
    if (!txn) {
        if ((rc = dbi_rtxn(self, &txn)) != 0) {
            pos->done = true;
            return rc;
        }
        pos->txn = txn;
        pos->seq = dbi_meta_get(txn, self->meta, "seq");
    }
    static const unsigned stages[] = {DB_ARTICLES, DB_ATTRIBUTIONS, DB_QUANTITIES,
                                      DB_ENTITIES, DB_XREFS | DB_CONFLICTS, DB_STORIES};
    unsigned first_article = what & DB_ARTICLES ? 0 : what & DB_ATTRIBUTIONS ? 1 : 2;
    self->prefixes = n ? prefixes : NULL;
    self->nprefixes = n;
    self->walk_skipped = 0;
    self->walk_emitted = 0;
    self->walk_budget = budget ? budget : 1;
    while (!rc && pos->stage < sizeof stages / sizeof *stages) {
        unsigned st = pos->stage;
        if (!(what & stages[st])) {
            pos->stage++;
            pos->key_len = 0;
            continue;
        }
        self->walk_from = pos->key;
        self->walk_from_len = pos->key_len;
        if (st <= 2)
            rc = s_walk_articles(self, txn, stages[st], st == first_article, fn, arg);
        else if (st == 3)
            rc = s_walk_entities(self, txn, fn, arg);
        else if (st == 4)
            rc = s_walk_xrefs(self, txn, !(what & DB_XREFS), fn, arg);
        else
            rc = s_walk_stories(self, txn, fn, arg);
        if (rc == DB_EPAUSE) {
            memcpy(pos->key, self->walk_stop, self->walk_stop_len);
            pos->key_len = self->walk_stop_len;
            rc = 0;
            break;
        }
        if (!rc) {
            pos->stage++;
            pos->key_len = 0;
        }
    }
    self->prefixes = NULL;
    self->nprefixes = 0;
    self->walk_from = NULL;
    self->walk_from_len = 0;
    self->walk_budget = 0;
    pos->skipped += self->walk_skipped;
    if (!rc && pos->stage >= sizeof stages / sizeof *stages) {
        pos->done = true;
        if (pos->skipped)
            rc = DB_ECORRUPT;
    }
    if (rc)
        pos->done = true;
    if (pos->done)
        db_step_end(self, pos);
    return rc;
}

void db_step_end(db_t *self, db_step_t *pos)
{
    (void)self;
    if (pos && pos->txn) {
        mdb_txn_abort(pos->txn);
        pos->txn = NULL;
    }
    if (pos)
        pos->done = true;
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
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    MDB_val k, v;
    dbi_dbkey(self, key, &k);
    rc = mdb_get(txn, dbi, &k, &v);
    if (rc == MDB_NOTFOUND) {
        rc = DB_ENOTFOUND;
        goto leave;
    }
    if (rc) {
        rc = dbi_mdb(rc);
        goto leave;
    }
    dbi_arena_reset(&self->arena);
    json_reset(self->json);
    if (dbi == self->xrefs) {
        Crossclaim__Xref *x;
        if ((rc = dbi_xref_read(self, txn, v.mv_data, v.mv_size, &x)) != 0)
            goto leave;
        dbi_xref_line(self->json, x);
    } else if (dbi == self->entities) {
        static const size_t none[DBI_LISTS] = {0};
        dbi_ent_t e;
        if ((rc = dbi_ent_parse(self, v.mv_data, v.mv_size, &e, none)) != 0)
            goto leave;
        dbi_entity_line(self->json, &e);
    } else {
        Crossclaim__Result *r = crossclaim__result__unpack(&self->pba, v.mv_size, v.mv_data);
        if (!r) {
            rc = DB_ECORRUPT;
            goto leave;
        }
        char *story;
        if ((rc = dbi_story_of(self, txn, key, &story)) != 0)
            goto leave;
        dbi_article_line(self->json, key, r, story);
    }
    json_raw(out, json_data(self->json), json_len(self->json));
leave:
    mdb_txn_abort(txn);
    return rc;
}

/* The first fact (in key order) whose frame is `frame`: a cursor over the summaries'
   keys ("<story>/<frame>"), decoding only a key too long to compare (hashed). */
static int s_frame_find(db_t *self, const char *frame, json_t *out)
{
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(txn, self->xrefs, &c)) != 0) {
        mdb_txn_abort(txn);
        return dbi_mdb(rc);
    }
    size_t n = strlen(frame);
    MDB_val k, v;
    MDB_cursor_op op = MDB_FIRST;
    bool found = false;
    while (!found && (rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        const char *p = k.mv_data;
        if (k.mv_size < DB_MAX_KEY) {
            if (k.mv_size != UTIL_ID_HEX + 1 + n || p[UTIL_ID_HEX] != '/' ||
                memcmp(p + UTIL_ID_HEX + 1, frame, n) != 0)
                continue;
        }
        dbi_arena_reset(&self->arena);
        Crossclaim__Xref *x;
        if ((rc = dbi_xref_read(self, txn, v.mv_data, v.mv_size, &x)) != 0)
            break;
        if (!x->frame || strcmp(x->frame, frame) != 0)
            continue;
        json_reset(self->json);
        dbi_xref_line(self->json, x);
        json_raw(out, json_data(self->json), json_len(self->json));
        found = true;
    }
    mdb_cursor_close(c);
    mdb_txn_abort(txn);
    if (found)
        return 0;
    return rc == 0 || rc == MDB_NOTFOUND ? DB_ENOTFOUND : dbi_mdb(rc);
}

int db_xref_json(db_t *self, const char *key, json_t *out)
{
    if (!self || !key || !out)
        return -EINVAL;
    /* A full key is "<story>/<frame>"; a bare frame key finds its first story's fact. */
    if (strlen(key) > UTIL_ID_HEX && key[UTIL_ID_HEX] == '/')
        return s_lookup(self, self->xrefs, key, out);
    return s_frame_find(self, key, out);
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
