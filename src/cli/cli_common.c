/* cli_common.c: option values and message lines shared by the CLI's
 * commands (cli_common.h). */
#include "cli_common.h"

#include <string.h>

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
