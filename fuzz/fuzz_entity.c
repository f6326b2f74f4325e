/*  libFuzzer harness: the store's entity record decoder (dbi_ent_parse), which reads
    bytes from the database file: a damaged or crafted file must never make it read out of
    bounds, whatever the lengths and counts inside say. */
#include <stdio.h>
#include <stdlib.h>
#include "db_internal.h"

static db_t *s_db;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char dir[] = "/tmp/cc-fuzz-entity-XXXXXX";
    if (!mkdtemp(dir) || db_open(dir, false, &s_db) != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t extra[DBI_LISTS] = {0};
    dbi_arena_reset(&s_db->arena);
    dbi_ent_t e;
    if (dbi_ent_parse(s_db, data, size, &e, extra) != 0)
        return 0;
    /* touch every byte the decoder vouched for */
    volatile uint8_t sink = 0;
    for (size_t i = 0; i < e.key_len; i++)
        sink ^= (uint8_t)e.key[i];
    for (size_t l = 0; l < DBI_LISTS; l++)
        for (size_t i = 0; i < e.n[l]; i++)
            for (uint32_t k = 0; k < e.list[l][i].len; k++)
                sink ^= (uint8_t)e.list[l][i].s[k];
    (void)sink;
    return 0;
}
