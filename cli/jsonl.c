/*  jsonl: strict recursive-descent JSON over a byte range; strings are decoded only for
    the wanted keys. */
#include "jsonl.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const unsigned char *p, *end;
    const char *err;
} s_parser_t;

static void s_ws(s_parser_t *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static int s_hex4(s_parser_t *ps, unsigned *out)
{
    if (ps->end - ps->p < 4)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = ps->p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else return -1;
    }
    ps->p += 4;
    *out = v;
    return 0;
}

static size_t s_put_utf8(unsigned char *o, unsigned cp)
{
    if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
    if (cp < 0x800) { o[0] = (unsigned char)(0xc0 | cp >> 6); o[1] = (unsigned char)(0x80 | (cp & 0x3f)); return 2; }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xe0 | cp >> 12); o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (unsigned char)(0x80 | (cp & 0x3f)); return 3;
    }
    o[0] = (unsigned char)(0xf0 | cp >> 18); o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f)); o[3] = (unsigned char)(0x80 | (cp & 0x3f));
    return 4;
}

/* Parses a string at ps->p (on the opening quote). With `out`, decodes it into a fresh
   buffer. Raw bytes >= 0x80 are copied as they are (the reader validates UTF-8 later). */
static int s_string(s_parser_t *ps, char **out, size_t *out_len)
{
    ps->p++; /* opening quote */
    unsigned char *buf = NULL, *o = NULL;
    if (out) {
        buf = util_malloc((size_t)(ps->end - ps->p) + 1);
        o = buf;
    }
    while (ps->p < ps->end) {
        unsigned c = *ps->p++;
        if (c == '"') {
            if (out) {
                *o = 0;
                *out = (char *)buf;
                *out_len = (size_t)(o - buf);
            }
            return 0;
        }
        if (c < 0x20) {
            ps->err = "control character inside a string";
            goto fail;
        }
        if (c != '\\') {
            if (o)
                *o++ = (unsigned char)c;
            continue;
        }
        if (ps->p >= ps->end)
            break;
        c = *ps->p++;
        unsigned cp;
        switch (c) {
        case '"': cp = '"'; break;
        case '\\': cp = '\\'; break;
        case '/': cp = '/'; break;
        case 'b': cp = 8; break;
        case 'f': cp = 12; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u':
            if (s_hex4(ps, &cp) != 0) {
                ps->err = "bad \\u escape";
                goto fail;
            }
            if (cp >= 0xd800 && cp <= 0xdbff) {
                unsigned lo;
                if (ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
                    ps->p += 2;
                    if (s_hex4(ps, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff) {
                        ps->err = "bad surrogate pair";
                        goto fail;
                    }
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                } else {
                    cp = 0xfffd; /* lone high surrogate */
                }
            } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                cp = 0xfffd;
            }
            break;
        default:
            ps->err = "bad escape in a string";
            goto fail;
        }
        if (o)
            o += s_put_utf8(o, cp);
    }
    ps->err = "unterminated string";
fail:
    free(buf);
    return -1;
}

static int s_value(s_parser_t *ps, int depth);

static int s_container(s_parser_t *ps, int depth, char close)
{
    if (depth >= JSONL_MAX_DEPTH) {
        ps->err = "nested too deeply";
        return -1;
    }
    ps->p++;
    s_ws(ps);
    if (ps->p < ps->end && *ps->p == (unsigned char)close) {
        ps->p++;
        return 0;
    }
    for (;;) {
        if (close == '}') {
            s_ws(ps);
            if (ps->p >= ps->end || *ps->p != '"') {
                ps->err = "expected a member name";
                return -1;
            }
            if (s_string(ps, NULL, NULL) != 0)
                return -1;
            s_ws(ps);
            if (ps->p >= ps->end || *ps->p != ':') {
                ps->err = "expected ':'";
                return -1;
            }
            ps->p++;
        }
        if (s_value(ps, depth + 1) != 0)
            return -1;
        s_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == (unsigned char)close) {
            ps->p++;
            return 0;
        }
        ps->err = close == '}' ? "expected ',' or '}'" : "expected ',' or ']'";
        return -1;
    }
}

static int s_literal(s_parser_t *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
        ps->err = "invalid value";
        return -1;
    }
    ps->p += n;
    return 0;
}

static int s_number(s_parser_t *ps)
{
    const unsigned char *start = ps->p;
    if (ps->p < ps->end && *ps->p == '-')
        ps->p++;
    bool digits = false;
    while (ps->p < ps->end && ((*ps->p >= '0' && *ps->p <= '9') || *ps->p == '.' ||
                               *ps->p == 'e' || *ps->p == 'E' || *ps->p == '+' || *ps->p == '-')) {
        digits |= (*ps->p >= '0' && *ps->p <= '9');
        ps->p++;
    }
    if (!digits || ps->p == start) {
        ps->err = "invalid value";
        return -1;
    }
    return 0;
}

static int s_value(s_parser_t *ps, int depth)
{
    s_ws(ps);
    if (ps->p >= ps->end) {
        ps->err = "unexpected end of line";
        return -1;
    }
    switch (*ps->p) {
    case '{': return s_container(ps, depth, '}');
    case '[': return s_container(ps, depth, ']');
    case '"': return s_string(ps, NULL, NULL);
    case 't': return s_literal(ps, "true");
    case 'f': return s_literal(ps, "false");
    case 'n': return s_literal(ps, "null");
    default: return s_number(ps);
    }
}

int jsonl_fields(const char *line, size_t len, const char *const *keys, size_t n,
                 char **values, size_t *lens, const char **err)
{
    s_parser_t ps = {(const unsigned char *)line, (const unsigned char *)line + len, NULL};
    for (size_t i = 0; i < n; i++) {
        values[i] = NULL;
        lens[i] = 0;
    }
    s_ws(&ps);
    if (ps.p >= ps.end || *ps.p != '{') {
        ps.err = "not a JSON object";
        goto fail;
    }
    ps.p++;
    s_ws(&ps);
    if (ps.p < ps.end && *ps.p == '}') {
        ps.p++;
        goto done;
    }
    for (;;) {
        s_ws(&ps);
        if (ps.p >= ps.end || *ps.p != '"') {
            ps.err = "expected a member name";
            goto fail;
        }
        char *name = NULL;
        size_t name_len = 0;
        if (s_string(&ps, &name, &name_len) != 0)
            goto fail;
        ssize_t want = -1;
        for (size_t i = 0; i < n; i++)
            if (strlen(keys[i]) == name_len && memcmp(keys[i], name, name_len) == 0)
                want = (ssize_t)i;
        free(name);
        s_ws(&ps);
        if (ps.p >= ps.end || *ps.p != ':') {
            ps.err = "expected ':'";
            goto fail;
        }
        ps.p++;
        s_ws(&ps);
        if (want >= 0 && ps.p < ps.end && *ps.p == '"') {
            free(values[want]); /* a repeated key: the last one wins */
            values[want] = NULL;
            if (s_string(&ps, &values[want], &lens[want]) != 0)
                goto fail;
        } else {
            const unsigned char *start = ps.p;
            if (s_value(&ps, 1) != 0)
                goto fail;
            /* A wanted number or boolean comes back as its JSON text. */
            if (want >= 0 && (*start == '-' || (*start >= '0' && *start <= '9') || *start == 't' ||
                              *start == 'f')) {
                free(values[want]);
                lens[want] = (size_t)(ps.p - start);
                values[want] = util_strndup((const char *)start, lens[want]);
            }
        }
        s_ws(&ps);
        if (ps.p < ps.end && *ps.p == ',') {
            ps.p++;
            continue;
        }
        if (ps.p < ps.end && *ps.p == '}') {
            ps.p++;
            break;
        }
        ps.err = "expected ',' or '}'";
        goto fail;
    }
done:
    s_ws(&ps);
    if (ps.p != ps.end) {
        ps.err = "trailing characters after the object";
        goto fail;
    }
    return 0;
fail:
    for (size_t i = 0; i < n; i++) {
        free(values[i]);
        values[i] = NULL;
        lens[i] = 0;
    }
    *err = ps.err ? ps.err : "invalid JSON";
    return -1;
}
