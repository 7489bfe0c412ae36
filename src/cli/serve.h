/* serve.h: what the parts of `dyad serve` share (docs/serve.md): the
 * server's settings, one request and its reply as the handlers see them
 * (free of libmicrohttpd, which only serve_http.c knows), the workers'
 * per-thread store and coder, and the handlers. */
#ifndef DYAD_SERVE_H
#define DYAD_SERVE_H

#include <stddef.h>

#include "dyad.h"

#define SERVE_BODY_MAX (1u << 20) /* request body: 1 MB, else 413 */
#define SERVE_PARAMS_MAX 32       /* query parameters of one request */

/* Settings, fixed once the server runs; shared read-only by every thread. */
typedef struct serve_config {
    const char *db;        /* store: SQLite file or postgresql://... */
    const dyad_dict *dict; /* finished: shared by the workers' coders */
    long query_ms;         /* time limit of one store call */
} serve_config;

typedef struct serve_param {
    const char *key, *value; /* value "" when the URL gave none */
} serve_param;

/* One request, as the handlers see it. Strings live until the reply is
 * sent. */
typedef struct serve_req {
    const char *method; /* "GET", "HEAD", "POST" */
    const char *path;   /* decoded, without the query */
    serve_param params[SERVE_PARAMS_MAX];
    int nparams;
    int too_many_params;
    const char *content_type; /* NULL when none */
    const char *if_none_match; /* If-None-Match, or NULL */
    const char *body;         /* POST body (NUL-terminated), or NULL */
    size_t body_len;
} serve_req;

/* The reply a handler fills in. body is malloc'ed (NULL: empty) unless
 * persistent (a static file's bytes). */
typedef struct serve_reply {
    int status;
    const char *type;        /* Content-Type */
    char *body;
    size_t len;
    int persistent;
    const char *disposition; /* Content-Disposition, or NULL */
    const char *allow;       /* Allow, with 405 */
    const char *cache;       /* Cache-Control (default: no-store) */
    const char *etag;        /* ETag, or NULL */
} serve_reply;

/* serve_worker.c: the calling thread's store and coder, opened on first
 * use (a dyad_store and a dyad_coder belong to one thread at a time). NULL
 * with a message in err when the store cannot be opened. */
typedef struct serve_worker {
    dyad_store *store;
    dyad_coder *coder;
    char *jbuf;   /* one event's JSON text (serve_api.c), reused */
    size_t jcap;
    /* Diagnostics of the article being coded (POST /api/code) go here. */
    void (*on_diag)(void *ud, dyad_severity sev, const char *msg);
    void *diag_ud;
} serve_worker;
serve_worker *serve_worker_get(const serve_config *cfg, char *err,
                               size_t errsz);
/* Closes every worker's store and coder; only once no thread serves. */
void serve_workers_free(void);

/* serve_api.c: GET /api/..., POST /api/code. 0 when path is not an API
 * path (the caller then looks for a static file). */
int serve_api(const serve_config *cfg, const serve_req *rq, serve_reply *rp);

/* serve_static.c: GET / and the web page's files (web_assets.h), with an
 * ETag and Cache-Control; 0 when there is no such file. */
int serve_static(const serve_req *rq, serve_reply *rp);
/* Computes the files' ETags; once, before the server starts. */
void serve_static_init(void);

/* serve_http.c: the HTTP server (libmicrohttpd) on a listening socket. */
typedef struct serve_limits {
    unsigned threads;         /* worker threads */
    unsigned max_conns;       /* connections at once */
    unsigned max_per_ip;      /* connections at once from one address */
    unsigned timeout_s;       /* idle time before a connection is closed */
    size_t conn_memory;       /* per connection: request line and headers */
} serve_limits;
struct MHD_Daemon;
struct MHD_Daemon *serve_http_start(const serve_config *cfg,
                                    const serve_limits *lim, int listen_fd,
                                    char *err, size_t errsz);
void serve_http_stop(struct MHD_Daemon *d);

/* serve_params.c: query parameters. */
/* The parameter's value, or NULL when absent. */
const char *serve_param_get(const serve_req *rq, const char *key);
/* 0 when every parameter is one of allowed (NULL-terminated) and none is
 * given twice; else -1 with the reply set to 400 naming the parameter. */
int serve_params_check(const serve_req *rq, const char *const *allowed,
                       const char *what, serve_reply *rp);
/* The filters of dyad events (actor, dyad, code, root, since, until, doc)
 * into f; dyad_buf (>= 160 bytes) holds the split dyad. 0, or -1 with a 400
 * reply naming the parameter. */
int serve_params_filter(const serve_req *rq, dyad_store_filter *f,
                        char *dyad_buf, size_t bufsz, serve_reply *rp);
/* A whole number parameter in [min, max], def when absent. 0, or -1 with a
 * 400 reply. */
int serve_params_long(const serve_req *rq, const char *key, long min,
                      long max, long def, long *out, serve_reply *rp);

/* Replies (serve_api.c): JSON {"error": msg} with a status. */
void serve_error(serve_reply *rp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
