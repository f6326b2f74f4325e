/*  db_web: the reads of the web view and the report (store/db_web.h): filtered facts with
    their articles' URLs and titles, the stories page, one story, one entity, one article,
    and search by name. Part of db (store/db.h); see db_internal.h. Nothing here writes. */

#include "db_web.h"
#include "db_internal.h"
#include "frame.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define DB_WEB_OUTLETS     64     /* outlets of one story told apart, at most */
#define DB_WEB_SEARCH      50     /* results of each kind a search gives by default */
#define DB_WEB_STORIES     50     /* stories an entity page lists */
#define DB_WEB_MEMBERS     2000   /* articles an entity page reads, at most */

char *db_web_fold(const char *s)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, 0, &out,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE
                                      | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD
                                      | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
    if (n >= 0 && out) {
        char *copy = util_strdup((const char *)out);   /* our allocator: callers free() */
        free(out);
        return copy;
    }
    free(out);
    char *c = util_strdup(s);
    for (char *p = c; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return c;
}

/* True when folded `needle` is in s[0..n) folded. */
static bool s_folded_has(const char *s, size_t n, const char *needle)
{
    char *copy = util_strndup(s, n);
    char *f = db_web_fold(copy);
    bool has = strstr(f, needle) != NULL;
    free(f);
    free(copy);
    return has;
}

size_t db_web_frame_label(const char *frame, char *out, size_t cap)
{
    char buf[FRAME_KEY_MAX + 8];
    const char *sl[6];
    out[0] = 0;
    if (!frame || frame_parse(frame, buf, sizeof buf, sl) != 0) {
        snprintf(out, cap, "%s", frame ? frame : "");
        return strlen(out);
    }
    /* slots: 0 unit, 1 what, 2 whose, 3 pclass, 4 scope, 5 period */
    const char *order[] = {sl[3], sl[1], sl[2], sl[4], sl[5]};
    size_t len = 0;
    for (size_t i = 0; i < 5; i++) {
        const char *s = order[i];
        if (!s || !*s)
            continue;
        const char *colon = strchr(s, ':');
        bool part = strncmp(s, "part:", 5) == 0;
        /* entity keys "per:x" show as "x"; a scope "part:x" as "x (part)" */
        if (colon && colon - s <= 5 && colon[1])
            s = colon + 1;
        int w = snprintf(out + len, cap - len, "%s%s%s%s%s%s", len ? " · " : "", s,
                         i == 1 && sl[0][0] ? " (" : "", i == 1 ? sl[0] : "",
                         i == 1 && sl[0][0] ? ")" : "", part ? " (part)" : "");
        if (w < 0 || (size_t)w >= cap - len) {
            len = strlen(out);
            break;
        }
        len += (size_t)w;
    }
    if (len == 0 && sl[0][0])
        len = (size_t)snprintf(out, cap, "%s", sl[0]);
    return len < cap ? len : cap - 1;
}

/* Appends the line in `tmp` (without its newline) to `out` as one JSON value. */
static void s_raw_line(json_t *out, json_t *tmp)
{
    size_t n = json_len(tmp);
    const char *d = json_data(tmp);
    while (n && d[n - 1] == '\n')
        n--;
    json_raw(out, d, n);
}

static const char *s_str(const char *s)
{
    return s ? s : "";
}

/* ---------------------------------------------------------------- facts */

static bool s_status_ok(const char *want, const char *status)
{
    status = dbi_empty(status) ? "single" : status;
    if (!want)
        return strcmp(status, "conflict") == 0 || strcmp(status, "corroborated") == 0;
    return strcmp(want, "all") == 0 || strcmp(want, status) == 0;
}

static bool s_fact_passes(const db_web_filter_t *f, const Crossclaim__Xref *x, const char *folded_outlet)
{
    if (!s_status_ok(f->status, x->status))
        return false;
    if (f->min_sources && x->sources < f->min_sources)
        return false;
    if (f->story && *f->story && strncmp(s_str(x->story), f->story, strlen(f->story)) != 0)
        return false;
    if (folded_outlet) {
        bool any = false;
        for (size_t i = 0; !any && i < x->n_claims; i++)
            any = s_folded_has(s_str(x->claims[i]->outlet), strlen(s_str(x->claims[i]->outlet)),
                               folded_outlet)
                  && strlen(s_str(x->claims[i]->outlet)) > 0;
        if (!any)
            return false;
    }
    if ((f->since && *f->since) || (f->until && *f->until)) {
        bool any = false;
        for (size_t i = 0; !any && i < x->n_claims; i++) {
            const char *p = x->claims[i]->published;
            if (dbi_empty(p))
                continue;
            if (f->since && *f->since && strcmp(p, f->since) < 0)
                continue;
            /* "until 2015-11" takes all of November: compare that many characters */
            if (f->until && *f->until && strncmp(p, f->until, strlen(f->until)) > 0)
                continue;
            any = true;
        }
        if (!any)
            return false;
    }
    return true;
}

/* Story headline cache of a walk: the story the last fact was in. */
typedef struct {
    char id[UTIL_ID_HEX + 1];
    char *title;
    size_t articles;
} s_story_cache_t;

/* The headline of a story: its earliest dated article's title, else its first by id's. */
static int s_story_head(db_t *self, MDB_txn *txn, const char *story, s_story_cache_t *sc)
{
    if (dbi_empty(story)) {
        free(sc->title);
        sc->title = util_strdup("");
        sc->articles = 0;
        sc->id[0] = 0;
        return 0;
    }
    if (sc->title && strcmp(sc->id, story) == 0)
        return 0;
    free(sc->title);
    sc->title = NULL;
    snprintf(sc->id, sizeof sc->id, "%s", story);
    char **ids;
    size_t n = 0;
    int rc = dbi_members(self, txn, story, &ids, &n);
    if (rc)
        return rc;
    const char *best = NULL, *best_date = NULL;
    for (size_t i = 0; i < n; i++) {
        Crossclaim__Result *r;
        if (dbi_load(self, txn, ids[i], &r) != 0 || !r || !r->article)
            continue;
        const char *d = dbi_empty(r->article->published) ? NULL : r->article->published;
        if (!best || (d && (!best_date || strcmp(d, best_date) < 0))) {
            best = s_str(r->article->title);
            best_date = d;
        }
    }
    sc->title = util_strdup(best ? best : "");
    sc->articles = n;
    return 0;
}

/* Builds the db_web_fact_t of x (its articles looked up, in the arena) and calls fn. */
static int s_fact_call(db_t *self, MDB_txn *txn, const Crossclaim__Xref *x,
                       s_story_cache_t *sc, db_web_fact_fn *fn, void *arg)
{
    int rc = s_story_head(self, txn, x->story, sc);
    if (rc)
        return rc;
    const char **url = dbi_alloc(self, (x->n_claims + 1) * sizeof *url);
    const char **title = dbi_alloc(self, (x->n_claims + 1) * sizeof *title);
    for (size_t i = 0; i < x->n_claims; i++) {
        url[i] = title[i] = "";
        Crossclaim__Result *r = NULL;
        const char *id = x->claims[i]->article;
        if (!dbi_empty(id) && util_is_job_id(id, strlen(id)) && dbi_load(self, txn, id, &r) == 0
            && r && r->article) {
            url[i] = s_str(r->article->source);
            title[i] = s_str(r->article->title);
        }
    }
    char label[FRAME_KEY_MAX * 2];
    db_web_frame_label(dbi_empty(x->frame) ? x->key : x->frame, label, sizeof label);
    db_web_fact_t f = {x, label, sc->title ? sc->title : "", sc->articles, url, title};
    return fn(arg, &f);
}

int db_web_facts(db_t *self, const db_web_filter_t *filter, size_t *matched,
                 db_web_fact_fn *fn, void *arg)
{
    if (!self || !fn)
        return -EINVAL;
    static const db_web_filter_t none = {0};
    const db_web_filter_t *f = filter ? filter : &none;
    if (f->status && strcmp(f->status, "all") && strcmp(f->status, "conflict")
        && strcmp(f->status, "corroborated") && strcmp(f->status, "single"))
        return -EINVAL;
    char *outlet = f->outlet && *f->outlet ? db_web_fold(f->outlet) : NULL;
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc) {
        free(outlet);
        return rc;
    }
    MDB_cursor *c = NULL;
    s_story_cache_t sc = {{0}, NULL, 0};
    size_t n = 0, shown = 0;
    if ((rc = mdb_cursor_open(txn, self->xrefs, &c)) != 0)
        goto leave;
    MDB_val k, v;
    MDB_cursor_op op = MDB_FIRST;
    /* xref keys begin with their story id: a story filter starts at its first fact */
    char pre[UTIL_ID_HEX + 1];
    size_t lpre = f->story ? strlen(f->story) : 0;
    if (lpre >= 4 && lpre <= UTIL_ID_HEX) {
        memcpy(pre, f->story, lpre);
        k = (MDB_val){lpre, pre};
        op = MDB_SET_RANGE;
    }
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (op == MDB_NEXT && lpre >= 4 && lpre <= UTIL_ID_HEX
            && (k.mv_size < lpre || memcmp(k.mv_data, pre, lpre) != 0))
            break;
        dbi_arena_reset(&self->arena);
        Crossclaim__Xref *x = NULL;   /* the fact's summary with its claim rows */
        if (dbi_xref_read(self, txn, v.mv_data, v.mv_size, &x) != 0 || !x) {
            self->corrupt++;
            continue;
        }
        if (!s_fact_passes(f, x, outlet))
            continue;
        n++;
        if (n <= f->offset || (f->limit && shown >= f->limit))
            continue;
        shown++;
        if ((rc = s_fact_call(self, txn, x, &sc, fn, arg)) != 0)
            break;
    }
    if (rc == MDB_NOTFOUND)
        rc = 0;
leave:
    if (c)
        mdb_cursor_close(c);
    mdb_txn_abort(txn);
    free(sc.title);
    free(outlet);
    if (matched)
        *matched = n;
    return dbi_mdb(rc);
}

void db_web_fact_json(json_t *j, const db_web_fact_t *f)
{
    json_t *tmp = json_new();
    dbi_xref_line(tmp, f->xref);
    json_obj_begin(j);
    json_key(j, "xref");
    s_raw_line(j, tmp);
    json_key(j, "label");
    json_str(j, f->label);
    json_key(j, "story_title");
    json_str(j, f->story_title);
    json_key(j, "story_articles");
    json_int(j, (int64_t)f->story_articles);
    json_key(j, "articles");
    json_obj_begin(j);
    for (size_t i = 0; i < f->xref->n_claims; i++) {
        const char *id = s_str(f->xref->claims[i]->article);
        bool seen = false;
        for (size_t k = 0; !seen && k < i; k++)
            seen = strcmp(s_str(f->xref->claims[k]->article), id) == 0;
        if (seen)
            continue;
        json_key(j, id);
        json_obj_begin(j);
        json_key(j, "source");
        json_str(j, f->url[i]);
        json_key(j, "title");
        json_str(j, f->title[i]);
        json_obj_end(j);
    }
    json_obj_end(j);
    json_obj_end(j);
    json_destroy(&tmp);
}

static int s_fact_to_json(void *arg, const db_web_fact_t *f)
{
    db_web_fact_json(arg, f);
    return 0;
}

/* ---------------------------------------------------------------- stories */

typedef struct {
    char last[16];          /* latest publication date, "" when undated */
    char id[UTIL_ID_HEX + 1];
    char *json;             /* the entry object, malloc'd */
    size_t len;
} s_entry_t;

static int s_entry_cmp(const void *a, const void *b)
{
    const s_entry_t *x = a, *y = b;
    if (!x->last[0] != !y->last[0])
        return x->last[0] ? -1 : 1;        /* undated last */
    int c = strcmp(y->last, x->last);      /* newest first */
    return c ? c : strcmp(x->id, y->id);
}

/* The facts of a story by status. */
static int s_story_counts(db_t *self, MDB_txn *txn, const char *story, size_t *conflicts,
                          size_t *corroborated, size_t *facts)
{
    *conflicts = *corroborated = *facts = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, self->xrefs, &c);
    if (rc)
        return dbi_mdb(rc);
    char pre[UTIL_ID_HEX + 1];
    memcpy(pre, story, UTIL_ID_HEX);
    pre[UTIL_ID_HEX] = '/';
    MDB_val k = {sizeof pre, pre}, v;
    MDB_cursor_op op = MDB_SET_RANGE;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size < sizeof pre || memcmp(k.mv_data, pre, sizeof pre) != 0)
            break;
        Crossclaim__Xref *x = crossclaim__xref__unpack(NULL, v.mv_size, v.mv_data);
        if (!x)
            continue;
        (*facts)++;
        if (!dbi_empty(x->status) && strcmp(x->status, "conflict") == 0)
            (*conflicts)++;
        else if (!dbi_empty(x->status) && strcmp(x->status, "corroborated") == 0)
            (*corroborated)++;
        crossclaim__xref__free_unpacked(x, NULL);
    }
    mdb_cursor_close(c);
    return rc == MDB_NOTFOUND || rc == 0 ? 0 : dbi_mdb(rc);
}

/* Builds the entry of one story (members ids[0..n)) when its titles match `q`. */
static int s_story_entry(db_t *self, MDB_txn *txn, const char *story, const char *q,
                         s_entry_t *e, bool *keep)
{
    *keep = false;
    dbi_arena_reset(&self->arena);
    char **ids;
    size_t n = 0;
    int rc = dbi_members(self, txn, story, &ids, &n);
    if (rc || n == 0)
        return rc;
    const char *outlets[DB_WEB_OUTLETS];
    size_t no = 0;
    bool match = !q || !*q;
    char last[16] = "";
    for (size_t i = 0; i < n; i++) {
        Crossclaim__Result *r;
        if (dbi_load(self, txn, ids[i], &r) != 0 || !r || !r->article)
            continue;
        const Crossclaim__Article *a = r->article;
        if (!match && !dbi_empty(a->title))
            match = s_folded_has(a->title, strlen(a->title), q);
        if (!dbi_empty(a->published) && strcmp(a->published, last) > 0)
            snprintf(last, sizeof last, "%s", a->published);
        const char *o = s_str(a->outlet);
        bool seen = false;
        for (size_t k = 0; !seen && k < no; k++)
            seen = strcmp(outlets[k], o) == 0;
        if (!seen && no < DB_WEB_OUTLETS && *o)
            outlets[no++] = o;
    }
    if (!match)
        return 0;
    size_t conflicts, corroborated, facts;
    if ((rc = s_story_counts(self, txn, story, &conflicts, &corroborated, &facts)) != 0)
        return rc;
    json_t *line = json_new(), *j = json_new();
    if ((rc = dbi_story_line(self, txn, story, line)) == 0) {
        json_obj_begin(j);
        json_key(j, "story");
        s_raw_line(j, line);
        json_key(j, "outlets");
        json_arr_begin(j);
        for (size_t k = 0; k < no; k++)
            json_str(j, outlets[k]);
        json_arr_end(j);
        json_key(j, "conflicts");
        json_int(j, (int64_t)conflicts);
        json_key(j, "corroborated");
        json_int(j, (int64_t)corroborated);
        json_key(j, "facts");
        json_int(j, (int64_t)facts);
        json_obj_end(j);
        snprintf(e->last, sizeof e->last, "%s", last);
        snprintf(e->id, sizeof e->id, "%s", story);
        e->len = json_len(j);
        e->json = util_strndup(json_data(j), e->len);
        *keep = true;
    }
    json_destroy(&line);
    json_destroy(&j);
    return rc == DB_ENOTFOUND ? 0 : rc;
}

/* Appends the array of matching stories, newest first, to out; *total gets how many. */
static int s_stories_array(db_t *self, MDB_txn *txn, const char *q, size_t limit, json_t *out,
                           size_t *total)
{
    char *fq = q && *q ? db_web_fold(q) : NULL;
    s_entry_t *es = NULL;
    size_t ne = 0, cap = 0;
    MDB_cursor *c;
    int rc = mdb_cursor_open(txn, self->smember, &c);
    if (rc) {
        free(fq);
        return dbi_mdb(rc);
    }
    MDB_val k, v;
    char story[UTIL_ID_HEX + 1] = "";
    MDB_cursor_op op = MDB_FIRST;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        if (k.mv_size != 2 * UTIL_ID_HEX)
            continue;
        if (story[0] && memcmp(story, k.mv_data, UTIL_ID_HEX) == 0)
            continue;
        memcpy(story, k.mv_data, UTIL_ID_HEX);
        story[UTIL_ID_HEX] = 0;
        if (ne == cap) {
            cap = cap ? 2 * cap : 64;
            es = util_realloc(es, cap * sizeof *es);
        }
        bool keep;
        if ((rc = s_story_entry(self, txn, story, fq, &es[ne], &keep)) != 0)
            break;
        if (keep)
            ne++;
    }
    mdb_cursor_close(c);
    if (rc == MDB_NOTFOUND)
        rc = 0;
    if (ne > 1)   /* es is NULL when there is none: no NULL to qsort */
        qsort(es, ne, sizeof *es, s_entry_cmp);
    json_arr_begin(out);
    for (size_t i = 0; i < ne; i++) {
        if (!rc && (!limit || i < limit))
            json_raw(out, es[i].json, es[i].len);
        free(es[i].json);
    }
    json_arr_end(out);
    free(es);
    free(fq);
    *total = ne;
    return dbi_mdb(rc);
}

int db_web_stories(db_t *self, const char *q, size_t limit, json_t *out)
{
    if (!self || !out)
        return -EINVAL;
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    size_t total = 0;
    json_obj_begin(out);
    json_key(out, "stories");
    rc = s_stories_array(self, txn, q, limit, out, &total);
    json_key(out, "total");
    json_int(out, (int64_t)total);
    json_obj_end(out);
    mdb_txn_abort(txn);
    return rc;
}

/* ---------------------------------------------------------------- one story */

/* The member ids of a story, malloc'd (each and the array); *n gets how many. */
static int s_members_copy(db_t *self, MDB_txn *txn, const char *story, char ***out, size_t *n)
{
    dbi_arena_reset(&self->arena);
    char **ids;
    int rc = dbi_members(self, txn, story, &ids, n);
    *out = NULL;
    if (rc)
        return rc;
    *out = util_calloc(*n + 1, sizeof **out);
    for (size_t i = 0; i < *n; i++)
        (*out)[i] = util_strdup(ids[i]);
    return 0;
}

static void s_members_free(char **ids, size_t n)
{
    for (size_t i = 0; ids && i < n; i++)
        free(ids[i]);
    free(ids);
}

int db_web_story(db_t *self, const char *id, json_t *out)
{
    if (!self || !id || !out)
        return -EINVAL;
    if (!util_is_job_id(id, strlen(id)))
        return DB_ENOTFOUND;
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    char **ids = NULL;
    size_t n = 0;
    json_t *tmp = json_new();
    if ((rc = s_members_copy(self, txn, id, &ids, &n)) != 0)
        goto leave;
    if (n == 0) {
        rc = DB_ENOTFOUND;
        goto leave;
    }
    dbi_arena_reset(&self->arena);
    if ((rc = dbi_story_line(self, txn, id, tmp)) != 0)
        goto leave;
    json_obj_begin(out);
    json_key(out, "story");
    s_raw_line(out, tmp);
    json_key(out, "articles");
    json_arr_begin(out);
    for (size_t i = 0; i < n; i++) {
        dbi_arena_reset(&self->arena);
        Crossclaim__Result *r;
        if (dbi_load(self, txn, ids[i], &r) != 0 || !r)
            continue;
        json_reset(tmp);
        dbi_article_line(tmp, ids[i], r, id);
        s_raw_line(out, tmp);
    }
    json_arr_end(out);
    json_key(out, "attributions");
    json_arr_begin(out);
    for (size_t i = 0; i < n; i++) {
        dbi_arena_reset(&self->arena);
        Crossclaim__Result *r;
        if (dbi_load(self, txn, ids[i], &r) != 0 || !r)
            continue;
        for (size_t a = 0; a < r->n_attributions; a++) {
            json_reset(tmp);
            dbi_attribution_line(tmp, ids[i], r->attributions[a]);
            s_raw_line(out, tmp);
        }
    }
    json_arr_end(out);
    json_key(out, "facts");
    json_arr_begin(out);
    MDB_cursor *c;
    if ((rc = mdb_cursor_open(txn, self->xrefs, &c)) == 0) {
        s_story_cache_t sc = {{0}, NULL, 0};
        char pre[UTIL_ID_HEX + 1];
        memcpy(pre, id, UTIL_ID_HEX);
        pre[UTIL_ID_HEX] = '/';
        MDB_val k = {sizeof pre, pre}, v;
        MDB_cursor_op op = MDB_SET_RANGE;
        while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
            op = MDB_NEXT;
            if (k.mv_size < sizeof pre || memcmp(k.mv_data, pre, sizeof pre) != 0)
                break;
            dbi_arena_reset(&self->arena);
            Crossclaim__Xref *x = NULL;
            if (dbi_xref_read(self, txn, v.mv_data, v.mv_size, &x) != 0 || !x) {
                self->corrupt++;
                continue;
            }
            if ((rc = s_fact_call(self, txn, x, &sc, s_fact_to_json, out)) != 0)
                break;
        }
        if (rc == MDB_NOTFOUND)
            rc = 0;
        free(sc.title);
        mdb_cursor_close(c);
    }
    json_arr_end(out);
    json_obj_end(out);
leave:
    s_members_free(ids, n);
    json_destroy(&tmp);
    mdb_txn_abort(txn);
    return dbi_mdb(rc);
}

/* ---------------------------------------------------------------- one entity */

typedef struct {
    char id[UTIL_ID_HEX + 1];
    uint32_t n;
} s_sref_t;

static int s_sref_cmp(const void *a, const void *b)
{
    const s_sref_t *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return strcmp(x->id, y->id);
}

int db_web_entity(db_t *self, const char *key, json_t *out)
{
    if (!self || !key || !out)
        return -EINVAL;
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    json_t *tmp = json_new();
    s_sref_t *st = NULL;
    size_t ns = 0, cap = 0;
    MDB_cursor *c = NULL;
    MDB_val k, v;
    dbi_dbkey(self, key, &k);
    if ((rc = mdb_get(txn, self->entities, &k, &v)) != 0) {
        rc = rc == MDB_NOTFOUND ? DB_ENOTFOUND : dbi_mdb(rc);
        goto leave;
    }
    dbi_arena_reset(&self->arena);
    static const size_t none[DBI_LISTS] = {0};
    dbi_ent_t e;
    if ((rc = dbi_ent_parse(self, v.mv_data, v.mv_size, &e, none)) != 0)
        goto leave;
    dbi_entity_line(tmp, &e);
    json_obj_begin(out);
    json_key(out, "entity");
    s_raw_line(out, tmp);

    /* its stories: sentity holds story id + entity key -> articles naming it */
    /* and for "per:bill clinton", those of "per:clinton", which may hold him */
    size_t lk = strlen(key);
    const char *base = dbi_people_base(self, key, lk);
    size_t lb = base ? strlen(base) : 0;
    if ((rc = mdb_cursor_open(txn, self->sentity, &c)) != 0)
        goto leave_open;
    MDB_cursor_op op = MDB_FIRST;
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        const char *ek = (const char *)k.mv_data + UTIL_ID_HEX;
        bool own = k.mv_size == UTIL_ID_HEX + lk && memcmp(ek, key, lk) == 0;
        if ((!own && !(lb && k.mv_size == UTIL_ID_HEX + lb && memcmp(ek, base, lb) == 0))
            || v.mv_size != 4)
            continue;
        uint32_t cnt;
        memcpy(&cnt, v.mv_data, 4);
        size_t at = 0;
        while (at < ns && memcmp(st[at].id, k.mv_data, UTIL_ID_HEX) != 0)
            at++;
        if (at < ns) {      /* the story names both keys */
            st[at].n += cnt;
            continue;
        }
        if (ns == cap) {
            cap = cap ? 2 * cap : 16;
            st = util_realloc(st, cap * sizeof *st);
        }
        memcpy(st[ns].id, k.mv_data, UTIL_ID_HEX);
        st[ns].id[UTIL_ID_HEX] = 0;
        st[ns].n = cnt;
        ns++;
    }
    mdb_cursor_close(c);
    c = NULL;
    if (rc != MDB_NOTFOUND)
        goto leave_open;
    rc = 0;
    if (ns > 1)
        qsort(st, ns, sizeof *st, s_sref_cmp);
    json_key(out, "stories");
    json_arr_begin(out);
    for (size_t i = 0; i < ns && i < DB_WEB_STORIES; i++) {
        dbi_arena_reset(&self->arena);
        json_reset(tmp);
        if (dbi_story_line(self, txn, st[i].id, tmp) != 0)
            continue;
        json_obj_begin(out);
        json_key(out, "story");
        s_raw_line(out, tmp);
        json_key(out, "mentions");
        json_int(out, st[i].n);
        json_obj_end(out);
    }
    json_arr_end(out);

    /* what it said, and the articles naming it, from its stories' articles */
    json_t *arts = json_new();
    json_arr_begin(arts);
    json_key(out, "statements");
    json_arr_begin(out);
    size_t read = 0;
    for (size_t i = 0; !rc && i < ns && i < DB_WEB_STORIES && read < DB_WEB_MEMBERS; i++) {
        char **ids;
        size_t n;
        if ((rc = s_members_copy(self, txn, st[i].id, &ids, &n)) != 0)
            break;
        for (size_t m = 0; m < n && read < DB_WEB_MEMBERS; m++, read++) {
            dbi_arena_reset(&self->arena);
            Crossclaim__Result *r;
            if (dbi_load(self, txn, ids[m], &r) != 0 || !r)
                continue;
            const char *as = dbi_people_named(self, txn, key, r);
            bool names = as != NULL;
            const char *title = r->article ? s_str(r->article->title) : "";
            const char *outlet = r->article ? s_str(r->article->outlet) : "";
            if (names) {
                json_obj_begin(arts);
                json_key(arts, "id");
                json_str(arts, ids[m]);
                json_key(arts, "title");
                json_str(arts, title);
                json_key(arts, "outlet");
                json_str(arts, outlet);
                dbi_json_opt(arts, "published", r->article ? r->article->published : NULL);
                json_obj_end(arts);
            }
            for (size_t a = 0; a < r->n_attributions; a++) {
                const Crossclaim__Attribution *t = r->attributions[a];
                if (!t || !as || strcmp(s_str(t->speaker_entity), as) != 0)
                    continue;
                json_reset(tmp);
                dbi_attribution_line(tmp, ids[m], t);
                json_obj_begin(out);
                json_key(out, "attribution");
                s_raw_line(out, tmp);
                json_key(out, "title");
                json_str(out, title);
                json_key(out, "outlet");
                json_str(out, outlet);
                json_obj_end(out);
            }
        }
        s_members_free(ids, n);
    }
    json_arr_end(out);
    json_arr_end(arts);
    json_key(out, "articles");
    json_raw(out, json_data(arts), json_len(arts));
    json_destroy(&arts);
leave_open:
    json_obj_end(out);
leave:
    if (c)
        mdb_cursor_close(c);
    free(st);
    json_destroy(&tmp);
    mdb_txn_abort(txn);
    return rc == MDB_NOTFOUND ? 0 : dbi_mdb(rc);
}

/* ---------------------------------------------------------------- one article */

typedef struct {
    uint32_t start, end;
    const char *mark;
    size_t ref;
} s_mark_t;

static int s_mark_cmp(const void *a, const void *b)
{
    const s_mark_t *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end > y->end ? -1 : x->end < y->end;
}

static void s_add_mark(s_mark_t *m, size_t *n, const Crossclaim__Span *s, const char *mark,
                       size_t ref, size_t len)
{
    if (!s || s->end <= s->start || s->end > len)
        return;
    m[(*n)++] = (s_mark_t){s->start, s->end, mark, ref};
}

/* The text cut into segments at the claims' spans (overlapping spans: the first wins). */
static void s_segments(json_t *out, const Crossclaim__Result *r)
{
    const ProtobufCBinaryData *t = &r->article->text;
    size_t cap = r->n_quantities + 2 * r->n_attributions + 1, n = 0;
    s_mark_t *m = util_calloc(cap, sizeof *m);
    for (size_t i = 0; i < r->n_quantities; i++)
        s_add_mark(m, &n, r->quantities[i]->span, "quantity", i, t->len);
    for (size_t i = 0; i < r->n_attributions; i++) {
        s_add_mark(m, &n, r->attributions[i]->speaker, "speaker", i, t->len);
        s_add_mark(m, &n, r->attributions[i]->content, "content", i, t->len);
    }
    qsort(m, n, sizeof *m, s_mark_cmp);
    json_arr_begin(out);
    size_t at = 0;
    const char *text = (const char *)t->data;
    for (size_t i = 0; i <= n; i++) {
        size_t start = i < n ? m[i].start : t->len;
        if (i < n && start < at)
            continue;   /* inside an earlier span */
        if (start > at) {
            json_obj_begin(out);
            json_key(out, "text");
            json_strn(out, text + at, start - at);
            json_key(out, "mark");
            json_null(out);
            json_obj_end(out);
        }
        if (i == n)
            break;
        json_obj_begin(out);
        json_key(out, "text");
        json_strn(out, text + m[i].start, m[i].end - m[i].start);
        json_key(out, "mark");
        json_str(out, m[i].mark);
        json_key(out, "ref");
        json_int(out, (int64_t)m[i].ref);
        json_obj_end(out);
        at = m[i].end;
    }
    json_arr_end(out);
    free(m);
}

int db_web_article(db_t *self, const char *id, json_t *out)
{
    if (!self || !id || !out)
        return -EINVAL;
    if (!util_is_job_id(id, strlen(id)))
        return DB_ENOTFOUND;
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    dbi_arena_reset(&self->arena);
    Crossclaim__Result *r;
    char *story = NULL;
    json_t *tmp = json_new();
    if ((rc = dbi_load(self, txn, id, &r)) != 0)
        goto leave;
    if (!r) {
        rc = DB_ENOTFOUND;
        goto leave;
    }
    if ((rc = dbi_story_of(self, txn, id, &story)) != 0)
        goto leave;
    dbi_article_line(tmp, id, r, story);
    json_obj_begin(out);
    json_key(out, "article");
    s_raw_line(out, tmp);
    json_key(out, "quantities");
    json_arr_begin(out);
    for (size_t i = 0; i < r->n_quantities; i++) {
        json_reset(tmp);
        dbi_quantity_line(tmp, id, r->quantities[i]);
        s_raw_line(out, tmp);
    }
    json_arr_end(out);
    json_key(out, "facts");
    json_arr_begin(out);
    for (size_t i = 0; i < r->n_quantities; i++) {
        const char *qk = r->quantities[i]->key;
        if (dbi_empty(qk) || !story) {
            json_null(out);
            continue;
        }
        size_t need = UTIL_ID_HEX + 2 + strlen(qk);
        char *fk = util_malloc(need);
        snprintf(fk, need, "%s/%s", story, qk);
        MDB_val k, v;
        dbi_dbkey(self, fk, &k);
        json_str(out, mdb_get(txn, self->xrefs, &k, &v) == 0 ? fk : NULL);
        free(fk);
    }
    json_arr_end(out);
    json_key(out, "attributions");
    json_arr_begin(out);
    for (size_t i = 0; i < r->n_attributions; i++) {
        json_reset(tmp);
        dbi_attribution_line(tmp, id, r->attributions[i]);
        s_raw_line(out, tmp);
    }
    json_arr_end(out);
    json_key(out, "entities");
    json_arr_begin(out);
    for (size_t i = 0; i < r->n_entities; i++) {
        const Crossclaim__Entity *e = r->entities[i];
        if (!e || dbi_empty(e->key))
            continue;
        json_obj_begin(out);
        json_key(out, "key");
        json_str(out, e->key);
        json_key(out, "name");
        json_str(out, s_str(e->name));
        json_key(out, "kind");
        json_str(out, s_str(e->kind));
        json_obj_end(out);
    }
    json_arr_end(out);
    json_key(out, "segments");
    if (r->article && r->article->text.len > 0 && r->article->text.data)
        s_segments(out, r);
    else
        json_null(out);
    json_obj_end(out);
leave:
    json_destroy(&tmp);
    mdb_txn_abort(txn);
    return rc;
}

/* ---------------------------------------------------------------- search */

typedef struct {
    int64_t articles;
    char *json;
    size_t len;
} s_hit_t;

static int s_hit_cmp(const void *a, const void *b)
{
    const s_hit_t *x = a, *y = b;
    return (x->articles < y->articles) - (x->articles > y->articles);
}

static bool s_ent_matches(const dbi_ent_t *e, const char *fq)
{
    if (s_folded_has(e->key, e->key_len, fq))
        return true;
    for (int l = DBI_NAMES; l <= DBI_ALIASES; l++)
        for (size_t i = 0; i < e->n[l]; i++)
            if (s_folded_has(e->list[l][i].s, e->list[l][i].len, fq))
                return true;
    return false;
}

int db_web_search(db_t *self, const char *q, size_t limit, json_t *out)
{
    if (!self || !out)
        return -EINVAL;
    if (!limit)
        limit = DB_WEB_SEARCH;
    json_obj_begin(out);
    if (!q || !*q) {
        json_key(out, "entities");
        json_arr_begin(out);
        json_arr_end(out);
        json_key(out, "stories");
        json_arr_begin(out);
        json_arr_end(out);
        json_obj_end(out);
        return 0;
    }
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc) {
        json_obj_end(out);
        return rc;
    }
    char *fq = db_web_fold(q);
    s_hit_t *hits = NULL;
    size_t nh = 0, cap = 0;
    MDB_cursor *c;
    json_t *tmp = json_new();
    if ((rc = mdb_cursor_open(txn, self->entities, &c)) == 0) {
        MDB_val k, v;
        MDB_cursor_op op = MDB_FIRST;
        static const size_t none[DBI_LISTS] = {0};
        while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
            op = MDB_NEXT;
            dbi_arena_reset(&self->arena);
            dbi_ent_t e;
            if (dbi_ent_parse(self, v.mv_data, v.mv_size, &e, none) != 0)
                continue;
            if (!s_ent_matches(&e, fq))
                continue;
            json_reset(tmp);
            dbi_entity_line(tmp, &e);
            if (nh == cap) {
                cap = cap ? 2 * cap : 32;
                hits = util_realloc(hits, cap * sizeof *hits);
            }
            size_t n = json_len(tmp);
            while (n && json_data(tmp)[n - 1] == '\n')
                n--;
            hits[nh++] = (s_hit_t){e.articles, util_strndup(json_data(tmp), n), n};
        }
        mdb_cursor_close(c);
        if (rc == MDB_NOTFOUND)
            rc = 0;
    }
    if (nh > 1)   /* hits is NULL when nothing matched */
        qsort(hits, nh, sizeof *hits, s_hit_cmp);
    json_key(out, "entities");
    json_arr_begin(out);
    for (size_t i = 0; i < nh; i++) {
        if (i < limit)
            json_raw(out, hits[i].json, hits[i].len);
        free(hits[i].json);
    }
    json_arr_end(out);
    free(hits);
    json_key(out, "stories");
    size_t total;
    if (!rc)
        rc = s_stories_array(self, txn, q, limit, out, &total);
    else {
        json_arr_begin(out);
        json_arr_end(out);
    }
    json_obj_end(out);
    json_destroy(&tmp);
    free(fq);
    mdb_txn_abort(txn);
    return dbi_mdb(rc);
}
