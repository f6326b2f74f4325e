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
    out->title = s_trim_copy((const char *)data, title_end);
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
        if (s_blank((const uint8_t *)line, (size_t)n))
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

static int s_dir(const char *path, const input_sink_t *sink, int depth)
{
    if (depth > 64) {
        sink->error(sink->arg, path, 0, "directories nested too deeply");
        return 0;
    }
    struct dirent **list;
    int n = scandir(path, &list, NULL, alphasort);
    if (n < 0) {
        sink->error(sink->arg, path, 0, strerror(errno));
        return 0;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        if (rc == 0 && name[0] != '.') {
            size_t len = strlen(path) + strlen(name) + 2;
            char *child = util_malloc(len);
            snprintf(child, len, "%s%s%s", path, s_ends_with(path, "/") ? "" : "/", name);
            struct stat st;
            if (stat(child, &st) == 0) {
                if (S_ISDIR(st.st_mode))
                    rc = s_dir(child, sink, depth + 1);
                else if (S_ISREG(st.st_mode) && (s_ends_with(name, ".txt") || s_ends_with(name, ".jsonl")))
                    rc = s_file(child, sink);
            }
            free(child);
        }
        free(list[i]);
    }
    free(list);
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

static long long s_count(const char *path, int depth)
{
    struct stat st;
    if (depth > 64 || stat(path, &st) != 0)
        return 0;
    if (!S_ISDIR(st.st_mode))
        return s_ends_with(path, ".jsonl") ? s_count_lines(path) : 1;
    struct dirent **list;
    int n = scandir(path, &list, NULL, NULL);
    long long total = 0;
    for (int i = 0; i < n; i++) {
        const char *name = list[i]->d_name;
        if (name[0] != '.' && (list[i]->d_type == DT_DIR || list[i]->d_type == DT_UNKNOWN ||
                               s_ends_with(name, ".txt") || s_ends_with(name, ".jsonl"))) {
            size_t len = strlen(path) + strlen(name) + 2;
            char *child = util_malloc(len);
            snprintf(child, len, "%s/%s", path, name);
            if (stat(child, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode)))
                total += S_ISDIR(st.st_mode) ? s_count(child, depth + 1)
                         : s_ends_with(name, ".jsonl") ? s_count_lines(child) : 1;
            free(child);
        }
        free(list[i]);
    }
    free(n >= 0 ? list : NULL);
    return total;
}

long long input_count(const char *path)
{
    return strcmp(path, "-") == 0 ? -1 : s_count(path, 0);
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
        size_t i = 0;
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
    if (S_ISDIR(st.st_mode))
        return s_dir(path, sink, 0);
    return s_file(path, sink);
}
