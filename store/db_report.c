/*  db_report: the plain-text report: counts, conflicts and corroborations by story, and
    the top entities. Part of db (store/db.h); see db_internal.h. */

#include "db_internal.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define DB_REPORT_TOP   20
#define DB_REPORT_CORR  50

typedef struct {
    char *name;
    char *kind;
    int64_t articles;
} s_top_t;

/* Prints who says what in one cluster: value, then each article's source and outlet. */
static void s_report_claims(db_t *self, MDB_txn *txn, FILE *out, const Crossclaim__Xref *x)
{
    for (size_t i = 0; i < x->n_claims; i++) {
        const Crossclaim__XrefClaim *c = x->claims[i];
        const char *source = "?";
        MDB_val k = {strlen(c->article), c->article}, v;
        if (mdb_get(txn, self->articles, &k, &v) == 0) {
            Crossclaim__Result *r = crossclaim__result__unpack(&self->pba, v.mv_size, v.mv_data);
            if (r && r->article && !dbi_empty(r->article->source))
                source = r->article->source;
        }
        const char *said = c->sentence && !dbi_empty(c->sentence->text) ? c->sentence->text : c->text;
        fprintf(out, "    %-10.10g%s %-40s %-16s \"%.200s\"\n", c->value, c->approx ? "~" : " ",
                source, dbi_empty(c->outlet) ? "-" : c->outlet, said);
    }
}

int db_report(db_t *self, FILE *out)
{
    if (!self || !out)
        return -EINVAL;
    db_stats_t st;
    int rc = db_stats(self, &st);
    if (rc)
        return rc;
    fprintf(out, "crossclaim report\n\n");
    fprintf(out, "articles      %" PRIu64 "\n", st.articles);
    fprintf(out, "claims        %" PRIu64 " quantities, %" PRIu64 " attributions\n", st.claims,
            st.attributions);
    fprintf(out, "entities      %" PRIu64 "\n", st.entities);
    fprintf(out, "xrefs         %" PRIu64 " (%" PRIu64 " conflict%s, %" PRIu64
            " corroborated)\n", st.xrefs, st.conflicts, st.conflicts == 1 ? "" : "s",
            st.corroborated);

    MDB_txn *txn;
    if ((rc = dbi_rtxn(self, &txn)) != 0)
        return rc;
    MDB_cursor *c = NULL;
    MDB_val k, v;
    s_top_t top[DB_REPORT_TOP] = {{0}};
    size_t ntop = 0;
    for (int pass = 0; pass < 2; pass++) {
        const char *want = pass == 0 ? "conflict" : "corroborated";
        fprintf(out, "\n%s (%" PRIu64 ")\n", pass == 0 ? "CONFLICTS" : "CORROBORATIONS",
                pass == 0 ? st.conflicts : st.corroborated);
        if ((rc = mdb_cursor_open(txn, self->xrefs, &c)) != 0)
            goto leave;
        size_t shown = 0;
        char last_story[UTIL_ID_HEX + 1] = "";
        MDB_cursor_op op = MDB_FIRST;
        while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
            op = MDB_NEXT;
            dbi_arena_reset(&self->arena);
            Crossclaim__Xref *x = crossclaim__xref__unpack(&self->pba, v.mv_size, v.mv_data);
            if (!x) {
                rc = DB_ECORRUPT;
                goto leave;
            }
            if (strcmp(x->status, want) != 0)
                continue;
            if ((rc = dbi_xref_read(self, txn, v.mv_data, v.mv_size, &x)) != 0)
                goto leave;
            if (pass == 1 && shown >= DB_REPORT_CORR) {
                shown++;
                continue;
            }
            shown++;
            /* xref keys begin with their story's id, so a story's facts come together */
            if (!dbi_empty(x->story) && strcmp(x->story, last_story) != 0) {
                snprintf(last_story, sizeof last_story, "%s", x->story);
                char **ids;
                size_t n = 0;
                Crossclaim__Result *first = NULL;
                if (dbi_members(self, txn, x->story, &ids, &n) == 0 && n)
                    (void)dbi_load(self, txn, ids[0], &first);
                fprintf(out, "\n  story %.12s: \"%s\" (%zu article%s)\n", x->story,
                        first && first->article && first->article->title ? first->article->title : "",
                        n, n == 1 ? "" : "s");
            }
            fprintf(out, "  %s  (%u sources%s)\n", dbi_empty(x->frame) ? x->key : x->frame,
                    x->sources, x->evolving ? ", evolving" : "");
            s_report_claims(self, txn, out, x);
        }
        if (rc != MDB_NOTFOUND)
            goto leave;
        if (shown > DB_REPORT_CORR && pass == 1)
            fprintf(out, "  ... and %zu more\n", shown - DB_REPORT_CORR);
        mdb_cursor_close(c);
        c = NULL;
    }

    if ((rc = mdb_cursor_open(txn, self->entities, &c)) != 0)
        goto leave;
    MDB_cursor_op op = MDB_FIRST;
    static const size_t none[DBI_LISTS] = {0};
    while ((rc = mdb_cursor_get(c, &k, &v, op)) == 0) {
        op = MDB_NEXT;
        dbi_arena_reset(&self->arena);
        dbi_ent_t e;
        if ((rc = dbi_ent_parse(self, v.mv_data, v.mv_size, &e, none)) != 0)
            goto leave;
        if (ntop == DB_REPORT_TOP && e.articles <= top[ntop - 1].articles)
            continue;
        const dbi_form_t *name = dbi_ent_best(&e, DBI_NAMES), *kind = dbi_ent_best(&e, DBI_KINDS);
        s_top_t t = {name ? util_strndup(name->s, name->len) : util_strndup(e.key, e.key_len),
                     kind ? util_strndup(kind->s, kind->len) : util_strdup("other"),
                     e.articles};
        if (ntop == DB_REPORT_TOP) {
            free(top[ntop - 1].name);
            free(top[ntop - 1].kind);
            ntop--;
        }
        size_t i = ntop++;
        for (; i > 0 && top[i - 1].articles < t.articles; i--)
            top[i] = top[i - 1];
        top[i] = t;
    }
    if (rc != MDB_NOTFOUND)
        goto leave;
    rc = 0;
    fprintf(out, "\nTOP ENTITIES\n");
    for (size_t i = 0; i < ntop; i++)
        fprintf(out, "  %4" PRId64 " article%s %-8s %s\n", top[i].articles,
                top[i].articles == 1 ? " " : "s", top[i].kind, top[i].name);
leave:
    for (size_t i = 0; i < ntop; i++) {
        free(top[i].name);
        free(top[i].kind);
    }
    if (c)
        mdb_cursor_close(c);
    mdb_txn_abort(txn);
    if (rc == 0 && fflush(out) != 0)
        rc = -errno;
    return dbi_mdb(rc);
}
