/*  crossclaim-worker: command line for the worker daemon. */
#include "auth.h"
#include "opts.h"
#include "worker.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct option s_opts[] = {
    {"broker", required_argument, 0, 'b'}, {"name", required_argument, 0, 'n'},
    {"credit", required_argument, 0, 'c'}, {"heartbeat-ms", required_argument, 0, 'H'},
    {"liveness", required_argument, 0, 'l'}, {"metrics-port", required_argument, 0, 'p'},
    {"metrics-addr", required_argument, 0, 'a'}, {"curve-key", required_argument, 0, 'K'},
    {"curve-server", required_argument, 0, 'S'}, {"insecure", no_argument, 0, 'I'},
    {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};

static void s_usage(FILE *out)
{
    fprintf(out,
        "usage: crossclaim-worker [options]\n"
        "\n"
        "Takes article jobs from a crossclaim broker, extracts claims and returns them.\n"
        "Stateless: run as many as you have cores, on any machine that reaches the broker.\n"
        "\n"
        "  --broker EP        broker back-end endpoint (default ipc://./crossclaim-data/backend.ipc)\n"
        "  --name NAME        name shown to operators (default worker-<pid>)\n"
        "  --credit N         jobs held at once, 1..1000 (default 2)\n"
        "  --heartbeat-ms MS  heartbeat interval (default 1000)\n"
        "  --liveness N       missed heartbeats before reconnecting (default 3)\n"
        "  --metrics-port P   serve HTTP on port P: /metrics (jobs, failures, extract time),\n"
        "                     /healthz and /readyz (the broker heard from lately);\n"
        "                     default 0 = off\n"
        "  --metrics-addr A   address for it (default 127.0.0.1)\n"
        "  --quiet            only warnings and errors\n"
        "  -h, --help         this help\n"
        "\n"
        "A tcp broker needs CURVE: this worker's key pair, and the broker's public key;\n"
        "the broker lets in only keys from its --curve-allow dir.\n"
        "\n");
    auth_usage(out, true, false);
    fputc('\n', out);
    opts_usage(out, "worker", s_opts);
}

static int s_uint(const char *opt, const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == 0 || *end != 0 || v < lo || v > hi) {
        util_error("%s wants a number from %u to %u, not '%s'", opt, lo, hi, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

int main(int argc, char **argv)
{
    opts_common("crossclaim-worker", &argc, argv);
    char err[512];
    /* Static: cfg points into it until exit (and LeakSanitizer sees it as reachable). */
    static char **args;
    if (opts_load("worker", s_opts, argc, argv, &argc, &args, err, sizeof err) != 0) {
        util_error("%s", err);
        return 2;
    }
    argv = args;
    char name[64];
    snprintf(name, sizeof name, "worker-%d", (int)getpid());
    worker_config_t cfg = {
        .broker = "ipc://./crossclaim-data/backend.ipc",
        .name = name, .credit = 2, .heartbeat_ms = 1000, .liveness = 3,
    };
    auth_config_t acfg = {0};
    int c;
    while ((c = getopt_long(argc, argv, "h", s_opts, NULL)) != -1) {
        switch (c) {
        case 'b': cfg.broker = optarg; break;
        case 'n': cfg.name = optarg; break;
        case 'c': if (s_uint("--credit", optarg, 1, 1000, &cfg.credit)) return 2; break;
        case 'H': if (s_uint("--heartbeat-ms", optarg, 10, 600000, &cfg.heartbeat_ms)) return 2; break;
        case 'l': if (s_uint("--liveness", optarg, 1, 1000, &cfg.liveness)) return 2; break;
        case 'p': if (s_uint("--metrics-port", optarg, 0, 65535, &cfg.metrics_port)) return 2; break;
        case 'a': cfg.metrics_addr = optarg; break;
        case 'K': acfg.key = optarg; break;
        case 'S': acfg.server_key = optarg; break;
        case 'I': acfg.insecure = true; break;
        case 'q': cfg.quiet = true; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        util_error("unexpected argument '%s' (see --help)", argv[optind]);
        return 2;
    }
    auth_t *auth = NULL;
    if (auth_new(&acfg, &auth, err, sizeof err) != 0) {
        util_error("%s", err);
        return 1;
    }
    cfg.auth = auth;
    util_raise_nofile("crossclaim-worker");
    int rc = worker_run(&cfg);
    auth_destroy(&auth);
    opts_free(args);
    return rc == 0 ? 0 : 1;
}
