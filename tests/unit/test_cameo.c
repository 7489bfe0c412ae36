/* test_cameo.c: the CAMEO table generated from data/cameo.tsv and its lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "dyad.h"

static void test_lookup_leaf(void **state) {
    (void)state;
    const dyad_cameo *c = dyad_cameo_lookup("041");
    assert_non_null(c);
    assert_string_equal(c->code, "041");
    assert_string_equal(c->root, "04");
    assert_string_equal(c->name, "Discuss by telephone");
    assert_true(c->goldstein > 0.99 && c->goldstein < 1.01);
    assert_int_equal(c->quad, 1);
    assert_non_null(c->plover);
    assert_string_equal(c->plover, "CONSULT");
    assert_string_equal(c->plover_mode, "phone");
    assert_null(c->plover_context);
}

static void test_lookup_four_digit(void **state) {
    (void)state;
    const dyad_cameo *c = dyad_cameo_lookup("0311");
    assert_non_null(c);
    assert_string_equal(c->code, "0311"); /* its own entry, not "031" */
    assert_string_equal(c->root, "03");
    assert_string_equal(c->name, "Express intent to cooperate economically");
    assert_string_equal(c->plover_context, "economic");
    const dyad_cameo *parent = dyad_cameo_lookup("031");
    assert_non_null(parent);
    assert_ptr_not_equal(c, parent);
}

static void test_lookup_root(void **state) {
    (void)state;
    const dyad_cameo *c = dyad_cameo_lookup("20");
    assert_non_null(c);
    assert_string_equal(c->code, "20");
    assert_string_equal(c->root, "20");
    assert_int_equal(c->quad, 4);
    assert_true(c->goldstein < -9.99 && c->goldstein > -10.01);
    assert_null(c->plover);
}

static void test_lookup_unknown(void **state) {
    (void)state;
    assert_null(dyad_cameo_lookup("999"));
    assert_null(dyad_cameo_lookup("049"));
    assert_null(dyad_cameo_lookup("0411"));
    assert_null(dyad_cameo_lookup(""));
    assert_null(dyad_cameo_lookup("21"));
    assert_null(dyad_cameo_lookup(NULL));
}

static void test_count_and_order(void **state) {
    (void)state;
    size_t n = dyad_cameo_count();
    assert_int_equal(n, 311);
    assert_null(dyad_cameo_at(n));
    for (size_t i = 0; i < n; i++) {
        const dyad_cameo *c = dyad_cameo_at(i);
        assert_non_null(c);
        assert_true(strncmp(c->code, c->root, 2) == 0);
        assert_true(c->quad >= 1 && c->quad <= 4);
        assert_ptr_equal(dyad_cameo_lookup(c->code), c);
        if (i) assert_true(strcmp(dyad_cameo_at(i - 1)->code, c->code) < 0);
    }
}

static void test_escaped_name(void **state) {
    (void)state;
    /* The merged codebook's GDELT name is mojibake; the CAMEO label wins. */
    const dyad_cameo *c = dyad_cameo_lookup("044");
    assert_non_null(c);
    assert_string_equal(c->name, "Meet at a 'third' location");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup_leaf),
        cmocka_unit_test(test_lookup_four_digit),
        cmocka_unit_test(test_lookup_root),
        cmocka_unit_test(test_lookup_unknown),
        cmocka_unit_test(test_count_and_order),
        cmocka_unit_test(test_escaped_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
