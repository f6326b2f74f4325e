/*  extract_qphrase (see extract_qphrase.h). */
#include "extract_qphrase.h"
#include "extract_qword.h"
#include "extract_age.h"
#include "extract_text.h"

#include <stdio.h>
#include <string.h>

frame_bound_t extract_qphrase_bound(const xctx_t *c, size_t b, size_t s0, size_t *q0)
{
#define W(k, s) (b >= s0 + (k) && xtok_is(c, b - (k), s))
    static const struct { const char *a, *b, *c; frame_bound_t bound; } phrases[] = {
        {"as", "many", "as", FRAME_UPTO}, {"as", "much", "as", FRAME_UPTO},
        {"in", "excess", "of", FRAME_ATLEAST}, {"no", "more", "than", FRAME_UPTO},
        {"no", "fewer", "than", FRAME_ATLEAST}, {"no", "less", "than", FRAME_ATLEAST},
        {NULL, "more", "than", FRAME_ATLEAST}, {NULL, "greater", "than", FRAME_ATLEAST},
        {NULL, "fewer", "than", FRAME_UPTO}, {NULL, "less", "than", FRAME_UPTO},
        {NULL, "at", "least", FRAME_ATLEAST}, {NULL, "at", "most", FRAME_UPTO},
        {NULL, "up", "to", FRAME_UPTO}, {NULL, "upwards", "of", FRAME_ATLEAST},
        {NULL, "upward", "of", FRAME_ATLEAST}, {NULL, "close", "to", FRAME_NEARLY},
        {NULL, "just", "under", FRAME_NEARLY}, {NULL, "just", "over", FRAME_ATLEAST},
        {NULL, "well", "over", FRAME_ATLEAST}, {NULL, "an", "estimated", FRAME_ABOUT},
        {NULL, NULL, "over", FRAME_ATLEAST}, {NULL, NULL, "upwards", FRAME_ATLEAST},
        {NULL, NULL, "nearly", FRAME_NEARLY}, {NULL, NULL, "almost", FRAME_NEARLY},
        {NULL, NULL, "about", FRAME_ABOUT}, {NULL, NULL, "around", FRAME_ABOUT},
        {NULL, NULL, "some", FRAME_ABOUT}, {NULL, NULL, "approximately", FRAME_ABOUT},
        {NULL, NULL, "roughly", FRAME_ABOUT}, {NULL, NULL, "estimated", FRAME_ABOUT},
        {NULL, NULL, "approx", FRAME_ABOUT}, {NULL, NULL, "circa", FRAME_ABOUT},
    };
    *q0 = b;
    for (size_t k = 0; k < sizeof phrases / sizeof *phrases; k++) {
        int n = phrases[k].a ? 3 : phrases[k].b ? 2 : 1;
        if (!W(1, phrases[k].c) || (n >= 2 && !W(2, phrases[k].b)) || (n == 3 && !W(3, phrases[k].a)))
            continue;
        *q0 = b - (size_t)n;
        return phrases[k].bound;
    }
    return FRAME_EXACT;
#undef W
}

size_t extract_qphrase_np(const xctx_t *c, size_t k, size_t s1, bool unit, char *core, size_t ccap,
                   char *subject, size_t scap, const char **owner, const char **pred)
{
    const xtok_t *t = c->tok.v;
    int words = 0;
    size_t end = k;
    core[0] = subject[0] = 0;
    if (xtok_is(c, k, "others") || xtok_is(c, k, "more"))
        return k + 1;   /* "wounding 352 others": people, said by the predicate */
    while (k < s1 && words < 4) {
        const xtok_t *w = &t[k];
        /* a model designation written with a space, "six AK 47 rifles": one word, as
           "AK-47" is, and its number no count */
        if ((w->flags & TK_ALLCAP) && w->e - w->s <= 3 && k + 2 < s1 &&
            (t[k + 1].flags & TK_NUM) && t[k + 1].s == w->e + 1 && t[k + 1].e - t[k + 1].s <= 3 &&
            strspn(t[k + 1].f, "0123456789") == strlen(t[k + 1].f) &&
            (t[k + 2].flags & TK_WORD) && !(t[k + 2].flags & TK_ALLCAP)) {
            char model[16];
            snprintf(model, sizeof model, "%s-%s", w->f, t[k + 1].f);
            extract_qword_append(core, ccap, model);
            extract_qword_append(subject, scap, model);
            words++;
            k += 2;
            end = k;
            continue;
        }
        if (!(w->flags & TK_WORD) || (w->flags & TK_POSS) || (w->wc & (WC_NP_END | WC_UNIT)))
            break;
        const char *pp = extract_qword_qpred(c, k, words > 0 && (t[k - 1].wc & WC_HUMAN));
        if (pp && words > 0 && strcmp(pp, "have") != 0) {
            *pred = pp;
            break;
        }
        if (pp && (strcmp(pp, "have") == 0 || words == 0))
            break;   /* "40 dead", "352 injured": no noun, the word is the predicate */
        /* "sailors shocked the town": a participle after the head ends it */
        size_t fl = strlen(w->f);
        if (fl > 3 && strcmp(w->f + fl - 2, "ed") == 0 && (words > 0 || unit))
            break;
        /* after a plural head only another plural goes on ("sales managers"); else it
           is a verb or a clause ("greeks demonstrate", "species waiting") */
        if (words > 0 && extract_qword_plural(t[k - 1].f) && !extract_qword_plural(w->f))
            break;
        if (xtok_is(c, k, "how") || xtok_is(c, k, "what") || xtok_is(c, k, "why"))
            break;
        if (w->ent >= 0 && c->ent.v[w->ent].kind == 'p')
            break;   /* "mother of 13 Zurana Horton": a name is no counted noun */
        bool dem = false;
        const char *ctry = extract_qword_country(c, k, &dem);
        if (ctry && (w->flags & TK_CAP))
            *owner = ctry;
        else if (strcmp(w->f, "total") != 0)   /* "32 million total viewers" */
            extract_qword_append(core, ccap, w->f);
        extract_qword_append(subject, scap, w->f);
        words++;
        k++;
        end = k;
    }
    return end;
}

bool extract_qphrase_left_noun(const xctx_t *c, size_t b, size_t s0, char *out, size_t cap,
                        const char **pred)
{
    const xtok_t *t = c->tok.v;
    size_t k = b;
    int links = 0;
    out[0] = 0;
    while (k > s0 && links < 3 && (t[k - 1].wc & WC_QLINK) && (t[k - 1].flags & TK_WORD)) {
        k--;
        links++;
    }
    if (!links)
        return false;
    size_t h1 = k, h0 = k;
    while (h0 > s0 && h1 - h0 < 3 && (t[h0 - 1].flags & TK_WORD) && !(t[h0 - 1].flags & TK_CAP)
           && !(t[h0 - 1].flags & TK_POSS) && !(t[h0 - 1].wc & (WC_NP_END | WC_NUMWORD)))
        h0--;
    if (h0 == h1)
        return false;
    for (size_t q = h0; q < h1; q++) {
        const char *pp = extract_qword_pred_tok(c, q);
        if (pp && strcmp(pp, "have") != 0)
            *pred = pp;
        extract_qword_append(out, cap, t[q].f);
    }
    return true;
}

bool extract_qphrase_possessive(const xctx_t *c, size_t b, size_t s0, char *out, size_t cap)
{
    const xtok_t *t = c->tok.v;
    if (b < s0 + 2 || !(t[b - 1].flags & TK_POSS) || !(t[b - 2].flags & TK_WORD))
        return false;
    bool dem = false;
    const char *ctry = extract_qword_country(c, b - 2, &dem);
    char f[96];
    if (ctry) {
        extract_text_fold((const uint8_t *)ctry, strlen(ctry), f, sizeof f);
        snprintf(out, cap, "loc:%s", f);
    } else if (t[b - 2].ent >= 0) {
        extract_age_owner(c, t[b - 2].ent, out, cap);
    } else {
        snprintf(out, cap, "%s", t[b - 2].f);
    }
    return true;
}

const char *extract_qphrase_count_pred(const xctx_t *c, const char *in_np, size_t q0, size_t sub1,
                                size_t s0, size_t s1, bool human, size_t *l0)
{
    const xtok_t *t = c->tok.v;
    const char *pred = in_np;
    *l0 = q0;
    if (pred)
        return pred;
    if (q0 > s0) {
        const char *pp = extract_qword_qpred(c, q0 - 1, human);
        size_t fl = strlen(t[q0 - 1].f);
        bool verb = fl > 3 && (strcmp(t[q0 - 1].f + fl - 3, "ing") == 0
                               || strcmp(t[q0 - 1].f + fl - 2, "ed") == 0);
        if (pp && strcmp(pp, "have") != 0 && (verb || !(t[q0 - 1].wc & WC_NP_END))) {
            *l0 = q0 - 1;
            return pp;
        }
    }
    for (size_t q = sub1; q < s1 && q < sub1 + 8; q++) {
        if (xtok_punct(c, q, ',') || xtok_punct(c, q, ';'))
            break;
        /* "... and wounding 352": the next clause's verb is its number's */
        if (xtok_is(c, q, "and") && extract_qword_pred_tok(c, q + 1) && q + 2 < s1
            && ((t[q + 2].flags & TK_NUM) || (t[q + 2].wc & (WC_NUMWORD | WC_APPROX | WC_VAGUE))))
            break;
        if (q > sub1 && ((t[q].flags & TK_NUM) || (t[q].wc & WC_NUMWORD)))
            break;
        if (human && xtok_is(c, q, "on") && xtok_is(c, q + 1, "board")) {
            pred = "aboard";   /* "had 112 people on board" */
            break;
        }
        const char *pp = extract_qword_qpred(c, q, human);
        /* a noun ("the death sentence") or a gerund ("accused of killing") to the right
           says nothing of what happened to the counted */
        if (pp && extract_qword_noun_pred(c, q))
            continue;
        if (pp && q > sub1 && (xtok_is(c, q - 1, "of") || xtok_is(c, q - 1, "for")
                               || xtok_is(c, q - 1, "in")))
            break;
        if (pp) {
            /* "have been killed": the auxiliary is not the predicate */
            if (strcmp(pp, "have") == 0) {
                if (!pred)
                    pred = pp;
                continue;
            }
            if (strcmp(pp, "lost") == 0 && xtok_is(c, q + 2, "lives"))
                pp = "killed";   /* "lost their lives" */
            return pp;
        }
    }
    if (!pred || strcmp(pred, "have") == 0) {
        for (size_t q = q0; q > s0 && q + 6 > q0; q--) {
            const char *pp = extract_qword_qpred(c, q - 1, human);
            /* "the death penalty and three voting" is no toll, "the deaths of 33" is */
            if (pp && extract_qword_noun_pred(c, q - 1) && !xtok_is(c, q, "of"))
                pp = NULL;
            if (pp && (!pred || strcmp(pp, "have") != 0)) {
                *l0 = q - 1;
                return pp;
            }
            if (xtok_punct(c, q - 1, ',') || xtok_punct(c, q - 1, ';'))
                break;
        }
    }
    return pred;
}

/* The person of the last person mention before token k, or -1. */
static int s_last_person(const xctx_t *c, size_t k)
{
    int best = -1;
    for (size_t m = 0; m < c->men.n && c->men.v[m].t1 <= k; m++)
        if (c->ent.v[c->men.v[m].ent].kind == 'p')
            best = c->men.v[m].ent;
    return best;
}

bool extract_qphrase_subject_owner(const xctx_t *c, size_t l0, size_t s0, char *out, size_t cap,
                            bool have)
{
    const xtok_t *t = c->tok.v;
    for (size_t q = l0; q > s0 && q + 6 > l0; q--) {
        int e = t[q - 1].ent;
        /* "He scored 22 points": the last person named before */
        if (e < 0 && (xtok_is(c, q - 1, "he") || xtok_is(c, q - 1, "she"))) {
            e = s_last_person(c, q - 1);
            if (e < 0)
                return false;
            extract_age_owner(c, e, out, cap);
            return true;
        }
        if (e >= 0 && c->ent.v[e].kind == 'l') {
            const char *ctry = extract_qword_country(c, q - 1, NULL);
            if (!ctry)
                return false;
            char f[64];
            extract_text_fold((const uint8_t *)ctry, strlen(ctry), f, sizeof f);
            snprintf(out, cap, "loc:%s", f);
            return true;
        }
        /* "Onuaku totaled 14 points": a person's figures are the person's; other
           named things own only what they have */
        if (e >= 0 && (c->ent.v[e].kind == 'p' || have)) {
            extract_age_owner(c, e, out, cap);
            return true;
        }
        /* "signed a five-year, $80 million contract": a comma between adjectives */
        if (xtok_punct(c, q - 1, ',') && q >= 2 && (t[q - 2].flags & TK_HYPHEN)
            && (extract_lex_bits(strrchr(t[q - 2].f, '-') + 1) & WC_DURATION))
            continue;
        if (t[q - 1].flags & TK_PUNCT)
            break;
    }
    return false;
}
