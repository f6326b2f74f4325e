/*  pb_walk: the top-level fields of a protobuf message read one by one, without unpacking
    it, from bytes that may come from a peer or a damaged file (every read is bounded).
    Header-only: the broker peeks into RESULTs with it (broker_peek.h) and the store
    reads the few fields of a stored record it needs (db_story.c). */
#ifndef CC_PB_WALK_H
#define CC_PB_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One field: its number and wire type; the whole field, tag included, is p[start, end)
   (so fields can be copied out verbatim into a smaller message); a varint's value; a
   length-delimited field's payload data[0, len). */
typedef struct {
    uint64_t number;
    unsigned wire;
    size_t start, end;
    uint64_t value;
    const uint8_t *data;
    size_t len;
} pb_field_t;

/* Reads the varint at p[*i..n) into *v, moving *i past it. False when cut short or
   longer than 64 bits. */
static inline bool pb_varint(const uint8_t *p, size_t n, size_t *i, uint64_t *v)
{
    uint64_t x = 0;
    for (int shift = 0;; shift += 7) {
        if (*i >= n || shift > 63)
            return false;
        uint8_t b = p[(*i)++];
        x |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            break;
    }
    *v = x;
    return true;
}

/* Reads the field at p[*i..n) into *f and moves *i past it. Returns 1 for a field, 0 at
   the end of the message, -1 on malformed framing (a cut-short field, a length past the
   end, a wire type protobuf 3 does not write). */
static inline int pb_next(const uint8_t *p, size_t n, size_t *i, pb_field_t *f)
{
    if (*i >= n)
        return 0;
    uint64_t key, len;
    f->start = *i;
    f->value = 0;
    f->data = NULL;
    f->len = 0;
    if (!pb_varint(p, n, i, &key))
        return -1;
    f->number = key >> 3;
    f->wire = (unsigned)(key & 7);
    switch (f->wire) {
    case 0:
        if (!pb_varint(p, n, i, &f->value))
            return -1;
        break;
    case 1:
        if (n - *i < 8)
            return -1;
        *i += 8;
        break;
    case 5:
        if (n - *i < 4)
            return -1;
        *i += 4;
        break;
    case 2:
        if (!pb_varint(p, n, i, &len) || len > n - *i)
            return -1;
        f->data = p + *i;
        f->len = (size_t)len;
        *i += (size_t)len;
        break;
    default:
        return -1;
    }
    f->end = *i;
    return 1;
}

#endif
