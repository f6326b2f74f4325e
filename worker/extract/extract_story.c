/*  extract_story: story terms and wire credits (see extract_story.h). */
#include "extract_story.h"
#include "extract_entity.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_LEDE_SENTS   3     /* body sentences that make the lede */
#define S_WORD_WEIGHT  0.3f  /* a title or lede word, against one entity mention */
#define S_YEAR_WEIGHT  1.0f

typedef struct {
    const char *term;
    float w;
} s_term_t;

static const char *const s_stop[] = {
    "the", "and", "that", "this", "with", "from", "have", "been", "were", "will", "would",
    "could", "after", "before", "over", "into", "than", "more", "about", "which", "what",
    "when", "where", "while", "also", "their", "they", "them", "there", "said", "says",
    "year", "years", "week", "first", "last", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "today", "yesterday", "says", "told", "just", "some",
    "other", "many", "most", "such", "only", "being", "because", "against", "during",
    "under", "three", "four", "five", "seven", "eight", "nine", "people", "time", "back",
    "like", "made", "make", "news", "report", "reported", "according", "then", "since",
    "still", "very", "much", "each", "both", "these", "those", "your", "into", "onto",
    "upon", "here", "does", "doing", "done", "should", "might", "must", "shall", NULL};

static bool s_is_stop(const char *f)
{
    for (const char *const *w = s_stop; *w; w++)
        if (strcmp(*w, f) == 0)
            return true;
    return false;
}

static int s_term_cmp(const void *a, const void *b)
{
    const s_term_t *x = a, *y = b;
    return strcmp(x->term, y->term);
}

static int s_weight_cmp(const void *a, const void *b)
{
    const s_term_t *x = a, *y = b;
    if (x->w != y->w)
        return x->w > y->w ? -1 : 1;
    return strcmp(x->term, y->term);
}

/* Wire services named in the first or last few hundred bytes of the body: a dateline
   "(AP)", "(Reuters)", a byline or a closing credit. */
static void s_wire(xctx_t *c, extract_result_t *out)
{
    static const struct { const char *needle, *name; } wires[] = {
        {"(AP)", "ap"}, {"Associated Press", "ap"}, {"(Reuters)", "reuters"},
        {"Reuters", "reuters"}, {"(AFP)", "afp"}, {"AFP", "afp"},
        {"Agence France-Presse", "afp"}, {"(UPI)", "upi"}, {"(dpa)", "dpa"},
        {"Press Association", "pa"}};
    size_t body = c->body_w, n = c->wlen;
    const char *w = (const char *)c->w;
    size_t head = body + 300 < n ? body + 300 : n;
    size_t tail = n > 400 && n - 400 > head ? n - 400 : head;
    const char **list = extract_arena_alloc(c->arena, 4 * sizeof *list, 0);
    size_t k = 0;
    for (size_t i = 0; i < sizeof wires / sizeof *wires && k < 4; i++) {
        size_t len = strlen(wires[i].needle);
        bool hit = false;
        for (int part = 0; part < 2 && !hit; part++) {
            size_t a = part ? tail : body, b = part ? n : head;
            for (size_t p = a; p + len <= b && !hit; p++)
                hit = w[p] == wires[i].needle[0] && memcmp(w + p, wires[i].needle, len) == 0;
        }
        bool dup = false;
        for (size_t j = 0; j < k; j++)
            dup |= strcmp(list[j], wires[i].name) == 0;
        if (hit && !dup)
            list[k++] = wires[i].name;
    }
    out->wire = list;
    out->n_wire = k;
}

void extract_story_terms(xctx_t *c, extract_result_t *out)
{
    s_wire(c, out);
    const xtok_t *t = c->tok.v;
    /* the token where the lede ends: after S_LEDE_SENTS body sentences */
    size_t lede_end = c->tok.n, body_sents = 0;
    for (size_t s = 0; s < c->sent.n; s++) {
        if (t[c->sent.v[s].t0].flags & (TK_TITLE | TK_SKIP))
            continue;
        if (++body_sents > S_LEDE_SENTS) {
            lede_end = c->sent.v[s].t0;
            break;
        }
    }
    size_t cap = c->ent.n + c->tok.n + 1, n = 0;
    s_term_t *v = extract_arena_alloc(c->arena, cap * sizeof *v, 0);
    /* entities: mentions, boosted in the title and the lede */
    float *ew = extract_arena_alloc(c->arena, (c->ent.n + 1) * sizeof *ew, 1);
    for (size_t m = 0; m < c->men.n; m++) {
        const xmention_t *mn = &c->men.v[m];
        if (mn->ent < 0 || (size_t)mn->ent >= c->ent.n || (t[mn->t0].flags & TK_SKIP))
            continue;
        float w = (t[mn->t0].flags & TK_TITLE) ? 3.0f : mn->t0 < lede_end ? 2.0f : 1.0f;
        ew[mn->ent] += w;
    }
    char buf[128];
    for (size_t e = 0; e < c->ent.n; e++) {
        /* a key's last word, a person's surname without its suffix ("per:biden jr":
           biden) */
        size_t len;
        const char *last = extract_entity_key_surname(c->ent.v[e].key, &len, NULL);
        /* an organization of three capitalized words or more by its initials ("wcc"),
           its key or not: its last word ("club") is many organizations' */
        char ini[16];
        size_t ni;
        if (c->ent.v[e].kind == 'o' && strchr(c->ent.v[e].key, ' ')
            && (ni = extract_entity_initials(c, (int)e, ini, sizeof ini)) >= 3) {
            last = ini;
            len = ni;
        }
        if (ew[e] <= 0 || len < 3)
            continue;
        snprintf(buf, sizeof buf, "e:%.*s", (int)len, last);
        v[n].term = extract_arena_strndup(c->arena, buf, strlen(buf));
        v[n++].w = ew[e];
    }
    /* years and title or lede words */
    for (size_t i = 0; i < c->tok.n && n < cap; i++) {
        const xtok_t *k = &t[i];
        if (k->flags & TK_SKIP)
            continue;
        if ((k->flags & TK_NUM) && k->e - k->s == 4 && strlen(k->f) == 4) {
            int y = atoi(k->f);
            if (y >= 1950 && y <= 2039) {
                snprintf(buf, sizeof buf, "y:%d", y);
                v[n].term = extract_arena_strndup(c->arena, buf, strlen(buf));
                v[n++].w = S_YEAR_WEIGHT;
            }
            continue;
        }
        if (i >= lede_end || !(k->flags & TK_WORD) || k->ent >= 0 || strlen(k->f) < 4
            || strlen(k->f) > 40 || s_is_stop(k->f))
            continue;
        bool alpha = true;
        for (const char *p = k->f; *p && alpha; p++)
            alpha = (*p >= 'a' && *p <= 'z') || *p == '-';
        if (!alpha)
            continue;
        snprintf(buf, sizeof buf, "w:%s", k->f);
        v[n].term = extract_arena_strndup(c->arena, buf, strlen(buf));
        v[n++].w = S_WORD_WEIGHT;
    }
    /* one entry per term: entity weights add up, a year counts once */
    qsort(v, n, sizeof *v, s_term_cmp);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && strcmp(v[m - 1].term, v[i].term) == 0) {
            if (v[i].term[0] != 'y')
                v[m - 1].w += v[i].w;
            continue;
        }
        v[m++] = v[i];
    }
    qsort(v, m, sizeof *v, s_weight_cmp);
    if (m > EXTRACT_STORY_TERMS)
        m = EXTRACT_STORY_TERMS;
    float sum = 0;
    for (size_t i = 0; i < m; i++)
        sum += v[i].w;
    extract_term_t *o = extract_arena_alloc(c->arena, (m + 1) * sizeof *o, 0);
    for (size_t i = 0; i < m; i++) {
        o[i].term = v[i].term;
        o[i].weight = sum > 0 ? v[i].w / sum : 0;
    }
    out->terms = o;
    out->n_terms = m;
}
