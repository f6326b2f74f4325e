/*  cc-extract: the extractor's dev tool. Runs the extractor over .txt files (first line =
    title, body after it) and prints export-format JSON Lines, so attributions and claim
    keys can be scored and read without the broker, store or worker.

        cc-extract [-p] [--bench] FILE_OR_DIR...

    -p        take the publication date from a file name holding _YYYY-MM-DD_
    --bench   run without printing; report MB/s on stderr */
#include "extract.h"
#include "json.h"
#include "opts.h"
#include "util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    extract_t *ex;            /* the extractor */
    json_t *j;                /* output buffer, one record at a time */
    bool pub_from_name;       /* -p */
    bool bench;               /* --bench */
    size_t bytes, files, failed;
} s_tool_t;

static void s_span(json_t *j, const char *key, const extract_span_t *sp, const char *entity,
                   bool with_entity)
{
    json_key(j, key);
    if (!sp->text) {
        json_null(j);
        return;
    }
    json_obj_begin(j);
    json_key(j, "text");
    json_str(j, sp->text);
    json_key(j, "start");
    json_int(j, sp->start);
    json_key(j, "end");
    json_int(j, sp->end);
    if (with_entity) {
        json_key(j, "entity");
        json_str(j, entity);
    }
    json_obj_end(j);
}

static void s_flush(s_tool_t *t)
{
    json_newline(t->j);
    fwrite(json_data(t->j), 1, json_len(t->j), stdout);
    json_reset(t->j);
}

static void s_date_from_name(const char *path, char *out)
{
    out[0] = 0;
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    for (const char *p = b; *p; p++) {
        if (p[0] == '_' && strlen(p) > 11 && p[5] == '-' && p[8] == '-' && p[11] == '_') {
            memcpy(out, p + 1, 10);
            out[10] = 0;
            return;
        }
    }
}

static void s_file(s_tool_t *t, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        util_warn("%s: can't open", path);
        t->failed++;
        return;
    }
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = util_malloc(cap);
    for (;;) {
        if (len == cap)
            buf = util_realloc(buf, cap *= 2);
        size_t k = fread(buf + len, 1, cap - len, fp);
        if (k == 0)
            break;
        len += k;
    }
    fclose(fp);
    size_t nl = 0;
    while (nl < len && buf[nl] != '\n')
        nl++;
    size_t body = nl < len ? nl + 1 : len;
    size_t tl = nl;
    while (tl > 0 && (buf[tl - 1] == '\r' || buf[tl - 1] == ' '))
        tl--;
    char *title = util_strndup((const char *)buf, tl);
    char date[16];
    if (t->pub_from_name)
        s_date_from_name(path, date);
    else
        date[0] = 0;
    extract_doc_t doc = {buf, len, body, title, date[0] ? date : NULL};
    extract_result_t r;
    int rc = extract_run(t->ex, &doc, &r);
    t->bytes += len;
    t->files++;
    if (rc) {
        util_warn("%s: %s", path, extract_strerror(rc));
        t->failed++;
        free(title);
        free(buf);
        return;
    }
    if (t->bench) {
        free(title);
        free(buf);
        return;
    }
    const char *id = strrchr(path, '/');
    id = id ? id + 1 : path;
    json_t *j = t->j;
    json_obj_begin(j);
    json_key(j, "type"); json_str(j, "article");
    json_key(j, "id"); json_str(j, id);
    json_key(j, "source"); json_str(j, path);
    json_key(j, "title"); json_str(j, title);
    json_key(j, "outlet"); json_null(j);
    json_key(j, "published"); json_str(j, doc.published);
    json_key(j, "encoding"); json_str(j, r.encoding);
    char hex[24];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)r.simhash);
    json_key(j, "simhash"); json_str(j, hex);
    json_key(j, "warnings");
    json_arr_begin(j);
    for (size_t i = 0; i < r.n_warnings; i++)
        json_str(j, r.warnings[i]);
    json_arr_end(j);
    json_key(j, "wire");
    json_arr_begin(j);
    for (size_t i = 0; i < r.n_wire; i++)
        json_str(j, r.wire[i]);
    json_arr_end(j);
    json_key(j, "terms");
    json_obj_begin(j);
    for (size_t i = 0; i < r.n_terms; i++) {
        json_key(j, r.terms[i].term);
        json_num(j, r.terms[i].weight);
    }
    json_obj_end(j);
    json_obj_end(j);
    s_flush(t);
    for (size_t i = 0; i < r.n_attrs; i++) {
        const extract_attr_t *a = &r.attrs[i];
        json_obj_begin(j);
        json_key(j, "type"); json_str(j, "attribution");
        json_key(j, "article"); json_str(j, id);
        s_span(j, "speaker", &a->speaker, a->speaker_entity, true);
        s_span(j, "cue", &a->cue, NULL, false);
        s_span(j, "content", &a->content, NULL, false);
        s_span(j, "addressee", &a->addressee, NULL, false);
        json_key(j, "direct"); json_bool(j, a->direct);
        json_obj_end(j);
        s_flush(t);
    }
    for (size_t i = 0; i < r.n_quantities; i++) {
        const extract_quantity_t *q = &r.quantities[i];
        json_obj_begin(j);
        json_key(j, "type"); json_str(j, "quantity");
        json_key(j, "article"); json_str(j, id);
        json_key(j, "value"); json_num(j, q->value);
        json_key(j, "approx"); json_bool(j, q->approx);
        char b[2] = {q->bound ? q->bound : '=', 0};
        json_key(j, "bound"); json_str(j, b);
        json_key(j, "text"); json_str(j, q->span.text);
        json_key(j, "start"); json_int(j, q->span.start);
        json_key(j, "end"); json_int(j, q->span.end);
        json_key(j, "subject"); json_str(j, q->subject);
        json_key(j, "predicate"); json_str(j, q->predicate);
        json_key(j, "key"); json_str(j, q->key);
        json_key(j, "place"); json_str(j, q->place);
        json_key(j, "time"); json_str(j, q->time);
        json_key(j, "time_resolved"); json_bool(j, q->time_resolved);
        json_key(j, "total"); json_bool(j, q->total);
        json_key(j, "year"); json_bool(j, q->year);
        /* the claim frame (proto/frame.h); an open bound is null */
        json_key(j, "low");
        if (q->open_low)
            json_null(j);
        else
            json_num(j, q->low);
        json_key(j, "high");
        if (q->open_high)
            json_null(j);
        else
            json_num(j, q->high);
        json_key(j, "unit"); json_str(j, q->unit);
        json_key(j, "what"); json_str(j, q->what);
        json_key(j, "whose"); json_str(j, q->whose);
        json_key(j, "scope"); json_str(j, q->scope);
        json_key(j, "in_title"); json_bool(j, q->in_title);
        s_span(j, "sentence", &q->sentence, NULL, false);
        json_obj_end(j);
        s_flush(t);
    }
    for (size_t i = 0; i < r.n_entities; i++) {
        const extract_entity_t *e = &r.entities[i];
        json_obj_begin(j);
        json_key(j, "type"); json_str(j, "entity");
        json_key(j, "article"); json_str(j, id);
        json_key(j, "key"); json_str(j, e->key);
        json_key(j, "name"); json_str(j, e->name);
        json_key(j, "kind"); json_str(j, e->kind);
        json_key(j, "aliases");
        json_arr_begin(j);
        for (size_t a = 0; a < e->n_aliases; a++)
            json_str(j, e->aliases[a]);
        json_arr_end(j);
        json_key(j, "articles"); json_int(j, 1);
        json_key(j, "mentions"); json_int(j, (int64_t)e->n_mentions);
        json_obj_end(j);
        s_flush(t);
    }
    free(title);
    free(buf);
}

static int s_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void s_path(s_tool_t *t, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        util_warn("%s: not found", path);
        t->failed++;
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        s_file(t, path);
        return;
    }
    DIR *d = opendir(path);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.')
            continue;
        char *full = util_malloc(strlen(path) + l + 2);
        sprintf(full, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", de->d_name);
        struct stat s2;
        if (stat(full, &s2) == 0 && (S_ISDIR(s2.st_mode) || (l > 4 && strcmp(de->d_name + l - 4, ".txt") == 0))) {
            names = util_realloc(names, (n + 1) * sizeof *names);
            names[n++] = full;
        } else {
            free(full);
        }
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, s_cmp);
    for (size_t i = 0; i < n; i++) {
        s_path(t, names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    opts_common("cc-extract", &argc, argv);   /* --version, --log-format */
    s_tool_t t = {0};
    int first = 1;
    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "-p") == 0)
            t.pub_from_name = true;
        else if (strcmp(argv[first], "--bench") == 0)
            t.bench = true;
        else {
            fprintf(stderr, "usage: cc-extract [-p] [--bench] FILE_OR_DIR...\n");
            return 2;
        }
    }
    if (first >= argc) {
        fprintf(stderr, "usage: cc-extract [-p] [--bench] FILE_OR_DIR...\n");
        return 2;
    }
    t.ex = extract_new();
    t.j = json_new();
    uint64_t t0 = util_mono_us();
    for (int i = first; i < argc; i++)
        s_path(&t, argv[i]);
    uint64_t us = util_mono_us() - t0;
    if (t.bench)
        fprintf(stderr, "%zu files, %.1f MB in %.3f s: %.1f MB/s (%zu failed)\n", t.files,
                t.bytes / 1e6, us / 1e6, us ? t.bytes / (double)us : 0.0, t.failed);
    json_destroy(&t.j);
    extract_destroy(&t.ex);
    return t.failed && t.failed == t.files ? 1 : 0;
}
