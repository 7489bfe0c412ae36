/* test_dicttools.c: the dictionary tools on toy dictionaries: lint finds
 * each kind of problem with its file and line, lookup gives the code in
 * force on a date, coverage counts, and unknown phrases are collected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dict.h"
#include "dyad.h"

typedef struct msgs {
    int n;
    char all[8192];
} msgs;

static void collect(void *ud, dyad_severity sev, const char *file, long line,
                    const char *msg) {
    msgs *m = ud;
    size_t l = strlen(m->all);
    (void)sev;
    m->n++;
    snprintf(m->all + l, sizeof m->all - l, "%s:%ld: %s\n", file, line, msg);
}

static const char actors[] =
    "VLADIMIR_PUTIN_\n"                 /* 1 */
    "+PUTIN_\n"                         /* 2 */
    "\t[RUSGOV >20000507]\n"            /* 3 */
    "\t[RUSELI]\n"                      /* 4 */
    "JOHN_DOE_\n"                       /* 5 */
    "\t[USAGOV 20100101-20151231]\n"    /* 6 */
    "\t[USALEG 20150101-20200101]\n"    /* 7 */
    "PUTIN_ [RUSGOV]\n"                 /* 8: duplicate of line 2's synonym */
    "NATO_ [IGOWSTNAT]\n"               /* 9 */
    "HAMAS_ [PSEREB]\n"                 /* 10 */
    "FRANCE_ [FRA]\n"                   /* 11 */
    "+FRENCH_\n"                        /* 12 */
    "JANE_ROE_ [FRA/FRAGOV >20200101]\n"; /* 13: one bracket, two codes: fine */

static const char verbs[] =
    "&EMPTYSET\n"                       /* 1 */
    "--- ACCUSE [112] ---\n"            /* 2 */
    "ACCUSE\n"                          /* 3 */
    "- * + OF WAR_CRIMES [1124]\n"      /* 4 */
    "- * + OF WAR_CRIMES [1124]\n"      /* 5 */
    "- ACCUSE_* + [112]\n"              /* 6 */
    "- * + OF SPYING [999]\n"           /* 7 */
    "- * + OF &EMPTYSET [112]\n"        /* 8 */
    "--- MEET [040] ---\n"              /* 9 */
    "MEET {MEETS MET}\n"                /* 10 */
    "--- EMPTY [040] ---\n"             /* 11 */
    "- * WITH + [040]\n";               /* 12 */

static const char agents[] = "PRESIDENT [~GOV]\nPRESIDENT [~ELI]\n";

static dyad_dict *toy(msgs *load) {
    dyad_dict *d = dyad_dict_new();
    assert_non_null(d);
    dyad_dict_set_diag(d, collect, load);
    assert_int_equal(dyad_dict_load_buffer(d, "a.txt", actors, strlen(actors),
                                           DYAD_DICT_ACTORS), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "v.txt", verbs, strlen(verbs),
                                           DYAD_DICT_VERBS), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "g.txt", agents, strlen(agents),
                                           DYAD_DICT_AGENTS), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    return d;
}

static void test_lint(void **state) {
    (void)state;
    msgs load = {0}, m = {0};
    dyad_dict *d = toy(&load);
    assert_int_equal(load.n, 0);
    size_t n = dyad_dict_lint(d, collect, &m);
    assert_int_equal((int)n, m.n);
    assert_non_null(strstr(m.all, "a.txt:5: actor JOHN_DOE_: date ranges overlap"));
    assert_non_null(strstr(m.all, "a.txt:8: duplicate actor phrase PUTIN_ (also a.txt:1)"));
    assert_non_null(strstr(m.all, "v.txt:5: pattern - * + OF WAR_CRIMES [1124] duplicates v.txt:4"));
    assert_non_null(strstr(m.all, "v.txt:6: pattern can never match: ACCUSE"));
    assert_non_null(strstr(m.all, "v.txt:7: pattern code 999 is not in the CAMEO codebook"));
    assert_non_null(strstr(m.all, "v.txt:8: pattern can never match: synset &EMPTYSET is empty"));
    assert_non_null(strstr(m.all, "v.txt:11: block EMPTY has no verbs"));
    assert_non_null(strstr(m.all, "g.txt:2: duplicate agent phrase PRESIDENT (also g.txt:1)"));
    assert_null(strstr(m.all, "JANE_ROE")); /* [A/B >D] is one entry */
    assert_null(strstr(m.all, "a.txt:1:")); /* Putin's codes are fine */
    assert_int_equal((int)n, 8);
    /* a clean dictionary: nothing */
    dyad_dict *c = dyad_dict_new();
    const char *ok = "RUSSIA_ [RUS]\n+RUSSIAN_\n";
    assert_int_equal(dyad_dict_load_buffer(c, "c.txt", ok, strlen(ok), DYAD_DICT_ACTORS), DYAD_OK);
    assert_int_equal(dyad_dict_finish(c), DYAD_OK);
    assert_int_equal((int)dyad_dict_lint(c, NULL, NULL), 0);
    dyad_dict_free(c);
    dyad_dict_free(d);
}

typedef struct got {
    int n;
    char code[4][32], kind[4][16], where[4][64];
} got;

static void on_match(void *ud, const dyad_dict_match *mt) {
    got *g = ud;
    if (g->n >= 4) return;
    snprintf(g->code[g->n], 32, "%s", mt->code ? mt->code : "(none)");
    snprintf(g->kind[g->n], 16, "%s", mt->kind);
    snprintf(g->where[g->n], 64, "%s:%ld", mt->file, mt->line);
    g->n++;
}

static void test_lookup(void **state) {
    (void)state;
    msgs load = {0};
    dyad_dict *d = toy(&load);
    got g = {0};
    assert_int_equal(dyad_dict_lookup(d, "Vladimir Putin", "2021-08-17", on_match, &g), 1);
    assert_string_equal(g.code[0], "RUSGOV");
    assert_string_equal(g.where[0], "a.txt:1");
    memset(&g, 0, sizeof g);
    assert_int_equal(dyad_dict_lookup(d, "Vladimir Putin", "1999-12-31", on_match, &g), 1);
    assert_string_equal(g.code[0], "RUSELI");
    memset(&g, 0, sizeof g);
    /* John Doe has no undated code: none applies in 2005 */
    assert_int_equal(dyad_dict_lookup(d, "John Doe", "2005-01-01", on_match, &g), 1);
    assert_string_equal(g.code[0], "(none)");
    memset(&g, 0, sizeof g);
    assert_int_equal(dyad_dict_lookup(d, "French President met", NULL, on_match, &g), 3);
    assert_string_equal(g.code[0], "FRA");
    assert_string_equal(g.kind[1], "agent");
    assert_string_equal(g.code[1], "~GOV");
    assert_string_equal(g.kind[2], "verb");
    assert_string_equal(g.code[2], "040");
    assert_string_equal(g.where[2], "v.txt:10");
    assert_int_equal(dyad_dict_lookup(d, "nobody here", NULL, on_match, &g), 0);
    assert_int_equal(dyad_dict_lookup(d, "Putin", "2021-13-01", on_match, &g), DYAD_EDATE);
    dyad_dict_free(d);
}

static void test_coverage(void **state) {
    (void)state;
    msgs load = {0};
    dyad_dict *d = toy(&load);
    dyad_dict_coverage_t c;
    dyad_dict_coverage(d, &c);
    assert_int_equal((int)c.countries, 1);  /* FRA */
    assert_int_equal((int)c.igos, 1);       /* NATO */
    assert_int_equal((int)c.armed_groups, 1); /* Hamas */
    assert_int_equal((int)c.dated_roles, 5); /* Putin 1, Doe 2, Roe 2 */
    assert_int_equal((int)c.agents, 2);
    /* 112, 1124, 040 (999 is not CAMEO) */
    assert_int_equal((int)c.cameo_covered, 3);
    assert_true(c.cameo_total > 200);
    assert_int_equal((int)c.roots_covered, 2);
    assert_true(dyad_dict_code_covered(d, "1124"));
    assert_false(dyad_dict_code_covered(d, "190"));
    dyad_dict_free(d);
}

static void test_unknown(void **state) {
    (void)state;
    msgs load = {0};
    dyad_dict *d = toy(&load);
    dyad_unknown *u = dyad_unknown_new(d);
    assert_non_null(u);
    const char *text = "PARIS, May 3 (AFP) - French President Jane Roe met Abdel "
                       "Fattah al-Sisi on Monday. Abdel Fattah al-Sisi thanked "
                       "the Ministry of Foreign Affairs. The Putin visit ended.";
    dyad_article a = {.id = "doc1", .text = text, .text_len = strlen(text)};
    assert_int_equal(dyad_unknown_add(u, &a), DYAD_OK);
    const dyad_unknown_phrase *p = dyad_unknown_at(u, 0);
    assert_non_null(p);
    assert_string_equal(p->phrase, "Abdel Fattah al-Sisi");
    assert_int_equal((int)p->count, 2);
    assert_string_equal(p->doc, "doc1");
    assert_non_null(strstr(p->example, "met Abdel Fattah al-Sisi on Monday."));
    int ministry = 0;
    for (size_t i = 0; i < dyad_unknown_count(u); i++) {
        const dyad_unknown_phrase *q = dyad_unknown_at(u, i);
        assert_null(strstr(q->phrase, "PARIS"));  /* dateline */
        assert_null(strstr(q->phrase, "Monday"));
        assert_null(strstr(q->phrase, "Jane"));   /* an actor */
        assert_null(strstr(q->phrase, "Putin"));
        assert_string_not_equal(q->phrase, "The");
        ministry += strcmp(q->phrase, "Ministry of Foreign Affairs") == 0;
    }
    assert_int_equal(ministry, 1);
    dyad_unknown_free(u);
    dyad_dict_free(d);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lint),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
