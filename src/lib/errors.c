/* errors.c: messages for dyad_rc codes (from DYAD_RC_MAP) and the public
 * "YYYY-MM-DD" check. */
#include <string.h>

#include "dates.h"
#include "dyad.h"

const char *dyad_strerror(int rc) {
    switch (rc) {
#define DYAD_RC_MSG(name, val, msg) \
    case val:                       \
        return msg;
        DYAD_RC_MAP(DYAD_RC_MSG)
#undef DYAD_RC_MSG
    }
    return "unknown error";
}

/* "2021-08-15" -> 1; "2021-02-29", "2021-8-15", "2021-08-15 " -> 0. */
int dyad_date_valid(const char *ymd) {
    if (!ymd) return 0;
    return dyad__day_parse_iso(ymd, strnlen(ymd, 11)) != DYAD_NODAY;
}
