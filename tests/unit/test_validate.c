/* test_validate.c: dyad_validate_file() on toy PETRARCH records and toy
 * dictionaries (tests/unit/data/validate/; run from the repository root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dyad.h"

#define DATA "tests/unit/data/validate/"

/* Runs the validator; *text gets everything it wrote to out (free it). */
static int run(const char *path, int verbose, dyad_validate_result *res,
               char **text) {
    size_t len = 0;
    FILE *f;
    int rc;
    *text = NULL;
    f = open_memstream(text, &len);
    assert_non_null(f);
    rc = dyad_validate_file(path, f, verbose, res);
    assert_int_equal(fclose(f), 0);
    assert_non_null(*text);
    return rc;
}

/* The last line of s (without its newline). */
static const char *last_line(const char *s, char *buf, size_t size) {
    size_t n = strlen(s);
    const char *p;
    if (n && s[n - 1] == '\n') n--;
    p = s + n;
    while (p > s && p[-1] != '\n') p--;
    snprintf(buf, size, "%.*s", (int)(s + n - p), p);
    return buf;
}

static void counts_pass_and_fail(void **state) {
    dyad_validate_result res;
    char *out, line[128];
    (void)state;
    assert_int_equal(run(DATA "records.xml", 0, &res, &out), DYAD_OK);
    /* <Stop> ends the run: AFTER-STOP is not a record. */
    assert_int_equal(res.records, 8);
    assert_int_equal(res.passed, 6);
    assert_int_equal(res.failed, 2);
    /* PASS-01, PASS-02 (one event after collapsing), FAIL-01 */
    assert_int_equal(res.events_expected, 3);
    assert_int_equal(res.events_found, 2);
    assert_int_equal(res.events_spurious, 1);
    assert_string_equal(last_line(out, line, sizeof line), "6 passed, 2 failed");
    assert_non_null(strstr(out, "events: 3 expected, 2 found, 1 spurious\n"));
    free(out);
}

static void fail_lines_name_the_events(void **state) {
    dyad_validate_result res;
    char *out;
    (void)state;
    assert_int_equal(run(DATA "records.xml", 0, &res, &out), DYAD_OK);
    assert_non_null(
        strstr(out, "FAIL FAIL-01: expected {ARN>GON:190} got {ARN>GON:064}\n"));
    assert_non_null(
        strstr(out, "FAIL FAIL-02: expected error=bad_input_parse got "
                    "{ARN>GON:064}\n"));
    /* Quiet: no pass lines, no texts, nothing after <Stop>. */
    assert_null(strstr(out, "pass "));
    assert_null(strstr(out, "PASS-01"));
    assert_null(strstr(out, "AFTER-STOP"));
    assert_null(strstr(out, "    Arnor"));
    free(out);
}

static void verbose_lists_every_record(void **state) {
    dyad_validate_result res;
    char *out;
    static const char *const passed[] = {"PASS-01", "PASS-02", "NOEVENTS-01",
                                         "DISCARD-01", "DISCARD-03",
                                         "DATELINE-01"};
    (void)state;
    assert_int_equal(run(DATA "records.xml", 1, &res, &out), DYAD_OK);
    for (size_t i = 0; i < sizeof passed / sizeof passed[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "pass %s\n", passed[i]);
        assert_non_null(strstr(out, want));
    }
    /* A failed record's text follows on one indented line. */
    assert_non_null(strstr(out, "got {ARN>GON:064}\n    Arnor is about to "
                                "restore full diplomatic ties with Gondor.\n"));
    assert_int_equal(res.passed, 6);
    free(out);
}

static void missing_records_file(void **state) {
    dyad_validate_result res;
    char *out;
    (void)state;
    memset(&res, 0xff, sizeof res);
    assert_int_equal(run(DATA "no-such-records.xml", 0, &res, &out),
                     DYAD_ENOENT);
    assert_int_equal(res.records, 0);
    assert_string_equal(out, "");
    free(out);
}

static void missing_dictionary(void **state) {
    dyad_validate_result res;
    char *out;
    (void)state;
    assert_int_equal(run(DATA "missing-dict.xml", 0, &res, &out), DYAD_ENOENT);
    assert_int_equal(res.records, 0);
    assert_string_equal(out, "");
    free(out);
}

static void not_records(void **state) {
    dyad_validate_result res;
    char *out;
    (void)state;
    assert_int_equal(run(DATA "not-xml.xml", 0, &res, &out), DYAD_EPARSE);
    assert_int_equal(res.records, 0);
    free(out);
}

static void bad_arguments(void **state) {
    (void)state;
    assert_int_equal(dyad_validate_file(NULL, stdout, 0, NULL), DYAD_EINVAL);
    assert_int_equal(dyad_validate_file(DATA "records.xml", NULL, 0, NULL),
                     DYAD_EINVAL);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(counts_pass_and_fail),
        cmocka_unit_test(fail_lines_name_the_events),
        cmocka_unit_test(verbose_lists_every_record),
        cmocka_unit_test(missing_records_file),
        cmocka_unit_test(missing_dictionary),
        cmocka_unit_test(not_records),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
