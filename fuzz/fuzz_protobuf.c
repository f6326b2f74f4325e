/*  libFuzzer harness: bounded protobuf unpacking of Article and Result. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Crossclaim__Article *a = NULL;
    if (wire_unpack_article(data, size, &a) == 0) {
        volatile size_t n = strlen(a->id) + a->text.len + strlen(a->source);
        (void)n;
        crossclaim__article__free_unpacked(a, NULL);
    }
    Crossclaim__Result *r = NULL;
    if (wire_unpack_result(data, size, &r) == 0) {
        volatile size_t n = r->n_attributions + r->n_quantities + strlen(r->job_id);
        (void)n;
        crossclaim__result__free_unpacked(r, NULL);
    }
    return 0;
}
