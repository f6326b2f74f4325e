/*  extract_attrib_cue: the cue lexicon: the verbs, participles and nouns of saying and
    thinking with their classes and flags, in a hash table built once per process, and
    the lookups every pattern starts from. Part of extract_attrib (extract_attrib.h); see
    extract_attrib_internal.h. */

#include "extract_attrib_internal.h"

#include <pthread.h>
#include <string.h>

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
int xat_cue_lookup(const char *f, uint32_t hash)
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
bool xat_maybe_cue(uint32_t hash)
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
    return xat_cue_lookup(f, extract_hash(f, strlen(f))) & 0xF;
}
