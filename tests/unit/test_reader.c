/* test_reader.c: the article reader (reader.c) on temporary files and
 * directories under /tmp: dates, directories, JSON Lines, damaged input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dyad.h"
#include "reader.h"

/* ------------------------------------------------------------- helpers */

enum { MAX_DIAG = 32, MAX_ART = 64 };

typedef struct diag {
    dyad_severity sev;
    char file[512];
    long line;
    char msg[512];
} diag;

typedef struct art {
    char *id, *date, *title, *text, *source, *url, *origin;
    size_t text_len;
    long line;
} art;

/* Everything one reader produced. */
typedef struct run {
    diag d[MAX_DIAG];
    size_t nd;
    art a[MAX_ART];
    size_t na;
    size_t errors;
} run;

static char tmpdir[256];

static void on_diag(void *ud, dyad_severity sev, const char *file, long line,
                    const char *msg) {
    run *r = ud;
    if (r->nd == MAX_DIAG) return;
    diag *d = &r->d[r->nd++];
    d->sev = sev;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->line = line;
    snprintf(d->msg, sizeof d->msg, "%s", msg);
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

/* Read every article of an opened reader into r, copying the strings. */
static void drain(dyad_reader *rd, run *r) {
    dyad_article a;
    int rc;
    while ((rc = dyad_reader_next(rd, &a)) == 1) {
        assert_true(r->na < MAX_ART);
        assert_non_null(a.id);
        assert_non_null(a.text);
        assert_non_null(a.origin);
        assert_int_equal(a.text[a.text_len], '\0');
        art *x = &r->a[r->na++];
        x->id = strdup(a.id);
        x->date = dup_or_null(a.date);
        x->title = dup_or_null(a.title);
        x->source = dup_or_null(a.source);
        x->url = dup_or_null(a.url);
        x->origin = strdup(a.origin);
        x->text = malloc(a.text_len + 1);
        memcpy(x->text, a.text, a.text_len + 1);
        x->text_len = a.text_len;
        x->line = a.line;
    }
    assert_int_equal(rc, 0);
    /* At the end it stays at the end. */
    assert_int_equal(dyad_reader_next(rd, &a), 0);
    r->errors = dyad_reader_errors(rd);
}

/* Read the paths (NULL-terminated) with a fresh reader. */
static run *read_paths(const char *first, ...) {
    run *r = calloc(1, sizeof *r);
    dyad_reader *rd = dyad_reader_new(on_diag, r);
    assert_non_null(rd);
    va_list ap;
    va_start(ap, first);
    for (const char *p = first; p; p = va_arg(ap, const char *))
        assert_int_equal(dyad_reader_add(rd, p), DYAD_OK);
    va_end(ap);
    drain(rd, r);
    dyad_reader_free(rd);
    return r;
}

static void run_free(run *r) {
    for (size_t i = 0; i < r->na; i++) {
        art *x = &r->a[i];
        free(x->id), free(x->date), free(x->title), free(x->text);
        free(x->source), free(x->url), free(x->origin);
    }
    free(r);
}

/* A path under the test's temporary folder (static buffer, rotating). */
static const char *tpath(const char *name) {
    static char bufs[8][512];
    static int k;
    char *b = bufs[k++ % 8];
    snprintf(b, 512, "%s/%s", tmpdir, name);
    return b;
}

static void write_file(const char *name, const char *data, size_t n) {
    FILE *f = fopen(tpath(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}
static void write_str(const char *name, const char *s) { write_file(name, s, strlen(s)); }

/* rm -r, without following symlinks. */
static int rm_rf(const char *p) {
    struct stat st;
    if (lstat(p, &st) != 0) return -1;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(p);
        struct dirent *e;
        char q[1024];
        if (!d) return -1;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            snprintf(q, sizeof q, "%s/%s", p, e->d_name);
            rm_rf(q);
        }
        closedir(d);
    }
    return remove(p);
}

static int setup(void **state) {
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dyad-reader.XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}
static int teardown(void **state) {
    (void)state;
    return rm_rf(tmpdir);
}

static const char *const TEXT =
    "Russian President Vladimir Putin held talks with Chinese President Xi "
    "Jinping in Moscow on Tuesday.\n";

/* --------------------------------------------------------- plain text */

static void test_date_line(void **state) {
    (void)state;
    char s[512];
    snprintf(s, sizeof s, "date 2024-05-07\n%s", TEXT);
    write_str("good.txt", s);
    run *r = read_paths(tpath("good.txt"), NULL);
    assert_int_equal(r->na, 1);
    assert_int_equal(r->nd, 0);
    assert_int_equal(r->errors, 0);
    assert_string_equal(r->a[0].id, "good");
    assert_string_equal(r->a[0].date, "2024-05-07");
    assert_string_equal(r->a[0].text, TEXT);
    assert_int_equal(r->a[0].text_len, strlen(TEXT));
    assert_string_equal(r->a[0].origin, tpath("good.txt"));
    assert_int_equal(r->a[0].line, 1);
    assert_null(r->a[0].title);
    run_free(r);
}

static void test_no_date(void **state) {
    (void)state;
    write_str("nodate.txt", TEXT);
    /* "dated" and "Date:" are words of the text, not the date token. */
    write_str("dated.txt", "dated 2024-05-07 documents were found.");
    run *r = read_paths(tpath("nodate.txt"), tpath("dated.txt"), NULL);
    assert_int_equal(r->na, 2);
    assert_int_equal(r->nd, 0);
    assert_null(r->a[0].date);
    assert_string_equal(r->a[0].text, TEXT);
    assert_null(r->a[1].date);
    assert_string_equal(r->a[1].text, "dated 2024-05-07 documents were found.");
    run_free(r);
}

static void test_date_shares_line(void **state) {
    (void)state;
    write_str("000_1c37664552e66ee9.txt",
              " date 2021-08-17 BEIJING, August 17. /TASS/. China and Russia "
              "should protect their legal interests.");
    write_str("tab.txt", "\xEF\xBB\xBF\n\t date\t2020-02-29  \n\n  Text.");
    run *r = read_paths(tpath("000_1c37664552e66ee9.txt"), tpath("tab.txt"), NULL);
    assert_int_equal(r->na, 2);
    assert_int_equal(r->nd, 0);
    assert_string_equal(r->a[0].id, "000_1c37664552e66ee9");
    assert_string_equal(r->a[0].date, "2021-08-17");
    assert_string_equal(r->a[0].text,
                        "BEIJING, August 17. /TASS/. China and Russia should "
                        "protect their legal interests.");
    assert_string_equal(r->a[1].date, "2020-02-29");
    assert_string_equal(r->a[1].text, "Text.");
    run_free(r);
}

/* The real seed articles, when ../shared is there. */
static void test_seed(void **state) {
    (void)state;
    const char *dir = getenv("DYAD_SHARED") ? getenv("DYAD_SHARED") : "../shared";
    char p[512];
    snprintf(p, sizeof p, "%s/seeds/000_1c37664552e66ee9.txt", dir);
    if (access(p, R_OK) != 0) {
        /* Without the seeds, the same first line made here. */
        write_str("000_1c37664552e66ee9.txt",
                  " date 2021-08-17 BEIJING, August 17. /TASS/. China and Russia");
        snprintf(p, sizeof p, "%s", tpath("000_1c37664552e66ee9.txt"));
    }
    run *r = read_paths(p, NULL);
    assert_int_equal(r->na, 1);
    assert_int_equal(r->nd, 0);
    assert_string_equal(r->a[0].id, "000_1c37664552e66ee9");
    assert_string_equal(r->a[0].date, "2021-08-17");
    assert_memory_equal(r->a[0].text, "BEIJING, August 17. /TASS/.", 27);
    run_free(r);
}

static void test_bad_date(void **state) {
    (void)state;
    write_str("baddate.txt", "date 17/08/2021\nChina and Russia met.\n");
    write_str("feb.txt", "date 2021-02-29 China and Russia met.");
    write_str("nodateval.txt", "date\nChina and Russia met.");
    run *r = read_paths(tpath("baddate.txt"), tpath("feb.txt"), tpath("nodateval.txt"), NULL);
    assert_int_equal(r->na, 3);
    assert_int_equal(r->nd, 3);
    assert_int_equal(r->errors, 3);
    assert_int_equal(r->d[0].sev, DYAD_DIAG_ERROR);
    assert_string_equal(r->d[0].file, tpath("baddate.txt"));
    assert_int_equal(r->d[0].line, 1);
    assert_string_equal(r->d[0].msg,
                        "unknown date format '17/08/2021' (expected YYYY-MM-DD)");
    assert_string_equal(r->d[1].msg,
                        "unknown date format '2021-02-29' (expected YYYY-MM-DD)");
    assert_int_equal(r->d[2].line, 1);
    for (size_t i = 0; i < 3; i++) {
        assert_null(r->a[i].date);
        assert_string_equal(r->a[i].text, i == 0 ? "China and Russia met.\n"
                                                 : "China and Russia met.");
    }
    assert_string_equal(r->a[0].id, "baddate");
    run_free(r);
}

static void test_ymd_valid(void **state) {
    (void)state;
    assert_true(dyad__reader_ymd_valid("2021-08-17", 10));
    assert_true(dyad__reader_ymd_valid("2020-02-29", 10));
    assert_true(dyad__reader_ymd_valid("2000-02-29", 10));
    assert_true(dyad__reader_ymd_valid("2021-12-31", 10));
    assert_false(dyad__reader_ymd_valid("1900-02-29", 10));
    assert_false(dyad__reader_ymd_valid("2021-02-29", 10));
    assert_false(dyad__reader_ymd_valid("2021-04-31", 10));
    assert_false(dyad__reader_ymd_valid("2021-13-01", 10));
    assert_false(dyad__reader_ymd_valid("2021-00-10", 10));
    assert_false(dyad__reader_ymd_valid("2021-01-00", 10));
    assert_false(dyad__reader_ymd_valid("0000-01-01", 10));
    assert_false(dyad__reader_ymd_valid("2021-8-17", 9));
    assert_false(dyad__reader_ymd_valid("2021/08/17", 10));
    assert_false(dyad__reader_ymd_valid("2021-08-17T", 11));
    assert_false(dyad__reader_ymd_valid("2021-08-1x", 10));
}

/* ---------------------------------------------------------- directories */

static void test_directory_order(void **state) {
    (void)state;
    assert_int_equal(mkdir(tpath("d"), 0700), 0);
    assert_int_equal(mkdir(tpath("d/m"), 0700), 0);
    assert_int_equal(mkdir(tpath("d/m/n"), 0700), 0);
    assert_int_equal(mkdir(tpath("d/.git"), 0700), 0);
    assert_int_equal(mkdir(tpath("d/empty"), 0700), 0);
    write_str("d/z.txt", "date 2024-05-09 z");
    write_str("d/b.txt", "b");
    write_str("d/a.txt", "a");
    write_str("d/B.txt", "B"); /* strcmp: upper case sorts first */
    write_str("d/m/c.txt", "c");
    write_str("d/m/n/e.txt", "e");
    write_str("d/m/d.txt", "d");
    write_str("d/.hidden.txt", "hidden");
    write_str("d/.git/x.txt", "hidden too");
    write_str("d/j.jsonl", "{\"id\": \"j1\", \"text\": \"j\"}\n{\"id\": \"j2\", \"text\": \"k\"}\n");
    run *r = read_paths(tpath("d"), NULL);
    const char *want[] = {"B", "a", "b", "j1", "j2", "c", "d", "e", "z"};
    assert_int_equal(r->na, 9);
    assert_int_equal(r->nd, 0);
    for (size_t i = 0; i < 9; i++) assert_string_equal(r->a[i].id, want[i]);
    assert_string_equal(r->a[5].origin, tpath("d/m/c.txt"));
    assert_string_equal(r->a[8].date, "2024-05-09");
    run_free(r);

    /* A trailing slash makes no double slash; inputs keep their order. */
    char p[600];
    snprintf(p, sizeof p, "%s/", tpath("d/m"));
    r = read_paths(tpath("d/z.txt"), p, NULL);
    assert_int_equal(r->na, 4);
    assert_string_equal(r->a[0].id, "z");
    assert_string_equal(r->a[1].origin, tpath("d/m/c.txt"));
    run_free(r);
}

/* A symlink back up the tree is reported once, not followed round. */
static void test_directory_loop(void **state) {
    (void)state;
    assert_int_equal(mkdir(tpath("loop"), 0700), 0);
    assert_int_equal(mkdir(tpath("loop/sub"), 0700), 0);
    write_str("loop/a.txt", "a");
    write_str("loop/sub/b.txt", "b");
    assert_int_equal(symlink("..", tpath("loop/sub/up")), 0);
    run *r = read_paths(tpath("loop"), NULL);
    assert_int_equal(r->na, 2);
    assert_string_equal(r->a[0].id, "a");
    assert_string_equal(r->a[1].id, "b");
    assert_int_equal(r->errors, 1);
    assert_string_equal(r->d[0].file, tpath("loop/sub/up"));
    assert_non_null(strstr(r->d[0].msg, "directory loop"));
    run_free(r);
}

/* ----------------------------------------------------------- JSON Lines */

static void test_jsonl(void **state) {
    (void)state;
    write_str("news.jsonl",
              "{\"id\": \"j1\", \"date\": \"2024-05-07\", \"title\": \"Talks\", "
              "\"text\": \"Putin met Xi.\", \"source\": \"TASS\", \"url\": \"http://x\", "
              "\"other\": [1, 2]}\n"
              "{\"id\": \"j2\", \"date\": \"2024-05-07\", \"text\": \"broken\"\n"
              "\n"
              "   \n"
              "{\"date\": \"2024-05-08T10:00:00Z\", \"text\": \"No id.\"}\n"
              "[1, 2]\n"
              "{\"id\": \"j7\", \"date\": \"07/05/2024\", \"text\": \"Bad date.\"}\n"
              "{\"id\": \"j8\", \"text\": 5}\n"
              "{\"id\": \"j9\"}\n"
              "{\"id\": 10, \"text\": \"Numeric id.\", \"source\": 3, \"date\": null}\r\n"
              "{\"id\": \"j11\", \"text\": \"x\"} trailing\n"
              "{\"id\": \"j12\", \"text\": \"Last, no newline: caf\\u00e9\"}");
    run *r = read_paths(tpath("news.jsonl"), NULL);
    assert_int_equal(r->na, 5);
    assert_string_equal(r->a[0].id, "j1");
    assert_string_equal(r->a[0].date, "2024-05-07");
    assert_string_equal(r->a[0].title, "Talks");
    assert_string_equal(r->a[0].text, "Putin met Xi.");
    assert_string_equal(r->a[0].source, "TASS");
    assert_string_equal(r->a[0].url, "http://x");
    assert_string_equal(r->a[0].origin, tpath("news.jsonl"));
    assert_int_equal(r->a[0].line, 1);
    assert_string_equal(r->a[1].id, "news.jsonl:5");
    assert_string_equal(r->a[1].date, "2024-05-08");
    assert_int_equal(r->a[1].line, 5);
    assert_string_equal(r->a[2].id, "j7");
    assert_null(r->a[2].date);
    assert_string_equal(r->a[3].id, "10");
    assert_null(r->a[3].source);
    assert_null(r->a[3].date);
    assert_string_equal(r->a[4].id, "j12");
    assert_string_equal(r->a[4].text, "Last, no newline: caf\xC3\xA9");
    assert_int_equal(r->a[4].line, 12);

    /* Errors: lines 2, 6, 7 (date), 8, 9, 11; a warning for line 10. */
    assert_int_equal(r->errors, 6);
    assert_int_equal(r->nd, 7);
    assert_int_equal(r->d[0].line, 2);
    assert_string_equal(r->d[0].file, tpath("news.jsonl"));
    assert_string_equal(r->d[0].msg, "malformed JSON: unexpected end of data");
    assert_int_equal(r->d[1].line, 6);
    assert_string_equal(r->d[1].msg, "malformed JSON: not an object");
    assert_int_equal(r->d[2].line, 7);
    assert_string_equal(r->d[2].msg,
                        "field 'date': unknown date format '07/05/2024' (expected YYYY-MM-DD)");
    assert_int_equal(r->d[3].line, 8);
    assert_string_equal(r->d[3].msg, "field 'text' is missing or not a string");
    assert_int_equal(r->d[4].line, 9);
    assert_string_equal(r->d[4].msg, "field 'text' is missing or not a string");
    assert_int_equal(r->d[5].sev, DYAD_DIAG_WARNING);
    assert_int_equal(r->d[5].line, 10);
    assert_string_equal(r->d[5].msg, "field 'source' is not a string; ignored");
    assert_int_equal(r->d[6].line, 11);
    assert_string_equal(r->d[6].msg, "malformed JSON: text after the object");
    run_free(r);
}

/* Content starting with '{' is JSON Lines whatever the name; .ndjson too. */
static void test_jsonl_detect(void **state) {
    (void)state;
    write_str("feed.txt", "\xEF\xBB\xBF  \n{\"id\": \"a\", \"text\": \"one\"}\n");
    write_str("feed.NDJSON", "{\"id\": \"b\", \"text\": \"two\"}");
    /* A .jsonl name wins over the content. */
    write_str("plain.jsonl", "not json\n");
    run *r = read_paths(tpath("feed.txt"), tpath("feed.NDJSON"), tpath("plain.jsonl"), NULL);
    assert_int_equal(r->na, 2);
    assert_string_equal(r->a[0].id, "a");
    assert_int_equal(r->a[0].line, 2);
    assert_string_equal(r->a[1].id, "b");
    assert_int_equal(r->errors, 1);
    assert_int_equal(r->d[0].line, 1);
    assert_string_equal(r->d[0].file, tpath("plain.jsonl"));
    run_free(r);
}

/* Many lines through the streaming reader, across its 1 MB reads. */
static void test_jsonl_many(void **state) {
    (void)state;
    FILE *f = fopen(tpath("many.jsonl"), "wb");
    assert_non_null(f);
    enum { N = 40000 };
    for (int i = 0; i < N; i++)
        fprintf(f, "{\"id\": \"n%d\", \"text\": \"Article number %d, padded a bit "
                   "to cross buffer edges.\"}\n", i, i);
    assert_int_equal(fclose(f), 0);
    run *r = calloc(1, sizeof *r);
    dyad_reader *rd = dyad_reader_new(on_diag, r);
    assert_int_equal(dyad_reader_add(rd, tpath("many.jsonl")), DYAD_OK);
    dyad_article a;
    int k = 0;
    char want[64];
    while (dyad_reader_next(rd, &a) == 1) {
        snprintf(want, sizeof want, "n%d", k);
        assert_string_equal(a.id, want);
        assert_int_equal(a.line, k + 1);
        k++;
    }
    assert_int_equal(k, N);
    assert_int_equal(dyad_reader_errors(rd), 0);
    assert_int_equal(r->nd, 0);
    dyad_reader_free(rd);
    run_free(r);
}

/* A line past the limit is skipped alone, whether it fits the buffer or is
 * dropped while streaming. */
static void test_jsonl_long_line(void **state) {
    (void)state;
    size_t big = 3u << 20;
    char *line = malloc(big + 64);
    int n = snprintf(line, 64, "{\"id\": \"long\", \"text\": \"");
    memset(line + n, 'x', big);
    memcpy(line + n + big, "\"}\n", 3);
    FILE *f = fopen(tpath("long.jsonl"), "wb");
    assert_non_null(f);
    fputs("{\"id\": \"s1\", \"text\": \"short\"}\n", f);
    fwrite(line, 1, (size_t)n + big + 3, f);
    fputs("{\"id\": \"s3\", \"text\": \"short\"}\n", f);
    fwrite(line, 1, (size_t)n + big + 3, f);
    assert_int_equal(fclose(f), 0);

    run *r = calloc(1, sizeof *r);
    dyad_reader *rd = dyad_reader_new(on_diag, r);
    dyad__reader_set_limits(rd, 0, 1000);
    assert_int_equal(dyad_reader_add(rd, tpath("long.jsonl")), DYAD_OK);
    /* The same from memory, where the whole line is in the buffer. */
    assert_int_equal(dyad__reader_add_buffer(rd, "mem.jsonl", line, (size_t)n + 2000 + 0, DYAD__IN_JSONL), DYAD_OK);
    drain(rd, r);
    dyad_reader_free(rd);
    assert_int_equal(r->na, 2);
    assert_string_equal(r->a[0].id, "s1");
    assert_string_equal(r->a[1].id, "s3");
    assert_int_equal(r->a[1].line, 3);
    assert_int_equal(r->nd, 3);
    assert_int_equal(r->errors, 3);
    assert_int_equal(r->d[0].line, 2);
    assert_string_equal(r->d[0].msg, "line longer than 1000 bytes; skipped");
    assert_int_equal(r->d[1].line, 4);
    assert_string_equal(r->d[2].file, "mem.jsonl");
    assert_int_equal(r->d[2].line, 1);
    run_free(r);
    free(line);
}

/* ----------------------------------------------------------- bad input */

static void test_missing_file(void **state) {
    (void)state;
    write_str("ok.txt", "Fine.");
    run *r = read_paths(tpath("no-such-file.txt"), tpath("ok.txt"), NULL);
    assert_int_equal(r->na, 1);
    assert_string_equal(r->a[0].id, "ok");
    assert_int_equal(r->nd, 1);
    assert_int_equal(r->errors, 1);
    assert_int_equal(r->d[0].sev, DYAD_DIAG_ERROR);
    assert_string_equal(r->d[0].file, tpath("no-such-file.txt"));
    assert_int_equal(r->d[0].line, 0);
    assert_string_equal(r->d[0].msg, strerror(ENOENT));
    run_free(r);

    /* Without a callback, messages go to stderr and are still counted. */
    dyad_reader *rd = dyad_reader_new(NULL, NULL);
    dyad_article a;
    assert_int_equal(dyad_reader_add(rd, tpath("no-such-file.txt")), DYAD_OK);
    assert_int_equal(dyad_reader_next(rd, &a), 0);
    assert_int_equal(dyad_reader_errors(rd), 1);
    assert_int_equal(dyad_reader_add(rd, ""), DYAD_EINVAL);
    assert_int_equal(dyad_reader_add(rd, NULL), DYAD_EINVAL);
    dyad_reader_free(rd);
}

static void test_empty_file(void **state) {
    (void)state;
    write_str("empty.txt", "");
    write_str("blank.txt", " \n\t\n");
    write_str("empty.jsonl", "");
    write_str("ok.txt", "Fine.");
    run *r = read_paths(tpath("empty.txt"), tpath("blank.txt"), tpath("empty.jsonl"),
                        tpath("ok.txt"), NULL);
    assert_int_equal(r->na, 1);
    assert_string_equal(r->a[0].id, "ok");
    assert_int_equal(r->nd, 3);
    assert_int_equal(r->errors, 3);
    assert_int_equal(r->d[0].sev, DYAD_DIAG_WARNING);
    assert_string_equal(r->d[0].file, tpath("empty.txt"));
    assert_string_equal(r->d[0].msg, "empty file");
    assert_string_equal(r->d[2].file, tpath("empty.jsonl"));
    run_free(r);
}

static void test_big_single_line(void **state) {
    (void)state;
    size_t n = 50u << 20;
    char *s = malloc(n);
    for (size_t i = 0; i < n; i++) s[i] = i % 7 == 6 ? ' ' : 'a';
    memcpy(s, "date 2024-05-07 ", 16);
    write_file("big.txt", s, n);
    run *r = read_paths(tpath("big.txt"), NULL);
    assert_int_equal(r->na, 1);
    assert_int_equal(r->nd, 0);
    assert_string_equal(r->a[0].date, "2024-05-07");
    assert_int_equal(r->a[0].text_len, n - 16);
    assert_memory_equal(r->a[0].text, s + 16, n - 16);
    run_free(r);
    free(s);
}

static void test_too_big(void **state) {
    (void)state;
    char s[2000];
    memset(s, 'a', sizeof s);
    write_file("big2.txt", s, sizeof s);
    write_str("ok.txt", "Fine.");
    run *r = calloc(1, sizeof *r);
    dyad_reader *rd = dyad_reader_new(on_diag, r);
    dyad__reader_set_limits(rd, 1000, 0);
    assert_int_equal(dyad_reader_add(rd, tpath("big2.txt")), DYAD_OK);
    assert_int_equal(dyad__reader_add_buffer(rd, "mem.txt", s, sizeof s, DYAD__IN_TEXT), DYAD_OK);
    assert_int_equal(dyad_reader_add(rd, tpath("ok.txt")), DYAD_OK);
    drain(rd, r);
    dyad_reader_free(rd);
    assert_int_equal(r->na, 1);
    assert_string_equal(r->a[0].id, "ok");
    assert_int_equal(r->errors, 2);
    assert_string_equal(r->d[0].msg, "file larger than 1000 bytes");
    assert_string_equal(r->d[0].file, tpath("big2.txt"));
    assert_string_equal(r->d[1].file, "mem.txt");
    run_free(r);
}

static void test_nul_bytes(void **state) {
    (void)state;
    static const char s[] = "date 2024-05-07 Hello\0world.\nSecond\0line.";
    write_file("nul.txt", s, sizeof s - 1);
    run *r = read_paths(tpath("nul.txt"), NULL);
    assert_int_equal(r->na, 1);
    assert_int_equal(r->a[0].text_len, sizeof s - 1 - 16);
    assert_memory_equal(r->a[0].text, s + 16, sizeof s - 1 - 16);
    assert_int_equal(r->nd, 1); /* once per file */
    assert_int_equal(r->d[0].sev, DYAD_DIAG_WARNING);
    assert_int_equal(r->d[0].line, 1);
    assert_int_equal(r->errors, 0);
    run_free(r);
}

/* In-memory inputs: the helpers the fuzz target uses. */
static void test_buffers(void **state) {
    (void)state;
    run *r = calloc(1, sizeof *r);
    dyad_reader *rd = dyad_reader_new(on_diag, r);
    const char *t = "date 2024-05-07 A text.";
    assert_int_equal(dyad__reader_add_buffer(rd, "x/a.b.txt", t, strlen(t), DYAD__IN_TEXT), DYAD_OK);
    /* Forced text: a leading '{' is not JSON then. */
    assert_int_equal(dyad__reader_add_buffer(rd, "c", "{ braces }", 10, DYAD__IN_TEXT), DYAD_OK);
    const char *j = "{\"text\": \"J\"}\n";
    assert_int_equal(dyad__reader_add_buffer(rd, "feed", j, strlen(j), DYAD__IN_AUTO), DYAD_OK);
    assert_int_equal(dyad__reader_add_buffer(rd, "e", NULL, 0, DYAD__IN_JSONL), DYAD_OK);
    assert_int_equal(dyad__reader_add_buffer(rd, "e", NULL, 3, DYAD__IN_JSONL), DYAD_EINVAL);
    assert_int_equal(dyad__reader_add_buffer(rd, "e", "", 0, 7), DYAD_EINVAL);
    drain(rd, r);
    dyad_reader_free(rd);
    assert_int_equal(r->na, 3);
    assert_string_equal(r->a[0].id, "a.b");
    assert_string_equal(r->a[0].text, "A text.");
    assert_string_equal(r->a[1].text, "{ braces }");
    assert_string_equal(r->a[2].id, "feed:1");
    assert_int_equal(r->nd, 1);
    assert_string_equal(r->d[0].msg, "empty file");
    run_free(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_line),
        cmocka_unit_test(test_no_date),
        cmocka_unit_test(test_date_shares_line),
        cmocka_unit_test(test_seed),
        cmocka_unit_test(test_bad_date),
        cmocka_unit_test(test_ymd_valid),
        cmocka_unit_test(test_directory_order),
        cmocka_unit_test(test_directory_loop),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_jsonl_detect),
        cmocka_unit_test(test_jsonl_many),
        cmocka_unit_test(test_jsonl_long_line),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_big_single_line),
        cmocka_unit_test(test_too_big),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_buffers),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
