/*  extract_qword (see extract_qword.h). */
#include "extract_qword.h"
#include "extract_entity.h"

#include <stdio.h>
#include <string.h>

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
       is read in extract_quantity_find); only for people (extract_qword_qpred) */
    {"carrying", "aboard"}, {"carried", "aboard"}, {"carries", "aboard"},
    {"aboard", "aboard"}, {"onboard", "aboard"},
};

const char *extract_qword_predicate(const char *f)
{
    const xlex_t *x = extract_lex_find(f);
    return x && (x->bits & WC_QPRED) ? s_pred[x->pred - 1].p : NULL;
}

const char *extract_qword_pred_tok(const xctx_t *c, size_t q)
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

const char *extract_qword_event_name(int ev)
{
    return s_events[ev].event;
}

const char *extract_qword_event_pred(int ev)
{
    return s_events[ev].pred;
}

const char *extract_qword_qpred(const xctx_t *c, size_t q, bool human)
{
    const char *p = extract_qword_pred_tok(c, q);
    if (p && strcmp(p, "aboard") == 0 && (!human || xtok_is(c, q + 1, "out")))
        return NULL;
    return p;
}

const char *extract_qword_head_pred(const char *head)
{
    static const struct { const char *head, *pred; } heads[] = {
        {"survivor", "survived"}, {"death", "killed"}, {"fatality", "killed"},
        {"casualty", "casualties"}};
    for (size_t k = 0; k < sizeof heads / sizeof *heads; k++)
        if (strcmp(head, heads[k].head) == 0)
            return heads[k].pred;
    return NULL;
}

int extract_qword_event(const xctx_t *c, size_t k)
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

void extract_qword_lex(void)
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

const char *extract_qword_made_pred(const char *f)
{
    for (size_t k = 0; k < sizeof s_made / sizeof *s_made; k++)
        if (strcmp(f, s_made[k].w) == 0)
            return s_made[k].pred;
    return NULL;
}

void extract_qword_singular(char *w)
{
    /* "-es" plurals whose singular ends in "-us" or "-o", and "-ches" words whose singular
       keeps its "e" ("headaches"): too few to rule, listed */
    static const char *const es_drop[] = {"buses", "viruses", "bonuses", "campuses",
        "censuses", "statuses", "circuses", "choruses", "geniuses", "heroes", "potatoes",
        "tomatoes", "vetoes", "echoes", "torpedoes", "volcanoes", "cargoes", NULL};
    static const char *const che_keep[] = {"headaches", "aches", "niches", "avalanches",
        "caches", "moustaches", "mustaches", "psyches", "quiches", NULL};
    size_t n = strlen(w);
    for (const char *const *x = es_drop; *x; x++)
        if (strcmp(w, *x) == 0) {
            w[n - 2] = 0;
            return;
        }
    for (const char *const *x = che_keep; *x; x++)
        if (strcmp(w, *x) == 0) {
            w[n - 1] = 0;
            return;
        }
    if (n > 4 && strcmp(w + n - 3, "ies") == 0)
        strcpy(w + n - 3, "y");
    else if (n > 4 && (strcmp(w + n - 4, "sses") == 0 || strcmp(w + n - 4, "ches") == 0
                       || strcmp(w + n - 4, "shes") == 0 || strcmp(w + n - 4, "zzes") == 0
                       || strcmp(w + n - 3, "xes") == 0))
        w[n - 2] = 0;   /* "passes", "punches", "crashes", "quizzes", "boxes" */
    else if (n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i')
        w[n - 1] = 0;
}

void extract_qword_append(char *buf, size_t cap, const char *w)
{
    size_t n = strlen(buf);
    if (n && n + 1 < cap)
        buf[n++] = ' ', buf[n] = 0;
    snprintf(buf + n, cap - n, "%s", w);
}

const char *extract_qword_country(const xctx_t *c, size_t i, bool *demonym)
{
    return extract_entity_country_hash(c->res, c->tok.v[i].f, c->tok.v[i].hash, demonym);
}

bool extract_qword_human_pred(const char *p)
{
    static const char *const h[] = {"killed", "wounded", "arrested", "displaced", "missing",
                                    "abducted", "casualties", NULL};
    for (const char *const *w = h; p && *w; w++)
        if (strcmp(p, *w) == 0)
            return true;
    return false;
}

bool extract_qword_plural(const char *w)
{
    size_t n = strlen(w);
    if (strcmp(w, "people") == 0 || strcmp(w, "men") == 0 || strcmp(w, "women") == 0
        || strcmp(w, "children") == 0 || strcmp(w, "police") == 0)
        return true;
    return n > 3 && w[n - 1] == 's' && w[n - 2] != 's' && w[n - 2] != 'u' && w[n - 2] != 'i';
}

void extract_qword_lemma(char *w)
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
    extract_qword_singular(w);
}

bool extract_qword_noun_pred(const xctx_t *c, size_t k)
{
    static const char *const nouns[] = {"death", "deaths", "toll", "lives", "martyrs",
                                        "fatalities", "casualties", "injuries", NULL};
    for (const char *const *w = nouns; *w; w++)
        if (xtok_is(c, k, *w))
            return true;
    return false;
}

bool extract_qword_viewing(const xctx_t *c, size_t k, size_t s1)
{
    static const char *const verbs[] = {"watched", "watching", "watch", "tuned", "tuning",
                                        "viewed", "viewing", NULL};
    for (size_t q = k; q < s1 && q < k + 3; q++) {
        if (c->tok.v[q].flags & TK_PUNCT)
            return false;
        for (const char *const *w = verbs; *w; w++)
            if (xtok_is(c, q, *w))
                return true;
    }
    return false;
}

bool extract_qword_parent(const char *f)
{
    static const char *const parents[] = {"mother", "father", "grandmother", "grandfather",
                                          "mom", "dad", "parents", "parent", NULL};
    for (const char *const *w = parents; *w; w++)
        if (strcmp(f, *w) == 0)
            return true;
    return false;
}

bool extract_qword_stat(const char *f)
{
    static const char *const stats[] = {"point", "rebound", "assist", "steal", "block",
        "goal", "touchdown", "yard", "pass", "interception", "sack", "tackle", "punch",
        "knockout", "ko", "run", "homer", "strikeout", "save", "ace", "basket", "three-pointer",
        "reception", "carry", "birdie", "wicket", NULL};
    char w[32];
    snprintf(w, sizeof w, "%s", f);
    extract_qword_lemma(w);
    for (const char *const *x = stats; *x; x++)
        if (strcmp(w, *x) == 0)
            return true;
    return false;
}

bool extract_qword_contract(const char *f)
{
    static const char *const words[] = {"contract", "contracts", "deal", "deals", "extension",
                                        "agreement", "pact", NULL};
    for (const char *const *w = words; *w; w++)
        if (strcmp(f, *w) == 0)
            return true;
    return false;
}
