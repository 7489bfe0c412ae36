/* fuzz_text.c: normalize then split arbitrary bytes; the normalized text must
 * be valid UTF-8 without NUL, and every token must lie inside its sentence
 * and the text, in increasing order. abort() on any violation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "dyad.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* An exact-size copy, so ASan sees any read past the end. */
    char *in = malloc(size ? size : 1);
    if (!in) return 0;
    if (size) memcpy(in, data, size);
    dyad_arena a;
    dyad__arena_init(&a, 0);
    char *text = NULL;
    size_t n = 0, bad = 0;
    if (dyad__text_normalize(&a, in, size, &text, &n, &bad) != DYAD_OK) abort();
    if (!text || text[n] != '\0' || strlen(text) != n || bad > size) abort();
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t l = utf8proc_iterate((const utf8proc_uint8_t *)text + i,
                                              (utf8proc_ssize_t)(n - i), &cp);
        if (l < 1 || cp == '\r') abort();
        i += (size_t)l;
    }

    dyad_sent *s = NULL;
    dyad_tok *t = NULL;
    size_t ns = 0, nt = 0;
    if (dyad__text_split(&a, text, n, &s, &ns, &t, &nt) != DYAD_OK) abort();
    if (!s || !t || nt > n) abort();
    size_t next_tok = 0;
    uint32_t last_end = 0, last_para = 0;
    for (size_t i = 0; i < ns; i++) {
        const dyad_sent *x = &s[i];
        if (x->tok_first != next_tok || x->tok_count == 0 || x->tok_count > 512) abort();
        if (x->tok_first + (size_t)x->tok_count > nt) abort();
        if (x->start < last_end || x->start >= x->end || x->end > n) abort();
        if (x->para < last_para) abort();
        for (size_t k = x->tok_first; k < x->tok_first + x->tok_count; k++) {
            const dyad_tok *y = &t[k];
            if (y->n == 0 || y->p != text + y->off) abort();
            if (y->off < x->start || y->off + (size_t)y->n > x->end) abort();
            if (k > x->tok_first && y->off < t[k - 1].off + t[k - 1].n) abort();
        }
        if (t[x->tok_first].off != x->start) abort();
        next_tok = x->tok_first + x->tok_count;
        last_end = x->end;
        last_para = x->para;
    }
    if (next_tok != nt) abort();
    dyad__arena_free(&a);
    free(in);
    return 0;
}
