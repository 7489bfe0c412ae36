/* test_dict.c: the PETRARCH dictionary loader: actors with dated codes,
 * agents with plurals and macros, verb forms, patterns, synsets, discards,
 * kind detection and malformed entries reported with file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dict.h"
#include "dyad.h"

typedef struct diags {
    int n;
    char last[512];
    long last_line;
} diags;

static void collect(void *ud, dyad_severity sev, const char *file, long line,
                    const char *msg) {
    diags *d = ud;
    (void)sev;
    d->n++;
    d->last_line = line;
    snprintf(d->last, sizeof d->last, "%s:%ld: %s", file, line, msg);
}

static dyad_dict *load(const char *name, const char *text, dyad_dict_kind kind,
                       diags *dg) {
    dyad_dict *d = dyad_dict_new();
    assert_non_null(d);
    dyad_dict_set_diag(d, collect, dg);
    assert_int_equal(dyad_dict_load_buffer(d, name, text, strlen(text), kind), DYAD_OK);
    return d;
}

static const dyad_actor *actor_named(const dyad_dict *d, const char *name) {
    for (uint32_t i = 0; i < d->n_actors; i++)
        if (strcmp(d->actors[i].name, name) == 0) return &d->actors[i];
    return NULL;
}

static void test_actor_dates(void **state) {
    (void)state;
    diags dg = {0};
    dyad_dict *d = load("a.actors.txt",
                        "SERGEY_LAVROV_\n+LAVROV_\n\t[RUSGOV >20040309]\n\t[RUSELI]\n"
                        "GOLLUM # comment\n+SMEAGOL\n\t[HOB < 950601]\n"
                        "\t[HOBGOV 19950601 - 19990815]\n\t[HOBREB > 990816]\n",
                        DYAD_DICT_AUTO, &dg);
    assert_int_equal(dg.n, 0);
    const dyad_actor *a = actor_named(d, "SERGEY_LAVROV_");
    assert_non_null(a);
    assert_string_equal(dyad__actor_code(a, dyad__day_from_ymd(2021, 8, 17)), "RUSGOV");
    assert_string_equal(dyad__actor_code(a, dyad__day_from_ymd(2001, 1, 1)), "RUSELI");
    const dyad_actor *g = actor_named(d, "GOLLUM");
    assert_non_null(g);
    assert_string_equal(dyad__actor_code(g, dyad__day_from_ymd(1995, 1, 1)), "HOB");
    assert_string_equal(dyad__actor_code(g, dyad__day_from_ymd(1995, 6, 1)), "HOBGOV");
    assert_string_equal(dyad__actor_code(g, dyad__day_from_ymd(1999, 8, 15)), "HOBGOV");
    assert_string_equal(dyad__actor_code(g, dyad__day_from_ymd(2001, 1, 1)), "HOBREB");
    /* no date: the latest dated code */
    assert_string_equal(dyad__actor_code(g, DYAD_NODAY), "HOBREB");
    dyad_dict_free(d);
}

static void test_tabari_shared_codes(void **state) {
    (void)state;
    diags dg = {0};
    /* consecutive phrases share the codes that follow them */
    dyad_dict *d = load("x.actors.txt",
                        "BORIS_YELTSIN_\nYELTSIN\nPRESIDENT_YELTSIN\n\t[RUSGOV 910710-991231]\n"
                        "THE_SHIRE [FRO/BIL/SAM]\n",
                        DYAD_DICT_ACTORS, &dg);
    assert_int_equal(dg.n, 0);
    assert_int_equal(d->n_actors, 2);
    assert_int_equal(d->n_aphr, 4);
    const dyad_actor *s = actor_named(d, "THE_SHIRE");
    assert_non_null(s);
    assert_int_equal(s->n_codes, 3);
    assert_string_equal(s->codes[1].code, "BIL");
    dyad_dict_free(d);
}

static void test_malformed_reported(void **state) {
    (void)state;
    diags dg = {0};
    dyad_dict *d = load("bad.actors.txt",
                        "GOOD_ [GOD]\n+\nBROKEN_ [XXX 2021-]\nINVERTED_ [AAA 20210101-20200101]\n"
                        "ALSO_GOOD_ [AGD]\n",
                        DYAD_DICT_ACTORS, &dg);
    assert_true(dg.n >= 2);
    assert_int_equal(dg.last_line, 4);
    assert_non_null(strstr(dg.last, "bad.actors.txt:4: inverted date range"));
    /* loading went on after the bad lines */
    assert_non_null(actor_named(d, "ALSO_GOOD_"));
    dyad_dict_stats st;
    dyad_dict_get_stats(d, &st);
    assert_true(st.errors >= 2);
    dyad_dict_free(d);
}

static int has_word_start(const dyad_dict *d, const char *w, int kind) {
    uint32_t id = dyad__dict_word(d, w, strlen(w));
    if (!id) return 0;
    for (uint32_t k = 0; k < d->words[id].n_starts; k++)
        if ((int)d->words[id].starts[k].kind == kind) return 1;
    return 0;
}

static void test_agents(void **state) {
    (void)state;
    diags dg = {0};
    dyad_dict *d = load("t.agents.txt",
                        "!PERSON! = MAN, MEN, WOMAN\nCONGRESS!PERSON! [~LEG]\n"
                        "POLICE {} [~COP]\nMSF {} [NGO~]\nGOLDEN_GOOSE {GOLDEN_GEESE} [~GGS]\n"
                        "MINISTRY [~GOV]\nNO_CODE_HERE\n",
                        DYAD_DICT_AUTO, &dg);
    assert_int_equal(dg.n, 1); /* NO_CODE_HERE */
    assert_true(has_word_start(d, "CONGRESSMAN", ST_AGENT));
    assert_true(has_word_start(d, "CONGRESSMEN", ST_AGENT));
    assert_true(has_word_start(d, "MINISTRIES", ST_AGENT)); /* regular plural */
    assert_false(has_word_start(d, "POLICES", ST_AGENT));   /* {} = none */
    assert_int_equal(d->agents[2].prefix, 1);               /* [NGO~] */
    assert_string_equal(d->agents[2].code, "NGO");
    assert_string_equal(d->agents[0].code, "LEG");
    dyad_dict_free(d);
}

static void test_verbs_and_patterns(void **state) {
    (void)state;
    diags dg = {0};
    dyad_dict *d = load("t.verbs.txt",
                        "&TIES\n+ECONOMIC\n+MILITARY\n\n"
                        "--- CONSULT [040] ---\nCONSULT\nSPEAK {SPEAKS SPOKE SPOKEN SPEAKING} [---]\n"
                        "TALKS {} [046]\n- * BY PHONE [041]\n- % * [040:040]\n"
                        "- * &TIES_TIES WITH + [050]\n- * [999 # no closing bracket\n",
                        DYAD_DICT_AUTO, &dg);
    assert_int_equal(dg.n, 1);
    assert_int_equal(dg.last_line, 12);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    /* regular forms generated, irregular ones listed */
    assert_true(has_word_start(d, "CONSULTED", ST_VERB));
    assert_true(has_word_start(d, "CONSULTING", ST_VERB));
    assert_true(has_word_start(d, "SPOKE", ST_VERB));
    assert_false(has_word_start(d, "TALKSED", ST_VERB));
    const dyad_verb_block *b = &d->blocks[0];
    assert_string_equal(b->code, "040");
    assert_int_equal(b->n_pats, 3);
    /* most elements first */
    assert_string_equal(b->pats[0].code, "050");
    const dyad_pattern *recip = NULL;
    for (uint32_t k = 0; k < b->n_pats; k++)
        if (b->pats[k].code2) recip = &b->pats[k];
    assert_non_null(recip);
    assert_string_equal(recip->code2, "040");
    assert_int_equal(recip->e[0].kind, PE_COMPOUND);
    /* the nominal form is marked */
    for (uint32_t k = 0; k < d->n_verbs; k++)
        if (d->verbs[k].ph.n == 1 &&
            strcmp(d->words[d->verbs[k].ph.w[0]].s, "TALKS") == 0)
            assert_true(d->verbs[k].noun_ok);
    dyad_dict_free(d);
}

static void test_discards_and_kinds(void **state) {
    (void)state;
    diags dg = {0};
    dyad_dict *d = dyad_dict_new();
    dyad_dict_set_diag(d, collect, &dg);
    const char *disc = "WORLD CUP\n+TYPHOON\n";
    assert_int_equal(dyad_dict_load_buffer(d, "Phoenix.discards.txt", disc, strlen(disc),
                                           DYAD_DICT_AUTO), DYAD_OK);
    const char *ign = "[Options]\nfoo = bar\n";
    assert_int_equal(dyad_dict_load_buffer(d, "PETR_config.ini", ign, strlen(ign),
                                           DYAD_DICT_AUTO), DYAD_OK);
    assert_int_equal(d->n_discards, 2);
    assert_int_equal(d->discards[1].story, 1);
    assert_int_equal(d->n_actors, 0);
    assert_int_equal(dg.n, 0);
    dyad_dict_free(d);
}

static void test_builtin_loads_clean(void **state) {
    (void)state;
    diags dg = {0};
    dyad_dict *d = dyad_dict_new();
    dyad_dict_set_diag(d, collect, &dg);
    assert_int_equal(dyad_dict_load_builtin(d), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    if (dg.n) fprintf(stderr, "first problem: %s\n", dg.last);
    assert_int_equal(dg.n, 0);
    dyad_dict_stats st;
    dyad_dict_get_stats(d, &st);
    assert_true(st.actor_phrases > 100);
    dyad_dict_free(d);
}

static void test_missing_path(void **state) {
    (void)state;
    diags dg = {0};
    dyad_dict *d = dyad_dict_new();
    dyad_dict_set_diag(d, collect, &dg);
    assert_int_equal(dyad_dict_load_path(d, "/nonexistent/dict.txt"), DYAD_ENOENT);
    assert_int_equal(dg.n, 1);
    assert_non_null(strstr(dg.last, "/nonexistent/dict.txt"));
    dyad_dict_free(d);
}

/* Compiled images: the second load maps the first one's image, gives the
 * same tables and replays the diagnostics; a changed source is parsed anew. */
static dyad_dict *cached(const char *dir, const char *actors, diags *dg) {
    dyad_dict *d = dyad_dict_new();
    assert_non_null(d);
    dyad_dict_set_diag(d, collect, dg);
    assert_int_equal(dyad_dict_set_cache(d, dir), DYAD_OK);
    assert_int_equal(dyad_dict_load_buffer(d, "c.actors.txt", actors, strlen(actors),
                                           DYAD_DICT_ACTORS), DYAD_OK);
    assert_int_equal(dyad_dict_finish(d), DYAD_OK);
    return d;
}

static void test_compiled_image(void **state) {
    (void)state;
    char dir[] = "/tmp/dyad-img-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *src = "SERGEY_LAVROV_\n+LAVROV_\n\t[RUSGOV >20040309]\n\t[RUSELI]\nBROKEN_ [X 2021-]\n";
    diags d1 = {0}, d2 = {0}, d3 = {0};
    dyad_dict *a = cached(dir, src, &d1);
    assert_int_equal(a->from_image, 0);
    assert_int_equal(d1.n, 1);
    dyad_dict *b = cached(dir, src, &d2);
    assert_int_equal(b->from_image, 1);
    assert_int_equal(d2.n, 1); /* replayed, with its line */
    assert_int_equal(d2.last_line, 5);
    assert_int_equal(b->n_actors, a->n_actors);
    const dyad_actor *l = actor_named(b, "SERGEY_LAVROV_");
    assert_non_null(l);
    assert_string_equal(dyad__actor_code(l, dyad__day_from_ymd(2021, 8, 17)), "RUSGOV");
    assert_true(dyad__dict_word(b, "LAVROV", 6) != 0);
    /* a second image at once: one is mapped where its pointers point, the
     * other relocated in a copy; both give the same answers */
    diags d4 = {0};
    dyad_dict *b2 = cached(dir, src, &d4);
    assert_int_equal(b2->from_image, 1);
    assert_ptr_not_equal(b2->map, b->map);
    const dyad_actor *l2 = actor_named(b2, "SERGEY_LAVROV_");
    assert_non_null(l2);
    assert_string_equal(dyad__actor_code(l2, dyad__day_from_ymd(2021, 8, 17)), "RUSGOV");
    assert_int_equal(dyad__dict_word(b2, "LAVROV", 6), dyad__dict_word(b, "LAVROV", 6));
    dyad_dict_free(b2);
    /* old images are pruned: at most 12 stay, the newest */
    for (int k = 0; k < 20; k++) {
        char old[256];
        snprintf(old, sizeof old, "%s/dict-old%02d.img", dir, k);
        FILE *f = fopen(old, "w");
        assert_non_null(f);
        fclose(f);
        char cmd[300];
        snprintf(cmd, sizeof cmd, "touch -d '2020-01-01' %s", old);
        assert_int_equal(system(cmd), 0);
    }
    dyad_dict *c = cached(dir, "GONDOR_ [GON]\n", &d3);
    assert_int_equal(c->from_image, 0);
    assert_int_equal(d3.n, 0);
    char count[300];
    snprintf(count, sizeof count, "test $(ls %s | grep -c '^dict-') -eq 12", dir);
    assert_int_equal(system(count), 0);
    char kept[300];
    snprintf(kept, sizeof kept, "test $(ls %s | grep -c '^dict-old') -eq 10", dir);
    assert_int_equal(system(kept), 0);
    dyad_dict_free(a);
    dyad_dict_free(b);
    dyad_dict_free(c);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_actor_dates),
        cmocka_unit_test(test_tabari_shared_codes),
        cmocka_unit_test(test_malformed_reported),
        cmocka_unit_test(test_agents),
        cmocka_unit_test(test_verbs_and_patterns),
        cmocka_unit_test(test_discards_and_kinds),
        cmocka_unit_test(test_builtin_loads_clean),
        cmocka_unit_test(test_missing_path),
        cmocka_unit_test(test_compiled_image),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
