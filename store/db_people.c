/*  db_people: the people one surname's record holds. A worker keys a person alone with
    its surname in an article by the surname ("per:clinton"), since one article cannot
    tell which of "Recep Tayyip" and "Tayyip" is the given name in use; across articles,
    that key gathers namesakes (Bill and Hillary Clinton). The store keeps each person
    key's record as the articles gave it (the raw record, in `people`) and tells its
    people apart by the given names its full forms carry: forms that share a given name
    are one person. The person with the most articles keeps the key; each other one is
    "per:<given> <surname>", the key a worker gives the second person of a surname in
    one article, and shares that key's record. `entities` holds the records so made,
    which every reader reads. Each is a function of the raw records alone, so arrival
    order changes nothing. Part of db (store/db.h); see db_internal.h. */

#include "db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S_WORD 48      /* bytes of a folded given name kept for comparison */

/* A full form's given names: the first and the last word before the surname, folded;
   none ("Clinton", "Mrs. Clinton") when `bare`. A form without the surname ("Hillary")
   is bare, and `alone` gives its own words instead. */
typedef struct {
    char first[S_WORD], last[S_WORD];
    bool bare, alone;
} s_given_t;

/* Words before a surname that are no given names: titles, ranks and roles a form can
   keep ("Sen. Bill X", "Sheriff Joe X"). Lowercase, as folded. */
static const char *const s_titles[] = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord",
    "lady", "sen", "senator", "rep", "representative", "gov", "governor", "lt", "gen",
    "general", "col", "colonel", "capt", "captain", "sgt", "sergeant", "cmdr", "adm",
    "admiral", "maj", "major", "pres", "president", "vice", "former", "late", "then",
    "sheriff", "judge", "justice", "mayor", "secretary", "minister", "prime", "chief",
    "director", "chairman", "chairwoman", "chair", "ceo", "coach", "officer", "detective",
    "agent", "deputy", "attorney", "prosecutor", "staff", "moderator", "host", "anchor",
    "rev", "reverend", "father", "pastor", "bishop", "pope", "king", "queen", "prince",
    "princess", "sheikh", "emir", "ambassador", "speaker", "leader", "candidate",
    "congressman", "congresswoman", "councilman", "councilwoman", "commissioner",
    "superintendent", "inspector", "constable", "trooper", "private", "corporal",
    "lieutenant", "first", "dear", "st", "saint", "mother", "sister", "brother", "uncle",
    "aunt", "grandma", "grandpa", "president-elect", "nominee", "manager", NULL,
};

static bool s_title(const char *w, size_t n)
{
    for (const char *const *t = s_titles; *t; t++)
        if ((*t)[0] == w[0] && strncmp(*t, w, n) == 0 && (*t)[n] == 0)
            return true;
    return false;
}

/* The surname part of a person key: "per:clinton" -> "clinton". */
static const char *s_name_part(const char *key, size_t len, size_t *n)
{
    const char *colon = memchr(key, ':', len);
    size_t off = colon ? (size_t)(colon - key) + 1 : 0;
    *n = len - off;
    return key + off;
}

bool dbi_people_bare(const char *key, size_t len)
{
    size_t n;
    const char *s = s_name_part(key, len, &n);
    return len > 4 && memcmp(key, "per:", 4) == 0 && n > 0 && !memchr(s, ' ', n);
}

/* dbi_fold, without utf8proc for ASCII (most names; a split folds every form). */
static size_t s_fold_fast(const char *f, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)f[i];
        if (ch >= 0x80)
            return dbi_fold(f, n, out, cap);
        bool word = (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
        if (!word) {
            space = o > 0;
            continue;
        }
        if (space && o + 1 < cap)
            out[o++] = ' ';
        space = false;
        if (o + 1 < cap)
            out[o++] = (char)(ch >= 'A' && ch <= 'Z' ? ch | 0x20 : ch);
    }
    if (cap)
        out[o < cap ? o : cap - 1] = 0;
    return o;
}

/* Reads the given names of full form f, whose surname is `sur` (folded). */
static void s_given(const char *f, size_t flen, const char *sur, s_given_t *g)
{
    char fold[256];
    size_t n = s_fold_fast(f, flen, fold, sizeof fold), sn = strlen(sur);
    memset(g, 0, sizeof *g);
    g->bare = true;
    size_t end = n;
    if (n > sn + 1 && fold[n - sn - 1] == ' ' && memcmp(fold + n - sn, sur, sn) == 0)
        end = n - sn - 1;
    else if (n == sn && memcmp(fold, sur, sn) == 0)
        return;     /* the surname alone */
    bool named = false;
    for (size_t i = 0; i < end; ) {
        size_t j = i;
        while (j < end && fold[j] != ' ')
            j++;
        size_t w = j - i;
        bool digit = false;
        for (size_t k = i; k < j; k++)
            digit |= fold[k] >= '0' && fold[k] <= '9';
        /* initials ("Donald J."), titles and numbers are no given names */
        if (w >= 2 && !digit && !s_title(fold + i, w)) {
            size_t c = w < S_WORD ? w : S_WORD - 1;
            if (!named) {
                memcpy(g->first, fold + i, c);
                g->first[c] = 0;
            }
            memcpy(g->last, fold + i, c);
            g->last[c] = 0;
            named = true;
        }
        i = j + 1;
    }
    g->bare = !named || end == n;
    g->alone = named && end == n;
}

/* A given name of a full form, for the sorted pool the forms are grouped by. */
typedef struct {
    const char *w;
    size_t form;
} s_tok_t;

static int s_tok_cmp(const void *a, const void *b)
{
    const s_tok_t *x = a, *y = b;
    int c = strcmp(x->w, y->w);
    return c ? c : (x->form > y->form) - (x->form < y->form);
}

/* One given name in place of another: the same, or one the start of the other by at
   least three letters ("Doug" and "Douglas", "Steve" and "Steven"). */
static bool s_starts(const char *w, const char *p)
{
    size_t n = strlen(p);
    return strncmp(w, p, n) == 0 && (n >= 3 || w[n] == 0);
}

/* The first token of the sorted pool not below t. */
static size_t s_lower(const s_tok_t *pool, size_t np, const char *t)
{
    size_t lo = 0, hi = np;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(pool[mid].w, t) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A form of the pool sharing a given name with `t` (either way of s_starts), or -1. */
static long s_pool_find(const s_tok_t *pool, size_t np, const char *t)
{
    if (!t[0])
        return -1;
    size_t at = s_lower(pool, np, t);
    if (at < np && s_starts(pool[at].w, t))
        return (long)pool[at].form;
    char p[S_WORD];
    for (size_t n = strlen(t); n-- > 3; ) {     /* a token t starts with */
        memcpy(p, t, n);
        p[n] = 0;
        at = s_lower(pool, np, p);
        if (at < np && strcmp(pool[at].w, p) == 0)
            return (long)pool[at].form;
    }
    return -1;
}

static size_t s_find(size_t *up, size_t i)
{
    while (up[i] != i)
        i = up[i] = up[up[i]];
    return i;
}

/* Appends form f to list l of e (room reserved by the caller). */
static void s_put(dbi_ent_t *e, int l, const dbi_form_t *f)
{
    e->list[l][e->n[l]++] = *f;
}

/* The split of a record that is one person: the record itself. */
static size_t s_whole(db_t *self, const dbi_ent_t *raw, dbi_ent_t **out)
{
    *out = dbi_alloc(self, sizeof **out);
    (*out)[0] = *raw;
    return 1;
}

size_t dbi_people_split(db_t *self, const dbi_ent_t *raw, dbi_ent_t **out)
{
    size_t nn = raw->n[DBI_NAMES], na = raw->n[DBI_ALIASES];
    if (!dbi_people_bare(raw->key, raw->key_len) || nn < 2)
        return s_whole(self, raw, out);
    size_t sn;
    const char *sp = s_name_part(raw->key, raw->key_len, &sn);
    char sur[128];
    dbi_fold(sp, sn, sur, sizeof sur);
    s_given_t *g = dbi_alloc(self, (nn + na) * sizeof *g);
    size_t *up = dbi_alloc(self, nn * sizeof *up);
    s_tok_t *pool = dbi_alloc(self, 2 * nn * sizeof *pool);
    size_t np = 0;
    for (size_t i = 0; i < nn; i++) {
        s_given(raw->list[DBI_NAMES][i].s, raw->list[DBI_NAMES][i].len, sur, &g[i]);
        up[i] = i;
        if (g[i].bare)
            continue;
        pool[np++] = (s_tok_t){g[i].first, i};
        if (strcmp(g[i].last, g[i].first) != 0)
            pool[np++] = (s_tok_t){g[i].last, i};
    }
    /* Forms sharing a given name are one person: in the sorted pool a name is followed
       by its equals, then by the names it starts, so each run is joined to its first
       equal and to the run after it that it starts (n log n, not a pair of loops). */
    qsort(pool, np, sizeof *pool, s_tok_cmp);
    for (size_t i = 0; i < np; i++) {
        if (i > 0 && strcmp(pool[i].w, pool[i - 1].w) == 0) {
            up[s_find(up, pool[i].form)] = s_find(up, pool[i - 1].form);
            continue;
        }
        for (size_t j = i + 1; j < np && s_starts(pool[j].w, pool[i].w); j++)
            if (strcmp(pool[j].w, pool[j - 1].w) != 0)
                up[s_find(up, pool[j].form)] = s_find(up, pool[i].form);
    }
    /* Each person's articles; the one with most keeps the key (ties: the one whose
       first form, by bytes, comes first), and the names without a given name go with it. */
    int64_t *weight = dbi_alloc(self, nn * sizeof *weight);
    size_t *first = dbi_alloc(self, nn * sizeof *first);
    memset(weight, 0, nn * sizeof *weight);
    size_t main = nn;
    for (size_t i = 0; i < nn; i++)
        first[i] = nn;
    for (size_t i = 0; i < nn; i++)
        if (!g[i].bare) {
            size_t r = s_find(up, i);
            weight[r] += raw->list[DBI_NAMES][i].n;
            if (first[r] == nn)
                first[r] = i;   /* forms are sorted by bytes */
        }
    for (size_t i = 0; i < nn; i++)
        if (!g[i].bare && s_find(up, i) == i
            && (main == nn || weight[i] > weight[main]
                || (weight[i] == weight[main] && first[i] < first[main])))
            main = i;
    size_t *slot = dbi_alloc(self, nn * sizeof *slot), ng = 0;
    for (size_t i = 0; i < nn; i++)
        slot[i] = nn;
    if (main == nn)     /* no form gives a given name */
        return s_whole(self, raw, out);
    slot[main] = ng++;
    for (size_t i = 0; i < nn; i++)
        if (!g[i].bare && s_find(up, i) == i && i != main)
            slot[i] = ng++;
    if (ng == 1)
        return s_whole(self, raw, out);
    /* each form's person first, then lists of just the room each person needs */
    size_t *at = dbi_alloc(self, (nn + na) * sizeof *at);
    size_t *room = dbi_alloc(self, 2 * ng * sizeof *room);
    memset(room, 0, 2 * ng * sizeof *room);
    for (size_t i = 0; i < nn; i++)
        room[2 * (at[i] = g[i].bare ? 0 : slot[s_find(up, i)])]++;
    for (size_t i = 0; i < na; i++) {
        const dbi_form_t *f = &raw->list[DBI_ALIASES][i];
        s_given_t *a = &g[nn + i];
        s_given(f->s, f->len, sur, a);
        size_t to = 0;  /* "Clinton", and a name no one has: the key's own person's */
        if (!a->bare || a->alone) {
            long j = s_pool_find(pool, np, a->first);
            if (j < 0)
                j = s_pool_find(pool, np, a->last);
            if (j >= 0)
                to = slot[s_find(up, (size_t)j)];
        }
        room[2 * (at[nn + i] = to) + 1]++;
    }
    dbi_ent_t *p = dbi_alloc(self, ng * sizeof *p);
    memset(p, 0, ng * sizeof *p);
    for (size_t k = 0; k < ng; k++) {
        p[k].list[DBI_NAMES] = dbi_alloc(self, (room[2 * k] ? room[2 * k] : 1) * sizeof(dbi_form_t));
        p[k].list[DBI_ALIASES] = dbi_alloc(self, (room[2 * k + 1] ? room[2 * k + 1] : 1)
                                                     * sizeof(dbi_form_t));
        p[k].list[DBI_KINDS] = raw->list[DBI_KINDS];
        p[k].n[DBI_KINDS] = raw->n[DBI_KINDS];
    }
    int64_t given = 0;
    for (size_t i = 0; i < nn; i++) {
        const dbi_form_t *f = &raw->list[DBI_NAMES][i];
        s_put(&p[at[i]], DBI_NAMES, f);
        if (at[i]) {
            given += f->n;
            p[at[i]].articles += f->n;
        }
    }
    /* the key's own person has every article the others don't */
    p[0].articles = raw->articles - given;
    for (size_t i = 0; i < na; i++)
        s_put(&p[at[nn + i]], DBI_ALIASES, &raw->list[DBI_ALIASES][i]);
    p[0].key = raw->key;
    p[0].key_len = raw->key_len;
    for (size_t k = 1; k < ng; k++) {
        const dbi_form_t *best = dbi_ent_best(&p[k], DBI_NAMES);
        s_given_t bg;
        s_given(best->s, best->len, sur, &bg);
        size_t len = 4 + strlen(bg.last) + 1 + sn;
        char *key = dbi_alloc(self, len + 1);
        snprintf(key, len + 1, "per:%s %.*s", bg.last, (int)sn, sp);
        p[k].key = key;
        p[k].key_len = (uint32_t)len;
    }
    *out = p;
    return ng;
}

/* Merges two sorted form lists into one, summing the counts of a form both hold. */
static void s_union(db_t *self, const dbi_ent_t *a, const dbi_ent_t *b, int l, dbi_ent_t *to)
{
    size_t na = a->n[l], nb = b->n[l], i = 0, k = 0, n = 0;
    dbi_form_t *v = dbi_alloc(self, (na + nb + 1) * sizeof *v);
    while (i < na || k < nb) {
        int c;
        if (k >= nb) {
            c = -1;
        } else if (i >= na) {
            c = 1;
        } else {
            const dbi_form_t *x = &a->list[l][i], *y = &b->list[l][k];
            size_t m = x->len < y->len ? x->len : y->len;
            c = memcmp(x->s, y->s, m);
            if (c == 0)
                c = (x->len > y->len) - (x->len < y->len);
        }
        if (c < 0) {
            v[n++] = a->list[l][i++];
        } else if (c > 0) {
            v[n++] = b->list[l][k++];
        } else {
            v[n] = a->list[l][i++];
            v[n++].n += b->list[l][k++].n;
        }
    }
    to->list[l] = v;
    to->n[l] = n;
}

/* The raw record of person key `key` in the open transaction, an arena copy (0, or
   DB_ENOTFOUND). */
static int s_raw(db_t *self, MDB_txn *txn, const char *key, size_t len, dbi_ent_t *e)
{
    static const size_t none[DBI_LISTS] = {0};
    char *z = dbi_strndup(self, key, len);
    MDB_val k, v;
    dbi_dbkey(self, z, &k);
    int rc = mdb_get(txn, self->people, &k, &v);
    if (rc == MDB_NOTFOUND)
        return DB_ENOTFOUND;
    if (rc)
        return dbi_mdb(rc);
    /* a copy: the records made from it outlive the writes that follow (a put may move
       the page it was read from) */
    void *copy = dbi_alloc(self, v.mv_size ? v.mv_size : 1);
    memcpy(copy, v.mv_data, v.mv_size);
    return dbi_ent_parse(self, copy, v.mv_size, e, none);
}

/* *out = a joined with b (forms summed), in the arena. */
static void s_join(db_t *self, const dbi_ent_t *a, const dbi_ent_t *b, dbi_ent_t *out)
{
    dbi_ent_t m = *a;
    s_union(self, a, b, DBI_NAMES, &m);
    s_union(self, a, b, DBI_ALIASES, &m);
    s_union(self, a, b, DBI_KINDS, &m);
    m.articles = a->articles + b->articles;
    *out = m;
}

/* The record of person key `key` given the people p[0..np) of its base's split (for
   "per:<given> <surname>"; np = 0 when none): its own raw record's first person, joined
   with the base's person of that key. Sets articles 0 when there is neither. */
static int s_record_of(db_t *self, MDB_txn *txn, const char *key, const dbi_ent_t *p,
                       size_t np, dbi_ent_t *out)
{
    size_t len = strlen(key);
    memset(out, 0, sizeof *out);
    bool any = false;
    dbi_ent_t raw, *own;
    int rc = s_raw(self, txn, key, len, &raw);
    if (rc && rc != DB_ENOTFOUND)
        return rc;
    if (rc == 0) {
        dbi_people_split(self, &raw, &own);
        *out = own[0];
        any = true;
    }
    for (size_t k = 1; k < np; k++) {
        if (p[k].key_len != len || memcmp(p[k].key, key, len) != 0)
            continue;
        if (any)
            s_join(self, out, &p[k], out);
        else
            *out = p[k];
        any = true;
    }
    out->key = dbi_strndup(self, key, len);
    out->key_len = (uint32_t)len;
    if (!any)
        out->articles = 0;
    return 0;
}

char *dbi_people_base(db_t *self, const char *key, size_t len)
{
    const char *sp = memchr(key, ' ', len);
    if (!sp || len <= 4 || memcmp(key, "per:", 4) != 0)
        return NULL;
    size_t bn = 4 + (size_t)(key + len - sp - 1);
    char *base = dbi_alloc(self, bn + 1);
    memcpy(base, "per:", 4);
    memcpy(base + 4, sp + 1, bn - 4);
    base[bn] = 0;
    return dbi_people_bare(base, bn) ? base : NULL;
}

int dbi_people_record(db_t *self, MDB_txn *txn, const char *key, dbi_ent_t *out)
{
    dbi_ent_t raw, *p = NULL;
    size_t np = 0;
    char *base = dbi_people_base(self, key, strlen(key));
    int rc = base ? s_raw(self, txn, base, strlen(base), &raw) : DB_ENOTFOUND;
    if (rc && rc != DB_ENOTFOUND)
        return rc;
    if (rc == 0)
        np = dbi_people_split(self, &raw, &p);
    if ((rc = s_record_of(self, txn, key, p, np, out)) != 0)
        return rc;
    return out->articles > 0 || out->n[DBI_NAMES] ? 0 : DB_ENOTFOUND;
}

int dbi_people_records(db_t *self, MDB_txn *txn, const char *base, const dbi_ent_t *p,
                       size_t np, const char *const *keys, size_t nk, dbi_ent_t *out)
{
    int rc;
    for (size_t i = 0; i < nk; i++) {
        if (strcmp(keys[i], base) == 0) {
            memset(&out[i], 0, sizeof out[i]);
            if (np)
                out[i] = p[0];
            out[i].key = keys[i];
            out[i].key_len = (uint32_t)strlen(keys[i]);
        } else if ((rc = s_record_of(self, txn, keys[i], p, np, &out[i])) != 0) {
            return rc;
        }
    }
    return 0;
}

int dbi_people_owner(db_t *self, MDB_txn *txn, const char *key, const char *name,
                     const char **owner)
{
    *owner = key;
    size_t len = strlen(key);
    if (!name || !dbi_people_bare(key, len))
        return 0;
    dbi_ent_t raw, *p;
    int rc = s_raw(self, txn, key, len, &raw);
    if (rc)
        return rc == DB_ENOTFOUND ? 0 : rc;
    size_t n = dbi_people_split(self, &raw, &p), nl = strlen(name);
    for (size_t k = 1; k < n; k++)
        for (size_t i = 0; i < p[k].n[DBI_NAMES]; i++)
            if (p[k].list[DBI_NAMES][i].len == nl
                && memcmp(p[k].list[DBI_NAMES][i].s, name, nl) == 0) {
                *owner = p[k].key;
                return 0;
            }
    return 0;
}

const char *dbi_people_named(db_t *self, MDB_txn *txn, const char *key,
                             const Crossclaim__Result *r)
{
    size_t len = strlen(key);
    const char *sp = memchr(key, ' ', len);
    bool person = len > 4 && memcmp(key, "per:", 4) == 0;
    for (size_t i = 0; i < r->n_entities; i++) {
        const Crossclaim__Entity *x = r->entities[i];
        if (!x || !x->key)
            continue;
        bool own = strcmp(x->key, key) == 0;
        /* "per:bill clinton" may hold an article's "per:clinton" */
        bool base = person && sp && strncmp(x->key, "per:", 4) == 0
                    && strcmp(x->key + 4, sp + 1) == 0;
        if (!own && !base)
            continue;
        if (!person || (own && sp))
            return x->key;
        const char *owner;
        if (dbi_people_owner(self, txn, x->key, x->name, &owner) == 0 && strcmp(owner, key) == 0)
            return x->key;
    }
    return NULL;
}
