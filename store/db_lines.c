/*  db_lines: the export JSON line of each record type (article, attribution, quantity,
    xref, entity), one shape for export, lookups and the feed alike. Each is a function of
    the record alone; a story's line reads its summary and lives in db_story.c. Part of db
    (store/db.h); see db_internal.h. */

#include "db_internal.h"

#include <inttypes.h>
#include <string.h>

static bool s_span_null(const Crossclaim__Span *s)
{
    return !s || (s->start == 0 && s->end == 0 && dbi_empty(s->text));
}

static void s_json_span(json_t *j, const char *name, const Crossclaim__Span *s,
                        bool speaker, const char *entity)
{
    json_key(j, name);
    if (s_span_null(s)) {
        json_null(j);
        return;
    }
    json_obj_begin(j);
    json_key(j, "text");
    json_str(j, s->text ? s->text : "");
    json_key(j, "start");
    json_int(j, s->start);
    json_key(j, "end");
    json_int(j, s->end);
    if (speaker) {
        json_key(j, "entity");
        json_str(j, dbi_empty(entity) ? NULL : entity);
    }
    json_obj_end(j);
}

void dbi_json_opt(json_t *j, const char *name, const char *s)
{
    json_key(j, name);
    json_str(j, dbi_empty(s) ? NULL : s);
}

void dbi_article_line(json_t *j, const char *id, const Crossclaim__Result *r,
                      const char *story)
{
    const Crossclaim__Article *a = r->article;
    char hex[17];
    snprintf(hex, sizeof hex, "%016" PRIx64, r->simhash);
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "article");
    json_key(j, "id");
    json_str(j, id);
    json_key(j, "source");
    json_str(j, a && a->source ? a->source : "");
    json_key(j, "title");
    json_str(j, a && a->title ? a->title : "");
    json_key(j, "outlet");
    json_str(j, a && a->outlet ? a->outlet : "");
    dbi_json_opt(j, "published", a ? a->published : NULL);
    json_key(j, "encoding");
    json_str(j, dbi_empty(r->encoding) ? "utf-8" : r->encoding);
    json_key(j, "warnings");
    json_arr_begin(j);
    for (size_t i = 0; i < r->n_warnings; i++)
        json_str(j, r->warnings[i]);
    json_arr_end(j);
    json_key(j, "simhash");
    json_str(j, hex);
    json_key(j, "text_bytes");
    json_int(j, r->text_bytes);
    json_key(j, "quantities");
    json_int(j, (int64_t)r->n_quantities);
    json_key(j, "attributions");
    json_int(j, (int64_t)r->n_attributions);
    json_key(j, "entities");
    json_int(j, (int64_t)r->n_entities);
    dbi_json_opt(j, "story", story);
    json_key(j, "wire");
    json_arr_begin(j);
    for (size_t i = 0; i < r->n_wire; i++)
        json_str(j, r->wire[i]);
    json_arr_end(j);
    json_obj_end(j);
    json_newline(j);
}

void dbi_attribution_line(json_t *j, const char *id, const Crossclaim__Attribution *t)
{
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "attribution");
    json_key(j, "article");
    json_str(j, id);
    s_json_span(j, "speaker", t->speaker, true, t->speaker_entity);
    s_json_span(j, "cue", t->cue, false, NULL);
    s_json_span(j, "content", t->content, false, NULL);
    s_json_span(j, "addressee", t->addressee, false, NULL);
    json_key(j, "direct");
    json_bool(j, t->direct);
    dbi_json_opt(j, "speaker_entity", t->speaker_entity);
    json_obj_end(j);
    json_newline(j);
}

void dbi_quantity_line(json_t *j, const char *id, const Crossclaim__Quantity *q)
{
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "quantity");
    json_key(j, "article");
    json_str(j, id);
    json_key(j, "value");
    json_num(j, q->value);
    json_key(j, "approx");
    json_bool(j, q->approx);
    if (s_span_null(q->span)) {
        json_key(j, "text");
        json_null(j);
        json_key(j, "start");
        json_null(j);
        json_key(j, "end");
        json_null(j);
    } else {
        json_key(j, "text");
        json_str(j, q->span->text ? q->span->text : "");
        json_key(j, "start");
        json_int(j, q->span->start);
        json_key(j, "end");
        json_int(j, q->span->end);
    }
    json_key(j, "subject");
    json_str(j, q->subject ? q->subject : "");
    json_key(j, "predicate");
    json_str(j, q->predicate ? q->predicate : "");
    json_key(j, "key");
    json_str(j, q->key ? q->key : "");
    if (!dbi_empty(q->place)) {
        json_key(j, "place");
        json_str(j, q->place);
    }
    if (!dbi_empty(q->time)) {
        json_key(j, "time");
        json_str(j, q->time);
        json_key(j, "time_resolved");
        json_bool(j, q->time_resolved);
    }
    json_obj_end(j);
    json_newline(j);
}

static void s_json_bound(json_t *j, const char *name, double v, bool open)
{
    json_key(j, name);
    if (open)
        json_null(j);
    else
        json_num(j, v);
}

void dbi_xref_claim_json(json_t *j, const Crossclaim__XrefClaim *c)
{
    json_obj_begin(j);
    json_key(j, "article");
    json_str(j, c->article ? c->article : "");
    json_key(j, "value");
    json_num(j, c->value);
    s_json_bound(j, "low", c->low, c->open_low);
    s_json_bound(j, "high", c->high, c->open_high);
    json_key(j, "approx");
    json_bool(j, c->approx);
    json_key(j, "outlet");
    json_str(j, c->outlet ? c->outlet : "");
    dbi_json_opt(j, "published", c->published);
    json_key(j, "source");
    json_str(j, c->source ? c->source : "");
    json_key(j, "text");
    json_str(j, c->text ? c->text : "");
    s_json_span(j, "sentence", c->sentence, false, NULL);
    json_obj_end(j);
}

void dbi_xref_line(json_t *j, const Crossclaim__Xref *x)
{
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "xref");
    json_key(j, "key");
    json_str(j, x->key ? x->key : "");
    json_key(j, "status");
    json_str(j, x->status ? x->status : "single");
    dbi_json_opt(j, "story", x->story);
    dbi_json_opt(j, "frame", x->frame);
    json_key(j, "claims");
    json_arr_begin(j);
    for (size_t i = 0; i < x->n_claims; i++)
        dbi_xref_claim_json(j, x->claims[i]);
    json_arr_end(j);
    json_key(j, "sources");
    json_int(j, x->sources);
    json_key(j, "evolving");
    json_bool(j, x->evolving);
    json_key(j, "latest");
    if (x->evolving && x->has_latest)
        json_num(j, x->latest);
    else
        json_null(j);
    json_obj_end(j);
    json_newline(j);
}

const dbi_form_t *dbi_ent_best(const dbi_ent_t *e, int list)
{
    const dbi_form_t *best = NULL;
    for (size_t i = 0; i < e->n[list]; i++) {
        const dbi_form_t *f = &e->list[list][i];
        if (!best || f->n > best->n || (f->n == best->n && f->len > best->len))
            best = f;
        /* forms are sorted by bytes, so an equal later one is never smaller */
    }
    return best;
}

bool dbi_form_eq(const dbi_form_t *a, const dbi_form_t *b)
{
    return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

void dbi_entity_line(json_t *j, const dbi_ent_t *e)
{
    const dbi_form_t *name = dbi_ent_best(e, DBI_NAMES);
    const dbi_form_t *kind = dbi_ent_best(e, DBI_KINDS);
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, "entity");
    json_key(j, "key");
    json_strn(j, e->key, e->key_len);
    json_key(j, "name");
    if (name)
        json_strn(j, name->s, name->len);
    else
        json_strn(j, e->key, e->key_len);
    json_key(j, "kind");
    if (kind)
        json_strn(j, kind->s, kind->len);
    else
        json_str(j, "other");
    /* Every other full form and alias seen, each once. Both lists are sorted by bytes,
       so a merge walk dedupes them. */
    json_key(j, "aliases");
    json_arr_begin(j);
    const dbi_form_t *a = e->list[DBI_NAMES], *b = e->list[DBI_ALIASES];
    size_t na = e->n[DBI_NAMES], nb = e->n[DBI_ALIASES], i = 0, k = 0;
    while (i < na || k < nb) {
        const dbi_form_t *f;
        if (k >= nb) {
            f = &a[i++];
        } else if (i >= na) {
            f = &b[k++];
        } else {
            size_t m = a[i].len < b[k].len ? a[i].len : b[k].len;
            int c = memcmp(a[i].s, b[k].s, m);
            if (c == 0)
                c = (a[i].len > b[k].len) - (a[i].len < b[k].len);
            if (c <= 0) {
                f = &a[i++];
                if (c == 0)
                    k++;
            } else {
                f = &b[k++];
            }
        }
        if (!name || !dbi_form_eq(f, name))
            json_strn(j, f->s, f->len);
    }
    json_arr_end(j);
    json_key(j, "articles");
    json_int(j, e->articles);
    json_obj_end(j);
    json_newline(j);
}

void dbi_deleted_line(json_t *j, const char *type, const char *idname, const char *id)
{
    json_obj_begin(j);
    json_key(j, "type");
    json_str(j, type);
    json_key(j, idname);
    json_str(j, id);
    json_key(j, "deleted");
    json_bool(j, true);
    json_key(j, "articles");
    json_int(j, 0);
    json_obj_end(j);
    json_newline(j);
}
