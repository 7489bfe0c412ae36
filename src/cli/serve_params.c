/* serve_params.c: the query parameters of `dyad serve`'s API: unknown and
 * repeated ones refused, the filters of `dyad events` and whole numbers
 * checked, each error naming the parameter and the value it got. */
#include "serve.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_MAX 80 /* bytes of a bad value shown in a message */

const char *serve_param_get(const serve_req *rq, const char *key)
{
    int i;
    for (i = 0; i < rq->nparams; i++)
        if (strcmp(rq->params[i].key, key) == 0)
            return rq->params[i].value;
    return NULL;
}

/* A value for a message: cut, and control characters shown as '?', so the
 * error stays one readable line of valid JSON text. */
static const char *shown(const char *v, char out[SHOW_MAX + 8])
{
    size_t i, n = strlen(v);
    for (i = 0; i < n && i < SHOW_MAX; i++)
        out[i] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
    /* do not cut inside a UTF-8 sequence */
    while (i < n && i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0x80 &&
           ((unsigned char)v[i] & 0xC0) == 0x80)
        i--;
    if (i > 0 && i < n && ((unsigned char)out[i - 1] & 0xC0) == 0xC0)
        i--;
    out[i] = '\0';
    if (i < n)
        strcat(out, "...");
    return out;
}

int serve_params_check(const serve_req *rq, const char *const *allowed,
                       const char *what, serve_reply *rp)
{
    int i, j;
    char list[512] = "", buf[SHOW_MAX + 8];

    if (rq->too_many_params) {
        serve_error(rp, 400, "too many query parameters (at most %d)",
                    SERVE_PARAMS_MAX);
        return -1;
    }
    for (i = 0; i < rq->nparams; i++) {
        const char *const *a;
        for (a = allowed; *a; a++)
            if (strcmp(*a, rq->params[i].key) == 0)
                break;
        if (!*a) {
            for (a = allowed; *a; a++) {
                size_t n = strlen(list);
                snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", *a);
            }
            serve_error(rp, 400, "unknown parameter '%s' (%s takes %s)",
                        shown(rq->params[i].key, buf), what,
                        *list ? list : "none");
            return -1;
        }
        for (j = 0; j < i; j++)
            if (strcmp(rq->params[j].key, rq->params[i].key) == 0) {
                serve_error(rp, 400, "%s: given more than once",
                            rq->params[i].key);
                return -1;
            }
    }
    return 0;
}

/* One filter value alone through the store's own check, so the server and
 * `dyad events` accept the same values. */
static int filter_ok(const dyad_store_filter *one)
{
    char err[256];
    return dyad_store_filter_check(one, err, sizeof err) == DYAD_OK;
}

int serve_params_filter(const serve_req *rq, dyad_store_filter *f,
                        char *dyad_buf, size_t bufsz, serve_reply *rp)
{
    dyad_store_filter one;
    const char *v;
    char buf[SHOW_MAX + 8];

    memset(f, 0, sizeof *f);
    if ((v = serve_param_get(rq, "actor"))) {
        memset(&one, 0, sizeof one);
        one.actor = v;
        if (!filter_ok(&one)) {
            serve_error(rp, 400, "actor: expected an actor code or country "
                        "such as RUSGOV or RUS, got '%s'", shown(v, buf));
            return -1;
        }
        f->actor = v;
    }
    if ((v = serve_param_get(rq, "dyad"))) {
        char *colon;
        snprintf(dyad_buf, bufsz, "%s", v);
        colon = strchr(dyad_buf, ':');
        memset(&one, 0, sizeof one);
        if (colon && !strchr(colon + 1, ':') && strlen(v) < bufsz) {
            *colon = '\0';
            one.dyad_a = dyad_buf;
            one.dyad_b = colon + 1;
        }
        if (!one.dyad_a || !filter_ok(&one)) {
            serve_error(rp, 400, "dyad: expected A:B, two actor codes or "
                        "countries such as RUS:CHN, got '%s'", shown(v, buf));
            return -1;
        }
        f->dyad_a = one.dyad_a;
        f->dyad_b = one.dyad_b;
    }
    if ((v = serve_param_get(rq, "code"))) {
        memset(&one, 0, sizeof one);
        one.code = v;
        if (!*v || !filter_ok(&one)) {
            serve_error(rp, 400, "code: expected a CAMEO code such as 041 or "
                        "a prefix such as 04*, got '%s'", shown(v, buf));
            return -1;
        }
        f->code = v;
    }
    if ((v = serve_param_get(rq, "root"))) {
        memset(&one, 0, sizeof one);
        one.root = v;
        if (!filter_ok(&one)) {
            serve_error(rp, 400, "root: expected a CAMEO root, two digits "
                        "such as 04, got '%s'", shown(v, buf));
            return -1;
        }
        f->root = v;
    }
    if ((v = serve_param_get(rq, "since"))) {
        if (!dyad_date_valid(v)) {
            serve_error(rp, 400, "since: expected YYYY-MM-DD, got %s",
                        shown(v, buf));
            return -1;
        }
        f->since = v;
    }
    if ((v = serve_param_get(rq, "until"))) {
        if (!dyad_date_valid(v)) {
            serve_error(rp, 400, "until: expected YYYY-MM-DD, got %s",
                        shown(v, buf));
            return -1;
        }
        f->until = v;
    }
    if (f->since && f->until && strcmp(f->since, f->until) > 0) {
        serve_error(rp, 400, "since: %s is after until %s", f->since, f->until);
        return -1;
    }
    if ((v = serve_param_get(rq, "doc"))) {
        if (!*v || strlen(v) > 1024) {
            serve_error(rp, 400, "doc: expected a document id (1 to 1024 "
                        "bytes), got '%s'", shown(v, buf));
            return -1;
        }
        f->doc = v;
    }
    return 0;
}

int serve_params_long(const serve_req *rq, const char *key, long min,
                      long max, long def, long *out, serve_reply *rp)
{
    const char *v = serve_param_get(rq, key);
    char *end, buf[SHOW_MAX + 8];
    long n;

    *out = def;
    if (!v)
        return 0;
    errno = 0;
    n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < min || n > max || v[0] == '+' ||
        v[0] == ' ' || (v[0] == '-' && min >= 0)) {
        serve_error(rp, 400, "%s: expected a whole number from %ld to %ld, "
                    "got '%s'", key, min, max, shown(v, buf));
        return -1;
    }
    *out = n;
    return 0;
}
