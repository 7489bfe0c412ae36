/* event_json.c: events as JSON text in the caller's buffer, for bindings
 * (python/dyad) that want the exact lines of `dyad code` and `dyad events`
 * without a FILE: the writers of output.c and store_out.c, run on a memory
 * stream (POSIX open_memstream), copied out as snprintf does. */
#include "dyad.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy the n bytes of mem into buf (NUL-terminated) when they fit; the
 * length either way, or rc when it is an error. Frees mem. */
static long finish(char *mem, size_t n, int rc, char *buf, size_t cap)
{
    if (rc == DYAD_OK && n > (size_t)0x7fffffff)
        rc = DYAD_ETOOBIG;
    if (rc == DYAD_OK && n < cap) {
        memcpy(buf, mem, n);
        buf[n] = '\0';
    }
    free(mem);
    return rc == DYAD_OK ? (long)n : rc;
}

long dyad_doc_jsonl(const dyad_doc *doc, char *buf, size_t cap)
{
    char *mem = NULL;
    size_t n = 0;
    int rc = DYAD_OK;
    FILE *f;

    if (!doc || (!buf && cap))
        return DYAD_EINVAL;
    if (!(f = open_memstream(&mem, &n)))
        return DYAD_ENOMEM;
    if (dyad_doc_event_count(doc))
        rc = dyad_write_doc(f, DYAD_FMT_JSONL, doc);
    /* a memory stream fails to write only when out of memory */
    if (fclose(f) != 0 && rc == DYAD_OK)
        rc = DYAD_ENOMEM;
    if (rc == DYAD_EIO)
        rc = DYAD_ENOMEM;
    return finish(mem, n, rc, buf, cap);
}

long dyad_store_event_json(const dyad_store_event *e, char *buf, size_t cap)
{
    char *mem = NULL;
    size_t n = 0;
    int rc;
    FILE *f;

    if (!e || (!buf && cap))
        return DYAD_EINVAL;
    if (!(f = open_memstream(&mem, &n)))
        return DYAD_ENOMEM;
    rc = dyad_store_write_event(f, DYAD_STORE_FMT_JSONL, e);
    if (fclose(f) != 0 && rc == DYAD_OK)
        rc = DYAD_ENOMEM;
    if (rc == DYAD_EIO)
        rc = DYAD_ENOMEM;
    return finish(mem, n, rc, buf, cap);
}
