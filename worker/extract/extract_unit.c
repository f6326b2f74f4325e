/*  extract_unit: unit spellings to frame unit names (see extract_unit.h). One table holds
    every spelling; a word's entry in extract_lex points into it (xlex_t.unit), so looking
    a token up costs nothing beyond the tokenizer's probe. */
#include "extract_unit.h"

#include <string.h>

static const struct { const char *w, *unit; int kind; } s_units[] = {
    /* lengths and distances */
    {"m", "m", UNIT_MEASURE}, {"metre", "m", UNIT_MEASURE}, {"metres", "m", UNIT_MEASURE},
    {"meter", "m", UNIT_MEASURE}, {"meters", "m", UNIT_MEASURE},
    {"km", "km", UNIT_MEASURE}, {"kms", "km", UNIT_MEASURE}, {"kilometre", "km", UNIT_MEASURE},
    {"kilometres", "km", UNIT_MEASURE}, {"kilometer", "km", UNIT_MEASURE},
    {"kilometers", "km", UNIT_MEASURE}, {"cm", "cm", UNIT_MEASURE},
    {"centimetre", "cm", UNIT_MEASURE}, {"centimetres", "cm", UNIT_MEASURE},
    {"centimeter", "cm", UNIT_MEASURE}, {"centimeters", "cm", UNIT_MEASURE},
    {"mm", "mm", UNIT_MEASURE}, {"millimetre", "mm", UNIT_MEASURE},
    {"millimetres", "mm", UNIT_MEASURE}, {"millimeter", "mm", UNIT_MEASURE},
    {"millimeters", "mm", UNIT_MEASURE}, {"ft", "ft", UNIT_MEASURE},
    {"foot", "ft", UNIT_MEASURE}, {"feet", "ft", UNIT_MEASURE}, {"inch", "inch", UNIT_MEASURE},
    {"inches", "inch", UNIT_MEASURE}, {"in.", "inch", UNIT_MEASURE},
    {"yard", "yd", UNIT_MEASURE}, {"yards", "yd", UNIT_MEASURE}, {"yd", "yd", UNIT_MEASURE},
    {"mile", "mi", UNIT_MEASURE}, {"miles", "mi", UNIT_MEASURE},
    /* weights */
    {"kg", "kg", UNIT_MEASURE}, {"kgs", "kg", UNIT_MEASURE}, {"kilo", "kg", UNIT_MEASURE},
    {"kilos", "kg", UNIT_MEASURE}, {"kilogram", "kg", UNIT_MEASURE},
    {"kilograms", "kg", UNIT_MEASURE}, {"kilogramme", "kg", UNIT_MEASURE},
    {"kilogrammes", "kg", UNIT_MEASURE}, {"gram", "g", UNIT_MEASURE},
    {"grams", "g", UNIT_MEASURE}, {"gramme", "g", UNIT_MEASURE}, {"grammes", "g", UNIT_MEASURE},
    {"tonne", "tonne", UNIT_MEASURE}, {"tonnes", "tonne", UNIT_MEASURE},
    {"ton", "ton", UNIT_MEASURE}, {"tons", "ton", UNIT_MEASURE},
    {"lb", "lb", UNIT_MEASURE}, {"lbs", "lb", UNIT_MEASURE}, {"pound", "lb", UNIT_MEASURE},
    {"pounds", "lb", UNIT_MEASURE}, {"ounce", "oz", UNIT_MEASURE},
    {"ounces", "oz", UNIT_MEASURE}, {"oz", "oz", UNIT_MEASURE},
    /* speeds, areas, volumes */
    {"mph", "mph", UNIT_MEASURE}, {"kph", "kmh", UNIT_MEASURE}, {"kmh", "kmh", UNIT_MEASURE},
    {"km/h", "kmh", UNIT_MEASURE}, {"knot", "knot", UNIT_MEASURE},
    {"knots", "knot", UNIT_MEASURE}, {"hectare", "ha", UNIT_MEASURE},
    {"hectares", "ha", UNIT_MEASURE}, {"acre", "acre", UNIT_MEASURE},
    {"acres", "acre", UNIT_MEASURE}, {"litre", "l", UNIT_MEASURE}, {"litres", "l", UNIT_MEASURE},
    {"liter", "l", UNIT_MEASURE}, {"liters", "l", UNIT_MEASURE}, {"gallon", "gal", UNIT_MEASURE},
    {"gallons", "gal", UNIT_MEASURE}, {"barrel", "barrel", UNIT_MEASURE},
    {"barrels", "barrel", UNIT_MEASURE},
    /* temperatures, energy, power, storage, devices */
    {"degree", "degree", UNIT_MEASURE}, {"degrees", "degree", UNIT_MEASURE},
    {"celsius", "degree", UNIT_MEASURE}, {"fahrenheit", "degf", UNIT_MEASURE},
    {"mah", "mah", UNIT_MEASURE}, {"gb", "gb", UNIT_MEASURE}, {"gigabyte", "gb", UNIT_MEASURE},
    {"gigabytes", "gb", UNIT_MEASURE}, {"mb", "mb", UNIT_MEASURE},
    {"megabyte", "mb", UNIT_MEASURE}, {"megabytes", "mb", UNIT_MEASURE},
    {"tb", "tb", UNIT_MEASURE}, {"terabyte", "tb", UNIT_MEASURE},
    {"terabytes", "tb", UNIT_MEASURE}, {"kb", "kb", UNIT_MEASURE},
    {"ghz", "ghz", UNIT_MEASURE}, {"mhz", "mhz", UNIT_MEASURE}, {"hz", "hz", UNIT_MEASURE},
    {"mbps", "mbps", UNIT_MEASURE}, {"gbps", "gbps", UNIT_MEASURE},
    {"megapixel", "megapixel", UNIT_MEASURE}, {"megapixels", "megapixel", UNIT_MEASURE},
    {"mp", "megapixel", UNIT_MEASURE}, {"mw", "mw", UNIT_MEASURE},
    {"megawatt", "mw", UNIT_MEASURE}, {"megawatts", "mw", UNIT_MEASURE},
    {"kw", "kw", UNIT_MEASURE}, {"kilowatt", "kw", UNIT_MEASURE},
    {"kilowatts", "kw", UNIT_MEASURE}, {"gw", "gw", UNIT_MEASURE}, {"kwh", "kwh", UNIT_MEASURE},
    {"watt", "w", UNIT_MEASURE}, {"watts", "w", UNIT_MEASURE},
    {"magnitude", "magnitude", UNIT_MEASURE},
    /* money */
    {"dollar", "usd", UNIT_MONEY}, {"dollars", "usd", UNIT_MONEY}, {"usd", "usd", UNIT_MONEY},
    {"euro", "eur", UNIT_MONEY}, {"euros", "eur", UNIT_MONEY}, {"eur", "eur", UNIT_MONEY},
    {"sterling", "gbp", UNIT_MONEY}, {"gbp", "gbp", UNIT_MONEY}, {"yen", "jpy", UNIT_MONEY},
    {"yuan", "cny", UNIT_MONEY}, {"renminbi", "cny", UNIT_MONEY},
    {"rupee", "inr", UNIT_MONEY}, {"rupees", "inr", UNIT_MONEY}, {"rouble", "rub", UNIT_MONEY},
    {"roubles", "rub", UNIT_MONEY}, {"ruble", "rub", UNIT_MONEY}, {"rubles", "rub", UNIT_MONEY},
    {"lira", "try", UNIT_MONEY}, {"liras", "try", UNIT_MONEY},
    /* percent */
    {"percent", "percent", UNIT_PERCENT}, {"%", "percent", UNIT_PERCENT},
    {"pc", "percent", UNIT_PERCENT},
};

/* Glued scale suffixes: "$3bn", "£5m", "$50k". */
static const struct { const char *w; int e; } s_scales[] = {
    {"bn", 9}, {"b", 9}, {"m", 6}, {"mn", 6}, {"mln", 6}, {"k", 3}, {"tn", 12}, {"trn", 12},
};

/* Words before a number that make it a label, not a count. */
static const char *const s_labels[] = {
    "page", "pages", "p.", "pp.", "no.", "nos.", "number", "route", "highway", "interstate",
    "chapter", "section", "article", "room", "gate", "flight", "platform", "exit", "episode",
    "season", "game", "round", "stage", "volume", "vol.", "issue", "item", "unit", "apartment",
    "apt.", "suite", "channel", "line", "bus", "track", "channel", "version", "level", "grade",
    "category", "class", "model", "paragraph", "clause", "resolution", "act", "phase", "week",
    "day", "stage", "hole", "lap", "mile", "heat", "leg", "pier", "terminal", "lane", "row",
    "seat", "box", "bay", "ward", "block", "building", "floor", "district", "precinct",
    "zone", "area", "sector", "region", "exhibit", "figure", "fig.", "table", "step", "part",
    "grade", "size", "number", "code", NULL};

/* Clock words after a number: "9 p.m.", "11 am", "6 o'clock". */
static const char *const s_clock[] = {"am", "pm", "a.m.", "p.m.", "a.m", "p.m", "o'clock",
                                      "gmt", "utc", "edt", "est", "pdt", "pst", "cet", "bst",
                                      NULL};

/* Street words: "1600 Pennsylvania Avenue", "10 Downing Street". */
static const char *const s_street[] = {"street", "st.", "avenue", "ave", "ave.", "road", "rd",
                                       "rd.", "boulevard", "blvd", "blvd.", "lane", "drive",
                                       "dr.", "way", "place", "court", "terrace", "crescent",
                                       "highway", "parkway", "square", "close", NULL};

void extract_unit_lex(void)
{
    for (size_t k = sizeof s_units / sizeof *s_units; k-- > 0;)
        extract_lex_add(s_units[k].w, WC_UNIT)->unit = (uint8_t)(k + 1);
    for (const char *const *w = s_labels; *w; w++)
        extract_lex_add(*w, WC_LABEL);
    for (const char *const *w = s_clock; *w; w++)
        extract_lex_add(*w, WC_CLOCK);
    for (const char *const *w = s_street; *w; w++)
        extract_lex_add(*w, WC_STREET);
}

const char *extract_unit_suffix(const char *suffix, int *kind)
{
    const xlex_t *x = extract_lex_find(suffix);
    if (!x || !(x->bits & WC_UNIT) || !x->unit)
        return NULL;
    /* spelled-out words are never glued: "5feet" is a typo, not a form */
    size_t n = strlen(suffix);
    if (n > 9 || (s_units[x->unit - 1].kind == UNIT_MONEY))
        return NULL;
    *kind = s_units[x->unit - 1].kind;
    return s_units[x->unit - 1].unit;
}

int extract_unit_scale(const char *suffix)
{
    for (size_t k = 0; k < sizeof s_scales / sizeof *s_scales; k++)
        if (strcmp(suffix, s_scales[k].w) == 0)
            return s_scales[k].e;
    return 0;
}

const char *extract_unit_at(const xctx_t *c, size_t k, bool after_scale, size_t *nt, int *kind)
{
    *nt = 0;
    if (k >= c->tok.n)
        return NULL;
    const xtok_t *t = &c->tok.v[k];
    /* "per cent", "square feet", "nautical miles", "cubic metres" */
    if (xtok_is(c, k, "per") && xtok_is(c, k + 1, "cent")) {
        *nt = 2, *kind = UNIT_PERCENT;
        return "percent";
    }
    if (xtok_is(c, k, "percentage") && (xtok_is(c, k + 1, "points") || xtok_is(c, k + 1, "point"))) {
        *nt = 2, *kind = UNIT_MEASURE;
        return "pp";
    }
    if ((xtok_is(c, k, "square") || xtok_is(c, k, "sq")) && (c->tok.v[k + 1 < c->tok.n ? k + 1 : k].wc & WC_UNIT)
        && k + 1 < c->tok.n) {
        const xlex_t *x = extract_lex_entry(c->tok.v[k + 1].lex);
        static char sq[][8] = {"sq m", "sq km", "sq ft", "sq mi", "sq"};
        const char *u = s_units[x->unit - 1].unit;
        const char *r = strcmp(u, "m") == 0 ? sq[0] : strcmp(u, "km") == 0 ? sq[1]
                      : strcmp(u, "ft") == 0 ? sq[2] : strcmp(u, "mi") == 0 ? sq[3] : NULL;
        if (r) {
            *nt = 2, *kind = UNIT_MEASURE;
            return r;
        }
    }
    if (xtok_is(c, k, "nautical") && (xtok_is(c, k + 1, "miles") || xtok_is(c, k + 1, "mile"))) {
        *nt = 2, *kind = UNIT_MEASURE;
        return "nmi";
    }
    if (!(t->wc & WC_UNIT) || !t->lex)
        return NULL;
    const xlex_t *x = extract_lex_entry(t->lex);
    if (!x->unit)
        return NULL;
    const char *u = s_units[x->unit - 1].unit;
    *kind = s_units[x->unit - 1].kind;
    /* "3 million pounds" is money, "200 pounds" a weight */
    if (strcmp(u, "lb") == 0 && (xtok_is(c, k, "pounds") || xtok_is(c, k, "pound")) && after_scale) {
        u = "gbp";
        *kind = UNIT_MONEY;
    }
    /* a bare "m" or "in." spelled apart is rarely the unit: "2 m" yes, "in." no */
    if (strcmp(t->f, "in.") == 0)
        return NULL;
    *nt = 1;
    return u;
}

const char *extract_unit_currency(const xctx_t *c, size_t k, size_t *nt)
{
    *nt = 1;
    if (k >= c->tok.n)
        return NULL;
    const char *f = c->tok.v[k].f;
    if (strcmp(f, "$") == 0) {
        return "usd";
    }
    if (strcmp(f, "\xe2\x82\xac") == 0)
        return "eur";
    if (strcmp(f, "\xc2\xa3") == 0)
        return "gbp";
    if (strcmp(f, "\xc2\xa5") == 0)
        return "jpy";
    if (strcmp(f, "\xe2\x82\xb9") == 0 || strcmp(f, "rs") == 0 || strcmp(f, "rs.") == 0)
        return "inr";
    if ((strcmp(f, "us") == 0 || strcmp(f, "a") == 0 || strcmp(f, "c") == 0
         || strcmp(f, "hk") == 0 || strcmp(f, "nz") == 0 || strcmp(f, "s") == 0)
        && (c->tok.v[k].flags & TK_CAP) && xtok_punct(c, k + 1, '$')
        && c->tok.v[k].e == c->tok.v[k + 1].s) {
        *nt = 2;
        return strcmp(f, "us") == 0 ? "usd" : strcmp(f, "a") == 0 ? "aud"
             : strcmp(f, "c") == 0 ? "cad" : strcmp(f, "hk") == 0 ? "hkd"
             : strcmp(f, "nz") == 0 ? "nzd" : "sgd";
    }
    if (strcmp(f, "usd") == 0 || strcmp(f, "eur") == 0 || strcmp(f, "gbp") == 0)
        return f;
    return NULL;
}

const char *extract_unit_currency_before(const xctx_t *c, size_t i, size_t lo, size_t *t0)
{
    if (i <= lo)
        return NULL;
    size_t nt;
    /* the symbol touches the number ("$3bn"), a code may stand apart ("USD 3bn") */
    const char *u = extract_unit_currency(c, i - 1, &nt);
    if (u && nt == 1) {
        if (i >= lo + 2) {
            size_t nt2;
            const char *u2 = extract_unit_currency(c, i - 2, &nt2);
            if (u2 && nt2 == 2) {
                *t0 = i - 2;
                return u2;
            }
        }
        *t0 = i - 1;
        return u;
    }
    return NULL;
}

/* True when token k's raw text holds an upper-case ASCII letter ("iPhone", "USB"). */
static bool s_has_upper(const xctx_t *c, size_t k)
{
    for (uint32_t p = c->tok.v[k].s; p < c->tok.v[k].e; p++)
        if (c->w[p] >= 'A' && c->w[p] <= 'Z')
            return true;
    return false;
}

/* True when tokens a and b touch (no space between). */
static bool s_touch(const xctx_t *c, size_t a, size_t b)
{
    return b < c->tok.n && c->tok.v[a].e == c->tok.v[b].s;
}

/* Words that may stand capitalized right before a count without naming a model. */
static bool s_cap_ok(const xctx_t *c, size_t k)
{
    const xtok_t *t = &c->tok.v[k];
    uint64_t ok = WC_APPROX | WC_NP_END | WC_QPRED | WC_UNIT | WC_MONTH | WC_WEEKDAY
                  | WC_DATE_START | WC_QPLACE_PREP | WC_PLACE_PREP | WC_NUMWORD | WC_QLINK;
    if (t->wc & ok)
        return true;
    /* a person's surname before an age: "Jackman 40" is rare, "Jackman, 40" has a comma */
    return false;
}

bool extract_unit_not_claim(const xctx_t *c, size_t i, size_t s0, size_t s1)
{
    const xtok_t *t = c->tok.v;
    /* "9:25", "16:9", "3-1", "1989-90", "555-1234", "24/7": two numbers joined by a mark */
    if (i + 2 < s1 && (xtok_punct(c, i + 1, ':') || xtok_punct(c, i + 1, '-')
                       || xtok_punct(c, i + 1, '/') || xtok_punct(c, i + 1, '.'))
        && s_touch(c, i, i + 1) && s_touch(c, i + 1, i + 2) && (t[i + 2].flags & TK_NUM))
        return true;
    if (i >= s0 + 2 && (xtok_punct(c, i - 1, ':') || xtok_punct(c, i - 1, '-')
                        || xtok_punct(c, i - 1, '/'))
        && s_touch(c, i - 2, i - 1) && s_touch(c, i - 1, i) && (t[i - 2].flags & TK_NUM))
        return true;
    /* "a .45-caliber handgun", "a 12-gauge shotgun": a weapon's bore, not a count */
    if (i + 2 < s1 && xtok_punct(c, i + 1, '-') && s_touch(c, i, i + 1)
        && (xtok_is(c, i + 2, "caliber") || xtok_is(c, i + 2, "calibre")
            || xtok_is(c, i + 2, "gauge")))
        return true;
    /* "(212) 555": an area code */
    if (i > s0 && xtok_punct(c, i - 1, '(') && xtok_punct(c, i + 1, ')') && i + 2 < s1
        && (t[i + 2].flags & TK_NUM))
        return true;
    /* clock words after: "11 p.m.", "6 o'clock", "0900 GMT" */
    if (i + 1 < s1 && (t[i + 1].wc & WC_CLOCK) && !(t[i + 1].flags & TK_PUNCT)) {
        /* "am" is also a verb: only lower-case or dotted forms, or "AM"/"PM" in caps */
        if (!xtok_is(c, i + 1, "am") || !(t[i + 1].flags & TK_CAP) || (t[i + 1].flags & TK_ALLCAP))
            return true;
    }
    if (i > s0) {
        /* "No. 1", "p. 4" */
        if (xtok_punct(c, i - 1, '.') && i >= s0 + 2 && (xtok_is(c, i - 2, "no") || xtok_is(c, i - 2, "p")
                                                     || xtok_is(c, i - 2, "pp") || xtok_is(c, i - 2, "nos")))
            return true;
        if ((t[i - 1].wc & WC_LABEL) && (t[i - 1].flags & TK_WORD))
            return true;
        /* a name before the number: "Android 4.4", "Boeing 737", "Apollo 11", "USB 3.0",
           "iPhone 5". At a sentence's start only a word of no list ("Android", not
           "About"). */
        if ((t[i - 1].flags & TK_WORD) && s_has_upper(c, i - 1) && !s_cap_ok(c, i - 1)
            && !(t[i - 1].flags & TK_ABBR)) {
            bool first = i - 1 == s0 || (t[i - 1].flags & TK_SSTART);
            if (!first || !t[i - 1].lex)
                return true;
        }
    }
    /* "the 3400 block of Thorpe Street", "a .357 caliber gun", "a 911 call" */
    if (i + 1 < s1 && (xtok_is(c, i + 1, "block") || xtok_is(c, i + 1, "caliber")
                       || xtok_is(c, i + 1, "calibre") || xtok_is(c, i + 1, "magnum")))
        return true;
    if (xtok_is(c, i, "911"))
        return true;
    /* "1 in 500 users", "one in five": a rate, not a count */
    if ((i >= s0 + 2 && xtok_is(c, i - 1, "in")
         && ((t[i - 2].flags & TK_NUM) || (t[i - 2].wc & WC_NUMWORD) || xtok_is(c, i - 2, "one")))
        || (i + 2 < s1 && xtok_is(c, i + 1, "in")
            && (((t[i + 2].flags & TK_NUM) && t[i + 2].e - t[i + 2].s != 4)
                || (t[i + 2].wc & WC_NUMWORD))))
        return true;
    /* "10 Downing Street", "1600 Pennsylvania Avenue" */
    for (size_t k = i + 1; k < s1 && k <= i + 4; k++) {
        if (!(t[k].flags & TK_WORD))
            break;
        if ((t[k].wc & WC_STREET) && k > i + 1 && (t[k].flags & TK_CAP))
            return true;
        if (!(t[k].flags & TK_CAP))
            break;
    }
    return false;
}
