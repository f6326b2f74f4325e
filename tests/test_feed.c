/*  test_feed: the store's feed and query socket as a downstream user meets them, with a
    real broker, store and workers as separate processes: `crossclaim watch` (the Clone
    pattern: snapshot, live updates, a gap caught up with SINCE or a new snapshot, a silent
    feed warned about), `crossclaim query` over the socket and offline, and the store's
    Prometheus page checked by promtool.

    A watch's output is folded into a view (kind and key -> record, deletes applied) and
    compared byte for byte with `crossclaim export`: both come from the same writer, so
    the records must be identical, not just alike. */
#include "pipeline_util.h"

#include <czmq.h>
#include <signal.h>
#include <sys/prctl.h>

#include "util.h"
#include "wire.h"

static char *s_dir;
static pid_t s_broker, s_store, s_workers[2];
static unsigned s_port;         /* store metrics */

static pid_t s_spawn(char *const argv[])
{
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        execv(argv[0], argv);
        _exit(127);
    }
    return pid;
}

/* Runs a shell command line in the background; its pid is the command's own (exec). */
static pid_t s_bg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static pid_t s_bg(const char *fmt, ...)
{
    char cmd[4096] = "exec ";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd + 5, sizeof cmd - 5, fmt, ap);
    va_end(ap);
    return s_spawn((char *[]){"/bin/sh", "-c", cmd, NULL});
}

static void s_stop(pid_t *pid, int sig)
{
    if (*pid > 0) {
        kill(*pid, SIGCONT);
        kill(*pid, sig);
        waitpid(*pid, NULL, 0);
        *pid = 0;
    }
}

/* Starts the store with a 200 ms feed heartbeat (and a liveness that keeps the broker,
   at its 1 s heartbeat, from looking silent) and its default --pub-hwm, or `pub_hwm`. */
static void s_start_store(const char *pub_hwm)
{
    char bin[600], port[16];
    snprintf(bin, sizeof bin, "%s/crossclaim-store", pu_bin());
    snprintf(port, sizeof port, "%u", s_port);
    s_store = s_spawn((char *[]){bin, "--data", s_dir, "--quiet", "--metrics-port", port,
                                 "--heartbeat-ms", "200", "--liveness", "25",
                                 pub_hwm ? "--pub-hwm" : NULL, (char *)pub_hwm, NULL});
}

static void s_setup_with(const char *pub_hwm)
{
    s_dir = pu_tmpdir();
    s_port = 23000 + (unsigned)(getpid() % 20000);
    char bin[2][600], back[700];
    snprintf(bin[0], sizeof bin[0], "%s/crossclaim-broker", pu_bin());
    snprintf(bin[1], sizeof bin[1], "%s/crossclaim-worker", pu_bin());
    snprintf(back, sizeof back, "ipc://%s/backend.ipc", s_dir);
    s_broker = s_spawn((char *[]){bin[0], "--data", s_dir, "--quiet", NULL});
    s_start_store(pub_hwm);
    s_workers[0] = s_spawn((char *[]){bin[1], "--broker", back, "--name", "w1", "--quiet", NULL});
    s_workers[1] = s_spawn((char *[]){bin[1], "--broker", back, "--name", "w2", "--quiet", NULL});
    for (int i = 0; i < 100; i++) {
        if (pu_sh("%s/crossclaim status --data %s 2>/dev/null | grep -q '\"store_connected\":true' && "
                  "%s/crossclaim query --stats --data %s >/dev/null 2>&1",
                  pu_bin(), s_dir, pu_bin(), s_dir) == 0)
            return;
        usleep(100000);
    }
    cr_assert_fail("the pipeline did not come up");
}

static void s_setup(void)
{
    s_setup_with(NULL);
}

/* A store whose feed drops what a subscriber can't take at once. */
static void s_setup_tiny_hwm(void)
{
    s_setup_with("1");
}

static void s_teardown(void)
{
    s_stop(&s_workers[0], SIGTERM);
    s_stop(&s_workers[1], SIGTERM);
    s_stop(&s_store, SIGTERM);
    s_stop(&s_broker, SIGTERM);
    pu_sh("rm -rf %s", s_dir);
    free(s_dir);
}

/* Writes n articles into DIR/name, numbered from `from`, each with four figures: the
   injured differ across articles (conflicts: a short sentence, which is never taken for
   a copy), some counts repeat (corroborations), and names recur (entities). */
static void s_articles(const char *name, int from, int n)
{
    pu_sh("mkdir -p %s/%s", s_dir, name);
    for (int i = from; i < from + n; i++) {
        char path[800];
        snprintf(path, sizeof path, "%s/%s/a%04d.txt", s_dir, name, i);
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f);
        fprintf(f, "Bulletin %d from the river valley\n"
                   "Governor Mara Quillon said %d schools were shut in Lake Vire district %d on "
                   "Tuesday. Aid workers from the Valley Relief Fund said %d families had left "
                   "their homes, and the Brandt County council said %d bridges were closed. "
                   "Officials said %d people were injured.\n",
                i, 20 + i % 5, i % 7, 100 + i, 3 + i % 3, 10 + i % 4);
        fclose(f);
    }
}

static void s_submit(const char *what)
{
    cr_assert_eq(pu_sh("%s/crossclaim submit --data %s %s 2>/dev/null", pu_bin(), s_dir, what), 0,
                 "submit %s failed", what);
}

/* A number from `crossclaim query --stats`. */
static uint64_t s_stat(const char *name)
{
    char cmd[1200], out[4096] = "";
    /* A store busy answering a frozen client (it gives each up to 1 s) under ASan may
       miss one short wait: ask again, each time for longer. */
    for (int attempt = 0; attempt < 4 && !strstr(out, "\"articles\":"); attempt++) {
        snprintf(cmd, sizeof cmd, "%s/crossclaim query --stats --timeout %d --data %s", pu_bin(),
                 3 + 3 * attempt, s_dir);
        FILE *p = popen(cmd, "r");
        cr_assert_not_null(p);
        size_t n = fread(out, 1, sizeof out - 1, p);
        out[n] = 0;
        pclose(p);
    }
    char key[64];
    snprintf(key, sizeof key, "\"%s\":", name);
    const char *v = strstr(out, key);
    cr_assert_not_null(v, "no %s in the store's stats: %s", name, out);
    return strtoull(v + strlen(key), NULL, 10);
}

/* Waits until the store holds `articles` articles; returns its seq then. */
static uint64_t s_wait_articles(uint64_t articles)
{
    for (int i = 0; i < 1200; i++) {
        if (s_stat("articles") >= articles)
            return s_stat("seq");
        usleep(100000);
    }
    cr_assert_fail("the store never reached %llu articles", (unsigned long long)articles);
    return 0;
}

/* The record member of a watch line: from ,"record": to the line's last '}'. A key string
   can't hold that text unescaped, so the first one is the member. */
static char *s_record(const char *line, size_t len)
{
    const char *r = strstr(line, ",\"record\":");
    cr_assert_not_null(r, "watch line without a record: %.200s", line);
    r += strlen(",\"record\":");
    const char *end = line + len;
    while (end > r && end[-1] != '}')
        end--;
    cr_assert_gt(end, r);
    return strndup(r, (size_t)(end - 1 - r));
}

/* Folds a watch output file into kind\tkey -> record, up to its last whole line (the watch
   may be writing). Returns the highest seq seen. */
static uint64_t s_fold(const char *path, zhashx_t *view)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "no watch output at %s", path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    uint64_t top = 0;
    static const char *const keys[] = {"seq", "op", "kind", "key"};
    while ((n = getline(&line, &cap, f)) > 0 && line[n - 1] == '\n') {
        char *v[4];
        size_t l[4];
        const char *err;
        cr_assert_eq(jsonl_fields(line, (size_t)n, keys, 4, v, l, &err), 0,
                     "watch line is not JSON (%s): %.200s", err, line);
        cr_assert(v[0] && v[1] && v[2] && v[3], "watch line lacks a field: %.200s", line);
        uint64_t seq = strtoull(v[0], NULL, 10);
        top = seq > top ? seq : top;
        char vk[1024];
        snprintf(vk, sizeof vk, "%s\t%s", v[2], v[3]);
        if (!strcmp(v[1], "delete"))
            zhashx_delete(view, vk);
        else
            zhashx_update(view, vk, s_record(line, (size_t)n));
        for (int i = 0; i < 4; i++)
            free(v[i]);
    }
    free(line);
    fclose(f);
    return top;
}

typedef struct {
    zhashx_t *view;
    int kinds[6];           /* article, entity, xref, story, attribution, quantity records */
    int missing, differ;
    char first_diff[300];
    char article[40];       /* the article of the last attribution or quantity line */
    int index[2];           /* and how many of each it had so far */
} s_cmp_t;

static void s_cmp_line(void *arg, const char *type, const char *line, size_t len)
{
    s_cmp_t *c = arg;
    int k = !strcmp(type, "article") ? 0 : !strcmp(type, "entity") ? 1 : !strcmp(type, "xref") ? 2
            : !strcmp(type, "story") ? 3 : !strcmp(type, "attribution") ? 4
            : !strcmp(type, "quantity") ? 5 : -1;
    if (k < 0)
        return;
    c->kinds[k]++;
    static const char *const keys[] = {"id", "key", "article"};
    char *v[3];
    size_t l[3];
    const char *err;
    cr_assert_eq(jsonl_fields(line, len, keys, 3, v, l, &err), 0);
    char vk[1024];
    if (k >= 4) {
        /* the feed keys them "<article>/<index>", in the export's order */
        cr_assert_not_null(v[2]);
        if (strcmp(c->article, v[2]) != 0) {
            snprintf(c->article, sizeof c->article, "%s", v[2]);
            c->index[0] = c->index[1] = 0;
        }
        snprintf(vk, sizeof vk, "%s\t%s/%d", type, v[2], c->index[k - 4]++);
    } else {
        snprintf(vk, sizeof vk, "%s\t%s", type, k == 0 || k == 3 ? v[0] : v[1]);
    }
    free(v[2]);
    const char *rec = zhashx_lookup(c->view, vk);
    while (len && line[len - 1] == '\n')
        len--;
    if (!rec) {
        if (!c->missing++ && !c->differ)
            snprintf(c->first_diff, sizeof c->first_diff, "missing %.280s", vk);
    } else if (strlen(rec) != len || memcmp(rec, line, len) != 0) {
        if (!c->differ++ && !c->missing)
            snprintf(c->first_diff, sizeof c->first_diff, "differs %.280s", vk);
    }
    zhashx_delete(c->view, vk);
    free(v[0]);
    free(v[1]);
}

/* Compares a watch output with an export of the same kinds (`export_args`, e.g.
   "--type xref" or ""). Returns true when equal; prints the comparison. */
static bool s_view_equals_export(const char *watch_out, const char *export_cmd, bool quiet)
{
    zhashx_t *view = zhashx_new();
    zhashx_set_destructor(view, (zhashx_destructor_fn *)zstr_free);
    uint64_t top = s_fold(watch_out, view);
    size_t in_view = zhashx_size(view);
    char exp[1024];
    snprintf(exp, sizeof exp, "%s.export", watch_out);
    cr_assert_eq(pu_sh("%s > %s", export_cmd, exp), 0, "%s failed", export_cmd);
    s_cmp_t c = {view, {0}, 0, 0, "", "", {0}};
    pu_counts_t counts;
    pu_read_export(exp, &counts, s_cmp_line, &c);
    size_t extra = zhashx_size(view);
    bool equal = !c.missing && !c.differ && !extra;
    if (!quiet || !equal)
        fprintf(stderr, "%s: view %zu records at seq %llu; export articles %d, entities %d, "
                        "xrefs %d, attributions %d, quantities %d; missing %d, different %d, "
                        "extra %zu; equal: %s %s\n",
                watch_out, in_view, (unsigned long long)top, c.kinds[0], c.kinds[1], c.kinds[2],
                c.kinds[4], c.kinds[5],
                c.missing, c.differ, extra, equal ? "yes" : "no", c.first_diff);
    zhashx_destroy(&view);
    return equal;
}

/* Waits until a watch output holds a line at `seq` or later. */
static void s_wait_seq(const char *path, uint64_t seq)
{
    for (int i = 0; i < 600; i++) {
        zhashx_t *view = zhashx_new();
        zhashx_set_destructor(view, (zhashx_destructor_fn *)zstr_free);
        FILE *f = fopen(path, "r");
        uint64_t top = 0;
        if (f) {
            fclose(f);
            top = s_fold(path, view);
        }
        zhashx_destroy(&view);
        if (top >= seq)
            return;
        usleep(100000);
    }
    pu_sh("tail -c 2000 %s.err >&2", path);
    cr_assert_fail("%s never reached seq %llu", path, (unsigned long long)seq);
}

static void s_wait_lines(const char *path, int lines)
{
    for (int i = 0; i < 300; i++) {
        if (pu_sh("test -f %s && test $(wc -l < %s) -ge %d", path, path, lines) == 0)
            return;
        usleep(100000);
    }
    cr_assert_fail("%s never had %d lines", path, lines);
}

TestSuite(feed, .init = s_setup, .fini = s_teardown, .timeout = 240);

Test(feed, watch_snapshot_then_live_equals_export)
{
    const char *src = getenv("CC_SOURCE_DIR");
    cr_assert_not_null(src);
    s_submit(strcat(strcpy((char[1024]){0}, src), "/samples"));
    s_wait_articles(4);
    /* Joins late: the samples come from the snapshot, the rest live. */
    char out[800];
    snprintf(out, sizeof out, "%s/watch.jsonl", s_dir);
    pid_t w = s_bg("%s/crossclaim watch --data %s --heartbeat-ms 200 > %s 2> %s.err", pu_bin(),
                   s_dir, out, out);
    s_wait_lines(out, 4);
    s_articles("live", 0, 60);
    s_submit(strcat(strcpy((char[1024]){0}, s_dir), "/live"));
    uint64_t seq = s_wait_articles(64);
    s_wait_seq(out, seq);
    s_stop(&w, SIGINT);
    cr_assert_eq(pu_sh("grep -q '\"via\":\"snapshot\"' %s && grep -q '\"via\":\"feed\"' %s", out, out),
                 0, "the watch did not show both the snapshot and live updates");
    char exp[1200];
    snprintf(exp, sizeof exp, "%s/crossclaim export --data %s", pu_bin(), s_dir);
    cr_assert(s_view_equals_export(out, exp, false), "the watch's view differs from the export");
    pu_sh("cat %s.err >&2", out);
}

Test(feed, topic_subtree_follows_conflicts)
{
    char out[800];
    snprintf(out, sizeof out, "%s/conflicts.jsonl", s_dir);
    /* An xref enters xref.conflict. when a second article disagrees with the first. */
    s_articles("a", 0, 5);
    s_submit(strcat(strcpy((char[1024]){0}, s_dir), "/a"));
    s_wait_articles(5);
    pid_t w = s_bg("%s/crossclaim watch --data %s -t xref.conflict. --heartbeat-ms 200 > %s 2> %s.err",
                   pu_bin(), s_dir, out, out);
    s_wait_lines(out, 1);
    s_articles("b", 5, 40);
    s_submit(strcat(strcpy((char[1024]){0}, s_dir), "/b"));
    s_wait_articles(45);
    char exp[1200];
    snprintf(exp, sizeof exp, "%s/crossclaim query --conflicts --data %s", pu_bin(), s_dir);
    bool equal = false;
    for (int i = 0; i < 300 && !equal; i++) {
        equal = s_view_equals_export(out, exp, true);
        if (!equal)
            usleep(100000);
    }
    s_stop(&w, SIGINT);
    cr_assert(equal || s_view_equals_export(out, exp, false),
              "the xref.conflict. view never matched query --conflicts");
    /* Only deletes leave the topic: a fact whose story took a new id moves. */
    cr_assert_eq(pu_sh("grep -v '\"topic\":\"xref.conflict.' %s | grep -q -v '\"op\":\"delete\"'", out), 1,
                 "a line outside the watched topic");
    /* The same subtree straight from a snapshot. */
    char snap[900];
    snprintf(snap, sizeof snap, "%s/conflicts-snap.jsonl", s_dir);
    cr_assert_eq(pu_sh("%s/crossclaim watch --data %s -t xref.conflict. --until-seq %llu > %s 2>/dev/null",
                       pu_bin(), s_dir, (unsigned long long)s_stat("seq"), snap), 0);
    cr_assert(s_view_equals_export(snap, exp, false), "the subtree snapshot differs");
}

Test(feed, query_over_socket_matches_offline)
{
    const char *src = getenv("CC_SOURCE_DIR");
    s_submit(strcat(strcpy((char[1024]){0}, src), "/samples"));
    s_wait_articles(4);
    const char *d = s_dir, *b = pu_bin();
    /* Each question through the socket, then offline: the same bytes. */
    const char *asks[] = {"--conflicts", "--since 0", "--since 10", "--key 'f||passenger||killed|port alder|'",
                          "--entity loc:port alder"};
    for (size_t i = 0; i < sizeof asks / sizeof *asks; i++) {
        char a[200];
        snprintf(a, sizeof a, "%s", asks[i]);
        if (strncmp(a, "--entity ", 9) == 0)
            snprintf(a, sizeof a, "--entity '%s'", asks[i] + 9);
        cr_assert_eq(pu_sh("%s/crossclaim query --data %s %s > %s/q1.txt", b, d, a, d), 0, "query %s", a);
        cr_assert_eq(pu_sh("%s/crossclaim query --offline --data %s %s > %s/q2.txt", b, d, a, d), 0,
                     "query --offline %s", a);
        cr_assert_eq(pu_sh("test -s %s/q1.txt && cmp -s %s/q1.txt %s/q2.txt", d, d, d), 0,
                     "query %s: socket and offline answers differ or are empty", a);
    }
    cr_assert_eq(pu_sh("%s/crossclaim query --data %s --since 0 | wc -l | grep -qx %llu", b, d,
                       (unsigned long long)s_stat("seq")), 0, "--since 0 is not every update");
    cr_assert_eq(pu_sh("%s/crossclaim query --data %s --conflicts | grep -q '\"status\":\"conflict\"'", b, d), 0);
    cr_assert_eq(pu_sh("%s/crossclaim query --data %s --entity per:nobody 2>%s/e.txt", b, d, d), 4);
    cr_assert_eq(pu_sh("grep -q \"no such entity 'per:nobody'\" %s/e.txt", d), 0);
    cr_assert_eq(pu_sh("%s/crossclaim query --data %s --stats | grep -q '\"articles\":4'", b, d), 0);
    cr_assert_eq(pu_sh("%s/crossclaim query --data %s 2>/dev/null", b, d), 2, "no question");
    cr_assert_eq(pu_sh("%s/crossclaim query --data %s --since x 2>/dev/null", b, d), 2);

    /* A stopped store: a clear error at once, and --offline still answers. */
    s_stop(&s_store, SIGTERM);
    cr_assert_eq(pu_sh("%s/crossclaim query --data %s --conflicts 2>%s/e.txt", b, d, d), 1);
    cr_assert_eq(pu_sh("grep -q 'the store is not running' %s/e.txt", d), 0);
    cr_assert_eq(pu_sh("%s/crossclaim query --offline --data %s --conflicts | grep -q conflict", b, d), 0);
    /* One killed with -9 leaves its socket file: the answer is the same. */
    s_start_store(NULL);
    for (int i = 0; i < 50 && pu_sh("%s/crossclaim query --stats --data %s >/dev/null 2>&1", b, d); i++)
        usleep(100000);
    s_stop(&s_store, SIGKILL);
    cr_assert_eq(pu_sh("%s/crossclaim query --data %s --conflicts 2>%s/e.txt", b, d, d), 1);
    cr_assert_eq(pu_sh("grep -q 'the store is not running' %s/e.txt", d), 0);
    /* A tcp endpoint nobody answers on: the time-out's message. */
    cr_assert_eq(pu_sh("%s/crossclaim query --query tcp://127.0.0.1:%u --insecure --timeout 1 --conflicts 2>%s/e.txt",
                       b, s_port + 1, d), 1);
    cr_assert_eq(pu_sh("grep -q 'no answer from the store' %s/e.txt", d), 0);
}

Test(feed, silent_feed_is_warned_and_back)
{
    char out[800];
    snprintf(out, sizeof out, "%s/live.jsonl", s_dir);
    pid_t w = s_bg("%s/crossclaim watch --data %s --live --heartbeat-ms 200 --liveness 5 > %s 2> %s.err",
                   pu_bin(), s_dir, out, out);
    /* A quiet feed (heartbeats only) is no cause for a warning. */
    usleep(1500000);
    cr_assert_eq(pu_sh("grep -q 'no heartbeat' %s.err", out), 1, "a quiet feed was taken for dead");
    s_stop(&s_store, SIGKILL);
    bool warned = false;
    for (int i = 0; i < 100 && !warned; i++) {
        usleep(100000);
        warned = pu_sh("grep -q 'no heartbeat from the store' %s.err", out) == 0;
    }
    cr_assert(warned, "no warning for a dead feed");
    s_start_store(NULL);
    bool back = false;
    for (int i = 0; i < 100 && !back; i++) {
        usleep(100000);
        back = pu_sh("grep -q 'the feed is back' %s.err", out) == 0;
    }
    s_stop(&w, SIGINT);
    pu_sh("cat %s.err >&2", out);
    cr_assert(back, "the feed's return was not noticed");
}

Test(feed, store_metrics_pass_promtool_and_move)
{
    if (pu_sh("command -v promtool >/dev/null && command -v curl >/dev/null") != 0)
        cr_skip_test("promtool or curl is not installed (deploy/install-deps.sh installs them)");
    const char *d = s_dir;
    usleep(700000); /* the page is rendered every 500 ms */
    cr_assert_eq(pu_sh("curl -sf http://127.0.0.1:%u/metrics > %s/m0.txt", s_port, d), 0);
    cr_assert_eq(pu_sh("grep -qx 'crossclaim_store_commits_total 0' %s/m0.txt", d), 0);
    s_articles("m", 0, 30);
    s_submit(strcat(strcpy((char[1024]){0}, d), "/m"));
    uint64_t seq = s_wait_articles(30);
    /* The same articles again: the broker knows them, nothing reaches the store. */
    s_submit(strcat(strcpy((char[1024]){0}, d), "/m"));
    usleep(700000);
    cr_assert_eq(pu_sh("curl -sf http://127.0.0.1:%u/metrics > %s/m1.txt", s_port, d), 0);
    int rc = pu_sh("promtool check metrics < %s/m1.txt > %s/promtool.txt 2>&1", d, d);
    pu_sh("cat %s/promtool.txt >&2; grep -v '^#' %s/m1.txt | grep -v _bucket >&2", d, d);
    cr_assert_eq(rc, 0, "promtool check metrics failed");
    const char *names[] = {"crossclaim_store_commits_total", "crossclaim_store_articles_merged_total",
                           "crossclaim_store_duplicates_total", "crossclaim_store_merge_errors_total",
                           "crossclaim_feed_seq", "crossclaim_store_batch_articles_bucket",
                           "crossclaim_extract_seconds_bucket"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        cr_assert_eq(pu_sh("grep -q '^%s' %s/m1.txt", names[i], d), 0, "no %s", names[i]);
    cr_assert_eq(pu_sh("grep -qx 'crossclaim_store_articles_merged_total 30' %s/m1.txt", d), 0);
    cr_assert_eq(pu_sh("grep -qx 'crossclaim_feed_seq %llu' %s/m1.txt", (unsigned long long)seq, d), 0);
    cr_assert_eq(pu_sh("grep -qx 'crossclaim_extract_seconds_count 30' %s/m1.txt", d), 0);
    cr_assert_eq(pu_sh("grep -qx 'crossclaim_store_batch_articles_sum 30' %s/m1.txt", d), 0);
    cr_assert_eq(pu_sh("grep -q '^crossclaim_store_commits_total [1-9]' %s/m1.txt", d), 0);
}

Test(feed_cli, usage_errors)
{
    const char *b = pu_bin();
    cr_expect_eq(pu_sh("%s/crossclaim watch --help | grep -q -- --since", b), 0);
    cr_expect_eq(pu_sh("%s/crossclaim query --help | grep -q -- --offline", b), 0);
    cr_expect_eq(pu_sh("%s/crossclaim watch --feed ipc:///tmp/x 2>/dev/null", b), 2, "--feed alone");
    cr_expect_eq(pu_sh("%s/crossclaim watch --resync sometimes 2>/dev/null", b), 2);
    cr_expect_eq(pu_sh("%s/crossclaim watch -t a,b 2>/dev/null", b), 2, "a comma in a topic");
    cr_expect_eq(pu_sh("%s/crossclaim-store --help | grep -q -- --metrics-port", b), 0);
}

TestSuite(feed_gap, .init = s_setup_tiny_hwm, .fini = s_teardown, .timeout = 300);

/* Two watchers are frozen (SIGSTOP) while many articles go in, so the store's PUB, which
   keeps one update per subscriber (--pub-hwm 1) beyond what the socket buffers hold,
   drops most of them. Thawed, each must see the gap and catch up to the export: one
   through SINCE, the other through a new snapshot. */
Test(feed_gap, frozen_watchers_catch_up)
{
    const char *src = getenv("CC_SOURCE_DIR");
    s_submit(strcat(strcpy((char[1024]){0}, src), "/samples"));
    s_wait_articles(4);
    char out[2][800];
    pid_t w[2];
    const char *how[2] = {"since", "snapshot"};
    for (int i = 0; i < 2; i++) {
        snprintf(out[i], sizeof out[i], "%s/watch-%s.jsonl", s_dir, how[i]);
        w[i] = s_bg("%s/crossclaim watch --data %s --hwm 1 --resync %s --heartbeat-ms 200 > %s 2> %s.err",
                    pu_bin(), s_dir, how[i], out[i], out[i]);
    }
    for (int i = 0; i < 2; i++)
        s_wait_lines(out[i], 4);
    kill(w[0], SIGSTOP);
    kill(w[1], SIGSTOP);
    s_articles("many", 0, 600);
    s_submit(strcat(strcpy((char[1024]){0}, s_dir), "/many"));
    uint64_t seq = s_wait_articles(604);
    kill(w[0], SIGCONT);
    kill(w[1], SIGCONT);
    char exp[1200];
    snprintf(exp, sizeof exp, "%s/crossclaim export --data %s", pu_bin(), s_dir);
    for (int i = 0; i < 2; i++) {
        s_wait_seq(out[i], seq);
        s_stop(&w[i], SIGINT);
        pu_sh("cat %s.err >&2", out[i]);
        cr_assert_eq(pu_sh("grep -q '^crossclaim watch: gap' %s.err", out[i]), 0,
                     "the %s watcher saw no gap (%llu updates went out while it was frozen)",
                     how[i], (unsigned long long)seq);
        cr_assert_eq(pu_sh("grep -q 'caught up with %s' %s.err", i ? "a snapshot" : "SINCE", out[i]), 0,
                     "the %s watcher did not catch up its way", how[i]);
        cr_assert(s_view_equals_export(out[i], exp, false), "the %s watcher's view differs", how[i]);
    }
}

/* ---- records that change and go: a fake broker feeds the real store hand-made results */

static zsock_t *s_fake;     /* the fake broker's back end */
static zframe_t *s_fake_peer;

static void s_setup_fake(void)
{
    zsys_init();
    zsys_set_logstream(NULL);
    s_dir = pu_tmpdir();
    s_port = 23000 + (unsigned)(getpid() % 20000);
    s_fake = zsock_new(ZMQ_ROUTER);
    cr_assert_geq(zsock_bind(s_fake, "ipc://%s/backend.ipc", s_dir), 0);
    zsock_set_rcvtimeo(s_fake, 5000);
    char bin[600];
    snprintf(bin, sizeof bin, "%s/crossclaim-store", pu_bin());
    s_store = s_spawn((char *[]){bin, "--data", s_dir, "--quiet", "--heartbeat-ms", "200",
                                 "--liveness", "100", "--batch-ms", "5", NULL});
    /* The store's HELLO gives its identity. */
    for (;;) {
        zmsg_t *msg = zmsg_recv(s_fake);
        cr_assert_not_null(msg, "no HELLO from the store");
        zframe_t *id = NULL;
        wire_msg_t m;
        cr_assert_eq(wire_decode_msg(msg, true, &id, &m), 0);
        bool hello = m.cmd == WIRE_HELLO;
        if (hello)
            s_fake_peer = zframe_dup(id);
        zmsg_destroy(&msg);
        if (hello)
            break;
    }
}

static void s_teardown_fake(void)
{
    s_stop(&s_store, SIGTERM);
    zframe_destroy(&s_fake_peer);
    zsock_destroy(&s_fake);
    pu_sh("rm -rf %s", s_dir);
    free(s_dir);
}

/* Sends the result of article `name` from `outlet`: one count of 'boats' with `value`,
   and entity `entity` when not NULL; waits for the store's COMMITTED. */
static void s_result(const char *name, const char *outlet, uint64_t simhash, double value,
                     const char *entity)
{
    char id[UTIL_ID_HEX + 1];
    util_job_id(name, strlen(name), "", 0, id);
    Crossclaim__Article a = CROSSCLAIM__ARTICLE__INIT;
    a.id = id;
    a.source = a.title = (char *)name;
    a.outlet = (char *)outlet;
    Crossclaim__Span sp = CROSSCLAIM__SPAN__INIT;
    sp.end = 4;
    sp.text = "four";
    Crossclaim__Quantity q = CROSSCLAIM__QUANTITY__INIT, *qp = &q;
    q.value = value;
    q.span = &sp;
    q.key = "q|count|boat||";
    Crossclaim__Entity e = CROSSCLAIM__ENTITY__INIT, *ep = &e;
    e.key = (char *)entity;
    e.name = (char *)entity;
    e.kind = "person";
    /* all of them about one event: one story */
    Crossclaim__StoryTerm t = CROSSCLAIM__STORY_TERM__INIT;
    t.term = "e:harbour";
    t.weight = 0.5f;
    Crossclaim__StoryTerm t2 = CROSSCLAIM__STORY_TERM__INIT;
    t2.term = "w:boats";
    t2.weight = 0.5f;
    Crossclaim__StoryTerm *tp[2] = {&t, &t2};
    Crossclaim__Result r = CROSSCLAIM__RESULT__INIT;
    r.terms = tp;
    r.n_terms = 2;
    r.job_id = id;
    r.article = &a;
    r.quantities = &qp;
    r.n_quantities = 1;
    r.entities = entity ? &ep : NULL;
    r.n_entities = entity ? 1 : 0;
    r.simhash = simhash;
    r.text_bytes = 100; /* spans must lie inside the text */
    size_t len;
    uint8_t *pb = wire_pack_result(&r, &len);
    const void *args[2] = {id, pb};
    size_t lens[2] = {UTIL_ID_HEX, len};
    cr_assert_eq(wire_send(s_fake, s_fake_peer, WIRE_RESULT, 2, args, lens), 0);
    free(pb);
    /* The store heartbeats meanwhile: give up on COMMITTED by the clock, not by silence. */
    for (int64_t until = zclock_mono() + 10000;;) {
        cr_assert_lt(zclock_mono(), until, "no COMMITTED for %s", name);
        zmsg_t *msg = zmsg_recv(s_fake);
        cr_assert_not_null(msg, "no COMMITTED for %s", name);
        wire_msg_t m;
        cr_assert_eq(wire_decode_msg(msg, true, NULL, &m), 0);
        bool done = m.cmd == WIRE_COMMITTED && m.nargs == 1 &&
                    memcmp(m.arg[0], id, UTIL_ID_HEX) == 0;
        zmsg_destroy(&msg);
        if (done)
            return;
    }
}

TestSuite(feed_fake, .init = s_setup_fake, .fini = s_teardown_fake, .timeout = 120);

/* Two outlets disagree on a count, then one corrects itself and drops a person it had
   named: the cluster leaves xref.conflict. and the entity is deleted. A full watch and a
   conflicts-only watch must show exactly that. */
Test(feed_fake, deletes_and_records_leaving_a_subtree)
{
    char all[800], conf[800];
    snprintf(all, sizeof all, "%s/all.jsonl", s_dir);
    snprintf(conf, sizeof conf, "%s/conf.jsonl", s_dir);
    s_result("first", "o1", 0x1111111111111111ull, 4, "per:ada");
    pid_t w1 = s_bg("%s/crossclaim watch --data %s --heartbeat-ms 200 > %s 2> %s.err", pu_bin(),
                    s_dir, all, all);
    pid_t w2 = s_bg("%s/crossclaim watch --data %s -t xref.conflict. --heartbeat-ms 200 > %s 2> %s.err",
                    pu_bin(), s_dir, conf, conf);
    s_wait_lines(all, 3); /* article, entity and xref of the first result */
    s_result("second", "o2", 0x2222222222222222ull, 5, "per:bo");
    s_wait_lines(conf, 1);
    s_result("second", "o2", 0x2222222222222222ull, 4, NULL);
    uint64_t seq = s_stat("seq");
    s_wait_seq(all, seq);
    /* The conflicts watch shows nothing at the last seq (an entity of the full feed):
       wait for its delete line instead. */
    bool left = false;
    for (int i = 0; i < 100 && !left; i++) {
        left = pu_sh("grep -q '\"op\":\"delete\",\"kind\":\"xref\",\"key\":\"[0-9a-f]*/q|count|boat||\"' %s", conf) == 0;
        if (!left)
            usleep(100000);
    }
    s_stop(&w1, SIGINT);
    s_stop(&w2, SIGINT);
    pu_sh("cat %s %s >&2", all, conf);
    cr_assert(left, "the cluster that stopped conflicting was not deleted from xref.conflict.");
    cr_assert_eq(pu_sh("grep -q '\"op\":\"delete\",\"kind\":\"entity\",\"key\":\"per:bo\"' %s", all), 0,
                 "the entity no article names any more was not deleted");
    cr_assert_eq(pu_sh("grep -q '\"topic\":\"xref.corroborated.[0-9a-f]*/q|count|boat||\"' %s", all), 0);
    char exp[1200];
    snprintf(exp, sizeof exp, "%s/crossclaim export --data %s", pu_bin(), s_dir);
    cr_assert(s_view_equals_export(all, exp, false), "the full watch's view differs from the export");
    snprintf(exp, sizeof exp, "%s/crossclaim query --conflicts --data %s", pu_bin(), s_dir);
    cr_assert(s_view_equals_export(conf, exp, false), "the conflicts watch is not empty at the end");
}

/* A fact that grows without changing status goes out as deltas: a "claim" update per
   article that joins it and a PATCH when its source count moves, never the whole fact
   again. A watch folds them into the record, and its view must equal the export. */
Test(feed_fake, claim_deltas_fold_into_the_fact)
{
    char all[800], since[800];
    snprintf(all, sizeof all, "%s/all.jsonl", s_dir);
    snprintf(since, sizeof since, "%s/since.jsonl", s_dir);
    s_result("first", "o1", 0x1111111111111111ull, 4, NULL);
    s_result("second", "o2", 0x2222222222222222ull, 4, NULL);   /* corroborated: a SET */
    pid_t w = s_bg("%s/crossclaim watch --data %s --heartbeat-ms 200 > %s 2> %s.err", pu_bin(),
                   s_dir, all, all);
    s_wait_lines(all, 3);
    s_result("third", "o3", 0x3333333333333333ull, 4, NULL);    /* a claim and a PATCH */
    s_result("fourth", "o3", 0x4444444444444444ull, 4, NULL);   /* same source: a claim */
    s_result("third", "o3", 0x3333333333333333ull, 4.0, "per:cy"); /* its claims unchanged */
    uint64_t seq = s_stat("seq");
    s_wait_seq(all, seq);
    s_stop(&w, SIGINT);
    cr_assert_eq(pu_sh("%s/crossclaim query --since 0 --data %s > %s", pu_bin(), s_dir, since), 0);
    pu_sh("cat %s >&2", since);
    cr_assert_eq(pu_sh("test $(grep -c '\"op\":\"set\",\"kind\":\"claim\"' %s) -eq 2", since), 0,
                 "two articles joined the fact: two claim updates");
    cr_assert_eq(pu_sh("test $(grep -c '\"op\":\"patch\",\"kind\":\"xref\"' %s) -eq 1", since), 0,
                 "the source count moved once: one PATCH");
    cr_assert_eq(pu_sh("test $(grep -c '\"op\":\"set\",\"kind\":\"xref\"' %s) -eq 2", since), 0,
                 "the whole fact went out only when new and when it became corroborated");
    char exp[1200];
    snprintf(exp, sizeof exp, "%s/crossclaim export --data %s", pu_bin(), s_dir);
    cr_assert(s_view_equals_export(all, exp, false), "the folded view differs from the export");
    cr_assert_eq(pu_sh("%s/crossclaim export --data %s | grep -q '\"sources\":3'", pu_bin(), s_dir), 0);
}
