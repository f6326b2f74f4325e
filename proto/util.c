/*  util: allocation, logging, job ids and clocks shared by every crossclaim process. */
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>

static const char *s_name = "crossclaim";
static bool s_quiet = false;
static bool s_json = false;     /* --log-format json */

static void s_oom(size_t size)
{
    fprintf(stderr, "%s: out of memory allocating %zu bytes\n", s_name, size);
    abort();
}

void *util_malloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        s_oom(size);
    return p;
}

void *util_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        s_oom(n * size);
    return p;
}

void *util_realloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);
    if (!p)
        s_oom(size);
    return p;
}

char *util_strdup(const char *s)
{
    return util_strndup(s, strlen(s));
}

char *util_strndup(const char *s, size_t n)
{
    char *p = util_malloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void util_log_init(const char *name)
{
    s_name = name;
}

const char *util_log_name(void)
{
    return s_name;
}

void util_log_quiet(bool quiet)
{
    s_quiet = quiet;
}

int util_log_format(const char *format)
{
    if (strcmp(format, "text") == 0)
        s_json = false;
    else if (strcmp(format, "json") == 0)
        s_json = true;
    else
        return -EINVAL;
    return 0;
}

/* RFC 3339 in UTC with milliseconds: 2025-06-01T12:00:00.123Z. `out` holds 32 bytes. */
static void s_timestamp(char out[32])
{
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000L);
}

/* Appends `s` to out[*o..cap) as the body of a JSON string; stops short of the end. */
static void s_json_escape(const char *s, char *out, size_t *o, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    for (const unsigned char *p = (const unsigned char *)s; *p && *o + 7 < cap; p++) {
        unsigned char c = *p;
        if (c == '"' || c == '\\') {
            out[(*o)++] = '\\';
            out[(*o)++] = (char)c;
        } else if (c == '\n') {
            out[(*o)++] = '\\';
            out[(*o)++] = 'n';
        } else if (c < 0x20 || c == 0x7f) {
            memcpy(out + *o, "\\u00", 4);
            out[*o + 4] = hex[c >> 4];
            out[*o + 5] = hex[c & 15];
            *o += 6;
        } else {
            out[(*o)++] = (char)c;
        }
    }
}

/* One line on stderr: "TIME PROGRAM[PID] LEVEL: message", or with --log-format json
   {"time":..,"program":..,"pid":..,"level":..,"msg":..}. One write, so lines from
   threads and processes sharing the stream never interleave. */
static void s_log(const char *level, const char *fmt, va_list ap)
{
    char msg[2048], ts[32], line[4400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    s_timestamp(ts);
    size_t o;
    if (!s_json) {
        int n = snprintf(line, sizeof line - 1, "%s %s[%d] %s: %s", ts, s_name, (int)getpid(),
                         level, msg);
        o = n < 0 ? 0 : (size_t)n >= sizeof line - 1 ? sizeof line - 2 : (size_t)n;
    } else {
        int n = snprintf(line, sizeof line, "{\"time\":\"%s\",\"program\":\"", ts);
        o = (size_t)n;
        s_json_escape(s_name, line, &o, sizeof line - 64);
        o += (size_t)snprintf(line + o, sizeof line - o, "\",\"pid\":%d,\"level\":\"%s\",\"msg\":\"",
                              (int)getpid(), level);
        s_json_escape(msg, line, &o, sizeof line - 4);
        line[o++] = '"';
        line[o++] = '}';
    }
    line[o++] = '\n';
    fwrite(line, 1, o, stderr);
    fflush(stderr);
}

void util_info(const char *fmt, ...)
{
    if (s_quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    s_log("info", fmt, ap);
    va_end(ap);
}

void util_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    s_log("warning", fmt, ap);
    va_end(ap);
}

void util_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    s_log("error", fmt, ap);
    va_end(ap);
}

char *util_sample(const void *data, size_t size, char *out, size_t cap)
{
    const unsigned char *p = data;
    size_t o = 0;
    for (size_t i = 0; i < size; i++) {
        if (o + 5 >= cap) {
            if (o + 4 <= cap) {
                memcpy(out + o, "...", 3);
                o += 3;
            }
            break;
        }
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
            out[o++] = (char)p[i];
        else
            o += (size_t)snprintf(out + o, cap - o, "\\x%02x", p[i]);
    }
    out[o] = 0;
    return out;
}

void util_job_id(const char *title, size_t title_len, const void *text, size_t text_len,
                 char out[UTIL_ID_HEX + 1])
{
    crypto_generichash_state st;
    unsigned char h[16];
    static const unsigned char nul = 0;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)title, title_len);
    crypto_generichash_update(&st, &nul, 1);
    crypto_generichash_update(&st, text, text_len);
    crypto_generichash_final(&st, h, sizeof h);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 15];
    }
    out[UTIL_ID_HEX] = 0;
}

bool util_is_job_id(const void *s, size_t len)
{
    const unsigned char *p = s;
    if (len != UTIL_ID_HEX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
            return false;
    return true;
}

size_t util_utf8_seq(const uint8_t *p, size_t n)
{
    unsigned c = p[0];
    size_t need;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) { need = 2; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { need = 3; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 4; min = 0x10000; }
    else return 0;
    if (n < need)
        return 0;
    unsigned cp = c & (0x3f >> (need - 1));
    for (size_t i = 1; i < need; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return need;
}

uint32_t util_cp1252(uint8_t b)
{
    /* 0x80..0x9f differ from Latin-1; 0 marks the undefined bytes. */
    static const uint16_t high[32] = {
        0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
        0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
        0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
        0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178};
    return b >= 0x80 && b < 0xa0 ? high[b - 0x80] : b;
}

uint64_t util_wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t util_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int util_mkdirs(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return -ENAMETOOLONG;
    memcpy(buf, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] == '/' || buf[i] == 0) {
            char c = buf[i];
            buf[i] = 0;
            if (mkdir(buf, 0700) != 0 && errno != EEXIST)
                return -errno;
            buf[i] = c;
        }
    }
    return 0;
}

#define UTIL_NOFILE_LOW 1024   /* below this a daemon warns: a few hundred peers fill it */

unsigned long util_raise_nofile(const char *what)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0;
    rlim_t was = rl.rlim_cur;
    if (rl.rlim_cur != RLIM_INFINITY && (rl.rlim_max == RLIM_INFINITY || rl.rlim_cur < rl.rlim_max)) {
        rlim_t want = rl.rlim_max;
        if (want == RLIM_INFINITY || want > (rlim_t)1 << 20)
            want = (rlim_t)1 << 20;   /* enough, and what a select-free poller handles */
        if (want > rl.rlim_cur) {
            rl.rlim_cur = want;
            if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
                util_info("%s: open-file limit raised from %llu to %llu (the hard limit)", what,
                          (unsigned long long)was, (unsigned long long)want);
            else
                rl.rlim_cur = was;
        }
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < UTIL_NOFILE_LOW)
        util_warn("%s: only %llu open files allowed (hard limit %llu): each connection takes "
                  "one, and libzmq aborts the process when an ipc accept finds none; raise it "
                  "(ulimit -Hn, or LimitNOFILE= in the unit)", what,
                  (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
    return rl.rlim_cur == RLIM_INFINITY ? (unsigned long)-1 : (unsigned long)rl.rlim_cur;
}
