/*  extract_quantity: per sentence, numbers first, then the noun phrase after them, then a
    predicate to the right (or left: "the killing of seven"), place and time. */
#include "extract_quantity.h"
#include "extract_attrib.h"
#include "extract_date.h"
#include "extract_entity.h"
#include "extract_text.h"
#include "extract_unit.h"
#include "extract_age.h"
#include "frame.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Powers of ten of the scale words, by xlex_t.scale. */
static const double s_pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                 1e12};

/* A number as read at a token: its value, the tokens it spans and what the digits said
   about it on their own. */
typedef struct {
    double value;
    size_t nt;                /* tokens used (digits or words, scales) */
    bool vague;               /* "dozens", "tens of thousands" */
    bool dot;                 /* ".41": the leading period belongs to it */
    bool ordinal;             /* "81st" */
    bool notclaim;            /* "11am", "1990s", "4G": never a claim */
    const char *unit;         /* glued unit ("2,800mah" -> "mah"), or NULL */
    int ukind;                /* UNIT_* of unit */
    bool scaled;              /* a scale word or suffix came after the digits */
} s_num_t;

/* Reads the number at token i within [i, end). `money` says a currency stands before it,
   so a glued or spaced "m" is million, not metres. Returns tokens used (0: none). */
static size_t s_number(const xctx_t *c, size_t i, size_t end, bool money, s_num_t *n)
{
    memset(n, 0, sizeof *n);
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
            } else {
                break;
            }
        }
        n->value = v + frac / div;
        /* a mixed-case suffix is cut into its own token ("2,800m" "Ah", "2" "GB") */
        char suf[24];
        size_t used = 1;
        snprintf(suf, sizeof suf, "%s", f);
        if (i + 1 < end && (t[i + 1].flags & TK_WORD) && t[i + 1].s == t[i].e
            && !(t[i + 1].flags & TK_POSS)) {
            size_t sl = strlen(suf);
            snprintf(suf + sl, sizeof suf - sl, "%s", t[i + 1].f);
            used = 2;
        }
        f = suf;
        if (*f) {
            /* a suffix glued to the digits */
            int e = extract_unit_scale(f), kind = 0;
            const char *u = extract_unit_suffix(f, &kind);
            if (strcmp(f, "m") == 0 && !money) {
                /* "150m": metres, unless a noun follows ("150m users" is ambiguous) */
                if (i + 1 < end && (t[i + 1].flags & TK_WORD) && !(t[i + 1].wc & WC_NP_END))
                    n->notclaim = true;
                e = 0;
            } else if (strcmp(f, "k") == 0 && !money) {
                n->notclaim = true;   /* "10k run" */
            }
            if (e && !n->notclaim) {
                n->value *= s_pow10[e];
                n->scaled = true;
            } else if (u && !n->notclaim) {
                n->unit = u;
                n->ukind = kind;
            } else if (!dot && (strcmp(f, "st") == 0 || strcmp(f, "nd") == 0
                                || strcmp(f, "rd") == 0 || strcmp(f, "th") == 0)) {
                n->ordinal = true;
            } else {
                n->notclaim = true;   /* "11am", "1990s", "4g", "1080p" */
            }
        }
        /* ".41": a period touching the digits, with a space or nothing before it */
        if (i > 0 && xtok_punct(c, i - 1, '.') && t[i - 1].e == t[i].s && !dot
            && (i < 2 || t[i - 2].e < t[i - 1].s) && !n->unit && !n->ordinal) {
            size_t digits = 0;
            for (const char *g = t[i].f; *g >= '0' && *g <= '9'; g++)
                digits++;
            n->value = n->value / pow(10, (double)digits);
            n->dot = true;
        }
        k = i + used;
    } else if (t[i].flags & TK_WORD) {
        const xlex_t *x = extract_lex_entry(t[i].lex);
        if (!x || !(x->bits & (WC_NUMWORD | WC_VAGUE)))
            return 0;
        n->value = x->num;
        if (x->bits & WC_VAGUE) {
            n->vague = true;
            n->nt = 1;
            /* "tens of thousands", "hundreds of millions" */
            if (xtok_is(c, i + 1, "of") && i + 2 < end) {
                const xlex_t *y = extract_lex_entry(t[i + 2].lex);
                if (y && (y->bits & WC_VAGUE) && y->num >= 1000) {
                    double mag = pow(10, floor(log10((double)y->num)));
                    n->value = x->num * mag;
                    n->nt = 3;
                }
            }
            return n->nt;
        }
        k = i + 1;
    } else {
        return 0;
    }
    if (xtok_is(c, k, "dozen") && k > i) {
        n->value *= 12;   /* "two dozen" */
        k++;
    }
    /* "the nineteen seventies": a decade */
    static const char *const decades[] = {"twenties", "thirties", "forties", "fifties",
        "sixties", "seventies", "eighties", "nineties", NULL};
    for (const char *const *w = decades; *w && k < end; w++)
        if (xtok_is(c, k, *w))
            n->notclaim = true;
    /* "4 million", "two hundred thousand"; a spaced "m" only after a currency */
    while (k < end && (t[k].wc & WC_SCALE) && !n->unit) {
        if (xtok_is(c, k, "m") && !money)
            break;
        n->value *= s_pow10[extract_lex_entry(t[k].lex)->scale];
        n->scaled = true;
        k++;
    }
    n->nt = k - i;
    return n->nt;
}

size_t extract_quantity_number(const xctx_t *c, size_t i, size_t end, double *value, bool *approx)
{
    *approx = false;
    *value = 0;
    if (!c || i >= end || end > c->tok.n)
        return 0;
    s_num_t n;
    size_t nt = s_number(c, i, end, false, &n);
    if (!nt || n.notclaim || n.ordinal)
        return 0;
    *value = n.value;
    *approx = n.vague;
    return nt;
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

/* Kin nouns before a first name: "son Oscar, 8". */
static const char *const s_kin[] = {"son", "daughter", "wife", "husband", "brother",
    "sister", "mother", "father", "grandson", "granddaughter", "stepson", "stepdaughter",
    "nephew", "niece", "cousin", "boyfriend", "girlfriend", "partner", "fiance", "fiancee",
    NULL};

/* Words that link a noun to a number on its right: "the death toll rose to 40", "a depth
   of 10 km", "the level was .41". */
static const char *const s_links[] = {"rose", "risen", "climbed", "reached", "hit", "jumped",
    "stood", "stands", "stand", "increased", "grew", "was", "is", "were", "are", "of", "to",
    "at", "by", "has", "had", "been", "now", "mounted", "topped", "passed", "exceeded",
    "surpassed", "totalled", "totaled", "totals", "worth", "valued", "cost", "costs",
    "measured", "measuring", "estimated", "put", "set", "around", "about", "nearly",
    "almost", NULL};

/* Past tenses that end a noun phrase ("an earthquake struck"): the "-ed" rule misses them. */
static const char *const s_past[] = {"struck", "hit", "left", "took", "came", "went", "made",
    "saw", "told", "began", "shook", "rocked", "broke", "gave", "got", "held", "led", "met",
    "ran", "spoke", "threw", "wrote", "brought", "bought", "caught", "fought", "found",
    "heard", "knew", "sold", "thought", "felt", "drew", "flew", "grew", "sank", "shot",
    "stole", "chose", "became", "swept", "spread", "tore", "won", "lost", "drove", "rode",
    "wore", "woke", "froze", "forgot", "fled", "bit", "hid", "dug", "slid", "spun", NULL};

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
        {"dozens", 24}, {"scores", 24}, {"tens", 20}, {"hundreds", 200}, {"thousands", 2000},
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
    for (const char *const *w = s_kin; *w; w++)
        extract_lex_add(*w, WC_KIN);
    for (const char *const *w = s_links; *w; w++)
        extract_lex_add(*w, WC_QLINK);
    for (const char *const *w = s_past; *w; w++)
        extract_lex_add(*w, WC_NP_END);
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

/* A claim as it is built: the frame slots and what the old fields still say. */
typedef struct {
    double value;
    frame_bound_t bound;
    bool vague;
    size_t n0, n1;            /* the number's tokens, for its span */
    const char *unit;         /* "" for a count */
    char what[96];
    char whose[96];
    const char *pclass;
    char scope[104];
    char period[64];
    const char *place;        /* s_place's answer, or NULL */
    const extract_date_t *date;
    bool total, year;
    char subject[128];
} s_claim_t;

static const char s_bound_char[] = {'=', '~', '>', '<', '<'};

static void s_push_qty(xctx_t *c, const s_claim_t *cl, size_t s0, size_t s1)
{
    extract_quantity_t q;
    memset(&q, 0, sizeof q);
    q.value = cl->value;
    q.approx = cl->vague || cl->bound != FRAME_EXACT;
    q.bound = cl->vague ? '~' : s_bound_char[cl->bound];
    frame_interval_t iv = cl->vague ? frame_vague(cl->value) : frame_interval(cl->value, cl->bound);
    q.low = iv.low;
    q.high = iv.high;
    q.open_low = iv.open_low;
    q.open_high = iv.open_high;
    q.span = extract_span_tok(c, (uint32_t)cl->n0, (uint32_t)cl->n1);
    q.sentence = extract_span_tok(c, (uint32_t)s0, (uint32_t)s1);
    q.in_title = c->tok.v[s0].s < c->body_w;
    q.subject = extract_arena_strndup(c->arena, cl->subject, strlen(cl->subject));
    q.predicate = extract_arena_strndup(c->arena, cl->pclass, strlen(cl->pclass));
    q.unit = extract_arena_strndup(c->arena, cl->unit, strlen(cl->unit));
    q.what = extract_arena_strndup(c->arena, cl->what, strlen(cl->what));
    q.whose = extract_arena_strndup(c->arena, cl->whose, strlen(cl->whose));
    q.scope = extract_arena_strndup(c->arena, cl->scope, strlen(cl->scope));
    char key[FRAME_KEY_MAX];
    frame_key(key, sizeof key, cl->unit, cl->what, cl->whose, cl->pclass, cl->scope, cl->period);
    q.key = extract_arena_strndup(c->arena, key, strlen(key));
    q.place = cl->place ? extract_arena_strndup(c->arena, cl->place, strlen(cl->place)) : NULL;
    if (cl->date) {
        q.time = extract_arena_strndup(c->arena, cl->date->iso, strlen(cl->date->iso));
        q.time_resolved = cl->date->resolved;
    }
    q.total = cl->total;
    q.year = cl->year;
    XVEC_PUSH(c->qty, q);
}

/* Pushes the year of an event or of a thing's making: unit "year", what the event (or
   "" for a thing), whose the thing's entity key. */
static void s_push_year(xctx_t *c, int year, size_t i, size_t s0, size_t s1, const char *what,
                        const char *whose, const char *pred, const char *subject)
{
    s_claim_t cl;
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
    s_push_qty(c, &cl, s0, s1);
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
    const char *name, *pred = s_made_pred(t[v].f);
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
    if (s_made_claim(c, i, s0, s1, year))
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
    s_push_year(c, year, i, s0, s1, event, "", s_events[ev].pred, event);
    return true;
}

/* Predicates that count people: a number with no noun after it counts people when one of
   these says what happened to them ("352 were injured", "wounding 352"). */
static bool s_human_pred(const char *p)
{
    static const char *const h[] = {"killed", "wounded", "arrested", "displaced", "missing",
                                    "abducted", "casualties", NULL};
    for (const char *const *w = h; p && *w; w++)
        if (strcmp(p, *w) == 0)
            return true;
    return false;
}

/* How the words before token b (the number, or the currency before it) qualify it:
   "about", "at least", "more than", "up to", "as many as", "nearly". Sets *q0 to the first
   qualifying token (b when none). */
static frame_bound_t s_bound(const xctx_t *c, size_t b, size_t s0, size_t *q0)
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

/* True when folded word w reads as a plural noun. */
static bool s_plural(const char *w)
{
    size_t n = strlen(w);
    if (strcmp(w, "people") == 0 || strcmp(w, "men") == 0 || strcmp(w, "women") == 0
        || strcmp(w, "children") == 0 || strcmp(w, "police") == 0)
        return true;
    return n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i';
}

/* Reads the counted noun phrase at token k, at most four words: the folded words without a
   country demonym into core, every word into subject, the demonym's country into *owner
   and a predicate that follows the head inside it ("sailors killed") into *pred. Returns
   the token after the phrase. */
static size_t s_np(const xctx_t *c, size_t k, size_t s1, bool unit, char *core, size_t ccap,
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
        if (!(w->flags & TK_WORD) || (w->flags & TK_POSS) || (w->wc & (WC_NP_END | WC_UNIT)))
            break;
        const char *pp = s_qpred(c, k, words > 0 && (t[k - 1].wc & WC_HUMAN));
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
        if (words > 0 && s_plural(t[k - 1].f) && !s_plural(w->f))
            break;
        if (xtok_is(c, k, "how") || xtok_is(c, k, "what") || xtok_is(c, k, "why"))
            break;
        if (w->ent >= 0 && c->ent.v[w->ent].kind == 'p')
            break;   /* "mother of 13 Zurana Horton": a name is no counted noun */
        bool dem = false;
        const char *ctry = s_country_of(c, k, &dem);
        if (ctry && (w->flags & TK_CAP))
            *owner = ctry;
        else if (strcmp(w->f, "total") != 0)   /* "32 million total viewers" */
            s_append(core, ccap, w->f);
        s_append(subject, scap, w->f);
        words++;
        k++;
        end = k;
    }
    return end;
}

/* The noun that link words tie to the number at token b: "the death toll rose to 40", "a
   depth of 10 km", "a blood alcohol level of .41", "revenue rose 5%". Writes its folded
   words (at most three, lower case) into out and a predicate word among them ("toll",
   "dead") into *pred. Returns true when found. */
static bool s_left_noun(const xctx_t *c, size_t b, size_t s0, char *out, size_t cap,
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
        const char *pp = s_pred_tok(c, q);
        if (pp && strcmp(pp, "have") != 0)
            *pred = pp;
        s_append(out, cap, t[q].f);
    }
    return true;
}

/* Singular of a head noun: the regular plural rule and the irregular ones news uses. */
static void s_lemma(char *w)
{
    static const struct { const char *pl, *sg; } irr[] = {
        {"people", "people"}, {"persons", "people"}, {"person", "people"},
        {"individuals", "people"}, {"men", "man"}, {"women", "woman"}, {"children", "child"},
        {"feet", "foot"}, {"teeth", "tooth"}, {"mice", "mouse"}, {"geese", "goose"},
        {"lives", "life"}, {"wives", "wife"}, {"knives", "knife"}, {"thieves", "thief"},
        {"series", "series"}, {"species", "species"}, {"news", "news"},
        {"quake", "earthquake"}, {"quakes", "earthquake"}, {"tremor", "earthquake"},
    };
    for (size_t k = 0; k < sizeof irr / sizeof *irr; k++)
        if (strcmp(w, irr[k].pl) == 0) {
            strcpy(w, irr[k].sg);
            return;
        }
    size_t n = strlen(w);
    if (n > 4 && strcmp(w + n - 3, "men") == 0) {
        w[n - 2] = 'a';   /* "fishermen", "gunmen", "policemen" */
        return;
    }
    s_singular(w);
}

/* The venue a fact is placed at, after the number: "89 were killed at the Bataclan".
   Returns its entity index (not a country nor a place the sentence's s_place gives), or
   -1. Stops at a comma or semicolon. */
static int s_venue(const xctx_t *c, size_t k, size_t s1)
{
    const xtok_t *t = c->tok.v;
    for (size_t q = k; q < s1 && q < k + 10; q++) {
        if (xtok_punct(c, q, ',') || xtok_punct(c, q, ';'))
            break;
        if (!xtok_is(c, q, "at") && !xtok_is(c, q, "inside"))
            continue;
        size_t v = q + 1;
        if (xtok_is(c, v, "the"))
            v++;
        int e = v < s1 ? t[v].ent : -1;
        if (e < 0)
            return -1;
        char kind = c->ent.v[e].kind;
        bool dem = false;
        if (kind == 'p' || (kind == 'l' && s_country_of(c, v, &dem)))
            return -1;
        return e;
    }
    return -1;
}

/* The period a figure covers when the sentence names one: "in its first month", "in three
   months", "over the past year", "a year". Writes it ("first month", "3 month", "per
   year") into out. Returns true when found. */
static bool s_period(const xctx_t *c, size_t k, size_t s1, char *out, size_t cap)
{
    const xtok_t *t = c->tok.v;
    static const char *const units[] = {"day", "week", "month", "year", "quarter", "hour",
                                        "season", "decade", NULL};
    for (size_t q = k; q < s1 && q < k + 10; q++) {
        bool prep = xtok_is(c, q, "in") || xtok_is(c, q, "over") || xtok_is(c, q, "during")
                    || xtok_is(c, q, "within");
        bool rate = xtok_is(c, q, "a") || xtok_is(c, q, "per") || xtok_is(c, q, "each")
                    || xtok_is(c, q, "every");
        if (!prep && !rate)
            continue;
        size_t p = q + 1;
        if (prep && (xtok_is(c, p, "its") || xtok_is(c, p, "the") || xtok_is(c, p, "their")
                     || xtok_is(c, p, "his") || xtok_is(c, p, "her")))
            p++;
        char which[24] = "";
        if (prep && (xtok_is(c, p, "first") || xtok_is(c, p, "last") || xtok_is(c, p, "past")
                     || xtok_is(c, p, "next") || xtok_is(c, p, "opening")))
            snprintf(which, sizeof which, "%s", t[p++].f);
        double n = 0;
        bool approx;
        size_t nt = prep ? extract_quantity_number(c, p, s1, &n, &approx) : 0;
        p += nt;
        if (p >= s1)
            continue;
        char u[24];
        snprintf(u, sizeof u, "%s", t[p].f);
        s_singular(u);
        bool unit = false;
        for (const char *const *w = units; *w; w++)
            unit |= strcmp(u, *w) == 0;
        if (!unit || (prep && !which[0] && !nt) || xtok_is(c, p + 1, "ago"))
            continue;
        if (rate)
            snprintf(out, cap, "per %s", u);
        else if (nt)
            snprintf(out, cap, "%s%s%g %s", which, which[0] ? " " : "", n, u);
        else
            snprintf(out, cap, "%s %s", which, u);
        return true;
    }
    return false;
}

/* "the 81st Academy Awards": the edition of a named event. what "edition", whose the
   event's folded name ("academy award"), "annual" left out. */
static bool s_edition(const xctx_t *c, const s_num_t *n, size_t i, size_t s1, s_claim_t *cl)
{
    const xtok_t *t = c->tok.v;
    size_t k = i + 1;
    if (xtok_is(c, k, "annual"))
        k++;
    char name[96] = "";
    size_t words = 0;
    for (; k < s1 && words < 4 && (t[k].flags & TK_WORD) && (t[k].flags & TK_CAP)
           && !(t[k].flags & TK_POSS); k++, words++)
        s_append(name, sizeof name, t[k].f);
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
    s_singular(last ? last + 1 : name);
    cl->value = n->value;
    cl->unit = "";
    snprintf(cl->what, sizeof cl->what, "edition");
    snprintf(cl->whose, sizeof cl->whose, "%s", name);
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

/* The owner a possessive before token b gives: "the phone's 2GB", "Turkey's 12 posts".
   Writes an entity key (a country as "loc:<country>") or the folded noun. */
static bool s_possessive(const xctx_t *c, size_t b, size_t s0, char *out, size_t cap)
{
    const xtok_t *t = c->tok.v;
    if (b < s0 + 2 || !(t[b - 1].flags & TK_POSS) || !(t[b - 2].flags & TK_WORD))
        return false;
    bool dem = false;
    const char *ctry = s_country_of(c, b - 2, &dem);
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

/* Finishes the slots every claim shares (place and venue, date, period) and pushes it. */
static void s_finish(xctx_t *c, s_claim_t *cl, size_t s0, size_t s1, size_t after,
                     const extract_date_t *dates, int nd)
{
    const xtok_t *t = c->tok.v;
    size_t i = cl->n0;
    /* The place after the number ("killed in Idlib"), else the one before it in the same
       sentence ("capsized off Port Said, killing 14"). */
    cl->place = s_place(c, i, s1);
    if (!cl->place)
        cl->place = s_place(c, s0, i);
    int venue = s_venue(c, after, s1);
    if (venue >= 0)
        snprintf(cl->scope, sizeof cl->scope, "part:%s", c->ent.v[venue].key);
    else if (cl->place)
        snprintf(cl->scope, sizeof cl->scope, "%s", cl->place);
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
    cl->date = date;
    bool total = date && date->period;
    for (size_t q = after; q < s1; q++)
        if (xtok_is(c, q, "alone") || (xtok_is(c, q, "so") && xtok_is(c, q + 1, "far"))
            || (xtok_is(c, q, "total") && q > 0 && xtok_is(c, q - 1, "in"))
            || xtok_is(c, q, "altogether"))
            total = true;
    char span[40] = "";
    if (s_period(c, after, s1, span, sizeof span))
        total = true;
    char bucket[40] = "";
    if (date && (date->resolved || total)) {
        if (total || date->gran == 'm' || date->gran == 'y')
            snprintf(bucket, sizeof bucket, "%s", date->iso);
        else if (date->y)
            snprintf(bucket, sizeof bucket, "%04d-%02d", date->y, date->m);
    }
    cl->total = total;
    if (total)
        snprintf(cl->period, sizeof cl->period, "%s%s%s", span[0] ? span : "total",
                 bucket[0] ? " " : "", bucket);
    else
        snprintf(cl->period, sizeof cl->period, "%s", bucket);
    s_push_qty(c, cl, s0, s1);
}

/* True when predicate word k is a noun ("death", "toll", "casualties"): beside a count
   it names another thing ("the death sentence") unless it is the count's own head. */
static bool s_noun_pred(const xctx_t *c, size_t k)
{
    static const char *const nouns[] = {"death", "deaths", "toll", "lives", "martyrs",
                                        "fatalities", "casualties", "injuries", NULL};
    for (const char *const *w = nouns; *w; w++)
        if (xtok_is(c, k, *w))
            return true;
    return false;
}

/* The predicate of a count at number tokens [i, i + nt) whose noun phrase ends at sub1:
   a predicate inside the phrase, else a verb right before the number ("killing 129
   people and wounding 352"), else one to the right of the phrase up to the next clause,
   else one to the left. Sets *l0 to where a left predicate was found. */
static const char *s_count_pred(const xctx_t *c, const char *in_np, size_t q0, size_t sub1,
                                size_t s0, size_t s1, bool human, size_t *l0)
{
    const xtok_t *t = c->tok.v;
    const char *pred = in_np;
    *l0 = q0;
    if (pred)
        return pred;
    if (q0 > s0) {
        const char *pp = s_qpred(c, q0 - 1, human);
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
        if (xtok_is(c, q, "and") && s_pred_tok(c, q + 1) && q + 2 < s1
            && ((t[q + 2].flags & TK_NUM) || (t[q + 2].wc & (WC_NUMWORD | WC_APPROX | WC_VAGUE))))
            break;
        if (q > sub1 && ((t[q].flags & TK_NUM) || (t[q].wc & WC_NUMWORD)))
            break;
        if (human && xtok_is(c, q, "on") && xtok_is(c, q + 1, "board")) {
            pred = "aboard";   /* "had 112 people on board" */
            break;
        }
        const char *pp = s_qpred(c, q, human);
        /* a noun ("the death sentence") or a gerund ("accused of killing") to the right
           says nothing of what happened to the counted */
        if (pp && s_noun_pred(c, q))
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
            const char *pp = s_qpred(c, q - 1, human);
            /* "the death penalty and three voting" is no toll, "the deaths of 33" is */
            if (pp && s_noun_pred(c, q - 1) && !xtok_is(c, q, "of"))
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

/* The owner of "Turkey has 12 observation posts": the clause's subject right before the
   verb at l0, a country, a person, or for "have" any named thing. */
static bool s_subject_owner(const xctx_t *c, size_t l0, size_t s0, char *out, size_t cap,
                            bool have)
{
    const xtok_t *t = c->tok.v;
    for (size_t q = l0; q > s0 && q + 6 > l0; q--) {
        int e = t[q - 1].ent;
        if (e >= 0 && c->ent.v[e].kind == 'l') {
            const char *ctry = s_country_of(c, q - 1, NULL);
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
        if (t[q - 1].flags & TK_PUNCT)
            break;
    }
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
            size_t c0 = i;
            const char *cur = extract_unit_currency_before(c, i, s0, &c0);
            s_num_t n;
            size_t nt = s_number(c, i, s1, cur != NULL, &n);
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
                    s_year_claim(c, i, s0, s1, (int)n.value);
                continue;
            }
            if (in_date || extract_unit_not_claim(c, i, s0, s1)) {
                i += nt - 1;
                continue;
            }
            s_claim_t cl;
            memset(&cl, 0, sizeof cl);
            cl.n0 = n.dot ? i - 1 : c0;
            cl.n1 = i + nt;
            cl.value = n.value;
            cl.vague = n.vague;
            cl.unit = "";
            if (n.ordinal) {
                if (s_edition(c, &n, i, s1, &cl))
                    s_finish(c, &cl, s0, s1, i + 1, dates, nd);
                continue;
            }
            size_t q0;
            cl.bound = n.vague ? FRAME_EXACT : s_bound(c, cl.n0, s0, &q0);
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
                    s_push_qty(c, &cl, s0, s1);
                    i += nt - 1;
                    continue;
                }
            }
            if (xtok_punct(c, k, '-') && (t[k + 1 < s1 ? k + 1 : k].wc & WC_DURATION)) {
                i += nt - 1;   /* "a 3-day visit", "a 10-year-old car" */
                continue;
            }
            cl.unit = unit ? unit : "";
            /* counted noun phrase */
            if (unit && xtok_is(c, k, "worth") && xtok_is(c, k + 1, "of"))
                k++;   /* "$108 million worth of diamonds" */
            if (k < s1 && xtok_is(c, k, "of") && (n.vague || unit || xtok_is(c, i, "dozen")))
                k++;
            else if (k < s1 && xtok_is(c, k, "in") && cur)
                k++;   /* "€193,000 in damages" */
            if (k < s1 && xtok_is(c, k, "the") && t[k - 1].f[0] == 'o')
                k++;
            char core[128] = "";
            const char *owner = NULL, *np_pred = NULL;
            size_t sub1 = s_np(c, k, s1, unit != NULL, core, sizeof core, cl.subject,
                               sizeof cl.subject, &owner, &np_pred);
            if (sub1 == k)
                sub1 = i + nt;
            const char *head = strrchr(core, ' ');
            head = head ? head + 1 : core;
            /* durations ("two weeks") and frequencies are not claims */
            if (!unit && core[0] && (extract_lex_bits(head) & WC_DURATION)) {
                i += nt - 1;
                continue;
            }
            bool human = !core[0] || (extract_lex_bits(head) & WC_HUMAN) != 0;
            size_t l0;
            const char *pred = s_count_pred(c, np_pred, q0, core[0] ? sub1 : i + nt, s0, s1,
                                            human, &l0);
            if (!pred && !core[0] && k < s1 && (t[k].wc & WC_QPRED) && s_human_pred(s_pred_tok(c, k)))
                pred = s_pred_tok(c, k);   /* "40 dead" */
            char left[96] = "";
            const char *left_pred = NULL;
            if (!core[0] && !s_human_pred(pred))
                s_left_noun(c, q0, s0, left, sizeof left, &left_pred);
            if (!core[0] && s_human_pred(left_pred) && !unit) {
                pred = left_pred;   /* "the death toll rose to 40" */
                left[0] = 0;
            }
            if (!unit && strstr(core[0] ? core : left, "alcohol"))
                unit = FRAME_UNIT_PERCENT;   /* blood alcohol is given in percent */
            cl.unit = unit ? unit : "";
            if (!core[0] && !unit && !s_human_pred(pred)) {
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
                s_lemma(last ? last + 1 : core);
                snprintf(cl.what, sizeof cl.what, "%s", core);
            } else if (left[0]) {
                snprintf(cl.what, sizeof cl.what, "%s", left);
            } else if (!unit) {
                snprintf(cl.what, sizeof cl.what, "people");
                snprintf(cl.subject, sizeof cl.subject, "people");
            }
            /* heads that name the outcome: "98 survivors", "40 deaths", "40 fatalities" */
            if (!unit) {
                const char *last = strrchr(cl.what, ' ');
                const char *hp = s_head_pred(last ? last + 1 : cl.what);
                if (hp && (strcmp(pred, "have") == 0 || strcmp(pred, "count") == 0))
                    pred = hp;
                if (hp && strcmp(hp, pred) == 0 && strcmp(hp, "survived") != 0)
                    snprintf(cl.what, sizeof cl.what, "people");
            }
            cl.pclass = pred;
            /* whose */
            if (!s_possessive(c, q0, s0, cl.whose, sizeof cl.whose)) {
                if (owner) {
                    char f[64];
                    extract_text_fold((const uint8_t *)owner, strlen(owner), f, sizeof f);
                    snprintf(cl.whose, sizeof cl.whose, "loc:%s", f);
                } else if (strcmp(pred, "aboard") == 0) {
                    int craft = s_aboard_craft(c, s0, i, sub1, s1);
                    /* without the kind prefix: "the Coral Wren had" may not know it
                       for a craft */
                    if (craft >= 0)
                        snprintf(cl.whose, sizeof cl.whose, "%s", c->ent.v[craft].key + 4);
                } else if (!s_human_pred(pred)) {
                    s_subject_owner(c, l0, s0, cl.whose, sizeof cl.whose,
                                    strcmp(pred, "have") == 0);
                }
            }
            s_finish(c, &cl, s0, s1, sub1, dates, nd);
            i += nt - 1;
        }
    }
    s_article_pass(c);
}
