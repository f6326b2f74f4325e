/*  queue: the broker's durable job queue in LMDB. See queue.h for the model.

    Layout, one LMDB environment with six named databases:
        job    id (32 bytes) -> s_rec_t header [+ dead reason bytes]
        art    id -> Article protobuf bytes as submitted
        fifo   seq (8 bytes big-endian, so byte order is numeric order) -> id
        dead   id -> (empty): the dead-letter index, so listing it never scans all jobs
        done   id -> commit wall clock, microseconds (8 bytes)
        meta   name -> value: the broker's own durable settings ("paused" -> 1 byte)

    A job is in `fifo` while queued or in flight. In flight is not stored: it is "seq below
    the in-memory cursor". That keeps dispatch to one read transaction, and makes restart
    recovery free (the cursor starts at 0). Every write goes through s_write, which retries
    with a bigger map when LMDB reports the map full, and applies counter changes only
    after the commit succeeded. */
#include "queue.h"
#include "mdbfile.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define S_DEFAULT_MAP   ((size_t)1 << 30)
#define S_MAX_MAP       ((size_t)1 << 40)
#define S_STATE_QUEUED  1   /* in fifo: queued or in flight */
#define S_STATE_DEAD    3
#define S_META_PAUSED   "paused"
/* LMDB returns MDB_* codes (negative) and errno values (positive): make both negative. */
#define S_NEG(rc)       ((rc) > 0 ? -(rc) : (rc))

/* Fixed header of a `job` record; stored unaligned, so always copied with memcpy. */
typedef struct {
    uint64_t seq;           /* key in fifo while queued/in flight */
    uint64_t submitted_us;  /* producer's submit time, for latency */
    uint32_t attempts;      /* failures counted so far */
    uint8_t state;          /* S_STATE_* */
    uint8_t pad[3];
} s_rec_t;

struct queue_t {
    MDB_env *env;           /* the LMDB environment */
    MDB_dbi job, art, fifo, dead, done, meta;
    MDB_txn *rtxn;          /* reusable read transaction (reset between uses), or NULL */
    size_t map_bytes;       /* current map size, doubled on MDB_MAP_FULL */
    size_t map_max;         /* it never grows past this */
    bool broken;            /* a failed map resize left the env unusable: refuse all */
    bool damaged;           /* LMDB met a damaged page at run time (queue_damaged) */
    int lock_fd;            /* flock'ed file: one broker per queue directory */
    uint64_t cursor;        /* fifo seqs below this are in flight */
    uint64_t next_seq;      /* next fifo seq to assign */
    uint64_t fifo_n;        /* entries in fifo (queued + in flight) */
    uint64_t inflight_n;    /* entries in fifo below the cursor */
    uint64_t dead_n;        /* entries in dead */
    uint64_t done_n;        /* entries in done */
    bool paused;            /* meta "paused", as last read or written */
    uint8_t *buf;           /* copy of the last article returned by queue_next */
    size_t buf_cap;
    uint8_t bad_key[8];     /* fifo key of the last corrupt entry queue_next skipped */
    bool bad_pending;       /* bad_key is set and not yet quarantined */
    char bad_id[UTIL_ID_HEX + 1]; /* its job id when readable, else "" */
    uint32_t bad_attempts;
};

/* Counter changes of one write transaction, applied only once it committed. */
typedef struct {
    int64_t fifo, inflight, dead, done;
    uint64_t next_seq;
} s_delta_t;

typedef int (s_write_fn)(queue_t *self, MDB_txn *txn, void *ctx, s_delta_t *d);

const char *queue_strerror(int rc)
{
    switch (rc) {
    case 0: return "ok";
    case QUEUE_EINVAL: return "invalid argument";
    case QUEUE_ENOTFOUND: return "no such job in that state";
    case QUEUE_ECORRUPT: return "corrupt queue record";
    case QUEUE_EFULL: return "queue storage full";
    case QUEUE_EDAMAGED: return "queue file empty, truncated or missing where a queue existed "
                                "(not recreated: restore it, or move the directory aside)";
    default:
        if (rc >= MDB_KEYEXIST && rc <= MDB_LAST_ERRCODE)
            return mdb_strerror(rc);
        return rc < 0 ? strerror(-rc) : "unknown error";
    }
}

static void s_seq_key(uint64_t seq, uint8_t out[8])
{
    for (int i = 7; i >= 0; i--) {
        out[i] = (uint8_t)(seq & 0xff);
        seq >>= 8;
    }
}

static uint64_t s_seq_from(const void *p)
{
    const uint8_t *b = p;
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = (v << 8) | b[i];
    return v;
}

static MDB_val s_val(const void *p, size_t n)
{
    return (MDB_val){.mv_size = n, .mv_data = (void *)p};
}

/* Reads job `id`'s header and, for dead jobs, its reason (borrowed from the txn). */
static int s_rec_get(queue_t *self, MDB_txn *txn, const char *id, s_rec_t *rec,
                     const char **reason, size_t *reason_len)
{
    MDB_val k = s_val(id, UTIL_ID_HEX), v;
    int rc = mdb_get(txn, self->job, &k, &v);
    if (rc == MDB_NOTFOUND)
        return QUEUE_ENOTFOUND;
    if (rc)
        return rc;
    if (v.mv_size < sizeof *rec)
        return QUEUE_ECORRUPT;
    memcpy(rec, v.mv_data, sizeof *rec);
    if (reason) {
        *reason = (const char *)v.mv_data + sizeof *rec;
        *reason_len = v.mv_size - sizeof *rec;
    }
    return 0;
}

static int s_rec_put(queue_t *self, MDB_txn *txn, const char *id, const s_rec_t *rec,
                     const char *reason)
{
    size_t rlen = reason ? strnlen(reason, QUEUE_MAX_REASON) : 0;
    MDB_val k = s_val(id, UTIL_ID_HEX), v = {.mv_size = sizeof *rec + rlen};
    int rc = mdb_put(txn, self->job, &k, &v, MDB_RESERVE);
    if (rc)
        return rc;
    memcpy(v.mv_data, rec, sizeof *rec);
    if (rlen)
        memcpy((uint8_t *)v.mv_data + sizeof *rec, reason, rlen);
    return 0;
}

/* Removes `rec`'s fifo entry, counting it out of the queued or in-flight totals. */
static int s_fifo_del(queue_t *self, MDB_txn *txn, const s_rec_t *rec, s_delta_t *d)
{
    uint8_t key[8];
    s_seq_key(rec->seq, key);
    MDB_val k = s_val(key, 8);
    int rc = mdb_del(txn, self->fifo, &k, NULL);
    if (rc && rc != MDB_NOTFOUND)
        return rc;
    d->fifo--;
    if (rec->seq < self->cursor)
        d->inflight--;
    return 0;
}

/* Appends `id` at the tail of the fifo, setting rec->seq. */
static int s_fifo_add(queue_t *self, MDB_txn *txn, const char *id, s_rec_t *rec, s_delta_t *d)
{
    uint8_t key[8];
    rec->seq = d->next_seq++;
    s_seq_key(rec->seq, key);
    MDB_val k = s_val(key, 8), v = s_val(id, UTIL_ID_HEX);
    int rc = mdb_put(txn, self->fifo, &k, &v, MDB_APPEND);
    if (rc)
        return rc;
    d->fifo++;
    return 0;
}

/* Notes a damaged page in LMDB's answer `rc`: past it the file can't be trusted, and a
   write on it may take a live page from a damaged free list. Returns rc. */
static int s_watch(queue_t *self, int rc)
{
    /* MDB_BAD_TXN counts too: LMDB meets a damaged page while it opens a cursor, marks
       the transaction failed without saying so, and the next call answers MDB_BAD_TXN.
       A transaction that failed is never reused here (s_read_end, s_write), so a fresh
       one failing this way is the damage. */
    if ((rc == MDB_PAGE_NOTFOUND || rc == MDB_CORRUPTED || rc == MDB_BAD_TXN) && !self->damaged) {
        self->damaged = true;
        util_error("queue: LMDB found a damaged page at run time (%s)", mdb_strerror(rc));
    }
    return rc;
}

bool queue_damaged(const queue_t *self)
{
    return self && self->damaged;
}

/* Ends a read that gave `rc`. A read that failed may leave its transaction unusable
   (LMDB answers MDB_BAD_TXN on it from then on, hiding what went wrong): it is dropped,
   and the next read begins a new one. A damaged page is noted (s_watch). */
static void s_read_end(queue_t *self, int rc)
{
    s_watch(self, rc);
    if (!self->rtxn)
        return;
    bool lmdb_failed = rc > 0 || (rc >= MDB_KEYEXIST && rc <= MDB_LAST_ERRCODE && rc != MDB_NOTFOUND);
    if (!lmdb_failed) {   /* a record of ours was not there or unreadable: the txn is fine */
        mdb_txn_reset(self->rtxn);
    } else {
        mdb_txn_abort(self->rtxn);
        self->rtxn = NULL;
    }
}

static int s_read_begin(queue_t *self, MDB_txn **txn)
{
    int rc;
    if (self->broken)
        return EIO;
    if (self->rtxn)
        rc = mdb_txn_renew(self->rtxn);
    else
        rc = mdb_txn_begin(self->env, NULL, MDB_RDONLY, &self->rtxn);
    if (rc == 0)
        *txn = self->rtxn;
    return rc;
}

/* Runs `fn` in a write transaction and commits it durably. On a full map, grows the map
   and runs it again from scratch (fn must only touch the txn, ctx outputs and `d`).
   Returns 0, or a negative error after aborting (LMDB's positive errno values are
   negated so that every error here is negative). */
static int s_write(queue_t *self, s_write_fn *fn, void *ctx)
{
    for (;;) {
        s_delta_t d = {.next_seq = self->next_seq};
        MDB_txn *txn = NULL;
        if (self->broken)
            return -EIO;
        int rc = mdb_txn_begin(self->env, NULL, 0, &txn);
        if (rc)
            return S_NEG(rc);
        rc = s_watch(self, fn(self, txn, ctx, &d));
        if (rc) {
            mdb_txn_abort(txn);
        } else {
            rc = s_watch(self, mdb_txn_commit(txn));
        }
        if (rc == MDB_MAP_FULL) {
            if (self->map_bytes >= self->map_max)
                return QUEUE_EFULL;
            /* Resizing needs no transaction open in this process. */
            if (self->rtxn) {
                mdb_txn_abort(self->rtxn);
                self->rtxn = NULL;
            }
            size_t want = self->map_bytes * 2;
            if (want > self->map_max)
                want = self->map_max;
            if (mdb_env_set_mapsize(self->env, want) != 0) {
                /* The old map is gone: map the old size again, or every later call would
                   touch a map that is not there (SIGSEGV in mdb_txn_begin). */
                if (mdb_env_set_mapsize(self->env, self->map_bytes) != 0) {
                    util_error("queue: cannot map the queue again after a failed growth");
                    self->broken = true;
                    return -EIO;
                }
                self->map_max = self->map_bytes;   /* growing again would fail again */
                util_warn("queue: cannot grow the map past %zu MiB: queue full", self->map_bytes >> 20);
                return QUEUE_EFULL;
            }
            self->map_bytes = want;
            util_info("queue: map grown to %zu MiB", want >> 20);
            continue;
        }
        if (rc)
            return S_NEG(rc);
        self->fifo_n = (uint64_t)((int64_t)self->fifo_n + d.fifo);
        self->inflight_n = (uint64_t)((int64_t)self->inflight_n + d.inflight);
        self->dead_n = (uint64_t)((int64_t)self->dead_n + d.dead);
        self->done_n = (uint64_t)((int64_t)self->done_n + d.done);
        self->next_seq = d.next_seq;
        return 0;
    }
}

/* Reads every record of every database of the environment in `dir`, read-only. Runs in
   a child process: LMDB trusts its pages, and a damaged page can crash the reader, so a
   crash here is an answer, not the broker's death. Exits 0 when all was read, 2 on an
   LMDB error, 3 when the file is shorter than its last page. */
static void s_check_child(const char *dir, size_t map_bytes)
{
    MDB_env *env;
    MDB_txn *txn;
    MDB_cursor *cur, *c2;
    MDB_dbi main_dbi, dbi;
    MDB_val k, v, k2, v2;
    volatile uint8_t sink = 0;
    /* A crash is the expected answer for a damaged file: no sanitizer report for it. */
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    if (mdb_env_create(&env) || mdb_env_set_maxdbs(env, 8) || mdb_env_set_mapsize(env, map_bytes) ||
        mdb_env_open(env, dir, MDB_RDONLY | MDB_NOLOCK, 0600))
        _exit(2);
    /* Pages past the end of a truncated file are SIGBUS: measure before reading. */
    char data[4096], why[256];
    snprintf(data, sizeof data, "%s/data.mdb", dir);
    int src = mdbfile_check_size(env, data, why, sizeof why);
    if (src)
        _exit(src < 0 ? 3 : 2);
    if (mdb_txn_begin(env, NULL, MDB_RDONLY, &txn) || mdb_dbi_open(txn, NULL, 0, &main_dbi) ||
        mdb_cursor_open(txn, main_dbi, &cur))
        _exit(2);
    int rc;
    while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0) {
        char name[64];
        if (k.mv_size == 0 || k.mv_size >= sizeof name)
            _exit(2);
        memcpy(name, k.mv_data, k.mv_size);
        name[k.mv_size] = 0;
        if (mdb_dbi_open(txn, name, 0, &dbi) || mdb_cursor_open(txn, dbi, &c2))
            _exit(2);
        while ((rc = mdb_cursor_get(c2, &k2, &v2, MDB_NEXT)) == 0) {
            for (size_t i = 0; i < k2.mv_size; i += 64)
                sink ^= ((const uint8_t *)k2.mv_data)[i];
            for (size_t i = 0; i < v2.mv_size; i += 512)
                sink ^= ((const uint8_t *)v2.mv_data)[i];
        }
        if (rc != MDB_NOTFOUND)
            _exit(2);
        mdb_cursor_close(c2);
    }
    /* The free list's pages were checked before this child ran (mdbfile_check_pages). */
    _exit(rc == MDB_NOTFOUND ? 0 : 2);
}

/* Checks that LMDB can read the whole queue in `dir` (see s_check_child). Returns 0, or
   QUEUE_EDAMAGED with the failure logged. */
static int s_check(const char *dir, size_t map_bytes)
{
    pid_t pid = fork();
    if (pid < 0)
        return 0;   /* can't check: the open goes on as before */
    if (pid == 0)
        s_check_child(dir, map_bytes);
    int status = 0;
    for (int waited = 0; waitpid(pid, &status, WNOHANG) != pid; waited++) {
        if (waited > 6000) {   /* 60 s: a damaged tree can loop */
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            util_error("queue: reading %s/data.mdb did not end in 60 s: damaged", dir);
            return QUEUE_EDAMAGED;
        }
        usleep(10000);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
        util_error("queue: %s/data.mdb is shorter than its last page: truncated", dir);
    else if (WIFSIGNALED(status))
        util_error("queue: reading %s/data.mdb crashed (signal %d): its pages are damaged",
                   dir, WTERMSIG(status));
    else
        util_error("queue: LMDB cannot read all of %s/data.mdb: damaged", dir);
    return QUEUE_EDAMAGED;
}

int queue_open(const char *dir, size_t map_bytes, queue_t **out)
{
    if (!dir || !out)
        return QUEUE_EINVAL;
    *out = NULL;
    queue_t *self = util_calloc(1, sizeof *self);
    self->lock_fd = -1;
    self->map_bytes = map_bytes ? map_bytes : S_DEFAULT_MAP;
    self->map_max = S_MAX_MAP;
    MDB_txn *txn = NULL;
    MDB_cursor *cur = NULL;
    char path[4096];
    int rc = util_mkdirs(dir);
    if (rc)
        goto fail;
    /* LMDB would happily let two brokers share the files; the in-memory cursor would not. */
    snprintf(path, sizeof path, "%s/broker.lock", dir);
    self->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (self->lock_fd < 0) {
        rc = -errno;
        goto fail;
    }
    if (flock(self->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
        goto fail;
    }
    /* LMDB makes a fresh environment of an empty or missing file: that would silently
       drop every acknowledged job. A marker says a queue was made here once. */
    char data[4096], marker[4096];
    snprintf(data, sizeof data, "%s/data.mdb", dir);
    snprintf(marker, sizeof marker, "%s/broker.created", dir);
    char why[4096 + 128];
    uint64_t size;
    if (mdbfile_check_before(data, marker, &size, why, sizeof why) != 0) {
        util_error("queue: %s", why);
        rc = QUEUE_EDAMAGED;
        goto fail;
    }
    /* A damaged file is refused here, before it can crash the broker mid-run: first its
       pages, read as bytes (a damaged header or free list passes LMDB's own reads and
       breaks its writes), then every record through LMDB, in a child. */
    if (size) {
        int prc = mdbfile_check_pages(data, why, sizeof why);
        if (prc < 0) {
            util_error("queue: %s: the queue is damaged", why);
            rc = QUEUE_EDAMAGED;
            goto fail;
        }
        if (prc > 0)
            util_warn("queue: cannot read %s to check its pages: %s", data, strerror(prc));
        size_t m = self->map_bytes > (size_t)size ? self->map_bytes : (size_t)size;
        if ((rc = s_check(dir, m)) != 0)
            goto fail;
    }
    if ((rc = mdb_env_create(&self->env)) != 0)
        goto fail;
    mdb_env_set_maxdbs(self->env, 8);
    mdb_env_set_mapsize(self->env, self->map_bytes);
    if ((rc = mdb_env_open(self->env, dir, 0, 0600)) != 0)
        goto fail;
    /* A file cut short maps pages that are not there: the first touch is SIGBUS. */
    if ((rc = mdbfile_check_size(self->env, data, why, sizeof why)) != 0) {
        if (rc < 0) {
            util_error("queue: %s", why);
            rc = QUEUE_EDAMAGED;
        }
        goto fail;
    }
    MDB_envinfo info;
    if ((rc = mdb_env_info(self->env, &info)) != 0)
        goto fail;
    if (info.me_mapsize > self->map_bytes)
        self->map_bytes = info.me_mapsize;
    int stale = 0;
    mdb_reader_check(self->env, &stale);
    if ((rc = mdb_txn_begin(self->env, NULL, 0, &txn)) != 0)
        goto fail;
    if ((rc = mdb_dbi_open(txn, "job", MDB_CREATE, &self->job)) != 0 ||
        (rc = mdb_dbi_open(txn, "art", MDB_CREATE, &self->art)) != 0 ||
        (rc = mdb_dbi_open(txn, "fifo", MDB_CREATE, &self->fifo)) != 0 ||
        (rc = mdb_dbi_open(txn, "dead", MDB_CREATE, &self->dead)) != 0 ||
        (rc = mdb_dbi_open(txn, "done", MDB_CREATE, &self->done)) != 0 ||
        (rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &self->meta)) != 0)
        goto fail;
    MDB_val mk = s_val(S_META_PAUSED, strlen(S_META_PAUSED)), mv;
    rc = mdb_get(txn, self->meta, &mk, &mv);
    if (rc == 0)
        self->paused = mv.mv_size == 1 && ((const uint8_t *)mv.mv_data)[0] == 1;
    else if (rc != MDB_NOTFOUND)
        goto fail;
    MDB_stat st;
    if ((rc = mdb_stat(txn, self->fifo, &st)) != 0)
        goto fail;
    self->fifo_n = st.ms_entries;
    if ((rc = mdb_stat(txn, self->dead, &st)) != 0)
        goto fail;
    self->dead_n = st.ms_entries;
    if ((rc = mdb_stat(txn, self->done, &st)) != 0)
        goto fail;
    self->done_n = st.ms_entries;
    self->next_seq = 1;
    if ((rc = mdb_cursor_open(txn, self->fifo, &cur)) != 0)
        goto fail;
    MDB_val k, v;
    rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
    if (rc == 0 && k.mv_size == 8)
        self->next_seq = s_seq_from(k.mv_data) + 1;
    else if (rc && rc != MDB_NOTFOUND)
        goto fail;
    mdb_cursor_close(cur);
    cur = NULL;
    if ((rc = mdb_txn_commit(txn)) != 0) {
        txn = NULL;
        goto fail;
    }
    txn = NULL;
    mdbfile_mark(marker);
    *out = self;
    return 0;
fail:
    if (cur)
        mdb_cursor_close(cur);
    if (txn)
        mdb_txn_abort(txn);
    if (self->env)
        mdb_env_close(self->env);
    if (self->lock_fd >= 0)
        close(self->lock_fd);
    free(self);
    return rc ? S_NEG(rc) : QUEUE_EINVAL;
}

void queue_destroy(queue_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    queue_t *self = *self_p;
    if (self->rtxn)
        mdb_txn_abort(self->rtxn);
    mdb_env_close(self->env);
    if (self->lock_fd >= 0)
        close(self->lock_fd);
    free(self->buf);
    free(self);
    *self_p = NULL;
}

static int s_put_batch(queue_t *self, MDB_txn *txn, void *ctx, s_delta_t *d)
{
    struct { queue_item_t *items; size_t n; } *c = ctx;
    uint64_t now = util_wall_us();
    for (size_t i = 0; i < c->n; i++) {
        queue_item_t *it = &c->items[i];
        it->added = false;
        MDB_val k = s_val(it->id, UTIL_ID_HEX), v;
        int rc = mdb_get(txn, self->job, &k, &v);
        if (rc == 0)
            continue;
        if (rc != MDB_NOTFOUND)
            return rc;
        rc = mdb_get(txn, self->done, &k, &v);
        if (rc == 0)
            continue;
        if (rc != MDB_NOTFOUND)
            return rc;
        s_rec_t rec = {.submitted_us = it->submitted_us ? it->submitted_us : now,
                       .state = S_STATE_QUEUED};
        if ((rc = s_fifo_add(self, txn, it->id, &rec, d)) != 0 ||
            (rc = s_rec_put(self, txn, it->id, &rec, NULL)) != 0)
            return rc;
        v = s_val(it->article, it->len);
        if ((rc = mdb_put(txn, self->art, &k, &v, 0)) != 0)
            return rc;
        it->added = true;
    }
    return 0;
}

/* Room in the map, in pages, once it can't grow: pages never used plus the free list
   (pages LMDB reuses). Returns 0 or an LMDB error. */
static int s_room(queue_t *self, uint64_t *pages, uint64_t *psize)
{
    MDB_envinfo info;
    MDB_stat st;
    int rc;
    if ((rc = mdb_env_info(self->env, &info)) != 0 || (rc = mdb_env_stat(self->env, &st)) != 0)
        return rc;
    *psize = st.ms_psize;
    uint64_t total = self->map_bytes / st.ms_psize;
    uint64_t used = (uint64_t)info.me_last_pgno + 1;
    uint64_t free_pages = 0;
    MDB_txn *txn;
    if ((rc = s_read_begin(self, &txn)) != 0)
        return rc;
    MDB_cursor *cur;
    if ((rc = mdb_cursor_open(txn, 0 /* the free list */, &cur)) == 0) {
        MDB_val k, v;
        while ((rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) == 0)
            if (v.mv_size >= sizeof(size_t)) {
                size_t cnt;
                memcpy(&cnt, v.mv_data, sizeof cnt);
                free_pages += cnt;
            }
        mdb_cursor_close(cur);
        if (rc == MDB_NOTFOUND)
            rc = 0;
    }
    s_read_end(self, rc);
    *pages = (total > used ? total - used : 0) + free_pages;
    return rc;
}

int queue_put_batch(queue_t *self, queue_item_t *items, size_t n)
{
    if (!self || (n && !items))
        return QUEUE_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!items[i].id || !util_is_job_id(items[i].id, strlen(items[i].id)) ||
            (items[i].len && !items[i].article))
            return QUEUE_EINVAL;
    if (n == 0)
        return 0;
    if (self->map_bytes >= self->map_max) {
        /* New work must leave room for the writes that finish old work (done, fail,
           requeue): a map filled by SUBMITs to the last page could not even mark a job
           done, and nothing would ever free it. Keep 1/8 of the map, at least 64 pages. */
        uint64_t room, psize;
        int rc = s_room(self, &room, &psize);
        if (rc)
            return S_NEG(rc);
        uint64_t bytes = 0;
        for (size_t i = 0; i < n; i++)
            bytes += items[i].len + 256;
        uint64_t need = bytes / psize + 2 * n + 16;
        uint64_t reserve = self->map_bytes / psize / 8;
        if (reserve < 64)
            reserve = 64;
        if (need + reserve > room)
            return QUEUE_EFULL;
    }
    struct { queue_item_t *items; size_t n; } c = {items, n};
    return s_write(self, s_put_batch, &c);
}

int queue_state(queue_t *self, const char *id, queue_state_t *state, uint32_t *attempts)
{
    if (!self || !id || !state || !util_is_job_id(id, strlen(id)))
        return QUEUE_EINVAL;
    *state = QUEUE_UNKNOWN;
    if (attempts)
        *attempts = 0;
    MDB_txn *txn;
    int rc = s_read_begin(self, &txn);
    if (rc)
        return S_NEG(rc);
    s_rec_t rec;
    rc = s_rec_get(self, txn, id, &rec, NULL, NULL);
    if (rc == 0) {
        if (rec.state == S_STATE_DEAD)
            *state = QUEUE_DEAD;
        else
            *state = rec.seq < self->cursor ? QUEUE_INFLIGHT : QUEUE_QUEUED;
        if (attempts)
            *attempts = rec.attempts;
    } else if (rc == QUEUE_ENOTFOUND) {
        MDB_val k = s_val(id, UTIL_ID_HEX), v;
        rc = mdb_get(txn, self->done, &k, &v);
        if (rc == 0)
            *state = QUEUE_DONE;
        else if (rc == MDB_NOTFOUND)
            rc = 0;
    }
    s_read_end(self, rc);
    return S_NEG(rc);
}

int queue_next(queue_t *self, char id[UTIL_ID_HEX + 1], uint32_t *attempts,
               const void **article, size_t *len)
{
    if (!self || !id || !attempts || !article || !len)
        return QUEUE_EINVAL;
    if (self->fifo_n == self->inflight_n)
        return 0;
    MDB_txn *txn;
    MDB_cursor *cur = NULL;
    int got = 0;
    int rc = s_read_begin(self, &txn);
    if (rc)
        return S_NEG(rc);
    if ((rc = mdb_cursor_open(txn, self->fifo, &cur)) != 0)
        goto leave;
    uint8_t key[8];
    s_seq_key(self->cursor, key);
    MDB_val k = s_val(key, 8), v;
    rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    if (rc == MDB_NOTFOUND) {
        /* The counts say jobs wait, the fifo holds none past the cursor: its pages or
           the counts are damaged, and dispatch would idle for ever on them. */
        if (!self->damaged) {
            self->damaged = true;
            util_error("queue: the fifo holds no job past the cursor where %" PRIu64
                       " are counted: damaged", self->fifo_n - self->inflight_n);
        }
        rc = 0;
        goto leave;
    }
    if (rc)
        goto leave;
    if (k.mv_size != 8 || v.mv_size != UTIL_ID_HEX || !util_is_job_id(v.mv_data, v.mv_size)) {
        /* A damaged fifo entry: step over it once and remember it for queue_quarantine,
           never return it again (looping on it stopped the broker answering). */
        self->bad_pending = k.mv_size == 8;
        if (k.mv_size == 8)
            memcpy(self->bad_key, k.mv_data, 8);
        self->bad_id[0] = 0;
        self->bad_attempts = 0;
        if (k.mv_size == 8 && s_seq_from(k.mv_data) >= self->cursor)
            self->cursor = s_seq_from(k.mv_data) + 1;
        else
            self->cursor++;
        self->inflight_n++;
        rc = QUEUE_ECORRUPT;
        goto leave;
    }
    uint64_t seq = s_seq_from(k.mv_data);
    memcpy(id, v.mv_data, UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    s_rec_t rec;
    MDB_val ak = s_val(id, UTIL_ID_HEX), av;
    rc = s_rec_get(self, txn, id, &rec, NULL, NULL);
    if (rc == 0)
        rc = mdb_get(txn, self->art, &ak, &av);
    if (rc == 0 && (rec.state != S_STATE_QUEUED || rec.seq != seq))
        rc = QUEUE_ECORRUPT;   /* the job record disagrees with the fifo */
    if (rc == QUEUE_ENOTFOUND || rc == QUEUE_ECORRUPT || rc == MDB_NOTFOUND) {
        /* A fifo entry without its records: step over it (it counts as in flight until
           quarantined or the next open) so one bad entry can't stall dispatch forever. */
        self->cursor = seq + 1;
        self->inflight_n++;
        memcpy(self->bad_key, k.mv_data, 8);
        self->bad_pending = true;
        memcpy(self->bad_id, id, UTIL_ID_HEX + 1);
        self->bad_attempts = rc == QUEUE_ECORRUPT ? 0 : rec.attempts;
        rc = QUEUE_ECORRUPT;
        goto leave;
    }
    if (rc)
        goto leave;
    if (av.mv_size > self->buf_cap) {
        self->buf_cap = av.mv_size + av.mv_size / 2 + 64;
        free(self->buf);
        self->buf = util_malloc(self->buf_cap);
    }
    memcpy(self->buf, av.mv_data, av.mv_size);
    *article = self->buf;
    *len = av.mv_size;
    *attempts = rec.attempts;
    self->cursor = seq + 1;
    self->inflight_n++;
    got = 1;
leave:
    if (cur)
        mdb_cursor_close(cur);
    s_read_end(self, rc);
    return rc ? S_NEG(rc) : got;
}

static int s_done(queue_t *self, MDB_txn *txn, void *ctx, s_delta_t *d)
{
    struct { queue_done_t *items; size_t n; int removed; } *c = ctx;
    uint8_t now[8];
    s_seq_key(util_wall_us(), now);
    c->removed = 0;
    for (size_t i = 0; i < c->n; i++) {
        queue_done_t *it = &c->items[i];
        it->removed = false;
        it->submitted_us = 0;
        s_rec_t rec;
        int rc = s_rec_get(self, txn, it->id, &rec, NULL, NULL);
        if (rc == QUEUE_ENOTFOUND)
            continue;
        if (rc)
            return rc;
        MDB_val k = s_val(it->id, UTIL_ID_HEX), v = s_val(now, 8);
        if (rec.state == S_STATE_DEAD) {
            rc = mdb_del(txn, self->dead, &k, NULL);
            if (rc && rc != MDB_NOTFOUND)
                return rc;
            d->dead--;
        } else if ((rc = s_fifo_del(self, txn, &rec, d)) != 0) {
            return rc;
        }
        if ((rc = mdb_del(txn, self->job, &k, NULL)) != 0)
            return rc;
        rc = mdb_del(txn, self->art, &k, NULL);
        if (rc && rc != MDB_NOTFOUND)
            return rc;
        if ((rc = mdb_put(txn, self->done, &k, &v, 0)) != 0)
            return rc;
        d->done++;
        it->removed = true;
        it->submitted_us = rec.submitted_us;
        c->removed++;
    }
    return 0;
}

int queue_done(queue_t *self, queue_done_t *items, size_t n)
{
    if (!self || (n && !items))
        return QUEUE_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!items[i].id || !util_is_job_id(items[i].id, strlen(items[i].id)))
            return QUEUE_EINVAL;
    if (n == 0)
        return 0;
    struct { queue_done_t *items; size_t n; int removed; } c = {items, n, 0};
    int rc = s_write(self, s_done, &c);
    return rc ? rc : c.removed;
}

static int s_fail_one(queue_t *self, MDB_txn *txn, queue_fail_item_t *it,
                      uint32_t max_attempts, s_delta_t *d)
{
    s_rec_t rec;
    int rc = s_rec_get(self, txn, it->id, &rec, NULL, NULL);
    if (rc)
        return rc;
    if (rec.state == S_STATE_DEAD)
        return QUEUE_ENOTFOUND;
    if ((rc = s_fifo_del(self, txn, &rec, d)) != 0)
        return rc;
    if (it->count && rec.attempts < UINT32_MAX)
        rec.attempts++;
    if (it->count && (it->permanent || rec.attempts >= max_attempts)) {
        rec.state = S_STATE_DEAD;
        rec.seq = 0;
        MDB_val k = s_val(it->id, UTIL_ID_HEX), v = s_val("", 0);
        if ((rc = mdb_put(txn, self->dead, &k, &v, 0)) != 0)
            return rc;
        d->dead++;
        it->outcome = QUEUE_KILLED;
        return s_rec_put(self, txn, it->id, &rec, it->reason ? it->reason : "unknown");
    }
    if ((rc = s_fifo_add(self, txn, it->id, &rec, d)) != 0)
        return rc;
    it->outcome = QUEUE_REQUEUED;
    return s_rec_put(self, txn, it->id, &rec, NULL);
}

typedef struct {
    queue_fail_item_t *items;
    size_t n;
    uint32_t max_attempts;
} s_fail_ctx_t;

static int s_fail(queue_t *self, MDB_txn *txn, void *ctx, s_delta_t *d)
{
    s_fail_ctx_t *c = ctx;
    for (size_t i = 0; i < c->n; i++) {
        queue_fail_item_t *it = &c->items[i];
        it->outcome = 0;
        int rc = s_fail_one(self, txn, it, c->max_attempts, d);
        if (rc == QUEUE_ENOTFOUND)
            continue;
        if (rc)
            return rc;
    }
    return 0;
}

int queue_fail_batch(queue_t *self, queue_fail_item_t *items, size_t n, uint32_t max_attempts)
{
    if (!self || (n && !items) || max_attempts == 0)
        return QUEUE_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!items[i].id || !util_is_job_id(items[i].id, strlen(items[i].id)))
            return QUEUE_EINVAL;
    if (n == 0)
        return 0;
    s_fail_ctx_t c = {items, n, max_attempts};
    return s_write(self, s_fail, &c);
}

int queue_fail(queue_t *self, const char *id, const char *reason, bool permanent,
               uint32_t max_attempts, queue_fail_t *outcome)
{
    queue_fail_item_t it = {.id = id, .reason = reason, .permanent = permanent, .count = true};
    int rc = queue_fail_batch(self, id ? &it : NULL, id ? 1 : 0, max_attempts);
    if (rc == 0 && !id)
        rc = QUEUE_EINVAL;
    if (rc == 0 && it.outcome == 0)
        rc = QUEUE_ENOTFOUND;
    if (rc == 0 && outcome)
        *outcome = it.outcome;
    return rc;
}

int queue_requeue(queue_t *self, const char *id)
{
    queue_fail_item_t it = {.id = id, .count = false};
    int rc = queue_fail_batch(self, id ? &it : NULL, id ? 1 : 0, 1);
    if (rc == 0 && !id)
        rc = QUEUE_EINVAL;
    if (rc == 0 && it.outcome == 0)
        rc = QUEUE_ENOTFOUND;
    return rc;
}

/* Revives one dead job; sets *revived when it was dead. */
static int s_revive(queue_t *self, MDB_txn *txn, const char *id, s_delta_t *d, bool *revived)
{
    *revived = false;
    s_rec_t rec;
    int rc = s_rec_get(self, txn, id, &rec, NULL, NULL);
    if (rc == QUEUE_ENOTFOUND)
        return 0;
    if (rc)
        return rc;
    if (rec.state != S_STATE_DEAD)
        return 0;
    MDB_val k = s_val(id, UTIL_ID_HEX);
    rc = mdb_del(txn, self->dead, &k, NULL);
    if (rc && rc != MDB_NOTFOUND)
        return rc;
    d->dead--;
    rec.state = S_STATE_QUEUED;
    rec.attempts = 0;
    if ((rc = s_fifo_add(self, txn, id, &rec, d)) != 0 ||
        (rc = s_rec_put(self, txn, id, &rec, NULL)) != 0)
        return rc;
    *revived = true;
    return 0;
}

static int s_requeue_dead(queue_t *self, MDB_txn *txn, void *ctx, s_delta_t *d)
{
    bool revived;
    int rc = s_revive(self, txn, ctx, d, &revived);
    return rc ? rc : revived ? 0 : QUEUE_ENOTFOUND;
}

int queue_requeue_dead(queue_t *self, const char *id)
{
    if (!self || !id || !util_is_job_id(id, strlen(id)))
        return QUEUE_EINVAL;
    return s_write(self, s_requeue_dead, (void *)id);
}

static int s_requeue_all(queue_t *self, MDB_txn *txn, void *ctx, s_delta_t *d)
{
    int64_t *n = ctx;
    *n = 0;
    MDB_cursor *cur;
    int rc = mdb_cursor_open(txn, self->dead, &cur);
    if (rc)
        return rc;
    MDB_val k, v;
    char id[UTIL_ID_HEX + 1];
    /* Always take the first: s_revive deletes it from `dead`. */
    while ((rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST)) == 0) {
        bool revived = false;
        if (k.mv_size == UTIL_ID_HEX) {
            memcpy(id, k.mv_data, UTIL_ID_HEX);
            id[UTIL_ID_HEX] = 0;
            if ((rc = s_revive(self, txn, id, d, &revived)) != 0)
                break;
        }
        if (revived) {
            (*n)++;
        } else {
            /* An index entry without a dead record behind it: drop it. */
            if ((rc = mdb_cursor_del(cur, 0)) != 0)
                break;
            d->dead--;
        }
    }
    mdb_cursor_close(cur);
    return rc == MDB_NOTFOUND ? 0 : rc;
}

int64_t queue_requeue_all_dead(queue_t *self)
{
    if (!self)
        return QUEUE_EINVAL;
    int64_t n = 0;
    int rc = s_write(self, s_requeue_all, &n);
    return rc ? rc : n;
}

/* Calls fn for job `id` within read txn `txn`: only a dead one when `dead_only`. */
static int s_visit(queue_t *self, MDB_txn *txn, const char *id, bool dead_only,
                   queue_dead_fn *fn, void *arg, int *stop)
{
    s_rec_t rec;
    const char *reason;
    size_t rlen;
    int rc = s_rec_get(self, txn, id, &rec, &reason, &rlen);
    if (rc)
        return rc;
    if (dead_only && rec.state != S_STATE_DEAD)
        return QUEUE_ENOTFOUND;
    if (rec.state != S_STATE_DEAD)
        rlen = 0;
    char rbuf[QUEUE_MAX_REASON + 1];
    if (rlen > QUEUE_MAX_REASON)
        rlen = QUEUE_MAX_REASON;
    memcpy(rbuf, reason, rlen);
    rbuf[rlen] = 0;
    MDB_val k = s_val(id, UTIL_ID_HEX), av = {0};
    rc = mdb_get(txn, self->art, &k, &av);
    if (rc && rc != MDB_NOTFOUND)
        return rc;
    *stop = fn(id, rec.attempts, rbuf, av.mv_data, av.mv_size, arg);
    return 0;
}

int64_t queue_dead_list(queue_t *self, size_t limit, queue_dead_fn *fn, void *arg)
{
    if (!self || !fn)
        return QUEUE_EINVAL;
    MDB_txn *txn;
    MDB_cursor *cur = NULL;
    int rc = s_read_begin(self, &txn);
    if (rc)
        return S_NEG(rc);
    int64_t n = 0;
    if ((rc = mdb_cursor_open(txn, self->dead, &cur)) != 0)
        goto leave;
    MDB_val k, v;
    char id[UTIL_ID_HEX + 1];
    int stop = 0;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && !stop;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (limit && (size_t)n >= limit)
            break;
        if (k.mv_size != UTIL_ID_HEX)
            continue;
        memcpy(id, k.mv_data, UTIL_ID_HEX);
        id[UTIL_ID_HEX] = 0;
        int vrc = s_visit(self, txn, id, true, fn, arg, &stop);
        if (vrc == 0)
            n++;
        else if (vrc != QUEUE_ENOTFOUND) {
            rc = vrc;
            goto leave;
        }
    }
    rc = 0;
leave:
    if (cur)
        mdb_cursor_close(cur);
    s_read_end(self, rc);
    return rc ? S_NEG(rc) : n;
}

int queue_dead_get(queue_t *self, const char *id, queue_dead_fn *fn, void *arg)
{
    if (!self || !fn || !id || !util_is_job_id(id, strlen(id)))
        return QUEUE_EINVAL;
    MDB_txn *txn;
    int rc = s_read_begin(self, &txn);
    if (rc)
        return S_NEG(rc);
    int stop = 0;
    rc = s_visit(self, txn, id, true, fn, arg, &stop);
    s_read_end(self, rc);
    return S_NEG(rc);
}

int queue_job_get(queue_t *self, const char *id, queue_dead_fn *fn, void *arg)
{
    if (!self || !fn || !id || !util_is_job_id(id, strlen(id)))
        return QUEUE_EINVAL;
    MDB_txn *txn;
    int rc = s_read_begin(self, &txn);
    if (rc)
        return S_NEG(rc);
    int stop = 0;
    rc = s_visit(self, txn, id, false, fn, arg, &stop);
    s_read_end(self, rc);
    return S_NEG(rc);
}

int64_t queue_queued_list(queue_t *self, size_t limit, queue_dead_fn *fn, void *arg)
{
    if (!self || !fn)
        return QUEUE_EINVAL;
    MDB_txn *txn;
    MDB_cursor *cur = NULL;
    int rc = s_read_begin(self, &txn);
    if (rc)
        return S_NEG(rc);
    int64_t n = 0;
    if ((rc = mdb_cursor_open(txn, self->fifo, &cur)) != 0)
        goto leave;
    uint8_t key[8];
    s_seq_key(self->cursor, key);
    MDB_val k = s_val(key, 8), v;
    char id[UTIL_ID_HEX + 1];
    int stop = 0;
    for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0 && !stop;
         rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
        if (limit && (size_t)n >= limit)
            break;
        if (v.mv_size != UTIL_ID_HEX)
            continue;
        memcpy(id, v.mv_data, UTIL_ID_HEX);
        id[UTIL_ID_HEX] = 0;
        if (s_visit(self, txn, id, false, fn, arg, &stop) == 0)
            n++;
    }
    rc = rc == MDB_NOTFOUND ? 0 : rc;
leave:
    if (cur)
        mdb_cursor_close(cur);
    s_read_end(self, rc);
    return rc ? S_NEG(rc) : n;
}

static int s_quarantine(queue_t *self, MDB_txn *txn, void *ctx, s_delta_t *d)
{
    const char *reason = ctx;
    MDB_val k = s_val(self->bad_key, 8), v;
    int rc = mdb_get(txn, self->fifo, &k, &v);
    if (rc == 0) {
        if ((rc = mdb_del(txn, self->fifo, &k, NULL)) != 0)
            return rc;
        d->fifo--;
        if (s_seq_from(self->bad_key) < self->cursor)
            d->inflight--;
    } else if (rc != MDB_NOTFOUND) {
        return rc;
    }
    if (!self->bad_id[0]) {
        /* The entry's id is unreadable: find the job whose record points at this seq (a
           scan, but only ever for a damaged entry), so it is not left orphaned. */
        MDB_cursor *cur;
        if ((rc = mdb_cursor_open(txn, self->job, &cur)) != 0)
            return rc;
        uint64_t seq = s_seq_from(self->bad_key);
        MDB_val jk, jv;
        while ((rc = mdb_cursor_get(cur, &jk, &jv, MDB_NEXT)) == 0) {
            s_rec_t rec;
            if (jk.mv_size != UTIL_ID_HEX || jv.mv_size < sizeof rec)
                continue;
            memcpy(&rec, jv.mv_data, sizeof rec);
            if (rec.state == S_STATE_QUEUED && rec.seq == seq &&
                util_is_job_id(jk.mv_data, jk.mv_size)) {
                memcpy(self->bad_id, jk.mv_data, UTIL_ID_HEX);
                self->bad_id[UTIL_ID_HEX] = 0;
                break;
            }
        }
        mdb_cursor_close(cur);
        if (rc && rc != MDB_NOTFOUND)
            return rc;
        if (!self->bad_id[0])
            return 0;
    }
    /* The id is known: keep the job visible, in the dead-letter set with why. Its
       article may be gone (dead-show then has no title); requeue needs the article. */
    s_rec_t rec;
    int grc = s_rec_get(self, txn, self->bad_id, &rec, NULL, NULL);
    if (grc == 0 && rec.state == S_STATE_DEAD)
        return 0;
    MDB_val ak = s_val(self->bad_id, UTIL_ID_HEX), av;
    if (grc == 0 && rec.seq != s_seq_from(self->bad_key) &&
        mdb_get(txn, self->art, &ak, &av) == 0)
        return 0;   /* a stale fifo entry of a job queued elsewhere: dropping it is enough */
    s_rec_t dead = {.attempts = grc == 0 ? rec.attempts : self->bad_attempts,
                    .submitted_us = grc == 0 ? rec.submitted_us : 0, .state = S_STATE_DEAD};
    MDB_val dk = s_val(self->bad_id, UTIL_ID_HEX), dv = s_val("", 0);
    if ((rc = mdb_put(txn, self->dead, &dk, &dv, 0)) != 0)
        return rc;
    d->dead++;
    return s_rec_put(self, txn, self->bad_id, &dead, reason);
}

int queue_quarantine(queue_t *self, const char *reason, char id[UTIL_ID_HEX + 1])
{
    if (!self || !reason)
        return QUEUE_EINVAL;
    if (id)
        id[0] = 0;
    if (!self->bad_pending)
        return QUEUE_ENOTFOUND;
    self->bad_pending = false;
    int rc = s_write(self, s_quarantine, (void *)reason);
    if (id)
        memcpy(id, self->bad_id, UTIL_ID_HEX + 1);
    return rc;
}

static int s_set_paused(queue_t *self, MDB_txn *txn, void *ctx, s_delta_t *d)
{
    uint8_t v = *(const bool *)ctx ? 1 : 0;
    MDB_val k = s_val(S_META_PAUSED, strlen(S_META_PAUSED)), val = s_val(&v, 1);
    return mdb_put(txn, self->meta, &k, &val, 0);
}

int queue_set_paused(queue_t *self, bool paused)
{
    if (!self)
        return QUEUE_EINVAL;
    int rc = s_write(self, s_set_paused, &paused);
    if (rc == 0)
        self->paused = paused;
    return rc;
}

bool queue_paused(queue_t *self)
{
    return self && self->paused;
}

void queue_set_map_max(queue_t *self, size_t bytes)
{
    self->map_max = bytes && bytes > self->map_bytes ? bytes : self->map_bytes;
}

void queue_stats(queue_t *self, queue_stats_t *out)
{
    out->queued = self->fifo_n - self->inflight_n;
    out->inflight = self->inflight_n;
    out->dead = self->dead_n;
    out->done = self->done_n;
}
