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
      reuse loose pages), so records are decoded or copied before anything is written.

    This file opens and closes the environment, runs the write transaction (begin, commit,
    abort), gives the statistics and holds the small helpers every part uses. The other
    jobs have a file each, sharing db_internal.h: db_arena.c (scratch memory), db_lines.c
    (export lines), db_entity.c (entity records), db_feed.c (the feed log), db_fact.c (xref
    facts), db_story.c (stories), db_merge.c (db_merge), db_read.c (dumps and lookups) and
    db_report.c (the report). */

#include "db_internal.h"
#include "mdbfile.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The map starts small and doubles on MDB_MAP_FULL (db_begin): a large first map fails
   under an address-space limit (ulimit -v) even when the file is small. */
#define DB_MAP_INITIAL  ((size_t)64 << 20)

static const char *s_meta_names[] = {"seq", "claims", "attributions", "conflicts", "corroborated"};

/* ---------------------------------------------------------------- small helpers */

const char *db_strerror(int rc)
{
    switch (rc) {
    case 0: return "ok";
    case DB_ENOTFOUND: return "no such record";
    case DB_ECORRUPT: return "a stored record failed to decode (database corrupt?)";
    case DB_EREADONLY: return "the database is open read-only";
    case DB_ESTATE: return "no write transaction open (or one already open)";
    case DB_EINPUT: return "result without an article or a valid article id";
    case DB_EDAMAGED: return "the database file is empty, truncated or missing where a "
                             "database existed (restore it from a backup, or move the data "
                             "dir aside to start anew)";
    case DB_EVERSION: return "the database was written by an older crossclaim, which kept "
                             "its records another way (ingest again into a new data dir)";
    default:
        if (rc >= MDB_KEYEXIST && rc <= MDB_LAST_ERRCODE)
            return mdb_strerror(rc);
        return rc < 0 ? strerror(-rc) : "unknown error";
    }
}

void dbi_ensure(db_t *self, size_t need)
{
    if (need > self->cap) {
        size_t cap = self->cap ? self->cap : 4096;
        while (cap < need)
            cap *= 2;
        self->buf = util_realloc(self->buf, cap);
        self->cap = cap;
    }
}

void dbi_dbkey(db_t *self, const char *key, MDB_val *k)
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

uint64_t dbi_meta_get(MDB_txn *txn, MDB_dbi dbi, const char *name)
{
    MDB_val k = {strlen(name), (void *)name}, v;
    uint64_t x = 0;
    if (mdb_get(txn, dbi, &k, &v) == 0 && v.mv_size == sizeof x)
        memcpy(&x, v.mv_data, sizeof x);
    return x;
}

int dbi_rtxn(db_t *self, MDB_txn **txn)
{
    int rc = mdb_txn_begin(self->env, NULL, MDB_RDONLY, txn);
    if (rc == MDB_MAP_RESIZED) {
        mdb_env_set_mapsize(self->env, 0);
        rc = mdb_txn_begin(self->env, NULL, MDB_RDONLY, txn);
    }
    return dbi_mdb(rc);
}

/* ---------------------------------------------------------------- open, close */

int db_open(const char *dir, bool readonly, db_t **out)
{
    return db_open_map(dir, readonly, 0, out);
}

int db_open_map(const char *dir, bool readonly, size_t map_bytes, db_t **out)
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
    /* LMDB would make a fresh database of an empty or missing file while the broker
       still counts its articles done; a marker says a database was made here. */
    char data[4096 + 16], marker[4096 + 16], why[8300];
    snprintf(data, sizeof data, "%s/data.mdb", path);
    snprintf(marker, sizeof marker, "%s/store.created", path);
    if (mdbfile_check_before(data, marker, NULL, why, sizeof why) != 0) {
        util_error("db: %s", why);
        rc = DB_EDAMAGED;
        goto fail;
    }
    if ((rc = dbi_mdb(mdb_env_create(&self->env))) != 0)
        goto fail;
    mdb_env_set_maxdbs(self->env, 16);
    /* Readers too: left to itself a reader maps what the writer last had. LMDB raises a
       map smaller than the data to the data's size. */
    mdb_env_set_mapsize(self->env, map_bytes ? map_bytes : DB_MAP_INITIAL);
    /* NOTLS: read transactions are not tied to threads, and the writer may read. */
    if ((rc = dbi_mdb(mdb_env_open(self->env, path, MDB_NOTLS | (readonly ? MDB_RDONLY : 0),
                                   0600))) != 0)
        goto fail;
    /* Pages past the end of a file cut short are SIGBUS at the first touch. */
    if ((rc = mdbfile_check_size(self->env, data, why, sizeof why)) != 0) {
        if (rc < 0) {
            util_error("db: %s", why);
            rc = DB_EDAMAGED;
        }
        rc = dbi_mdb(rc);
        goto fail;
    }
    if ((rc = dbi_mdb(mdb_txn_begin(self->env, NULL, readonly ? MDB_RDONLY : 0, &txn))) != 0)
        goto fail;
    unsigned flags = readonly ? 0 : MDB_CREATE;
    if ((rc = dbi_mdb(mdb_dbi_open(txn, "articles", flags, &self->articles))) != 0 ||
        (rc = dbi_mdb(mdb_dbi_open(txn, "xrefs", flags, &self->xrefs))) != 0 ||
        (rc = dbi_mdb(mdb_dbi_open(txn, "entities", flags, &self->entities))) != 0 ||
        (rc = dbi_mdb(mdb_dbi_open(txn, "feed", flags, &self->feed))) != 0 ||
        (rc = dbi_mdb(mdb_dbi_open(txn, "meta", flags, &self->meta))) != 0)
        goto fail;
    /* A database from before stories (schema 1, no "schema" key) has articles but no
       stories and facts keyed by claim alone: it can't be read as this one is. */
    uint64_t schema = dbi_meta_get(txn, self->meta, "schema");
    MDB_stat ast;
    if ((rc = dbi_mdb(mdb_stat(txn, self->articles, &ast))) != 0)
        goto fail;
    if (schema != DB_SCHEMA && (schema != 0 || ast.ms_entries > 0)) {
        rc = DB_EVERSION;
        goto fail;
    }
    if (!readonly && schema == 0) {
        uint64_t v = DB_SCHEMA;
        MDB_val k = {6, "schema"}, d = {sizeof v, &v};
        if ((rc = dbi_mdb(mdb_put(txn, self->meta, &k, &d, 0))) != 0)
            goto fail;
    }
    if ((rc = dbi_mdb(mdb_dbi_open(txn, "astory", flags, &self->astory))) != 0 ||
        (rc = dbi_mdb(mdb_dbi_open(txn, "smember", flags, &self->smember))) != 0 ||
        (rc = dbi_mdb(mdb_dbi_open(txn, "sterm", flags | MDB_DUPSORT, &self->sterm))) != 0 ||
        (rc = dbi_mdb(mdb_dbi_open(txn, "stories", flags, &self->stories))) != 0 ||
        (rc = dbi_mdb(mdb_dbi_open(txn, "sentity", flags, &self->sentity))) != 0 ||
        (rc = dbi_mdb(mdb_dbi_open(txn, "xclaims", flags, &self->xclaims))) != 0 ||
        (rc = dbi_mdb(mdb_dbi_open(txn, "xstatus", flags, &self->xstatus))) != 0 ||
        (rc = dbi_mdb(mdb_dbi_open(txn, "people", flags, &self->people))) != 0)
        goto fail;
    rc = dbi_mdb(mdb_txn_commit(txn));
    txn = NULL;
    if (rc)
        goto fail;
    if (!readonly)
        mdbfile_mark(marker);
    self->pba.alloc = dbi_pb_alloc;
    self->pba.free = dbi_pb_free;
    self->pba.allocator_data = &self->arena;
    self->tpba.alloc = dbi_pb_alloc;
    self->tpba.free = dbi_pb_free;
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
    dbi_arena_free(&self->arena);
    free(self->buf);
    free(self->topic);
    free(self->touched);
    free(self->facts);
    dbi_arena_free(&self->tarena);
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
    if (self->broken)
        return -EIO;
    if (self->grow) {
        MDB_envinfo info;
        mdb_env_info(self->env, &info);
        int rc = mdb_env_set_mapsize(self->env, info.me_mapsize * 2);
        if (rc) {
            /* The old map is gone with the failed growth: map the old size again, or the
               next transaction touches a map that is not there (SIGSEGV). */
            if (mdb_env_set_mapsize(self->env, info.me_mapsize) != 0) {
                util_error("store map: cannot map the database again after a failed growth");
                self->broken = true;
            }
            util_error("store map full at %zu MiB and it cannot grow: %s", info.me_mapsize >> 20,
                       mdb_strerror(rc));
            return dbi_mdb(rc);
        }
        util_info("store map grown to %zu MiB", info.me_mapsize * 2 >> 20);
        self->grow = false;
    }
    int rc = mdb_txn_begin(self->env, NULL, 0, &self->txn);
    if (rc) {
        self->txn = NULL;
        return dbi_mdb(rc);
    }
    uint64_t *m[] = {&self->seq, &self->claims, &self->attributions, &self->conflicts,
                     &self->corroborated};
    for (size_t i = 0; i < 5; i++)
        *m[i] = dbi_meta_get(self->txn, self->meta, s_meta_names[i]);
    return 0;
}

uint64_t db_txn_seq(db_t *self)
{
    return self->seq;
}

void db_abort(db_t *self)
{
    if (self) {
        self->n_touched = 0;
        dbi_facts_clear(self);
    }
    if (self && self->txn) {
        mdb_txn_abort(self->txn);
        self->txn = NULL;
    }
}

int dbi_wrc(db_t *self, int rc)
{
    if (rc == MDB_MAP_FULL)
        self->grow = true;
    return dbi_mdb(rc);
}

int db_commit(db_t *self, uint64_t *last_seq)
{
    if (!self)
        return -EINVAL;
    if (!self->txn)
        return DB_ESTATE;
    /* each fact and each story the batch changed, once, after all its merges */
    int arc = dbi_facts_flush(self);
    dbi_facts_clear(self);
    for (size_t i = 0; i < self->n_touched && !arc; i++) {
        dbi_arena_reset(&self->arena);
        arc = dbi_story_announce(self, self->touched[i]);
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
        rc = dbi_trim_feed(self);
    if (rc) {
        db_abort(self);
        return dbi_wrc(self, rc);
    }
    rc = mdb_txn_commit(self->txn);
    self->txn = NULL;
    if (rc)
        return dbi_wrc(self, rc);
    if (last_seq)
        *last_seq = self->seq;
    return 0;
}

/* ---------------------------------------------------------------- stats */

uint64_t db_corrupt_records(db_t *self)
{
    return self ? self->corrupt : 0;
}

void db_stats_json(const db_stats_t *st, json_t *j)
{
    json_key(j, "articles"); json_int(j, (int64_t)st->articles);
    json_key(j, "claims"); json_int(j, (int64_t)st->claims);
    json_key(j, "attributions"); json_int(j, (int64_t)st->attributions);
    json_key(j, "entities"); json_int(j, (int64_t)st->entities);
    json_key(j, "xrefs"); json_int(j, (int64_t)st->xrefs);
    json_key(j, "stories"); json_int(j, (int64_t)st->stories);
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
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    MDB_stat st;
    if (mdb_stat(txn, self->articles, &st) == 0)
        out->articles = st.ms_entries;
    if (mdb_stat(txn, self->entities, &st) == 0)
        out->entities = st.ms_entries;
    if (mdb_stat(txn, self->xrefs, &st) == 0)
        out->xrefs = st.ms_entries;
    if (mdb_stat(txn, self->stories, &st) == 0)
        out->stories = st.ms_entries;
    out->seq = dbi_meta_get(txn, self->meta, "seq");
    out->claims = dbi_meta_get(txn, self->meta, "claims");
    out->attributions = dbi_meta_get(txn, self->meta, "attributions");
    out->conflicts = dbi_meta_get(txn, self->meta, "conflicts");
    out->corroborated = dbi_meta_get(txn, self->meta, "corroborated");
    mdb_txn_abort(txn);
    return 0;
}
