/*  extract_entity: capitalized-sequence heuristics with cues (titles, organization words,
    prepositions of place, country names from iso-codes), then in-article linking.

    Detection collects candidate runs first; linking then goes longest-first, so a short
    form met before its long form ("Erdogan ... President Recep Tayyip Erdogan") still
    joins it. */
#include "extract_entity.h"
#include "extract_date.h"
#include "extract_text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- word lists -------------------------------------------------------------------- */

static const char *const s_titles[] = {
    "president", "minister", "prime", "premier", "chancellor", "secretary", "spokesman",
    "spokeswoman", "spokesperson", "gen", "general", "sen", "senator", "rep",
    "representative", "gov", "governor", "mr", "mrs", "ms", "dr", "king", "queen", "prince",
    "princess", "crown", "pope", "ambassador", "judge", "justice", "sheikh", "speaker",
    "leader", "commander", "col", "colonel", "lt", "lieutenant", "capt", "captain", "sgt",
    "sergeant", "maj", "major", "adm", "admiral", "director", "chairman", "chairwoman",
    "chair", "vice", "deputy", "mayor", "envoy", "emir", "ayatollah", "imam", "bishop",
    "archbishop", "cardinal", "professor", "prof", "sir", "lord", "lady", "dame", "officer",
    "foreign", "defence", "defense", "interior", "finance", "chief", "head", "attorney",
    "sultan", "marshal", "brig", "cmdr", "field", "supreme", "first", "former", "acting",
    "lawmaker", "congressman", "congresswoman", "candidate", "nominee", "ceo", "founder",
    "senators", "sens", "governors", "reps", "justices", "generals", "presidents",
    "gov.", "state", "health", "trade", "economy", "energy", "labour", "labor", "justice",
    "education", "agriculture", "transport", "culture", "commissioner", "ombudsman",
    "pastor", "rev", "reverend", "rabbi", "father", "whip", "correspondent", "counsel",
    "inspector", "anchor", "majority", "minority", "executive", "senior", "sheriff",
    "supervisor", "councilman", "councilwoman", "alderman", "treasurer", "comptroller",
    "undersecretary", NULL};

/* Words a title run must contain to count as a title (not just "Foreign"). */
static const char *const s_title_heads[] = {
    "president", "minister", "premier", "chancellor", "secretary", "spokesman",
    "spokeswoman", "spokesperson", "gen", "general", "sen", "senator", "rep",
    "representative", "gov", "governor", "mr", "mrs", "ms", "dr", "king", "queen", "prince",
    "princess", "pope", "ambassador", "judge", "sheikh", "speaker", "leader",
    "commander", "col", "colonel", "lt", "lieutenant", "capt", "captain", "sgt", "sergeant",
    "maj", "major", "adm", "admiral", "director", "chairman", "chairwoman", "mayor", "envoy",
    "emir", "ayatollah", "imam", "bishop", "archbishop", "cardinal", "professor", "prof",
    "sir", "lord", "lady", "dame", "sultan", "marshal", "brig", "cmdr", "attorney",
    "lawmaker", "congressman", "congresswoman", "candidate", "nominee", "ceo", "founder",
    "commissioner", "chief", "senators", "sens", "governors", "reps", "justices", "generals",
    "presidents", "chair", "pastor", "rev", "reverend", "rabbi", "father", "whip",
    "correspondent", "counsel", "inspector", "anchor", "sheriff", "supervisor", "councilman",
    "councilwoman", "alderman", "treasurer", "comptroller", "undersecretary", NULL};

bool extract_entity_is_title(const char *f)
{
    return (extract_lex_bits(f) & WC_TITLE_HEAD) != 0;
}

static const char *const s_org_words[] = {
    "ministry", "observatory", "party", "council", "army", "forces", "force", "agency",
    "group", "university", "committee", "organization", "organisation", "association",
    "front", "union", "bank", "court", "department", "office", "commission", "institute",
    "foundation", "corps", "guard", "guards", "company", "corporation", "inc", "ltd", "corp",
    "times", "post", "news", "network", "league", "alliance", "movement", "coalition",
    "assembly", "parliament", "congress", "senate", "government", "administration",
    "service", "services", "authority", "fund", "board", "center", "centre", "society",
    "church", "hospital", "school", "club", "brigade", "brigades", "battalion", "reuters",
    "press", "journal", "tribune", "herald", "gazette", "daily", "television", "radio",
    "channel", "broadcasting", "federation", "secretariat", "bureau", "police", "navy",
    "airlines", "airways", "group", "holdings", "partners", "trust", "cabinet", "presidency",
    "line", "lines", "chamber", "magazine", "pictures", "studios", "systems", "communications",
    "networks", "co", "llc", "plc", "hotel", "inn", "motel", "resort", "casino", "museum",
    "house", "pentagon", "kremlin", "nations", "red", "crescent", "cross", "exchange",
    "institution", "academy", "college", "laboratory", "lab", "watch", "international",
    "crisis", "media", "unit", "division", "command", "taliban", "hezbollah", "hamas",
    "isis", "nato", "fbi", "cia", "msnbc", "cnn", "bbc", "fox", NULL};

/* Last words of a company's name that name nothing alone: "Harbor Pharmaceuticals",
   "Ardmore Industries", but "Solutions" or "Consulting" alone is a common noun. */
static const char *const s_company_heads[] = {
    "pharmaceuticals", "industries", "enterprises", "technologies", "solutions", "ventures",
    "associates", "consulting", "motors", "brands", "foods", "petroleum", "entertainment",
    "productions", "publishing", "books", "films", NULL};

static const char *const s_place_words[] = {
    "province", "city", "town", "village", "region", "district", "county", "state",
    "governorate", "capital", "border", "valley", "river", "mountains", "island", "islands",
    "peninsula", "sea", "gulf", "strait", "airport", "square", "street", "zone", "park",
    "bay", "beach", "heights", "springs", "falls", "creek", "hills", "canyon", NULL};

/* Place words that are surnames too ("Michael Bay", "Grace Park"): a name they end is a
   person's when the article writes them alone, as a surname. */
static const char *const s_place_surnames[] = {"park", "bay", "beach", "hills", NULL};

static const char *const s_place_preps[] = {
    "in", "near", "at", "from", "outside", "into", "across", "toward", "towards", "around",
    "through", "throughout", "inside", "to", "over", "of", "via", "off", NULL};

/* Nouns for a craft that its name follows: "the ferry Northern Star", "the tanker
   Ever Given". */
static const char *const s_vessels[] = {
    "ferry", "ship", "vessel", "boat", "tanker", "freighter", "trawler", "yacht", "liner",
    "frigate", "destroyer", "submarine", "warship", "barge", "tugboat", "steamer",
    "schooner", "catamaran", "hovercraft", "icebreaker", "corvette", "cruiser",
    "supertanker", "ferryboat", "sailboat", "dhow", "spacecraft", "airship", NULL};

static const char *const s_aboard[] = {"aboard", "onboard", NULL};

/* Prefixes of ships' names: "MV Northern Star", "HMS Duncan", "USS Cole". */
static const char *const s_ship_prefixes[] = {
    "mv", "ss", "hms", "uss", "rms", "hmas", "hmcs", "hmnzs", "usns", "ins", "fv", "rv",
    NULL};

/* First words that make a name a place: "Port Said", "Lake Chad", "Mount Sinjar",
   "South Dakota", "Lower Manhattan"; the saints and articles that open places' names in
   Spanish, Portuguese and Hebrew ("San Antonio", "El Paso", "Sao Paulo", "Tel Aviv"),
   whose last word is no surname. */
static const char *const s_place_prefixes[] = {
    "port", "lake", "mount", "fort", "cape", "isle", "north", "south", "east", "west",
    "upper", "lower", "mt", "ft", "st", "san", "santa", "sao", "los", "las", "el", "tel",
    NULL};

/* Capitalized words that are not names on their own. */
static const char *const s_stop_cap[] = {
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "his", "her", "their",
    "its", "our", "my", "your", "this", "that", "these", "those", "there", "here", "but",
    "and", "or", "if", "in", "on", "at", "as", "by", "for", "from", "with", "after",
    "before", "when", "while", "since", "because", "although", "though", "however", "yet",
    "so", "then", "also", "meanwhile", "according", "under", "over", "about", "what", "who",
    "why", "how", "where", "which", "not", "no", "yes", "all", "some", "many", "most",
    "more", "both", "each", "every", "one", "two", "three", "other", "another", "such",
    "mr", "mrs", "ms", "dr", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "today", "yesterday", "tomorrow", "last", "next", "first",
    "new", "now", "still", "even", "just", "only", "despite", "until", "during", "against",
    "within", "without", "between", "among", "into", "through", "once", "instead", "while",
    "read", "watch", "see", "photo", "video", "update", "updated", "breaking", "exclusive",
    "analysis", "opinion", "editor", "note", "earlier", "later", "asked", "said", "says",
    "do", "does", "did", "is", "are", "was", "were", "be", "been", "will", "would", "can",
    "could", "should", "may", "might", "must", "let", "like", "unlike", "following",
    "regardless", "whether", "either", "neither", "nor", "perhaps", "maybe", "indeed",
    "thus", "therefore", "otherwise", "again", "sources", "officials", "several", "four",
    "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty",
    "dozens", "hundreds", "thousands", "millions", "few", "any", "of", "had", "has", "have",
    "besides", "beyond", "amid", "toward", "towards", "upon", "unless", "ok", "o.k.", NULL};

static const char *const s_connectors[] = {
    "of", "for", "and", "the", "de", "al", "bin", "ibn", "el", "la", "von", "van", "du",
    "da", "der", "den", "del", "le", "on", "&", NULL};

static const char *const s_particles[] = {
    "al", "el", "ad", "as", "ash", "an", "ar", "az", "abu", "bin", "ibn", "de", "van",
    "von", NULL};

/* Time zones: "7:19 p.m. EST", "10:30 IST" name nothing. */
static const char *const s_time_zones[] = {
    "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "akst", "hst", "gmt", "utc",
    "bst", "cet", "cest", "eet", "eest", "wet", "ist", "jst", "kst", "aest", "aedt", "awst",
    "nzst", "nzdt", "msk", NULL};

/* Words for a party's members: "Ohio Republican Dana Whit", "Vermont Democrats" name a
   person or a group by the party, not a name of their own. */
static const char *const s_party_words[] = {
    "republican", "republicans", "democrat", "democrats", "democratic", "tories",
    "libertarian", "libertarians", NULL};

/* Words a headline capitalizes that no name holds capitalized: "Rescue Crew Named By
   Harbor Police", "Dana Whit Just Got Good News". Not "of", "for", "and" or "the", which
   an organization's name may capitalize ("Bank Of Ardmore"). */
static const char *const s_head_small[] = {
    "to", "in", "with", "from", "at", "by", "or", "but", "is", "are", "was", "were", "be",
    "been", "has", "have", "had", "do", "does", "did", "just", "not", "about", "into",
    "after", "as", "over", "before", "behind", "against", "amid", "than", "says", "will",
    "would", "could", "can", "gets", "got", "makes", "made", "that", "this", NULL};

/* Last words of the name of a law, a bill or a pact: "Clean Harbor Act", "Farm Bill",
   "Ardmore Accords". Not "law", a surname too. */
static const char *const s_law_words[] = {
    "act", "bill", "amendment", "treaty", "accord", "accords", "agreement", "doctrine",
    "protocol", "statute", "ordinance", NULL};

/* A U.S. state as a party and state tag writes it after "R-", "D-" or "I-": the AP's
   abbreviation, an older one, the postal code or a one-word name ("(R-Utah)",
   "(D-Calif.)", "(R-N.H.)", "R-TX", "(R-Texas)"). Folded as the tokenizer leaves them: a
   period after a plain word is a token of its own ("calif"), one after inner periods
   stays ("n.h."). */
static const char *const s_states[] = {
    "ala", "al", "alabama", "alaska", "ak", "ariz", "az", "arizona", "ark", "ar",
    "arkansas", "calif", "cal", "ca", "california", "colo", "co", "colorado", "conn", "ct",
    "connecticut", "del", "de", "delaware", "fla", "fl", "florida", "ga", "georgia",
    "hawaii", "hi", "idaho", "id", "ill", "il", "illinois", "ind", "in", "indiana", "iowa",
    "ia", "kan", "kans", "ks", "kansas", "ky", "kentucky", "la", "louisiana", "maine", "me",
    "md", "maryland", "mass", "ma", "massachusetts", "mich", "mi", "michigan", "minn", "mn",
    "minnesota", "miss", "ms", "mississippi", "mo", "missouri", "mont", "mt", "montana",
    "neb", "nebr", "ne", "nebraska", "nev", "nv", "nevada", "n.h.", "nh", "n.j.", "nj",
    "n.m.", "nm", "n.y.", "ny", "n.c.", "nc", "n.d.", "nd", "ohio", "oh", "okla", "ok",
    "oklahoma", "ore", "or", "oregon", "pa", "penn", "pennsylvania", "r.i.", "ri", "s.c.",
    "sc", "s.d.", "sd", "tenn", "tn", "tennessee", "texas", "tex", "tx", "utah", "ut", "vt",
    "vermont", "va", "virginia", "wash", "wa", "washington", "w.va.", "w-va", "wv", "wis",
    "wisc", "wi", "wisconsin", "wyo", "wy", "wyoming", "d.c.", "dc", "p.r.", "pr", "guam",
    "v.i.", "vi", NULL};

/* Registers each party's tag for each state ("r-utah", "d-utah", "i-utah"). The words
   are built here once, so they live in static storage as extract_lex needs. */
static void s_party_tags_lex(void)
{
    static char tags[3 * (sizeof s_states / sizeof *s_states)][24];
    size_t k = 0;
    for (const char *p = "rdi"; *p; p++)
        for (const char *const *st = s_states; *st; st++) {
            snprintf(tags[k], sizeof tags[k], "%c-%s", *p, *st);
            extract_lex_add(tags[k++], WC_PARTY_TAG);
        }
}

/* Registers the word lists with extract_lex; called once by extract_lex_init. */
void extract_entity_lex(void)
{
    static const struct { const char *const *list; uint64_t bits; } lists[] = {
        {s_titles, WC_TITLE}, {s_title_heads, WC_TITLE_HEAD}, {s_org_words, WC_ORG},
        {s_company_heads, WC_ORG | WC_COMPANY},
        {s_place_words, WC_PLACE_WORD}, {s_place_surnames, WC_PLACE_SURNAME},
        {s_place_preps, WC_PLACE_PREP},
        {s_place_prefixes, WC_PLACE_PREFIX}, {s_stop_cap, WC_STOP_CAP},
        {s_connectors, WC_CONNECTOR}, {s_particles, WC_PARTICLE},
        {s_vessels, WC_VESSEL}, {s_aboard, WC_ABOARD}, {s_ship_prefixes, WC_SHIP_PREFIX},
        {s_time_zones, WC_TIME_ZONE}, {s_party_words, WC_PARTY},
        {s_head_small, WC_HEAD_SMALL}, {s_law_words, WC_LAW},
    };
    for (size_t k = 0; k < sizeof lists / sizeof *lists; k++)
        for (const char *const *w = lists[k].list; *w; w++)
            extract_lex_add(*w, lists[k].bits);
    s_party_tags_lex();
}

/* True when the first `n` bytes of folded `f` are an Arabic or European particle ("al"
   in "al-assad"). */
static bool s_particle(const char *f, size_t n)
{
    char pre[8];
    if (n == 0 || n >= sizeof pre)
        return false;
    memcpy(pre, f, n);
    pre[n] = 0;
    return (extract_lex_bits(pre) & WC_PARTICLE) != 0;
}

/* ---- detection ---------------------------------------------------------------------- */

/* A word that can sit in a name: capitalized, or a particle-hyphen-Capital ("al-Assad"). */
static inline bool s_capword(const xctx_t *c, size_t i)
{
    const xtok_t *t = &c->tok.v[i];
    if ((t->flags & (TK_WORD | TK_POSS | TK_CAP)) == (TK_WORD | TK_CAP))
        return true;
    if ((t->flags & (TK_WORD | TK_POSS | TK_HYPHEN)) != (TK_WORD | TK_HYPHEN))
        return false;
    /* Only a dash among the first four bytes can follow a particle. */
    const char *f = t->f;
    size_t d = 0;
    while (d < 4 && f[d] && f[d] != '-')
        d++;
    if (d < 4 && f[d] == '-' && s_particle(f, d)) {
        const uint8_t *p = c->w + t->s + d + 1;
        return *p >= 'A' && *p <= 'Z';
    }
    return false;
}

/* True when capitalized token i is not a word of a name though it looks like one: a
   contraction ("I'm", "We're", "Don't") or a compound whose last part is lower case
   ("Orlando-based", "Census-taker"), which is an adjective or a common noun. */
static bool s_false_capword(const xctx_t *c, size_t i)
{
    const xtok_t *t = &c->tok.v[i];
    const char *f = t->f;
    const char *ap = strchr(f, '\'');
    if (ap) {
        size_t n = strlen(f);
        if (n >= 3 && strcmp(f + n - 3, "n't") == 0)
            return true;
        const char *suf = ap + 1;
        if (strcmp(suf, "m") == 0 || strcmp(suf, "re") == 0 || strcmp(suf, "ve") == 0
            || strcmp(suf, "ll") == 0 || strcmp(suf, "d") == 0 || strcmp(suf, "s") == 0) {
            char base[16];
            size_t k = (size_t)(ap - f);
            if (k && k < sizeof base) {
                memcpy(base, f, k);
                base[k] = 0;
                if (extract_lex_bits(base) & WC_STOP_CAP)
                    return true;
            }
        }
    }
    if (t->flags & TK_HYPHEN) {
        const uint8_t *p = c->w + t->s, *end = c->w + t->e;
        const uint8_t *dash = NULL;
        for (const uint8_t *q = p; q + 1 < end; q++)
            if (*q == '-')
                dash = q;
        if (dash && dash[1] >= 'a' && dash[1] <= 'z' && !s_particle(f, (size_t)(dash - p)))
            return true;
    }
    return false;
}

/* A word that can start or continue a name run. */
static bool s_nameword(const xctx_t *c, size_t i)
{
    return s_capword(c, i) && !s_false_capword(c, i);
}

/* True when token i is the period of an initial ("K." in "Raj K. Chohan"): a '.' touching
   a one-letter capitalized word. */
static bool s_initial_dot(const xctx_t *c, size_t i)
{
    const xtok_t *t = c->tok.v;
    if (i == 0 || !xtok_punct(c, i, '.') || t[i].s != t[i - 1].e
        || (t[i - 1].flags & (TK_WORD | TK_CAP)) != (TK_WORD | TK_CAP))
        return false;
    /* or of a place's abbreviated first word: "St. Louis", "Ft. Worth", "Mt. Hood" */
    const char *f = t[i - 1].f;
    return !f[1] || strcmp(f, "st") == 0 || strcmp(f, "ft") == 0 || strcmp(f, "mt") == 0;
}

enum { K_UNKNOWN = 0, K_PERSON = 'p', K_ORG = 'o', K_PLACE = 'l', K_VEHICLE = 'v',
       K_OTHER = 'x' };

typedef struct {
    uint32_t t0, t1;          /* tokens */
    char kind;                /* K_* guess */
    bool strong;              /* kind from a cue (title, org word, country) */
    const char *country;      /* canonical country when a country or demonym */
    char acr[16];             /* acronym defined right after it, folded */
} s_cand_t;

typedef XVEC(s_cand_t) s_candv_t;

/* True when token t is part of an address: a domain ("clinton.com", "www.harbor"), a
   handle or tag ("@harbor", "#harbor") or a path ("/harbor/"). */
static bool s_in_address(const xctx_t *c, const xtok_t *t)
{
    const uint8_t *w = c->w;
    size_t n = c->wlen;
    if (t->s > 0 && (w[t->s - 1] == '@' || w[t->s - 1] == '#' || w[t->s - 1] == '/'))
        return true;
    if (t->e < n && w[t->e] == '/')
        return true;
    bool dot_after = t->e + 1 < n && w[t->e] == '.' && w[t->e + 1] >= 'a' && w[t->e + 1] <= 'z';
    bool dot_before = t->s >= 2 && w[t->s - 1] == '.' && w[t->s - 2] >= 'a' && w[t->s - 2] <= 'z';
    return dot_after || dot_before;
}

/* Adds a token's hash to a set of s_seen_t. */
static void s_seen_put(uint32_t *set, size_t mask, uint32_t hash)
{
    uint32_t hv = hash | 1;   /* 0 marks an empty slot */
    size_t h = hv & mask;
    while (set[h] && set[h] != hv)
        h = (h + 1) & mask;
    set[h] = hv;
}

/* True when a set of s_seen_t holds the hash: a capitalized sentence opener that is also
   written in lower case elsewhere is a common word, not a name. */
static bool s_lower_seen(const xctx_t *c, uint32_t hash, const char *f, const uint32_t *set,
                         size_t mask)
{
    size_t h = (hash | 1) & mask;   /* where s_seen_put starts */
    while (set[h]) {
        if (set[h] == (hash | 1))
            return true;
        h = (h + 1) & mask;
    }
    (void)c;
    (void)f;
    return false;
}

/* What the article shows of its words, as two hash sets over the token hashes. */
typedef struct {
    const uint32_t *lower;    /* words written in lower case somewhere */
    const uint32_t *midcap;   /* words capitalized where no sentence or quote starts */
    size_t mask;              /* both sets' slots - 1 */
} s_seen_t;

/* True when token i opens a sentence, a quotation or a parenthesis: a capital there says
   nothing about a name. */
static bool s_opener(const xctx_t *c, size_t i)
{
    const xtok_t *t = c->tok.v;
    return (t[i].flags & TK_SSTART) || (i > 0 && (t[i - 1].flags & TK_QUOTE))
           || (i > 0 && xtok_punct(c, i - 1, '(')) || (i > 0 && xtok_punct(c, i - 1, ':'));
}

/* True when token t is a title's qualifier, no title on its own ("Former", "Acting"). */
static bool s_qualifier(const xtok_t *t)
{
    return (t->wc & WC_TITLE) && !(t->wc & WC_TITLE_HEAD);
}

static bool s_is_month_or_day(const xtok_t *t)
{
    return (t->wc & (WC_MONTH | WC_WEEKDAY)) != 0;
}

/* Country of token i by its folded hash (no rehash), or NULL. */
static const char *s_country(const xctx_t *c, size_t i, bool *demonym)
{
    return extract_entity_country_hash(c->res, c->tok.v[i].f, c->tok.v[i].hash, demonym);
}

/* Builds the run's text folded with single spaces into out. */
static size_t s_fold_range(const xctx_t *c, uint32_t t0, uint32_t t1, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = 0;
    for (uint32_t i = t0; i < t1 && o + 2 < cap; i++) {
        const char *f = c->tok.v[i].f;
        if ((c->tok.v[i].flags & TK_POSS) || (i > t0 && s_initial_dot(c, i) && f[0] == '.'))
            continue;
        /* "Ft. Worth" is Fort Worth, "Mt. Hood" Mount Hood, "St. Louis" Saint Louis */
        if (i + 1 < t1 && s_initial_dot(c, i + 1) && f[1])
            f = f[0] == 'f' ? "fort" : f[0] == 'm' ? "mount" : "saint";
        if (o)
            out[o++] = ' ';
        size_t k = strlen(f);
        if (o + k + 1 >= cap)
            break;
        memcpy(out + o, f, k);
        o += k;
    }
    out[o] = 0;
    return o;
}

bool extract_entity_suffix(const char *f)
{
    return strcmp(f, "jr") == 0 || strcmp(f, "sr") == 0 || strcmp(f, "ii") == 0
           || strcmp(f, "iii") == 0 || strcmp(f, "iv") == 0;
}

const char *extract_entity_key_surname(const char *key, size_t *len, const char **suffix)
{
    const char *name = strchr(key, ':');
    name = name ? name + 1 : key;
    const char *sp = strrchr(name, ' ');
    const char *sur = sp ? sp + 1 : name, *suf = NULL;
    if (sp && extract_entity_suffix(sp + 1)) {
        suf = sp + 1;
        for (sur = sp; sur > name && sur[-1] != ' '; sur--)
            ;
    }
    if (len)
        *len = suf ? (size_t)(sp - sur) : strlen(sur);
    if (suffix)
        *suffix = suf;
    return sur;
}

static bool s_same_suffix(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The generational suffix ending the person run before t1 ("Jr", "III"), or NULL. */
static const char *s_suffix(const xctx_t *c, uint32_t t1)
{
    const xtok_t *t = c->tok.v;
    if (t1 >= 2 && extract_entity_suffix(t[t1 - 1].f)
        && (t[t1 - 2].flags & (TK_WORD | TK_CAP)) == (TK_WORD | TK_CAP))
        return t[t1 - 1].f;
    return NULL;
}

/* Surname of a person run: its last token before a generational suffix, without an
   Arabic article ("al-assad"). */
static void s_surname(const xctx_t *c, uint32_t t1, char *out, size_t cap)
{
    if (s_suffix(c, t1))
        t1--;   /* "Joseph R. Biden Jr": Biden */
    const char *f = c->tok.v[t1 - 1].f;
    const char *dash = strchr(f, '-');
    if (dash && dash - f <= 3 && s_particle(f, (size_t)(dash - f)))
        f = dash + 1;
    extract_join(out, cap, f, NULL, NULL);
}

/* Initials of the capitalized words of a run ("Syrian Observatory for Human Rights" ->
   "sohr"). */
static size_t s_initials(const xctx_t *c, uint32_t t0, uint32_t t1, char *out, size_t cap)
{
    size_t o = 0;
    for (uint32_t i = t0; i < t1 && o + 1 < cap; i++) {
        const xtok_t *t = &c->tok.v[i];
        if (!(t->flags & TK_WORD) || (t->flags & TK_POSS))
            continue;
        const char *f = t->f;
        const char *dash = strchr(f, '-');
        if (!(t->flags & TK_CAP)) {
            if (dash && dash[1])   /* "al-Sham" gives its S */
                out[o++] = dash[1];
            continue;
        }
        out[o++] = f[0];
    }
    out[o] = 0;
    return o;
}

size_t extract_entity_initials(const xctx_t *c, int e, char *out, size_t cap)
{
    const xent_t *x = &c->ent.v[e];
    return s_initials(c, x->name_t0, x->name_t1, out, cap);
}

static void s_add_cand(s_candv_t *v, uint32_t t0, uint32_t t1, char kind, bool strong,
                       const char *country)
{
    if (t1 <= t0)
        return;
    s_cand_t cd;
    memset(&cd, 0, sizeof cd);
    cd.t0 = t0;
    cd.t1 = t1;
    cd.kind = kind;
    cd.strong = strong;
    cd.country = country;
    XVEC_PUSH(*v, cd);
}

/* True when the run starting at token a names a craft by its context: right after a
   craft noun ("the ferry Northern Star", 'the ship "Aurora"'), in apposition to one
   ("the vessel, the Northern Star"), or after "aboard"/"on board" ("aboard the Aurora"). */
static bool s_vehicle_ctx(const xctx_t *c, uint32_t a)
{
    const xtok_t *t = c->tok.v;
    size_t p = a;
    if (p > 0 && (t[p - 1].flags & TK_QUOTE))
        p--;
    if (p > 0 && (t[p - 1].wc & WC_VESSEL) && !(t[p - 1].flags & TK_CAP))
        return true;
    bool the = p > 0 && xtok_is(c, p - 1, "the");
    if (the) {
        p--;
        if (p >= 2 && xtok_punct(c, p - 1, ',') && (t[p - 2].wc & WC_VESSEL)
            && !(t[p - 2].flags & TK_CAP))
            return true;
    }
    if (p > 0 && (t[p - 1].wc & WC_ABOARD))
        return true;
    /* "on board" is also an idiom ("on board Smith's campaign"): only with "the" */
    return the && p >= 2 && xtok_is(c, p - 1, "board") && xtok_is(c, p - 2, "on");
}

/* True when [a, b) is capitalized words only, none an organization word: a person's
   name may stand there ("Dana Whitcombe", not "for Prosperity"). */
static bool s_plain_name(const xctx_t *c, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (!s_capword(c, i) || (c->tok.v[i].wc & (WC_ORG | WC_PLACE_WORD)))
            return false;
    return true;
}

/* True when folded word f, of n bytes, ends with one of `ends` (NULL-terminated), each
   shorter than f by more than `stem` bytes. */
static bool s_ends_any(const char *f, size_t n, const char *const *ends, size_t stem)
{
    for (const char *const *e = ends; *e; e++) {
        size_t k = strlen(*e);
        if (n > k + stem && strcmp(f + n - k, *e) == 0)
            return true;
    }
    return false;
}

/* True when folded word f ends like a plural of people no given name ends like
   ("Floridians", "Liberals", "Democrats", "Voters", "Activists"). */
static bool s_plural_noun(const char *f)
{
    static const char *const ends[] = {"ans", "als", "ats", "ers", "ists", "ites", "ors", NULL};
    size_t n = strlen(f);
    return n >= 6 && s_ends_any(f, n, ends, 0);
}

/* True when folded word f ends like a common noun no surname ends with
   ("Constitution", "Protection", "Settlement", "Partnership", "Security", "Economics",
   "Fairness", "Freedom", "Alliance", "Conference"). */
static bool s_noun_ending(const char *f)
{
    static const char *const ends[] = {
        "tion", "sion", "ment", "ship", "ism", "ology", "ities", "urity", "unity", "ality",
        "ority", "ics", "ness", "dom", "hood", "iance", "urance", "ference", "ligence",
        "endence", NULL};
    return s_ends_any(f, strlen(f), ends, 2);
}

/* True when folded word f ends like an adjective no given name ends with, at a length
   no given name has ("National", "Presidential", "Catholic", "Anonymous", "Executive",
   "Western"). */
static bool s_adjective(const char *f)
{
    static const struct { const char *end; size_t min; } ends[] = {
        {"al", 7}, {"ic", 8}, {"ous", 6}, {"ive", 7}, {"ern", 7}, {"ical", 6}, {"ary", 8},
        {"ful", 6}, {"less", 6}, {"able", 7}, {"ible", 7}};
    size_t n = strlen(f);
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++) {
        size_t k = strlen(ends[i].end);
        if (n >= ends[i].min && strcmp(f + n - k, ends[i].end) == 0)
            return true;
    }
    return false;
}

/* True when folded word f ends like a group of people or its adjective, at a length no
   surname has with that ending: "Floridians", "Islamists", "Shiites", "Jewish",
   "Buddhist", "Latinos", "European". Alone, it names no entity. */
static bool s_group_word(const char *f)
{
    static const char *const ends[] = {"ans", "ists", "ites", "ish", "ist", "inos", NULL};
    size_t n = strlen(f);
    if (n >= 8 && strcmp(f + n - 3, "ean") == 0)   /* "European", not "McLean" */
        return true;
    return n >= 6 && s_ends_any(f, n, ends, 0);
}

/* The country of a plural demonym ("Syrians" -> Syria), or NULL. */
static const char *s_country_plural(const xctx_t *c, size_t i)
{
    const char *f = c->tok.v[i].f;
    size_t n = strlen(f);
    char one[64];
    if (n < 4 || n >= sizeof one || f[n - 1] != 's')
        return NULL;
    memcpy(one, f, n - 1);
    one[n - 1] = 0;
    bool dem = false;
    const char *country = extract_entity_country(c->res, one, &dem);
    return dem ? country : NULL;
}

static bool s_surname_alone(const xctx_t *c, uint32_t b);

/* True when the capitalized run [a, b), with no title to say so, can be a person's
   name: not a quoted title ('"Silent Harbor"', a show or a book), not opened by a word
   that is no name ("New", "National"), and not closed by a word the article also writes in lower
   case ("Family Circle" beside "circle") or that ends like a common noun. */
static bool s_name_like(const xctx_t *c, const s_seen_t *seen, uint32_t a, uint32_t b)
{
    const xtok_t *t = c->tok.v;
    size_t n = c->tok.n;
    bool qa = a > 0 && (t[a - 1].flags & TK_QUOTE);
    bool qb = (b < n && (t[b].flags & TK_QUOTE))
              || (b + 1 < n && (t[b].flags & TK_PUNCT) && (t[b + 1].flags & TK_QUOTE));
    if (qa && qb)
        return false;
    /* after a possessive, a name of something it owns: "the network's Morning Harbor",
       "Politico's Playbook"; a person there is rare and still links by surname */
    if (a > 0 && (t[a - 1].flags & TK_POSS))
        return false;
    /* nor by a title's qualifier: "Former Pennsylvania governor", "Acting Harbor chief" */
    if ((t[a].wc & WC_STOP_CAP) || s_adjective(t[a].f)
        || s_qualifier(&t[a]))
        return false;
    const xtok_t *last = &t[b - 1];
    if ((last->flags & TK_CAP) && s_lower_seen(c, last->hash, last->f, seen->lower, seen->mask))
        return false;
    /* nor by a function word, a slogan's or a headline's ("Make Harbor Great Again",
       "World War Two"), unless the article writes it alone as a surname ("Ian Read ...
       Read said") */
    if (b - a >= 2 && (last->wc & (WC_STOP_CAP | WC_HEAD_SMALL | WC_CONNECTOR))
        && !s_surname_alone(c, b))
        return false;
    /* an adjective closes no name ("Middle Eastern"); a demonym may ("David French"),
       but not a plural group ("Asian Americans", "Young Progressivists") */
    if (s_adjective(last->f) || (s_group_word(last->f) && last->f[strlen(last->f) - 1] == 's'))
        return false;
    /* a span of time, a unit, a clock, a street, an event or a group of people:
       "Election Day", "Drury Lane", "Cold War", "Harbor Workers" */
    if (last->wc & (WC_DURATION | WC_UNIT | WC_CLOCK | WC_STREET | WC_EVENT | WC_HUMAN)
        || strcmp(last->f, "st") == 0)     /* "Spring St": a street, no surname */
        return false;
    return !s_noun_ending(last->f);
}

static void s_classify(xctx_t *c, s_candv_t *cv, const s_seen_t *seen, uint32_t a, uint32_t b);

/* True when [a, b) is a plain name with initials: "Dana R. Whitcombe", "J. Rob Morrow",
   two words or more besides the initials' periods. */
static bool s_plain_name_initials(const xctx_t *c, size_t a, size_t b)
{
    size_t words = 0;
    for (size_t i = a; i < b; i++) {
        if (i > a && s_initial_dot(c, i))
            continue;
        if (!s_capword(c, i) || (c->tok.v[i].wc & (WC_ORG | WC_PLACE_WORD)))
            return false;
        words++;
    }
    return words >= 2;
}

/* "Harbor Council Chairman Dana Whitcombe", "Harbor Council Vice President": an
   organization (its last word before the title at `o`) then a title, then maybe the
   person who holds it, with initials ("Dana R. Whitcombe") and where the person is from
   ("... of Vermont"). Adds the organization and the person (and the place) and returns
   true; false when no title follows the organization's words, or when the title goes
   on with "of" as part of the name ("Office of the Director of Coastal Safety"). */
static bool s_org_title(xctx_t *c, s_candv_t *cv, const s_seen_t *seen, uint32_t a, uint32_t o,
                        uint32_t b)
{
    const xtok_t *t = c->tok.v;
    /* "Senate Foreign Relations Committee Chairman": the title follows the last
       organization word before a title's head */
    for (uint32_t k = o + 1; k < b && !(t[k].wc & WC_TITLE_HEAD); k++)
        if ((t[k].wc & WC_ORG) && (t[k].flags & TK_CAP))
            o = k;
    uint32_t h = o + 1;
    while (h < b && !((t[h].wc & (WC_TITLE_HEAD | WC_TITLE)) && (t[h].flags & TK_CAP)
                      && strcmp(t[h].f, "general") != 0))
        h++;
    if (h >= b)
        return false;
    /* a title word that is no head ("Justice", "Foreign") counts only before a name:
       "Supreme Court Justice Dana Whitcombe", not "Senate Foreign Relations Committee" */
    bool head = (t[h].wc & WC_TITLE_HEAD) != 0;
    uint32_t t0 = h, t1 = h + 1;
    while (t0 > o + 1 && (t[t0 - 1].wc & WC_TITLE) && (t[t0 - 1].flags & TK_CAP))
        t0--;
    /* the title goes on over its words and an "and" between them: "Chairman and CEO" */
    while (t1 < b && (((t[t1].wc & (WC_TITLE | WC_TITLE_HEAD)) && (t[t1].flags & TK_CAP))
                      || (t1 + 1 < b && strcmp(t[t1].f, "and") == 0
                          && (t[t1 + 1].wc & (WC_TITLE | WC_TITLE_HEAD))
                          && (t[t1 + 1].flags & TK_CAP))))
        t1++;
    /* the person ends where "of" and a place start */
    uint32_t e = t1;
    while (e < b && strcmp(t[e].f, "of") != 0)
        e++;
    if (t1 < b && (!s_capword(c, t1) || !s_plain_name_initials(c, t1, e)
                   || !s_name_like(c, seen, t1, e)))
        return false;
    if (!head && t1 >= b)
        return false;
    s_add_cand(cv, a, t0, K_ORG, true, NULL);
    if (t1 < b)
        s_add_cand(cv, t1, e, K_PERSON, true, NULL);
    if (e + 1 < b)
        s_classify(c, cv, seen, e + 1, b);
    return true;
}

/* Classifies the capitalized run [a, b) and adds one or more candidates. */
/* Counts over the article's tokens, built once per run (s_counts_build) so that the rules
   below cost a lookup each, not a pass over the text: a long article has as many
   candidates as it has names. Keys are 64-bit mixes of what is counted; a collision is
   about one in 2^64 per pair. */
typedef struct {
    uint64_t *key;
    uint32_t *n;
    size_t mask;
} s_counts_t;

enum { S_CNT_CAP = 1, S_CNT_PAIR, S_CNT_THE, S_CNT_ALLCAP };

static uint64_t s_mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x ? x : 1;
}

static uint64_t s_ckey(int kind, uint64_t a, uint64_t b)
{
    /* a and b are 32-bit word hashes: one mix of them side by side is enough */
    return s_mix(((uint64_t)kind << 60) ^ (a << 32) ^ (a >> 32) ^ b);
}

static void s_cnt_add(s_counts_t *s, uint64_t k)
{
    size_t i = (size_t)k & s->mask;
    while (s->key[i] && s->key[i] != k)
        i = (i + 1) & s->mask;
    s->key[i] = k;
    s->n[i]++;
}

static uint32_t s_cnt_get(const s_counts_t *s, uint64_t k)
{
    size_t i = (size_t)k & s->mask;
    while (s->key[i]) {
        if (s->key[i] == k)
            return s->n[i];
        i = (i + 1) & s->mask;
    }
    return 0;
}

/* The key of the run of n tokens from i: its words' hashes in order. */
static uint64_t s_run_key(const xctx_t *c, size_t i, size_t n)
{
    uint64_t h = n;
    for (size_t k = 0; k < n; k++)
        h = s_mix(h ^ c->tok.v[i + k].hash);
    return s_ckey(S_CNT_THE, h, n);
}

/* Counts, for the capitalized words: each word, each word after the one before it, each
   run of two to four words right after "the"; and the words in capitals. */
static void s_counts_build(xctx_t *c)
{
    const xtok_t *t = c->tok.v;
    const uint32_t the = extract_hash("the", 3);
    size_t need = 0;
    for (size_t i = 0; i < c->tok.n; i++)
        if ((t[i].flags & (TK_WORD | TK_CAP)) == (TK_WORD | TK_CAP))
            need += 2 + (i > 0 && t[i - 1].hash == the ? 3 : 0)
                    + ((t[i].flags & TK_ALLCAP) ? 1 : 0);
    size_t cap = 64;
    while (cap < need * 2 + 2)
        cap <<= 1;
    s_counts_t *s = extract_arena_alloc(c->arena, sizeof *s, 1);
    s->key = extract_arena_alloc(c->arena, cap * sizeof *s->key, 1);
    s->n = extract_arena_alloc(c->arena, cap * sizeof *s->n, 1);
    s->mask = cap - 1;
    for (size_t i = 0; i < c->tok.n; i++) {
        if ((t[i].flags & (TK_WORD | TK_CAP)) != (TK_WORD | TK_CAP))
            continue;
        s_cnt_add(s, s_ckey(S_CNT_CAP, t[i].hash, 0));
        if (i > 0)
            s_cnt_add(s, s_ckey(S_CNT_PAIR, t[i - 1].hash, t[i].hash));
        if (t[i].flags & TK_ALLCAP)
            s_cnt_add(s, s_ckey(S_CNT_ALLCAP, t[i].hash, 0));
        if (i > 0 && t[i - 1].hash == the && xtok_is(c, i - 1, "the"))
            for (size_t n = 2; n <= 4 && i + n <= c->tok.n; n++)
                s_cnt_add(s, s_run_key(c, i, n));
    }
    c->ent_counts = s;
}

/* True when the article writes the last word of the run ending at b on its own somewhere:
   a capitalized word not right after the run's second-to-last word. */
static bool s_surname_alone(const xctx_t *c, uint32_t b)
{
    const s_counts_t *s = c->ent_counts;
    const xtok_t *t = c->tok.v;
    if (!s || b < 2)
        return false;
    uint32_t all = s_cnt_get(s, s_ckey(S_CNT_CAP, t[b - 1].hash, 0));
    uint32_t after = s_cnt_get(s, s_ckey(S_CNT_PAIR, t[b - 2].hash, t[b - 1].hash));
    return all > after;
}

/* True when the article writes the run [a, b) (two to four words) right after "the". */
static bool s_the_seen(const xctx_t *c, uint32_t a, uint32_t b)
{
    const s_counts_t *s = c->ent_counts;
    size_t n = b - a;
    return s && n >= 2 && n <= 4 && s_cnt_get(s, s_run_key(c, a, n)) > 0;
}

/* True when folded word f ends like an adverb or a participle ("Certainly", "Having"):
   at a sentence start, before a name, it is the sentence's first word, not the name's. */
static bool s_adverbial(const char *f)
{
    size_t n = strlen(f);
    return (n >= 5 && strcmp(f + n - 2, "ly") == 0) || (n >= 6 && strcmp(f + n - 3, "ing") == 0);
}

static void s_classify(xctx_t *c, s_candv_t *cv, const s_seen_t *seen, uint32_t a, uint32_t b)
{
    const xtok_t *t = c->tok.v;
    char buf[256];
    /* Trim connectors at the edges. */
    while (a < b && !s_capword(c, a))
        a++;
    while (b > a && !s_capword(c, b - 1))
        b--;
    /* A name cut at an initial ("Carla M." before "and") ends before it. */
    if (b - a >= 2 && !t[b - 1].f[1] && b < c->tok.n && xtok_punct(c, b, '.'))
        b--;
    /* So does a place's name cut at a title's abbreviation: "former South Carolina Gov.
       Dana Whit" gives the run "South Carolina Gov", the place then the title. */
    if (b - a >= 2 && (t[b - 1].wc & WC_TITLE_HEAD) && b < c->tok.n && xtok_punct(c, b, '.')
        && ((t[a].wc & WC_PLACE_PREFIX) || s_country(c, a, NULL)))
        for (b--; b > a && !s_capword(c, b - 1); b--)
            ;
    if (a >= b)
        return;
    /* A headline in title case inside the text ("Senator Pins The Rise Of Crime On The
       Mayor"): six words or more, two of them small words in capitals, is no name (names
       write theirs in lower case: "Center for Maritime Studies"). */
    if (b - a >= 6) {
        static const char *const small[] = {"the", "of", "on", "in", "into", "to", "a", "an",
                                            "for", "with", "at", "by", "from", "and", "is",
                                            "are", "was", "his", "her", "their", NULL};
        int caps = 0;
        for (uint32_t i = a; i < b; i++)
            if (t[i].flags & TK_CAP)
                for (const char *const *w = small; *w; w++)
                    if (strcmp(t[i].f, *w) == 0) {
                        caps++;
                        break;
                    }
        if (caps >= 2)
            return;
    }
    /* "Turkey and Russia", "Morek and Surman": two names unless an organization word
       makes it one ("Justice and Development Party"). It stays two when the second
       part starts anew with "the" ("CNN and the Daily Ledger"), or when the first part
       is a name of its own already: an acronym, or a name closed by an organization
       word ("Harbor Council and Valley Board", not "Center for Maritime and Coastal
       Studies"). */
    for (uint32_t i = a + 1; i + 1 < b; i++)
        if (strcmp(t[i].f, "and") == 0 || strcmp(t[i].f, "&") == 0) {
            bool org = false;
            for (uint32_t k = a; k < b; k++)
                if (t[k].wc & WC_ORG)
                    org = true;
            bool left = strcmp(t[i + 1].f, "the") == 0
                        || ((t[i - 1].wc & WC_ORG) && (t[i - 1].flags & TK_CAP))
                        || ((t[a].flags & TK_ALLCAP) && i - a == 1)
                        || (i - a >= 2 && s_plain_name(c, a, i));   /* "Dana Whitcombe and House" */
            if (left)
                org = false;
            if (!org) {
                s_classify(c, cv, seen, a, i);
                s_classify(c, cv, seen, i + 1, b);
                return;
            }
        }
    /* A plural before a name is who the person is, not the name: "Floridians Dana
       Whitcombe", "Liberals Rob Morrow" */
    if (b - a >= 3 && b - a <= 4 && s_plural_noun(t[a].f) && !(t[a].wc & (WC_TITLE | WC_ORG))
        && s_plain_name(c, a + 1, b))
        a++;
    /* A dateline ("ISTANBUL (Reuters) -"): a shouted place at a paragraph start. */
    if (b - a == 1 && (t[a].flags & TK_ALLCAP) && (t[a].flags & TK_PARA) && t[a].e - t[a].s > 3
        && (a + 1 >= c->tok.n || (t[a + 1].flags & TK_PARA) || xtok_punct(c, a + 1, '(')
            || xtok_punct(c, a + 1, ',') || xtok_punct(c, a + 1, '-'))) {
        s_add_cand(cv, a, b, K_PLACE, false, s_country(c, a, NULL));
        return;
    }
    /* Whole run is a country ("United States", "Saudi Arabia")? */
    s_fold_range(c, a, b, buf, sizeof buf);
    bool dem = false;
    const char *country = extract_entity_country(c->res, buf, &dem);
    if (country) {
        s_add_cand(cv, a, b, K_PLACE, true, country);
        return;
    }
    /* In the title line, a capitalized small word ("Suspect Named By Police") ends a
       name: the run is names and words around it, each part classified on its own and
       taken on no cue of its own, since a headline capitalizes every word ("Harbor News
       Panel"). Only there: a headline in the body ("5 Thoughts on Why ...") cost ECB+ a
       story, whose articles it told apart by a name of its own. */
    for (uint32_t i = a + 1; i + 1 < b; i++)
        if ((t[i].wc & WC_HEAD_SMALL)
            && (t[i].flags & (TK_CAP | TK_ALLCAP | TK_TITLE)) == (TK_CAP | TK_TITLE)) {
            size_t from = cv->n;
            s_classify(c, cv, seen, a, i);
            s_classify(c, cv, seen, i + 1, b);
            for (size_t k = from; k < cv->n; k++)
                cv->v[k].strong = false;
            return;
        }
    /* A craft: named after a craft noun or "aboard", or with a ship prefix ("MV ..."). */
    if (s_vehicle_ctx(c, a)
        || (b - a >= 2 && (t[a].wc & WC_SHIP_PREFIX) && (t[a].flags & TK_ALLCAP))) {
        s_add_cand(cv, a, b, K_VEHICLE, true, NULL);
        return;
    }
    /* A party's member before a name is who the person is, as a title would say: "Ohio
       Republican Dana Whitcombe" is Dana Whitcombe, maybe after a place. A run that ends
       with the party's word names its members ("Vermont Democrats", "Republican"), no
       entity, unless an organization word makes it one ("House Republicans"). */
    bool org_word = false;
    for (uint32_t i = a; i < b; i++)
        org_word |= (t[i].wc & WC_ORG) && (t[i].flags & TK_CAP);
    for (uint32_t i = a; i + 2 < b; i++)
        if ((t[i].wc & WC_PARTY) && b - i - 1 <= 4 && s_plain_name(c, i + 1, b)
            && !(t[b - 1].wc & WC_TITLE) && s_name_like(c, seen, i + 1, b)) {
            if (i > a)
                s_classify(c, cv, seen, a, i);
            /* no cue of its own: a headline's "Republican Donor Adelson" stays out */
            s_add_cand(cv, i + 1, b, K_PERSON, false, NULL);
            return;
        }
    /* "Republican Whitcombe": one word after the party's is a surname or a place, which
       the unknown's way links to the article's person or place, if any */
    if (b - a == 2 && (t[a].wc & WC_PARTY) && t[a].f[strlen(t[a].f) - 1] != 's'
        && s_plain_name(c, a + 1, b)
        && !(t[a + 1].wc & (WC_TITLE | WC_STOP_CAP))) {
        s_add_cand(cv, a + 1, b, K_UNKNOWN, false, NULL);
        return;
    }
    /* "Former Dana Whitcombe", "Former House speaker": a former or acting one before a
       name is no part of it */
    if (b - a >= 2 && (xtok_is(c, a, "former") || xtok_is(c, a, "acting"))) {
        s_classify(c, cv, seen, a + 1, b);
        return;
    }
    if ((t[b - 1].wc & WC_PARTY) && !org_word)
        return;
    /* A law or a pact ("Paycheck Fairness Act", "North Atlantic Free Trade Agreement") is
       no person and no place, whatever its first words: an "other". */
    if (b - a >= 2 && (t[b - 1].wc & WC_LAW) && !org_word) {
        s_add_cand(cv, a, b, K_UNKNOWN, false, NULL);
        return;
    }
    /* "Dana Whitcombe of the Harbor Council": a person's name, then the organization;
       "Senator Rob Morrow of Vermont": a person's name, maybe titled, then where the
       person is from. The name is two words or more, so "Gulf of Aden" stays whole. */
    for (uint32_t i = a + 2; i + 1 < b && i <= a + 5; i++)
        if (strcmp(t[i].f, "of") == 0) {
            uint32_t p = a;
            while (p < i && (t[p].wc & WC_TITLE))
                p++;
            bool plain = i >= p + 2, org = false, place = b - (i + 1) <= 3;
            for (uint32_t k = p; k < i; k++)
                plain &= s_capword(c, k) && !(t[k].flags & TK_ALLCAP)
                         && !(t[k].wc & (WC_ORG | WC_TITLE | WC_PLACE_WORD | WC_STOP_CAP))
                         && !s_country(c, k, NULL);
            for (uint32_t k = i + 1; k < b; k++) {
                org |= (t[k].wc & WC_ORG) && (t[k].flags & TK_CAP);
                place &= s_capword(c, k) && !(t[k].wc & WC_CONNECTOR);
            }
            if (plain && (org || place) && s_name_like(c, seen, p, i)) {
                if (p > a)
                    s_classify(c, cv, seen, a, i);   /* the title's path */
                else
                    s_add_cand(cv, a, i, K_PERSON, false, NULL);
                s_classify(c, cv, seen, i + 1, b);
                return;
            }
            break;
        }
    /* Organization word anywhere: the whole run is the organization. */
    for (uint32_t i = a; i < b && !(b - a == 1 && (t[a].wc & WC_COMPANY)); i++)
        if ((t[i].wc & WC_ORG) && (t[i].flags & TK_CAP)) {
            /* "Turkish President ..." is not an org even if a later word is. */
            bool title_before = false;
            for (uint32_t k = a; k < i; k++)
                if ((t[k].wc & WC_TITLE_HEAD) && strcmp(t[k].f, "general") != 0)
                    title_before = true;
            if (!title_before) {
                if (s_org_title(c, cv, seen, a, i, b))
                    return;
                s_add_cand(cv, a, b, K_ORG, true, NULL);
                return;
            }
        }
    /* Leading country/demonym: "Turkish President Erdogan", "Russian Foreign Ministry". */
    dem = false;
    country = s_country(c, a, &dem);
    if (country && b - a > 1) {
        s_add_cand(cv, a, a + 1, K_PLACE, true, country);
        a++;
        while (a < b && !s_capword(c, a))
            a++;
        if (a >= b)
            return;
    }
    /* "Kurdistan Region", "Idlib Province": a place word ends the name; "Port Said",
       "Lake Chad": a place word starts it, unless a title follows the place ("San
       Harbor Sheriff Dana Whit": the titles' rule below takes the person). */
    bool titled = false;
    for (uint32_t i = a + 1; i + 1 < b; i++)
        titled |= (t[i].wc & WC_TITLE_HEAD) && (t[i].flags & TK_CAP);
    bool place_end = (t[b - 1].wc & WC_PLACE_WORD)
                     && !((t[b - 1].wc & WC_PLACE_SURNAME) && s_surname_alone(c, b));
    if (b - a >= 2 && (place_end || ((t[a].wc & WC_PLACE_PREFIX) && !titled))) {
        s_add_cand(cv, a, b, K_PLACE, true, NULL);
        return;
    }
    /* Titles: the person is what follows the last title word. */
    long last_title = -1;
    for (uint32_t i = a; i < b; i++)
        if ((t[i].wc & WC_TITLE) && ((t[i].wc & WC_TITLE_HEAD) || last_title >= 0
                                     || (i + 1 < b && (t[i + 1].wc & WC_TITLE))))
            last_title = i;
    bool has_head = false;
    for (uint32_t i = a; i < b && (long)i <= last_title; i++)
        if (t[i].wc & WC_TITLE_HEAD)
            has_head = true;
    if (last_title >= 0 && has_head) {
        uint32_t p = (uint32_t)last_title + 1;
        if (p < b && (t[p].wc & WC_STOP_CAP)) {
            /* "Director Of Harbor Freight" in a headline's capitals: a title of what
               follows, not a person's name */
            s_classify(c, cv, seen, p + 1, b);
            return;
        }
        /* skip a dot after an abbreviation like "Gen." */
        if (p < b) {
            /* A name is at most four words: more after a title are a headline's
               capitals ("Senators Meet Over Budget Plans Before Recess"). */
            uint32_t words = 0;
            for (uint32_t i = p; i < b; i++)
                words += !s_initial_dot(c, i);
            if (words > 4)
                return;
            s_add_cand(cv, p, b, K_PERSON, true, NULL);
            return;
        }
        /* Only a title ("the President") is not a name. */
        return;
    }
    /* Single demonym or country word on its own, or a plural demonym ("Syrians"). */
    if (b - a == 1) {
        country = s_country(c, a, &dem);
        if (!country)
            country = s_country_plural(c, a);
        if (country) {
            s_add_cand(cv, a, b, K_PLACE, true, country);
            return;
        }
    }
    /* Context: a place after "in", or before "province". */
    bool place_ctx = false;
    /* "from" names sources as often as places ("a statement from Harborcorp"): after it
       one word is a place only when the article places it otherwise too (s_link); "at"
       names where people work ("an analyst at Evercore", "a professor at Yale") more
       than places, which it gives with a place word ("at Harbor Square") */
    if (a > 0 && (t[a - 1].wc & WC_PLACE_PREP) && !(t[a - 1].flags & TK_CAP) && b - a <= 3
        && strcmp(t[a - 1].f, "of") != 0 && strcmp(t[a - 1].f, "to") != 0
        && !(b - a == 1 && strcmp(t[a - 1].f, "from") == 0) && strcmp(t[a - 1].f, "at") != 0
        && !s_adjective(t[b - 1].f))
        place_ctx = true;
    if (b < c->tok.n && (t[b].wc & WC_PLACE_WORD) && !(t[b].flags & TK_CAP))
        place_ctx = true;
    if (a >= 2 && strcmp(t[a - 1].f, "of") == 0 && (t[a - 2].wc & WC_PLACE_WORD))
        place_ctx = true;
    bool all_name = true;
    uint32_t words = 0;
    for (uint32_t i = a; i < b; i++) {
        if (i > a && s_initial_dot(c, i))
            continue;   /* "Raj K. Chohan" */
        words++;
        /* a generational suffix in capitals closes a name: "Anthony Grovenor III" */
        bool suffix = i + 1 == b && i > a && extract_entity_suffix(t[i].f);
        if (!s_capword(c, i) || ((t[i].flags & TK_ALLCAP) && !suffix)
            || s_is_month_or_day(&t[i]))
            all_name = false;
    }
    /* People's names don't take the article: "the Northern Star" is no person, nor is
       "Rust Belt" where the article also writes "the Rust Belt". */
    bool article = (a > 0 && xtok_is(c, a - 1, "the")) || s_the_seen(c, a, b);
    /* Nor do they open with a word the article writes in lower case ("City Hall" beside
       "the city", "Family Voices" beside "family"), unless the article writes the last
       word alone as one writes a surname ("Bill Whitcombe ... Whitcombe said" beside "the
       bill"). */
    bool common = s_lower_seen(c, t[a].hash, t[a].f, seen->lower, seen->mask)
                  && !s_surname_alone(c, b);
    if (words >= 2 && words <= 4 && all_name && !place_ctx && !article && !common
        && s_name_like(c, seen, a, b)) {
        s_add_cand(cv, a, b, K_PERSON, false, NULL);
        return;
    }
    /* "money from Donald Trump", "in Dana Whitcombe's office": a name after a place's
       preposition is a person's when the article also writes its last word alone, as
       one writes a surname ("Trump said"); no one writes "Angeles" for Los Angeles. */
    if (place_ctx && words >= 2 && words <= 3 && all_name && !article
        && s_name_like(c, seen, a, b) && s_surname_alone(c, b)) {
        s_add_cand(cv, a, b, K_PERSON, false, NULL);
        return;
    }
    /* "among Floridians", "a Southern county" is no place: the word goes the
       unknown way, to a person of that name or to nothing (s_link) */
    if (place_ctx && !(b - a == 1 && (s_group_word(t[a].f) || s_adjective(t[a].f)))) {
        s_add_cand(cv, a, b, K_PLACE, false, NULL);
        return;
    }
    /* a word in capitals that the article also writes in lower case, or that ends like
       an adverb or a participle, is emphasis ("CONSTANTLY", "WINNING"), not an
       organization's acronym */
    if (b - a == 1 && (t[a].flags & TK_ALLCAP)
        && (s_lower_seen(c, t[a].hash, t[a].f, seen->lower, seen->mask)
            || s_adverbial(t[a].f)))
        return;
    s_add_cand(cv, a, b, K_UNKNOWN, false, NULL);
}

/* True when the run [a, b) is a heading: capitals filling a paragraph of their own,
   maybe closed by a period or a colon ("ABSTRACT.", "FULL TEXT:"), a section label
   rather than a name. A dateline ("ISTANBUL (Reuters) -") goes on into the text. */
static bool s_heading(const xctx_t *c, size_t a, size_t b)
{
    const xtok_t *t = c->tok.v;
    size_t n = c->tok.n;
    if (!(t[a].flags & TK_PARA))
        return false;
    for (size_t i = a; i < b; i++)
        if ((t[i].flags & TK_WORD) && !(t[i].flags & TK_ALLCAP))
            return false;
    if (b < n && (xtok_punct(c, b, '.') || xtok_punct(c, b, ':')))
        b++;
    return b >= n || (t[b].flags & TK_PARA);
}

/* True when token a is "New" starting a name that goes on in [a + 1, b) ("New
   Hampshire", "NEW YORK"): a stop word elsewhere, a place's first word here. */
static bool s_new_place(const xctx_t *c, size_t a, size_t b)
{
    return strcmp(c->tok.v[a].f, "new") == 0 && a + 1 < b && s_capword(c, a + 1);
}

/* True when the run [a, b) is a phrase in capitals rather than a name: three words or
   more, or two whose first is a common word ("AT LEAST", "RED STATES OUTNUMBER BLUE
   STATES"), all in capitals and not a country. */
static bool s_shouted(const xctx_t *c, size_t a, size_t b)
{
    const xtok_t *t = c->tok.v;
    size_t words = 0;
    for (size_t i = a; i < b; i++) {
        if (!(t[i].flags & TK_WORD))
            continue;
        if (!(t[i].flags & TK_ALLCAP))
            return false;
        words++;
    }
    if (words < 2 || (words == 2 && (!(t[a].wc & WC_STOP_CAP) || s_new_place(c, a, b))))
        return false;
    char buf[256];
    s_fold_range(c, (uint32_t)a, (uint32_t)b, buf, sizeof buf);
    return !extract_entity_country(c->res, buf, NULL);
}

static void s_find_candidates(xctx_t *c, s_candv_t *cv, const s_seen_t *seen)
{
    xtok_t *t = c->tok.v;
    size_t n = c->tok.n;
    size_t i = 0;
    while (i < n) {
        /* a handle or a hashtag ("@DanaWhit", "#HarborStrong") is no name as written */
        if ((t[i].flags & TK_SKIP) || !s_nameword(c, i)
            || (i > 0 && t[i - 1].e == t[i].s
                && (xtok_punct(c, i - 1, '@') || xtok_punct(c, i - 1, '#')))) {
            i++;
            continue;
        }
        size_t a = i, b = i + 1;
        int32_t sent = t[i].sent;
        while (b < n && t[b].sent == sent && !(t[b].flags & TK_PARA)) {
            if (s_nameword(c, b) && !s_is_month_or_day(&t[b])) {
                b++;
                continue;
            }
            /* connectors between capitalized words: "Observatory for Human Rights",
               "Ministry of the Interior" */
            size_t k = b;
            while (k < n && k - b < 2 && t[k].sent == sent && (t[k].wc & WC_CONNECTOR)
                   && !(t[k].flags & TK_CAP))
                k++;
            if (k > b && k < n && t[k].sent == sent && s_nameword(c, k)
                && !s_is_month_or_day(&t[k])) {
                b = k + 1;
                continue;
            }
            /* an initial inside a name: "Raj K. Chohan", "J. Edgar Hoover" */
            if (s_initial_dot(c, b) && b + 1 < n && t[b + 1].sent == sent && s_nameword(c, b + 1)
                && !s_is_month_or_day(&t[b + 1])) {
                b += 2;
                continue;
            }
            break;
        }
        /* a month, a day, a time zone ("7:19 p.m. EST"), a party and state tag ("(R-Utah)",
           "R-S.C.") or a title's qualifier alone ("Former Maryland Gov. ...") names
           nothing */
        if (b == a + 1 && ((t[a].wc & (WC_MONTH | WC_WEEKDAY | WC_TIME_ZONE | WC_PARTY_TAG))
                           || (s_qualifier(&t[a]) && !(t[a].flags & TK_ALLCAP)))) {
            i = b;
            continue;
        }
        if (s_heading(c, a, b) || s_shouted(c, a, b)) {
            i = b;
            continue;
        }
        /* A sentence opener that is a common word is not part of a name; "New" before
           a name is part of it ("New Hampshire"). */
        bool opener = s_opener(c, a);
        while (a < b && (((t[a].wc & WC_STOP_CAP) && !s_new_place(c, a, b))
                         || (opener && !(t[a].flags & TK_ALLCAP)
                             && (s_lower_seen(c, t[a].hash, t[a].f, seen->lower, seen->mask)
                                 || (a + 1 < b && s_adverbial(t[a].f)
                                     && !s_lower_seen(c, t[a].hash, t[a].f, seen->midcap,
                                                      seen->mask)))
                             && !s_country(c, a, NULL)
                             && !(t[a].wc & (WC_TITLE | WC_ORG))))) {
            a++;
            opener = false;
        }
        /* One capitalized word opening a sentence that the article never capitalizes
           inside one ("Overall, ...", "Remarks on ...") is a common word, whatever its
           case elsewhere; so is one letter on its own. */
        if (a + 1 == b && opener && !(t[a].flags & (TK_ALLCAP | TK_TITLE))
            && !s_lower_seen(c, t[a].hash, t[a].f, seen->midcap, seen->mask)
            && b < n && (xtok_punct(c, b, ',') || xtok_punct(c, b, ':')
                         || (t[b].flags & (TK_WORD | TK_CAP)) == TK_WORD)
            && !s_country(c, a, NULL) && !(t[a].wc & (WC_TITLE | WC_ORG)))
            a = b;
        if (a + 1 == b && !t[a].f[1])
            a = b;
        if (a < b)
            s_classify(c, cv, seen, (uint32_t)a, (uint32_t)b);
        /* "(SOHR)" right after: an acronym for the last candidate. */
        /* Not a party and state ("Sen. Dana Whit (R-N.H.)"): an acronym is letters and
           digits. */
        if (cv->n && b + 2 < n && xtok_punct(c, b, '(') && (t[b + 1].flags & TK_ALLCAP)
            && xtok_punct(c, b + 2, ')') && strlen(t[b + 1].f) < 16
            && strspn(t[b + 1].f, "abcdefghijklmnopqrstuvwxyz0123456789") == strlen(t[b + 1].f)) {
            /* People don't define acronyms: "Hayat Tahrir al-Sham (HTS)" is a group. */
            s_cand_t *last = &cv->v[cv->n - 1];
            /* a dateline in capitals is no long form: "LOS ANGELES (AP)" */
            bool shouted = true;
            for (uint32_t k = last->t0; k < last->t1 && shouted; k++)
                shouted = (t[k].flags & TK_ALLCAP) || !(t[k].flags & TK_WORD);
            if (last->t1 == b && last->kind != K_PLACE && !shouted) {
                snprintf(last->acr, sizeof last->acr, "%s", t[b + 1].f);
                last->kind = K_ORG;
                last->t0 = (uint32_t)a;
            }
        }
        i = b;
    }
}

/* A craft's name for its key, without a ship prefix: "MV Northern Star" and "Northern
   Star" meet. */
static size_t s_vehicle_name(const xctx_t *c, uint32_t t0, uint32_t t1, char *out, size_t cap)
{
    const xtok_t *t = c->tok.v;
    if (t1 - t0 >= 2 && (t[t0].wc & WC_SHIP_PREFIX) && (t[t0].flags & TK_ALLCAP))
        t0++;
    return s_fold_range(c, t0, t1, out, cap);
}

/* One sense per article: a name the article once gives a craft ("the ferry Northern
   Star") is the craft wherever else it stands without a cue of its own ("The Northern
   Star was built in 1987"). */
static void s_vehicle_spread(const xctx_t *c, s_candv_t *cv)
{
    char vn[128], on[128];
    for (size_t v = 0; v < cv->n; v++) {
        if (cv->v[v].kind != K_VEHICLE)
            continue;
        s_vehicle_name(c, cv->v[v].t0, cv->v[v].t1, vn, sizeof vn);
        for (size_t o = 0; o < cv->n; o++) {
            s_cand_t *cd = &cv->v[o];
            if (cd->strong || (cd->kind != K_PERSON && cd->kind != K_UNKNOWN))
                continue;
            s_vehicle_name(c, cd->t0, cd->t1, on, sizeof on);
            if (strcmp(on, vn) == 0)
                cd->kind = K_VEHICLE;
        }
    }
}

/* ---- linking ------------------------------------------------------------------------ */

static bool s_tokens_within(const xctx_t *c, const s_cand_t *small, const xent_t *e)
{
    /* Every word of the short form appears in the entity's long form. */
    for (uint32_t i = small->t0; i < small->t1; i++) {
        if (!(c->tok.v[i].flags & TK_WORD))
            continue;
        bool found = false;
        for (uint32_t k = e->name_t0; k < e->name_t1 && !found; k++)
            if (c->tok.v[k].hash == c->tok.v[i].hash)
                found = true;
        if (!found)
            return false;
    }
    return true;
}

/* The run's lookup index: a multimap from (kind of lookup, hash) to entities, so linking
   stays linear in the article's length instead of scanning every entity per mention. */
enum { IX_KEY = 1, IX_SUR, IX_WORD, IX_ACR, IX_NAME };

typedef struct {
    uint32_t h;               /* hash mixed with the lookup kind */
    int32_t ent;              /* entity index */
    int32_t next;             /* next entry in the bucket, -1 at the end */
} s_ix_entry_t;

typedef struct {
    int32_t *head;            /* bucket heads, -1 when empty */
    uint32_t mask;            /* buckets - 1 */
    s_ix_entry_t *pool;       /* entries */
    size_t n, cap;
} s_ix_t;

static uint32_t s_ixh(int kind, uint32_t h)
{
    return (h ^ ((uint32_t)kind * 0x9e3779b9u)) * 2654435761u;
}

static void s_ix_put(xctx_t *c, int kind, uint32_t h, int ent)
{
    s_ix_t *ix = c->ent_index;
    if (!ix || ix->n >= ix->cap)
        return;   /* full: later lookups miss it, linking degrades, nothing breaks */
    uint32_t k = s_ixh(kind, h);
    s_ix_entry_t *e = &ix->pool[ix->n];
    e->h = k;
    e->ent = ent;
    e->next = ix->head[k & ix->mask];
    ix->head[k & ix->mask] = (int32_t)ix->n++;
}

/* First entry for (kind, h); walk with s_ix_next. -1 when none. */
static int32_t s_ix_first(const xctx_t *c, int kind, uint32_t h)
{
    const s_ix_t *ix = c->ent_index;
    if (!ix)
        return -1;
    uint32_t k = s_ixh(kind, h);
    int32_t i = ix->head[k & ix->mask];
    while (i >= 0 && ix->pool[i].h != k)
        i = ix->pool[i].next;
    return i;
}

static int32_t s_ix_next(const xctx_t *c, int32_t i)
{
    const s_ix_t *ix = c->ent_index;
    uint32_t k = ix->pool[i].h;
    i = ix->pool[i].next;
    while (i >= 0 && ix->pool[i].h != k)
        i = ix->pool[i].next;
    return i;
}

#define IX_EACH(c, kind, hash, var)                                                       \
    for (int32_t var##_i = s_ix_first((c), (kind), (hash)); var##_i >= 0;               \
         var##_i = s_ix_next((c), var##_i))                                             \
        for (int var = ((const s_ix_t *)(c)->ent_index)->pool[var##_i].ent, var##_once = 1; \
             var##_once; var##_once = 0)

static uint32_t s_strhash(const char *s)
{
    return extract_hash(s, strlen(s));
}

/* Indexes an entity's current name: its words, surname and folded name. */
static void s_ix_name(xctx_t *c, int e)
{
    const xent_t *x = &c->ent.v[e];
    for (uint32_t i = x->name_t0; i < x->name_t1; i++)
        if (c->tok.v[i].flags & TK_WORD)
            s_ix_put(c, IX_WORD, c->tok.v[i].hash, e);
    char buf[128];
    if (x->kind == K_PERSON) {
        s_surname(c, x->name_t1, buf, sizeof buf);
        s_ix_put(c, IX_SUR, s_strhash(buf), e);
    } else if (x->kind == K_ORG) {
        s_fold_range(c, x->name_t0, x->name_t1, buf, sizeof buf);
        s_ix_put(c, IX_NAME, s_strhash(buf), e);
    }
}

static int s_new_ent(xctx_t *c, char kind, uint32_t t0, uint32_t t1, const char *key)
{
    xent_t e;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.name_t0 = t0;
    e.name_t1 = t1;
    extract_join(e.key, sizeof e.key, key, NULL, NULL);
    XVEC_PUSH(c->ent, e);
    int id = (int)c->ent.n - 1;
    s_ix_put(c, IX_KEY, s_strhash(c->ent.v[id].key), id);
    s_ix_name(c, id);
    return id;
}

static void s_set_acr(xctx_t *c, int e, const char *acr)
{
    extract_join(c->ent.v[e].acr, sizeof c->ent.v[e].acr, acr, NULL, NULL);
    s_ix_put(c, IX_ACR, s_strhash(c->ent.v[e].acr), e);
}

/* True when the article writes the folded acronym `acr` as a word in capitals. */
static bool s_acronym_used(const xctx_t *c, const char *acr)
{
    const s_counts_t *s = c->ent_counts;
    return s && s_cnt_get(s, s_ckey(S_CNT_ALLCAP, s_strhash(acr), 0)) > 0;
}

static int s_find_key(const xctx_t *c, const char *key)
{
    IX_EACH(c, IX_KEY, s_strhash(key), e)
        if (strcmp(c->ent.v[e].key, key) == 0)
            return e;
    return -1;
}

/* An org whose acronym is `acr`, or -1. */
static int s_find_acr(const xctx_t *c, const char *acr)
{
    IX_EACH(c, IX_ACR, s_strhash(acr), e)
        if (c->ent.v[e].kind == K_ORG && strcmp(c->ent.v[e].acr, acr) == 0)
            return e;
    return -1;
}

static uint32_t s_bytes(const xctx_t *c, uint32_t t0, uint32_t t1)
{
    return c->tok.v[t1 - 1].e - c->tok.v[t0].s;
}

/* The key of the second person of a surname in an article, named by tokens [t0, t1):
   "per:<given> <surname>" with the given name that stands right before the surname,
   initials and titles aside ("Dana R. Whitcombe" gives "per:dana whitcombe"). Returns
   false, with "per:<surname>", when the run gives no given name. */
/* A person's key: "per:" then the given name (or NULL), the surname and the
   generational suffix (or NULL), one space apart. */
static void s_key_of(char *key, size_t cap, const char *given, const char *sur,
                     const char *suf)
{
    size_t o = extract_join(key, cap, "per:", given, given ? " " : NULL);
    extract_join(key + o, cap - o, sur, suf ? " " : NULL, suf);
}

static bool s_person_key(const xctx_t *c, uint32_t t0, uint32_t t1, char *key, size_t cap)
{
    const xtok_t *t = c->tok.v;
    char sur[64];
    s_surname(c, t1, sur, sizeof sur);
    const char *given = NULL, *suf = s_suffix(c, t1);
    for (uint32_t i = suf ? t1 - 2 : t1 - 1; i > t0 && !given; i--) {
        const xtok_t *g = &t[i - 1];
        if ((g->flags & (TK_WORD | TK_POSS)) == TK_WORD && (g->flags & TK_CAP)
            && strlen(g->f) >= 2 && !(g->wc & (WC_CONNECTOR | WC_TITLE)))
            given = g->f;
    }
    s_key_of(key, cap, given, sur, suf);
    return given != NULL;
}

static int s_cmp_len(const void *a, const void *b, void *ctx)
{
    const xctx_t *c = ctx;
    const s_cand_t *x = a, *y = b;
    uint32_t lx = x->t1 - x->t0, ly = y->t1 - y->t0;
    if (lx != ly)
        return lx > ly ? -1 : 1;
    (void)c;
    return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

int extract_entity_at(const xctx_t *c, size_t i)
{
    return i < c->tok.n ? c->tok.v[i].ent : -1;
}

/* True when entity a was named in full before entity b (by where their longest forms
   stand: a person's full name is mostly its first mention). */
static bool s_named_before(const xctx_t *c, int a, int b)
{
    return c->ent.v[a].name_t0 < c->ent.v[b].name_t0;
}

/* A person of the article whose surname is the one of the run ending at token t1
   ("Assad" for "Bashar al-Assad"), the one named first when several are, or -1. */
static int s_find_surname(const xctx_t *c, uint32_t t1)
{
    char sur[64], es[64];
    s_surname(c, t1, sur, sizeof sur);
    int best = -1;
    IX_EACH(c, IX_SUR, s_strhash(sur), k) {
        if (c->ent.v[k].kind != K_PERSON)
            continue;
        s_surname(c, c->ent.v[k].name_t1, es, sizeof es);
        if (strcmp(es, sur) == 0 && (best < 0 || s_named_before(c, k, best)))
            best = k;
    }
    return best;
}

/* The one person of the article whose given name is token i ("Ted" for "Ted Morrow"),
   or -1 when none or several have it. */
static int s_find_given(const xctx_t *c, uint32_t i)
{
    uint32_t h = c->tok.v[i].hash;
    int found = -1;
    IX_EACH(c, IX_WORD, h, k) {
        const xent_t *e = &c->ent.v[k];
        if (e->kind != K_PERSON || e->name_t1 - e->name_t0 < 2 || c->tok.v[e->name_t0].hash != h
            || k == found)
            continue;
        if (found >= 0)
            return -1;
        found = k;
    }
    return found;
}

/* Links one candidate to an entity, creating it when needed; returns the entity, or -1
   when the candidate names none. */
static int s_link(xctx_t *c, const s_cand_t *cd)
{
    char buf[128], key[96];
    const xtok_t *t = c->tok.v;
    uint32_t len = cd->t1 - cd->t0;
    switch (cd->kind) {
    case K_PLACE: {
        if (cd->country) {
            extract_text_fold((const uint8_t *)cd->country, strlen(cd->country), buf, sizeof buf);
        } else {
            s_fold_range(c, cd->t0, cd->t1, buf, sizeof buf);
        }
        extract_join(key, sizeof key, "loc:", buf, NULL);
        int e = s_find_key(c, key);
        if (e >= 0)
            return e;
        /* A place only by its preposition ("a rally for Dana Whitcombe ... came to
           Whitcombe") that is the surname of a person the article names is that person. */
        if (!cd->strong && (e = s_find_surname(c, cd->t1)) >= 0
            && (len == 1 || s_tokens_within(c, cd, &c->ent.v[e])))
            return e;
        return s_new_ent(c, K_PLACE, cd->t0, cd->t1, key);
    }
    case K_ORG: {
        char ini[16];
        size_t ni = s_initials(c, cd->t0, cd->t1, ini, sizeof ini);
        const char *acr = cd->acr[0] ? cd->acr : NULL;
        if (!acr && len == 1 && (t[cd->t0].flags & TK_ALLCAP))
            acr = t[cd->t0].f;
        /* An acronym already known from an earlier long form, or the same name. */
        if (acr) {
            int e = s_find_acr(c, acr);
            if (e >= 0)
                return e;
        } else {
            s_fold_range(c, cd->t0, cd->t1, buf, sizeof buf);
            IX_EACH(c, IX_NAME, s_strhash(buf), k) {
                const xent_t *e = &c->ent.v[k];
                char nb[128];
                s_fold_range(c, e->name_t0, e->name_t1, nb, sizeof nb);
                if (e->kind == K_ORG && strcmp(nb, buf) == 0)
                    return k;
            }
        }
        /* A long name goes by its initials, so that articles that write it in full and
           those that write only the initials meet; but three letters are many names
           across articles ("Woodmont Country Club", "Westchester Community College"),
           so three initials key a name only when the article writes them itself. */
        if (!acr && ni >= 3 && len >= 3 && (ni >= 4 || s_acronym_used(c, ini)))
            acr = ini;
        if (acr)
            extract_join(key, sizeof key, "org:", acr, NULL);
        else {
            size_t o = 0;
            uint32_t t0 = cd->t0;
            if (strcmp(t[t0].f, "the") == 0)
                t0++;
            o = s_fold_range(c, t0, cd->t1, buf, sizeof buf);
            (void)o;
            extract_join(key, sizeof key, "org:", buf, NULL);
        }
        int e = s_find_key(c, key);
        if (e < 0) {
            e = s_new_ent(c, K_ORG, cd->t0, cd->t1, key);
        }
        if (acr && strcmp(c->ent.v[e].acr, acr) != 0)
            s_set_acr(c, e, acr);
        return e;
    }
    case K_VEHICLE: {
        s_vehicle_name(c, cd->t0, cd->t1, buf, sizeof buf);
        extract_join(key, sizeof key, "veh:", buf, NULL);
        int e = s_find_key(c, key);
        return e >= 0 ? e : s_new_ent(c, K_VEHICLE, cd->t0, cd->t1, key);
    }
    case K_PERSON: {
        char sur[64];
        s_surname(c, cd->t1, sur, sizeof sur);
        /* A generational suffix tells father from son: "Donald Trump Jr" is not "Donald
           Trump"; a bare surname may be either. */
        const char *suf = s_suffix(c, cd->t1);
        /* Join an existing person whose long form holds every word of this one (such
           a person holds this one's last word). */
        /* A bare surname of several people ("Anthony Grovenor III ... his wife, Michele
           Grovenor ... Grovenor said") is the one the article named first. */
        int best = -1;
        IX_EACH(c, IX_WORD, t[cd->t1 - 1].hash, k) {
            xent_t *e = &c->ent.v[k];
            if ((best < 0 || len == 1) && e->kind == K_PERSON && s_tokens_within(c, cd, e)
                && (len == 1 || s_same_suffix(suf, s_suffix(c, e->name_t1)))) {
                char es[64];
                s_surname(c, e->name_t1, es, sizeof es);
                if ((strcmp(es, sur) == 0 || len == 1) && (best < 0 || s_named_before(c, k, best)))
                    best = k;
            }
        }
        /* Or one whose every word this longer form holds, with the same surname. */
        if (best < 0)
            IX_EACH(c, IX_SUR, s_strhash(sur), k) {
                xent_t *e = &c->ent.v[k];
                if (best >= 0 || e->kind != K_PERSON
                    || !s_same_suffix(suf, s_suffix(c, e->name_t1)))
                    continue;
                s_cand_t ec = {e->name_t0, e->name_t1, K_PERSON, false, NULL, ""};
                xent_t me = *e;
                me.name_t0 = cd->t0;
                me.name_t1 = cd->t1;
                if (s_tokens_within(c, &ec, &me))
                    best = k;
            }
        if (best >= 0)
            return best;
        s_key_of(key, sizeof key, NULL, sur, suf);
        int e = s_find_key(c, key);
        if (e >= 0) {
            /* another person with the same surname: qualify with the given name; a bare
               surname has none to qualify with and is that person */
            if (!s_person_key(c, cd->t0, cd->t1, key, sizeof key))
                return e;
            if ((e = s_find_key(c, key)) >= 0)
                return e;
        }
        return s_new_ent(c, K_PERSON, cd->t0, cd->t1, key);
    }
    default:
        break;
    }
    /* Unknown: a surname, acronym or place already known; an all-caps word is an org;
       a word before a speech verb is a person; otherwise "other". */
    uint32_t h = t[cd->t1 - 1].hash;
    char sur[64];
    s_surname(c, cd->t1, sur, sizeof sur);
    int found = -1;
    IX_EACH(c, IX_WORD, h, k) {
        xent_t *e = &c->ent.v[k];
        /* a bare surname of several people is the one named first */
        if (found >= 0 && !(len == 1 && c->ent.v[found].kind == K_PERSON
                            && e->kind == K_PERSON && s_named_before(c, k, found)))
            continue;
        if (e->kind == K_PERSON) {
            char es[64];
            s_surname(c, e->name_t1, es, sizeof es);
            if (strcmp(es, sur) == 0 && s_tokens_within(c, cd, e))
                found = k;
            else if (len == 1 && t[e->name_t1 - 1].hash == h)
                found = k;
        } else if (e->kind == K_ORG && len >= 2 && s_tokens_within(c, cd, e)
                   && t[e->name_t1 - 1].hash == h) {
            /* a short form ends as its organization does ("Rescue Council" for "Harbor
               Rescue Council"); its first words are a place or a name of their own ("New
               York" in "New York Times") */
            found = k;
        }
    }
    if (found >= 0)
        return found;
    if (len == 1 && (found = s_find_surname(c, cd->t1)) >= 0)
        return found;
    if (len == 1 && (found = s_find_given(c, cd->t0)) >= 0)
        return found;
    if (len == 1 && (found = s_find_acr(c, t[cd->t0].f)) >= 0)
        return found;
    s_fold_range(c, cd->t0, cd->t1, buf, sizeof buf);
    extract_join(key, sizeof key, "loc:", buf, NULL);
    if ((found = s_find_key(c, key)) >= 0)
        return found;
    if (len == 1 && (t[cd->t0].flags & TK_ALLCAP)) {
        s_cand_t o = *cd;
        o.kind = K_ORG;
        return s_link(c, &o);
    }
    /* a group of people or its adjective, or an adjective ("Presidential"), that is no
       one's name, or a group named by its last word ("African Americans"): no entity */
    const char *lf = t[cd->t1 - 1].f;
    if ((len == 1 && (s_group_word(lf) || s_adjective(lf)))
        || (s_group_word(lf) && lf[strlen(lf) - 1] == 's'))
        return -1;
    s_fold_range(c, cd->t0, cd->t1, buf, sizeof buf);
    extract_join(key, sizeof key, "oth:", buf, NULL);
    int e = s_find_key(c, key);
    return e >= 0 ? e : s_new_ent(c, K_OTHER, cd->t0, cd->t1, key);
}

/* An entity the body already has whose name ends like this title candidate, or -1. */
static int s_title_match(const xctx_t *c, const s_cand_t *cd)
{
    uint32_t h = c->tok.v[cd->t1 - 1].hash;
    IX_EACH(c, IX_WORD, h, k) {
        const xent_t *e = &c->ent.v[k];
        if (c->tok.v[e->name_t1 - 1].hash == h && s_tokens_within(c, cd, e))
            return k;
    }
    if (cd->t1 - cd->t0 == 1)
        return s_find_acr(c, c->tok.v[cd->t0].f);
    return -1;
}

/* Marks the sentences written in title case, headlines inside the text ("Ferrera Took
   On Hollywood"), by a capitalized preposition, conjunction or auxiliary inside them:
   their capitals say nothing about names, as in the title line. Returns an array of
   c->sent.n flags in the arena. */
static bool *s_title_case(const xctx_t *c)
{
    static const char *const small[] = {
        "on", "to", "in", "of", "for", "with", "from", "at", "by", "and", "or", "but", "is",
        "are", "was", "were", "be", "been", "has", "have", "had", "do", "does", "did",
        "just", "not", "about", "into", "after", "as", "over", "before", "behind", "against",
        "amid", "than", "says", NULL};
    bool *tc = extract_arena_alloc(c->arena, (c->sent.n + 1) * sizeof *tc, 1);
    for (size_t i = 0; i < c->tok.n; i++) {
        const xtok_t *t = &c->tok.v[i];
        if ((t->flags & (TK_WORD | TK_CAP | TK_ALLCAP | TK_TITLE)) != (TK_WORD | TK_CAP)
            || t->sent < 0 || (size_t)t->sent >= c->sent.n || tc[t->sent] || s_opener(c, i))
            continue;
        size_t n = strlen(t->f);
        for (const char *const *w = small; n >= 2 && n <= 5 && *w && !tc[t->sent]; w++)
            tc[t->sent] = strcmp(t->f, *w) == 0;
    }
    return tc;
}

/* Two people of one surname in the article ("Dana Whitcombe", "Rob Whitcombe"): the one
   that took the bare "per:<surname>" takes its given name too, so that neither becomes
   the other's namesake across articles; a person alone with its surname keeps the bare
   key. */
static void s_qualify_namesakes(xctx_t *c)
{
    char sur[64], os[64], key[96];
    for (size_t e = 0; e < c->ent.n; e++) {
        xent_t *x = &c->ent.v[e];
        if (x->kind != K_PERSON || strncmp(x->key, "per:", 4) != 0 || strchr(x->key + 4, ' '))
            continue;
        s_surname(c, x->name_t1, sur, sizeof sur);
        bool twin = false;
        IX_EACH(c, IX_SUR, s_strhash(sur), o) {
            const xent_t *y = &c->ent.v[o];
            if (twin || (size_t)o == e || y->kind != K_PERSON || strncmp(y->key, "per:", 4) != 0)
                continue;
            s_surname(c, y->name_t1, os, sizeof os);
            twin = strcmp(os, sur) == 0 && strcmp(y->key, x->key) != 0
                   && s_same_suffix(s_suffix(c, x->name_t1), s_suffix(c, y->name_t1));
        }
        if (twin && s_person_key(c, x->name_t0, x->name_t1, key, sizeof key)
            && s_find_key(c, key) < 0)
            extract_join(x->key, sizeof x->key, key, NULL, NULL);
    }
}

/* A person taken for one only by its capitals whose first word the article names as
   something else, another person's surname or a place or organization of one word
   ("Whitcombe Victory" beside Dana Whitcombe, "Ardmore Gazette" beside Ardmore), is a
   name made of that name: the entity stays, as "other". */
static void s_demote_compounds(xctx_t *c)
{
    const xtok_t *t = c->tok.v;
    for (size_t e = 0; e < c->ent.n; e++) {
        xent_t *x = &c->ent.v[e];
        if (x->kind != K_PERSON || x->cued || x->name_t1 - x->name_t0 < 2)
            continue;
        uint32_t h = t[x->name_t0].hash;
        bool other = false;
        IX_EACH(c, IX_WORD, h, o) {
            const xent_t *y = &c->ent.v[o];
            if (other || (size_t)o == e)
                continue;
            if (y->kind == K_PERSON)
                other = y->name_t1 - y->name_t0 >= 2 && t[y->name_t1 - 1].hash == h;
            else if (y->kind == K_PLACE || y->kind == K_ORG)
                other = y->name_t1 - y->name_t0 == 1 && t[y->name_t0].hash == h;
        }
        if (!other)
            continue;
        char buf[96];
        s_fold_range(c, x->name_t0, x->name_t1, buf, sizeof buf);
        x->kind = K_OTHER;
        extract_join(x->key, sizeof x->key, "oth:", buf, NULL);
    }
}

static int s_cmp_t0(const void *a, const void *b)
{
    const xmention_t *x = a, *y = b;
    return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

void extract_entity_find(xctx_t *c)
{
    c->men.n = 0;
    c->ent.n = 0;
    /* Words seen in lower case, as a hash set over the token hashes; not those of an
       address ("clinton.com", "@harbor", "/whitcombe/"), which no one writes as words. */
    size_t cap = 64;
    while (cap < c->tok.n * 2 + 2)
        cap <<= 1;
    uint32_t *lset = extract_arena_alloc(c->arena, cap * sizeof *lset, 1);
    size_t mask = cap - 1;
    for (size_t i = 0; i < c->tok.n; i++) {
        const xtok_t *t = &c->tok.v[i];
        if (!(t->flags & TK_WORD) || (t->flags & (TK_CAP | TK_SKIP)) || t->f[0] < 'a'
            || t->f[0] > 'z' || s_in_address(c, t))
            continue;
        s_seen_put(lset, mask, t->hash);
    }
    /* Words capitalized inside a sentence, out of the title line. */
    uint32_t *mset = extract_arena_alloc(c->arena, cap * sizeof *mset, 1);
    for (size_t i = 0; i < c->tok.n; i++) {
        const xtok_t *t = &c->tok.v[i];
        if ((t->flags & (TK_WORD | TK_CAP | TK_SKIP | TK_TITLE)) != (TK_WORD | TK_CAP)
            || s_opener(c, i))
            continue;
        s_seen_put(mset, mask, t->hash);
    }
    s_seen_t seen = {lset, mset, mask};
    s_counts_build(c);
    s_candv_t cv = {0};
    s_find_candidates(c, &cv, &seen);
    s_vehicle_spread(c, &cv);
    s_ix_t *ix = extract_arena_alloc(c->arena, sizeof *ix, 1);
    size_t nb = 64;
    while (nb < cv.n * 4 + 4)
        nb <<= 1;
    ix->head = extract_arena_alloc(c->arena, nb * sizeof *ix->head, 0);
    memset(ix->head, 0xff, nb * sizeof *ix->head);
    ix->mask = (uint32_t)(nb - 1);
    ix->cap = cv.n * 12 + 64;
    ix->pool = extract_arena_alloc(c->arena, ix->cap * sizeof *ix->pool, 0);
    c->ent_index = ix;
    /* Longest first, so short forms find their long forms. Strong kinds before weak. */
    s_cand_t *sorted = extract_arena_alloc(c->arena, (cv.n + 1) * sizeof *sorted, 0);
    if (cv.n)
        memcpy(sorted, cv.v, cv.n * sizeof *sorted);
    if (cv.n > 1)
        qsort_r(sorted, cv.n, sizeof *sorted, s_cmp_len, c);
    /* Headlines capitalize every word, so a title candidate counts only when a cue makes
       it (a country, a titled person, an organization word) or it names something the
       body names; the title line is the lede in some feeds. */
    bool *tcase = s_title_case(c);
    for (int pass = 0; pass < 3; pass++) {
        for (size_t k = 0; k < cv.n; k++) {
            s_cand_t *cd = &sorted[k];
            int32_t sn = c->tok.v[cd->t0].sent;
            bool title = (c->tok.v[cd->t0].flags & TK_TITLE) != 0;
            /* a headline inside the text, like the title line (a strong cue still
               counts there: demoting organization words cost ECB+ stories) */
            if (!title && sn >= 0 && (size_t)sn < c->sent.n && tcase[sn])
                title = true;
            /* a place only by its preposition waits for the people, whom it may name
               ("a rally for Dana Whitcombe") */
            bool late = cd->kind == K_UNKNOWN || (cd->kind == K_PLACE && !cd->strong);
            bool want = title ? (pass == 2 || (pass == 0 && cd->strong))
                      : pass == 0 ? !late : pass == 1 && late;
            if (!want || (title && pass == 0 && cd->kind == K_UNKNOWN))
                continue;
            int e;
            if (title && pass == 2) {
                e = s_title_match(c, cd);
                if (e < 0)
                    continue;
            } else if ((e = s_link(c, cd)) < 0) {
                continue;
            }
            xent_t *en = &c->ent.v[e];
            if (s_bytes(c, cd->t0, cd->t1) > s_bytes(c, en->name_t0, en->name_t1)
                && en->kind == cd->kind) {
                en->name_t0 = cd->t0;
                en->name_t1 = cd->t1;
                s_ix_name(c, e);
            }
            xmention_t m = {cd->t0, cd->t1, e};
            XVEC_PUSH(c->men, m);
            en->n_mentions++;
            en->cued |= cd->strong;
        }
    }
    s_qualify_namesakes(c);
    s_demote_compounds(c);
    free(cv.v);
    c->ent_index = NULL;
    c->ent_counts = NULL;
    if (c->men.n > 1)   /* v is NULL before the first mention ever */
        qsort(c->men.v, c->men.n, sizeof *c->men.v, s_cmp_t0);
    for (size_t k = 0; k < c->men.n; k++)
        for (uint32_t i = c->men.v[k].t0; i < c->men.v[k].t1; i++)
            c->tok.v[i].ent = c->men.v[k].ent;
}
