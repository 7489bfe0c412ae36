/* test_store.c: unit tests of the event store on SQLite: merging across
 * articles, order independence, the window, replacement, filters, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dyad.h"
#include "store.h"

static dyad_dict *dict;
static char dir[] = "/tmp/dyad-test-store.XXXXXX";

static void quiet(void *ud, dyad_severity sev, const char *file, long line,
                  const char *msg)
{
    (void)ud; (void)sev; (void)file; (void)line; (void)msg;
}

static const char *const texts[] = {
    "Russian President Vladimir Putin held talks with Chinese President Xi Jinping in Moscow.",
    "Chinese President Xi Jinping held talks with Russian President Vladimir Putin in Moscow.",
    "Russian President Vladimir Putin held talks with Chinese President Xi Jinping in Beijing.",
};

static void add(dyad_store *s, const char *id, const char *date, const char *text,
                const char *publisher, dyad_store_outcome *out)
{
    dyad_coder *c = dyad_coder_new(dict);
    dyad_article a;
    dyad_doc *doc;
    int rc;

    memset(&a, 0, sizeof a);
    a.id = id;
    a.date = date;
    a.text = text;
    a.text_len = strlen(text);
    a.source = publisher;
    dyad_coder_set_diag(c, quiet, NULL);
    doc = dyad_code_article(c, &a, &rc);
    assert_non_null(doc);
    assert_int_equal(dyad_store_add(s, &a, doc, out), DYAD_OK);
    dyad_doc_free(doc);
    dyad_coder_free(c);
}

typedef struct summary {
    char buf[4096];
    int n;
} summary;

static int collect(void *ud, const dyad_store_event *e)
{
    summary *sm = ud;
    size_t len = strlen(sm->buf);
    snprintf(sm->buf + len, sizeof sm->buf - len, "%lld %s %s %s %d %d %d %zu;",
             (long long)e->id, e->ev.date, e->ev.code, e->last_date,
             e->num_mentions, e->num_articles, e->num_sources, e->nmentions);
    sm->n++;
    return 0;
}

static dyad_store *fresh(const char *name)
{
    char path[256], err[256];
    dyad_store *s = NULL;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    assert_int_equal(dyad_store_open(path, 0, &s, err, sizeof err), DYAD_OK);
    return s;
}

static void query(dyad_store *s, const dyad_store_filter *f, summary *sm)
{
    memset(sm, 0, sizeof *sm);
    assert_int_equal(dyad_store_query(s, f, 1, collect, sm), DYAD_OK);
}

static void test_merge_across_articles(void **state)
{
    dyad_store *s = fresh("merge.db");
    dyad_store_outcome out;
    dyad_store_filter f = {0};
    summary sm;
    (void)state;

    add(s, "a", "2024-05-07", texts[0], "Wire", &out);
    assert_int_equal(out, DYAD_STORE_ADDED);
    add(s, "b", "2024-05-08", texts[1], "Paper", &out);
    add(s, "c", "2024-05-09", texts[2], "Wire", &out);
    assert_int_equal(dyad_store_commit(s), DYAD_OK);
    f.dyad_a = "RUS";
    f.dyad_b = "CHN";
    query(s, &f, &sm);
    /* Consultations are reciprocal: both directions, 3 days chained by a
     * 1-day window, 3 articles, 2 publishers: one event. */
    assert_int_equal(sm.n, 1);
    assert_non_null(strstr(sm.buf, " 2024-05-07 "));
    assert_non_null(strstr(sm.buf, " 2024-05-09 "));
    assert_non_null(strstr(sm.buf, " 3 2 "));
    dyad_store_close(s);
}

static void test_order_independent(void **state)
{
    static const int orders[3][3] = {{0, 1, 2}, {2, 0, 1}, {1, 2, 0}};
    static const char *const dates[] = {"2024-05-07", "2024-05-09", "2024-05-08"};
    static const char *const ids[] = {"x", "y", "z"};
    summary first, sm;
    int o, i;
    (void)state;

    for (o = 0; o < 3; o++) {
        char name[32];
        dyad_store *s;
        dyad_store_outcome out;
        snprintf(name, sizeof name, "order%d.db", o);
        s = fresh(name);
        for (i = 0; i < 3; i++) {
            int k = orders[o][i];
            add(s, ids[k], dates[k], texts[k], NULL, &out);
            /* One batch per article: merging happens at every commit. */
            assert_int_equal(dyad_store_commit(s), DYAD_OK);
        }
        query(s, NULL, &sm);
        if (o == 0)
            first = sm;
        else
            assert_string_equal(first.buf, sm.buf);
        dyad_store_close(s);
    }
}

static void test_window_and_replace(void **state)
{
    dyad_store *s = fresh("window.db");
    dyad_store_outcome out;
    dyad_store_filter f = {0};
    summary sm;
    (void)state;

    f.actor = "RUS";
    f.code = "04*";
    add(s, "a", "2024-05-01", texts[0], NULL, &out);
    add(s, "b", "2024-05-03", texts[0], NULL, &out);
    assert_int_equal(dyad_store_commit(s), DYAD_OK);
    query(s, &f, &sm);
    assert_int_equal(sm.n, 2); /* two days apart, window 1 */
    assert_int_equal(dyad_store_set_window(s, 2), DYAD_OK);
    query(s, &f, &sm);
    assert_int_equal(sm.n, 1);
    assert_int_equal(dyad_store_set_window(s, 400), DYAD_EINVAL);

    /* Same content: skipped. Changed date: replaced, the event splits. */
    add(s, "b", "2024-05-03", texts[0], NULL, &out);
    assert_int_equal(out, DYAD_STORE_SKIPPED);
    add(s, "b", "2024-05-20", texts[0], NULL, &out);
    assert_int_equal(out, DYAD_STORE_REPLACED);
    assert_int_equal(dyad_store_commit(s), DYAD_OK);
    query(s, &f, &sm);
    assert_int_equal(sm.n, 2);
    assert_non_null(strstr(sm.buf, "2024-05-20"));
    assert_null(strstr(sm.buf, "2024-05-03"));
    dyad_store_close(s);
}

static void test_filters_checked(void **state)
{
    dyad_store_filter f = {0};
    char err[256];
    (void)state;

    assert_int_equal(dyad_store_filter_check(&f, err, sizeof err), DYAD_OK);
    f.code = "04*";
    f.since = "2021-01-01";
    assert_int_equal(dyad_store_filter_check(&f, err, sizeof err), DYAD_OK);
    f.since = "2021-02-30";
    assert_int_equal(dyad_store_filter_check(&f, err, sizeof err), DYAD_EINVAL);
    assert_non_null(strstr(err, "--since"));
    f.since = NULL;
    f.code = "4";
    assert_int_equal(dyad_store_filter_check(&f, err, sizeof err), DYAD_EINVAL);
    f.code = NULL;
    f.actor = "RUS'--";
    assert_int_equal(dyad_store_filter_check(&f, err, sizeof err), DYAD_EINVAL);
    /* Actors without a country, as the dyads table returns them. */
    f.actor = "---GOV";
    assert_int_equal(dyad_store_filter_check(&f, err, sizeof err), DYAD_OK);
    f.actor = NULL;
    f.dyad_a = "---MIL";
    f.dyad_b = "RUS";
    assert_int_equal(dyad_store_filter_check(&f, err, sizeof err), DYAD_OK);
    f.dyad_a = f.dyad_b = NULL;
    f.root = "4a";
    assert_int_equal(dyad_store_filter_check(&f, err, sizeof err), DYAD_EINVAL);
}

static void test_not_a_database(void **state)
{
    char path[256], err[256], back[64];
    dyad_store *s = NULL;
    FILE *fp;
    (void)state;

    snprintf(path, sizeof path, "%s/notdb.txt", dir);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("plain text, not SQLite\n", fp);
    fclose(fp);
    assert_int_equal(dyad_store_open(path, 0, &s, err, sizeof err), DYAD_EPARSE);
    assert_null(s);
    assert_non_null(strstr(err, "not a dyad database"));
    fp = fopen(path, "r");
    assert_non_null(fgets(back, sizeof back, fp));
    fclose(fp);
    assert_string_equal(back, "plain text, not SQLite\n");
    snprintf(path, sizeof path, "%s/absent.db", dir);
    /* dyad.h: a missing file opened read-only is DYAD_ENOENT. */
    assert_int_equal(dyad_store_open(path, DYAD_STORE_READONLY, &s, err, sizeof err),
                     DYAD_ENOENT);
    assert_non_null(strstr(err, "no such database"));
    assert_int_equal(access(path, F_OK), -1);
}

static void test_days(void **state)
{
    (void)state;
    assert_int_equal(dyad__ymd_day("1970-01-01"), 0);
    assert_int_equal(dyad__ymd_day("2021-08-25"), 18864);
    assert_int_equal(dyad__ymd_day("2000-03-01") - dyad__ymd_day("2000-02-28"), 2);
    assert_true(dyad__ymd_day(NULL) == DYAD__NODAY);
    assert_true(dyad__ymd_day("2021-13-01") == DYAD__NODAY);
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
        cmocka_unit_test(test_merge_across_articles),
        cmocka_unit_test(test_order_independent),
        cmocka_unit_test(test_window_and_replace),
        cmocka_unit_test(test_filters_checked),
        cmocka_unit_test(test_not_a_database),
        cmocka_unit_test(test_days),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
