/*  db_feed: the feed log: building topics, appending an update, trimming the entries
    beyond DB_FEED_KEEP at commit, and reading the log from a sequence number on. Part of
    db (store/db.h); see db_internal.h. */

#include "db_internal.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#define DB_TRIM_MAX     4096             /* feed entries dropped per commit at most */

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

const char *dbi_topic(db_t *self, const char *a, const char *b, const char *c,
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

int dbi_feed_put_u(db_t *self, const char *topic, size_t topic_len, Crossclaim__Update *u)
{
    u->seq = self->seq + 1;
    u->json.data = (uint8_t *)json_data(self->json);
    u->json.len = json_len(self->json);
    size_t n = crossclaim__update__get_packed_size(u);
    uint8_t kb[8];
    s_be64(kb, u->seq);
    MDB_val k = {sizeof kb, kb}, v = {2 + topic_len + n, NULL};
    int rc = mdb_put(self->txn, self->feed, &k, &v, MDB_APPEND | MDB_RESERVE);
    if (rc)
        return dbi_wrc(self, rc);
    uint8_t *p = v.mv_data;
    p[0] = (uint8_t)(topic_len >> 8);
    p[1] = (uint8_t)topic_len;
    memcpy(p + 2, topic, topic_len);
    crossclaim__update__pack(u, p + 2 + topic_len);
    self->seq++;
    return 0;
}

static bool s_has_prefix(const char *s, size_t len, const char *pre)
{
    size_t lp = strlen(pre);
    return len >= lp && memcmp(s, pre, lp) == 0;
}

int dbi_feed_put(db_t *self, const char *kind, const char *key, const char *topic,
                 size_t topic_len, Crossclaim__Xref *x)
{
    static const char edel[] = ",\"deleted\":true,\"articles\":0}";
    Crossclaim__Update u = CROSSCLAIM__UPDATE__INIT;
    u.kind = (char *)kind;
    u.key = (char *)key;
    u.xref = x;
    size_t n = json_len(self->json);
    const char *j = json_data(self->json);
    while (n && (j[n - 1] == '\n' || j[n - 1] == '\r'))
        n--;
    bool del = s_has_prefix(topic, topic_len, "xref.deleted.") ||
               s_has_prefix(topic, topic_len, "story.deleted.") ||
               (n >= sizeof edel - 1 && memcmp(j + n - (sizeof edel - 1), edel, sizeof edel - 1) == 0);
    u.op = del ? CROSSCLAIM__UPDATE__OP__DELETE : CROSSCLAIM__UPDATE__OP__SET;
    return dbi_feed_put_u(self, topic, topic_len, &u);
}

int dbi_trim_feed(db_t *self)
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

int db_feed_since(db_t *self, uint64_t after, uint64_t *first, db_feed_fn *fn, void *arg)
{
    if (!self || !fn)
        return -EINVAL;
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(txn, self->feed, &c)) != 0) {
        mdb_txn_abort(txn);
        return dbi_mdb(rc);
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
    return rc == MDB_NOTFOUND ? 0 : dbi_mdb(rc);
}
