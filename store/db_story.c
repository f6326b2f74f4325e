/*  db_story: stories: membership, summaries, candidates and joining stories, and a
    story's export line and feed announcement. Part of db (store/db.h); see db_internal.h.

    A story is a connected component of the pairwise "same event" relation (story.h): its
    id is the smallest article id in it, so the same articles give the same stories and
    ids whatever order they come in. An article is linked to the earlier ones that share
    one of its STORY_PROBE heaviest terms (the sterm index holds those terms of every
    article) and pass story_linked. When it links stories, they become one: the members of
    every story but the one with the smallest id move to it, with their facts. */

#include "db_internal.h"
#include "story.h"
#include "pb_walk.h"

#include <stdlib.h>
#include <math.h>
#include <string.h>

#define DB_STORY_TERMS_MAX 64          /* story terms of a result read at most */

#define DB_STORY_ENTITIES 8            /* entity keys a story record lists */

void dbi_touch_story(db_t *self, const char *story)
{
    for (size_t i = self->n_touched; i-- > 0;)
        if (memcmp(self->touched[i], story, UTIL_ID_HEX) == 0)
            return;
    if (self->n_touched == self->touched_cap) {
        self->touched_cap = self->touched_cap ? self->touched_cap * 2 : 64;
        self->touched = util_realloc(self->touched, self->touched_cap * sizeof *self->touched);
    }
    memcpy(self->touched[self->n_touched], story, UTIL_ID_HEX);
    self->touched[self->n_touched++][UTIL_ID_HEX] = 0;
}

size_t dbi_terms(db_t *self, const Crossclaim__Result *r, story_term_t **out)
{
    /* a worker sends at most EXTRACT_STORY_TERMS (24); more, or weights that are no
       numbers, are a peer's mistake and not read */
    size_t n = r->n_terms < DB_STORY_TERMS_MAX ? r->n_terms : DB_STORY_TERMS_MAX;
    story_term_t *t = dbi_alloc(self, (n + 1) * sizeof *t);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (r->terms[i] && !dbi_empty(r->terms[i]->term) && isfinite(r->terms[i]->weight)
            && r->terms[i]->weight > 0 && r->terms[i]->weight <= 1)
            t[m++] = (story_term_t){r->terms[i]->term, r->terms[i]->weight};
    *out = t;
    return m;
}

static const char *s_published(const Crossclaim__Result *r)
{
    return r->article && !dbi_empty(r->article->published) ? r->article->published : NULL;
}

int dbi_story_of(db_t *self, MDB_txn *txn, const char *id, char **story)
{
    MDB_val k = {UTIL_ID_HEX, (void *)id}, v;
    *story = NULL;
    int rc = mdb_get(txn, self->astory, &k, &v);
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return dbi_mdb(rc);
    if (v.mv_size != UTIL_ID_HEX)
        return DB_ECORRUPT;
    *story = dbi_strndup(self, v.mv_data, v.mv_size);
    return 0;
}

/* The stored record of article `id` in *v; 1 when it is there, 0 when not, or an error. */
static int s_record(db_t *self, MDB_txn *txn, const char *id, MDB_val *v)
{
    MDB_val k = {UTIL_ID_HEX, (void *)id};
    int rc = mdb_get(txn, self->articles, &k, v);
    return rc == 0 ? 1 : rc == MDB_NOTFOUND ? 0 : dbi_mdb(rc);
}

int dbi_load(db_t *self, MDB_txn *txn, const char *id, Crossclaim__Result **out)
{
    MDB_val v;
    *out = NULL;
    int rc = s_record(self, txn, id, &v);
    if (rc <= 0)
        return rc;
    *out = crossclaim__result__unpack(&self->pba, v.mv_size, v.mv_data);
    return *out ? 0 : DB_ECORRUPT;
}

int dbi_load_story_part(db_t *self, MDB_txn *txn, const char *id, Crossclaim__Result **out)
{
    MDB_val v;
    *out = NULL;
    int rc = s_record(self, txn, id, &v);
    if (rc <= 0)
        return rc;
    /* The fields wanted, copied out verbatim, make a smaller Result of their own. */
    const uint8_t *p = v.mv_data;
    uint8_t *part = dbi_alloc(self, v.mv_size + 1);
    size_t i = 0, n = 0;
    pb_field_t f;
    int more;
    bool article = false, terms = false;
    while ((more = pb_next(p, v.mv_size, &i, &f)) > 0) {
        if (f.wire == 2 && (f.number == 2 || f.number == 13)) {   /* article, terms */
            memcpy(part + n, p + f.start, f.end - f.start);
            n += f.end - f.start;
            article |= f.number == 2;
            terms |= f.number == 13;
        } else if (article && terms) {
            break;   /* the store writes both first (s_pack_result): the rest is not read */
        }
    }
    if (more < 0)
        return DB_ECORRUPT;
    *out = crossclaim__result__unpack(&self->pba, n, part);
    return *out ? 0 : DB_ECORRUPT;
}

int dbi_index_terms(db_t *self, const char *id, const Crossclaim__Result *r, int sign)
{
    for (size_t i = 0; i < r->n_terms && i < STORY_PROBE; i++) {
        const char *term = r->terms[i] ? r->terms[i]->term : NULL;
        if (dbi_empty(term) || strlen(term) > DB_MAX_KEY)
            continue;
        MDB_val k = {strlen(term), (void *)term}, v = {UTIL_ID_HEX, (void *)id};
        int rc = sign > 0 ? mdb_put(self->txn, self->sterm, &k, &v, MDB_NODUPDATA)
                          : mdb_del(self->txn, self->sterm, &k, &v);
        if (rc && rc != MDB_KEYEXIST && rc != MDB_NOTFOUND)
            return dbi_wrc(self, rc);
    }
    return 0;
}

/* A story's summary, kept as articles join and leave it so that its record costs no
   walk over its articles. Layout: u32 articles, then NUL-padded first[10], last[10],
   headline date[10] and headline article id[32], then the headline. */
typedef struct {
    uint32_t articles;
    char first[11], last[11], tdate[11], tid[UTIL_ID_HEX + 1];
    const char *title;
} s_sum_t;

#define S_SUM_HEAD (4 + 10 + 10 + 10 + UTIL_ID_HEX)

static int s_sum_get(db_t *self, MDB_txn *txn, const char *story, s_sum_t *out, bool *found)
{
    memset(out, 0, sizeof *out);
    out->title = "";
    MDB_val k = {UTIL_ID_HEX, (void *)story}, v;
    int rc = mdb_get(txn, self->stories, &k, &v);
    *found = rc == 0;
    if (rc == MDB_NOTFOUND)
        return 0;
    if (rc)
        return dbi_mdb(rc);
    if (v.mv_size < S_SUM_HEAD)
        return DB_ECORRUPT;
    const uint8_t *p = v.mv_data;
    memcpy(&out->articles, p, 4);
    memcpy(out->first, p + 4, 10);
    memcpy(out->last, p + 14, 10);
    memcpy(out->tdate, p + 24, 10);
    memcpy(out->tid, p + 34, UTIL_ID_HEX);
    out->title = dbi_strndup(self, (const char *)p + S_SUM_HEAD, v.mv_size - S_SUM_HEAD);
    return 0;
}

static int s_sum_put(db_t *self, const char *story, const s_sum_t *sm)
{
    MDB_val k = {UTIL_ID_HEX, (void *)story};
    if (sm->articles == 0) {
        int rc = mdb_del(self->txn, self->stories, &k, NULL);
        return rc == 0 || rc == MDB_NOTFOUND ? 0 : dbi_wrc(self, rc);
    }
    size_t tl = strlen(sm->title);
    MDB_val v = {S_SUM_HEAD + tl, NULL};
    int rc = mdb_put(self->txn, self->stories, &k, &v, MDB_RESERVE);
    if (rc)
        return dbi_wrc(self, rc);
    uint8_t *p = v.mv_data;
    memset(p, 0, S_SUM_HEAD);
    memcpy(p, &sm->articles, 4);
    memcpy(p + 4, sm->first, strnlen(sm->first, 10));
    memcpy(p + 14, sm->last, strnlen(sm->last, 10));
    memcpy(p + 24, sm->tdate, strnlen(sm->tdate, 10));
    memcpy(p + 34, sm->tid, strnlen(sm->tid, UTIL_ID_HEX));
    memcpy(p + S_SUM_HEAD, sm->title, tl);
    return 0;
}

/* Folds article `id` (result r) into a summary: counts, dates, and the headline, which
   is the earliest dated article's, else the smallest id's. */
static void s_sum_add(s_sum_t *sm, const char *id, const Crossclaim__Result *r)
{
    const char *d = r->article && !dbi_empty(r->article->published) ? r->article->published : "";
    char date[11];
    snprintf(date, sizeof date, "%.10s", d);
    sm->articles++;
    if (date[0] && (!sm->first[0] || strcmp(date, sm->first) < 0))
        memcpy(sm->first, date, sizeof date);
    if (date[0] && (!sm->last[0] || strcmp(date, sm->last) > 0))
        memcpy(sm->last, date, sizeof date);
    bool better;
    if (!sm->tid[0])
        better = true;
    else if (date[0] && sm->tdate[0])
        better = strcmp(date, sm->tdate) < 0 || (strcmp(date, sm->tdate) == 0 && strcmp(id, sm->tid) < 0);
    else if (date[0] || sm->tdate[0])
        better = date[0] != 0;
    else
        better = strcmp(id, sm->tid) < 0;
    if (better) {
        memcpy(sm->tdate, date, sizeof date);
        snprintf(sm->tid, sizeof sm->tid, "%s", id);
        sm->title = r->article && r->article->title ? r->article->title : "";
    }
}

/* Adds (sign > 0) or takes away one article's part of its story's summary. Taking away the article that gave the headline or a date boundary rebuilds the
   summary from the story's remaining articles. */
static int s_sum_update(db_t *self, const char *story, const char *id,
                        const Crossclaim__Result *r, int sign)
{
    s_sum_t sm;
    bool found;
    int rc = s_sum_get(self, self->txn, story, &sm, &found);
    if (rc)
        return rc;
    if (sign > 0) {
        s_sum_add(&sm, id, r);
    } else if (found) {
        const char *d = r->article && !dbi_empty(r->article->published) ? r->article->published : "";
        bool edge = strcmp(sm.tid, id) == 0 || (d[0] && (strncmp(d, sm.first, 10) == 0 ||
                                                           strncmp(d, sm.last, 10) == 0));
        if (!edge && sm.articles > 1) {
            sm.articles--;
        } else {
            char **ids;
            size_t n;
            if ((rc = dbi_members(self, self->txn, story, &ids, &n)) != 0)
                return rc;
            memset(&sm, 0, sizeof sm);
            sm.title = "";
            for (size_t i = 0; i < n; i++) {
                if (strcmp(ids[i], id) == 0)
                    continue;
                Crossclaim__Result *o;
                if ((rc = dbi_load(self, self->txn, ids[i], &o)) != 0)
                    return rc;
                if (o)
                    s_sum_add(&sm, ids[i], o);
            }
        }
    }
    return s_sum_put(self, story, &sm);
}

/* Adds (sign > 0) or takes away one article's part of its story's entity counts. */
static int s_entity_counts(db_t *self, const char *story, const Crossclaim__Result *r,
                           int sign)
{
    int rc;
    for (size_t e = 0; e < r->n_entities; e++) {
        const char *key = r->entities[e]->key;
        if (dbi_empty(key))
            continue;
        size_t kl = strlen(key);
        if (kl > DB_MAX_KEY - UTIL_ID_HEX)
            kl = DB_MAX_KEY - UTIL_ID_HEX;
        char kb[DB_MAX_KEY + 1];
        memcpy(kb, story, UTIL_ID_HEX);
        memcpy(kb + UTIL_ID_HEX, key, kl);
        MDB_val k = {UTIL_ID_HEX + kl, kb}, v;
        uint32_t cnt = 0;
        rc = mdb_get(self->txn, self->sentity, &k, &v);
        if (rc == 0 && v.mv_size == 4)
            memcpy(&cnt, v.mv_data, 4);
        else if (rc && rc != MDB_NOTFOUND)
            return dbi_mdb(rc);
        cnt = sign > 0 ? cnt + 1 : cnt ? cnt - 1 : 0;
        if (cnt == 0) {
            rc = mdb_del(self->txn, self->sentity, &k, NULL);
            if (rc && rc != MDB_NOTFOUND)
                return dbi_wrc(self, rc);
        } else {
            MDB_val nv = {4, &cnt};
            if ((rc = mdb_put(self->txn, self->sentity, &k, &nv, 0)) != 0)
                return dbi_wrc(self, rc);
        }
    }
    return 0;
}

/* Article `id` joins (sign > 0) or leaves story `story`: its two index rows. Returns 0,
   or 1 when it was not a member to leave. */
static int s_links(db_t *self, const char *id, const char *story, int sign)
{
    char mk[2 * UTIL_ID_HEX];
    memcpy(mk, story, UTIL_ID_HEX);
    memcpy(mk + UTIL_ID_HEX, id, UTIL_ID_HEX);
    MDB_val k = {UTIL_ID_HEX, (void *)id}, v = {UTIL_ID_HEX, (void *)story};
    MDB_val m = {sizeof mk, mk}, e = {0, ""};
    int rc = sign > 0 ? mdb_put(self->txn, self->astory, &k, &v, 0)
                      : mdb_del(self->txn, self->astory, &k, NULL);
    if (rc && !(sign < 0 && rc == MDB_NOTFOUND))
        return dbi_wrc(self, rc);
    rc = sign > 0 ? mdb_put(self->txn, self->smember, &m, &e, 0)
                  : mdb_del(self->txn, self->smember, &m, NULL);
    if (rc == MDB_NOTFOUND && sign < 0)
        return 1;   /* was not a member: nothing to take away */
    return rc ? dbi_wrc(self, rc) : 0;
}

int dbi_member(db_t *self, const char *id, const Crossclaim__Result *r, const char *story,
               int sign)
{
    int rc = s_links(self, id, story, sign);
    if (rc == 1)
        return 0;
    if (rc || (rc = s_sum_update(self, story, id, r, sign)) != 0)
        return rc;
    return s_entity_counts(self, story, r, sign);
}

int dbi_members(db_t *self, MDB_txn *txn, const char *story, char ***out, size_t *n)
{
    MDB_cursor *c;
    *out = NULL;
    *n = 0;
    int rc = mdb_cursor_open(txn, self->smember, &c);
    if (rc)
        return dbi_mdb(rc);
    size_t cap = 16;
    char **v = dbi_alloc(self, cap * sizeof *v);
    MDB_val k = {UTIL_ID_HEX, (void *)story}, d;
    MDB_cursor_op op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &d, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size != 2 * UTIL_ID_HEX || memcmp(k.mv_data, story, UTIL_ID_HEX) != 0)
            break;
        if (*n == cap) {
            char **w = dbi_alloc(self, 2 * cap * sizeof *w);
            memcpy(w, v, cap * sizeof *v);
            v = w;
            cap *= 2;
        }
        v[(*n)++] = dbi_strndup(self, (const char *)k.mv_data + UTIL_ID_HEX, UTIL_ID_HEX);
    }
    mdb_cursor_close(c);
    *out = v;
    return rc == 0 || rc == MDB_NOTFOUND ? 0 : dbi_mdb(rc);
}

/* Moves every article of story `from` into story `to`, with its facts, and announces
   each moved article (its record names its story). */
static int s_rekey(db_t *self, const char *from, const char *to)
{
    char **ids;
    size_t n;
    int rc = dbi_members(self, self->txn, from, &ids, &n);
    dbi_touch_story(self, from);
    for (size_t i = 0; !rc && i < n; i++) {
        Crossclaim__Result *r;
        if ((rc = dbi_load(self, self->txn, ids[i], &r)) != 0 || !r)
            break;
        /* `from` loses every article, so its summary is not kept up to date on the
           way (taking away its headline's article would rebuild it from all the rest,
           article by article: quadratic in the story's size); it is dropped below. */
        if ((rc = dbi_merge_xrefs(self, ids[i], r, from, r, to)) != 0)
            break;
        rc = s_links(self, ids[i], from, -1);
        if (rc == 0)
            rc = s_entity_counts(self, from, r, -1);
        else if (rc == 1)
            rc = 0;   /* was not a member of it */
        if (rc || (rc = dbi_member(self, ids[i], r, to, +1)) != 0)
            break;
        json_reset(self->json);
        dbi_article_line(self->json, ids[i], r, to);
        size_t tlen;
        const char *topic = dbi_topic(self, "article.", ids[i], "", "", &tlen);
        rc = dbi_feed_put(self, "article", ids[i], topic, tlen, NULL);
    }
    if (rc == 0) {
        s_sum_t none = {.title = ""};
        rc = s_sum_put(self, from, &none);   /* no articles: deletes the record */
    }
    return rc;
}

static int s_str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The story of a new article: the smallest id among itself and the stories of the
   articles it links to, those stories joined into it. `*story` gets an arena copy. */
int dbi_story_assign(db_t *self, const char *id, const Crossclaim__Result *r,
                     char **story)
{
    story_term_t *mine;
    size_t nmine = dbi_terms(self, r, &mine);
    const char *date = s_published(r);
    size_t cap = 64, nlinked = 0;
    char **linked = dbi_alloc(self, cap * sizeof *linked);
    size_t nprobe = r->n_terms < STORY_PROBE ? r->n_terms : STORY_PROBE;
    char (*cand)[UTIL_ID_HEX] = dbi_alloc(self, (nprobe * STORY_POSTINGS + 1) * UTIL_ID_HEX);
    size_t ncand = 0, from[STORY_PROBE + 1], nlist = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(self->txn, self->sterm, &c);
    if (rc)
        return dbi_mdb(rc);
    /* each term's articles come sorted (a dupsort list), one run of cand each */
    for (size_t i = 0; i < nprobe && !rc; i++) {
        const char *term = r->terms[i] ? r->terms[i]->term : NULL;
        if (dbi_empty(term) || strlen(term) > DB_MAX_KEY)
            continue;
        MDB_val k = {strlen(term), (void *)term}, v;
        MDB_cursor_op op = MDB_SET_KEY;
        size_t read = 0;
        from[nlist++] = ncand;
        while (read < STORY_POSTINGS && (rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
            op = MDB_NEXT_DUP;
            read++;
            if (v.mv_size == UTIL_ID_HEX && memcmp(v.mv_data, id, UTIL_ID_HEX) != 0)
                memcpy(cand[ncand++], v.mv_data, UTIL_ID_HEX);
        }
        if (rc == MDB_NOTFOUND)
            rc = 0;
    }
    from[nlist] = ncand;
    mdb_cursor_close(c);
    if (rc)
        return dbi_mdb(rc);
    /* The candidates in id order, each with the number of runs holding it: a merge of
       the sorted runs. The stories of candidates in id order are read through one cursor,
       which LMDB serves from the page it is on while the ids stay on it. */
    size_t head[STORY_PROBE];
    for (size_t l = 0; l < nlist; l++)
        head[l] = from[l];
    MDB_cursor *sc;
    if ((rc = mdb_cursor_open(self->txn, self->astory, &sc)) != 0)
        return dbi_mdb(rc);
    for (;;) {
        const char *low = NULL;
        for (size_t l = 0; l < nlist; l++)
            if (head[l] < from[l + 1] && (!low || memcmp(cand[head[l]], low, UTIL_ID_HEX) < 0))
                low = cand[head[l]];
        if (!low || rc)
            break;
        size_t shared = 0;
        for (size_t l = 0; l < nlist; l++)
            if (head[l] < from[l + 1] && memcmp(cand[head[l]], low, UTIL_ID_HEX) == 0) {
                shared++;
                head[l]++;
            }
        if (shared < STORY_SHARED)
            continue;
        char *other = dbi_strndup(self, low, UTIL_ID_HEX);
        /* a candidate of a story already linked can only link it again */
        MDB_val k = {UTIL_ID_HEX, other}, v;
        if ((rc = mdb_cursor_get(sc, &k, &v, MDB_SET_KEY)) == MDB_NOTFOUND) {
            rc = 0;
            continue;
        }
        if (rc) {
            rc = dbi_mdb(rc);
            break;
        }
        if (v.mv_size != UTIL_ID_HEX) {
            rc = DB_ECORRUPT;
            break;
        }
        bool known = false;
        for (size_t s = 0; s < nlinked && !known; s++)
            known = memcmp(linked[s], v.mv_data, UTIL_ID_HEX) == 0;
        if (known)
            continue;
        char *st = dbi_strndup(self, v.mv_data, UTIL_ID_HEX);
        Crossclaim__Result *o;
        if ((rc = dbi_load_story_part(self, self->txn, other, &o)) != 0)
            break;
        if (!o)
            continue;
        story_term_t *theirs;
        size_t ntheirs = dbi_terms(self, o, &theirs);
        if (!story_linked(mine, nmine, date, theirs, ntheirs, s_published(o)))
            continue;
        if (nlinked == cap) {
            char **w = dbi_alloc(self, 2 * cap * sizeof *w);
            memcpy(w, linked, cap * sizeof *linked);
            linked = w;
            cap *= 2;
        }
        linked[nlinked++] = st;
    }
    mdb_cursor_close(sc);
    if (rc)
        return rc;
    qsort(linked, nlinked, sizeof *linked, s_str_cmp);
    const char *best = id;
    if (nlinked && strcmp(linked[0], best) < 0)
        best = linked[0];
    *story = dbi_strndup(self, best, UTIL_ID_HEX);
    for (size_t i = 0; i < nlinked && !rc; i++)
        if ((i == 0 || strcmp(linked[i], linked[i - 1]) != 0) && strcmp(linked[i], best) != 0)
            rc = s_rekey(self, linked[i], best);
    return rc;
}
typedef struct {
    const char *key;
    int n;
} s_count_t;

static int s_count_cmp(const void *a, const void *b)
{
    const s_count_t *x = a, *y = b;
    return x->n != y->n ? y->n - x->n : strcmp(x->key, y->key);
}

int dbi_story_line(db_t *self, MDB_txn *txn, const char *story, json_t *j)
{
    s_sum_t sm;
    bool found;
    int rc = s_sum_get(self, txn, story, &sm, &found);
    if (rc)
        return rc;
    if (!found)
        return DB_ENOTFOUND;
    /* the story's entities by the number of its articles naming them */
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(txn, self->sentity, &c)) != 0)
        return dbi_mdb(rc);
    size_t nc = 0, cap = 64;
    s_count_t *cnt = dbi_alloc(self, cap * sizeof *cnt);
    MDB_val k = {UTIL_ID_HEX, (void *)story}, v;
    MDB_cursor_op op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size <= UTIL_ID_HEX || memcmp(k.mv_data, story, UTIL_ID_HEX) != 0)
            break;
        if (v.mv_size != 4)
            continue;
        uint32_t n;
        memcpy(&n, v.mv_data, 4);
        if (nc == cap) {
            s_count_t *w = dbi_alloc(self, 2 * cap * sizeof *w);
            memcpy(w, cnt, cap * sizeof *cnt);
            cnt = w;
            cap *= 2;
        }
        cnt[nc++] = (s_count_t){dbi_strndup(self, (const char *)k.mv_data + UTIL_ID_HEX,
                                            k.mv_size - UTIL_ID_HEX), (int)n};
    }
    mdb_cursor_close(c);
    if (rc && rc != MDB_NOTFOUND)
        return dbi_mdb(rc);
    qsort(cnt, nc, sizeof *cnt, s_count_cmp);
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "story");
    json_key(j, "id");
    json_str(j, story);
    json_key(j, "title");
    json_str(j, sm.title);
    json_key(j, "articles");
    json_int(j, (int64_t)sm.articles);
    dbi_json_opt(j, "first", sm.first);
    dbi_json_opt(j, "last", sm.last);
    json_key(j, "entities");
    json_arr_begin(j);
    for (size_t i = 0; i < nc && i < DB_STORY_ENTITIES; i++)
        json_str(j, cnt[i].key);
    json_arr_end(j);
    json_obj_end(j);
    json_newline(j);
    return 0;
}

int dbi_story_announce(db_t *self, const char *story)
{
    s_sum_t sm;
    bool found;
    size_t tlen;
    int rc = s_sum_get(self, self->txn, story, &sm, &found);
    if (rc)
        return rc;
    json_reset(self->json);
    const char *topic;
    if (!found) {
        dbi_deleted_line(self->json, "story", "id", story);
        topic = dbi_topic(self, "story.deleted.", story, "", "", &tlen);
    } else {
        if ((rc = dbi_story_line(self, self->txn, story, self->json)) != 0)
            return rc;
        topic = dbi_topic(self, "story.", story, "", "", &tlen);
    }
    return dbi_feed_put(self, "story", story, topic, tlen, NULL);
}
