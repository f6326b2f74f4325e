/*  store_query: the query socket's request parser. See store_query.h. */
#include "store_query.h"
#include "db.h"
#include "wire.h"

#include <stdbool.h>
#include <string.h>

/* Reads a SNAPSHOT/EXPORT argument in q->arg: a comma list of record types (article,
   attribution, quantity, entity, xref, conflict, all) or of feed topic prefixes
   ("xref.conflict.", "entity.per:"), anything that is not a type name. With only types,
   q->what gets their DB_* flags and q->nprefixes = 0. With any prefix, every item becomes
   a prefix (a type with a topic as its topic head: "xref" is "xref.", "conflict" is
   "xref.conflict."), in q->arg, cut at the commas. Returns 0, or STORE_QUERY_EWHAT when
   the list is too long. */
static int s_what(store_query_t *q)
{
    static const struct { const char *name; unsigned flag; const char *topic; } names[] = {
        {"article", DB_ARTICLES, "article."}, {"attribution", DB_ATTRIBUTIONS, "attribution."},
        {"quantity", DB_QUANTITIES, "quantity."}, {"entity", DB_ENTITIES, "entity."},
        {"xref", DB_XREFS, "xref."}, {"conflict", DB_CONFLICTS, "xref.conflict."},
        {"story", DB_STORIES, "story."},
        {"all", DB_ALL, ""}};
    size_t nnames = sizeof names / sizeof *names;
    q->what = 0;
    q->nprefixes = 0;
    bool typed = true;
    char *save = NULL;
    for (char *item = strtok_r(q->arg, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        size_t i = 0;
        while (i < nnames && strcmp(item, names[i].name) != 0)
            i++;
        if (i < nnames) {
            q->what |= names[i].flag;
            item = (char *)names[i].topic; /* NULL: no topic, fine while all are types */
        } else {
            typed = false;
        }
        if (q->nprefixes == STORE_QUERY_MAX_PREFIXES)
            return STORE_QUERY_EWHAT;
        q->prefixes[q->nprefixes++] = item;
    }
    if (typed) {
        q->nprefixes = 0;
        return 0;
    }
    for (size_t i = 0; i < q->nprefixes; i++)
        if (!q->prefixes[i])
            return STORE_QUERY_EWHAT;
    return 0;
}

/* A DUMP of a fixed list (CONFLICTS, STORIES): the argument is ignored. */
static int s_dump_of(store_query_t *q, const char *list)
{
    strcpy(q->arg, list);
    return s_what(q);
}

int store_query_parse(const uint8_t *const *frames, const size_t *lens, size_t n,
                      store_query_t *q)
{
    char verb[16] = "";
    bool has_arg = n >= 2;
    bool oversize = has_arg && lens[1] > STORE_QUERY_MAX_ARG;
    if (n == 0 || n > 2 || lens[0] >= sizeof verb || oversize ||
        (has_arg && memchr(frames[1], 0, lens[1])))
        return oversize ? STORE_QUERY_EOVERSIZE : STORE_QUERY_EMALFORMED;
    /* The verb is compared as a string: a NUL inside it ends it. */
    memcpy(verb, frames[0], lens[0]);
    q->arg[0] = 0;
    if (has_arg) {
        memcpy(q->arg, frames[1], lens[1]);
        q->arg[lens[1]] = 0;
    }
    q->what = DB_ALL;
    q->nprefixes = 0;
    q->after = 0;
    if (strcmp(verb, "STATS") == 0) {
        q->kind = STORE_QUERY_STATS;
        return 0;
    }
    if (strcmp(verb, "SNAPSHOT") == 0 || strcmp(verb, "EXPORT") == 0) {
        q->kind = STORE_QUERY_DUMP;
        return has_arg ? s_what(q) : 0;
    }
    if (strcmp(verb, "CONFLICTS") == 0) {
        q->kind = STORE_QUERY_DUMP;
        return s_dump_of(q, "conflict");
    }
    if (strcmp(verb, "STORIES") == 0) {
        q->kind = STORE_QUERY_DUMP;
        return s_dump_of(q, "story");
    }
    if (!has_arg)
        return STORE_QUERY_EVERB;
    if (strcmp(verb, "STORY") == 0)
        q->kind = STORE_QUERY_STORY;
    else if (strcmp(verb, "XREF") == 0)
        q->kind = STORE_QUERY_XREF;
    else if (strcmp(verb, "ENTITY") == 0)
        q->kind = STORE_QUERY_ENTITY;
    else if (strcmp(verb, "ARTICLE") == 0)
        q->kind = STORE_QUERY_ARTICLE;
    else if (strcmp(verb, "SINCE") == 0) {
        q->kind = STORE_QUERY_SINCE;
        if (wire_arg_u64((const uint8_t *)q->arg, lens[1], &q->after) != 0)
            return STORE_QUERY_ESEQ;
    } else
        return STORE_QUERY_EVERB;
    return 0;
}

const char *store_query_strerror(int rc)
{
    switch (rc) {
    case 0:
        return "OK";
    case STORE_QUERY_EMALFORMED:
    case STORE_QUERY_EOVERSIZE:
        return "malformed query: want VERB [ARG]";
    case STORE_QUERY_EVERB:
        return "unknown query (STATS, SNAPSHOT, EXPORT, CONFLICTS, STORIES, STORY, XREF, "
               "ENTITY, ARTICLE, SINCE)";
    case STORE_QUERY_EWHAT:
        return "want a comma list of record types or of feed topic prefixes";
    case STORE_QUERY_ESEQ:
        return "SINCE wants a sequence number";
    default:
        return "unknown store_query error";
    }
}
