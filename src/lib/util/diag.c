/* diag.c: reports problems with inputs (see diag.h). */
#include "diag.h"

#include <stdio.h>

void dyad__vdiag(dyad_diag_fn fn, void *ud, dyad_severity sev, const char *file,
                 long line, const char *fmt, va_list ap) {
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (fn) {
        fn(ud, sev, file, line, msg);
        return;
    }
    const char *kind = sev == DYAD_DIAG_ERROR ? "error" : "warning";
    if (file && line > 0)
        fprintf(stderr, "dyad: %s: %s:%ld: %s\n", kind, file, line, msg);
    else if (file)
        fprintf(stderr, "dyad: %s: %s: %s\n", kind, file, msg);
    else
        fprintf(stderr, "dyad: %s: %s\n", kind, msg);
}

void dyad__diag(dyad_diag_fn fn, void *ud, dyad_severity sev, const char *file,
                long line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    dyad__vdiag(fn, ud, sev, file, line, fmt, ap);
    va_end(ap);
}
