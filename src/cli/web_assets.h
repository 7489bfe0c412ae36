/* web_assets.h: the web page's files compiled into build/dyad (generated
 * from web/ by tools/embed_web.c into build/gen/web_assets.c; see the
 * Makefile's WEB_FILES). */
#ifndef DYAD_WEB_ASSETS_H
#define DYAD_WEB_ASSETS_H

#include <stddef.h>

typedef struct web_asset {
    const char *path;          /* URL path: "/index.html", "/vendor/echarts.min.js" */
    const char *mime;          /* Content-Type */
    const unsigned char *data; /* NUL-terminated after len bytes */
    size_t len;
} web_asset;

/* Terminated by an entry whose path is NULL. */
extern const web_asset web_assets[];

#endif
