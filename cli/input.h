/*  input: reads articles from what a user points crossclaim at: text files (first line the
    title, the rest the body), directories (recursively, *.txt and *.jsonl, in name order,
    following directory symlinks with loop detection),
    JSON Lines in the news-please shape, and "-" for stdin.

    The parsers are pure functions of bytes (fuzzed); the walker reports each bad input
    through a callback naming the file and line, and goes on with the rest. */
#ifndef CC_INPUT_H
#define CC_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include "crossclaim.pb-c.h"
#include "util.h"

/* One article and the memory behind it. `pb` points into the fields below. */
typedef struct {
    Crossclaim__Article pb;
    char id[UTIL_ID_HEX + 1];
    char *source, *title, *outlet, *published;
    uint8_t *text;
} input_article_t;

/* Frees what an article owns and empties it. Does nothing on an empty one. */
void input_article_clear(input_article_t *a);

/* Builds an article from a text file's bytes: the title is the first line, the document is
   all of `data`, body_start is just past the first newline. A UTF-8 byte order mark at
   the start stays in the document (spans are offsets into the file's bytes) and is kept
   out of the title. `source` is copied.
   Returns 0, or -1 with *err set (static text): empty, over the size limit, NUL bytes. */
int input_from_text(const uint8_t *data, size_t size, const char *source,
                    input_article_t *out, const char **err);

/* Builds an article from one JSON Lines record: title, maintext (or text), url,
   date_publish, source_domain; a UTF-8 byte order mark before the record is skipped.
   The document is the decoded text field. `fallback_source`
   (e.g. "file.jsonl:12") is used when the record has no url. Returns 0 or -1 with *err. */
int input_from_jsonl(const char *line, size_t len, const char *fallback_source,
                     input_article_t *out, const char **err);

typedef struct {
    /* Called for each good article; the callee may keep nothing from `a` after returning
       (copy what it needs). Returning non-zero stops the walk. */
    int (*article)(void *arg, input_article_t *a);
    /* Called for each bad input: source (path), line (0 when not applicable), message. */
    void (*error)(void *arg, const char *source, long line, const char *msg);
    void *arg;
    /* Called for what the walk skips on purpose and the user should hear of, which is not
       a bad input: a directory symlink loop, once per loop, naming the link. NULL: said
       on stderr through the log. */
    void (*notice)(void *arg, const char *source, const char *msg);
} input_sink_t;

/* Counts the articles under `path` as input_walk would find them, cheaply: a text file
   is one, a JSON Lines file one per line, bad inputs included; for a progress display's
   total. Returns the count, or -1 when it can't be known ("-": stdin can't be read
   twice). */
long long input_count(const char *path);

/* Reads `path` ("-" = stdin) and feeds the sink. Directory symlinks are followed; a
   directory is read once however many paths lead to it, a link back to a directory on
   the current path (a loop) is reported to sink->notice and not followed, and a file is
   read once (by device and inode) however many links lead to it. Returns 0 when the walk finished (even
   with bad inputs, which went to sink->error), -1 when the path can't be read at all
   (also reported to sink->error), or the article callback's non-zero value. */
int input_walk(const char *path, const input_sink_t *sink);

#endif
