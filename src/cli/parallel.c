/* parallel.c: `dyad code -j N`. The main thread reads articles into batches
 * and writes finished batches strictly in input order; N - 1 workers and the
 * main thread (when it would otherwise wait), each with its own coder over
 * the shared dictionary, code batches into buffers. */
#include "cli_common.h"
#include "parallel.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BATCH_ARTS 16            /* articles per batch (small: less idle time at the end) */
#define BATCH_BYTES (1u << 20)   /* or fewer, once their text passes 1 MiB */
#define BATCHES_PER_WORKER 8     /* batches in flight: memory stays bounded */
#define MAX_THREADS 1024
#define NONE SIZE_MAX            /* an absent article field */

/* A growable byte buffer. Out of memory is sticky (oom) and reported once. */
typedef struct bytes {
    char *p;
    size_t n, cap;
    int oom;
} bytes;

static size_t bytes_add(bytes *b, const void *s, size_t n)
{
    size_t at = b->n;

    if (b->oom)
        return NONE;
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *p;
        while (cap < b->n + n + 1)
            cap *= 2;
        if (!(p = realloc(b->p, cap))) {
            b->oom = 1;
            return NONE;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
    return at;
}

static size_t bytes_str(bytes *b, const char *s)
{
    size_t at;

    if (!s)
        return NONE;
    at = bytes_add(b, s, strlen(s));
    if (at != NONE)
        b->n++; /* keep the NUL */
    return at;
}

static void bytes_printf(bytes *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void bytes_printf(bytes *b, const char *fmt, ...)
{
    char small[1024], *big = NULL;
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n >= sizeof small) {
        if (!(big = malloc((size_t)n + 1))) {
            b->oom = 1;
            return;
        }
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    bytes_add(b, big ? big : small, (size_t)n);
    free(big);
}

/* The message line, as the other commands print it (cli_common.c). */
static void diag_line(bytes *b, dyad_severity sev, const char *file,
                      long line, const char *msg)
{
    char text[8192];
    size_t n = cli_diag_line(text, sizeof text, sev, file, line, msg);

    bytes_add(b, text, n);
}

/* An article's fields as offsets into its batch's strings (they move while
 * the batch fills); made into a dyad_article once the batch is full. */
typedef struct art_ref {
    size_t id, date, title, text, source, url, origin;
    size_t text_len;
    long line;
} art_ref;

enum { B_FREE, B_QUEUED, B_DONE };

typedef struct batch {
    int state;
    size_t n;                     /* articles */
    art_ref ref[BATCH_ARTS];
    dyad_article art[BATCH_ARTS];
    bytes str;                    /* the articles' strings */
    /* Messages, in the order one thread prints them: article i's reader
     * messages pre[pre_end[i-1] .. pre_end[i]), then its coder's messages
     * post[post_end[i-1] .. post_end[i]); pre's tail after pre_end[n-1]
     * comes after the last article. */
    bytes pre, post;
    size_t pre_end[BATCH_ARTS], post_end[BATCH_ARTS];
    size_t pre_errors;            /* error messages in pre (reader) */
    /* filled by the worker: the events, formatted into a stream from the
     * pool, which the main thread writes (os->p[0 .. out_n)) as it is, with
     * no copy, and gives back */
    struct ostream *os;
    size_t out_n;
    int out_oom;
    size_t coded;                 /* articles the worker went through */
    size_t articles, sentences, events, post_errors, failed;
    int write_failed, stop;       /* stop: out of memory, go no further */
} batch;

/* An output stream, rewound for each batch and keeping its memory (a
 * fresh stream per batch cost 60,000 page faults on 480,000 sentences).
 * The pool hands back the most recently written first, and holds only as
 * many streams as batches were ever coded and unwritten at once (about
 * one per worker more than the workers), not one per ring slot: each
 * stream's first use faults in its pages. */
typedef struct ostream {
    FILE *f;
    char *p;
    size_t size;
} ostream;

typedef struct worker worker;

typedef struct par_ctx {
    const par_config *cfg;
    pthread_mutex_t mu;
    pthread_cond_t work_cv, done_cv;
    batch *ring;
    size_t cap;                   /* batches in the ring */
    size_t next_fill, next_take;  /* sequence numbers; slot = seq % cap */
    int quit;
    int alive;                    /* workers that are or may yet be coding */
    batch *filling;               /* where the reader's messages go */
    ostream *os;                  /* cap streams, opened on first use */
    ostream **os_free;            /* the pool: a stack of cap entries */
    size_t n_os_free;
} par_ctx;

struct worker {
    par_ctx *ctx;
    pthread_t tid;
    dyad_coder *coder;
    batch *b; /* the batch being coded, for the coder's messages */
    int no_coder; /* the main thread could not make its coder */
};

/* ------------------------------------------------------------ messages */

static void reader_diag(void *ud, dyad_severity sev, const char *file,
                        long line, const char *msg)
{
    par_ctx *ctx = ud;
    batch *b = ctx->filling;

    if (!b) { /* not reading (cannot happen): print at once */
        bytes tmp = {0};
        diag_line(&tmp, sev, file, line, msg);
        if (tmp.p)
            fputs(tmp.p, stderr);
        free(tmp.p);
        return;
    }
    diag_line(&b->pre, sev, file, line, msg);
    if (sev == DYAD_DIAG_ERROR)
        b->pre_errors++;
}

static void coder_diag(void *ud, dyad_severity sev, const char *file,
                       long line, const char *msg)
{
    worker *w = ud;

    diag_line(&w->b->post, sev, file, line, msg);
    if (sev == DYAD_DIAG_ERROR)
        w->b->post_errors++;
}

/* -------------------------------------------------------------- workers */

static const char *field(const batch *b, size_t off)
{
    return off == NONE ? NULL : b->str.p + off;
}

static void code_batch(worker *w, batch *b)
{
    const par_config *cfg = w->ctx->cfg;
    FILE *ms = NULL;
    size_t i;

    w->b = b;
    if (cfg->events && b->n) {
        ostream *os = b->os;
        if (!os->f)
            os->f = open_memstream(&os->p, &os->size);
        if (!os->f || fseeko(os->f, 0, SEEK_SET) != 0) {
            b->out_oom = 1;
            b->stop = 1;
        } else
            ms = os->f;
    }
    for (i = 0; i < b->n && !b->stop; i++) {
        const dyad_article *a = &b->art[i];
        dyad_doc *doc;
        int rc = DYAD_OK;

        if (!(doc = dyad_code_article(w->coder, a, &rc))) {
            if (a->origin && a->line > 0)
                bytes_printf(&b->post,
                             "dyad: error: %s:%ld: cannot code article %s: %s\n",
                             a->origin, a->line, a->id ? a->id : "?",
                             dyad_strerror(rc));
            else
                bytes_printf(&b->post,
                             "dyad: error: %s: cannot code article %s: %s\n",
                             a->origin ? a->origin : "?", a->id ? a->id : "?",
                             dyad_strerror(rc));
            b->failed++;
            if (rc == DYAD_ENOMEM)
                b->stop = 1;
        } else {
            size_t n = dyad_doc_event_count(doc);
            b->articles++;
            b->sentences += dyad_doc_sentence_count(doc);
            b->events += n;
            if (ms && n && dyad_write_doc(ms, cfg->fmt, doc) != DYAD_OK)
                b->write_failed = 1;
            dyad_doc_free(doc);
        }
        b->post_end[i] = b->post.n;
        b->coded = i + 1;
        if (b->write_failed)
            b->stop = 1;
    }
    if (ms) {
        off_t end;
        if (fflush(ms) != 0 || (end = ftello(ms)) < 0)
            b->write_failed = 1;
        else
            b->out_n = (size_t)end;
    }
    if (b->post.oom)
        b->stop = 1;
}

/* Take the oldest queued batch and code it with w's coder: 1 when one was
 * coded, 0 when none was queued (with wait, once the input is over). */
static int take_and_code(par_ctx *ctx, worker *w, int wait)
{
    batch *b;

    pthread_mutex_lock(&ctx->mu);
    while (wait && !ctx->quit && ctx->next_take == ctx->next_fill)
        pthread_cond_wait(&ctx->work_cv, &ctx->mu);
    if (ctx->next_take == ctx->next_fill) { /* nothing (left) to take */
        pthread_mutex_unlock(&ctx->mu);
        return 0;
    }
    b = &ctx->ring[ctx->next_take++ % ctx->cap];
    /* never empty: there are as many streams as ring slots */
    b->os = ctx->os_free[--ctx->n_os_free];
    pthread_mutex_unlock(&ctx->mu);

    code_batch(w, b);

    pthread_mutex_lock(&ctx->mu);
    b->state = B_DONE;
    pthread_cond_broadcast(&ctx->done_cv);
    pthread_mutex_unlock(&ctx->mu);
    return 1;
}

/* The main thread codes a queued batch instead of waiting for one to be
 * done (its coder made the first time): 1 when it coded one. */
static int main_help(par_ctx *ctx, worker *mw)
{
    if (!mw->coder && !mw->no_coder) {
        if (!(mw->coder = dyad_coder_new(ctx->cfg->dict))) {
            mw->no_coder = 1; /* out of memory: the workers go on alone */
            return 0;
        }
        dyad_coder_set_diag(mw->coder, coder_diag, mw);
        if (ctx->cfg->date)
            dyad_coder_set_default_date(mw->coder, ctx->cfg->date);
    }
    return mw->coder ? take_and_code(ctx, mw, 0) : 0;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    par_ctx *ctx = w->ctx;
    const par_config *cfg = ctx->cfg;

    /* each worker makes its own coder, at the same time as the others and
     * as the main thread's first reads */
    if (!(w->coder = dyad_coder_new(cfg->dict))) {
        pthread_mutex_lock(&ctx->mu);
        ctx->alive--;
        pthread_cond_broadcast(&ctx->done_cv);
        pthread_mutex_unlock(&ctx->mu);
        return NULL;
    }
    dyad_coder_set_diag(w->coder, coder_diag, w);
    if (cfg->date)
        dyad_coder_set_default_date(w->coder, cfg->date);
    while (take_and_code(ctx, w, 1))
        ;
    return NULL;
}

/* ---------------------------------------------------------- main thread */

static void batch_reset(batch *b)
{
    b->n = 0;
    b->str.n = b->pre.n = b->post.n = 0;
    b->str.oom = b->pre.oom = b->post.oom = 0;
    b->pre_errors = b->post_errors = 0;
    b->coded = b->articles = b->sentences = b->events = b->failed = 0;
    b->write_failed = b->stop = 0;
    b->out_n = 0;
    b->out_oom = 0;
}

/* Copy the article into the batch; 0, or -1 when out of memory. */
static int batch_add(batch *b, const dyad_article *a)
{
    art_ref *r = &b->ref[b->n];
    size_t len = a->text ? (a->text_len ? a->text_len : strlen(a->text)) : 0;

    r->id = bytes_str(&b->str, a->id);
    r->date = bytes_str(&b->str, a->date);
    r->title = bytes_str(&b->str, a->title);
    r->source = bytes_str(&b->str, a->source);
    r->url = bytes_str(&b->str, a->url);
    r->origin = bytes_str(&b->str, a->origin);
    r->text = NONE;
    if (a->text && (r->text = bytes_add(&b->str, a->text, len)) != NONE)
        b->str.n++; /* the NUL bytes_add wrote */
    r->text_len = a->text_len;
    r->line = a->line;
    if (b->str.oom)
        return -1;
    b->pre_end[b->n] = b->pre.n;
    b->n++;
    return 0;
}

static void batch_seal(batch *b)
{
    size_t i;

    for (i = 0; i < b->n; i++) {
        const art_ref *r = &b->ref[i];
        dyad_article *a = &b->art[i];
        a->id = field(b, r->id);
        a->date = field(b, r->date);
        a->title = field(b, r->title);
        a->text = field(b, r->text);
        a->text_len = r->text_len;
        a->source = field(b, r->source);
        a->url = field(b, r->url);
        a->origin = field(b, r->origin);
        a->line = r->line;
    }
}

static void put(const char *p, size_t n, FILE *f)
{
    if (n)
        fwrite(p, 1, n, f);
}

/* Write a finished batch: its events, its messages and the --unknown
 * phrases, in the order one thread would have. Returns 1 to stop. */
static int batch_write(par_ctx *ctx, batch *b, FILE *out, par_result *res)
{
    const par_config *cfg = ctx->cfg;
    size_t i, pre0 = 0, post0 = 0;
    int stop = b->stop;

    for (i = 0; i < b->coded; i++) {
        put(b->pre.p + pre0, b->pre_end[i] - pre0, stderr);
        put(b->post.p + post0, b->post_end[i] - post0, stderr);
        pre0 = b->pre_end[i];
        post0 = b->post_end[i];
        if (cfg->unknown && dyad_unknown_add(cfg->unknown, &b->art[i]) != DYAD_OK) {
            fputs("dyad: error: out of memory\n", stderr);
            res->failed++;
        }
    }
    if (!stop) /* messages after the last article */
        put(b->pre.p + pre0, b->pre.n - pre0, stderr);
    if (b->pre.oom || b->post.oom || b->str.oom || b->out_oom) {
        fputs("dyad: error: out of memory\n", stderr);
        res->failed++;
        stop = 1;
    }
    if (b->out_n && fwrite(b->os->p, 1, b->out_n, out) != b->out_n)
        b->write_failed = 1;
    pthread_mutex_lock(&ctx->mu);
    ctx->os_free[ctx->n_os_free++] = b->os;
    pthread_mutex_unlock(&ctx->mu);
    b->os = NULL;
    if (b->write_failed || ferror(out)) {
        res->write_failed = 1;
        stop = 1;
    }
    res->articles += b->articles;
    res->sentences += b->sentences;
    res->events += b->events;
    res->diag_errors += b->pre_errors + b->post_errors;
    res->failed += b->failed;
    b->state = B_FREE;
    return stop;
}

/* The batch once it is coded; NULL when no worker could make its coder. */
static batch *wait_done(par_ctx *ctx, size_t seq)
{
    batch *b = &ctx->ring[seq % ctx->cap];

    pthread_mutex_lock(&ctx->mu);
    while (b->state != B_DONE && ctx->alive > 0)
        pthread_cond_wait(&ctx->done_cv, &ctx->mu);
    if (b->state != B_DONE)
        b = NULL;
    pthread_mutex_unlock(&ctx->mu);
    return b;
}

static int no_workers(par_result *res)
{
    fputs("dyad: error: cannot start the worker threads\n", stderr);
    res->failed++;
    return 1;
}

static int is_done(par_ctx *ctx, size_t seq)
{
    int done;

    pthread_mutex_lock(&ctx->mu);
    done = ctx->ring[seq % ctx->cap].state == B_DONE;
    pthread_mutex_unlock(&ctx->mu);
    return done;
}

/* The oldest batch (*next) written, or only collected after a stop; while
 * it is being coded, this thread codes a queued one instead of waiting
 * (then nothing is written yet). Returns the new stop. */
static int write_oldest(par_ctx *ctx, size_t *next, worker *mw, FILE *out,
                        par_result *res, int stop)
{
    batch *b;

    if (!stop && !is_done(ctx, *next) && main_help(ctx, mw))
        return 0;
    b = wait_done(ctx, (*next)++);
    if (stop)
        return 1;
    return b ? batch_write(ctx, b, out, res) : no_workers(res);
}

void par_code(const par_config *cfg, dyad_reader *r, FILE *out,
              par_result *res)
{
    par_ctx ctx;
    worker *w, *mw = NULL;
    size_t next_write = 0, i;
    int nw = 0, eof = 0, stop = 0;

    memset(res, 0, sizeof *res);
    memset(&ctx, 0, sizeof ctx);
    ctx.cfg = cfg;
    ctx.cap = (size_t)cfg->threads * BATCHES_PER_WORKER;
    pthread_mutex_init(&ctx.mu, NULL);
    pthread_cond_init(&ctx.work_cv, NULL);
    pthread_cond_init(&ctx.done_cv, NULL);
    ctx.ring = calloc(ctx.cap, sizeof *ctx.ring);
    ctx.os = calloc(ctx.cap, sizeof *ctx.os);
    ctx.os_free = calloc(ctx.cap, sizeof *ctx.os_free);
    w = calloc((size_t)cfg->threads, sizeof *w);
    if (!ctx.ring || !ctx.os || !ctx.os_free || !w) {
        fputs("dyad: error: out of memory\n", stderr);
        res->failed++;
        goto out;
    }
    for (i = ctx.cap; i-- > 0;)
        ctx.os_free[ctx.n_os_free++] = &ctx.os[i];
    /* N threads code: N - 1 workers and this one, which reads and writes
     * and codes a batch whenever it would otherwise wait (one thread per
     * core: none waits for a core while another idles) */
    mw = &w[cfg->threads - 1];
    mw->ctx = &ctx;
    ctx.alive = cfg->threads - 1;
    for (nw = 0; nw < cfg->threads - 1; nw++) {
        worker *k = &w[nw];
        k->ctx = &ctx;
        if (pthread_create(&k->tid, NULL, worker_main, k) != 0)
            break;
    }
    pthread_mutex_lock(&ctx.mu);
    ctx.alive -= cfg->threads - 1 - nw; /* those never started */
    pthread_mutex_unlock(&ctx.mu);
    *cfg->fwd = reader_diag;
    *cfg->fwd_ud = &ctx;

    while (!eof && !stop) {
        batch *b;

        /* a free slot: the oldest batch is written first when all are
         * taken */
        while (!stop && ctx.next_fill - next_write == ctx.cap)
            stop = write_oldest(&ctx, &next_write, mw, out, res, 0);
        if (stop)
            break;
        b = &ctx.ring[ctx.next_fill % ctx.cap];
        batch_reset(b);
        ctx.filling = b;
        while (b->n < BATCH_ARTS && b->str.n < BATCH_BYTES) {
            dyad_article art;
            int rc = dyad_reader_next(r, &art);
            if (rc == 0) {
                eof = 1;
                break;
            }
            if (rc < 0) {
                bytes_printf(&b->pre, "dyad: error: reading input: %s\n",
                             dyad_strerror(rc));
                res->failed++;
                eof = 1;
                break;
            }
            if (batch_add(b, &art) != 0) {
                eof = 1; /* out of memory: reported when written */
                break;
            }
        }
        ctx.filling = NULL;
        batch_seal(b);
        pthread_mutex_lock(&ctx.mu);
        b->state = B_QUEUED;
        ctx.next_fill++;
        pthread_cond_signal(&ctx.work_cv);
        pthread_mutex_unlock(&ctx.mu);
        /* write whatever is finished, without waiting */
        while (!stop && next_write < ctx.next_fill && is_done(&ctx, next_write))
            stop = batch_write(&ctx, &ctx.ring[next_write++ % ctx.cap], out,
                               res);
    }
    /* the rest, in order; after a stop the batches are only collected */
    while (next_write < ctx.next_fill)
        stop = write_oldest(&ctx, &next_write, mw, out, res, stop);
    *cfg->fwd = NULL;
    *cfg->fwd_ud = NULL;

    pthread_mutex_lock(&ctx.mu);
    ctx.quit = 1;
    pthread_cond_broadcast(&ctx.work_cv);
    pthread_mutex_unlock(&ctx.mu);
    for (i = 0; i < (size_t)nw; i++) {
        pthread_join(w[i].tid, NULL);
        dyad_coder_free(w[i].coder);
    }
    dyad_coder_free(mw->coder);
out:
    if (ctx.ring)
        for (i = 0; i < ctx.cap; i++) {
            free(ctx.ring[i].str.p);
            free(ctx.ring[i].pre.p);
            free(ctx.ring[i].post.p);
            if (ctx.os && ctx.os[i].f)
                fclose(ctx.os[i].f);
            if (ctx.os)
                free(ctx.os[i].p);
        }
    free(ctx.ring);
    free(ctx.os);
    free(ctx.os_free);
    free(w);
    pthread_cond_destroy(&ctx.done_cv);
    pthread_cond_destroy(&ctx.work_cv);
    pthread_mutex_destroy(&ctx.mu);
}

/* ----------------------------------------------------------------- misc */

int par_threads_parse(const char *s)
{
    char *end;
    long n;

    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    n = strtol(s, &end, 10);
    if (errno || *end || n < 0 || n > MAX_THREADS)
        return -1;
    if (n == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        n = c < 1 ? 1 : c > MAX_THREADS ? MAX_THREADS : c;
    }
    return (int)n;
}

double par_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void par_print_stats(const par_result *res, double seconds)
{
    fprintf(stderr,
            "articles %zu, sentences %zu, events %zu, seconds %.3f, "
            "sentences/s %.0f\n",
            res->articles, res->sentences, res->events, seconds,
            seconds > 0 ? (double)res->sentences / seconds : 0.0);
}
