/*  json: append-only JSON writer. Tracks nesting to place commas. */
#include "json.h"
#include "util.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON_MAX_DEPTH 64

struct json_t {
    char *buf;          /* output, NUL-terminated */
    size_t len, cap;
    int depth;          /* current nesting */
    bool first[JSON_MAX_DEPTH]; /* no member written yet at this depth */
    bool after_key;     /* a key was just written: no comma before the value */
};

json_t *json_new(void)
{
    json_t *self = util_calloc(1, sizeof *self);
    self->cap = 256;
    self->buf = util_malloc(self->cap);
    self->buf[0] = 0;
    return self;
}

void json_destroy(json_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->buf);
    free(*self_p);
    *self_p = NULL;
}

void json_reset(json_t *self)
{
    self->len = 0;
    self->buf[0] = 0;
    self->depth = 0;
    self->after_key = false;
}

const char *json_data(json_t *self) { return self->buf; }
size_t json_len(json_t *self) { return self->len; }

static void s_put(json_t *self, const char *s, size_t n)
{
    if (self->len + n + 1 > self->cap) {
        while (self->len + n + 1 > self->cap)
            self->cap *= 2;
        self->buf = util_realloc(self->buf, self->cap);
    }
    memcpy(self->buf + self->len, s, n);
    self->len += n;
    self->buf[self->len] = 0;
}

static void s_sep(json_t *self)
{
    if (self->after_key) {
        self->after_key = false;
        return;
    }
    if (self->depth > 0) {
        if (!self->first[self->depth])
            s_put(self, ",", 1);
        self->first[self->depth] = false;
    }
}

static void s_open(json_t *self, char c)
{
    s_sep(self);
    s_put(self, &c, 1);
    assert(self->depth + 1 < JSON_MAX_DEPTH);
    self->depth++;
    self->first[self->depth] = true;
}

static void s_close(json_t *self, char c)
{
    assert(self->depth > 0);
    self->depth--;
    s_put(self, &c, 1);
}

void json_obj_begin(json_t *self) { s_open(self, '{'); }
void json_obj_end(json_t *self) { s_close(self, '}'); }
void json_arr_begin(json_t *self) { s_open(self, '['); }
void json_arr_end(json_t *self) { s_close(self, ']'); }

static void s_escaped(json_t *self, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    s_put(self, "\"", 1);
    size_t run = 0;   /* start of a run of bytes copied as they are */
    size_t i = 0;
    while (i < n) {
        unsigned c = p[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        size_t k = c < 0x80 ? 0 : util_utf8_seq(p + i, n - i);
        if (k > 1) {
            i += k;
            continue;
        }
        s_put(self, s + run, i - run);
        char esc[8];
        switch (c) {
        case '"': s_put(self, "\\\"", 2); break;
        case '\\': s_put(self, "\\\\", 2); break;
        case '\n': s_put(self, "\\n", 2); break;
        case '\r': s_put(self, "\\r", 2); break;
        case '\t': s_put(self, "\\t", 2); break;
        default:
            if (c < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", c);
                s_put(self, esc, 6);
            } else {
                s_put(self, "\xef\xbf\xbd", 3); /* invalid UTF-8 byte */
            }
        }
        i++;
        run = i;
    }
    s_put(self, s + run, n - run);
    s_put(self, "\"", 1);
}

void json_key(json_t *self, const char *key)
{
    s_sep(self);
    s_escaped(self, key, strlen(key));
    s_put(self, ":", 1);
    self->after_key = true;
}

void json_strn(json_t *self, const char *s, size_t n)
{
    s_sep(self);
    s_escaped(self, s, n);
}

void json_str(json_t *self, const char *s)
{
    if (!s) {
        json_null(self);
        return;
    }
    json_strn(self, s, strlen(s));
}

void json_int(json_t *self, int64_t v)
{
    char b[32];
    int n = snprintf(b, sizeof b, "%lld", (long long)v);
    s_sep(self);
    s_put(self, b, (size_t)n);
}

void json_num(json_t *self, double v)
{
    char b[40];
    int n;
    if (!isfinite(v))
        n = snprintf(b, sizeof b, "null");
    else if (v == floor(v) && fabs(v) < 1e15)
        n = snprintf(b, sizeof b, "%.0f", v);
    else
        n = snprintf(b, sizeof b, "%.17g", v);
    s_sep(self);
    s_put(self, b, (size_t)n);
}

void json_bool(json_t *self, bool v)
{
    s_sep(self);
    s_put(self, v ? "true" : "false", v ? 4 : 5);
}

void json_null(json_t *self)
{
    s_sep(self);
    s_put(self, "null", 4);
}

void json_raw(json_t *self, const char *s, size_t n)
{
    s_sep(self);
    s_put(self, s, n);
}

void json_newline(json_t *self)
{
    s_put(self, "\n", 1);
}
