/* cameo.h: the CAMEO codebook table, generated from data/cameo.tsv by
 * tools/gen_cameo.c into build/gen/cameo_table.c (sorted by code string). */
#ifndef DYAD_CAMEO_H
#define DYAD_CAMEO_H

#include <stddef.h>

#include "dyad.h"

extern const dyad_cameo dyad__cameo_table[];
extern const size_t dyad__cameo_table_len;

#endif
