/*  libFuzzer harness: the store's query parser (store/store_query.h), which reads a
    client's request frames on the query socket. The input is cut into frames: its first
    byte gives their number (0 to 3), and each frame but the last is led by a 2-byte
    little-endian length (cut short at the end of the input); the last takes the rest.
    Besides never reading out of bounds, a query it accepts must hold together: its
    argument is the frame's bytes, its prefixes are strings inside the argument or static
    topic names, and SINCE's sequence number is the argument's digits. */
#include <stdlib.h>
#include <string.h>
#include "db.h"
#include "store_query.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t n = data[0] % 4, at = 1;
    const uint8_t *frames[3];
    size_t lens[3];
    for (size_t i = 0; i < n; i++) {
        size_t len = size - at;
        if (i + 1 < n && size - at >= 2) {
            len = (size_t)data[at] | (size_t)data[at + 1] << 8;
            at += 2;
            if (len > size - at)
                len = size - at;
        }
        frames[i] = data + at;
        lens[i] = len;
        at += len;
    }
    /* copies, so that ASan sees a read past a frame's end */
    uint8_t *copy[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < n; i++) {
        copy[i] = malloc(lens[i] ? lens[i] : 1);
        memcpy(copy[i], frames[i], lens[i]);
        frames[i] = copy[i];
    }
    store_query_t q;
    int rc = store_query_parse(frames, lens, n, &q);
    if (rc == 0) {
        if (n < 1 || n > 2 || lens[0] >= 16)
            abort();   /* accepted what is not VERB [ARG] */
        if (strlen(q.arg) > STORE_QUERY_MAX_ARG || q.nprefixes > STORE_QUERY_MAX_PREFIXES)
            abort();
        if (q.kind != STORE_QUERY_DUMP && q.nprefixes != 0)
            abort();
        if (q.kind != STORE_QUERY_DUMP && n == 2 &&
            (strlen(q.arg) != lens[1] || memcmp(q.arg, frames[1], lens[1]) != 0))
            abort();   /* the argument is not the frame's bytes */
        for (size_t i = 0; i < q.nprefixes; i++) {
            const char *p = q.prefixes[i];
            if (!p)
                abort();
            if (p >= q.arg && p < q.arg + sizeof q.arg) {
                if (p + strlen(p) > q.arg + STORE_QUERY_MAX_ARG)
                    abort();   /* a prefix running past the argument */
            } else if (strlen(p) > 16) {
                abort();   /* neither in the argument nor a static topic name */
            }
        }
        if (q.kind == STORE_QUERY_DUMP && q.nprefixes == 0 &&
            (q.what & ~(unsigned)(DB_ALL | DB_CONFLICTS)))
            abort();   /* a flag db_dump does not know */
        if (q.kind == STORE_QUERY_SINCE &&
            (strspn(q.arg, "0123456789") != lens[1] || strtoull(q.arg, NULL, 10) != q.after))
            abort();   /* a sequence number that is not the argument's digits */
    } else if (strcmp(store_query_strerror(rc), "unknown store_query error") == 0) {
        abort();   /* an error without its reply text */
    }
    for (size_t i = 0; i < n; i++)
        free(copy[i]);
    return 0;
}
