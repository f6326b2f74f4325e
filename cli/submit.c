/*  submit: the input walker's sink, feeding a pipelined client. */
#include "submit.h"
#include "input.h"
#include "progress.h"

#include <czmq.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

typedef struct {
    client_t *client;
    progress_t *progress;
    uint64_t total;         /* articles to send, for the ETA; 0 = unknown */
    unsigned give_up_ms;
    submit_result_t *out;
} s_state_t;

static int s_on_article(void *arg, input_article_t *a)
{
    s_state_t *st = arg;
    if (client_submit(st->client, &a->pb, st->give_up_ms) != 0) {
        st->out->failed = true;
        return -1;
    }
    client_stats_t cs;
    client_stats(st->client, &cs);
    progress_update(st->progress, cs.sent, st->total);
    return zsys_interrupted ? -1 : 0;
}

/* On a terminal a message first clears the progress line; in a log it is plain text. */
static void s_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void s_say(const char *fmt, ...)
{
    bool tty = isatty(STDERR_FILENO);
    va_list ap;
    va_start(ap, fmt);
    fputs(tty ? "\rcrossclaim: " : "crossclaim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(tty ? "\033[K\n" : "\n", stderr);
    va_end(ap);
}

static void s_on_error(void *arg, const char *source, long line, const char *msg)
{
    s_state_t *st = arg;
    st->out->bad++;
    st->out->unreadable++;
    if (line > 0)
        s_say("%s:%ld: %s", source, line, msg);
    else
        s_say("%s: %s", source, msg);
}

/* A symlink loop is not a bad input: said, not counted. */
static void s_on_notice(void *arg, const char *source, const char *msg)
{
    s_say("%s: %s", source, msg);
}

static void s_on_nack(void *arg, const char *source, const char *reason)
{
    s_state_t *st = arg;
    st->out->bad++;
    st->out->refused++;
    s_say("%s: rejected by the broker: %s", source, reason);
}

void submit_rejected_detail(const submit_result_t *r, char *out, size_t cap)
{
    if (r->bad == 0)
        snprintf(out, cap, "%s", "");
    else
        snprintf(out, cap, " (%llu unreadable inputs, %llu refused by the broker)",
                 (unsigned long long)r->unreadable, (unsigned long long)r->refused);
}

int submit_paths(client_t *client, const char *const *paths, int n, unsigned give_up_ms,
                 submit_result_t *out)
{
    *out = (submit_result_t){0};
    s_state_t st = {client, progress_new("submitted", false), 0, give_up_ms, out};
    /* A total only for a terminal: counting reads the JSON Lines files once more. */
    for (int i = 0; progress_active(st.progress) && i < n; i++) {
        long long c = input_count(paths[i]);
        if (c < 0) {
            st.total = 0;
            break;
        }
        st.total += (uint64_t)c;
    }
    client_on_nack(client, s_on_nack, &st);
    input_sink_t sink = {s_on_article, s_on_error, &st, s_on_notice};
    for (int i = 0; i < n && !out->failed && !zsys_interrupted; i++)
        input_walk(paths[i], &sink);
    if (!out->failed && !zsys_interrupted && client_flush(client, give_up_ms) != 0)
        out->failed = true;
    out->interrupted = zsys_interrupted;
    client_stats(client, &out->client);
    progress_finish(st.progress, out->client.sent, out->client.sent);
    progress_destroy(&st.progress);
    client_on_nack(client, NULL, NULL);
    return out->failed || out->interrupted ? -1 : 0;
}
