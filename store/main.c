/*  crossclaim-store: command line of the store daemon (store.h). */
#include "auth.h"
#include "store.h"
#include "util.h"

#include <czmq.h>
#include <errno.h>
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
    "  --batch N           results per transaction at most (default 256)\n"
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
        fprintf(stderr, "crossclaim-store: %s wants a number from 1 to %u, not '%s'\n", opt,
                max, v);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

int main(int argc, char **argv)
{
    util_log_init("crossclaim-store");
    store_config_t cfg = {0};
    auth_config_t acfg = {0};
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            fputs(s_usage_head, stdout);
            auth_usage(stdout, true, true);
            return 0;
        }
        if (strcmp(o, "--quiet") == 0) {
            util_log_quiet(true);
            continue;
        }
        if (strcmp(o, "--insecure") == 0) {
            acfg.insecure = true;
            continue;
        }
        static const char *with_value[] = {"--data", "--broker", "--pub", "--query", "--name",
                                           "--batch", "--batch-ms", "--heartbeat-ms",
                                           "--liveness", "--pub-hwm", "--map-size", "--metrics-port",
                                           "--metrics-addr", "--curve-key", "--curve-server",
                                           "--curve-allow"};
        bool known = false;
        for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
            known |= strcmp(o, with_value[k]) == 0;
        if (!known) {
            fprintf(stderr, "crossclaim-store: unknown option '%s' (try --help)\n", o);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "crossclaim-store: %s needs a value (try --help)\n", o);
            return 2;
        }
        const char *v = argv[++i];
        int rc = 0;
        if (strcmp(o, "--data") == 0)
            cfg.data_dir = v;
        else if (strcmp(o, "--broker") == 0)
            cfg.broker = v;
        else if (strcmp(o, "--pub") == 0)
            cfg.pub = v;
        else if (strcmp(o, "--query") == 0)
            cfg.query = v;
        else if (strcmp(o, "--name") == 0)
            cfg.name = v;
        else if (strcmp(o, "--curve-key") == 0)
            acfg.key = v;
        else if (strcmp(o, "--curve-server") == 0)
            acfg.server_key = v;
        else if (strcmp(o, "--curve-allow") == 0)
            acfg.allow_dir = v;
        else if (strcmp(o, "--batch") == 0)
            rc = s_uint(o, v, 100000, &cfg.batch);
        else if (strcmp(o, "--batch-ms") == 0)
            rc = s_uint(o, v, 60000, &cfg.batch_ms);
        else if (strcmp(o, "--heartbeat-ms") == 0)
            rc = s_uint(o, v, 600000, &cfg.heartbeat_ms);
        else if (strcmp(o, "--liveness") == 0)
            rc = s_uint(o, v, 1000, &cfg.liveness);
        else if (strcmp(o, "--pub-hwm") == 0)
            rc = s_uint(o, v, 10000000, &cfg.pub_hwm);
        else if (strcmp(o, "--map-size") == 0) {
            unsigned mib = 0;
            rc = s_uint(o, v, 1u << 20, &mib);
            cfg.map_bytes = (size_t)mib << 20;
        } else if (strcmp(o, "--metrics-port") == 0)
            rc = strcmp(v, "0") == 0 ? 0 : s_uint(o, v, 65535, &cfg.metrics_port);
        else if (strcmp(o, "--metrics-addr") == 0)
            cfg.metrics_addr = v;
        if (rc)
            return 2;
    }
    if (!cfg.data_dir) {
        fprintf(stderr, "crossclaim-store: --data DIR is required (try --help)\n");
        return 2;
    }
    /* A file size limit (ulimit -f) must be an error to retry, like a full disk, not
       the death of the daemon. */
    signal(SIGXFSZ, SIG_IGN);
    zsys_init();
    zsys_set_logstream(NULL);
    char err[512];
    auth_t *auth = NULL;
    if (auth_new(&acfg, &auth, err, sizeof err) != 0) {
        fprintf(stderr, "crossclaim-store: %s\n", err);
        return 1;
    }
    cfg.auth = auth;
    store_t *store = NULL;
    int rc = store_new(&cfg, &store);
    if (rc) {
        fprintf(stderr, "crossclaim-store: cannot start: %s\n", store_strerror(rc));
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
        fprintf(stderr, "crossclaim-store: stopped: %s\n", store_strerror(rc));
        return 1;
    }
    return 0;
}
