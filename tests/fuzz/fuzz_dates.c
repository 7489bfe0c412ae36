/* fuzz_dates.c: date expressions and datelines on arbitrary bytes; every
 * span and offset must lie within the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dates.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* An exact-size copy, so ASan sees any read past the end. */
    char *s = malloc(size ? size : 1);
    if (!s) return 0;
    if (size) memcpy(s, data, size);

    dyad_day base = dyad__day_from_ymd(2021, 8, 18);
    size_t off = 0, len = 0;
    dyad_day d = dyad__date_in_text(s, size, base, &off, &len);
    if (d != DYAD_NODAY && (off > size || len > size - off || len == 0)) abort();
    d = dyad__date_in_text(s, size, DYAD_NODAY, &off, &len);
    if (d != DYAD_NODAY && (off > size || len > size - off || len == 0)) abort();
    if (d != DYAD_NODAY) {
        char out[11];
        dyad__day_format(d, out);
    }

    dyad_dateline dl;
    if (dyad__dateline_parse(s, size, &dl)) {
        if (dl.place_off > size || dl.place_len == 0 || dl.place_len > size - dl.place_off)
            abort();
        if (dl.body_off <= dl.place_off || dl.body_off >= size) abort();
        if (dl.month < 0 || dl.month > 12 || dl.day < 0 || dl.day > 31) abort();
        (void)dyad__dateline_day(&dl, base);
        (void)dyad__dateline_day(&dl, DYAD_NODAY);
    }
    if (size >= 10) (void)dyad__day_parse_iso(s, 10);
    free(s);
    return 0;
}
