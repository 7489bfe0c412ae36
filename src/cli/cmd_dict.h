/* cmd_dict.h: the dictionary tools (dyad dict lint|lookup|stats), dyad eval,
 * and the report of `dyad code --unknown`. */
#ifndef DYAD_CMD_DICT_H
#define DYAD_CMD_DICT_H

#include "dyad.h"

#include <stdio.h>

int cmd_dict(int argc, char **argv);
int cmd_eval(int argc, char **argv);
/* The unknown phrases, most frequent first, as dictionary stubs; at most
 * limit lines (0: all). Returns 0, or 1 on a write error. */
int print_unknown(FILE *f, dyad_unknown *u, size_t limit);

#endif
