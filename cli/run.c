/*  run: process supervision and the submit-then-drain sequence behind `crossclaim run`. */
#include "run.h"
#include "client.h"
#include "input.h"
#include "jsonl.h"
#include "progress.h"
#include "submit.h"
#include "db.h"
#include "db_web.h"
#include "serve.h"
#include "util.h"

#include <czmq.h>

#define RUN_REPORT_LIMIT 50   /* facts of each kind the closing report shows */

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int run_sibling(const char *name, char *out, size_t cap)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return -1;
    self[n] = 0;
    char *slash = strrchr(self, '/');
    if (!slash)
        return -1;
    *slash = 0;
    int m = snprintf(out, cap, "%s/%s", self, name);
    if (m < 0 || (size_t)m >= cap || access(out, X_OK) != 0)
        return -1;
    return 0;
}

pid_t run_spawn(char *const argv[])
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        /* Children stop on our SIGTERM, not on the terminal's ^C: run stops them in order. */
        setpgid(0, 0);
        execv(argv[0], argv);
        fprintf(stderr, "crossclaim: cannot start %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

int run_stop(pid_t pid, unsigned ms)
{
    int status = 0;
    if (pid <= 0)
        return -1;
    kill(pid, SIGTERM);
    for (unsigned waited = 0; waited < ms; waited += 10) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0)
            return -1;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return status;
}

/* Reads numbers from the broker's stats JSON. */
typedef struct {
    uint64_t depth, inflight, awaiting, completed, dead, store;
} s_brokerstats_t;

static int s_broker_stats(client_t *c, s_brokerstats_t *out)
{
    char *payload = NULL;
    if (client_admin(c, "stats", NULL, &payload, 5000) != 0) {
        free(payload);
        return -1;
    }
    static const char *const keys[] = {"depth", "inflight", "awaiting_commit", "completed",
                                       "dead", "store_connected"};
    char *v[6];
    size_t l[6];
    const char *err;
    int rc = jsonl_fields(payload, strlen(payload), keys, 6, v, l, &err);
    free(payload);
    if (rc != 0)
        return -1;
    uint64_t *dst[6] = {&out->depth, &out->inflight, &out->awaiting, &out->completed,
                        &out->dead, &out->store};
    for (int i = 0; i < 6; i++) {
        *dst[i] = v[i] ? (strcmp(v[i], "true") == 0 ? 1 : strtoull(v[i], NULL, 10)) : 0;
        free(v[i]);
    }
    return 0;
}

#define S_NAME_MAX 20   /* jobs named when run gives up or some are dead */

/* Appends to *buf (grown) one line per job of the broker's ADMIN `verb` ("pending" or
   "dead-list", a JSON array of flat objects): id, source, and the state and worker or
   the dead reason, at most S_NAME_MAX. Returns how many were listed, or -1. */
static int s_name_jobs(client_t *c, const char *verb, char **buf, size_t *len)
{
    char *payload = NULL;
    char lim[16];
    snprintf(lim, sizeof lim, "%d", S_NAME_MAX);
    if (client_admin(c, verb, lim, &payload, 5000) != 0) {
        free(payload);
        return -1;
    }
    int n = 0;
    bool in_str = false, esc = false;
    int depth = 0;
    const char *obj = NULL;
    for (const char *p = payload; *p; p++) {
        if (in_str) {
            if (esc)
                esc = false;
            else if (*p == '\\')
                esc = true;
            else if (*p == '"')
                in_str = false;
            continue;
        }
        if (*p == '"')
            in_str = true;
        else if (*p == '{' && depth++ == 0)
            obj = p;
        else if (*p == '}' && --depth == 0 && obj) {
            static const char *const keys[] = {"id", "source", "reason", "state", "worker"};
            char *v[5];
            size_t l[5];
            const char *err;
            if (jsonl_fields(obj, (size_t)(p + 1 - obj), keys, 5, v, l, &err) == 0) {
                char line[1600];
                int m;
                if (v[2])
                    m = snprintf(line, sizeof line, "  %s  %s: dead: %s\n", v[0] ? v[0] : "?",
                                 v[1] ? v[1] : "?", v[2]);
                else
                    m = snprintf(line, sizeof line, "  %s  %s: %s%s%s\n", v[0] ? v[0] : "?",
                                 v[1] ? v[1] : "?", v[3] ? v[3] : "?",
                                 v[4] ? " on worker " : "", v[4] ? v[4] : "");
                if (m > 0) {
                    size_t add = (size_t)m < sizeof line ? (size_t)m : sizeof line - 1;
                    *buf = util_realloc(*buf, *len + add + 1);
                    memcpy(*buf + *len, line, add);
                    *len += add;
                    (*buf)[*len] = 0;
                }
                for (int i = 0; i < 5; i++)
                    free(v[i]);
                n++;
            }
            obj = NULL;
        }
    }
    free(payload);
    return n;
}

/* Prints the jobs still pending and those dead, for an operator to act on. */
static void s_print_named(FILE *out, const char *head, const char *list, size_t len)
{
    if (!list || !len)
        return;
    fprintf(out, "%s\n%s", head, list);
}

/* `run --serve`: the web view over the data dir while the broker, the store (its feed and
   query socket) and the workers stay up, until Ctrl-C or until the store or the broker
   exits. Returns 0, or -1 when the view could not start (message printed). */
static int s_serve(const run_config_t *cfg, const char *data, pid_t store, pid_t broker)
{
    serve_config_t sc = {.data_dir = data, .addr = cfg->serve_addr, .port = cfg->serve_port,
                         .token = cfg->serve_token, .insecure = cfg->serve_insecure};
    char err[1024];
    serve_t *s;
    if (serve_new(&sc, &s, err, sizeof err) != 0) {
        fprintf(stderr, "crossclaim run: the web view: %s\n", err);
        return -1;
    }
    const char *addr = cfg->serve_addr ? cfg->serve_addr : "127.0.0.1";
    bool v6 = strchr(addr, ':') != NULL;
    printf("\ncrossclaim run: serving until Ctrl-C: the web view on http://%s%s%s:%u/, the "
           "store's feed and queries (crossclaim watch, query --data %s), the broker for "
           "crossclaim submit --data %s\n", v6 ? "[" : "", addr, v6 ? "]" : "",
           serve_port(s), data, data);
    fflush(stdout);
    while (!zsys_interrupted) {
        int status;
        if (waitpid(store, &status, WNOHANG) == store || waitpid(broker, &status, WNOHANG) == broker) {
            fprintf(stderr, "crossclaim run: the %s exited; stopping\n",
                    kill(store, 0) != 0 ? "store" : "broker");
            break;
        }
        zclock_sleep(200);   /* polls the Ctrl-C flag czmq's handler sets */
    }
    serve_destroy(&s);
    return 0;
}

int run_main(const run_config_t *cfg)
{
    int exit_code = 1;
    char data[PATH_MAX], ep_front[PATH_MAX + 16], ep_back[PATH_MAX + 16];
    char bin_broker[PATH_MAX], bin_store[PATH_MAX], bin_worker[PATH_MAX];
    pid_t broker = -1, store = -1;
    pid_t *workers = util_calloc(cfg->workers, sizeof *workers);
    client_t *client = NULL;
    progress_t *prog = NULL;
    char *dead_names = NULL;       /* the dead letters, named before the broker stops */
    size_t dead_len = 0;
    unsigned stall_s = cfg->stall_s ? cfg->stall_s : 120;

    if (util_mkdirs(cfg->data_dir) != 0 || !realpath(cfg->data_dir, data)) {
        fprintf(stderr, "crossclaim: cannot create the data dir %s: %s\n", cfg->data_dir, strerror(errno));
        goto leave;
    }
    /* ipc endpoint paths are limited to 107 bytes by the kernel's sockaddr_un. */
    if (strlen(data) + strlen("/frontend.ipc") > 100) {
        fprintf(stderr, "crossclaim: the data dir path is too long for ipc endpoints (%s); "
                        "use a shorter --data\n", data);
        goto leave;
    }
    snprintf(ep_front, sizeof ep_front, "ipc://%s/frontend.ipc", data);
    snprintf(ep_back, sizeof ep_back, "ipc://%s/backend.ipc", data);
    if (run_sibling("crossclaim-broker", bin_broker, sizeof bin_broker) ||
        run_sibling("crossclaim-store", bin_store, sizeof bin_store) ||
        run_sibling("crossclaim-worker", bin_worker, sizeof bin_worker)) {
        fprintf(stderr, "crossclaim: cannot find crossclaim-broker, -store and -worker next to this binary\n");
        goto leave;
    }

    char port[16];
    snprintf(port, sizeof port, "%u", cfg->metrics_port);
    /* run's own broker ingests PATH now: a pause kept from an earlier session is lifted
       (the broker says so) */
    char *bargv[] = {bin_broker, "--data", data, "--quiet", "--resume", "--metrics-port", port,
                     NULL};
    char *sargv[] = {bin_store, "--data", data, "--quiet", NULL};
    if ((broker = run_spawn(bargv)) < 0 || (store = run_spawn(sargv)) < 0) {
        fprintf(stderr, "crossclaim: cannot start the broker or the store: %s\n", strerror(errno));
        goto leave;
    }
    for (unsigned i = 0; i < cfg->workers; i++) {
        char name[32];
        snprintf(name, sizeof name, "worker-%u", i + 1);
        char *wargv[] = {bin_worker, "--broker", ep_back, "--name", name, "--quiet", NULL};
        if ((workers[i] = run_spawn(wargv)) < 0) {
            fprintf(stderr, "crossclaim: cannot start a worker: %s\n", strerror(errno));
            goto leave;
        }
    }
    client = client_new(ep_front, 512);
    if (!client)
        goto leave;
    client_set_keep_text(client, cfg->keep_text);
    s_brokerstats_t bs;
    bool up = false;
    for (int i = 0; i < 100 && !zsys_interrupted; i++) {
        if (s_broker_stats(client, &bs) == 0) {
            up = true;
            break;
        }
        int status;
        if (waitpid(broker, &status, WNOHANG) == broker) {
            broker = -1;
            break;
        }
    }
    if (!up) {
        fprintf(stderr, "crossclaim: the broker did not come up (see its messages above)\n");
        goto leave;
    }
    uint64_t completed0 = bs.completed, dead0 = bs.dead;

    /* Submit everything. */
    submit_result_t sr;
    if (submit_paths(client, cfg->paths, cfg->n_paths, 30000, &sr) != 0) {
        fprintf(stderr, "crossclaim: %s; %llu articles were not acknowledged\n",
                sr.interrupted ? "interrupted" : "the broker stopped answering",
                (unsigned long long)sr.client.pending);
        goto leave;
    }
    client_stats_t cs = sr.client;

    /* Wait for the queue to drain: every job committed by the store or dead. */
    prog = progress_new("processed", false);
    uint64_t want = cs.queued;
    uint64_t last_change = util_mono_us(), last_done = UINT64_MAX;
    for (;;) {
        if (s_broker_stats(client, &bs) != 0) {
            fprintf(stderr, "crossclaim: the broker stopped answering while draining\n");
            goto leave;
        }
        uint64_t done = (bs.completed - completed0) + (bs.dead - dead0);
        progress_update(prog, done, want);
        if (bs.depth == 0 && bs.inflight == 0 && bs.awaiting == 0 && done >= want)
            break;
        if (done != last_done) {
            last_done = done;
            last_change = util_mono_us();
        } else if (util_mono_us() - last_change > (uint64_t)stall_s * 1000000u) {
            fprintf(stderr, "crossclaim: no progress for %u s (depth %llu, in flight %llu, "
                            "store %s); giving up\n", stall_s, (unsigned long long)bs.depth,
                    (unsigned long long)bs.inflight, bs.store ? "connected" : "not connected");
            char *names = NULL;
            size_t nlen = 0;
            int np = s_name_jobs(client, "pending", &names, &nlen);
            if (np > 0)
                s_print_named(stderr, "crossclaim: jobs not done (crossclaim status for more):",
                              names, nlen);
            free(names);
            names = NULL;
            nlen = 0;
            if (bs.dead && s_name_jobs(client, "dead-list", &names, &nlen) > 0)
                s_print_named(stderr, "crossclaim: dead letters (crossclaim dead for all):",
                              names, nlen);
            free(names);
            goto leave;
        }
        if (zsys_interrupted)
            goto leave;
        client_pump(client, 50);
    }
    uint64_t dead = bs.dead - dead0;
    progress_finish(prog, (bs.completed - completed0) + dead, want);
    progress_destroy(&prog);
    if (dead)
        s_name_jobs(client, "dead-list", &dead_names, &dead_len);

    if (!cfg->serve) {
        /* Stop the pipeline: workers first, then the store, then the broker. */
        client_destroy(&client);
        for (unsigned i = 0; i < cfg->workers; i++) {
            run_stop(workers[i], 5000);
            workers[i] = -1;
        }
        run_stop(store, 10000);
        store = -1;
        run_stop(broker, 10000);
        broker = -1;
    }
    db_t *db = NULL;
    int rc = db_open(data, true, &db);
    if (rc != 0) {
        fprintf(stderr, "crossclaim: cannot open the results in %s: %s\n", data, db_strerror(rc));
        goto leave;
    }
    if (!cfg->no_report) {
        /* a long feed's report is long: the first RUN_REPORT_LIMIT of each kind here,
           `crossclaim report` for the rest */
        db_web_filter_t f = {.limit = RUN_REPORT_LIMIT};
        db_web_report(db, &f, DB_WEB_TEXT, stdout);
    }
    db_destroy(&db);
    char detail[96];
    submit_rejected_detail(&sr, detail, sizeof detail);
    printf("\ncrossclaim run: %llu articles read, %llu new, %llu already known, %llu rejected%s, "
           "%llu dead letters; results in %s\n",
           (unsigned long long)cs.sent, (unsigned long long)cs.queued,
           (unsigned long long)cs.duplicate, (unsigned long long)sr.bad, detail,
           (unsigned long long)dead, data);
    if (dead)
        s_print_named(stdout, "dead letters (crossclaim dead for all):", dead_names, dead_len);
    exit_code = (sr.bad || dead) ? 3 : 0;
    if (cfg->serve && s_serve(cfg, data, store, broker) != 0)
        exit_code = 1;

leave:
    progress_destroy(&prog);
    client_destroy(&client);
    for (unsigned i = 0; i < cfg->workers; i++)
        if (workers[i] > 0)
            run_stop(workers[i], 3000);
    if (store > 0)
        run_stop(store, 5000);
    if (broker > 0)
        run_stop(broker, 5000);
    free(workers);
    free(dead_names);
    return exit_code;
}
