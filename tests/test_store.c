/*  test_store: the real crossclaim-store binary (from CC_BIN_DIR) against a fake broker
    made of a czmq ROUTER in the test: HELLO, RESULT -> COMMITTED after commit, garbage
    survived, the feed's seq order, the query service, BYE and silence handling, and
    nothing lost to a kill -9 after COMMITTED. */
#include <criterion/criterion.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include "util.h"
#include "wire.h"

static char dir[64];
static char ep_back[128], ep_feed[128], ep_query[128];
static zsock_t *broker;     /* the fake broker's back end */
static pid_t pid;

static void start_store(const char *liveness)
{
    const char *bin = getenv("CC_BIN_DIR");
    cr_assert_not_null(bin, "CC_BIN_DIR is not set (run through ctest)");
    char path[512];
    snprintf(path, sizeof path, "%s/crossclaim-store", bin);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        /* Dies with the test, so a failing test can't leave a store holding ctest's pipe. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execl(path, path, "--data", dir, "--heartbeat-ms", "200", "--liveness", liveness,
              "--batch-ms", "5", "--name", "test-store", "--quiet", (char *)NULL);
        _exit(127);
    }
}

static void setup_with(const char *liveness)
{
    zsys_init();
    zsys_set_logstream(NULL);
    strcpy(dir, "/tmp/cc-store-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(ep_back, sizeof ep_back, "ipc://%s/backend.ipc", dir);
    snprintf(ep_feed, sizeof ep_feed, "ipc://%s/feed.ipc", dir);
    snprintf(ep_query, sizeof ep_query, "ipc://%s/query.ipc", dir);
    broker = zsock_new(ZMQ_ROUTER);
    cr_assert_geq(zsock_bind(broker, "%s", ep_back), 0);
    zsock_set_rcvtimeo(broker, 5000);
    start_store(liveness);
}

static void setup(void)
{
    setup_with("50"); /* the fake broker is mostly silent: don't reconnect on it */
}

static void setup_fast(void)
{
    setup_with("2");
}

static void teardown(void)
{
    if (pid > 0) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        pid = 0;
    }
    zsock_destroy(&broker);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)system(cmd);
}

static bool alive(void)
{
    return waitpid(pid, NULL, WNOHANG) == 0;
}

/* Receives the next message on the fake broker other than HB; returns its identity (the
   caller destroys it) and decodes into *m, which borrows from *msg. */
static zframe_t *recv_cmd(zmsg_t **msg, wire_msg_t *m)
{
    for (;;) {
        *msg = zmsg_recv(broker);
        cr_assert_not_null(*msg, "no message from the store within 5 s");
        zframe_t *id = NULL;
        int rc = wire_decode_msg(*msg, true, &id, m);
        cr_assert_eq(rc, 0, "store sent a bad frame: %s", wire_strerror(rc));
        if (m->cmd != WIRE_HB)
            return zframe_dup(id);
        zmsg_destroy(msg);
    }
}

static zframe_t *expect_hello(void)
{
    zmsg_t *msg;
    wire_msg_t m;
    zframe_t *id = recv_cmd(&msg, &m);
    cr_assert_eq(m.cmd, WIRE_HELLO, "first message is %s", wire_cmd_name(m.cmd));
    cr_assert_eq(m.arg_len[0], 5);
    cr_assert(memcmp(m.arg[0], "store", 5) == 0);
    cr_assert_eq(m.arg_len[1], 10);
    cr_assert(memcmp(m.arg[1], "test-store", 10) == 0);
    zmsg_destroy(&msg);
    return id;
}

/* A packed result for article `name` from `outlet` with one claim; *id gets the job id. */
static uint8_t *make_result(const char *name, const char *outlet, uint64_t simhash, double v,
                            char id[UTIL_ID_HEX + 1], size_t *len)
{
    util_job_id(name, strlen(name), "", 0, id);
    Crossclaim__Article a = CROSSCLAIM__ARTICLE__INIT;
    a.id = id;
    a.source = (char *)name;
    a.title = (char *)name;
    a.outlet = (char *)outlet;
    Crossclaim__Span s = CROSSCLAIM__SPAN__INIT;
    s.start = 0;
    s.end = 5;
    s.text = "seven";
    Crossclaim__Quantity q = CROSSCLAIM__QUANTITY__INIT;
    q.value = v;
    q.span = &s;
    q.key = "killed|soldiers";
    Crossclaim__Quantity *qp = &q;
    Crossclaim__Entity e = CROSSCLAIM__ENTITY__INIT;
    e.key = "per:putin";
    e.name = "Vladimir Putin";
    e.kind = "person";
    Crossclaim__Entity *ep = &e;
    /* every test article is about one event: one story */
    Crossclaim__StoryTerm t = CROSSCLAIM__STORY_TERM__INIT;
    t.term = "e:putin";
    t.weight = 0.5f;
    Crossclaim__StoryTerm t2 = CROSSCLAIM__STORY_TERM__INIT;
    t2.term = "w:summit";
    t2.weight = 0.5f;
    Crossclaim__StoryTerm *tp[2] = {&t, &t2};
    Crossclaim__Result r = CROSSCLAIM__RESULT__INIT;
    r.terms = tp;
    r.n_terms = 2;
    r.job_id = id;
    r.article = &a;
    r.quantities = &qp;
    r.n_quantities = 1;
    r.entities = &ep;
    r.n_entities = 1;
    r.simhash = simhash;
    r.text_bytes = 100;
    return wire_pack_result(&r, len);
}

static void send_result(zframe_t *to, const char *job, const void *pb, size_t len)
{
    const void *args[2] = {job, pb};
    size_t lens[2] = {strlen(job), len};
    cr_assert_eq(wire_send(broker, to, WIRE_RESULT, 2, args, lens), 0);
}

/* Collects COMMITTED ids until every one of `want` was seen. */
static void expect_committed(const char (*want)[UTIL_ID_HEX + 1], size_t n)
{
    bool seen[16] = {false};
    size_t left = n;
    while (left) {
        zmsg_t *msg;
        wire_msg_t m;
        zframe_t *id = recv_cmd(&msg, &m);
        zframe_destroy(&id);
        cr_assert_eq(m.cmd, WIRE_COMMITTED, "got %s", wire_cmd_name(m.cmd));
        for (size_t a = 0; a < m.nargs; a++)
            for (size_t i = 0; i < n; i++)
                if (!seen[i] && m.arg_len[a] == UTIL_ID_HEX &&
                    memcmp(m.arg[a], want[i], UTIL_ID_HEX) == 0) {
                    seen[i] = true;
                    left--;
                }
        zmsg_destroy(&msg);
    }
}

TestSuite(store, .init = setup, .fini = teardown, .timeout = 60);

Test(store, hello_result_committed)
{
    zframe_t *id = expect_hello();
    char jobs[3][UTIL_ID_HEX + 1];
    const char *outlets[3] = {"o1", "o2", "o3"};
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "art%d", i);
        size_t len;
        uint8_t *pb = make_result(name, outlets[i], 0x1111111111111111ull * (uint64_t)(i + 1),
                                  7, jobs[i], &len);
        send_result(id, jobs[i], pb, len);
        free(pb);
    }
    expect_committed(jobs, 3);
    zframe_destroy(&id);

    /* Committed means durable: a reader sees all three. */
    db_t *ro = NULL;
    cr_assert_eq(db_open(dir, true, &ro), 0);
    db_stats_t st;
    cr_assert_eq(db_stats(ro, &st), 0);
    cr_expect_eq(st.articles, 3);
    cr_expect_eq(st.corroborated, 1);
    db_destroy(&ro);
}

Test(store, garbage_survived)
{
    zframe_t *id = expect_hello();
    char job[UTIL_ID_HEX + 1];
    util_job_id("x", 1, "", 0, job);
    /* A RESULT whose protobuf is junk, one for another job id, then frames that are not
       the protocol at all. */
    send_result(id, job, "\xff\xff\xff\xff garbage", 12);
    char other[UTIL_ID_HEX + 1];
    size_t len;
    uint8_t *pb = make_result("y", "o1", 1, 3, other, &len);
    send_result(id, job, pb, len);
    free(pb);
    zmsg_t *junk = zmsg_new();
    zmsg_append(junk, &(zframe_t *){zframe_dup(id)});
    zmsg_addstr(junk, "HTTP/1.1");
    zmsg_addstr(junk, "GET /");
    zmsg_send(&junk, broker);
    junk = zmsg_new();
    zmsg_append(junk, &(zframe_t *){zframe_dup(id)});
    zmsg_addstr(junk, "CC1");
    zmsg_addstr(junk, "RESULT");
    zmsg_addstr(junk, "not-a-job-id");
    zmsg_addstr(junk, "");
    zmsg_send(&junk, broker);

    /* Still alive and still answering. */
    char good[1][UTIL_ID_HEX + 1];
    pb = make_result("z", "o1", 2, 4, good[0], &len);
    send_result(id, good[0], pb, len);
    free(pb);
    /* The two results for a real job id are REFUSED with a reason, so the broker counts
       an attempt instead of redelivering them forever (issue 10 #5). */
    for (int k = 0; k < 2; k++) {
        zmsg_t *msg;
        wire_msg_t m;
        zframe_t *from = recv_cmd(&msg, &m);
        zframe_destroy(&from);
        cr_assert_eq(m.cmd, WIRE_REFUSED, "got %s", wire_cmd_name(m.cmd));
        cr_assert(m.arg_len[0] == UTIL_ID_HEX && memcmp(m.arg[0], job, UTIL_ID_HEX) == 0);
        cr_assert_gt(m.arg_len[1], 0, "REFUSED carries a reason");
        zmsg_destroy(&msg);
    }
    expect_committed(good, 1);
    cr_expect(alive(), "the store survived garbage");
    zframe_destroy(&id);
}

Test(store, feed_seq_increases)
{
    zsock_t *sub = zsock_new(ZMQ_SUB);
    zsock_set_subscribe(sub, "");
    zsock_set_rcvtimeo(sub, 5000);
    cr_assert_eq(zsock_connect(sub, "%s", ep_feed), 0);
    zframe_t *id = expect_hello();
    /* The subscription is live once a heartbeat arrives. */
    char *topic = NULL;
    zframe_t *upd = NULL;
    for (;;) {
        cr_assert_eq(zsock_recv(sub, "sf", &topic, &upd), 0, "no heartbeat on the feed");
        bool hb = strcmp(topic, "hb") == 0;
        if (hb) {
            Crossclaim__Update *u =
                crossclaim__update__unpack(NULL, zframe_size(upd), zframe_data(upd));
            cr_assert_not_null(u);
            cr_expect_str_eq(u->kind, "heartbeat");
            crossclaim__update__free_unpacked(u, NULL);
        }
        zstr_free(&topic);
        zframe_destroy(&upd);
        if (hb)
            break;
    }
    char jobs[2][UTIL_ID_HEX + 1];
    size_t len;
    uint8_t *pb = make_result("f1", "o1", 0x1234567812345678ull, 7, jobs[0], &len);
    send_result(id, jobs[0], pb, len);
    free(pb);
    pb = make_result("f2", "o2", 0x8765432187654321ull, 7, jobs[1], &len);
    send_result(id, jobs[1], pb, len);
    free(pb);
    expect_committed(jobs, 2);

    uint64_t last = 0;
    int articles = 0, corroborated = 0, entities = 0;
    while (articles < 2 || !corroborated) {
        cr_assert_eq(zsock_recv(sub, "sf", &topic, &upd), 0, "updates stopped");
        if (strcmp(topic, "hb") != 0) {
            Crossclaim__Update *u =
                crossclaim__update__unpack(NULL, zframe_size(upd), zframe_data(upd));
            cr_assert_not_null(u, "update for %s unpacks", topic);
            cr_expect_gt(u->seq, last, "seq increases: %lu after %lu", (unsigned long)u->seq,
                         (unsigned long)last);
            last = u->seq;
            articles += strncmp(topic, "article.", 8) == 0;
            entities += strncmp(topic, "entity.", 7) == 0;
            size_t tl = strlen(topic);
            if (strncmp(topic, "xref.corroborated.", 18) == 0 && tl > 16
                && strcmp(topic + tl - 16, "/killed|soldiers") == 0) {
                corroborated++;
                cr_expect_not_null(u->xref);
                cr_expect_eq(u->xref->sources, 2);
            }
            cr_expect_gt(u->json.len, 0);
            crossclaim__update__free_unpacked(u, NULL);
        }
        zstr_free(&topic);
        zframe_destroy(&upd);
    }
    cr_expect_gt(entities, 0);
    zsock_destroy(&sub);
    zframe_destroy(&id);
}

/* Sends a query and returns the reply's frames joined with '|' (caller frees). For
   streamed replies, reads until END and returns "DATA*n|END|seq|records". */
static char *query(zsock_t *q, const char *verb, const char *arg)
{
    zmsg_t *m = zmsg_new();
    zmsg_addstr(m, verb);
    if (arg)
        zmsg_addstr(m, arg);
    cr_assert_eq(zmsg_send(&m, q), 0);
    char out[65536] = "";
    size_t data = 0;
    for (;;) {
        zmsg_t *r = zmsg_recv(q);
        cr_assert_not_null(r, "no reply to %s", verb);
        char *head = zmsg_popstr(r);
        if (strcmp(head, "DATA") == 0 || strcmp(head, "UPDATE") == 0) {
            data++;
            free(head);
            zmsg_destroy(&r);
            continue;
        }
        size_t o = (size_t)snprintf(out, sizeof out, "%zu|%s", data, head);
        free(head);
        char *s;
        while ((s = zmsg_popstr(r)) && o < sizeof out) {
            o += (size_t)snprintf(out + o, sizeof out - o, "|%s", s);
            free(s);
        }
        zmsg_destroy(&r);
        return strdup(out);
    }
}

/* Splits a streamed reply from query() ("DATA*n|END|seq|records") into its numbers; false
   when it is not an END reply. Each field is compared whole, so a "7" inside the sequence
   number can't pass for a record count of 7. */
static bool end_reply(const char *r, unsigned long *chunks, unsigned long *seq,
                      unsigned long *records)
{
    int used = -1;
    if (sscanf(r, "%lu|END|%lu|%lu%n", chunks, seq, records, &used) != 3 || used < 0)
        return false;
    return r[used] == '\0';
}

Test(store, queries)
{
    zframe_t *id = expect_hello();
    char jobs[2][UTIL_ID_HEX + 1];
    size_t len;
    uint8_t *pb = make_result("q1", "o1", 0xaaaaaaaaaaaaaaaaull, 7, jobs[0], &len);
    send_result(id, jobs[0], pb, len);
    free(pb);
    pb = make_result("q2", "o2", 0x5555555555555555ull, 5, jobs[1], &len);
    send_result(id, jobs[1], pb, len);
    free(pb);
    expect_committed(jobs, 2);

    zsock_t *q = zsock_new(ZMQ_DEALER);
    zsock_set_rcvtimeo(q, 5000);
    cr_assert_eq(zsock_connect(q, "%s", ep_query), 0);
    char *r = query(q, "STATS", NULL);
    cr_expect(strstr(r, "0|OK|") == r && strstr(r, "\"articles\":2"), "%s", r);
    free(r);
    r = query(q, "XREF", "killed|soldiers");
    cr_expect(strstr(r, "0|OK|{\"type\":\"xref\"") == r && strstr(r, "\"status\":\"conflict\""),
              "%s", r);
    free(r);
    r = query(q, "XREF", "no such key");
    cr_expect(strstr(r, "0|ERR|") == r, "%s", r);
    free(r);
    r = query(q, "ENTITY", "per:putin");
    cr_expect(strstr(r, "\"articles\":2"), "%s", r);
    free(r);
    r = query(q, "SNAPSHOT", NULL);
    /* 2 articles, 2 quantities, 1 entity, 1 xref, 1 story, in one chunk */
    unsigned long chunks, seq, records;
    cr_expect(end_reply(r, &chunks, &seq, &records), "not an END reply: %s", r);
    cr_expect(chunks == 1 && records == 7, "SNAPSHOT: %lu chunks, %lu records, want 1 and 7 (%s)",
              chunks, records, r);
    free(r);
    r = query(q, "CONFLICTS", NULL);
    cr_expect(end_reply(r, &chunks, &seq, &records), "not an END reply: %s", r);
    cr_expect(chunks == 1 && records == 1, "CONFLICTS: %lu chunks, %lu records, want 1 and 1 (%s)",
              chunks, records, r);
    free(r);
    r = query(q, "SINCE", "0");
    cr_expect(strstr(r, "|END|") != NULL && atoi(r) >= 4, "%s", r);
    free(r);
    r = query(q, "DROP TABLES", NULL);
    cr_expect(strstr(r, "0|ERR|") == r, "%s", r);
    free(r);
    zsock_destroy(&q);
    zframe_destroy(&id);
}

/* Waits for n heartbeats from the store: n - 1 heartbeat intervals have passed. */
static void wait_heartbeats(int n)
{
    while (n > 0) {
        zmsg_t *msg = zmsg_recv(broker);
        cr_assert_not_null(msg, "no heartbeat from the store within 5 s");
        wire_msg_t m;
        zframe_t *id = NULL;
        cr_assert_eq(wire_decode_msg(msg, true, &id, &m), 0);
        if (m.cmd == WIRE_HB)
            n--;
        zmsg_destroy(&msg);
    }
}

Test(store, bye_means_hello_again)
{
    zframe_t *id = expect_hello();
    /* A BYE within a heartbeat of the store's HELLO is the tail of a burst the broker sent
       while dropping it (answered once, by that HELLO); a BYE after that is a new drop. */
    wait_heartbeats(2);
    cr_assert_eq(wire_send(broker, id, WIRE_BYE, 0, NULL, NULL), 0);
    zframe_t *id2 = expect_hello();
    cr_expect(zframe_eq(id, id2), "same connection");
    zframe_destroy(&id);
    zframe_destroy(&id2);
}

Test(store, kill9_after_committed_loses_nothing)
{
    zframe_t *id = expect_hello();
    char jobs[8][UTIL_ID_HEX + 1];
    for (int i = 0; i < 8; i++) {
        char name[16];
        snprintf(name, sizeof name, "k%d", i);
        size_t len;
        uint8_t *pb = make_result(name, name, (uint64_t)0x0f0f0f0f0f0f0f0full << (i * 3),
                                  7, jobs[i], &len);
        send_result(id, jobs[i], pb, len);
        free(pb);
    }
    expect_committed(jobs, 8);
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    pid = 0;
    zframe_destroy(&id);

    db_t *ro = NULL;
    cr_assert_eq(db_open(dir, true, &ro), 0);
    db_stats_t st;
    cr_assert_eq(db_stats(ro, &st), 0);
    cr_expect_eq(st.articles, 8);
    db_destroy(&ro);

    /* A new store on the same data carries on, and a redelivery changes nothing. */
    start_store("50");
    id = expect_hello();
    size_t len;
    char again[1][UTIL_ID_HEX + 1];
    uint8_t *pb = make_result("k0", "k0", 0x0f0f0f0f0f0f0f0full, 7, again[0], &len);
    send_result(id, again[0], pb, len);
    free(pb);
    expect_committed(again, 1);
    cr_assert_eq(db_open(dir, true, &ro), 0);
    cr_assert_eq(db_stats(ro, &st), 0);
    cr_expect_eq(st.articles, 8);
    cr_expect_eq(st.claims, 8);
    db_destroy(&ro);
    zframe_destroy(&id);
}

Test(store_silent, reconnect, .init = setup_fast, .fini = teardown, .timeout = 60)
{
    zframe_t *id = expect_hello();
    /* Say nothing: after 2 heartbeats (400 ms) the store reconnects and says HELLO. */
    zframe_t *id2 = expect_hello();
    zframe_destroy(&id);
    zframe_destroy(&id2);
    cr_expect(alive());
}

Test(store_cli, usage_errors)
{
    const char *bin = getenv("CC_BIN_DIR");
    cr_assert_not_null(bin);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "%s/crossclaim-store --help | grep -q -- --batch-ms", bin);
    cr_expect_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/crossclaim-store 2>/dev/null", bin);
    cr_expect_eq(WEXITSTATUS(system(cmd)), 2, "no --data");
    snprintf(cmd, sizeof cmd, "%s/crossclaim-store --data /tmp --batch 0 2>/dev/null", bin);
    cr_expect_eq(WEXITSTATUS(system(cmd)), 2, "bad --batch");
}
