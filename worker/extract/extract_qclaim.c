/*  extract_qclaim (see extract_qclaim.h). */
#include "extract_qclaim.h"
#include "extract_qword.h"
#include "extract_quantity.h"
#include "extract_attrib.h"
#include "extract_entity.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The place a sentence puts a fact in: a named place after a place preposition, not a
   demonym. Searches [a, b). Returns the entity key without its prefix, or NULL. */
static const char *s_place(const xctx_t *c, size_t a, size_t b)
{
    const xtok_t *t = c->tok.v;
    for (size_t i = a; i < b; i++) {
        int e = t[i].ent;
        if (e < 0 || c->ent.v[e].kind != 'l' || i == 0)
            continue;
        if (i > 0 && t[i - 1].ent == e)
            continue;   /* not the mention's first token */
        bool dem = false;
        if (extract_qword_country(c, i, &dem) && dem)
            continue;
        size_t p = i - 1;
        /* "in the northwestern province of Idlib" */
        if (xtok_is(c, p, "of") && p >= 1) {
            size_t k = p;
            while (k > a && k > p - 5 && !(t[k - 1].wc & WC_QPLACE_PREP))
                k--;
            if (k > a && (t[k - 1].wc & WC_QPLACE_PREP))
                return c->ent.v[e].key + 4;
            continue;
        }
        if (xtok_is(c, p, "the") && p >= 1)
            p--;
        if (t[p].wc & WC_QPLACE_PREP)
            return c->ent.v[e].key + 4;
    }
    return NULL;
}

static const char s_bound_char[] = {'=', '~', '>', '<', '<'};

/* What is counted, in one spelling for every outlet: a thing named by a model designation
   is that designation ("seven AK-47 assault rifles" = "seven AK-47s": "ak-47"), and a hyphen
   between words is a space ("blood-alcohol level" = "blood alcohol level"). Writes out. */
static void s_what_norm(const char *what, char *out, size_t cap)
{
    const char *w = what, *model = NULL;
    size_t model_n = 0;
    while (*w) {
        size_t n = strcspn(w, " ");
        bool digit = false, alpha = false;
        for (size_t k = 0; k < n; k++) {
            digit |= w[k] >= '0' && w[k] <= '9';
            alpha |= (w[k] >= 'a' && w[k] <= 'z');
        }
        if (digit && alpha && memchr(w, '-', n) && w[n]) {
            model = w, model_n = n;   /* a modifier, not the head: "ak-47 rifle" */
            break;
        }
        w += n;
        while (*w == ' ')
            w++;
    }
    if (model)
        snprintf(out, cap, "%.*s", (int)model_n, model);
    else
        snprintf(out, cap, "%s", what);
    for (char *p = out; *p; p++)
        if (*p == '-' && p > out && p[1] && p[-1] >= 'a' && p[-1] <= 'z' && p[1] >= 'a'
            && p[1] <= 'z')
            *p = ' ';
}

void extract_qclaim_push(xctx_t *c, const extract_qclaim_t *cl, size_t s0, size_t s1)
{
    extract_quantity_t q;
    memset(&q, 0, sizeof q);
    q.value = cl->value;
    q.approx = cl->vague || cl->bound != FRAME_EXACT;
    q.bound = cl->vague ? '~' : s_bound_char[cl->bound];
    frame_interval_t iv = cl->vague ? frame_vague(cl->value) : frame_interval(cl->value, cl->bound);
    q.low = iv.low;
    q.high = iv.high;
    q.open_low = iv.open_low;
    q.open_high = iv.open_high;
    q.span = extract_span_tok(c, (uint32_t)cl->n0, (uint32_t)cl->n1);
    q.sentence = extract_span_tok(c, (uint32_t)s0, (uint32_t)s1);
    q.in_title = c->tok.v[s0].s < c->body_w;
    q.subject = extract_arena_strndup(c->arena, cl->subject, strlen(cl->subject));
    q.predicate = extract_arena_strndup(c->arena, cl->pclass, strlen(cl->pclass));
    q.unit = extract_arena_strndup(c->arena, cl->unit, strlen(cl->unit));
    char what[sizeof cl->what];
    s_what_norm(cl->what, what, sizeof what);
    q.what = extract_arena_strndup(c->arena, what, strlen(what));
    q.whose = extract_arena_strndup(c->arena, cl->whose, strlen(cl->whose));
    q.scope = extract_arena_strndup(c->arena, cl->scope, strlen(cl->scope));
    char key[FRAME_KEY_MAX];
    frame_key(key, sizeof key, cl->unit, what, cl->whose, cl->pclass, cl->scope, cl->period);
    q.key = extract_arena_strndup(c->arena, key, strlen(key));
    q.place = cl->place ? extract_arena_strndup(c->arena, cl->place, strlen(cl->place)) : NULL;
    if (cl->date) {
        q.time = extract_arena_strndup(c->arena, cl->date->iso, strlen(cl->date->iso));
        q.time_resolved = cl->date->resolved;
    }
    q.total = cl->total;
    q.year = cl->year;
    XVEC_PUSH(c->qty, q);
}

/* The venue a fact is placed at, after the number: "89 were killed at the Bataclan".
   Returns its entity index (not a country nor a place the sentence's s_place gives), or
   -1. Stops at a comma or semicolon. */
static int s_venue(const xctx_t *c, size_t k, size_t s1)
{
    const xtok_t *t = c->tok.v;
    for (size_t q = k; q < s1 && q < k + 10; q++) {
        if (xtok_punct(c, q, ',') || xtok_punct(c, q, ';'))
            break;
        if (!xtok_is(c, q, "at") && !xtok_is(c, q, "inside"))
            continue;
        size_t v = q + 1;
        if (xtok_is(c, v, "the"))
            v++;
        int e = v < s1 ? t[v].ent : -1;
        if (e < 0)
            return -1;
        char kind = c->ent.v[e].kind;
        bool dem = false;
        if (kind == 'p' || (kind == 'l' && extract_qword_country(c, v, &dem)))
            return -1;
        return e;
    }
    return -1;
}

/* The period a figure covers when the sentence names one: "in its first month", "in three
   months", "over the past year", "a year". Writes it ("first month", "3 month", "per
   year") into out. Returns true when found. */
static bool s_period(const xctx_t *c, size_t k, size_t s1, char *out, size_t cap)
{
    const xtok_t *t = c->tok.v;
    static const char *const units[] = {"day", "week", "month", "year", "quarter", "hour",
                                        "season", "decade", "game", "match", NULL};
    for (size_t q = k; q < s1 && q < k + 10; q++) {
        bool prep = xtok_is(c, q, "in") || xtok_is(c, q, "over") || xtok_is(c, q, "during")
                    || xtok_is(c, q, "within");
        bool rate = xtok_is(c, q, "a") || xtok_is(c, q, "per") || xtok_is(c, q, "each")
                    || xtok_is(c, q, "every");
        if (!prep && !rate)
            continue;
        size_t p = q + 1;
        if (prep && (xtok_is(c, p, "its") || xtok_is(c, p, "the") || xtok_is(c, p, "their")
                     || xtok_is(c, p, "his") || xtok_is(c, p, "her")))
            p++;
        char which[24] = "";
        if (prep && (xtok_is(c, p, "first") || xtok_is(c, p, "last") || xtok_is(c, p, "past")
                     || xtok_is(c, p, "next") || xtok_is(c, p, "opening")))
            snprintf(which, sizeof which, "%s", t[p++].f);
        double n = 0;
        bool approx;
        size_t nt = prep ? extract_quantity_number(c, p, s1, &n, &approx) : 0;
        p += nt;
        if (p >= s1)
            continue;
        char u[24];
        snprintf(u, sizeof u, "%s", t[p].f);
        extract_qword_singular(u);
        bool unit = false;
        for (const char *const *w = units; *w; w++)
            unit |= strcmp(u, *w) == 0;
        if (!unit || (prep && !which[0] && !nt) || xtok_is(c, p + 1, "ago"))
            continue;
        if (rate)
            snprintf(out, cap, "per %s", u);
        else if (nt)
            snprintf(out, cap, "%s%s%g %s", which, which[0] ? " " : "", n, u);
        else
            snprintf(out, cap, "%s %s", which, u);
        return true;
    }
    return false;
}

void extract_qclaim_finish(xctx_t *c, extract_qclaim_t *cl, size_t s0, size_t s1, size_t after,
                     const extract_date_t *dates, int nd)
{
    const xtok_t *t = c->tok.v;
    size_t i = cl->n0;
    /* The place after the number ("killed in Idlib"), else the one before it in the same
       sentence ("capsized off Port Said, killing 14"). */
    cl->place = s_place(c, i, s1);
    if (!cl->place)
        cl->place = s_place(c, s0, i);
    int venue = s_venue(c, after, s1);
    if (cl->anchor[0])
        snprintf(cl->scope, sizeof cl->scope, "%s", cl->anchor);
    else if (venue >= 0)
        snprintf(cl->scope, sizeof cl->scope, "part:%s", c->ent.v[venue].key);
    else if (cl->place && !(strchr(cl->whose, ':') && strcmp(strchr(cl->whose, ':') + 1, cl->place) == 0))
        snprintf(cl->scope, sizeof cl->scope, "%s", cl->place);   /* not the owner again:
                                                   "150 miles off Aden" = "from Aden" */
    const extract_date_t *date = NULL;
    int best = 1 << 30;
    for (int q = 0; q < nd; q++) {
        /* "said on Monday": when it was said, not when it happened */
        size_t d0 = dates[q].t0;
        if (d0 > s0 && xtok_is(c, d0 - 1, "on"))
            d0--;
        if (d0 > s0 && extract_attrib_cue_class(t[d0 - 1].f) != 0)
            continue;
        int dist = (int)dates[q].t0 - (int)i;
        if (dist < 0)
            dist = -dist * 2;   /* prefer a date after the number */
        if (dist < best) {
            best = dist;
            date = &dates[q];
        }
    }
    cl->date = date;
    bool total = date && date->period;
    for (size_t q = after; q < s1; q++)
        if (xtok_is(c, q, "alone") || (xtok_is(c, q, "so") && xtok_is(c, q + 1, "far"))
            || (xtok_is(c, q, "total") && q > 0 && xtok_is(c, q - 1, "in"))
            || xtok_is(c, q, "altogether"))
            total = true;
    char span[40] = "";
    if (s_period(c, after, s1, span, sizeof span))
        total = true;
    else if (cl->rate) {
        snprintf(span, sizeof span, "%s", cl->rate);
        total = true;
    }
    char bucket[40] = "";
    if (date && (date->resolved || total)) {
        if (total || date->gran == 'm' || date->gran == 'y')
            snprintf(bucket, sizeof bucket, "%s", date->iso);
        else if (date->y)
            snprintf(bucket, sizeof bucket, "%04d-%02d", date->y, date->m);
    }
    cl->total = total;
    if (total)
        snprintf(cl->period, sizeof cl->period, "%s%s%s", span[0] ? span : "total",
                 bucket[0] ? " " : "", bucket);
    else
        snprintf(cl->period, sizeof cl->period, "%s", bucket);
    extract_qclaim_push(c, cl, s0, s1);
}
