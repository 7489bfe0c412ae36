/* serve_static.c: the web page of `dyad serve`: the files compiled into
 * build/dyad (web_assets.h), `/` being /index.html, each with an ETag (a
 * hash of its bytes) so that a browser revalidates instead of downloading
 * again; the chart libraries may be cached for a day. */
#include "serve.h"
#include "web_assets.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MAX_ASSETS 256

static char etags[MAX_ASSETS][24];

void serve_static_init(void)
{
    size_t i, k;
    for (i = 0; web_assets[i].path && i < MAX_ASSETS; i++) {
        uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
        for (k = 0; k < web_assets[i].len; k++) {
            h ^= web_assets[i].data[k];
            h *= 0x100000001b3ull;
        }
        snprintf(etags[i], sizeof etags[i], "\"%016llx\"", (unsigned long long)h);
    }
}

/* If-None-Match names this tag (a list, or *). */
static int etag_matches(const char *inm, const char *tag)
{
    if (!inm)
        return 0;
    return strcmp(inm, "*") == 0 || strstr(inm, tag) != NULL;
}

int serve_static(const serve_req *rq, serve_reply *rp)
{
    const char *path = strcmp(rq->path, "/") == 0 ? "/index.html" : rq->path;
    size_t i;

    for (i = 0; web_assets[i].path && i < MAX_ASSETS; i++)
        if (strcmp(web_assets[i].path, path) == 0)
            break;
    if (!web_assets[i].path || i == MAX_ASSETS)
        return 0;
    if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
        serve_error(rp, 405, "method %.20s not allowed on %s (use GET)",
                    rq->method, rq->path);
        rp->allow = "GET, HEAD";
        return 1;
    }
    rp->etag = etags[i];
    /* The libraries change only with web/package-lock.json; the page's
     * own files are checked on every load (cheap with the ETag). */
    rp->cache = strncmp(path, "/vendor/", 8) == 0 ? "public, max-age=86400"
                                                  : "no-cache";
    rp->type = web_assets[i].mime;
    if (etag_matches(rq->if_none_match, etags[i])) {
        rp->status = 304;
        return 1;
    }
    rp->status = 200;
    rp->body = (char *)web_assets[i].data;
    rp->len = web_assets[i].len;
    rp->persistent = 1;
    return 1;
}
