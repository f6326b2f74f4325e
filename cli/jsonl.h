/*  jsonl: reads one JSON Lines record of the news-please kind. A small, strict JSON
    parser that keeps only the top-level string fields asked for and skips the rest, with
    a nesting limit, so any bytes give a value or a clear error and never a crash. */
#ifndef CC_JSONL_H
#define CC_JSONL_H

#include <stddef.h>
#include <stdint.h>

#define JSONL_MAX_DEPTH 32

/* Parses `line` (one JSON object) and, for each name in `keys` (n of them), sets
   values[i] to a fresh NUL-terminated UTF-8 copy of that top-level string field (the
   caller frees each with free()), or NULL when absent, null, an object or an array. A
   number or boolean comes back as its JSON text ("12", "true").
   `lens[i]` receives the decoded length (a value may hold \u0000). Returns 0, or -1 with
   `*err` set to a static message and every values[i] NULL. */
int jsonl_fields(const char *line, size_t len, const char *const *keys, size_t n,
                 char **values, size_t *lens, const char **err);

#endif
