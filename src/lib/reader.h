/* reader.h: internals of the article reader (reader.c) that the unit tests
 * and the fuzz target reach: in-memory inputs and smaller size limits. */
#ifndef DYAD_READER_H
#define DYAD_READER_H

#include <stddef.h>

#include "dyad.h"

/* How an input is read. AUTO: JSON Lines when the name ends in .jsonl or
 * .ndjson or the first non-space byte is '{', plain text otherwise. */
enum { DYAD__IN_AUTO = 0, DYAD__IN_TEXT = 1, DYAD__IN_JSONL = 2 };

/* Default limits: a whole plain-text file, one JSON Lines line. */
#define DYAD__READER_FILE_MAX ((size_t)256 << 20)
#define DYAD__READER_LINE_MAX ((size_t)64 << 20)

/* Queue n bytes held in memory (copied) as an input called name, read in its
 * turn like a file of that name. DYAD_OK, DYAD_EINVAL, DYAD_ENOMEM. */
int dyad__reader_add_buffer(dyad_reader *r, const char *name, const void *data,
                            size_t n, int kind);

/* Lower the limits (0 keeps the current one); for tests of the too-big
 * paths without 256 MB files. Messages still name the default limits' sizes
 * in MB as computed from the new values. */
void dyad__reader_set_limits(dyad_reader *r, size_t file_max, size_t line_max);

/* 1 when s[0..n) is exactly "YYYY-MM-DD" and a real calendar day. */
int dyad__reader_ymd_valid(const char *s, size_t n);

#endif
