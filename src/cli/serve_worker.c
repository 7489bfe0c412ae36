/* serve_worker.c: each server thread's own store handle and coder (a
 * dyad_store and a dyad_coder belong to one thread at a time), opened on
 * the thread's first request and closed when the server stops. */
#include "serve.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct worker_node {
    serve_worker w;
    struct worker_node *next;
} worker_node;

/* Every worker made, for serve_workers_free (the threads are gone then). */
static pthread_mutex_t all_lock = PTHREAD_MUTEX_INITIALIZER;
static worker_node *all;
static _Thread_local worker_node *mine;

/* The coder's diagnostics go to whoever codes now (serve_api.c). */
static void on_coder_diag(void *ud, dyad_severity sev, const char *file,
                          long line, const char *msg)
{
    serve_worker *w = ud;
    (void)file;
    (void)line;
    if (w->on_diag)
        w->on_diag(w->diag_ud, sev, msg);
}

serve_worker *serve_worker_get(const serve_config *cfg, char *err,
                               size_t errsz)
{
    worker_node *n;
    int rc;

    if (mine)
        return &mine->w;
    if (!(n = calloc(1, sizeof *n))) {
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    rc = dyad_store_open(cfg->db, DYAD_STORE_READONLY, &n->w.store, err, errsz);
    if (rc != DYAD_OK) {
        free(n);
        return NULL;
    }
    if (cfg->query_ms > 0)
        dyad_store_set_time_limit(n->w.store, cfg->query_ms);
    if (!(n->w.coder = dyad_coder_new(cfg->dict))) {
        dyad_store_close(n->w.store);
        free(n);
        snprintf(err, errsz, "out of memory");
        return NULL;
    }
    dyad_coder_set_diag(n->w.coder, on_coder_diag, &n->w);
    pthread_mutex_lock(&all_lock);
    n->next = all;
    all = n;
    pthread_mutex_unlock(&all_lock);
    mine = n;
    return &n->w;
}

void serve_workers_free(void)
{
    worker_node *n, *next;

    pthread_mutex_lock(&all_lock);
    for (n = all; n; n = next) {
        next = n->next;
        dyad_store_close(n->w.store);
        dyad_coder_free(n->w.coder);
        free(n->w.jbuf);
        free(n);
    }
    all = NULL;
    pthread_mutex_unlock(&all_lock);
}
