/*  db_arena: the bump allocator behind the store's decoded records and scratch arrays (a
    merge's, a walked record's, and the write transaction's facts), and protobuf-c's
    allocator over it. Part of db (store/db.h); see db_internal.h. */

#include "db_internal.h"

#include <stdlib.h>
#include <string.h>

#define DB_ARENA_BLOCK  (64u << 10)

void *dbi_arena_alloc(dbi_arena_t *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    for (;;) {
        if (a->cur < a->n && a->off + size <= a->sizes[a->cur]) {
            void *p = a->blocks[a->cur] + a->off;
            a->off += size;
            return p;
        }
        if (a->cur + 1 < a->n) {
            a->cur++;
            a->off = 0;
            continue;
        }
        size_t bs = size > DB_ARENA_BLOCK ? size : DB_ARENA_BLOCK;
        a->blocks = util_realloc(a->blocks, (a->n + 1) * sizeof *a->blocks);
        a->sizes = util_realloc(a->sizes, (a->n + 1) * sizeof *a->sizes);
        a->blocks[a->n] = util_malloc(bs);
        a->sizes[a->n] = bs;
        a->cur = a->n++;
        a->off = 0;
    }
}

void dbi_arena_reset(dbi_arena_t *a)
{
    if (a->n > 1) {
        size_t total = 0;
        for (size_t i = 0; i < a->n; i++) {
            total += a->sizes[i];
            free(a->blocks[i]);
        }
        a->blocks[0] = util_malloc(total);
        a->sizes[0] = total;
        a->n = 1;
    }
    a->cur = 0;
    a->off = 0;
}

void dbi_arena_free(dbi_arena_t *a)
{
    for (size_t i = 0; i < a->n; i++)
        free(a->blocks[i]);
    free(a->blocks);
    free(a->sizes);
    memset(a, 0, sizeof *a);
}

void *dbi_pb_alloc(void *data, size_t size)
{
    return dbi_arena_alloc(data, size);
}

void dbi_pb_free(void *data, void *ptr)
{
    (void)data;
    (void)ptr;
}

void *dbi_alloc(db_t *self, size_t size)
{
    return dbi_arena_alloc(&self->arena, size);
}

char *dbi_strndup(db_t *self, const char *s, size_t n)
{
    char *p = dbi_arena_alloc(&self->arena, n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}
