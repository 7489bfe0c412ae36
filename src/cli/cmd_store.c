/* cmd_store.c: dyad ingest, events, stats and search: the event store from
 * the command line (docs/store.md). Public API only. */
#include "cli_common.h"
#include "cmd_store.h"

#include "dyad.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_DONE = 0, EXIT_PARTIAL = 1, EXIT_USAGE = 2 };

#define DEFAULT_DB "dyad.db"
#define MAX_DICTS 256
#define DEFAULT_BATCH 500


/* A whole non-negative number within max; -1 otherwise. */
static long parse_count(const char *v, long max)
{
    char *end;
    long n;
    errno = 0;
    n = strtol(v, &end, 10);
    if (!*v || *end || errno || n < 0 || n > max || v[0] == '-' || v[0] == '+')
        return -1;
    return n;
}

static void on_diag(void *ud, dyad_severity sev, const char *file, long line,
                    const char *msg)
{
    size_t *errors = ud;
    if (sev == DYAD_DIAG_ERROR)
        (*errors)++;
    char text[8192];
    cli_diag_line(text, sizeof text, sev, file, line, msg);
    fputs(text, stderr);
}

static dyad_store *open_store(const char *db, int flags)
{
    dyad_store *s = NULL;
    char err[600];
    if (dyad_store_open(db, flags, &s, err, sizeof err) != DYAD_OK) {
        cli_errorf("%s", err);
        return NULL;
    }
    return s;
}

/* ---------------------------------------------------------------- ingest */

int cmd_ingest(int argc, char **argv)
{
    const char *dicts[MAX_DICTS], *db = DEFAULT_DB, *date = NULL, *v;
    char **inputs = argv + 1;
    int ndicts = 0, no_builtin = 0, ninputs = 0, quiet = 0, i, rc;
    long window = -1, batch = DEFAULT_BATCH, in_batch = 0;
    size_t dict_errors = 0, in_errors = 0, failed = 0;
    size_t added = 0, replaced = 0, skipped = 0;
    dyad_dict *dict = NULL;
    dyad_coder *coder = NULL;
    dyad_reader *reader = NULL;
    dyad_store *store = NULL;
    int status = EXIT_PARTIAL;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        int missing = 0;
        if (strcmp(a, "--") == 0) {
            for (i++; i < argc; i++)
                inputs[ninputs++] = argv[i];
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            inputs[ninputs++] = argv[i];
            continue;
        }
        if (strcmp(a, "--no-builtin") == 0)
            no_builtin = 1;
        else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
            quiet = 1;
        else if ((v = cli_opt_value(argc, argv, &i, "--db", &missing)))
            db = v;
        else if (!missing && (v = cli_opt_value(argc, argv, &i, "--dict", &missing))) {
            if (ndicts >= MAX_DICTS)
                return cli_usage("too many --dict options (at most %d)", MAX_DICTS);
            dicts[ndicts++] = v;
        } else if (!missing && (v = cli_opt_value(argc, argv, &i, "--date", &missing))) {
            if (!dyad_date_valid(v))
                return cli_usage("bad --date '%s' (want YYYY-MM-DD)", v);
            date = v;
        } else if (!missing && (v = cli_opt_value(argc, argv, &i, "--window", &missing))) {
            if ((window = parse_count(v, 365)) < 0)
                return cli_usage("bad --window '%s' (want whole days, 0 to 365)", v);
        } else if (!missing && (v = cli_opt_value(argc, argv, &i, "--batch", &missing))) {
            if ((batch = parse_count(v, 1000000)) < 1)
                return cli_usage("bad --batch '%s' (want 1 to 1000000 articles)", v);
        } else if (missing)
            return cli_usage("option %s needs an argument", a);
        else
            return cli_usage("unknown option '%s'", a);
    }
    if (ninputs == 0 && window < 0)
        return cli_usage("no input (give files, directories or -)");

    if (!(store = open_store(db, 0)))
        return EXIT_PARTIAL;
    if (window >= 0 && dyad_store_set_window(store, (int)window) != DYAD_OK) {
        cli_errorf("%s: %s", db, dyad_store_errmsg(store));
        goto done;
    }
    /* the dictionaries are parsed, not read from the compiled-image cache */
    if (!(dict = cli_load_dicts(dicts, ndicts, no_builtin, 0, on_diag, &dict_errors)))
        goto done;
    if (!(reader = dyad_reader_new(on_diag, &in_errors)) || !(coder = dyad_coder_new(dict))) {
        cli_errorf("out of memory");
        goto done;
    }
    dyad_coder_set_diag(coder, on_diag, &in_errors);
    if (date)
        dyad_coder_set_default_date(coder, date);
    for (i = 0; i < ninputs; i++)
        if ((rc = dyad_reader_add(reader, inputs[i])) != DYAD_OK) {
            cli_errorf("%s: %s", inputs[i], dyad_strerror(rc));
            failed++;
        }

    for (;;) {
        dyad_article art;
        dyad_doc *doc;
        dyad_store_outcome out;

        rc = dyad_reader_next(reader, &art);
        if (rc == 0)
            break;
        if (rc < 0) {
            cli_errorf("reading input: %s", dyad_strerror(rc));
            failed++;
            break;
        }
        if (!(doc = dyad_code_article(coder, &art, &rc))) {
            cli_errorf("%s:%ld: cannot code article %s: %s",
                   art.origin ? art.origin : "?", art.line,
                   art.id ? art.id : "?", dyad_strerror(rc));
            failed++;
            continue;
        }
        rc = dyad_store_add(store, &art, doc, &out);
        dyad_doc_free(doc);
        if (rc != DYAD_OK) {
            cli_errorf("%s: cannot store article %s: %s", db, art.id,
                   dyad_store_errmsg(store));
            goto done; /* the batch was rolled back; earlier ones stay */
        }
        if (out == DYAD_STORE_ADDED)
            added++;
        else if (out == DYAD_STORE_REPLACED)
            replaced++;
        else
            skipped++;
        if (++in_batch >= batch) {
            if (dyad_store_commit(store) != DYAD_OK) {
                cli_errorf("%s: cannot commit: %s", db, dyad_store_errmsg(store));
                goto done;
            }
            in_batch = 0;
        }
    }
    if (dyad_store_commit(store) != DYAD_OK) {
        cli_errorf("%s: cannot commit: %s", db, dyad_store_errmsg(store));
        goto done;
    }
    if (!quiet)
        fprintf(stderr, "dyad: ingest: %zu added, %zu replaced, %zu unchanged\n",
                added, replaced, skipped);
    if (failed == 0 && in_errors == 0 && dyad_reader_errors(reader) == 0)
        status = EXIT_DONE;
done:
    dyad_store_close(store);
    dyad_reader_free(reader);
    dyad_coder_free(coder);
    dyad_dict_free(dict);
    return status;
}

/* ---------------------------------------------------------- query options */

typedef struct qopts {
    const char *db, *format, *mentions, *out, *query;
    long limit;
    dyad_store_filter f;
    char dyad_buf[160];
} qopts;

/* Options shared by events, stats and search; search takes one query. */
static int parse_query_opts(int argc, char **argv, qopts *q, int want_query)
{
    int i;

    memset(q, 0, sizeof *q);
    q->db = DEFAULT_DB;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        int missing = 0;
        if (want_query && (a[0] != '-' || strcmp(a, "-") == 0)) {
            if (q->query)
                return cli_usage("%s takes one query, not also '%s'", argv[0], a);
            q->query = a;
            continue;
        }
        if ((v = cli_opt_value(argc, argv, &i, "--db", &missing)))
            q->db = v;
        else if (!missing && (v = cli_opt_value(argc, argv, &i, "--actor", &missing)))
            q->f.actor = v;
        else if (!missing && (v = cli_opt_value(argc, argv, &i, "--dyad", &missing))) {
            char *colon;
            snprintf(q->dyad_buf, sizeof q->dyad_buf, "%s", v);
            if (!(colon = strchr(q->dyad_buf, ':')) || strchr(colon + 1, ':'))
                return cli_usage("bad --dyad '%s' (want A:B, e.g. RUS:CHN)", v);
            *colon = '\0';
            q->f.dyad_a = q->dyad_buf;
            q->f.dyad_b = colon + 1;
        } else if (!missing && (v = cli_opt_value(argc, argv, &i, "--code", &missing)))
            q->f.code = v;
        else if (!missing && (v = cli_opt_value(argc, argv, &i, "--root", &missing)))
            q->f.root = v;
        else if (!missing && (v = cli_opt_value(argc, argv, &i, "--since", &missing)))
            q->f.since = v;
        else if (!missing && (v = cli_opt_value(argc, argv, &i, "--until", &missing)))
            q->f.until = v;
        else if (!missing && (v = cli_opt_value(argc, argv, &i, "--format", &missing)))
            q->format = v;
        else if (!missing && (v = cli_opt_value(argc, argv, &i, "--mentions", &missing)))
            q->mentions = v;
        else if (!missing && ((v = cli_opt_value(argc, argv, &i, "-o", &missing)) ||
                              (!missing && (v = cli_opt_value(argc, argv, &i, "--output", &missing)))))
            q->out = v;
        else if (!missing && (v = cli_opt_value(argc, argv, &i, "--limit", &missing))) {
            if ((q->limit = parse_count(v, 1000000)) < 1)
                return cli_usage("bad --limit '%s' (want 1 to 1000000)", v);
        } else if (missing)
            return cli_usage("option %s needs an argument", a);
        else
            return cli_usage("unknown option '%s'", a);
    }
    {
        char err[256];
        if (dyad_store_filter_check(&q->f, err, sizeof err) != DYAD_OK)
            return cli_usage("%s", err);
    }
    if (want_query && !q->query)
        return cli_usage("search needs a query: dyad search \"embassy Kabul\"");
    return 0;
}

static int close_file(FILE *f, const char *name)
{
    int bad = ferror(f);
    if (fclose(f) != 0)
        bad = 1;
    if (bad)
        cli_errorf("cannot write %s: %s", name, strerror(errno ? errno : EIO));
    return bad;
}

/* ---------------------------------------------------------------- events */

typedef struct events_ctx {
    FILE *out, *mentions;
    dyad_store_format fmt;
    int failed;
} events_ctx;

static int on_event(void *ud, const dyad_store_event *e)
{
    events_ctx *c = ud;
    if (dyad_store_write_event(c->out, c->fmt, e) != DYAD_OK ||
        (c->mentions && dyad_store_write_gdelt_mentions(c->mentions, e) != DYAD_OK)) {
        c->failed = 1;
        return 1;
    }
    return 0;
}

int cmd_events(int argc, char **argv)
{
    qopts q;
    events_ctx c;
    dyad_store *s;
    int rc, fmt = DYAD_STORE_FMT_JSONL, status = EXIT_DONE;

    if ((rc = parse_query_opts(argc, argv, &q, 0)) != 0)
        return rc;
    if (q.format && (fmt = dyad_store_format_parse(q.format)) < 0)
        return cli_usage("bad --format '%s' (jsonl, csv, gdelt or plover)", q.format);
    if (q.mentions && fmt != DYAD_STORE_FMT_GDELT)
        return cli_usage("--mentions goes with --format gdelt");
    memset(&c, 0, sizeof c);
    c.fmt = (dyad_store_format)fmt;
    c.out = stdout;
    if (!(s = open_store(q.db, DYAD_STORE_READONLY)))
        return EXIT_PARTIAL;
    if (q.out && !(c.out = fopen(q.out, "w"))) {
        cli_errorf("cannot open %s: %s", q.out, strerror(errno));
        dyad_store_close(s);
        return EXIT_PARTIAL;
    }
    if (q.mentions && !(c.mentions = fopen(q.mentions, "w"))) {
        cli_errorf("cannot open %s: %s", q.mentions, strerror(errno));
        status = EXIT_PARTIAL;
        goto done;
    }
    dyad_store_write_header(c.out, c.fmt);
    rc = dyad_store_query(s, &q.f, fmt == DYAD_STORE_FMT_JSONL || c.mentions != NULL,
                          on_event, &c);
    if (rc < 0) {
        cli_errorf("%s: %s", q.db, dyad_store_errmsg(s));
        status = EXIT_PARTIAL;
    }
done:
    if (c.failed)
        status = EXIT_PARTIAL;
    if (c.mentions && close_file(c.mentions, q.mentions))
        status = EXIT_PARTIAL;
    if (c.out != stdout && close_file(c.out, q.out))
        status = EXIT_PARTIAL;
    dyad_store_close(s);
    return status;
}

/* ----------------------------------------------------------------- stats */

typedef struct stats_ctx {
    int csv;
    const char *table;
} stats_ctx;

static int on_stat(void *ud, const dyad_store_stat *r)
{
    stats_ctx *c = ud;
    if (c->csv) {
        printf("%s,%s,%ld,%ld,%.1f\n", r->table, r->key, r->events, r->mentions,
               r->goldstein_sum);
        return 0;
    }
    if (!c->table || strcmp(c->table, r->table) != 0) {
        printf("%sby %s\n%-24s %10s %10s %12s\n", c->table ? "\n" : "", r->table,
               r->table, "events", "mentions", "goldstein");
        c->table = r->table;
    }
    printf("%-24s %10ld %10ld %12.1f\n", r->key, r->events, r->mentions,
           r->goldstein_sum);
    return 0;
}

int cmd_stats(int argc, char **argv)
{
    qopts q;
    stats_ctx c = {0, NULL};
    dyad_store *s;
    int rc;

    if ((rc = parse_query_opts(argc, argv, &q, 0)) != 0)
        return rc;
    if (q.format && strcmp(q.format, "text") != 0 && strcmp(q.format, "csv") != 0)
        return cli_usage("bad --format '%s' (text or csv)", q.format);
    c.csv = q.format && strcmp(q.format, "csv") == 0;
    if (!(s = open_store(q.db, DYAD_STORE_READONLY)))
        return EXIT_PARTIAL;
    if (c.csv)
        printf("table,key,events,mentions,goldstein_sum\n");
    rc = dyad_store_stats(s, &q.f, on_stat, &c);
    if (rc < 0)
        cli_errorf("%s: %s", q.db, dyad_store_errmsg(s));
    dyad_store_close(s);
    return rc < 0 ? EXIT_PARTIAL : EXIT_DONE;
}

/* ---------------------------------------------------------------- search */

typedef struct search_ctx {
    dyad_store *s;
    size_t n;
    int failed;
} search_ctx;

typedef struct hit {
    char *id, *line;
} hit;

typedef struct hits {
    hit *v;
    size_t n, cap;
} hits;

static int on_article(void *ud, const dyad_store_article *a)
{
    hits *h = ud;
    char *line = NULL;
    size_t len = 0;
    FILE *m;

    if (h->n == h->cap) {
        hit *nv = realloc(h->v, (h->cap = h->cap ? h->cap * 2 : 16) * sizeof *nv);
        if (!nv)
            return 1;
        h->v = nv;
    }
    if (!(m = open_memstream(&line, &len)))
        return 1;
    fprintf(m, "%s\t%s\t%s", a->id, a->date ? a->date : "-",
            a->title ? a->title : "");
    fclose(m);
    h->v[h->n].id = strdup(a->id);
    h->v[h->n++].line = line;
    return 0;
}

static int on_hit_event(void *ud, const dyad_store_event *e)
{
    (void)ud;
    printf("  %s %s -> %s %s (event %lld: %d mentions in %d articles)\n",
           e->ev.date ? e->ev.date : "undated", e->ev.source ? e->ev.source : "-",
           e->ev.target ? e->ev.target : "-", e->ev.code, (long long)e->id,
           e->num_mentions, e->num_articles);
    return 0;
}

int cmd_search(int argc, char **argv)
{
    qopts q;
    hits h = {NULL, 0, 0};
    dyad_store *s;
    size_t i;
    int rc, status = EXIT_DONE;

    if ((rc = parse_query_opts(argc, argv, &q, 1)) != 0)
        return rc;
    if (!(s = open_store(q.db, DYAD_STORE_READONLY)))
        return EXIT_PARTIAL;
    rc = dyad_store_search(s, q.query, q.limit ? q.limit : 20, on_article, &h);
    if (rc == DYAD_EINVAL) {
        cli_errorf("%s", dyad_store_errmsg(s));
        status = EXIT_USAGE;
    } else if (rc != DYAD_OK) {
        cli_errorf("%s: %s", q.db, dyad_store_errmsg(s));
        status = EXIT_PARTIAL;
    }
    for (i = 0; i < h.n; i++) {
        dyad_store_filter f = q.f;
        puts(h.v[i].line);
        f.doc = h.v[i].id;
        if (status == EXIT_DONE && dyad_store_query(s, &f, 0, on_hit_event, NULL) < 0) {
            cli_errorf("%s: %s", q.db, dyad_store_errmsg(s));
            status = EXIT_PARTIAL;
        }
        free(h.v[i].id);
        free(h.v[i].line);
    }
    free(h.v);
    dyad_store_close(s);
    return status;
}
