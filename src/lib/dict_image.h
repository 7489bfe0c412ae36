/* dict_image.h: the compiled, memory-mapped form of a finished dictionary set
 * (dict_image.c). */
#ifndef DYAD_DICT_IMAGE_H
#define DYAD_DICT_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "dict.h"

/* Write the finished dictionary d as an image at path (atomically), with the
 * sources' fingerprint key and the diagnostics their parse gave. */
int dyad__dict_image_write(const dyad_dict *d, const char *path, uint64_t key,
                           const dyad_image_diag *diags, size_t n_diags);
/* Map the image at path into d if it is sound and was made from sources with
 * this key. d keeps its arena and diag settings. DYAD_OK, or an error and d
 * untouched. */
int dyad__dict_image_load(dyad_dict *d, const char *path, uint64_t key,
                          void **map, size_t *map_len);

#endif
