/*  test_faults: "nothing acknowledged is lost, nothing is counted twice" through real
    faults. Each test starts the real daemons (crossclaim-broker, -store, -worker from
    build/bin) on ipc sockets with LMDB files in a temp dir and streams 2,000 or more
    synthetic articles into `crossclaim submit` through a named pipe at a steady rate, as
    a feed would arrive. Meanwhile it does violence to one of the daemons (kill -9,
    SIGSTOP), lets the survivors drain the queue, and then checks the export article by
    article against a clean run of the same input (made once per test binary): every
    acknowledged article in the store exactly once or in the dead letters with a reason,
    and the same claims, entities and cross-references as the clean run, byte for byte.

    Each test prints one line of figures (also appended to build/faults-figures.txt).
    The soak (random kills of workers and the store) runs 2,500 articles here and 10,000
    with `make soak` (CC_SOAK_ARTICLES, CC_SOAK_RATE, CC_SOAK_SEED). Timing is never
    asserted: waits are bounded only so that a wedge fails instead of hanging. Set
    CC_FAULTS_KEEP=1 to keep each run's dir (logs of every daemon) for a look. */
#include "faults_util.h"
#include "util.h"
#include "wire.h"

#include <arpa/inet.h>
#include <criterion/hooks.h>
#include <czmq.h>
#include <netinet/in.h>
#include <sys/socket.h>

#define S_ARTICLES 2000
#define S_RATE     400     /* articles a second into the pipe: 5 s of feed */

static char s_refdir[64];

ReportHook(PRE_ALL)(struct criterion_test_set *set)
{
    (void)set;
    snprintf(s_refdir, sizeof s_refdir, "/tmp/cc-faults-ref-XXXXXX");
    if (mkdtemp(s_refdir))
        setenv("CC_FAULTS_REF", s_refdir, 1);
}

ReportHook(POST_ALL)(struct criterion_global_stats *stats)
{
    (void)stats;
    if (s_refdir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", s_refdir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", s_refdir);
    }
}

/* One fault run: the cluster, the producer and the feed into it. */
typedef struct {
    fu_cluster_t c;
    fu_ref_t ref;
    char fifo[200];
    pid_t submit, feeder;
    double t0;
    fu_figures_t fig;
} s_run_t;

static pid_t s_child(void)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
    }
    return pid;
}

/* Writes the lines of `input` into `fifo`, `rate` a second, from a child process. */
static pid_t s_feed(const char *fifo, const char *input, unsigned rate)
{
    pid_t pid = s_child();
    if (pid != 0)
        return pid;
    FILE *in = fopen(input, "r");
    FILE *out = fopen(fifo, "w");
    if (!in || !out)
        _exit(1);
    char *line = NULL;
    size_t cap = 0;
    double t0 = fu_now();
    for (long k = 0; getline(&line, &cap, in) > 0; k++) {
        double due = t0 + (double)k / rate;
        double now = fu_now();
        if (due > now) {
            fflush(out);
            usleep((useconds_t)((due - now) * 1e6));
        }
        if (fputs(line, out) == EOF)
            _exit(1);
    }
    _exit(fclose(out) == 0 ? 0 : 1);
}

/* Starts the daemons as configured in r->c, `crossclaim submit` reading the pipe, and
   the feed of the clean run's input into it. */
static void s_begin(s_run_t *r, int articles, unsigned rate, int workers)
{
    fu_reference(articles, &r->ref);
    r->t0 = fu_now();
    fu_start_broker(&r->c);
    fu_start_store(&r->c);
    for (int i = 0; i < workers; i++)
        fu_start_worker(&r->c, i);
    fu_status_t st;
    fu_wait_broker(&r->c, &st, 20);
    snprintf(r->fifo, sizeof r->fifo, "%s/feed.jsonl", r->c.dir);
    cr_assert_eq(mkfifo(r->fifo, 0600), 0, "mkfifo: %s", strerror(errno));
    r->submit = s_child();
    if (r->submit == 0) {
        char bin[600], log[300];
        snprintf(bin, sizeof bin, "%s/crossclaim", pu_bin());
        snprintf(log, sizeof log, "%s/submit.txt", r->c.dir);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 2);
            close(fd);
        }
        execl(bin, bin, "submit", "--data", r->c.dir, "--retry-ms", "500", "--timeout", "120",
              r->fifo, (char *)NULL);
        _exit(127);
    }
    r->feeder = s_feed(r->fifo, r->ref.input, rate);
}

/* Exit status of child *pid once it ends (bounded wait); *pid = 0 after. */
static int s_reap(pid_t *pid, double secs, const char *what)
{
    double end = fu_now() + secs;
    int status;
    while (waitpid(*pid, &status, WNOHANG) != *pid) {
        if (fu_now() > end) {
            kill(*pid, SIGKILL);
            waitpid(*pid, &status, 0);
            *pid = 0;
            cr_assert_fail("%s did not finish in %.0f s", what, secs);
        }
        fu_sleep_ms(50);
    }
    *pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* True while child `pid` runs; does not reap it (s_reap does). */
static bool s_alive(pid_t pid)
{
    siginfo_t info = {0};
    return pid > 0 && waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == 0;
}

/* The end of every fault run: the feed and the submit done, the queue drained, the
   check against the clean run, and the line of figures. */
static void s_finish(s_run_t *r, const char *what, const char *extra)
{
    cr_assert_eq(s_reap(&r->feeder, 300, "the feed"), 0, "the feed into the pipe failed");
    int rc = s_reap(&r->submit, 300, "crossclaim submit");
    char path[300];
    snprintf(path, sizeof path, "%s/submit.txt", r->c.dir);
    long pending = -1;
    fu_submit_summary(path, &r->fig.submitted, &r->fig.acknowledged, &pending);
    cr_assert_eq(rc, 0, "crossclaim submit exited %d: see %s", rc, path);
    cr_assert_eq(pending, 0, "%ld articles were never acknowledged", pending);
    cr_assert_eq(r->fig.acknowledged, (long)r->ref.ids.n, "acknowledged %ld of %zu",
                 r->fig.acknowledged, r->ref.ids.n);
    fu_status_t st;
    fu_wait_drained(&r->c, r->fig.acknowledged, 120, &st);
    r->fig.redelivered += st.redelivered;
    r->fig.late_results += st.late_results;
    pu_counts_t counts;
    fu_tally(&r->c, &r->ref, &r->fig, &counts);
    r->fig.seconds = fu_now() - r->t0;
    fu_report(what, &r->fig, extra);
    cr_assert_eq(r->fig.lost, 0, "%ld acknowledged articles lost (logs in %s)", r->fig.lost, r->c.dir);
    cr_assert_eq(r->fig.in_store + r->fig.dead, r->fig.acknowledged);
    /* Nothing poison is sent in these runs: a kill or a stop must not kill a job. */
    cr_assert_eq(r->fig.dead, 0, "%ld clean articles are dead letters (logs in %s)", r->fig.dead,
                 r->c.dir);
    cr_assert_eq(r->fig.doubled, 0, "%ld claim or xref records doubled or changed against the "
                 "clean run (logs in %s)", r->fig.doubled, r->c.dir);
    fu_compare(&r->c, &r->ref, &r->fig, &counts);
}

static void s_cleanup(s_run_t *r)
{
    cr_assert_eq(fu_stop_all(&r->c), 0, "daemons did not stop cleanly (logs in %s)", r->c.dir);
    if (getenv("CC_FAULTS_KEEP"))
        fprintf(stderr, "faults: kept %s\n", r->c.dir);
    else
        pu_sh("rm -rf %s", r->c.dir);
    free(r->ref.ids.id);
}

/* Freezes worker i (SIGSTOP) and waits until the broker says it holds jobs: while it has
   credit and the feed runs, jobs keep coming to it. Lets it go and tries again when none
   come. Returns how many it holds, frozen. */
static long s_freeze_holding(s_run_t *r, int i)
{
    char name[16];
    snprintf(name, sizeof name, "w%d", i);
    for (int tries = 0; tries < 100; tries++) {
        kill(r->c.workers[i], SIGSTOP);
        for (int k = 0; k < 5; k++) {
            fu_status_t st;
            long held = fu_status(&r->c, &st) == 0 ? fu_worker_jobs(&st, name) : -1;
            if (held > 0)
                return held;
            fu_sleep_ms(20);
        }
        kill(r->c.workers[i], SIGCONT);
        fu_sleep_ms(50);
    }
    cr_assert_fail("worker %s never held a job", name);
    return 0;
}

/* Waits until the broker counts `n` completed jobs or the store holds `n` articles. */
static void s_wait_progress(s_run_t *r, long n)
{
    fu_status_t st;
    double end = fu_now() + 120;
    for (;;) {
        bool up = fu_status(&r->c, &st) == 0;
        if ((up && st.completed >= n) || st.articles >= n)
            return;
        cr_assert(fu_now() < end, "not %ld articles through in 120 s: %s", n, st.raw);
        fu_sleep_ms(50);
    }
}

TestSuite(faults, .timeout = 900);

Test(faults, worker_kill_9_mid_job_is_redelivered_after_heartbeat_expiry)
{
    s_run_t r = {0};
    fu_cluster_init(&r.c);
    r.c.heartbeat_ms = 200;
    r.c.liveness = 3;
    for (int i = 0; i < 3; i++)
        r.c.worker_credit[i] = 8;
    /* half the rate, 10 s of feed: w1 is frozen after w0's kill, redelivery and restart,
       and needs jobs still coming then (a loaded machine took more than the 2.5 s that
       the full rate leaves: "worker w1 never held a job") */
    s_begin(&r, S_ARTICLES, S_RATE / 2, 3);

    /* w0 killed at a quarter, w1 at half; each holding jobs, each started again after. */
    long taken_back[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        s_wait_progress(&r, S_ARTICLES / 4 * (k + 1));
        long held = s_freeze_holding(&r, k);
        fu_status_t st;
        fu_status_up(&r.c, &st);
        long before = st.redelivered;
        fu_signal(&r.c.workers[k], SIGKILL);
        char name[8];
        snprintf(name, sizeof name, "w%d", k);
        double end = fu_now() + 30;
        for (;;) {
            fu_status_up(&r.c, &st);
            if (fu_worker_jobs(&st, name) < 0 && st.redelivered >= before + held)
                break;
            cr_assert(fu_now() < end, "the killed worker's %ld jobs were not redelivered: %s",
                      held, st.raw);
            fu_sleep_ms(50);
        }
        taken_back[k] = st.redelivered - before;
        fu_start_worker(&r.c, k);
    }
    char extra[128];
    snprintf(extra, sizeof extra, "2 workers killed holding %ld and %ld jobs", taken_back[0],
             taken_back[1]);
    s_finish(&r, "worker kill -9:", extra);
    cr_assert_geq(r.fig.redelivered, taken_back[0] + taken_back[1]);
    s_cleanup(&r);
}

Test(faults, worker_sigstop_jobs_redelivered_at_deadline_and_late_results_not_doubled)
{
    s_run_t r = {0};
    fu_cluster_init(&r.c);
    /* Liveness 40 x 250 ms = 10 s, far beyond the 2 s deadline: the hung worker is still
       "alive" by its (stopped) heartbeats, so only the deadline can take its jobs back. */
    r.c.heartbeat_ms = 250;
    r.c.liveness = 40;
    r.c.deadline_s = 2;
    for (int i = 0; i < 3; i++)
        r.c.worker_credit[i] = 8;
    s_begin(&r, S_ARTICLES, 300, 3);

    s_wait_progress(&r, S_ARTICLES / 5);
    long held = s_freeze_holding(&r, 0);
    double frozen_at = fu_now();
    fu_status_t st;
    fu_status_up(&r.c, &st);
    long before = st.redelivered;
    double end = fu_now() + 30;
    for (;;) {
        fu_status_up(&r.c, &st);
        long now_held = fu_worker_jobs(&st, "w0");
        cr_assert_geq(now_held, 0, "the hung worker was dropped for silence, not by the "
                      "deadline: %s", st.raw);
        if (now_held == 0 && st.redelivered >= held)
            break;
        cr_assert(fu_now() < end, "the hung worker's jobs were not redelivered: %s", st.raw);
        fu_sleep_ms(50);
    }
    double taken_back = fu_now() - frozen_at;
    long taken = st.redelivered - before;
    long late0 = st.late_results;
    /* Let its jobs be done by the others, then wake it: it sends results for jobs that
       are done or belong to someone else now. */
    fu_sleep_ms(500);
    kill(r.c.workers[0], SIGCONT);
    end = fu_now() + 30;
    for (;;) {
        fu_status_up(&r.c, &st);
        if (st.late_results > late0)
            break;
        cr_assert(fu_now() < end, "no late result from the woken worker: %s", st.raw);
        fu_sleep_ms(50);
    }
    char extra[160];
    snprintf(extra, sizeof extra, "1 worker stopped holding %ld jobs, taken back after %.1f s; "
             "%ld late results dropped", taken, taken_back, st.late_results);
    s_finish(&r, "worker SIGSTOP:", extra);
    s_cleanup(&r);
}

Test(faults, store_kill_9_mid_commit_broker_keeps_jobs_restarted_store_catches_up)
{
    s_run_t r = {0};
    fu_cluster_init(&r.c);
    r.c.heartbeat_ms = 200;
    r.c.liveness = 3;
    s_begin(&r, S_ARTICLES, S_RATE, 3);

    for (int k = 0; k < 2; k++) {
        s_wait_progress(&r, S_ARTICLES / 3 * (k + 1));
        fu_signal(&r.c.store, SIGKILL);
        /* The broker notices the silence, and from then on completes nothing and loses
           nothing: every job it acknowledged is queued, with a worker, awaiting a commit,
           completed or dead. */
        fu_status_t st, st2;
        double end = fu_now() + 30;
        while (fu_status(&r.c, &st) != 0 || st.store_connected != 0) {
            cr_assert(fu_now() < end, "the broker never noticed the store was gone: %s", st.raw);
            fu_sleep_ms(50);
        }
        /* No dispatch without a store: wait until every job the workers held has come
           back (nothing with a worker, nothing awaiting), so each had its chance to be
           counted complete, and none may have been. */
        end = fu_now() + 30;
        for (;;) {
            fu_status_up(&r.c, &st2);
            if (st2.inflight == 0 && st2.awaiting == 0)
                break;
            cr_assert(fu_now() < end, "the workers' jobs never came back: %s", st2.raw);
            fu_sleep_ms(50);
        }
        cr_assert_eq(st2.completed, st.completed, "jobs completed with no store: %s", st2.raw);
        cr_assert_eq(st2.awaiting, 0, "results awaiting a store that is gone: %s", st2.raw);
        cr_assert_eq(st2.submitted, st2.completed + st2.dead + st2.depth + st2.inflight,
                     "the broker lost track of jobs: %s", st2.raw);
        cr_assert_gt(st2.depth + st2.inflight, 0, "nothing left to do: %s", st2.raw);
        fu_start_store(&r.c);
    }
    s_finish(&r, "store kill -9:", "store killed twice mid-commit and restarted");
    s_cleanup(&r);
}

Test(faults, broker_kill_9_restart_recovers_queue_and_producer_resends)
{
    s_run_t r = {0};
    fu_cluster_init(&r.c);
    r.c.heartbeat_ms = 200;
    r.c.liveness = 3;
    s_begin(&r, S_ARTICLES, S_RATE, 3);

    long recovered = 0;
    for (int k = 0; k < 2; k++) {
        s_wait_progress(&r, S_ARTICLES / 3 * (k + 1));
        fu_status_t st;
        if (fu_status(&r.c, &st) == 0)
            r.fig.redelivered += st.redelivered;   /* this broker's, before it dies */
        fu_signal(&r.c.broker, SIGKILL);
        fu_sleep_ms(1000);   /* the feed goes on: the producer keeps unacknowledged ones */
        fu_start_broker(&r.c);
        fu_wait_broker(&r.c, &st, 20);
        recovered += st.depth + st.inflight;
    }
    char extra[160];
    snprintf(extra, sizeof extra, "broker killed twice and restarted; %ld jobs found in its "
             "queue at restart", recovered);
    s_finish(&r, "broker kill -9:", extra);
    char path[300];
    snprintf(path, sizeof path, "%s/submit.txt", r.c.dir);
    cr_assert_eq(pu_sh("grep -q 'crossclaim submit: .* [1-9][0-9]* resent,' %s", path), 0,
                 "the producer never resent: were the kills mid-stream?");
    s_cleanup(&r);
}

/* Random kills of workers and the store while the feed runs: short here, long with
   `make soak` (CC_SOAK_ARTICLES=10000). */
Test(faults, soak_random_kills_of_workers_and_store)
{
    const char *e;
    int articles = (e = getenv("CC_SOAK_ARTICLES")) ? atoi(e) : 2500;
    unsigned rate = (e = getenv("CC_SOAK_RATE")) ? (unsigned)atoi(e) : 60;
    uint64_t seed = (e = getenv("CC_SOAK_SEED")) ? strtoull(e, NULL, 10) : (uint64_t)time(NULL);
    cr_assert(articles >= 100 && rate >= 1, "CC_SOAK_ARTICLES >= 100 and CC_SOAK_RATE >= 1");
    s_run_t r = {0};
    fu_cluster_init(&r.c);
    r.c.heartbeat_ms = 200;
    r.c.liveness = 3;
    r.c.deadline_s = 10;
    s_begin(&r, articles, rate, 3);

    /* CC_SOAK_BROKER=1 kills the broker too, one time in ten. */
    bool broker_too = (e = getenv("CC_SOAK_BROKER")) && atoi(e) > 0;
    uint64_t rs = seed;
    int worker_kills = 0, store_kills = 0, broker_kills = 0;
    while (s_alive(r.feeder)) {
        fu_sleep_ms(500 + (unsigned)(fu_rand(&rs) % 1500));
        unsigned dice = (unsigned)(fu_rand(&rs) % 10);
        if (broker_too && dice == 0) {
            fu_status_t st;
            if (fu_status(&r.c, &st) == 0)
                r.fig.redelivered += st.redelivered;
            fu_signal(&r.c.broker, SIGKILL);
            broker_kills++;
            fu_sleep_ms(200 + (unsigned)(fu_rand(&rs) % 800));
            fu_start_broker(&r.c);
        } else if (dice < 7) {
            int w = (int)(fu_rand(&rs) % 3);
            fu_signal(&r.c.workers[w], SIGKILL);
            worker_kills++;
            fu_sleep_ms((unsigned)(fu_rand(&rs) % 300));
            fu_start_worker(&r.c, w);
        } else {
            fu_signal(&r.c.store, SIGKILL);
            store_kills++;
            fu_sleep_ms(200 + (unsigned)(fu_rand(&rs) % 800));
            fu_start_store(&r.c);
        }
    }
    char what[64], extra[200];
    snprintf(what, sizeof what, "soak %d:", articles);
    if (broker_too)
        snprintf(extra, sizeof extra, "%d worker, %d store and %d broker kills at random, "
                 "seed %llu, %u articles/s", worker_kills, store_kills, broker_kills,
                 (unsigned long long)seed, rate);
    else
        snprintf(extra, sizeof extra, "%d worker kills, %d store kills at random, seed %llu, "
                 "%u articles/s", worker_kills, store_kills, (unsigned long long)seed, rate);
    s_finish(&r, what, extra);
    cr_assert_gt(worker_kills + store_kills, 0);
    s_cleanup(&r);
}

/* ---------------------------------------------------------------- bad input */

/* GETs /metrics from the broker; returns the body (malloc'd) or NULL. */
static char *s_metrics(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return NULL;
    }
    const char req[] = "GET /metrics HTTP/1.0\r\nHost: x\r\n\r\n";
    if (write(fd, req, sizeof req - 1) != (ssize_t)(sizeof req - 1)) {
        close(fd);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    ssize_t n;
    while ((n = read(fd, buf + len, cap - len - 1)) > 0)
        len += (size_t)n;
    buf[len] = 0;
    close(fd);
    return buf;
}

/* The value of metric line `name` (with its labels), or -1. */
static long s_metric(const char *body, const char *name)
{
    char pat[200];
    snprintf(pat, sizeof pat, "\n%s ", name);
    const char *p = strstr(body, pat);
    return p ? strtol(p + strlen(pat), NULL, 10) : -1;
}

static zsock_t *s_dealer(const char *ep)
{
    zsock_t *s = zsock_new(ZMQ_DEALER);
    cr_assert_not_null(s);
    zsock_set_linger(s, 0);
    zsock_set_rcvtimeo(s, 5000);
    cr_assert_eq(zsock_connect(s, "%s", ep), 0);
    return s;
}

/* Receives the broker's next message on `s` that is not a heartbeat; NULL on time-out. */
static zmsg_t *s_recv(zsock_t *s, wire_msg_t *m)
{
    for (;;) {
        zmsg_t *msg = zmsg_recv(s);
        if (!msg)
            return NULL;
        cr_assert_eq(wire_decode_msg(msg, false, NULL, m), 0, "the broker sent garbage");
        if (m->cmd != WIRE_HB)
            return msg;
        zmsg_destroy(&msg);
    }
}

/* Sends frames as given and expects a NACK for tag "t" whose reason contains `why`. */
static void s_expect_nack(zsock_t *prod, zmsg_t *msg, const char *why)
{
    cr_assert_eq(zmsg_send(&msg, prod), 0);
    wire_msg_t m;
    zmsg_t *r = s_recv(prod, &m);
    cr_assert_not_null(r, "no answer (expected a NACK: %s)", why);
    cr_assert_eq(m.cmd, WIRE_NACK, "expected NACK (%s), got %s", why, wire_cmd_name(m.cmd));
    char reason[256];
    snprintf(reason, sizeof reason, "%.*s", (int)m.arg_len[1], (const char *)m.arg[1]);
    cr_assert(strstr(reason, why), "NACK reason '%s' does not say '%s'", reason, why);
    zmsg_destroy(&r);
}

static zmsg_t *s_submit_msg(const void *payload, size_t len)
{
    zmsg_t *msg = zmsg_new();
    zmsg_addstr(msg, WIRE_PROTO);
    zmsg_addstr(msg, "SUBMIT");
    zmsg_addstr(msg, "t");
    zmsg_addmem(msg, payload, len);
    return msg;
}

/* A packed Article of (title, text, len) with its right id, unless `id` is given. */
static uint8_t *s_article(const char *title, const void *text, size_t len, const char *id,
                          size_t *out_len)
{
    char jid[UTIL_ID_HEX + 1];
    util_job_id(title, strlen(title), text, len, jid);
    Crossclaim__Article a = CROSSCLAIM__ARTICLE__INIT;
    a.id = (char *)(id ? id : jid);
    a.source = "test://bad-input";
    a.title = (char *)title;
    a.outlet = "test";
    a.text.data = (uint8_t *)text;
    a.text.len = len;
    return wire_pack_article(&a, out_len);
}

/* Submits a good article and expects ACK queued. */
static void s_expect_ack(zsock_t *prod, const char *title, const void *text, size_t len)
{
    size_t n;
    uint8_t *pb = s_article(title, text, len, NULL, &n);
    zmsg_t *msg = s_submit_msg(pb, n);
    free(pb);
    cr_assert_eq(zmsg_send(&msg, prod), 0);
    wire_msg_t m;
    zmsg_t *r = s_recv(prod, &m);
    cr_assert_not_null(r);
    cr_assert_eq(m.cmd, WIRE_ACK, "'%s' was refused: %.*s", title, (int)m.arg_len[m.nargs - 1],
                 (const char *)m.arg[m.nargs - 1]);
    zmsg_destroy(&r);
}

TestSuite(bad_input, .timeout = 120);

Test(bad_input, each_class_gets_a_clear_error_and_a_counter_on_the_metrics_page)
{
    zsys_init();
    zsys_handler_set(NULL);
    fu_cluster_t c;
    fu_cluster_init(&c);
    c.metrics_port = 23000 + (unsigned)(getpid() % 20000);
    c.max_attempts = 3;
    fu_start_broker(&c);
    fu_start_store(&c);
    fu_start_worker(&c, 0);
    fu_status_t st;
    fu_wait_broker(&c, &st, 20);
    zsock_t *prod = s_dealer(c.front);

    /* Malformed frames on the front end. */
    zmsg_t *msg = zmsg_new();
    zmsg_addstr(msg, WIRE_PROTO);
    zmsg_addstr(msg, "SUBMIT");
    zmsg_addstr(msg, "t");                       /* the article frame is missing */
    s_expect_nack(prod, msg, "frames");
    zstr_sendx(prod, WIRE_PROTO, "FROBNICATE", "x", NULL);   /* unknown command */
    zstr_sendx(prod, "HTTP/1.1", "GET /", NULL);             /* another protocol */
    s_expect_nack(prod, s_submit_msg("\x0f\xff\xff\xff", 4), "protobuf");
    size_t n;
    const char body[] = "The mayor said 40 new buses would run in Dunmere from May.";
    uint8_t *pb = s_article("Buses", body, sizeof body - 1, NULL, &n);
    s_expect_nack(prod, s_submit_msg(pb, n / 2), "protobuf");   /* cut in half */
    free(pb);
    size_t big = WIRE_MAX_MESSAGE + 4096;         /* over the frame limit, under libzmq's */
    char *huge = calloc(1, big);
    s_expect_nack(prod, s_submit_msg(huge, big), "size");
    free(huge);

    /* Articles that can't be news. */
    pb = s_article("Empty", "", 0, NULL, &n);
    s_expect_nack(prod, s_submit_msg(pb, n), "empty article");
    free(pb);
    size_t over = WIRE_MAX_ARTICLE + 1;
    char *text = malloc(over);
    memset(text, 'a', over);
    pb = s_article("Huge", text, over, NULL, &n);
    s_expect_nack(prod, s_submit_msg(pb, n), "size limit");
    free(pb);
    free(text);
    pb = s_article("Binary", "abc\0def", 7, NULL, &n);
    s_expect_nack(prod, s_submit_msg(pb, n), "NUL");
    free(pb);
    pb = s_article("Forged", body, sizeof body - 1, "0123456789abcdef0123456789abcdef", &n);
    s_expect_nack(prod, s_submit_msg(pb, n), "job id");
    free(pb);

    /* Text that is not UTF-8: a Latin-1 pound sign is read as Windows-1252; 0x81 is
       nothing in either, so that article dies with its reason. */
    const char latin1[] = "A loaf now costs \xa3" "2 in Dunmere, the baker said on Friday.";
    s_expect_ack(prod, "Prices", latin1, sizeof latin1 - 1);
    const char undecodable[] = "Broken bytes \x81\x8d\x90 in a feed from nowhere.";
    s_expect_ack(prod, "Broken", undecodable, sizeof undecodable - 1);

    /* Peers on the back end that never said HELLO, and one that floods heartbeats. */
    zsock_t *stranger = s_dealer(c.back);
    wire_sendv(stranger, NULL, WIRE_HB, NULL);
    wire_msg_t m;
    zmsg_t *r = s_recv(stranger, &m);
    cr_assert_not_null(r, "the unknown peer is told BYE");
    cr_assert_eq(m.cmd, WIRE_BYE);
    zmsg_destroy(&r);
    zsock_t *idle[20];
    for (int i = 0; i < 20; i++)
        idle[i] = s_dealer(c.back);                /* connect, then say nothing at all */
    zsock_t *flooder = s_dealer(c.back);
    wire_sendv(flooder, NULL, WIRE_HELLO, "worker", "flooder", "0", NULL);
    for (int i = 0; i < 2000; i++)
        wire_sendv(flooder, NULL, WIRE_HB, NULL);

    /* Through all that, a good article still goes all the way. */
    s_expect_ack(prod, "Buses", body, sizeof body - 1);
    double end = fu_now() + 30;
    while (fu_status(&c, &st) != 0 || st.completed < 2 || st.dead < 1) {
        cr_assert(fu_now() < end, "the good articles were not processed: %s", st.raw);
        fu_sleep_ms(100);
    }
    cr_assert_eq(pu_sh("%s/crossclaim dead list --data %s | grep -q 'Windows-1252'", pu_bin(), c.dir),
                 0, "the undecodable article is not dead with a reason naming the encoding");

    static const struct { const char *name; long min, max; } want[] = {
        {"crossclaim_rejected_total{reason=\"frames\"}", 1, 1},
        {"crossclaim_rejected_total{reason=\"command\"}", 1, 1},
        {"crossclaim_rejected_total{reason=\"protocol\"}", 1, 1},
        {"crossclaim_rejected_total{reason=\"protobuf\"}", 2, 2},
        {"crossclaim_rejected_total{reason=\"too_big\"}", 1, 1},
        {"crossclaim_rejected_total{reason=\"empty_article\"}", 1, 1},
        {"crossclaim_rejected_total{reason=\"article_too_big\"}", 1, 1},
        {"crossclaim_rejected_total{reason=\"nul_bytes\"}", 1, 1},
        {"crossclaim_rejected_total{reason=\"id_mismatch\"}", 1, 1},
        {"crossclaim_rejected_total{reason=\"unknown_peer\"}", 1, 1000},
        {"crossclaim_rejected_total{reason=\"heartbeat_flood\"}", 100, 2000},
        {"crossclaim_windows1252_total", 1, 1},
        {"crossclaim_dead_total", 1, 1},
        {"crossclaim_completed_total", 2, 2},
    };
    /* The page is re-rendered every 500 ms: poll until every count is in range, or 10 s
       have passed (then the checks below say which is not). */
    char *page = NULL;
    for (double mend = fu_now() + 10;; fu_sleep_ms(100)) {
        free(page);
        page = s_metrics(c.metrics_port);
        bool all = page != NULL;
        for (size_t i = 0; all && i < sizeof want / sizeof *want; i++) {
            long v = s_metric(page, want[i].name);
            all = v >= want[i].min && v <= want[i].max;
        }
        if (all || fu_now() > mend)
            break;
    }
    cr_assert_not_null(page, "no metrics page on port %u", c.metrics_port);
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        long v = s_metric(page, want[i].name);
        fprintf(stderr, "bad input: %s %ld\n", want[i].name, v);
        cr_assert(v >= want[i].min && v <= want[i].max, "%s is %ld, want %ld..%ld", want[i].name,
                  v, want[i].min, want[i].max);
    }
    free(page);
    for (int i = 0; i < 20; i++)
        zsock_destroy(&idle[i]);
    zsock_destroy(&flooder);
    zsock_destroy(&stranger);
    zsock_destroy(&prod);
    cr_assert_eq(fu_stop_all(&c), 0, "daemons did not stop cleanly (logs in %s)", c.dir);
    pu_sh("rm -rf %s", c.dir);
}

Test(bad_input, jsonl_lines_that_are_not_articles_are_named_by_file_and_line_and_counted)
{
    fu_cluster_t c;
    fu_cluster_init(&c);
    fu_start_broker(&c);
    fu_start_store(&c);
    fu_start_worker(&c, 0);
    fu_status_t st;
    fu_wait_broker(&c, &st, 20);
    char path[300];
    snprintf(path, sizeof path, "%s/feed.jsonl", c.dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("{\"title\":\"Ferry\",\"maintext\":\"The harbour office said 3 ferries ran on Sunday.\"}\n"
          "this line is not JSON\n"
          "{\"title\":\"No text\",\"url\":\"https://x.example/1\"}\n"
          "{\"title\":\"Blank\",\"maintext\":\"   \"}\n"
          "{\"title\":\"Nul\",\"maintext\":\"a\\u0000b\"}\n"
          "\n"
          "{\"title\":\"Cut short\",\"maintext\":\"The harbour\n"
          "[1, 2, 3]\n"
          "{\"title\":\"Bridge\",\"maintext\":\"Engineers said the bridge would reopen in 6 weeks.\"}\n",
          f);
    fclose(f);
    int rc = pu_sh("%s/crossclaim submit --data %s %s 2> %s/submit.txt", pu_bin(), c.dir, path, c.dir);
    pu_sh("cat %s/submit.txt >&2", c.dir);
    cr_assert_eq(rc, 3, "exit status 3 means some inputs were rejected; got %d", rc);
    static const char *const lines[] = {":2: not a JSON object", ":3: record has no \"maintext\"",
                                        ":4: empty article", ":5: article holds NUL bytes",
                                        ":7: ", ":8: not a JSON object"};
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
        cr_assert_eq(pu_sh("grep -F -q 'feed.jsonl%s' %s/submit.txt", lines[i], c.dir), 0,
                     "no message for feed.jsonl%s", lines[i]);
    char log[300];
    snprintf(log, sizeof log, "%s/submit.txt", c.dir);
    f = fopen(log, "r");
    cr_assert_not_null(f);
    int ch;
    while ((ch = fgetc(f)) != EOF)
        cr_assert(ch != '\r' && ch != '\033', "terminal control codes in a log file");
    fclose(f);
    cr_assert_eq(pu_sh("grep -q 'crossclaim submit: 2 sent, 2 queued, 0 already known, 6 rejected "
                       "(6 unreadable inputs, 0 refused by the broker), 0 resent, 0 unacknowledged' "
                       "%s/submit.txt", c.dir), 0, "the summary does not count them");
    cr_assert_eq(fu_stop_all(&c), 0, "daemons did not stop cleanly (logs in %s)", c.dir);
    pu_sh("rm -rf %s", c.dir);
}
