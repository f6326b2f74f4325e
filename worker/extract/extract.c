/*  extract: runs the stages in order on one article and assembles the result.

        decode -> tokenize -> boilerplate -> sentences -> quotes -> entities
               -> attributions -> quantities -> simhash

    All per-run memory comes from the extract_t's arena (reset each run) or from vectors
    the extract_t keeps across runs, so steady state makes no allocations. */
#include "extract.h"
#include "extract_attrib.h"
#include "extract_entity.h"
#include "extract_quantity.h"
#include "extract_sentence.h"
#include "extract_story.h"
#include "extract_text.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Larger articles are refused: offsets are 32-bit and nothing real is this big. */
#define EXTRACT_MAX_BYTES (32u << 20)

struct extract_t {
    extract_arena_t *arena;   /* per-run memory, reset by each extract_run */
    xres_t *res;              /* read-only country table */
    xctx_t ctx;               /* per-run state; its vectors keep their capacity */
};

uint32_t extract_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint8_t)s[i];
        h *= 16777619u;
    }
    return h;
}

size_t extract_join(char *out, size_t cap, const char *a, const char *b, const char *c)
{
    const char *part[3] = {a, b, c};
    size_t o = 0;
    for (int k = 0; k < 3; k++)
        for (const char *p = part[k]; p && *p && o + 1 < cap; p++)
            out[o++] = *p;
    out[o] = 0;
    return o;
}

uint32_t extract_orig(const xctx_t *c, uint32_t w)
{
    return c->map ? c->map[w] : w;
}

extract_span_t extract_span(xctx_t *c, uint32_t s, uint32_t e)
{
    extract_span_t sp = {0, 0, NULL};
    if (e <= s || e > c->wlen)
        return sp;
    sp.start = extract_orig(c, s);
    /* The end maps through the byte before it, so a multi-byte decoded character ends
       after its one original byte. */
    sp.end = c->map ? c->map[e - 1] + 1 : e;
    sp.text = extract_arena_strndup(c->arena, (const char *)c->w + s, e - s);
    return sp;
}

extract_span_t extract_span_tok(xctx_t *c, uint32_t t0, uint32_t t1)
{
    if (t1 <= t0 || t1 > c->tok.n) {
        extract_span_t none = {0, 0, NULL};
        return none;
    }
    return extract_span(c, c->tok.v[t0].s, c->tok.v[t1 - 1].e);
}

extract_t *extract_new(void)
{
    extract_attrib_init();
    extract_lex_init();
    extract_t *self = util_calloc(1, sizeof *self);
    self->arena = extract_arena_new();
    const char *iso = getenv("CC_ISO_CODES");   /* tests point this at a missing file */
    self->res = extract_entity_res_new(iso);
    return self;
}

void extract_destroy(extract_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    extract_t *self = *self_p;
    extract_arena_destroy(&self->arena);
    extract_entity_res_destroy(&self->res);
    xctx_t *c = &self->ctx;
    free(c->tok.v);
    free(c->sent.v);
    free(c->quote.v);
    free(c->men.v);
    free(c->ent.v);
    free(c->attr.v);
    free(c->qty.v);
    free(c->warn.v);
    free(self);
    *self_p = NULL;
}

const char *extract_strerror(int rc)
{
    switch (rc) {
    case 0: return "OK";
    case EXTRACT_EEMPTY: return "no text in the body";
    case EXTRACT_EDECODE: return "not decodable as UTF-8 nor Windows-1252";
    case EXTRACT_ETOOBIG: return "article over the extractor's size limit";
    case -EINVAL: return "invalid argument";
    default: return "unknown extract error";
    }
}

static const char *s_kind(char k)
{
    switch (k) {
    case 'p': return "person";
    case 'o': return "org";
    case 'l': return "place";
    case 'v': return "vehicle";
    default: return "other";
    }
}

/* Builds the public entity records: name, aliases (distinct other texts), mentions. */
static void s_entities(xctx_t *c, extract_result_t *out)
{
    size_t ne = c->ent.n;
    out->entities = extract_arena_alloc(c->arena, (ne + 1) * sizeof *out->entities, 1);
    int *count = extract_arena_alloc(c->arena, (ne + 1) * sizeof *count, 1);
    for (size_t m = 0; m < c->men.n; m++)
        count[c->men.v[m].ent]++;
    int *slot = extract_arena_alloc(c->arena, (ne + 1) * sizeof *slot, 0);
    size_t n = 0;
    for (size_t e = 0; e < ne; e++) {
        const xent_t *x = &c->ent.v[e];
        slot[e] = -1;
        if (x->kind == 'x' && count[e] < 2)
            continue;
        extract_entity_t *o = &out->entities[n];
        slot[e] = (int)n++;
        o->key = extract_arena_strndup(c->arena, x->key, strlen(x->key));
        o->kind = s_kind(x->kind);
        o->name = extract_span_tok(c, x->name_t0, x->name_t1).text;
        o->mentions = extract_arena_alloc(c->arena, (size_t)count[e] * sizeof *o->mentions + 1, 0);
        o->aliases = extract_arena_alloc(c->arena, (size_t)count[e] * sizeof *o->aliases + 1, 0);
    }
    for (size_t m = 0; m < c->men.n; m++) {
        int s = slot[c->men.v[m].ent];
        if (s < 0)
            continue;
        extract_entity_t *o = &out->entities[s];
        extract_span_t sp = extract_span_tok(c, c->men.v[m].t0, c->men.v[m].t1);
        o->mentions[o->n_mentions++] = sp;
        if (!sp.text || strcmp(sp.text, o->name) == 0)
            continue;
        bool seen = false;
        for (size_t a = 0; a < o->n_aliases && !seen; a++)
            seen = strcmp(o->aliases[a], sp.text) == 0;
        if (!seen)
            o->aliases[o->n_aliases++] = sp.text;
    }
    out->n_entities = n;
}

/* The stages every entry point shares: validate, decode, tokenize, split. */
static int s_prepare(extract_t *self, const extract_doc_t *doc, extract_doc_t *clamped)
{
    if (!self || !doc || (!doc->text && doc->len))
        return -EINVAL;
    if (doc->len > EXTRACT_MAX_BYTES)
        return EXTRACT_ETOOBIG;
    extract_arena_reset(self->arena);
    xctx_t *c = &self->ctx;
    c->doc = doc;
    c->arena = self->arena;
    c->res = self->res;
    c->warn.n = 0;
    c->tok.n = c->sent.n = c->quote.n = c->men.n = c->ent.n = c->attr.n = c->qty.n = 0;
    c->simhash = 0;
    if (doc->body_start > doc->len) {
        *clamped = *doc;
        clamped->body_start = doc->len;
        c->doc = doc = clamped;
    }
    int rc = extract_text_decode(c);
    if (rc)
        return rc;
    extract_text_tokenize(c);
    bool body = false;
    for (size_t i = 0; i < c->tok.n && !body; i++)
        body = !(c->tok.v[i].flags & TK_TITLE);
    if (!body)
        return EXTRACT_EEMPTY;
    extract_text_boilerplate(c);
    extract_sentence_split(c);
    extract_sentence_quotes(c);
    return 0;
}

int extract_sentences(extract_t *self, const extract_doc_t *doc, const extract_span_t **out,
                      size_t *n)
{
    extract_doc_t clamped;
    if (!out || !n)
        return -EINVAL;
    *out = NULL;
    *n = 0;
    int rc = s_prepare(self, doc, &clamped);
    if (rc)
        return rc;
    xctx_t *c = &self->ctx;
    extract_span_t *v = extract_arena_alloc(c->arena, (c->sent.n + 1) * sizeof *v, 0);
    size_t k = 0;
    for (size_t i = 0; i < c->sent.n; i++) {
        if (c->tok.v[c->sent.v[i].t0].flags & TK_SKIP)
            continue;
        v[k++] = extract_span_tok(c, c->sent.v[i].t0, c->sent.v[i].t1);
    }
    *out = v;
    *n = k;
    c->doc = NULL;
    return 0;
}

int extract_run(extract_t *self, const extract_doc_t *doc, extract_result_t *out)
{
    extract_doc_t clamped;
    if (out)
        memset(out, 0, sizeof *out);
    if (!out)
        return -EINVAL;
    int rc = s_prepare(self, doc, &clamped);
    if (rc)
        return rc;
    xctx_t *c = &self->ctx;
    extract_entity_find(c);
    extract_attrib_find(c);
    extract_quantity_find(c);
    extract_text_simhash(c);

    s_entities(c, out);
    out->attrs = c->attr.v;
    out->n_attrs = c->attr.n;
    out->quantities = c->qty.v;
    out->n_quantities = c->qty.n;
    out->warnings = c->warn.v;
    out->n_warnings = c->warn.n;
    out->encoding = c->encoding;
    out->simhash = c->simhash;
    extract_story_terms(c, out);
    c->doc = NULL;
    return 0;
}
