/*  serve: `crossclaim serve`, a read-only web view of the results database.

    An HTTP server (libmicrohttpd, one polling thread) over the database opened read-only:
    every request reads in a fresh LMDB read transaction, so the view works whether the
    store runs or not, sees each commit on the next request, and never blocks the writer.

        GET /                      the stories, newest first          (pages: one HTML shell
        GET /story?id=ID           one story: facts side by side       that app.js fills from
        GET /conflicts?...         facts, filtered                     the API; every asset
        GET /entity?key=KEY        one entity                          is compiled in, none
        GET /article?id=ID         one article                         comes from elsewhere)
        GET /search?q=NAME         entities and stories by name
        GET /api/stats | /api/stories?q=&limit= | /api/story?id= | /api/entity?key=
            /api/article?id= | /api/search?q= | /api/fact?key=
            /api/conflicts?story=&outlet=&since=&until=&min_sources=&status=&limit=&offset=
        GET /metrics               crossclaim_web_* counters (Prometheus text)

    Answers: JSON for /api/ ({"error": "..."} on a failure); 400 for a bad argument, the
    message naming it and what is wrong ("since: 'x' is not a date ..."); 404 for an id or
    key not in the database, on /api/ and on the pages of one record (whose shell is still
    sent, to say so); 401 without the token; 405 for anything but GET and HEAD.

    Pages render data with DOM text nodes only (never as markup), under a
    Content-Security-Policy that allows no inline script and no other origin. It binds
    127.0.0.1 unless told otherwise; any other address needs a token (asked of every
    request: "Authorization: Bearer T", or ?token=T once, which sets a cookie) or
    --insecure. */
#ifndef CC_SERVE_H
#define CC_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct serve_t serve_t;

typedef struct {
    const char *data_dir;     /* the data dir whose database is shown */
    const char *addr;         /* IPv4 or IPv6 address to bind (NULL: 127.0.0.1) */
    unsigned port;            /* 0: any free port (serve_port tells which) */
    const char *token;        /* required of every request when set */
    bool insecure;            /* allow a non-loopback address without a token */
} serve_config_t;

/* Opens the database read-only and starts serving. Returns 0 and *out, or a negative
   error with a message in err (cap bytes): -EINVAL for a bad address or a non-loopback
   one without a token or --insecure, a db error (db_strerror) when the database cannot
   be opened, -errno when the port cannot be bound. */
int serve_new(const serve_config_t *cfg, serve_t **out, char *err, size_t cap);

/* The port bound. This function can't fail. */
unsigned serve_port(const serve_t *self);

/* Stops serving and closes the database. Does nothing on NULL; sets *self_p = NULL. */
void serve_destroy(serve_t **self_p);

/* `crossclaim serve` itself: serves until SIGINT or SIGTERM, printing the URL on stdout.
   Returns the exit status (0, or 1 with a message on stderr). */
int serve_main(const serve_config_t *cfg);

/* Escapes s for HTML text and attribute values (& < > " '), malloc'd: the caller frees
   it. This function can't fail. */
char *serve_html_escape(const char *s);

#endif
