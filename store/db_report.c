/*  db_report: the report (db_report in store/db.h, db_web_report in store/db_web.h): the
    counts, the conflicts and corroborations by story with each claim's whole sentence and
    its article's source, each fact's frame in words, and the top entities; in text, JSON
    Lines, CSV or HTML. It reads through db_web_facts, as the web view does, so both show
    the same facts. Part of db (store/db.h); see db_internal.h. */

#include "db_internal.h"
#include "db_web.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define DB_REPORT_TOP   20

typedef struct {
    char *name;
    char *kind;
    int64_t articles;
} s_top_t;

/* What a walk over one status's facts writes with. */
typedef struct {
    FILE *out;
    db_web_format_t fmt;
    char story[UTIL_ID_HEX + 1];  /* the story whose header was written last */
} s_ctx_t;

static void s_html(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
}

static void s_csv(FILE *out, const char *s, bool last)
{
    fputc('"', out);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputs(last ? "\"\r\n" : "\",", out);
}

static const char *s_said(const Crossclaim__XrefClaim *c)
{
    return c->sentence && !dbi_empty(c->sentence->text) ? c->sentence->text
                                                        : c->text ? c->text : "";
}

/* "14", "~150", ">= 400", "<= 40" */
static void s_value(const Crossclaim__XrefClaim *c, char *buf, size_t cap)
{
    if (c->open_high && !c->open_low)
        snprintf(buf, cap, ">= %.10g", c->low);
    else if (c->open_low && !c->open_high)
        snprintf(buf, cap, "<= %.10g", c->high);
    else
        snprintf(buf, cap, "%s%.10g", c->approx ? "~" : "", c->value);
}

static int s_fact_text(s_ctx_t *cx, const db_web_fact_t *f)
{
    const Crossclaim__Xref *x = f->xref;
    FILE *out = cx->out;
    if (!dbi_empty(x->story) && strcmp(x->story, cx->story) != 0) {
        snprintf(cx->story, sizeof cx->story, "%s", x->story);
        fprintf(out, "\n  story %.12s: \"%s\" (%zu article%s)\n", x->story, f->story_title,
                f->story_articles, f->story_articles == 1 ? "" : "s");
    }
    fprintf(out, "\n  %s  (%u source%s%s)\n", f->label, x->sources, x->sources == 1 ? "" : "s",
            x->evolving ? ", evolving" : "");
    fprintf(out, "  key %s\n", dbi_empty(x->frame) ? (x->key ? x->key : "") : x->frame);
    if (x->evolving && x->has_latest)
        fprintf(out, "  the figure changed over time; latest %.10g\n", x->latest);
    for (size_t i = 0; i < x->n_claims; i++) {
        const Crossclaim__XrefClaim *c = x->claims[i];
        char v[64];
        s_value(c, v, sizeof v);
        fprintf(out, "    %-10s %-16s %-10s %s\n", v, dbi_empty(c->outlet) ? "-" : c->outlet,
                dbi_empty(c->published) ? "undated" : c->published,
                *f->url[i] ? f->url[i] : c->article);
        fprintf(out, "               \"%s\"\n", s_said(c));
    }
    return ferror(out) ? -EIO : 0;
}

static int s_fact_csv(s_ctx_t *cx, const db_web_fact_t *f)
{
    const Crossclaim__Xref *x = f->xref;
    char buf[64];
    for (size_t i = 0; i < x->n_claims; i++) {
        const Crossclaim__XrefClaim *c = x->claims[i];
        s_csv(cx->out, x->status, false);
        s_csv(cx->out, x->story, false);
        s_csv(cx->out, f->story_title, false);
        s_csv(cx->out, f->label, false);
        s_csv(cx->out, x->key, false);
        snprintf(buf, sizeof buf, "%u", x->sources);
        s_csv(cx->out, buf, false);
        s_csv(cx->out, x->evolving ? "true" : "false", false);
        snprintf(buf, sizeof buf, "%.17g", c->value);
        s_csv(cx->out, buf, false);
        snprintf(buf, sizeof buf, "%.17g", c->low);
        s_csv(cx->out, c->open_low ? "" : buf, false);
        snprintf(buf, sizeof buf, "%.17g", c->high);
        s_csv(cx->out, c->open_high ? "" : buf, false);
        s_csv(cx->out, c->approx ? "true" : "false", false);
        s_csv(cx->out, c->outlet, false);
        s_csv(cx->out, c->published, false);
        s_csv(cx->out, c->article, false);
        s_csv(cx->out, f->title[i], false);
        s_csv(cx->out, f->url[i], false);
        s_csv(cx->out, s_said(c), true);
    }
    return ferror(cx->out) ? -EIO : 0;
}

static int s_fact_html(s_ctx_t *cx, const db_web_fact_t *f)
{
    const Crossclaim__Xref *x = f->xref;
    FILE *out = cx->out;
    if (!dbi_empty(x->story) && strcmp(x->story, cx->story) != 0) {
        snprintf(cx->story, sizeof cx->story, "%s", x->story);
        fputs("<h3>", out);
        s_html(out, f->story_title);
        fprintf(out, " <small>story %.12s, %zu articles</small></h3>\n", x->story,
                f->story_articles);
    }
    fprintf(out, "<div class=\"fact %s\"><p><b>", x->status);
    s_html(out, f->label);
    fprintf(out, "</b> (%u sources%s) <code>", x->sources, x->evolving ? ", evolving" : "");
    s_html(out, x->key);
    fputs("</code></p>\n<table>\n", out);
    for (size_t i = 0; i < x->n_claims; i++) {
        const Crossclaim__XrefClaim *c = x->claims[i];
        char v[64];
        s_value(c, v, sizeof v);
        fputs("<tr><td class=v>", out);
        s_html(out, v);
        fputs("</td><td>", out);
        s_html(out, c->outlet);
        fputs("</td><td>", out);
        s_html(out, dbi_empty(c->published) ? "undated" : c->published);
        fputs("</td><td>", out);
        s_html(out, s_said(c));
        fputs("<br><small>", out);
        s_html(out, *f->url[i] ? f->url[i] : c->article);
        fputs("</small></td></tr>\n", out);
    }
    fputs("</table></div>\n", out);
    return ferror(out) ? -EIO : 0;
}

static int s_fact(void *arg, const db_web_fact_t *f)
{
    s_ctx_t *cx = arg;
    switch (cx->fmt) {
    case DB_WEB_JSON: {
        json_t *j = json_new();
        db_web_fact_json(j, f);
        json_newline(j);
        size_t n = fwrite(json_data(j), 1, json_len(j), cx->out);
        int rc = n == json_len(j) ? 0 : -EIO;
        json_destroy(&j);
        return rc;
    }
    case DB_WEB_CSV: return s_fact_csv(cx, f);
    case DB_WEB_HTML: return s_fact_html(cx, f);
    default: return s_fact_text(cx, f);
    }
}

/* The most mentioned entities, at most DB_REPORT_TOP, into top (the caller frees). */
static int s_top_entities(db_t *self, s_top_t *top, size_t *ntop_out)
{
    MDB_txn *txn;
    int rc = dbi_rtxn(self, &txn);
    if (rc)
        return rc;
    MDB_cursor *c = NULL;
    MDB_val k, v;
    size_t ntop = 0;
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
    if (rc == MDB_NOTFOUND)
        rc = 0;
leave:
    *ntop_out = ntop;
    if (c)
        mdb_cursor_close(c);
    mdb_txn_abort(txn);
    return dbi_mdb(rc);
}

static const char *const s_section[][2] = {
    {"conflict", "CONFLICTS"}, {"corroborated", "CORROBORATIONS"}, {"single", "SINGLE-SOURCE FIGURES"}};

int db_web_report(db_t *self, const db_web_filter_t *filter, db_web_format_t fmt, FILE *out)
{
    if (!self || !out)
        return -EINVAL;
    db_web_filter_t f = filter ? *filter : (db_web_filter_t){0};
    const char *want = f.status;
    if (want && strcmp(want, "all") && strcmp(want, "conflict") && strcmp(want, "corroborated")
        && strcmp(want, "single"))
        return -EINVAL;
    db_stats_t st;
    int rc = db_stats(self, &st);
    if (rc)
        return rc;
    if (fmt == DB_WEB_TEXT) {
        fprintf(out, "crossclaim report\n\n");
        fprintf(out, "articles      %" PRIu64 "\n", st.articles);
        fprintf(out, "claims        %" PRIu64 " quantities, %" PRIu64 " attributions\n",
                st.claims, st.attributions);
        fprintf(out, "entities      %" PRIu64 "\n", st.entities);
        fprintf(out, "xrefs         %" PRIu64 " (%" PRIu64 " conflict%s, %" PRIu64
                " corroborated)\n", st.xrefs, st.conflicts, st.conflicts == 1 ? "" : "s",
                st.corroborated);
        fprintf(out, "\nEach fact reads \"what happened · what is counted · whose · where · when\";\n"
                     "its key is the stored frame, f|unit|what|whose|predicate|scope|period.\n"
                     "Each claim: value, outlet, date, the article's source, then its sentence.\n");
    } else if (fmt == DB_WEB_CSV) {
        fputs("status,story,story_title,fact,key,sources,evolving,value,low,high,approx,outlet,"
              "published,article,title,source,sentence\r\n", out);
    } else if (fmt == DB_WEB_HTML) {
        fputs("<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>crossclaim report"
              "</title>\n<style>body{font:15px/1.4 sans-serif;max-width:1100px;margin:1em auto}"
              "table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;"
              "padding:.3em;vertical-align:top}td.v{font-weight:bold;width:6em}.fact{margin:1em 0}"
              ".conflict b{color:#b3261e}.corroborated b{color:#1e7b34}</style></head><body>\n"
              "<h1>crossclaim report</h1>\n", out);
        fprintf(out, "<p>%" PRIu64 " articles, %" PRIu64 " quantities, %" PRIu64
                " attributions, %" PRIu64 " entities, %" PRIu64 " facts (%" PRIu64
                " conflicts, %" PRIu64 " corroborated)</p>\n", st.articles, st.claims,
                st.attributions, st.entities, st.xrefs, st.conflicts, st.corroborated);
    }
    for (size_t s = 0; s < 3; s++) {
        const char *status = s_section[s][0];
        if (want ? strcmp(want, "all") && strcmp(want, status) : s == 2)
            continue;
        f.status = status;
        size_t matched = 0;
        s_ctx_t cx = {out, fmt, ""};
        if (fmt == DB_WEB_TEXT) {
            /* the count first: walk once for it, cheaply, with limit 1 */
            db_web_filter_t g = f;
            g.limit = 1;
            g.offset = SIZE_MAX;
            if ((rc = db_web_facts(self, &g, &matched, s_fact, &cx)) != 0)
                return rc;
            fprintf(out, "\n%s (%zu)\n", s_section[s][1], matched);
        } else if (fmt == DB_WEB_HTML) {
            fprintf(out, "<h2>%s</h2>\n", s_section[s][1]);
        }
        if ((rc = db_web_facts(self, &f, &matched, s_fact, &cx)) != 0)
            return rc;
        size_t shown = matched > f.offset ? matched - f.offset : 0;
        if (f.limit && shown > f.limit && fmt == DB_WEB_TEXT)
            fprintf(out, "\n  ... and %zu more: crossclaim report --status %s shows them all\n",
                    shown - f.limit, status);
        else if (f.limit && shown > f.limit && fmt == DB_WEB_HTML)
            fprintf(out, "<p>... and %zu more</p>\n", shown - f.limit);
    }
    if (fmt == DB_WEB_TEXT) {
        s_top_t top[DB_REPORT_TOP] = {{0}};
        size_t ntop = 0;
        rc = s_top_entities(self, top, &ntop);
        if (!rc) {
            fprintf(out, "\nTOP ENTITIES\n");
            for (size_t i = 0; i < ntop; i++)
                fprintf(out, "  %4" PRId64 " article%s %-8s %s\n", top[i].articles,
                        top[i].articles == 1 ? " " : "s", top[i].kind, top[i].name);
        }
        for (size_t i = 0; i < ntop; i++) {
            free(top[i].name);
            free(top[i].kind);
        }
        if (rc)
            return rc;
    } else if (fmt == DB_WEB_HTML) {
        fputs("</body></html>\n", out);
    }
    if (fflush(out) != 0 || ferror(out))
        return -EIO;
    return 0;
}

int db_report(db_t *self, FILE *out)
{
    return db_web_report(self, NULL, DB_WEB_TEXT, out);
}
