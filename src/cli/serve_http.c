/* serve_http.c: the HTTP side of `dyad serve` on libmicrohttpd: a pool of
 * threads, each polling its own connections, the limits (body, headers,
 * idle time, connections in all and per address), request bodies, the
 * query parameters, and the headers every reply carries. The handlers
 * (serve_api.c, serve_static.c) see only serve_req and serve_reply. */
#include "serve.h"

#include <dlfcn.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libmicrohttpd is opened (dlopen) by `dyad serve` only: the other commands
 * do not pay for loading it and the TLS libraries it needs at every start. */
static struct {
    __typeof__(MHD_add_response_header) *add_response_header;
    __typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
    __typeof__(MHD_destroy_response) *destroy_response;
    __typeof__(MHD_get_connection_values) *get_connection_values;
    __typeof__(MHD_lookup_connection_value) *lookup_connection_value;
    __typeof__(MHD_queue_response) *queue_response;
    __typeof__(MHD_start_daemon) *start_daemon;
    __typeof__(MHD_stop_daemon) *stop_daemon;
} mhd;
static pthread_once_t mhd_once = PTHREAD_ONCE_INIT;
static int mhd_loaded;
static char mhd_error[256];

static void mhd_load(void)
{
    void *h = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(mhd_error, sizeof mhd_error, "cannot load libmicrohttpd: %s", dlerror());
        return;
    }
    /* (POSIX: a function pointer written through a void * lvalue) */
#define MHD_SYM(name)                                                           \
    if (!(*(void **)&mhd.name = dlsym(h, "MHD_" #name))) {                      \
        snprintf(mhd_error, sizeof mhd_error, "libmicrohttpd has no MHD_" #name); \
        return;                                                                 \
    }
    MHD_SYM(add_response_header)
    MHD_SYM(create_response_from_buffer)
    MHD_SYM(destroy_response)
    MHD_SYM(get_connection_values)
    MHD_SYM(lookup_connection_value)
    MHD_SYM(queue_response)
    MHD_SYM(start_daemon)
    MHD_SYM(stop_daemon)
#undef MHD_SYM
    mhd_loaded = 1; /* stays open while the server runs */
}


/* The page loads nothing from outside: scripts, styles, data and images
 * from this server only (images also as data: URLs, as chart exports are). */
#define CSP "default-src 'self'; img-src 'self' data:; object-src 'none'; " \
            "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/* One request's state between the calls of the access handler. */
typedef struct req_state {
    char *body;
    size_t len, cap;
    int too_big;
} req_state;

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* URL decoding of the path and of each query key and value: %XX, and '+'
 * as a space in the query (form encoding, as URLSearchParams writes it).
 * libmicrohttpd's own decoder leaves '+' alone. */
static size_t unescape(void *cls, struct MHD_Connection *c, char *s)
{
    char *r = s, *w = s;
    (void)cls;
    (void)c;
    while (*r) {
        if (*r == '%' && hexval(r[1]) >= 0 && hexval(r[2]) >= 0) {
            *w++ = (char)(hexval(r[1]) * 16 + hexval(r[2]));
            r += 3;
        } else if (*r == '+') {
            *w++ = ' ';
            r++;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return (size_t)(w - s);
}

static enum MHD_Result on_param(void *cls, enum MHD_ValueKind kind,
                                const char *key, const char *value)
{
    serve_req *rq = cls;
    (void)kind;
    if (rq->nparams == SERVE_PARAMS_MAX) {
        rq->too_many_params = 1;
        return MHD_NO;
    }
    rq->params[rq->nparams].key = key ? key : "";
    rq->params[rq->nparams].value = value ? value : "";
    rq->nparams++;
    return MHD_YES;
}

static enum MHD_Result send_reply(struct MHD_Connection *c, serve_reply *rp)
{
    struct MHD_Response *r;
    enum MHD_Result ok;

    if (rp->persistent)
        r = mhd.create_response_from_buffer(rp->len, rp->body,
                                            MHD_RESPMEM_PERSISTENT);
    else if (rp->body)
        r = mhd.create_response_from_buffer(rp->len, rp->body,
                                            MHD_RESPMEM_MUST_FREE);
    else
        r = mhd.create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!r) {
        if (!rp->persistent)
            free(rp->body);
        return MHD_NO;
    }
    rp->body = NULL; /* the response owns it now */
    if (rp->type)
        mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, rp->type);
    mhd.add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                            rp->cache ? rp->cache : "no-store");
    if (rp->etag)
        mhd.add_response_header(r, MHD_HTTP_HEADER_ETAG, rp->etag);
    if (rp->disposition)
        mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_DISPOSITION,
                                rp->disposition);
    if (rp->allow)
        mhd.add_response_header(r, MHD_HTTP_HEADER_ALLOW, rp->allow);
    mhd.add_response_header(r, "X-Content-Type-Options", "nosniff");
    mhd.add_response_header(r, "Content-Security-Policy", CSP);
    mhd.add_response_header(r, "X-Frame-Options", "DENY");
    mhd.add_response_header(r, "Referrer-Policy", "no-referrer");
    ok = mhd.queue_response(c, (unsigned)rp->status, r);
    mhd.destroy_response(r);
    return ok;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, int status,
                                   const char *msg)
{
    serve_reply rp;
    memset(&rp, 0, sizeof rp);
    serve_error(&rp, status, "%s", msg);
    return send_reply(c, &rp);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    const serve_config *cfg = cls;
    req_state *st = *con_cls;
    serve_req rq;
    serve_reply rp;
    enum MHD_Result ok;
    (void)version;

    if (!st) {
        /* First call: the headers are in, the body (if any) is not. */
        const char *cl = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (!(st = calloc(1, sizeof *st)))
            return MHD_NO;
        *con_cls = st;
        if (cl && strtoull(cl, NULL, 10) > SERVE_BODY_MAX) {
            st->too_big = 1;
            return reply_error(c, 413, "body: larger than 1 MB");
        }
        return MHD_YES;
    }
    if (*upload_size) {
        /* Only POST /api/code reads a body; others are dropped unread. */
        if (!st->too_big && strcmp(method, "POST") == 0) {
            if (st->len + *upload_size > SERVE_BODY_MAX) {
                st->too_big = 1;
                free(st->body);
                st->body = NULL;
                st->len = st->cap = 0;
            } else {
                if (st->len + *upload_size + 1 > st->cap) {
                    size_t cap = st->cap ? st->cap : 16384;
                    char *nb;
                    while (cap < st->len + *upload_size + 1)
                        cap *= 2;
                    if (!(nb = realloc(st->body, cap)))
                        return MHD_NO;
                    st->body = nb;
                    st->cap = cap;
                }
                memcpy(st->body + st->len, upload, *upload_size);
                st->len += *upload_size;
                st->body[st->len] = '\0';
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (st->too_big)
        return reply_error(c, 413, "body: larger than 1 MB");

    memset(&rq, 0, sizeof rq);
    memset(&rp, 0, sizeof rp);
    rq.method = method;
    rq.path = url;
    mhd.get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_param, &rq);
    rq.content_type = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
                                                  MHD_HTTP_HEADER_CONTENT_TYPE);
    rq.if_none_match = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
                                                   MHD_HTTP_HEADER_IF_NONE_MATCH);
    rq.body = st->body ? st->body : "";
    rq.body_len = st->len;
    if (!serve_api(cfg, &rq, &rp) && !serve_static(&rq, &rp)) {
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
            strcmp(method, "POST") != 0)
            serve_error(&rp, 405, "method %.20s not allowed", method);
        else
            serve_error(&rp, 404, "no such page '%.100s'", url);
        if (rp.status == 405)
            rp.allow = "GET, HEAD, POST";
    }
    ok = send_reply(c, &rp);
    return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    req_state *st = *con_cls;
    (void)cls;
    (void)c;
    (void)toe;
    if (st) {
        free(st->body);
        free(st);
        *con_cls = NULL;
    }
}

struct MHD_Daemon *serve_http_start(const serve_config *cfg,
                                    const serve_limits *lim, int listen_fd,
                                    char *err, size_t errsz)
{
    struct MHD_Daemon *d;

    pthread_once(&mhd_once, mhd_load);
    if (!mhd_loaded) {
        snprintf(err, errsz, "%s", mhd_error);
        return NULL;
    }
    /* One thread polls (epoll) and serves its own connections: a slow or
     * silent client holds a connection, never a thread. */
    d = mhd.start_daemon(
        MHD_USE_AUTO_INTERNAL_THREAD, 0, NULL, NULL, on_request, (void *)cfg,
        MHD_OPTION_LISTEN_SOCKET, listen_fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)lim->threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)lim->max_conns,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)lim->max_per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)lim->timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, lim->conn_memory,
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
        MHD_OPTION_END);
    if (!d)
        snprintf(err, errsz, "cannot start the HTTP server (libmicrohttpd)");
    return d;
}

void serve_http_stop(struct MHD_Daemon *d)
{
    if (d)
        mhd.stop_daemon(d);
}
