/* cli_common.h: what the CLI's commands share: option values and the
 * message line. */
#ifndef DYAD_CLI_COMMON_H
#define DYAD_CLI_COMMON_H

#include <stddef.h>

#include "dyad.h"

/* The value of an option: "--date X" or "--date=X". Returns NULL and leaves
 * *i alone when argv[*i] is not that option; sets *missing when the option
 * has no value. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name,
                          int *missing);

/* The line a diagnostic is shown as: "dyad: error: FILE:LINE: msg\n" (line
 * left out when 0, file when NULL). Written into out, NUL-terminated and cut
 * to cap - 1 bytes; returns the length written. */
size_t cli_diag_line(char *out, size_t cap, dyad_severity sev, const char *file,
                     long line, const char *msg);

#endif
