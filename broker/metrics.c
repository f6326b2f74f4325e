/*  metrics: the HTTP side of the broker's Prometheus metrics. See metrics.h. */
#include "metrics.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CC_NO_MHD
#include <microhttpd.h>

#if MHD_VERSION < 0x00097002
typedef int MHD_Result_t;
#else
typedef enum MHD_Result MHD_Result_t;
#endif

struct metrics_t {
    struct MHD_Daemon *daemon;  /* the HTTP server and its polling thread */
    pthread_mutex_t lock;       /* guards text/len: the only state shared with the loop */
    char *text;                 /* latest exposition text, owned */
    size_t len;
    uint64_t beat_us;           /* mono us of the loop's last publish or ready call */
    bool ready;                 /* what the loop last said for /readyz */
    char why[128];              /* and why not */
};

/* A short text reply with `status`; NULL when microhttpd could not make one. */
static struct MHD_Response *s_text(unsigned *status_out, unsigned status, const char *text)
{
    *status_out = status;
    size_t len = strlen(text);
    char *copy = util_strndup(text, len);
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, copy, MHD_RESPMEM_MUST_FREE);
    if (!resp)
        free(copy);
    else
        MHD_add_response_header(resp, "Content-Type", "text/plain");
    return resp;
}

/* The /healthz or /readyz answer, from the state the loop last set. */
static struct MHD_Response *s_health(metrics_t *self, bool readyz, unsigned *status)
{
    char msg[192];
    pthread_mutex_lock(&self->lock);
    uint64_t silent_s = (util_mono_us() - self->beat_us) / 1000000u;
    bool alive = silent_s < METRICS_STALE_S;
    bool ready = self->ready;
    char why[sizeof self->why];
    memcpy(why, self->why, sizeof why);
    pthread_mutex_unlock(&self->lock);
    if (!alive)
        snprintf(msg, sizeof msg, "not alive: the loop has been silent for %llu s\n",
                 (unsigned long long)silent_s);
    else if (readyz && !ready)
        snprintf(msg, sizeof msg, "not ready: %s\n", why[0] ? why : "starting");
    else
        snprintf(msg, sizeof msg, "%s\n", readyz ? "ready" : "ok");
    bool ok = alive && (!readyz || ready);
    return s_text(status, ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, msg);
}

static MHD_Result_t s_handler(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_size, void **con_cls)
{
    metrics_t *self = cls;
    struct MHD_Response *resp;
    unsigned status = MHD_HTTP_OK;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        static const char msg[] = "method not allowed\n";
        resp = MHD_create_response_from_buffer(sizeof msg - 1, (void *)msg,
                                               MHD_RESPMEM_PERSISTENT);
        status = MHD_HTTP_METHOD_NOT_ALLOWED;
    } else if (strcmp(url, "/healthz") == 0 || strcmp(url, "/readyz") == 0) {
        resp = s_health(self, url[1] == 'r', &status);
    } else if (strcmp(url, "/metrics") != 0 && strcmp(url, "/") != 0) {
        static const char msg[] = "not found: try /metrics, /healthz or /readyz\n";
        resp = MHD_create_response_from_buffer(sizeof msg - 1, (void *)msg,
                                               MHD_RESPMEM_PERSISTENT);
        status = MHD_HTTP_NOT_FOUND;
    } else {
        pthread_mutex_lock(&self->lock);
        size_t len = self->len;
        char *copy = util_malloc(len ? len : 1);
        if (len)
            memcpy(copy, self->text, len);
        pthread_mutex_unlock(&self->lock);
        resp = MHD_create_response_from_buffer(len, copy, MHD_RESPMEM_MUST_FREE);
        if (!resp)
            free(copy);
        else
            MHD_add_response_header(resp, "Content-Type", "text/plain; version=0.0.4");
    }
    if (!resp)
        return MHD_NO;
    MHD_Result_t rc = MHD_queue_response(conn, status, resp);
    MHD_destroy_response(resp);
    return rc;
}

int metrics_new(const char *addr, unsigned port, metrics_t **out)
{
    *out = NULL;
    struct sockaddr_in sa4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    struct sockaddr_in6 sa6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
    const struct sockaddr *sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;
    if (port == 0 || port > 65535)
        return -EINVAL;
    if (inet_pton(AF_INET, addr, &sa4.sin_addr) == 1) {
        sa = (const struct sockaddr *)&sa4;
    } else if (inet_pton(AF_INET6, addr, &sa6.sin6_addr) == 1) {
        sa = (const struct sockaddr *)&sa6;
        flags |= MHD_USE_IPv6;
    } else {
        return -EINVAL;
    }
    metrics_t *self = util_calloc(1, sizeof *self);
    pthread_mutex_init(&self->lock, NULL);
    self->beat_us = util_mono_us();
    self->daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, s_handler, self,
                                    MHD_OPTION_SOCK_ADDR, sa,
                                    MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
                                    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
                                    MHD_OPTION_END);
    if (!self->daemon) {
        int err = errno ? errno : EIO;
        pthread_mutex_destroy(&self->lock);
        free(self);
        return -err;
    }
    *out = self;
    return 0;
}

int metrics_listen_fd(const metrics_t *self)
{
    const union MHD_DaemonInfo *i =
        self ? MHD_get_daemon_info(self->daemon, MHD_DAEMON_INFO_LISTEN_FD) : NULL;
    return i ? i->listen_fd : -1;
}

void metrics_destroy(metrics_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    metrics_t *self = *self_p;
    MHD_stop_daemon(self->daemon);
    pthread_mutex_destroy(&self->lock);
    free(self->text);
    free(self);
    *self_p = NULL;
}

void metrics_publish(metrics_t *self, const char *text, size_t len)
{
    char *copy = util_malloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = 0;
    pthread_mutex_lock(&self->lock);
    char *old = self->text;
    self->text = copy;
    self->len = len;
    self->beat_us = util_mono_us();
    pthread_mutex_unlock(&self->lock);
    free(old);
}

void metrics_ready(metrics_t *self, bool ready, const char *why)
{
    if (!self)
        return;
    pthread_mutex_lock(&self->lock);
    self->ready = ready;
    snprintf(self->why, sizeof self->why, "%s", why ? why : "");
    self->beat_us = util_mono_us();
    pthread_mutex_unlock(&self->lock);
}

#else /* CC_NO_MHD */

struct metrics_t {
    int unused;
};

int metrics_new(const char *addr, unsigned port, metrics_t **out)
{
    *out = NULL;
    return -ENOTSUP;
}

int metrics_listen_fd(const metrics_t *self)
{
    return -1;
}

void metrics_destroy(metrics_t **self_p)
{
    if (self_p)
        *self_p = NULL;
}

void metrics_publish(metrics_t *self, const char *text, size_t len)
{
}

void metrics_ready(metrics_t *self, bool ready, const char *why)
{
}

#endif
