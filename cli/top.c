/*  top: polls the broker's ADMIN stats and draws them. Rates come from the difference of
    two polls, so they are what happened in the last interval. */
#include "top.h"
#include "client.h"
#include "jsonl.h"
#include "util.h"

#include <czmq.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

typedef struct {
    double depth, inflight, awaiting, submitted, completed, redelivered, dead, p50, p99;
    double uptime;
    char store[8];
    char paused[8];
} s_stats_t;

static double s_num(const char *v)
{
    return v ? strtod(v, NULL) : 0;
}

static int s_parse(const char *json, s_stats_t *st)
{
    enum { K_DEPTH, K_INFL, K_AWAIT, K_SUB, K_COMP, K_RED, K_DEAD, K_P50, K_P99, K_UP,
           K_STORE, K_PAUSED, K_N };
    static const char *const keys[K_N] = {"depth", "inflight", "awaiting_commit", "submitted",
        "completed", "redelivered", "dead", "latency_p50_s", "latency_p99_s", "uptime_s",
        "store_connected", "paused"};
    char *v[K_N];
    size_t l[K_N];
    const char *err;
    if (jsonl_fields(json, strlen(json), keys, K_N, v, l, &err) != 0)
        return -1;
    st->depth = s_num(v[K_DEPTH]);
    st->inflight = s_num(v[K_INFL]);
    st->awaiting = s_num(v[K_AWAIT]);
    st->submitted = s_num(v[K_SUB]);
    st->completed = s_num(v[K_COMP]);
    st->redelivered = s_num(v[K_RED]);
    st->dead = s_num(v[K_DEAD]);
    st->p50 = s_num(v[K_P50]);
    st->p99 = s_num(v[K_P99]);
    st->uptime = s_num(v[K_UP]);
    snprintf(st->store, sizeof st->store, "%s", v[K_STORE] && !strcmp(v[K_STORE], "true") ? "up" : "DOWN");
    snprintf(st->paused, sizeof st->paused, "%s", v[K_PAUSED] && !strcmp(v[K_PAUSED], "true") ? "PAUSED" : "");
    for (int i = 0; i < K_N; i++)
        free(v[i]);
    return 0;
}

/* The "workers" array: [{"name":..,"credit":..,"jobs":..,"jobs_done":..,"last_heartbeat_ms_ago":..}].
   Walks it object by object with the same strict parser. */
static void s_workers(const char *json, FILE *out)
{
    const char *p = strstr(json, "\"workers\":[");
    if (!p)
        return;
    p += strlen("\"workers\":[");
    fprintf(out, "  %-24s %8s %8s %10s %12s\n", "WORKER", "CREDIT", "HOLDING", "JOBS DONE", "LAST HB (ms)");
    int shown = 0;
    while (*p == '{' && shown < 64) {
        const char *end = strchr(p, '}');
        if (!end)
            break;
        static const char *const keys[] = {"name", "credit", "jobs", "jobs_done", "last_heartbeat_ms_ago"};
        char *v[5];
        size_t l[5];
        const char *err;
        if (jsonl_fields(p, (size_t)(end - p + 1), keys, 5, v, l, &err) == 0) {
            fprintf(out, "  %-24.24s %8s %8s %10s %12s\n", v[0] ? v[0] : "?", v[1] ? v[1] : "-",
                    v[2] ? v[2] : "-", v[3] ? v[3] : "-", v[4] ? v[4] : "-");
            for (int i = 0; i < 5; i++)
                free(v[i]);
        }
        shown++;
        p = end + 1;
        if (*p == ',')
            p++;
    }
    if (shown == 0)
        fprintf(out, "  (no workers connected)\n");
}

static void s_draw(FILE *out, bool tty, const char *ep, const s_stats_t *st, const s_stats_t *prev,
                   double dt, const char *json)
{
    double in_rate = prev && dt > 0 ? (st->submitted - prev->submitted) / dt : 0;
    double out_rate = prev && dt > 0 ? (st->completed - prev->completed) / dt : 0;
    if (tty)
        fputs("\033[H\033[2J", out);
    fprintf(out, "crossclaim top — broker %s — up %.0fs %s\n\n", ep, st->uptime, st->paused);
    fprintf(out, "  depth %-10.0f in flight %-10.0f awaiting commit %-10.0f store %s\n",
            st->depth, st->inflight, st->awaiting, st->store);
    fprintf(out, "  submitted %-10.0f completed %-10.0f redelivered %-8.0f dead %.0f\n",
            st->submitted, st->completed, st->redelivered, st->dead);
    fprintf(out, "  rate in %-8.1f/s  out %-8.1f/s   latency p50 %.3fs  p99 %.3fs\n\n",
            in_rate, out_rate, st->p50, st->p99);
    s_workers(json, out);
    if (tty)
        fprintf(out, "\n(q to quit)\n");
    else
        fputc('\n', out);
    fflush(out);
}

int top_run(const char *endpoint, unsigned interval_ms, unsigned iterations,
            struct auth_t *auth)
{
    bool tty = isatty(STDOUT_FILENO) && isatty(STDIN_FILENO);
    struct termios saved, raw;
    if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
        raw = saved;
        raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    } else {
        tty = false;
    }
    client_t *cl = client_new_auth(endpoint, 1, auth);
    int rc = 1;
    if (!cl)
        goto leave;
    s_stats_t prev = {0};
    bool have_prev = false, ever = false;
    uint64_t prev_us = 0;
    for (unsigned i = 0; iterations == 0 || i < iterations; i++) {
        char *json = NULL;
        uint64_t now = util_mono_us();
        if (client_admin(cl, "stats", NULL, &json, interval_ms > 2000 ? interval_ms : 2000) == 0) {
            s_stats_t st;
            if (s_parse(json, &st) == 0) {
                s_draw(stdout, tty, endpoint, &st, have_prev ? &prev : NULL,
                       (double)(now - prev_us) / 1e6, json);
                prev = st;
                prev_us = now;
                have_prev = ever = true;
            }
        } else {
            if (tty)
                fputs("\033[H\033[2J", stdout);
            const char *why = client_auth_failure(cl);
            printf("crossclaim top: no answer from the broker at %s%s%s\n", endpoint,
                   why ? ": " : "", why ? why : "");
            fflush(stdout);
            have_prev = false;
        }
        free(json);
        if (zsys_interrupted || (iterations && i + 1 == iterations))
            break;
        /* Wait out the interval, watching for q on a terminal. */
        struct pollfd pfd = {STDIN_FILENO, POLLIN, 0};
        if (tty && poll(&pfd, 1, (int)interval_ms) > 0) {
            char c;
            if (read(STDIN_FILENO, &c, 1) == 1 && (c == 'q' || c == 'Q'))
                break;
        } else if (!tty) {
            zclock_sleep((int)interval_ms);
        }
        if (zsys_interrupted)
            break;
    }
    rc = ever ? 0 : 1;
leave:
    client_destroy(&cl);
    if (tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    return rc;
}
