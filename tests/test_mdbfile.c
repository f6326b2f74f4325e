/*  test_mdbfile: the page check of an LMDB file (mdbfile_check_pages) on real queues made
    by the broker's queue code in a temp directory.

    A sound queue, after puts, dispatches, deaths and dones (so it has branch pages,
    overflow pages and a free list), passes. Each kind of damage the check names is made
    by hand on a copy and refused: a leaf's bounds out of order, two nodes over each other,
    a named database counting more entries than its pages hold, a branch pointing at a page
    already reached, and a free list giving a live page. Then bytes flipped at random:
    the check never reads out of bounds (the sanitizer pass), and whenever it passes a
    file, a child that opens the queue and works through it, writing as the broker does,
    does not crash.

    The file is read here with LMDB 0.9's layout, the same layout the check reads; the
    offsets are named once below. */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mdbfile.h"
#include "queue.h"
#include "util.h"

/* LMDB 0.9's layout: page header (pgno 8, pad 2, flags 2, lower 2, upper 2), node
   header (lo 2, hi 2, flags 2, ksize 2), meta after the page header (magic 4, version 4,
   address 8, mapsize 8, two MDB_db of 48 bytes, last page 8, txnid 8). */
enum { HDR = 16, P_BRANCH = 1, P_LEAF = 2, META_DBS = HDR + 24, DB_SIZE = 48 };

static char s_dir[256];
static char s_data[300];
static uint8_t *s_file;        /* the sound file, read whole */
static size_t s_size, s_psize;

static uint16_t s_u16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}
static uint64_t s_u64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}
static void s_put16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}
static void s_put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
}

/* A queue as the broker leaves it: 600 jobs, some big enough for overflow pages, 400
   dispatched, 300 of them done and 40 dead, so records were deleted and pages freed. */
static void s_make_queue(void)
{
    /* On tmpfs where there is one: the queue syncs every commit, and the test makes
       thousands; what it checks does not depend on the disk. */
    struct stat shm;
    snprintf(s_dir, sizeof s_dir, "%s/test_mdbfile.XXXXXX",
             stat("/dev/shm", &shm) == 0 && access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    cr_assert(mkdtemp(s_dir));
    snprintf(s_data, sizeof s_data, "%s/data.mdb", s_dir);
    queue_t *q;
    cr_assert_eq(queue_open(s_dir, 0, &q), 0);
    static char text[12000];
    memset(text, 'a', sizeof text);
    for (int i = 0; i < 600; i += 50) {
        queue_item_t items[50];
        char ids[50][UTIL_ID_HEX + 1];
        for (int k = 0; k < 50; k++) {
            int n = i + k;
            size_t len = n % 9 == 0 ? 9000 + (size_t)n : 300 + (size_t)n;
            snprintf(text, 20, "job %06d", n);
            util_job_id("t", 1, text, len, ids[k]);
            items[k] = (queue_item_t){.id = ids[k], .article = text, .len = len};
        }
        cr_assert_eq(queue_put_batch(q, items, 50), 0);
    }
    char id[UTIL_ID_HEX + 1];
    uint32_t attempts;
    const void *art;
    size_t len;
    for (int i = 0; i < 400; i++) {
        cr_assert_eq(queue_next(q, id, &attempts, &art, &len), 1);
        if (i % 10 == 0) {
            queue_fail_t out;
            cr_assert_eq(queue_fail(q, id, "test", true, 3, &out), 0);
        } else if (i < 330) {
            queue_done_t d = {.id = id};
            cr_assert_eq(queue_done(q, &d, 1), 1);
        }
    }
    queue_destroy(&q);
    FILE *f = fopen(s_data, "rb");
    cr_assert(f);
    struct stat sb;
    cr_assert_eq(fstat(fileno(f), &sb), 0);
    s_size = (size_t)sb.st_size;
    s_file = malloc(s_size);
    cr_assert_eq(fread(s_file, 1, s_size, f), s_size);
    fclose(f);
    s_psize = (size_t)s_u16(s_file + META_DBS);   /* mm_dbs[0].md_pad is the page size */
    cr_assert(s_psize >= 512 && s_psize <= 65536, "page size %zu", s_psize);
}

static void s_teardown(void)
{
    free(s_file);
    s_file = NULL;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", s_dir);
}

/* Writes `img` over the queue's data file. */
static void s_write(const uint8_t *img)
{
    FILE *f = fopen(s_data, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(img, 1, s_size, f), s_size);
    fclose(f);
}

/* Checks `img` as the queue's file: 0 when sound, -1 with the reason in why. */
static int s_check(const uint8_t *img, char *why, size_t cap)
{
    s_write(img);
    int rc = mdbfile_check_pages(s_data, why, cap);
    cr_assert(rc <= 0, "the check could not read the file: %s", strerror(rc));
    return rc;
}

/* A copy of the sound file, to damage. */
static uint8_t *s_copy(void)
{
    uint8_t *img = malloc(s_size);
    cr_assert(img);
    memcpy(img, s_file, s_size);
    return img;
}

/* Checks the damaged copy `img`, which must be refused, frees it, and returns the reason. */
static const char *s_refused(uint8_t *img)
{
    static char why[512];
    why[0] = 0;
    cr_assert_eq(s_check(img, why, sizeof why), -1, "the damaged file passed the check");
    free(img);
    return why;
}

static const uint8_t *s_meta(const uint8_t *img)
{
    const uint8_t *m0 = img + HDR, *m1 = img + s_psize + HDR;
    return s_u64(m0 + 128) < s_u64(m1 + 128) ? m1 : m0;
}

static uint8_t *s_page(uint8_t *img, uint64_t pg)
{
    return img + pg * s_psize;
}

static uint16_t s_flags(const uint8_t *page)
{
    return s_u16(page + 10);
}

static unsigned s_nkeys(const uint8_t *page)
{
    return (unsigned)(s_u16(page + 12) - HDR) / 2;
}

static uint8_t *s_node(uint8_t *page, unsigned i)
{
    return page + s_u16(page + HDR + 2 * i);
}

/* The root page of the named database `name`, from the main database's leaf (a queue's
   main database fits one page). */
static uint64_t s_named_root(uint8_t *img, const char *name, uint8_t **db_rec)
{
    const uint8_t *meta = s_meta(img);
    uint64_t main_root = s_u64(meta + 24 + DB_SIZE + 40);
    uint8_t *page = s_page(img, main_root);
    cr_assert_eq(s_flags(page) & P_LEAF, P_LEAF, "the main database is one leaf");
    for (unsigned i = 0; i < s_nkeys(page); i++) {
        uint8_t *node = s_node(page, i);
        uint16_t ksize = s_u16(node + 6);
        if (ksize == strlen(name) && memcmp(node + 8, name, ksize) == 0) {
            if (db_rec)
                *db_rec = node + 8 + ksize;
            return s_u64(node + 8 + ksize + 40);
        }
    }
    cr_assert_fail("no database %s", name);
    return 0;
}

/* A leaf page of `name` with at least two nodes: its root's first leaf. */
static uint8_t *s_leaf_of(uint8_t *img, const char *name)
{
    uint8_t *page = s_page(img, s_named_root(img, name, NULL));
    while (s_flags(page) & P_BRANCH) {
        uint8_t *node = s_node(page, 0);
        page = s_page(img, (uint64_t)s_u16(node) | (uint64_t)s_u16(node + 2) << 16);
    }
    cr_assert_geq(s_nkeys(page), 2);
    return page;
}

Test(mdbfile, a_sound_queue_passes, .init = s_make_queue, .fini = s_teardown)
{
    char why[512] = "";
    cr_assert_eq(s_check(s_file, why, sizeof why), 0, "%s", why);
    uint8_t *page = s_page(s_file, s_named_root(s_file, "fifo", NULL));
    cr_assert(s_flags(page) & P_BRANCH, "the test wants a fifo deep enough for branches");
    uint8_t *free_db = (uint8_t *)s_meta(s_file) + 24;
    cr_assert_neq(s_u64(free_db + 40), ~(uint64_t)0, "the test wants a free list");
}

Test(mdbfile, a_leaf_with_its_bounds_out_of_order_is_refused, .init = s_make_queue,
     .fini = s_teardown)
{
    uint8_t *img = s_copy();
    uint8_t *leaf = s_leaf_of(img, "job");
    s_put16(leaf + 12, (uint16_t)(s_u16(leaf + 14) + 2));   /* lower past upper */
    const char *why = s_refused(img);
    cr_assert(strstr(why, "free space from"), "%s", why);
}

Test(mdbfile, nodes_over_each_other_are_refused, .init = s_make_queue, .fini = s_teardown)
{
    uint8_t *img = s_copy();
    uint8_t *leaf = s_leaf_of(img, "art");
    /* The second node starts two bytes into the first: both still inside the page, as a
       damaged offset leaves them, and LMDB's next memmove would run off the page. */
    s_put16(leaf + HDR + 2, (uint16_t)(s_u16(leaf + HDR) + 2));
    const char *why = s_refused(img);
    cr_assert(strstr(why, "overlap") || strstr(why, "runs past") || strstr(why, "flags"), "%s", why);
}

Test(mdbfile, a_count_that_its_pages_do_not_hold_is_refused, .init = s_make_queue,
     .fini = s_teardown)
{
    uint8_t *img = s_copy();
    uint8_t *rec;
    s_named_root(img, "fifo", &rec);
    s_put64(rec + 32, s_u64(rec + 32) + 27);   /* md_entries: 27 more jobs than there are */
    const char *why = s_refused(img);
    cr_assert(strstr(why, "database 'fifo' counts"), "%s", why);
}

Test(mdbfile, a_page_reached_twice_is_refused, .init = s_make_queue, .fini = s_teardown)
{
    uint8_t *img = s_copy();
    uint8_t *branch = s_page(img, s_named_root(img, "fifo", NULL));
    cr_assert(s_flags(branch) & P_BRANCH);
    cr_assert_geq(s_nkeys(branch), 2);
    uint8_t *first = s_node(branch, 0), *second = s_node(branch, 1);
    memcpy(second, first, 4);   /* the second child is the first one again */
    const char *why = s_refused(img);
    cr_assert(strstr(why, "reached twice"), "%s", why);
}

Test(mdbfile, a_free_list_giving_a_live_page_is_refused, .init = s_make_queue,
     .fini = s_teardown)
{
    uint8_t *img = s_copy();
    uint8_t *free_db = (uint8_t *)s_meta(img) + 24;
    uint8_t *fpage = s_page(img, s_u64(free_db + 40));
    cr_assert(s_flags(fpage) & P_LEAF, "the test wants a free list of one leaf");
    uint8_t *node = s_node(fpage, 0);
    cr_assert_eq(s_u16(node + 4), 0, "the test wants a free list record in its page");
    uint8_t *idl = node + 8 + s_u16(node + 6);
    cr_assert_geq(s_u64(idl), 1);
    /* Its first free page becomes the fifo's root: the next write would overwrite it. */
    s_put64(idl + 8, s_named_root(img, "fifo", NULL));
    const char *why = s_refused(img);
    cr_assert(strstr(why, "which a tree uses"), "%s", why);
}

/* Opens the queue in `dir` and works through it as the broker does: every job handed
   out and done, new ones put, a job failed to the dead set. Exits 0 whether the queue
   was refused or worked through; only a crash is a failure. */
static void s_work_through(const char *dir)
{
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    signal(SIGABRT, SIG_DFL);
    alarm(60);
    queue_t *q;
    if (queue_open(dir, 0, &q) != 0)
        _exit(0);
    char id[UTIL_ID_HEX + 1];
    uint32_t attempts;
    const void *art;
    size_t len;
    int rc;
    static char text[9000];
    memset(text, 'b', sizeof text);
    for (int n = 0; n < 400 && !queue_damaged(q); n++) {
        rc = queue_next(q, id, &attempts, &art, &len);
        if (rc == QUEUE_ECORRUPT) {
            queue_quarantine(q, "damaged", NULL);
            continue;
        }
        if (rc <= 0)
            break;
        queue_done_t d = {.id = id};
        if (queue_done(q, &d, 1) < 0)
            break;
        char nid[UTIL_ID_HEX + 1];
        snprintf(text, 16, "new %06d", n);
        util_job_id("n", 1, text, n % 3 ? 200 : 8000, nid);
        queue_item_t it = {.id = nid, .article = text, .len = n % 3 ? 200 : 8000};
        if (queue_put_batch(q, &it, 1) != 0)
            break;
        if (n % 7 == 0) {
            queue_fail_t out;
            queue_fail(q, nid, "test", true, 3, &out);
        }
    }
    queue_destroy(&q);
    _exit(0);
}

/* Random damage, as the hostile test flips it: 25 runs of 8 bytes past the meta pages. */
Test(mdbfile, flipped_bytes_are_refused_or_worked_through_without_a_crash,
     .init = s_make_queue, .fini = s_teardown, .timeout = 240)
{
    uint8_t *img = malloc(s_size);
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    int refused = 0, passed = 0, runs = getenv("CC_MDBFILE_RUNS") ? atoi(getenv("CC_MDBFILE_RUNS")) : 400;
    for (int run = 0; run < runs; run++) {
        memcpy(img, s_file, s_size);
        for (int i = 0; i < 25; i++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            size_t at = 2 * s_psize + (size_t)(seed % (s_size - 2 * s_psize - 8));
            for (int k = 0; k < 8; k++)
                img[at + k] ^= 0xa5;
        }
        char why[512] = "";
        if (s_check(img, why, sizeof why) != 0) {
            refused++;
            continue;
        }
        passed++;
        pid_t pid = fork();
        cr_assert_geq(pid, 0);
        if (pid == 0)
            s_work_through(s_dir);
        int status;
        cr_assert_eq(waitpid(pid, &status, 0), pid);
        cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                  "run %d: the page check passed the file, then working through it died "
                  "(status 0x%x)", run, status);
    }
    fprintf(stderr, "mdbfile: %d damaged files: %d refused by the page check, %d passed and "
            "worked through\n", runs, refused, passed);
    cr_assert_gt(refused, 0);
    cr_assert_gt(passed, 0);
    free(img);
}
