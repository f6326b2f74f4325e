/*  extract_qnum (see extract_qnum.h). */
#include "extract_qnum.h"
#include "extract_unit.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Powers of ten of the scale words, by xlex_t.scale. */
static const double s_pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                 1e12};

size_t extract_qnum_read(const xctx_t *c, size_t i, size_t end, bool money, extract_qnum_t *n)
{
    memset(n, 0, sizeof *n);
    const xtok_t *t = c->tok.v;
    size_t k = i;
    if (t[i].flags & TK_NUM) {
        const char *f = t[i].f;
        double v = 0, frac = 0, div = 1;
        bool dot = false;
        for (; *f; f++) {
            if (*f >= '0' && *f <= '9') {
                if (dot) {
                    div *= 10;
                    frac = frac * 10 + (*f - '0');
                } else {
                    v = v * 10 + (*f - '0');
                }
            } else if (*f == ',') {
                continue;
            } else if (*f == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        n->value = v + frac / div;
        /* a mixed-case suffix is cut into its own token ("2,800m" "Ah", "2" "GB") */
        char suf[24];
        size_t used = 1;
        snprintf(suf, sizeof suf, "%s", f);
        if (i + 1 < end && (t[i + 1].flags & TK_WORD) && t[i + 1].s == t[i].e
            && !(t[i + 1].flags & TK_POSS)) {
            size_t sl = strlen(suf);
            snprintf(suf + sl, sizeof suf - sl, "%s", t[i + 1].f);
            used = 2;
        }
        f = suf;
        if (*f) {
            /* a suffix glued to the digits */
            int e = extract_unit_scale(f), kind = 0;
            const char *u = extract_unit_suffix(f, &kind);
            if (strcmp(f, "m") == 0 && !money) {
                /* "150m": metres, unless a noun follows ("150m users" is ambiguous) */
                if (i + 1 < end && (t[i + 1].flags & TK_WORD) && !(t[i + 1].wc & WC_NP_END))
                    n->notclaim = true;
                e = 0;
            } else if (strcmp(f, "k") == 0 && !money) {
                n->notclaim = true;   /* "10k run" */
            }
            if (e && !n->notclaim) {
                n->value *= s_pow10[e];
                n->scaled = true;
            } else if (u && !n->notclaim) {
                n->unit = u;
                n->ukind = kind;
            } else if (!dot && (strcmp(f, "st") == 0 || strcmp(f, "nd") == 0
                                || strcmp(f, "rd") == 0 || strcmp(f, "th") == 0)) {
                n->ordinal = true;
            } else {
                n->notclaim = true;   /* "11am", "1990s", "4g", "1080p" */
            }
        }
        /* ".41": a period touching the digits, with a space or nothing before it */
        if (i > 0 && xtok_punct(c, i - 1, '.') && t[i - 1].e == t[i].s && !dot
            && (i < 2 || t[i - 2].e < t[i - 1].s) && !n->unit && !n->ordinal) {
            size_t digits = 0;
            for (const char *g = t[i].f; *g >= '0' && *g <= '9'; g++)
                digits++;
            n->value = n->value / pow(10, (double)digits);
            n->dot = true;
        }
        k = i + used;
    } else if (t[i].flags & TK_WORD) {
        const xlex_t *x = extract_lex_entry(t[i].lex);
        if (!x || !(x->bits & (WC_NUMWORD | WC_VAGUE)))
            return 0;
        n->value = x->num;
        if (x->bits & WC_VAGUE) {
            n->vague = true;
            n->nt = 1;
            /* "tens of thousands", "hundreds of millions" */
            if (xtok_is(c, i + 1, "of") && i + 2 < end) {
                const xlex_t *y = extract_lex_entry(t[i + 2].lex);
                if (y && (y->bits & WC_VAGUE) && y->num >= 1000) {
                    double mag = pow(10, floor(log10((double)y->num)));
                    n->value = x->num * mag;
                    n->nt = 3;
                }
            }
            return n->nt;
        }
        k = i + 1;
    } else {
        return 0;
    }
    if (xtok_is(c, k, "dozen") && k > i) {
        n->value *= 12;   /* "two dozen" */
        k++;
    }
    /* "the nineteen seventies": a decade */
    static const char *const decades[] = {"twenties", "thirties", "forties", "fifties",
        "sixties", "seventies", "eighties", "nineties", NULL};
    for (const char *const *w = decades; *w && k < end; w++)
        if (xtok_is(c, k, *w))
            n->notclaim = true;
    /* "4 million", "two hundred thousand"; a spaced "m" only after a currency */
    while (k < end && (t[k].wc & WC_SCALE) && !n->unit) {
        if (xtok_is(c, k, "m") && !money)
            break;
        n->value *= s_pow10[extract_lex_entry(t[k].lex)->scale];
        n->scaled = true;
        k++;
    }
    n->nt = k - i;
    return n->nt;
}
