/*  test_broker: starts the real crossclaim-broker (from $CC_BIN_DIR) on ipc endpoints in a
    temp directory and plays producer, worker and store with real czmq DEALER sockets.
    Short heartbeats and deadlines keep it fast. The broker is killed in every teardown. */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <czmq.h>
#include "util.h"
#include "wire.h"

#define HB_MS 100

static char s_dir[256];
static char s_front[300], s_back[300];
static pid_t s_pid;
static unsigned s_metrics_port;

static void s_spawn(void)
{
    const char *bin_dir = getenv("CC_BIN_DIR");
    cr_assert(bin_dir, "CC_BIN_DIR is not set (run through ctest)");
    char bin[512];
    snprintf(bin, sizeof bin, "%s/crossclaim-broker", bin_dir);
    char port[16];
    snprintf(port, sizeof port, "%u", s_metrics_port);
    s_pid = fork();
    cr_assert(s_pid >= 0);
    if (s_pid == 0) {
        /* Liveness 1 s: short enough for the silence tests, long enough that this
           process, slowed by ASan on a loaded machine, is not itself taken for silent. */
        execl(bin, bin, "--data", s_dir, "--heartbeat-ms", "100", "--liveness", "10",
              "--deadline-s", "3", "--max-attempts", "3", "--metrics-port", port, "--quiet",
              (char *)NULL);
        perror("exec crossclaim-broker");
        _exit(127);
    }
}

static void s_kill(void)
{
    if (s_pid > 0) {
        kill(s_pid, SIGKILL);
        waitpid(s_pid, NULL, 0);
        s_pid = 0;
    }
}

static zsock_t *s_dealer(const char *ep)
{
    zsock_t *s = zsock_new(ZMQ_DEALER);
    cr_assert(s);
    zsock_set_linger(s, 0);
    cr_assert_eq(zsock_connect(s, "%s", ep), 0);
    return s;
}

/* Receives the next message other than HB within `ms`, sending HB on each `alive` socket
   every HB_MS/2 meanwhile so those peers stay alive. Returns the message (caller
   destroys) with `m` decoded from it, or NULL on timeout. */
static zmsg_t *s_recv(zsock_t *sock, wire_msg_t *m, int ms, zsock_t **alive, int nalive)
{
    int64_t end = zclock_mono() + ms;
    zpoller_t *p = zpoller_new(sock, NULL);
    zmsg_t *out = NULL;
    while (zclock_mono() < end) {
        for (int i = 0; i < nalive; i++)
            wire_sendv(alive[i], NULL, WIRE_HB, NULL);
        if (zpoller_wait(p, HB_MS / 2) != sock)
            continue;
        zmsg_t *msg = zmsg_recv(sock);
        cr_assert(msg);
        int rc = wire_decode_msg(msg, false, NULL, m);
        cr_assert_eq(rc, 0, "broker sent a message we can't decode: %s", wire_strerror(rc));
        if (m->cmd == WIRE_HB) {
            zmsg_destroy(&msg);
            continue;
        }
        out = msg;
        break;
    }
    zpoller_destroy(&p);
    return out;
}

static bool s_arg_is(const wire_msg_t *m, size_t i, const char *s)
{
    return i < m->nargs && m->arg_len[i] == strlen(s) && memcmp(m->arg[i], s, m->arg_len[i]) == 0;
}

/* Sends ADMIN and returns the payload (malloc'd, NUL-terminated); *ok = status "ok". */
static char *s_admin(zsock_t *prod, const char *verb, const char *arg, bool *ok)
{
    if (arg)
        wire_sendv(prod, NULL, WIRE_ADMIN, "adm", verb, arg, NULL);
    else
        wire_sendv(prod, NULL, WIRE_ADMIN, "adm", verb, NULL);
    wire_msg_t m;
    zmsg_t *msg = s_recv(prod, &m, 3000, NULL, 0);
    cr_assert(msg, "no ADMINR for %s", verb);
    cr_assert_eq(m.cmd, WIRE_ADMINR);
    cr_assert(s_arg_is(&m, 0, "adm"));
    if (ok)
        *ok = s_arg_is(&m, 1, "ok");
    char *payload = util_strndup((const char *)m.arg[2], m.arg_len[2]);
    zmsg_destroy(&msg);
    return payload;
}

/* Value of integer field `key` in a flat-enough JSON text, or -1. */
static long s_json_int(const char *json, const char *key)
{
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

static long s_stat(zsock_t *prod, const char *key)
{
    char *j = s_admin(prod, "stats", NULL, NULL);
    long v = s_json_int(j, key);
    free(j);
    return v;
}

/* Polls stats until `key` == want or ~3 s pass, keeping `alive` sockets heartbeating. */
static long s_stat_wait(zsock_t *prod, const char *key, long want, zsock_t **alive, int nalive)
{
    long v = -1;
    for (int i = 0; i < 60; i++) {
        v = s_stat(prod, key);
        if (v == want)
            break;
        for (int k = 0; k < nalive; k++)
            wire_sendv(alive[k], NULL, WIRE_HB, NULL);
        zclock_sleep(50);
    }
    return v;
}

/* A packed Article whose id is right; caller frees. */
static uint8_t *s_article(const char *title, const char *text, size_t *len, char id[33])
{
    Crossclaim__Article a = CROSSCLAIM__ARTICLE__INIT;
    char jid[UTIL_ID_HEX + 1];
    util_job_id(title, strlen(title), text, strlen(text), jid);
    if (id)
        memcpy(id, jid, sizeof jid);
    a.id = jid;
    a.source = "test://source";
    a.title = (char *)title;
    a.outlet = "test";
    a.text.data = (uint8_t *)text;
    a.text.len = strlen(text);
    a.submitted_us = util_wall_us();
    return wire_pack_article(&a, len);
}

static uint8_t *s_result(const char *id, size_t *len)
{
    Crossclaim__Result r = CROSSCLAIM__RESULT__INIT;
    Crossclaim__Article a = CROSSCLAIM__ARTICLE__INIT;
    a.id = (char *)id;
    r.job_id = (char *)id;
    r.article = &a;
    r.worker = "w";
    return wire_pack_result(&r, len);
}

/* Submits and returns the ACK state ("queued"/"duplicate") or NACK reason, malloc'd. */
static char *s_submit_raw(zsock_t *prod, const void *pb, size_t len, wire_cmd_t *cmd)
{
    const void *args[2] = {"t1", pb};
    size_t lens[2] = {2, len};
    cr_assert_eq(wire_send(prod, NULL, WIRE_SUBMIT, 2, args, lens), 0);
    wire_msg_t m;
    zmsg_t *msg = s_recv(prod, &m, 3000, NULL, 0);
    cr_assert(msg, "no reply to SUBMIT");
    *cmd = m.cmd;
    cr_assert(s_arg_is(&m, 0, "t1"), "tag echoed");
    size_t last = m.nargs - 1;
    char *out = util_strndup((const char *)m.arg[last], m.arg_len[last]);
    zmsg_destroy(&msg);
    return out;
}

static void s_submit_expect(zsock_t *prod, const char *title, const char *text,
                            const char *state, char id[33])
{
    size_t len;
    uint8_t *pb = s_article(title, text, &len, id);
    wire_cmd_t cmd;
    char *got = s_submit_raw(prod, pb, len, &cmd);
    cr_assert_eq(cmd, WIRE_ACK, "SUBMIT was refused: %s", got);
    cr_assert_str_eq(got, state);
    free(got);
    free(pb);
}

static zsock_t *s_worker(const char *name, const char *credit)
{
    zsock_t *w = s_dealer(s_back);
    wire_sendv(w, NULL, WIRE_HELLO, "worker", name, credit, NULL);
    return w;
}

static zsock_t *s_prod;

/* Connects a store and waits until the broker has taken its HELLO: the broker dispatches
   nothing while no store is there to commit results. Keep it heartbeating (alive lists). */
static zsock_t *s_store_up_with(const char *credit)
{
    zsock_t *store = s_dealer(s_back);
    wire_sendv(store, NULL, WIRE_HELLO, "store", "store-1", credit, NULL);
    bool up = false;
    for (int i = 0; i < 60 && !up; i++) {
        char *st = s_admin(s_prod, "stats", NULL, NULL);
        up = strstr(st, "\"store_connected\":true") != NULL;
        free(st);
        if (!up)
            zclock_sleep(20);
    }
    cr_assert(up, "the store's HELLO was taken");
    return store;
}

static zsock_t *s_store_up(void)
{
    return s_store_up_with("100");
}

/* Waits for a JOB on worker `w`; fills id and attempt. */
static void s_expect_job(zsock_t *w, char id[33], int *attempt, zsock_t **alive, int nalive)
{
    wire_msg_t m;
    zmsg_t *msg = s_recv(w, &m, 6000, alive, nalive);
    cr_assert(msg, "worker got no JOB");
    cr_assert_eq(m.cmd, WIRE_JOB, "expected JOB, got %s", wire_cmd_name(m.cmd));
    memcpy(id, m.arg[0], UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    uint64_t att = 0;
    cr_assert_eq(wire_arg_u64(m.arg[1], m.arg_len[1], &att), 0);
    if (attempt)
        *attempt = (int)att;
    Crossclaim__Article *a;
    cr_assert_eq(wire_unpack_article(m.arg[2], m.arg_len[2], &a), 0, "JOB carries the article");
    cr_assert_str_eq(a->id, id);
    crossclaim__article__free_unpacked(a, NULL);
    zmsg_destroy(&msg);
}


/* Connects the producer once the broker's front end exists and waits for one answer, so
   no stale reply is left behind for the test to trip on. */
static void s_wait_up(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/frontend.ipc", s_dir);
    for (int i = 0; i < 200 && access(path, F_OK) != 0; i++)
        zclock_sleep(20);
    s_prod = s_dealer(s_front);
    wire_sendv(s_prod, NULL, WIRE_ADMIN, "ping", "stats", NULL);
    wire_msg_t m;
    zmsg_t *msg = s_recv(s_prod, &m, 5000, NULL, 0);
    cr_assert(msg, "broker did not come up");
    zmsg_destroy(&msg);
}

static void s_setup(void)
{
    zsys_handler_set(NULL);
    snprintf(s_dir, sizeof s_dir, "/tmp/test_broker.XXXXXX");
    cr_assert(mkdtemp(s_dir));
    snprintf(s_front, sizeof s_front, "ipc://%s/frontend.ipc", s_dir);
    snprintf(s_back, sizeof s_back, "ipc://%s/backend.ipc", s_dir);
    s_metrics_port = 20000 + (unsigned)(getpid() % 30000);
    s_spawn();
    s_wait_up();
}

/* SIGTERM must stop the broker cleanly (exit 0, queue closed) within a couple of seconds;
   SIGKILL after that, so no broker ever outlives its test. Returns the exit status. */
static int s_stop(void)
{
    if (s_pid <= 0)
        return 0;
    kill(s_pid, SIGTERM);
    int status = -1;
    for (int i = 0; i < 100; i++) {
        if (waitpid(s_pid, &status, WNOHANG) == s_pid) {
            s_pid = 0;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        zclock_sleep(30);
    }
    s_kill();
    return -1;
}

static void s_teardown(void)
{
    zsock_destroy(&s_prod);
    int status = s_stop();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", s_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", s_dir);
    cr_assert_eq(status, 0, "broker did not stop cleanly on SIGTERM (status %d)", status);
}

TestSuite(broker, .init = s_setup, .fini = s_teardown, .timeout = 60);

Test(broker, submit_then_duplicate)
{
    char id[33], id2[33];
    s_submit_expect(s_prod, "Title", "Seven soldiers were killed.", "queued", id);
    s_submit_expect(s_prod, "Title", "Seven soldiers were killed.", "duplicate", id2);
    cr_assert_str_eq(id, id2);
    cr_assert_eq(s_stat(s_prod, "submitted"), 1);
    cr_assert_eq(s_stat(s_prod, "duplicates"), 1);
    cr_assert_eq(s_stat(s_prod, "depth"), 1);
}

Test(broker, dispatch_by_credit_forward_and_commit)
{
    zsock_t *store = s_store_up();
    zsock_t *w = s_worker("w1", "1");
    zsock_t *alive[2] = {store, w};
    char a[33], b[33], got[33];
    s_submit_expect(s_prod, "A", "First article text.", "queued", a);
    s_submit_expect(s_prod, "B", "Second article text.", "queued", b);

    int attempt;
    s_expect_job(w, got, &attempt, alive, 2);
    cr_assert_str_eq(got, a, "FIFO order");
    cr_assert_eq(attempt, 1);
    /* Credit 1: b waits in the queue. The broker dispatches at the end of each turn of its
       loop, before it reads the next request, so this answer shows any second JOB. */
    char *held = s_admin(s_prod, "stats", NULL, NULL);
    cr_assert_eq(s_json_int(held, "depth"), 1, "credit 1: b left the queue before a RESULT: %s",
                 held);
    cr_assert_eq(s_json_int(held, "inflight"), 1, "credit 1: %s", held);
    free(held);
    wire_msg_t m;

    size_t rlen;
    uint8_t *res = s_result(a, &rlen);
    const void *args[2] = {a, res};
    size_t lens[2] = {UTIL_ID_HEX, rlen};
    wire_send(w, NULL, WIRE_RESULT, 2, args, lens);

    zmsg_t *fw = s_recv(store, &m, 3000, alive, 2);
    cr_assert(fw, "store got the RESULT");
    cr_assert_eq(m.cmd, WIRE_RESULT);
    cr_assert(s_arg_is(&m, 0, a));
    cr_assert_eq(m.arg_len[1], rlen);
    cr_assert(memcmp(m.arg[1], res, rlen) == 0, "forwarded unchanged");
    zmsg_destroy(&fw);
    free(res);

    s_expect_job(w, got, NULL, alive, 2);
    cr_assert_str_eq(got, b, "the RESULT returned one credit");
    cr_assert_eq(s_stat(s_prod, "awaiting_commit"), 1);

    wire_sendv(store, NULL, WIRE_COMMITTED, a, NULL);
    cr_assert_eq(s_stat_wait(s_prod, "completed", 1, alive, 2), 1);
    cr_assert_eq(s_stat(s_prod, "depth"), 0);
    cr_assert_eq(s_stat(s_prod, "inflight"), 1);
    cr_assert_eq(s_stat(s_prod, "awaiting_commit"), 0);
    /* Resubmitting a completed article is a no-op. */
    s_submit_expect(s_prod, "A", "First article text.", "duplicate", got);
    /* A second COMMITTED for the same job never counts twice. */
    wire_sendv(store, NULL, WIRE_COMMITTED, a, NULL);
    cr_assert_eq(s_stat_wait(s_prod, "not_sent_to_store", 1, alive, 2), 1,
                 "the second COMMITTED was not refused");
    cr_assert_eq(s_stat(s_prod, "completed"), 1);
    char *stats = s_admin(s_prod, "stats", NULL, NULL);
    cr_assert(strstr(stats, "\"store_connected\":true"), "%s", stats);
    cr_assert(strstr(stats, "\"name\":\"w1\""), "%s", stats);
    cr_assert_eq(s_json_int(stats, "connected_workers"), 1, "%s", stats);
    free(stats);
    zsock_destroy(&w);
    zsock_destroy(&store);
}

Test(broker, malformed_frames_are_counted_and_survived)
{
    zsock_t *store = s_store_up();
    wire_msg_t m;
    zmsg_t *r;
    /* Wrong frame count, with a tag: NACK. */
    wire_sendv(s_prod, NULL, WIRE_SUBMIT, "t1", NULL);
    r = s_recv(s_prod, &m, 2000, NULL, 0);
    cr_assert(r);
    cr_assert_eq(m.cmd, WIRE_NACK);
    zmsg_destroy(&r);
    /* Unknown command and a foreign protocol: no reply, counted. */
    zstr_sendm(s_prod, "CC1");
    zstr_sendm(s_prod, "FROBNICATE");
    zstr_send(s_prod, "x");
    zstr_sendm(s_prod, "HTTP/1.1");
    zstr_send(s_prod, "GET /");
    /* Garbage protobuf. */
    wire_cmd_t cmd;
    char *why = s_submit_raw(s_prod, "\x0f\xff\xff\xff", 4, &cmd);
    cr_assert_eq(cmd, WIRE_NACK);
    free(why);
    /* Empty text. */
    size_t len;
    uint8_t *pb = s_article("Empty", "", &len, NULL);
    why = s_submit_raw(s_prod, pb, len, &cmd);
    cr_assert_eq(cmd, WIRE_NACK);
    cr_assert_str_eq(why, "empty article");
    free(why);
    free(pb);
    /* Id that doesn't match the article. */
    Crossclaim__Article a = CROSSCLAIM__ARTICLE__INIT;
    a.id = "0123456789abcdef0123456789abcdef";
    a.title = "T";
    a.text.data = (uint8_t *)"text";
    a.text.len = 4;
    pb = wire_pack_article(&a, &len);
    why = s_submit_raw(s_prod, pb, len, &cmd);
    cr_assert_eq(cmd, WIRE_NACK);
    free(why);
    free(pb);
    /* Back end: RESULT before HELLO gets BYE; a bad job id is rejected. */
    zsock_t *stranger = s_dealer(s_back);
    wire_sendv(stranger, NULL, WIRE_RESULT, "0123456789abcdef0123456789abcdef", "x", NULL);
    r = s_recv(stranger, &m, 2000, NULL, 0);
    cr_assert(r, "unknown peer is told BYE");
    cr_assert_eq(m.cmd, WIRE_BYE);
    zmsg_destroy(&r);
    zsock_t *w = s_worker("w1", "1");
    wire_sendv(w, NULL, WIRE_RESULT, "not-a-job-id", "x", NULL);
    wire_sendv(w, NULL, WIRE_READY, "-5", NULL);
    zstr_send(w, "just one frame");
    /* A heartbeat flood does not wedge anything. */
    for (int i = 0; i < 5000; i++)
        wire_sendv(w, NULL, WIRE_HB, NULL);

    char id[33];
    s_submit_expect(s_prod, "Still", "The broker still answers.", "queued", id);
    char *stats = s_admin(s_prod, "stats", NULL, NULL);
    cr_assert_geq(s_json_int(stats, "frames"), 2, "%s", stats);
    cr_assert_geq(s_json_int(stats, "command"), 1, "%s", stats);
    cr_assert_geq(s_json_int(stats, "protocol"), 1, "%s", stats);
    cr_assert_geq(s_json_int(stats, "protobuf"), 1, "%s", stats);
    cr_assert_eq(s_json_int(stats, "empty_article"), 1, "%s", stats);
    cr_assert_eq(s_json_int(stats, "id_mismatch"), 1, "%s", stats);
    cr_assert_geq(s_json_int(stats, "argument"), 2, "%s", stats);
    cr_assert_eq(s_json_int(stats, "unknown_peer"), 1, "%s", stats);
    free(stats);
    /* And the worker, despite its garbage, still gets work. */
    char got[33];
    s_expect_job(w, got, NULL, (zsock_t *[]){w, store}, 2);
    cr_assert_str_eq(got, id);
    zsock_destroy(&w);
    zsock_destroy(&stranger);
    zsock_destroy(&store);
}

Test(broker, silent_worker_job_is_redelivered)
{
    zsock_t *store = s_store_up();
    char id[33], got[33];
    zsock_t *a = s_worker("quiet", "1");
    s_submit_expect(s_prod, "R", "Redeliver me.", "queued", id);
    int attempt;
    s_expect_job(a, got, &attempt, (zsock_t *[]){a, store}, 2);
    cr_assert_str_eq(got, id);
    /* `a` now goes silent; `b` keeps heartbeating. */
    zsock_t *b = s_worker("lively", "1");
    s_expect_job(b, got, &attempt, (zsock_t *[]){b, store}, 2);
    cr_assert_str_eq(got, id);
    cr_assert_eq(attempt, 2, "the lost attempt counts");
    cr_assert_eq(s_stat(s_prod, "redelivered"), 1);
    char *stats = s_admin(s_prod, "stats", NULL, NULL);
    cr_assert_null(strstr(stats, "\"quiet\""), "the silent worker was dropped: %s", stats);
    free(stats);
    zsock_destroy(&a);
    zsock_destroy(&b);
    zsock_destroy(&store);
}

Test(broker, permanent_failure_dead_list_and_requeue)
{
    zsock_t *store = s_store_up();
    char id[33], got[33];
    zsock_t *w = s_worker("w1", "1");
    s_submit_expect(s_prod, "Poison", "This article breaks the parser.", "queued", id);
    s_expect_job(w, got, NULL, (zsock_t *[]){w, store}, 2);
    wire_sendv(w, NULL, WIRE_FAIL, id, "cannot parse: bad table", "1", NULL);
    cr_assert_eq(s_stat_wait(s_prod, "dead", 1, (zsock_t *[]){w, store}, 2), 1);
    bool ok;
    char *list = s_admin(s_prod, "dead-list", NULL, &ok);
    cr_assert(ok);
    cr_assert(strstr(list, id), "%s", list);
    cr_assert(strstr(list, "cannot parse: bad table"), "%s", list);
    cr_assert(strstr(list, "\"source\":\"test://source\""), "%s", list);
    cr_assert(strstr(list, "\"attempts\":1"), "%s", list);
    free(list);
    char *show = s_admin(s_prod, "dead-show", id, &ok);
    cr_assert(ok, "%s", show);
    cr_assert(strstr(show, "\"title\":\"Poison\""), "%s", show);
    free(show);
    char *err = s_admin(s_prod, "requeue", "nope", &ok);
    cr_assert_not(ok, "a bad id is an error: %s", err);
    free(err);
    char *rq = s_admin(s_prod, "requeue", id, &ok);
    cr_assert(ok, "%s", rq);
    free(rq);
    int attempt;
    s_expect_job(w, got, &attempt, (zsock_t *[]){w, store}, 2);
    cr_assert_str_eq(got, id);
    cr_assert_eq(attempt, 1, "requeued dead jobs start over");
    cr_assert_eq(s_stat(s_prod, "dead"), 0);
    zsock_destroy(&w);
    zsock_destroy(&store);
}

Test(broker, transient_failures_end_dead_after_max_attempts)
{
    zsock_t *store = s_store_up();
    char id[33], got[33];
    zsock_t *w = s_worker("w1", "1");
    s_submit_expect(s_prod, "Flaky", "Fails every time.", "queued", id);
    for (int i = 1; i <= 3; i++) {
        int attempt;
        s_expect_job(w, got, &attempt, (zsock_t *[]){w, store}, 2);
        cr_assert_eq(attempt, i);
        wire_sendv(w, NULL, WIRE_FAIL, id, "timeout talking to nothing", "0", NULL);
    }
    cr_assert_eq(s_stat_wait(s_prod, "dead", 1, (zsock_t *[]){w, store}, 2), 1);
    bool ok;
    char *rq = s_admin(s_prod, "requeue-all", NULL, &ok);
    cr_assert(ok);
    cr_assert_eq(s_json_int(rq, "requeued"), 1, "%s", rq);
    free(rq);
    s_expect_job(w, got, NULL, (zsock_t *[]){w, store}, 2);
    cr_assert_str_eq(got, id);
    zsock_destroy(&w);
    zsock_destroy(&store);
}

Test(broker, pause_resume_and_unknown_verb)
{
    zsock_t *store = s_store_up();
    bool ok;
    free(s_admin(s_prod, "pause", NULL, &ok));
    cr_assert(ok);
    zsock_t *w = s_worker("w1", "1");
    cr_assert_eq(s_stat_wait(s_prod, "connected_workers", 1, (zsock_t *[]){w, store}, 2), 1);
    char id[33], got[33];
    s_submit_expect(s_prod, "P", "Paused article.", "queued", id);
    /* A worker with credit is there; the broker dispatches at the end of the turn that
       queued the article, before it reads this request: the job must still be queued. */
    char *st = s_admin(s_prod, "stats", NULL, NULL);
    cr_assert(strstr(st, "\"paused\":true"), "%s", st);
    cr_assert_eq(s_json_int(st, "depth"), 1, "dispatched while paused: %s", st);
    cr_assert_eq(s_json_int(st, "inflight"), 0, "dispatched while paused: %s", st);
    free(st);
    free(s_admin(s_prod, "resume", NULL, &ok));
    s_expect_job(w, got, NULL, (zsock_t *[]){w, store}, 2);
    cr_assert_str_eq(got, id);
    char *e = s_admin(s_prod, "frobnicate", NULL, &ok);
    cr_assert_not(ok);
    free(e);
    zsock_destroy(&w);
    zsock_destroy(&store);
}

/* Before, the pause lived in memory only: a restarted broker dispatched again. Now it is
   kept in the queue's LMDB, through a kill -9 too. */
Test(broker, pause_survives_a_restart_and_resume_still_works)
{
    bool ok;
    free(s_admin(s_prod, "pause", NULL, &ok));
    cr_assert(ok);
    zsock_destroy(&s_prod);
    s_kill();
    char sock[300];
    snprintf(sock, sizeof sock, "%s/frontend.ipc", s_dir);
    unlink(sock);   /* the killed broker's socket file stays behind */
    s_spawn();
    s_wait_up();
    zsock_t *store = s_store_up();
    zsock_t *w = s_worker("w1", "1");
    cr_assert_eq(s_stat_wait(s_prod, "connected_workers", 1, (zsock_t *[]){w, store}, 2), 1);
    char id[33], got[33];
    s_submit_expect(s_prod, "P", "Paused before the restart.", "queued", id);
    /* As in pause_resume_and_unknown_verb: the broker dispatches at the end of the turn
       that queued the article, before it reads this request. */
    char *st = s_admin(s_prod, "stats", NULL, NULL);
    cr_assert(strstr(st, "\"paused\":true"), "the pause was lost in the restart: %s", st);
    cr_assert_eq(s_json_int(st, "depth"), 1, "dispatched while paused: %s", st);
    cr_assert_eq(s_json_int(st, "inflight"), 0, "dispatched while paused: %s", st);
    free(st);
    free(s_admin(s_prod, "resume", NULL, &ok));
    cr_assert(ok);
    s_expect_job(w, got, NULL, (zsock_t *[]){w, store}, 2);
    cr_assert_str_eq(got, id);
    zsock_destroy(&w);
    zsock_destroy(&store);

    /* The resume is kept too: after another restart the broker is not paused. */
    zsock_destroy(&s_prod);
    s_kill();
    unlink(sock);
    s_spawn();
    s_wait_up();
    st = s_admin(s_prod, "stats", NULL, NULL);
    cr_assert(strstr(st, "\"paused\":false"), "a resume was lost in the restart: %s", st);
    free(st);
}

Test(broker, kill_9_loses_nothing_acknowledged)
{
    char id[33];
    s_submit_expect(s_prod, "Durable", "Survives kill -9.", "queued", id);
    zsock_destroy(&s_prod);
    s_kill();
    char sock[300];
    snprintf(sock, sizeof sock, "%s/frontend.ipc", s_dir);
    unlink(sock);   /* the killed broker's socket file stays behind */
    s_spawn();
    s_wait_up();
    long depth = -1;
    for (int i = 0; i < 50 && depth != 1; i++) {
        wire_sendv(s_prod, NULL, WIRE_ADMIN, "adm", "stats", NULL);
        wire_msg_t m;
        zmsg_t *msg = s_recv(s_prod, &m, 100, NULL, 0);
        if (msg) {
            char *j = util_strndup((const char *)m.arg[2], m.arg_len[2]);
            depth = s_json_int(j, "depth");
            free(j);
            zmsg_destroy(&msg);
        }
    }
    cr_assert_eq(depth, 1);
    char id2[33];
    s_submit_expect(s_prod, "Durable", "Survives kill -9.", "duplicate", id2);
}

/* GETs `path` from the metrics port; returns the response (malloc'd) or NULL. */
static char *s_http_get(const char *path)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s_metrics_port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return NULL;
    }
    char req[256];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: x\r\n\r\n", path);
    if (write(fd, req, (size_t)n) != n) {
        close(fd);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = util_malloc(cap);
    ssize_t r;
    while ((r = read(fd, buf + len, cap - len - 1)) > 0)
        len += (size_t)r;
    buf[len] = 0;
    close(fd);
    return buf;
}

Test(broker, metrics_over_http)
{
    char id[33];
    s_submit_expect(s_prod, "M", "Metrics article.", "queued", id);
    /* The page is re-rendered every 500 ms: poll until it shows the submit (5 s bound). */
    char *body = NULL;
    for (int64_t end = zclock_mono() + 5000; zclock_mono() < end; zclock_sleep(50)) {
        free(body);
        body = s_http_get("/metrics");
        if (body && strstr(body, "crossclaim_submitted_total 1\n"))
            break;
    }
    cr_assert(body, "metrics port answers");
    const char *names[] = {
        "# TYPE crossclaim_queue_depth gauge", "crossclaim_queue_depth 1",
        "crossclaim_inflight ", "crossclaim_workers ", "crossclaim_submitted_total 1",
        "crossclaim_completed_total ", "crossclaim_redelivered_total ",
        "crossclaim_dead_total ", "crossclaim_duplicates_total ",
        "crossclaim_rejected_total{reason=\"protobuf\"} ",
        "# TYPE crossclaim_submit_to_commit_seconds histogram",
        "crossclaim_submit_to_commit_seconds_bucket{le=\"+Inf\"} ",
        "crossclaim_submit_to_commit_seconds_sum ", "crossclaim_submit_to_commit_seconds_count ",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        cr_assert(strstr(body, names[i]), "missing '%s' in:\n%s", names[i], body);
    free(body);
    body = s_http_get("/nope");
    cr_assert(body && strstr(body, "404"));
    free(body);
}

Test(broker, deadline_redelivers_and_uncommitted_results_are_redone)
{
    zsock_t *store = s_store_up();
    char id[33], got[33];
    zsock_t *w = s_worker("slow", "2");
    s_submit_expect(s_prod, "Slow", "Takes longer than the deadline.", "queued", id);
    int attempt;
    s_expect_job(w, got, &attempt, (zsock_t *[]){w, store}, 2);
    cr_assert_eq(attempt, 1);
    /* Heartbeating but never answering: the 3 s deadline redelivers, attempt counted. */
    s_expect_job(w, got, &attempt, (zsock_t *[]){w, store}, 2);
    cr_assert_str_eq(got, id);
    cr_assert_eq(attempt, 2);
    /* Now it answers, but the store never commits it: after the deadline the job is
       redone without counting a failed attempt. */
    size_t rlen;
    uint8_t *res = s_result(id, &rlen);
    const void *args[2] = {id, res};
    size_t lens[2] = {UTIL_ID_HEX, rlen};
    wire_send(w, NULL, WIRE_RESULT, 2, args, lens);
    free(res);
    cr_assert_eq(s_stat_wait(s_prod, "awaiting_commit", 1, (zsock_t *[]){w, store}, 2), 1);
    s_expect_job(w, got, &attempt, (zsock_t *[]){w, store}, 2);
    cr_assert_str_eq(got, id);
    cr_assert_eq(attempt, 2, "a result the store never committed is not a failed attempt");
    cr_assert_eq(s_stat(s_prod, "redelivered"), 2);
    cr_assert_eq(s_stat(s_prod, "completed"), 0);
    zsock_destroy(&w);
    zsock_destroy(&store);
}

Test(broker, result_with_no_store_goes_back_to_the_queue)
{
    zsock_t *store = s_store_up();
    char id[33], got[33];
    zsock_t *w = s_worker("w1", "1");
    s_submit_expect(s_prod, "Orphan", "A result with nowhere to go.", "queued", id);
    s_expect_job(w, got, NULL, (zsock_t *[]){w, store}, 2);
    /* The store leaves while the worker works. */
    wire_sendv(store, NULL, WIRE_BYE, NULL);
    zsock_destroy(&store);
    char *st = NULL;
    for (int i = 0; i < 60; i++) {
        free(st);
        st = s_admin(s_prod, "stats", NULL, NULL);
        if (strstr(st, "\"store_connected\":false"))
            break;
        zclock_sleep(20);
    }
    cr_assert(strstr(st, "\"store_connected\":false"), "%s", st);
    free(st);
    size_t rlen;
    uint8_t *res = s_result(id, &rlen);
    const void *args[2] = {id, res};
    size_t lens[2] = {UTIL_ID_HEX, rlen};
    wire_send(w, NULL, WIRE_RESULT, 2, args, lens);
    free(res);
    /* Not "awaiting commit" from a store that is not there: queued again at once. */
    cr_assert_eq(s_stat_wait(s_prod, "depth", 1, (zsock_t *[]){w}, 1), 1);
    cr_assert_eq(s_stat(s_prod, "awaiting_commit"), 0);
    cr_assert_eq(s_stat(s_prod, "redelivered"), 1);
    store = s_store_up();
    int attempt;
    s_expect_job(w, got, &attempt, (zsock_t *[]){w, store}, 2);
    cr_assert_str_eq(got, id);
    cr_assert_eq(attempt, 1, "the lost result is not a failed attempt");
    zsock_destroy(&w);
    zsock_destroy(&store);
}

/* ---------------------------------------------------------------- hostile peers (issue 10) */

/* Value of rejected reason `r` in the stats. */
static long s_rejected(const char *r)
{
    char *j = s_admin(s_prod, "stats", NULL, NULL);
    const char *p = strstr(j, "\"rejected\":");
    cr_assert(p, "%s", j);
    long v = s_json_int(p, r);
    free(j);
    return v;
}

static long s_rejected_wait(const char *r, long want, zsock_t **alive, int nalive)
{
    long v = -1;
    for (int i = 0; i < 60; i++) {
        if ((v = s_rejected(r)) >= want)
            break;
        for (int k = 0; k < nalive; k++)
            wire_sendv(alive[k], NULL, WIRE_HB, NULL);
        zclock_sleep(50);
    }
    return v;
}

static void s_send_result(zsock_t *w, const char *id, const void *res, size_t rlen)
{
    const void *args[2] = {id, res};
    size_t lens[2] = {UTIL_ID_HEX, rlen};
    cr_assert_eq(wire_send(w, NULL, WIRE_RESULT, 2, args, lens), 0);
}

/* Waits for a RESULT on the store and returns its job id (and the worker field). */
static void s_expect_forwarded(zsock_t *store, char id[33], char *worker, size_t wcap,
                               zsock_t **alive, int nalive)
{
    wire_msg_t m;
    zmsg_t *fw = s_recv(store, &m, 4000, alive, nalive);
    cr_assert(fw, "the store got no RESULT");
    cr_assert_eq(m.cmd, WIRE_RESULT, "got %s", wire_cmd_name(m.cmd));
    memcpy(id, m.arg[0], UTIL_ID_HEX);
    id[UTIL_ID_HEX] = 0;
    Crossclaim__Result *r = crossclaim__result__unpack(NULL, m.arg_len[1], m.arg[1]);
    cr_assert(r);
    snprintf(worker, wcap, "%s", r->worker);
    crossclaim__result__free_unpacked(r, NULL);
    zmsg_destroy(&fw);
}

static uint8_t *s_result_by(const char *id, const char *worker, size_t *len)
{
    Crossclaim__Result r = CROSSCLAIM__RESULT__INIT;
    Crossclaim__Article a = CROSSCLAIM__ARTICLE__INIT;
    a.id = (char *)id;
    r.job_id = (char *)id;
    r.article = &a;
    r.worker = (char *)worker;
    return wire_pack_result(&r, len);
}

/* Flow control to the store (issue 13): the broker keeps no more jobs out of the queue,
   with workers or awaiting commit, than the store's HELLO credit, whatever credit the
   workers have. Before, every queued job went out as fast as workers took them, and a
   store that committed slowly held them all in memory. */
Test(broker, the_stores_credit_bounds_the_jobs_out_of_the_queue)
{
    zsock_t *store = s_store_up_with("3");
    zsock_t *w = s_worker("w1", "10");
    zsock_t *alive[2] = {store, w};
    char ids[8][33], got[33];
    for (int i = 0; i < 8; i++) {
        char title[16], text[64];
        snprintf(title, sizeof title, "W%d", i);
        snprintf(text, sizeof text, "Window article number %d.", i);
        s_submit_expect(s_prod, title, text, "queued", ids[i]);
    }
    char held[3][33];
    for (int i = 0; i < 3; i++)
        s_expect_job(w, held[i], NULL, alive, 2);
    char *st = s_admin(s_prod, "stats", NULL, NULL);
    cr_assert_eq(s_json_int(st, "depth"), 5, "store credit 3, worker credit 10: %s", st);
    cr_assert_eq(s_json_int(st, "store_credit"), 3, "%s", st);
    free(st);
    /* A result awaiting commit still counts: no JOB for it. */
    size_t rlen;
    uint8_t *res = s_result(held[0], &rlen);
    s_send_result(w, held[0], res, rlen);
    free(res);
    char fwd[33], worker[64];
    s_expect_forwarded(store, fwd, worker, sizeof worker, alive, 2);
    cr_assert_str_eq(fwd, held[0]);
    cr_assert_eq(s_stat(s_prod, "awaiting_commit"), 1);
    cr_assert_eq(s_stat(s_prod, "depth"), 5, "a job went out past the store's credit");
    /* Its commit makes room for one more. */
    wire_sendv(store, NULL, WIRE_COMMITTED, held[0], NULL);
    s_expect_job(w, got, NULL, alive, 2);
    cr_assert_str_eq(got, ids[3], "FIFO order after the window opened");
    cr_assert_eq(s_stat(s_prod, "depth"), 4);
    zsock_destroy(&w);
    zsock_destroy(&store);
}


/* Issue 10 #1: a RESULT over the frame limit used to be dropped as too_big: the job
   waited for its deadline and the worker's credit was gone for good. */
Test(broker, result_over_the_frame_limit_fails_the_job_and_returns_the_credit)
{
    zsock_t *store = s_store_up();
    zsock_t *w = s_worker("w1", "1");
    zsock_t *alive[2] = {store, w};
    char a[33], b[33], c[33], got[33], wname[16];
    s_submit_expect(s_prod, "Big", "An article whose result is huge.", "queued", a);
    s_submit_expect(s_prod, "Next", "The article after it.", "queued", b);
    s_submit_expect(s_prod, "Medium", "An article whose result is big but legal.", "queued", c);
    s_expect_job(w, got, NULL, alive, 2);
    cr_assert_str_eq(got, a);
    size_t n = WIRE_MAX_RESULT + 1;
    uint8_t *huge = calloc(1, n);
    cr_assert(huge);
    s_send_result(w, a, huge, n);
    free(huge);
    /* The credit came back at once (long before the 3 s deadline): the next job comes. */
    int64_t t0 = zclock_mono();
    s_expect_job(w, got, NULL, alive, 2);
    cr_assert_str_eq(got, b, "the worker got its credit back");
    cr_assert_lt(zclock_mono() - t0, 2500, "the credit came back only at the deadline");
    cr_assert_eq(s_stat_wait(s_prod, "dead", 1, alive, 2), 1, "the job is dead");
    bool ok;
    char *list = s_admin(s_prod, "dead-list", NULL, &ok);
    cr_assert(strstr(list, a) && strstr(list, "result too big"), "%s", list);
    cr_assert(strstr(list, "\"attempts\":1"), "dead at once (the same result again): %s", list);
    free(list);
    cr_assert_geq(s_rejected("result_too_big"), 1);

    /* A result bigger than an article but within WIRE_MAX_RESULT goes to the store. */
    size_t rlen;
    uint8_t *res = s_result_by(b, "w1", &rlen);
    s_send_result(w, b, res, rlen);
    free(res);
    s_expect_forwarded(store, got, wname, sizeof wname, alive, 2);
    s_expect_job(w, got, NULL, alive, 2);
    cr_assert_str_eq(got, c);
    Crossclaim__Result r = CROSSCLAIM__RESULT__INIT;
    Crossclaim__Article art = CROSSCLAIM__ARTICLE__INIT;
    art.id = c;
    r.job_id = c;
    r.article = &art;
    r.worker = "w1";
    r.n_warnings = 1;
    char *pad = malloc(WIRE_MAX_MESSAGE + 100);
    memset(pad, 'x', WIRE_MAX_MESSAGE + 99);
    pad[WIRE_MAX_MESSAGE + 99] = 0;
    r.warnings = &pad;
    res = wire_pack_result(&r, &rlen);
    free(pad);
    cr_assert_gt(rlen, WIRE_MAX_MESSAGE);
    s_send_result(w, c, res, rlen);
    free(res);
    s_expect_forwarded(store, got, wname, sizeof wname, alive, 2);
    cr_assert_str_eq(got, c, "a %zu-byte result is forwarded", rlen);
    zsock_destroy(&w);
    zsock_destroy(&store);
}

/* Issue 10 #2: any back-end peer could say HELLO store and then COMMITTED <ids>. */
Test(broker, second_store_is_refused_and_commits_only_what_was_sent)
{
    zsock_t *store = s_store_up();
    zsock_t *w = s_worker("w1", "1");
    zsock_t *fake = s_dealer(s_back);
    wire_sendv(fake, NULL, WIRE_HELLO, "store", "impostor", "100", NULL);
    zsock_t *alive[3] = {store, w, fake};
    char a[33], b[33], got[33], wname[16];
    s_submit_expect(s_prod, "A", "Acknowledged article one.", "queued", a);
    s_submit_expect(s_prod, "B", "Acknowledged article two.", "queued", b);
    s_expect_job(w, got, NULL, alive, 3);
    cr_assert_str_eq(got, a);
    size_t rlen;
    uint8_t *res = s_result_by(a, "w1", &rlen);
    s_send_result(w, a, res, rlen);
    free(res);
    s_expect_forwarded(store, got, wname, sizeof wname, alive, 3);

    cr_assert_eq(s_rejected_wait("second_store", 1, alive, 3), 1, "second HELLO store refused");
    char *st = s_admin(s_prod, "stats", NULL, NULL);
    cr_assert(strstr(st, "\"store\":\"store-1\""), "the first store stays: %s", st);
    free(st);
    wire_sendv(fake, NULL, WIRE_COMMITTED, a, b, NULL);
    /* The admitted store commits a job that is queued, never sent to it. */
    wire_sendv(store, NULL, WIRE_COMMITTED, b, NULL);
    cr_assert_geq(s_rejected_wait("not_sent_to_store", 1, alive, 3), 1);
    cr_assert_geq(s_rejected_wait("second_store", 2, alive, 3), 2, "the impostor's COMMITTED");
    cr_assert_eq(s_stat(s_prod, "completed"), 0, "nothing was marked done");
    cr_assert_eq(s_stat(s_prod, "awaiting_commit"), 1);
    /* The real commit still works, and b is still to be done (not "already known"). */
    wire_sendv(store, NULL, WIRE_COMMITTED, a, NULL);
    cr_assert_eq(s_stat_wait(s_prod, "completed", 1, alive, 3), 1);
    s_expect_job(w, got, NULL, alive, 3);
    cr_assert_str_eq(got, b);

    /* When the admitted store leaves, the waiting one takes over at once. */
    wire_sendv(store, NULL, WIRE_BYE, NULL);
    zsock_t *alive2[2] = {w, fake};
    bool took = false;
    for (int i = 0; i < 60 && !took; i++) {
        char *s2 = s_admin(s_prod, "stats", NULL, NULL);
        took = strstr(s2, "\"store\":\"impostor\"") != NULL;
        free(s2);
        if (!took) {
            wire_sendv(w, NULL, WIRE_HB, NULL);
            wire_sendv(fake, NULL, WIRE_HB, NULL);
            zclock_sleep(50);
        }
    }
    cr_assert(took, "the candidate store was admitted when the first left");
    res = s_result_by(b, "w1", &rlen);
    s_send_result(w, b, res, rlen);
    free(res);
    s_expect_forwarded(fake, got, wname, sizeof wname, alive2, 2);
    cr_assert_str_eq(got, b);
    zsock_destroy(&fake);
    zsock_destroy(&w);
    zsock_destroy(&store);
}

/* Issue 10 #3: a worker could send RESULTs for jobs queued or held by another worker. */
Test(broker, results_only_from_the_worker_holding_the_job)
{
    zsock_t *store = s_store_up();
    zsock_t *w1 = s_worker("honest", "1");
    char a[33], b[33], got[33], wname[16];
    s_submit_expect(s_prod, "A", "Held by the honest worker.", "queued", a);
    s_expect_job(w1, got, NULL, (zsock_t *[]){store, w1}, 2);
    cr_assert_str_eq(got, a);
    zsock_t *w2 = s_worker("forger", "0");
    zsock_t *alive[3] = {store, w1, w2};
    s_submit_expect(s_prod, "B", "Queued, given to nobody.", "queued", b);
    size_t rlen;
    uint8_t *res = s_result_by(a, "forger", &rlen);
    s_send_result(w2, a, res, rlen);
    free(res);
    res = s_result_by(b, "forger", &rlen);
    s_send_result(w2, b, res, rlen);
    free(res);
    wire_sendv(w2, NULL, WIRE_FAIL, a, "forged failure", "1", NULL);
    cr_assert_eq(s_rejected_wait("not_holder", 3, alive, 3), 3, "3 forged messages refused");
    /* The store's first RESULT is the honest worker's. */
    res = s_result_by(a, "honest", &rlen);
    s_send_result(w1, a, res, rlen);
    free(res);
    s_expect_forwarded(store, got, wname, sizeof wname, alive, 3);
    cr_assert_str_eq(got, a);
    cr_assert_str_eq(wname, "honest", "a forged result was forwarded");
    cr_assert_eq(s_stat(s_prod, "awaiting_commit"), 1);
    cr_assert_eq(s_stat(s_prod, "dead"), 0, "the forged FAIL killed nothing");
    cr_assert_eq(s_stat(s_prod, "depth"), 0, "b went to the honest worker, not to the store");
    zsock_destroy(&w1);
    zsock_destroy(&w2);
    zsock_destroy(&store);
}

/* Issue 10 #4: 4 HELLOs in 2.5 s sent 198 of 200 queued jobs to the dead set. */
Test(broker, repeated_hello_requeues_without_attempts_and_is_limited)
{
    zsock_t *store = s_store_up();
    zsock_t *w = s_worker("again", "5");
    zsock_t *alive[2] = {store, w};
    char ids[5][33], got[33];
    for (int i = 0; i < 5; i++) {
        char title[16], text[64];
        snprintf(title, sizeof title, "H%d", i);
        snprintf(text, sizeof text, "Article %d of a worker that repeats HELLO.", i);
        s_submit_expect(s_prod, title, text, "queued", ids[i]);
    }
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 5; i++) {
            int attempt;
            s_expect_job(w, got, &attempt, alive, 2);
            cr_assert_eq(attempt, 1, "round %d: a repeated HELLO counted a failed attempt", round);
        }
        if (round < 3)
            wire_sendv(w, NULL, WIRE_HELLO, "worker", "again", "5", NULL);
    }
    wire_sendv(w, NULL, WIRE_HELLO, "worker", "again", "5", NULL);   /* the 4th in 10 s */
    cr_assert_eq(s_rejected_wait("hello_flood", 1, alive, 2), 1);
    char *st = s_admin(s_prod, "stats", NULL, NULL);
    cr_assert_eq(s_json_int(st, "dead"), 0, "%s", st);
    cr_assert_eq(s_json_int(st, "rehello"), 3, "%s", st);
    cr_assert_eq(s_json_int(st, "connected_workers"), 1, "one worker, not four: %s", st);
    cr_assert_eq(s_json_int(st, "jobs"), 5, "it still holds its 5 jobs: %s", st);
    free(st);
    zsock_destroy(&w);
    zsock_destroy(&store);
}

/* Issue 10 #5: a result the store refuses used to be redelivered forever. */
Test(broker, refused_by_the_store_ends_dead_with_the_stores_reason)
{
    zsock_t *store = s_store_up();
    zsock_t *w = s_worker("w1", "1");
    zsock_t *alive[2] = {store, w};
    char a[33], got[33], wname[16];
    s_submit_expect(s_prod, "Poison", "A result the store will not take.", "queued", a);
    for (int i = 1; i <= 3; i++) {
        int attempt;
        s_expect_job(w, got, &attempt, alive, 2);
        cr_assert_str_eq(got, a);
        cr_assert_eq(attempt, i);
        size_t rlen;
        uint8_t *res = s_result_by(a, "w1", &rlen);
        s_send_result(w, a, res, rlen);
        free(res);
        s_expect_forwarded(store, got, wname, sizeof wname, alive, 2);
        wire_sendv(store, NULL, WIRE_REFUSED, a, "quantity 3: value not finite", "0", NULL);
    }
    cr_assert_eq(s_stat_wait(s_prod, "dead", 1, alive, 2), 1);
    bool ok;
    char *list = s_admin(s_prod, "dead-list", NULL, &ok);
    cr_assert(strstr(list, "refused by the store store-1: quantity 3: value not finite"), "%s", list);
    free(list);
    cr_assert_eq(s_stat(s_prod, "store_refused"), 3);
    /* REFUSED for a job not sent to the store is refused itself. */
    wire_sendv(store, NULL, WIRE_REFUSED, a, "x", "1", NULL);
    cr_assert_geq(s_rejected_wait("not_sent_to_store", 1, alive, 2), 1);
    cr_assert_eq(s_stat(s_prod, "store_refused"), 3);
    zsock_destroy(&w);
    zsock_destroy(&store);
}
