/*  extract_arena: a bump allocator owned by one extract_t. Every result of a run points
    into it, and it is reset (not freed) at the start of the next run, so the per-article
    path makes no malloc calls once the arena has grown to the size of a typical article. */
#ifndef CC_EXTRACT_ARENA_H
#define CC_EXTRACT_ARENA_H

#include <stddef.h>

typedef struct extract_arena_t extract_arena_t;

/* Creates an empty arena. Can't fail (out of memory aborts). */
extract_arena_t *extract_arena_new(void);

/* Frees every block; does nothing on NULL; sets *self_p = NULL. */
void extract_arena_destroy(extract_arena_t **self_p);

/* Forgets every allocation but keeps the blocks for reuse. Can't fail. */
void extract_arena_reset(extract_arena_t *self);

/* Returns `size` bytes aligned to 16, zeroed when `zero`. Valid until the next reset.
   Can't fail. */
void *extract_arena_alloc(extract_arena_t *self, size_t size, int zero);

/* Copies `n` bytes of `s` and appends a NUL. Can't fail. */
char *extract_arena_strndup(extract_arena_t *self, const char *s, size_t n);

/* Bytes handed out since the last reset (for tests and benchmarks). */
size_t extract_arena_used(const extract_arena_t *self);

#endif
