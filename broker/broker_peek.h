/*  broker_peek: the broker's look into a RESULT's protobuf without unpacking it (the
    bytes are a peer's: never trusted). Header-only, so that fuzz/fuzz_pb_peek.c runs the
    very code the broker does. */
#ifndef CC_BROKER_PEEK_H
#define CC_BROKER_PEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Finds the job id (field 1), the encoding (field 7) and text_bytes (field 10) of a
   Result protobuf without unpacking it all: walks the top-level fields, skipping each by
   its wire type. Returns false on malformed framing or without a job id; *enc is NULL
   when there is none, *text_bytes 0. */
static inline bool brk_pb_peek(const uint8_t *p, size_t n, const uint8_t **id, size_t *id_len,
                               const uint8_t **enc, size_t *enc_len, uint64_t *text_bytes)
{
    size_t i = 0;
    *id = NULL;
    *enc = NULL;
    *enc_len = 0;
    *text_bytes = 0;
    while (i < n) {
        uint64_t key = 0, len = 0;
        int shift = 0;
        do {
            if (i >= n || shift > 63)
                return false;
            key |= (uint64_t)(p[i] & 0x7f) << shift;
            shift += 7;
        } while (p[i++] & 0x80);
        switch (key & 7) {
        case 0: {
            uint64_t v = 0;
            shift = 0;
            do {
                if (i >= n || shift > 63)
                    return false;
                v |= (uint64_t)(p[i] & 0x7f) << shift;
                shift += 7;
            } while (p[i++] & 0x80);
            if ((key >> 3) == 10)
                *text_bytes = v;
            break;
        }
        case 1:
            if (n - i < 8)
                return false;
            i += 8;
            break;
        case 5:
            if (n - i < 4)
                return false;
            i += 4;
            break;
        case 2:
            shift = 0;
            do {
                if (i >= n || shift > 63)
                    return false;
                len |= (uint64_t)(p[i] & 0x7f) << shift;
                shift += 7;
            } while (p[i++] & 0x80);
            if (len > n - i)
                return false;
            if ((key >> 3) == 1) {
                *id = p + i;
                *id_len = (size_t)len;
            } else if ((key >> 3) == 7) {
                *enc = p + i;
                *enc_len = (size_t)len;
            }
            i += (size_t)len;
            break;
        default:
            return false;
        }
    }
    return *id != NULL;
}

#endif
