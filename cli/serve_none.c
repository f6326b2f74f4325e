/*  serve_none: `crossclaim serve` in a build without libmicrohttpd (see serve.h). */
#include "serve.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int serve_new(const serve_config_t *cfg, serve_t **out, char *err, size_t cap)
{
    (void)cfg;
    *out = NULL;
    snprintf(err, cap, "this crossclaim was built without libmicrohttpd: install it "
             "(deploy/install-deps.sh) and build again");
    return -ENOSYS;
}

unsigned serve_port(const serve_t *self)
{
    (void)self;
    return 0;
}

void serve_destroy(serve_t **self_p)
{
    (void)self_p;
}

int serve_main(const serve_config_t *cfg)
{
    char err[256];
    serve_t *s;
    serve_new(cfg, &s, err, sizeof err);
    fprintf(stderr, "crossclaim serve: %s\n", err);
    return 1;
}

char *serve_html_escape(const char *s)
{
    return util_strdup(s);
}
