/*  extract_quantity: per sentence, numbers first, then the noun phrase after them, then a
    predicate to the right (or left: "the killing of seven"), place and time. The jobs are
    split by file: extract_qnum reads numbers, extract_qword holds the word lists and
    lemmas, extract_qphrase reads the noun phrase, predicate and owner, extract_qclaim
    finishes and pushes a claim, extract_qyear makes year claims; this file drives them
    and makes the article-wide fixes. */
#include "extract_quantity.h"
#include "extract_attrib.h"
#include "extract_date.h"
#include "extract_entity.h"
#include "extract_text.h"
#include "extract_unit.h"
#include "extract_age.h"
#include "extract_qclaim.h"
#include "extract_qnum.h"
#include "extract_qphrase.h"
#include "extract_qword.h"
#include "extract_qyear.h"
#include "extract_qdur.h"
#include "extract_qdist.h"
#include "frame.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t extract_quantity_number(const xctx_t *c, size_t i, size_t end, double *value, bool *approx)
{
    *approx = false;
    *value = 0;
    if (!c || i >= end || end > c->tok.n)
        return 0;
    extract_qnum_t n;
    size_t nt = extract_qnum_read(c, i, end, false, &n);
    if (!nt || n.notclaim || n.ordinal)
        return 0;
    *value = n.value;
    *approx = n.vague;
    return nt;
}

const char *extract_quantity_predicate(const char *f)
{
    return extract_qword_predicate(f);
}

void extract_quantity_lex(void)
{
    extract_qword_lex();
}

/* A past participle, by its ending: "confiscated", "taken" (an irregular "held" is
   missed). */
static bool s_participle(const char *f)
{
    size_t n = strlen(f);
    return n > 4 && (strcmp(f + n - 2, "ed") == 0 || strcmp(f + n - 2, "en") == 0);
}

/* Whether the number starting at q0 is the size of a run a part is taken of: "18 of its
   next 23 games" (the 23: the verb is the 18's, and the run is no fact of its own). "Two
   of the three suspects" is not one: the three suspects are. */
static bool s_partitive_base(const xctx_t *c, size_t q0, size_t s0)
{
    const xtok_t *t = c->tok.v;
    size_t k = q0;
    if (!(k > s0 && (xtok_is(c, k - 1, "next") || xtok_is(c, k - 1, "last") ||
                     xtok_is(c, k - 1, "first") || xtok_is(c, k - 1, "final") ||
                     xtok_is(c, k - 1, "past") || xtok_is(c, k - 1, "remaining"))))
        return false;
    k--;
    if (k > s0 && (xtok_is(c, k - 1, "the") || xtok_is(c, k - 1, "its") ||
                   xtok_is(c, k - 1, "their") || xtok_is(c, k - 1, "his") ||
                   xtok_is(c, k - 1, "her") || xtok_is(c, k - 1, "our")))
        k--;
    if (k < s0 + 2 || !xtok_is(c, k - 1, "of"))
        return false;
    return (t[k - 2].flags & TK_NUM) || (t[k - 2].wc & WC_NUMWORD);
}

static const int *s_pub(const xctx_t *c, int *buf)
{
    if (c->doc->published && extract_date_parse_iso(c->doc->published, &buf[0], &buf[1], &buf[2]))
        return buf;
    return NULL;
}

/* "the 81st Academy Awards": the edition of a named event. what "edition", whose the
   event's folded name ("academy award"), "annual" left out. */
static bool s_edition(const xctx_t *c, const extract_qnum_t *n, size_t i, size_t s1, extract_qclaim_t *cl)
{
    const xtok_t *t = c->tok.v;
    size_t k = i + 1;
    if (xtok_is(c, k, "annual"))
        k++;
    char name[96] = "";
    size_t words = 0;
    for (; k < s1 && words < 4 && (t[k].flags & TK_WORD) && (t[k].flags & TK_CAP)
           && !(t[k].flags & TK_POSS); k++, words++)
        extract_qword_append(name, sizeof name, t[k].f);
    /* only events held in editions: "the 67th Police Precinct" is no edition */
    static const char *const events[] = {"award", "awards", "oscars", "oscar", "games",
        "olympics", "festival", "congress", "summit", "championship", "championships", "cup",
        "conference", "session", "anniversary", "grammys", "grammy", "emmys", "emmy", "tonys",
        "tony", "assembly", "open", "marathon", "tour", "convention", "olympiad", "biennale",
        "ceremony", "gala", "derby", "series", "bowl", "classic", "show", "expo", NULL};
    const char *lw = strrchr(name, ' ');
    lw = lw ? lw + 1 : name;
    bool event = false;
    for (const char *const *w = events; *w && words; w++)
        event |= strcmp(lw, *w) == 0;
    if (!event || n->value < 1 || n->value > 500)
        return false;
    char *last = strrchr(name, ' ');
    extract_qword_singular(last ? last + 1 : name);
    cl->value = n->value;
    cl->unit = "";
    /* the number names the event: the 79th and the 81st Academy Awards are two events,
       not two outlets' disagreement on one */
    snprintf(cl->what, sizeof cl->what, "edition");
    snprintf(cl->whose, sizeof cl->whose, "%s %g", name, n->value);
    cl->pclass = "held";
    snprintf(cl->subject, sizeof cl->subject, "%s", name);
    return true;
}

/* The unit written after the number's tokens at k ("%", "per cent", "metres", the
   hyphenated "5.1-inch", "6.1 on the Richter scale") or before it ("magnitude 6.1").
   Sets *k past it. Returns the unit or NULL. */
static const char *s_unit_after(const xctx_t *c, size_t *k, size_t i, size_t s0, bool scaled)
{
    size_t nt;
    int kind;
    const char *u;
    if (xtok_punct(c, *k, '-') && c->tok.v[*k - 1].e == c->tok.v[*k].s
        && (u = extract_unit_at(c, *k + 1, scaled, &nt, &kind)) && nt == 1) {
        *k += 2;
        return u;
    }
    if ((u = extract_unit_at(c, *k, scaled, &nt, &kind))) {
        *k += nt;
        return u;
    }
    if (xtok_is(c, *k, "on") && xtok_is(c, *k + 1, "the") && xtok_is(c, *k + 2, "richter")) {
        *k += 4;
        return "magnitude";
    }
    if (i > s0 && xtok_is(c, i - 1, "magnitude"))
        return "magnitude";
    if (i > s0 + 1 && xtok_punct(c, i - 1, '-') && xtok_is(c, i - 2, "magnitude"))
        return "magnitude";
    return NULL;
}

/* True when token k opens a definite set after "of": "of the pirates", "of their best
   players", "of the Saints' 16 games". */
static bool s_partitive_det(const xctx_t *c, size_t k)
{
    static const char *const det[] = {"the", "their", "its", "his", "her", "our", "these",
                                      "those", NULL};
    for (const char *const *d = det; *d; d++)
        if (xtok_is(c, k, *d))
            return true;
    return false;
}

/* Rewrites claim q's key with scope and whose replaced (either may be NULL: kept). */
static void s_rekey(xctx_t *c, extract_quantity_t *q, const char *scope, const char *whose)
{
    char buf[FRAME_KEY_MAX], key[FRAME_KEY_MAX];
    const char *sl[6];
    if (frame_parse(q->key, buf, sizeof buf, sl) != 0)
        return;
    if (scope)
        q->scope = sl[4] = extract_arena_strndup(c->arena, scope, strlen(scope));
    if (whose)
        q->whose = sl[2] = extract_arena_strndup(c->arena, whose, strlen(whose));
    frame_key(key, sizeof key, sl[0], sl[1], sl[2], sl[3], sl[4], sl[5]);
    q->key = extract_arena_strndup(c->arena, key, strlen(key));
}

/* Article-wide fixes once every claim is known. A figure for a part ("89 at the
   Bataclan") keeps its "part:" scope only when the article also gives the whole (same
   unit, what, whose and predicate elsewhere); alone, the venue is just its place. Two
   ages on one generic owner ("the 47-year-old manager", "the 48-year-old manager") are
   two people: each owner gets its age, so neither meets the other's. */
static void s_article_pass(xctx_t *c)
{
    extract_quantity_t *v = c->qty.v;
    for (size_t a = 0; a < c->qty.n; a++) {
        if (strncmp(v[a].scope, "part:", 5) != 0)
            continue;
        bool whole = false;
        for (size_t b = 0; b < c->qty.n && !whole; b++)
            whole = b != a && strncmp(v[b].scope, "part:", 5) != 0 && !v[b].year
                    && strcmp(v[a].unit, v[b].unit) == 0 && strcmp(v[a].what, v[b].what) == 0
                    && strcmp(v[a].whose, v[b].whose) == 0
                    && strcmp(v[a].predicate, v[b].predicate) == 0;
        if (!whole)
            s_rekey(c, &v[a], v[a].place ? v[a].place : "", NULL);
    }
    /* decided on the owners as found, then rewritten */
    bool *two = extract_arena_alloc(c->arena, c->qty.n + 1, 1);
    for (size_t a = 0; a < c->qty.n; a++) {
        if (strcmp(v[a].unit, FRAME_UNIT_YEAR_AGE) != 0 || strchr(v[a].whose, ':'))
            continue;
        for (size_t b = 0; b < c->qty.n && !two[a]; b++)
            two[a] = strcmp(v[b].unit, FRAME_UNIT_YEAR_AGE) == 0
                     && strcmp(v[a].whose, v[b].whose) == 0 && v[a].value != v[b].value;
    }
    for (size_t a = 0; a < c->qty.n; a++) {
        if (!two[a])
            continue;
        char w[128];
        snprintf(w, sizeof w, "%s %g", v[a].whose, v[a].value);
        s_rekey(c, &v[a], NULL, w);
    }
}

/* True when "one" at token i may be a count of one person (kept only for a harm): followed by a person noun ("one
   person was killed", "one officer"), by a predicate of harm, directly or after "was" ("one
   dead", "one was injured"), or standing alone after one ("killing one and wounding two"). Never "one
   of", "one day", "no one", "one another", "the one", "at one point". */
static bool s_one_count(const xctx_t *c, size_t i, size_t s0, size_t s1)
{
    static const char *const persons[] = {"person", "man", "woman", "child", "boy", "girl",
        "victim", "worker", "employee", "officer", "soldier", "civilian", "passenger",
        "student", "resident", "climber", "pilot", "driver", "pedestrian", "policeman",
        "firefighter", "teenager", "member", "tourist", "miner", "sailor", "guard",
        "protester", "customer", "bystander", "motorist", "hiker", "patient", NULL};
    static const char *const harms[] = {"killed", "dead", "died", "injured", "wounded",
        "hurt", "missing", NULL};
    if (!xtok_is(c, i, "one"))
        return false;
    if (i > s0 && (xtok_is(c, i - 1, "no") || xtok_is(c, i - 1, "the") || xtok_is(c, i - 1, "at")
                   || xtok_is(c, i - 1, "any") || xtok_is(c, i - 1, "every")
                   || xtok_is(c, i - 1, "which") || xtok_is(c, i - 1, "this")
                   || xtok_is(c, i - 1, "that") || xtok_is(c, i - 1, "when")
                   || xtok_is(c, i - 1, "if") || xtok_is(c, i - 1, "once")
                   || xtok_is(c, i - 1, "whenever") || (c->tok.v[i - 1].flags & TK_POSS)))
        return false;
    if (i + 1 >= s1)
        return false;
    const char *f = c->tok.v[i + 1].f;
    /* "only one was killed": the auxiliary, then the harm */
    if ((strcmp(f, "was") == 0 || strcmp(f, "is") == 0) && i + 2 < s1)
        f = c->tok.v[i + 2].f;
    for (const char *const *w = persons; *w; w++)
        if (strcmp(f, *w) == 0)
            return true;
    for (const char *const *w = harms; *w; w++)
        if (strcmp(f, *w) == 0)
            return true;
    /* "killing one and wounding two", "killed one." */
    if (i > s0 && (xtok_punct(c, i + 1, ',') || xtok_punct(c, i + 1, '.') || xtok_is(c, i + 1, "and"))) {
        const char *p = extract_qword_pred_tok(c, i - 1);
        return p && extract_qword_human_pred(p);
    }
    return false;
}

void extract_quantity_find(xctx_t *c)
{
    const xtok_t *t = c->tok.v;
    int pubbuf[3];
    const int *pub = s_pub(c, pubbuf);
    c->qty.n = 0;
    for (size_t si = 0; si < c->sent.n; si++) {
        size_t s0 = c->sent.v[si].t0, s1 = c->sent.v[si].t1;
        if (t[s0].flags & (TK_SKIP | TK_TITLE))
            continue;
        /* Dates of the sentence, so their numbers are not counts. */
        extract_date_t dates[8];
        int nd = 0;
        for (size_t i = s0; i < s1 && nd < 8; i++) {
            if (extract_date_may_start(&t[i]) && extract_date_at(c, i, s1, pub, &dates[nd])
                && dates[nd].gran != 'y') {
                i = dates[nd].t1 - 1;
                nd++;
            }
        }
        for (size_t i = s0; i < s1; i++) {
            /* only digits and number words can start a number */
            bool one = s_one_count(c, i, s0, s1);
            /* "a four-day ski tour": a number word glued to a duration */
            if ((t[i].flags & TK_HYPHEN) && !(t[i].flags & TK_NUM) && strchr(t[i].f, '-')
                && extract_qdur_unit(strchr(t[i].f, '-') + 1)) {
                size_t dq0;
                extract_qphrase_bound(c, i, s0, &dq0);
                size_t e = extract_qdur_claim(c, i, 1, dq0, s0, s1, dates, nd);
                if (e)
                    i = e - 1;
                continue;
            }
            if (!(t[i].flags & TK_NUM) && !(t[i].wc & (WC_NUMWORD | WC_VAGUE)) && !one)
                continue;
            bool in_date = false;
            for (int k = 0; k < nd; k++)
                if (i >= dates[k].t0 && i < dates[k].t1)
                    in_date = true;
            size_t c0 = i;
            const char *cur = extract_unit_currency_before(c, i, s0, &c0);
            extract_qnum_t n;
            size_t nt = extract_qnum_read(c, i, s1, cur != NULL, &n);
            if (one) {
                memset(&n, 0, sizeof n);
                n.value = 1;
                nt = n.nt = 1;
            }
            if (!nt)
                continue;
            if (n.notclaim) {
                i += nt - 1;
                continue;
            }
            /* years */
            if ((t[i].flags & TK_NUM) && t[i].e - t[i].s == 4 && n.value >= 1900
                && n.value <= 2100 && nt == 1 && !cur && !n.unit && !n.ordinal && !n.dot) {
                /* a year in a full date ("May 4, 2017") dates a document, it is not the
                   year of an event the sentence reports */
                bool full = false;
                for (int k = 0; k < nd; k++)
                    if (i >= dates[k].t0 && i < dates[k].t1 && dates[k].d)
                        full = true;
                if (!full && !extract_unit_not_claim(c, i, s0, s1))
                    extract_qyear_claim(c, i, s0, s1, (int)n.value);
                continue;
            }
            if (in_date || extract_unit_not_claim(c, i, s0, s1)) {
                i += nt - 1;
                continue;
            }
            extract_qclaim_t cl;
            memset(&cl, 0, sizeof cl);
            cl.n0 = n.dot ? i - 1 : c0;
            cl.n1 = i + nt;
            cl.value = n.value;
            cl.vague = n.vague;
            cl.unit = "";
            if (n.ordinal) {
                if (s_edition(c, &n, i, s1, &cl))
                    extract_qclaim_finish(c, &cl, s0, s1, i + 1, dates, nd);
                continue;
            }
            size_t q0;
            cl.bound = n.vague ? FRAME_EXACT : extract_qphrase_bound(c, cl.n0, s0, &q0);
            if (n.vague)
                q0 = cl.n0;
            size_t k = i + nt;
            const char *unit = cur ? cur : n.unit;
            if (!unit)
                unit = s_unit_after(c, &k, i, s0, n.scaled);
            /* ages */
            if (!unit && !n.vague && n.value >= 1 && n.value <= 120 && n.value == floor(n.value)) {
                size_t ak = extract_age_at(c, i, nt, s0, s1, cl.whose, sizeof cl.whose);
                if (ak) {
                    cl.unit = FRAME_UNIT_YEAR_AGE;
                    snprintf(cl.what, sizeof cl.what, "age");
                    snprintf(cl.subject, sizeof cl.subject, "age");
                    cl.pclass = "age";
                    /* an age is the person's, not the place's or the day's */
                    extract_qclaim_push(c, &cl, s0, s1);
                    i += nt - 1;
                    continue;
                }
            }
            if (!unit && extract_age_form(c, i, nt, s0)) {
                i += nt - 1;   /* an age of no known owner ("the 15-year-old was hurt") */
                continue;
            }
            if (xtok_punct(c, k, '-') && (t[k + 1 < s1 ? k + 1 : k].wc & WC_DURATION)) {
                /* "a 3-day visit" is the visit's span; "a 10-year-old car" nothing */
                size_t e = unit ? 0 : extract_qdur_claim(c, i, nt, q0, s0, s1, dates, nd);
                i = e ? e - 1 : i + nt - 1;
                continue;
            }
            cl.unit = unit ? unit : "";
            /* distances and speeds: "150 nautical miles off Aden", "120 mph" */
            size_t dk;
            if (unit && !cur && extract_qdist_claim(c, unit, q0, k, s0, s1, &cl, &dk)) {
                extract_qclaim_finish(c, &cl, s0, s1, dk, dates, nd);
                i += nt - 1;
                continue;
            }
            /* the set of a part: in "won 18 of its next 23 games" the verb is the 18's */
            if (s_partitive_base(c, q0, s0)) {
                i += nt - 1;
                continue;
            }
            /* counted noun phrase */
            if (unit && xtok_is(c, k, "worth") && xtok_is(c, k + 1, "of"))
                k++;   /* "$108 million worth of diamonds" */
            bool part = false;   /* "12 of the pirates", "10 of the Saints' 16 games" */
            if (k < s1 && xtok_is(c, k, "of") && (n.vague || unit || xtok_is(c, i, "dozen")))
                k++;
            else if (!unit && k + 1 < s1 && xtok_is(c, k, "of") && s_partitive_det(c, k + 1)) {
                k += 2;   /* the noun counted is the set's: its determiner, owner and size go */
                while (k < s1 && (t[k].flags & TK_POSS))
                    k++;
                if (k + 1 < s1 && (t[k].flags & TK_WORD) && xtok_punct(c, k + 1, '\''))
                    k += 2;   /* "the Hawks' 12 matches" */
                if (k < s1 && (t[k].flags & TK_NUM))
                    k++;
                part = true;
            }
            else if (k < s1 && xtok_is(c, k, "in") && cur)
                k++;   /* "€193,000 in damages" */
            if (!part && k < s1 && xtok_is(c, k, "the") && t[k - 1].f[0] == 'o')
                k++;
            char core[128] = "";
            const char *owner = NULL, *np_pred = NULL;
            size_t sub1 = extract_qphrase_np(c, k, s1, unit != NULL, core, sizeof core, cl.subject,
                               sizeof cl.subject, &owner, &np_pred);
            if (sub1 == k)
                sub1 = i + nt;
            const char *head = strrchr(core, ' ');
            head = head ? head + 1 : core;
            /* a player's or a team's figures: "11 rebounds", "15.9 points per game" */
            bool stat = !unit && core[0] && extract_qword_stat(head);
            /* durations ("two weeks") and frequencies are not claims */
            /* a ratio to a limit: "more than five times the legal limit" */
            if (!unit && strcmp(core, "times") == 0 && xtok_is(c, sub1, "the") && !n.vague) {
                size_t h = sub1 + 1;
                char lim[64] = "";
                while (h < s1 && h < sub1 + 4 && (t[h].flags & TK_WORD)
                       && !(t[h].wc & WC_NP_END) && !(t[h].flags & TK_POSS))
                    extract_qword_append(lim, sizeof lim, t[h++].f);
                const char *lh = strrchr(lim, ' ');
                lh = lh ? lh + 1 : lim;
                if (strcmp(lh, "limit") == 0 || strcmp(lh, "level") == 0
                    || strcmp(lh, "average") == 0 || strcmp(lh, "amount") == 0) {
                    cl.unit = "times";
                    snprintf(cl.what, sizeof cl.what, "%s", lim);
                    snprintf(cl.subject, sizeof cl.subject, "%s", lim);
                    cl.pclass = "count";   /* whose level? none named: a weak frame */
                    extract_qclaim_finish(c, &cl, s0, s1, h, dates, nd);
                    i = h - 1;
                    continue;
                }
            }
            /* a span is a duration claim or none: "spent his first 11 seasons" of no one
               named is no count of seasons */
            if (!unit && core[0] && !stat && extract_qdur_unit(head)) {
                size_t e = n.vague ? 0 : extract_qdur_claim(c, i, nt, q0, s0, s1, dates, nd);
                i = e ? e - 1 : i + nt - 1;
                continue;
            }
            if (!unit && core[0] && (extract_lex_bits(head) & WC_DURATION) && !stat) {
                i += nt - 1;
                continue;
            }
            bool human = !core[0] || (extract_lex_bits(head) & WC_HUMAN) != 0;
            size_t l0;
            const char *pred = extract_qphrase_count_pred(c, np_pred, q0, core[0] ? sub1 : i + nt, s0, s1,
                                            human, &l0);
            if (!pred && !core[0] && k < s1 && (t[k].wc & WC_QPRED) && extract_qword_human_pred(extract_qword_pred_tok(c, k)))
                pred = extract_qword_pred_tok(c, k);   /* "40 dead" */
            /* "conspiring to kill two others", "threatened to kill 20": an intent, not a
               toll */
            if (pred && l0 < q0 && l0 > s0 && xtok_is(c, l0 - 1, "to")
                && extract_qword_human_pred(pred) && !xtok_is(c, l0, "death")
                && !extract_qword_noun_pred(c, l0)) {   /* "shot to death one" is done */
                i += nt - 1;
                continue;
            }
            char left[96] = "";
            const char *left_pred = NULL;
            if (!core[0] && !extract_qword_human_pred(pred))
                extract_qphrase_left_noun(c, q0, s0, left, sizeof left, &left_pred);
            if (!core[0] && extract_qword_human_pred(left_pred) && !unit) {
                pred = left_pred;   /* "the death toll rose to 40" */
                left[0] = 0;
            }
            /* a measure of nothing named is no toll: "died after falling about 200ft" */
            if (unit && !core[0] && !left[0] && extract_qword_human_pred(pred)
                && strcmp(unit, FRAME_UNIT_PERCENT) != 0 && !cur) {
                i += nt - 1;
                continue;
            }
            if (!unit && strstr(core[0] ? core : left, "alcohol"))
                unit = FRAME_UNIT_PERCENT;   /* blood alcohol is given in percent */
            cl.unit = unit ? unit : "";
            /* a left noun gives no count by itself ("a lead of 3"), but an audience is
               one ("an audience of 32 million") */
            const char *lw = strrchr(left, ' ');
            bool audience = !core[0] && !unit && strcmp(lw ? lw + 1 : left, "audience") == 0;
            if (audience)
                snprintf(left, sizeof left, "audience");
            if (!core[0] && !unit && !extract_qword_human_pred(pred) && !audience) {
                i += nt - 1;   /* a number that says nothing of what it counts */
                continue;
            }
            if (!core[0] && unit && !left[0] && strcmp(cl.unit, "magnitude") != 0
                && (!pred || strcmp(pred, "have") == 0)) {
                i += nt - 1;   /* "40%" of nothing named */
                continue;
            }
            /* "the 12 Turkish observation posts": a definite count of what exists */
            bool definite = q0 > s0 && (xtok_is(c, q0 - 1, "the") || xtok_is(c, q0 - 1, "its")
                                        || xtok_is(c, q0 - 1, "their")
                                        || (t[q0 - 1].flags & TK_POSS));
            if (!pred || (definite && strcmp(pred, "killed") != 0 && strcmp(pred, "wounded") != 0
                          && strcmp(pred, "aboard") != 0))
                pred = definite ? "have" : (pred ? pred : "count");
            /* what: the head lemma with its modifiers, or people for a bare number */
            if (core[0]) {
                char *last = strrchr(core, ' ');
                extract_qword_lemma(last ? last + 1 : core);
                snprintf(cl.what, sizeof cl.what, "%s", core);
            } else if (left[0]) {
                snprintf(cl.what, sizeof cl.what, "%s", left);
            } else if (!unit) {
                snprintf(cl.what, sizeof cl.what, "people");
                snprintf(cl.subject, sizeof cl.subject, "people");
            }
            /* an audience: "32 million viewers" = "32 million people tuned in" = "an
               audience of 32 million" */
            if (!unit && (strcmp(cl.what, "audience") == 0 || strcmp(cl.what, "tv viewer") == 0
                          || (strcmp(cl.what, "people") == 0
                              && extract_qword_viewing(c, core[0] ? sub1 : i + nt, s1))))
            {
                snprintf(cl.what, sizeof cl.what, "viewer");
                if (strcmp(pred, "have") == 0)
                    pred = "count";   /* "the show had an audience of" */
            }
            /* heads that name the outcome: "98 survivors", "40 deaths", "40 fatalities" */
            if (!unit) {
                const char *last = strrchr(cl.what, ' ');
                const char *hp = extract_qword_head_pred(last ? last + 1 : cl.what);
                if (hp && (strcmp(pred, "have") == 0 || strcmp(pred, "count") == 0))
                    pred = hp;
                if (hp && strcmp(hp, pred) == 0 && strcmp(hp, "survived") != 0)
                    snprintf(cl.what, sizeof cl.what, "people");
            }
            /* the victims of a harm are its people: "one victim died" = "one person
               was killed" (not "man", "woman": a toll of men is part of one of people) */
            if (!unit && strcmp(cl.what, "victim") == 0 && extract_qword_human_pred(pred)
                && strcmp(pred, "have") != 0)
                snprintf(cl.what, sizeof cl.what, "people");
            /* a sum agreed for a player, a job or a firm: "an $80 million contract" = "an
               $82 million deal" = "a contract extension", whatever its modifiers */
            bool contract = cur && core[0] && extract_qword_contract(head);
            if (contract) {
                snprintf(cl.what, sizeof cl.what, "contract");
                if (strcmp(pred, "have") == 0)
                    pred = "count";
            }
            /* "a mother of 12 was killed": her children, not the dead */
            if (!unit && !core[0] && q0 > s0 + 1 && xtok_is(c, q0 - 1, "of")
                && extract_qword_parent(t[q0 - 2].f)) {
                snprintf(cl.what, sizeof cl.what, "child");
                snprintf(cl.subject, sizeof cl.subject, "children");
                pred = "have";
            }
            /* a count of one is a fact only of harm: "one person was arrested" is as
               often one of many arrests the story tells apart */
            if (one && strcmp(pred, "killed") != 0 && strcmp(pred, "wounded") != 0
                && strcmp(pred, "missing") != 0) {
                i += nt - 1;
                continue;
            }
            /* "have confiscated 14 rifles" is "confiscated 14 rifles": an auxiliary, not
               a possession */
            if (strcmp(pred, "have") == 0 && l0 + 1 < q0 && s_participle(t[l0 + 1].f))
                pred = "count";
            cl.pclass = pred;
            /* whose */
            if (!extract_qphrase_possessive(c, q0, s0, cl.whose, sizeof cl.whose)) {
                if (owner) {
                    char f[64];
                    extract_text_fold((const uint8_t *)owner, strlen(owner), f, sizeof f);
                    snprintf(cl.whose, sizeof cl.whose, "loc:%s", f);
                } else if (strcmp(pred, "aboard") == 0) {
                    int craft = extract_qyear_aboard_craft(c, s0, i, sub1, s1);
                    /* without the kind prefix: "the Coral Wren had" may not know it
                       for a craft */
                    if (craft >= 0)
                        snprintf(cl.whose, sizeof cl.whose, "%s", c->ent.v[craft].key + 4);
                } else if (!extract_qword_human_pred(pred)) {
                    extract_qphrase_subject_owner(c, l0, s0, cl.whose, sizeof cl.whose,
                                    stat || contract || strcmp(pred, "have") == 0);
                }
            }
            if (stat) {
                /* "needed 9 points" is no figure yet; "averaged 22.8 points" is per game;
                   "his first 17 passes" are a run, not the game's */
                bool need = false;
                for (size_t q = q0; q > s0 && q + 4 > q0; q--) {
                    const char *f = t[q - 1].f;
                    need |= strcmp(f, "needed") == 0 || strcmp(f, "needs") == 0
                            || strcmp(f, "need") == 0;
                    if (strncmp(f, "averag", 6) == 0)
                        cl.rate = "per game";
                }
                if (need) {
                    i += nt - 1;
                    continue;
                }
                if (q0 > s0 && (xtok_is(c, q0 - 1, "first") || xtok_is(c, q0 - 1, "last")
                                || xtok_is(c, q0 - 1, "final") || xtok_is(c, q0 - 1, "opening"))) {
                    char w[96];
                    snprintf(w, sizeof w, "%s %s", t[q0 - 1].f, cl.what);
                    snprintf(cl.what, sizeof cl.what, "%s", w);
                }
            }
            if (stat && strcmp(cl.pclass, "have") == 0)
                cl.pclass = "count";   /* "had 11 rebounds" = "grabbed 11 rebounds" */
            /* a measure is had by what it measures: "had a level of 0.3 percent" = "its
               level was 0.3 percent" */
            if (cl.unit[0] && strcmp(cl.pclass, "have") == 0)
                cl.pclass = "count";
            if (stat && !cl.whose[0]) {
                i += nt - 1;   /* whose points? without an owner they merge players */
                continue;
            }
            extract_qclaim_finish(c, &cl, s0, s1, sub1, dates, nd);
            i += nt - 1;
        }
    }
    s_article_pass(c);
}
