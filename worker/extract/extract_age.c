/*  extract_age: ages and their owners (see extract_age.h). */
#include "extract_age.h"
#include "extract_entity.h"
#include "extract_qword.h"

#include <stdio.h>
#include <string.h>

size_t extract_age_owner(const xctx_t *c, int e, char *out, size_t cap)
{
    const char *key = c->ent.v[e].key;
    if (c->ent.v[e].kind != 'p')
        return (size_t)snprintf(out, cap, "%s", key);
    /* the surname with its suffix: "trump jr" stays whole, so that a son's age is not
       his father's */
    const char *last = extract_entity_key_surname(key, NULL, NULL);
    /* two people of one surname in the article ("John Jenkin", "Katie Jenkin") keep
       their full names, or their ages would be one fact */
    for (size_t o = 0; o < c->ent.n; o++) {
        if ((int)o == e || c->ent.v[o].kind != 'p')
            continue;
        if (strcmp(extract_entity_key_surname(c->ent.v[o].key, NULL, NULL), last) != 0)
            continue;
        char full[96] = "";
        const xent_t *x = &c->ent.v[e];
        for (uint32_t k = x->name_t0; k < x->name_t1 && k < c->tok.n; k++) {
            if (c->tok.v[k].flags & TK_PUNCT)
                continue;   /* the period of an initial */
            size_t n = strlen(full);
            snprintf(full + n, sizeof full - n, "%s%s", n ? " " : "", c->tok.v[k].f);
        }
        return (size_t)snprintf(out, cap, "per:%s", full);
    }
    return (size_t)snprintf(out, cap, "per:%s", last);
}

/* The person entity whose mention covers token k, or -1. */
static int s_person(const xctx_t *c, size_t k)
{
    if (k >= c->tok.n)
        return -1;
    int e = c->tok.v[k].ent;
    return e >= 0 && c->ent.v[e].kind == 'p' ? e : -1;
}

/* The person whose mention ends at token k (the last token of a name), or -1. */
static int s_person_ending(const xctx_t *c, size_t k)
{
    int e = s_person(c, k);
    if (e < 0 || (k + 1 < c->tok.n && c->tok.v[k + 1].ent == e))
        return -1;
    return e;
}

/* The one person named in tokens [a, b), or -1 when none or several. */
static int s_only_person(const xctx_t *c, size_t a, size_t b)
{
    int found = -1;
    for (size_t k = a; k < b && k < c->tok.n; k++) {
        int e = s_person(c, k);
        if (e < 0 || e == found)
            continue;
        if (found >= 0)
            return -1;
        found = e;
    }
    return found;
}

/* True when no person is mentioned in tokens [a, b). */
static bool s_no_person(const xctx_t *c, size_t a, size_t b)
{
    for (size_t k = a; k < b && k < c->tok.n; k++)
        if (s_person(c, k) >= 0)
            return false;
    return true;
}

/* Singular person nouns an age adjective stands before: the noun phrase ends there ("the
   40-year-old actor plays a clown"). */
static const char *const s_roles[] = {"actor", "actress", "man", "woman", "boy", "girl",
    "singer", "star", "player", "driver", "victim", "suspect", "gunman", "teenager",
    "student", "officer", "deputy", "climber", "coach", "host", "champion", "boxer",
    "rapper", "model", "comedian", "worker", "employee", "resident", "pilot", "soldier",
    "doctor", "nurse", "teacher", "lawyer", "owner", "guard", "mother", "father", "son",
    "daughter", "wife", "husband", "grandmother", "grandfather", "baby", "child", "toddler",
    "veteran", "musician", "director", "producer", "writer", "author", "athlete",
    "quarterback", "striker", "goalkeeper", "forward", "guard", "center", "pitcher",
    "mountaineer", "skier", "hiker", "tourist", "passenger", "patient", "pensioner",
    "retiree", "widow", "widower", "newlywed", "defendant", "inmate", "prisoner", NULL};

/* Adverbs that stand between an age and a verb ("a 21-year-old just getting on"). */
static const char *const s_adverbs[] = {"just", "also", "now", "still", "then", "only",
                                        "already", "reportedly", "allegedly", NULL};

static bool s_in(const char *f, const char *const *list)
{
    for (const char *const *w = list; *w; w++)
        if (strcmp(f, *w) == 0)
            return true;
    return false;
}

/* True when tokens [a, b) say that they name the one the person noun `noun` stands
   for: "Police named her as X", "the victim was identified as X", or a pronoun of the
   noun's sex ("X ... was walking with her husband" after "a 66-year-old woman"). */
static bool s_naming(const xctx_t *c, size_t a, size_t b, const char *noun)
{
    static const char *const female[] = {"woman", "girl", "mother", "wife", "daughter",
        "grandmother", "actress", "sister", "lady", NULL};
    static const char *const male[] = {"man", "boy", "father", "husband", "son",
        "grandfather", "brother", "gunman", NULL};
    bool she = s_in(noun, female), he = s_in(noun, male);
    for (size_t k = a; k < b && k < c->tok.n; k++)
        if (xtok_is(c, k, "named") || xtok_is(c, k, "identified") || xtok_is(c, k, "name")
            || xtok_is(c, k, "names") || xtok_is(c, k, "identifies")
            || (she && (xtok_is(c, k, "she") || xtok_is(c, k, "her")))
            || (he && (xtok_is(c, k, "he") || xtok_is(c, k, "his") || xtok_is(c, k, "him"))))
            return true;
    return false;
}

/* True when folded word f reads as a verb form that ends a noun phrase: "-ed" or "-ing"
   without a hyphen ("checked", "getting"; not "hard-partying"). */
static bool s_verbish(const char *f)
{
    size_t n = strlen(f);
    if (strchr(f, '-'))
        return false;
    return (n > 4 && strcmp(f + n - 2, "ed") == 0) || (n > 5 && strcmp(f + n - 3, "ing") == 0);
}

/* The generic noun after an age adjective ("the 40-year-old hard-partying actress"): the
   last word before the noun phrase ends, at most four words, singular; a demonym ("the
   40-year-old American") is the noun too. Sets *end past it. */
static bool s_generic(const xctx_t *c, size_t k, size_t s1, char *out, size_t cap, size_t *end)
{
    const xtok_t *t = c->tok.v;
    out[0] = 0;
    size_t last = 0;
    bool dem = false;
    if (k < s1 && (t[k].flags & TK_CAP) && (t[k].flags & TK_WORD) && !(t[k].flags & TK_POSS)
        && extract_entity_country_hash(c->res, t[k].f, t[k].hash, &dem) && dem
        && (k + 1 >= s1 || !(t[k + 1].flags & TK_CAP))) {
        snprintf(out, cap, "%s", t[k].f);
        *end = k + 1;
        return true;
    }
    for (size_t q = k; q < s1 && q < k + 4; q++) {
        if (!(t[q].flags & TK_WORD) || (t[q].flags & TK_POSS) || (t[q].flags & TK_CAP)
            || (t[q].wc & (WC_NP_END | WC_QPRED)) || s_verbish(t[q].f) || s_in(t[q].f, s_adverbs))
            break;
        last = q + 1;
        if (q + 1 < s1 && (t[q + 1].flags & TK_POSS))
            break;   /* "the actress's rep": the actress */
        if (s_in(t[q].f, s_roles))
            break;   /* "the 40-year-old actor plays" */
    }
    if (!last)
        return false;
    snprintf(out, cap, "%s", t[last - 1].f);
    extract_qword_lemma(out);
    *end = last;
    return true;
}

/* The person the sentence opens on ("Carl Brandt, who ..., has died at 75"): a person
   mention starting in its first three tokens, or -1. */
static int s_subject(const xctx_t *c, size_t s0, size_t i)
{
    for (size_t k = s0; k < i && k < s0 + 3; k++) {
        int e = s_person(c, k);
        if (e >= 0)
            return k == s0 || c->tok.v[k - 1].ent != e ? e : -1;
    }
    return -1;
}

/* True when the number at i follows a death verb and "at": "died at 77". */
static bool s_died_at(const xctx_t *c, size_t i, size_t s0)
{
    return i > s0 + 1 && xtok_is(c, i - 1, "at")
           && (xtok_is(c, i - 2, "died") || xtok_is(c, i - 2, "dies") || xtok_is(c, i - 2, "dead"));
}

/* True when a death verb stands in the four tokens before b: the age that follows it is
   the age at death of the clause's subject ("died Thursday at the age of 95"). */
static bool s_death_before(const xctx_t *c, size_t b, size_t s0)
{
    for (size_t k = b; k > s0 && k + 4 > b; k--)
        if (xtok_is(c, k - 1, "died") || xtok_is(c, k - 1, "dies") || xtok_is(c, k - 1, "dead"))
            return true;
    return false;
}

bool extract_age_form(const xctx_t *c, size_t i, size_t nt, size_t s0)
{
    size_t k = i + nt;
    if (xtok_punct(c, k, '-') && (xtok_is(c, k + 1, "year-old") || xtok_is(c, k + 1, "years-old")))
        return true;
    if (xtok_is(c, k, "year-old") || xtok_is(c, k, "years-old"))
        return true;
    if ((xtok_is(c, k, "years") || xtok_is(c, k, "year")) && xtok_is(c, k + 1, "old"))
        return true;
    if (i > s0 && (xtok_is(c, i - 1, "aged") || xtok_is(c, i - 1, "age")))
        return true;
    return s_died_at(c, i, s0);
}

size_t extract_age_at(const xctx_t *c, size_t i, size_t nt, size_t s0, size_t s1, char *whose,
                      size_t cap)
{
    const xtok_t *t = c->tok.v;
    size_t k = i + nt;
    whose[0] = 0;
    if (nt != 1 || !(t[i].flags & (TK_NUM | TK_WORD)))
        return 0;
    int e = -1;
    size_t after = 0;
    bool adj = false;   /* "40-year-old" stands before a noun */
    if (xtok_punct(c, k, '-') && (xtok_is(c, k + 1, "year-old") || xtok_is(c, k + 1, "years-old")))
        after = k + 2, adj = true;
    else if (xtok_is(c, k, "year-old") || xtok_is(c, k, "years-old"))
        after = k + 1, adj = true;
    else if ((xtok_is(c, k, "years") || xtok_is(c, k, "year")) && xtok_is(c, k + 1, "old"))
        after = k + 2;
    else if (i > s0 && (xtok_is(c, i - 1, "aged") || xtok_is(c, i - 1, "age")))
        after = k;
    else if (i > s0 + 2 && xtok_is(c, i - 1, "of") && xtok_is(c, i - 2, "age"))
        after = k;
    else if (s_died_at(c, i, s0))
        after = k;   /* "has died at 75" */
    else if (i > s0 + 1 && (xtok_punct(c, i - 1, ',') || xtok_punct(c, i - 1, '('))) {
        /* "Jackman, 40," "Jackman (40)", "son Oscar, 8" */
        bool close = k >= s1 || xtok_punct(c, k, ',') || xtok_punct(c, k, '.')
                     || xtok_punct(c, k, ')') || xtok_punct(c, k, ';') || xtok_is(c, k, "and");
        if (xtok_punct(c, i - 1, '(') && !xtok_punct(c, k, ')'))
            close = false;
        if (!close)
            return 0;
        e = s_person_ending(c, i - 2);
        if (e < 0 && i > s0 + 2 && (t[i - 2].flags & TK_CAP) && (t[i - 3].wc & WC_KIN)) {
            snprintf(whose, cap, "per:%s", t[i - 2].f);
            return k;
        }
        if (e < 0)
            return 0;
        extract_age_owner(c, e, whose, cap);
        return k;
    } else {
        return 0;
    }
    /* who: a name right before ("Jackman, 40 years old", "Chohan, aged 59", "Chohan, a
       59-year-old grandmother", "Jackman is 40 years old") */
    size_t b = i;
    if (b > s0 && (xtok_is(c, b - 1, "aged") || xtok_is(c, b - 1, "age")))
        b--;
    else if (b > s0 + 2 && xtok_is(c, b - 1, "of") && xtok_is(c, b - 2, "age")) {
        b -= 2;
        if (b > s0 && xtok_is(c, b - 1, "the"))
            b--;
        if (b > s0 && xtok_is(c, b - 1, "at"))
            b--;
    }
    if (b > s0 && (xtok_is(c, b - 1, "a") || xtok_is(c, b - 1, "an") || xtok_is(c, b - 1, "the")))
        b--;
    if (b > s0 && (xtok_punct(c, b - 1, ',') || xtok_is(c, b - 1, "is") || xtok_is(c, b - 1, "was")))
        e = s_person_ending(c, b - 2 >= s0 ? b - 2 : s0);
    else if (b > s0 && b < i)
        e = s_person_ending(c, b - 1);   /* "Chohan aged 59" */
    if (e < 0 && !adj && s_death_before(c, b, s0))
        e = s_subject(c, s0, i);   /* "Mark Felt, ..., died yesterday aged 95" */
    if (e < 0 && adj) {
        /* "the 40-year-old Jackman", "the 40-year-old actor Hugh Jackman", "a 59-year-old
           woman, Raj Chohan," */
        e = s_person(c, after);
        /* "the 40-year-old Jackman": a capitalized word of no list right after is a name
           even when the article never gives the full one */
        bool dem = false;
        if (e < 0 && after < s1 && (t[after].flags & TK_CAP) && (t[after].flags & TK_WORD)
            && !t[after].lex && !(t[after].flags & TK_POSS)
            && !extract_entity_country_hash(c->res, t[after].f, t[after].hash, &dem)) {
            size_t q = after;
            while (q + 1 < s1 && (t[q + 1].flags & TK_CAP) && (t[q + 1].flags & TK_WORD))
                q++;
            /* "the 39-year-old Troy man": a place or a name before a person noun is the
               noun's modifier; the person is found as for "the 39-year-old man" */
            if (q + 1 < s1 && (t[q + 1].flags & TK_WORD) && !(t[q + 1].flags & TK_CAP)
                && s_in(t[q + 1].f, s_roles)) {
                after = q + 1;
            } else {
                snprintf(whose, cap, "per:%s", t[q].f);
                return after;
            }
        }
        char noun[64];
        size_t end = after;
        if (e < 0 && s_generic(c, after, s1, noun, sizeof noun, &end)) {
            size_t q = end;
            if (xtok_punct(c, q, ','))
                q++;
            e = s_person(c, q);
            if (e < 0) {
                bool indef = i > s0 && (xtok_is(c, i - 1, "a") || xtok_is(c, i - 1, "an"));
                bool opens = i <= s0 + 1 && xtok_is(c, s0, "the");
                size_t si = (size_t)t[i].sent;
                if (indef) {
                    e = s_only_person(c, end, s1);
                    /* "A 59-year-old woman died. Police named her as Raj Chohan.": the next
                       sentence names her only when this one names no one ("a woman named
                       X, and an 11-year-old girl" is not X, whoever the next one names),
                       and only when it says it names her (s_naming): "a 66-year-old
                       woman. X was charged" is about the driver */
                    if (e < 0 && s_no_person(c, s0, end) && si + 1 < c->sent.n
                        && s_naming(c, c->sent.v[si + 1].t0, c->sent.v[si + 1].t1, noun))
                        e = s_only_person(c, c->sent.v[si + 1].t0, c->sent.v[si + 1].t1);
                } else if (opens && si > 0) {
                    e = s_only_person(c, c->sent.v[si - 1].t0, c->sent.v[si - 1].t1);
                }
            }
            if (e < 0) {
                snprintf(whose, cap, "%s", noun);
                return after;
            }
        }
    }
    if (e < 0)
        return 0;
    extract_age_owner(c, e, whose, cap);
    return after;
}
