/* cli_common.h: what the CLI's commands share: option values, the message
 * line, error and usage messages, and loading the dictionaries. */
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

/* "dyad: error: MSG" on stderr. */
void cli_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "dyad: error: MSG" and "(try 'dyad help')" on stderr; returns 2, the
 * usage exit status. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A finished dictionary: the built-in files unless no_builtin, then each of
 * paths in order, loaded from the compiled-image cache when use_cache (and
 * DYAD_NO_CACHE is not set). Loader messages go to fn(ud). NULL after
 * printing why (out of memory, a path that cannot be loaded, the indexes). */
dyad_dict *cli_load_dicts(const char *const *paths, int npaths, int no_builtin,
                          int use_cache, dyad_diag_fn fn, void *ud);

#endif
