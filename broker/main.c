/*  crossclaim-broker: command line for the broker. Parses and checks flags, sets up
    signals so SIGINT/SIGTERM stop the loop cleanly (the queue is closed, nothing
    acknowledged is lost), then runs broker_run. */
#include "auth.h"
#include "broker.h"
#include "conns.h"
#include "opts.h"
#include "util.h"

#include <czmq.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static volatile sig_atomic_t s_stop;

static void s_on_signal(int sig)
{
    s_stop = 1;
}

static const struct option s_opts[] = {
    {"data", required_argument, NULL, 'd'},
    {"frontend", required_argument, NULL, 'f'},
    {"backend", required_argument, NULL, 'b'},
    {"heartbeat-ms", required_argument, NULL, 'H'},
    {"liveness", required_argument, NULL, 'l'},
    {"deadline-s", required_argument, NULL, 'D'},
    {"max-attempts", required_argument, NULL, 'm'},
    {"metrics-port", required_argument, NULL, 'p'},
    {"metrics-addr", required_argument, NULL, 'a'},
    {"map-size", required_argument, NULL, 'M'},
    {"map-max", required_argument, NULL, 'X'},
    {"curve-key", required_argument, NULL, 'K'},
    {"curve-allow", required_argument, NULL, 'A'},
    {"allow-producers", required_argument, NULL, 'P'},
    {"allow-workers", required_argument, NULL, 'W'},
    {"allow-stores", required_argument, NULL, 'S'},
    {"allow-admins", required_argument, NULL, 'R'},
    {"insecure", no_argument, NULL, 'I'},
    {"resume", no_argument, NULL, 'r'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void s_usage(FILE *out)
{
    fprintf(out,
        "usage: crossclaim-broker --data DIR [options]\n"
        "\n"
        "The crossclaim job broker: durable queue of article jobs, handed to workers by\n"
        "credit, results forwarded to the store, removed once the store commits them.\n"
        "\n"
        "  --data DIR          data directory; the queue lives in DIR/broker (required)\n"
        "  --frontend EP       ROUTER endpoint for producers and admin\n"
        "                      (default ipc://DIR/frontend.ipc)\n"
        "  --backend EP        ROUTER endpoint for workers and the store\n"
        "                      (default ipc://DIR/backend.ipc)\n"
        "  --heartbeat-ms N    heartbeat interval, both ways (default 1000)\n"
        "  --liveness N        heartbeats missed before a peer is dropped (default 3)\n"
        "  --deadline-s N      a job's deadline with a worker or awaiting commit (default 60)\n"
        "  --max-attempts N    failed attempts before a job is dead (default 3)\n"
        "  --metrics-port P    serve Prometheus metrics on HTTP port P (default 0 = off)\n"
        "  --metrics-addr A    address for the metrics server (default 127.0.0.1)\n"
        "  --map-size MIB      initial LMDB map size of the queue (default 1024); it grows\n"
        "  --map-max MIB       the map never grows past this (default 1048576): beyond it,\n"
        "                      SUBMITs get NACK \"queue full\" and the broker keeps serving\n"
        "  --resume            lift a pause kept from before the start ('crossclaim\n"
        "                      pause' outlives a restart; crossclaim run passes this)\n"
        "  --quiet             log warnings and errors only\n"
        "  --help              this text\n"
        "\n"
        "HTTP on --metrics-port: /metrics, /healthz (the loop is running) and /readyz (the\n"
        "queue is open and the endpoints bound).\n"
        "\n"
        "Across machines, bind tcp endpoints with CURVE: every client (worker, store,\n"
        "producer, operator) needs a key pair and its public key in --curve-allow DIR,\n"
        "which lets it do anything, or in the allow dir of its role only (below).\n"
        "ipc endpoints need no keys: the data dir is 0700 and the socket files 0600.\n"
        "\n");
    auth_usage(out, false, true);
    auth_usage_roles(out);
    fputc('\n', out);
    opts_usage(out, "broker", s_opts);
}

/* Parses a decimal flag value within [lo, hi]; exits with a clear message otherwise. */
static unsigned s_num(const char *flag, const char *s, unsigned lo, unsigned hi)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-' || v < lo || v > hi) {
        util_error("%s wants a number from %u to %u, not '%s'", flag, lo, hi, s);
        exit(2);
    }
    return (unsigned)v;
}

int main(int argc, char **argv)
{
    opts_common("crossclaim-broker", &argc, argv);
    char err[512] = "";
    /* Static: cfg points into it until exit (and LeakSanitizer sees it as reachable). */
    static char **args;
    if (opts_load("broker", s_opts, argc, argv, &argc, &args, err, sizeof err) != 0) {
        util_error("%s", err);
        return 2;
    }
    argv = args;
    broker_config_t cfg = {.heartbeat_ms = 1000, .liveness = 3, .deadline_s = 60,
                           .max_attempts = 3, .metrics_addr = "127.0.0.1"};
    bool quiet = false;
    auth_config_t acfg = {0};
    int c;
    while ((c = getopt_long(argc, argv, "d:f:b:qh", s_opts, NULL)) != -1) {
        switch (c) {
        case 'd': cfg.data_dir = optarg; break;
        case 'f': cfg.frontend = optarg; break;
        case 'b': cfg.backend = optarg; break;
        case 'H': cfg.heartbeat_ms = s_num("--heartbeat-ms", optarg, 10, 3600000); break;
        case 'l': cfg.liveness = s_num("--liveness", optarg, 1, 1000); break;
        case 'D': cfg.deadline_s = s_num("--deadline-s", optarg, 1, 86400 * 7); break;
        case 'm': cfg.max_attempts = s_num("--max-attempts", optarg, 1, 1000); break;
        case 'p': cfg.metrics_port = s_num("--metrics-port", optarg, 0, 65535); break;
        case 'a': cfg.metrics_addr = optarg; break;
        case 'M': cfg.map_mib = s_num("--map-size", optarg, 1, 1u << 20); break;
        case 'X': cfg.map_max_mib = s_num("--map-max", optarg, 1, 1u << 20); break;
        case 'K': acfg.key = optarg; break;
        case 'A': acfg.allow_dir = optarg; break;
        case 'P': acfg.allow_roles[AUTH_PRODUCER] = optarg; break;
        case 'W': acfg.allow_roles[AUTH_WORKER] = optarg; break;
        case 'S': acfg.allow_roles[AUTH_STORE] = optarg; break;
        case 'R': acfg.allow_roles[AUTH_ADMIN] = optarg; break;
        case 'I': acfg.insecure = true; break;
        case 'q': quiet = true; break;
        case 'r': cfg.resume = true; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        util_error("unexpected argument '%s'", argv[optind]);
        s_usage(stderr);
        return 2;
    }
    if (!cfg.data_dir || !*cfg.data_dir) {
        util_error("--data DIR is required");
        s_usage(stderr);
        return 2;
    }
    char front[4200], back[4200];
    if (!cfg.frontend) {
        snprintf(front, sizeof front, "ipc://%s/frontend.ipc", cfg.data_dir);
        cfg.frontend = front;
    }
    if (!cfg.backend) {
        snprintf(back, sizeof back, "ipc://%s/backend.ipc", cfg.data_dir);
        cfg.backend = back;
    }
    int rc = util_mkdirs(cfg.data_dir);
    if (rc) {
        util_error("cannot create %s: %s", cfg.data_dir, strerror(-rc));
        return 1;
    }
    util_log_quiet(quiet);
    /* Our own handlers: czmq's would make blocking calls fail with ETERM mid-shutdown. */
    zsys_handler_set(NULL);
    zsys_init();
    struct sigaction sa = {.sa_handler = s_on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct stat st;
    if (stat(cfg.data_dir, &st) == 0 && (st.st_mode & 077))
        util_warn("data dir %s is open to group or others (mode %04o): chmod 700 it",
                  cfg.data_dir, (unsigned)(st.st_mode & 07777));

    auth_t *auth = NULL;
    if (auth_new(&acfg, &auth, err, sizeof err) != 0) {
        util_error("%s", err);
        return 1;
    }
    cfg.auth = auth;
    broker_t *broker = NULL;
    conns_cap(util_raise_nofile("crossclaim-broker"));
    rc = broker_new(&cfg, &broker, err, sizeof err);
    if (rc) {
        util_error("%s", err);
        auth_destroy(&auth);
        return 1;
    }
    rc = broker_run(broker, &s_stop);
    /* The sockets close before the ZAP handler stops: never a CURVE socket without one. */
    broker_destroy(&broker);
    auth_destroy(&auth);
    opts_free(args);
    return rc ? 1 : 0;
}
