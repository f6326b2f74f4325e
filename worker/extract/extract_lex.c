/*  extract_lex: one open-addressing table from a folded word's hash to its entry. Entries
    sit in an array in registration order; slot 0 of the array is unused so that index 0
    means "not in the lexicon". */
#include "extract_lex.h"
#include "extract_date.h"
#include "extract_entity.h"
#include "extract_internal.h"
#include "extract_quantity.h"
#include "extract_unit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEX_MAX   2048        /* entries; the lists hold about 1580 words */
#define LEX_SLOTS 8192        /* power of two, load under 1/4 so probes stay short */

static xlex_t s_entry[LEX_MAX];
static uint16_t s_n = 1;                   /* entries used, slot 0 unused */
static uint16_t s_slot[LEX_SLOTS];        /* entry index, 0 = empty */
static pthread_once_t s_once = PTHREAD_ONCE_INIT;

uint16_t extract_lex_index(const char *f, uint32_t hash)
{
    size_t k = hash & (LEX_SLOTS - 1);
    for (uint16_t e; (e = s_slot[k]) != 0; k = (k + 1) & (LEX_SLOTS - 1))
        if (s_entry[e].hash == hash && strcmp(s_entry[e].w, f) == 0)
            return e;
    return 0;
}

xlex_t *extract_lex_add(const char *w, uint64_t bits)
{
    uint32_t h = extract_hash(w, strlen(w));
    uint16_t e = extract_lex_index(w, h);
    if (!e) {
        if (s_n >= LEX_MAX) {
            /* a build-time invariant: the lists are static and fit */
            fprintf(stderr, "extract_lex: more than %d words registered\n", LEX_MAX - 1);
            abort();
        }
        e = s_n++;
        s_entry[e].w = w;
        s_entry[e].hash = h;
        size_t k = h & (LEX_SLOTS - 1);
        while (s_slot[k])
            k = (k + 1) & (LEX_SLOTS - 1);
        s_slot[k] = e;
    }
    s_entry[e].bits |= bits;
    return &s_entry[e];
}

static void s_build(void)
{
    extract_date_lex();
    extract_entity_lex();
    extract_quantity_lex();
    extract_unit_lex();
}

void extract_lex_init(void)
{
    pthread_once(&s_once, s_build);
}

const xlex_t *extract_lex_entry(uint16_t index)
{
    return index ? &s_entry[index] : NULL;
}

const xlex_t *extract_lex_find(const char *f)
{
    extract_lex_init();
    return extract_lex_entry(extract_lex_index(f, extract_hash(f, strlen(f))));
}

uint64_t extract_lex_bits(const char *f)
{
    const xlex_t *x = extract_lex_find(f);
    return x ? x->bits : 0;
}
