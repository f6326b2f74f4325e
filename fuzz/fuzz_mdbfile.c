/*  libFuzzer harness: the page check of an LMDB file (proto/mdbfile.h), which reads a
    file that may hold any bytes. Random files rarely get past the meta page, so the
    input patches a real one: at start an LMDB file is made with named databases deep
    enough for branch pages, values big enough for overflow pages, and deletions that
    fill a free list. Each input is a list of patches, each a 2-byte little-endian offset
    (modulo the file's size), a length byte and that many bytes written there. The
    patched file must give an answer (sound, or damaged with a reason) and never read out
    of bounds. */
#include <fcntl.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mdbfile.h"

static uint8_t *s_template;
static size_t s_size;
static char s_path[64];
static int s_fd = -1;

static void s_make_template(void)
{
    char dir[] = "/tmp/fuzz_mdbfile.XXXXXX";
    if (!mkdtemp(dir))
        abort();
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi a, b;
    if (mdb_env_create(&env) || mdb_env_set_maxdbs(env, 4) || mdb_env_set_mapsize(env, 1 << 24) ||
        mdb_env_open(env, dir, 0, 0600))
        abort();
    static char val[9000];
    memset(val, 'v', sizeof val);
    for (int round = 0; round < 3; round++) {
        if (mdb_txn_begin(env, NULL, 0, &txn) || mdb_dbi_open(txn, "a", MDB_CREATE, &a) ||
            mdb_dbi_open(txn, "b", MDB_CREATE, &b))
            abort();
        for (int i = 0; i < 120; i++) {
            char k[16];
            snprintf(k, sizeof k, "key%04d-%d", i, round);
            MDB_val kv = {strlen(k), k}, vv = {(size_t)(i % 40 == 0 ? 5000 : 24), val};
            if (mdb_put(txn, a, &kv, &vv, 0) || mdb_put(txn, b, &kv, &vv, 0))
                abort();
        }
        if (round > 0) {
            MDB_cursor *cur;
            MDB_val k, v;
            mdb_cursor_open(txn, a, &cur);
            for (int n = 0; n < 90 && mdb_cursor_get(cur, &k, &v, MDB_NEXT) == 0; n++)
                mdb_cursor_del(cur, 0);
            mdb_cursor_close(cur);
        }
        if (mdb_txn_commit(txn))
            abort();
    }
    mdb_env_close(env);
    char data[64];
    snprintf(data, sizeof data, "%s/data.mdb", dir);
    FILE *f = fopen(data, "rb");
    struct stat sb;
    if (!f || fstat(fileno(f), &sb) != 0)
        abort();
    s_size = (size_t)sb.st_size;
    s_template = malloc(s_size);
    if (fread(s_template, 1, s_size, f) != s_size)
        abort();
    fclose(f);
    unlink(data);
    snprintf(data, sizeof data, "%s/lock.mdb", dir);
    unlink(data);
    rmdir(dir);
    char why[512];
    /* The template itself must pass, or the harness tests nothing. */
    s_fd = memfd_create("fuzz_mdbfile", 0);
    if (s_fd < 0 || pwrite(s_fd, s_template, s_size, 0) != (ssize_t)s_size)
        abort();
    snprintf(s_path, sizeof s_path, "/proc/self/fd/%d", s_fd);
    if (mdbfile_check_pages(s_path, why, sizeof why) != 0) {
        fprintf(stderr, "fuzz_mdbfile: the template fails the check: %s\n", why);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!s_template)
        s_make_template();
    static uint8_t *img;
    if (!img)
        img = malloc(s_size);
    memcpy(img, s_template, s_size);
    for (size_t at = 0; at + 3 <= size;) {
        size_t off = ((size_t)data[at] | (size_t)data[at + 1] << 8) * 7 % s_size;
        size_t len = data[at + 2];
        at += 3;
        if (len > size - at)
            len = size - at;
        if (len > s_size - off)
            len = s_size - off;
        memcpy(img + off, data + at, len);
        at += len;
    }
    /* Some inputs shorten the file too: the last byte, when odd, cuts pages off. */
    size_t keep = s_size;
    if (size && (data[size - 1] & 1))
        keep = s_size - (size_t)(data[size - 1] >> 1) * 256 % s_size;
    if (ftruncate(s_fd, 0) != 0 || pwrite(s_fd, img, keep, 0) != (ssize_t)keep)
        abort();
    char why[512];
    int rc = mdbfile_check_pages(s_path, why, sizeof why);
    if (rc < 0 && (why[0] == 0 || !memchr(why, 0, sizeof why)))
        abort();   /* damaged must come with a reason */
    return 0;
}
