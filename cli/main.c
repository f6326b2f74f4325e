/*  crossclaim: the command people type. Each subcommand has --help; errors say what went
    wrong and what to do, and exit non-zero. */
#include "auth.h"
#include "client.h"
#include "db.h"
#include "input.h"
#include "progress.h"
#include "run.h"
#include "submit.h"
#include "top.h"
#include "util.h"

#include <czmq.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_DATA "./crossclaim-data"

static const char *s_usage_main =
    "usage: crossclaim COMMAND [options]\n"
    "\n"
    "Turns news articles into a cross-referenced database of claims: who said what,\n"
    "which numbers were reported, and where outlets agree or contradict each other.\n"
    "\n"
    "commands:\n"
    "  run PATH...        all-in-one: start broker, store and workers, ingest, report\n"
    "  submit PATH...     send articles to a running broker\n"
    "  export             write the database as JSON Lines\n"
    "  query              look up claims by entity, by claim key, or conflicts\n"
    "  status             one-shot view of the queue and the database\n"
    "  top                live view of the queue, rates, latency and workers\n"
    "  dead               list, show and requeue dead letters\n"
    "  pause, resume      stop and restart dispatching jobs to workers\n"
    "  keygen NAME        make a CURVE key pair for talking over tcp\n"
    "\n"
    "PATH is a .txt file (first line the title), a .jsonl file (news-please fields),\n"
    "a directory (read recursively) or - for stdin. The data dir defaults to\n"
    "./crossclaim-data. 'crossclaim COMMAND --help' tells more.\n";

static int s_bad_usage(const char *cmd, const char *msg)
{
    fprintf(stderr, "crossclaim %s: %s (see 'crossclaim %s --help')\n", cmd, msg, cmd);
    return 2;
}

static int s_parse_uint(const char *cmd, const char *opt, const char *s, unsigned lo,
                        unsigned hi, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == 0 || *end != 0 || v < lo || v > hi) {
        char msg[128];
        snprintf(msg, sizeof msg, "%s wants a number from %u to %u, not '%s'", opt, lo, hi, s);
        s_bad_usage(cmd, msg);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

/* The broker's front-end endpoint for a data dir. */
static void s_front(const char *data, const char *broker, char *out, size_t cap)
{
    if (broker) {
        snprintf(out, cap, "%s", broker);
        return;
    }
    char abs[PATH_MAX];
    const char *dir = realpath(data, abs) ? abs : data;
    snprintf(out, cap, "ipc://%.*s/frontend.ipc", (int)(cap > 32 ? cap - 32 : 0), dir);
}

/* CURVE flags of the commands that talk to a broker (auth.h). */
#define S_AUTH_OPTIONS {"curve-key", required_argument, 0, 'K'}, \
    {"curve-server", required_argument, 0, 'S'}, {"insecure", no_argument, 0, 'I'}

/* Takes getopt's `c` when it is one of S_AUTH_OPTIONS. */
static bool s_auth_opt(int c, auth_config_t *a)
{
    switch (c) {
    case 'K': a->key = optarg; return true;
    case 'S': a->server_key = optarg; return true;
    case 'I': a->insecure = true; return true;
    default: return false;
    }
}

static void s_auth_help(void)
{
    printf("\nFor a broker on tcp (--broker tcp://HOST:PORT):\n");
    auth_usage(stdout, true, false);
}

/* Loads the keys; prints why not and returns NULL on failure (*ok = false). */
static auth_t *s_auth(const char *cmd, const auth_config_t *a, bool *ok)
{
    char err[512];
    auth_t *auth = NULL;
    *ok = auth_new(a, &auth, err, sizeof err) == 0;
    if (!*ok)
        fprintf(stderr, "crossclaim %s: %s\n", cmd, err);
    return auth;
}

/* ---- keygen ---- */

static int s_cmd_keygen(int argc, char **argv)
{
    const char *dir = ".";
    static const struct option opts[] = {
        {"out", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': dir = optarg; break;
        case 'h':
            printf("usage: crossclaim keygen [--out DIR] NAME\n"
                   "\n"
                   "Makes a CURVE key pair for a process that talks over tcp: DIR/NAME.key, the\n"
                   "public key, and DIR/NAME.key_secret, the key pair (mode 0600; it never\n"
                   "leaves its machine). Existing files are never overwritten. The files are\n"
                   "czmq certificates, readable by other ZeroMQ tools.\n"
                   "\n"
                   "  -o, --out DIR   where to write them (default .; made 0700 when missing)\n"
                   "\n"
                   "Setting up a broker on host A and a worker on host B:\n"
                   "  A$ crossclaim keygen --out /etc/crossclaim broker\n"
                   "  B$ crossclaim keygen --out /etc/crossclaim worker-b\n"
                   "  copy A's broker.key to B, and B's worker-b.key to A's /etc/crossclaim/allow/\n"
                   "  A$ crossclaim-broker --data D --backend tcp://*:5556 \\\n"
                   "       --curve-key /etc/crossclaim/broker.key_secret --curve-allow /etc/crossclaim/allow\n"
                   "  B$ crossclaim-worker --broker tcp://A:5556 \\\n"
                   "       --curve-key /etc/crossclaim/worker-b.key_secret --curve-server /etc/crossclaim/broker.key\n");
            return 0;
        default: return s_bad_usage("keygen", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return s_bad_usage("keygen", "give exactly one NAME");
    char pub[4200], sec[4200], err[512];
    if (auth_keygen(dir, argv[optind], pub, sec, sizeof pub, err, sizeof err) != 0) {
        fprintf(stderr, "crossclaim keygen: %s\n", err);
        return 1;
    }
    printf("public key  %s   (give it to the other side)\n"
           "key pair    %s   (mode 0600: keep it on this machine)\n", pub, sec);
    return 0;
}

/* ---- run ---- */

static int s_cmd_run(int argc, char **argv)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    run_config_t cfg = {.data_dir = DEFAULT_DATA, .workers = cores > 0 ? (unsigned)cores : 1};
    static const struct option opts[] = {
        {"workers", required_argument, 0, 'w'}, {"data", required_argument, 0, 'd'},
        {"no-report", no_argument, 0, 'R'}, {"metrics-port", required_argument, 0, 'm'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "hw:d:", opts, NULL)) != -1) {
        switch (c) {
        case 'w': if (s_parse_uint("run", "--workers", optarg, 1, 256, &cfg.workers)) return 2; break;
        case 'd': cfg.data_dir = optarg; break;
        case 'R': cfg.no_report = true; break;
        case 'm': if (s_parse_uint("run", "--metrics-port", optarg, 0, 65535, &cfg.metrics_port)) return 2; break;
        case 'h':
            printf("usage: crossclaim run [--workers N] [--data DIR] [--no-report] PATH...\n"
                   "\n"
                   "Starts a broker, a store and N workers (default: one per core) as child\n"
                   "processes on ipc endpoints in the data dir, submits every article under\n"
                   "PATH, waits until all are processed, prints the report and stops them.\n"
                   "Articles already in the database are not processed again.\n"
                   "\n"
                   "  -w, --workers N      worker processes (default %u)\n"
                   "  -d, --data DIR       data dir (default %s)\n"
                   "      --no-report      print only the closing summary\n"
                   "      --metrics-port P serve the broker's Prometheus metrics on 127.0.0.1:P\n"
                   "\n"
                   "Exit status: 0 all went in, 3 some inputs were rejected or dead, 1 error.\n",
                   cfg.workers, DEFAULT_DATA);
            return 0;
        default: return s_bad_usage("run", "unknown option");
        }
    }
    if (optind >= argc)
        return s_bad_usage("run", "give at least one PATH to read articles from");
    cfg.paths = (const char *const *)argv + optind;
    cfg.n_paths = argc - optind;
    return run_main(&cfg);
}

/* ---- submit ---- */

static int s_cmd_submit(int argc, char **argv)
{
    const char *data = DEFAULT_DATA, *broker = NULL;
    unsigned window = 512, timeout = 120, retry_ms = 5000;
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'}, {"broker", required_argument, 0, 'b'},
        {"window", required_argument, 0, 'W'}, {"timeout", required_argument, 0, 't'},
        {"retry-ms", required_argument, 0, 'r'}, {"help", no_argument, 0, 'h'},
        S_AUTH_OPTIONS, {0, 0, 0, 0}};
    auth_config_t acfg = {0};
    int c;
    while ((c = getopt_long(argc, argv, "hd:b:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'b': broker = optarg; break;
        case 'W': if (s_parse_uint("submit", "--window", optarg, 1, 100000, &window)) return 2; break;
        case 't': if (s_parse_uint("submit", "--timeout", optarg, 1, 86400, &timeout)) return 2; break;
        case 'r': if (s_parse_uint("submit", "--retry-ms", optarg, 10, 600000, &retry_ms)) return 2; break;
        case 'h':
            printf("usage: crossclaim submit [--broker EP | --data DIR] [options] PATH...\n"
                   "\n"
                   "Sends articles to a running broker and waits until each is acknowledged\n"
                   "(durable in the broker's queue). Unanswered articles are resent with\n"
                   "backoff, so a broker restart loses nothing; resending is harmless.\n"
                   "\n"
                   "  -b, --broker EP   broker front end (default ipc://DIR/frontend.ipc)\n"
                   "  -d, --data DIR    data dir of a local broker (default %s)\n"
                   "      --window N    articles unacknowledged at once (default 512)\n"
                   "      --retry-ms MS first resend after MS (default 5000, doubling)\n"
                   "      --timeout S   give up when the broker is silent for S seconds (default 120)\n"
                   "\n"
                   "Exit status: 0 all acknowledged, 3 some inputs rejected, 1 broker unreachable.\n",
                   DEFAULT_DATA);
            s_auth_help();
            return 0;
        default:
            if (s_auth_opt(c, &acfg))
                break;
            return s_bad_usage("submit", "unknown option");
        }
    }
    if (optind >= argc)
        return s_bad_usage("submit", "give at least one PATH to read articles from");
    char ep[PATH_MAX + 16];
    s_front(data, broker, ep, sizeof ep);
    bool ok;
    auth_t *auth = s_auth("submit", &acfg, &ok);
    client_t *cl = ok ? client_new_auth(ep, window, auth) : NULL;
    if (!cl) {
        auth_destroy(&auth);
        return 1;
    }
    client_set_retry(cl, retry_ms);
    submit_result_t sr;
    submit_paths(cl, (const char *const *)argv + optind, argc - optind, timeout * 1000u, &sr);
    const char *why = client_auth_failure(cl);
    client_destroy(&cl);
    auth_destroy(&auth);
    client_stats_t cs = sr.client;
    fprintf(stderr, "crossclaim submit: %llu sent, %llu queued, %llu already known, %llu rejected, "
                    "%llu resent, %llu unacknowledged\n",
            (unsigned long long)cs.sent, (unsigned long long)cs.queued,
            (unsigned long long)cs.duplicate, (unsigned long long)sr.bad,
            (unsigned long long)cs.resent, (unsigned long long)cs.pending);
    if (sr.failed && why) {
        fprintf(stderr, "crossclaim submit: the broker at %s: %s\n", ep, why);
        return 1;
    }
    if (sr.failed) {
        fprintf(stderr, "crossclaim submit: the broker at %s did not answer for %u s; is it running?\n",
                ep, timeout);
        return 1;
    }
    if (sr.interrupted)
        return 1;
    return sr.bad ? 3 : 0;
}

/* ---- export, query ---- */

static int s_open_db(const char *cmd, const char *data, db_t **db)
{
    int rc = db_open(data, true, db);
    if (rc != 0) {
        fprintf(stderr, "crossclaim %s: cannot open the results database in %s: %s\n"
                        "(run 'crossclaim run PATH' or start crossclaim-store with --data %s first)\n",
                cmd, data, db_strerror(rc), data);
        return -1;
    }
    return 0;
}

static int s_write_line(void *arg, const char *line, size_t len)
{
    return fwrite(line, 1, len, (FILE *)arg) == len ? 0 : -1;
}

static int s_cmd_export(int argc, char **argv)
{
    const char *data = DEFAULT_DATA;
    unsigned what = DB_ALL;
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'}, {"type", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "hd:t:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 't':
            if (!strcmp(optarg, "article")) what = DB_ARTICLES;
            else if (!strcmp(optarg, "attribution")) what = DB_ATTRIBUTIONS;
            else if (!strcmp(optarg, "quantity")) what = DB_QUANTITIES;
            else if (!strcmp(optarg, "entity")) what = DB_ENTITIES;
            else if (!strcmp(optarg, "xref")) what = DB_XREFS;
            else return s_bad_usage("export", "--type is one of article, attribution, quantity, entity, xref");
            break;
        case 'h':
            printf("usage: crossclaim export [--data DIR] [--type TYPE]\n"
                   "\n"
                   "Writes the database as JSON Lines to stdout, one record per line, each with a\n"
                   "\"type\": article, attribution, quantity, entity, xref. Spans are byte offsets\n"
                   "[start, end) into each document exactly as submitted. Safe while ingesting.\n"
                   "\n"
                   "  -d, --data DIR    data dir (default %s)\n"
                   "  -t, --type TYPE   only records of that type\n", DEFAULT_DATA);
            return 0;
        default: return s_bad_usage("export", "unknown option");
        }
    }
    if (optind < argc)
        return s_bad_usage("export", "takes no PATH");
    db_t *db;
    if (s_open_db("export", data, &db) != 0)
        return 1;
    int rc = db_dump(db, what, NULL, s_write_line, stdout);
    db_destroy(&db);
    if (rc != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "crossclaim export: %s\n", rc ? db_strerror(rc) : "write error");
        return 1;
    }
    return 0;
}

static int s_cmd_query(int argc, char **argv)
{
    const char *data = DEFAULT_DATA, *entity = NULL, *key = NULL;
    bool conflicts = false;
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'}, {"entity", required_argument, 0, 'e'},
        {"key", required_argument, 0, 'k'}, {"conflicts", no_argument, 0, 'c'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "hd:e:k:c", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'e': entity = optarg; break;
        case 'k': key = optarg; break;
        case 'c': conflicts = true; break;
        case 'h':
            printf("usage: crossclaim query [--data DIR] (--entity KEY | --key CLAIMKEY | --conflicts)\n"
                   "\n"
                   "Prints matching records as JSON Lines.\n"
                   "\n"
                   "  -e, --entity KEY   the entity record with that key (e.g. per:erdogan)\n"
                   "  -k, --key KEY      the cross-reference cluster of that claim key\n"
                   "  -c, --conflicts    every cluster whose status is conflict\n"
                   "  -d, --data DIR     data dir (default %s)\n", DEFAULT_DATA);
            return 0;
        default: return s_bad_usage("query", "unknown option");
        }
    }
    if (!!entity + !!key + conflicts != 1)
        return s_bad_usage("query", "give exactly one of --entity, --key, --conflicts");
    db_t *db;
    if (s_open_db("query", data, &db) != 0)
        return 1;
    int rc;
    if (conflicts) {
        rc = db_dump(db, DB_CONFLICTS, NULL, s_write_line, stdout);
    } else {
        json_t *j = json_new();
        rc = entity ? db_entity_json(db, entity, j) : db_xref_json(db, key, j);
        if (rc == 0)
            fwrite(json_data(j), 1, json_len(j), stdout);
        json_destroy(&j);
    }
    db_destroy(&db);
    if (rc == DB_ENOTFOUND) {
        fprintf(stderr, "crossclaim query: no %s '%s'\n", entity ? "entity" : "claim key", entity ? entity : key);
        return 4;
    }
    if (rc != 0) {
        fprintf(stderr, "crossclaim query: %s\n", db_strerror(rc));
        return 1;
    }
    return 0;
}

/* ---- top ---- */

static int s_cmd_top(int argc, char **argv)
{
    const char *data = DEFAULT_DATA, *broker = NULL;
    unsigned interval = 1000, iterations = 0;
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'}, {"broker", required_argument, 0, 'b'},
        {"interval-ms", required_argument, 0, 'i'}, {"iterations", required_argument, 0, 'n'},
        {"help", no_argument, 0, 'h'}, S_AUTH_OPTIONS, {0, 0, 0, 0}};
    auth_config_t acfg = {0};
    int c;
    while ((c = getopt_long(argc, argv, "hd:b:n:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'b': broker = optarg; break;
        case 'i': if (s_parse_uint("top", "--interval-ms", optarg, 100, 3600000, &interval)) return 2; break;
        case 'n': if (s_parse_uint("top", "--iterations", optarg, 1, 1000000, &iterations)) return 2; break;
        case 'h':
            printf("usage: crossclaim top [--data DIR | --broker EP] [--interval-ms MS] [-n N]\n"
                   "\n"
                   "Live view of a broker, refreshed each second: queue depth, in flight, awaiting\n"
                   "commit, rates in and out, p50/p99 submit-to-commit latency, and every worker\n"
                   "with its credit, the jobs it holds, jobs done and its last heartbeat.\n"
                   "Press q to quit. Off a terminal it prints one block per refresh.\n"
                   "\n"
                   "  -d, --data DIR       data dir of a local broker (default %s)\n"
                   "  -b, --broker EP      broker front end\n"
                   "      --interval-ms MS refresh interval (default 1000)\n"
                   "  -n, --iterations N   stop after N refreshes\n", DEFAULT_DATA);
            s_auth_help();
            return 0;
        default:
            if (s_auth_opt(c, &acfg))
                break;
            return s_bad_usage("top", "unknown option");
        }
    }
    if (optind < argc)
        return s_bad_usage("top", "takes no arguments");
    char ep[PATH_MAX + 16];
    s_front(data, broker, ep, sizeof ep);
    bool ok;
    auth_t *auth = s_auth("top", &acfg, &ok);
    int rc = ok ? top_run(ep, interval, iterations, auth) : 1;
    auth_destroy(&auth);
    return rc;
}

/* ---- status, dead, pause, resume: ADMIN requests to the broker ---- */

static int s_admin(const char *cmd, const char *data, const char *broker,
                   const auth_config_t *acfg, const char *verb, const char *arg, char **payload)
{
    char ep[PATH_MAX + 16];
    s_front(data, broker, ep, sizeof ep);
    bool ok;
    auth_t *auth = s_auth(cmd, acfg, &ok);
    client_t *cl = ok ? client_new_auth(ep, 1, auth) : NULL;
    if (!cl) {
        auth_destroy(&auth);
        return 1;
    }
    int rc = client_admin(cl, verb, arg, payload, 3000);
    const char *why = client_auth_failure(cl);
    if (rc == -2)
        fprintf(stderr, "crossclaim %s: no answer from the broker at %s%s%s\n", cmd, ep,
                why ? ": " : "; is it running?", why ? why : "");
    client_destroy(&cl);
    auth_destroy(&auth);
    if (rc == -2)
        return 1;
    if (rc != 0) {
        fprintf(stderr, "crossclaim %s: %s\n", cmd, *payload ? *payload : "error");
        free(*payload);
        *payload = NULL;
        return 1;
    }
    return 0;
}

static int s_cmd_status(int argc, char **argv)
{
    const char *data = DEFAULT_DATA, *broker = NULL;
    bool as_json = false;
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'}, {"broker", required_argument, 0, 'b'},
        {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, S_AUTH_OPTIONS,
        {0, 0, 0, 0}};
    auth_config_t acfg = {0};
    int c;
    while ((c = getopt_long(argc, argv, "hd:b:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'b': broker = optarg; break;
        case 'j': as_json = true; break;
        case 'h':
            printf("usage: crossclaim status [--data DIR] [--broker EP] [--json]\n"
                   "\n"
                   "One-shot view: the broker's queue (when it runs) and the database counts.\n"
                   "\n"
                   "  -d, --data DIR    data dir (default %s)\n"
                   "  -b, --broker EP   broker front end (default ipc://DIR/frontend.ipc)\n"
                   "      --json        one JSON object: {\"broker\": ..., \"store\": ...}\n", DEFAULT_DATA);
            s_auth_help();
            return 0;
        default:
            if (s_auth_opt(c, &acfg))
                break;
            return s_bad_usage("status", "unknown option");
        }
    }
    char *payload = NULL;
    char ep[PATH_MAX + 16];
    s_front(data, broker, ep, sizeof ep);
    bool ok;
    auth_t *auth = s_auth("status", &acfg, &ok);
    if (!ok)
        return 1;
    client_t *cl = client_new_auth(ep, 1, auth);
    if (cl && client_admin(cl, "stats", NULL, &payload, 1500) != 0) {
        free(payload);
        payload = NULL;
    }
    const char *why = client_auth_failure(cl);
    if (why)
        fprintf(stderr, "crossclaim status: the broker at %s: %s\n", ep, why);
    client_destroy(&cl);
    auth_destroy(&auth);
    db_t *db = NULL;
    db_stats_t ds;
    bool have_db = db_open(data, true, &db) == 0 && db_stats(db, &ds) == 0;
    db_destroy(&db);
    if (as_json) {
        json_t *j = json_new();
        json_obj_begin(j);
        json_key(j, "broker");
        if (payload)
            json_raw(j, payload, strlen(payload));
        else
            json_null(j);
        json_key(j, "store");
        if (have_db) {
            json_obj_begin(j);
            db_stats_json(&ds, j);
            json_obj_end(j);
        } else {
            json_null(j);
        }
        json_obj_end(j);
        json_newline(j);
        fwrite(json_data(j), 1, json_len(j), stdout);
        json_destroy(&j);
    } else {
        printf("broker (%s): %s\n", ep, payload ? payload : "not answering");
        if (have_db)
            printf("store (%s): %llu articles, %llu claims, %llu attributions, %llu entities, "
                   "%llu xrefs (%llu conflicts, %llu corroborated), feed seq %llu\n",
                   data, (unsigned long long)ds.articles, (unsigned long long)ds.claims,
                   (unsigned long long)ds.attributions, (unsigned long long)ds.entities,
                   (unsigned long long)ds.xrefs, (unsigned long long)ds.conflicts,
                   (unsigned long long)ds.corroborated, (unsigned long long)ds.seq);
        else
            printf("store (%s): no database yet\n", data);
    }
    free(payload);
    return payload || have_db ? 0 : 1;
}

static int s_cmd_admin_simple(const char *cmd, int argc, char **argv)
{
    const char *data = DEFAULT_DATA, *broker = NULL;
    bool all = false;
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'}, {"broker", required_argument, 0, 'b'},
        {"all", no_argument, 0, 'a'}, {"help", no_argument, 0, 'h'}, S_AUTH_OPTIONS,
        {0, 0, 0, 0}};
    auth_config_t acfg = {0};
    int c;
    bool is_dead = strcmp(cmd, "dead") == 0;
    while ((c = getopt_long(argc, argv, "hd:b:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'b': broker = optarg; break;
        case 'a': all = true; break;
        case 'h':
            if (is_dead)
                printf("usage: crossclaim dead list | show ID | requeue (ID | --all) [--data DIR] [--broker EP]\n"
                       "\n"
                       "Dead letters are jobs that failed too often or can't be processed, each\n"
                       "with its reason. 'requeue' puts them back in the queue.\n");
            else
                printf("usage: crossclaim %s [--data DIR] [--broker EP]\n\n%s\n", cmd,
                       strcmp(cmd, "pause") == 0 ? "Stops dispatching jobs to workers; submits are still accepted."
                                                 : "Starts dispatching jobs to workers again.");
            s_auth_help();
            return 0;
        default:
            if (s_auth_opt(c, &acfg))
                break;
            return s_bad_usage(cmd, "unknown option");
        }
    }
    const char *verb = cmd, *arg = NULL;
    if (is_dead) {
        const char *sub = optind < argc ? argv[optind++] : NULL;
        if (!sub)
            return s_bad_usage("dead", "say list, show ID or requeue ID|--all");
        if (!strcmp(sub, "list")) {
            verb = "dead-list";
        } else if (!strcmp(sub, "show") || !strcmp(sub, "requeue")) {
            if (!strcmp(sub, "requeue") && all) {
                verb = "requeue-all";
            } else {
                if (optind >= argc)
                    return s_bad_usage("dead", "give the job ID");
                verb = !strcmp(sub, "show") ? "dead-show" : "requeue";
                arg = argv[optind++];
            }
        } else {
            return s_bad_usage("dead", "say list, show ID or requeue ID|--all");
        }
    }
    if (optind < argc)
        return s_bad_usage(cmd, "too many arguments");
    char *payload = NULL;
    int rc = s_admin(cmd, data, broker, &acfg, verb, arg, &payload);
    if (rc == 0 && payload) {
        fputs(payload, stdout);
        if (payload[0] && payload[strlen(payload) - 1] != '\n')
            putchar('\n');
    }
    free(payload);
    return rc;
}

int main(int argc, char **argv)
{
    util_log_init("crossclaim");
    zsys_init();
    zsys_set_logstream(stderr);
    if (argc < 2) {
        fputs(s_usage_main, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(s_usage_main, stdout);
        return 0;
    }
    argc--;
    argv++;
    if (!strcmp(cmd, "run")) return s_cmd_run(argc, argv);
    if (!strcmp(cmd, "keygen")) return s_cmd_keygen(argc, argv);
    if (!strcmp(cmd, "submit")) return s_cmd_submit(argc, argv);
    if (!strcmp(cmd, "export")) return s_cmd_export(argc, argv);
    if (!strcmp(cmd, "query")) return s_cmd_query(argc, argv);
    if (!strcmp(cmd, "status")) return s_cmd_status(argc, argv);
    if (!strcmp(cmd, "top")) return s_cmd_top(argc, argv);
    if (!strcmp(cmd, "dead") || !strcmp(cmd, "pause") || !strcmp(cmd, "resume"))
        return s_cmd_admin_simple(cmd, argc, argv);
    fprintf(stderr, "crossclaim: unknown command '%s'\n\n%s", cmd, s_usage_main);
    return 2;
}
