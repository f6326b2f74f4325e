/*  test_merge: the store's database (store/db.c) on a real LMDB in a temp dir: cluster
    status and independent sources, idempotent redelivery and replacement, entity
    aggregation, the export's exact field names, the feed log, and a read-only open while
    a writer is open. Results are built as protobuf-c structs, as a worker would send. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db.h"
#include <lmdb.h>
#include "util.h"

#define CHECK(expr)                                                                        \
    do {                                                                                   \
        int rc_ = (expr);                                                                  \
        cr_assert_eq(rc_, 0, "%s -> %d: %s", #expr, rc_, db_strerror(rc_));               \
    } while (0)

/* ------------------------------------------------------------- building results */

#define MAXN 8

typedef struct {
    Crossclaim__Result r;
    Crossclaim__Article a;
    Crossclaim__Quantity q[MAXN];
    Crossclaim__Quantity *qp[MAXN];
    Crossclaim__Span qs[MAXN];
    Crossclaim__Entity e[MAXN];
    Crossclaim__Entity *ep[MAXN];
    char *al[MAXN][4];
    Crossclaim__Attribution t[MAXN];
    Crossclaim__Attribution *tp[MAXN];
    Crossclaim__Span ts[MAXN][3];
    char *warn[1];
    Crossclaim__StoryTerm term, term2;
    Crossclaim__StoryTerm *termp[2];
    char *wire[1];
    char id[UTIL_ID_HEX + 1];
    char source[64];
} res_t;

/* An article named `name` (its id is the hash of the name) from `outlet`. */
static void res_init(res_t *x, const char *name, const char *outlet, uint64_t simhash)
{
    memset(x, 0, sizeof *x);
    crossclaim__result__init(&x->r);
    crossclaim__article__init(&x->a);
    util_job_id(name, strlen(name), "", 0, x->id);
    snprintf(x->source, sizeof x->source, "/corpus/%s.txt", name);
    x->a.id = x->id;
    x->a.source = x->source;
    x->a.title = (char *)name;
    x->a.outlet = (char *)outlet;
    x->a.published = "2020-02-10";
    x->r.job_id = x->id;
    x->r.article = &x->a;
    x->r.simhash = simhash;
    x->r.encoding = "utf-8";
    x->r.text_bytes = 10000;
    x->r.worker = "w1";
    x->r.quantities = x->qp;
    x->r.entities = x->ep;
    x->r.attributions = x->tp;
    /* every test article is about one event, so all of them make one story */
    crossclaim__story_term__init(&x->term);
    x->term.term = "e:idlib";
    x->term.weight = 0.6f;
    crossclaim__story_term__init(&x->term2);
    x->term2.term = "w:attack";
    x->term2.weight = 0.4f;
    x->termp[0] = &x->term;
    x->termp[1] = &x->term2;
    x->r.terms = x->termp;
    x->r.n_terms = 2;
}

/* The article credits wire service `w`. */
static void res_wire(res_t *x, const char *w)
{
    x->wire[0] = (char *)w;
    x->r.wire = x->wire;
    x->r.n_wire = 1;
}

/* The last claim's value interval (frame.h): [low, high], high open when `open_high`. */
static void res_iv(res_t *x, double low, double high, bool open_high)
{
    Crossclaim__Quantity *q = &x->q[x->r.n_quantities - 1];
    q->low = low;
    q->high = high;
    q->open_high = open_high;
}

static void res_qty(res_t *x, const char *key, double v, bool approx, const char *text)
{
    size_t i = x->r.n_quantities++;
    cr_assert_lt(i, MAXN);
    crossclaim__quantity__init(&x->q[i]);
    crossclaim__span__init(&x->qs[i]);
    x->qs[i].start = (uint32_t)(100 * i);
    x->qs[i].end = (uint32_t)(100 * i + strlen(text));
    x->qs[i].text = (char *)text;
    x->q[i].value = v;
    x->q[i].approx = approx;
    x->q[i].span = &x->qs[i];
    x->q[i].subject = "turkish soldiers";
    x->q[i].predicate = "killed";
    x->q[i].key = (char *)key;
    x->qp[i] = &x->q[i];
}

static void res_ent(res_t *x, const char *key, const char *name, const char *kind,
                    const char *alias)
{
    size_t i = x->r.n_entities++;
    cr_assert_lt(i, MAXN);
    crossclaim__entity__init(&x->e[i]);
    x->e[i].key = (char *)key;
    x->e[i].name = (char *)name;
    x->e[i].kind = (char *)kind;
    if (alias) {
        x->al[i][0] = (char *)alias;
        x->e[i].aliases = x->al[i];
        x->e[i].n_aliases = 1;
    }
    x->e[i].mentions = 1;
    x->ep[i] = &x->e[i];
}

static void res_attr(res_t *x, const char *speaker, const char *entity, bool direct)
{
    size_t i = x->r.n_attributions++;
    cr_assert_lt(i, MAXN);
    crossclaim__attribution__init(&x->t[i]);
    static const char *text[3] = {NULL, "said", "the attack was \"unacceptable\""};
    static const uint32_t at[3][2] = {{0, 0}, {20, 24}, {30, 60}};
    for (int s = 0; s < 3; s++) {
        crossclaim__span__init(&x->ts[i][s]);
        x->ts[i][s].start = at[s][0];
        x->ts[i][s].end = s == 0 ? (uint32_t)strlen(speaker) : at[s][1];
        x->ts[i][s].text = (char *)(s == 0 ? speaker : text[s]);
    }
    x->t[i].speaker = &x->ts[i][0];
    x->t[i].speaker_entity = (char *)entity;
    x->t[i].cue = &x->ts[i][1];
    x->t[i].content = &x->ts[i][2];
    x->t[i].addressee = NULL; /* null span */
    x->t[i].direct = direct;
    x->tp[i] = &x->t[i];
}

/* ------------------------------------------------------------- fixture */

static char dir[64];
static db_t *db;

static void setup(void)
{
    strcpy(dir, "/tmp/cc-merge-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    CHECK(db_open(dir, false, &db));
}

static void teardown(void)
{
    db_destroy(&db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    (void)system(cmd);
}

static void merge1(const res_t *x)
{
    CHECK(db_begin(db));
    CHECK(db_merge(db, &x->r));
    CHECK(db_commit(db, NULL));
}

typedef struct {
    const char *frame;
    char *line;
} s_find_t;

static int s_find_frame(void *arg, const char *line, size_t len)
{
    s_find_t *f = arg;
    size_t n = strlen(f->frame) + 16;
    char *pat = malloc(n);
    snprintf(pat, n, "\"frame\":\"%s\"", f->frame);
    if (strstr(line, pat) && !f->line)
        f->line = util_strndup(line, len);
    free(pat);
    return 0;
}

/* The export line of the xref whose frame key is `key` (caller frees), or NULL. The test
   articles all make one story, so a frame names one xref; its full key is looked up
   again by key to check db_xref_json too. */
static char *xref(const char *key)
{
    s_find_t f = {key, NULL};
    CHECK(db_dump(db, DB_XREFS, NULL, s_find_frame, &f));
    if (!f.line)
        return NULL;
    char full[2048];
    const char *k = strstr(f.line, "\"key\":\"");
    cr_assert_not_null(k);
    k += 7;
    size_t n = 0;
    while (k[n] && k[n] != '"' && n + 1 < sizeof full)
        n++;
    memcpy(full, k, n);
    full[n] = 0;
    json_t *j = json_new();
    int rc = db_xref_json(db, full, j);
    cr_expect_eq(rc, 0, "db_xref_json(%s): %s", full, db_strerror(rc));
    if (rc == 0)
        cr_expect_str_eq(json_data(j), f.line);
    json_destroy(&j);
    return f.line;
}

static char *entity(const char *key)
{
    json_t *j = json_new();
    int rc = db_entity_json(db, key, j);
    char *s = rc == 0 ? util_strdup(json_data(j)) : NULL;
    json_destroy(&j);
    return s;
}

/* Value of "name":"..." in a JSON line, into out. */
static const char *field_str(const char *line, const char *name, char *out, size_t cap)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":\"", name);
    const char *p = strstr(line, pat);
    cr_assert_not_null(p, "no string field %s in %s", name, line);
    p += strlen(pat);
    size_t n = 0;
    while (p[n] && p[n] != '"' && n + 1 < cap)
        n++;
    memcpy(out, p, n);
    out[n] = 0;
    return out;
}

static long field_int(const char *line, const char *name)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", name);
    const char *p = strstr(line, pat);
    cr_assert_not_null(p, "no field %s in %s", name, line);
    return strtol(p + strlen(pat), NULL, 10);
}

static void expect_xref(const char *key, const char *status, long sources)
{
    char *x = xref(key);
    cr_assert_not_null(x, "no xref %s", key);
    char st[32];
    field_str(x, "status", st, sizeof st);
    cr_expect_str_eq(st, status, "status of %s: %s", key, x);
    cr_expect_eq(field_int(x, "sources"), sources, "sources of %s: %s", key, x);
    free(x);
}

#define K "killed|turkish soldiers|idlib|2020-02-03"

TestSuite(merge, .init = setup, .fini = teardown);

/* ------------------------------------------------------------- clusters */

Test(merge, single_corroborated_conflict)
{
    res_t a, b, c;
    res_init(&a, "a", "aljazeera", 0x1111000011110000ull);
    res_qty(&a, K, 7, false, "seven Turkish soldiers");
    merge1(&a);
    expect_xref(K, "single", 1);

    res_init(&b, "b", "reuters", 0x2222000022220000ull);
    res_qty(&b, K, 7, false, "7 Turkish soldiers");
    merge1(&b);
    expect_xref(K, "corroborated", 2);

    res_init(&c, "c", "dailysabah", 0x4444000044440000ull);
    res_qty(&c, K, 5, false, "five soldiers");
    merge1(&c);
    expect_xref(K, "conflict", 3);

    db_stats_t st;
    CHECK(db_stats(db, &st));
    cr_expect_eq(st.articles, 3);
    cr_expect_eq(st.claims, 3);
    cr_expect_eq(st.xrefs, 1);
    cr_expect_eq(st.conflicts, 1);
    cr_expect_eq(st.corroborated, 0);
}

Test(merge, same_outlet_is_one_source)
{
    res_t a, b;
    res_init(&a, "a", "reuters", 0x1ull << 40);
    res_qty(&a, K, 7, false, "seven");
    res_init(&b, "b", "reuters", 0xffffull);
    res_qty(&b, K, 7, false, "seven");
    CHECK(db_begin(db));
    CHECK(db_merge(db, &a.r));
    CHECK(db_merge(db, &b.r));
    CHECK(db_commit(db, NULL));
    expect_xref(K, "single", 1);
}

Test(merge, open_interval_meets_values_inside_it)
{
    res_t a, b, c;
    res_init(&a, "a", "o1", 1);
    res_qty(&a, K, 56, true, "at least 56");
    res_iv(&a, 56, 0, true);
    res_init(&b, "b", "o2", 0xf0f0f0f0f0f0f0f0ull);
    res_qty(&b, K, 60, false, "60");
    res_init(&c, "c", "o3", 0x0f0f0f0f0f0f0f0full);
    res_qty(&c, K, 60.0000000001, false, "60"); /* equal after rounding to 1e-9 */
    CHECK(db_begin(db));
    CHECK(db_merge(db, &a.r));
    CHECK(db_merge(db, &b.r));
    CHECK(db_merge(db, &c.r));
    CHECK(db_commit(db, NULL));
    expect_xref(K, "corroborated", 3);
}

Test(merge, wire_copies_are_one_source)
{
    res_t a, b, c, d;
    res_init(&a, "a", "site-one", 1);
    res_qty(&a, K, 7, false, "seven");
    res_wire(&a, "ap");
    res_init(&b, "b", "site-two", 2);
    res_qty(&b, K, 7, false, "seven");
    res_wire(&b, "ap");
    merge1(&a);
    merge1(&b);
    expect_xref(K, "single", 1);

    res_init(&c, "c", "site-three", 3);
    res_qty(&c, K, 7, false, "seven");
    merge1(&c);
    expect_xref(K, "corroborated", 2);

    /* copies of one wire story that disagree are one confused source, not a conflict,
       and it takes no side */
    res_init(&d, "d", "site-four", 4);
    res_qty(&d, K, 9, false, "nine");
    res_wire(&d, "ap");
    merge1(&d);
    expect_xref(K, "single", 2);
}

Test(merge, one_article_listing_values_is_no_conflict)
{
    res_t a, b;
    res_init(&a, "a", "o1", 1);
    res_qty(&a, K, 7, false, "seven");
    res_qty(&a, K, 12, false, "twelve");
    res_init(&b, "b", "o2", 2);
    res_qty(&b, K, 5, false, "five");
    merge1(&a);
    merge1(&b);
    /* a disagrees with itself, so it takes no side: b stands alone */
    expect_xref(K, "single", 2);
}

Test(merge, other_story_never_meets)
{
    res_t a, b;
    res_init(&a, "a", "o1", 1);
    res_qty(&a, K, 7, false, "seven");
    res_init(&b, "b", "o2", 2);
    res_qty(&b, K, 5, false, "five");
    b.term.term = "e:aleppo";   /* another event */
    b.term2.term = "w:flood";
    merge1(&a);
    merge1(&b);
    db_stats_t st;
    CHECK(db_stats(db, &st));
    cr_expect_eq(st.xrefs, 2, "one fact in each story");
    cr_expect_eq(st.conflicts, 0);
}

/* ------------------------------------------------------------- idempotence */

Test(merge, redelivery_changes_nothing)
{
    res_t a, b;
    res_init(&a, "a", "o1", 0x1234ull << 32);
    res_qty(&a, K, 7, false, "seven");
    res_qty(&a, "posts|observation posts|idlib", 12, false, "12 posts");
    res_ent(&a, "per:recep tayyip erdogan", "Recep Tayyip Erdogan", "person", "Erdogan");
    res_attr(&a, "Erdogan", "per:recep tayyip erdogan", false);
    res_init(&b, "b", "o2", 0x4321ull);
    res_qty(&b, K, 7, false, "7");
    res_ent(&b, "per:recep tayyip erdogan", "Erdogan", "person", NULL);
    merge1(&a);
    merge1(&b);

    db_stats_t st0, st1;
    CHECK(db_stats(db, &st0));
    char *x0 = xref(K), *e0 = entity("per:recep tayyip erdogan");

    /* The same result twice more, from another worker, one of them in a batch with b. */
    a.r.worker = "w2";
    a.r.extract_seconds = 0.5;
    merge1(&a);
    CHECK(db_begin(db));
    CHECK(db_merge(db, &b.r));
    CHECK(db_merge(db, &a.r));
    CHECK(db_commit(db, NULL));

    CHECK(db_stats(db, &st1));
    char *x1 = xref(K), *e1 = entity("per:recep tayyip erdogan");
    cr_expect_str_eq(x1, x0);
    cr_expect_str_eq(e1, e0);
    cr_expect_eq(st1.articles, st0.articles);
    cr_expect_eq(st1.claims, st0.claims);
    cr_expect_eq(st1.claims, 3);
    cr_expect_eq(st1.attributions, 1);
    cr_expect_eq(st1.entities, st0.entities);
    cr_expect_eq(st1.xrefs, st0.xrefs);
    cr_expect_eq(st1.corroborated, 1);
    cr_expect_eq(st1.seq, st0.seq, "no update for an unchanged redelivery");
    cr_expect_eq(field_int(e1, "articles"), 2);
    cr_expect_eq(field_int(x1, "sources"), 2);
    free(x0);
    free(x1);
    free(e0);
    free(e1);
}

Test(merge, remerge_replaces_claims)
{
    res_t a, b, a2;
    res_init(&a, "a", "o1", 0x0123456789abcdefull);
    res_qty(&a, K, 7, false, "seven");
    res_qty(&a, "posts|observation posts|idlib", 12, false, "12 posts");
    res_ent(&a, "org:sohr", "Syrian Observatory for Human Rights", "org", "SOHR");
    res_init(&b, "b", "o2", 0xfedcba9876543210ull);
    res_qty(&b, K, 5, false, "five");
    res_ent(&b, "org:sohr", "Syrian Observatory for Human Rights", "org", NULL);
    merge1(&a);
    merge1(&b);
    expect_xref(K, "conflict", 2);

    /* A new extraction of article a now says 5, mentions no SOHR and no posts. */
    res_init(&a2, "a", "o1", 0x0123456789abcdefull);
    res_qty(&a2, K, 5, false, "five");
    merge1(&a2);
    expect_xref(K, "corroborated", 2);
    char *p = xref("posts|observation posts|idlib");
    cr_expect_null(p, "cluster with no claims left is gone: %s", p);
    free(p);
    char *x = xref(K);
    cr_expect_null(strstr(x, "\"value\":7"), "old claim gone: %s", x);
    free(x);
    char *e = entity("org:sohr");
    cr_assert_not_null(e);
    cr_expect_eq(field_int(e, "articles"), 1, "%s", e);
    cr_expect_null(strstr(e, "SOHR"), "alias only a gave is gone: %s", e);
    free(e);

    db_stats_t st;
    CHECK(db_stats(db, &st));
    cr_expect_eq(st.articles, 2);
    cr_expect_eq(st.claims, 2);
    cr_expect_eq(st.xrefs, 1);
    cr_expect_eq(st.conflicts, 0);
    cr_expect_eq(st.corroborated, 1);
}

/* ------------------------------------------------------------- entities */

Test(merge, entity_aggregation)
{
    const char *key = "per:recep tayyip erdogan";
    res_t a, b, c;
    res_init(&a, "a", "o1", 1);
    res_ent(&a, key, "Recep Tayyip Erdogan", "person", "Erdogan");
    res_init(&b, "b", "o2", 2);
    res_ent(&b, key, "Erdoğan", "person", "Tayyip Erdogan");
    res_init(&c, "c", "o3", 3);
    res_ent(&c, key, "Recep Tayyip Erdogan", "person", "Erdoğan");
    merge1(&a);
    merge1(&b);

    /* One each: the tie goes to the longest form. */
    char *e = entity(key), name[64], kind[16];
    cr_assert_not_null(e);
    cr_expect_str_eq(field_str(e, "name", name, sizeof name), "Recep Tayyip Erdogan", "%s", e);
    free(e);

    merge1(&c);
    e = entity(key);
    cr_expect_str_eq(field_str(e, "name", name, sizeof name), "Recep Tayyip Erdogan");
    cr_expect_str_eq(field_str(e, "kind", kind, sizeof kind), "person");
    cr_expect_eq(field_int(e, "articles"), 3, "%s", e);
    const char *al = strstr(e, "\"aliases\":[");
    cr_assert_not_null(al, "%s", e);
    cr_expect_not_null(strstr(al, "\"Erdogan\""), "%s", e);
    cr_expect_not_null(strstr(al, "\"Erdoğan\""), "%s", e);
    cr_expect_not_null(strstr(al, "\"Tayyip Erdogan\""), "%s", e);
    cr_expect_null(strstr(al, "\"Recep Tayyip Erdogan\""), "the name is not an alias: %s", e);
    /* "Erdoğan" came as b's name and as c's alias: listed once. */
    const char *first = strstr(al, "\"Erdoğan\"");
    cr_expect_null(first ? strstr(first + 1, "\"Erdoğan\"") : NULL, "deduped: %s", e);
    free(e);

    /* Now the short form wins by count. */
    res_t d, f;
    res_init(&d, "d", "o4", 4);
    res_ent(&d, key, "Erdoğan", "person", NULL);
    res_init(&f, "f", "o5", 5);
    res_ent(&f, key, "Erdoğan", "person", NULL);
    merge1(&d);
    merge1(&f);
    e = entity(key);
    cr_expect_str_eq(field_str(e, "name", name, sizeof name), "Erdoğan", "%s", e);
    cr_expect_eq(field_int(e, "articles"), 5);
    free(e);
    merge1(&f);
    e = entity(key);
    cr_expect_eq(field_int(e, "articles"), 5, "redelivery counts once");
    free(e);
}

/* Entity lines of the export (a walk of DB_ENTITIES), appended to a string. */
static int s_cat(void *arg, const char *line, size_t len)
{
    char **s = arg;
    size_t n = *s ? strlen(*s) : 0;
    *s = util_realloc(*s, n + len + 1);
    memcpy(*s + n, line, len);
    (*s)[n + len] = 0;
    return 0;
}

/* The feed folded as a consumer folds it: each entity topic's last line, deletes
   dropping theirs. */
typedef struct {
    char *key[32], *line[32];
    int n;
} s_fold_t;

static int s_fold_update(void *arg, uint64_t seq, const char *topic, size_t tl,
                         const uint8_t *u, size_t ul)
{
    (void)seq;
    s_fold_t *f = arg;
    if (tl < 7 || memcmp(topic, "entity.", 7) != 0)
        return 0;
    Crossclaim__Update *up = crossclaim__update__unpack(NULL, ul, u);
    cr_assert_not_null(up);
    int i = 0;
    while (i < f->n && strcmp(f->key[i], up->key) != 0)
        i++;
    if (i == f->n) {
        cr_assert_lt(f->n, 32);
        f->key[f->n] = util_strdup(up->key);
        f->line[f->n++] = NULL;
    }
    free(f->line[i]);
    char *line = util_strndup((const char *)up->json.data, up->json.len);  /* no NUL there */
    bool gone = strstr(line, "\"deleted\":true") != NULL;
    f->line[i] = gone ? NULL : line;
    if (gone)
        free(line);
    crossclaim__update__free_unpacked(up, NULL);
    return 0;
}

/* The entity export, and checks that the folded feed holds the same lines. */
static char *s_entities_checked(void)
{
    char *all = NULL;
    CHECK(db_dump(db, DB_ENTITIES, NULL, s_cat, &all));
    s_fold_t f = {0};
    CHECK(db_feed_since(db, 0, NULL, s_fold_update, &f));
    size_t lines = 0;
    for (const char *p = all; p && *p; p++)
        lines += *p == '\n';
    size_t live = 0;
    for (int i = 0; i < f.n; i++) {
        if (f.line[i]) {
            live++;
            cr_expect_not_null(strstr(all, f.line[i]), "the feed's %s is exported: %s",
                               f.key[i], all);
        }
        free(f.key[i]);
        free(f.line[i]);
    }
    cr_expect_eq(live, lines, "the feed holds every exported entity and no other: %s", all);
    return all;
}

static char *s_line_of(const char *all, const char *key)
{
    char pat[128];
    snprintf(pat, sizeof pat, "\"key\":\"%s\"", key);
    const char *p = strstr(all, pat);
    if (!p)
        return NULL;
    while (p > all && p[-1] != '\n')
        p--;
    const char *e = strchr(p, '\n');
    return util_strndup(p, e ? (size_t)(e - p) : strlen(p));
}

/* The record `key` of entity lines `all` exists, is named `name` and counts `articles`. */
static void s_expect_person(const char *all, const char *key, const char *name, long articles)
{
    char *line = s_line_of(all, key), got[64];
    cr_assert_not_null(line, "no %s in %s", key, all);
    cr_expect_str_eq(field_str(line, "name", got, sizeof got), name, "%s", line);
    cr_expect_eq(field_int(line, "articles"), articles, "%s", line);
    free(line);
}

/* The id of the test article named `name`. */
static const char *s_id(const char *name)
{
    static char id[UTIL_ID_HEX + 1];
    util_job_id(name, strlen(name), "", 0, id);
    return id;
}

/* Two people of one surname in different articles (each alone with its surname there,
   so both keyed "per:whitcombe") are two records; forms that share a given name are one. */
Test(merge, namesakes_of_a_surname_are_two_records)
{
    static const char *forms[][3] = {
        {"a", "Dana Whitcombe", NULL}, {"b", "Dana R. Whitcombe", NULL},
        {"c", "Dana Whitcombe", "Senator Dana Whitcombe"}, {"j", "Dana Whitcombe", NULL},
        {"d", "Rob Whitcombe", "Whitcombe"}, {"e", "Robert Whitcombe", NULL},
        {"k", "Rob Whitcombe", NULL}, {"f", "Whitcombe", NULL},
    };
    enum { N = 8 };
    for (int i = 0; i < N; i++) {
        res_t x;
        res_init(&x, forms[i][0], "o1", (uint64_t)i + 1);
        res_ent(&x, "per:whitcombe", forms[i][1], "person", forms[i][2]);
        if (i == 0 || i == 4)
            res_attr(&x, forms[i][1], "per:whitcombe", true);
        merge1(&x);
    }
    /* an article that named both, where the worker keyed Rob by his given name */
    res_t g;
    res_init(&g, "g", "o2", 20);
    res_ent(&g, "per:rob whitcombe", "Rob Whitcombe", "person", NULL);
    merge1(&g);

    char *all = s_entities_checked(), name[64];
    char *dana = s_line_of(all, "per:whitcombe"), *rob = s_line_of(all, "per:rob whitcombe");
    cr_assert_not_null(dana, "%s", all);
    cr_assert_not_null(rob, "%s", all);
    cr_expect_str_eq(field_str(dana, "name", name, sizeof name), "Dana Whitcombe", "%s", dana);
    cr_expect_eq(field_int(dana, "articles"), 5, "a, b, c, j and the bare f: %s", dana);
    cr_expect_not_null(strstr(dana, "\"Dana R. Whitcombe\""), "%s", dana);
    cr_expect_not_null(strstr(dana, "\"Senator Dana Whitcombe\""), "%s", dana);
    cr_expect_null(strstr(dana, "Rob"), "%s", dana);
    cr_expect_str_eq(field_str(rob, "name", name, sizeof name), "Rob Whitcombe", "%s", rob);
    cr_expect_eq(field_int(rob, "articles"), 4, "d, e (Robert), k and g: %s", rob);
    cr_expect_not_null(strstr(rob, "\"Robert Whitcombe\""), "%s", rob);
    cr_expect_null(strstr(rob, "Dana"), "%s", rob);
    cr_expect_null(s_line_of(all, "per:robert whitcombe"), "%s", all);
    /* db_entity_json reads the same records */
    char *one = entity("per:rob whitcombe");
    cr_assert_not_null(one);
    cr_expect_eq(strncmp(one, rob, strlen(rob)), 0, "%s against %s", one, rob);
    free(one);
    /* found by name, with his articles and his statements only */
    char *found = NULL;
    CHECK(db_entity_find(db, "Rob Whitcombe", 0, s_cat, &found));
    cr_assert_not_null(found);
    char *first = s_line_of(found, "per:rob whitcombe");
    cr_assert_not_null(first, "%s", found);
    cr_expect_eq(strncmp(found, first, strlen(first)), 0, "his record first: %s", found);
    char said[80];
    snprintf(said, sizeof said, "\"article\":\"%s\"", s_id("d"));
    cr_expect_not_null(strstr(first, said), "d's statement: %s", first);
    snprintf(said, sizeof said, "\"article\":\"%s\"", s_id("a"));
    cr_expect_null(strstr(first, said), "not Dana's: %s", first);
    cr_expect_eq(field_int(first, "statements_total"), 1, "%s", first);
    const char *in = strstr(first, "\"in_articles\":[");
    cr_assert_not_null(in, "%s", first);
    size_t n_in = 0;
    for (const char *p = in; (p = strstr(p, "\"as\":")) && p < strstr(in, "]"); p++)
        n_in++;
    cr_expect_eq(n_in, 4, "d, e, k and g: %s", first);
    free(first);
    free(found);
    free(dana);
    free(rob);
    free(all);

    /* Rob's articles outnumber Dana's: he takes the surname's key, and Dana takes hers. */
    for (int i = 0; i < 2; i++) {
        res_t y;
        res_init(&y, i ? "i" : "h", "o3", (uint64_t)i + 30);
        res_ent(&y, "per:whitcombe", "Rob Whitcombe", "person", NULL);
        merge1(&y);
    }
    all = s_entities_checked();
    s_expect_person(all, "per:whitcombe", "Rob Whitcombe", 6);     /* d, e, k, h, i, f */
    s_expect_person(all, "per:dana whitcombe", "Dana Whitcombe", 4);
    free(all);

    /* Rob's articles under the surname go again (merged without the entity): Dana is
       left under the key, and every record follows. */
    static const char *gone[] = {"d", "e", "k", "h", "i"};
    for (int i = 0; i < 5; i++) {
        res_t z;
        res_init(&z, gone[i], "o1", (uint64_t)i + 40);
        merge1(&z);
    }
    all = s_entities_checked();
    cr_expect_null(s_line_of(all, "per:dana whitcombe"), "%s", all);
    s_expect_person(all, "per:whitcombe", "Dana Whitcombe", 5);
    s_expect_person(all, "per:rob whitcombe", "Rob Whitcombe", 1);    /* g alone */
    free(all);
}

/* The records a surname's people make do not depend on the order their articles came. */
Test(merge, namesakes_do_not_depend_on_arrival_order)
{
    static const char *forms[] = {
        "Hope Marlow", "Donna Marlow", "Hope E. Marlow", "Marlow", "Donna Marlow", "Don Marlow",
    };
    char *out[2] = {NULL, NULL};
    for (int order = 0; order < 2; order++) {
        if (order) {
            teardown();
            setup();
        }
        for (int n = 0; n < 6; n++) {
            int i = order ? 5 - n : n;
            res_t x;
            char name[8];
            snprintf(name, sizeof name, "a%d", i);
            res_init(&x, name, "o1", (uint64_t)i + 1);
            res_ent(&x, "per:marlow", forms[i], "person", NULL);
            merge1(&x);
        }
        out[order] = s_entities_checked();
    }
    cr_expect_str_eq(out[0], out[1]);
    cr_expect_not_null(strstr(out[0], "\"key\":\"per:hope marlow\""), "%s", out[0]);
    free(out[0]);
    free(out[1]);
}

Test(merge, long_keys)
{
    char key[1200];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = 0;
    res_t a, b;
    res_init(&a, "a", "o1", 1);
    res_qty(&a, key, 3, false, "three");
    res_ent(&a, key, "Long", "other", NULL);
    res_init(&b, "b", "o2", 0xfff0fff0fff0ull);
    res_qty(&b, key, 3, false, "3");
    merge1(&a);
    merge1(&b);
    expect_xref(key, "corroborated", 2);
    char *e = entity(key);
    cr_assert_not_null(e);
    cr_expect_not_null(strstr(e, key));
    free(e);
}

Test(merge, bad_input_and_state)
{
    res_t a;
    res_init(&a, "a", "o1", 1);
    cr_expect_eq(db_merge(db, &a.r), DB_ESTATE);
    cr_expect_eq(db_commit(db, NULL), DB_ESTATE);
    CHECK(db_begin(db));
    cr_expect_eq(db_begin(db), DB_ESTATE);
    a.r.article = NULL;
    cr_expect_eq(db_merge(db, &a.r), DB_EINPUT);
    res_init(&a, "a", "o1", 1);
    a.a.id = "not-an-id";
    a.r.job_id = "nope";
    cr_expect_eq(db_merge(db, &a.r), DB_EINPUT);
    CHECK(db_commit(db, NULL));
    cr_expect_str_neq(db_strerror(DB_ECORRUPT), "unknown error");
    json_t *j = json_new();
    cr_expect_eq(db_xref_json(db, "nope", j), DB_ENOTFOUND);
    cr_expect_eq(db_article_json(db, "nope", j), DB_ENOTFOUND);
    json_destroy(&j);
}

/* ------------------------------------------------------------- export */

static res_t *fill(void)
{
    static res_t a, b;
    res_init(&a, "a", "aljazeera", 0xabcdef0123456789ull);
    res_qty(&a, K, 7, false, "seven Turkish soldiers");
    res_ent(&a, "per:recep tayyip erdogan", "Recep Tayyip Erdogan", "person", "Erdogan");
    res_attr(&a, "Erdogan", "per:recep tayyip erdogan", true);
    a.r.warnings = a.warn;
    a.warn[0] = "not valid UTF-8: decoded as Windows-1252";
    a.r.n_warnings = 1;
    a.r.encoding = "windows-1252";
    res_init(&b, "b", "reuters", 0x1ull);
    b.a.published = "";
    res_qty(&b, K, 5, false, "five");
    b.q[0].place = "idlib";
    b.q[0].time = "2020-02-03";
    CHECK(db_begin(db));
    CHECK(db_merge(db, &a.r));
    CHECK(db_merge(db, &b.r));
    CHECK(db_commit(db, NULL));
    return &a;
}

Test(merge, export_fields)
{
    res_t *a = fill();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(db_export(db, f));
    fclose(f);

    int order = 0, n[6] = {0};
    static const char *types[] = {"article", "attribution", "quantity", "entity", "xref",
                                  "story"};
    for (char *line = buf, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        cr_assert_not_null(nl, "every line ends with a newline");
        *nl = 0;
        cr_assert_eq(line[0], '{');
        cr_assert_eq(nl[-1], '}');
        char type[16];
        field_str(line, "type", type, sizeof type);
        int t = 0;
        while (t < 6 && strcmp(types[t], type) != 0)
            t++;
        cr_assert_lt(t, 6, "unknown type %s", type);
        cr_assert_geq(t, order, "export order: %s after %s", type, types[order]);
        order = t;
        n[t]++;
        static const char *fields[6][14] = {
            {"\"id\":\"", "\"source\":\"", "\"title\":", "\"outlet\":", "\"published\":",
             "\"encoding\":", "\"warnings\":[", "\"story\":\""},
            {"\"article\":\"", "\"speaker\":", "\"cue\":{\"text\":", "\"content\":{",
             "\"addressee\":null", "\"direct\":true"},
            {"\"article\":\"", "\"value\":", "\"approx\":false", "\"text\":\"", "\"start\":",
             "\"end\":", "\"subject\":\"", "\"predicate\":\"", "\"key\":\""},
            {"\"key\":\"", "\"name\":\"", "\"kind\":\"", "\"aliases\":[", "\"articles\":"},
            {"\"key\":\"", "\"status\":\"", "\"claims\":[{\"article\":\"", "\"value\":",
             "\"sources\":", "\"story\":\"", "\"evolving\":", "\"latest\":", "\"low\":",
             "\"high\":", "\"outlet\":", "\"published\":", "\"sentence\":"},
            {"\"id\":\"", "\"title\":\"", "\"articles\":2", "\"first\":", "\"last\":",
             "\"entities\":["},
        };
        for (int i = 0; fields[t][i]; i++)
            cr_expect_not_null(strstr(line, fields[t][i]), "%s lacks %s: %s", type,
                               fields[t][i], line);
        char idf[64];
        snprintf(idf, sizeof idf, "\"id\":\"%s\"", a->id);
        if (t == 0 && strstr(line, idf)) {
            cr_expect_not_null(strstr(line, "\"published\":\"2020-02-10\""), "%s", line);
            cr_expect_not_null(strstr(line, "\"encoding\":\"windows-1252\""), "%s", line);
            cr_expect_not_null(strstr(line, "\"source\":\"/corpus/a.txt\""), "%s", line);
        } else if (t == 0) {
            cr_expect_not_null(strstr(line, "\"published\":null"), "%s", line);
        }
        if (t == 1) {
            cr_expect_not_null(strstr(line, "\"speaker\":{\"text\":\"Erdogan\",\"start\":0,"
                                            "\"end\":7,\"entity\":\"per:recep tayyip erdogan\"}"),
                               "%s", line);
            cr_expect_not_null(strstr(line, "\\\"unacceptable\\\""), "escaped: %s", line);
        }
        if (t == 2 && strstr(line, "\"value\":5"))
            cr_expect_not_null(strstr(line, "\"place\":\"idlib\",\"time\":\"2020-02-03\""),
                               "%s", line);
        if (t == 4)
            cr_expect_not_null(strstr(line, "\"status\":\"conflict\""), "%s", line);
    }
    cr_expect_eq(n[0], 2);
    cr_expect_eq(n[1], 1);
    cr_expect_eq(n[2], 2);
    cr_expect_eq(n[3], 1);
    cr_expect_eq(n[4], 1);
    cr_expect_eq(n[5], 1, "both articles make one story");
    free(buf);
}

Test(merge, export_is_json)
{
    fill();
    char path[128], cmd[400];
    snprintf(path, sizeof path, "%s/export.jsonl", dir);
    FILE *f = fopen(path, "w");
    CHECK(db_export(db, f));
    fclose(f);
    if (system("command -v python3 >/dev/null 2>&1") != 0)
        return;
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import json,sys\n[json.loads(l) for l in open(sys.argv[1])]' %s",
             path);
    cr_expect_eq(system(cmd), 0, "python3 parses every line");
}

Test(merge, report)
{
    fill();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    CHECK(db_report(db, f));
    fclose(f);
    cr_expect_not_null(strstr(buf, "CONFLICTS (1)"), "%s", buf);
    cr_expect_not_null(strstr(buf, K), "%s", buf);
    cr_expect_not_null(strstr(buf, "/corpus/b.txt"), "who says what: %s", buf);
    cr_expect_not_null(strstr(buf, "Recep Tayyip Erdogan"), "%s", buf);
    free(buf);
}

/* ------------------------------------------------------------- feed */

typedef struct {
    uint64_t last;
    int n, xref_conflicts, articles;
} feed_t;

static int on_update(void *arg, uint64_t seq, const char *topic, size_t tl,
                     const uint8_t *u, size_t ul)
{
    feed_t *f = arg;
    cr_expect_gt(seq, f->last, "seq increases");
    f->last = seq;
    f->n++;
    Crossclaim__Update *up = crossclaim__update__unpack(NULL, ul, u);
    cr_assert_not_null(up);
    cr_expect_eq(up->seq, seq);
    if (tl > 14 && memcmp(topic, "xref.conflict.", 14) == 0) {
        f->xref_conflicts++;
        cr_expect_not_null(up->xref);
        cr_expect_str_eq(up->xref->status, "conflict");
    }
    if (tl > 8 && memcmp(topic, "article.", 8) == 0) {
        f->articles++;
        cr_expect_str_eq(up->kind, "article");
        cr_expect_not_null(strstr((const char *)up->json.data, "\"type\":\"article\""));
    }
    crossclaim__update__free_unpacked(up, NULL);
    return 0;
}

Test(merge, feed_log)
{
    fill();
    feed_t f = {0};
    uint64_t first = 0;
    CHECK(db_feed_since(db, 0, &first, on_update, &f));
    cr_expect_eq(first, 1);
    cr_expect_geq(f.articles, 2, "each article, and again when its story's id changed");
    cr_expect_eq(f.xref_conflicts, 1);
    db_stats_t st;
    CHECK(db_stats(db, &st));
    cr_expect_eq(f.last, st.seq);
    feed_t g = {.last = st.seq - 2};
    CHECK(db_feed_since(db, st.seq - 2, NULL, on_update, &g));
    cr_expect_eq(g.n, 2);
}

/* ------------------------------------------------------------- readers */

Test(merge, readonly_while_writer_open)
{
    fill();
    CHECK(db_begin(db)); /* a write transaction stays open in this process */
    res_t c;
    res_init(&c, "c", "o3", 77);
    res_qty(&c, K, 9, false, "nine");
    CHECK(db_merge(db, &c.r));
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        db_t *ro = NULL;
        int rc = db_open(dir, true, &ro);
        if (rc) {
            fprintf(stderr, "readonly open: %s\n", db_strerror(rc));
            _exit(1);
        }
        db_stats_t st;
        if (db_stats(ro, &st) || st.articles != 2) /* the open transaction is not seen */
            _exit(2);
        FILE *null = fopen("/dev/null", "w");
        if (db_export(ro, null))
            _exit(3);
        fclose(null);
        res_t d;
        res_init(&d, "d", "o4", 1);
        if (db_begin(ro) != DB_EREADONLY)
            _exit(4);
        db_destroy(&ro);
        _exit(0);
    }
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "reader exit %d", WEXITSTATUS(status));
    CHECK(db_commit(db, NULL));
    db_stats_t st;
    CHECK(db_stats(db, &st));
    cr_expect_eq(st.articles, 3);
}

Test(merge, readonly_missing_database)
{
    db_t *ro = NULL;
    cr_expect_neq(db_open("/nonexistent/cc-none", true, &ro), 0);
    cr_expect_null(ro);
}

/* ------------------------------------------------------------- schema */

Test(merge, database_of_an_older_schema_is_refused)
{
    res_t a;
    res_init(&a, "a", "o1", 1);
    res_qty(&a, K, 7, false, "seven");
    merge1(&a);
    db_destroy(&db);
    /* What a database written before stories looks like: articles, no schema key. */
    char path[128];
    snprintf(path, sizeof path, "%s/store", dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi meta;
    cr_assert_eq(mdb_env_create(&env), 0);
    mdb_env_set_maxdbs(env, 16);
    cr_assert_eq(mdb_env_open(env, path, MDB_NOTLS, 0600), 0);
    cr_assert_eq(mdb_txn_begin(env, NULL, 0, &txn), 0);
    cr_assert_eq(mdb_dbi_open(txn, "meta", 0, &meta), 0);
    MDB_val k = {6, "schema"};
    cr_assert_eq(mdb_del(txn, meta, &k, NULL), 0);
    cr_assert_eq(mdb_txn_commit(txn), 0);
    mdb_env_close(env);
    cr_expect_eq(db_open(dir, true, &db), DB_EVERSION);
    cr_expect_eq(db_open(dir, false, &db), DB_EVERSION);
    cr_expect_null(db);
    cr_expect_not_null(strstr(db_strerror(DB_EVERSION), "older"));
}

static int s_append(void *arg, const char *line, size_t len)
{
    FILE *f = arg;
    return fwrite(line, 1, len, f) == len ? 0 : -1;
}

/* The lines of db_dump (what, or prefixes) in one walk, or in steps of `budget` bytes. */
static char *s_walk(unsigned what, const char *const *prefixes, size_t n, size_t budget,
                    int *steps)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    *steps = 0;
    if (!budget) {
        CHECK(n ? db_dump_topics(db, prefixes, n, NULL, s_append, f)
                : db_dump(db, what, NULL, s_append, f));
    } else {
        db_step_t pos = {0};
        while (!pos.done) {
            CHECK(db_dump_step(db, what, prefixes, n, &pos, budget, s_append, f));
            cr_assert_lt(++*steps, 100000, "the walk in steps does not end");
        }
    }
    fclose(f);
    return buf;
}

Test(merge, a_walk_in_steps_gives_the_walks_lines)
{
    /* a few stories, conflicts and corroborations */
    static res_t r[12];
    char name[16];
    CHECK(db_begin(db));
    for (int i = 0; i < 12; i++) {
        snprintf(name, sizeof name, "art%d", i);
        res_init(&r[i], name, i % 3 ? "reuters" : "ap", 0x1000ull * (uint64_t)(i + 1));
        res_qty(&r[i], K, i % 3 ? 7 : 9, false, "seven");   /* ap 9, reuters 7 */
        res_ent(&r[i], "per:lena hart", "Lena Hart", "person", "Hart");
        CHECK(db_merge(db, &r[i].r));
    }
    CHECK(db_commit(db, NULL));
    static const unsigned whats[] = {DB_ALL, DB_ATTRIBUTIONS | DB_STORIES, DB_CONFLICTS,
                                     DB_ENTITIES | DB_XREFS};
    for (size_t w = 0; w < sizeof whats / sizeof *whats; w++) {
        int steps;
        char *whole = s_walk(whats[w], NULL, 0, 0, &steps);
        cr_assert_gt(strlen(whole), 0);
        for (size_t budget = 1; budget < 4096; budget *= 7) {
            char *stepped = s_walk(whats[w], NULL, 0, budget, &steps);
            cr_assert_str_eq(stepped, whole, "what 0x%x in steps of %zu bytes", whats[w], budget);
            if (budget == 1 && whats[w] == DB_ALL)
                cr_assert_gt(steps, 12, "one record a step: %d steps", steps);
            free(stepped);
        }
        free(whole);
    }
    /* one snapshot: what commits between steps is not seen */
    {
        int steps0;
        char *before = s_walk(DB_ALL, NULL, 0, 0, &steps0);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        db_step_t pos = {0};
        CHECK(db_dump_step(db, DB_ALL, NULL, 0, &pos, 64, s_append, f));
        static res_t late;
        res_init(&late, "late", "afp", 0x77ull);
        res_qty(&late, K, 8, false, "eight");
        merge1(&late);
        while (!pos.done)
            CHECK(db_dump_step(db, DB_ALL, NULL, 0, &pos, 64, s_append, f));
        fclose(f);
        cr_assert_str_eq(buf, before, "a walk in steps saw a later commit");
        free(buf);
        free(before);
        /* dropped before its end, it lets its snapshot go */
        db_step_t drop = {0};
        f = fopen("/dev/null", "w");
        CHECK(db_dump_step(db, DB_ALL, NULL, 0, &drop, 1, s_append, f));
        fclose(f);
        cr_assert_not_null(drop.txn);
        db_step_end(db, &drop);
        cr_assert_null(drop.txn);
    }
    const char *pre[] = {"xref.", "article."};
    int steps;
    char *whole = s_walk(0, pre, 2, 0, &steps), *stepped = s_walk(0, pre, 2, 50, &steps);
    cr_assert_str_eq(stepped, whole);
    cr_assert_gt(steps, 2);
    free(whole);
    free(stepped);
}
