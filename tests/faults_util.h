/*  faults_util: what the fault tests and the soak share.

    - A generator of synthetic news articles (JSON Lines in the news-please shape). The
      text is written here and templated with invented names, towns and numbers, so the
      tests run without the corpus. Four outlets cover each event; most agree on its
      numbers and some disagree, so the store has corroborations and conflicts to build.
    - A small supervisor for the real daemons (build/bin/crossclaim-broker, -store,
      -worker) on ipc endpoints in a temp dir, each with its own log file there. Every
      child dies with the test process (PR_SET_PDEATHSIG), even a stopped one.
    - The broker's and the store's counts through `crossclaim status --json`.
    - A shell command's output, a log line or a /metrics value waited for, and prlimit(1)
      found, for the tests that start a daemon under a low open-file limit.
    - The check that matters: every acknowledged article is in the export exactly once
      or in the dead letters with a reason, the claim and xref records equal (as sorted
      sets) those of a clean run of the same input, and the export equals it byte for byte. The clean run is made once per test binary and kept in the dir
      named by $CC_FAULTS_REF (set by the binary's PRE_ALL hook).

    Header-only, like pipeline_util.h; each test file that includes it is one program. */
#ifndef CC_FAULTS_UTIL_H
#define CC_FAULTS_UTIL_H

#include "pipeline_util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <time.h>

/* ---------------------------------------------------------------- articles */

static inline uint64_t fu_rand(uint64_t *s)
{
    /* splitmix64: the same article for the same index, on every machine. */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

#define FU_PICK(s, arr) ((arr)[fu_rand(s) % (sizeof(arr) / sizeof(arr)[0])])

static const char *const fu_first[] = {
    "Mara", "Tomas", "Ilse", "Daniel", "Priya", "Oskar", "Lena", "Viktor", "Hana", "Joel",
    "Rosa", "Anselm", "Greta", "Malik", "Nadia", "Piet", "Sunniva", "Ewan", "Talia", "Bruno"};
static const char *const fu_last[] = {
    "Okafor", "Lindqvist", "Brandvold", "Moreau", "Castellan", "Varga", "Holmgren", "Petrakis",
    "Nakagawa", "Ferreira", "Dunlop", "Haddad", "Kowalczyk", "Amsel", "Rourke", "Sandoval",
    "Thorne", "Vesely", "Whitcombe", "Yilmazer"};
static const char *const fu_orgs[] = {
    "Regional Water Board", "Coastal Rescue Service", "Ministry of Transport",
    "Farmers' Union", "National Weather Office", "Port Authority", "Teachers' Federation",
    "Red Lantern Aid Society", "Mining Safety Council", "Rail Workers' Union"};
static const char *const fu_pre[] = {
    "Alder", "Birch", "Cold", "Dun", "Elm", "Fair", "Glen", "Hart", "Iron", "Kings",
    "Lark", "Marsh", "North", "Oak", "Pine", "Red", "Stone", "Thorn", "West", "Wolf"};
static const char *const fu_suf[] = {
    "brook", "by", "field", "ford", "gate", "haven", "holm", "mere", "mouth", "stead",
    "ton", "wick", "wood", "bury", "dale"};
static const char *const fu_outlets[] = {
    "harbor-gazette.example", "valley-herald.example", "northern-wire.example",
    "coastal-times.example", "river-post.example", "summit-daily.example",
    "plains-courier.example", "lakeside-ledger.example"};
static const char *const fu_days[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};
static const char *const fu_months[] = {"January", "February", "March", "April", "May",
                                        "June", "July", "August", "September", "October",
                                        "November", "December"};
static const char *const fu_quotes[] = {
    "We have never seen the water rise this fast",
    "Every team we have is out there tonight",
    "The roads will stay closed until the engineers are satisfied",
    "People need answers and they need them this week",
    "Nobody should have to wait this long for help",
    "We warned about this for years and nobody listened",
    "The next two days will decide how bad this gets",
    "Our crews worked through the night and they are exhausted"};
static const char *const fu_filler[] = {
    "Residents said the warning had come too late.",
    "Schools in the district will stay closed until further notice.",
    "Traffic was diverted around the town centre for most of the day.",
    "Volunteers handed out blankets and hot meals at the sports hall.",
    "The opposition called for an inquiry into the response.",
    "Insurers have begun sending assessors to the worst hit streets.",
    "Local shops reopened in the afternoon, some with boarded windows.",
    "A helpline has been set up for families seeking news of relatives."};

/* One kind of event. Every number in the text is stated "in <town>", so the extractor
   gives each claim the town as its place and the clusters stay the size of one event. */
typedef struct {
    const char *lede;    /* the number, the town, the weekday */
    const char *title;   /* the number and the town, in either order */
    const char *second;  /* a second number and the town */
} fu_event_t;

static const fu_event_t fu_events[] = {
    {"%d people were killed in %s on %s when floods swept through the valley, officials said.",
     "%d dead as floods hit %s", "%d homes were damaged in %s."},
    {"%d workers were injured in %s on %s when fire broke out at a warehouse, the fire "
     "service said.", "Warehouse fire in %s injures %d", "%d fire engines were sent in %s."},
    {"%d rail workers walked out in %s on %s, the union said.",
     "%d rail workers strike in %s", "%d trains were cancelled in %s."},
    {"%d jobs will be cut in %s, the company said on %s.",
     "%s plant to cut %d jobs", "%d suppliers in %s depend on the plant."},
    {"%d people were evacuated in %s on %s as the storm approached, police said.",
     "Storm forces %d from homes in %s", "%d shelters were opened in %s overnight."},
    {"%d passengers were injured in %s on %s when a bus overturned, police said.",
     "Bus crash near %s injures %d", "%d ambulances attended the crash in %s."},
};

/* The event of article i and the number its outlet reports: articles 4e..4e+3 cover
   event e from four different outlets; for one event in five, the fourth says more. */
static inline void fu_event_of(int i, int *event, int *value, int *outlet)
{
    int e = i / 4;
    uint64_t s = 0x5eed0000u + (uint64_t)e;
    int v = 3 + (int)(fu_rand(&s) % 180);
    if (i % 4 == 3 && e % 5 == 0)
        v += 2;
    *event = e;
    *value = v;
    *outlet = (e + i % 4 * 2) % (int)(sizeof fu_outlets / sizeof *fu_outlets);
}

/* Appends to buf; with `escape`, as the inside of a JSON string (the text has no
   backslashes or control characters, only quotes). */
static inline void fu_put(char *buf, size_t cap, size_t *len, bool escape, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static inline void fu_put(char *buf, size_t cap, size_t *len, bool escape, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    for (const char *p = tmp; *p && *len + 3 < cap; p++) {
        if (escape && *p == '"')
            buf[(*len)++] = '\\';
        buf[(*len)++] = *p;
    }
    buf[*len] = 0;
}

#define fu_cat(buf, cap, len, ...) fu_put(buf, cap, len, true, __VA_ARGS__)
#define fu_raw(buf, cap, len, ...) fu_put(buf, cap, len, false, __VA_ARGS__)

/* Writes article i as one JSON line (with '\n') into buf; returns its length. */
static inline size_t fu_article_line(int i, char *buf, size_t cap)
{
    int e, v, o;
    fu_event_of(i, &e, &v, &o);
    uint64_t es = 0xe7e70000u + (uint64_t)e;     /* what all four outlets share */
    uint64_t s = 0xa27c0000u + (uint64_t)i;      /* what this article alone has */
    char town[64];
    snprintf(town, sizeof town, "%s%s", FU_PICK(&es, fu_pre), FU_PICK(&es, fu_suf));
    const fu_event_t *ev = &fu_events[fu_rand(&es) % (sizeof fu_events / sizeof *fu_events)];
    const char *day = FU_PICK(&es, fu_days);
    int month = (int)(fu_rand(&es) % 12), mday = 1 + (int)(fu_rand(&es) % 28);
    int second = 2 + (int)(fu_rand(&es) % 400);
    const char *org = FU_PICK(&es, fu_orgs);
    const char *first = FU_PICK(&es, fu_first), *last = FU_PICK(&es, fu_last);
    int rescuers = 10 + (int)(fu_rand(&es) % 300);
    int cost = 1 + (int)(fu_rand(&es) % 90);

    size_t n = 0;
    fu_raw(buf, cap, &n, "{\"title\":\"");
    if (strstr(ev->title, "%d") < strstr(ev->title, "%s"))
        fu_cat(buf, cap, &n, ev->title, v, town);
    else
        fu_cat(buf, cap, &n, ev->title, town, v);
    fu_raw(buf, cap, &n, "\",\"maintext\":\"");
    fu_cat(buf, cap, &n, "%s, %d %s - ", town, mday, fu_months[month]);
    fu_cat(buf, cap, &n, ev->lede, v, town, day);
    fu_cat(buf, cap, &n, " ");
    if (fu_rand(&s) % 4)
        fu_cat(buf, cap, &n, ev->second, second, town);
    fu_cat(buf, cap, &n, " %s %s, a spokesperson for the %s, said %d rescue workers had been "
           "deployed in %s. ", first, last, org, rescuers, town);
    fu_cat(buf, cap, &n, "\"%s,\" %s told reporters. ", FU_PICK(&s, fu_quotes), last);
    int extra = 1 + (int)(fu_rand(&s) % 3);
    for (int k = 0; k < extra; k++)
        fu_cat(buf, cap, &n, "%s ", FU_PICK(&s, fu_filler));
    if (fu_rand(&s) % 2)
        fu_cat(buf, cap, &n, "According to the %s, repairs in %s could cost %d million euros. ",
               org, town, cost);
    fu_cat(buf, cap, &n, "%s %s, who runs a bakery on the high street, said trade had been "
           "slow all week. ", FU_PICK(&s, fu_first), FU_PICK(&s, fu_last));
    fu_cat(buf, cap, &n, "Reporting by %s %s; desk reference %d.", FU_PICK(&s, fu_first),
           FU_PICK(&s, fu_last), 100000 + i);
    fu_raw(buf, cap, &n, "\",\"url\":\"https://%s/news/%d\",\"date_publish\":\"2023-%02d-%02d "
           "08:%02d:00\",\"source_domain\":\"%s\"}\n", fu_outlets[o], i, month + 1, mday,
           i % 60, fu_outlets[o]);
    return n;
}

/* Writes articles [0, n) to `path` as JSON Lines. */
static inline void fu_write_articles(const char *path, int n)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    char line[8192];
    for (int i = 0; i < n; i++) {
        size_t len = fu_article_line(i, line, sizeof line);
        cr_assert_eq(fwrite(line, 1, len, f), len);
    }
    cr_assert_eq(fclose(f), 0);
}

/* ---------------------------------------------------------------- processes */

typedef struct {
    char dir[128];             /* temp dir: data, logs, inputs */
    char front[200], back[200];
    unsigned heartbeat_ms, liveness, deadline_s, max_attempts;
    unsigned store_hb_ms;      /* store's heartbeat to the broker, 0 = same as broker's */
    unsigned metrics_port;     /* broker's /metrics on 127.0.0.1, 0 = off */
    pid_t broker, store;
    pid_t workers[8];
    unsigned worker_credit[8]; /* 0 = 4 */
    int nworkers;
    unsigned starts;           /* processes started, names their logs */
} fu_cluster_t;

static inline double fu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void fu_sleep_ms(unsigned ms)
{
    usleep(ms * 1000u);
}

/* Starts argv[0] with stdout and stderr to `log` (appended). The child gets SIGKILL when
   the test process ends, so no daemon outlives a failed test. */
static inline pid_t fu_spawn(char *const argv[], const char *log)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execv(argv[0], argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

/* Sends `sig` to *pid; for SIGKILL and SIGTERM also reaps it and sets *pid = 0. Returns
   its exit status (128 + signal when a signal ended it; -1 when it would not stop on
   SIGTERM within 5 s and was killed), or 0 for other signals. */
static inline int fu_signal(pid_t *pid, int sig)
{
    if (*pid <= 0)
        return 0;
    kill(*pid, sig);
    int status = 0;
    if (sig == SIGKILL) {
        waitpid(*pid, &status, 0);
        *pid = 0;
        return 128 + SIGKILL;
    }
    if (sig != SIGTERM)
        return 0;
    kill(*pid, SIGCONT);
    /* up to 60 s: under ASan a daemon's exit (its leak check) is slow on a loaded machine;
       a bound so that a hang fails, not a measure of speed */
    for (int i = 0; i < 6000; i++) {
        if (waitpid(*pid, &status, WNOHANG) == *pid) {
            *pid = 0;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        fu_sleep_ms(10);
    }
    kill(*pid, SIGKILL);
    waitpid(*pid, NULL, 0);
    *pid = 0;
    return -1;
}

static inline void fu_cluster_init(fu_cluster_t *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->dir, sizeof c->dir, "/tmp/cc-faults-XXXXXX");
    cr_assert_not_null(mkdtemp(c->dir));
    snprintf(c->front, sizeof c->front, "ipc://%s/frontend.ipc", c->dir);
    snprintf(c->back, sizeof c->back, "ipc://%s/backend.ipc", c->dir);
    c->heartbeat_ms = 200;
    c->liveness = 3;
    c->deadline_s = 30;
    c->max_attempts = 20;
}

static inline void fu_start_broker(fu_cluster_t *c)
{
    char bin[600], hb[16], lv[16], dl[16], ma[16], mp[16], log[300];
    snprintf(bin, sizeof bin, "%s/crossclaim-broker", pu_bin());
    snprintf(mp, sizeof mp, "%u", c->metrics_port);
    snprintf(hb, sizeof hb, "%u", c->heartbeat_ms);
    snprintf(lv, sizeof lv, "%u", c->liveness);
    snprintf(dl, sizeof dl, "%u", c->deadline_s);
    snprintf(ma, sizeof ma, "%u", c->max_attempts);
    snprintf(log, sizeof log, "%s/broker.log", c->dir);
    c->broker = fu_spawn((char *[]){bin, "--data", c->dir, "--heartbeat-ms", hb, "--liveness", lv,
                                    "--deadline-s", dl, "--max-attempts", ma,
                                    "--metrics-port", mp, NULL}, log);
}

static inline void fu_start_store(fu_cluster_t *c)
{
    char bin[600], hb[16], lv[16], log[300];
    snprintf(bin, sizeof bin, "%s/crossclaim-store", pu_bin());
    snprintf(hb, sizeof hb, "%u", c->store_hb_ms ? c->store_hb_ms : c->heartbeat_ms);
    snprintf(lv, sizeof lv, "%u", c->liveness);
    snprintf(log, sizeof log, "%s/store.log", c->dir);
    c->store = fu_spawn((char *[]){bin, "--data", c->dir, "--heartbeat-ms", hb, "--liveness", lv,
                                   NULL}, log);
}

/* Starts (or restarts) worker i, named w<i>. */
static inline void fu_start_worker(fu_cluster_t *c, int i)
{
    char bin[600], hb[16], lv[16], cr[16], name[16], log[300];
    snprintf(bin, sizeof bin, "%s/crossclaim-worker", pu_bin());
    snprintf(hb, sizeof hb, "%u", c->heartbeat_ms);
    snprintf(lv, sizeof lv, "%u", c->liveness);
    snprintf(cr, sizeof cr, "%u", c->worker_credit[i] ? c->worker_credit[i] : 4);
    snprintf(name, sizeof name, "w%d", i);
    snprintf(log, sizeof log, "%s/worker%d.log", c->dir, i);
    c->workers[i] = fu_spawn((char *[]){bin, "--broker", c->back, "--name", name,
                                        "--credit", cr, "--heartbeat-ms", hb, "--liveness", lv,
                                        NULL}, log);
    if (i >= c->nworkers)
        c->nworkers = i + 1;
}

/* Stops every daemon with SIGTERM, workers first. Each must exit 0: a crash, a hang, or
   a sanitizer's report at exit (in an ASan build) shows as another status. Returns how
   many did not, each named on stderr. */
static inline int fu_stop_all(fu_cluster_t *c)
{
    int bad = 0, rc;
    for (int i = 0; i < c->nworkers; i++)
        if ((rc = fu_signal(&c->workers[i], SIGTERM)) != 0) {
            fprintf(stderr, "faults: worker w%d stopped with status %d (see %s/worker%d.log)\n",
                    i, rc, c->dir, i);
            bad++;
        }
    if ((rc = fu_signal(&c->store, SIGTERM)) != 0) {
        fprintf(stderr, "faults: the store stopped with status %d (see %s/store.log)\n", rc, c->dir);
        bad++;
    }
    if ((rc = fu_signal(&c->broker, SIGTERM)) != 0) {
        fprintf(stderr, "faults: the broker stopped with status %d (see %s/broker.log)\n", rc, c->dir);
        bad++;
    }
    return bad;
}

/* ---------------------------------------------------------------- output, logs, metrics */

/* Runs a shell command with its stderr joined to its stdout, all of it into *out
   (malloc'd, the caller frees it). Returns the exit status, 128 + the signal when one
   ended it. */
static inline int fu_capture(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline int fu_capture(char **out, const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    strncat(cmd, " 2>&1", sizeof cmd - strlen(cmd) - 1);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t cap = 1 << 16, n = 0, got;
    char *buf = malloc(cap);
    while ((got = fread(buf + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    buf[n] = 0;
    int st = pclose(p);
    *out = buf;
    /* sh reports a command killed by a signal as 128 + signal */
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Waits up to `secs` for a line of the log at `path` that holds `text`. Returns whether
   one came. */
static inline bool fu_wait_log(const char *path, const char *text, double secs)
{
    for (double end = fu_now() + secs;;) {
        bool found = false;
        FILE *f = fopen(path, "r");
        if (f) {
            char *line = NULL;
            size_t cap = 0;
            while (!found && getline(&line, &cap, f) >= 0)
                found = strstr(line, text) != NULL;
            free(line);
            fclose(f);
        }
        if (found || fu_now() >= end)
            return found;
        fu_sleep_ms(100);
    }
}

/* The value of metric `name` (a line "name value", no labels) in a /metrics page; -1
   when absent. */
static inline double fu_metric_of(const char *page, const char *name)
{
    double v = -1;
    size_t ln = strlen(name);
    for (const char *p = page; p && *p; ) {
        if (strncmp(p, name, ln) == 0 && p[ln] == ' ')
            v = strtod(p + ln + 1, NULL);
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    return v;
}

/* The value of metric `name` on the /metrics page at 127.0.0.1:port; -1 when absent or
   when the page can't be read. */
static inline double fu_metric(unsigned port, const char *name)
{
    char *page;
    double v = fu_capture(&page, "curl -s http://127.0.0.1:%u/metrics", port) == 0
                   ? fu_metric_of(page, name) : -1;
    free(page);
    return v;
}

/* Reads the page at 127.0.0.1:port every 100 ms until metric `name` is at least `want`,
   `secs` have passed, or process `pid` (when > 0) has ended. The process is left
   unreaped, so the caller's own waitpid(pid, NULL, WNOHANG) still says that it died.
   Returns the metric's last value (-1 when absent); with `page`, the last page read goes
   to *page (malloc'd, the caller frees it). */
static inline double fu_wait_metric(unsigned port, const char *name, double want, double secs,
                                    pid_t pid, char **page)
{
    char *last = NULL;
    double v = -1;
    for (double end = fu_now() + secs;;) {
        free(last);
        v = fu_capture(&last, "curl -s http://127.0.0.1:%u/metrics", port) == 0
                ? fu_metric_of(last, name) : -1;
        siginfo_t si = {0};
        if (v >= want || fu_now() >= end ||
            (pid > 0 && waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
             si.si_pid == pid))
            break;
        fu_sleep_ms(100);
    }
    if (page)
        *page = last;
    else
        free(last);
    return v;
}

/* The path of prlimit(1), or NULL when it is not installed (the tests of low open-file
   limits start their daemons under it, and skip without it). The string is static. */
static inline const char *fu_prlimit(void)
{
    static char path[512];
    char *out;
    bool found = fu_capture(&out, "command -v prlimit") == 0 && out[0] == '/';
    if (found)
        snprintf(path, sizeof path, "%.*s", (int)strcspn(out, "\n"), out);
    free(out);
    return found ? path : NULL;
}

/* ---------------------------------------------------------------- status */

/* The numbers the tests read from `crossclaim status --json`; -1 where absent. */
typedef struct {
    long depth, inflight, awaiting, workers, submitted, duplicates, completed, redelivered,
        dead, late_results, store_connected;
    long articles;             /* in the store's database */
    char raw[8192];            /* the broker's part, for messages */
} fu_status_t;

static inline long fu_json_long(const char *json, const char *key)
{
    char pat[80];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    if (!p)
        return -1;
    p += strlen(pat);
    if (!strncmp(p, "true", 4))
        return 1;
    if (!strncmp(p, "false", 5))
        return 0;
    return strtol(p, NULL, 10);
}

/* Reads the broker's and the store's counts. Returns 0, or -1 when the broker does not
   answer (then only `articles` may be filled). */
static inline int fu_status(const fu_cluster_t *c, fu_status_t *st)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/crossclaim status --json --data %s 2>/dev/null", pu_bin(), c->dir);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    char out[16384];
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    pclose(p);
    memset(st, 0xff, offsetof(fu_status_t, raw));
    st->raw[0] = 0;
    const char *store = strstr(out, "\"store\":{");
    if (store)
        st->articles = fu_json_long(store, "articles");
    const char *b = strstr(out, "{\"broker\":{");
    if (!b)
        return -1;
    b += strlen("{\"broker\":");
    size_t blen = store && store > b ? (size_t)(store - b) : strlen(b);
    snprintf(st->raw, sizeof st->raw, "%.*s", (int)blen, b);
    st->depth = fu_json_long(st->raw, "depth");
    st->inflight = fu_json_long(st->raw, "inflight");
    st->awaiting = fu_json_long(st->raw, "awaiting_commit");
    st->workers = fu_json_long(st->raw, "connected_workers");
    st->submitted = fu_json_long(st->raw, "submitted");
    st->duplicates = fu_json_long(st->raw, "duplicates");
    st->completed = fu_json_long(st->raw, "completed");
    st->redelivered = fu_json_long(st->raw, "redelivered");
    st->dead = fu_json_long(st->raw, "dead");
    st->late_results = fu_json_long(st->raw, "late_results");
    st->store_connected = fu_json_long(st->raw, "store_connected");
    return 0;
}

/* fu_status for a broker that must be up: tries again for a while (on a loaded machine
   one `crossclaim status` may time out), then fails the test. */
static inline void fu_status_up(const fu_cluster_t *c, fu_status_t *st)
{
    for (int i = 0; i < 10; i++)
        if (fu_status(c, st) == 0)
            return;
    cr_assert_fail("the broker in %s stopped answering `crossclaim status`", c->dir);
}

/* Jobs worker `name` holds now, per the broker; -1 when it is not connected. */
static inline long fu_worker_jobs(const fu_status_t *st, const char *name)
{
    char pat[64];
    snprintf(pat, sizeof pat, "{\"name\":\"%s\",", name);
    const char *p = strstr(st->raw, pat);
    return p ? fu_json_long(p, "jobs") : -1;
}

/* Polls status until the broker answers, for up to `secs`. */
static inline void fu_wait_broker(const fu_cluster_t *c, fu_status_t *st, double secs)
{
    double end = fu_now() + secs;
    while (fu_status(c, st) != 0) {
        cr_assert(fu_now() < end, "the broker in %s did not answer within %.0f s", c->dir, secs);
        fu_sleep_ms(50);
    }
}

/* Waits until the broker counts at least `n` completed jobs. */
static inline void fu_wait_completed(const fu_cluster_t *c, long n, double secs)
{
    fu_status_t st;
    double end = fu_now() + secs;
    for (;;) {
        if (fu_status(c, &st) == 0 && st.completed >= n)
            return;
        cr_assert(fu_now() < end, "fewer than %ld jobs completed in %.0f s: %s", n, secs, st.raw);
        fu_sleep_ms(50);
    }
}

/* Waits until nothing is queued, with a worker or awaiting commit, and the store holds
   `want` articles less those dead. Gives up quietly after `secs`: the export check then
   says what is missing. */
static inline void fu_wait_drained(const fu_cluster_t *c, long want, double secs, fu_status_t *st)
{
    double end = fu_now() + secs;
    while (fu_now() < end) {
        if (fu_status(c, st) == 0 && st->depth == 0 && st->inflight == 0 && st->awaiting == 0 &&
            st->articles + st->dead >= want)
            return;
        fu_sleep_ms(100);
    }
    fprintf(stderr, "faults: not drained after %.0f s: %s (store articles %ld)\n", secs,
            st->raw, st->articles);
}

/* ---------------------------------------------------------------- the check */

/* Article ids: a sorted array of 32-hex strings. */
typedef struct {
    char (*id)[33];
    size_t n, cap;
} fu_ids_t;

static inline void fu_ids_add(fu_ids_t *s, const char *id, size_t len)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->id = realloc(s->id, s->cap * sizeof *s->id);
        cr_assert_not_null(s->id);
    }
    snprintf(s->id[s->n++], 33, "%.*s", (int)(len < 32 ? len : 32), id);
}

static inline int fu_idcmp(const void *a, const void *b)
{
    return strcmp(a, b);
}

static inline void fu_ids_sort(fu_ids_t *s)
{
    if (s->n)
        qsort(s->id, s->n, sizeof *s->id, fu_idcmp);
}

static inline bool fu_ids_has(const fu_ids_t *s, const char *id)
{
    return s->n && bsearch(id, s->id, s->n, sizeof *s->id, fu_idcmp) != NULL;
}

/* Times `id` occurs in a sorted set. */
static inline size_t fu_ids_count(const fu_ids_t *s, const char *id)
{
    char (*p)[33] = s->n ? bsearch(id, s->id, s->n, sizeof *s->id, fu_idcmp) : NULL;
    if (!p)
        return 0;
    char (*lo)[33] = p, (*hi)[33] = p;
    while (lo > s->id && !strcmp(lo[-1], id))
        lo--;
    while (hi + 1 < s->id + s->n && !strcmp(hi[1], id))
        hi++;
    return (size_t)(hi - lo) + 1;
}

static void fu_collect_article(void *arg, const char *type, const char *line, size_t len)
{
    if (strcmp(type, "article") != 0)
        return;
    const char *p = strstr(line, "\"id\":\"");
    cr_assert_not_null(p, "article record without an id: %.200s", line);
    fu_ids_add(arg, p + 6, 32);
}

/* Exports the database of `dir` to dir/export.jsonl and reads its counts and article ids. */
static inline void fu_export(const char *dir, pu_counts_t *counts, fu_ids_t *ids)
{
    cr_assert_eq(pu_sh("%s/crossclaim export --data %s > %s/export.jsonl", pu_bin(), dir, dir), 0,
                 "crossclaim export failed in %s", dir);
    char path[300];
    snprintf(path, sizeof path, "%s/export.jsonl", dir);
    memset(ids, 0, sizeof *ids);
    pu_read_export(path, counts, fu_collect_article, ids);
    fu_ids_sort(ids);
}

/* The clean run of articles [0, n): made once per test binary. */
typedef struct {
    char dir[300];
    char input[400];
    pu_counts_t counts;
    fu_ids_t ids;
} fu_ref_t;

static inline void fu_reference(int n, fu_ref_t *ref)
{
    const char *base = getenv("CC_FAULTS_REF");
    cr_assert_not_null(base, "CC_FAULTS_REF is not set (the PRE_ALL hook sets it)");
    snprintf(ref->dir, sizeof ref->dir, "%s/ref-%d", base, n);
    snprintf(ref->input, sizeof ref->input, "%s/articles.jsonl", ref->dir);
    char done[400];
    snprintf(done, sizeof done, "%s/export.jsonl", ref->dir);
    if (access(done, R_OK) != 0) {
        double t0 = fu_now();
        cr_assert_eq(pu_sh("mkdir -p %s", ref->dir), 0);
        fu_write_articles(ref->input, n);
        int rc = pu_sh("%s/crossclaim run --workers 2 --no-report --data %s/data %s > %s/run.txt 2>&1",
                       pu_bin(), ref->dir, ref->input, ref->dir);
        cr_assert_eq(rc, 0, "the clean reference run failed (%d): see %s/run.txt", rc, ref->dir);
        cr_assert_eq(pu_sh("%s/crossclaim export --data %s/data > %s.tmp && mv %s.tmp %s",
                           pu_bin(), ref->dir, done, done, done), 0);
        fprintf(stderr, "faults: clean reference run of %d articles took %.1f s\n", n, fu_now() - t0);
    }
    memset(&ref->ids, 0, sizeof ref->ids);
    pu_read_export(done, &ref->counts, fu_collect_article, &ref->ids);
    fu_ids_sort(&ref->ids);
    cr_assert_eq(ref->counts.articles, n, "the clean run holds %d articles, not %d",
                 ref->counts.articles, n);
    for (size_t i = 1; i < ref->ids.n; i++)
        cr_assert_str_neq(ref->ids.id[i - 1], ref->ids.id[i], "generated articles are not distinct");
}

/* What a fault test reports. `doubled` counts the claim and cross-reference records of
   the faulted run's export that are not in the clean run's, or there more often (a result
   merged twice adds claims or changes a cross-reference), plus articles both stored and
   dead; `records_missing` the clean run's claim and xref records the faulted run lacks. */
typedef struct {
    long submitted, acknowledged, in_store, dead, redelivered, lost, doubled, records_missing;
    long late_results;
    double seconds;
} fu_figures_t;

/* Dead-letter ids, each of which must carry a reason. */
static inline void fu_dead_ids(const fu_cluster_t *c, fu_ids_t *dead)
{
    memset(dead, 0, sizeof *dead);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/crossclaim dead list --data %s", pu_bin(), c->dir);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t cap = 1 << 20, n = 0;
    char *out = malloc(cap);
    size_t got;
    while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += got;
        if (n + 1 == cap)
            out = realloc(out, cap *= 2);
    }
    out[n] = 0;
    cr_assert_eq(pclose(p), 0, "crossclaim dead list failed: %s", out);
    for (const char *q = out; (q = strstr(q, "{\"id\":\"")) != NULL; q += 7) {
        fu_ids_add(dead, q + 7, 32);
        const char *end = strchr(q, '}');
        const char *r = strstr(q, "\"reason\":\"");
        cr_assert(r && end && r < end && r[10] != '"', "a dead letter without a reason: %.300s", q);
    }
    free(out);
    fu_ids_sort(dead);
}

/* The claim (attribution, quantity) and xref lines of an export, sorted: a record set
   to compare with the clean run's. */
typedef struct {
    char **line;
    size_t n, cap;
} fu_lines_t;

static void fu_collect_claim(void *arg, const char *type, const char *line, size_t len)
{
    if (strcmp(type, "attribution") != 0 && strcmp(type, "quantity") != 0 &&
        strcmp(type, "xref") != 0)
        return;
    fu_lines_t *s = arg;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->line = realloc(s->line, s->cap * sizeof *s->line);
        cr_assert_not_null(s->line);
    }
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    s->line[s->n++] = strndup(line, len);
}

static inline int fu_linecmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline void fu_claim_lines(const char *path, fu_lines_t *s)
{
    memset(s, 0, sizeof *s);
    pu_counts_t counts;
    pu_read_export(path, &counts, fu_collect_claim, s);
    if (s->n)
        qsort(s->line, s->n, sizeof *s->line, fu_linecmp);
}

static inline void fu_lines_free(fu_lines_t *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->line[i]);
    free(s->line);
    memset(s, 0, sizeof *s);
}

/* Compares two sorted record sets as multisets: *extra gets the records of `got` not in
   `want` (or there more often), *missing those of `want` not in `got`. Names the first
   few of each on stderr. */
static inline void fu_lines_diff(const fu_lines_t *got, const fu_lines_t *want, long *extra,
                                 long *missing)
{
    size_t i = 0, j = 0;
    *extra = *missing = 0;
    while (i < got->n || j < want->n) {
        int c = i == got->n ? 1 : j == want->n ? -1 : strcmp(got->line[i], want->line[j]);
        if (c == 0) {
            i++, j++;
        } else if (c < 0) {
            if (++*extra <= 3)
                fprintf(stderr, "faults: record not in the clean run: %.300s\n", got->line[i]);
            i++;
        } else {
            if (++*missing <= 3)
                fprintf(stderr, "faults: clean run's record missing: %.300s\n", want->line[j]);
            j++;
        }
    }
}

/* Counts the cluster's outcome against the clean reference's articles (all of them
   acknowledged by then): each in the export exactly once, or dead with a reason, never
   both, never absent. Fills in_store, dead, lost and doubled, and exports to
   dir/export.jsonl with its counts in *counts. The cluster must still run (the dead list
   comes from the broker). */
static inline void fu_tally(const fu_cluster_t *c, const fu_ref_t *ref, fu_figures_t *fig,
                            pu_counts_t *counts)
{
    fu_ids_t got, dead;
    fu_dead_ids(c, &dead);
    fu_export(c->dir, counts, &got);
    fig->in_store = 0;
    fig->dead = (long)dead.n;
    fig->lost = 0;
    fig->doubled = 0;
    for (size_t i = 0; i < ref->ids.n; i++) {
        const char *id = ref->ids.id[i];
        size_t k = fu_ids_count(&got, id);
        bool d = fu_ids_has(&dead, id);
        if (k >= 1)
            fig->in_store++;
        if (k > 1 || (k && d))
            fig->doubled++;   /* an article twice, or both stored and dead */
        if (!k && !d && ++fig->lost <= 5)
            fprintf(stderr, "faults: LOST article %s\n", id);
    }
    for (size_t i = 0; i < got.n; i++)
        cr_assert(fu_ids_has(&ref->ids, got.id[i]), "the store holds an article never submitted: %s",
                  got.id[i]);
    free(got.id);
    free(dead.id);
    /* The double count that can happen: ids are unique by construction, claims are not. */
    char path[400];
    fu_lines_t mine, clean;
    snprintf(path, sizeof path, "%s/export.jsonl", c->dir);
    fu_claim_lines(path, &mine);
    snprintf(path, sizeof path, "%s/export.jsonl", ref->dir);
    fu_claim_lines(path, &clean);
    long extra, missing;
    fu_lines_diff(&mine, &clean, &extra, &missing);
    fig->doubled += extra;
    fig->records_missing = missing;
    fu_lines_free(&mine);
    fu_lines_free(&clean);
}

/* The export must be the clean run's: the same claims, entities and cross-references,
   byte for byte (a result merged twice would show here). Only a run with no dead letters
   can be compared, so one with any fails here rather than skipping the comparison. */
static inline void fu_compare(const fu_cluster_t *c, const fu_ref_t *ref, const fu_figures_t *fig,
                              const pu_counts_t *counts)
{
    cr_assert_eq(fig->dead, 0, "%ld dead letters: the export can't be compared with the clean "
                 "run (see crossclaim dead list --data %s)", fig->dead, c->dir);
    cr_assert_eq(fig->doubled, 0, "%ld records doubled or changed against the clean run",
                 fig->doubled);
    cr_assert_eq(fig->records_missing, 0, "%ld of the clean run's claim and xref records are "
                 "missing", fig->records_missing);
    cr_assert_eq(counts->attributions, ref->counts.attributions, "attributions %d, clean run %d",
                 counts->attributions, ref->counts.attributions);
    cr_assert_eq(counts->quantities, ref->counts.quantities, "quantities %d, clean run %d",
                 counts->quantities, ref->counts.quantities);
    cr_assert_eq(counts->entities, ref->counts.entities, "entities %d, clean run %d",
                 counts->entities, ref->counts.entities);
    cr_assert_eq(counts->xrefs, ref->counts.xrefs, "xrefs %d, clean run %d", counts->xrefs,
                 ref->counts.xrefs);
    cr_assert_eq(counts->conflicts, ref->counts.conflicts, "conflicts %d, clean run %d",
                 counts->conflicts, ref->counts.conflicts);
    cr_assert_eq(counts->corroborated, ref->counts.corroborated,
                 "corroborations %d, clean run %d", counts->corroborated, ref->counts.corroborated);
    cr_assert_eq(pu_sh("cmp -s %s/export.jsonl %s/export.jsonl", c->dir, ref->dir), 0,
                 "the export differs from the clean run's: diff %s/export.jsonl %s/export.jsonl",
                 c->dir, ref->dir);
}

/* The line that goes into the closing note, also appended to $CC_BIN_DIR/../faults-figures.txt. */
static inline void fu_report(const char *what, const fu_figures_t *f, const char *extra)
{
    char line[1024];
    snprintf(line, sizeof line,
             "%-22s submitted %ld, acknowledged %ld, in store %ld, in dead letters %ld, "
             "redelivered %ld, lost %ld, doubled %ld, claim/xref records missing %ld "
             "(%s; %.1f s)\n",
             what, f->submitted, f->acknowledged, f->in_store, f->dead, f->redelivered, f->lost,
             f->doubled, f->records_missing, extra ? extra : "", f->seconds);
    fputs(line, stderr);
    char path[700];
    snprintf(path, sizeof path, "%s/../faults-figures.txt", pu_bin());
    FILE *out = fopen(path, "a");
    if (out) {
        fputs(line, out);
        fclose(out);
    }
}

/* The number before " label" in `line` ("12 resent" -> 12 for "resent"), or -1. */
static inline long fu_count_before(const char *line, const char *label)
{
    const char *p = strstr(line, label);
    if (!p || p == line || p[-1] != ' ')
        return -1;
    p--;
    while (p > line && p[-1] >= '0' && p[-1] <= '9')
        p--;
    return strtol(p, NULL, 10);
}

/* Parses `crossclaim submit`'s closing line into sent, acknowledged (queued + already
   known), rejected, resent and unacknowledged (any pointer may be NULL). */
static inline void fu_submit_summary(const char *path, long *sent, long *acked, long *pending)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "no submit output at %s", path);
    char line[1024];
    bool found = false;
    while (fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "crossclaim submit: ");
        if (!p || fu_count_before(p, "sent,") < 0)
            continue;
        found = true;
        if (sent)
            *sent = fu_count_before(p, "sent,");
        if (acked)
            *acked = fu_count_before(p, "queued,") + fu_count_before(p, "already known,");
        if (pending)
            *pending = fu_count_before(p, "unacknowledged");
    }
    fclose(f);
    cr_assert(found, "no summary line from crossclaim submit in %s", path);
}

#endif
