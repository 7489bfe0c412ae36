/* diag.h: one way to report a problem with an input: through the caller's
 * dyad_diag_fn, or as "dyad: error: FILE:LINE: msg" on stderr. */
#ifndef DYAD_DIAG_H
#define DYAD_DIAG_H

#include <stdarg.h>

#include "dyad.h"

/* file may be NULL, line 0 when there is none. */
void dyad__diag(dyad_diag_fn fn, void *ud, dyad_severity sev, const char *file,
                long line, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void dyad__vdiag(dyad_diag_fn fn, void *ud, dyad_severity sev, const char *file,
                 long line, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

#endif
