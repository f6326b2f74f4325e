/*  extract_attrib: cue-driven. Each cue token is tried against the patterns in the
    header, closest evidence first (an adjacent quotation, then a left subject with a
    clause after it, then a clause before it). Spans are built from tokens, then mapped to
    original offsets by extract_span. */
#include "extract_attrib_internal.h"
#include "extract_date.h"

#include <string.h>

static const int *s_pub(const xctx_t *c, int *buf)
{
    if (c->doc->published && extract_date_parse_iso(c->doc->published, &buf[0], &buf[1], &buf[2]))
        return buf;
    return NULL;
}

/* Where a clause of its own starts right before token `left` (a speaker or a cue) inside
   a content that begins at `lo`: the first token of the break (", and", "but", ";", a dash,
   a new sentence). Returns 0 when `left` continues the clause it is in. */
static size_t s_clause_break(const xctx_t *c, size_t lo, size_t left)
{
    static const char *const conj[] = {"and", "but", "while", "whereas", "though",
        "although", "yet", "or", NULL};
    const xtok_t *t = c->tok.v;
    if (left <= lo + 1)
        return 0;
    if (t[left].flags & TK_SSTART)
        return left;
    size_t k = left - 1;
    if (!(t[k].flags & TK_CAP) && xat_in(t[k].f, conj)) {
        /* a bare "and" may join two nouns ("the city and its allies will seek") */
        if (xtok_punct(c, k - 1, ','))
            k--;
        else if (xtok_is(c, k, "and") || xtok_is(c, k, "or"))
            return 0;
        return k > lo + 1 ? k : 0;
    }
    if (xtok_punct(c, k, ';') || xtok_punct(c, k, '-') || xtok_is(c, k, "\xe2\x80\x94")
        || xtok_is(c, k, "\xe2\x80\x93"))
        return k;
    /* ", adding ..." and ", Smith said ...": a comma, then a participle cue or a subject */
    if (xtok_punct(c, k, ',') || ((t[k].flags & TK_QCLOSE) && xtok_punct(c, k - 1, ',')))
        if (extract_attrib_cue_class(t[left].f) == ATTRIB_CUE_PART || xat_is_cap_or_pron(c, left))
            return t[k].flags & TK_QCLOSE ? k + 1 : k;
    return 0;
}

/* Verbs of saying proper: as cues they outrank verbs of thinking and stance. */
static bool s_strong_cue(const xctx_t *c, size_t i)
{
    static const char *const strong[] = {"said", "says", "say", "told", "tells",
        "according", "added", "adds", "wrote", "writes", "stated", "explained", "noted",
        "argued", "insisted", "replied", "responded", "recalled", "warned", "announced",
        "tweeted", NULL};
    return xat_in(T(c, i)->f, strong);
}

/* PolNeAR gives each token to one attribution, so a cue inside another attribution's
   content ("X said [Y wants C]") is not one of its own. When the inner one opens a clause
   of its own ("X said A, but Y thinks B"), the outer content was too long: it ends at the
   break and both stay. Otherwise the inner one is dropped. */
static void s_resolve_nesting(xctx_t *c, xat_state_t *st)
{
    size_t n = c->attr.n;
    if (n < 2)
        return;
    uint8_t *dead = extract_arena_alloc(c->arena, n, 1);
    xat_rng_t *r = st->rng;
    for (size_t i = 0; i < n; i++) {
        /* cues come about in token order, and a content stays near its cue */
        size_t best = SIZE_MAX, blen = SIZE_MAX;
        for (size_t o = i; o-- > 0 && (int64_t)r[i].cue0 - (int64_t)r[o].cue0 < 400;)
            if (!dead[o] && r[o].ct0 <= r[i].cue0 && r[i].cue1 <= r[o].ct1
                && r[o].ct1 - r[o].ct0 < blen)
                best = o, blen = r[o].ct1 - r[o].ct0;
        for (size_t o = i + 1; o < n && (int64_t)r[o].cue0 - (int64_t)r[i].cue0 < 400; o++)
            if (!dead[o] && r[o].ct0 <= r[i].cue0 && r[i].cue1 <= r[o].ct1
                && r[o].ct1 - r[o].ct0 < blen)
                best = o, blen = r[o].ct1 - r[o].ct0;
        if (best == SIZE_MAX)
            continue;
        xat_rng_t *o = &r[best];
        /* a transcript's turn ("PENCE: Well, I think C. I said D.") is one content */
        if (xtok_punct(c, o->cue0, ':') && o->cue0 < r[i].cue0) {
            dead[i] = 1;
            continue;
        }
        /* "C1 [X discussed C2], the Times reported": each cue lies in the other's content;
           the attribution whose content comes first and holds the other is the outer */
        if (r[i].ct0 <= o->cue0 && o->cue1 <= r[i].ct1
            && (r[i].ct1 <= r[i].cue0) != (o->ct1 <= o->cue0)) {
            dead[r[i].ct1 <= r[i].cue0 ? best : i] = 1;
            continue;
        }
        /* "the morning shows [Carson said C]": a speech verb with its own speaker is not
           the content of a weaker cue; the weaker one goes */
        size_t left = r[i].sp1 > r[i].sp0 && r[i].sp0 < r[i].cue0 ? r[i].sp0 : r[i].cue0;
        if (r[i].sp1 > r[i].sp0 && s_strong_cue(c, r[i].cue0) && !s_strong_cue(c, o->cue0)) {
            size_t e = left >= o->ct0 ? left : r[i].cue0;
            while (e > o->ct0 && (xtok_punct(c, e - 1, ',') || xtok_is(c, e - 1, "and")
                                  || xtok_is(c, e - 1, "but")))
                e--;
            if (e > o->ct0 && e < o->ct1) {
                o->ct1 = (uint32_t)e;
                c->attr.v[best].content = extract_span_tok(c, o->ct0, o->ct1);
            } else {
                dead[best] = 1;
            }
            continue;
        }
        size_t brk;
        if (left < o->ct0 && o->sp1 > o->sp0 && r[i].sp0 <= o->sp0 && o->cue0 < r[i].cue0
            && (xtok_is(c, o->sp1 - 1, "who") || xtok_is(c, o->sp1 - 1, "which"))) {
            /* "X, who estimated that C, said D": the relative clause's content ran over
               the main verb */
            brk = r[i].cue0 > o->ct0 + 1 ? r[i].cue0 : 0;
        } else {
            if (left < o->ct0)
                left = o->ct0;
            brk = s_clause_break(c, o->ct0, left);
        }
        if (brk) {
            size_t e = brk;
            while (e > o->ct0 && xtok_punct(c, e - 1, ','))
                e--;
            o->ct1 = (uint32_t)e;
            c->attr.v[best].content = extract_span_tok(c, o->ct0, o->ct1);
        } else {
            dead[i] = 1;
        }
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (dead[i])
            continue;
        c->attr.v[k] = c->attr.v[i];
        r[k] = r[i];
        k++;
    }
    c->attr.n = k;
}

void extract_attrib_find(xctx_t *c)
{
    c->attr.n = 0;
    xat_state_t st = {-1, -1, NULL, NULL, 0};
    st.used = extract_arena_alloc(c->arena, c->tok.n + 1, 1);
    int pubbuf[3];
    const int *pub = s_pub(c, pubbuf);
    for (size_t k = 0; k < c->sent.n; k++) {
        const xsent_t *s = &c->sent.v[k];
        if (c->tok.v[s->t0].flags & TK_SKIP)
            continue;
        if (c->tok.v[s->t0].flags & (TK_TITLE | TK_PARA))
            xat_try_colon(c, &st, s);
        xat_try_in(c, &st, s);
        for (size_t i = s->t0; i < s->t1; i++) {
            if (!(c->tok.v[i].flags & TK_WORD) || st.used[i] || !xat_maybe_cue(c->tok.v[i].hash))
                continue;
            xat_try_cue(c, &st, i, s, pub);
        }
    }
    s_resolve_nesting(c, &st);
}
