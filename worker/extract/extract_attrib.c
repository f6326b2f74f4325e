/*  extract_attrib: cue-driven. Each cue token is tried against the patterns in the
    header, closest evidence first (an adjacent quotation, then a left subject with a
    clause after it, then a clause before it). Spans are built from tokens, then mapped to
    original offsets by extract_span. */
#include "extract_attrib.h"
#include "extract_date.h"
#include "extract_entity.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A flag on a class: the verb takes a noun phrase as what it reports ("endorsed Cruz",
   "attacked her record"), so its content is that object, not the rest of the clause. */
#define CUE_OBJ 0x10
/* A flag on a class: the form is as often a noun ("his support", "a call for") or an
   infinitive ("to see") as a finite verb, so it is a cue only right after a subject
   ("voters support C", "records show C") or an auxiliary ("did not see"). */
#define CUE_BASE 0x20
/* A flag: the form is also a noun of saying or thinking (see s_nouns). */
#define CUE_NOUN 0x40
/* A flag: the form is a cue only with "about", "of" or "on" after it ("spoke about C",
   "is confident of C"), and the cue takes the preposition. */
#define CUE_ABOUT 0x80
/* A flag: a light verb that reports only with a noun of saying after it ("made clear",
   "made the case that", "made several statements about"); its class is VERB then. */
#define CUE_LIGHT 0x100

typedef struct {
    const char *form;
    int cls;
} s_cue_t;

/* Forms are verbs of saying, reporting, thinking and
   judging in the inflections news uses. */
static const s_cue_t s_cues[] = {
    {"according", 4}, {"accused", 1}, {"accuses", 1}, {"accusing", 2}, 
    {"acknowledged", 1}, {"acknowledges", 1}, {"acknowledging", 2}, {"added", 1},
    {"adding", 2}, {"adds", 1}, {"admits", 1}, {"admitted", 1},
    {"agreed", 1}, {"agrees", 1}, {"alleged", 1}, {"alleges", 1}, {"alleging", 1},
    {"announced", 1}, {"announces", 1}, {"announcing", 2},
    {"appeared", 1}, {"appears", 1}, {"applauded", 1}, {"argued", 1},
    {"argues", 1}, {"arguing", 2}, {"asked", 3}, {"asking", 2}, {"asks", 3},
    {"assailed", 1}, {"asserted", 1}, {"asserts", 1}, {"assured", 3}, {"attacked", 1 | CUE_OBJ},
    {"believes", 1}, {"bemoaned", 1}, {"blamed", 1}, {"blames", 1},
    {"blasted", 1}, {"blasting", 2}, {"blasts", 1}, {"boasted", 1}, {"briefed", 1},
    {"called", 1}, {"calling", 2}, {"calls", 1}, {"cautioned", 1},
    {"challenged", 1}, {"championed", 1}, {"chanted", 1}, {"chants", 1}, {"charged", 1},
    {"cited", 1}, {"cites", 1}, {"citing", 2}, {"claimed", 1},
    {"claiming", 2}, {"claims", 1}, {"complained", 1}, {"complains", 1}, {"conceded", 1},
    {"concedes", 1}, {"concluded", 1}, {"condemned", 1}, {"condemns", 1}, {"confirmed", 1},
    {"confirms", 1}, {"contended", 1}, {"contends", 1}, {"continued", 1}, {"convinced", 1},
    {"countered", 1}, {"criticised", 1}, {"criticized", 1}, {"criticizes", 1},
    {"criticizing", 2}, {"declared", 1}, {"declares", 1}, {"declaring", 2},
    {"declined", 1}, {"declines", 1}, {"decried", 1}, {"deemed", 1}, {"defended", 1},
    {"defends", 1}, {"demanded", 1}, {"demands", 1}, {"denied", 1}, {"denies", 1},
    {"denounced", 1}, {"denounces", 1}, {"denouncing", 2}, 
    {"described", 1}, {"describes", 1}, {"describing", 2}, {"disclosed", 1},
    {"discussed", 1}, {"dismissed", 1}, {"dismissing", 2}, {"echoed", 1},
    {"echoing", 2}, {"emailed", 1}, {"emphasised", 1}, {"emphasized", 1},
    {"emphasizing", 2}, {"encouraged", 1}, {"endorsed", 1 | CUE_OBJ}, {"endorses", 1 | CUE_OBJ},
    {"estimated", 1}, {"estimates", 1}, {"expected", 1}, {"explain", 1}, {"explained", 1},
    {"explaining", 2}, {"explains", 1}, {"expressed", 1}, {"expresses", 1},
    {"finds", 1}, {"forecast", 1}, {"highlighted", 1}, {"highlighting", 2},
    {"hinted", 1}, {"hints", 1}, {"hoped", 1}, {"hopes", 1}, {"implied", 1},
    {"indicated", 1}, {"indicates", 1}, {"informed", 3}, 
    {"insisted", 1}, {"insisting", 2}, {"insists", 1}, {"invoked", 1},
    {"joked", 1}, {"lamented", 1}, {"likened", 1}, {"maintains", 1},
    {"mentioned", 1}, {"mentioning", 2}, {"mentions", 1}, {"mocked", 1 | CUE_OBJ},
    {"mocking", 2 | CUE_OBJ}, {"noted", 1}, {"notes", 1}, {"noting", 2},
    {"observed", 1}, {"observes", 1}, {"offered", 1}, {"opposed", 1 | CUE_OBJ}, {"opposes", 1 | CUE_OBJ},
    {"ordered", 1}, {"pleaded", 1}, {"pledged", 1}, {"pledges", 1}, {"pledging", 2},
    {"pointed", 1}, {"pointing", 2}, {"portrayed", 1}, {"posted", 1}, {"praised", 1 | CUE_OBJ},
    {"praises", 1}, {"praising", 2}, {"predicted", 1}, {"predicting", 2}, {"predicts", 1},
    {"projected", 1}, {"promised", 1}, {"promises", 1}, {"promising", 2}, {"proposed", 1},
    {"proposing", 2}, {"questioned", 1}, {"questioning", 2}, {"quoted", 1}, {"railed", 1},
    {"recalled", 1}, {"recalling", 2}, {"recalls", 1}, {"recommended", 1},
    {"referenced", 1}, {"referred", 1}, {"referring", 2}, {"refused", 1}, {"refuses", 1},
    {"reiterated", 1}, {"reiterates", 1}, {"rejected", 1}, {"rejects", 1}, {"remarked", 1},
    {"remarking", 2}, {"remembered", 1}, {"reminded", 3}, {"reminding", 2},
    {"repeating", 2}, {"replied", 1}, {"replies", 1}, {"reported", 1}, {"requested", 1},
    {"responded", 1}, {"responds", 1}, {"retweeted", 1}, {"revealed", 1},
    {"reveals", 1}, {"ruled", 1}, {"said", 1}, {"say", 1}, {"saying", 2}, {"says", 1},
    {"seeks", 1}, {"seemed", 1}, {"seems", 1}, {"showed", 1}, {"shown", 1},
    {"shows", 1}, {"signaled", 1}, {"signalled", 1}, {"slammed", 1}, {"slamming", 2},
    {"slams", 1}, {"sought", 1 | CUE_OBJ}, {"stated", 1}, {"stating", 2},
    {"stressed", 1}, {"stresses", 1}, {"stressing", 2}, {"suggested", 1},
    {"suggesting", 2}, {"suggests", 1}, {"supported", 1 | CUE_OBJ}, {"talked", 1}, {"tell", 3},
    {"telling", 2}, {"tells", 3}, {"testified", 1}, {"thanked", 1 | CUE_OBJ}, 
    {"thinks", 1}, {"threatened", 1}, {"threatens", 1}, {"told", 3}, {"touted", 1},
    {"touting", 2 | CUE_OBJ}, {"tweeted", 1}, {"tweets", 1}, {"urged", 3}, {"urges", 3},
    {"urging", 2}, {"voiced", 1}, {"vowed", 1}, {"vowing", 2}, {"vows", 1}, 
    {"warned", 3}, {"warning", 2}, {"warns", 3}, {"wondered", 1}, {"worried", 1},
    {"writes", 1}, {"wrote", 1},
    /* Cognition and intent: PolNeAR attributes beliefs, wishes and expectations
       ("she believes C", "he wants to C") as it does speech. Forms that are mostly nouns
       or non-attributive in news ("plans", "views", "tried", "thought") were measured on
       the training split and left out: they cost more precision than they add recall. */
    {"think", 1}, {"believe", 1}, {"believing", 2}, {"want", 1}, {"wants", 1},
    {"hope", 1}, {"hoping", 2}, {"expect", 1}, {"expects", 1}, {"expecting", 2},
    {"fear", 1}, {"fears", 1}, {"feared", 1}, {"feel", 1}, {"know", 1}, {"knows", 1},
    {"argue", 1}, {"suggest", 1}, {"insist", 1}, {"claim", 1}, {"acknowledge", 1},
    {"agree", 1}, {"considered", 1}, {"decided", 1}, {"found", 1}, {"sees", 1},
    /* Measured on the training split: each form below is a cue in PolNeAR more often
       than not where it stands outside a content, and adds more strict matches than it
       costs. Forms left out ("support", "plan", "question", "report", "view") are mostly
       nouns or non-attributive in news. CUE_OBJ marks verbs whose content is their
       object ("backed Cruz", "prefers Kasich"). */
    {"accepts", 1}, {"accuse", 1}, {"admitting", 2}, {"agreeing", 2}, {"announce", 1},
    {"answered", 1}, {"apologized", 1}, {"applaud", 1}, {"applauds", 1}, {"approved", 1},
    {"assert", 1}, {"asserting", 2}, {"assumed", 1}, {"backed", 1 | CUE_OBJ},
    {"backing", 2 | CUE_OBJ}, {"blame", 1}, {"boasts", 1}, {"bragged", 1},
    {"characterized", 1}, {"commented", 1}, {"complaining", 2}, {"concede", 1},
    {"conclude", 1}, {"confessed", 1}, {"congratulated", 1}, {"consider", 1},
    {"considers", 1}, {"credited", 1}, {"criticize", 1}, {"declare", 1}, {"decrying", 2},
    {"derided", 1}, {"disagree", 1}, {"disagreed", 1}, {"disagrees", 1}, {"discuss", 1},
    {"discussing", 2}, {"disputed", 1}, {"doubt", 1}, {"doubted", 1}, {"doubts", 1},
    {"dubbed", 1}, {"emphasize", 1}, {"endorsing", 2 | CUE_OBJ}, {"express", 1},
    {"fearing", 2}, {"guess", 1}, {"guessed", 1}, {"hinting", 2}, {"identified", 1},
    {"imagined", 1}, {"imply", 1}, {"indicate", 1}, {"intend", 1}, {"issued", 1},
    {"labeled", 1}, {"lament", 1}, {"lamenting", 2}, {"lauded", 1}, {"learned", 1},
    {"mention", 1}, {"mused", 1}, {"oppose", 1 | CUE_OBJ}, {"pondered", 1}, {"predict", 1},
    {"prefer", 1 | CUE_OBJ}, {"preferred", 1 | CUE_OBJ}, {"prefers", 1 | CUE_OBJ},
    {"proclaimed", 1}, {"propose", 1}, {"pushed", 1}, {"pushing", 2}, {"quipped", 1},
    {"quoting", 2}, {"reads", 1}, {"realized", 1}, {"rebutted", 1}, {"recall", 1},
    {"reckoned", 1}, {"recognize", 1}, {"recognized", 1}, {"recognizes", 1},
    {"recommend", 1}, {"refuse", 1}, {"regret", 1}, {"regrets", 1}, {"reiterating", 2},
    {"rejecting", 2}, {"remember", 1}, {"remembers", 1}, {"repeated", 1}, {"reveal", 1},
    {"ripped", 1}, {"seeking", 2}, {"shouted", 1}, {"speculated", 1},
    {"supporting", 2 | CUE_OBJ}, {"supports", 1 | CUE_OBJ}, {"surmised", 1},
    {"suspected", 1}, {"swore", 1}, {"talking", 2}, {"talks", 1}, {"testify", 1},
    {"threaten", 1}, {"tout", 1}, {"tweeting", 2}, {"understand", 1}, {"understood", 1},
    {"urge", 3}, {"vow", 1}, {"warn", 3}, {"welcomed", 1}, {"wished", 1}, {"wonder", 1},
    {"wondering", 2}, {"worries", 1}, {"worry", 1}, {"yelled", 1},
    /* Measured base and past forms that are as often nouns or infinitives ("his
       support", "to see"): cues only right after a subject or an auxiliary (CUE_BASE). */
    {"admit", 1 | CUE_BASE}, {"comment", 1 | CUE_BASE}, {"defend", 1 | CUE_BASE},
    {"deny", 1 | CUE_BASE}, {"note", 1 | CUE_BASE}, {"praise", 1 | CUE_BASE},
    {"respond", 1 | CUE_BASE}, {"see", 1 | CUE_BASE}, {"seek", 1 | CUE_BASE},
    {"shared", 1 | CUE_BASE}, {"show", 1 | CUE_BASE}, {"wanted", 1 | CUE_BASE},
    /* Measured like the block above: verbs and adjectives of attitude that report with
       "about"/"of"/"on" (CUE_ABOUT: "spoke about C", "is skeptical of C") and a few
       verbs of stance ("sided with", "balked at"). */
    {"balked", 1}, {"complain", 1 | CUE_ABOUT}, {"concerned", 1 | CUE_ABOUT},
    {"concludes", 1}, {"confident", 1}, {"confident", 1 | CUE_ABOUT}, {"convince", 1},
    {"critical", 1 | CUE_ABOUT}, {"detailing", 2}, {"distanced", 1}, {"eager", 1},
    {"interjected", 1}, {"knocked", 1}, {"learn", 1 | CUE_ABOUT}, {"noticed", 1},
    {"persuade", 1}, {"portray", 1}, {"sided", 1}, {"skeptical", 1 | CUE_ABOUT},
    {"speak", 1 | CUE_ABOUT}, {"speaks", 1 | CUE_ABOUT}, {"spoke", 1 | CUE_ABOUT},
    {"supportive", 1 | CUE_ABOUT}, {"talk", 1 | CUE_ABOUT}, {"thanking", 2},
    {"thinking", 2 | CUE_ABOUT}, {"wary", 1 | CUE_ABOUT},
};

/* Open-addressing table from a cue form's folded hash to its entry, so the per-token
   test is a probe and at most one strcmp, and s_cues needs no order. Built once
   (pthread_once) by extract_attrib_init; read-only afterwards. */
#define CUE_SLOTS 2048
static struct {
    uint32_t hash;            /* folded hash | 1; 0 marks an empty slot */
    uint16_t cls;             /* class and flags */
    const char *form;         /* the folded form */
} s_cue_slot[CUE_SLOTS];
static pthread_once_t s_cue_once = PTHREAD_ONCE_INIT;

/* Nouns of speech acts and attitudes. After a possessive they are cues of their own ("his
   criticism of C", "Trump's call for C", "her claim that C"). Nouns of things said with
   ("statement", "message", "remarks") or of plans and positions ("plan", "stance",
   "support") were measured on the training split and left out: PolNeAR mostly makes them
   sources or leaves them out. */
static const char *const s_nouns[] = {
    "criticism", "claim", "claims", "warning", "warnings", "call", "calls", "endorsement",
    "attacks", "questions", "promise", "promises", "pledge", "pledges", "vow", "vows",
    "assertion", "suggestion", "allegation", "allegations", "accusation",
    "accusations", "insistence", "denial", "admission", "hope", "hopes", "fear", "fears",
    "desire", "intention", "explanation", "assessment", "prediction", "predictions",
    "conclusion", "contention", "characterization", "description", "condemnation", "remark",
    "reply", "embrace", "refusal", NULL};

/* Puts form f with class cls in the table; a form listed twice keeps its first class,
   plus the flags of the later ones. */
static void s_cue_put(const char *f, int cls)
{
    uint32_t h = extract_hash(f, strlen(f)) | 1;
    size_t k = h & (CUE_SLOTS - 1);
    while (s_cue_slot[k].hash) {
        if (s_cue_slot[k].hash == h && strcmp(s_cue_slot[k].form, f) == 0) {
            s_cue_slot[k].cls |= (uint16_t)(cls & ~0xF);
            return;
        }
        k = (k + 1) & (CUE_SLOTS - 1);
    }
    s_cue_slot[k].hash = h;
    s_cue_slot[k].cls = (uint16_t)cls;
    s_cue_slot[k].form = f;
}

static void s_cue_build(void)
{
    for (size_t i = 0; i < sizeof s_cues / sizeof *s_cues; i++)
        s_cue_put(s_cues[i].form, s_cues[i].cls);
    for (size_t i = 0; s_nouns[i]; i++)
        s_cue_put(s_nouns[i], CUE_NOUN);
    static const char *const light[] = {"made", "makes", "making", "released", "releases",
        "releasing", NULL};
    for (size_t i = 0; light[i]; i++)
        s_cue_put(light[i], CUE_LIGHT);
    s_cue_put("make", CUE_LIGHT | CUE_BASE);
}

void extract_attrib_init(void)
{
    pthread_once(&s_cue_once, s_cue_build);
}

/* Class of the folded word f with folded hash `hash`. */
static int s_cue_lookup(const char *f, uint32_t hash)
{
    uint32_t h = hash | 1;
    size_t k = h & (CUE_SLOTS - 1);
    while (s_cue_slot[k].hash) {
        if (s_cue_slot[k].hash == h && strcmp(s_cue_slot[k].form, f) == 0)
            return s_cue_slot[k].cls;
        k = (k + 1) & (CUE_SLOTS - 1);
    }
    return ATTRIB_CUE_NONE;
}

/* False when the word with this folded hash is surely not a cue. */
static bool s_maybe_cue(uint32_t hash)
{
    uint32_t h = hash | 1;
    size_t k = h & (CUE_SLOTS - 1);
    while (s_cue_slot[k].hash) {
        if (s_cue_slot[k].hash == h)
            return true;
        k = (k + 1) & (CUE_SLOTS - 1);
    }
    return false;
}

int extract_attrib_cue_class(const char *f)
{
    if (!f || f[0] < 'a' || f[0] > 'z')
        return ATTRIB_CUE_NONE;
    extract_attrib_init();
    return s_cue_lookup(f, extract_hash(f, strlen(f))) & 0xF;
}

static bool s_in(const char *f, const char *const *list)
{
    /* First byte before strcmp: most words differ there, and the call dominates. */
    for (; *list; list++)
        if ((*list)[0] == f[0] && strcmp(f, *list) == 0)
            return true;
    return false;
}

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
static const char *const s_np_stop[] = {
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

/* Time and manner words that may follow a cue before its content. */
static const char *const s_after_cue[] = {
    "on", "in", "at", "during", "late", "early", "earlier", "later", "this", "last",
    "recently", "publicly", "privately", "repeatedly", "again", "also", "then", "today",
    "yesterday", "tonight", "now", "previously", "separately", "flatly", "simply", NULL};

static const xtok_t *T(const xctx_t *c, size_t i) { return &c->tok.v[i]; }

/* Weekdays and the like: "Cruz on Wednesday announced" has no speaker "Wednesday". */
static bool s_is_dateword(const char *f)
{
    static const char *const w[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "today", "yesterday", "tonight", "tomorrow", NULL};
    return s_in(f, w);
}

/* Between a subject and its verb: an auxiliary, an -ly adverb, a day ("on Monday"). */
static bool s_is_aux(const xctx_t *c, size_t i)
{
    const xtok_t *t = T(c, i);
    if (t->flags & TK_CAP)
        return s_is_dateword(t->f);
    if (s_in(t->f, s_aux) || s_is_dateword(t->f))
        return true;
    size_t n = strlen(t->f);
    return n > 4 && strcmp(t->f + n - 2, "ly") == 0 && strcmp(t->f, "only") != 0;
}

/* First token of a sentence's subject: after an opening adverbial ("In April, ...",
   "But ...", "Despite X, ..."). */
static size_t s_subject_start(const xctx_t *c, size_t s0, size_t lim)
{
    static const char *const open[] = {"in", "on", "at", "after", "before", "during",
        "despite", "when", "while", "since", "last", "earlier", "later", "but", "and", "yet",
        "still", "also", "meanwhile", "however", "asked", "speaking", "reached", "as",
        "for", "with", "under", "following", "instead", "so", "then", "now", NULL};
    size_t k = s0;
    while (k < lim && ((T(c, k)->flags & TK_PUNCT) || T(c, k)->quote >= 0))
        k++;
    if (k < lim && s_in(T(c, k)->f, open)) {
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

static bool s_is_cap_or_pron(const xctx_t *c, size_t i)
{
    const xtok_t *t = T(c, i);
    return (t->flags & TK_CAP) || s_in(t->f, s_pronouns);
}

/* Is token k a count: a number or a number word ("four", "half", "10")? */
static bool s_is_count(const xctx_t *c, size_t k)
{
    static const char *const words[] = {"one", "two", "three", "four", "five", "six",
        "seven", "eight", "nine", "ten", "half", "most", "all", "some", "each", "many",
        "both", "none", "majority", "third", "thirds", "quarter", "quarters", NULL};
    return k < c->tok.n && ((T(c, k)->flags & TK_NUM) || s_in(T(c, k)->f, words));
}

/* Walks left from `end` (exclusive) over a subject noun phrase. Returns its first token,
   or `end` when there is none. Stops at `lo`. */
static size_t s_np_left(const xctx_t *c, size_t lo, size_t end)
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
        if (s_in(t->f, s_np_stop) || s_is_dateword(t->f))
            break;
        if ((t->flags & TK_WORD) && !(t->flags & TK_CAP) && n > 0
            && extract_attrib_cue_class(t->f) != ATTRIB_CUE_NONE)
            break;
        j--;
        n++;
        if (s_in(t->f, s_pronouns))
            break;
    }
    /* Drop a leading "of"/"for" left by the limit. */
    while (j < end && !(T(c, j)->flags & TK_CAP) && (xtok_is(c, j, "of") || xtok_is(c, j, "for")))
        j++;
    return j;
}

/* A plausible speaker: a name, a pronoun, or a noun phrase with a role word. */
static bool s_np_ok(const xctx_t *c, size_t a, size_t b)
{
    if (a >= b)
        return false;
    if (b - a > 9)
        return false;
    for (size_t i = a; i < b; i++) {
        const xtok_t *t = T(c, i);
        if (t->flags & TK_CAP)
            return true;
        if (s_in(t->f, s_pronouns) && b - a == 1)
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
static size_t s_np_right(const xctx_t *c, size_t i, size_t hi, bool stop_at_that)
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
        if (!(t->flags & TK_CAP) && (s_in(t->f, s_np_stop) || (stop_at_that && xtok_is(c, j, "that"))))
            break;
        if (!(t->flags & TK_CAP) && j > i && extract_attrib_cue_class(t->f) != ATTRIB_CUE_NONE)
            break;
        j++;
        n++;
        if (s_in(t->f, s_pronouns))
            break;
    }
    return j;
}

/* Skips time and manner adjuncts after a cue ("on Friday", "in a statement,", "late
   Monday"). Returns the first token of the content. */
static size_t s_skip_adjuncts(const xctx_t *c, size_t i, size_t hi, const int *pub)
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
                    if (s_in(T(c, q)->f, heads))
                        has = true;
                if (has) {
                    i = k;
                    continue;
                }
            }
        }
        if (s_in(T(c, i)->f, s_after_cue) && !(T(c, i)->flags & TK_CAP)
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
static size_t s_content_end(const xctx_t *c, size_t from, size_t send)
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
            int cls = s_cue_lookup(T(c, k + 1)->f, T(c, k + 1)->hash) & 0xF;
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
            && s_cue_lookup(T(c, k + 1)->f, T(c, k + 1)->hash) == ATTRIB_CUE_VERB) {
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
        return s_content_end(c, from, send);
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
                if (j + 1 < send && ((T(c, j + 1)->flags & TK_CAP) || s_in(T(c, j + 1)->f, det)))
                    j++;
                else
                    break;
                continue;
            }
            if (j > from && !s_in(t->f, keep) && (T(c, j - 1)->flags & TK_CAP)
                && !extract_entity_is_title(T(c, j - 1)->f))
                break;
            if (s_in(t->f, s_np_stop) || s_in(t->f, s_after_cue) || s_is_dateword(t->f))
                break;
            if (j > from && extract_attrib_cue_class(t->f) != ATTRIB_CUE_NONE)
                break;
        } else if (s_is_dateword(t->f)) {
            break;
        }
        j++;
    }
    return j;
}

static const int *s_pub(const xctx_t *c, int *buf)
{
    if (c->doc->published && extract_date_parse_iso(c->doc->published, &buf[0], &buf[1], &buf[2]))
        return buf;
    return NULL;
}

/* Token ranges of one emitted attribution, parallel to c->attr, for the nesting pass. */
typedef struct {
    uint32_t cue0, cue1, sp0, sp1, ct0, ct1;
} s_rng_t;

/* State across a run: the last named speaker for pronouns and roles. */
typedef struct {
    int last_person;          /* entity index of the last named person speaker */
    int last_any;             /* entity of the last attribution's speaker */
    uint8_t *used;            /* tokens already taken by an attribution's cue */
    s_rng_t *rng;             /* token ranges of c->attr (arena) */
    size_t rng_cap;
} s_state_t;

static int s_speaker_entity(xctx_t *c, s_state_t *st, size_t a, size_t b, bool *is_pron)
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
        if (s_in(T(c, i)->f, s_role) || extract_entity_is_title(T(c, i)->f))
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

static void s_emit(xctx_t *c, s_state_t *st, size_t cue0, size_t cue1, size_t sp0, size_t sp1,
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
        s_rng_t *r = extract_arena_alloc(c->arena, cap * sizeof *r, 0);
        if (st->rng_cap)
            memcpy(r, st->rng, st->rng_cap * sizeof *r);
        st->rng = r;
        st->rng_cap = cap;
    }
    st->rng[c->attr.n] = (s_rng_t){(uint32_t)cue0, (uint32_t)cue1, (uint32_t)sp0,
                                   (uint32_t)(sp1 > sp0 ? sp1 : sp0), (uint32_t)ct0,
                                   (uint32_t)ct1};
    XVEC_PUSH(c->attr, a);
}

/* Extends a content end to the end of a quotation that starts inside the content and
   runs past the sentence. */
static size_t s_extend_quote(const xctx_t *c, size_t ct0, size_t ct1)
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
static size_t s_extend_paragraph(const xctx_t *c, size_t ct1, size_t cue)
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

/* Is the quote q a real quotation (more than a scare-quoted word or two)? */
static bool s_quote_real(const xctx_t *c, int q)
{
    return q >= 0 && c->quote.v[q].t1 - c->quote.v[q].t0 >= 5;
}

/* Is token k a determiner, so that a participle after it is an adjective ("the pledged
   delegates")? A possessive "'s" may be "has" and a number a year, so they don't count. */
static bool s_adjective_context(const xctx_t *c, size_t k)
{
    static const char *const det[] = {"the", "a", "an", "his", "its", "their", "our", "my",
        "your", "every", "such", NULL};
    const xtok_t *t = T(c, k);
    return (t->flags & TK_WORD) && s_in(t->f, det);
}

/* Can token k end a subject or stand between a subject and its verb, so that a base
   form after it is a finite verb? Not after a determiner, a possessive, "to" or a
   preposition ("his support", "to see", "in support"). */
static bool s_subject_before(const xctx_t *c, size_t k)
{
    static const char *const no[] = {"the", "a", "an", "his", "her", "its", "their", "our",
        "my", "your", "this", "to", "of", "for", "in", "on", "with", "by", "from", "at",
        "about", "and", "or", "as", "into", "over", "without", "no", "any", "every", "each",
        "whose", "strong", "broad", "public", "full", "more", "less", "most", NULL};
    const xtok_t *t = T(c, k);
    if (t->flags & (TK_POSS | TK_NUM))
        return false;
    if (!(t->flags & TK_WORD))
        return false;
    return !s_in(t->f, no);
}

/* The possessor of the noun at token i, over up to two modifiers ("his repeated
   criticism", "Trump's recent comments"): sets [*a, *b) (with the "'s") and returns true,
   or returns false when no possessive stands there. */
static bool s_possessor(const xctx_t *c, size_t s0, size_t i, size_t *a, size_t *b)
{
    static const char *const poss[] = {"his", "her", "their", "its", "our", "my", NULL};
    size_t k = i;
    for (int m = 0; m < 3 && k > s0; m++, k--) {
        const xtok_t *p = T(c, k - 1);
        if ((p->flags & TK_WORD) && s_in(p->f, poss)) {
            *a = k - 1;
            *b = k;
            return true;
        }
        if (p->flags & TK_POSS) {
            /* a name ("Mayor Holt's"), or a determiner and a noun ("the campaign's") */
            size_t n0 = k - 1;
            while (n0 > s0 && ((T(c, n0 - 1)->flags & TK_CAP)
                               || (xtok_punct(c, n0 - 1, '.') && n0 - 1 > s0
                                   && extract_entity_is_title(T(c, n0 - 2)->f))))
                n0--;
            if (n0 == k - 1 && n0 > s0 && (T(c, n0 - 1)->flags & TK_WORD)) {
                n0--;
                if (n0 > s0 && (xtok_is(c, n0 - 1, "the") || xtok_is(c, n0 - 1, "a")))
                    n0--;
            }
            if (n0 >= k - 1)
                return false;
            *a = n0;
            *b = k;
            return true;
        }
        if (!(p->flags & TK_WORD) || (p->flags & TK_CAP) || s_in(p->f, s_np_stop)
            || s_cue_lookup(p->f, p->hash) != ATTRIB_CUE_NONE)
            return false;
    }
    return false;
}

/* End of a noun cue's content after its preposition ("his comments on [Muslims in the
   debate]"): a noun phrase with its own prepositional phrases, up to punctuation or a
   word that opens a clause. */
static size_t s_noun_content_end(const xctx_t *c, size_t from, size_t send)
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
        if (!(t->flags & TK_CAP) && (s_in(t->f, stop)
                                      || s_cue_lookup(t->f, t->hash) == ATTRIB_CUE_VERB))
            break;
        j++;
    }
    return j;
}

/* "his comments on C", "Trump's call for C", "her claim that C", "their pledge to C":
   a noun cue after a possessive. Returns true when one was emitted. */
static bool s_try_noun(xctx_t *c, s_state_t *st, size_t i, size_t s0, size_t s1)
{
    static const char *const prep[] = {"of", "for", "about", "on", "against", "regarding",
        "over", "that", "to", NULL};
    size_t a, b;
    if (i + 2 >= s1 || !s_in(T(c, i + 1)->f, prep) || !s_possessor(c, s0, i, &a, &b))
        return false;
    size_t ct0 = xtok_is(c, i + 1, "to") ? i + 1 : i + 2;
    size_t ct1 = xtok_is(c, i + 1, "that") || xtok_is(c, i + 1, "to")
                     ? s_content_end(c, ct0, s1) : s_noun_content_end(c, ct0, s1);
    if (ct1 <= ct0)
        return false;
    s_emit(c, st, i, xtok_is(c, i + 1, "that") || xtok_is(c, i + 1, "to") ? i + 1 : i + 2,
           a, b, ct0, ct1, 0, 0, false);
    return true;
}

/* The content end for a verb cue: its object (CUE_OBJ) or a clause. */
static size_t s_cue_content_end(const xctx_t *c, bool obj, size_t from, size_t send)
{
    return obj ? s_object_end(c, from, send) : s_content_end(c, from, send);
}

/* Does quotation q end what was said, or does a preposition carry it on ("said “we need
   more information” about C")? */
static bool s_quote_ends_clause(const xctx_t *c, int q, size_t send)
{
    size_t e = c->quote.v[q].t1;
    if (e >= send || e >= c->tok.n)
        return true;
    const xtok_t *t = T(c, e);
    static const char *const prep[] = {"about", "of", "for", "to", "on", "in", "over",
        "with", "from", "at", "by", "than", NULL};
    if ((t->flags & (TK_PUNCT | TK_SSTART | TK_PARA)) || t->sent != T(c, e - 1)->sent)
        return true;
    /* a preposition goes on with what was said; a new clause does not */
    return !s_in(t->f, prep);
}

/* Is token i inside a title-case run: capitalized words on both sides of it? */
static bool s_title_case(const xctx_t *c, size_t i, size_t send)
{
    return i > 0 && i + 2 < send && (T(c, i - 1)->flags & TK_CAP)
           && (T(c, i + 1)->flags & TK_CAP) && (T(c, i + 2)->flags & TK_CAP)
           && !(T(c, i - 1)->flags & TK_ALLCAP);
}

/* A passive cue with its agent: "O'Malley's move was first reported by MSNBC", "Pigs are
   considered unclean by some groups". The speaker is the noun phrase after "by", the
   content the subject. Returns true when one was emitted. */
static bool s_try_passive(xctx_t *c, s_state_t *st, size_t i, size_t s0, size_t s1)
{
    static const char *const be[] = {"is", "are", "was", "were", "be", "been", "being",
        NULL};
    size_t j = i;
    while (j > s0 && s_is_aux(c, j - 1) && !s_in(T(c, j - 1)->f, be))
        j--;
    if (j == s0 || !s_in(T(c, j - 1)->f, be))
        return false;
    size_t by = i + 1;
    while (by < s1 && by - i <= 4 && (T(c, by)->flags & TK_WORD) && !xtok_is(c, by, "by"))
        by++;
    if (by + 1 >= s1 || !xtok_is(c, by, "by"))
        return false;
    size_t sp0 = by + 1, sp1 = s_np_right(c, sp0, s1, true);
    while (sp1 + 1 < s1 && sp1 > sp0 && (xtok_is(c, sp1, "of") || xtok_is(c, sp1, "at")))
        sp1 = s_np_right(c, sp1 + 1, s1, true);
    /* the subject: over the rest of the auxiliaries */
    size_t k = j - 1;
    while (k > s0 && s_is_aux(c, k - 1))
        k--;
    size_t ct0 = s_np_left(c, s0, k);
    if (sp1 <= sp0 || ct0 >= k)
        return false;
    s_emit(c, st, i, i + 1, sp0, sp1, ct0, k, 0, 0, false);
    return true;
}

/* The end of a light verb's cue ("made [it] clear", "made the case", "made similar
   comments about"): past the noun of saying within four words, and a preposition after
   it. Returns 0 when there is none. */
static size_t s_light_end(const xctx_t *c, size_t i, size_t send)
{
    static const char *const heads[] = {"clear", "case", "point", "observation",
        "argument", "comments", "comment", "statements", "statement", "remarks", "remark",
        "charges", "allegations", "claims", "claim", "plea", "call", "commitment", "promise",
        "pledge", "appeal", "accusations", "accusation", "suggestion", "prediction",
        "predictions", "vow", "announcement", "assurances", "assertion", "speech", "address",
        "letter", "answer", "response", "apology", "warning", "warnings", "message", NULL};
    static const char *const prep[] = {"about", "on", "against", "for", "of", "to", NULL};
    for (size_t k = i + 1; k < send && k <= i + 4; k++) {
        const xtok_t *t = T(c, k);
        if (!(t->flags & TK_WORD) || (t->flags & TK_CAP))
            return 0;
        if (s_in(t->f, heads)) {
            if (k + 1 < send && s_in(T(c, k + 1)->f, prep))
                k++;
            return k + 1;
        }
    }
    return 0;
}

static void s_try_cue(xctx_t *c, s_state_t *st, size_t i, const xsent_t *s, const int *pub)
{
    const xtok_t *t = c->tok.v;
    int cls = s_cue_lookup(t[i].f, t[i].hash);
    if ((cls & CUE_NOUN) && !(t[i].flags & TK_CAP) && i > s->t0
        && !(t[i].quote >= 0 && s_quote_real(c, t[i].quote))
        && s_try_noun(c, st, i, s->t0, s->t1))
        return;
    bool obj = cls & CUE_OBJ;
    bool about = cls & CUE_ABOUT;
    size_t light_end = 0;
    if (cls & CUE_LIGHT) {
        light_end = s_light_end(c, i, s->t1);
        if (!light_end)
            return;
        cls = ATTRIB_CUE_VERB | (cls & CUE_BASE);
    }
    /* a base form is a verb after a subject, and not in a phrasal verb ("show up") */
    if ((cls & CUE_BASE) && (i == s->t0 || !s_subject_before(c, i - 1)
                             || (i + 1 < s->t1 && (xtok_is(c, i + 1, "up")
                                                   || xtok_is(c, i + 1, "off")))))
        return;
    if (about && !(i + 2 < s->t1 && (xtok_is(c, i + 1, "about") || xtok_is(c, i + 1, "of")
                                     || xtok_is(c, i + 1, "on"))))
        return;
    cls &= 0xF;
    size_t s0 = s->t0, s1 = s->t1;
    /* A capitalized cue only opens a sentence ("According to ...") or stands in a
       headline, or in a title-case line of the body ("Rubio Says He Will Stay In"). */
    if (cls == ATTRIB_CUE_NONE
        || ((t[i].flags & TK_CAP) && !(t[i].flags & TK_TITLE) && i != s0
            && !(i > s0 && (t[i - 1].flags & TK_QUOTE))
            && !(s_title_case(c, i, s->t1) && !(s_cue_lookup(t[i].f, t[i].hash) & CUE_BASE))))
        return;
    /* A participle after a determiner is an adjective. */
    size_t len = strlen(t[i].f);
    if (i > s0 && len > 3 && strcmp(t[i].f + len - 2, "ed") == 0 && s_adjective_context(c, i - 1))
        return;
    /* A cue inside a real quotation is part of what was said. */
    if (t[i].quote >= 0 && s_quote_real(c, t[i].quote) && !(t[i].flags & TK_QUOTE))
        return;
    /* "appeared on a show", "appeared together at a rally": showing up, not seeming */
    if (i + 1 < s1 && (xtok_is(c, i, "appeared") || xtok_is(c, i, "appears")
                       || xtok_is(c, i, "appear") || xtok_is(c, i, "appearing"))) {
        static const char *const place[] = {"on", "at", "in", "with", "before", "together",
            "alongside", "onstage", "live", "during", "first", "briefly", NULL};
        if (s_in(t[i + 1].f, place))
            return;
    }

    if (cls == ATTRIB_CUE_ACCORD) {
        if (i + 1 >= s1 || !xtok_is(c, i + 1, "to"))
            return;
        size_t sp0 = i + 2, sp1 = s_np_right(c, sp0, s1, false);
        /* "according to X of Y" */
        while (sp1 + 1 < s1 && (xtok_is(c, sp1, "of") || xtok_is(c, sp1, "at") || xtok_is(c, sp1, "for")))
            sp1 = s_np_right(c, sp1 + 1, s1, false);
        if (sp1 <= sp0)
            return;
        size_t ct0, ct1;
        bool direct = false;
        /* content before: "C, according to X" (or a quote right before) */
        size_t k = i;
        while (k > s0 && (xtok_punct(c, k - 1, ',') || (t[k - 1].flags & TK_QUOTE)))
            k--;
        if (k > s0 || (k == s0 && k > 0 && t[k].quote >= 0 && t[i - 1].flags & TK_QUOTE)) {
            int q = t[i - 1].quote >= 0 ? t[i - 1].quote : (i >= 2 ? t[i - 2].quote : -1);
            if (q >= 0 && s_quote_real(c, q) && c->quote.v[q].t1 <= i) {
                ct0 = c->quote.v[q].t0;
                ct1 = c->quote.v[q].t1;
                direct = true;
            } else {
                ct0 = s0;
                ct1 = k;
                if (t[s0].quote >= 0 && c->quote.v[t[s0].quote].t0 < s0 && s_quote_real(c, t[s0].quote)) {
                    ct0 = c->quote.v[t[s0].quote].t0;
                    direct = true;
                }
            }
        } else {
            /* "According to X, C" */
            ct0 = sp1;
            while (ct0 < s1 && (xtok_punct(c, ct0, ',') || xtok_punct(c, ct0, ':')))
                ct0++;
            ct1 = s_content_end(c, ct0, s1);
        }
        s_emit(c, st, i, i + 2, sp0, sp1, ct0, ct1, 0, 0, direct);
        return;
    }

    /* "Asked whether C, X said ...", "... when asked about C": the question is an
       attribution of its own, with the asker unnamed. */
    if (xtok_is(c, i, "asked") && i + 2 < s1
        && (i == s_subject_start(c, s0, s0) || xtok_is(c, i - 1, "when")
            || xtok_is(c, i - 1, "after") || xtok_is(c, i - 1, "if"))) {
        static const char *const wh[] = {"if", "whether", "what", "why", "how", "who",
            "when", "where", "which", "about", "to", NULL};
        /* over adjuncts: "Asked on Fox News who ...", "Asked specifically what ..." */
        size_t ct0 = i + 1;
        while (ct0 < s1 && ct0 - i <= 6 && !s_in(t[ct0].f, wh) && !(t[ct0].flags & TK_PUNCT))
            ct0++;
        if (ct0 < s1 && xtok_is(c, ct0, "about"))
            ct0++;
        else if (ct0 >= s1 || !s_in(t[ct0].f, wh))
            ct0 = s1;
        /* to the comma that closes the clause, or a quotation that ends with one */
        size_t ct1 = ct0;
        while (ct1 < s1 && !(t[ct1].quote < 0 && (xtok_punct(c, ct1, ',') || xtok_punct(c, ct1, ';')))) {
            if ((t[ct1].flags & TK_QCLOSE) && xtok_punct(c, ct1 - 1, ',')) {
                ct1++;
                break;
            }
            ct1++;
        }
        if (ct0 < s1 && ct1 < s1 && ct1 > ct0) {
            s_emit(c, st, i, i + 1, 0, 0, ct0, ct1, 0, 0, false);
            return;
        }
    }

    /* "C was reported by X", "C has been criticized by X": the agent speaks */
    if (s_try_passive(c, st, i, s0, s1))
        return;

    /* Left subject, after auxiliaries and adverbs. */
    size_t j = i;
    while (j > s0 && s_is_aux(c, j - 1))
        j--;
    if (j > s0 && j < i && xtok_is(c, j - 1, "on"))
        while (j > s0 && (xtok_is(c, j - 1, "on") || s_is_aux(c, j - 1)))
            j--;
    /* "X, who ..., said" and "X - including Y - said": step over the aside. */
    if (j > s0 + 1 && (xtok_punct(c, j - 1, '-') || xtok_is(c, j - 1, "\xe2\x80\x94"))) {
        size_t k = j - 1;
        while (k > s0 && !(xtok_punct(c, k - 1, '-') || xtok_is(c, k - 1, "\xe2\x80\x94")) && j - k < 20)
            k--;
        if (k > s0 + 1 && j - k < 20)
            j = k - 1;
    }
    size_t sp0 = s_np_left(c, s0, j), sp1 = j;
    /* "38 percent who said", "the group, which said": the antecedent speaks. */
    if (sp0 == sp1 && j > s0 + 1 && (xtok_is(c, j - 1, "who") || xtok_is(c, j - 1, "which"))) {
        size_t k = j - 1;
        while (k > s0 && (xtok_punct(c, k - 1, ',') || xtok_punct(c, k - 1, '-')))
            k--;
        size_t a0 = s_np_left(c, s0, k);
        if (a0 < k) {
            /* PolNeAR marks the pronoun as the source; keep both so the entity comes
               from the antecedent and the span covers "who". */
            sp0 = a0;
            sp1 = j;
        }
    }
    /* "X, who ... , said" */
    if (sp0 == sp1 && j > s0 + 2 && xtok_punct(c, j - 1, ',') && cls != ATTRIB_CUE_PART) {
        for (size_t k = j - 1; k > s0 + 1 && j - k < 30; k--) {
            if (!xtok_punct(c, k - 1, ','))
                continue;
            if (xtok_is(c, k, "who") || xtok_is(c, k, "whose") || xtok_is(c, k, "which")
                || ((T(c, k)->flags & TK_NUM) == 0 && xtok_is(c, k, "the"))
                || xtok_is(c, k, "a") || xtok_is(c, k, "an") || (T(c, k)->flags & TK_CAP)) {
                size_t n0 = s_np_left(c, s0, k - 1);
                if (n0 < k - 1 && ((T(c, n0)->flags & TK_CAP) || (T(c, k - 2)->flags & TK_CAP))) {
                    sp0 = n0;
                    sp1 = k - 1;
                }
            }
            break;
        }
    }
    /* "... and then said": the clause's subject, the sentence's first noun phrase. */
    if (sp0 == sp1 && j > s0 + 1 && (xtok_is(c, j - 1, "and") || xtok_is(c, j - 1, "but"))) {
        size_t k = s_subject_start(c, s0, j);
        size_t e = s_np_right(c, k, j, true);
        if (e > k && s_is_cap_or_pron(c, k)) {
            sp0 = k;
            sp1 = e;
        }
    }
    /* Apposition: "Hugh Hill, a doctor at the clinic, said" */
    if (sp0 == sp1 && j > s0 + 2 && xtok_punct(c, j - 1, ',') && cls != ATTRIB_CUE_PART) {
        size_t a0 = s_np_left(c, s0, j - 1);
        if (a0 < j - 1 && a0 > s0 && xtok_punct(c, a0 - 1, ',') && !(t[a0].flags & TK_CAP)
            && (xtok_is(c, a0, "a") || xtok_is(c, a0, "an") || xtok_is(c, a0, "the")
                || xtok_is(c, a0, "who"))) {
            size_t n0 = s_np_left(c, s0, a0 - 1);
            if (n0 < a0 - 1 && (t[n0].flags & TK_CAP)) {
                sp0 = n0;
                sp1 = a0 - 1;
            }
        }
    }
    bool has_left = sp1 > sp0 && s_np_ok(c, sp0, sp1);
    size_t cue1 = light_end ? light_end : about ? i + 2 : i + 1;
    /* "said in a statement" is one cue in PolNeAR; keep the verb only. */
    size_t after = cue1;

    /* Quote right before the subject or before the cue: “Q,” he said / “Q,” said X */
    size_t before = has_left ? sp0 : j;
    while (before > s0 && xtok_punct(c, before - 1, ','))
        before--;
    int qb = -1;
    size_t lo_q = (t[s0].flags & TK_PARA) ? s0 : (s0 > 0 ? s0 - 1 : 0);
    if (before == s0 && before > lo_q && (t[before - 1].flags & TK_QCLOSE))
        qb = t[before - 1].quote;
    else if (before > s0 && (t[before - 1].flags & TK_QUOTE) && t[before - 1].quote >= 0)
        qb = t[before - 1].quote;
    else if (before > s0 + 1 && xtok_punct(c, before - 1, ',') && (t[before - 2].flags & TK_QUOTE))
        qb = t[before - 2].quote;
    else if (before > s0 + 1 && (t[before - 1].flags & TK_PUNCT) && (t[before - 2].flags & TK_QUOTE)
             && t[before - 2].quote >= 0)
        qb = t[before - 2].quote;

    if (cls == ATTRIB_CUE_PART) {
        /* ", adding C" / ", saying C": the speaker is the clause's subject. */
        size_t ct0 = s_skip_adjuncts(c, after, s1, pub);
        size_t ad0 = 0, ad1 = 0;
        if ((xtok_is(c, i, "telling") || xtok_is(c, i, "asking") || xtok_is(c, i, "urging")
             || xtok_is(c, i, "reminding") || xtok_is(c, i, "warning"))
            && !xtok_is(c, after, "that") && ct0 < s1 && !(t[ct0].flags & TK_QUOTE)) {
            ad0 = ct0;
            ad1 = s_np_right(c, ad0, s1, true);
            ct0 = s_skip_adjuncts(c, ad1, s1, pub);
        }
        size_t ct1 = s_cue_content_end(c, obj, ct0, s1);
        ct1 = s_extend_quote(c, ct0, ct1);
        bool direct = ct0 < s1 && (t[ct0].flags & TK_QOPEN);
        /* subject: the speaker of an attribution earlier in this sentence, else the
           sentence's first noun phrase */
        size_t sp_a = 0, sp_b = 0;
        const s_rng_t *prev = c->attr.n ? &st->rng[c->attr.n - 1] : NULL;
        if (has_left && !xtok_punct(c, i - 1, ',')) {
            sp_a = sp0, sp_b = sp1;
        } else if (prev && prev->cue0 >= s0 && prev->cue0 < i && prev->sp1 > prev->sp0
                   && prev->sp0 >= s0) {
            sp_a = prev->sp0, sp_b = prev->sp1;
        } else {
            /* "After saying C, the man left": the subject follows the opening clause */
            size_t k = s_subject_start(c, s0, s1);
            if (k < i && k > s0 && !xtok_punct(c, k - 1, ','))
                k = s_subject_start(c, s0, i);
            size_t e = s_np_right(c, k, k > i ? s1 : i, true);
            if (e > k && (s_is_cap_or_pron(c, k) || (k > i && xtok_is(c, k, "the")))) {
                sp_a = k;
                sp_b = e;
                if (k > i && ct1 > k - 1 && ct0 < k - 1)
                    ct1 = k - 1;   /* the content ends with the opening clause */
            }
        }
        s_emit(c, st, i, cue1, sp_a, sp_b, ct0, ct1, ad0, ad1, direct);
        return;
    }

    /* Inverted speaker: ", said X." / "” said X" */
    bool inverted = false;
    size_t inv0 = 0, inv1 = 0;
    /* only after a clause or a quotation, or opening the sentence: "is being denied the
       chance" has no speaker after its verb */
    if (j == s0 || (j > s0 && (t[j - 1].flags & TK_PUNCT))) {
        size_t r = s_skip_adjuncts(c, cue1, s1, pub);
        size_t e = s_np_right(c, r, s1, true);
        /* "said a spokesman to the president", "said the head of the union" */
        for (int pp = 0; pp < 2 && e > r && e + 1 < s1 && !(t[e].flags & TK_CAP)
                         && (xtok_is(c, e, "to") || xtok_is(c, e, "of") || xtok_is(c, e, "for")
                             || xtok_is(c, e, "at") || xtok_is(c, e, "with"));
             pp++) {
            size_t e2 = s_np_right(c, e + 1, s1, true);
            if (e2 <= e + 1)
                break;
            e = e2;
        }
        bool after_quote = j > s0 && ((t[j - 1].flags & TK_QUOTE)
                                      || (j > s0 + 1 && (t[j - 2].flags & TK_QUOTE)));
        if (e > r && e - r <= 14 && (after_quote || s_is_cap_or_pron(c, r) || xtok_is(c, r, "the")
                                    || xtok_is(c, r, "a"))) {
            /* the speaker must end the clause (an aside may follow) */
            if (e >= s1 || (t[e].flags & TK_PUNCT) || xtok_is(c, e, "who")
                || xtok_is(c, e, "whose")) {
                inverted = true;
                inv0 = r;
                inv1 = e;
            }
        }
    }

    /* Direct quote before: “Q,” X said. */
    /* a quotation that an earlier attribution holds is not this one's: in "Asked if X is
       “Q,” 72 percent said yes" it belongs to the question */
    if (qb >= 0 && c->attr.n && st->rng[c->attr.n - 1].ct0 <= c->quote.v[qb].t0
        && c->quote.v[qb].t1 <= st->rng[c->attr.n - 1].ct1)
        qb = -1;
    if (qb >= 0 && s_quote_real(c, qb) && (has_left || inverted)) {
        size_t a = inverted && !has_left ? inv0 : sp0, b = inverted && !has_left ? inv1 : sp1;
        size_t qe = c->quote.v[qb].t1;
        /* “Q1,” he said, “Q2.” is one content */
        size_t k = (inverted && !has_left) ? inv1 : cue1;
        while (k < s1 && (xtok_punct(c, k, ',') || xtok_punct(c, k, ':')))
            k++;
        if (k < s1 && (t[k].flags & TK_QOPEN) && t[k].quote >= 0 && k > cue1)
            qe = c->quote.v[t[k].quote].t1;
        s_emit(c, st, i, cue1, a, b, c->quote.v[qb].t0, s_extend_paragraph(c, qe, i), 0, 0,
               true);
        return;
    }

    size_t ad0 = 0, ad1 = 0;
    size_t r = s_skip_adjuncts(c, cue1, s1, pub);
    if (cls == ATTRIB_CUE_TELL && r < s1 && !(t[r].flags & TK_QUOTE) && !xtok_punct(c, r, ':')
        && !xtok_is(c, cue1, "that")) {
        ad0 = r;
        ad1 = s_np_right(c, ad0, s1, true);
        if (ad1 > ad0 && ad1 - ad0 <= 8) {
            r = s_skip_adjuncts(c, ad1, s1, pub);
        } else {
            ad0 = ad1 = 0;
        }
    }
    /* "C, X said, adding D": what follows the comma is another attribution's */
    bool next_cue = r > cue1 && r < s1 && xtok_punct(c, r - 1, ',')
                    && ((s_cue_lookup(t[r].f, t[r].hash) & 0xF) == ATTRIB_CUE_PART
                        || (s_cue_lookup(t[r].f, t[r].hash) & 0xF) == ATTRIB_CUE_ACCORD);
    /* "C, she says, D": one content around the speaker and the cue */
    if (has_left && !next_cue && cls == ATTRIB_CUE_VERB && xtok_punct(c, cue1, ',')
        && sp0 > s0 + 2 && xtok_punct(c, sp0 - 1, ',') && r < s1 && !(t[r].flags & TK_QUOTE)
        && !(t[s0].flags & TK_QUOTE)) {
        size_t ct1 = s_content_end(c, r, s1);
        if (ct1 > r + 1) {
            s_emit(c, st, i, cue1, sp0, sp1, s0, ct1, ad0, ad1, false);
            return;
        }
    }
    if (has_left && !next_cue) {
        /* X said: “Q” / X said (that) C. A quotation that the clause goes on after ("said
           “we need more” about C") is part of C. */
        if (r < s1 && (t[r].flags & TK_QOPEN) && s_quote_real(c, t[r].quote)
            && s_quote_ends_clause(c, t[r].quote, s1)) {
            const xquote_t *q = &c->quote.v[t[r].quote];
            size_t qe = q->t1;
            if (t[qe - 1].sent == t[i].sent)
                qe = s_extend_paragraph(c, qe, i);
            s_emit(c, st, i, cue1, sp0, sp1, q->t0, qe, ad0, ad1, true);
            return;
        }
        size_t ct1 = s_cue_content_end(c, obj, r, s1);
        /* one word ends the sentence: "said yes", "said so", "he said Ryan" */
        bool one = ct1 == r + 1 && (r + 1 >= s1 || (t[r + 1].flags & TK_PUNCT)) && r + 1 >= s1 - 1;
        if (ct1 > r && (ct1 - r >= 2 || obj || about || one)) {
            ct1 = s_extend_quote(c, r, ct1);
            s_emit(c, st, i, cue1, sp0, sp1, r, ct1, ad0, ad1, false);
            return;
        }
    }
    /* No subject next to the verb ("Reached by phone Tuesday, Smith said", "Asked about
       it, the senator said"): the sentence's subject, when there is a clause after. */
    if (!has_left && !inverted && (cls == ATTRIB_CUE_VERB || cls == ATTRIB_CUE_TELL)) {
        size_t k = s_subject_start(c, s0, i);
        size_t e = k < i ? s_np_right(c, k, i, true) : k;
        size_t ct1 = s_cue_content_end(c, obj, r, s1);
        if (e > k && e <= i && s_is_cap_or_pron(c, k) && (ct1 > r + 1 || ((obj || about) && ct1 > r))) {
            if (r < s1 && (t[r].flags & TK_QOPEN) && s_quote_real(c, t[r].quote)) {
                const xquote_t *q = &c->quote.v[t[r].quote];
                s_emit(c, st, i, cue1, k, e, q->t0, q->t1, ad0, ad1, true);
            } else {
                s_emit(c, st, i, cue1, k, e, r, s_extend_quote(c, r, ct1), ad0, ad1, false);
            }
            return;
        }
    }
    /* C, X said.  /  C, said X. */
    size_t a = has_left ? sp0 : inv0, b = has_left ? sp1 : inv1;
    if ((has_left || inverted) && a > s0) {
        size_t k = has_left ? a : j;
        while (k > s0 && ((t[k - 1].flags & TK_PUNCT) && (xtok_punct(c, k - 1, ',') || t[k - 1].f[0] == '-')))
            k--;
        if (k < a && k > s0) {
            size_t ct0 = s0;
            bool direct = false;
            int q = t[s0].quote;
            if (q >= 0 && s_quote_real(c, q) && c->quote.v[q].t1 >= k - 1 && c->quote.v[q].t1 <= a) {
                ct0 = c->quote.v[q].t0;
                k = c->quote.v[q].t1;
                direct = true;
            }
            s_emit(c, st, i, cue1, a, b, ct0, k, ad0, ad1, direct);
        }
    }
}

/* Headline and transcript attributions: "Gingrich: Trump Must Decide ..." in a title,
   and a paragraph that opens with a name and a colon ("TAPPER: Take a listen.", "Kerry:
   “By law ...”"), whose content is the rest of the paragraph. Labels ("Update:", "Editor's
   note:") are not speakers. */
static void s_try_colon(xctx_t *c, s_state_t *st, const xsent_t *s)
{
    static const char *const label[] = {"update", "updated", "note", "related", "watch",
        "photo", "photos", "video", "source", "sources", "read", "more", "correction",
        "clarification", "breaking", "live", "listen", "transcript", "excerpt", "q", "a",
        "editor", "editors", "advertisement", "warning", "caption", "credit", "image",
        "see", "also", "click", "subscribe", "follow", "contact", "email", "share", "tags",
        "topics", "disclosure", "full", "the", "this", "here", "what", "why", "how", NULL};
    const xtok_t *t = c->tok.v;
    bool title = t[s->t0].flags & TK_TITLE;
    if (!title && !(t[s->t0].flags & TK_PARA))
        return;
    /* a transcript pasted as a quotation: "\"PENCE: Well, ..." */
    size_t s0 = s->t0;
    while (s0 + 2 < s->t1 && (t[s0].flags & TK_QUOTE))
        s0++;
    for (size_t i = s0 + 1; i + 1 < s->t1 && i < s0 + 6; i++) {
        if (!xtok_punct(c, i, ':'))
            continue;
        for (size_t k = s0; k < i; k++) {
            if (t[k].flags & (TK_CAP | TK_POSS))
                continue;
            /* "Dr. Carson:" */
            if (xtok_punct(c, k, '.') && k > s0 && extract_entity_is_title(t[k - 1].f))
                continue;
            return;
        }
        if (s_in(t[s0].f, label) || (!title && s_in(t[i - 1].f, label)))
            return;
        size_t ct1 = s_content_end(c, i + 1, s->t1);
        if (!title) {
            /* the rest of the paragraph */
            size_t e = s->t1;
            while (e < c->tok.n && !(t[e].flags & TK_PARA))
                e++;
            ct1 = e;
            while (ct1 > i + 1 && (t[ct1 - 1].flags & TK_PUNCT) && !(t[ct1 - 1].flags & TK_QUOTE))
                ct1--;
            /* a list entry ("Clinton: 1,769", "Rubio: Finish second") says nothing */
            if (ct1 < i + 6 || (t[i + 1].flags & TK_NUM))
                return;
        }
        s_emit(c, st, i, i + 1, s0, i, i + 1, ct1, 0, 0, false);
        return;
    }
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
    if (!(t[k].flags & TK_CAP) && s_in(t[k].f, conj)) {
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
        if (extract_attrib_cue_class(t[left].f) == ATTRIB_CUE_PART || s_is_cap_or_pron(c, left))
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
    return s_in(T(c, i)->f, strong);
}

/* PolNeAR gives each token to one attribution, so a cue inside another attribution's
   content ("X said [Y wants C]") is not one of its own. When the inner one opens a clause
   of its own ("X said A, but Y thinks B"), the outer content was too long: it ends at the
   break and both stay. Otherwise the inner one is dropped. */
static void s_resolve_nesting(xctx_t *c, s_state_t *st)
{
    size_t n = c->attr.n;
    if (n < 2)
        return;
    uint8_t *dead = extract_arena_alloc(c->arena, n, 1);
    s_rng_t *r = st->rng;
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
        s_rng_t *o = &r[best];
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

/* "In a poll released Monday, C": a sentence that opens with "In" and a poll or a study
   is an attribution to it. ("In a statement, X said C" is X's: PolNeAR gives texts with
   an author to the author.) */
static void s_try_in(xctx_t *c, s_state_t *st, const xsent_t *s)
{
    static const char *const heads[] = {"poll", "polls", "survey", "surveys", "study",
        "studies", NULL};
    size_t s0 = s->t0, s1 = s->t1;
    size_t i = s0;
    while (i < s1 && (c->tok.v[i].flags & TK_QUOTE))
        i++;
    if (i + 3 >= s1 || !xtok_is(c, i, "in") || !(c->tok.v[i].flags & TK_CAP))
        return;
    size_t k = i + 1;
    bool head = false;
    while (k < s1 && k - i < 16 && !xtok_punct(c, k, ',')) {
        if (c->tok.v[k].flags & TK_PUNCT)
            return;
        if (s_in(c->tok.v[k].f, heads))
            head = true;
        k++;
    }
    if (!head || k >= s1 || !xtok_punct(c, k, ','))
        return;
    size_t ct1 = s_content_end(c, k + 1, s1);
    if (ct1 < k + 4)
        return;
    s_emit(c, st, i, i + 1, i + 1, k, k + 1, s_extend_quote(c, k + 1, ct1), 0, 0, false);
}

void extract_attrib_find(xctx_t *c)
{
    c->attr.n = 0;
    s_state_t st = {-1, -1, NULL, NULL, 0};
    st.used = extract_arena_alloc(c->arena, c->tok.n + 1, 1);
    int pubbuf[3];
    const int *pub = s_pub(c, pubbuf);
    for (size_t k = 0; k < c->sent.n; k++) {
        const xsent_t *s = &c->sent.v[k];
        if (c->tok.v[s->t0].flags & TK_SKIP)
            continue;
        if (c->tok.v[s->t0].flags & (TK_TITLE | TK_PARA))
            s_try_colon(c, &st, s);
        s_try_in(c, &st, s);
        for (size_t i = s->t0; i < s->t1; i++) {
            if (!(c->tok.v[i].flags & TK_WORD) || st.used[i] || !s_maybe_cue(c->tok.v[i].hash))
                continue;
            s_try_cue(c, &st, i, s, pub);
        }
    }
    s_resolve_nesting(c, &st);
}
