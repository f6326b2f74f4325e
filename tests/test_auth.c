/*  test_auth: CURVE on tcp endpoints and owner-only ipc files.

    In process: key files as keygen writes them, the checks on loading them, and a real
    CURVE ROUTER whose ZAP handler lets one key in and refuses another. With real
    processes (the binaries in CC_BIN_DIR, loopback tcp, ports from getpid()): a worker
    whose key is not in the broker's allow dir is refused and does no job, while the
    pipeline with known keys runs end to end; and the data dir and every ipc socket are
    private to their owner even under umask 0; plain clients on the broker's and on the
    store's CURVE sockets are counted on their /metrics pages. */
#include "pipeline_util.h"
#include "auth.h"
#include "util.h"

#include <czmq.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define CHECK(expr) do { int rc_ = (expr); \
    cr_assert_eq(rc_, 0, "%s: %s", #expr, auth_strerror(rc_)); } while (0)

static char *s_dir;

static void s_setup(void)
{
    s_dir = pu_tmpdir();
}

static void s_teardown(void)
{
    pu_sh("rm -rf %s", s_dir);
    free(s_dir);
}

static unsigned s_mode(const char *fmt, const char *a, const char *b)
{
    char path[1024];
    snprintf(path, sizeof path, fmt, a, b);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0, "no %s", path);
    return (unsigned)(st.st_mode & 07777);
}

/* Makes DIR/NAME.key and .key_secret with auth_keygen. */
static void s_keygen(const char *dir, const char *name)
{
    char err[512];
    cr_assert_eq(auth_keygen(dir, name, NULL, NULL, 0, err, sizeof err), 0, "keygen: %s", err);
}

TestSuite(auth);

/* ---------------------------------------------------------------- key files */

Test(auth, keygen_writes_a_private_pair_and_never_overwrites, .init = s_setup, .fini = s_teardown)
{
    char keys[600], pub[4200], sec[4200], err[512];
    snprintf(keys, sizeof keys, "%s/keys", s_dir);
    mode_t old = umask(0);   /* the modes must not depend on the caller's umask */
    int rc = auth_keygen(keys, "worker-1", pub, sec, sizeof pub, err, sizeof err);
    umask(old);
    cr_assert_eq(rc, 0, "keygen: %s", err);
    cr_assert_eq(s_mode("%s/keys%s", s_dir, ""), 0700);
    cr_assert_eq(s_mode("%s%s", sec, ""), 0600, "secret file mode %o", s_mode("%s%s", sec, ""));
    cr_assert_eq(s_mode("%s%s", pub, ""), 0644);

    /* Both load: the pair as a key, the public file as a server key. */
    auth_t *a = NULL;
    auth_config_t cfg = {.key = sec, .server_key = pub};
    cr_assert_eq(auth_new(&cfg, &a, err, sizeof err), 0, "%s", err);
    auth_destroy(&a);
    cr_assert_null(a);

    cr_assert_neq(auth_keygen(keys, "worker-1", NULL, NULL, 0, err, sizeof err), 0);
    cr_assert(strstr(err, "never overwritten"), "%s", err);
    cr_assert_neq(auth_keygen(keys, "../evil", NULL, NULL, 0, err, sizeof err), 0);
    cr_assert_neq(auth_keygen(keys, ".hidden", NULL, NULL, 0, err, sizeof err), 0);
    cr_assert_neq(auth_keygen(keys, "", NULL, NULL, 0, err, sizeof err), 0);
}

Test(auth, key_files_are_checked, .init = s_setup, .fini = s_teardown)
{
    s_keygen(s_dir, "a");
    char pub[700], sec[700], err[512];
    snprintf(pub, sizeof pub, "%s/a.key", s_dir);
    snprintf(sec, sizeof sec, "%s/a.key_secret", s_dir);
    auth_t *a = NULL;

    /* The public half where the pair belongs. */
    cr_assert_neq(auth_new(&(auth_config_t){.key = pub}, &a, err, sizeof err), 0);
    cr_assert(strstr(err, "no secret key"), "%s", err);
    /* A pair others can read, as ssh refuses such keys. */
    cr_assert_eq(chmod(sec, 0640), 0);
    cr_assert_eq(auth_new(&(auth_config_t){.key = sec}, &a, err, sizeof err), -EPERM);
    cr_assert(strstr(err, "chmod 600"), "%s", err);
    cr_assert_eq(chmod(sec, 0600), 0);
    /* Not a key file at all. */
    cr_assert_neq(auth_new(&(auth_config_t){.key = sec, .server_key = "/etc/hostname"}, &a,
                           err, sizeof err), 0);
    /* A public key whose secret does not match. */
    /* (One character changed for certain: a key that began with 0 gets a 1.) */
    pu_sh("sed -i 's/public-key = \"0/public-key = \"1/; t; s/public-key = \"./public-key = \"0/' %s",
          sec);
    cr_assert_neq(auth_new(&(auth_config_t){.key = sec}, &a, err, sizeof err), 0);
    cr_assert(strstr(err, "does not match") || strstr(err, "valid"), "%s", err);
    /* Contradictions. */
    cr_assert_neq(auth_new(&(auth_config_t){.key = pub, .insecure = true}, &a, err, sizeof err), 0);
    cr_assert_neq(auth_new(&(auth_config_t){.allow_dir = s_dir}, &a, err, sizeof err), 0);
    cr_assert_null(a);
}

Test(auth, network_endpoints, .init = s_setup, .fini = s_teardown)
{
    cr_assert(auth_is_network("tcp://127.0.0.1:5555"));
    cr_assert(auth_is_network("ipc://@abstract"));
    cr_assert(auth_is_network("ws://host:80"));
    cr_assert_not(auth_is_network("ipc:///tmp/x.ipc"));
    cr_assert_not(auth_is_network("ipc://rel/x.ipc"));
    cr_assert_not(auth_is_network("inproc://x"));
}

Test(auth, tcp_needs_keys_or_insecure, .init = s_setup, .fini = s_teardown)
{
    char err[512];
    zsock_t *s = zsock_new(ZMQ_ROUTER);
    cr_assert_eq(auth_bind(NULL, s, "tcp://127.0.0.1:*", err, sizeof err), AUTH_EPLAIN);
    cr_assert(strstr(err, "--insecure"), "%s", err);
    cr_assert_eq(auth_connect(NULL, s, "tcp://127.0.0.1:1", err, sizeof err), AUTH_EPLAIN);
    auth_t *a = NULL;
    CHECK(auth_new(&(auth_config_t){.insecure = true}, &a, err, sizeof err));
    CHECK(auth_bind(a, s, "tcp://127.0.0.1:*", err, sizeof err));
    zsock_destroy(&s);
    auth_destroy(&a);
}

/* ---------------------------------------------------------------- CURVE in process */

/* A DEALER with key pair `sec` sending "hello" to the server at `ep`. */
static zsock_t *s_client(auth_t *auth, const char *ep)
{
    char err[512];
    zsock_t *c = zsock_new(ZMQ_DEALER);
    zsock_set_linger(c, 0);
    cr_assert_eq(auth_connect(auth, c, ep, err, sizeof err), 0, "%s", err);
    zstr_send(c, "hello");
    return c;
}

Test(auth, zap_lets_in_allowed_keys_only, .init = s_setup, .fini = s_teardown)
{
    char allow[600], keys[600], stranger[600], err[512];
    snprintf(allow, sizeof allow, "%s/allow", s_dir);
    snprintf(keys, sizeof keys, "%s/keys", s_dir);
    snprintf(stranger, sizeof stranger, "%s/stranger", s_dir);
    s_keygen(keys, "server");
    s_keygen(keys, "friend");
    s_keygen(stranger, "foe");
    pu_sh("mkdir -m 700 %s && cp %s/friend.key %s/", allow, keys, allow);

    char path[3][700];
    snprintf(path[0], sizeof path[0], "%s/server.key_secret", keys);
    snprintf(path[1], sizeof path[1], "%s/server.key", keys);
    auth_t *server = NULL, *friend = NULL, *foe = NULL;
    CHECK(auth_new(&(auth_config_t){.key = path[0], .allow_dir = allow}, &server, err, sizeof err));
    zsock_t *router = zsock_new(ZMQ_ROUTER);
    zsock_set_linger(router, 0);
    CHECK(auth_bind(server, router, "tcp://127.0.0.1:*", err, sizeof err));
    char *ep = zsock_last_endpoint(router);

    snprintf(path[2], sizeof path[2], "%s/foe.key_secret", stranger);
    CHECK(auth_new(&(auth_config_t){.key = path[2], .server_key = path[1]}, &foe, err, sizeof err));
    zsock_t *c_foe = s_client(foe, ep);
    /* The foe learns it was refused... */
    int rc = 0;
    for (int i = 0; i < 200 && rc == 0; i++) {
        zclock_sleep(50);
        rc = auth_check(foe);
    }
    cr_assert_eq(rc, AUTH_EREFUSED, "foe: %s", auth_strerror(rc));
    cr_assert_geq(auth_denied(server), 1);
    cr_assert_eq(auth_accepted(server), 0);

    snprintf(path[2], sizeof path[2], "%s/friend.key_secret", keys);
    CHECK(auth_new(&(auth_config_t){.key = path[2], .server_key = path[1]}, &friend, err, sizeof err));
    zsock_t *c_friend = s_client(friend, ep);
    /* ...and the only message the server ever gets is the friend's. */
    zsock_set_rcvtimeo(router, 10000);
    zmsg_t *m = zmsg_recv(router);
    cr_assert_not_null(m, "the friend's message did not arrive");
    cr_assert_eq(zmsg_size(m), 2);
    char *body = zframe_strdup(zmsg_last(m));
    cr_assert_str_eq(body, "hello");
    free(body);
    zmsg_destroy(&m);
    cr_assert_eq(auth_accepted(server), 1);
    zsock_set_rcvtimeo(router, 500);
    cr_assert_null(m = zmsg_recv(router), "the foe's message got through");
    cr_assert_eq(auth_check(friend), 0);

    /* A key added to the allow dir counts from the next handshake, no restart. */
    pu_sh("cp %s/foe.key %s/", stranger, allow);
    zsock_destroy(&c_foe);
    c_foe = s_client(foe, ep);
    zsock_set_rcvtimeo(router, 10000);
    cr_assert_not_null(m = zmsg_recv(router), "the newly allowed key was not let in");
    zmsg_destroy(&m);

    zstr_free(&ep);
    zsock_destroy(&c_foe);
    zsock_destroy(&c_friend);
    zsock_destroy(&router);
    auth_destroy(&server);
    auth_destroy(&friend);
    auth_destroy(&foe);
}

/* ---------------------------------------------------------------- real processes */

#define S_MAXP 8
static pid_t s_pids[S_MAXP];
static int s_npids;

/* Starts a binary from CC_BIN_DIR with its stderr into `log` (or inherited). */
static pid_t s_start(const char *log, char *const argv[])
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        if (log) {
            FILE *f = freopen(log, "w", stderr);
            (void)f;
        }
        execv(argv[0], argv);
        _exit(127);
    }
    cr_assert_lt(s_npids, S_MAXP);
    s_pids[s_npids++] = pid;
    return pid;
}

/* SIGTERM, then SIGKILL after 10 s: a process that does not stop fails the test. */
static void s_stop_all(void)
{
    bool hung = false;
    for (int i = s_npids - 1; i >= 0; i--) {
        kill(s_pids[i], SIGTERM);
        int st, n = 0;
        while (waitpid(s_pids[i], &st, WNOHANG) == 0 && n++ < 100)
            usleep(100000);
        if (n > 100) {
            hung = true;
            kill(s_pids[i], SIGKILL);
            waitpid(s_pids[i], NULL, 0);
        }
    }
    s_npids = 0;
    cr_assert_not(hung, "a process did not stop on SIGTERM within 10 s");
}

static void s_teardown_procs(void)
{
    s_stop_all();
    s_teardown();
}

/* Integer after "key": in `json`, after `from` when not NULL; -1 when absent. */
static long s_json_int(const char *json, const char *from, const char *key)
{
    if (from && !(json = strstr(json, from)))
        return -1;
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

/* Output of a shell command (first 64 KiB), malloc'd. */
static char *s_capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    char *out = calloc(1, 65536);
    size_t n = fread(out, 1, 65535, p);
    out[n] = 0;
    pclose(p);
    return out;
}

static bool s_file_has(const char *path, const char *needle)
{
    return pu_sh("grep -q -- '%s' %s", needle, path) == 0;
}

/* A daemon of the plain-client tests: CURVE on two loopback tcp ports from `base`, its
   /metrics page on the third. */
typedef struct {
    char ep[2][64];           /* tcp://127.0.0.1:base and :base+1 */
    char metrics[200];        /* a shell command that prints its /metrics page */
    char log[700];            /* its stderr */
} s_curve_daemon_t;

/* Makes the key pairs keys/NAME and keys/CLIENT in s_dir, lets in CLIENT's key only, and
   starts crossclaim-NAME on s_dir/data with its two endpoints given by the flags ep_flag[0]
   and ep_flag[1] (the broker's --frontend and --backend, the store's --pub and --query). */
static void s_start_curve_daemon(const char *name, const char *client,
                                 const char *const ep_flag[2], unsigned base,
                                 s_curve_daemon_t *d)
{
    const char *bin = pu_bin();
    char port[16], data[600], exe[600], kp[700], allow[600];
    snprintf(d->ep[0], sizeof d->ep[0], "tcp://127.0.0.1:%u", base);
    snprintf(d->ep[1], sizeof d->ep[1], "tcp://127.0.0.1:%u", base + 1);
    snprintf(port, sizeof port, "%u", base + 2);
    snprintf(data, sizeof data, "%s/data", s_dir);
    snprintf(exe, sizeof exe, "%s/crossclaim-%s", bin, name);
    snprintf(kp, sizeof kp, "%s/keys/%s.key_secret", s_dir, name);
    snprintf(allow, sizeof allow, "%s/allow", s_dir);
    snprintf(d->log, sizeof d->log, "%s/%s.log", s_dir, name);
    cr_assert_eq(pu_sh("cd %s && %s/crossclaim keygen --out keys %s >/dev/null && "
                       "%s/crossclaim keygen --out keys %s >/dev/null && mkdir -m 700 allow && "
                       "cp keys/%s.key allow/", s_dir, bin, name, bin, client, client), 0);
    s_start(d->log, (char *[]){exe, "--data", data, (char *)ep_flag[0], d->ep[0],
                               (char *)ep_flag[1], d->ep[1], "--curve-key", kp,
                               "--curve-allow", allow, "--metrics-port", port, NULL});
    snprintf(d->metrics, sizeof d->metrics, "curl -sf http://127.0.0.1:%s/metrics", port);
}

Test(auth, unknown_worker_is_refused_known_worker_works, .init = s_setup,
     .fini = s_teardown_procs, .timeout = 240)
{
    const char *bin = pu_bin();
    unsigned base = 40000 + (unsigned)(getpid() % 7000) * 3;
    char front[64], back[64], k[600], s[600], allow[600], data_b[600], data_s[600];
    snprintf(front, sizeof front, "tcp://127.0.0.1:%u", base);
    snprintf(back, sizeof back, "tcp://127.0.0.1:%u", base + 1);
    snprintf(k, sizeof k, "%s/keys", s_dir);
    snprintf(s, sizeof s, "%s/stranger", s_dir);
    snprintf(allow, sizeof allow, "%s/allow", s_dir);
    snprintf(data_b, sizeof data_b, "%s/broker-data", s_dir);
    snprintf(data_s, sizeof data_s, "%s/store-data", s_dir);

    /* Keys through the real command; the stranger's public key is never allowed. */
    cr_assert_eq(pu_sh("cd %s && for n in broker store good ops; do %s/crossclaim keygen --out keys $n "
                       ">/dev/null || exit 1; done && %s/crossclaim keygen --out stranger bad >/dev/null && "
                       "mkdir -m 700 allow && cp keys/store.key keys/good.key keys/ops.key allow/",
                       s_dir, bin, bin), 0);
    char b_bin[600], st_bin[600], w_bin[600], kp[4][700], bkey[700], badkey[700], log[3][700];
    snprintf(b_bin, sizeof b_bin, "%s/crossclaim-broker", bin);
    snprintf(st_bin, sizeof st_bin, "%s/crossclaim-store", bin);
    snprintf(w_bin, sizeof w_bin, "%s/crossclaim-worker", bin);
    snprintf(kp[0], sizeof kp[0], "%s/broker.key_secret", k);
    snprintf(kp[1], sizeof kp[1], "%s/store.key_secret", k);
    snprintf(kp[2], sizeof kp[2], "%s/good.key_secret", k);
    snprintf(kp[3], sizeof kp[3], "%s/ops.key_secret", k);
    snprintf(bkey, sizeof bkey, "%s/broker.key", k);
    snprintf(badkey, sizeof badkey, "%s/bad.key_secret", s);
    snprintf(log[0], sizeof log[0], "%s/bad.log", s_dir);
    snprintf(log[1], sizeof log[1], "%s/plain.log", s_dir);
    snprintf(log[2], sizeof log[2], "%s/submit-bad.log", s_dir);

    s_start(NULL, (char *[]){b_bin, "--data", data_b, "--frontend", front, "--backend", back,
                             "--curve-key", kp[0], "--curve-allow", allow, "--heartbeat-ms", "200",
                             "--quiet", NULL});
    s_start(NULL, (char *[]){st_bin, "--data", data_s, "--broker", back, "--curve-key", kp[1],
                             "--curve-server", bkey, "--heartbeat-ms", "200", "--quiet", NULL});
    /* Two intruders: a key the broker does not know, and no CURVE at all. */
    s_start(log[0], (char *[]){w_bin, "--broker", back, "--name", "bad", "--curve-key", badkey,
                               "--curve-server", bkey, "--heartbeat-ms", "200", NULL});
    s_start(log[1], (char *[]){w_bin, "--broker", back, "--name", "plain", "--insecure",
                               "--heartbeat-ms", "200", NULL});

    char status[4096];
    snprintf(status, sizeof status, "%s/crossclaim status --json --data %s --broker %s "
             "--curve-key %s --curve-server %s", bin, data_s, front, kp[3], bkey);
    char *json = NULL;
    bool up = false;
    for (int i = 0; i < 300 && !up; i++) {
        free(json);
        json = s_capture(status);
        up = strstr(json, "\"store_connected\":true") && s_json_int(json, "\"auth\"", "denied") >= 1 &&
             s_file_has(log[0], "refused");
        if (!up)
            usleep(100000);
    }
    cr_assert(up, "broker, store and the refusal did not come up: %s", json);
    free(json);

    /* The samples go in over CURVE tcp with the operator's key... */
    cr_assert_eq(pu_sh("%s/crossclaim submit --broker %s --curve-key %s --curve-server %s %s/samples "
                       "2>/dev/null", bin, front, kp[3], bkey, getenv("CC_SOURCE_DIR")), 0);
    /* ...and stay queued: neither intruder is a worker. */
    json = s_capture(status);
    cr_assert_eq(s_json_int(json, NULL, "depth"), 4, "%s", json);
    cr_assert_eq(s_json_int(json, NULL, "connected_workers"), 0, "%s", json);
    cr_assert_eq(s_json_int(json, NULL, "completed"), 0, "%s", json);
    free(json);

    /* A producer with an unknown key is told so, instead of waiting out its timeout. */
    cr_assert_eq(pu_sh("%s/crossclaim submit --broker %s --curve-key %s --curve-server %s %s/samples "
                       "2>%s", bin, front, badkey, bkey, getenv("CC_SOURCE_DIR"), log[2]), 1);
    cr_assert(s_file_has(log[2], "refused"), "submit with an unknown key did not say it was refused");
    /* And one without keys is stopped before it sends anything in the clear. */
    cr_assert_eq(pu_sh("%s/crossclaim submit --broker %s %s/samples 2>/dev/null", bin, front,
                       getenv("CC_SOURCE_DIR")), 1);

    s_start(NULL, (char *[]){w_bin, "--broker", back, "--name", "good", "--curve-key", kp[2],
                             "--curve-server", bkey, "--heartbeat-ms", "200", "--quiet", NULL});
    long done = 0;
    for (int i = 0; i < 600 && done < 4; i++) {
        json = s_capture(status);
        done = s_json_int(json, NULL, "completed");
        if (done < 4) {
            free(json);
            usleep(100000);
        }
    }
    cr_assert_eq(done, 4, "the known worker did not do the jobs");
    cr_assert_eq(s_json_int(json, "\"name\":\"good\"", "jobs_done"), 4, "%s", json);
    cr_assert_null(strstr(json, "\"name\":\"bad\""), "%s", json);
    cr_assert_null(strstr(json, "\"name\":\"plain\""), "%s", json);
    cr_assert_geq(s_json_int(json, "\"auth\"", "denied"), 2, "%s", json);  /* bad worker + bad submit */
    cr_assert_geq(s_json_int(json, "\"auth\"", "accepted"), 3, "%s", json); /* store, ops, good */
    free(json);
    /* The bad worker did no job and says why; the plain one never got in either. */
    cr_assert(s_file_has(log[0], "refused this process"), "the bad worker's log does not say why");
    s_stop_all();
    cr_assert(s_file_has(log[0], "stopped after 0 jobs"), "the refused worker did a job");
    cr_assert(s_file_has(log[1], "stopped after 0 jobs"), "the plain worker did a job");

    char cmd[1400];
    snprintf(cmd, sizeof cmd, "%s/crossclaim export --data %s --type article | wc -l", bin, data_s);
    char *exp = s_capture(cmd);
    cr_assert_eq(atoi(exp), 4, "export: %s", exp);
    free(exp);
}

Test(auth, data_dir_and_ipc_files_are_owner_only, .init = s_setup, .fini = s_teardown_procs,
     .timeout = 120)
{
    const char *bin = pu_bin();
    char data[600], b_bin[600], st_bin[600];
    snprintf(data, sizeof data, "%s/data", s_dir);   /* made by the daemons */
    snprintf(b_bin, sizeof b_bin, "%s/crossclaim-broker", bin);
    snprintf(st_bin, sizeof st_bin, "%s/crossclaim-store", bin);
    /* umask 0: the modes must come from the code, not from a careful parent. */
    mode_t old = umask(0);
    s_start(NULL, (char *[]){b_bin, "--data", data, "--quiet", NULL});
    s_start(NULL, (char *[]){st_bin, "--data", data, "--quiet", NULL});
    umask(old);
    bool up = false;
    for (int i = 0; i < 200 && !up; i++) {
        up = pu_sh("%s/crossclaim status --data %s 2>/dev/null | grep -q '\"store_connected\":true'",
                   bin, data) == 0;
        if (!up)
            usleep(100000);
    }
    cr_assert(up, "broker and store did not come up");
    cr_assert_eq(s_mode("%s/data%s", s_dir, ""), 0700, "data dir mode %o", s_mode("%s/data%s", s_dir, ""));
    static const char *const files[] = {"frontend.ipc", "backend.ipc", "feed.ipc", "query.ipc",
                                        "broker/data.mdb", "store/data.mdb"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        unsigned m = s_mode("%s/%s", data, files[i]);
        cr_assert_eq(m, 0600, "%s has mode %o", files[i], m);
    }
    cr_assert_eq(s_mode("%s/%s", data, "broker"), 0700);
    cr_assert_eq(s_mode("%s/%s", data, "store"), 0700);
}

/* The store's feed and query socket on tcp are CURVE servers with the same allow dir
   rule: `query` and `watch` with a known key get answers and updates, an unknown key is
   told it was refused (exit 1) instead of waiting as if the store were down. */
Test(auth, store_feed_and_query_on_tcp_let_in_known_keys_only, .init = s_setup,
     .fini = s_teardown_procs, .timeout = 240)
{
    const char *bin = pu_bin();
    unsigned base = 47000 + (unsigned)(getpid() % 6000) * 3;
    char feed[64], query[64], data[600], b_bin[600], st_bin[600], w_bin[600], skey[700];
    snprintf(feed, sizeof feed, "tcp://127.0.0.1:%u", base);
    snprintf(query, sizeof query, "tcp://127.0.0.1:%u", base + 1);
    snprintf(data, sizeof data, "%s/data", s_dir);
    snprintf(b_bin, sizeof b_bin, "%s/crossclaim-broker", bin);
    snprintf(st_bin, sizeof st_bin, "%s/crossclaim-store", bin);
    snprintf(w_bin, sizeof w_bin, "%s/crossclaim-worker", bin);
    snprintf(skey, sizeof skey, "%s/keys/store.key_secret", s_dir);
    cr_assert_eq(pu_sh("cd %s && for n in store reader; do %s/crossclaim keygen --out keys $n "
                       ">/dev/null || exit 1; done && %s/crossclaim keygen --out stranger bad "
                       ">/dev/null && mkdir -m 700 allow && cp keys/reader.key allow/",
                       s_dir, bin, bin), 0);
    char allow[600];
    snprintf(allow, sizeof allow, "%s/allow", s_dir);
    s_start(NULL, (char *[]){b_bin, "--data", data, "--quiet", NULL});
    s_start(NULL, (char *[]){st_bin, "--data", data, "--pub", feed, "--query", query,
                             "--curve-key", skey, "--curve-allow", allow, "--quiet", NULL});
    char wep[700];
    snprintf(wep, sizeof wep, "ipc://%s/backend.ipc", data);
    s_start(NULL, (char *[]){w_bin, "--broker", wep, "--quiet", NULL});
    cr_assert_eq(pu_sh("%s/crossclaim submit --data %s %s/samples 2>/dev/null", bin, data,
                       getenv("CC_SOURCE_DIR")), 0);

    /* Known key: the stats come back over CURVE, with the four samples once merged. */
    char good[1600];
    snprintf(good, sizeof good, "--query %s --curve-key %s/keys/reader.key_secret "
             "--curve-server %s/keys/store.key", query, s_dir, s_dir);
    char cmd[2400];
    snprintf(cmd, sizeof cmd, "%s/crossclaim query --stats %s 2>&1", bin, good);
    char *out = NULL;
    long articles = -1;
    for (int i = 0; i < 200 && articles != 4; i++) {
        free(out);
        out = s_capture(cmd);
        articles = s_json_int(out, NULL, "articles");
        if (articles != 4)
            usleep(100000);
    }
    cr_assert_eq(articles, 4, "query --stats with a known key: %s", out);
    free(out);

    /* watch: the snapshot's records arrive over the CURVE feed and query socket. */
    snprintf(cmd, sizeof cmd, "%s/crossclaim watch --feed %s %s --count 3 -q 2>&1", bin, feed, good);
    out = s_capture(cmd);
    int snap = 0;
    for (const char *p = out; (p = strstr(p, "\"via\":\"snapshot\"")); p++)
        snap++;
    cr_assert_eq(snap, 3, "watch with a known key: %s", out);
    free(out);

    /* Unknown key: refused, said so, exit 1, and well before a 20 s time-out. */
    char bad[1600];
    snprintf(bad, sizeof bad, "--query %s --curve-key %s/stranger/bad.key_secret "
             "--curve-server %s/keys/store.key", query, s_dir, s_dir);
    snprintf(cmd, sizeof cmd, "%s/crossclaim query --stats --timeout 20 %s 2>&1; echo \"exit=$?\"",
             bin, bad);
    uint64_t t0 = util_mono_us();
    out = s_capture(cmd);
    cr_assert(strstr(out, "refused"), "query with an unknown key: %s", out);
    cr_assert(strstr(out, "exit=1"), "query with an unknown key: %s", out);
    cr_assert_lt(util_mono_us() - t0, 15000000u, "the refusal waited out the time-out: %s", out);
    free(out);
    snprintf(cmd, sizeof cmd, "%s/crossclaim watch --feed %s %s 2>&1; echo \"exit=$?\"", bin,
             feed, bad);
    out = s_capture(cmd);
    cr_assert(strstr(out, "refused") && strstr(out, "exit=1"), "watch with an unknown key: %s", out);
    cr_assert_null(strstr(out, "\"seq\""), "an unknown key got records: %s", out);
    free(out);

    /* No keys at all: tcp is refused before anything is sent in the clear. */
    snprintf(cmd, sizeof cmd, "%s/crossclaim query --stats --query %s 2>&1; echo \"exit=$?\"", bin,
             query);
    out = s_capture(cmd);
    cr_assert(strstr(out, "exit=1") && strstr(out, "--insecure"), "query without keys: %s", out);
    free(out);
}

/* A producer without CURVE (--insecure) against a CURVE broker: before, submit waited out
   its whole time-out (120 s by default) as if the broker were down, and the broker
   neither counted nor logged the refusal. Now submit stops at the first refused
   handshake and names the cause, and the broker's /metrics counts it. */
Test(auth, plain_producer_against_curve_broker_stops_at_once, .init = s_setup,
     .fini = s_teardown_procs, .timeout = 120)
{
    const char *bin = pu_bin();
    s_curve_daemon_t d;
    s_start_curve_daemon("broker", "ops", (const char *const[2]){"--frontend", "--backend"},
                         53000 + (unsigned)(getpid() % 4000) * 3, &d);
    const char *front = d.ep[0], *metrics = d.metrics, *log = d.log;
    bool up = false;
    for (int i = 0; i < 200 && !up; i++) {
        up = pu_sh("%s 2>/dev/null | grep -q '^crossclaim_auth_plain_refused_total 0$'", metrics) == 0;
        if (!up)
            usleep(50000);
    }
    cr_assert(up, "the broker's metrics page did not come up with crossclaim_auth_plain_refused_total 0");

    char cmd[2400], out_path[700];
    snprintf(out_path, sizeof out_path, "%s/submit.log", s_dir);
    snprintf(cmd, sizeof cmd, "%s/crossclaim submit --insecure --timeout 30 --broker %s %s/samples "
             "2>%s; echo \"exit=$?\"", bin, front, getenv("CC_SOURCE_DIR"), out_path);
    uint64_t t0 = util_mono_us();
    char *out = s_capture(cmd);
    uint64_t took = util_mono_us() - t0;
    snprintf(cmd, sizeof cmd, "cat %s", out_path);
    char *err = s_capture(cmd);
    cr_assert(strstr(out, "exit=1"), "submit: %s %s", out, err);
    cr_assert_lt(took, 10000000u, "submit waited %llu ms instead of stopping at once: %s",
                 (unsigned long long)(took / 1000), err);
    cr_assert(strstr(err, "requires CURVE") && strstr(err, "--curve-key"),
              "submit does not name the cause: %s", err);
    free(out);
    free(err);

    /* The broker counted and logged it, and its page stays valid. A plain client that
       stops at once may close before its greeting reached the broker (then the broker
       saw only a connection dropped mid-handshake, not a plain client): its libzmq
       retries, so a few submits give the broker a greeting to refuse. */
    long refused = 0;
    snprintf(cmd, sizeof cmd, "%s/crossclaim submit --insecure --timeout 30 --broker %s %s/samples "
             "2>/dev/null", bin, front, getenv("CC_SOURCE_DIR"));
    char page[300];
    snprintf(page, sizeof page, "%s | sed -n 's/^crossclaim_auth_plain_refused_total //p'", metrics);
    for (int i = 0; i < 100 && refused < 1; i++) {
        if (i % 10 == 9)
            cr_assert_eq(pu_sh("%s", cmd), 1);
        out = s_capture(page);
        refused = atol(out);
        free(out);
        if (refused < 1)
            usleep(100000);
    }
    cr_assert_geq(refused, 1, "the broker did not count the plain client");
    cr_assert(s_file_has(log, "refused a plain tcp client"), "the broker did not log the plain client");
    if (pu_sh("command -v promtool >/dev/null") == 0)
        cr_assert_eq(pu_sh("%s | promtool check metrics >/dev/null 2>&1", metrics), 0,
                     "promtool check metrics fails on the broker's page");
}

/* Keys given roles through separate allow dirs: a producer's key may submit and nothing
   else; its HELLO worker, HELLO store and admin requests are refused, counted under
   rejected{reason="role"} and logged, while the keys of each role do their part and a key
   in --curve-allow may still do anything (here, the store). */
Test(auth, role_allow_dirs_keep_each_key_to_its_role, .init = s_setup, .fini = s_teardown_procs,
     .timeout = 240)
{
    const char *bin = pu_bin();
    unsigned base = 57000 + (unsigned)(getpid() % 2500) * 3;
    char front[64], back[64], data_b[600], data_s[600], data_s2[600], log[700], wlog[700];
    snprintf(front, sizeof front, "tcp://127.0.0.1:%u", base);
    snprintf(back, sizeof back, "tcp://127.0.0.1:%u", base + 1);
    snprintf(data_b, sizeof data_b, "%s/broker-data", s_dir);
    snprintf(data_s, sizeof data_s, "%s/store-data", s_dir);
    snprintf(data_s2, sizeof data_s2, "%s/fake-store-data", s_dir);
    snprintf(log, sizeof log, "%s/broker.log", s_dir);
    snprintf(wlog, sizeof wlog, "%s/prod-worker.log", s_dir);
    cr_assert_eq(pu_sh("cd %s && for n in broker store prod work ops; do %s/crossclaim keygen --out keys "
                       "$n >/dev/null || exit 1; done && mkdir -m 700 any producers workers admins && "
                       "cp keys/store.key any/ && cp keys/prod.key producers/ && "
                       "cp keys/work.key workers/ && cp keys/ops.key admins/", s_dir, bin), 0);
    char b_bin[600], st_bin[600], w_bin[600], kp[5][700], bkey[700], dirs[4][700];
    snprintf(b_bin, sizeof b_bin, "%s/crossclaim-broker", bin);
    snprintf(st_bin, sizeof st_bin, "%s/crossclaim-store", bin);
    snprintf(w_bin, sizeof w_bin, "%s/crossclaim-worker", bin);
    static const char *const names[5] = {"broker", "store", "prod", "work", "ops"};
    for (int i = 0; i < 5; i++)
        snprintf(kp[i], sizeof kp[i], "%s/keys/%s.key_secret", s_dir, names[i]);
    snprintf(bkey, sizeof bkey, "%s/keys/broker.key", s_dir);
    static const char *const dn[4] = {"any", "producers", "workers", "admins"};
    for (int i = 0; i < 4; i++)
        snprintf(dirs[i], sizeof dirs[i], "%s/%s", s_dir, dn[i]);

    s_start(log, (char *[]){b_bin, "--data", data_b, "--frontend", front, "--backend", back,
                            "--curve-key", kp[0], "--curve-allow", dirs[0],
                            "--allow-producers", dirs[1], "--allow-workers", dirs[2],
                            "--allow-admins", dirs[3], "--heartbeat-ms", "200", NULL});
    s_start(NULL, (char *[]){st_bin, "--data", data_s, "--broker", back, "--curve-key", kp[1],
                             "--curve-server", bkey, "--heartbeat-ms", "200", "--quiet", NULL});
    char as_ops[2200], as_prod[2200];
    snprintf(as_ops, sizeof as_ops, "--broker %s --curve-key %s --curve-server %s", front, kp[4], bkey);
    snprintf(as_prod, sizeof as_prod, "--broker %s --curve-key %s --curve-server %s", front, kp[2], bkey);
    char status[4096];
    snprintf(status, sizeof status, "%s/crossclaim status --json --data %s %s", bin, data_s, as_ops);
    char *json = NULL;
    bool up = false;
    for (int i = 0; i < 300 && !up; i++) {
        free(json);
        json = s_capture(status);
        up = strstr(json, "\"store_connected\":true") != NULL;
        if (!up)
            usleep(100000);
    }
    cr_assert(up, "the store (any-role key) did not connect, or the admin key got no stats: %s", json);
    cr_assert_eq(s_json_int(json, "\"rejected\"", "role"), 0, "%s", json);
    free(json);

    /* The producer submits; the worker's key may not. */
    cr_assert_eq(pu_sh("%s/crossclaim submit %s %s/samples 2>/dev/null", bin, as_prod,
                       getenv("CC_SOURCE_DIR")), 0, "the producer's key could not submit");
    char cmd[4600];
    snprintf(cmd, sizeof cmd, "%s/crossclaim submit --broker %s --curve-key %s --curve-server %s "
             "%s/samples 2>&1; echo \"exit=$?\"", bin, front, kp[3], bkey, getenv("CC_SOURCE_DIR"));
    char *out = s_capture(cmd);
    cr_assert(strstr(out, "may not submit") && !strstr(out, "exit=0"), "a worker's key submitted: %s", out);
    free(out);
    /* The producer's key may not pause. */
    snprintf(cmd, sizeof cmd, "%s/crossclaim pause %s 2>&1; echo \"exit=$?\"", bin, as_prod);
    out = s_capture(cmd);
    cr_assert(strstr(out, "may not send admin") && strstr(out, "exit=1"), "a producer's key paused: %s", out);
    free(out);
    json = s_capture(status);
    cr_assert(strstr(json, "\"paused\":false"), "%s", json);
    cr_assert_eq(s_json_int(json, "\"rejected\"", "role"), 5, "4 SUBMITs and 1 ADMIN: %s", json);
    free(json);

    /* The producer's key as a worker and as a second store: refused by role. */
    s_start(wlog, (char *[]){w_bin, "--broker", back, "--name", "prodworker", "--curve-key", kp[2],
                             "--curve-server", bkey, "--heartbeat-ms", "200", NULL});
    s_start(NULL, (char *[]){st_bin, "--data", data_s2, "--broker", back, "--curve-key", kp[2],
                             "--curve-server", bkey, "--heartbeat-ms", "200", "--quiet", NULL});
    bool refused = false;
    for (int i = 0; i < 300 && !refused; i++) {
        json = s_capture(status);
        refused = s_file_has(log, "may not act as worker") && s_file_has(log, "may not act as store");
        free(json);
        if (!refused)
            usleep(100000);
    }
    cr_assert(refused, "the broker did not log the producer's key saying HELLO worker and store");
    json = s_capture(status);
    cr_assert_geq(s_json_int(json, "\"rejected\"", "role"), 7, "%s", json);
    cr_assert_eq(s_json_int(json, "\"rejected\"", "second_store"), 0, "refused as a second store, "
                 "not by role: %s", json);
    cr_assert_eq(s_json_int(json, NULL, "connected_workers"), 0, "%s", json);
    cr_assert_eq(s_json_int(json, NULL, "depth"), 4, "%s", json);
    free(json);

    /* The worker's key works. */
    s_start(NULL, (char *[]){w_bin, "--broker", back, "--name", "good", "--curve-key", kp[3],
                             "--curve-server", bkey, "--heartbeat-ms", "200", "--quiet", NULL});
    long done = 0;
    for (int i = 0; i < 600 && done < 4; i++) {
        json = s_capture(status);
        done = s_json_int(json, NULL, "completed");
        free(json);
        if (done < 4)
            usleep(100000);
    }
    cr_assert_eq(done, 4, "the worker's key did not do the jobs");
    s_stop_all();
    cr_assert(s_file_has(wlog, "stopped after 0 jobs"), "the producer's key did a job");
}

/* The store's counterpart of the test above: a client without CURVE on the store's CURVE
   query socket gets no answer, and the store's /metrics counts and its log names it. The
   store needs no broker for that (it keeps trying to reach one), so none is started. */
Test(auth, plain_client_on_curve_store_query_is_counted, .init = s_setup,
     .fini = s_teardown_procs, .timeout = 120)
{
    unsigned base = 44000 + (unsigned)(getpid() % 5000) * 3;
    s_curve_daemon_t d;
    s_start_curve_daemon("store", "reader", (const char *const[2]){"--pub", "--query"}, base, &d);
    const char *query = d.ep[1], *metrics = d.metrics, *log = d.log;
    /* Its own start line first: a page on that port could be another process's, when
       another run's ports from its pid are the same as this one's. */
    char started[120];
    snprintf(started, sizeof started, "query %s", query);
    bool up = false;
    for (int i = 0; i < 200 && !up; i++) {
        up = s_file_has(log, started) &&
             pu_sh("%s 2>/dev/null | grep -q '^crossclaim_auth_plain_refused_total 0$'", metrics) == 0;
        if (!up)
            usleep(50000);
    }
    cr_assert(up, "the store did not start, or its metrics page did not come up with "
              "crossclaim_auth_plain_refused_total 0 (see %s)", log);

    /* A plain DEALER asks for STATS; its libzmq retries the refused handshake on its own. */
    zsock_t *plain = zsock_new(ZMQ_DEALER);
    cr_assert_not_null(plain);
    zsock_set_linger(plain, 0);
    cr_assert_eq(zsock_connect(plain, "%s", query), 0);
    cr_assert_eq(zstr_send(plain, "STATS"), 0);
    /* Whether the store or the DEALER sees the mismatch first is a race (the DEALER may
       read the CURVE greeting and hang up first, every time in a run, and the store then
       sees only a closed connection). A raw client that sends a plain (NULL) greeting and
       waits makes the store read it. */
    int raw = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert_geq(raw, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(base + 1))};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(connect(raw, (struct sockaddr *)&sa, sizeof sa), 0, "%s", strerror(errno));
    uint8_t greeting[64] = {0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 3, 0, 'N', 'U', 'L', 'L'};
    cr_assert_eq(write(raw, greeting, sizeof greeting), (ssize_t)sizeof greeting);
    char page[300];
    snprintf(page, sizeof page, "%s | sed -n 's/^crossclaim_auth_plain_refused_total //p'", metrics);
    long refused = 0;
    uint64_t deadline = util_mono_us() + 20000000u;
    while (refused < 1 && util_mono_us() < deadline) {
        char *out = s_capture(page);
        refused = atol(out);
        free(out);
        if (refused < 1)
            usleep(100000);
    }
    if (refused < 1) {
        char cmd[800];
        snprintf(cmd, sizeof cmd, "cat %s", log);
        char *out = s_capture(cmd);
        cr_assert_fail("the store did not count the plain client on its query socket; its "
                       "log:\n%.3000s", out);
    }
    close(raw);
    zsock_set_rcvtimeo(plain, 200);
    char *reply = zstr_recv(plain);
    cr_assert_null(reply, "the plain client got an answer: %s", reply);
    zsock_destroy(&plain);
    cr_assert(s_file_has(log, "refused a plain tcp client"), "the store did not log the plain client");
    if (pu_sh("command -v promtool >/dev/null") == 0)
        cr_assert_eq(pu_sh("%s | promtool check metrics >/dev/null 2>&1", metrics), 0,
                     "promtool check metrics fails on the store's page");
}
