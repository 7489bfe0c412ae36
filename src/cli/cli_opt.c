/* cli_opt.c: option values shared by the CLI's commands (cli_opt.h). */
#include "cli_opt.h"

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
