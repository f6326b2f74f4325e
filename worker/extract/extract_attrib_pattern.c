/*  extract_attrib_pattern: the attribution patterns of extract_attrib.h, tried at each
    cue token (quotations, subjects and clauses around a verb, noun cues after a
    possessive, passives with an agent, light verbs) and at each sentence (headline and
    transcript colons, "In a poll, C"). Part of extract_attrib (extract_attrib.h); see
    extract_attrib_internal.h. */

#include "extract_attrib_internal.h"
#include "extract_entity.h"

#include <string.h>

/* Is the quote q a real quotation (more than a scare-quoted word or two)? */
static bool s_quote_real(const xctx_t *c, int q)
{
    return q >= 0 && c->quote.v[q].t1 - c->quote.v[q].t0 >= 5;
}

/* Is token k a determiner, so that a participle after it is an adjective ("the pledged
   delegates")? A possessive "'s" may be "has" and a number a year, so they don't count. */
static bool s_adjective_context(const xctx_t *c, size_t k)
{
    static const char *const det[] = {"the", "a", "an", "his", "its", "their", "our", "my",
        "your", "every", "such", NULL};
    const xtok_t *t = T(c, k);
    return (t->flags & TK_WORD) && xat_in(t->f, det);
}

/* Can token k end a subject or stand between a subject and its verb, so that a base
   form after it is a finite verb? Not after a determiner, a possessive, "to" or a
   preposition ("his support", "to see", "in support"). */
static bool s_subject_before(const xctx_t *c, size_t k)
{
    static const char *const no[] = {"the", "a", "an", "his", "her", "its", "their", "our",
        "my", "your", "this", "to", "of", "for", "in", "on", "with", "by", "from", "at",
        "about", "and", "or", "as", "into", "over", "without", "no", "any", "every", "each",
        "whose", "strong", "broad", "public", "full", "more", "less", "most", NULL};
    const xtok_t *t = T(c, k);
    if (t->flags & (TK_POSS | TK_NUM))
        return false;
    if (!(t->flags & TK_WORD))
        return false;
    return !xat_in(t->f, no);
}

/* The possessor of the noun at token i, over up to two modifiers ("his repeated
   criticism", "Trump's recent comments"): sets [*a, *b) (with the "'s") and returns true,
   or returns false when no possessive stands there. */
static bool s_possessor(const xctx_t *c, size_t s0, size_t i, size_t *a, size_t *b)
{
    static const char *const poss[] = {"his", "her", "their", "its", "our", "my", NULL};
    size_t k = i;
    for (int m = 0; m < 3 && k > s0; m++, k--) {
        const xtok_t *p = T(c, k - 1);
        if ((p->flags & TK_WORD) && xat_in(p->f, poss)) {
            *a = k - 1;
            *b = k;
            return true;
        }
        if (p->flags & TK_POSS) {
            /* a name ("Mayor Holt's"), or a determiner and a noun ("the campaign's") */
            size_t n0 = k - 1;
            while (n0 > s0 && ((T(c, n0 - 1)->flags & TK_CAP)
                               || (xtok_punct(c, n0 - 1, '.') && n0 - 1 > s0
                                   && extract_entity_is_title(T(c, n0 - 2)->f))))
                n0--;
            if (n0 == k - 1 && n0 > s0 && (T(c, n0 - 1)->flags & TK_WORD)) {
                n0--;
                if (n0 > s0 && (xtok_is(c, n0 - 1, "the") || xtok_is(c, n0 - 1, "a")))
                    n0--;
            }
            if (n0 >= k - 1)
                return false;
            *a = n0;
            *b = k;
            return true;
        }
        if (!(p->flags & TK_WORD) || (p->flags & TK_CAP) || xat_in(p->f, xat_np_stop)
            || xat_cue_lookup(p->f, p->hash) != ATTRIB_CUE_NONE)
            return false;
    }
    return false;
}

/* "his comments on C", "Trump's call for C", "her claim that C", "their pledge to C":
   a noun cue after a possessive. Returns true when one was emitted. */
static bool s_try_noun(xctx_t *c, xat_state_t *st, size_t i, size_t s0, size_t s1)
{
    static const char *const prep[] = {"of", "for", "about", "on", "against", "regarding",
        "over", "that", "to", NULL};
    size_t a, b;
    if (i + 2 >= s1 || !xat_in(T(c, i + 1)->f, prep) || !s_possessor(c, s0, i, &a, &b))
        return false;
    size_t ct0 = xtok_is(c, i + 1, "to") ? i + 1 : i + 2;
    size_t ct1 = xtok_is(c, i + 1, "that") || xtok_is(c, i + 1, "to")
                     ? xat_content_end(c, ct0, s1) : xat_noun_content_end(c, ct0, s1);
    if (ct1 <= ct0)
        return false;
    xat_emit(c, st, i, xtok_is(c, i + 1, "that") || xtok_is(c, i + 1, "to") ? i + 1 : i + 2,
             a, b, ct0, ct1, 0, 0, false);
    return true;
}

/* Does quotation q end what was said, or does a preposition carry it on ("said “we need
   more information” about C")? */
static bool s_quote_ends_clause(const xctx_t *c, int q, size_t send)
{
    size_t e = c->quote.v[q].t1;
    if (e >= send || e >= c->tok.n)
        return true;
    const xtok_t *t = T(c, e);
    static const char *const prep[] = {"about", "of", "for", "to", "on", "in", "over",
        "with", "from", "at", "by", "than", NULL};
    if ((t->flags & (TK_PUNCT | TK_SSTART | TK_PARA)) || t->sent != T(c, e - 1)->sent)
        return true;
    /* a preposition goes on with what was said; a new clause does not */
    return !xat_in(t->f, prep);
}

/* Is token i inside a title-case run: capitalized words on both sides of it? */
static bool s_title_case(const xctx_t *c, size_t i, size_t send)
{
    return i > 0 && i + 2 < send && (T(c, i - 1)->flags & TK_CAP)
           && (T(c, i + 1)->flags & TK_CAP) && (T(c, i + 2)->flags & TK_CAP)
           && !(T(c, i - 1)->flags & TK_ALLCAP);
}

/* A passive cue with its agent: "O'Malley's move was first reported by MSNBC", "Pigs are
   considered unclean by some groups". The speaker is the noun phrase after "by", the
   content the subject. Returns true when one was emitted. */
static bool s_try_passive(xctx_t *c, xat_state_t *st, size_t i, size_t s0, size_t s1)
{
    static const char *const be[] = {"is", "are", "was", "were", "be", "been", "being",
        NULL};
    size_t j = i;
    while (j > s0 && xat_is_aux(c, j - 1) && !xat_in(T(c, j - 1)->f, be))
        j--;
    if (j == s0 || !xat_in(T(c, j - 1)->f, be))
        return false;
    size_t by = i + 1;
    while (by < s1 && by - i <= 4 && (T(c, by)->flags & TK_WORD) && !xtok_is(c, by, "by"))
        by++;
    if (by + 1 >= s1 || !xtok_is(c, by, "by"))
        return false;
    size_t sp0 = by + 1, sp1 = xat_np_right(c, sp0, s1, true);
    while (sp1 + 1 < s1 && sp1 > sp0 && (xtok_is(c, sp1, "of") || xtok_is(c, sp1, "at")))
        sp1 = xat_np_right(c, sp1 + 1, s1, true);
    /* the subject: over the rest of the auxiliaries */
    size_t k = j - 1;
    while (k > s0 && xat_is_aux(c, k - 1))
        k--;
    size_t ct0 = xat_np_left(c, s0, k);
    if (sp1 <= sp0 || ct0 >= k)
        return false;
    xat_emit(c, st, i, i + 1, sp0, sp1, ct0, k, 0, 0, false);
    return true;
}

/* The end of a light verb's cue ("made [it] clear", "made the case", "made similar
   comments about"): past the noun of saying within four words, and a preposition after
   it. Returns 0 when there is none. */
static size_t s_light_end(const xctx_t *c, size_t i, size_t send)
{
    static const char *const heads[] = {"clear", "case", "point", "observation",
        "argument", "comments", "comment", "statements", "statement", "remarks", "remark",
        "charges", "allegations", "claims", "claim", "plea", "call", "commitment", "promise",
        "pledge", "appeal", "accusations", "accusation", "suggestion", "prediction",
        "predictions", "vow", "announcement", "assurances", "assertion", "speech", "address",
        "letter", "answer", "response", "apology", "warning", "warnings", "message", NULL};
    static const char *const prep[] = {"about", "on", "against", "for", "of", "to", NULL};
    for (size_t k = i + 1; k < send && k <= i + 4; k++) {
        const xtok_t *t = T(c, k);
        if (!(t->flags & TK_WORD) || (t->flags & TK_CAP))
            return 0;
        if (xat_in(t->f, heads)) {
            if (k + 1 < send && xat_in(T(c, k + 1)->f, prep))
                k++;
            return k + 1;
        }
    }
    return 0;
}

void xat_try_cue(xctx_t *c, xat_state_t *st, size_t i, const xsent_t *s, const int *pub)
{
    const xtok_t *t = c->tok.v;
    int cls = xat_cue_lookup(t[i].f, t[i].hash);
    if ((cls & CUE_NOUN) && !(t[i].flags & TK_CAP) && i > s->t0
        && !(t[i].quote >= 0 && s_quote_real(c, t[i].quote))
        && s_try_noun(c, st, i, s->t0, s->t1))
        return;
    bool obj = cls & CUE_OBJ;
    bool about = cls & CUE_ABOUT;
    size_t light_end = 0;
    if (cls & CUE_LIGHT) {
        light_end = s_light_end(c, i, s->t1);
        if (!light_end)
            return;
        cls = ATTRIB_CUE_VERB | (cls & CUE_BASE);
    }
    /* a base form is a verb after a subject, and not in a phrasal verb ("show up") */
    if ((cls & CUE_BASE) && (i == s->t0 || !s_subject_before(c, i - 1)
                             || (i + 1 < s->t1 && (xtok_is(c, i + 1, "up")
                                                   || xtok_is(c, i + 1, "off")))))
        return;
    if (about && !(i + 2 < s->t1 && (xtok_is(c, i + 1, "about") || xtok_is(c, i + 1, "of")
                                     || xtok_is(c, i + 1, "on"))))
        return;
    cls &= 0xF;
    size_t s0 = s->t0, s1 = s->t1;
    /* A capitalized cue only opens a sentence ("According to ...") or stands in a
       headline, or in a title-case line of the body ("Rubio Says He Will Stay In"). */
    if (cls == ATTRIB_CUE_NONE
        || ((t[i].flags & TK_CAP) && !(t[i].flags & TK_TITLE) && i != s0
            && !(i > s0 && (t[i - 1].flags & TK_QUOTE))
            && !(s_title_case(c, i, s->t1) && !(xat_cue_lookup(t[i].f, t[i].hash) & CUE_BASE))))
        return;
    /* A participle after a determiner is an adjective. */
    size_t len = strlen(t[i].f);
    if (i > s0 && len > 3 && strcmp(t[i].f + len - 2, "ed") == 0 && s_adjective_context(c, i - 1))
        return;
    /* A cue inside a real quotation is part of what was said. */
    if (t[i].quote >= 0 && s_quote_real(c, t[i].quote) && !(t[i].flags & TK_QUOTE))
        return;
    /* "appeared on a show", "appeared together at a rally": showing up, not seeming */
    if (i + 1 < s1 && (xtok_is(c, i, "appeared") || xtok_is(c, i, "appears")
                       || xtok_is(c, i, "appear") || xtok_is(c, i, "appearing"))) {
        static const char *const place[] = {"on", "at", "in", "with", "before", "together",
            "alongside", "onstage", "live", "during", "first", "briefly", NULL};
        if (xat_in(t[i + 1].f, place))
            return;
    }

    if (cls == ATTRIB_CUE_ACCORD) {
        if (i + 1 >= s1 || !xtok_is(c, i + 1, "to"))
            return;
        size_t sp0 = i + 2, sp1 = xat_np_right(c, sp0, s1, false);
        /* "according to X of Y" */
        while (sp1 + 1 < s1 && (xtok_is(c, sp1, "of") || xtok_is(c, sp1, "at") || xtok_is(c, sp1, "for")))
            sp1 = xat_np_right(c, sp1 + 1, s1, false);
        if (sp1 <= sp0)
            return;
        size_t ct0, ct1;
        bool direct = false;
        /* content before: "C, according to X" (or a quote right before) */
        size_t k = i;
        while (k > s0 && (xtok_punct(c, k - 1, ',') || (t[k - 1].flags & TK_QUOTE)))
            k--;
        if (k > s0 || (k == s0 && k > 0 && t[k].quote >= 0 && t[i - 1].flags & TK_QUOTE)) {
            int q = t[i - 1].quote >= 0 ? t[i - 1].quote : (i >= 2 ? t[i - 2].quote : -1);
            if (q >= 0 && s_quote_real(c, q) && c->quote.v[q].t1 <= i) {
                ct0 = c->quote.v[q].t0;
                ct1 = c->quote.v[q].t1;
                direct = true;
            } else {
                ct0 = s0;
                ct1 = k;
                if (t[s0].quote >= 0 && c->quote.v[t[s0].quote].t0 < s0 && s_quote_real(c, t[s0].quote)) {
                    ct0 = c->quote.v[t[s0].quote].t0;
                    direct = true;
                }
            }
        } else {
            /* "According to X, C" */
            ct0 = sp1;
            while (ct0 < s1 && (xtok_punct(c, ct0, ',') || xtok_punct(c, ct0, ':')))
                ct0++;
            ct1 = xat_content_end(c, ct0, s1);
        }
        xat_emit(c, st, i, i + 2, sp0, sp1, ct0, ct1, 0, 0, direct);
        return;
    }

    /* "Asked whether C, X said ...", "... when asked about C": the question is an
       attribution of its own, with the asker unnamed. */
    if (xtok_is(c, i, "asked") && i + 2 < s1
        && (i == xat_subject_start(c, s0, s0) || xtok_is(c, i - 1, "when")
            || xtok_is(c, i - 1, "after") || xtok_is(c, i - 1, "if"))) {
        static const char *const wh[] = {"if", "whether", "what", "why", "how", "who",
            "when", "where", "which", "about", "to", NULL};
        /* over adjuncts: "Asked on Fox News who ...", "Asked specifically what ..." */
        size_t ct0 = i + 1;
        while (ct0 < s1 && ct0 - i <= 6 && !xat_in(t[ct0].f, wh) && !(t[ct0].flags & TK_PUNCT))
            ct0++;
        if (ct0 < s1 && xtok_is(c, ct0, "about"))
            ct0++;
        else if (ct0 >= s1 || !xat_in(t[ct0].f, wh))
            ct0 = s1;
        /* to the comma that closes the clause, or a quotation that ends with one */
        size_t ct1 = ct0;
        while (ct1 < s1 && !(t[ct1].quote < 0 && (xtok_punct(c, ct1, ',') || xtok_punct(c, ct1, ';')))) {
            if ((t[ct1].flags & TK_QCLOSE) && xtok_punct(c, ct1 - 1, ',')) {
                ct1++;
                break;
            }
            ct1++;
        }
        if (ct0 < s1 && ct1 < s1 && ct1 > ct0) {
            xat_emit(c, st, i, i + 1, 0, 0, ct0, ct1, 0, 0, false);
            return;
        }
    }

    /* "C was reported by X", "C has been criticized by X": the agent speaks */
    if (s_try_passive(c, st, i, s0, s1))
        return;

    /* Left subject, after auxiliaries and adverbs. */
    size_t j = i;
    while (j > s0 && xat_is_aux(c, j - 1))
        j--;
    if (j > s0 && j < i && xtok_is(c, j - 1, "on"))
        while (j > s0 && (xtok_is(c, j - 1, "on") || xat_is_aux(c, j - 1)))
            j--;
    /* "X, who ..., said" and "X - including Y - said": step over the aside. */
    if (j > s0 + 1 && (xtok_punct(c, j - 1, '-') || xtok_is(c, j - 1, "\xe2\x80\x94"))) {
        size_t k = j - 1;
        while (k > s0 && !(xtok_punct(c, k - 1, '-') || xtok_is(c, k - 1, "\xe2\x80\x94")) && j - k < 20)
            k--;
        if (k > s0 + 1 && j - k < 20)
            j = k - 1;
    }
    size_t sp0 = xat_np_left(c, s0, j), sp1 = j;
    /* "38 percent who said", "the group, which said": the antecedent speaks. */
    if (sp0 == sp1 && j > s0 + 1 && (xtok_is(c, j - 1, "who") || xtok_is(c, j - 1, "which"))) {
        size_t k = j - 1;
        while (k > s0 && (xtok_punct(c, k - 1, ',') || xtok_punct(c, k - 1, '-')))
            k--;
        size_t a0 = xat_np_left(c, s0, k);
        if (a0 < k) {
            /* PolNeAR marks the pronoun as the source; keep both so the entity comes
               from the antecedent and the span covers "who". */
            sp0 = a0;
            sp1 = j;
        }
    }
    /* "X, who ... , said" */
    if (sp0 == sp1 && j > s0 + 2 && xtok_punct(c, j - 1, ',') && cls != ATTRIB_CUE_PART) {
        for (size_t k = j - 1; k > s0 + 1 && j - k < 30; k--) {
            if (!xtok_punct(c, k - 1, ','))
                continue;
            if (xtok_is(c, k, "who") || xtok_is(c, k, "whose") || xtok_is(c, k, "which")
                || ((T(c, k)->flags & TK_NUM) == 0 && xtok_is(c, k, "the"))
                || xtok_is(c, k, "a") || xtok_is(c, k, "an") || (T(c, k)->flags & TK_CAP)) {
                size_t n0 = xat_np_left(c, s0, k - 1);
                if (n0 < k - 1 && ((T(c, n0)->flags & TK_CAP) || (T(c, k - 2)->flags & TK_CAP))) {
                    sp0 = n0;
                    sp1 = k - 1;
                }
            }
            break;
        }
    }
    /* "... and then said": the clause's subject, the sentence's first noun phrase. */
    if (sp0 == sp1 && j > s0 + 1 && (xtok_is(c, j - 1, "and") || xtok_is(c, j - 1, "but"))) {
        size_t k = xat_subject_start(c, s0, j);
        size_t e = xat_np_right(c, k, j, true);
        if (e > k && xat_is_cap_or_pron(c, k)) {
            sp0 = k;
            sp1 = e;
        }
    }
    /* Apposition: "Hugh Hill, a doctor at the clinic, said" */
    if (sp0 == sp1 && j > s0 + 2 && xtok_punct(c, j - 1, ',') && cls != ATTRIB_CUE_PART) {
        size_t a0 = xat_np_left(c, s0, j - 1);
        if (a0 < j - 1 && a0 > s0 && xtok_punct(c, a0 - 1, ',') && !(t[a0].flags & TK_CAP)
            && (xtok_is(c, a0, "a") || xtok_is(c, a0, "an") || xtok_is(c, a0, "the")
                || xtok_is(c, a0, "who"))) {
            size_t n0 = xat_np_left(c, s0, a0 - 1);
            if (n0 < a0 - 1 && (t[n0].flags & TK_CAP)) {
                sp0 = n0;
                sp1 = a0 - 1;
            }
        }
    }
    bool has_left = sp1 > sp0 && xat_np_ok(c, sp0, sp1);
    size_t cue1 = light_end ? light_end : about ? i + 2 : i + 1;
    /* "said in a statement" is one cue in PolNeAR; keep the verb only. */
    size_t after = cue1;

    /* Quote right before the subject or before the cue: “Q,” he said / “Q,” said X */
    size_t before = has_left ? sp0 : j;
    while (before > s0 && xtok_punct(c, before - 1, ','))
        before--;
    int qb = -1;
    size_t lo_q = (t[s0].flags & TK_PARA) ? s0 : (s0 > 0 ? s0 - 1 : 0);
    if (before == s0 && before > lo_q && (t[before - 1].flags & TK_QCLOSE))
        qb = t[before - 1].quote;
    else if (before > s0 && (t[before - 1].flags & TK_QUOTE) && t[before - 1].quote >= 0)
        qb = t[before - 1].quote;
    else if (before > s0 + 1 && xtok_punct(c, before - 1, ',') && (t[before - 2].flags & TK_QUOTE))
        qb = t[before - 2].quote;
    else if (before > s0 + 1 && (t[before - 1].flags & TK_PUNCT) && (t[before - 2].flags & TK_QUOTE)
             && t[before - 2].quote >= 0)
        qb = t[before - 2].quote;

    if (cls == ATTRIB_CUE_PART) {
        /* ", adding C" / ", saying C": the speaker is the clause's subject. */
        size_t ct0 = xat_skip_adjuncts(c, after, s1, pub);
        size_t ad0 = 0, ad1 = 0;
        if ((xtok_is(c, i, "telling") || xtok_is(c, i, "asking") || xtok_is(c, i, "urging")
             || xtok_is(c, i, "reminding") || xtok_is(c, i, "warning"))
            && !xtok_is(c, after, "that") && ct0 < s1 && !(t[ct0].flags & TK_QUOTE)) {
            ad0 = ct0;
            ad1 = xat_np_right(c, ad0, s1, true);
            ct0 = xat_skip_adjuncts(c, ad1, s1, pub);
        }
        size_t ct1 = xat_cue_content_end(c, obj, ct0, s1);
        ct1 = xat_extend_quote(c, ct0, ct1);
        bool direct = ct0 < s1 && (t[ct0].flags & TK_QOPEN);
        /* subject: the speaker of an attribution earlier in this sentence, else the
           sentence's first noun phrase */
        size_t sp_a = 0, sp_b = 0;
        const xat_rng_t *prev = c->attr.n ? &st->rng[c->attr.n - 1] : NULL;
        if (has_left && !xtok_punct(c, i - 1, ',')) {
            sp_a = sp0, sp_b = sp1;
        } else if (prev && prev->cue0 >= s0 && prev->cue0 < i && prev->sp1 > prev->sp0
                   && prev->sp0 >= s0) {
            sp_a = prev->sp0, sp_b = prev->sp1;
        } else {
            /* "After saying C, the man left": the subject follows the opening clause */
            size_t k = xat_subject_start(c, s0, s1);
            if (k < i && k > s0 && !xtok_punct(c, k - 1, ','))
                k = xat_subject_start(c, s0, i);
            size_t e = xat_np_right(c, k, k > i ? s1 : i, true);
            /* a name after the clause is its run of capitalized words: "Mayor Holt left
               the hall" is Mayor Holt, not the whole clause */
            if (k > i && (t[k].flags & TK_CAP)) {
                size_t m = k;
                while (m < e && (t[m].flags & (TK_CAP | TK_POSS)))
                    m++;
                e = m;
            }
            if (e > k && (xat_is_cap_or_pron(c, k) || (k > i && xtok_is(c, k, "the")))) {
                sp_a = k;
                sp_b = e;
                if (k > i && ct1 > k - 1 && ct0 < k - 1)
                    ct1 = k - 1;   /* the content ends with the opening clause */
            }
        }
        xat_emit(c, st, i, cue1, sp_a, sp_b, ct0, ct1, ad0, ad1, direct);
        return;
    }

    /* Inverted speaker: ", said X." / "” said X" */
    bool inverted = false;
    size_t inv0 = 0, inv1 = 0;
    /* only after a clause or a quotation, or opening the sentence: "is being denied the
       chance" has no speaker after its verb */
    if (j == s0 || (j > s0 && (t[j - 1].flags & TK_PUNCT))) {
        size_t r = xat_skip_adjuncts(c, cue1, s1, pub);
        size_t e = xat_np_right(c, r, s1, true);
        /* "said a spokesman to the president", "said the head of the union" */
        for (int pp = 0; pp < 2 && e > r && e + 1 < s1 && !(t[e].flags & TK_CAP)
                         && (xtok_is(c, e, "to") || xtok_is(c, e, "of") || xtok_is(c, e, "for")
                             || xtok_is(c, e, "at") || xtok_is(c, e, "with"));
             pp++) {
            size_t e2 = xat_np_right(c, e + 1, s1, true);
            if (e2 <= e + 1)
                break;
            e = e2;
        }
        bool after_quote = j > s0 && ((t[j - 1].flags & TK_QUOTE)
                                      || (j > s0 + 1 && (t[j - 2].flags & TK_QUOTE)));
        if (e > r && e - r <= 14 && (after_quote || xat_is_cap_or_pron(c, r) || xtok_is(c, r, "the")
                                    || xtok_is(c, r, "a"))) {
            /* the speaker must end the clause (an aside may follow) */
            if (e >= s1 || (t[e].flags & TK_PUNCT) || xtok_is(c, e, "who")
                || xtok_is(c, e, "whose")) {
                inverted = true;
                inv0 = r;
                inv1 = e;
            }
        }
    }

    /* Direct quote before: “Q,” X said. */
    /* a quotation that an earlier attribution holds is not this one's: in "Asked if X is
       “Q,” 72 percent said yes" it belongs to the question */
    if (qb >= 0 && c->attr.n && st->rng[c->attr.n - 1].ct0 <= c->quote.v[qb].t0
        && c->quote.v[qb].t1 <= st->rng[c->attr.n - 1].ct1)
        qb = -1;
    if (qb >= 0 && s_quote_real(c, qb) && (has_left || inverted)) {
        size_t a = inverted && !has_left ? inv0 : sp0, b = inverted && !has_left ? inv1 : sp1;
        size_t qe = c->quote.v[qb].t1;
        /* “Q1,” he said, “Q2.” is one content */
        size_t k = (inverted && !has_left) ? inv1 : cue1;
        while (k < s1 && (xtok_punct(c, k, ',') || xtok_punct(c, k, ':')))
            k++;
        if (k < s1 && (t[k].flags & TK_QOPEN) && t[k].quote >= 0 && k > cue1)
            qe = c->quote.v[t[k].quote].t1;
        xat_emit(c, st, i, cue1, a, b, c->quote.v[qb].t0, xat_extend_paragraph(c, qe, i), 0, 0,
                 true);
        return;
    }

    size_t ad0 = 0, ad1 = 0;
    size_t r = xat_skip_adjuncts(c, cue1, s1, pub);
    if (cls == ATTRIB_CUE_TELL && r < s1 && !(t[r].flags & TK_QUOTE) && !xtok_punct(c, r, ':')
        && !xtok_is(c, cue1, "that")) {
        ad0 = r;
        ad1 = xat_np_right(c, ad0, s1, true);
        if (ad1 > ad0 && ad1 - ad0 <= 8) {
            r = xat_skip_adjuncts(c, ad1, s1, pub);
        } else {
            ad0 = ad1 = 0;
        }
    }
    /* "C, X said, adding D": what follows the comma is another attribution's */
    bool next_cue = r > cue1 && r < s1 && xtok_punct(c, r - 1, ',')
                    && ((xat_cue_lookup(t[r].f, t[r].hash) & 0xF) == ATTRIB_CUE_PART
                        || (xat_cue_lookup(t[r].f, t[r].hash) & 0xF) == ATTRIB_CUE_ACCORD);
    /* "C, she says, D": one content around the speaker and the cue */
    if (has_left && !next_cue && cls == ATTRIB_CUE_VERB && xtok_punct(c, cue1, ',')
        && sp0 > s0 + 2 && xtok_punct(c, sp0 - 1, ',') && r < s1 && !(t[r].flags & TK_QUOTE)
        && !(t[s0].flags & TK_QUOTE)) {
        size_t ct1 = xat_content_end(c, r, s1);
        if (ct1 > r + 1) {
            xat_emit(c, st, i, cue1, sp0, sp1, s0, ct1, ad0, ad1, false);
            return;
        }
    }
    if (has_left && !next_cue) {
        /* X said: “Q” / X said (that) C. A quotation that the clause goes on after ("said
           “we need more” about C") is part of C. */
        if (r < s1 && (t[r].flags & TK_QOPEN) && s_quote_real(c, t[r].quote)
            && s_quote_ends_clause(c, t[r].quote, s1)) {
            const xquote_t *q = &c->quote.v[t[r].quote];
            size_t qe = q->t1;
            if (t[qe - 1].sent == t[i].sent)
                qe = xat_extend_paragraph(c, qe, i);
            xat_emit(c, st, i, cue1, sp0, sp1, q->t0, qe, ad0, ad1, true);
            return;
        }
        size_t ct1 = xat_cue_content_end(c, obj, r, s1);
        /* one word ends the sentence: "said yes", "said so", "he said Ryan" */
        bool one = ct1 == r + 1 && (r + 1 >= s1 || (t[r + 1].flags & TK_PUNCT)) && r + 1 >= s1 - 1;
        if (ct1 > r && (ct1 - r >= 2 || obj || about || one)) {
            ct1 = xat_extend_quote(c, r, ct1);
            xat_emit(c, st, i, cue1, sp0, sp1, r, ct1, ad0, ad1, false);
            return;
        }
    }
    /* No subject next to the verb ("Reached by phone Tuesday, Smith said", "Asked about
       it, the senator said"): the sentence's subject, when there is a clause after. */
    if (!has_left && !inverted && (cls == ATTRIB_CUE_VERB || cls == ATTRIB_CUE_TELL)) {
        size_t k = xat_subject_start(c, s0, i);
        size_t e = k < i ? xat_np_right(c, k, i, true) : k;
        size_t ct1 = xat_cue_content_end(c, obj, r, s1);
        if (e > k && e <= i && xat_is_cap_or_pron(c, k) && (ct1 > r + 1 || ((obj || about) && ct1 > r))) {
            if (r < s1 && (t[r].flags & TK_QOPEN) && s_quote_real(c, t[r].quote)) {
                const xquote_t *q = &c->quote.v[t[r].quote];
                xat_emit(c, st, i, cue1, k, e, q->t0, q->t1, ad0, ad1, true);
            } else {
                xat_emit(c, st, i, cue1, k, e, r, xat_extend_quote(c, r, ct1), ad0, ad1, false);
            }
            return;
        }
    }
    /* C, X said.  /  C, said X. */
    size_t a = has_left ? sp0 : inv0, b = has_left ? sp1 : inv1;
    if ((has_left || inverted) && a > s0) {
        size_t k = has_left ? a : j;
        while (k > s0 && ((t[k - 1].flags & TK_PUNCT) && (xtok_punct(c, k - 1, ',') || t[k - 1].f[0] == '-')))
            k--;
        if (k < a && k > s0) {
            size_t ct0 = s0;
            bool direct = false;
            int q = t[s0].quote;
            if (q >= 0 && s_quote_real(c, q) && c->quote.v[q].t1 >= k - 1 && c->quote.v[q].t1 <= a) {
                ct0 = c->quote.v[q].t0;
                k = c->quote.v[q].t1;
                direct = true;
            }
            xat_emit(c, st, i, cue1, a, b, ct0, k, ad0, ad1, direct);
        }
    }
}

/* Headline and transcript attributions: "Gingrich: Trump Must Decide ..." in a title,
   and a paragraph that opens with a name and a colon ("TAPPER: Take a listen.", "Kerry:
   “By law ...”"), whose content is the rest of the paragraph. Labels ("Update:", "Editor's
   note:") are not speakers. */
void xat_try_colon(xctx_t *c, xat_state_t *st, const xsent_t *s)
{
    static const char *const label[] = {"update", "updated", "note", "related", "watch",
        "photo", "photos", "video", "source", "sources", "read", "more", "correction",
        "clarification", "breaking", "live", "listen", "transcript", "excerpt", "q", "a",
        "editor", "editors", "advertisement", "warning", "caption", "credit", "image",
        "see", "also", "click", "subscribe", "follow", "contact", "email", "share", "tags",
        "topics", "disclosure", "full", "the", "this", "here", "what", "why", "how", NULL};
    const xtok_t *t = c->tok.v;
    bool title = t[s->t0].flags & TK_TITLE;
    if (!title && !(t[s->t0].flags & TK_PARA))
        return;
    /* a transcript pasted as a quotation: "\"PENCE: Well, ..." */
    size_t s0 = s->t0;
    while (s0 + 2 < s->t1 && (t[s0].flags & TK_QUOTE))
        s0++;
    for (size_t i = s0 + 1; i + 1 < s->t1 && i < s0 + 6; i++) {
        if (!xtok_punct(c, i, ':'))
            continue;
        for (size_t k = s0; k < i; k++) {
            if (t[k].flags & (TK_CAP | TK_POSS))
                continue;
            /* "Dr. Carson:" */
            if (xtok_punct(c, k, '.') && k > s0 && extract_entity_is_title(t[k - 1].f))
                continue;
            return;
        }
        if (xat_in(t[s0].f, label) || (!title && xat_in(t[i - 1].f, label)))
            return;
        size_t ct1 = xat_content_end(c, i + 1, s->t1);
        if (!title) {
            /* the rest of the paragraph */
            size_t e = s->t1;
            while (e < c->tok.n && !(t[e].flags & TK_PARA))
                e++;
            ct1 = e;
            while (ct1 > i + 1 && (t[ct1 - 1].flags & TK_PUNCT) && !(t[ct1 - 1].flags & TK_QUOTE))
                ct1--;
            /* a list entry ("Clinton: 1,769", "Rubio: Finish second") says nothing */
            if (ct1 < i + 6 || (t[i + 1].flags & TK_NUM))
                return;
        }
        xat_emit(c, st, i, i + 1, s0, i, i + 1, ct1, 0, 0, false);
        return;
    }
}

/* "In a poll released Monday, C": a sentence that opens with "In" and a poll or a study
   is an attribution to it. ("In a statement, X said C" is X's: PolNeAR gives texts with
   an author to the author.) */
void xat_try_in(xctx_t *c, xat_state_t *st, const xsent_t *s)
{
    static const char *const heads[] = {"poll", "polls", "survey", "surveys", "study",
        "studies", NULL};
    size_t s0 = s->t0, s1 = s->t1;
    size_t i = s0;
    while (i < s1 && (c->tok.v[i].flags & TK_QUOTE))
        i++;
    if (i + 3 >= s1 || !xtok_is(c, i, "in") || !(c->tok.v[i].flags & TK_CAP))
        return;
    size_t k = i + 1;
    bool head = false;
    while (k < s1 && k - i < 16 && !xtok_punct(c, k, ',')) {
        if (c->tok.v[k].flags & TK_PUNCT)
            return;
        if (xat_in(c->tok.v[k].f, heads))
            head = true;
        k++;
    }
    if (!head || k >= s1 || !xtok_punct(c, k, ','))
        return;
    size_t ct1 = xat_content_end(c, k + 1, s1);
    if (ct1 < k + 4)
        return;
    xat_emit(c, st, i, i + 1, i + 1, k, k + 1, xat_extend_quote(c, k + 1, ct1), 0, 0, false);
}
