/*  frame: value intervals and frame keys (see frame.h). */
#include "frame.h"

#include <math.h>
#include <string.h>

frame_interval_t frame_interval(double v, frame_bound_t b)
{
    frame_interval_t r = {v, v, false, false};
    switch (b) {
    case FRAME_ABOUT:
        r.low = v * (1 - FRAME_ABOUT_TOL);
        r.high = v * (1 + FRAME_ABOUT_TOL);
        break;
    case FRAME_ATLEAST:
        r.open_high = true;
        break;
    case FRAME_UPTO:
        r.low = 0;
        r.open_low = true;
        break;
    case FRAME_NEARLY:
        r.low = v * (1 - FRAME_NEARLY_TOL);
        break;
    case FRAME_EXACT:
    default:
        break;
    }
    if (r.low > r.high) {   /* negative values */
        double t = r.low;
        r.low = r.high;
        r.high = t;
    }
    return r;
}

frame_interval_t frame_vague(double lo)
{
    double mag = lo > 0 ? pow(10, floor(log10(lo))) : 1;
    frame_interval_t r = {lo, 10 * mag - 1e-9 * mag, false, false};
    return r;
}

bool frame_overlap(const frame_interval_t *a, const frame_interval_t *b)
{
    /* a.low <= b.high and b.low <= a.high, with open ends unbounded; a relative epsilon
       so that 0.41 and .41 parsed two ways still meet */
    double eps_a = 1e-9 * (fabs(a->high) + fabs(b->low) + 1);
    double eps_b = 1e-9 * (fabs(b->high) + fabs(a->low) + 1);
    bool ab = a->open_low || b->open_high || a->low <= b->high + eps_b;
    bool ba = b->open_low || a->open_high || b->low <= a->high + eps_a;
    return ab && ba;
}

static size_t s_slot(char *out, size_t cap, size_t n, const char *s)
{
    if (n + 1 < cap)
        out[n++] = '|';
    for (; s && *s && n + 1 < cap; s++)
        out[n++] = (*s == '|' || (unsigned char)*s < 0x20) ? ' ' : *s;
    return n;
}

size_t frame_key(char *out, size_t cap, const char *unit, const char *what, const char *whose,
                 const char *pclass, const char *scope, const char *period)
{
    size_t n = 0;
    if (cap > 1)
        out[n++] = 'f';
    n = s_slot(out, cap, n, unit);
    n = s_slot(out, cap, n, what);
    n = s_slot(out, cap, n, whose);
    n = s_slot(out, cap, n, pclass);
    n = s_slot(out, cap, n, scope);
    n = s_slot(out, cap, n, period);
    out[n] = 0;
    return n;
}

int frame_parse(const char *key, char *buf, size_t cap, const char *slots[6])
{
    size_t len = key ? strlen(key) : 0;
    if (len < 2 || key[0] != 'f' || key[1] != '|' || len + 1 > cap)
        return -1;
    memcpy(buf, key + 2, len - 1);
    char *p = buf;
    for (int i = 0; i < 6; i++) {
        slots[i] = p;
        char *bar = strchr(p, '|');
        if (i < 5) {
            if (!bar)
                return -1;
            *bar = 0;
            p = bar + 1;
        } else if (bar) {
            return -1;
        }
    }
    return 0;
}

bool frame_weak(const char *key)
{
    char buf[FRAME_KEY_MAX * 2];
    const char *slot[6];
    if (!key || strlen(key) >= sizeof buf || frame_parse(key, buf, sizeof buf, slot) != 0)
        return false;
    return !slot[3][0] || strcmp(slot[3], "count") == 0 || strcmp(slot[3], "have") == 0;
}

static uint64_t s_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

uint64_t frame_copy_hash(const char *sentence)
{
    int acc[64] = {0};
    uint64_t prev = 0;
    size_t words = 0;
    const unsigned char *p = (const unsigned char *)(sentence ? sentence : "");
    while (*p) {
        while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                       (*p >= '0' && *p <= '9') || *p >= 0x80))
            p++;
        if (!*p)
            break;
        uint64_t h = 1469598103934665603ull;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
               || *p >= 0x80) {
            unsigned char ch = (*p >= 'A' && *p <= 'Z') ? (unsigned char)(*p + 32) : *p;
            h = (h ^ ch) * 1099511628211ull;
            p++;
        }
        if (words++) {
            uint64_t pair = s_mix(prev * 31 + h);
            for (int b = 0; b < 64; b++)
                acc[b] += (pair >> b) & 1 ? 1 : -1;
        }
        prev = h;
    }
    if (words < FRAME_COPY_WORDS)
        return 0;
    uint64_t out = 0;
    for (int b = 0; b < 64; b++)
        if (acc[b] > 0)
            out |= 1ull << b;
    return out ? out : 1;
}

bool frame_is_copy(uint64_t a, uint64_t b)
{
    return a && b && __builtin_popcountll(a ^ b) <= FRAME_COPY_BITS;
}
