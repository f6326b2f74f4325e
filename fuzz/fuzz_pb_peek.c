/*  libFuzzer harness: the broker's peek into a RESULT protobuf (broker/broker_peek.h),
    peer bytes it reads without unpacking. Besides never reading out of bounds, it must
    agree with protobuf-c: whatever protobuf-c unpacks with a job id, the peek finds, and
    finds the same bytes. */
#include <stdlib.h>
#include <string.h>
#include "broker_peek.h"
#include "crossclaim.pb-c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *id, *enc;
    size_t id_len, enc_len;
    uint64_t text_bytes;
    bool ok = brk_pb_peek(data, size, &id, &id_len, &enc, &enc_len, &text_bytes);
    if (ok && (id < data || id + id_len > data + size))
        abort();   /* an id outside the bytes */
    if (ok && enc && (enc < data || enc + enc_len > data + size))
        abort();
    Crossclaim__Result *r = crossclaim__result__unpack(NULL, size, data);
    if (r && r->job_id && r->job_id[0]) {
        if (!ok)
            abort();   /* protobuf-c reads a job id the broker would not see */
        if (!memchr(id, 0, id_len) &&
            (id_len != strlen(r->job_id) || memcmp(id, r->job_id, id_len) != 0))
            abort();   /* another id than protobuf-c's */
    }
    crossclaim__result__free_unpacked(r, NULL);
    return 0;
}
