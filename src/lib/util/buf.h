/* buf.h: growable byte buffer with a size limit (curl's dynbuf). */
#ifndef DYAD_BUF_H
#define DYAD_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct dyad_buf {
    char *p;      /* always NUL-terminated when non-NULL */
    size_t n;     /* bytes used, terminator not counted */
    size_t cap;
    size_t limit; /* 0 = no limit; growing past it gives DYAD_ETOOBIG */
} dyad_buf;

void dyad__buf_init(dyad_buf *b, size_t limit);
int dyad__buf_add(dyad_buf *b, const void *p, size_t n);
int dyad__buf_addc(dyad_buf *b, char c);
int dyad__buf_adds(dyad_buf *b, const char *s);
int dyad__buf_printf(dyad_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void dyad__buf_reset(dyad_buf *b); /* n = 0, memory kept */
void dyad__buf_free(dyad_buf *b);

#endif
