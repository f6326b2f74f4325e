/*  extract_qyear (see extract_qyear.h). */
#include "extract_qyear.h"
#include "extract_qclaim.h"
#include "extract_qword.h"
#include "extract_age.h"

#include <stdio.h>
#include <string.h>

/* Pushes the year of an event or of a thing's making: unit "year", what the event (or
   "" for a thing), whose the thing's entity key. */
static void s_push_year(xctx_t *c, int year, size_t i, size_t s0, size_t s1, const char *what,
                        const char *whose, const char *pred, const char *subject)
{
    extract_qclaim_t cl;
    memset(&cl, 0, sizeof cl);
    cl.value = year;
    cl.n0 = i, cl.n1 = i + 1;
    cl.unit = "year";
    snprintf(cl.what, sizeof cl.what, "%s", what);
    snprintf(cl.whose, sizeof cl.whose, "%s", whose);
    cl.pclass = pred;
    snprintf(cl.subject, sizeof cl.subject, "%s", subject);
    extract_date_t d;
    memset(&d, 0, sizeof d);
    snprintf(d.iso, sizeof d.iso, "%04d", year);
    d.resolved = true;
    cl.date = &d;
    cl.year = true;
    extract_qclaim_push(c, &cl, s0, s1);
}

/* The craft the article names that a craft noun at token k ("the ferry") stands for:
   the last one named before k, else the first after it. Entity index or -1. */
static int s_craft_for(const xctx_t *c, size_t k)
{
    int best = -1;
    for (size_t m = 0; m < c->men.n; m++) {
        const xmention_t *mn = &c->men.v[m];
        if (c->ent.v[mn->ent].kind != 'v')
            continue;
        if (mn->t0 >= k) {
            if (best < 0)
                best = mn->ent;
            break;
        }
        best = mn->ent;
    }
    return best;
}

/* What token k names: its entity, or for a craft noun the craft. Entity index or -1. */
static int s_thing_at(const xctx_t *c, size_t k)
{
    const xtok_t *t = &c->tok.v[k];
    if (t->ent >= 0)
        return t->ent;
    if ((t->wc & WC_VESSEL) && !(t->flags & TK_CAP))
        return s_craft_for(c, k);
    return -1;
}

/* Words between a thing and its verb that don't change what it is: "the ferry, which had
   been built". */
static bool s_is_filler(const xctx_t *c, size_t k)
{
    static const char *const fill[] = {"was", "were", "is", "are", "be", "been", "being",
                                       "had", "has", "have", "which", "that", "originally",
                                       "first", NULL};
    if (xtok_punct(c, k, ','))
        return true;
    for (const char *const *w = fill; *w; w++)
        if (xtok_is(c, k, *w))
            return true;
    return false;
}

/* The year a thing came to be: "the ferry, built in 1987", "Alder Line was founded in
   1990". The thing is the entity (or the craft of a craft noun) that the verb follows;
   without one there is no claim, since "y|bridge|built" would merge different bridges.
   Key y|<thing>|<built or founded>. */
static bool s_made_claim(xctx_t *c, size_t i, size_t s0, size_t s1, int year)
{
    const xtok_t *t = c->tok.v;
    if (i < s0 + 3 || !xtok_is(c, i - 1, "in") || !(t[i - 2].wc & WC_MADE))
        return false;
    size_t v = i - 2;
    int thing = -1;
    for (size_t k = v; k > s0 && k + 8 > v; k--) {
        if (s_is_filler(c, k - 1))
            continue;
        thing = s_thing_at(c, k - 1);
        break;
    }
    const char *name, *pred = extract_qword_made_pred(t[v].f);
    char kind = thing >= 0 ? c->ent.v[thing].kind : 0;
    /* people are neither; groups are founded, not built ("The Boeing, built in 1991" is a
       plane, not the company); craft are built, not founded */
    if (thing < 0 || kind == 'p' || (kind == 'o' && pred[0] == 'b')
        || (kind == 'v' && pred[0] == 'f'))
        return false;
    name = c->ent.v[thing].key + 4;
    s_push_year(c, year, i, s0, s1, "", c->ent.v[thing].key, pred, name);
    return true;
}

int extract_qyear_aboard_craft(const xctx_t *c, size_t s0, size_t i, size_t sub1, size_t s1)
{
    const xtok_t *t = c->tok.v;
    for (size_t q = sub1; q < s1 && q < sub1 + 6; q++) {
        int e = s_thing_at(c, q);
        if (e >= 0 && c->ent.v[e].kind == 'v')
            return e;
        if (t[q].flags & TK_PUNCT)
            break;
    }
    /* a craft before the count; a name of no known kind only as the subject right
       before the verb ("the Northern Star had 112 people") */
    bool apart = false;
    for (size_t q = i; q > s0 && q + 12 > i; q--) {
        int e = s_thing_at(c, q - 1);
        if (e < 0) {
            apart |= (t[q - 1].flags & TK_PUNCT) || q + 3 < i;
            continue;
        }
        char k = c->ent.v[e].kind;
        return k == 'v' || (k == 'x' && !apart) ? e : -1;
    }
    return -1;
}

/* Verbs of what happens to a person once, in a year: "won an Emmy in 2005", "was promoted
   to vice president in 2003", "first hosted the show in 2007". */
static const char *const s_life_verbs[] = {"won", "joined", "promoted", "hired", "named",
    "elected", "appointed", "born", "married", "retired", "hosted", "fired", "founded",
    "arrested", "convicted", "sentenced", "signed", "drafted", "inducted", "graduated",
    "resigned", "acquired", "bought", "sold", NULL};

static bool s_in_list(const char *f, const char *const *list)
{
    for (const char *const *w = list; *w; w++)
        if (strcmp(f, *w) == 0)
            return true;
    return false;
}

/* Other forms of those verbs, and the form the frame uses ("winning an Emmy in 2005" is
   "won an Emmy in 2005"). */
static const char *const s_life_forms[][2] = {{"winning", "won"}, {"wins", "won"},
    {"hosting", "hosted"}, {"joining", "joined"}, {"signing", "signed"},
    {"marrying", "married"}, {"retiring", "retired"}, {"founding", "founded"},
    {"electing", "elected"}, {"naming", "named"}, {"hiring", "hired"}, {NULL, NULL}};

/* The frame's form of life verb f, or NULL when f is none. */
static const char *s_life_verb(const char *f)
{
    for (const char *const *w = s_life_verbs; *w; w++)
        if (strcmp(f, *w) == 0)
            return *w;
    for (size_t k = 0; s_life_forms[k][0]; k++)
        if (strcmp(f, s_life_forms[k][0]) == 0)
            return s_life_forms[k][1];
    return NULL;
}

/* The year a named person did or underwent something: "Jackman won an Emmy in 2005",
   "DiLeo, who was promoted to senior vice president in 2003". The verb stands within six
   words before "in YEAR" with no clause break between; the person is the one named
   before the verb in the sentence (the nearest, or the one "he"/"she" stands for). Key
   f|year|<object head or "">|per:<surname>|<verb>||, so the year of each thing one person
   did is its own fact. */
static bool s_life_claim(xctx_t *c, size_t i, size_t s0, size_t s1, int year)
{
    const xtok_t *t = c->tok.v;
    if (i < s0 + 2 || !xtok_is(c, i - 1, "in"))
        return false;
    size_t v = 0;
    const char *verb = NULL;
    for (size_t k = i - 1; k > s0 && k + 7 > i; k--) {
        if ((t[k - 1].flags & TK_PUNCT) && !(t[k - 1].flags & TK_HYPHEN))
            return false;
        if ((t[k - 1].flags & TK_WORD) && (verb = s_life_verb(t[k - 1].f))) {
            v = k - 1;
            break;
        }
    }
    if (!verb)
        return false;
    int person = -1;
    for (size_t k = v; k > s0 && k + 12 > v && person < 0; k--) {
        int e = t[k - 1].ent;
        if (e >= 0 && c->ent.v[e].kind == 'p')
            person = e;
        else if (xtok_is(c, k - 1, "he") || xtok_is(c, k - 1, "she")) {
            for (size_t m = 0; m < c->men.n && c->men.v[m].t1 <= k - 1; m++)
                if (c->ent.v[c->men.v[m].ent].kind == 'p')
                    person = c->men.v[m].ent;
            break;
        }
    }
    if (person < 0)
        return false;
    /* the object: the head of the noun phrase after the verb ("won a Tony Award" award,
       "won an Emmy for doing so" emmy, "was promoted to senior vice president"
       president); none, and the verb alone could be any of the person's doings: no claim */
    static const char *const skip[] = {"a", "an", "the", "his", "her", "their", "its", "to",
                                       "as", NULL};
    char what[48] = "";
    size_t o = v + 1, head = 0;
    while (o < i - 1 && s_in_list(t[o].f, skip))
        o++;
    for (size_t q = o; q < i - 1 && q < o + 4; q++) {
        if (!(t[q].flags & TK_WORD) || (t[q].wc & WC_NP_END) || s_in_list(t[q].f, skip)
            || xtok_is(c, q, "for") || xtok_is(c, q, "of") || xtok_is(c, q, "at")
            || xtok_is(c, q, "with") || xtok_is(c, q, "by") || xtok_is(c, q, "after"))
            break;
        head = q + 1;
    }
    if (!head && strcmp(verb, "born") != 0 && strcmp(verb, "married") != 0
        && strcmp(verb, "retired") != 0 && strcmp(verb, "graduated") != 0)
        return false;
    if (head) {
        snprintf(what, sizeof what, "%s", t[head - 1].f);
        extract_qword_lemma(what);
    }
    char whose[96];
    extract_age_owner(c, person, whose, sizeof whose);
    s_push_year(c, year, i, s0, s1, what, whose, verb, what[0] ? what : verb);
    return true;
}

bool extract_qyear_claim(xctx_t *c, size_t i, size_t s0, size_t s1, int year)
{
    const xtok_t *t = c->tok.v;
    if (s_made_claim(c, i, s0, s1, year))
        return true;
    int ev = -1;
    size_t evi = 0;
    /* after: "2018 deal", "2018 de-confliction deal" */
    for (size_t k = i + 1; k < s1 && k <= i + 3; k++) {
        if (t[k].flags & TK_PUNCT)
            break;
        int e = extract_qword_event(c, k);
        if (e >= 0) {
            ev = e, evi = k;
            break;
        }
    }
    /* before: "the civil war began in 2011", "the memorandum dated September 17, 2018" */
    if (ev < 0)
        for (size_t k = i; k > s0 && k + 8 > i; k--) {
            int e = extract_qword_event(c, k - 1);
            if (e >= 0) {
                ev = e, evi = k - 1;
                break;
            }
        }
    if (ev < 0)
        return s_life_claim(c, i, s0, s1, year);
    char event[48];
    snprintf(event, sizeof event, "%s", extract_qword_event_name(ev));
    if (strcmp(event, "war") == 0 && evi > 0 && xtok_is(c, evi - 1, "civil"))
        snprintf(event, sizeof event, "civil war");
    s_push_year(c, year, i, s0, s1, event, "", extract_qword_event_pred(ev), event);
    return true;
}
