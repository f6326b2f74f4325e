/*  fuzz_extract: libFuzzer harness for extract_run over arbitrary bytes.

    Byte 0 picks where the body starts (as a fraction of the input) and byte 1 picks the
    publication date (none, or one of a few, including month and year edges), so the
    title, date-resolution and Windows-1252 paths all get exercised. The rest is the
    document. Every span must lie inside the document and every text be NUL-terminated. */
#include "extract.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static extract_t *s_ex;

static void s_check_span(const extract_span_t *sp, size_t len)
{
    if (!sp->text)
        return;
    if (sp->start > sp->end || sp->end > len)
        abort();
    (void)strlen(sp->text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *dates[] = {NULL, "2020-02-29", "2019-12-31", "2021-01-01",
                                  "not-a-date", "2020-13-45", "1900-01-01", "2100-12-31"};
    if (!s_ex)
        s_ex = extract_new();
    if (size < 2)
        return 0;
    size_t len = size - 2;
    const uint8_t *text = data + 2;
    size_t body = len ? (size_t)data[0] * len / 255 : 0;
    const char *pub = dates[data[1] % (sizeof dates / sizeof *dates)];
    /* a copy with no slack, so ASan sees reads past the end */
    uint8_t *copy = malloc(len ? len : 1);
    if (len)
        memcpy(copy, text, len);
    extract_doc_t doc = {copy, len, body, "", pub};
    extract_result_t r;
    int rc = extract_run(s_ex, &doc, &r);
    if (rc == 0) {
        for (size_t i = 0; i < r.n_attrs; i++) {
            s_check_span(&r.attrs[i].speaker, len);
            s_check_span(&r.attrs[i].cue, len);
            s_check_span(&r.attrs[i].content, len);
            s_check_span(&r.attrs[i].addressee, len);
        }
        for (size_t i = 0; i < r.n_quantities; i++) {
            s_check_span(&r.quantities[i].span, len);
            if (!r.quantities[i].key)
                abort();
        }
        for (size_t i = 0; i < r.n_entities; i++)
            for (size_t m = 0; m < r.entities[i].n_mentions; m++)
                s_check_span(&r.entities[i].mentions[m], len);
    }
    const extract_span_t *sents;
    size_t n;
    if (extract_sentences(s_ex, &doc, &sents, &n) == 0)
        for (size_t i = 0; i < n; i++)
            s_check_span(&sents[i], len);
    free(copy);
    return 0;
}
