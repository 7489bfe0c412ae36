/* fuzz_reader.c: arbitrary bytes read as a plain-text article and as a JSON
 * Lines file (reader.c's in-memory inputs). Every article returned must be
 * well formed: an id, NUL-terminated text inside limits, a valid date or
 * none, lines in increasing order. abort() on any violation. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dyad.h"
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *ud, dyad_severity sev, const char *file, long line,
                  const char *msg) {
    size_t *n = ud;
    (*n)++;
    if (!file || !msg || line < 0 || (sev != DYAD_DIAG_WARNING && sev != DYAD_DIAG_ERROR))
        abort();
}

static void read_as(const uint8_t *data, size_t size, int kind) {
    size_t ndiag = 0;
    dyad_reader *r = dyad_reader_new(quiet, &ndiag);
    if (!r) return;
    /* Small limits, so the too-long paths are reached too. */
    dyad__reader_set_limits(r, 4096, 512);
    if (dyad__reader_add_buffer(r, kind == DYAD__IN_JSONL ? "f.jsonl" : "f.txt",
                                data, size, kind) != DYAD_OK)
        abort();
    dyad_article a;
    int rc;
    long last = 0;
    size_t n = 0;
    while ((rc = dyad_reader_next(r, &a)) == 1) {
        n++;
        if (!a.id || !a.text || !a.origin || a.text_len > size) abort();
        if (a.text[a.text_len] != '\0') abort();
        if (a.date && !dyad__reader_ymd_valid(a.date, strlen(a.date))) abort();
        if (a.line <= last) abort();
        last = a.line;
        if (kind == DYAD__IN_TEXT && (a.line != 1 || a.title || a.source || a.url))
            abort();
        /* Touch every string, for ASan. */
        volatile size_t sum = strlen(a.id) + (a.title ? strlen(a.title) : 0) +
                              (a.source ? strlen(a.source) : 0) +
                              (a.url ? strlen(a.url) : 0);
        (void)sum;
    }
    if (rc != 0 || (kind == DYAD__IN_TEXT && n > 1)) abort();
    if (dyad_reader_errors(r) > ndiag) abort();
    dyad_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    read_as(data, size, DYAD__IN_TEXT);
    read_as(data, size, DYAD__IN_JSONL);
    return 0;
}
