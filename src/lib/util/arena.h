/* arena.h: bump allocator; one arena per document owns every token, entity
 * and event, and is freed (or reset) in one call. */
#ifndef DYAD_ARENA_H
#define DYAD_ARENA_H

#include <stddef.h>

typedef struct dyad_arena_block dyad_arena_block;

typedef struct dyad_arena {
    dyad_arena_block *head; /* current block; older blocks chain behind it */
    size_t used;            /* bytes handed out, all blocks */
    size_t limit;           /* 0 = no limit; past it allocations fail */
    int oom;                /* sticky: after one failure every alloc is NULL */
} dyad_arena;

void dyad__arena_init(dyad_arena *a, size_t limit);
/* 16-byte aligned, uninitialized. NULL on failure (and a->oom set). */
void *dyad__arena_alloc(dyad_arena *a, size_t n);
void *dyad__arena_calloc(dyad_arena *a, size_t n);
char *dyad__arena_strndup(dyad_arena *a, const char *s, size_t n);
char *dyad__arena_strdup(dyad_arena *a, const char *s);
/* Give back everything but keep the largest block for reuse. */
void dyad__arena_reset(dyad_arena *a);
void dyad__arena_free(dyad_arena *a);

#endif
