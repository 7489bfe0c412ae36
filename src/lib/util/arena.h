/* arena.h: bump allocator; one arena per document owns every token, entity
 * and event, and is freed (or reset) in one call. */
#ifndef DYAD_ARENA_H
#define DYAD_ARENA_H

#include <stddef.h>
#include <string.h>

/* A block: here so that the common allocation is inline (below). */
typedef struct dyad_arena_block {
    struct dyad_arena_block *next;
    size_t size, pos;
    _Alignas(16) unsigned char data[];
} dyad_arena_block;

typedef struct dyad_arena {
    dyad_arena_block *head; /* current block; older blocks chain behind it */
    size_t used;            /* bytes handed out, all blocks */
    size_t limit;           /* 0 = no limit; past it allocations fail */
    int oom;                /* sticky: after one failure every alloc is NULL */
} dyad_arena;

void dyad__arena_init(dyad_arena *a, size_t limit);
/* dyad__arena_alloc when the current block has no room, or with a limit. */
void *dyad__arena_alloc_slow(dyad_arena *a, size_t n);

/* 16-byte aligned, uninitialized. NULL on failure (and a->oom set). Inline:
 * the coder makes a dozen small allocations per sentence. */
static inline void *dyad__arena_alloc(dyad_arena *a, size_t n) {
    size_t need = (n + 15) & ~(size_t)15;
    dyad_arena_block *b = a->head;
    if (b && !a->oom && !a->limit && need >= n && b->size - b->pos >= need) {
        void *p = b->data + b->pos;
        b->pos += need;
        a->used += need;
        return p;
    }
    return dyad__arena_alloc_slow(a, n);
}

void *dyad__arena_calloc(dyad_arena *a, size_t n);

static inline char *dyad__arena_strndup(dyad_arena *a, const char *s, size_t n) {
    char *p = dyad__arena_alloc(a, n + 1);
    if (!p) return NULL;
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *dyad__arena_strdup(dyad_arena *a, const char *s);
/* Give back everything but keep the largest block for reuse. */
void dyad__arena_reset(dyad_arena *a);
void dyad__arena_free(dyad_arena *a);

#endif
