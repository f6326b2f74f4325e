/*  extract_quantity: per sentence, numbers first, then the noun phrase after them, then a
    predicate to the right (or left: "the killing of seven"), place and time. */
#include "extract_quantity.h"
#include "extract_attrib.h"
#include "extract_date.h"
#include "extract_entity.h"
#include "extract_text.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Powers of ten of the scale words, by xlex_t.scale. */
static const double s_pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                 1e12};

size_t extract_quantity_number(const xctx_t *c, size_t i, size_t end, double *value, bool *approx)
{
    *approx = false;
    *value = 0;
    if (!c || i >= end || end > c->tok.n)
        return 0;
    const xtok_t *t = c->tok.v;
    size_t k = i;
    if (t[i].flags & TK_NUM) {
        const char *f = t[i].f;
        double v = 0, frac = 0, div = 1;
        bool dot = false;
        for (; *f; f++) {
            if (*f >= '0' && *f <= '9') {
                if (dot) {
                    div *= 10;
                    frac = frac * 10 + (*f - '0');
                } else {
                    v = v * 10 + (*f - '0');
                }
            } else if (*f == ',') {
                continue;
            } else if (*f == '.' && !dot) {
                dot = true;
            } else if (*f == 's' && f[1] == 0) {
                return 0;   /* "1990s" */
            } else {
                return 0;   /* "20th", "3pm", "S-400" parts */
            }
        }
        *value = v + frac / div;
        k = i + 1;
    } else if (t[i].flags & TK_WORD) {
        const xlex_t *x = extract_lex_entry(t[i].lex);
        if (!x || !(x->bits & (WC_NUMWORD | WC_VAGUE)))
            return 0;
        *value = x->num;
        if (x->bits & WC_VAGUE) {
            *approx = true;
            return 1;   /* "dozens", "hundreds": no scale after them */
        }
        k = i + 1;
    } else {
        return 0;
    }
    /* "4 million", "two hundred thousand" */
    while (k < end && (t[k].wc & WC_SCALE)) {
        *value *= s_pow10[extract_lex_entry(t[k].lex)->scale];
        k++;
    }
    return k - i;
}

static const struct { const char *w, *p; } s_pred[] = {
    {"killed", "killed"}, {"kill", "killed"}, {"kills", "killed"}, {"killing", "killed"},
    {"dead", "killed"}, {"died", "killed"}, {"die", "killed"}, {"dies", "killed"},
    {"death", "killed"}, {"deaths", "killed"}, {"toll", "killed"}, {"slain", "killed"},
    {"martyred", "killed"}, {"martyrs", "killed"}, {"lives", "killed"}, {"perished", "killed"},
    {"massacred", "killed"}, {"fatalities", "killed"}, {"casualties", "casualties"},
    {"wounded", "wounded"}, {"injured", "wounded"}, {"injuring", "wounded"},
    {"wounding", "wounded"}, {"hurt", "wounded"}, {"injuries", "wounded"},
    {"arrested", "arrested"}, {"detained", "arrested"}, {"captured", "arrested"},
    {"detaining", "arrested"}, {"arresting", "arrested"}, {"jailed", "arrested"},
    {"displaced", "displaced"}, {"fled", "displaced"}, {"flee", "displaced"},
    {"evacuated", "displaced"}, {"missing", "missing"}, {"kidnapped", "abducted"},
    {"abducted", "abducted"}, {"has", "have"}, {"have", "have"}, {"had", "have"},
    {"keeps", "have"}, {"keep", "have"}, {"operates", "have"}, {"maintains", "have"},
    {"deployed", "deployed"}, {"deploys", "deployed"}, {"sent", "deployed"},
    {"destroyed", "destroyed"}, {"damaged", "damaged"}, {"surrounded", "surrounded"},
    {"encircled", "surrounded"}, {"launched", "launched"}, {"fired", "launched"},
    {"voted", "voted"}, {"won", "won"}, {"lost", "lost"}, {"rose", "rose"}, {"fell", "fell"},
    {"raised", "raised"}, {"spent", "spent"}, {"paid", "paid"}, {"cost", "cost"},
    {"incapacitated", "killed"},
    /* people a craft carries: "carrying 112 people", "112 passengers aboard" ("on board"
       is read in extract_quantity_find); only for people (s_qpred) */
    {"carrying", "aboard"}, {"carried", "aboard"}, {"carries", "aboard"},
    {"aboard", "aboard"}, {"onboard", "aboard"},
};

const char *extract_quantity_predicate(const char *f)
{
    const xlex_t *x = extract_lex_find(f);
    return x && (x->bits & WC_QPRED) ? s_pred[x->pred - 1].p : NULL;
}

/* Normalized predicate of token q, or NULL. */
static const char *s_pred_tok(const xctx_t *c, size_t q)
{
    const xtok_t *t = &c->tok.v[q];
    return (t->wc & WC_QPRED) ? s_pred[extract_lex_entry(t->lex)->pred - 1].p : NULL;
}

/* Words that end the counted noun phrase. */
static const char *const s_np_end[] = {
    "of", "in", "on", "at", "to", "from", "by", "with", "and", "or", "but", "who", "that",
    "which", "were", "was", "are", "is", "have", "has", "had", "will", "would", "as",
    "for", "into", "since", "after", "before", "during", "over", "under", "near", "across",
    "than", "a", "an", "the", "this", "last", "per", "each", "more", "less", "while",
    "when", "said", "says", "been", "be", "not", "percent", "per", "between", "among",
    "against", "amid", "including", "inside", "outside", "around", "through", "it", "they",
    "he", "she", "we", "its", "their", "his", "her", "also", "already", "still", "now",
    "about", "up", "down", "out", "off", "ago", "later", "earlier", "alone", "so", "far",
    "should", "could", "can", "may", "might", "must", "shall", "do", "does", "did", "if",
    "whom", "whose", "where", "then", "there", "here", "both", "all", "other", "such",
    NULL};

static const char *const s_approx_before[] = {
    "about", "around", "nearly", "almost", "some", "roughly", "approximately", "estimated",
    "over", "least", "than", "to", "close", "as", "upwards", NULL};

static const struct { const char *w, *event, *pred; } s_events[] = {
    {"deal", "deal", "agreed"}, {"agreement", "deal", "agreed"}, {"accord", "deal", "agreed"},
    {"pact", "deal", "agreed"}, {"memorandum", "deal", "agreed"}, {"treaty", "deal", "agreed"},
    {"accords", "deal", "agreed"}, {"ceasefire", "ceasefire", "agreed"},
    {"truce", "ceasefire", "agreed"}, {"war", "war", "began"}, {"uprising", "uprising", "began"},
    {"revolution", "revolution", "began"}, {"conflict", "war", "began"},
    {"election", "election", "held"}, {"elections", "election", "held"},
    {"referendum", "referendum", "held"}, {"coup", "coup", "occurred"},
    {"invasion", "invasion", "began"}, {"offensive", "offensive", "began"},
    {"summit", "summit", "held"}, {"crisis", "crisis", "began"},
    {"earthquake", "earthquake", "occurred"}, {"attack", "attack", "occurred"},
    {"attacks", "attack", "occurred"}, {"bombing", "attack", "occurred"},
    {"protests", "protests", "began"}, {"independence", "independence", "won"},
};

/* The predicate of token q for a count whose head is (`human`) or is not a person noun:
   only people are aboard, and "carried out" is no carrying. */
static const char *s_qpred(const xctx_t *c, size_t q, bool human)
{
    const char *p = s_pred_tok(c, q);
    if (p && strcmp(p, "aboard") == 0 && (!human || xtok_is(c, q + 1, "out")))
        return NULL;
    return p;
}

/* Predicate that a singular head noun names by itself ("survivor" -> "survived"), or
   NULL. Not "lives": "saved 50 lives" is no death toll. */
static const char *s_head_pred(const char *head)
{
    static const struct { const char *head, *pred; } heads[] = {
        {"survivor", "survived"}, {"death", "killed"}, {"fatality", "killed"},
        {"casualty", "casualties"}};
    for (size_t k = 0; k < sizeof heads / sizeof *heads; k++)
        if (strcmp(head, heads[k].head) == 0)
            return heads[k].pred;
    return NULL;
}

/* Index into s_events of token k, -1 when none. */
static int s_event(const xctx_t *c, size_t k)
{
    const xtok_t *t = &c->tok.v[k];
    return (t->wc & WC_EVENT) ? extract_lex_entry(t->lex)->event - 1 : -1;
}

/* Durations and rates: a number before them is no count. */
static const char *const s_durations[] = {"week", "weeks", "day", "days", "year", "years",
    "month", "months", "hour", "hours", "minute", "minutes", "decade", "decades", "times",
    "time", "percent", "per", "cent", "seconds", "century", "centuries", "points", "point",
    NULL};

/* Heads that count people: only people are aboard; "a truck carrying 20 tonnes" is
   carried. */
static const char *const s_humans[] = {
    "people", "persons", "passengers", "passenger", "crew", "crewmembers", "migrants",
    "refugees", "tourists", "pilgrims", "children", "adults", "sailors", "seamen",
    "fishermen", "soldiers", "troops", "workers", "students", "fans", "residents",
    "civilians", "survivors", "members", "women", "men", "staff", "guests", "visitors",
    "evacuees", "occupants", "pupils", "patients", "asylum-seekers", NULL};

/* Verbs whose year is the year a thing came to be: "built in 1987", "founded in 1990".
   Each maps to the predicate of its key. */
static const struct { const char *w, *pred; } s_made[] = {
    {"built", "built"}, {"constructed", "built"}, {"completed", "built"},
    {"founded", "founded"}, {"established", "founded"},
};

/* Prepositions that put a fact in a place. */
static const char *const s_fact_preps[] = {"in", "near", "at", "over", "outside", "across",
                                           "around", "inside", "off", NULL};

void extract_quantity_lex(void)
{
    static const char *const units[] = {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
        "eighteen", "nineteen", NULL};
    static const char *const tens[] = {"twenty", "thirty", "forty", "fifty", "sixty",
                                       "seventy", "eighty", "ninety", NULL};
    /* "twenty-one" .. "ninety-nine", built once and kept for the process */
    static char compound[8 * 9][16];
    /* "one" is left out: it is mostly a pronoun or an article ("one of them", "one
       notch below"), and a count of one is rarely a fact worth a claim. */
    for (int i = 0; units[i]; i++)
        if (i != 1)
            extract_lex_add(units[i], WC_NUMWORD)->num = i;
    for (int i = 0; tens[i]; i++) {
        extract_lex_add(tens[i], WC_NUMWORD)->num = (i + 2) * 10;
        for (int u = 1; u < 10; u++) {
            char *w = compound[i * 9 + u - 1];
            snprintf(w, sizeof compound[0], "%s-%s", tens[i], units[u]);
            extract_lex_add(w, WC_NUMWORD)->num = (i + 2) * 10 + u;
        }
    }
    extract_lex_add("dozen", WC_NUMWORD)->num = 12;
    static const struct { const char *w; int32_t v; } vague[] = {
        {"dozens", 24}, {"scores", 24}, {"hundreds", 200}, {"thousands", 2000},
        {"millions", 2000000}};
    for (size_t k = 0; k < sizeof vague / sizeof *vague; k++)
        extract_lex_add(vague[k].w, WC_VAGUE)->num = vague[k].v;
    static const struct { const char *w; uint8_t e; } scales[] = {
        {"hundred", 2}, {"thousand", 3}, {"million", 6}, {"mln", 6}, {"m", 6},
        {"billion", 9}, {"bln", 9}, {"bn", 9}, {"trillion", 12}};
    for (size_t k = 0; k < sizeof scales / sizeof *scales; k++)
        extract_lex_add(scales[k].w, WC_SCALE)->scale = scales[k].e;
    /* a word listed twice keeps its first predicate and event */
    for (size_t k = sizeof s_pred / sizeof *s_pred; k-- > 0;)
        extract_lex_add(s_pred[k].w, WC_QPRED)->pred = (uint8_t)(k + 1);
    for (size_t k = sizeof s_events / sizeof *s_events; k-- > 0;)
        extract_lex_add(s_events[k].w, WC_EVENT)->event = (uint8_t)(k + 1);
    static const struct { const char *const *list; uint64_t bits; } lists[] = {
        {s_np_end, WC_NP_END}, {s_approx_before, WC_APPROX}, {s_durations, WC_DURATION},
        {s_fact_preps, WC_QPLACE_PREP}};
    for (size_t k = 0; k < sizeof lists / sizeof *lists; k++)
        for (const char *const *w = lists[k].list; *w; w++)
            extract_lex_add(*w, lists[k].bits);
    for (const char *const *w = s_humans; *w; w++)
        extract_lex_add(*w, WC_HUMAN);
    for (size_t k = 0; k < sizeof s_made / sizeof *s_made; k++)
        extract_lex_add(s_made[k].w, WC_MADE);
}

/* Predicate of a WC_MADE word ("constructed" -> "built"). */
static const char *s_made_pred(const char *f)
{
    for (size_t k = 0; k < sizeof s_made / sizeof *s_made; k++)
        if (strcmp(f, s_made[k].w) == 0)
            return s_made[k].pred;
    return NULL;
}

/* Strips a plural "s" from a head noun for the key ("posts" -> "post"). */
static void s_singular(char *w)
{
    size_t n = strlen(w);
    if (n > 4 && strcmp(w + n - 3, "ies") == 0)
        strcpy(w + n - 3, "y");
    else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
        w[n - 1] = 0;
}

static void s_append(char *buf, size_t cap, const char *w)
{
    size_t n = strlen(buf);
    if (n && n + 1 < cap)
        buf[n++] = ' ', buf[n] = 0;
    snprintf(buf + n, cap - n, "%s", w);
}

static const int *s_pub(const xctx_t *c, int *buf)
{
    if (c->doc->published && extract_date_parse_iso(c->doc->published, &buf[0], &buf[1], &buf[2]))
        return buf;
    return NULL;
}

/* Country of token i when it is a demonym or country mention. */
static const char *s_country_of(const xctx_t *c, size_t i, bool *demonym)
{
    return extract_entity_country_hash(c->res, c->tok.v[i].f, c->tok.v[i].hash, demonym);
}

/* The place a sentence puts a fact in: a named place after a place preposition, not a
   demonym. Searches [a, b). Returns the entity key without its prefix, or NULL. */
static const char *s_place(const xctx_t *c, size_t a, size_t b)
{
    const xtok_t *t = c->tok.v;
    for (size_t i = a; i < b; i++) {
        int e = t[i].ent;
        if (e < 0 || c->ent.v[e].kind != 'l' || i == 0)
            continue;
        if (i > 0 && t[i - 1].ent == e)
            continue;   /* not the mention's first token */
        bool dem = false;
        if (s_country_of(c, i, &dem) && dem)
            continue;
        size_t p = i - 1;
        /* "in the northwestern province of Idlib" */
        if (xtok_is(c, p, "of") && p >= 1) {
            size_t k = p;
            while (k > a && k > p - 5 && !(t[k - 1].wc & WC_QPLACE_PREP))
                k--;
            if (k > a && (t[k - 1].wc & WC_QPLACE_PREP))
                return c->ent.v[e].key + 4;
            continue;
        }
        if (xtok_is(c, p, "the") && p >= 1)
            p--;
        if (t[p].wc & WC_QPLACE_PREP)
            return c->ent.v[e].key + 4;
    }
    return NULL;
}

static void s_push_qty(xctx_t *c, double value, bool approx, char bound, size_t t0, size_t t1,
                       const char *subject, const char *pred, const char *key,
                       const char *place, const extract_date_t *date, bool total, bool year)
{
    extract_quantity_t q;
    memset(&q, 0, sizeof q);
    q.value = value;
    q.approx = approx;
    q.bound = bound;
    q.span = extract_span_tok(c, (uint32_t)t0, (uint32_t)t1);
    q.subject = extract_arena_strndup(c->arena, subject, strlen(subject));
    q.predicate = extract_arena_strndup(c->arena, pred, strlen(pred));
    q.key = extract_arena_strndup(c->arena, key, strlen(key));
    q.place = place ? extract_arena_strndup(c->arena, place, strlen(place)) : NULL;
    if (date) {
        q.time = extract_arena_strndup(c->arena, date->iso, strlen(date->iso));
        q.time_resolved = date->resolved;
    }
    q.total = total;
    q.year = year;
    XVEC_PUSH(c->qty, q);
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
static bool s_made_claim(xctx_t *c, size_t i, size_t s0, int year)
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
    const char *name, *pred = s_made_pred(t[v].f);
    char kind = thing >= 0 ? c->ent.v[thing].kind : 0;
    /* people are neither; groups are founded, not built ("The Boeing, built in 1991" is a
       plane, not the company); craft are built, not founded */
    if (thing < 0 || kind == 'p' || (kind == 'o' && pred[0] == 'b')
        || (kind == 'v' && pred[0] == 'f'))
        return false;
    name = c->ent.v[thing].key + 4;
    char key[160];
    snprintf(key, sizeof key, "y|%s|%s", name, pred);
    extract_date_t d;
    memset(&d, 0, sizeof d);
    snprintf(d.iso, sizeof d.iso, "%04d", year);
    d.resolved = true;
    s_push_qty(c, year, false, '=', i, i + 1, name, pred, key, NULL, &d, false, true);
    return true;
}

/* The craft people are aboard: named or meant ("the ferry") after the count ("aboard
   the Northern Star") or as the clause's subject before it ("the Northern Star had 112
   people on board"). Entity index or -1. */
static int s_aboard_craft(const xctx_t *c, size_t s0, size_t i, size_t sub1, size_t s1)
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

/* Year of an event: "since the civil war began in 2011", "a 2018 deal". */
static bool s_year_claim(xctx_t *c, size_t i, size_t s0, size_t s1, int year)
{
    const xtok_t *t = c->tok.v;
    if (s_made_claim(c, i, s0, year))
        return true;
    int ev = -1;
    size_t evi = 0;
    /* after: "2018 deal", "2018 de-confliction deal" */
    for (size_t k = i + 1; k < s1 && k <= i + 3; k++) {
        if (t[k].flags & TK_PUNCT)
            break;
        int e = s_event(c, k);
        if (e >= 0) {
            ev = e, evi = k;
            break;
        }
    }
    /* before: "the civil war began in 2011", "the memorandum dated September 17, 2018" */
    if (ev < 0)
        for (size_t k = i; k > s0 && k + 8 > i; k--) {
            int e = s_event(c, k - 1);
            if (e >= 0) {
                ev = e, evi = k - 1;
                break;
            }
        }
    if (ev < 0)
        return false;
    char event[48];
    snprintf(event, sizeof event, "%s", s_events[ev].event);
    if (strcmp(event, "war") == 0 && evi > 0 && xtok_is(c, evi - 1, "civil"))
        snprintf(event, sizeof event, "civil war");
    char key[160];
    snprintf(key, sizeof key, "y|%s|%s", event, s_events[ev].pred);
    extract_date_t d;
    memset(&d, 0, sizeof d);
    snprintf(d.iso, sizeof d.iso, "%04d", year);
    d.resolved = true;
    s_push_qty(c, year, false, '=', i, i + 1, event, s_events[ev].pred, key, NULL, &d, false, true);
    return true;
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
            if (!(t[i].flags & TK_NUM) && !(t[i].wc & (WC_NUMWORD | WC_VAGUE)))
                continue;
            bool in_date = false;
            for (int k = 0; k < nd; k++)
                if (i >= dates[k].t0 && i < dates[k].t1)
                    in_date = true;
            double value;
            bool approx;
            size_t nt = extract_quantity_number(c, i, s1, &value, &approx);
            if (!nt)
                continue;
            /* years */
            if ((t[i].flags & TK_NUM) && t[i].e - t[i].s == 4 && value >= 1900 && value <= 2100
                && nt == 1) {
                /* a year in a full date ("May 4, 2017") dates a document, it is not the
                   year of an event the sentence reports */
                bool full = false;
                for (int k = 0; k < nd; k++)
                    if (i >= dates[k].t0 && i < dates[k].t1 && dates[k].d)
                        full = true;
                if (!full)
                    s_year_claim(c, i, s0, s1, (int)value);
                continue;
            }
            if (in_date)
                continue;
            char bound = '=';
            if (i > s0) {
                const char *p = t[i - 1].f;
                if (t[i - 1].wc & WC_APPROX) {
                    approx = true;
                    bound = '~';
                    if (strcmp(p, "least") == 0 || strcmp(p, "than") == 0 || strcmp(p, "over") == 0
                        || strcmp(p, "upwards") == 0)
                        bound = '>';
                    if ((strcmp(p, "than") == 0 && i >= 2 && (xtok_is(c, i - 2, "fewer") || xtok_is(c, i - 2, "less")))
                        || (strcmp(p, "to") == 0 && i >= 2 && xtok_is(c, i - 2, "up"))
                        || strcmp(p, "nearly") == 0 || strcmp(p, "almost") == 0)
                        bound = '<';
                    if (strcmp(p, "to") == 0 && !(i >= 2 && xtok_is(c, i - 2, "up"))) {
                        approx = false;
                        bound = '=';
                    }
                }
            }
            if (approx && bound == '=')
                bound = '~';
            /* counted noun phrase */
            size_t k = i + nt;
            if (k < s1 && xtok_is(c, k, "of") && (approx || xtok_is(c, i, "dozen")))
                k++;
            if (k < s1 && xtok_is(c, k, "the") && t[k - 1].f[0] == 'o')
                k++;
            char subject[128] = "", core[128] = "";
            const char *owner = NULL;
            size_t sub1 = k;
            int words = 0;
            const char *pred = NULL;
            while (k < s1 && words < 4) {
                const xtok_t *w = &t[k];
                if (!(w->flags & TK_WORD) || (w->flags & TK_POSS))
                    break;
                if (w->wc & WC_NP_END)
                    break;
                const char *pp = s_qpred(c, k, words > 0 && (t[k - 1].wc & WC_HUMAN));
                if (pp && words > 0 && strcmp(pp, "have") != 0) {
                    pred = pp;
                    break;
                }
                if (pp && strcmp(pp, "have") == 0)
                    break;
                /* "sailors shocked the town": a participle after the head ends it */
                size_t fl = strlen(w->f);
                if (words > 0 && fl > 3 && strcmp(w->f + fl - 2, "ed") == 0)
                    break;
                bool dem = false;
                const char *ctry = s_country_of(c, k, &dem);
                if (ctry && (w->flags & TK_CAP)) {
                    owner = ctry;
                } else {
                    s_append(core, sizeof core, w->f);
                }
                s_append(subject, sizeof subject, w->f);
                words++;
                k++;
                sub1 = k;
            }
            if (!core[0])
                continue;
            /* durations ("two weeks") and frequencies are not claims */
            {
                const char *head = strrchr(core, ' ');
                head = head ? head + 1 : core;
                if (extract_lex_bits(head) & WC_DURATION)
                    continue;
            }
            /* predicate: right of the noun phrase, then left of the number */
            const char *head = strrchr(core, ' ');
            head = head ? head + 1 : core;
            bool human = (extract_lex_bits(head) & WC_HUMAN) != 0;
            size_t r = sub1;
            if (!pred)
                for (size_t q = sub1; q < s1 && q < sub1 + 8; q++) {
                    if (xtok_punct(c, q, ',') || xtok_punct(c, q, ';'))
                        break;
                    if (human && xtok_is(c, q, "on") && xtok_is(c, q + 1, "board")) {
                        pred = "aboard";   /* "had 112 people on board" */
                        break;
                    }
                    const char *pp = s_qpred(c, q, human);
                    if (pp) {
                        /* "have been killed": the auxiliary is not the predicate */
                        if (strcmp(pp, "have") == 0) {
                            if (!pred)
                                pred = pp;
                            continue;
                        }
                        pred = pp;
                        r = q;
                        break;
                    }
                }
            (void)r;
            size_t l0 = i;
            if (!pred || strcmp(pred, "have") == 0) {
                for (size_t q = i; q > s0 && q + 6 > i; q--) {
                    const char *pp = s_qpred(c, q - 1, human);
                    if (pp && (!pred || strcmp(pp, "have") != 0)) {
                        pred = pp;
                        l0 = q - 1;
                        break;
                    }
                    if (xtok_punct(c, q - 1, ',') || xtok_punct(c, q - 1, ';'))
                        break;
                }
            }
            /* "the 12 Turkish observation posts": a definite count of what exists */
            bool definite = i > s0 && (xtok_is(c, i - 1, "the") || xtok_is(c, i - 1, "its")
                                       || xtok_is(c, i - 1, "their"));
            if (!pred || (definite && strcmp(pred, "killed") != 0 && strcmp(pred, "wounded") != 0
                          && strcmp(pred, "aboard") != 0))
                pred = definite ? "have" : (pred ? pred : "count");
            /* people aboard a craft: the craft is the owner, so counts on two ferries
               never meet ("q|aboard|northern star people||") */
            if (strcmp(pred, "aboard") == 0 && !owner) {
                int craft = s_aboard_craft(c, s0, i, sub1, s1);
                if (craft >= 0)
                    owner = c->ent.v[craft].key + 4;
            }
            /* owner from the clause subject: "Turkey has 12 observation posts" */
            if (!owner && strcmp(pred, "have") == 0) {
                for (size_t q = l0; q > s0 && q + 6 > l0; q--) {
                    if (t[q - 1].ent >= 0 && c->ent.v[t[q - 1].ent].kind == 'l') {
                        owner = s_country_of(c, q - 1, NULL);
                        break;
                    }
                    if (t[q - 1].flags & TK_PUNCT)
                        break;
                }
            }
            /* head noun singular for the key */
            char ckey[128];
            snprintf(ckey, sizeof ckey, "%s", core);
            char *last = strrchr(ckey, ' ');
            s_singular(last ? last + 1 : ckey);
            /* A head that names an outcome is the predicate when the verb says nothing
               more: "had recovered 98 survivors", "pulled 98 survivors from the water"
               and "98 survivors had been taken" are one fact. */
            if (strcmp(pred, "have") == 0 || strcmp(pred, "count") == 0) {
                const char *hp = s_head_pred(last ? last + 1 : ckey);
                if (hp)
                    pred = hp;
            }
            /* place and time */
            /* The place after the number ("killed in Idlib"), else the one before it
               in the same sentence ("capsized off Port Said, killing 14"). */
            const char *place = s_place(c, i, s1);
            if (!place)
                place = s_place(c, s0, i);
            const extract_date_t *date = NULL;
            int best = 1 << 30;
            for (int q = 0; q < nd; q++) {
                /* "said on Monday": when it was said, not when it happened */
                size_t d0 = dates[q].t0;
                if (d0 > s0 && xtok_is(c, d0 - 1, "on"))
                    d0--;
                if (d0 > s0 && extract_attrib_cue_class(t[d0 - 1].f) != 0)
                    continue;
                int dist = (int)dates[q].t0 - (int)i;
                if (dist < 0)
                    dist = -dist * 2;   /* prefer a date after the number */
                if (dist < best) {
                    best = dist;
                    date = &dates[q];
                }
            }
            bool total = date && date->period;
            for (size_t q = sub1; q < s1; q++)
                if (xtok_is(c, q, "alone") || (xtok_is(c, q, "so") && xtok_is(c, q + 1, "far"))
                    || xtok_is(c, q, "total") || xtok_is(c, q, "altogether"))
                    total = true;
            char obuf[64] = "";
            if (owner)
                extract_text_fold((const uint8_t *)owner, strlen(owner), obuf, sizeof obuf);
            char bucket[40] = "";
            if (date && (date->resolved || total)) {
                if (total || date->gran == 'm' || date->gran == 'y')
                    snprintf(bucket, sizeof bucket, "%s", date->iso);
                else if (date->y)
                    snprintf(bucket, sizeof bucket, "%04d-%02d", date->y, date->m);
            }
            char key[400];
            snprintf(key, sizeof key, "q|%s|%s%s%s|%s|%s%s", pred, obuf, obuf[0] ? " " : "", ckey,
                     place ? place : "", bucket, total ? "|total" : "");
            char subj_out[192];
            snprintf(subj_out, sizeof subj_out, "%s", subject);
            s_push_qty(c, value, approx, bound, i, i + nt, subj_out, pred, key, place, date, total,
                       false);
            i += nt - 1;
        }
    }
}
