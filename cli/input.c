/*  input: article readers for text files, directories, JSON Lines and stdin. */
#include "input.h"
#include "jsonl.h"
#include "wire.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A UTF-8 copy of a metadata string (title, source): valid sequences are kept, other
   bytes are read as Windows-1252, as the design says for old feeds. */
static char *s_utf8_copy(const char *s, size_t n)
{
    char *out = util_malloc(n * 3 + 1);
    size_t o = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = util_utf8_seq(p + i, n - i);
        if (k) {
            memcpy(out + o, p + i, k);
            o += k;
            i += k;
            continue;
        }
        unsigned cp = p[i] >= 0x80 && util_cp1252(p[i]) ? util_cp1252(p[i]) : 0xfffd;
        if (cp < 0x800) {
            out[o++] = (char)(0xc0 | cp >> 6);
            out[o++] = (char)(0x80 | (cp & 0x3f));
        } else {
            out[o++] = (char)(0xe0 | cp >> 12);
            out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
            out[o++] = (char)(0x80 | (cp & 0x3f));
        }
        i++;
    }
    out[o] = 0;
    return out;
}

static char *s_trim_copy(const char *s, size_t n)
{
    while (n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) { s++; n--; }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    return s_utf8_copy(s, n);
}

void input_article_clear(input_article_t *a)
{
    free(a->source);
    free(a->title);
    free(a->outlet);
    free(a->published);
    free(a->text);
    memset(a, 0, sizeof *a);
}

/* Length of the UTF-8 byte order mark at `p` (3), or 0. Editors on Windows write one at
   the start of a text file, and JSON Lines exports at the start of their first line. */
static size_t s_bom(const uint8_t *p, size_t n)
{
    return n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf ? 3 : 0;
}

static bool s_blank(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n' || p[i] == '\f' || p[i] == '\v'))
            return false;
    return true;
}

static int s_check_text(const uint8_t *text, size_t len, size_t body_start, const char **err)
{
    if (len > WIRE_MAX_ARTICLE) {
        *err = "article over the size limit (8 MiB)";
        return -1;
    }
    if (memchr(text, 0, len)) {
        *err = "article holds NUL bytes (a binary file?)";
        return -1;
    }
    if (s_blank(text + body_start, len - body_start)) {
        *err = "empty article (no body text)";
        return -1;
    }
    return 0;
}

/* The file's stem: "dir/abc.txt" -> "abc". */
static char *s_stem(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    size_t n = dot && dot != b ? (size_t)(dot - b) : strlen(b);
    return s_utf8_copy(b, n);
}

static void s_fill_pb(input_article_t *a, size_t len, size_t body_start)
{
    crossclaim__article__init(&a->pb);
    util_job_id(a->title, strlen(a->title), a->text, len, a->id);
    a->pb.id = a->id;
    a->pb.source = a->source;
    a->pb.title = a->title;
    a->pb.outlet = a->outlet;
    a->pb.published = a->published;
    a->pb.text.data = a->text;
    a->pb.text.len = len;
    a->pb.body_start = (uint32_t)body_start;
}

int input_from_text(const uint8_t *data, size_t size, const char *source,
                    input_article_t *out, const char **err)
{
    memset(out, 0, sizeof *out);
    const uint8_t *nl = size ? memchr(data, '\n', size) : NULL;
    size_t title_end = nl ? (size_t)(nl - data) : size;
    size_t body_start = nl ? title_end + 1 : size;
    if (s_check_text(data, size, body_start, err) != 0)
        return -1;
    out->text = util_malloc(size);
    memcpy(out->text, data, size);
    /* The document stays the file's bytes (offsets point into them); a BOM is only kept
       out of the title. */
    size_t bom = s_bom(data, title_end);
    out->title = s_trim_copy((const char *)data + bom, title_end - bom);
    out->source = s_utf8_copy(source, strlen(source));
    out->outlet = s_stem(source);
    out->published = util_strdup("");
    s_fill_pb(out, size, body_start);
    return 0;
}

/* "2020-02-06 10:11:12" or "2020-02-06T..." -> "2020-02-06"; anything else -> "". */
static char *s_iso_date(const char *s)
{
    if (s && strlen(s) >= 10 && s[4] == '-' && s[7] == '-') {
        bool ok = true;
        for (int i = 0; i < 10; i++)
            if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
                ok = false;
        if (ok)
            return util_strndup(s, 10);
    }
    return util_strdup("");
}

/* Host of a URL: "https://www.example.com/x" -> "www.example.com". */
static char *s_host(const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t n = strcspn(p, "/?#:");
    return n ? s_utf8_copy(p, n) : NULL;
}

int input_from_jsonl(const char *line, size_t len, const char *fallback_source,
                     input_article_t *out, const char **err)
{
    enum { K_TITLE, K_MAINTEXT, K_TEXT, K_URL, K_DATE, K_DOMAIN, K_N };
    static const char *const keys[K_N] = {"title", "maintext", "text", "url", "date_publish",
                                          "source_domain"};
    char *v[K_N];
    size_t vl[K_N];
    memset(out, 0, sizeof *out);
    size_t bom = s_bom((const uint8_t *)line, len);
    line += bom;
    len -= bom;
    if (jsonl_fields(line, len, keys, K_N, v, vl, err) != 0)
        return -1;
    int body = v[K_MAINTEXT] ? K_MAINTEXT : K_TEXT;
    int rc = -1;
    if (!v[body]) {
        *err = "record has no \"maintext\" or \"text\" string";
        goto done;
    }
    if (s_check_text((const uint8_t *)v[body], vl[body], 0, err) != 0)
        goto done;
    out->text = (uint8_t *)v[body];
    v[body] = NULL;
    out->title = v[K_TITLE] ? s_trim_copy(v[K_TITLE], vl[K_TITLE]) : util_strdup("");
    out->source = v[K_URL] && v[K_URL][0] ? s_utf8_copy(v[K_URL], vl[K_URL])
                                          : s_utf8_copy(fallback_source, strlen(fallback_source));
    if (v[K_DOMAIN] && v[K_DOMAIN][0])
        out->outlet = s_utf8_copy(v[K_DOMAIN], vl[K_DOMAIN]);
    else if (v[K_URL] && (out->outlet = s_host(v[K_URL])) != NULL)
        ;
    else
        out->outlet = util_strdup("");
    out->published = s_iso_date(v[K_DATE]);
    s_fill_pb(out, vl[body], 0);
    rc = 0;
done:
    for (int i = 0; i < K_N; i++)
        free(v[i]);
    if (rc != 0)
        input_article_clear(out);
    return rc;
}

/* ---- the walker ---- */

static bool s_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Reads a whole stream, up to `limit` bytes (more is an error). */
static int s_slurp(FILE *f, size_t limit, uint8_t **data, size_t *size)
{
    size_t cap = 65536, n = 0;
    uint8_t *buf = util_malloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap > limit) {
                free(buf);
                return -EFBIG;
            }
            cap *= 2;
            buf = util_realloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        free(buf);
        return -EIO;
    }
    if (n > limit) {
        free(buf);
        return -EFBIG;
    }
    *data = buf;
    *size = n;
    return 0;
}

static int s_emit(const input_sink_t *sink, input_article_t *a)
{
    int rc = sink->article(sink->arg, a);
    input_article_clear(a);
    return rc;
}

static int s_jsonl_stream(FILE *f, const char *path, const input_sink_t *sink)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    char fallback[4096];
    while ((n = getline(&line, &cap, f)) != -1) {
        lineno++;
        size_t bom = s_bom((const uint8_t *)line, (size_t)n);
        if (s_blank((const uint8_t *)line + bom, (size_t)n - bom))
            continue;
        if ((size_t)n > 2 * (size_t)WIRE_MAX_ARTICLE) {
            sink->error(sink->arg, path, lineno, "line over the size limit");
            continue;
        }
        snprintf(fallback, sizeof fallback, "%s:%ld", path, lineno);
        input_article_t a;
        const char *err;
        if (input_from_jsonl(line, (size_t)n, fallback, &a, &err) != 0) {
            sink->error(sink->arg, path, lineno, err);
            continue;
        }
        if ((rc = s_emit(sink, &a)) != 0)
            break;
    }
    free(line);
    return rc;
}

static int s_text_file(FILE *f, const char *path, const input_sink_t *sink)
{
    uint8_t *data;
    size_t size;
    int rc = s_slurp(f, WIRE_MAX_ARTICLE, &data, &size);
    if (rc == -EFBIG) {
        sink->error(sink->arg, path, 0, "article over the size limit (8 MiB)");
        return 0;
    }
    if (rc != 0) {
        sink->error(sink->arg, path, 0, strerror(-rc));
        return 0;
    }
    input_article_t a;
    const char *err;
    rc = input_from_text(data, size, path, &a, &err);
    free(data);
    if (rc != 0) {
        sink->error(sink->arg, path, 0, err);
        return 0;
    }
    return s_emit(sink, &a);
}

static int s_file(const char *path, const input_sink_t *sink)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        sink->error(sink->arg, path, 0, strerror(errno));
        return 0;
    }
    int rc = s_ends_with(path, ".jsonl") ? s_jsonl_stream(f, path, sink) : s_text_file(f, path, sink);
    fclose(f);
    return rc;
}

/* Lines in a JSON Lines file, counting a last one without a newline. */
static long long s_count_lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[65536];
    size_t got;
    long long lines = 0;
    bool open_line = false;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        for (const char *p = buf; (p = memchr(p, '\n', (size_t)(buf + got - p))) != NULL; p++)
            lines++;
        open_line = buf[got - 1] != '\n';
    }
    fclose(f);
    return lines + open_line;
}

/* A directory or file by identity: the walker follows directory symlinks, so a path
   says nothing about where it leads; (device, inode) does. */
typedef struct {
    dev_t dev;
    ino_t ino;
    bool used;                  /* the slot holds a node */
} s_node_t;

/* The nodes met so far: an open-addressing hash set, never more than half full. */
typedef struct {
    s_node_t *slot;
    size_t cap, n;
} s_seen_t;

static size_t s_node_hash(dev_t dev, ino_t ino, size_t cap)
{
    uint64_t h = ((uint64_t)dev * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)ino * 0xc2b2ae3d27d4eb4full);
    return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

/* Adds (dev, ino); returns false when it was there already. */
static bool s_seen_add(s_seen_t *s, dev_t dev, ino_t ino)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 256;
        s_seen_t big = {util_calloc(cap, sizeof *big.slot), cap, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i].used)
                s_seen_add(&big, s->slot[i].dev, s->slot[i].ino);
        free(s->slot);
        *s = big;
    }
    size_t i = s_node_hash(dev, ino, s->cap);
    for (; s->slot[i].used; i = (i + 1) & (s->cap - 1))
        if (s->slot[i].dev == dev && s->slot[i].ino == ino)
            return false;
    s->slot[i] = (s_node_t){dev, ino, true};
    s->n++;
    return true;
}

#define S_MAX_DEPTH 64

/* One walk (input_walk) or count (input_count) of a tree. */
typedef struct {
    const input_sink_t *sink;   /* where articles go; NULL when only counting */
    long long count;            /* articles counted, when sink is NULL */
    s_seen_t seen;              /* directories entered and files read so far */
    s_node_t stack[S_MAX_DEPTH + 1];         /* the directories from the root to here */
    const char *stack_path[S_MAX_DEPTH + 1]; /* and their paths, for the loop message */
    int depth;                  /* index of the innermost one in `stack`; -1 at the top */
} s_walk_t;

static void s_notice(const s_walk_t *w, const char *source, const char *msg)
{
    if (!w->sink)
        return;
    if (w->sink->notice)
        w->sink->notice(w->sink->arg, source, msg);
    else
        util_warn("%s: %s", source, msg);
}

static int s_dir(s_walk_t *w, const char *path, const struct stat *dst);

/* One directory entry at `child` (stat'ed through links): a directory is entered unless
   it is on the current path (a loop: said, not followed) or was entered before by
   another path, and a file is read unless it was read before. Each directory is read
   once, so each looping link is met, and said, once. */
static int s_entry(s_walk_t *w, const char *child, const char *name, const struct stat *st)
{
    if (S_ISDIR(st->st_mode)) {
        for (int i = 0; i <= w->depth; i++) {
            if (w->stack[i].dev == st->st_dev && w->stack[i].ino == st->st_ino) {
                char msg[4096 + 96];
                snprintf(msg, sizeof msg, "directory symlink loop (leads back to %s): not followed",
                         w->stack_path[i]);
                s_notice(w, child, msg);
                return 0;
            }
        }
        if (!s_seen_add(&w->seen, st->st_dev, st->st_ino))
            return 0;   /* its files were read through another path */
        return s_dir(w, child, st);
    }
    if (!S_ISREG(st->st_mode) || !(s_ends_with(name, ".txt") || s_ends_with(name, ".jsonl")))
        return 0;
    if (!s_seen_add(&w->seen, st->st_dev, st->st_ino))
        return 0;       /* a link to a file read already */
    if (!w->sink) {
        w->count += s_ends_with(name, ".jsonl") ? s_count_lines(child) : 1;
        return 0;
    }
    return s_file(child, w->sink);
}

/* Reads directory `path` (its stat `dst`, already in w->seen) in name order. */
static int s_dir(s_walk_t *w, const char *path, const struct stat *dst)
{
    if (w->depth + 1 > S_MAX_DEPTH) {
        if (w->sink)
            w->sink->error(w->sink->arg, path, 0, "directories nested too deeply");
        return 0;
    }
    struct dirent **list;
    int n = scandir(path, &list, NULL, w->sink ? alphasort : NULL);
    if (n < 0) {
        if (w->sink)
            w->sink->error(w->sink->arg, path, 0, strerror(errno));
        return 0;
    }
    w->depth++;
    w->stack[w->depth] = (s_node_t){dst->st_dev, dst->st_ino, true};
    w->stack_path[w->depth] = path;
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        unsigned char type = list[i]->d_type;
        /* Only directories, links and the two article kinds are worth a stat. */
        bool wanted = type == DT_DIR || type == DT_LNK || type == DT_UNKNOWN ||
                      s_ends_with(name, ".txt") || s_ends_with(name, ".jsonl");
        if (rc == 0 && name[0] != '.' && wanted) {
            size_t len = strlen(path) + strlen(name) + 2;
            char *child = util_malloc(len);
            snprintf(child, len, "%s%s%s", path, s_ends_with(path, "/") ? "" : "/", name);
            struct stat st;
            if (stat(child, &st) == 0)
                rc = s_entry(w, child, name, &st);
            free(child);
        }
        free(list[i]);
    }
    free(list);
    w->depth--;
    return rc;
}

/* Walks `path` (its stat `st`), a directory or a file, into w->sink or w->count. */
static int s_walk_tree(s_walk_t *w, const char *path, const struct stat *st)
{
    w->depth = -1;
    int rc;
    if (S_ISDIR(st->st_mode)) {
        s_seen_add(&w->seen, st->st_dev, st->st_ino);
        rc = s_dir(w, path, st);
    } else if (w->sink) {
        rc = s_file(path, w->sink);
    } else {
        w->count = s_ends_with(path, ".jsonl") ? s_count_lines(path) : 1;
        rc = 0;
    }
    free(w->seen.slot);
    w->seen = (s_seen_t){0};
    return rc;
}

long long input_count(const char *path)
{
    struct stat st;
    if (strcmp(path, "-") == 0)
        return -1;
    if (stat(path, &st) != 0)
        return 0;
    s_walk_t w = {0};
    s_walk_tree(&w, path, &st);
    return w.count;
}

int input_walk(const char *path, const input_sink_t *sink)
{
    if (strcmp(path, "-") == 0) {
        uint8_t *data;
        size_t size;
        int rc = s_slurp(stdin, 64u * WIRE_MAX_ARTICLE, &data, &size);
        if (rc != 0) {
            sink->error(sink->arg, "-", 0, rc == -EFBIG ? "stdin over the size limit" : strerror(-rc));
            return -1;
        }
        size_t i = s_bom(data, size);
        while (i < size && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
            i++;
        if (i < size && data[i] == '{') {
            FILE *mf = fmemopen(data, size, "rb");
            rc = mf ? s_jsonl_stream(mf, "-", sink) : -1;
            if (mf)
                fclose(mf);
        } else {
            input_article_t a;
            const char *err;
            rc = 0;
            if (input_from_text(data, size, "-", &a, &err) != 0)
                sink->error(sink->arg, "-", 0, err);
            else
                rc = s_emit(sink, &a);
        }
        free(data);
        return rc;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        sink->error(sink->arg, path, 0, strerror(errno));
        return -1;
    }
    s_walk_t w = {.sink = sink};
    return s_walk_tree(&w, path, &st);
}
