/*  util: the few helpers every crossclaim process shares.

    Allocation aborts on out-of-memory (as redis' zmalloc does) so callers never NULL-check.
    Logging goes to stderr, one line per event, each with an RFC 3339 UTC timestamp, the
    program, its pid and a level (info, warning, error); with util_log_format("json") each
    line is one JSON object instead: {"time","program","pid","level","msg"}.
    Hashing gives the job id: a hash of the article's bytes, so a resubmitted article is
    the same job. */
#ifndef CC_UTIL_H
#define CC_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define UTIL_ID_HEX 32              /* job ids are 32 lowercase hex digits */

/* Allocation. These can't fail: out of memory prints a message and aborts. */
void *util_malloc(size_t size);
void *util_calloc(size_t n, size_t size);
void *util_realloc(void *ptr, size_t size);
char *util_strdup(const char *s);
char *util_strndup(const char *s, size_t n);

/* Logging. `util_log_init` names the process (the pointer is kept: a literal or argv);
   `util_log_name` returns it; `util_log_quiet` silences info lines. */
void util_log_init(const char *name);
const char *util_log_name(void);
void util_log_quiet(bool quiet);

/* Chooses the line format: "text" (the default) or "json". 0, or -EINVAL for anything
   else (the format is then unchanged). */
int util_log_format(const char *format);
void util_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void util_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void util_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes a short printable sample of outside bytes into `out` (size `cap`, >= 4), escaping
   what isn't printable ASCII, for error messages. Returns `out`. Can't fail. */
char *util_sample(const void *data, size_t size, char *out, size_t cap);

/* Job id: hex of the first 16 bytes of BLAKE2b over title, a NUL byte, then text.
   `out` must hold UTIL_ID_HEX + 1 bytes. Can't fail. */
void util_job_id(const char *title, size_t title_len, const void *text, size_t text_len,
                 char out[UTIL_ID_HEX + 1]);

/* True when `s` (length `len`) is a well-formed job id. */
bool util_is_job_id(const void *s, size_t len);

/* Length (1..4) of the valid UTF-8 sequence at p (n bytes available), or 0 when the
   bytes there are not one (overlong, surrogate, past U+10FFFF, truncated). */
size_t util_utf8_seq(const uint8_t *p, size_t n);

/* The code point of byte `b` read as Windows-1252, or 0 for its five undefined bytes
   (0x81, 0x8d, 0x8f, 0x90, 0x9d). Old feeds that are not UTF-8 are read this way. */
uint32_t util_cp1252(uint8_t b);

/* Clocks, in microseconds: wall clock since the epoch, and monotonic. */
uint64_t util_wall_us(void);
uint64_t util_mono_us(void);

/* Makes directory `path` and its parents (mode 0700 for new ones). 0 or -errno. */
int util_mkdirs(const char *path);

/* Raises the open-file limit's soft value to its hard one, as a daemon's first act: each
   connection is a file, and libzmq aborts when an ipc accept finds none left. Says so when
   it raised it, and warns when what is left is low for `what` (a daemon's name). Returns
   the soft limit in force. This function can't fail. */
unsigned long util_raise_nofile(const char *what);

#endif
