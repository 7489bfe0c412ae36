/* serve_api.c: the JSON API of `dyad serve` (docs/serve.md): health, pages
 * of merged events (JSON or CSV), one event with its mentions, dyads, the
 * timeline, full-text search, and coding a posted article. Events are the
 * lines `dyad events` and `dyad code` write (dyad_store_event_json,
 * dyad_doc_jsonl), parsed with json-c and given the CAMEO name and spans. */
#include "serve.h"

#include <json-c/json.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define JSON_FLAGS (JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

static const char *const FILTERS[] = {"actor", "dyad", "code", "root", "since",
                                      "until", "doc"};
#define NFILTERS (sizeof FILTERS / sizeof FILTERS[0])

/* ------------------------------------------------------------- replies */

static void reply_json(serve_reply *rp, int status, json_object *o)
{
    size_t n = 0;
    const char *s = o ? json_object_to_json_string_length(o, JSON_FLAGS, &n)
                      : NULL;

    rp->status = status;
    rp->type = "application/json";
    free(rp->body);
    rp->body = NULL;
    rp->len = 0;
    if (s && (rp->body = malloc(n + 1))) {
        memcpy(rp->body, s, n);
        rp->body[n] = '\0';
        rp->len = n;
    } else {
        rp->status = 500; /* out of memory: an empty 500 */
    }
    json_object_put(o);
}

void serve_error(serve_reply *rp, int status, const char *fmt, ...)
{
    char msg[1024];
    json_object *o = json_object_new_object();
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_object_object_add(o, "error", json_object_new_string(msg));
    reply_json(rp, status, o);
}

/* A failed store call: the time limit is 503, a bad value 400, the rest
 * 500 (the store's message says what). */
static void store_error(serve_reply *rp, dyad_store *s, int rc)
{
    const char *m = dyad_store_errmsg(s);
    if (!m || !*m)
        m = dyad_strerror(rc);
    if (rc == DYAD_ETIMEOUT)
        serve_error(rp, 503, "%s; narrow the filters and try again", m);
    else if (rc == DYAD_EINVAL)
        serve_error(rp, 400, "%s", m);
    else if (rc == DYAD_ENOENT)
        serve_error(rp, 404, "%s", m);
    else
        serve_error(rp, 500, "store: %s", m);
}

/* A number with the digits given (json-c would print doubles with 17). */
static json_object *new_double(double v, const char *fmt)
{
    char buf[64];
    snprintf(buf, sizeof buf, fmt, v);
    return json_object_new_double_s(v, buf);
}

/* ---------------------------------------------------------- event JSON */

/* [offset, length] in text's bytes, or null when unknown or outside it. */
static json_object *span_json(dyad_span sp, const char *text)
{
    json_object *a;
    size_t n = text ? strlen(text) : 0;

    if (sp.len == 0 || (size_t)sp.off + sp.len > n)
        return NULL;
    a = json_object_new_array_ext(2);
    json_object_array_add(a, json_object_new_int64(sp.off));
    json_object_array_add(a, json_object_new_int64(sp.len));
    return a;
}

static void add_extras(json_object *o, const dyad_event *ev)
{
    const dyad_cameo *c = ev->code ? dyad_cameo_lookup(ev->code) : NULL;
    json_object_object_add(o, "code_name",
                           c ? json_object_new_string(c->name) : NULL);
    json_object_object_add(o, "source_span", span_json(ev->source_span, ev->text));
    json_object_object_add(o, "target_span", span_json(ev->target_span, ev->text));
    json_object_object_add(o, "verb_span", span_json(ev->verb_span, ev->text));
}

static json_object *str_or_null(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

static json_object *mention_json(const dyad_store_mention *m)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "doc", str_or_null(m->doc));
    json_object_object_add(o, "sentence", json_object_new_int(m->sentence));
    json_object_object_add(o, "date", str_or_null(m->date));
    json_object_object_add(o, "source", str_or_null(m->source));
    json_object_object_add(o, "target", str_or_null(m->target));
    json_object_object_add(o, "code", str_or_null(m->code));
    json_object_object_add(o, "source_name", str_or_null(m->source_name));
    json_object_object_add(o, "target_name", str_or_null(m->target_name));
    json_object_object_add(o, "text", str_or_null(m->text));
    json_object_object_add(o, "pattern", str_or_null(m->pattern));
    json_object_object_add(o, "publisher", str_or_null(m->publisher));
    json_object_object_add(o, "url", str_or_null(m->url));
    json_object_object_add(o, "source_span", span_json(m->source_span, m->text));
    json_object_object_add(o, "target_span", span_json(m->target_span, m->text));
    json_object_object_add(o, "verb_span", span_json(m->verb_span, m->text));
    return o;
}

/* One text line of JSON into an object; NULL when out of memory. */
static json_object *parse_line(const char *s, size_t n)
{
    json_tokener *tok = json_tokener_new();
    json_object *o;
    if (!tok)
        return NULL;
    o = json_tokener_parse_ex(tok, s, (int)n);
    json_tokener_free(tok);
    return o;
}

/* A merged event as `dyad events --format jsonl` writes it, with the CAMEO
 * name and the spans; mentions (with theirs) only when queried with them. */
static json_object *event_json(serve_worker *w, const dyad_store_event *e)
{
    json_object *o, *ms;
    long n;
    size_t i;

    n = dyad_store_event_json(e, w->jbuf, w->jcap);
    if (n >= 0 && (size_t)n >= w->jcap) {
        char *nb = realloc(w->jbuf, (size_t)n + 1024);
        if (!nb)
            return NULL;
        w->jbuf = nb;
        w->jcap = (size_t)n + 1024;
        n = dyad_store_event_json(e, w->jbuf, w->jcap);
    }
    if (n < 0 || !(o = parse_line(w->jbuf, (size_t)n)))
        return NULL;
    json_object_object_del(o, "mentions");
    add_extras(o, &e->ev);
    if (e->nmentions) {
        ms = json_object_new_array_ext((int)e->nmentions);
        for (i = 0; i < e->nmentions; i++)
            json_object_array_add(ms, mention_json(&e->mentions[i]));
        json_object_object_add(o, "mentions", ms);
    }
    return o;
}

static void put_span(FILE *out, const char *key, dyad_span sp, const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (sp.len == 0 || (size_t)sp.off + sp.len > n)
        fprintf(out, ",\"%s\":null", key);
    else
        fprintf(out, ",\"%s\":[%u,%u]", key, sp.off, sp.len);
}

/* The same event as event_json without mentions, written as text: the
 * line of `dyad events` with its empty "mentions" replaced by the extras.
 * A page is most of the API's work, and parsing each line back into
 * objects took 4 times as long as the query. */
static int event_text(serve_worker *w, const dyad_store_event *e, FILE *out)
{
    static const char tail[] = ",\"mentions\":[]}\n";
    const dyad_cameo *c = e->ev.code ? dyad_cameo_lookup(e->ev.code) : NULL;
    size_t tl = sizeof tail - 1;
    json_object *name;
    long n;

    n = dyad_store_event_json(e, w->jbuf, w->jcap);
    if (n >= 0 && (size_t)n >= w->jcap) {
        char *nb = realloc(w->jbuf, (size_t)n + 1024);
        if (!nb)
            return -1;
        w->jbuf = nb;
        w->jcap = (size_t)n + 1024;
        n = dyad_store_event_json(e, w->jbuf, w->jcap);
    }
    if (n < (long)tl || memcmp(w->jbuf + n - (long)tl, tail, tl) != 0)
        return -1;
    fwrite(w->jbuf, 1, (size_t)n - tl, out);
    name = c ? json_object_new_string(c->name) : NULL;
    fprintf(out, ",\"code_name\":%s",
            name ? json_object_to_json_string_ext(name, JSON_FLAGS) : "null");
    json_object_put(name);
    put_span(out, "source_span", e->ev.source_span, e->ev.text);
    put_span(out, "target_span", e->ev.target_span, e->ev.text);
    put_span(out, "verb_span", e->ev.verb_span, e->ev.text);
    fputc('}', out);
    return 0;
}

typedef struct page_ctx {
    serve_worker *w;
    FILE *out;
    int csv, n, failed;
} page_ctx;

static int on_page_event(void *ud, const dyad_store_event *e)
{
    page_ctx *c = ud;

    if (c->csv)
        return c->failed = dyad_store_write_event(c->out, DYAD_STORE_FMT_CSV, e)
                           != DYAD_OK;
    if (c->n++)
        fputc(',', c->out);
    return c->failed = event_text(c->w, e, c->out) != 0;
}

/* --------------------------------------------------------------- routes */

static void api_health(serve_worker *w, const serve_req *rq, serve_reply *rp)
{
    static const char *const allowed[] = {NULL};
    json_object *o;
    long events, articles;
    int rc;

    if (serve_params_check(rq, allowed, "GET /api/health", rp))
        return;
    if ((rc = dyad_store_totals(w->store, &events, &articles)) != DYAD_OK) {
        store_error(rp, w->store, rc);
        return;
    }
    o = json_object_new_object();
    json_object_object_add(o, "status", json_object_new_string("ok"));
    json_object_object_add(o, "version", json_object_new_string(DYAD_VERSION));
    json_object_object_add(o, "events", json_object_new_int64(events));
    json_object_object_add(o, "articles", json_object_new_int64(articles));
    reply_json(rp, 200, o);
}

/* The allowed parameters: the filters and the given ones. */
static void with_filters(const char **out, const char *const *more)
{
    size_t i, k = 0;
    for (i = 0; i < NFILTERS; i++)
        out[k++] = FILTERS[i];
    for (; more && *more; more++)
        out[k++] = *more;
    out[k] = NULL;
}

static void api_events(serve_worker *w, const serve_req *rq, serve_reply *rp)
{
    static const char *const more[] = {"limit", "offset", "format", NULL};
    const char *allowed[NFILTERS + 4], *format;
    dyad_store_filter f;
    char dbuf[160];
    long limit, offset, total = 0;
    page_ctx c = {w, NULL, 0, 0, 0};
    char *mem = NULL;
    size_t memlen = 0;
    int rc, bad;

    with_filters(allowed, more);
    if (serve_params_check(rq, allowed, "GET /api/events", rp) ||
        serve_params_filter(rq, &f, dbuf, sizeof dbuf, rp) ||
        serve_params_long(rq, "limit", 1, 1000, 50, &limit, rp) ||
        serve_params_long(rq, "offset", 0, 1000000000, 0, &offset, rp))
        return;
    if ((format = serve_param_get(rq, "format"))) {
        if (strcmp(format, "csv") == 0)
            c.csv = 1;
        else if (strcmp(format, "json") != 0) {
            serve_error(rp, 400, "format: expected json or csv, got '%.40s'",
                        format);
            return;
        }
    }
    if (!c.csv && (rc = dyad_store_count(w->store, &f, &total)) != DYAD_OK) {
        store_error(rp, w->store, rc);
        return;
    }
    if (!(c.out = open_memstream(&mem, &memlen))) {
        serve_error(rp, 500, "out of memory");
        return;
    }
    if (c.csv)
        dyad_store_write_header(c.out, DYAD_STORE_FMT_CSV);
    else
        fprintf(c.out, "{\"total\":%ld,\"limit\":%ld,\"offset\":%ld,\"events\":[",
                total, limit, offset);
    rc = DYAD_OK;
    if (c.csv || offset < total)
        rc = dyad_store_query_page(w->store, &f, 0, offset, limit,
                                   on_page_event, &c);
    if (!c.csv)
        fputs("]}", c.out);
    bad = fclose(c.out) != 0;
    if (rc < 0 || c.failed || bad) {
        free(mem);
        if (rc < 0)
            store_error(rp, w->store, rc);
        else
            serve_error(rp, 500, "out of memory");
        return;
    }
    rp->status = 200;
    rp->body = mem;
    rp->len = memlen;
    if (c.csv) {
        rp->type = "text/csv; charset=utf-8";
        rp->disposition = "attachment; filename=\"dyad-events.csv\"";
    } else {
        rp->type = "application/json";
    }
}

typedef struct one_ctx {
    serve_worker *w;
    json_object *o;
} one_ctx;

static int on_one_event(void *ud, const dyad_store_event *e)
{
    one_ctx *c = ud;
    json_object *ms;

    if (!(c->o = event_json(c->w, e)))
        return 1;
    if (!json_object_object_get_ex(c->o, "mentions", &ms))
        json_object_object_add(c->o, "mentions", json_object_new_array());
    return 0;
}

static void api_event(serve_worker *w, const serve_req *rq, const char *idtext,
                      serve_reply *rp)
{
    static const char *const allowed[] = {NULL};
    one_ctx c = {w, NULL};
    long long id;
    char *end;
    int rc;

    if (serve_params_check(rq, allowed, "GET /api/events/ID", rp))
        return;
    errno = 0;
    id = strtoll(idtext, &end, 10);
    if (!*idtext || *end || errno || id <= 0 || idtext[0] == '+' ||
        idtext[0] == ' ') {
        serve_error(rp, 400, "id: expected an event id (a positive whole "
                    "number), got '%.40s'", idtext);
        return;
    }
    rc = dyad_store_event_get(w->store, (int64_t)id, 1, on_one_event, &c);
    if (rc == DYAD_ENOENT) {
        serve_error(rp, 404, "no event with id %lld", id);
        return;
    }
    if (rc != DYAD_OK || !c.o) {
        json_object_put(c.o);
        if (rc < 0)
            store_error(rp, w->store, rc);
        else
            serve_error(rp, 500, "out of memory");
        return;
    }
    reply_json(rp, 200, c.o);
}

static int on_dyad(void *ud, const dyad_store_stat *r)
{
    json_object *arr = ud, *o = json_object_new_object();
    const char *colon = strchr(r->key, ':');
    size_t n = colon ? (size_t)(colon - r->key) : strlen(r->key);

    json_object_object_add(o, "source", json_object_new_string_len(r->key, (int)n));
    json_object_object_add(o, "target",
                           json_object_new_string(colon ? colon + 1 : ""));
    json_object_object_add(o, "events", json_object_new_int64(r->events));
    json_object_object_add(o, "mentions", json_object_new_int64(r->mentions));
    json_object_object_add(o, "goldstein_sum", new_double(r->goldstein_sum, "%.1f"));
    json_object_object_add(o, "goldstein_mean",
                           new_double(r->events ? r->goldstein_sum / (double)r->events
                                                : 0, "%.3f"));
    json_object_array_add(arr, o);
    return 0;
}

static void api_dyads(serve_worker *w, const serve_req *rq, serve_reply *rp)
{
    static const char *const more[] = {"limit", NULL};
    const char *allowed[NFILTERS + 2];
    dyad_store_filter f;
    char dbuf[160];
    long limit;
    json_object *arr, *o;
    int rc;

    with_filters(allowed, more);
    if (serve_params_check(rq, allowed, "GET /api/dyads", rp) ||
        serve_params_filter(rq, &f, dbuf, sizeof dbuf, rp) ||
        serve_params_long(rq, "limit", 1, 1000, 100, &limit, rp))
        return;
    arr = json_object_new_array();
    rc = dyad_store_stats_table(w->store, &f, "dyad", limit, on_dyad, arr);
    if (rc != DYAD_OK) {
        json_object_put(arr);
        store_error(rp, w->store, rc);
        return;
    }
    o = json_object_new_object();
    json_object_object_add(o, "dyads", arr);
    reply_json(rp, 200, o);
}

static int on_day(void *ud, const dyad_store_day *d)
{
    json_object *arr = ud, *o = json_object_new_object(),
                *q = json_object_new_object();
    char k[2] = "0";
    int i;

    json_object_object_add(o, "date", json_object_new_string(d->date));
    json_object_object_add(o, "events", json_object_new_int64(d->events));
    for (i = 1; i <= 4; i++) {
        k[0] = (char)('0' + i);
        json_object_object_add(q, k, json_object_new_int64(d->quad[i]));
    }
    json_object_object_add(o, "quad", q);
    json_object_object_add(o, "goldstein_sum", new_double(d->goldstein_sum, "%.1f"));
    json_object_array_add(arr, o);
    return 0;
}

static void api_timeline(serve_worker *w, const serve_req *rq, serve_reply *rp)
{
    const char *allowed[NFILTERS + 1];
    dyad_store_filter f;
    char dbuf[160];
    json_object *arr, *o;
    int rc;

    with_filters(allowed, NULL);
    if (serve_params_check(rq, allowed, "GET /api/timeline", rp) ||
        serve_params_filter(rq, &f, dbuf, sizeof dbuf, rp))
        return;
    arr = json_object_new_array();
    if ((rc = dyad_store_timeline(w->store, &f, on_day, arr)) != DYAD_OK) {
        json_object_put(arr);
        store_error(rp, w->store, rc);
        return;
    }
    o = json_object_new_object();
    json_object_object_add(o, "days", arr);
    reply_json(rp, 200, o);
}

static int on_article(void *ud, const dyad_store_article *a)
{
    json_object *arr = ud, *o = json_object_new_object();
    json_object_object_add(o, "id", str_or_null(a->id));
    json_object_object_add(o, "date", str_or_null(a->date));
    json_object_object_add(o, "title", str_or_null(a->title));
    json_object_object_add(o, "source", str_or_null(a->source));
    json_object_object_add(o, "url", str_or_null(a->url));
    json_object_array_add(arr, o);
    return 0;
}

static void api_search(serve_worker *w, const serve_req *rq, serve_reply *rp)
{
    static const char *const allowed[] = {"q", "limit", NULL};
    const char *q;
    json_object *arr, *o;
    long limit;
    int rc;

    if (serve_params_check(rq, allowed, "GET /api/search", rp) ||
        serve_params_long(rq, "limit", 1, 1000, 20, &limit, rp))
        return;
    q = serve_param_get(rq, "q");
    if (!q || !*q) {
        serve_error(rp, 400, "q: missing (the words to search for)");
        return;
    }
    if (strlen(q) > 4096) {
        serve_error(rp, 400, "q: longer than 4096 bytes");
        return;
    }
    arr = json_object_new_array();
    rc = dyad_store_search(w->store, q, limit, on_article, arr);
    if (rc != DYAD_OK) {
        json_object_put(arr);
        if (rc == DYAD_EINVAL)
            serve_error(rp, 400, "q: %s", dyad_store_errmsg(w->store));
        else
            store_error(rp, w->store, rc);
        return;
    }
    o = json_object_new_object();
    json_object_object_add(o, "articles", arr);
    reply_json(rp, 200, o);
}

/* ------------------------------------------------------------ POST code */

static void on_code_diag(void *ud, dyad_severity sev, const char *msg)
{
    json_object *arr = ud;
    char line[1024];
    snprintf(line, sizeof line, "%s: %s",
             sev == DYAD_DIAG_ERROR ? "error" : "warning", msg);
    json_object_array_add(arr, json_object_new_string(line));
}

/* The media type of a Content-Type value, without parameters, is t. */
static int media_is(const char *ct, const char *t)
{
    size_t n = strlen(t);
    while (*ct == ' ')
        ct++;
    return strncasecmp(ct, t, n) == 0 &&
           (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* A text/plain body as `dyad code` reads a file: an optional first token
 * `date YYYY-MM-DD`. Returns 0, or -1 with a 400 reply. */
static int plain_article(const serve_req *rq, dyad_article *a, char date[11],
                         serve_reply *rp)
{
    const char *p = rq->body, *end = rq->body + rq->body_len;

    if (end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end && is_ws(*p))
        p++;
    if (end - p >= 4 && memcmp(p, "date", 4) == 0 && (p + 4 == end || is_ws(p[4]))) {
        const char *v = p + 4, *ve;
        while (v < end && (*v == ' ' || *v == '\t'))
            v++;
        for (ve = v; ve < end && !is_ws(*ve); ve++)
            ;
        if (ve - v != 10 || (memcpy(date, v, 10), date[10] = '\0',
                             !dyad_date_valid(date))) {
            serve_error(rp, 400, "date: expected YYYY-MM-DD on the first "
                        "line, got '%.*s'", (int)(ve - v > 40 ? 40 : ve - v), v);
            return -1;
        }
        a->date = date;
        for (p = ve; p < end && is_ws(*p); p++)
            ;
    }
    a->text = p;
    a->text_len = (size_t)(end - p);
    return 0;
}

/* A JSON body {"text": ..., "date": ..., "id": ...}. Returns the parsed
 * object (owns the strings in a), or NULL with a 400 reply. */
static json_object *json_article(const serve_req *rq, dyad_article *a,
                                 serve_reply *rp)
{
    json_tokener *tok = json_tokener_new();
    json_object *o;
    enum json_tokener_error jerr;

    if (!tok) {
        serve_error(rp, 500, "out of memory");
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    o = json_tokener_parse_ex(tok, rq->body, (int)rq->body_len);
    jerr = json_tokener_get_error(tok);
    if (jerr == json_tokener_success && (size_t)json_tokener_get_parse_end(tok) < rq->body_len) {
        const char *p = rq->body + json_tokener_get_parse_end(tok);
        while (p < rq->body + rq->body_len && is_ws(*p))
            p++;
        if (p < rq->body + rq->body_len) {
            serve_error(rp, 400, "body: malformed JSON: more after the object "
                        "at byte %zu", (size_t)(p - rq->body));
            json_object_put(o);
            json_tokener_free(tok);
            return NULL;
        }
    }
    if (jerr != json_tokener_success || !o) {
        serve_error(rp, 400, "body: malformed JSON: %s at byte %zu",
                    jerr == json_tokener_continue ? "unexpected end"
                                                  : json_tokener_error_desc(jerr),
                    (size_t)json_tokener_get_parse_end(tok));
        json_object_put(o);
        json_tokener_free(tok);
        return NULL;
    }
    json_tokener_free(tok);
    if (!json_object_is_type(o, json_type_object)) {
        serve_error(rp, 400, "body: expected a JSON object "
                    "{\"text\": ..., \"date\": ..., \"id\": ...}");
        json_object_put(o);
        return NULL;
    }
    json_object_object_foreach(o, key, val) {
        const char **slot = strcmp(key, "text") == 0   ? &a->text
                             : strcmp(key, "date") == 0 ? &a->date
                             : strcmp(key, "id") == 0   ? &a->id
                                                        : NULL;
        if (!slot) {
            serve_error(rp, 400, "unknown field '%.60s' (POST /api/code takes "
                        "text, date, id)", key);
            json_object_put(o);
            return NULL;
        }
        if (val && !json_object_is_type(val, json_type_string)) {
            serve_error(rp, 400, "%s: expected a string", key);
            json_object_put(o);
            return NULL;
        }
        *slot = val ? json_object_get_string(val) : NULL;
        if (slot == &a->text)
            a->text_len = val ? (size_t)json_object_get_string_len(val) : 0;
    }
    if (a->date && !dyad_date_valid(a->date)) {
        serve_error(rp, 400, "date: expected YYYY-MM-DD, got '%.40s'", a->date);
        json_object_put(o);
        return NULL;
    }
    if (a->id && (!*a->id || strlen(a->id) > 1024)) {
        serve_error(rp, 400, "id: expected 1 to 1024 bytes");
        json_object_put(o);
        return NULL;
    }
    return o;
}

static void api_code(serve_worker *w, const serve_req *rq, serve_reply *rp)
{
    static const char *const allowed[] = {NULL};
    dyad_article a;
    dyad_doc *doc;
    json_object *parsed = NULL, *events, *warnings, *o;
    const char *ct = rq->content_type;
    char date[11], *lines = NULL;
    size_t i, n;
    long len;
    int rc;

    if (serve_params_check(rq, allowed, "POST /api/code", rp))
        return;
    memset(&a, 0, sizeof a);
    if (ct && media_is(ct, "application/json")) {
        if (!(parsed = json_article(rq, &a, rp)))
            return;
    } else if (!ct || media_is(ct, "text/plain")) {
        if (plain_article(rq, &a, date, rp))
            return;
    } else {
        serve_error(rp, 415, "Content-Type: expected application/json or "
                    "text/plain, got '%.60s'", ct);
        return;
    }
    if (!a.text || a.text_len == 0) {
        serve_error(rp, 400, "text: missing or empty (the article to code)");
        json_object_put(parsed);
        return;
    }
    if (!a.id)
        a.id = "article";
    a.origin = "request";
    a.line = 1;
    warnings = json_object_new_array();
    w->on_diag = on_code_diag;
    w->diag_ud = warnings;
    doc = dyad_code_article(w->coder, &a, &rc);
    w->on_diag = NULL;
    w->diag_ud = NULL;
    if (!doc) {
        json_object_put(parsed);
        json_object_put(warnings);
        serve_error(rp, rc == DYAD_ETOOBIG ? 413 : 500, "cannot code the "
                    "article: %s", dyad_strerror(rc));
        return;
    }
    n = dyad_doc_event_count(doc);
    events = json_object_new_array_ext((int)n);
    len = dyad_doc_jsonl(doc, NULL, 0);
    if (len >= 0 && (lines = malloc((size_t)len + 1)) &&
        dyad_doc_jsonl(doc, lines, (size_t)len + 1) == len) {
        const char *p = lines;
        for (i = 0; i < n && *p; i++) {
            const char *nl = strchr(p, '\n');
            size_t ln = nl ? (size_t)(nl - p) : strlen(p);
            json_object *e = parse_line(p, ln);
            if (e) {
                add_extras(e, dyad_doc_event(doc, i));
                json_object_array_add(events, e);
            }
            p += ln + (nl != NULL);
        }
    }
    free(lines);
    o = json_object_new_object();
    json_object_object_add(o, "date", str_or_null(dyad_doc_date(doc)));
    json_object_object_add(o, "sentences",
                           json_object_new_int64((int64_t)dyad_doc_sentence_count(doc)));
    json_object_object_add(o, "events", events);
    json_object_object_add(o, "warnings", warnings);
    dyad_doc_free(doc);
    json_object_put(parsed);
    if (json_object_array_length(events) != n) {
        json_object_put(o);
        serve_error(rp, 500, "out of memory");
        return;
    }
    reply_json(rp, 200, o);
}

/* ---------------------------------------------------------------- route */

int serve_api(const serve_config *cfg, const serve_req *rq, serve_reply *rp)
{
    const char *p = rq->path;
    int is_get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    int post = 0, known = 1;
    serve_worker *w;
    char err[600];

    if (strncmp(p, "/api/", 5) != 0 && strcmp(p, "/api") != 0)
        return 0;
    if (strcmp(p, "/api/code") == 0)
        post = 1;
    else if (strcmp(p, "/api/health") != 0 && strcmp(p, "/api/events") != 0 &&
             strncmp(p, "/api/events/", 12) != 0 && strcmp(p, "/api/dyads") != 0 &&
             strcmp(p, "/api/timeline") != 0 && strcmp(p, "/api/search") != 0)
        known = 0;
    if (!known) {
        serve_error(rp, 404, "no such API path '%.100s' (the API: /api/health, "
                    "/api/events, /api/events/ID, /api/dyads, /api/timeline, "
                    "/api/search, /api/code)", p);
        return 1;
    }
    if (post ? strcmp(rq->method, "POST") != 0 : !is_get) {
        serve_error(rp, 405, "method %.20s not allowed on %s (use %s)",
                    rq->method, p, post ? "POST" : "GET");
        rp->allow = post ? "POST" : "GET, HEAD";
        return 1;
    }
    if (!(w = serve_worker_get(cfg, err, sizeof err))) {
        serve_error(rp, 503, "cannot open the store: %s", err);
        return 1;
    }
    if (strcmp(p, "/api/health") == 0)
        api_health(w, rq, rp);
    else if (strcmp(p, "/api/events") == 0)
        api_events(w, rq, rp);
    else if (strncmp(p, "/api/events/", 12) == 0)
        api_event(w, rq, p + 12, rp);
    else if (strcmp(p, "/api/dyads") == 0)
        api_dyads(w, rq, rp);
    else if (strcmp(p, "/api/timeline") == 0)
        api_timeline(w, rq, rp);
    else if (strcmp(p, "/api/search") == 0)
        api_search(w, rq, rp);
    else
        api_code(w, rq, rp);
    return 1;
}
