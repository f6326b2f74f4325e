/*  extract_arena: blocks in a list; reset rewinds to the first block and reuses the rest
    in order, so steady-state runs allocate nothing. */
#include "extract_arena.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (256 * 1024)

typedef struct s_block_t {
    struct s_block_t *next;   /* next block, kept across resets */
    size_t cap;               /* usable bytes in data */
    size_t used;              /* bytes handed out from data */
    max_align_t data[];       /* the memory */
} s_block_t;

struct extract_arena_t {
    s_block_t *head;          /* first block */
    s_block_t *cur;           /* block allocations come from */
    size_t total;             /* bytes handed out since reset */
};

extract_arena_t *extract_arena_new(void)
{
    return util_calloc(1, sizeof(extract_arena_t));
}

void extract_arena_destroy(extract_arena_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    s_block_t *b = (*self_p)->head;
    while (b) {
        s_block_t *next = b->next;
        free(b);
        b = next;
    }
    free(*self_p);
    *self_p = NULL;
}

void extract_arena_reset(extract_arena_t *self)
{
    for (s_block_t *b = self->head; b; b = b->next)
        b->used = 0;
    self->cur = self->head;
    self->total = 0;
}

static s_block_t *s_block_new(size_t need)
{
    size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
    s_block_t *b = util_malloc(sizeof *b + cap);
    b->next = NULL;
    b->cap = cap;
    b->used = 0;
    return b;
}

void *extract_arena_alloc(extract_arena_t *self, size_t size, int zero)
{
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    /* Walk forward through kept blocks until one fits; a block too small for a big
       request is skipped for this run, not freed. */
    s_block_t *b = self->cur;
    while (b && b->cap - b->used < size) {
        if (!b->next)
            break;
        b = b->next;
    }
    if (!b || b->cap - b->used < size) {
        s_block_t *nb = s_block_new(size);
        if (b) {
            nb->next = b->next;
            b->next = nb;
        } else {
            self->head = nb;
        }
        b = nb;
    }
    self->cur = b;
    void *p = (char *)b->data + b->used;
    b->used += size;
    self->total += size;
    if (zero)
        memset(p, 0, size);
    return p;
}

char *extract_arena_strndup(extract_arena_t *self, const char *s, size_t n)
{
    char *p = extract_arena_alloc(self, n + 1, 0);
    if (n)
        memcpy(p, s, n);
    p[n] = 0;
    return p;
}

size_t extract_arena_used(const extract_arena_t *self)
{
    return self->total;
}
