/* cameo.c: look up CAMEO event codes in the table generated from data/cameo.tsv. */
#include "cameo.h"

#include <string.h>

/* Binary search by code string: "0311" is its own entry, never its parent's. */
const dyad_cameo *dyad_cameo_lookup(const char *code) {
    if (!code) return NULL;
    size_t lo = 0, hi = dyad__cameo_table_len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(code, dyad__cameo_table[mid].code);
        if (c == 0) return &dyad__cameo_table[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

size_t dyad_cameo_count(void) { return dyad__cameo_table_len; }

const dyad_cameo *dyad_cameo_at(size_t i) {
    return i < dyad__cameo_table_len ? &dyad__cameo_table[i] : NULL;
}
