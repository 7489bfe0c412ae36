/* test_coder.c: the coder on toy dictionaries: actors and agents combined,
 * compounds, reciprocal events, passive voice, nominal forms, reported
 * speech, coreference, dates, datelines and discards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dyad.h"

static const char ACTORS[] =
    "RUSSIA_ [RUS]\n+RUSSIAN_\n+MOSCOW_\n"
    "CHINA_ [CHN]\n+CHINESE_\n+BEIJING_\n"
    "KAZAKHSTAN_ [KAZ]\n+KAZAKH_\n"
    "UNITED_STATES_ [USA]\n+U.S.\n"
    "VLADIMIR_PUTIN_\n+PUTIN_\n\t[RUSGOV >20000507]\n"
    "XI_JINPING_\n+XI_\n\t[CHNGOV >20121115]\n"
    "SERGEY_LAVROV_\n+LAVROV_\n\t[RUSGOV >20040309]\n\t[RUSELI]\n"
    "MUKHTAR_TLEUBERDI_\n+TLEUBERDI_\n\t[KAZGOV 20190218-20230901]\n"
    "TALIBAN_\n\t[AFGREB <20210815]\n\t[AFGGOV >20210815]\n";

static const char AGENTS[] =
    "PRESIDENT [~GOV]\nFOREIGN_MINISTER [~GOV]\nCOUNTERPART [~GOV]\n"
    "POLICE {} [~COP]\nSTUDENT [~EDU]\nGOVERNMENT [~GOV]\nMEDIA {} [~MED]\n";

static const char VERBS[] =
    "--- CONSULT [040] ---\nDISCUSS\nCONSULT\n"
    "PHONE_CALL {PHONE_CALLS} [041]\nTELEPHONE_CONVERSATION {} [041]\n"
    "- * BY PHONE [041]\n"
    "--- SAY [010] ---\nSAY {SAYS SAID SAYING}\n"
    "--- ARREST [173] ---\nARREST\n"
    "--- CRITICIZE [111] ---\nCRITICIZE\n"
    "--- MEET [036] ---\nMEET {MEETS MET MEETING}\n"
    "--- PRAISE [051] ---\nPRAISE\n";

static const char DISCARDS[] = "WORLD CUP\n+FOOTBALL MATCH\n";

typedef struct fixture {
    dyad_dict *dict;
    dyad_coder *coder;
    int warnings;
} fixture;

static void count_diag(void *ud, dyad_severity sev, const char *file, long line,
                       const char *msg) {
    (void)sev; (void)file; (void)line; (void)msg;
    ((fixture *)ud)->warnings++;
}

static int setup(void **state) {
    static fixture f;
    memset(&f, 0, sizeof f);
    f.dict = dyad_dict_new();
    dyad_dict_set_diag(f.dict, count_diag, &f);
    dyad_dict_load_buffer(f.dict, "t.actors.txt", ACTORS, sizeof ACTORS - 1, DYAD_DICT_ACTORS);
    dyad_dict_load_buffer(f.dict, "t.agents.txt", AGENTS, sizeof AGENTS - 1, DYAD_DICT_AGENTS);
    dyad_dict_load_buffer(f.dict, "t.verbs.txt", VERBS, sizeof VERBS - 1, DYAD_DICT_VERBS);
    dyad_dict_load_buffer(f.dict, "t.discards.txt", DISCARDS, sizeof DISCARDS - 1,
                          DYAD_DICT_DISCARDS);
    if (dyad_dict_finish(f.dict) != DYAD_OK) return -1;
    f.coder = dyad_coder_new(f.dict);
    dyad_coder_set_diag(f.coder, count_diag, &f);
    *state = &f;
    return f.coder ? 0 : -1;
}

static int teardown(void **state) {
    fixture *f = *state;
    dyad_coder_free(f->coder);
    dyad_dict_free(f->dict);
    return 0;
}

/* Code text and render its events as "SRC>TGT:CODE@DATE" joined by spaces. */
static const char *code(fixture *f, const char *date, const char *text) {
    static char out[2048];
    dyad_article a;
    memset(&a, 0, sizeof a);
    a.id = "t";
    a.date = date;
    a.text = text;
    a.text_len = strlen(text);
    int rc;
    dyad_doc *doc = dyad_code_article(f->coder, &a, &rc);
    assert_non_null(doc);
    out[0] = 0;
    for (size_t i = 0; i < dyad_doc_event_count(doc); i++) {
        const dyad_event *e = dyad_doc_event(doc, i);
        char one[128];
        snprintf(one, sizeof one, "%s%s>%s:%s@%s", i ? " " : "", e->source, e->target,
                 e->code, e->date ? e->date : "null");
        strncat(out, one, sizeof out - strlen(out) - 1);
        /* spans point at the words that were the actors */
        assert_true(e->source_span.off + e->source_span.len <= strlen(e->text));
        assert_non_null(e->pattern);
    }
    dyad_doc_free(doc);
    return out;
}

static void test_title_and_person(void **state) {
    fixture *f = *state;
    assert_string_equal(code(f, "2021-08-25", "Russian President Vladimir Putin praised China."),
                        "RUSGOV>CHN:051@2021-08-25");
}

static void test_agent_combination(void **state) {
    fixture *f = *state;
    assert_string_equal(code(f, "2021-08-25", "Russian police arrested Chinese students."),
                        "RUSCOP>CHNEDU:173@2021-08-25");
}

static void test_compound_reciprocal_by_phone(void **state) {
    fixture *f = *state;
    assert_string_equal(
        code(f, "2021-08-18", "Lavrov and Tleuberdi discussed the Afghan issue by phone."),
        "RUSGOV>KAZGOV:041@2021-08-18 KAZGOV>RUSGOV:041@2021-08-18");
}

static void test_nominal_form_and_counterpart(void **state) {
    fixture *f = *state;
    assert_string_equal(
        code(f, "2021-08-17",
             "Chinese Foreign Minister Xi said in a telephone conversation with his "
             "Russian counterpart Sergey Lavrov that the sides agreed."),
        "CHNGOV>RUSGOV:041@2021-08-17");
}

static void test_nominal_before_subject(void **state) {
    fixture *f = *state;
    assert_string_equal(code(f, "2021-08-25", "In a phone call, Putin and Xi praised Kazakhstan."),
                        "RUSGOV>CHNGOV:041@2021-08-25 CHNGOV>RUSGOV:041@2021-08-25");
}

static void test_weekday_date(void **state) {
    fixture *f = *state;
    /* Tuesday 17 August 2021: "on Monday" is the 16th */
    assert_string_equal(code(f, "2021-08-17", "The United States criticized China on Monday."),
                        "USA>CHN:111@2021-08-16");
}

static void test_passive(void **state) {
    fixture *f = *state;
    assert_string_equal(code(f, "2021-08-17", "China was criticized by the United States."),
                        "USA>CHN:111@2021-08-17");
}

static void test_dated_role(void **state) {
    fixture *f = *state;
    assert_string_equal(code(f, "2021-08-01", "The Taliban criticized Kazakhstan."),
                        "AFGREB>KAZ:111@2021-08-01");
    assert_string_equal(code(f, "2021-08-15", "The Taliban criticized Kazakhstan."),
                        "AFGGOV>KAZ:111@2021-08-15");
}

static void test_reported_speech(void **state) {
    fixture *f = *state;
    /* the statement verb yields to the event it reports */
    assert_string_equal(code(f, "2021-08-25", "Moscow said Putin met Xi in Beijing."),
                        "RUSGOV>CHNGOV:036@2021-08-25");
}

static void test_coreference(void **state) {
    fixture *f = *state;
    assert_string_equal(code(f, "2021-08-25",
                             "Putin met Xi on Wednesday. He later criticized the United States."),
                        "RUSGOV>CHNGOV:036@2021-08-25 RUSGOV>USA:111@2021-08-25");
}

static void test_subordinate_clause_adds_nothing(void **state) {
    fixture *f = *state;
    assert_string_equal(
        code(f, "2021-08-25", "Russia praised China after Kazakh police arrested students."),
        "RUS>CHN:051@2021-08-25");
}

static void test_no_pattern_no_event(void **state) {
    fixture *f = *state;
    assert_string_equal(code(f, "2021-08-25", "Russia and China are large countries."), "");
}

static void test_discards(void **state) {
    fixture *f = *state;
    assert_string_equal(code(f, "2021-08-25", "Russia praised China at the World Cup."), "");
    dyad_article a;
    memset(&a, 0, sizeof a);
    a.id = "story";
    a.text = "Russia praised China. The football match was a draw.";
    int rc;
    dyad_doc *doc = dyad_code_article(f->coder, &a, &rc);
    assert_non_null(doc);
    assert_int_equal(dyad_doc_discarded(doc), 2);
    assert_int_equal(dyad_doc_event_count(doc), 0);
    dyad_doc_free(doc);
}

static void test_no_date_warns_once(void **state) {
    fixture *f = *state;
    int before = f->warnings;
    assert_string_equal(code(f, NULL, "Russia praised China. China praised Russia."),
                        "RUS>CHN:051@null CHN>RUS:051@null");
    assert_int_equal(f->warnings, before + 1);
}

static void test_dateline(void **state) {
    fixture *f = *state;
    dyad_article a;
    memset(&a, 0, sizeof a);
    a.id = "dl";
    a.date = "2021-08-26";
    a.text = "MOSCOW, Aug 25: Russia praised China.";
    int rc;
    dyad_doc *doc = dyad_code_article(f->coder, &a, &rc);
    assert_non_null(doc);
    assert_string_equal(dyad_doc_place(doc), "MOSCOW");
    assert_int_equal(dyad_doc_event_count(doc), 1);
    assert_string_equal(dyad_doc_event(doc, 0)->date, "2021-08-25");
    assert_string_equal(dyad_doc_event(doc, 0)->place, "MOSCOW");
    assert_string_equal(dyad_doc_event(doc, 0)->root, "05");
    assert_int_equal(dyad_doc_event(doc, 0)->quad, 1);
    dyad_doc_free(doc);
}

/* The coder's token cache fills up (65,536 distinct tokens) within one
 * document: later tokens are worked out without it, and the next document
 * starts with an empty cache; the events are the same. */
static void test_token_cache_full(void **state) {
    fixture *f = *state;
    size_t words = 70000, cap = words * 9 + 128, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (size_t i = 0; i < words; i++) {
        char w[8];
        size_t k = 0, v = i;
        w[k++] = 'q';
        do {
            w[k++] = (char)('a' + v % 26);
            v /= 26;
        } while (v);
        memcpy(text + n, w, k);
        n += k;
        memcpy(text + n, i % 20 == 19 ? ". " : " ", i % 20 == 19 ? 2 : 1);
        n += i % 20 == 19 ? 2 : 1;
    }
    const char *last = "Russian police arrested Chinese students.";
    memcpy(text + n, last, strlen(last) + 1);
    assert_string_equal(code(f, "2021-08-25", text), "RUSCOP>CHNEDU:173@2021-08-25");
    free(text);
    assert_string_equal(code(f, "2021-08-25", last), "RUSCOP>CHNEDU:173@2021-08-25");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_title_and_person),
        cmocka_unit_test(test_agent_combination),
        cmocka_unit_test(test_compound_reciprocal_by_phone),
        cmocka_unit_test(test_nominal_form_and_counterpart),
        cmocka_unit_test(test_nominal_before_subject),
        cmocka_unit_test(test_weekday_date),
        cmocka_unit_test(test_passive),
        cmocka_unit_test(test_dated_role),
        cmocka_unit_test(test_reported_speech),
        cmocka_unit_test(test_coreference),
        cmocka_unit_test(test_subordinate_clause_adds_nothing),
        cmocka_unit_test(test_no_pattern_no_event),
        cmocka_unit_test(test_discards),
        cmocka_unit_test(test_no_date_warns_once),
        cmocka_unit_test(test_dateline),
        cmocka_unit_test(test_token_cache_full),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
