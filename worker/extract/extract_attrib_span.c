/*  extract_attrib_span: where a content ends: past the adjuncts after a cue, to the end
    of its clause or object, across a quotation that runs on, and over the quotations of
    the same paragraph. Part of extract_attrib (extract_attrib.h); see
    extract_attrib_internal.h. */

#include "extract_attrib_internal.h"
#include "extract_date.h"
#include "extract_entity.h"

#include <string.h>

/* Time and manner words that may follow a cue before its content. */
static const char *const s_after_cue[] = {
    "on", "in", "at", "during", "late", "early", "earlier", "later", "this", "last",
    "recently", "publicly", "privately", "repeatedly", "again", "also", "then", "today",
    "yesterday", "tonight", "now", "previously", "separately", "flatly", "simply", NULL};

/* Skips time and manner adjuncts after a cue ("on Friday", "in a statement,", "late
   Monday"). Returns the first token of the content. */
size_t xat_skip_adjuncts(const xctx_t *c, size_t i, size_t hi, const int *pub)
{
    size_t start = i;
    for (int rounds = 0; rounds < 4 && i < hi; rounds++) {
        extract_date_t d;
        if (extract_date_at(c, i, hi, pub, &d)) {
            i = d.t1;
            continue;
        }
        if (xtok_is(c, i, "on") || xtok_is(c, i, "late") || xtok_is(c, i, "early")) {
            if (i + 1 < hi && extract_date_at(c, i + 1, hi, pub, &d)) {
                i = d.t1;
                continue;
            }
        }
        /* "in a statement", "in an interview with X," "on Twitter" */
        if ((xtok_is(c, i, "in") || xtok_is(c, i, "on") || xtok_is(c, i, "during"))
            && i + 1 < hi) {
            size_t k = i + 1;
            while (k < hi && k - i < 8 && !(T(c, k)->flags & TK_PUNCT) && !xtok_is(c, k, "that"))
                k++;
            if (k < hi && (xtok_is(c, k, "that") || xtok_punct(c, k, ',') || xtok_punct(c, k, ':'))) {
                static const char *const heads[] = {"statement", "interview", "twitter",
                    "tweet", "speech", "remarks", "letter", "email", "post", "message",
                    "conference", "briefing", "report", "op-ed", "address", "call",
                    "appearance", "rally", "meeting", "video", "facebook", "podcast",
                    "broadcast", "phone", "radio", "television", "telephone", NULL};
                bool has = false;
                for (size_t q = i + 1; q < k; q++)
                    if (xat_in(T(c, q)->f, heads))
                        has = true;
                if (has) {
                    i = k;
                    continue;
                }
            }
        }
        if (xat_in(T(c, i)->f, s_after_cue) && !(T(c, i)->flags & TK_CAP)
            && !xtok_is(c, i, "in") && !xtok_is(c, i, "on") && !xtok_is(c, i, "at")
            && !xtok_is(c, i, "this") && !xtok_is(c, i, "last")) {
            i++;
            continue;
        }
        break;
    }
    while (i < hi && (xtok_punct(c, i, ',') || xtok_punct(c, i, ':')))
        i++;
    if (i < hi && xtok_is(c, i, "that"))
        i++;
    (void)start;
    return i;
}

/* The last token of the sentence that belongs in content: drop the final period, but
   keep a closing quote. Returns the exclusive end. */
size_t xat_content_end(const xctx_t *c, size_t from, size_t send)
{
    size_t e = send;
    while (e > from) {
        const xtok_t *t = T(c, e - 1);
        if ((t->flags & TK_PUNCT) && !(t->flags & TK_QUOTE) && t->f[0] != ')' && t->f[0] != ']')
            e--;
        else
            break;
    }
    /* Stop before ", adding ..." / ", according to" / ", saying" (their own attributions). */
    for (size_t k = from + 1; k + 1 < e; k++) {
        /* the same after a quotation that ends in a comma: “... race,” adding */
        if ((T(c, k)->flags & TK_QCLOSE) && xtok_punct(c, k - 1, ',')) {
            int cls = xat_cue_lookup(T(c, k + 1)->f, T(c, k + 1)->hash) & 0xF;
            if (cls == ATTRIB_CUE_PART || cls == ATTRIB_CUE_ACCORD) {
                e = k + 1;
                break;
            }
        }
        if (xtok_punct(c, k, ',') || xtok_punct(c, k, ';') || xtok_punct(c, k, '-')) {
            int cls = extract_attrib_cue_class(T(c, k + 1)->f);
            if ((cls == ATTRIB_CUE_PART || cls == ATTRIB_CUE_ACCORD) && T(c, k)->quote < 0) {
                e = k;
                break;
            }
        }
        /* a non-restrictive clause or a turn ends what was said */
        if (k >= from + 1 && T(c, k)->quote < 0
            && ((xtok_punct(c, k, ',') && (xtok_is(c, k + 1, "which") || xtok_is(c, k + 1, "but")
                                            || xtok_is(c, k + 1, "while")
                                            || xtok_is(c, k + 1, "although")))
                || xtok_punct(c, k, ';') || xtok_is(c, k, "\xe2\x80\x94"))) {
            e = k;
            break;
        }
        /* "..., but insists ..." : a second verb of the same speaker starts another
           attribution */
        if ((xtok_is(c, k, "but") || xtok_is(c, k, "and")) && T(c, k)->quote < 0
            && xat_cue_lookup(T(c, k + 1)->f, T(c, k + 1)->hash) == ATTRIB_CUE_VERB) {
            e = k;
            while (e > from && xtok_punct(c, e - 1, ','))
                e--;
            break;
        }
    }
    return e;
}

/* The steps a noun-phrase scan from `from` shares: a quotation is passed whole, a
   possessive 's and a title's period ("Gov.") are passed. Returns 1 when *j moved on, -1
   at other punctuation (the phrase ends), 0 when the token is the caller's to judge. */
static int s_np_step(const xctx_t *c, size_t from, size_t *j, size_t send)
{
    const xtok_t *t = T(c, *j);
    if (t->flags & TK_QOPEN) {
        int q = t->quote;
        *j = q >= 0 && c->quote.v[q].t1 <= send ? c->quote.v[q].t1 : *j + 1;
        return 1;
    }
    if (t->flags & TK_POSS) {
        ++*j;
        return 1;
    }
    if (t->flags & TK_PUNCT) {
        if (t->f[0] == '.' && t->f[1] == 0 && *j > from && extract_entity_is_title(T(c, *j - 1)->f)) {
            ++*j;
            return 1;
        }
        return -1;
    }
    return 0;
}

/* The end of the object noun phrase of an object cue ("endorsed [Cruz] last week",
   "attacked [her record] and ..."): it stops at punctuation, a preposition or clause word,
   a time word, or a lower-case word right after a name ("[Mr. Cruz] began"). An
   infinitive ("voted to C") or a quotation runs as a clause does. */
static size_t s_object_end(const xctx_t *c, size_t from, size_t send)
{
    static const char *const keep[] = {"of", "for", "the", "a", "an", NULL};
    static const char *const det[] = {"the", "a", "an", "his", "her", "their", "its",
        "our", "my", "your", NULL};
    if (from >= send)
        return from;
    if (xtok_is(c, from, "to") || (T(c, from)->flags & TK_QOPEN))
        return xat_content_end(c, from, send);
    size_t j = from;
    while (j < send && j - from < 20) {
        int step = s_np_step(c, from, &j, send);
        if (step > 0)
            continue;
        if (step < 0)
            break;
        const xtok_t *t = T(c, j);
        if (!(t->flags & TK_CAP)) {
            if (xtok_is(c, j, "and") || xtok_is(c, j, "or")) {
                if (j + 1 < send && ((T(c, j + 1)->flags & TK_CAP) || xat_in(T(c, j + 1)->f, det)))
                    j++;
                else
                    break;
                continue;
            }
            if (j > from && !xat_in(t->f, keep) && (T(c, j - 1)->flags & TK_CAP)
                && !extract_entity_is_title(T(c, j - 1)->f))
                break;
            if (xat_in(t->f, xat_np_stop) || xat_in(t->f, s_after_cue) || xat_is_dateword(t->f))
                break;
            if (j > from && extract_attrib_cue_class(t->f) != ATTRIB_CUE_NONE)
                break;
        } else if (xat_is_dateword(t->f)) {
            break;
        }
        j++;
    }
    return j;
}

/* Extends a content end to the end of a quotation that starts inside the content and
   runs past the sentence. */
size_t xat_extend_quote(const xctx_t *c, size_t ct0, size_t ct1)
{
    for (size_t i = ct0; i < ct1; i++) {
        int q = T(c, i)->quote;
        if (q >= 0 && c->quote.v[q].t0 == i && c->quote.v[q].t1 > ct1)
            return c->quote.v[q].t1;
    }
    return ct1;
}

/* PolNeAR keeps a speaker's quotation as one content across an interrupting cue:
   "Q1," she said. "Q2." Extends ct1 over quotations that open the following sentences
   of the same paragraph, unless such a sentence has its own cue after its quotation. */
size_t xat_extend_paragraph(const xctx_t *c, size_t ct1, size_t cue)
{
    const xtok_t *t = c->tok.v;
    size_t n = c->tok.n;
    if (cue >= n || t[cue].sent < 0)
        return ct1;
    size_t send = c->sent.v[t[cue].sent].t1;
    for (;;) {
        if (send >= n || (t[send].flags & TK_PARA) || !(t[send].flags & TK_QOPEN))
            return ct1;
        int qi = t[send].quote;
        if (qi < 0)
            return ct1;
        size_t qend = c->quote.v[qi].t1;
        /* its own cue after it? then it is another attribution */
        int qs = t[qend - 1].sent;
        if (qs < 0)
            return ct1;
        for (size_t q = qend; q < c->sent.v[qs].t1; q++)
            if ((t[q].flags & TK_WORD) && extract_attrib_cue_class(t[q].f) != ATTRIB_CUE_NONE)
                return ct1;
        ct1 = qend;
        send = c->sent.v[qs].t1;
    }
}

/* End of a noun cue's content after its preposition ("his comments on [Muslims in the
   debate]"): a noun phrase with its own prepositional phrases, up to punctuation or a
   word that opens a clause. */
size_t xat_noun_content_end(const xctx_t *c, size_t from, size_t send)
{
    static const char *const stop[] = {"that", "which", "who", "whom", "whose", "and", "but",
        "or", "because", "while", "when", "as", "is", "are", "was", "were", "has", "have",
        "had", "will", "would", "could", "should", "can", "may", "might", "must", "did",
        "does", "do", "said", "says", "if", "though", "although", "since", "so", "than",
        "until", "where", NULL};
    size_t j = from;
    while (j < send && j - from < 25) {
        int step = s_np_step(c, from, &j, send);
        if (step > 0)
            continue;
        if (step < 0)
            break;
        const xtok_t *t = T(c, j);
        if (!(t->flags & TK_CAP) && (xat_in(t->f, stop)
                                      || xat_cue_lookup(t->f, t->hash) == ATTRIB_CUE_VERB))
            break;
        j++;
    }
    return j;
}

/* The content end for a verb cue: its object (CUE_OBJ) or a clause. */
size_t xat_cue_content_end(const xctx_t *c, bool obj, size_t from, size_t send)
{
    return obj ? s_object_end(c, from, send) : xat_content_end(c, from, send);
}
