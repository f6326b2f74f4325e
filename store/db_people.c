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
        if (strlen(*t) == n && memcmp(*t, w, n) == 0)
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

/* Reads the given names of full form f, whose surname is `sur` (folded). */
static void s_given(const char *f, size_t flen, const char *sur, s_given_t *g)
{
    char fold[256];
    size_t n = dbi_fold(f, flen, fold, sizeof fold), sn = strlen(sur);
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

/* One given name in place of another: the same, or one the start of the other by at
   least three letters ("Doug" and "Douglas", "Steve" and "Steven"). */
static bool s_name_eq(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return true;
    size_t na = strlen(a), nb = strlen(b), m = na < nb ? na : nb;
    return m >= 3 && memcmp(a, b, m) == 0;
}

/* Two full forms of one person: they share a given name ("Recep Tayyip" and "Tayyip",
   "Anthony Phillip" and "Anthony"). */
static bool s_same_person(const s_given_t *a, const s_given_t *b)
{
    return s_name_eq(a->first, b->first) || s_name_eq(a->last, b->last)
           || strcmp(a->first, b->last) == 0 || strcmp(a->last, b->first) == 0;
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

size_t dbi_people_split(db_t *self, const dbi_ent_t *raw, dbi_ent_t **out)
{
    size_t nn = raw->n[DBI_NAMES], na = raw->n[DBI_ALIASES];
    if (!dbi_people_bare(raw->key, raw->key_len) || nn < 2) {
        *out = dbi_alloc(self, sizeof **out);
        (*out)[0] = *raw;
        return 1;
    }
    size_t sn;
    const char *sp = s_name_part(raw->key, raw->key_len, &sn);
    char sur[128];
    dbi_fold(sp, sn, sur, sizeof sur);
    s_given_t *g = dbi_alloc(self, (nn + na) * sizeof *g);
    size_t *up = dbi_alloc(self, nn * sizeof *up);
    for (size_t i = 0; i < nn; i++) {
        s_given(raw->list[DBI_NAMES][i].s, raw->list[DBI_NAMES][i].len, sur, &g[i]);
        up[i] = i;
        for (size_t j = 0; j < i && !g[i].bare; j++)
            if (!g[j].bare && s_same_person(&g[i], &g[j]))
                up[s_find(up, j)] = s_find(up, i);
    }
    /* Each person's articles; the one with most keeps the key (ties: the first found
       in the sorted forms), and the names without a given name go with it. */
    int64_t *weight = dbi_alloc(self, nn * sizeof *weight);
    memset(weight, 0, nn * sizeof *weight);
    size_t main = nn;
    for (size_t i = 0; i < nn; i++)
        if (!g[i].bare)
            weight[s_find(up, i)] += raw->list[DBI_NAMES][i].n;
    for (size_t i = 0; i < nn; i++)
        if (!g[i].bare && s_find(up, i) == i && (main == nn || weight[i] > weight[main]))
            main = i;
    size_t *slot = dbi_alloc(self, nn * sizeof *slot), ng = 0;
    for (size_t i = 0; i < nn; i++)
        slot[i] = nn;
    if (main == nn) {   /* no form gives a given name: one person */
        *out = dbi_alloc(self, sizeof **out);
        (*out)[0] = *raw;
        return 1;
    }
    slot[main] = ng++;
    for (size_t i = 0; i < nn; i++)
        if (!g[i].bare && s_find(up, i) == i && i != main)
            slot[i] = ng++;
    if (ng == 1) {
        *out = dbi_alloc(self, sizeof **out);
        (*out)[0] = *raw;
        return 1;
    }
    dbi_ent_t *p = dbi_alloc(self, ng * sizeof *p);
    memset(p, 0, ng * sizeof *p);
    for (size_t k = 0; k < ng; k++) {
        p[k].list[DBI_NAMES] = dbi_alloc(self, nn * sizeof(dbi_form_t));
        p[k].list[DBI_ALIASES] = dbi_alloc(self, (na ? na : 1) * sizeof(dbi_form_t));
        p[k].list[DBI_KINDS] = raw->list[DBI_KINDS];
        p[k].n[DBI_KINDS] = raw->n[DBI_KINDS];
    }
    int64_t given = 0;
    for (size_t i = 0; i < nn; i++) {
        const dbi_form_t *f = &raw->list[DBI_NAMES][i];
        size_t k = g[i].bare ? 0 : slot[s_find(up, i)];
        s_put(&p[k], DBI_NAMES, f);
        if (k)
            given += f->n;
        p[k].articles += k ? f->n : 0;
    }
    /* the key's own person has every article the others don't */
    p[0].articles = raw->articles - given;
    for (size_t i = 0; i < na; i++) {
        const dbi_form_t *f = &raw->list[DBI_ALIASES][i];
        s_given_t *a = &g[nn + i];
        s_given(f->s, f->len, sur, a);
        if (a->bare && !a->alone) {     /* "Clinton" names each of them */
            for (size_t k = 0; k < ng; k++)
                s_put(&p[k], DBI_ALIASES, f);
            continue;
        }
        size_t to = 0;
        bool found = false;
        for (size_t j = 0; j < nn && !found; j++)
            if (!g[j].bare && s_same_person(a, &g[j])) {
                to = slot[s_find(up, j)];
                found = true;
            }
        s_put(&p[to], DBI_ALIASES, f);
    }
    p[0].key = raw->key;
    p[0].key_len = raw->key_len;
    for (size_t k = 1; k < ng; k++) {
        const dbi_form_t *best = dbi_ent_best(&p[k], DBI_NAMES);
        s_given_t bg;
        s_given(best->s, best->len, sur, &bg);
        size_t len = 4 + strlen(bg.last) + 1 + sn;
        char *key = dbi_alloc(self, len + 1);
        memcpy(key, "per:", 4);
        memcpy(key + 4, bg.last, strlen(bg.last));
        key[4 + strlen(bg.last)] = ' ';
        memcpy(key + 5 + strlen(bg.last), sp, sn);
        key[len] = 0;
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

/* The raw record of person key `key` in the open transaction (0, or DB_ENOTFOUND). */
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
    return dbi_ent_parse(self, v.mv_data, v.mv_size, e, none);
}

int dbi_people_record(db_t *self, MDB_txn *txn, const char *key, dbi_ent_t *out)
{
    size_t len = strlen(key);
    bool any = false;
    memset(out, 0, sizeof *out);
    dbi_ent_t raw, *p;
    int rc = s_raw(self, txn, key, len, &raw);
    if (rc && rc != DB_ENOTFOUND)
        return rc;
    if (rc == 0) {
        dbi_people_split(self, &raw, &p);
        *out = p[0];
        any = true;
    }
    /* "per:bill clinton" also holds the Bill of "per:clinton" */
    const char *sp = memchr(key, ' ', len);
    if (sp && len > 4 && memcmp(key, "per:", 4) == 0) {
        char *base = dbi_alloc(self, len + 1);
        memcpy(base, "per:", 4);
        size_t bn = 4 + (size_t)(key + len - sp - 1);
        memcpy(base + 4, sp + 1, bn - 4);
        base[bn] = 0;
        if (dbi_people_bare(base, bn) && (rc = s_raw(self, txn, base, bn, &raw)) == 0) {
            size_t n = dbi_people_split(self, &raw, &p);
            for (size_t k = 1; k < n; k++) {
                if (p[k].key_len != len || memcmp(p[k].key, key, len) != 0)
                    continue;
                if (!any) {
                    *out = p[k];
                } else {
                    dbi_ent_t m = *out;
                    s_union(self, out, &p[k], DBI_NAMES, &m);
                    s_union(self, out, &p[k], DBI_ALIASES, &m);
                    s_union(self, out, &p[k], DBI_KINDS, &m);
                    m.articles += p[k].articles;
                    *out = m;
                }
                any = true;
            }
        } else if (rc && rc != DB_ENOTFOUND) {
            return rc;
        }
    }
    if (!any)
        return DB_ENOTFOUND;
    out->key = dbi_strndup(self, key, len);
    out->key_len = (uint32_t)len;
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
