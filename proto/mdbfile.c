/*  mdbfile: refusing an LMDB data file that is empty, missing or cut short (mdbfile.h). */
#include "mdbfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int mdbfile_check_before(const char *data, const char *marker, uint64_t *size, char *why,
                         size_t cap)
{
    struct stat sb;
    bool have = stat(data, &sb) == 0;
    if (size)
        *size = have ? (uint64_t)sb.st_size : 0;
    if (have && sb.st_size == 0) {
        snprintf(why, cap, "%s is empty (truncated?): refusing to start a new database over it",
                 data);
        return -1;
    }
    if (!have && marker && access(marker, F_OK) == 0) {
        snprintf(why, cap, "%s is missing, but %s says a database was made here", data, marker);
        return -1;
    }
    return 0;
}

int mdbfile_check_size(MDB_env *env, const char *data, char *why, size_t cap)
{
    MDB_envinfo info;
    MDB_stat est;
    struct stat sb;
    int rc;
    if ((rc = mdb_env_info(env, &info)) != 0 || (rc = mdb_env_stat(env, &est)) != 0)
        return rc;
    if (stat(data, &sb) != 0)
        return errno;
    uint64_t need = ((uint64_t)info.me_last_pgno + 1) * est.ms_psize;
    if ((uint64_t)sb.st_size < need) {
        snprintf(why, cap, "%s is %lld bytes but its pages reach %llu: truncated", data,
                 (long long)sb.st_size, (unsigned long long)need);
        return -1;
    }
    return 0;
}

int mdbfile_mark(const char *marker)
{
    if (access(marker, F_OK) == 0)
        return 0;
    int fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -errno;
    close(fd);
    return 0;
}

/* ---------------------------------------------------------------- the page walk */

/* LMDB 0.9's file format, as mdb.c lays it out (it keeps these private). A page starts
   with its number, two spare bytes, its flags, and then either the bounds of its free
   space (lower, upper) or, for an overflow page, its page count. Nodes follow the header
   as 16-bit offsets (mp_ptrs), each to a node: data size low and high halves (a branch
   node's child page number, with the flags as its top 16 bits), flags, key size, key,
   data. Meta pages hold MDB_meta after the header, with the two root MDB_db records. */
enum {
    S_HDR = 16,             /* PAGEHDRSZ */
    S_NODE = 8,             /* NODESIZE */
    S_DB = 48,              /* sizeof(MDB_db) */
    S_P_BRANCH = 0x01,
    S_P_LEAF = 0x02,
    S_P_OVERFLOW = 0x04,
    S_P_LEAF2 = 0x20,
    S_F_BIGDATA = 0x01,
    S_F_SUBDATA = 0x02,
    S_F_DUPDATA = 0x04,
    S_DB_REVERSEKEY = 0x02,
    S_DB_DUPSORT = 0x04,
    S_DB_INTEGERKEY = 0x08,
    S_MAX_DEPTH = 32,       /* CURSOR_STACK */
    S_MAX_KEY = 511,        /* MDB_MAXKEYSIZE */
};
#define S_MAGIC 0xBEEFC0DEu
#define S_INVALID (~(uint64_t)0)

#define U(x) ((unsigned long long)(x))

typedef struct {
    uint16_t flags, depth;
    uint64_t branch, leaf, overflow, entries, root;
} s_db_t;

typedef struct {
    const uint8_t *map;
    uint64_t size, psize, last;   /* file bytes, page size, last page number */
    uint8_t *used, *freed;        /* one bit per page */
    char *why;
    size_t cap;
    /* The walk of one database: what it counts, and the last key it saw. */
    uint64_t n_branch, n_leaf, n_overflow, n_entries;
    uint8_t prev[S_MAX_KEY + 1];
    size_t prev_len;
    bool have_prev;
    uint16_t db_flags;
    uint16_t node_flags;          /* the leaf node flags this database may hold */
    uint16_t *ends;               /* per page: where the node at each even offset ends */
} s_walk_t;

static uint16_t s_u16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}
static uint32_t s_u32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}
static uint64_t s_u64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static void s_db_read(const uint8_t *p, s_db_t *db)
{
    db->flags = s_u16(p + 4);
    db->depth = s_u16(p + 6);
    db->branch = s_u64(p + 8);
    db->leaf = s_u64(p + 16);
    db->overflow = s_u64(p + 24);
    db->entries = s_u64(p + 32);
    db->root = s_u64(p + 40);
}

static int s_bad(s_walk_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int s_bad(s_walk_t *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->why, w->cap, fmt, ap);
    va_end(ap);
    return -1;
}

static bool s_bit(const uint8_t *set, uint64_t pg)
{
    return set[pg >> 3] & (1u << (pg & 7));
}

/* Claims page `pg` for the tree: in the file, and no other page's child. */
static int s_claim(s_walk_t *w, uint64_t pg)
{
    if (pg < 2 || pg > w->last)
        return s_bad(w, "page %llu is outside the file (last page %llu)", U(pg), U(w->last));
    if (s_bit(w->used, pg))
        return s_bad(w, "page %llu is reached twice", U(pg));
    w->used[pg >> 3] |= (uint8_t)(1u << (pg & 7));
    return 0;
}

/* Keys of one database come in order across all its leaves, by its comparison. */
static int s_key_cmp(uint16_t flags, const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
    if ((flags & S_DB_INTEGERKEY) && al == bl && (al == 8 || al == 4)) {
        uint64_t x = al == 8 ? s_u64(a) : s_u32(a), y = al == 8 ? s_u64(b) : s_u32(b);
        return x < y ? -1 : x > y;
    }
    size_t n = al < bl ? al : bl;
    int c = memcmp(a, b, n);
    return c ? c : (al > bl) - (al < bl);
}

typedef int s_leaf_fn(s_walk_t *w, const uint8_t *key, size_t klen, uint16_t nflags,
                      const uint8_t *data, uint64_t dlen);

static int s_walk_page(s_walk_t *w, uint64_t pg, unsigned level, unsigned depth,
                       s_leaf_fn *leaf)
{
    if (s_claim(w, pg))
        return -1;
    const uint8_t *p = w->map + pg * w->psize;
    uint16_t flags = s_u16(p + 10), lower = s_u16(p + 12), upper = s_u16(p + 14);
    if (s_u64(p) != pg)
        return s_bad(w, "page %llu says it is page %llu", U(pg), U(s_u64(p)));
    bool is_leaf = level == depth;
    if ((flags & (S_P_BRANCH | S_P_LEAF | S_P_OVERFLOW | S_P_LEAF2)) !=
        (is_leaf ? S_P_LEAF : S_P_BRANCH))
        return s_bad(w, "page %llu has flags 0x%x where the tree wants a %s page", U(pg), flags,
                     is_leaf ? "leaf" : "branch");
    if (lower < S_HDR || (lower - S_HDR) % 2 || lower > upper || upper > w->psize)
        return s_bad(w, "page %llu has free space from %u to %u, outside its %llu bytes",
                     U(pg), lower, upper, U(w->psize));
    unsigned n = (unsigned)(lower - S_HDR) / 2;
    if (n == 0)
        return s_bad(w, "page %llu holds no node", U(pg));
    if (is_leaf)
        w->n_leaf++;
    else
        w->n_branch++;
    /* Nodes lie between upper and the page's end, each whole, none over another: LMDB
       moves them with memmove on every change, and overlapping nodes move the free space
       past the page (a write then runs off the page's buffer). */
    memset(w->ends, 0, w->psize);
    for (unsigned i = 0; i < n; i++) {
        uint16_t off = s_u16(p + S_HDR + 2 * i);
        if (off < upper || off % 2 || (uint64_t)off + S_NODE > w->psize)
            return s_bad(w, "page %llu: node %u lies outside the page's nodes", U(pg), i);
        const uint8_t *node = p + off;
        uint16_t nflags = s_u16(node + 4);
        uint64_t len = S_NODE + s_u16(node + 6);
        if (is_leaf)
            len += (nflags & S_F_BIGDATA) ? 8
                   : ((uint64_t)s_u16(node) | (uint64_t)s_u16(node + 2) << 16);
        if (is_leaf && (nflags & ~w->node_flags))
            return s_bad(w, "page %llu: node %u has flags 0x%x", U(pg), i, nflags);
        if ((uint64_t)off + len > w->psize)
            return s_bad(w, "page %llu: node %u runs past the page", U(pg), i);
        if (w->ends[off / 2])
            return s_bad(w, "page %llu: two nodes start at %u", U(pg), off);
        w->ends[off / 2] = (uint16_t)((off + len + 1) / 2);   /* in 2-byte units, even */
    }
    for (uint32_t at = upper / 2, reach = 0; at < w->psize / 2; at++) {
        if (w->ends[at] && at < reach)
            return s_bad(w, "page %llu: nodes overlap at %u", U(pg), at * 2);
        if (w->ends[at] > reach)
            reach = w->ends[at];
    }
    /* Each node, now known to lie whole in the page: its child, or its record. */
    for (unsigned i = 0; i < n; i++) {
        const uint8_t *node = p + s_u16(p + S_HDR + 2 * i);
        uint16_t nflags = s_u16(node + 4), ksize = s_u16(node + 6);
        const uint8_t *key = node + S_NODE;
        if (ksize > S_MAX_KEY)
            return s_bad(w, "page %llu: node %u has a key of %u bytes", U(pg), i, ksize);
        if (!is_leaf) {
            uint64_t child = (uint64_t)s_u16(node) | (uint64_t)s_u16(node + 2) << 16 |
                             (uint64_t)nflags << 32;
            if (s_walk_page(w, child, level + 1, depth, leaf))
                return -1;
            continue;
        }
        uint64_t dlen = (uint64_t)s_u16(node) | (uint64_t)s_u16(node + 2) << 16;
        const uint8_t *data = key + ksize;
        if (nflags & S_F_BIGDATA) {
            uint64_t ov = s_u64(data);
            if (ov < 2 || ov > w->last)
                return s_bad(w, "overflow page %llu is outside the file", U(ov));
            const uint8_t *op = w->map + ov * w->psize;
            uint32_t pages = s_u32(op + 12);
            if (s_u64(op) != ov || !(s_u16(op + 10) & S_P_OVERFLOW) || pages == 0 ||
                pages > w->last - ov + 1 || dlen > (uint64_t)pages * w->psize - S_HDR)
                return s_bad(w, "overflow page %llu does not hold its %llu bytes", U(ov), U(dlen));
            for (uint64_t k = 0; k < pages; k++)
                if (s_claim(w, ov + k))
                    return -1;
            w->n_overflow += pages;
            data = op + S_HDR;
        }
        if (w->have_prev && !(w->db_flags & S_DB_REVERSEKEY) &&
            s_key_cmp(w->db_flags, w->prev, w->prev_len, key, ksize) >= 0)
            return s_bad(w, "page %llu: key %u is out of order", U(pg), i);
        memcpy(w->prev, key, ksize);
        w->prev_len = ksize;
        w->have_prev = true;
        w->n_entries++;
        if (leaf && leaf(w, key, ksize, nflags, data, dlen))
            return -1;
    }
    return 0;
}

/* Walks the database `db` (its root and counts as its parent holds them). */
static int s_walk_db(s_walk_t *w, const s_db_t *db, const char *name, uint16_t node_flags,
                     s_leaf_fn *leaf)
{
    if (db->root == S_INVALID) {
        if (db->depth || db->entries || db->branch || db->leaf || db->overflow)
            return s_bad(w, "database %s is empty but counts %llu entries at depth %u", name,
                         U(db->entries), db->depth);
        return 0;
    }
    if (db->depth == 0 || db->depth > S_MAX_DEPTH)
        return s_bad(w, "database %s is %u levels deep", name, db->depth);
    w->n_branch = w->n_leaf = w->n_overflow = w->n_entries = 0;
    w->have_prev = false;
    w->db_flags = db->flags;
    w->node_flags = node_flags;
    if (s_walk_page(w, db->root, 1, db->depth, leaf))
        return -1;
    if (w->n_entries != db->entries || w->n_leaf != db->leaf || w->n_branch != db->branch ||
        w->n_overflow != db->overflow) {
        return s_bad(w, "database %s counts %llu entries in %llu pages, its pages hold %llu in %llu",
                     name, U(db->entries), U(db->branch + db->leaf + db->overflow),
                     U(w->n_entries), U(w->n_branch + w->n_leaf + w->n_overflow));
    }
    return 0;
}

/* A record of the main database that names a database: walk that one. The main walk's
   own state is saved around it. */
static int s_main_leaf(s_walk_t *w, const uint8_t *key, size_t klen, uint16_t nflags,
                       const uint8_t *data, uint64_t dlen)
{
    if (!(nflags & S_F_SUBDATA))
        return 0;   /* a plain record in the main database */
    if (dlen != S_DB || (nflags & S_F_BIGDATA))
        return s_bad(w, "a named database's record is %llu bytes, not %d", U(dlen), S_DB);
    s_db_t db;
    s_db_read(data, &db);
    if (db.flags & S_DB_DUPSORT)
        return 0;   /* sorted duplicates nest trees in records: not walked here */
    char name[64];
    snprintf(name, sizeof name, "'%.*s'", (int)(klen < 40 ? klen : 40), (const char *)key);
    s_walk_t saved = *w;   /* the main walk's counts and last key; the bitmaps are shared */
    if (s_walk_db(w, &db, name, S_F_BIGDATA, NULL))
        return -1;
    *w = saved;
    return 0;
}

/* A free list record: a count, then that many page numbers, each a page of the file that
   no other record frees (that no tree uses is checked once all are read). */
static int s_free_leaf(s_walk_t *w, const uint8_t *key, size_t klen, uint16_t nflags,
                       const uint8_t *data, uint64_t dlen)
{
    (void)key;
    (void)klen;
    (void)nflags;
    if (dlen < 8 || dlen % 8 || s_u64(data) != dlen / 8 - 1)
        return s_bad(w, "a free list record of %llu bytes counts %llu pages", U(dlen),
                     U(dlen >= 8 ? s_u64(data) : 0));
    for (uint64_t i = 1; i <= dlen / 8 - 1; i++) {
        uint64_t pg = s_u64(data + 8 * i);
        if (pg < 2 || pg > w->last)
            return s_bad(w, "the free list gives page %llu, outside the file (last %llu)", U(pg),
                         U(w->last));
        if (s_bit(w->freed, pg))
            return s_bad(w, "the free list gives page %llu twice", U(pg));
        w->freed[pg >> 3] |= (uint8_t)(1u << (pg & 7));
    }
    return 0;
}

int mdbfile_check_pages(const char *data, char *why, size_t cap)
{
    int fd = open(data, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        int e = errno;
        close(fd);
        return e;
    }
    s_walk_t w = {.size = (uint64_t)sb.st_size, .why = why, .cap = cap};
    int rc = -1;
    if (cap)
        why[0] = 0;
    if (w.size < 2 * S_HDR + 160) {
        snprintf(why, cap, "%s is %llu bytes: too short for its meta pages", data,
                 (unsigned long long)w.size);
        close(fd);
        return -1;
    }
    void *map = mmap(NULL, (size_t)w.size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return errno;
    w.map = map;
    /* The page size is in the first meta page; the meta LMDB uses is the one with the
       greater transaction id (mdb_env_pick_meta). */
    w.psize = s_u32(w.map + S_HDR + 24);   /* mm_dbs[FREE_DBI].md_pad */
    if (s_u32(w.map + S_HDR) != S_MAGIC || w.psize < 512 || w.psize > 65536 ||
        (w.psize & (w.psize - 1)) || w.size < 2 * w.psize) {
        snprintf(why, cap, "%s: the first meta page is not LMDB's", data);
        goto out;
    }
    const uint8_t *m0 = w.map + S_HDR, *m1 = w.map + w.psize + S_HDR;
    if (s_u32(m1) != S_MAGIC) {
        snprintf(why, cap, "%s: the second meta page is not LMDB's", data);
        goto out;
    }
    const uint8_t *meta = s_u64(m0 + 128) < s_u64(m1 + 128) ? m1 : m0;
    w.last = s_u64(meta + 120);
    if (w.last < 1 || w.last >= w.size / w.psize) {
        snprintf(why, cap, "%s: its last page %llu is past its %llu bytes", data,
                 (unsigned long long)w.last, (unsigned long long)w.size);
        goto out;
    }
    size_t bits = (size_t)(w.last / 8 + 1);
    w.used = calloc(2, bits);
    w.ends = malloc(w.psize);
    if (!w.used || !w.ends) {
        rc = ENOMEM;
        goto out;
    }
    w.freed = w.used + bits;
    s_db_t free_db, main_db;
    s_db_read(meta + 24, &free_db);
    s_db_read(meta + 24 + S_DB, &main_db);
    free_db.flags = S_DB_INTEGERKEY;   /* its flags field holds the environment's */
    rc = s_walk_db(&w, &main_db, "main", S_F_BIGDATA | S_F_SUBDATA, s_main_leaf);
    if (rc == 0)
        rc = s_walk_db(&w, &free_db, "free", S_F_BIGDATA, s_free_leaf);
    /* A page the free list gives to the next write must be none of the trees' pages
       (the free list's own included): a write there overwrites live data. */
    for (size_t i = 0; rc == 0 && i < bits; i++)
        if (w.used[i] & w.freed[i]) {
            uint64_t pg = (uint64_t)i * 8 + (uint64_t)__builtin_ctz(w.used[i] & w.freed[i]);
            rc = s_bad(&w, "the free list gives page %llu, which a tree uses", U(pg));
        }
out:
    if (rc < 0 && why[0] && strncmp(why, data, strlen(data)) != 0) {
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%s", why);
        snprintf(why, cap, "%s: %s", data, tmp);
    }
    free(w.used);
    free(w.ends);
    munmap(map, (size_t)w.size);
    return rc;
}
