/*  broker_peek: the broker's look into a RESULT's protobuf without unpacking it (the
    bytes are a peer's: never trusted). Header-only, so that fuzz/fuzz_pb_peek.c runs the
    very code the broker does. */
#ifndef CC_BROKER_PEEK_H
#define CC_BROKER_PEEK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pb_walk.h"

/* Finds the job id (field 1), the encoding (field 7) and text_bytes (field 10) of a
   Result protobuf without unpacking it all: walks the top-level fields, skipping each by
   its wire type. Returns false on malformed framing or without a job id; *enc is NULL
   when there is none, *text_bytes 0. */
static inline bool brk_pb_peek(const uint8_t *p, size_t n, const uint8_t **id, size_t *id_len,
                               const uint8_t **enc, size_t *enc_len, uint64_t *text_bytes)
{
    size_t i = 0;
    pb_field_t f;
    int rc;
    *id = NULL;
    *enc = NULL;
    *enc_len = 0;
    *text_bytes = 0;
    while ((rc = pb_next(p, n, &i, &f)) > 0) {
        if (f.number == 10 && f.wire == 0) {
            *text_bytes = f.value;
        } else if (f.wire == 2 && f.number == 1) {
            *id = f.data;
            *id_len = f.len;
        } else if (f.wire == 2 && f.number == 7) {
            *enc = f.data;
            *enc_len = f.len;
        }
    }
    return rc == 0 && *id != NULL;
}

#endif
