/* builtin.h: the dictionaries compiled into libdyad (generated from data/dict
 * by tools/embed.c into build/gen/builtin_dicts.c). */
#ifndef DYAD_BUILTIN_H
#define DYAD_BUILTIN_H

#include <stddef.h>

typedef struct dyad_builtin_file {
    const char *name; /* base name: "dyad.actors.txt" */
    const char *text; /* NUL-terminated */
    size_t len;
} dyad_builtin_file;

/* Terminated by an entry whose name is NULL. */
extern const dyad_builtin_file dyad__builtin_dicts[];

#endif
