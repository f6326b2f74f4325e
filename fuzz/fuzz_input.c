/*  libFuzzer harness: a text file's bytes through the article reader. */
#include <stddef.h>
#include <stdint.h>
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input_article_t a;
    const char *err;
    if (input_from_text(data, size, "fuzz.txt", &a, &err) == 0)
        input_article_clear(&a);
    return 0;
}
