/*  serve: the read-only web view (see serve.h). Requests are answered on microhttpd's one
    polling thread, which is the only user of the db_t. The assets (serve_assets.c) are
    generated at build time from cli/web/. */
#include "serve.h"
#include "db.h"
#include "db_web.h"
#include "json.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

#if MHD_VERSION < 0x00097002
typedef int MHD_Result_t;
#else
typedef enum MHD_Result MHD_Result_t;
#endif

/* serve_assets.c: the files of cli/web/, compiled in. */
typedef struct {
    const char *path;           /* "/static/app.js"; "/" is the page shell */
    const char *type;           /* Content-Type */
    const unsigned char *data;
    size_t len;
} serve_asset_t;
extern const serve_asset_t serve_assets[];
extern const size_t serve_n_assets;

#define SERVE_LIMIT_MAX 10000   /* largest ?limit= a listing takes */
#define SERVE_ARG_MAX   512     /* longest query argument taken */

struct serve_t {
    struct MHD_Daemon *daemon;  /* the HTTP server and its polling thread */
    db_t *db;                   /* the database, read-only; used by that thread only */
    char *token;                /* required of every request, or NULL */
    unsigned port;              /* bound port */
    atomic_uint_fast64_t requests;  /* answered */
    atomic_uint_fast64_t bad;       /* refused as malformed (400, 405) */
    atomic_uint_fast64_t missing;   /* not found (404) */
    atomic_uint_fast64_t denied;    /* without the token (401) */
    atomic_uint_fast64_t errors;    /* database errors (500) */
};

char *serve_html_escape(const char *s)
{
    size_t n = 0;
    for (const char *p = s; *p; p++)
        n += *p == '&' ? 5 : *p == '<' || *p == '>' ? 4 : *p == '"' || *p == '\'' ? 6 : 1;
    char *out = util_malloc(n + 1), *o = out;
    for (const char *p = s; *p; p++) {
        const char *rep = *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;"
                        : *p == '"' ? "&quot;" : *p == '\'' ? "&#39;" : NULL;
        if (rep) {
            size_t l = strlen(rep);
            memcpy(o, rep, l);
            o += l;
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
    return out;
}

/* Headers every answer carries: nothing from elsewhere, no inline script, no framing. */
static void s_headers(struct MHD_Response *r, const char *type)
{
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; script-src 'self'; style-src 'self'; "
                            "connect-src 'self'; img-src 'self'; base-uri 'none'; "
                            "form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Cache-Control", "no-store");
}

static MHD_Result_t s_send(struct MHD_Connection *conn, unsigned status, const char *type,
                           const void *data, size_t len, bool copy)
{
    struct MHD_Response *r;
    if (copy) {
        void *c = util_malloc(len ? len : 1);
        memcpy(c, data, len);
        r = MHD_create_response_from_buffer(len, c, MHD_RESPMEM_MUST_FREE);
        if (!r)
            free(c);
    } else {
        r = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
    }
    if (!r)
        return MHD_NO;
    s_headers(r, type);
    MHD_Result_t rc = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return rc;
}

/* A JSON error {"error": msg} with `status`, counted under `counter`. */
static MHD_Result_t s_json_error(serve_t *self, struct MHD_Connection *conn, unsigned status,
                                 atomic_uint_fast64_t *counter, const char *msg)
{
    atomic_fetch_add(counter, 1);
    json_t *j = json_new();
    json_obj_begin(j);
    json_key(j, "error");
    json_str(j, msg);
    json_obj_end(j);
    json_newline(j);
    MHD_Result_t rc = s_send(conn, status, "application/json; charset=utf-8", json_data(j),
                             json_len(j), true);
    json_destroy(&j);
    (void)self;
    return rc;
}

/* Checks of the query arguments. Each s_arg_* takes the argument `name` of the request;
   on a bad one it writes "name: what is wrong" into err and returns false. */
typedef struct {
    struct MHD_Connection *conn;
    char err[256];              /* the first bad argument's message */
} s_args_t;

/* Up to 40 bytes of a bad value, for the message (JSON-escaped when sent). */
static const char *s_sample(const char *v, char *buf, size_t cap)
{
    size_t n = strlen(v);
    snprintf(buf, cap, "%.*s%s", (int)(n > 40 ? 40 : n), v, n > 40 ? "..." : "");
    return buf;
}

/* An argument, or NULL when absent or empty; an over-long one is refused. */
static bool s_arg(s_args_t *a, const char *name, const char **out)
{
    const char *v = MHD_lookup_connection_value(a->conn, MHD_GET_ARGUMENT_KIND, name);
    *out = v && *v ? v : NULL;
    if (v && strlen(v) > SERVE_ARG_MAX) {
        snprintf(a->err, sizeof a->err, "%s: longer than %d bytes", name, SERVE_ARG_MAX);
        return false;
    }
    return true;
}

static bool s_arg_required(s_args_t *a, const char *name, const char *what, const char **out)
{
    if (!s_arg(a, name, out))
        return false;
    if (!*out) {
        snprintf(a->err, sizeof a->err, "%s: missing; give ?%s=%s", name, name, what);
        return false;
    }
    return true;
}

static bool s_arg_uint(s_args_t *a, const char *name, unsigned long max, size_t *out)
{
    const char *s;
    if (!s_arg(a, name, &s))
        return false;
    if (!s)
        return true;
    char *end, buf[64];
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || errno || v > max) {
        snprintf(a->err, sizeof a->err, "%s: '%s' is not a whole number from 0 to %lu", name,
                 s_sample(s, buf, sizeof buf), max);
        return false;
    }
    *out = v;
    return true;
}

/* An ISO date or a prefix of one (YYYY, YYYY-MM, YYYY-MM-DD). */
static bool s_arg_date(s_args_t *a, const char *name, const char **out)
{
    if (!s_arg(a, name, out))
        return false;
    const char *s = *out;
    if (!s)
        return true;
    size_t n = strlen(s);
    static const char shape[] = "dddd-dd-dd";
    bool ok = n == 4 || n == 7 || n == 10;
    for (size_t i = 0; ok && i < n; i++)
        ok = shape[i] == 'd' ? (s[i] >= '0' && s[i] <= '9') : s[i] == '-';
    if (!ok) {
        char buf[64];
        snprintf(a->err, sizeof a->err, "%s: '%s' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)",
                 name, s_sample(s, buf, sizeof buf));
    }
    return ok;
}

/* A story id or a prefix of one: 4 to UTIL_ID_HEX lowercase hex digits. */
static bool s_arg_story(s_args_t *a, const char *name, const char **out)
{
    if (!s_arg(a, name, out))
        return false;
    const char *s = *out;
    if (!s)
        return true;
    size_t n = strlen(s);
    bool ok = n >= 4 && n <= UTIL_ID_HEX && strspn(s, "0123456789abcdef") == n;
    if (!ok) {
        char buf[64];
        snprintf(a->err, sizeof a->err, "%s: '%s' is not a story id or a prefix of one (4 to "
                 "%d hex digits)", name, s_sample(s, buf, sizeof buf), UTIL_ID_HEX);
    }
    return ok;
}

static bool s_arg_status(s_args_t *a, const char *name, const char **out)
{
    if (!s_arg(a, name, out))
        return false;
    const char *s = *out;
    if (!s || strcmp(s, "all") == 0 || strcmp(s, "conflict") == 0
        || strcmp(s, "corroborated") == 0 || strcmp(s, "single") == 0)
        return true;
    char buf[64];
    snprintf(a->err, sizeof a->err, "%s: '%s' is not conflict, corroborated, single or all",
             name, s_sample(s, buf, sizeof buf));
    return false;
}

/* Constant-time comparison of a presented token. */
static bool s_token_eq(const char *want, const char *got)
{
    if (!got)
        return false;
    size_t lw = strlen(want), lg = strlen(got);
    unsigned char d = (unsigned char)(lw != lg);
    for (size_t i = 0; i < lw; i++)
        d |= (unsigned char)(want[i] ^ (i < lg ? got[i] : 0));
    return d == 0;
}

/* The token of a request: a bearer header, the cookie, or ?token= (*from_query). */
static bool s_authorized(serve_t *self, struct MHD_Connection *conn, bool *from_query)
{
    *from_query = false;
    if (!self->token)
        return true;
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (h && strncmp(h, "Bearer ", 7) == 0 && s_token_eq(self->token, h + 7))
        return true;
    const char *c = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "cc_token");
    if (s_token_eq(self->token, c))
        return true;
    const char *q = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "token");
    if (s_token_eq(self->token, q)) {
        *from_query = true;
        return true;
    }
    return false;
}

static MHD_Result_t s_metrics(serve_t *self, struct MHD_Connection *conn)
{
    char buf[1024];
    snprintf(buf, sizeof buf,
             "# HELP crossclaim_web_requests_total Requests answered by crossclaim serve.\n"
             "# TYPE crossclaim_web_requests_total counter\n"
             "crossclaim_web_requests_total %" PRIu64 "\n"
             "# HELP crossclaim_web_bad_requests_total Requests refused as malformed.\n"
             "# TYPE crossclaim_web_bad_requests_total counter\n"
             "crossclaim_web_bad_requests_total %" PRIu64 "\n"
             "# HELP crossclaim_web_not_found_total Requests for something not there.\n"
             "# TYPE crossclaim_web_not_found_total counter\n"
             "crossclaim_web_not_found_total %" PRIu64 "\n"
             "# HELP crossclaim_web_denied_total Requests without the token.\n"
             "# TYPE crossclaim_web_denied_total counter\n"
             "crossclaim_web_denied_total %" PRIu64 "\n"
             "# HELP crossclaim_web_errors_total Requests that failed reading the database.\n"
             "# TYPE crossclaim_web_errors_total counter\n"
             "crossclaim_web_errors_total %" PRIu64 "\n",
             (uint64_t)atomic_load(&self->requests), (uint64_t)atomic_load(&self->bad),
             (uint64_t)atomic_load(&self->missing), (uint64_t)atomic_load(&self->denied),
             (uint64_t)atomic_load(&self->errors));
    return s_send(conn, MHD_HTTP_OK, "text/plain; version=0.0.4", buf, strlen(buf), true);
}

/* Answers a db_web call's outcome: the JSON in j, or the error. */
static MHD_Result_t s_api_reply(serve_t *self, struct MHD_Connection *conn, int rc, json_t *j,
                                const char *what)
{
    if (rc == 0) {
        json_newline(j);
        return s_send(conn, MHD_HTTP_OK, "application/json; charset=utf-8", json_data(j),
                      json_len(j), true);
    }
    char msg[256];
    if (rc == DB_ENOTFOUND) {
        snprintf(msg, sizeof msg, "no such %s", what);
        return s_json_error(self, conn, MHD_HTTP_NOT_FOUND, &self->missing, msg);
    }
    if (rc == -EINVAL) {
        snprintf(msg, sizeof msg, "bad %s request", what);
        return s_json_error(self, conn, MHD_HTTP_BAD_REQUEST, &self->bad, msg);
    }
    snprintf(msg, sizeof msg, "reading the database: %s", db_strerror(rc));
    util_warn("serve: %s", msg);
    return s_json_error(self, conn, MHD_HTTP_INTERNAL_SERVER_ERROR, &self->errors, msg);
}

static int s_fact_cb(void *arg, const db_web_fact_t *f)
{
    db_web_fact_json(arg, f);
    return 0;
}

static MHD_Result_t s_api(serve_t *self, struct MHD_Connection *conn, const char *what)
{
    s_args_t a = {.conn = conn};
    json_t *j = json_new();
    MHD_Result_t ret;
    int rc;
    if (strcmp(what, "stats") == 0) {
        db_stats_t st;
        if ((rc = db_stats(self->db, &st)) == 0) {
            json_obj_begin(j);
            db_stats_json(&st, j);
            json_obj_end(j);
        }
        ret = s_api_reply(self, conn, rc, j, "stats");
    } else if (strcmp(what, "stories") == 0) {
        const char *q;
        size_t limit = 0;
        if (!s_arg(&a, "q", &q) || !s_arg_uint(&a, "limit", SERVE_LIMIT_MAX, &limit))
            ret = s_json_error(self, conn, MHD_HTTP_BAD_REQUEST, &self->bad, a.err);
        else
            ret = s_api_reply(self, conn, db_web_stories(self->db, q, limit, j), j, "stories");
    } else if (strcmp(what, "story") == 0 || strcmp(what, "article") == 0) {
        const char *id;
        if (!s_arg_required(&a, "id", "ID", &id))
            ret = s_json_error(self, conn, MHD_HTTP_BAD_REQUEST, &self->bad, a.err);
        else if (what[1] == 't')
            ret = s_api_reply(self, conn, db_web_story(self->db, id, j), j, "story");
        else
            ret = s_api_reply(self, conn, db_web_article(self->db, id, j), j, "article");
    } else if (strcmp(what, "entity") == 0 || strcmp(what, "fact") == 0) {
        const char *key;
        if (!s_arg_required(&a, "key", "KEY", &key))
            ret = s_json_error(self, conn, MHD_HTTP_BAD_REQUEST, &self->bad, a.err);
        else if (what[0] == 'e')
            ret = s_api_reply(self, conn, db_web_entity(self->db, key, j), j, "entity");
        else
            ret = s_api_reply(self, conn, db_xref_json(self->db, key, j), j, "fact");
    } else if (strcmp(what, "search") == 0) {
        const char *q;
        if (!s_arg(&a, "q", &q))
            ret = s_json_error(self, conn, MHD_HTTP_BAD_REQUEST, &self->bad, a.err);
        else
            ret = s_api_reply(self, conn, db_web_search(self->db, q, 0, j), j, "search");
    } else if (strcmp(what, "conflicts") == 0 || strcmp(what, "facts") == 0) {
        db_web_filter_t f = {0};
        size_t ms = 0, limit = 200, offset = 0;
        bool ok = s_arg_story(&a, "story", &f.story) && s_arg(&a, "outlet", &f.outlet)
                  && s_arg_date(&a, "since", &f.since) && s_arg_date(&a, "until", &f.until)
                  && s_arg_status(&a, "status", &f.status)
                  && s_arg_uint(&a, "min_sources", 1000, &ms)
                  && s_arg_uint(&a, "limit", SERVE_LIMIT_MAX, &limit)
                  && s_arg_uint(&a, "offset", SIZE_MAX / 2, &offset);
        if (!ok) {
            ret = s_json_error(self, conn, MHD_HTTP_BAD_REQUEST, &self->bad, a.err);
        } else {
            if (!f.status && what[0] == 'c')
                f.status = "conflict";
            f.min_sources = (unsigned)ms;
            f.limit = limit;
            f.offset = offset;
            size_t matched = 0;
            json_obj_begin(j);
            json_key(j, "facts");
            json_arr_begin(j);
            rc = db_web_facts(self->db, &f, &matched, s_fact_cb, j);
            json_arr_end(j);
            json_key(j, "total");
            json_int(j, (int64_t)matched);
            json_obj_end(j);
            ret = s_api_reply(self, conn, rc, j, "conflicts");
        }
    } else {
        ret = s_json_error(self, conn, MHD_HTTP_NOT_FOUND, &self->missing,
                           "no such API: try stats, stories, story, conflicts, entity, "
                           "article, search, fact");
    }
    json_destroy(&j);
    return ret;
}

static const serve_asset_t *s_asset(const char *path)
{
    for (size_t i = 0; i < serve_n_assets; i++)
        if (strcmp(serve_assets[i].path, path) == 0)
            return &serve_assets[i];
    return NULL;
}

static bool s_is_page(const char *url)
{
    static const char *pages[] = {"/", "/story", "/conflicts", "/entity", "/article",
                                  "/search"};
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        if (strcmp(url, pages[i]) == 0)
            return true;
    return false;
}

/* The status of a page's shell: 404 when the page is of one record (story, article,
   entity) that is not in the database, so a link checker or curl sees what the page will
   say; 200 otherwise (a missing argument is the page's to explain). */
static unsigned s_page_status(serve_t *self, struct MHD_Connection *conn, const char *url)
{
    const char *name = strcmp(url, "/entity") == 0 ? "key"
                     : strcmp(url, "/story") == 0 || strcmp(url, "/article") == 0 ? "id" : NULL;
    if (!name)
        return MHD_HTTP_OK;
    const char *v = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, name);
    if (!v || !*v || strlen(v) > SERVE_ARG_MAX)
        return MHD_HTTP_OK;
    json_t *j = json_new();
    int rc = url[1] == 'e' ? db_web_entity(self->db, v, j)
           : url[1] == 's' ? db_web_story(self->db, v, j) : db_web_article(self->db, v, j);
    json_destroy(&j);
    if (rc == DB_ENOTFOUND) {
        atomic_fetch_add(&self->missing, 1);
        return MHD_HTTP_NOT_FOUND;
    }
    return MHD_HTTP_OK;
}

static MHD_Result_t s_handler(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_size, void **con_cls)
{
    serve_t *self = cls;
    (void)version;
    (void)upload_data;
    (void)con_cls;
    atomic_fetch_add(&self->requests, 1);
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        *upload_size = 0;
        static const char msg[] = "method not allowed: this view is read-only\n";
        atomic_fetch_add(&self->bad, 1);
        return s_send(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8", msg,
                      sizeof msg - 1, false);
    }
    bool from_query;
    if (!s_authorized(self, conn, &from_query)) {
        static const char msg[] = "this view needs its token: open it with ?token=TOKEN, "
                                  "or send Authorization: Bearer TOKEN\n";
        atomic_fetch_add(&self->denied, 1);
        return s_send(conn, MHD_HTTP_UNAUTHORIZED, "text/plain; charset=utf-8", msg,
                      sizeof msg - 1, false);
    }
    if (strncmp(url, "/api/", 5) == 0)
        return s_api(self, conn, url + 5);
    if (strcmp(url, "/metrics") == 0)
        return s_metrics(self, conn);
    bool page = s_is_page(url);
    const serve_asset_t *a = s_asset(page ? "/" : url);
    if (!a) {
        atomic_fetch_add(&self->missing, 1);
        char *esc = serve_html_escape(url);
        size_t cap = strlen(esc) + 256;
        char *page = util_malloc(cap);
        int n = snprintf(page, cap, "<!doctype html><meta charset=utf-8><title>not found</title>"
                         "<p>Nothing at <code>%s</code>. <a href=\"/\">The stories</a>.</p>\n", esc);
        MHD_Result_t rc = s_send(conn, MHD_HTTP_NOT_FOUND, "text/html; charset=utf-8", page,
                                 (size_t)n, true);
        free(page);
        free(esc);
        return rc;
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(a->len, (void *)a->data,
                                                             MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    s_headers(r, a->type);
    if (from_query) {
        char cookie[SERVE_ARG_MAX + 64];
        snprintf(cookie, sizeof cookie, "cc_token=%s; HttpOnly; SameSite=Strict; Path=/",
                 self->token);
        MHD_add_response_header(r, "Set-Cookie", cookie);
    }
    MHD_Result_t rc = MHD_queue_response(conn, page ? s_page_status(self, conn, url) : MHD_HTTP_OK,
                                         r);
    MHD_destroy_response(r);
    return rc;
}

static bool s_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    const struct in6_addr *a6 = &((const struct sockaddr_in6 *)sa)->sin6_addr;
    return IN6_IS_ADDR_LOOPBACK(a6);
}

int serve_new(const serve_config_t *cfg, serve_t **out, char *err, size_t cap)
{
    *out = NULL;
    const char *addr = cfg->addr ? cfg->addr : "127.0.0.1";
    struct sockaddr_in sa4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port)};
    struct sockaddr_in6 sa6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)cfg->port)};
    const struct sockaddr *sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;
    if (cfg->port > 65535) {
        snprintf(err, cap, "the port must be 0 to 65535");
        return -EINVAL;
    }
    if (inet_pton(AF_INET, addr, &sa4.sin_addr) == 1) {
        sa = (const struct sockaddr *)&sa4;
    } else if (inet_pton(AF_INET6, addr, &sa6.sin6_addr) == 1) {
        sa = (const struct sockaddr *)&sa6;
        flags |= MHD_USE_IPv6;
    } else {
        snprintf(err, cap, "'%s' is not an IPv4 or IPv6 address", addr);
        return -EINVAL;
    }
    if (!s_loopback(sa) && !cfg->token && !cfg->insecure) {
        snprintf(err, cap, "%s is not a loopback address: anyone who can reach it could read "
                 "the database; give --token TOKEN (or --insecure on a trusted network)", addr);
        return -EINVAL;
    }
    if (cfg->token && (strlen(cfg->token) < 8 || strlen(cfg->token) > SERVE_ARG_MAX
                       || strpbrk(cfg->token, ";, \t\r\n\"\\"))) {
        snprintf(err, cap, "a token is 8 to %d characters, without spaces, quotes, ';' or ','",
                 SERVE_ARG_MAX);
        return -EINVAL;
    }
    serve_t *self = util_calloc(1, sizeof *self);
    int rc = db_open(cfg->data_dir, true, &self->db);
    if (rc) {
        snprintf(err, cap, "cannot open the results database in %s: %s (run 'crossclaim run "
                 "PATH' or start crossclaim-store with --data %s first)", cfg->data_dir,
                 db_strerror(rc), cfg->data_dir);
        free(self);
        return rc;
    }
    self->token = cfg->token ? util_strdup(cfg->token) : NULL;
    self->daemon = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL, s_handler, self,
                                    MHD_OPTION_SOCK_ADDR, sa,
                                    MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
                                    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
                                    MHD_OPTION_END);
    if (!self->daemon) {
        int e = errno ? errno : EADDRINUSE;
        snprintf(err, cap, "cannot listen on %s port %u: %s", addr, cfg->port, strerror(e));
        db_destroy(&self->db);
        free(self->token);
        free(self);
        return -e;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(self->daemon, MHD_DAEMON_INFO_BIND_PORT);
    self->port = info ? info->port : cfg->port;
    *out = self;
    return 0;
}

unsigned serve_port(const serve_t *self)
{
    return self->port;
}

void serve_destroy(serve_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    serve_t *self = *self_p;
    MHD_stop_daemon(self->daemon);
    db_destroy(&self->db);
    free(self->token);
    free(self);
    *self_p = NULL;
}

int serve_main(const serve_config_t *cfg)
{
    char err[1024];
    serve_t *s;
    /* block the signals before microhttpd's thread starts, so only sigwait sees them */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    if (serve_new(cfg, &s, err, sizeof err) != 0) {
        fprintf(stderr, "crossclaim serve: %s\n", err);
        return 1;
    }
    const char *addr = cfg->addr ? cfg->addr : "127.0.0.1";
    bool v6 = strchr(addr, ':') != NULL;
    printf("crossclaim serve: http://%s%s%s:%u/ (the database in %s, read-only; Ctrl-C stops)\n",
           v6 ? "[" : "", addr, v6 ? "]" : "", serve_port(s), cfg->data_dir);
    fflush(stdout);
    int sig;
    sigwait(&set, &sig);
    serve_destroy(&s);
    return 0;
}
