/*  crossclaim-store: command line of the store daemon (store.h). */
#include "auth.h"
#include "opts.h"
#include "store.h"
#include "conns.h"
#include "util.h"

#include <czmq.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *s_usage_head =
    "usage: crossclaim-store --data DIR [options]\n"
    "\n"
    "Merges workers' results from the broker into the results database DIR/store (LMDB),\n"
    "acknowledges them after each commit, publishes updates and answers queries.\n"
    "\n"
    "  --data DIR          data directory (required)\n"
    "  --broker EP         broker back end to connect to (default ipc://DIR/backend.ipc)\n"
    "  --pub EP            feed to bind, PUB (default ipc://DIR/feed.ipc)\n"
    "  --query EP          query/snapshot service to bind, ROUTER (default ipc://DIR/query.ipc)\n"
    "  --name NAME         name given to the broker (default host:pid)\n"
    "  --batch N           results per transaction at most (default 256); the store\n"
    "                      asks the broker for 4 batches at most at once (its credit)\n"
    "  --batch-ms T        longest wait to fill a batch, ms (default 20)\n"
    "  --heartbeat-ms T    heartbeat interval, ms (default 1000)\n"
    "  --liveness N        heartbeats missed before reconnecting (default 3)\n"
    "  --pub-hwm N         feed updates queued per subscriber before they are dropped\n"
    "                      (default 20000); a subscriber that falls further behind sees\n"
    "                      a gap in seq and catches up with SINCE or a SNAPSHOT\n"
    "  --map-size MIB      the database map's first size in MiB (default 64); it doubles\n"
    "                      whenever it fills, as far as the address space allows\n"
    "  --metrics-port P    serve Prometheus metrics on HTTP port P (default 0 = off)\n"
    "  --metrics-addr A    address for the metrics server (default 127.0.0.1)\n"
    "                      HTTP there: /metrics, /healthz (the loop is running) and\n"
    "                      /readyz (database open and the broker heard from lately)\n"
    "  --quiet             log warnings and errors only\n"
    "  --help              this text\n"
    "\n"
    "A tcp broker needs CURVE: the store's key pair and the broker's public key. A tcp\n"
    "feed or query endpoint is a CURVE server too: its clients' keys go in --curve-allow.\n"
    "\n";

/* Parses a positive decimal option value no greater than max. */
static int s_uint(const char *opt, const char *v, unsigned max, unsigned *out)
{
    char *end;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (errno || end == v || *end || v[0] == '-' || n == 0 || n > max) {
        util_error("%s wants a number from 1 to %u, not '%s'", opt, max, v);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

static const struct option s_opts[] = {
    {"data", required_argument, NULL, 'd'},
    {"broker", required_argument, NULL, 'b'},
    {"pub", required_argument, NULL, 'P'},
    {"query", required_argument, NULL, 'Q'},
    {"name", required_argument, NULL, 'n'},
    {"batch", required_argument, NULL, 'B'},
    {"batch-ms", required_argument, NULL, 'T'},
    {"heartbeat-ms", required_argument, NULL, 'H'},
    {"liveness", required_argument, NULL, 'l'},
    {"pub-hwm", required_argument, NULL, 'W'},
    {"map-size", required_argument, NULL, 'M'},
    {"metrics-port", required_argument, NULL, 'p'},
    {"metrics-addr", required_argument, NULL, 'a'},
    {"curve-key", required_argument, NULL, 'K'},
    {"curve-server", required_argument, NULL, 'S'},
    {"curve-allow", required_argument, NULL, 'A'},
    {"insecure", no_argument, NULL, 'I'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int main(int argc, char **argv)
{
    opts_common("crossclaim-store", &argc, argv);
    char err[512];
    /* Static: cfg points into it until exit (and LeakSanitizer sees it as reachable). */
    static char **args;
    if (opts_load("store", s_opts, argc, argv, &argc, &args, err, sizeof err) != 0) {
        util_error("%s", err);
        return 2;
    }
    argv = args;
    store_config_t cfg = {0};
    auth_config_t acfg = {0};
    int c, rc = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", s_opts, NULL)) != -1) {
        const char *o = optind > 0 && optind <= argc ? argv[optind - 1] : "";
        const char *v = optarg;
        switch (c) {
        case 'h':
            fputs(s_usage_head, stdout);
            auth_usage(stdout, true, true);
            fputc('\n', stdout);
            opts_usage(stdout, "store", s_opts);
            return 0;
        case 'q': util_log_quiet(true); break;
        case 'I': acfg.insecure = true; break;
        case 'd': cfg.data_dir = v; break;
        case 'b': cfg.broker = v; break;
        case 'P': cfg.pub = v; break;
        case 'Q': cfg.query = v; break;
        case 'n': cfg.name = v; break;
        case 'K': acfg.key = v; break;
        case 'S': acfg.server_key = v; break;
        case 'A': acfg.allow_dir = v; break;
        case 'B': rc = s_uint("--batch", v, 100000, &cfg.batch); break;
        case 'T': rc = s_uint("--batch-ms", v, 60000, &cfg.batch_ms); break;
        case 'H': rc = s_uint("--heartbeat-ms", v, 600000, &cfg.heartbeat_ms); break;
        case 'l': rc = s_uint("--liveness", v, 1000, &cfg.liveness); break;
        case 'W': rc = s_uint("--pub-hwm", v, 10000000, &cfg.pub_hwm); break;
        case 'M': {
            unsigned mib = 0;
            rc = s_uint("--map-size", v, 1u << 20, &mib);
            cfg.map_bytes = (size_t)mib << 20;
            break;
        }
        case 'p':
            rc = strcmp(v, "0") == 0 ? 0 : s_uint("--metrics-port", v, 65535, &cfg.metrics_port);
            break;
        case 'a': cfg.metrics_addr = v; break;
        case ':':
            util_error("%s needs a value (try --help)", o);
            return 2;
        default:
            util_error("unknown option '%s' (try --help)", o);
            return 2;
        }
        if (rc)
            return 2;
    }
    if (optind < argc) {
        util_error("unknown option '%s' (try --help)", argv[optind]);
        return 2;
    }
    if (!cfg.data_dir) {
        util_error("--data DIR is required (try --help)");
        return 2;
    }
    /* A file size limit (ulimit -f) must be an error to retry, like a full disk, not
       the death of the daemon. */
    signal(SIGXFSZ, SIG_IGN);
    zsys_init();
    zsys_set_logstream(NULL);
    auth_t *auth = NULL;
    if (auth_new(&acfg, &auth, err, sizeof err) != 0) {
        util_error("%s", err);
        return 1;
    }
    cfg.auth = auth;
    store_t *store = NULL;
    conns_cap(util_raise_nofile("crossclaim-store"));
    rc = store_new(&cfg, &store);
    if (rc) {
        util_error("cannot start: %s", store_strerror(rc));
        auth_destroy(&auth);
        return 1;
    }
    struct stat st;
    if (stat(cfg.data_dir, &st) == 0 && (st.st_mode & 077))
        util_warn("data dir %s is open to group or others (mode %04o): chmod 700 it",
                  cfg.data_dir, (unsigned)(st.st_mode & 07777));
    rc = store_run(store);
    /* Sockets first: a CURVE socket never outlives its ZAP handler. */
    store_destroy(&store);
    auth_destroy(&auth);
    if (rc) {
        util_error("stopped: %s", store_strerror(rc));
        opts_free(args);
        return 1;
    }
    opts_free(args);
    return 0;
}
