/*  crossclaim: the command people type. Each subcommand has --help; errors say what went
    wrong and what to do, and exit non-zero. */
#include "auth.h"
#include "client.h"
#include "db.h"
#include "input.h"
#include "progress.h"
#include "run.h"
#include "report.h"
#include "serve.h"
#include "storeq.h"
#include "submit.h"
#include "top.h"
#include "opts.h"
#include "util.h"
#include "watch.h"

#include <czmq.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/socket.h>
#include <sys/un.h>
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
    "  report             conflicts and corroborations with their sentences (text, json, csv, html)\n"
    "  serve              a read-only web view of the database (127.0.0.1:8080)\n"
    "  query              ask the store: an entity, a claim key, conflicts, updates since\n"
    "  watch              follow the store's live feed as JSON Lines\n"
    "  status             one-shot view of the queue and the database\n"
    "  top                live view of the queue, rates, latency and workers\n"
    "  dead               list, show and requeue dead letters\n"
    "  pause, resume      stop and restart dispatching jobs to workers\n"
    "  keygen NAME        make a CURVE key pair for talking over tcp\n"
    "\n"
    "PATH is a .txt file (first line the title), a .jsonl file (news-please fields),\n"
    "a directory (read recursively) or - for stdin. The data dir defaults to\n"
    "./crossclaim-data. 'crossclaim COMMAND --help' tells more.\n"
    "\n"
    "Any command also takes --version, and --log-format text|json (also\n"
    "CROSSCLAIM_LOG_FORMAT) for its log lines and those of the daemons it starts.\n";

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

/* One of the store's endpoints for a data dir: `given`, else ipc://DIR/file. */
static void s_store_ep(const char *data, const char *given, const char *file, char *out,
                       size_t cap)
{
    if (given) {
        snprintf(out, cap, "%s", given);
        return;
    }
    char abs[PATH_MAX];
    const char *dir = realpath(data, abs) ? abs : data;
    snprintf(out, cap, "ipc://%.*s/%s", (int)(cap > 64 ? cap - 64 : 0), dir, file);
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

static void s_store_auth_help(void)
{
    printf("\nFor a store whose feed and query socket are on tcp:\n");
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

/* Splits "ADDR:PORT", "[V6]:PORT" or "PORT" into cfg; false when it is none of them. */
static bool s_listen(const char *s, char *addr, size_t cap, unsigned *port)
{
    const char *colon = strrchr(s, ':');
    const char *p = colon ? colon + 1 : s;
    char *end;
    unsigned long v = strtoul(p, &end, 10);
    if (!*p || *end || v > 65535)
        return false;
    *port = (unsigned)v;
    if (!colon)
        return true;
    size_t n = (size_t)(colon - s);
    if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
        s++;
        n -= 2;
    }
    if (n == 0 || n >= cap)
        return false;
    memcpy(addr, s, n);
    addr[n] = 0;
    return true;
}


/* Long options with no letter: codes no short option (nor S_AUTH_OPTIONS) uses. */
#define S_OPT_KEEP_TEXT 0x1000

static int s_cmd_run(int argc, char **argv)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    run_config_t cfg = {.data_dir = DEFAULT_DATA, .workers = cores > 0 ? (unsigned)cores : 1};
    static const struct option opts[] = {
        {"workers", required_argument, 0, 'w'}, {"data", required_argument, 0, 'd'},
        {"no-report", no_argument, 0, 'R'}, {"metrics-port", required_argument, 0, 'm'},
        {"stall-s", required_argument, 0, 'S'}, {"serve", no_argument, 0, 'V'},
        {"listen", required_argument, 0, 'l'}, {"token", required_argument, 0, 't'},
        {"insecure", no_argument, 0, 'I'}, {"keep-text", no_argument, 0, S_OPT_KEEP_TEXT},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    char addr[128] = "127.0.0.1";
    cfg.serve_port = 8080;
    while ((c = getopt_long(argc, argv, "hw:d:", opts, NULL)) != -1) {
        switch (c) {
        case 'w': if (s_parse_uint("run", "--workers", optarg, 1, 256, &cfg.workers)) return 2; break;
        case 'd': cfg.data_dir = optarg; break;
        case 'R': cfg.no_report = true; break;
        case 'm': if (s_parse_uint("run", "--metrics-port", optarg, 0, 65535, &cfg.metrics_port)) return 2; break;
        case 'S': if (s_parse_uint("run", "--stall-s", optarg, 1, 86400, &cfg.stall_s)) return 2; break;
        case 'V': cfg.serve = true; break;
        case 'l':
            if (!s_listen(optarg, addr, sizeof addr, &cfg.serve_port))
                return s_bad_usage("run", "--listen is ADDR:PORT, [IPV6]:PORT or PORT");
            break;
        case 't': cfg.serve_token = optarg; break;
        case 'I': cfg.serve_insecure = true; break;
        case S_OPT_KEEP_TEXT: cfg.keep_text = true; break;
        case 'h':
            printf("usage: crossclaim run [--workers N] [--data DIR] [--no-report] [--serve] PATH...\n"
                   "\n"
                   "Starts a broker, a store and N workers (default: one per core) as child\n"
                   "processes on ipc endpoints in the data dir, submits every article under\n"
                   "PATH, waits until all are processed, prints the report and stops them.\n"
                   "Articles already in the database are not processed again.\n"
                   "\n"
                   "  -w, --workers N      worker processes (default %u)\n"
                   "  -d, --data DIR       data dir (default %s)\n"
                   "      --no-report      print only the closing summary\n"
                   "      --keep-text      the store keeps each new article's text (UTF-8 ones),\n"
                   "                       which the web view shows with its claims marked\n"
                   "      --metrics-port P serve the broker's Prometheus metrics on 127.0.0.1:P\n"
                   "      --stall-s S      give up after S seconds without progress (default\n"
                   "                       120), naming the jobs not done\n"
                   "      --serve          after the report, keep the broker, the store (feed and\n"
                   "                       query socket) and the workers up and serve the web view\n"
                   "                       (crossclaim serve) until Ctrl-C\n"
                   "      --listen ADDR:PORT, --token T, --insecure\n"
                   "                       the web view's address (default 127.0.0.1:8080), as\n"
                   "                       for crossclaim serve\n"
                   "\n"
                   "Exit status: 0 all went in, 3 some inputs were rejected or dead, 1 error.\n",
                   cfg.workers, DEFAULT_DATA);
            return 0;
        default: return s_bad_usage("run", "unknown option");
        }
    }
    if (optind >= argc)
        return s_bad_usage("run", "give at least one PATH to read articles from");
    cfg.serve_addr = addr;
    cfg.paths = (const char *const *)argv + optind;
    cfg.n_paths = argc - optind;
    return run_main(&cfg);
}

/* ---- submit ---- */

static int s_cmd_submit(int argc, char **argv)
{
    const char *data = DEFAULT_DATA, *broker = NULL;
    unsigned window = 512, timeout = 120, retry_ms = 5000, rate = 0;
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'}, {"broker", required_argument, 0, 'b'},
        {"window", required_argument, 0, 'W'}, {"timeout", required_argument, 0, 't'},
        {"rate", required_argument, 0, 'R'},
        {"retry-ms", required_argument, 0, 'r'}, {"keep-text", no_argument, 0, S_OPT_KEEP_TEXT},
        {"help", no_argument, 0, 'h'}, S_AUTH_OPTIONS, {0, 0, 0, 0}};
    auth_config_t acfg = {0};
    bool keep_text = false;
    int c;
    while ((c = getopt_long(argc, argv, "hd:b:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'b': broker = optarg; break;
        case 'W': if (s_parse_uint("submit", "--window", optarg, 1, 100000, &window)) return 2; break;
        case 't': if (s_parse_uint("submit", "--timeout", optarg, 1, 86400, &timeout)) return 2; break;
        case 'r': if (s_parse_uint("submit", "--retry-ms", optarg, 10, 600000, &retry_ms)) return 2; break;
        case 'R': if (s_parse_uint("submit", "--rate", optarg, 1, 10000000, &rate)) return 2; break;
        case S_OPT_KEEP_TEXT: keep_text = true; break;
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
                   "      --rate N      send at most N articles a second, evenly spaced (for load\n"
                   "                    tests; default: as fast as the window allows)\n"
                   "      --keep-text   ask the store to keep each article's text (UTF-8 ones;\n"
                   "                    articles it already has keep what they had)\n"
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
    client_set_keep_text(cl, keep_text);
    client_set_rate(cl, rate);
    submit_result_t sr;
    submit_paths(cl, (const char *const *)argv + optind, argc - optind, timeout * 1000u, &sr);
    const char *why = client_auth_failure(cl);
    client_destroy(&cl);
    auth_destroy(&auth);
    client_stats_t cs = sr.client;
    char detail[96];
    submit_rejected_detail(&sr, detail, sizeof detail);
    fprintf(stderr, "crossclaim submit: %llu sent, %llu queued, %llu already known, %llu rejected%s, "
                    "%llu resent, %llu unacknowledged\n",
            (unsigned long long)cs.sent, (unsigned long long)cs.queued,
            (unsigned long long)cs.duplicate, (unsigned long long)sr.bad, detail,
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
            else if (!strcmp(optarg, "story")) what = DB_STORIES;
            else return s_bad_usage("export", "--type is one of article, attribution, quantity, entity, xref, story");
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
    uint64_t skipped = db_corrupt_records(db);
    db_destroy(&db);
    if (fflush(stdout) != 0 && !rc)
        rc = -EIO;
    if (rc == DB_ECORRUPT && skipped) {
        fprintf(stderr, "crossclaim export: %llu records skipped, each named above: they "
                "fail to decode (database damaged); everything else was written\n",
                (unsigned long long)skipped);
        return 1;
    }
    if (rc != 0) {
        fprintf(stderr, "crossclaim export: %s\n", rc == -EIO ? "write error" : db_strerror(rc));
        return 1;
    }
    return 0;
}

static int s_print_update(void *arg, uint64_t seq, const char *topic, size_t topic_len,
                          const uint8_t *pb, size_t len)
{
    json_t *j = arg;
    json_reset(j);
    if (watch_update_line(j, "since", seq, topic, topic_len, pb, len) != 0) {
        fprintf(stderr, "crossclaim query: update %llu does not unpack; skipped\n",
                (unsigned long long)seq);
        return 0;
    }
    return fwrite(json_data(j), 1, json_len(j), stdout) == json_len(j) ? 0 : -1;
}

static int s_print_line(void *arg, const char *line, size_t len)
{
    (void)arg;
    return fwrite(line, 1, len, stdout) == len && putchar('\n') != EOF ? 0 : -1;
}

/* `query --entity NAME`: the entity records that name finds (db_entity_find), read from
   the database in `data`; the store's query socket looks up keys only. */
static int s_query_entity(db_t *db, const char *name, unsigned limit)
{
    int rc = db_entity_find(db, name, limit, s_write_line, stdout);
    if (rc == DB_ENOTFOUND) {
        fprintf(stderr, "crossclaim query: no such entity '%s' (no key, name or alias matches)\n", name);
        return 4;
    }
    if (rc != 0) {
        fprintf(stderr, "crossclaim query: %s\n", rc == -1 ? "write error" : db_strerror(rc));
        return 1;
    }
    return fflush(stdout) == 0 ? 0 : 1;
}

/* `query --offline`: the same answers read from LMDB directly. */
static int s_query_offline(const char *data, const char *verb, const char *arg, uint64_t since,
                           unsigned limit)
{
    db_t *db;
    if (s_open_db("query", data, &db) != 0)
        return 1;
    int rc;
    if (!strcmp(verb, "ENTITY")) {
        int code = s_query_entity(db, arg, limit);
        db_destroy(&db);
        return code;
    }
    if (!strcmp(verb, "CONFLICTS")) {
        rc = db_dump(db, DB_CONFLICTS, NULL, s_write_line, stdout);
    } else if (!strcmp(verb, "STORIES")) {
        rc = db_dump(db, DB_STORIES, NULL, s_write_line, stdout);
    } else if (!strcmp(verb, "STORY")) {
        rc = db_dump_story(db, arg, NULL, s_write_line, stdout);
    } else if (!strcmp(verb, "SINCE")) {
        uint64_t first = 0;
        json_t *j = json_new();
        rc = db_feed_since(db, since, &first, s_print_update, j);
        json_destroy(&j);
        if (!rc && first > since + 1)
            fprintf(stderr, "crossclaim query: updates %llu to %llu are no longer kept\n",
                    (unsigned long long)since + 1, (unsigned long long)first - 1);
    } else if (!strcmp(verb, "STATS")) {
        db_stats_t st;
        rc = db_stats(db, &st);
        if (!rc) {
            json_t *j = json_new();
            json_obj_begin(j);
            db_stats_json(&st, j);
            json_obj_end(j);
            json_newline(j);
            fwrite(json_data(j), 1, json_len(j), stdout);
            json_destroy(&j);
        }
    } else {
        json_t *j = json_new();
        rc = !strcmp(verb, "XREF") ? db_xref_json(db, arg, j) : db_article_json(db, arg, j);
        if (rc == 0)
            fwrite(json_data(j), 1, json_len(j), stdout);
        json_destroy(&j);
    }
    db_destroy(&db);
    if (rc == DB_ENOTFOUND) {
        fprintf(stderr, "crossclaim query: no such record '%s'\n", arg);
        return 4;
    }
    if (rc != 0) {
        fprintf(stderr, "crossclaim query: %s\n", db_strerror(rc));
        return 1;
    }
    return 0;
}

/* True when `ep` is an ipc endpoint nobody listens on: its socket file is missing, or
   left behind by a process that is gone (connect is refused). Says so at once, where a
   request would wait out its time-out. */
static bool s_ipc_dead(const char *ep)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strncmp(ep, "ipc://", 6) != 0 || strlen(ep + 6) >= sizeof sa.sun_path)
        return false;
    strcpy(sa.sun_path, ep + 6);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    bool dead = connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 &&
                (errno == ENOENT || errno == ECONNREFUSED);
    close(fd);
    return dead;
}

static int s_cmd_query(int argc, char **argv)
{
    const char *data = DEFAULT_DATA, *endpoint = NULL, *verb = NULL, *arg = NULL;
    unsigned timeout = 3, limit = DB_FIND_LIMIT;
    uint64_t since = 0;
    bool offline = false;
    int asked = 0;
    static const struct option opts[] = {
        {"limit", required_argument, 0, 'n'},
        {"data", required_argument, 0, 'd'}, {"query", required_argument, 0, 'Q'},
        {"entity", required_argument, 0, 'e'}, {"key", required_argument, 0, 'k'},
        {"article", required_argument, 0, 'a'}, {"conflicts", no_argument, 0, 'c'},
        {"stories", no_argument, 0, 'G'}, {"story", required_argument, 0, 'y'},
        {"since", required_argument, 0, 's'}, {"stats", no_argument, 0, 'T'},
        {"offline", no_argument, 0, 'o'}, {"timeout", required_argument, 0, 't'},
        {"help", no_argument, 0, 'h'}, S_AUTH_OPTIONS, {0, 0, 0, 0}};
    auth_config_t acfg = {0};
    int c;
    while ((c = getopt_long(argc, argv, "hd:e:k:a:cs:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': data = optarg; break;
        case 'Q': endpoint = optarg; break;
        case 'e': verb = "ENTITY"; arg = optarg; asked++; break;
        case 'k': verb = "XREF"; arg = optarg; asked++; break;
        case 'a': verb = "ARTICLE"; arg = optarg; asked++; break;
        case 'c': verb = "CONFLICTS"; asked++; break;
        case 'G': verb = "STORIES"; asked++; break;
        case 'y': verb = "STORY"; arg = optarg; asked++; break;
        case 'T': verb = "STATS"; asked++; break;
        case 's': {
            char *end;
            since = strtoull(optarg, &end, 10);
            if (!*optarg || *end || *optarg == '-')
                return s_bad_usage("query", "--since wants a sequence number");
            verb = "SINCE";
            arg = optarg;
            asked++;
            break;
        }
        case 'o': offline = true; break;
        case 't': if (s_parse_uint("query", "--timeout", optarg, 1, 3600, &timeout)) return 2; break;
        case 'n': if (s_parse_uint("query", "--limit", optarg, 1, 100000, &limit)) return 2; break;
        case 'h':
            printf("usage: crossclaim query [--data DIR | --query EP] [--offline] WHAT\n"
                   "\n"
                   "Asks the running store (its query socket) and prints JSON Lines. WHAT is one of:\n"
                   "\n"
                   "  -e, --entity NAME  the entities a name finds, as written ('Hillary Clinton',\n"
                   "                     'Erdoğan', 'SOHR') or as a key (per:erdogan): case and\n"
                   "                     diacritics folded, against keys, names and aliases; the\n"
                   "                     best first (--limit N, default %d), each with the\n"
                   "                     articles naming it and its statements (attributions\n"
                   "                     it speaks). Read from the database in DIR, which the\n"
                   "                     store's socket (keys only) cannot answer; with --query,\n"
                   "                     the store is asked for the key\n"
                   "  -k, --key KEY      the cross-reference of that key (STORY/FRAME), or the\n"
                   "                     first one with that frame key (f|unit|what|whose|...)\n"
                   "  -a, --article ID   the article record with that id\n"
                   "  -c, --conflicts    every cross-reference whose status is conflict\n"
                   "      --stories      every story (the articles about one event)\n"
                   "      --story ID     one story: its record, its articles and its cross-references\n"
                   "  -s, --since SEQ    the feed's updates after SEQ, one line each as\n"
                   "                     'crossclaim watch' prints them (the store keeps the last %d)\n"
                   "      --stats        the database counts and the store's counters\n"
                   "\n"
                   "  -d, --data DIR     data dir (default %s): query socket ipc://DIR/query.ipc\n"
                   "      --query EP     the store's query endpoint instead\n"
                   "      --timeout S    wait this long for the store (default 3)\n"
                   "      --offline      read the database in DIR directly, without the store\n"
                   "\n"
                   "Exit status: 0 found, 4 no such record, 1 the store is not answering or error.\n",
                   DB_FIND_LIMIT, DB_FEED_KEEP, DEFAULT_DATA);
            s_store_auth_help();
            return 0;
        default:
            if (s_auth_opt(c, &acfg))
                break;
            return s_bad_usage("query", "unknown option");
        }
    }
    if (asked != 1)
        return s_bad_usage("query", "give exactly one of --entity, --key, --article, --conflicts, "
                                    "--stories, --story, --since, --stats");
    if (optind < argc)
        return s_bad_usage("query", "takes no PATH");
    if (offline)
        return s_query_offline(data, verb, arg, since, limit);
    if (!strcmp(verb, "ENTITY") && !endpoint) {
        /* LMDB lets this reader run beside the store while it commits */
        db_t *db;
        if (s_open_db("query", data, &db) != 0)
            return 1;
        int code = s_query_entity(db, arg, limit);
        db_destroy(&db);
        return code;
    }

    char ep[PATH_MAX + 80];
    s_store_ep(data, endpoint, "query.ipc", ep, sizeof ep);
    if (s_ipc_dead(ep)) {
        fprintf(stderr, "crossclaim query: the store is not running (nothing listens on %s); start "
                        "crossclaim-store --data %s, or use --offline to read the database\n",
                ep + 6, data);
        return 1;
    }
    bool ok;
    auth_t *auth = s_auth("query", &acfg, &ok);
    if (!ok)
        return 1;
    storeq_t *q = storeq_new(ep, auth);
    if (!q) {
        auth_destroy(&auth);
        return 1;
    }
    storeq_set_timeout(q, timeout * 1000);
    int rc;
    json_t *j = json_new();
    char *payload = NULL;
    if (!strcmp(verb, "CONFLICTS") || !strcmp(verb, "STORIES") || !strcmp(verb, "STORY"))
        rc = storeq_stream(q, verb, arg, s_print_line, NULL, NULL, NULL);
    else if (!strcmp(verb, "SINCE"))
        rc = storeq_since(q, since, s_print_update, j, NULL);
    else if ((rc = storeq_get(q, verb, arg, &payload)) == 0)
        printf("%s%s", payload, payload[0] && payload[strlen(payload) - 1] == '\n' ? "" : "\n");
    free(payload);
    json_destroy(&j);
    int code = 0;
    if (rc == STOREQ_ETIMEOUT) {
        fprintf(stderr, "crossclaim query: no answer from the store at %s within %u s; is "
                        "crossclaim-store running? (--offline reads the database directly)\n",
                ep, timeout);
        code = 1;
    } else if (rc == STOREQ_ENOTFOUND) {
        fprintf(stderr, "crossclaim query: no such %s '%s'\n",
                !strcmp(verb, "ENTITY") ? "entity" : !strcmp(verb, "XREF") ? "claim key"
                : !strcmp(verb, "STORY") ? "story" : "article", arg);
        code = 4;
    } else if (rc == STOREQ_EGAP) {
        fprintf(stderr, "crossclaim query: the store no longer keeps the updates after %llu; "
                        "'crossclaim export' has the whole database\n", (unsigned long long)since);
        code = 1;
    } else if (rc != 0) {
        fprintf(stderr, "crossclaim query: %s%s%s\n", rc == -1 ? "write error" : storeq_strerror(rc),
                *storeq_reason(q) ? ": " : "", storeq_reason(q));
        code = 1;
    }
    storeq_destroy(&q);
    auth_destroy(&auth);
    if (fflush(stdout) != 0)
        code = 1;
    return code;
}

/* ---- watch ---- */

static int s_cmd_watch(int argc, char **argv)
{
    const char *data = DEFAULT_DATA, *feed = NULL, *query = NULL;
    watch_config_t cfg = {.start = WATCH_SNAPSHOT};
    const char **topics = util_calloc((size_t)argc + 1, sizeof *topics);
    unsigned long long count = 0, until = 0;
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'}, {"feed", required_argument, 0, 'F'},
        {"query", required_argument, 0, 'Q'}, {"topic", required_argument, 0, 't'},
        {"snapshot", no_argument, 0, 'P'}, {"live", no_argument, 0, 'L'},
        {"since", required_argument, 0, 's'}, {"heartbeat-ms", required_argument, 0, 'H'},
        {"liveness", required_argument, 0, 'l'}, {"hwm", required_argument, 0, 'W'},
        {"resync", required_argument, 0, 'r'}, {"count", required_argument, 0, 'n'},
        {"until-seq", required_argument, 0, 'u'}, {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'}, S_AUTH_OPTIONS, {0, 0, 0, 0}};
    auth_config_t acfg = {0};
    auth_t *auth = NULL;
    int c, code = 2;
    while ((c = getopt_long(argc, argv, "hd:t:n:qs:", opts, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'd': data = optarg; break;
        case 'F': feed = optarg; break;
        case 'Q': query = optarg; break;
        case 't': topics[cfg.ntopics++] = optarg; break;
        case 'P': cfg.start = WATCH_SNAPSHOT; break;
        case 'L': cfg.start = WATCH_LIVE; break;
        case 's':
            cfg.since = strtoull(optarg, &end, 10);
            if (!*optarg || *end || *optarg == '-') {
                s_bad_usage("watch", "--since wants a sequence number");
                goto leave;
            }
            cfg.start = WATCH_SINCE;
            break;
        case 'H': if (s_parse_uint("watch", "--heartbeat-ms", optarg, 10, 600000, &cfg.heartbeat_ms)) goto leave; break;
        case 'l': if (s_parse_uint("watch", "--liveness", optarg, 1, 1000, &cfg.liveness)) goto leave; break;
        case 'W': if (s_parse_uint("watch", "--hwm", optarg, 1, 10000000, &cfg.hwm)) goto leave; break;
        case 'r':
            if (strcmp(optarg, "since") && strcmp(optarg, "snapshot")) {
                s_bad_usage("watch", "--resync is since or snapshot");
                goto leave;
            }
            cfg.resync_snapshot = !strcmp(optarg, "snapshot");
            break;
        case 'n':
        case 'u': {
            unsigned long long v = strtoull(optarg, &end, 10);
            if (!*optarg || *end || *optarg == '-' || v == 0) {
                s_bad_usage("watch", c == 'n' ? "--count wants a positive number"
                                              : "--until-seq wants a positive sequence number");
                goto leave;
            }
            *(c == 'n' ? &count : &until) = v;
            break;
        }
        case 'q': cfg.quiet = true; break;
        case 'h':
            printf("usage: crossclaim watch [--data DIR | --feed EP --query EP] [--topic T]...\n"
                   "                        [--snapshot | --live | --since SEQ] [options]\n"
                   "\n"
                   "Follows the store's live feed and prints one JSON line per update:\n"
                   "  {\"seq\":N,\"via\":\"snapshot|feed|since\",\"op\":\"set|delete\",\"kind\":K,\n"
                   "   \"key\":KEY,\"topic\":T,\"record\":{the record as 'crossclaim export' writes it}}\n"
                   "It subscribes, takes a snapshot, then applies only newer updates (the Clone\n"
                   "pattern). A gap in seq (a consumer too slow for the store's --pub-hwm) is\n"
                   "caught up with SINCE, or a new snapshot when the store no longer keeps those\n"
                   "updates. A feed silent for --liveness heartbeats gets a warning on stderr.\n"
                   "\n"
                   "  -t, --topic T        show only records whose topic starts with T (repeatable):\n"
                   "                       article.<id>, entity.<key>, xref.<status>.<key>, e.g.\n"
                   "                       xref.conflict. or entity.per:; a record that moves out\n"
                   "                       is shown as a delete\n"
                   "      --snapshot       show the current records first, then updates (default)\n"
                   "      --live           show only updates from now on\n"
                   "  -s, --since SEQ      show the updates after SEQ, then live ones\n"
                   "  -n, --count N        stop after N lines\n"
                   "      --until-seq SEQ  stop once the view has reached SEQ\n"
                   "  -d, --data DIR       data dir of a local store (default %s)\n"
                   "      --feed EP        the store's feed (default ipc://DIR/feed.ipc)\n"
                   "      --query EP       its query socket (default ipc://DIR/query.ipc)\n"
                   "      --heartbeat-ms T the store's heartbeat interval (default 1000)\n"
                   "      --liveness N     missed heartbeats before warning (default 3)\n"
                   "      --hwm N          updates queued here before the feed drops some (default 1000)\n"
                   "      --resync HOW     catch up on a gap with 'since' (default) or 'snapshot'\n"
                   "  -q, --quiet          no notes about gaps and catching up on stderr\n",
                   DEFAULT_DATA);
            s_store_auth_help();
            code = 0;
            goto leave;
        default:
            if (s_auth_opt(c, &acfg))
                break;
            s_bad_usage("watch", "unknown option");
            goto leave;
        }
    }
    if (optind < argc) {
        s_bad_usage("watch", "takes no arguments");
        goto leave;
    }
    if (!!feed != !!query) {
        s_bad_usage("watch", "give both --feed and --query, or neither (then --data)");
        goto leave;
    }
    char ep_feed[PATH_MAX + 80], ep_query[PATH_MAX + 80];
    s_store_ep(data, feed, "feed.ipc", ep_feed, sizeof ep_feed);
    s_store_ep(data, query, "query.ipc", ep_query, sizeof ep_query);
    cfg.feed = ep_feed;
    cfg.query = ep_query;
    cfg.topics = topics;
    cfg.count = count;
    cfg.until_seq = until;
    bool ok;
    auth = s_auth("watch", &acfg, &ok);
    if (!ok) {
        code = 1;
        goto leave;
    }
    cfg.auth = auth;
    code = watch_run(&cfg);
leave:
    auth_destroy(&auth);
    free(topics);
    return code;
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


/* ---- serve ---- */

static int s_cmd_serve(int argc, char **argv)
{
    serve_config_t cfg = {.data_dir = DEFAULT_DATA, .port = 8080};
    char addr[128] = "127.0.0.1";
    static const struct option opts[] = {
        {"data", required_argument, 0, 'd'}, {"listen", required_argument, 0, 'l'},
        {"port", required_argument, 0, 'p'}, {"token", required_argument, 0, 't'},
        {"insecure", no_argument, 0, 'I'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "hd:l:p:t:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': cfg.data_dir = optarg; break;
        case 'l':
            if (!s_listen(optarg, addr, sizeof addr, &cfg.port))
                return s_bad_usage("serve", "--listen is ADDR:PORT, [IPV6]:PORT or PORT");
            break;
        case 'p': if (s_parse_uint("serve", "--port", optarg, 0, 65535, &cfg.port)) return 2; break;
        case 't': cfg.token = optarg; break;
        case 'I': cfg.insecure = true; break;
        case 'h':
            printf("usage: crossclaim serve [--data DIR] [--listen ADDR:PORT] [--token T] [--insecure]\n"
                   "\n"
                   "A read-only web view of the results database: the stories (newest first),\n"
                   "each story's conflicts and corroborations with every source's sentence side\n"
                   "by side, who said what, the conflict list with filters, entities, articles,\n"
                   "and search by name; the same as JSON under /api/ (stories, story?id=,\n"
                   "conflicts?story=&outlet=&since=&until=&min_sources=&status=, entity?key=,\n"
                   "article?id=, search?q=, fact?key=, stats). Works whether the store runs or\n"
                   "not: each request reads the database as it is then. Everything it serves is\n"
                   "in the binary; nothing is fetched from elsewhere.\n"
                   "\n"
                   "  -d, --data DIR          data dir (default %s)\n"
                   "  -l, --listen ADDR:PORT  where to listen (default 127.0.0.1:8080; port 0: any\n"
                   "                          free one, printed at start)\n"
                   "  -p, --port PORT         the port alone\n"
                   "  -t, --token T           require T of every request (Authorization: Bearer T,\n"
                   "                          or open the view once with ?token=T); needed for an\n"
                   "                          address other than loopback\n"
                   "      --insecure          allow another address without a token (trusted\n"
                   "                          network only)\n"
                   "\n"
                   "Stops on Ctrl-C. Exit status: 0, 1 when it cannot start (message printed).\n",
                   DEFAULT_DATA);
            return 0;
        default: return s_bad_usage("serve", "unknown option");
        }
    }
    if (optind < argc)
        return s_bad_usage("serve", "takes no PATH");
    cfg.addr = addr;
    return serve_main(&cfg);
}

int main(int argc, char **argv)
{
    opts_common("crossclaim", &argc, argv);
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
    if (!strcmp(cmd, "report")) return report_cmd(argc, argv);
    if (!strcmp(cmd, "serve")) return s_cmd_serve(argc, argv);
    if (!strcmp(cmd, "query")) return s_cmd_query(argc, argv);
    if (!strcmp(cmd, "watch")) return s_cmd_watch(argc, argv);
    if (!strcmp(cmd, "status")) return s_cmd_status(argc, argv);
    if (!strcmp(cmd, "top")) return s_cmd_top(argc, argv);
    if (!strcmp(cmd, "dead") || !strcmp(cmd, "pause") || !strcmp(cmd, "resume"))
        return s_cmd_admin_simple(cmd, argc, argv);
    fprintf(stderr, "crossclaim: unknown command '%s'\n\n%s", cmd, s_usage_main);
    return 2;
}
