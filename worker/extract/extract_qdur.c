/*  extract_qdur (see extract_qdur.h). */
#include "extract_qdur.h"
#include "extract_qclaim.h"
#include "extract_qphrase.h"
#include "extract_qword.h"
#include "extract_quantity.h"

#include <stdio.h>
#include <string.h>

const char *extract_qdur_unit(const char *f)
{
    static const struct { const char *w, *unit; } units[] = {
        {"second", "second"}, {"seconds", "second"}, {"minute", "minute"},
        {"minutes", "minute"}, {"hour", "hour"}, {"hours", "hour"}, {"day", "day"},
        {"days", "day"}, {"night", "night"}, {"nights", "night"}, {"week", "week"},
        {"weeks", "week"}, {"month", "month"}, {"months", "month"}, {"year", "year-duration"},
        {"years", "year-duration"}, {"season", "season"}, {"seasons", "season"},
        {"decade", "decade"}, {"decades", "decade"}};
    for (size_t k = 0; k < sizeof units / sizeof *units; k++)
        if (strcmp(f, units[k].w) == 0)
            return units[k].unit;
    return NULL;
}

/* The stem noun and verb forms share: "negotiations", "negotiated", "negotiating" ->
   "negotiat"; "chase", "chased" -> "chas"; "talks" -> "talk". */
static void s_stem(const char *f, char *out, size_t cap)
{
    snprintf(out, cap, "%s", f);
    size_t n = strlen(out);
    if (n > 4 && out[n - 1] == 's' && out[n - 2] != 's')
        out[--n] = 0;
    static const char *const ends[] = {"ion", "ing", "ed", "e", NULL};
    for (const char *const *e = ends; *e; e++) {
        size_t m = strlen(*e);
        if (n > m + 2 && strcmp(out + n - m, *e) == 0) {
            out[n - m] = 0;
            break;
        }
    }
}

/* Verbs of an activity whose span is a fact of the story: "negotiated for two hours". */
static bool s_activity(const char *stem)
{
    static const char *const verbs[] = {"negotiat", "talk", "chas", "search", "burn", "rag",
        "deliberat", "debat", "hover", "circl", "block", "clos", "delay", "stall", "battl",
        "fought", "interrogat", "question", "grill", "trapp", "strand", "wait", "besieg",
        "barricad", "hold out", "pursu", NULL};
    for (const char *const *v = verbs; *v; v++)
        if (strcmp(stem, *v) == 0)
            return true;
    return false;
}

/* Spans that are one person's (a sentence, a ban, a contract): without an owner, two
   people's would merge. */
static bool s_personal(const char *head)
{
    static const char *const w[] = {"sentence", "term", "ban", "suspension", "contract",
        "deal", "extension", "career", "stint", "tenure", "prison", "jail", "probation",
        "veteran", "absence", "leave", "reign", "spell", "marriage", "offer", "bid", "employee",
        "member", "resident", "pact", NULL};
    for (const char *const *x = w; *x; x++)
        if (strcmp(head, *x) == 0)
            return true;
    return false;
}

/* Words skipped before the content word of an event: "after he was fired". */
static bool s_filler(const xctx_t *c, size_t k)
{
    static const char *const w[] = {"he", "she", "they", "it", "was", "were", "had", "been",
        "being", "the", "a", "an", "his", "her", "their", "its", "first", "second", "last",
        "next", "final", NULL};
    for (const char *const *x = w; *x; x++)
        if (xtok_is(c, k, *x))
            return true;
    return false;
}

size_t extract_qdur_claim(xctx_t *c, size_t i, size_t nt, size_t q0, size_t s0, size_t s1,
                          const extract_date_t *dates, int nd)
{
    const xtok_t *t = c->tok.v;
    size_t k = i + nt;
    const char *unit = NULL;
    bool compound = false;
    const char *hy = (t[i].flags & TK_HYPHEN) ? strchr(t[i].f, '-') : NULL;
    if (nt == 1 && hy && (unit = extract_qdur_unit(hy + 1))) {
        compound = true;   /* "four-day" as one word */
    } else if (xtok_punct(c, k, '-') && k + 1 < s1 && t[k - 1].e == t[k].s
               && (unit = extract_qdur_unit(t[k + 1].f))) {
        compound = true;   /* "15-minute" */
        k += 2;
    } else if (k < s1 && (unit = extract_qdur_unit(t[k].f))) {
        k++;
    } else {
        return 0;
    }
    extract_qclaim_t cl;
    memset(&cl, 0, sizeof cl);
    cl.n0 = q0;
    cl.n1 = k;
    cl.unit = unit;
    cl.pclass = "lasted";
    char what[64] = "";
    if (compound) {
        /* "a four-day ski tour", "the 15-minute chase": the noun it measures */
        if (xtok_is(c, k, "old") || (xtok_punct(c, k, '-') && xtok_is(c, k + 1, "old")))
            return 0;
        size_t h = k;
        while (h < s1 && h < k + 3 && (t[h].flags & TK_WORD) && !(t[h].flags & TK_CAP)
               && !(t[h].wc & (WC_NP_END | WC_QPRED)) && !(t[h].flags & TK_POSS)) {
            size_t fl = strlen(t[h].f);
            if (h > k && fl > 3 && strcmp(t[h].f + fl - 2, "ed") == 0)
                break;   /* "the 15-minute chase ended" */
            if (strcmp(t[h].f, "worth") == 0)
                break;   /* "a seven-year deal worth $140 million" */
            h++;
        }
        if (h == k)
            return 0;
        char head[48];
        snprintf(head, sizeof head, "%s", t[h - 1].f);
        extract_qword_lemma(head);
        s_stem(head, what, sizeof what);
        snprintf(cl.subject, sizeof cl.subject, "%s", head);
        if (!extract_qphrase_possessive(c, q0, s0, cl.whose, sizeof cl.whose)
            && s_personal(head))
            return 0;
        k = h;
    } else if (xtok_is(c, k, "of") && k + 1 < s1 && (t[k + 1].flags & TK_WORD)
               && !(t[k + 1].wc & WC_NP_END) && !(t[k + 1].flags & TK_CAP)) {
        /* "two hours of negotiations" */
        s_stem(t[k + 1].f, what, sizeof what);
        snprintf(cl.subject, sizeof cl.subject, "%s", t[k + 1].f);
        k += 2;
    } else if ((xtok_is(c, k, "after") || xtok_is(c, k, "before")) && k + 1 < s1
               && !(q0 > s0 && xtok_is(c, q0 - 1, "for"))) {
        /* "four days after he was fired", "two days before the vote" */
        size_t e = k + 1;
        while (e < s1 && e < k + 5 && s_filler(c, e))
            e++;
        if (e >= s1 || !(t[e].flags & TK_WORD) || (t[e].flags & TK_CAP) || (t[e].wc & WC_NP_END))
            return 0;
        char st[48];
        s_stem(t[e].f, st, sizeof st);
        snprintf(what, sizeof what, "%s %s", t[k].f, st);
        snprintf(cl.subject, sizeof cl.subject, "%s %s", t[k].f, t[e].f);
        k = e + 1;
    } else {
        /* the verb before: "negotiated for two hours", "talks lasted two hours", "spent
           19 seasons with the 76ers" */
        size_t v = q0;
        if (v > s0 && xtok_is(c, v - 1, "for"))
            v--;
        if (v > s0 && (xtok_is(c, v - 1, "lasted") || xtok_is(c, v - 1, "lasting"))) {
            size_t nn = v - 1;
            if (nn > s0 && (t[nn - 1].flags & TK_WORD) && !(t[nn - 1].flags & TK_CAP)
                && !(t[nn - 1].wc & WC_NP_END)) {
                s_stem(t[nn - 1].f, what, sizeof what);
                snprintf(cl.subject, sizeof cl.subject, "%s", t[nn - 1].f);
            }
        } else if (v > s0 && (xtok_is(c, v - 1, "spent") || xtok_is(c, v - 1, "played")
                              || xtok_is(c, v - 1, "served") || xtok_is(c, v - 1, "coached")
                              || xtok_is(c, v - 1, "worked"))) {
            /* a person's span: only with the person, and the whole span, not a role
               in it ("spent four seasons as director") */
            if (xtok_is(c, k, "as"))
                return k;
            if (!extract_qphrase_subject_owner(c, v - 1, s0, cl.whose, sizeof cl.whose, false)
                || strncmp(cl.whose, "per:", 4) != 0)
                return 0;
            snprintf(what, sizeof what, "%s", t[v - 1].f);
            snprintf(cl.subject, sizeof cl.subject, "%s", t[v - 1].f);
        } else if (v < q0) {
            /* an activity verb a few words before "for" */
            for (size_t q = v; q > s0 && q + 6 > v && !what[0]; q--) {
                if (t[q - 1].flags & TK_PUNCT)
                    break;
                char st[48];
                s_stem(t[q - 1].f, st, sizeof st);
                if (s_activity(st)) {
                    snprintf(what, sizeof what, "%s", st);
                    snprintf(cl.subject, sizeof cl.subject, "%s", t[q - 1].f);
                }
            }
        }
        if (!what[0])
            return 0;
    }
    if (!what[0])
        return 0;
    snprintf(cl.what, sizeof cl.what, "%s", what);
    /* a span of no one's (a jury's 12 hours of deliberation before the verdict, 30 before
       the sentence) may be one of several phases: it corroborates, never conflicts */
    if (!cl.whose[0])
        cl.pclass = "count";
    double v = 0;
    bool approx = false;
    if (hy) {
        char num[32];
        snprintf(num, sizeof num, "%.*s", (int)(hy - t[i].f), t[i].f);
        const xlex_t *x = extract_lex_find(num);
        if (!x || !(x->bits & WC_NUMWORD))
            return 0;
        v = x->num;
    } else if (!extract_quantity_number(c, i, i + nt, &v, &approx)) {
        return 0;
    }
    if (v <= 0)
        return 0;   /* "a zero-day flaw" */
    cl.value = v;
    cl.vague = approx;
    cl.bound = approx ? FRAME_EXACT : extract_qphrase_bound(c, i, s0, &cl.n0);
    if (cl.n0 > i)
        cl.n0 = i;
    extract_qclaim_finish(c, &cl, s0, s1, k, dates, nd);
    return k;
}
