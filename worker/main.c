/*  crossclaim-worker: command line for the worker daemon. */
#include "auth.h"
#include "worker.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
        "  --quiet            only warnings and errors\n"
        "  -h, --help         this help\n"
        "\n"
        "A tcp broker needs CURVE: this worker's key pair, and the broker's public key;\n"
        "the broker lets in only keys from its --curve-allow dir.\n"
        "\n");
    auth_usage(out, true, false);
}

static int s_uint(const char *opt, const char *s, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == 0 || *end != 0 || v < lo || v > hi) {
        fprintf(stderr, "crossclaim-worker: %s wants a number from %u to %u, not '%s'\n", opt, lo, hi, s);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

int main(int argc, char **argv)
{
    util_log_init("crossclaim-worker");
    char name[64];
    snprintf(name, sizeof name, "worker-%d", (int)getpid());
    worker_config_t cfg = {
        .broker = "ipc://./crossclaim-data/backend.ipc",
        .name = name, .credit = 2, .heartbeat_ms = 1000, .liveness = 3,
    };
    auth_config_t acfg = {0};
    static const struct option opts[] = {
        {"broker", required_argument, 0, 'b'}, {"name", required_argument, 0, 'n'},
        {"credit", required_argument, 0, 'c'}, {"heartbeat-ms", required_argument, 0, 'H'},
        {"liveness", required_argument, 0, 'l'}, {"curve-key", required_argument, 0, 'K'},
        {"curve-server", required_argument, 0, 'S'}, {"insecure", no_argument, 0, 'I'},
        {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': cfg.broker = optarg; break;
        case 'n': cfg.name = optarg; break;
        case 'c': if (s_uint("--credit", optarg, 1, 1000, &cfg.credit)) return 2; break;
        case 'H': if (s_uint("--heartbeat-ms", optarg, 10, 600000, &cfg.heartbeat_ms)) return 2; break;
        case 'l': if (s_uint("--liveness", optarg, 1, 1000, &cfg.liveness)) return 2; break;
        case 'K': acfg.key = optarg; break;
        case 'S': acfg.server_key = optarg; break;
        case 'I': acfg.insecure = true; break;
        case 'q': cfg.quiet = true; break;
        case 'h': s_usage(stdout); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "crossclaim-worker: unexpected argument '%s' (see --help)\n", argv[optind]);
        return 2;
    }
    char err[512];
    auth_t *auth = NULL;
    if (auth_new(&acfg, &auth, err, sizeof err) != 0) {
        fprintf(stderr, "crossclaim-worker: %s\n", err);
        return 1;
    }
    cfg.auth = auth;
    int rc = worker_run(&cfg);
    auth_destroy(&auth);
    return rc == 0 ? 0 : 1;
}
