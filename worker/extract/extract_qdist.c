/*  extract_qdist (see extract_qdist.h). */
#include "extract_qdist.h"
#include "extract_qword.h"

#include <stdio.h>
#include <string.h>

static bool s_in(const char *f, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(f, *list) == 0)
            return true;
    return false;
}

bool extract_qdist_claim(const xctx_t *c, const char *unit, size_t q0, size_t k, size_t s0,
                         size_t s1, extract_qclaim_t *cl, size_t *after)
{
    static const char *const speeds[] = {"mph", "kmh", "knot", NULL};
    static const char *const dists[] = {"m", "km", "mi", "ft", "yd", "nmi", NULL};
    static const char *const dirs[] = {"north", "south", "east", "west", "northeast",
        "northwest", "southeast", "southwest", "north-east", "north-west", "south-east",
        "south-west", "northern", "southern", "eastern", "western", "away", "offshore",
        "inland", "due", NULL};
    static const char *const movers[] = {"dragged", "dragging", "drags", "carried",
        "carrying", "thrown", "threw", "hurled", "swept", "pushed", "towed", "towing", NULL};
    const xtok_t *t = c->tok.v;
    if (!unit)
        return false;
    if (s_in(unit, speeds)) {
        snprintf(cl->what, sizeof cl->what, "speed");
        snprintf(cl->subject, sizeof cl->subject, "speed");
        cl->whose[0] = 0;
        cl->pclass = "count";
        *after = k;
        return true;
    }
    if (!s_in(unit, dists))
        return false;
    /* "within 80 metres of the hut": how close, to what */
    if (q0 > s0 && xtok_is(c, q0 - 1, "within") && xtok_is(c, k, "of") && k + 1 < s1) {
        size_t a = k + 1;
        if (xtok_is(c, a, "the") || xtok_is(c, a, "a"))
            a++;
        if (a >= s1 || !(t[a].flags & TK_WORD))
            return false;
        if (t[a].ent >= 0) {
            snprintf(cl->whose, sizeof cl->whose, "%s", c->ent.v[t[a].ent].key);
        } else {
            if (t[a].wc & WC_NP_END)
                return false;
            char w[64];
            snprintf(w, sizeof w, "%s", t[a].f);
            extract_qword_lemma(w);
            snprintf(cl->whose, sizeof cl->whose, "%s", w);
        }
        snprintf(cl->what, sizeof cl->what, "distance");
        snprintf(cl->subject, sizeof cl->subject, "distance");
        cl->pclass = "count";
        cl->bound = FRAME_UPTO;
        *after = a + 1;
        return true;
    }
    /* "150 nautical miles off Aden", "15 miles north of Detroit" */
    size_t a = k;
    while (a < s1 && a < k + 3 && s_in(t[a].f, dirs))
        a++;
    if (a < s1 && (xtok_is(c, a, "off") || xtok_is(c, a, "from") || xtok_is(c, a, "of")
                   || xtok_is(c, a, "outside"))
        && (a > k || !xtok_is(c, a, "of"))) {
        size_t p = a + 1;
        if (xtok_is(c, p, "the"))
            p++;
        int e = p < s1 ? t[p].ent : -1;
        if (e >= 0 && c->ent.v[e].kind != 'p' && (t[p].flags & TK_CAP)) {
            snprintf(cl->what, sizeof cl->what, "distance");
            snprintf(cl->subject, sizeof cl->subject, "distance");
            /* the anchor is the scope, not an owner: "the office, 15 miles north of
               Detroit" and "a motorist 50 miles north of Detroit" are two things */
            cl->whose[0] = 0;
            snprintf(cl->anchor, sizeof cl->anchor, "%s", c->ent.v[e].key + 4);
            cl->pclass = "count";
            *after = p + 1;
            return true;
        }
    }
    /* "dragging her 10 feet": how far a thing was moved */
    size_t v = q0;
    if (v > s0 + 1 && (xtok_is(c, v - 1, "her") || xtok_is(c, v - 1, "him")
                       || xtok_is(c, v - 1, "them") || xtok_is(c, v - 1, "it")))
        v--;
    if (v > s0 && xtok_is(c, v - 1, "for"))
        v--;
    if (v > s0 && s_in(t[v - 1].f, movers)) {
        char st[48];
        snprintf(st, sizeof st, "%s", t[v - 1].f);
        size_t n = strlen(st);
        if (n > 5 && strcmp(st + n - 3, "ing") == 0)
            st[n - 3] = 0;
        else if (n > 4 && strcmp(st + n - 2, "ed") == 0)
            st[n - 2] = 0;
        else if (n > 4 && st[n - 1] == 's')
            st[n - 1] = 0;
        snprintf(cl->what, sizeof cl->what, "%s", st);
        snprintf(cl->subject, sizeof cl->subject, "%s", t[v - 1].f);
        cl->whose[0] = 0;
        cl->pclass = "count";
        *after = k;
        return true;
    }
    return false;
}
