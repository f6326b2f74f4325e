/*  extract_attrib_speaker: speakers: the word lists and walks that find the noun phrase
    that speaks (left of a cue, or right of it when inverted), the entity it names (a
    pronoun or role gets the last named person's), and recording an attribution with
    it. Part of extract_attrib (extract_attrib.h); see extract_attrib_internal.h. */

#include "extract_attrib_internal.h"
#include "extract_entity.h"
#include "util.h"

#include <string.h>

/* Between a subject and its verb: auxiliaries and adverbs. */
static const char *const s_aux[] = {
    "has", "have", "had", "was", "were", "is", "are", "also", "later", "previously",
    "earlier", "then", "again", "reportedly", "recently", "repeatedly", "further", "once",
    "often", "publicly", "privately", "flatly", "simply", "would", "will", "could", "might",
    "may", "did", "does", "do", "not", "never", "already", "just", "still", "initially",
    "quickly", "openly", "separately", "has", "been", "be", "frequently", "always",
    "subsequently", "specifically", "explicitly", "clearly", "famously", "allegedly",
    "n't", "apparently", "similarly", "likewise", "finally", "first", "last", "even",
    "only", "actually", "first", "told", "had", "shall", "can", "must", NULL};

/* Words that end a subject noun phrase going left. */
const char *const xat_np_stop[] = {
    "that", "which", "who", "whom", "whose", "and", "but", "or", "as", "when", "while",
    "because", "if", "though", "although", "after", "before", "since", "so", "where", "what",
    "how", "why", "than", "until", "unless", "whether", "is", "are", "was", "were", "has",
    "have", "had", "will", "would", "also", "not", "to", "be", "been", "being", "did", "do",
    "does", "can", "could", "should", "may", "might", "must", "said", "says", "told",
    "according", "then", "once", "even", "yet", "nor", "over", "into", "about", "by",
    "with", "on", "in", "against", "under", "during", "without", "between", "like",
    "unlike", "amid", "despite", "later", "earlier", "however", NULL};

static const char *const s_pronouns[] = {
    "he", "she", "they", "it", "we", "i", "you", "him", "her", NULL};

static const char *const s_role[] = {
    "minister", "president", "official", "officials", "spokesman", "spokeswoman",
    "spokesperson", "leader", "governor", "senator", "candidate", "nominee", "chief",
    "secretary", "ambassador", "envoy", "general", "commander", "director", "chairman",
    "mayor", "diplomat", "source", "sources", "lawmaker", "congressman", "congresswoman",
    "premier", "chancellor", "king", "prince", "judge", "prosecutor", "lawyer", "attorney",
    "statement", "ministry", "army", "government", "presidency", "campaign", "group",
    "agency", "observatory", "police", "military", "report", "analysts", "experts", NULL};

/* Weekdays and the like: "Cruz on Wednesday announced" has no speaker "Wednesday". */
bool xat_is_dateword(const char *f)
{
    static const char *const w[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "today", "yesterday", "tonight", "tomorrow", NULL};
    return xat_in(f, w);
}

/* Between a subject and its verb: an auxiliary, an -ly adverb, a day ("on Monday"). */
bool xat_is_aux(const xctx_t *c, size_t i)
{
    const xtok_t *t = T(c, i);
    if (t->flags & TK_CAP)
        return xat_is_dateword(t->f);
    if (xat_in(t->f, s_aux) || xat_is_dateword(t->f))
        return true;
    size_t n = strlen(t->f);
    return n > 4 && strcmp(t->f + n - 2, "ly") == 0 && strcmp(t->f, "only") != 0;
}

/* First token of a sentence's subject: after an opening adverbial ("In April, ...",
   "But ...", "Despite X, ..."). */
size_t xat_subject_start(const xctx_t *c, size_t s0, size_t lim)
{
    static const char *const open[] = {"in", "on", "at", "after", "before", "during",
        "despite", "when", "while", "since", "last", "earlier", "later", "but", "and", "yet",
        "still", "also", "meanwhile", "however", "asked", "speaking", "reached", "as",
        "for", "with", "under", "following", "instead", "so", "then", "now", NULL};
    size_t k = s0;
    while (k < lim && ((T(c, k)->flags & TK_PUNCT) || T(c, k)->quote >= 0))
        k++;
    if (k < lim && xat_in(T(c, k)->f, open)) {
        size_t q = k;
        while (q < lim && !xtok_punct(c, q, ',') && q - k < 15)
            q++;
        if (q < lim && xtok_punct(c, q, ','))
            return q + 1;
        if (xtok_is(c, k, "but") || xtok_is(c, k, "and") || xtok_is(c, k, "yet")
            || xtok_is(c, k, "so") || xtok_is(c, k, "still"))
            return k + 1;
    }
    return k;
}

bool xat_is_cap_or_pron(const xctx_t *c, size_t i)
{
    const xtok_t *t = T(c, i);
    return (t->flags & TK_CAP) || xat_in(t->f, s_pronouns);
}

/* Is token k a count: a number or a number word ("four", "half", "10")? */
static bool s_is_count(const xctx_t *c, size_t k)
{
    static const char *const words[] = {"one", "two", "three", "four", "five", "six",
        "seven", "eight", "nine", "ten", "half", "most", "all", "some", "each", "many",
        "both", "none", "majority", "third", "thirds", "quarter", "quarters", NULL};
    return k < c->tok.n && ((T(c, k)->flags & TK_NUM) || xat_in(T(c, k)->f, words));
}

/* Walks left from `end` (exclusive) over a subject noun phrase. Returns its first token,
   or `end` when there is none. Stops at `lo`. */
size_t xat_np_left(const xctx_t *c, size_t lo, size_t end)
{
    size_t j = end;
    int n = 0;
    while (j > lo && n < 10) {
        const xtok_t *t = T(c, j - 1);
        if (t->flags & TK_POSS) {
            j--;
            continue;
        }
        if (t->flags & TK_PUNCT) {
            /* "Sen. Claire Holt (D-Mo.) said": step over a short parenthesis after a name */
            if (t->f[0] == ')' && t->f[1] == 0 && n == 0) {
                size_t k = j - 1;
                while (k > lo && j - k < 10 && !xtok_punct(c, k - 1, '('))
                    k--;
                if (k > lo + 1 && xtok_punct(c, k - 1, '(') && (T(c, k - 2)->flags & TK_CAP)) {
                    j = k - 1;
                    n++;
                    continue;
                }
            }
            /* "Gen." and "Sen." keep going; a hyphen in a name keeps going. */
            if (t->f[0] == '.' && t->f[1] == 0 && j - 1 > lo && (T(c, j - 2)->flags & TK_CAP)
                && extract_entity_is_title(T(c, j - 2)->f)) {
                j--;
                continue;
            }
            break;
        }
        if (!(t->flags & (TK_WORD | TK_NUM)))
            break;
        /* poll shares: "four in 10", "more than half", "7 in 10 voters" */
        if (j - 1 > lo && j < end && (xtok_is(c, j - 1, "in") || xtok_is(c, j - 1, "of"))
            && s_is_count(c, j - 2) && s_is_count(c, j)) {
            j--;
            n++;
            continue;
        }
        if (xtok_is(c, j - 1, "than") && j - 1 > lo && j < end && s_is_count(c, j)
            && (xtok_is(c, j - 2, "more") || xtok_is(c, j - 2, "less")
                || xtok_is(c, j - 2, "fewer"))) {
            j--;
            n++;
            continue;
        }
        if (xat_in(t->f, xat_np_stop) || xat_is_dateword(t->f))
            break;
        if ((t->flags & TK_WORD) && !(t->flags & TK_CAP) && n > 0
            && extract_attrib_cue_class(t->f) != ATTRIB_CUE_NONE)
            break;
        j--;
        n++;
        if (xat_in(t->f, s_pronouns))
            break;
    }
    /* Drop a leading "of"/"for" left by the limit. */
    while (j < end && !(T(c, j)->flags & TK_CAP) && (xtok_is(c, j, "of") || xtok_is(c, j, "for")))
        j++;
    return j;
}

/* A plausible speaker: a name, a pronoun, or a noun phrase with a role word. */
bool xat_np_ok(const xctx_t *c, size_t a, size_t b)
{
    if (a >= b)
        return false;
    if (b - a > 9)
        return false;
    for (size_t i = a; i < b; i++) {
        const xtok_t *t = T(c, i);
        if (t->flags & TK_CAP)
            return true;
        if (xat_in(t->f, s_pronouns) && b - a == 1)
            return true;
    }
    /* "the minister", "a spokesman for the ministry", "officials" */
    for (size_t i = a; i < b; i++)
        if (T(c, i)->flags & TK_WORD)
            return true;
    return false;
}

/* Walks right from `i` over a noun phrase for an inverted speaker ("said X") or an
   addressee. Returns its end. */
size_t xat_np_right(const xctx_t *c, size_t i, size_t hi, bool stop_at_that)
{
    size_t j = i;
    int n = 0;
    while (j < hi && n < 10) {
        const xtok_t *t = T(c, j);
        if (t->flags & TK_POSS) {
            j++;
            continue;
        }
        if (t->flags & TK_PUNCT) {
            if (t->f[0] == '.' && t->f[1] == 0 && j > i && extract_entity_is_title(T(c, j - 1)->f)
                && j + 1 < hi && (T(c, j + 1)->flags & TK_CAP)) {
                j++;
                continue;
            }
            break;
        }
        if (!(t->flags & TK_CAP) && (xat_in(t->f, xat_np_stop) || (stop_at_that && xtok_is(c, j, "that"))))
            break;
        if (!(t->flags & TK_CAP) && j > i && extract_attrib_cue_class(t->f) != ATTRIB_CUE_NONE)
            break;
        j++;
        n++;
        if (xat_in(t->f, s_pronouns))
            break;
    }
    return j;
}

static int s_speaker_entity(xctx_t *c, xat_state_t *st, size_t a, size_t b, bool *is_pron)
{
    *is_pron = false;
    int best = -1;
    char best_kind = 0;
    for (size_t i = a; i < b; i++) {
        int e = T(c, i)->ent;
        if (e < 0)
            continue;
        char k = c->ent.v[e].kind;
        /* prefer a person, then an org, then anything but a place */
        int rank = k == 'p' ? 3 : k == 'o' ? 2 : k == 'x' ? 1 : 0;
        int brank = best_kind == 'p' ? 3 : best_kind == 'o' ? 2 : best_kind == 'x' ? 1 : -1;
        if (rank > brank || (rank == brank && k == 'p')) {
            best = e;
            best_kind = k;
        }
    }
    if (best >= 0 && best_kind != 'l')
        return best;
    if (best >= 0 && best_kind == 'l') {
        bool whole = true;
        for (size_t i = a; i < b; i++)
            if (T(c, i)->ent != best && !xtok_is(c, i, "the"))
                whole = false;
        if (!whole)
            best = -1;
    }
    if (b - a == 1 && (xtok_is(c, a, "he") || xtok_is(c, a, "she") || xtok_is(c, a, "i"))) {
        *is_pron = true;
        return st->last_person;
    }
    /* "the minister", "the foreign minister": a role without a name */
    bool role = false, det = false;
    for (size_t i = a; i < b; i++) {
        if (T(c, i)->flags & TK_CAP && !(i == a))
            return best;
        if (xat_in(T(c, i)->f, s_role) || extract_entity_is_title(T(c, i)->f))
            role = true;
        if (xtok_is(c, i, "the"))
            det = true;
    }
    if (role && det && b - a <= 4) {
        *is_pron = true;
        return st->last_person;
    }
    return best;
}

void xat_emit(xctx_t *c, xat_state_t *st, size_t cue0, size_t cue1, size_t sp0, size_t sp1,
              size_t ct0, size_t ct1, size_t ad0, size_t ad1, bool direct)
{
    if (ct1 <= ct0)
        return;
    for (size_t i = cue0; i < cue1; i++)
        if (st->used[i])
            return;
    extract_attr_t a;
    memset(&a, 0, sizeof a);
    a.cue = extract_span_tok(c, (uint32_t)cue0, (uint32_t)cue1);
    a.content = extract_span_tok(c, (uint32_t)ct0, (uint32_t)ct1);
    if (sp1 > sp0) {
        a.speaker = extract_span_tok(c, (uint32_t)sp0, (uint32_t)sp1);
        bool pron = false;
        int e = s_speaker_entity(c, st, sp0, sp1, &pron);
        if (e >= 0) {
            a.speaker_entity = c->ent.v[e].key;
            if (!pron && c->ent.v[e].kind == 'p')
                st->last_person = e;
            st->last_any = e;
        }
    }
    if (ad1 > ad0)
        a.addressee = extract_span_tok(c, (uint32_t)ad0, (uint32_t)ad1);
    a.direct = direct;
    for (size_t i = cue0; i < cue1; i++)
        st->used[i] = 1;
    if (c->attr.n == st->rng_cap) {
        /* the arena has no realloc; the old block is dropped with the run */
        size_t cap = st->rng_cap ? st->rng_cap * 2 : 64;
        xat_rng_t *r = extract_arena_alloc(c->arena, cap * sizeof *r, 0);
        if (st->rng_cap)
            memcpy(r, st->rng, st->rng_cap * sizeof *r);
        st->rng = r;
        st->rng_cap = cap;
    }
    st->rng[c->attr.n] = (xat_rng_t){(uint32_t)cue0, (uint32_t)cue1, (uint32_t)sp0,
                                   (uint32_t)(sp1 > sp0 ? sp1 : sp0), (uint32_t)ct0,
                                   (uint32_t)ct1};
    XVEC_PUSH(c->attr, a);
}
