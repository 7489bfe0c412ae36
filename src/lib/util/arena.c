/* arena.c: bump allocator with chained blocks (see arena.h). */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_MIN_BLOCK = 64 * 1024 };

void dyad__arena_init(dyad_arena *a, size_t limit) {
    memset(a, 0, sizeof *a);
    a->limit = limit;
}

void *dyad__arena_alloc_slow(dyad_arena *a, size_t n) {
    if (a->oom) return NULL;
    size_t need = (n + 15) & ~(size_t)15;
    if (need < n || (a->limit && a->used + need > a->limit)) goto fail;
    dyad_arena_block *b = a->head;
    if (!b || b->size - b->pos < need) {
        size_t size = need > ARENA_MIN_BLOCK ? need : ARENA_MIN_BLOCK;
        if (b && b->size * 2 > size && b->size < (1u << 24)) size = b->size * 2;
        b = malloc(sizeof *b + size);
        if (!b) goto fail;
        b->size = size;
        b->pos = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->pos;
    b->pos += need;
    a->used += need;
    return p;
fail:
    a->oom = 1;
    return NULL;
}

void *dyad__arena_calloc(dyad_arena *a, size_t n) {
    void *p = dyad__arena_alloc(a, n);
    if (p) memset(p, 0, n);
    return p;
}

char *dyad__arena_strdup(dyad_arena *a, const char *s) {
    return s ? dyad__arena_strndup(a, s, strlen(s)) : NULL;
}

void dyad__arena_reset(dyad_arena *a) {
    dyad_arena_block *keep = NULL, *b = a->head;
    while (b) {
        dyad_arena_block *next = b->next;
        if (!keep || b->size > keep->size) {
            if (keep) free(keep);
            keep = b;
        } else {
            free(b);
        }
        b = next;
    }
    if (keep) {
        keep->pos = 0;
        keep->next = NULL;
    }
    a->head = keep;
    a->used = 0;
    a->oom = 0;
}

void dyad__arena_free(dyad_arena *a) {
    dyad_arena_block *b = a->head;
    while (b) {
        dyad_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->used = 0;
}
