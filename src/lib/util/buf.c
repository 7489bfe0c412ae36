/* buf.c: growable byte buffer with a size limit. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyad.h"

void dyad__buf_init(dyad_buf *b, size_t limit) {
    memset(b, 0, sizeof *b);
    b->limit = limit;
}

static int grow(dyad_buf *b, size_t extra) {
    size_t need = b->n + extra + 1;
    if (need < b->n || (b->limit && need - 1 > b->limit)) return DYAD_ETOOBIG;
    if (need <= b->cap) return DYAD_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return DYAD_ENOMEM;
    b->p = p;
    b->cap = cap;
    return DYAD_OK;
}

int dyad__buf_add(dyad_buf *b, const void *p, size_t n) {
    int rc = grow(b, n);
    if (rc) return rc;
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = 0;
    return DYAD_OK;
}

int dyad__buf_addc(dyad_buf *b, char c) { return dyad__buf_add(b, &c, 1); }

int dyad__buf_adds(dyad_buf *b, const char *s) {
    return dyad__buf_add(b, s, strlen(s));
}

int dyad__buf_printf(dyad_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0) return DYAD_EINVAL;
    int rc = grow(b, (size_t)len);
    if (rc) return rc;
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)len + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)len;
    return DYAD_OK;
}

void dyad__buf_reset(dyad_buf *b) {
    b->n = 0;
    if (b->p) b->p[0] = 0;
}

void dyad__buf_free(dyad_buf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}
