/* test_store_page.c: unit tests of what dyad serve asks of the store: pages
 * and their counts (kept until the store changes), one event by id, the
 * spans of events and mentions, the timeline, one summary table, totals,
 * the time limit, and the migration of a schema-1 store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "builtin.h"
#include "dyad.h"
#include "store.h"

extern const dyad_builtin_file dyad__schema_files[];

static dyad_dict *dict;
static char dir[] = "/tmp/dyad-test-page.XXXXXX";

static void quiet(void *ud, dyad_severity sev, const char *file, long line,
                  const char *msg)
{
    (void)ud; (void)sev; (void)file; (void)line; (void)msg;
}

static const char *const texts[] = {
    "Russian President Vladimir Putin held talks with Chinese President Xi Jinping in Moscow.",
    "French President Emmanuel Macron criticized Iranian President Ebrahim Raisi.",
    "The United States imposed sanctions on North Korea.",
};

static void add(dyad_store *s, const char *id, const char *date, const char *text)
{
    dyad_coder *c = dyad_coder_new(dict);
    dyad_store_outcome out;
    dyad_article a;
    dyad_doc *doc;
    int rc;

    memset(&a, 0, sizeof a);
    a.id = id;
    a.date = date;
    a.text = text;
    a.text_len = strlen(text);
    dyad_coder_set_diag(c, quiet, NULL);
    doc = dyad_code_article(c, &a, &rc);
    assert_non_null(doc);
    assert_int_equal(dyad_store_add(s, &a, doc, &out), DYAD_OK);
    dyad_doc_free(doc);
    dyad_coder_free(c);
}

static dyad_store *open_at(const char *name, int flags)
{
    char path[256], err[256];
    dyad_store *s = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(dyad_store_open(path, flags, &s, err, sizeof err), DYAD_OK);
    return s;
}

/* A store of 12 days of the three texts: events on many days. */
static dyad_store *filled(const char *name)
{
    dyad_store *s = open_at(name, 0);
    char id[32], date[16];
    int d, t;
    for (d = 0; d < 12; d++)
        for (t = 0; t < 3; t++) {
            snprintf(id, sizeof id, "a%02d-%d", d, t);
            /* every other day, so that the 1-day window keeps them apart */
            snprintf(date, sizeof date, "2024-03-%02d", 1 + 2 * d);
            add(s, id, date, texts[t]);
        }
    assert_int_equal(dyad_store_commit(s), DYAD_OK);
    return s;
}

typedef struct ids {
    int64_t v[512];
    int n;
    int spans_ok, spans_seen;
} ids;

/* The words a span points at are the actor's name. */
static void check_span(ids *x, const char *text, dyad_span sp, const char *name)
{
    if (sp.len == 0 || !name)
        return;
    x->spans_seen++;
    if ((size_t)sp.off + sp.len <= strlen(text) && strlen(name) == sp.len &&
        memcmp(text + sp.off, name, sp.len) == 0)
        x->spans_ok++;
}

static int collect(void *ud, const dyad_store_event *e)
{
    ids *x = ud;
    size_t i;
    x->v[x->n++] = e->id;
    check_span(x, e->ev.text, e->ev.source_span, e->ev.source_name);
    check_span(x, e->ev.text, e->ev.target_span, e->ev.target_name);
    for (i = 0; i < e->nmentions; i++) {
        const dyad_store_mention *m = &e->mentions[i];
        check_span(x, m->text, m->source_span, m->source_name);
        check_span(x, m->text, m->target_span, m->target_name);
    }
    return 0;
}

static void test_pages(void **state)
{
    dyad_store *s = filled("pages.db");
    dyad_store_filter f = {0};
    ids all = {{0}, 0, 0, 0}, paged = {{0}, 0, 0, 0};
    long n = -1, off;
    (void)state;

    assert_int_equal(dyad_store_query(s, NULL, 0, collect, &all), DYAD_OK);
    assert_int_equal(dyad_store_count(s, NULL, &n), DYAD_OK);
    assert_int_equal(n, all.n);
    assert_true(n >= 24);
    /* Pages of 5 give the same events in the same order. */
    for (off = 0; off < n + 5; off += 5)
        assert_int_equal(dyad_store_query_page(s, NULL, 0, off, 5, collect, &paged),
                         DYAD_OK);
    assert_int_equal(paged.n, all.n);
    assert_memory_equal(paged.v, all.v, sizeof all.v[0] * (size_t)all.n);
    /* Filters: the count is that of the query. */
    memset(&paged, 0, sizeof paged);
    f.dyad_a = "RUS";
    f.dyad_b = "CHN";
    assert_int_equal(dyad_store_count(s, &f, &n), DYAD_OK);
    assert_int_equal(n, 12);
    assert_int_equal(dyad_store_query_page(s, &f, 0, 10, 50, collect, &paged), DYAD_OK);
    assert_int_equal(paged.n, 2);
    /* Bad pages and filters are refused with a message. */
    assert_int_equal(dyad_store_query_page(s, NULL, 0, -1, 5, collect, &paged), DYAD_EINVAL);
    assert_int_equal(dyad_store_query_page(s, NULL, 0, 0, 0, collect, &paged), DYAD_EINVAL);
    f.since = "2024-02-30";
    assert_int_equal(dyad_store_count(s, &f, &n), DYAD_EINVAL);
    assert_non_null(strstr(dyad_store_errmsg(s), "since"));
    dyad_store_close(s);
}

static void test_count_follows_changes(void **state)
{
    dyad_store *w = filled("counts.db");
    dyad_store *r = open_at("counts.db", DYAD_STORE_READONLY);
    dyad_store_filter f = {0};
    ids p1 = {{0}, 0, 0, 0}, p2 = {{0}, 0, 0, 0}, all = {{0}, 0, 0, 0};
    long before, after, events, articles;
    (void)state;

    /* A filtered page (its ids are kept) before another connection adds an
     * event of that filter, and after: the new one is on it. */
    f.dyad_a = "RUS";
    f.dyad_b = "CHN";
    assert_int_equal(dyad_store_query_page(r, &f, 0, 0, 100, collect, &p1), DYAD_OK);
    assert_int_equal(p1.n, 12);
    assert_int_equal(dyad_store_count(r, NULL, &before), DYAD_OK);
    assert_int_equal(dyad_store_count(w, NULL, &after), DYAD_OK);
    assert_int_equal(before, after);
    /* Another connection commits: the reader's kept count is dropped. */
    add(w, "late", "2024-06-01", texts[0]);
    assert_int_equal(dyad_store_commit(w), DYAD_OK);
    assert_int_equal(dyad_store_count(r, NULL, &after), DYAD_OK);
    assert_int_equal(after, before + 1);
    assert_int_equal(dyad_store_query_page(r, &f, 0, 0, 100, collect, &p2), DYAD_OK);
    assert_int_equal(p2.n, 13);
    assert_int_equal(dyad_store_query(r, &f, 0, collect, &all), DYAD_OK);
    assert_memory_equal(p2.v, all.v, sizeof all.v[0] * 13);
    /* And the writer's own commit too. */
    assert_int_equal(dyad_store_count(w, NULL, &after), DYAD_OK);
    assert_int_equal(after, before + 1);
    assert_int_equal(dyad_store_totals(r, &events, &articles), DYAD_OK);
    assert_int_equal(events, after);
    assert_int_equal(articles, 37);
    dyad_store_close(r);
    dyad_store_close(w);
}

static void test_event_by_id_and_spans(void **state)
{
    dyad_store *s = filled("one.db");
    ids all = {{0}, 0, 0, 0}, one = {{0}, 0, 0, 0};
    int i;
    (void)state;

    assert_int_equal(dyad_store_query(s, NULL, 1, collect, &all), DYAD_OK);
    /* Every span of every event and mention points at its actor's words. */
    assert_true(all.spans_seen > 2 * all.n);
    assert_int_equal(all.spans_ok, all.spans_seen);
    for (i = 0; i < all.n; i += 7) {
        memset(&one, 0, sizeof one);
        assert_int_equal(dyad_store_event_get(s, all.v[i], 1, collect, &one), DYAD_OK);
        assert_int_equal(one.n, 1);
        assert_true(one.v[0] == all.v[i]);
        assert_int_equal(one.spans_ok, one.spans_seen);
    }
    assert_int_equal(dyad_store_event_get(s, 12345, 1, collect, &one), DYAD_ENOENT);
    dyad_store_close(s);
}

typedef struct days {
    long events, quads, n;
    char first[16], last[16];
} days;

static int on_day(void *ud, const dyad_store_day *d)
{
    days *x = ud;
    x->events += d->events;
    x->quads += d->quad[0] + d->quad[1] + d->quad[2] + d->quad[3] + d->quad[4];
    if (!x->n++)
        snprintf(x->first, sizeof x->first, "%s", d->date);
    snprintf(x->last, sizeof x->last, "%s", d->date);
    return 0;
}

typedef struct rows {
    int n;
    char key[64];
    long events;
} rows;

static int on_row(void *ud, const dyad_store_stat *r)
{
    rows *x = ud;
    if (!x->n++) {
        snprintf(x->key, sizeof x->key, "%s", r->key);
        x->events = r->events;
    }
    return 0;
}

static void test_timeline_and_tables(void **state)
{
    dyad_store *s = filled("timeline.db");
    dyad_store_filter f = {0};
    days d = {0, 0, 0, "", ""};
    rows r = {0, "", 0};
    long n;
    (void)state;

    assert_int_equal(dyad_store_timeline(s, NULL, on_day, &d), DYAD_OK);
    assert_int_equal(dyad_store_count(s, NULL, &n), DYAD_OK);
    assert_int_equal(d.events, n);
    assert_int_equal(d.quads, n);
    assert_int_equal(d.n, 12);
    assert_string_equal(d.first, "2024-03-01");
    assert_string_equal(d.last, "2024-03-23");
    memset(&d, 0, sizeof d);
    f.since = "2024-03-05";
    f.until = "2024-03-09";
    assert_int_equal(dyad_store_timeline(s, &f, on_day, &d), DYAD_OK);
    assert_int_equal(d.n, 3);
    assert_int_equal(dyad_store_stats_table(s, NULL, "dyad", 1, on_row, &r), DYAD_OK);
    assert_int_equal(r.n, 1);
    assert_true(r.events >= 12);
    assert_int_equal(dyad_store_stats_table(s, NULL, "nope", 1, on_row, &r), DYAD_EINVAL);
    dyad_store_close(s);
}

static int sum_row(void *ud, const dyad_store_stat *r)
{
    *(long *)ud += r->events;
    return 0;
}

/* The timeline and the dyads table are kept until the store changes: the
 * same again, and the new event once another connection commits. */
static void test_kept_tables_follow_changes(void **state)
{
    dyad_store *w = filled("kept.db");
    dyad_store *r = open_at("kept.db", DYAD_STORE_READONLY);
    days d1 = {0, 0, 0, "", ""}, d2 = {0, 0, 0, "", ""}, d3 = {0, 0, 0, "", ""};
    long n1 = 0, n2 = 0, n3 = 0;
    (void)state;

    assert_int_equal(dyad_store_timeline(r, NULL, on_day, &d1), DYAD_OK);
    assert_int_equal(dyad_store_timeline(r, NULL, on_day, &d2), DYAD_OK);
    assert_int_equal(d2.events, d1.events);
    assert_int_equal(d2.n, d1.n);
    assert_int_equal(dyad_store_stats_table(r, NULL, "dyad", 0, sum_row, &n1), DYAD_OK);
    assert_int_equal(dyad_store_stats_table(r, NULL, "dyad", 0, sum_row, &n2), DYAD_OK);
    assert_int_equal(n2, n1);
    assert_int_equal(n1, d1.events);
    add(w, "later", "2024-07-01", texts[0]);
    assert_int_equal(dyad_store_commit(w), DYAD_OK);
    assert_int_equal(dyad_store_timeline(r, NULL, on_day, &d3), DYAD_OK);
    assert_int_equal(d3.events, d1.events + 1);
    assert_int_equal(d3.n, d1.n + 1);
    assert_string_equal(d3.last, "2024-07-01");
    assert_int_equal(dyad_store_stats_table(r, NULL, "dyad", 0, sum_row, &n3), DYAD_OK);
    assert_int_equal(n3, n1 + 1);
    dyad_store_close(r);
    dyad_store_close(w);
}

typedef struct slow {
    int n;
} slow;

static int sleepy(void *ud, const dyad_store_event *e)
{
    struct timespec ts = {0, 3 * 1000 * 1000};
    (void)e;
    ((slow *)ud)->n++;
    nanosleep(&ts, NULL);
    return 0;
}

static void test_time_limit(void **state)
{
    dyad_store *s = filled("limit.db");
    slow x = {0};
    long n;
    (void)state;

    /* A call that runs past the limit stops with DYAD_ETIMEOUT (here the
     * callback is slow; the store looks at the clock between rows). */
    assert_int_equal(dyad_store_set_time_limit(s, 1), DYAD_OK);
    assert_int_equal(dyad_store_query(s, NULL, 1, sleepy, &x), DYAD_ETIMEOUT);
    assert_non_null(strstr(dyad_store_errmsg(s), "time limit"));
    assert_true(x.n < 24);
    /* The next call has its own time; no limit, no stop. */
    assert_int_equal(dyad_store_count(s, NULL, &n), DYAD_OK);
    assert_int_equal(dyad_store_set_time_limit(s, 0), DYAD_OK);
    x.n = 0;
    assert_int_equal(dyad_store_query(s, NULL, 0, sleepy, &x), DYAD_OK);
    assert_int_equal(x.n, n);
    assert_int_equal(dyad_store_set_time_limit(s, -1), DYAD_EINVAL);
    dyad_store_close(s);
}

/* A store as dyad made it before schema 2: 001_init.sql and one event. */
static void make_v1(const char *path)
{
    const dyad_builtin_file *f = &dyad__schema_files[0];
    char *sql = malloc(f->len + 1), *p, *end, *next;
    sqlite3 *db;

    assert_non_null(sql);
    memcpy(sql, f->text, f->len);
    sql[f->len] = '\0';
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    for (p = sql; *p; p = next) {
        end = strstr(p, ";\n");
        if (!end)
            end = p + strlen(p);
        next = *end ? end + 2 : end;
        *end = '\0';
        if (!strstr(p, "--@pg\n") && (strstr(p, "CREATE") || strstr(p, "INSERT")))
            assert_int_equal(sqlite3_exec(db, p, NULL, NULL, NULL), SQLITE_OK);
    }
    assert_int_equal(sqlite3_exec(db,
        "INSERT INTO articles (id, hash, date, body) VALUES ('old', 'h', '2020-01-02', 'x');"
        "INSERT INTO mentions (doc, seq, sentence, day, ekey, recip, event_id, date, source, "
        "source_name, source_country, target, target_name, target_country, code, root, quad, "
        "text) VALUES ('old', 0, 0, 18263, 'RUS|GOV=CHN|GOV|041', 1, 77, '2020-01-02', "
        "'RUSGOV', 'Putin', 'RUS', 'CHNGOV', 'Xi', 'CHN', '041', '04', 1, 'Putin called Xi.');"
        "INSERT INTO events (id, ekey, recip, day_first, day_last, last_date, num_mentions, "
        "num_articles, num_sources, doc, sentence, date, source, source_name, source_country, "
        "target, target_name, target_country, code, root, quad, text) VALUES (77, "
        "'RUS|GOV=CHN|GOV|041', 1, 18263, 18263, '2020-01-02', 1, 1, 1, 'old', 0, "
        "'2020-01-02', 'RUSGOV', 'Putin', 'RUS', 'CHNGOV', 'Xi', 'CHN', '041', '04', 1, "
        "'Putin called Xi.');", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    free(sql);
}

static void test_schema1_store(void **state)
{
    char path[256];
    dyad_store *s;
    ids x = {{0}, 0, 0, 0};
    long n;
    (void)state;

    snprintf(path, sizeof path, "%s/v1.db", dir);
    make_v1(path);
    /* Read-only: served as it is, without spans. */
    s = open_at("v1.db", DYAD_STORE_READONLY);
    assert_int_equal(dyad_store_query_page(s, NULL, 1, 0, 10, collect, &x), DYAD_OK);
    assert_int_equal(x.n, 1);
    assert_int_equal(x.spans_seen, 0);
    assert_int_equal(dyad_store_event_get(s, 77, 1, collect, &x), DYAD_OK);
    dyad_store_close(s);
    /* Opened for writing it migrates: the old event stays (spans unknown),
     * new articles get theirs. */
    s = open_at("v1.db", 0);
    add(s, "new", "2024-01-05", texts[0]);
    assert_int_equal(dyad_store_commit(s), DYAD_OK);
    memset(&x, 0, sizeof x);
    assert_int_equal(dyad_store_query(s, NULL, 1, collect, &x), DYAD_OK);
    assert_int_equal(dyad_store_count(s, NULL, &n), DYAD_OK);
    assert_int_equal(x.n, n);
    assert_true(x.n >= 2);
    assert_true(x.v[0] == 77);
    assert_true(x.spans_seen >= 2);
    assert_int_equal(x.spans_ok, x.spans_seen);
    dyad_store_close(s);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    dict = dyad_dict_new();
    dyad_dict_set_diag(dict, quiet, NULL);
    if (dyad_dict_load_builtin(dict) != DYAD_OK || dyad_dict_finish(dict) != DYAD_OK)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    char cmd[300];
    (void)state;
    dyad_dict_free(dict);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_count_follows_changes),
        cmocka_unit_test(test_kept_tables_follow_changes),
        cmocka_unit_test(test_event_by_id_and_spans),
        cmocka_unit_test(test_timeline_and_tables),
        cmocka_unit_test(test_time_limit),
        cmocka_unit_test(test_schema1_store),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
