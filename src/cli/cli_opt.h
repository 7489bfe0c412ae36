/* cli_opt.h: option values shared by the CLI's commands. */
#ifndef DYAD_CLI_OPT_H
#define DYAD_CLI_OPT_H

/* The value of an option: "--date X" or "--date=X". Returns NULL and leaves
 * *i alone when argv[*i] is not that option; sets *missing when the option
 * has no value. */
const char *cli_opt_value(int argc, char **argv, int *i, const char *name,
                          int *missing);

#endif
