/* test_split_api.c: dyad_split_article, the benchmark's floor, counts what
 * the internal splitter and the coder count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dyad.h"
#include "text.h"

static const char TEXT[] =
    "MOSCOW, Aug 25 (Wire) - Russian President Vladimir Putin held talks with "
    "Chinese President Xi Jinping on Monday.\n\n"
    "The U.S. State Department said it was \"concerned.\" Mr. Blinken "
    "declined to comment.\nBoth sides agreed to meet again.";

static void test_counts_match_splitter(void **state) {
    (void)state;
    dyad_article a;
    memset(&a, 0, sizeof a);
    a.id = "t";
    a.text = TEXT;
    a.text_len = strlen(TEXT);
    size_t ns = 99, nt = 99;
    assert_int_equal(dyad_split_article(&a, &ns, &nt), DYAD_OK);

    /* the same through the internal functions */
    dyad_arena ar;
    dyad__arena_init(&ar, 0);
    char *norm = NULL;
    size_t nn = 0, bad = 0, ns2 = 0, nt2 = 0;
    dyad_sent *s;
    dyad_tok *t;
    assert_int_equal(dyad__text_normalize(&ar, TEXT, strlen(TEXT), &norm, &nn, &bad), DYAD_OK);
    assert_int_equal(dyad__text_split(&ar, norm, nn, &s, &ns2, &t, &nt2), DYAD_OK);
    dyad__arena_free(&ar);
    assert_int_equal(ns, ns2);
    assert_int_equal(nt, nt2);
    assert_int_equal(ns, 4); /* U.S. and Mr. do not end a sentence */
    assert_true(nt > 30);

    /* and the coder's sentence count */
    dyad_dict *d = dyad_dict_new();
    assert_non_null(d);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    dyad_coder *c = dyad_coder_new(d);
    int rc = 0;
    a.date = "2021-08-25";
    dyad_doc *doc = dyad_code_article(c, &a, &rc);
    assert_non_null(doc);
    assert_int_equal(dyad_doc_sentence_count(doc), ns);
    dyad_doc_free(doc);
    dyad_coder_free(c);
    dyad_dict_free(d);
}

static void test_empty_and_null(void **state) {
    (void)state;
    dyad_article a;
    memset(&a, 0, sizeof a);
    size_t ns = 5, nt = 5;
    assert_int_equal(dyad_split_article(&a, &ns, &nt), DYAD_OK); /* no text */
    assert_int_equal(ns, 0);
    assert_int_equal(nt, 0);
    a.text = "One sentence.";
    assert_int_equal(dyad_split_article(&a, NULL, NULL), DYAD_OK);
    assert_int_equal(dyad_split_article(&a, &ns, NULL), DYAD_OK);
    assert_int_equal(ns, 1);
    assert_int_equal(dyad_split_article(NULL, &ns, &nt), DYAD_EINVAL);
    assert_int_equal(ns, 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_match_splitter),
        cmocka_unit_test(test_empty_and_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
