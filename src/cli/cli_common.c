/* cli_common.c: option values, message lines, error messages and the
 * dictionary loading shared by the CLI's commands (cli_common.h). */
#include "cli_common.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "dyad: error: MESSAGE" then tail, on stderr. */
static void error_line(const char *tail, const char *fmt, va_list ap)
{
    fputs("dyad: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs(tail, stderr);
}

void cli_errorf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_line("\n", fmt, ap);
    va_end(ap);
}

int cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_line("\n(try 'dyad help')\n", fmt, ap);
    va_end(ap);
    return 2;
}

dyad_dict *cli_load_dicts(const char *const *paths, int npaths, int no_builtin,
                          int use_cache, dyad_diag_fn fn, void *ud)
{
    dyad_dict *d = dyad_dict_new();
    int i, rc;

    if (!d) {
        cli_errorf("out of memory");
        return NULL;
    }
    dyad_dict_set_diag(d, fn, ud);
    /* compiled dictionaries in the user's cache directory; without one (no
     * HOME, DYAD_NO_CACHE set) they are parsed as before */
    if (use_cache && !getenv("DYAD_NO_CACHE"))
        dyad_dict_set_cache(d, NULL);
    if (!no_builtin && (rc = dyad_dict_load_builtin(d)) != DYAD_OK) {
        cli_errorf("cannot load the built-in dictionaries: %s", dyad_strerror(rc));
        goto fail;
    }
    for (i = 0; i < npaths; i++)
        if ((rc = dyad_dict_load_path(d, paths[i])) != DYAD_OK) {
            cli_errorf("cannot load dictionary %s: %s", paths[i], dyad_strerror(rc));
            goto fail;
        }
    if ((rc = dyad_dict_finish(d)) != DYAD_OK) {
        cli_errorf("cannot build the dictionary indexes: %s", dyad_strerror(rc));
        goto fail;
    }
    return d;
fail:
    dyad_dict_free(d);
    return NULL;
}

const char *cli_opt_value(int argc, char **argv, int *i, const char *name,
                          int *missing)
{
    const char *a = argv[*i];
    size_t n = strlen(name);

    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=')
        return a + n + 1;
    if (a[n] != '\0')
        return NULL;
    if (*i + 1 >= argc) {
        *missing = 1;
        return NULL;
    }
    return argv[++*i];
}

size_t cli_diag_line(char *out, size_t cap, dyad_severity sev, const char *file,
                     long line, const char *msg)
{
    const char *kind = sev == DYAD_DIAG_ERROR ? "error" : "warning";
    int n;

    if (file && line > 0)
        n = snprintf(out, cap, "dyad: %s: %s:%ld: %s\n", kind, file, line, msg);
    else if (file)
        n = snprintf(out, cap, "dyad: %s: %s: %s\n", kind, file, msg);
    else
        n = snprintf(out, cap, "dyad: %s: %s\n", kind, msg);
    if (n < 0)
        return 0;
    return (size_t)n < cap ? (size_t)n : cap - 1;
}
