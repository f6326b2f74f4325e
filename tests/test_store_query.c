/*  test_store_query: the query socket's request parser (store/store_query.h) on the
    requests the store answers, the ones it refuses and why, and the SNAPSHOT/EXPORT
    argument's two forms (types, or feed topic prefixes in the argument). */
#include <criterion/criterion.h>
#include <string.h>

#include "db.h"
#include "store_query.h"

static store_query_t s_q;

/* Parses "VERB" or "VERB" "ARG" (arg NULL: one frame) into s_q. */
static int s_parse(const char *verb, const char *arg)
{
    const uint8_t *frames[2] = {(const uint8_t *)verb, (const uint8_t *)arg};
    size_t lens[2] = {strlen(verb), arg ? strlen(arg) : 0};
    return store_query_parse(frames, lens, arg ? 2 : 1, &s_q);
}

#define CHECK(expr) do { int rc_ = (expr); \
    cr_assert_eq(rc_, 0, "%s: %s", #expr, store_query_strerror(rc_)); } while (0)

TestSuite(store_query);

Test(store_query, verbs)
{
    CHECK(s_parse("STATS", NULL));
    cr_assert_eq(s_q.kind, STORE_QUERY_STATS);
    CHECK(s_parse("SNAPSHOT", NULL));
    cr_assert_eq(s_q.kind, STORE_QUERY_DUMP);
    cr_assert_eq(s_q.what, DB_ALL);
    cr_assert_eq(s_q.nprefixes, 0);
    CHECK(s_parse("CONFLICTS", "ignored"));
    cr_assert_eq(s_q.what, DB_CONFLICTS);
    CHECK(s_parse("STORIES", NULL));
    cr_assert_eq(s_q.what, DB_STORIES);
    CHECK(s_parse("ENTITY", "per:ada lovelace"));
    cr_assert_eq(s_q.kind, STORE_QUERY_ENTITY);
    cr_assert_str_eq(s_q.arg, "per:ada lovelace");
    CHECK(s_parse("STORY", "s1"));
    cr_assert_eq(s_q.kind, STORE_QUERY_STORY);
    CHECK(s_parse("SINCE", "18446744073"));
    cr_assert_eq(s_q.kind, STORE_QUERY_SINCE);
    cr_assert_eq(s_q.after, 18446744073u);
}

Test(store_query, refusals)
{
    cr_assert_eq(store_query_parse(NULL, NULL, 0, &s_q), STORE_QUERY_EMALFORMED);
    cr_assert_eq(s_parse("A_VERB_OF_16_BYT", NULL), STORE_QUERY_EMALFORMED);
    const uint8_t *frames[2] = {(const uint8_t *)"ENTITY", (const uint8_t *)"a\0b"};
    size_t lens[2] = {6, 3};
    cr_assert_eq(store_query_parse(frames, lens, 2, &s_q), STORE_QUERY_EMALFORMED);
    cr_assert_eq(store_query_parse(frames, lens, 3, &s_q), STORE_QUERY_EMALFORMED);
    static char big[STORE_QUERY_MAX_ARG + 2];
    memset(big, 'a', sizeof big - 1);
    cr_assert_eq(s_parse("ENTITY", big), STORE_QUERY_EOVERSIZE);
    big[STORE_QUERY_MAX_ARG] = 0;
    CHECK(s_parse("ENTITY", big));   /* the limit itself is fine */
    cr_assert_eq(s_parse("ENTITY", NULL), STORE_QUERY_EVERB);
    cr_assert_eq(s_parse("DELETE", "x"), STORE_QUERY_EVERB);
    cr_assert_eq(s_parse("SINCE", "12a"), STORE_QUERY_ESEQ);
    cr_assert_eq(s_parse("SINCE", ""), STORE_QUERY_ESEQ);
    cr_assert(strstr(store_query_strerror(STORE_QUERY_EVERB), "SINCE"));
}

Test(store_query, snapshot_types_or_prefixes)
{
    CHECK(s_parse("EXPORT", "article,xref"));
    cr_assert_eq(s_q.what, DB_ARTICLES | DB_XREFS);
    cr_assert_eq(s_q.nprefixes, 0);
    /* one prefix makes every item a prefix, a type as its topic head */
    CHECK(s_parse("SNAPSHOT", "conflict,entity.per:"));
    cr_assert_eq(s_q.nprefixes, 2);
    cr_assert_str_eq(s_q.prefixes[0], "xref.conflict.");
    cr_assert_str_eq(s_q.prefixes[1], "entity.per:");
    cr_assert(s_q.prefixes[1] >= s_q.arg && s_q.prefixes[1] < s_q.arg + sizeof s_q.arg);
    /* "all" has no topic head but "" */
    CHECK(s_parse("SNAPSHOT", "all,x."));
    cr_assert_str_eq(s_q.prefixes[0], "");
    char list[STORE_QUERY_MAX_ARG] = "";
    for (int i = 0; i <= STORE_QUERY_MAX_PREFIXES; i++)
        strcat(list, i ? ",p" : "p");
    cr_assert_eq(s_parse("SNAPSHOT", list), STORE_QUERY_EWHAT);
    list[strlen(list) - 2] = 0;   /* STORE_QUERY_MAX_PREFIXES of them */
    CHECK(s_parse("SNAPSHOT", list));
    cr_assert_eq(s_q.nprefixes, STORE_QUERY_MAX_PREFIXES);
}
