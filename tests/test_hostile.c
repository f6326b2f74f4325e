/*  test_hostile: the hard edges of issue 10 against the real daemons. Real broker, real
    store, real LMDB files, real ipc sockets; the hostile peer is a czmq DEALER played
    here, and `crossclaim run` is run as the user would run it.

    - one legal large article (4 MiB, quote-dense) must not wedge the pipeline;
    - crafted results (NaN values, 5,000-byte keys, 100k entities from one small article)
      must be refused by the store's shared check, REFUSED to the broker, and end in the
      dead-letter set with the store's reason, never merged;
    - `crossclaim run` that gives up names the jobs it gave up on, and names its dead
      letters when it finishes;
    - more ipc connections than a low open-file limit allows (soft, then hard) must not
      abort the broker: it raises the soft one, and refuses and counts what the hard one
      can't hold. */
#include "faults_util.h"

#include <czmq.h>
#include <math.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "util.h"
#include "wire.h"

/* Writes a quote-dense article of about `bytes` bytes to `path`. */
static void s_write_quote_dense(const char *path, size_t bytes)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    static const char *const names[] = {"Erdogan", "Putin", "Assad", "Holt", "Jones"};
    fprintf(f, "A long day of statements\n");
    size_t n = 0;
    for (unsigned i = 0; n < bytes; i++) {
        int m = fprintf(f, "\"We will not retreat from post %u,\" %s said on Tuesday, adding "
                        "that %u soldiers were killed in Saraqeb. ", i, names[i % 5], i % 50 + 2);
        n += (size_t)m;
    }
    fclose(f);
}

TestSuite(hostile, .timeout = 300);

/* Issue 10 #1: an 8 MiB ordinary or 4 MiB quote-dense article gave a RESULT over the
   broker's frame limit: dropped, the worker's credit lost, `run` stuck. */
Test(hostile, one_large_legal_article_does_not_wedge_run)
{
    char *dir = pu_tmpdir();
    cr_assert_eq(pu_sh("mkdir -p %s/in", dir), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/in/big.txt", dir);
    s_write_quote_dense(path, 4u << 20);
    fu_write_articles(strcat(strcpy(path, dir), "/in/small.jsonl"), 40);
    char *out;
    int rc = fu_capture(&out, "%s/crossclaim run --workers 2 --stall-s 60 --no-report --data %s/data "
                        "%s/in", pu_bin(), dir, dir);
    cr_assert_eq(rc, 0, "run failed (%d):\n%s", rc, out);
    cr_assert(strstr(out, "41 new") && strstr(out, "0 dead letters"), "%s", out);
    free(out);
    pu_sh("rm -rf %s", dir);
    free(dir);
}

/* ---------------------------------------------------------------- crafted results */

static zsock_t *s_dealer(const char *ep)
{
    zsock_t *s = zsock_new(ZMQ_DEALER);
    cr_assert(s);
    zsock_set_linger(s, 0);
    cr_assert_eq(zsock_connect(s, "%s", ep), 0);
    return s;
}

/* Submits an article through a DEALER on the front end; waits for its ACK. */
static void s_submit(zsock_t *prod, const char *title, const char *text, char id[33])
{
    Crossclaim__Article a = CROSSCLAIM__ARTICLE__INIT;
    util_job_id(title, strlen(title), text, strlen(text), id);
    a.id = id;
    a.source = "test://crafted";
    a.title = (char *)title;
    a.outlet = "test";
    a.text.data = (uint8_t *)text;
    a.text.len = strlen(text);
    size_t len;
    uint8_t *pb = wire_pack_article(&a, &len);
    const void *args[2] = {"t", pb};
    size_t lens[2] = {1, len};
    cr_assert_eq(wire_send(prod, NULL, WIRE_SUBMIT, 2, args, lens), 0);
    free(pb);
    zpoller_t *p = zpoller_new(prod, NULL);
    cr_assert(zpoller_wait(p, 10000) == prod, "no answer to SUBMIT");
    zpoller_destroy(&p);
    zmsg_t *msg = zmsg_recv(prod);
    wire_msg_t m;
    cr_assert_eq(wire_decode_msg(msg, false, NULL, &m), 0);
    cr_assert_eq(m.cmd, WIRE_ACK, "SUBMIT refused");
    zmsg_destroy(&msg);
}

/* The three crafted results, by kind: 0 NaN value, 1 a 5,000-byte key, 2 100k entities. */
static uint8_t *s_crafted(int kind, const char *id, uint32_t text_bytes, size_t *len)
{
    Crossclaim__Article meta = CROSSCLAIM__ARTICLE__INIT;
    meta.id = (char *)id;
    meta.title = "crafted";
    Crossclaim__Result r = CROSSCLAIM__RESULT__INIT;
    r.job_id = (char *)id;
    r.article = &meta;
    r.worker = "forger";
    r.text_bytes = text_bytes;
    Crossclaim__Quantity q = CROSSCLAIM__QUANTITY__INIT;
    Crossclaim__Quantity *qs[] = {&q};
    q.value = kind == 0 ? NAN : 7;
    q.low = q.high = q.value;
    q.key = "|soldier|||killed||";
    q.subject = "soldier";
    q.predicate = "killed";
    r.quantities = qs;
    r.n_quantities = 1;
    char *key = NULL;
    Crossclaim__Entity one = CROSSCLAIM__ENTITY__INIT, *onep = &one, *ents = NULL, **entp = NULL;
    if (kind == 1) {
        key = malloc(5001);
        memset(key, 'k', 5000);
        key[5000] = 0;
        one.key = key;
        one.name = "K";
        one.kind = "person";
        r.entities = &onep;
        r.n_entities = 1;
    } else if (kind == 2) {
        size_t n = 100000;
        ents = calloc(n, sizeof *ents);
        entp = calloc(n, sizeof *entp);
        for (size_t i = 0; i < n; i++) {
            crossclaim__entity__init(&ents[i]);
            ents[i].key = "per:someone";
            ents[i].name = "Someone";
            ents[i].kind = "person";
            entp[i] = &ents[i];
        }
        r.entities = entp;
        r.n_entities = n;
    }
    uint8_t *buf = wire_pack_result(&r, len);
    free(key);
    free(ents);
    free(entp);
    return buf;
}

/* Issue 10 #3 and #5: crafted results were merged, and a result the store refused was
   redelivered forever. */
Test(hostile, crafted_results_are_refused_by_the_store_and_end_dead)
{
    fu_cluster_t c;
    fu_cluster_init(&c);
    c.max_attempts = 2;
    c.heartbeat_ms = 200;
    c.liveness = 10;
    fu_start_broker(&c);
    unsigned port = 21000 + (unsigned)(getpid() % 20000);
    char bin[600], portarg[16], log[300], hb[16];
    snprintf(bin, sizeof bin, "%s/crossclaim-store", pu_bin());
    snprintf(portarg, sizeof portarg, "%u", port);
    snprintf(hb, sizeof hb, "%u", c.heartbeat_ms);
    snprintf(log, sizeof log, "%s/store.log", c.dir);
    c.store = fu_spawn((char *[]){bin, "--data", c.dir, "--heartbeat-ms", hb, "--metrics-port",
                                  portarg, NULL}, log);
    fu_status_t st;
    fu_wait_broker(&c, &st, 20);
    zsock_t *prod = s_dealer(c.front);
    zsock_t *w = s_dealer(c.back);
    wire_sendv(w, NULL, WIRE_HELLO, "worker", "forger", "3", NULL);
    static const char *const texts[3] = {
        "Seven soldiers were killed in Saraqeb on Monday, officials said.",
        "The Syrian Observatory for Human Rights said 12 posts were surrounded.",
        "Erdogan said Turkey would respond to the attack on its soldiers.",
    };
    char ids[3][33];
    for (int i = 0; i < 3; i++) {
        char title[16];
        snprintf(title, sizeof title, "Crafted %d", i);
        s_submit(prod, title, texts[i], ids[i]);
    }
    /* Answer every JOB with the crafted result of its article, until all are dead. */
    zpoller_t *p = zpoller_new(w, NULL);
    int jobs = 0;
    double end = fu_now() + 60;
    for (;;) {
        wire_sendv(w, NULL, WIRE_HB, NULL);
        if (zpoller_wait(p, 50) == w) {
            zmsg_t *msg = zmsg_recv(w);
            wire_msg_t m;
            cr_assert_eq(wire_decode_msg(msg, false, NULL, &m), 0);
            if (m.cmd == WIRE_JOB) {
                char id[33];
                memcpy(id, m.arg[0], 32);
                id[32] = 0;
                int kind = -1;
                for (int i = 0; i < 3; i++)
                    if (!strcmp(id, ids[i]))
                        kind = i;
                cr_assert_geq(kind, 0);
                size_t len;
                uint8_t *res = s_crafted(kind, id, (uint32_t)strlen(texts[kind]), &len);
                const void *args[2] = {id, res};
                size_t lens[2] = {32, len};
                wire_send(w, NULL, WIRE_RESULT, 2, args, lens);
                free(res);
                jobs++;
            }
            zmsg_destroy(&msg);
            continue;
        }
        fu_status_up(&c, &st);
        if (st.dead == 3)
            break;
        cr_assert(fu_now() < end, "the crafted jobs did not end dead (%d JOBs): %s", jobs, st.raw);
    }
    zpoller_destroy(&p);
    cr_assert_eq(jobs, 6, "2 attempts each, then dead: %d", jobs);
    cr_assert_eq(fu_json_long(st.raw, "store_refused"), 6, "%s", st.raw);
    cr_assert_eq(st.completed, 0, "a crafted result was committed: %s", st.raw);
    cr_assert(st.articles <= 0, "the store merged %ld crafted articles", st.articles);
    char *out;
    cr_assert_eq(fu_capture(&out, "%s/crossclaim dead list --data %s", pu_bin(), c.dir), 0);
    static const char *const why[3] = {"not a finite number", "key over 1024 bytes",
                                       "too many items for"};
    for (int i = 0; i < 3; i++) {
        const char *at = strstr(out, ids[i]);
        cr_assert(at, "%s not dead: %s", ids[i], out);
        const char *close = strchr(at, '}');
        const char *r = strstr(at, why[i]);
        cr_assert(r && r < close && strstr(at, "refused by the store"),
                  "job %d's reason is not the store's (%s): %.400s", i, why[i], at);
    }
    free(out);
    /* The store counted each refusal on its metrics page. */
    long malformed = -1;
    char *page = NULL;
    for (int i = 0; i < 100 && malformed < 6; i++) {
        free(page);
        cr_assert_eq(fu_capture(&page, "curl -s http://127.0.0.1:%u/metrics", port), 0);
        const char *mp = strstr(page, "\ncrossclaim_store_malformed_total ");
        malformed = mp ? strtol(mp + strlen("\ncrossclaim_store_malformed_total "), NULL, 10) : -1;
        if (malformed < 6)
            fu_sleep_ms(100);   /* the page is rendered every 500 ms */
    }
    cr_assert_eq(malformed, 6, "%s", page);
    free(page);
    zsock_destroy(&w);
    zsock_destroy(&prod);
    cr_assert_eq(fu_stop_all(&c), 0);
    pu_sh("rm -rf %s", c.dir);
}

/* ---------------------------------------------------------------- run names its jobs */

/* Issue 10 #1: `run` gave up after 2 minutes without naming the jobs it gave up on. */
Test(hostile, run_names_the_jobs_it_gives_up_on_and_its_dead_letters)
{
    char *dir = pu_tmpdir();
    cr_assert_eq(pu_sh("mkdir -p %s/in %s/data", dir, dir), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/in/a.jsonl", dir);
    fu_write_articles(path, 300);
    snprintf(path, sizeof path, "%s/in/bad.txt", dir);
    FILE *f = fopen(path, "w");
    fputs("Bad bytes\nSome \x81\x8d text that can't be read as any encoding.\n", f);
    fclose(f);
    /* run in the background; pause the broker as soon as it answers, so the queue can't
       drain and run gives up after 3 s. */
    char logp[600];
    snprintf(logp, sizeof logp, "%s/run.log", dir);
    char bin[600], data[600], in[600];
    snprintf(bin, sizeof bin, "%s/crossclaim", pu_bin());
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(in, sizeof in, "%s/in", dir);
    pid_t run = fu_spawn((char *[]){bin, "run", "--workers", "1", "--stall-s", "3", "--no-report",
                                    "--data", data, in, NULL}, logp);
    bool paused = false;
    for (int i = 0; i < 400 && !paused; i++) {
        paused = pu_sh("%s/crossclaim pause --data %s/data >/dev/null 2>&1", pu_bin(), dir) == 0;
        if (!paused)
            fu_sleep_ms(25);
    }
    cr_assert(paused, "could not pause the broker of run");
    int status = 0;
    double end = fu_now() + 120;
    while (waitpid(run, &status, WNOHANG) != run) {
        cr_assert(fu_now() < end, "run did not give up");
        fu_sleep_ms(100);
    }
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) != 0, "run gave up: not a success");
    char *out;
    fu_capture(&out, "cat %s", logp);
    cr_assert(strstr(out, "giving up"), "%s", out);
    cr_assert(strstr(out, "jobs not done"), "run did not name the jobs it gave up on:\n%s", out);
    cr_assert(strstr(out, ": queued\n"), "queued jobs are named with their source:\n%s", out);
    /* The worker may have taken the bad job before the pause: then it is dead already,
       and the give-up message names it among the dead letters. */
    bool dead_first = strstr(out, "bad.txt: dead: not decodable") != NULL;
    free(out);

    /* Resumed, the same run finishes and names its dead letter (unless the first run
       already had, when it is no new dead letter of this one). */
    int rc = fu_capture(&out, "%s/crossclaim run --workers 1 --no-report --data %s/data %s/in",
                        pu_bin(), dir, dir);
    if (!dead_first) {
        cr_assert_eq(rc, 3, "dead letters make exit status 3 (%d):\n%s", rc, out);
        cr_assert(strstr(out, "dead letters (crossclaim dead for all):"), "%s", out);
        cr_assert(strstr(out, "bad.txt: dead: not decodable"), "the dead job is named:\n%s", out);
    } else {
        cr_assert_eq(rc, 0, "the resumed run had nothing left to do (%d):\n%s", rc, out);
    }
    free(out);
    pu_sh("rm -rf %s", dir);
    free(dir);
}

/* ---------------------------------------------------------------- a damaged queue file */

/* Issue 10 #6: a broker data.mdb with 200 bytes flipped looped on "skipped a corrupt job
   record" (28.7M log lines) and stopped answering. Now it either refuses to start with a
   clear error (LMDB can't read all of it, checked in a child at open) or keeps answering,
   with a bounded log, and works through what it can read. */
Test(hostile, broker_with_flipped_bytes_keeps_answering_or_refuses_clearly)
{
    fu_cluster_t c;
    fu_cluster_init(&c);
    c.max_attempts = 2;
    fu_start_broker(&c);
    fu_status_t st;
    fu_wait_broker(&c, &st, 20);
    char in[300];
    snprintf(in, sizeof in, "%s/in.jsonl", c.dir);
    fu_write_articles(in, 400);
    cr_assert_eq(pu_sh("%s/crossclaim submit --data %s %s >/dev/null 2>&1", pu_bin(), c.dir, in), 0);
    cr_assert_eq(fu_signal(&c.broker, SIGTERM), 0);
    char path[300];
    snprintf(path, sizeof path, "%s/broker/data.mdb", c.dir);
    int fd = open(path, O_RDWR);
    cr_assert_geq(fd, 0);
    struct stat sb;
    cr_assert_eq(fstat(fd, &sb), 0);
    /* 200 bytes in runs of 8, past the two meta pages, at seeded places. */
    uint64_t seed = 10;
    for (int i = 0; i < 25; i++) {
        off_t at = 8192 + (off_t)(fu_rand(&seed) % (uint64_t)(sb.st_size - 8192 - 8));
        uint8_t b[8];
        cr_assert_eq(pread(fd, b, 8, at), 8);
        for (int k = 0; k < 8; k++)
            b[k] ^= 0xa5;
        cr_assert_eq(pwrite(fd, b, 8, at), 8);
    }
    close(fd);
    fu_start_broker(&c);
    fu_start_store(&c);
    fu_start_worker(&c, 0);
    /* Long enough for an ASan build on a loaded machine to read the whole damaged file
       at open and then answer or refuse; a bound so that a hang fails. */
    double end = fu_now() + 120;
    int answered = 0;
    long corrupt = 0;
    while (fu_now() < end) {
        int status;
        if (waitpid(c.broker, &status, WNOHANG) == c.broker) {
            c.broker = 0;
            char *log;
            fu_capture(&log, "cat %s/broker.log", c.dir);
            cr_assert(WIFEXITED(status) && WEXITSTATUS(status) != 0 &&
                      (strstr(log, "cannot open the queue") || strstr(log, "queue")),
                      "the broker died without a clear error (status %d):\n%.2000s", status, log);
            cr_assert_null(strstr(log, "Unknown error"), "%.2000s", log);
            fprintf(stderr, "hostile: the damaged queue was refused at start\n");
            free(log);
            goto done;
        }
        /* Not up yet, or on its way out after refusing the file: ask again, and let
           waitpid above tell a refusal from a hang. */
        if (fu_status(&c, &st) != 0) {
            fu_sleep_ms(100);
            continue;
        }
        answered++;
        /* Damage may leave the counters off (a flipped key or an entry count): what must
           hold is that the broker keeps answering and works through what it can read. */
        corrupt = fu_json_long(st.raw, "corrupt_records");
        if (st.completed + st.dead + corrupt >= 380 && st.awaiting == 0)
            break;
        fu_sleep_ms(200);
    }
    cr_assert_gt(answered, 0);
    cr_assert(st.completed + st.dead + corrupt >= 380,
              "the broker stopped working through the damaged queue: %s", st.raw);
    for (int i = 0; i < 10; i++) {   /* and keeps answering */
        fu_status_up(&c, &st);
        fu_sleep_ms(100);
    }
    cr_assert_eq(waitpid(c.broker, NULL, WNOHANG), 0, "the broker died");
    snprintf(path, sizeof path, "%s/broker.log", c.dir);
    cr_assert_eq(stat(path, &sb), 0);
    cr_assert_lt(sb.st_size, 1 << 20, "the broker log grew to %lld bytes", (long long)sb.st_size);
    fprintf(stderr, "hostile: the damaged queue was worked through (%ld dead, %ld completed, "
            "%ld corrupt records, depth %ld)\n", st.dead, st.completed, corrupt, st.depth);
done:
    fu_stop_all(&c);
    pu_sh("rm -rf %s", c.dir);
}

/* A page damaged while the broker runs (a disk that goes bad, another process writing the
   file): the open-time checks passed, so LMDB meets the damage at run time. The broker
   must stop at once with a clear error, not write on (a damaged free list would hand out
   live pages) or crash. Every page of the file past the meta pages gets the flags of no
   kind: the next read of a tree is refused by LMDB (MDB_CORRUPTED). */
Test(hostile, a_page_damaged_at_run_time_stops_the_broker_with_a_clear_error)
{
    fu_cluster_t c;
    fu_cluster_init(&c);
    fu_start_broker(&c);
    fu_status_t st;
    fu_wait_broker(&c, &st, 20);
    char in[300];
    snprintf(in, sizeof in, "%s/in.jsonl", c.dir);
    fu_write_articles(in, 50);   /* no worker yet: they stay queued */
    cr_assert_eq(pu_sh("%s/crossclaim submit --data %s %s >/dev/null 2>&1", pu_bin(), c.dir, in), 0);
    char path[300];
    snprintf(path, sizeof path, "%s/broker/data.mdb", c.dir);
    int fd = open(path, O_RDWR);
    cr_assert_geq(fd, 0);
    uint32_t psize;
    cr_assert_eq(pread(fd, &psize, 4, 40), 4);   /* mm_dbs[0].md_pad of the first meta */
    cr_assert(psize >= 512 && psize <= 65536, "page size %u", psize);
    struct stat sb;
    cr_assert_eq(fstat(fd, &sb), 0);
    uint16_t none = 0;
    for (off_t pg = 2; (pg + 1) * (off_t)psize <= sb.st_size; pg++)
        cr_assert_eq(pwrite(fd, &none, 2, pg * (off_t)psize + 10), 2);
    close(fd);
    fu_start_store(&c);
    fu_start_worker(&c, 0);   /* the broker reads the fifo to dispatch */
    int status = 0;
    double end = fu_now() + 30;
    while (fu_now() < end && waitpid(c.broker, &status, WNOHANG) != c.broker)
        fu_sleep_ms(50);
    char *log;
    fu_capture(&log, "cat %s/broker.log", c.dir);
    cr_assert_lt(fu_now(), end, "the broker went on for 30 s on a damaged file:\n%.3000s", log);
    c.broker = 0;
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) != 0,
              "the broker did not exit with an error (status 0x%x):\n%.3000s", status, log);
    cr_assert(strstr(log, "damaged page at run time") && strstr(log, "is damaged; move the"),
              "the broker's log does not say its file is damaged:\n%.3000s", log);
    free(log);
    fu_stop_all(&c);
    pu_sh("rm -rf %s", c.dir);
}

/* ---------------------------------------------------------------- a full map */

/* Submits one article; returns the reply command and fills `why` with its last frame. */
static wire_cmd_t s_submit_reply(zsock_t *prod, int n, const char *pad, char *why, size_t cap,
                                 char id[33])
{
    char title[32];
    snprintf(title, sizeof title, "Full %d", n);
    Crossclaim__Article a = CROSSCLAIM__ARTICLE__INIT;
    util_job_id(title, strlen(title), pad, strlen(pad), id);
    a.id = id;
    a.source = "test://full";
    a.title = title;
    a.text.data = (uint8_t *)pad;
    a.text.len = strlen(pad);
    size_t len;
    uint8_t *pb = wire_pack_article(&a, &len);
    const void *args[2] = {"t", pb};
    size_t lens[2] = {1, len};
    cr_assert_eq(wire_send(prod, NULL, WIRE_SUBMIT, 2, args, lens), 0);
    free(pb);
    zpoller_t *p = zpoller_new(prod, NULL);
    cr_assert(zpoller_wait(p, 10000) == prod, "the broker did not answer SUBMIT %d", n);
    zpoller_destroy(&p);
    zmsg_t *msg = zmsg_recv(prod);
    wire_msg_t m;
    cr_assert_eq(wire_decode_msg(msg, false, NULL, &m), 0);
    snprintf(why, cap, "%.*s", (int)m.arg_len[m.nargs - 1], (const char *)m.arg[m.nargs - 1]);
    wire_cmd_t cmd = m.cmd;
    zmsg_destroy(&msg);
    return cmd;
}

/* Issue 10 #7: on a full map or disk the broker exited (or died in mdb_txn_begin after a
   failed growth), so producers saw only silence. Now it answers NACK "queue full", keeps
   serving, and takes work again once commits free space. */
Test(hostile, full_map_nacks_queue_full_keeps_serving_and_recovers)
{
    fu_cluster_t c;
    fu_cluster_init(&c);
    char bin[600], log[300];
    snprintf(bin, sizeof bin, "%s/crossclaim-broker", pu_bin());
    snprintf(log, sizeof log, "%s/broker.log", c.dir);
    c.broker = fu_spawn((char *[]){bin, "--data", c.dir, "--heartbeat-ms", "200", "--liveness",
                                   "10", "--map-size", "1", "--map-max", "1", NULL}, log);
    fu_status_t st;
    fu_wait_broker(&c, &st, 20);
    zsock_t *prod = s_dealer(c.front);
    static char pad[6000];
    char why[400], id[33];
    static char ids[400][33];
    int n = 0;
    wire_cmd_t cmd = WIRE_ACK;
    for (; n < 400; n++) {
        memset(pad, 'a' + n % 26, sizeof pad - 1);
        snprintf(pad, 16, "article %d ", n);
        pad[strlen(pad)] = ' ';
        cmd = s_submit_reply(prod, n, pad, why, sizeof why, ids[n]);
        if (cmd != WIRE_ACK)
            break;
    }
    cr_assert_eq(cmd, WIRE_NACK, "1 MiB took %d articles of 6 KB", n);
    cr_assert(strstr(why, "queue full: no space left in"), "NACK says why: %s", why);
    cr_assert_gt(n, 10);
    fu_status_up(&c, &st);   /* still answering */
    cr_assert(strstr(st.raw, "\"storage_full\":"), "%s", st.raw);
    cr_assert_gt(fu_json_long(st.raw, "storage_full"), 0, "%s", st.raw);
    cr_assert_eq(waitpid(c.broker, NULL, WNOHANG), 0, "the broker is still running");

    /* A store and a worker drain some of it; then submits are taken again. */
    zsock_t *store = s_dealer(c.back);
    wire_sendv(store, NULL, WIRE_HELLO, "store", "s", "100", NULL);
    zsock_t *w = s_dealer(c.back);
    wire_sendv(w, NULL, WIRE_HELLO, "worker", "w", "50", NULL);
    zpoller_t *p = zpoller_new(w, store, NULL);
    int committed = 0;
    double end = fu_now() + 30;
    while (committed < 50) {
        cr_assert(fu_now() < end, "only %d committed", committed);
        wire_sendv(w, NULL, WIRE_HB, NULL);
        wire_sendv(store, NULL, WIRE_HB, NULL);
        void *which = zpoller_wait(p, 50);
        if (!which)
            continue;
        zmsg_t *msg = zmsg_recv(which);
        wire_msg_t m;
        cr_assert_eq(wire_decode_msg(msg, false, NULL, &m), 0);
        if (which == w && m.cmd == WIRE_JOB) {
            char jid[33];
            memcpy(jid, m.arg[0], 32);
            jid[32] = 0;
            Crossclaim__Result r = CROSSCLAIM__RESULT__INIT;
            Crossclaim__Article meta = CROSSCLAIM__ARTICLE__INIT;
            meta.id = jid;
            r.job_id = jid;
            r.article = &meta;
            size_t len;
            uint8_t *res = wire_pack_result(&r, &len);
            const void *args[2] = {jid, res};
            size_t lens[2] = {32, len};
            wire_send(w, NULL, WIRE_RESULT, 2, args, lens);
            free(res);
        } else if (which == store && m.cmd == WIRE_RESULT) {
            char jid[33];
            memcpy(jid, m.arg[0], 32);
            jid[32] = 0;
            wire_sendv(store, NULL, WIRE_COMMITTED, jid, NULL);
            committed++;
        }
        zmsg_destroy(&msg);
    }
    zpoller_destroy(&p);
    wire_sendv(w, NULL, WIRE_BYE, NULL);
    for (int k = 0; k < 100; k++) {
        fu_status_up(&c, &st);
        if (st.completed >= 50)
            break;
        wire_sendv(store, NULL, WIRE_HB, NULL);
        fu_sleep_ms(100);
    }
    cr_assert_geq(st.completed, 50, "commits were not recorded on a full map: %s", st.raw);
    bool taken = false;
    for (int k = 0; k < 50 && !taken; k++) {
        memset(pad, 'z', sizeof pad - 1);
        snprintf(pad, 24, "after space %d ", k);
        pad[strlen(pad)] = ' ';
        taken = s_submit_reply(prod, 1000 + k, pad, why, sizeof why, id) == WIRE_ACK;
        if (!taken)
            fu_sleep_ms(100);
        wire_sendv(store, NULL, WIRE_HB, NULL);
    }
    cr_assert(taken, "submits were not taken again after commits freed space: %s", why);
    zsock_destroy(&w);
    zsock_destroy(&store);
    zsock_destroy(&prod);
    cr_assert_eq(fu_signal(&c.broker, SIGTERM), 0, "the broker stops cleanly");
    pu_sh("rm -rf %s", c.dir);
}

/* Issue 10 #9: with a 128-file soft limit, 300 ipc connections aborted the broker in
   libzmq ("Too many open files", ipc_listener.cpp). A daemon now raises its soft limit to
   the hard one first. */
Test(hostile, many_connections_under_a_low_soft_file_limit)
{
    const char *prlimit = fu_prlimit();
    if (!prlimit) {
        fprintf(stderr, "hostile: SKIPPED many_connections...: no prlimit here\n");
        return;
    }
    char *dir = pu_tmpdir();
    char data[600], bin[600], log[700], ep[700];
    snprintf(data, sizeof data, "%s/data", dir);
    cr_assert_eq(pu_sh("mkdir -p %s", data), 0);
    snprintf(bin, sizeof bin, "%s/crossclaim-broker", pu_bin());
    snprintf(log, sizeof log, "%s/broker.log", dir);
    snprintf(ep, sizeof ep, "ipc://%s/frontend.ipc", data);
    pid_t broker = fu_spawn((char *[]){(char *)prlimit, "--nofile=128:8192", bin, "--data", data,
                                       NULL}, log);
    zsock_t *q = s_dealer(ep);
    zsock_set_rcvtimeo(q, 5000);
    wire_sendv(q, NULL, WIRE_ADMIN, "a0", "stats", NULL);
    zmsg_t *m = zmsg_recv(q);
    cr_assert_not_null(m, "the broker did not answer (log %s)", log);
    zmsg_destroy(&m);
    zsock_t *many[300];
    for (int i = 0; i < 300; i++) {
        many[i] = zsock_new(ZMQ_DEALER);
        zsock_set_linger(many[i], 0);
        cr_assert_eq(zsock_connect(many[i], "%s", ep), 0);
    }
    /* each says something, so that each connection is surely made and accepted */
    for (int i = 0; i < 300; i++)
        wire_sendv(many[i], NULL, WIRE_ADMIN, "a1", "stats", NULL);
    for (int i = 0; i < 300; i++) {
        zsock_set_rcvtimeo(many[i], 10000);
        zmsg_t *r = zmsg_recv(many[i]);
        cr_assert_not_null(r, "connection %d got no answer: the broker died? (log %s)", i, log);
        zmsg_destroy(&r);
    }
    cr_assert_eq(kill(broker, 0), 0, "the broker died under 300 connections (log %s)", log);
    char *out;
    fu_capture(&out, "cat %s", log);
    cr_assert(strstr(out, "open-file limit raised from 128 to 8192"), "%s", out);
    free(out);
    for (int i = 0; i < 300; i++)
        zsock_destroy(&many[i]);
    zsock_destroy(&q);
    cr_assert_eq(fu_signal(&broker, SIGTERM), 0);
    pu_sh("rm -rf %s", dir);
    free(dir);
}

/* The same under a low HARD limit, which no daemon can raise: libzmq's ipc listener
   aborted the broker on the accept that found no file left (errno_assert, "Too many open
   files", ipc_listener.cpp). Now the broker closes the connections beyond its cap as it
   accepts them, counts and logs them, and answers again once clients leave. */
Test(hostile, connections_over_a_low_hard_file_limit_are_refused_not_fatal, .timeout = 120)
{
    const char *prlimit = fu_prlimit();
    if (!prlimit) {
        fprintf(stderr, "hostile: SKIPPED connections_over_a_low_hard_file_limit...: no prlimit\n");
        return;
    }
    char *dir = pu_tmpdir();
    char data[600], bin[600], log[700], ep[700], portarg[16];
    unsigned port = 22000 + (unsigned)(getpid() % 19000);
    snprintf(data, sizeof data, "%s/data", dir);
    cr_assert_eq(pu_sh("mkdir -m 700 -p %s", data), 0);
    snprintf(bin, sizeof bin, "%s/crossclaim-broker", pu_bin());
    snprintf(log, sizeof log, "%s/broker.log", dir);
    snprintf(ep, sizeof ep, "ipc://%s/frontend.ipc", data);
    snprintf(portarg, sizeof portarg, "%u", port);
    pid_t broker = fu_spawn((char *[]){(char *)prlimit, "--nofile=64:64", bin, "--data", data,
                                       "--metrics-port", portarg, NULL}, log);
    zsock_t *q = s_dealer(ep);
    zsock_set_rcvtimeo(q, 10000);
    wire_sendv(q, NULL, WIRE_ADMIN, "a0", "stats", NULL);
    zmsg_t *m = zmsg_recv(q);
    cr_assert_not_null(m, "the broker did not answer (log %s)", log);
    zmsg_destroy(&m);

    /* Twice the limit in connections, each asking something. */
    enum { N = 128 };
    zsock_t *many[N];
    for (int i = 0; i < N; i++) {
        many[i] = s_dealer(ep);
        wire_sendv(many[i], NULL, WIRE_ADMIN, "a1", "stats", NULL);
    }
    char *page;
    double refused = fu_wait_metric(port, "crossclaim_broker_connections_refused_total", 1, 20,
                                    broker, &page);
    cr_assert_eq(waitpid(broker, NULL, WNOHANG), 0, "the broker died under %d "
                 "connections with 64 files (log %s)", N, log);
    cr_assert_geq(refused, 1, "no connection was refused: %s", page);
    cr_assert(strstr(page, "\ncrossclaim_broker_connections_open "), "%s", page);
    free(page);
    cr_assert_eq(waitpid(broker, NULL, WNOHANG), 0, "the broker died (log %s)", log);

    /* The clients leave; a new one is answered, and the log closes the episode. */
    for (int i = 0; i < N; i++)
        zsock_destroy(&many[i]);
    zsock_t *late = s_dealer(ep);
    zsock_set_rcvtimeo(late, 10000);
    wire_sendv(late, NULL, WIRE_ADMIN, "a2", "stats", NULL);
    m = zmsg_recv(late);
    cr_assert_not_null(m, "the broker did not answer after the clients left (log %s)", log);
    zmsg_destroy(&m);
    bool again = fu_wait_log(log, "accepting connections again", 10);
    char *out;
    fu_capture(&out, "cat %s", log);
    cr_assert(strstr(out, "refusing connections"), "%s", out);
    cr_assert(again, "the episode did not end in the log: %s", out);
    free(out);
    zsock_destroy(&late);
    zsock_destroy(&q);
    cr_assert_eq(fu_signal(&broker, SIGTERM), 0);
    pu_sh("rm -rf %s", dir);
    free(dir);
}

/* ---------------------------------------------------------------- latency from the producer */

/* Issue 13: the CLI left submitted_us empty, so the broker's submit-to-commit latency
   started at its own enqueue. Now `crossclaim submit` stamps each article with its wall
   clock, and a worker's JOB carries it. */
Test(hostile, submit_stamps_each_article_with_the_producers_clock)
{
    fu_cluster_t c;
    fu_cluster_init(&c);
    fu_start_broker(&c);
    fu_start_store(&c);   /* the broker dispatches only with a store to take results */
    fu_status_t st;
    fu_wait_broker(&c, &st, 20);
    char in[300];
    snprintf(in, sizeof in, "%s/in.jsonl", c.dir);
    fu_write_articles(in, 3);
    uint64_t before = util_wall_us();
    cr_assert_eq(pu_sh("%s/crossclaim submit --data %s %s >/dev/null 2>&1", pu_bin(), c.dir, in), 0);
    uint64_t after = util_wall_us();
    zsock_t *w = s_dealer(c.back);
    wire_sendv(w, NULL, WIRE_HELLO, "worker", "stamp-reader", "3", NULL);
    zpoller_t *p = zpoller_new(w, NULL);
    int jobs = 0;
    double end = fu_now() + 30;
    while (jobs < 3) {
        cr_assert(fu_now() < end, "%d of 3 jobs came", jobs);
        wire_sendv(w, NULL, WIRE_HB, NULL);
        if (zpoller_wait(p, 50) != w)
            continue;
        zmsg_t *msg = zmsg_recv(w);
        wire_msg_t m;
        cr_assert_eq(wire_decode_msg(msg, false, NULL, &m), 0);
        if (m.cmd == WIRE_JOB) {
            Crossclaim__Article *a = NULL;
            cr_assert_eq(wire_unpack_article(m.arg[2], m.arg_len[2], &a), 0);
            cr_assert(a->submitted_us >= before && a->submitted_us <= after,
                      "submitted_us %llu not within the submit's [%llu, %llu]",
                      (unsigned long long)a->submitted_us, (unsigned long long)before,
                      (unsigned long long)after);
            crossclaim__article__free_unpacked(a, NULL);
            jobs++;
        }
        zmsg_destroy(&msg);
    }
    zpoller_destroy(&p);
    zsock_destroy(&w);
    cr_assert_eq(fu_stop_all(&c), 0);
    pu_sh("rm -rf %s", c.dir);
}

/* ---------------------------------------------------------------- silent tcp peers */

/* Issue 10 #9, on tcp: 338 connections that never handshake kept operators out. Under the
   connection cap they hold its files only until the broker's handshake interval (5 s, was
   libzmq's 30 s) drops them; then an operator is answered again. */
Test(hostile, tcp_peers_that_never_handshake_are_dropped_and_operators_get_in, .timeout = 120)
{
    const char *prlimit = fu_prlimit();
    if (!prlimit) {
        fprintf(stderr, "hostile: SKIPPED tcp_peers_that_never_handshake...: no prlimit\n");
        return;
    }
    char *dir = pu_tmpdir();
    char data[600], bin[600], log[700], front[64];
    unsigned port = 24000 + (unsigned)(getpid() % 19000);
    snprintf(data, sizeof data, "%s/data", dir);
    cr_assert_eq(pu_sh("mkdir -m 700 -p %s", data), 0);
    snprintf(bin, sizeof bin, "%s/crossclaim-broker", pu_bin());
    snprintf(log, sizeof log, "%s/broker.log", dir);
    snprintf(front, sizeof front, "tcp://127.0.0.1:%u", port);
    pid_t broker = fu_spawn((char *[]){(char *)prlimit, "--nofile=64:64", bin, "--data", data,
                                       "--frontend", front, "--insecure", NULL}, log);
    zsock_t *q = s_dealer(front);
    zsock_set_rcvtimeo(q, 10000);
    wire_sendv(q, NULL, WIRE_ADMIN, "a0", "stats", NULL);
    zmsg_t *m = zmsg_recv(q);
    cr_assert_not_null(m, "the broker did not answer (log %s)", log);
    zmsg_destroy(&m);
    zsock_destroy(&q);
    /* Twice the file limit in raw connections that say nothing. */
    enum { N = 128 };
    int silent[N];
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int i = 0; i < N; i++) {
        silent[i] = socket(AF_INET, SOCK_STREAM, 0);
        cr_assert_geq(silent[i], 0);
        (void)connect(silent[i], (struct sockaddr *)&sa, sizeof sa);
    }
    double t0 = fu_now();
    zsock_t *op = s_dealer(front);
    zsock_set_rcvtimeo(op, 100);
    wire_sendv(op, NULL, WIRE_ADMIN, "a1", "stats", NULL);
    m = NULL;
    while (!m && fu_now() < t0 + 20) {
        cr_assert_eq(waitpid(broker, NULL, WNOHANG), 0, "the broker died (log %s)", log);
        m = zmsg_recv(op);
    }
    cr_assert_not_null(m, "no answer to an operator within 20 s of %d silent peers (log %s)", N,
                       log);
    zmsg_destroy(&m);
    fprintf(stderr, "hostile: an operator was answered %.1f s after %d silent tcp peers\n",
            fu_now() - t0, N);
    for (int i = 0; i < N; i++)
        close(silent[i]);
    zsock_destroy(&op);
    cr_assert_eq(fu_signal(&broker, SIGTERM), 0);
    pu_sh("rm -rf %s", dir);
    free(dir);
}
